"""The text view of a document: the plain text the repair stage works on.

Repair and extraction read plain text (they were built on text extracts), so every
format is shown to them the same way:

- each block is a group of lines, blocks are separated by one blank line;
- a table is one row per line with its cells tab-separated, the layout the indicator
  extraction reads; a merged cell's text is printed once, in its first row and column,
  and the positions it covers later are left empty: no text is repeated or invented;
- tabs only ever separate cells: a tab inside a paragraph or a line break inside a cell
  is shown as a space;
- a table of one column is a frame, not a grid: plans print a 专栏 as a one-cell table
  (its title in one row, its items as the paragraphs of the next), so each cell is shown
  with its own line breaks, as the paragraphs it holds;
- page furniture (running headers, footers) and images are not part of the text.

``origin`` gives, for each character of the text, the index of the block it came from,
or -1 for a separator the view wrote (the blank lines between blocks, the tabs and
line ends of a table, the final line end). Offsets in the change log count in this
text, so ``origin`` takes any change back to its block and that block's provenance.
"""

from __future__ import annotations

from .model import Block, Document, cell_line, table_grid

SEPARATOR = -1
_NOT_TEXT = ("furniture", "image")


def text_view(document: Document) -> tuple[str, tuple[int, ...]]:
    pieces: list[tuple[str, int]] = []  # (text, block index or SEPARATOR)
    for index, block in enumerate(document.blocks):
        if block.kind in _NOT_TEXT or not block.text.strip():
            continue
        if pieces:
            pieces.append(("\n\n", SEPARATOR))
        pieces.extend(_block_pieces(block, index))
    if pieces:
        pieces.append(("\n", SEPARATOR))
    text = "".join(piece for piece, _ in pieces)
    origin = tuple(owner for piece, owner in pieces for _ in piece)
    return text, origin


def _block_pieces(block: Block, index: int) -> list[tuple[str, int]]:
    if block.kind != "table":
        return [(block.text.replace("\t", " "), index)]
    if is_frame(block.cells):
        return [("\n".join(c.text.replace("\t", " ") for c in block.cells if c.text), index)]
    pieces: list[tuple[str, int]] = []
    for r, row in enumerate(table_grid(block.cells)):
        if r:
            pieces.append(("\n", SEPARATOR))
        for c, cell in enumerate(row):
            if c:
                pieces.append(("\t", SEPARATOR))
            if cell is not None and cell.text:
                pieces.append((cell_line(cell.text), index))
    return pieces


def is_frame(cells) -> bool:
    """A table whose every cell fills its row: a frame around paragraphs (a box), not a grid."""
    return bool(cells) and all(c.col == 0 and c.colspan == 1 for c in cells)
