"""Read a born-digital PDF (a sound text layer) into a ``Document``, from pdfplumber's
characters, rules and images.

A page is seen as regions, in reading order (top to bottom: plans print one column):

- **Ruled tables**: the table's rules are the page's dark lines and dark hairline
  rectangles (white rectangles are backgrounds, not rules); pdfplumber finds the cells
  from them alone (``explicit`` strategy, a small snap tolerance). A cell's row and
  column spans come from where its edges fall on the table's grid, so a merged 类别 cell
  is one cell over its rows. A table a page break cut in two (the next page opens with a
  table of as many columns) is one table.
- **Framed boxes**: two vertical rules with no rule between them, text inside: a 专栏 in
  its frame, a box block whose lines are its paragraphs. A frame left open at the page
  bottom and continued, open at its top, at the top of the next page is one box.
- **Page furniture**: a line in the page's top or bottom band that is a page number
  (``— 4 —``, ``-4-``, ``一1一``, ``4``) or that the band of another page repeats (a
  running header): kept in the model, out of the text view.
- **Images** of at least an inch by a quarter inch: image-region blocks (their OCR is
  ``ocr.pdf_regions``'s); smaller ones are bullets, rules and logos.
- The rest are text lines, joined into paragraphs: a line starts a paragraph when it is
  indented, when the line before it ended short of the right margin, or after a gap. A
  paragraph the page break cut runs on. Lines are joined with nothing between Chinese
  characters and a space between two Latin letters or digits: only white space differs
  from the text layer.

Provenance: ``page 3 bbox 90,76,505,160`` (PDF points from the page's top-left), cells
``page 3 table 1 row 2 col 1 bbox …`` (counted from 1), counting the page a block starts on.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from statistics import median

from errors import DocumentUnreadable

from .markdown import PAGE_NUMBER
from .model import Block, Cell, Document, Provenance, table_block
from .textview import text_view

RULE_MAX_THICKNESS = 2.0  # a filled rectangle thinner than this (points) is a drawn rule
SNAP = 2.0  # rules this close are one rule (hairlines drawn twice, a rectangle's two long edges)
MIN_FRAME_WIDTH = 72.0  # narrower pairs of rules are not a box's frame
INK_LEVEL = 0.75  # a colour darker than this grey level is ink; lighter is a background
BAND_SHARE = 0.08  # the top and bottom 8 % of a page hold its running header and page number
MIN_IMAGE = (72.0, 18.0)  # width, height in points of an image region
MAX_RULES = 2000  # a plan's page draws a few hundred at most; more is a drawing, not a table
# Vertical times horizontal rules (after joining): a plan's largest table page has a few
# hundred crossings; pdfplumber's cell search grows fast with them (10 000: 12 s).
MAX_CROSSINGS = 4000
MAX_FRAME_RULES = 500
_PAGE_NUMBER_ONLY = re.compile(r"^[ \t\u3000]*(?:[—–\-－一]{0,2}[ \t\u3000]*\d{1,4}[ \t\u3000]*[—–\-－一]{0,2}|第[ \t\u3000]*\d{1,4}[ \t\u3000]*页(?:[ \t\u3000]*共[ \t\u3000]*\d{1,4}[ \t\u3000]*页)?)[ \t\u3000]*$")
_LATIN = re.compile(r"[A-Za-z0-9]")
_ITEM_ENDS = ("。", "；", ";", "：", ":", "！", "？")


@dataclass
class Line:
    text: str
    x0: float
    top: float
    x1: float
    bottom: float

    @property
    def size(self) -> float:
        return self.bottom - self.top


@dataclass
class Piece:
    """A region of a page on its way to a block: ``para`` (lines), ``box`` (lines in a
    frame), ``table`` (cells), ``image`` or ``furniture``."""

    kind: str
    page: int
    top: float
    bbox: tuple[float, float, float, float]
    lines: list[Line] = field(default_factory=list)
    cells: list[Cell] = field(default_factory=list)
    open_top: bool = False
    open_bottom: bool = False
    label: str = ""  # an image's: "image 2" (its place in the page's drawing order)
    page_height: float = 0.0
    parts: dict[int, tuple] = field(default_factory=dict)  # page -> bbox of what it prints there

    @property
    def last_page(self) -> int:
        return max(self.parts, default=self.page)

    def take(self, other: "Piece") -> None:
        """``other`` becomes part of this piece (a line of its paragraph, the rest of its box)."""
        self.lines.extend(other.lines)
        bbox = self.parts.get(other.page, other.bbox)
        self.parts[other.page] = (min(bbox[0], other.bbox[0]), min(bbox[1], other.bbox[1]), max(bbox[2], other.bbox[2]), max(bbox[3], other.bbox[3]))


def read_pdf(data: bytes, name: str) -> Document:
    import pdfplumber
    from pdfminer.pdfparser import PDFSyntaxError
    from pdfplumber.utils.exceptions import PdfminerException

    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            pages = [read_page(page.dedupe_chars(), number) for number, page in enumerate(pdf.pages, start=1)]
    except (PdfminerException, PDFSyntaxError, ValueError, KeyError, TypeError) as exc:
        raise DocumentUnreadable(f"{name}: not a readable PDF ({type(exc).__name__})") from None
    mark_furniture(pages)
    pieces = run_on([piece for page in pages for piece in page])
    return Document("pdf", tuple(to_block(piece) for piece in pieces), {"reader": "pdfplumber", "pages": len(pages), "warnings": ()})


# ---------------------------------------------------------------- one page

def read_page(page, number: int) -> list[Piece]:
    height = float(page.height)
    rules = page_rules(page)
    vertical, horizontal = _merged(rules) if len(rules) <= MAX_RULES else ([], [])
    if len(vertical) * len(horizontal) > MAX_CROSSINGS:
        rules, vertical, horizontal = [], [], []  # a drawing or a hostile grid, not a plan's table: its text is read as lines
    tables = [t for t in find_tables(page, rules) if _columns_of(t) >= 2]
    frames = find_frames(vertical, horizontal, [t.bbox for t in tables], number)
    images = [i for i in page.images if i["x1"] - i["x0"] >= MIN_IMAGE[0] and i["bottom"] - i["top"] >= MIN_IMAGE[1]]
    # Characters in a cell or a frame are theirs; one in a gap of an irregular table stays a line.
    taken = [cell for t in tables for cell in t.cells] + [f.bbox for f in frames]
    pieces: list[Piece] = []
    for index, table in enumerate(tables, start=1):
        pieces.append(Piece("table", number, table.bbox[1], table.bbox, cells=table_cells(page, table, number, index)))
    for frame in frames:
        frame.lines = text_lines(page, lambda c, b=frame.bbox: _inside(c, b))
        if frame.lines:
            pieces.append(frame)
    for index, image in enumerate(page.images, start=1):
        if image in images:
            box = (float(image["x0"]), float(image["top"]), float(image["x1"]), float(image["bottom"]))
            pieces.append(Piece("image", number, box[1], box, label=f"image {index}"))
    body = text_lines(page, lambda c: not any(_inside(c, b) for b in taken))
    pieces.extend(Piece("para", number, line.top, (line.x0, line.top, line.x1, line.bottom), lines=[line]) for line in body)
    pieces.sort(key=lambda p: (p.top, p.bbox[0]))
    for piece in pieces:
        piece.bbox = tuple(round(v, 1) for v in piece.bbox)
        piece.page_height = height
        piece.parts = {number: piece.bbox}
    return pieces


def is_ink(color) -> bool:
    """A stroke or fill colour that prints (gray, RGB or CMYK), not a white background."""
    if color is None:
        return True  # the default colour is black
    values = color if isinstance(color, (tuple, list)) else (color,)
    try:
        values = [float(v) for v in values]
    except (TypeError, ValueError):
        return True  # a pattern or a named colour space: count it as ink
    if len(values) == 4:  # CMYK: ink where any component is high
        return max(values) > 1 - INK_LEVEL
    return bool(values) and sum(values) / len(values) < INK_LEVEL


def page_rules(page) -> list[dict]:
    """The page's rules: dark lines, stroked rectangles' sides, dark hairline rectangles."""
    rules = [line for line in page.lines if is_ink(line.get("stroking_color"))]
    for rect in page.rects:
        thin = min(rect["width"], rect["height"]) <= RULE_MAX_THICKNESS
        if rect.get("stroke") and is_ink(rect.get("stroking_color")):
            rules.append(rect)
        elif rect.get("fill") and thin and is_ink(rect.get("non_stroking_color")):
            rules.append(rect)
    return rules


def find_tables(page, rules: list[dict]) -> list:
    if len(rules) < 2:
        return []
    settings = {
        "vertical_strategy": "explicit", "horizontal_strategy": "explicit",
        "explicit_vertical_lines": rules, "explicit_horizontal_lines": rules,
        "snap_tolerance": SNAP, "join_tolerance": SNAP, "intersection_tolerance": SNAP,
    }
    try:
        return page.find_tables(settings)
    except ValueError:  # fewer than two vertical or horizontal rules
        return []


def _columns_of(table) -> int:
    return len(_grid([c[0] for c in table.cells] + [c[2] for c in table.cells]))


def _grid(values: list[float]) -> list[float]:
    """Positions that are one line on the grid: values within SNAP of each other."""
    grid: list[float] = []
    for value in sorted(values):
        if not grid or value - grid[-1] > SNAP:
            grid.append(value)
    return grid


def _index(grid: list[float], value: float) -> int:
    return min(range(len(grid)), key=lambda i: abs(grid[i] - value))


def table_cells(page, table, number: int, index: int) -> list[Cell]:
    """The table's cells on its grid, each with its spans and its text."""
    xs = _grid([c[0] for c in table.cells] + [c[2] for c in table.cells])
    ys = _grid([c[1] for c in table.cells] + [c[3] for c in table.cells])
    cells = []
    for bbox in table.cells:
        col, row = _index(xs, bbox[0]), _index(ys, bbox[1])
        colspan, rowspan = max(1, _index(xs, bbox[2]) - col), max(1, _index(ys, bbox[3]) - row)
        text = cell_text(text_lines(page, lambda c, b=bbox: _inside(c, b)))
        where = f"page {number} table {index} row {row + 1} col {col + 1} bbox {_box(bbox)}"
        cells.append(Cell(row, col, rowspan, colspan, text, Provenance(where)))
    return cells


def cell_text(lines: list[Line]) -> str:
    """A cell's lines: a wrapped line runs on (cells centre their text, so indents say
    nothing); a line after one that ends a sentence or an item starts a new one."""
    groups: list[list[Line]] = []
    for line in lines:
        if groups and not groups[-1][-1].text.rstrip().endswith(_ITEM_ENDS):
            groups[-1].append(line)
        else:
            groups.append([line])
    return "\n".join(join_lines(group) for group in groups)


def find_frames(vertical: list[dict], horizontal: list[dict], tables: list[tuple], number: int) -> list[Piece]:
    """Boxes' frames: two vertical rules over the same span with no vertical rule between
    them, outside every table. A side without a horizontal rule across it is open."""
    if len(vertical) > MAX_FRAME_RULES:
        return []  # a page of hundreds of vertical rules is a drawing
    frames = []
    for left in vertical:
        for right in vertical:
            if right["x0"] - left["x0"] < MIN_FRAME_WIDTH or abs(left["top"] - right["top"]) > SNAP or abs(left["bottom"] - right["bottom"]) > SNAP:
                continue
            x0, x1, top, bottom = left["x0"], right["x0"], max(left["top"], right["top"]), min(left["bottom"], right["bottom"])
            if any(x0 + SNAP < v["x0"] < x1 - SNAP and v["top"] < bottom - SNAP and v["bottom"] > top + SNAP for v in vertical):
                continue  # a rule between: a table's columns, not a frame
            bbox = (x0, top, x1, bottom)
            if any(_overlaps(bbox, t) for t in tables):
                continue
            closed_top = any(abs(h["top"] - top) <= SNAP and h["x0"] <= x0 + SNAP and h["x1"] >= x1 - SNAP for h in horizontal)
            closed_bottom = any(abs(h["top"] - bottom) <= SNAP and h["x0"] <= x0 + SNAP and h["x1"] >= x1 - SNAP for h in horizontal)
            frames.append(Piece("box", number, top, bbox, open_top=not closed_top, open_bottom=not closed_bottom))
            break  # the nearest right rule closes this frame
    # A frame inside another (a box's title in a frame of its own) is part of the outer box.
    return [f for i, f in enumerate(frames)
            if not any(j != i and _contains(g.bbox, f.bbox) and (j < i or not _contains(f.bbox, g.bbox)) for j, g in enumerate(frames))]


def _contains(outer: tuple, inner: tuple) -> bool:
    return outer[0] <= inner[0] + SNAP and outer[1] <= inner[1] + SNAP and inner[2] <= outer[2] + SNAP and inner[3] <= outer[3] + SNAP


def _merged(rules: list[dict]) -> tuple[list[dict], list[dict]]:
    """The rules' vertical and horizontal edges, snapped and joined (pdfplumber's own merge)."""
    from pdfplumber.table import merge_edges
    from pdfplumber.utils import obj_to_edges

    edges = [e for rule in rules for e in obj_to_edges(rule)]
    merged = merge_edges(edges, SNAP, SNAP, SNAP, SNAP)
    vertical = sorted((e for e in merged if e["orientation"] == "v" and e["bottom"] - e["top"] > SNAP), key=lambda e: (e["x0"], e["top"]))
    horizontal = [e for e in merged if e["orientation"] == "h" and e["x1"] - e["x0"] > SNAP]
    return vertical, horizontal


def _overlaps(a: tuple, b: tuple) -> bool:
    return a[0] < b[2] - SNAP and b[0] < a[2] - SNAP and a[1] < b[3] - SNAP and b[1] < a[3] - SNAP


def _inside(char: dict, bbox: tuple) -> bool:
    x, y = (char["x0"] + char["x1"]) / 2, (char["top"] + char["bottom"]) / 2
    return bbox[0] <= x <= bbox[2] and bbox[1] <= y <= bbox[3]


def text_lines(page, keep) -> list[Line]:
    """The text lines (pdfplumber's clustering) of the characters ``keep`` accepts."""
    chosen = page.filter(lambda obj: obj.get("object_type") == "char" and keep(obj))
    lines = []
    for line in chosen.extract_text_lines(return_chars=False):
        if line["text"].strip():
            lines.append(Line(line["text"], float(line["x0"]), float(line["top"]), float(line["x1"]), float(line["bottom"])))
    return lines


# ---------------------------------------------------------------- paragraphs

def paragraphs(lines: list[Line], left: float, right: float) -> list[list[Line]]:
    """Lines grouped into paragraphs: a new one where a line is indented, the line before
    ended short of the right margin, or a gap larger than a line's height opens."""
    groups: list[list[Line]] = []
    for line in lines:
        if groups and not starts_paragraph(groups[-1][-1], line, left, right):
            groups[-1].append(line)
        else:
            groups.append([line])
    return groups


def starts_paragraph(previous: Line, line: Line, left: float, right: float) -> bool:
    size = max(1.0, median([previous.size, line.size]))
    indented = line.x0 > left + 0.8 * size
    short = previous.x1 < right - 1.5 * size
    gap = line.top - previous.bottom > 0.8 * size
    return indented or short or gap


def join_lines(lines: list[Line]) -> str:
    """A paragraph's lines as one: nothing between Chinese characters, a space between
    two Latin letters or digits (white space only: no character is added or lost)."""
    text = ""
    for line in lines:
        piece = line.text.strip()
        if text and piece and _LATIN.match(text[-1]) and _LATIN.match(piece[0]):
            text += " "
        text += piece
    return text


def margins(lines: list[Line]) -> tuple[float, float]:
    """A text column's left and right margins: where most lines start, where the long ones end."""
    if not lines:
        return 0.0, 0.0
    starts = sorted(round(line.x0) for line in lines)
    left = max(set(starts), key=lambda x: (sum(1 for s in starts if abs(s - x) <= 1), -x))
    ends = sorted(line.x1 for line in lines)
    right = ends[int(len(ends) * 0.9)] if len(ends) > 1 else ends[0]
    return float(left), right


# ---------------------------------------------------------------- across pages

def mark_furniture(pages: list[list[Piece]]) -> None:
    """Lines in a page's top or bottom band that are page numbers or repeat across pages."""
    def band(piece: Piece) -> bool:
        height = piece.page_height
        return piece.kind == "para" and (piece.bbox[3] <= height * BAND_SHARE or piece.bbox[1] >= height * (1 - BAND_SHARE))

    def shape(piece: Piece) -> str:
        return re.sub(r"\d+", "#", "".join(piece.lines[0].text.split()))

    seen: dict[str, set[int]] = {}
    for page in pages:
        for piece in page:
            if band(piece):
                seen.setdefault(shape(piece), set()).add(piece.page)
    for page in pages:
        for piece in page:
            if band(piece) and (_is_page_number(piece.lines[0].text) or len(seen[shape(piece)]) >= 2):
                piece.kind = "furniture"


def _is_page_number(text: str) -> bool:
    return bool(PAGE_NUMBER.match(text) or _PAGE_NUMBER_ONLY.match(text))


def run_on(pieces: list[Piece]) -> list[Piece]:
    """Lines into paragraphs, and what a page break cut joined: a paragraph, a box, a table."""
    left, right = margins([p.lines[0] for p in pieces if p.kind == "para"])
    out: list[Piece] = []
    filled: set[int] = set()  # pages where some content has been placed
    for piece in pieces:
        previous = _last_content(out)
        last = out[previous] if previous is not None else None
        first_on_page = piece.kind != "furniture" and piece.page not in filled
        if piece.kind != "furniture":
            filled.add(piece.page)
        if last is not None and _continues(last, piece, first_on_page, left, right):
            if piece.kind == "table":
                rows = max(c.row + c.rowspan for c in last.cells)
                last.cells.extend(Cell(c.row + rows, c.col, c.rowspan, c.colspan, c.text, c.provenance) for c in piece.cells)
            last.take(piece)
            last.open_bottom = piece.open_bottom
            continue
        out.append(piece)
    return out


def _continues(last: Piece, piece: Piece, first_on_page: bool, left: float, right: float) -> bool:
    """``piece`` is more of ``last``: the next line of its paragraph (on its page, or the
    first of the next page), the rest of its box or of its table after a page break."""
    next_page = first_on_page and piece.page == last.last_page + 1
    if piece.kind == "para" and last.kind == "para":
        line, previous = piece.lines[0], last.lines[-1]
        if last.last_page == piece.page:
            return not starts_paragraph(previous, line, left, right)
        size = max(1.0, line.size)
        return next_page and not (line.x0 > left + 0.8 * size or previous.x1 < right - 1.5 * size)
    if piece.kind == "box" and last.kind == "box":
        return next_page and piece.open_top and last.open_bottom
    if piece.kind == "table" and last.kind == "table":
        return next_page and _table_columns(last.cells) == _table_columns(piece.cells)
    return False


def _last_content(out: list[Piece]) -> int | None:
    for index in range(len(out) - 1, -1, -1):
        if out[index].kind != "furniture":
            return index
    return None


def _table_columns(cells: list[Cell]) -> int:
    return max(c.col + c.colspan for c in cells)


# ---------------------------------------------------------------- blocks

def to_block(piece: Piece) -> Block:
    where = "; ".join(f"page {page} bbox {_box(box)}" for page, box in sorted(piece.parts.items()))
    if piece.kind == "table":
        return table_block(piece.cells, Provenance(where))
    if piece.kind == "image":
        return Block("image", "", Provenance(f"page {piece.page} {piece.label} bbox {_box(piece.bbox)}"))
    if piece.kind == "box":
        left, right = piece.bbox[0], piece.bbox[2]
        inner_left = min(line.x0 for line in piece.lines)
        inner_right = max(line.x1 for line in piece.lines)
        text = "\n".join(join_lines(group) for group in paragraphs(piece.lines, max(left, inner_left), min(right, inner_right)))
        return Block("box", text, Provenance(where))
    if piece.kind == "furniture":
        return Block("furniture", piece.lines[0].text.strip(), Provenance(where))
    return Block("paragraph", join_lines(piece.lines), Provenance(where))


def _box(bbox: tuple) -> str:
    return ",".join(f"{v:.0f}" for v in bbox)


# ---------------------------------------------------------------- the scan path's hook

def structured_source(name: str, data: bytes, layer):
    """A sound text layer with nothing to OCR, as the extractors should see it: when the
    reader finds ruled tables or framed boxes, the document's text view (tables one row
    per line, cells tab-separated; a box one line per paragraph), with the document and
    its origin map; otherwise the layer's text (``layer``, a ``SourceText``) as it is."""
    from dataclasses import replace

    document = read_pdf(data, name)
    if not any(block.kind in ("table", "box") for block in document.blocks):
        return layer
    text, origin = text_view(document)
    if sorted("".join(text.split())) != sorted("".join(_without_furniture(layer.text, document).split())):
        return layer  # the reader would lose or add a character (a table's cells may read in another order): the layer as it is
    return replace(layer, encoding="pdf-text-layer:pdfplumber", text=text, format="pdf", document=document, origin=origin)


def _without_furniture(text: str, document: Document) -> str:
    """The layer's text with the furniture lines the reader set apart taken out (one each)."""
    lines = text.split("\n")
    for block in document.blocks:
        if block.kind == "furniture":
            for i, line in enumerate(lines):
                if "".join(line.split()) == "".join(block.text.split()):
                    del lines[i]
                    break
    return "\n".join(lines)
