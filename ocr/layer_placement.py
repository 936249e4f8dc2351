"""Where each line of a garbled text extract sits on the printed pages it came from.

A broken PDF's invisible text layer holds each garbled glyph where its printed glyph
is: a line of the layer lies on the printed line it was extracted from, its glyphs
spread over that line. The stand-in scan (``ocr.standin``) is typeset from golden/, so
it knows where every golden line is printed (the truth regions of ``ocr.typeset``);
this module aligns the garbled extract with those lines character by character and
says where each garbled line goes:

- a line whose text the alignment finds in a printed line (a run of at least
  ``MIN_RUN`` agreeing characters) sits on the first printed line it matches, spread
  over that line (a table row: each cell over its printed cell);
- a line the alignment does not find (residue of lost body text, sidebar fragments),
  or one whose printed line is taken, goes into the free space between its
  neighbours, in the right-hand margin, in small type;
- lines follow the extract's order down the pages, and a blank line of the extract is
  a gap of more than ``BLANK_GAP`` heights of the smaller neighbour (what
  ``ocr.pdf_regions`` reads back as a blank line), no blank line a smaller one.

Coordinates are PDF points from the page's top-left corner.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from rapidfuzz.distance import Levenshtein

MIN_RUN = 3  # agreeing characters in a row that place a line on a printed line
TABLE_SIZE_PT = 10.5
BLANK_GAP = 1.0  # a vertical gap above this many line heights reads as a blank line (ocr.pdf_regions)
NEAR_GAP = 0.3  # the gap between margin lines with no blank line between them
BLANK_SEP = 1.3  # the gap between margin lines with a blank line between them
MAX_MARGIN_SIZE_PT = 7.0
MIN_SIZE_PT = 0.2
MARGIN_LEFT_PT = 526.0  # right of the text block (28 + 156 mm)
MARGIN_RIGHT_PT = 583.0  # the page's right edge (A4, 595 pt) less a small margin
CELL_GAP = 1.0  # between the cells of a tabbed line in the margin, in type sizes (a tab when read back)
PAGE_EDGE_PT = 12.0  # margin lines keep this far from the page's top and bottom edges


@dataclass(frozen=True)
class PrintedLine:
    """A line golden prints: its text (table cells joined by tabs) and where."""

    page: int
    top: float
    bottom: float
    size: float  # type size in points
    text: str
    cells: tuple[tuple[float, float], ...]  # x range of each tab-separated segment


@dataclass(frozen=True)
class LayerLine:
    """One garbled line placed on a page: its cells and the x range each is spread over."""

    number: int  # 1-based line of the extract
    page: int
    baseline: float  # points from the top
    size: float
    cells: tuple[tuple[str, float, float], ...]  # text, x0, x1
    anchored: bool  # on the printed line it matches (False: in the margin)


# ---------------------------------------------------------------- printed lines from the truth

def printed_lines(truth_pages: list[dict], dpi: float) -> list[PrintedLine]:
    """Every printed line in reading order (title, table rows, box headers and lines)."""
    scale = 72.0 / dpi
    out: list[PrintedLine] = []
    for page in truth_pages:
        for region in page["regions"]:
            kind = region["kind"]
            if kind == "title":
                out.append(_text_line(page["page"], region, scale))
            elif kind == "text":
                out.extend(_text_line(page["page"], line, scale) for line in region["lines"])
            elif kind == "table":
                out.extend(_table_rows(page["page"], region, scale))
    return out


def _text_line(page: int, line: dict, scale: float) -> PrintedLine:
    x0, top, x1, bottom = (v * scale for v in line.get("bbox_scanned", line["bbox"]))
    _, t, _, b = (v * scale for v in line["bbox"])
    middle = (top + bottom) / 2
    size = max(1.0, b - t) / 0.95  # a CJK glyph's ink is about 0.95 em tall
    return PrintedLine(page, middle - size / 2, middle + size / 2, size, line["text"], ((x0, x1),))


def _table_rows(page: int, table: dict, scale: float) -> list[PrintedLine]:
    rows: dict[int, list[dict]] = {}
    for cell in table["cells"]:
        rows.setdefault(cell["row"], []).append(cell)
    out = []
    for _, cells in sorted(rows.items()):
        cells.sort(key=lambda c: c["col"])
        boxes = [[v * scale for v in c.get("bbox_scanned", c["bbox"])] for c in cells]
        middle = sum((b[1] + b[3]) / 2 for b in boxes) / len(boxes)
        out.append(PrintedLine(page, middle - TABLE_SIZE_PT / 2, middle + TABLE_SIZE_PT / 2, TABLE_SIZE_PT,
                               "\t".join(c["text"] for c in cells), tuple((b[0], b[2]) for b in boxes)))
    return out


# ---------------------------------------------------------------- alignment

def anchors(lines: list[str], printed: list[PrintedLine]) -> list[tuple[int, list[int | None]] | None]:
    """Per garbled line: (index of the printed line it sits on, per tab-separated cell the
    printed cell its characters match or None), or None for a line matched nowhere."""
    stream, owner = [], []  # the printed text in reading order; per character (line, cell)
    for index, line in enumerate(printed):
        for cell, text in enumerate(line.text.split("\t")):
            if cell:
                stream.append("\t")
                owner.append((index, None))
            stream.append(text)
            owner.extend((index, cell) for _ in text)
        stream.append("\n")
        owner.append((index, None))
    garbled = "\n".join(lines)
    matched: list = [None] * len(garbled)
    for op in Levenshtein.opcodes(garbled, "".join(stream)):
        if op.tag == "equal" and op.src_end - op.src_start >= MIN_RUN:
            for k in range(op.src_end - op.src_start):
                matched[op.src_start + k] = owner[op.dest_start + k]
    out, start = [], 0
    for line in lines:
        hits = [m for m, c in zip(matched[start:start + len(line)], line) if m is not None and not c.isspace()]
        cells = []
        position = start
        for cell in line.split("\t"):
            found = [m[1] for m in matched[position:position + len(cell)] if m is not None and m[1] is not None]
            cells.append(max(set(found), key=found.count) if found else None)
            position += len(cell) + 1
        out.append((hits[0][0], _same_text_cells(line.split("\t"), cells, printed[hits[0][0]])) if hits else None)
        start += len(line) + 1
    return out


def _same_text_cells(texts: list[str], cells: list[int | None], printed: PrintedLine) -> list[int | None]:
    """Cells the alignment left unmatched (too short for a run: `指 标`) matched to the
    printed cell of the same text but for spaces, where that keeps the cells' order."""
    printed_texts = ["".join(t.split()) for t in printed.text.split("\t")]
    out = list(cells)
    for i, (text, cell) in enumerate(zip(texts, cells)):
        plain = "".join(text.split())
        if cell is not None or not plain or plain not in printed_texts:
            continue
        found = printed_texts.index(plain)
        before = [c for c in out[:i] if c is not None]
        after = [c for c in out[i + 1:] if c is not None]
        if (not before or before[-1] < found) and (not after or found < after[0]):
            out[i] = found
    return out


# ---------------------------------------------------------------- placing

def place_lines(lines: list[str], printed: list[PrintedLine], page_height: float, ascent: float = 0.88,
                descent: float = 0.12) -> list[LayerLine]:
    """Every non-empty garbled line placed on a page (``ascent``/``descent``: the layer
    font's, per point of type size)."""
    found = anchors(lines, printed)
    blank_before = _blank_before(lines)
    # A line keeps its printed line only in reading order and while that line is free.
    # A line the extract runs on from the one before (no blank line between) sits on the
    # printed line after that one's, so the two read back as neighbours.
    taken, last, previous = set(), -1, None
    slots: list[PrintedLine | None] = []
    cell_map: list[list[int | None]] = []
    for index, (line, hit) in enumerate(zip(lines, found)):
        target = hit[0] if hit else None
        if (target is not None and previous is not None and not blank_before[index] and "\t" not in line
                and target > previous + 1 and previous + 1 not in taken and printed[previous + 1].page == printed[previous].page):
            target = previous + 1
        if line.strip():
            previous = None
        if not line.strip() or target is None or target in taken or target < last:
            slots.append(None)
            cell_map.append([])
            continue
        taken.add(target)
        last = previous = target
        slot = printed[target]
        if hit and target != hit[0]:
            # On the printed line after its neighbour's (a short line: the rest of a
            # paragraph cut by lost text), spread as wide as the line it matched.
            slot = replace(slot, cells=((slot.cells[0][0], max(slot.cells[-1][1], printed[hit[0]].cells[-1][1])),))
        slots.append(slot)
        cell_map.append(hit[1])
    placed: list[LayerLine] = []
    index = 0
    while index < len(lines):
        if not lines[index].strip():
            index += 1
            continue
        if slots[index] is not None:
            placed.append(_on_printed_line(index, lines[index], slots[index], cell_map[index], descent))
            index += 1
            continue
        run = [index]
        index += 1
        while index < len(lines) and slots[index] is None:
            if lines[index].strip():
                run.append(index)
            index += 1
        after = (index, slots[index]) if index < len(lines) else None
        placed.extend(_in_margin(run, lines, blank_before, placed[-1] if placed else None, after,
                                 page_height, ascent, descent))
    return placed


def _blank_before(lines: list[str]) -> list[bool]:
    """Per line: an empty line stands between it and the last non-empty line before it."""
    out, blank = [], False
    for line in lines:
        out.append(blank)
        blank = not line.strip() and (blank or bool(out))
        if line.strip():
            blank = False
    return out


def _on_printed_line(index: int, line: str, printed: PrintedLine, cells: list[int | None], descent: float) -> LayerLine:
    baseline = printed.bottom - descent * printed.size
    texts = line.split("\t")
    if len(printed.cells) == 1 or len(texts) == 1:
        x0, x1 = printed.cells[0][0], printed.cells[-1][1]
        return LayerLine(index + 1, printed.page, baseline, printed.size, ((line, x0, x1),), True)
    return LayerLine(index + 1, printed.page, baseline, printed.size, _table_cells(texts, cells, printed), True)


def _table_cells(texts: list[str], cells: list[int | None], printed: PrintedLine):
    """Each garbled cell over the printed cell it matches, in order; a cell matched
    nowhere (an attribute copied onto the next row) left of the next one."""
    pad = 4.0
    out, right = [], 0.0
    for position, (text, cell) in enumerate(zip(texts, cells)):
        if not text.strip():
            continue
        if cell is not None and printed.cells[cell][0] + pad >= right:
            x0, x1 = printed.cells[cell][0] + pad, printed.cells[cell][1] - pad
        else:
            following = [printed.cells[c][0] for c in cells[position + 1:] if c is not None]
            end = following[0] - pad if following else right + pad + len(text) * printed.size
            x0, x1 = max(right + pad, end - len(text) * printed.size), end
        out.append((text, x0, x1))
        right = x1
    return tuple(out)


def _in_margin(run: list[int], lines: list[str], blank_before: list[bool], before: LayerLine | None,
               after: tuple[int, PrintedLine] | None, page_height: float, ascent: float, descent: float) -> list[LayerLine]:
    """The lines of ``run`` in small type in the right margin, between the line placed
    before them and the printed line after them (over a page break when that is on a
    later page)."""
    if before is None and after is None:
        return []
    spaces = []  # (page, top, bottom, size of the line above or None, size of the line below or None)
    next_line = after[1] if after else None
    blank_after = blank_before[after[0]] if after else False
    first_page = before.page if before else 1
    last_page = next_line.page if next_line else before.page
    for page in range(first_page, last_page + 1):
        top, above = PAGE_EDGE_PT, None
        bottom, below = page_height - PAGE_EDGE_PT, None
        if before is not None and page == before.page:
            top, above = before.baseline + descent * before.size, before.size
        if next_line is not None and page == next_line.page:
            bottom, below = next_line.top, next_line.size
        spaces.append((page, top, bottom, above, below))
    total = sum(max(0.0, space[2] - space[1]) for space in spaces) or 1.0
    out, done = [], 0
    for number, (page, top, bottom, above, below) in enumerate(spaces):
        share = len(run) - done if number == len(spaces) - 1 else round(len(run) * max(0.0, bottom - top) / total)
        chunk = run[done:done + share]
        done += share
        if not chunk:
            continue
        first_gap = BLANK_SEP if above and blank_before[chunk[0]] else NEAR_GAP
        last_gap = BLANK_SEP if below and blank_after else NEAR_GAP
        out.extend(_stack(chunk, lines, blank_before, page, top, bottom, first_gap, last_gap, ascent))
    return out


def _stack(chunk: list[int], lines: list[str], blank_before: list[bool], page: int, top: float, bottom: float,
           first_gap: float, last_gap: float, ascent: float) -> list[LayerLine]:
    """Lines stacked down [top, bottom], the gaps (in type sizes) saying where the extract
    has blank lines: what reads back as a blank line is measured against the smaller of
    two neighbouring lines, so small type fits between the lines of a page."""
    gaps = [first_gap] + [BLANK_SEP if blank_before[i] else NEAR_GAP for i in chunk[1:]]
    units = sum(1 + g for g in gaps) + last_gap
    size = max(MIN_SIZE_PT, min(MAX_MARGIN_SIZE_PT, (bottom - top) / units))
    y = top
    out = []
    for i, gap in zip(chunk, gaps):
        y += gap * size
        out.append(LayerLine(i + 1, page, y + ascent * size, size, _margin_cells(lines[i], size), False))
        y += size
    return out


def _margin_cells(line: str, size: float) -> tuple[tuple[str, float, float], ...]:
    """A margin line's cells at their natural width (a character a type size wide), a
    gap between cells, ending at the page's right margin when the line is too long to
    start at the margin."""
    cells = [cell for cell in line.split("\t") if cell]
    width = sum(len(cell) for cell in cells) * size + CELL_GAP * size * (len(cells) - 1)
    x = min(MARGIN_LEFT_PT, MARGIN_RIGHT_PT - width)
    out = []
    for cell in cells:
        out.append((cell, x, x + len(cell) * size))
        x += (len(cell) + CELL_GAP) * size
    return tuple(out)
