"""One document model that every reader fills: a document is a sequence of blocks.

Plain frozen dataclasses, no framework. A block is a heading, a paragraph, a list item,
a table, an image, page furniture (running headers and footers) or a framed box (a 专栏
in its frame, its text one line per paragraph), each with where it was read from.
Readers keep the source's text as it is, apart from white-space layout (HTML's
collapsible white space, paragraph indents); nothing is added.

Sequences are tuples so that a document, once read, cannot change under the stages
that use it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

BLOCK_KINDS = ("heading", "paragraph", "list_item", "table", "image", "furniture", "box")


@dataclass(frozen=True)
class Provenance:
    """Where a block or cell was read from.

    ``where`` names it in the source's own terms: an HTML element path
    (``/html/body/div[2]/p[5]``), ``paragraph 3`` or ``table 1 row 2 cell 3`` in a
    Word document (counted from 1). ``offset`` is the character offset of the
    element's start tag in the decoded HTML, when known. ``within`` is set when the
    block comes from a document embedded in the page (a script's JSON string): it
    names that string, and ``where``/``offset`` then count inside it.
    """

    where: str
    offset: int | None = None
    within: str | None = None


@dataclass(frozen=True)
class Cell:
    """One table cell on the table's grid (row, col from 0); a merged cell spans several."""

    row: int
    col: int
    rowspan: int
    colspan: int
    text: str
    provenance: Provenance


@dataclass(frozen=True)
class Block:
    kind: str
    text: str
    provenance: Provenance
    cells: tuple[Cell, ...] | None = None  # tables only
    level: int | None = None  # headings: 1 for the top level (0 for a Word "Title")

    def __post_init__(self) -> None:
        if self.kind not in BLOCK_KINDS:
            raise ValueError(f"unknown block kind {self.kind!r}")
        if (self.kind == "table") != (self.cells is not None):
            raise ValueError("a table block, and only a table block, has cells")


@dataclass(frozen=True)
class Document:
    format: str  # html, markdown, mineru, docx, doc or pdf
    blocks: tuple[Block, ...]
    meta: dict = field(default_factory=dict)  # reader, charset, title, warnings (tuple of one-line notes) ...

    @property
    def warnings(self) -> tuple[str, ...]:
        return tuple(self.meta.get("warnings", ()))


def table_grid(cells: tuple[Cell, ...] | list[Cell]) -> list[list[Cell | None]]:
    """The table as rows of grid positions: a cell at its first row and column, None
    where a merged cell continues or no cell was given."""
    if not cells:
        return []
    rows = max(c.row + c.rowspan for c in cells)
    cols = max(c.col + c.colspan for c in cells)
    grid: list[list[Cell | None]] = [[None] * cols for _ in range(rows)]
    for cell in cells:
        grid[cell.row][cell.col] = cell
    return grid


def table_text(cells: tuple[Cell, ...] | list[Cell]) -> str:
    """A table's text: one row per line, cells tab-separated, a merged cell's text
    once, in its first row and column (later positions empty: no text is repeated).
    Line breaks and tabs inside a cell become spaces, so a row stays one line."""
    return "\n".join("\t".join(cell_line(c.text) if c else "" for c in row) for row in table_grid(cells))


def tidy_lines(text: str) -> str:
    """Layout white space out of a block's text: each line's indent and trailing space
    (any Unicode space: ASCII, ideographic, en spaces, no-break) dropped, empty lines at
    the ends dropped and runs of them kept as one."""
    kept: list[str] = []
    for line in text.split("\n"):
        line = line.strip()
        if line or (kept and kept[-1]):
            kept.append(line)
    while kept and not kept[-1]:
        kept.pop()
    return "\n".join(kept)


def cell_line(text: str) -> str:
    return text.replace("\t", " ").replace("\n", " ")


def table_block(cells: list[Cell], provenance: Provenance) -> Block:
    cells = tuple(sorted(cells, key=lambda c: (c.row, c.col)))
    return Block("table", table_text(cells), provenance, cells=cells)
