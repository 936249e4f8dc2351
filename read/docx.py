"""Read a Word .docx into a ``Document`` with python-docx.

The body is read in its own order, paragraphs and tables interleaved, by walking the
body element's children (``doc.paragraphs`` then ``doc.tables`` would put every table
after all the text). Content controls (w:sdt) are read through. Headings come from the
paragraph style (Heading N, Title, a style based on one, or an outline level);
numbered or bulleted paragraphs are list items (Word draws their numbers, which are
not text, so they are not added). Merged cells come from w:gridSpan (across) and
w:vMerge (down). Text boxes anchored in a paragraph follow it as paragraphs of their
own; the default header and footer of each section are furniture.

python-docx parses the package's XML with external entities off.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field

from errors import DocumentUnreadable, EmptyInput

from .model import Block, Cell, Document, Provenance, table_block, tidy_lines
from .tables import check_table_cells, compact_columns

MAX_UNPACKED_BYTES = 200_000_000  # a zip bomb guard: a plan's .docx unpacks to a few MB

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"


def w(tag: str) -> str:
    return f"{{{W}}}{tag}"


# Elements whose text is not the paragraph's own: deleted revisions, text boxes (read
# separately), the fallback copy of drawings, field codes.
_SKIPPED = frozenset((w("del"), w("txbxContent"), f"{{{MC}}}Fallback", w("instrText"), w("delText")))


def read_docx(data: bytes, name: str) -> Document:
    check_package(data, name)
    import docx  # python-docx: imported here so other formats do not pay for it

    try:
        word = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises many kinds (bad zip, missing part, bad XML)
        detail = " ".join(str(exc).split())  # one line, whatever the library said
        raise DocumentUnreadable(f"{name}: not a readable Word document ({type(exc).__name__}: {detail})") from None
    check_table_cells(sum(1 for _ in word.element.body.iter(w("tc"))), name)
    reader = _BodyReader(styles=_style_index(word))
    reader.read_children(word.element.body)
    reader.read_furniture(word)
    if not any(b.text.strip() for b in reader.blocks if b.kind != "furniture"):
        raise EmptyInput(f"{name}: the Word document holds no text")
    return Document("docx", tuple(reader.blocks), {"reader": "python-docx", "warnings": ()})


def check_package(data: bytes, name: str) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            infos = package.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise DocumentUnreadable(f"{name}: not a readable Word document (bad ZIP archive: {exc})") from None
    if "word/document.xml" not in {i.filename for i in infos}:
        raise DocumentUnreadable(f"{name}: a ZIP archive without word/document.xml; not a Word .docx")
    if sum(i.file_size for i in infos) > MAX_UNPACKED_BYTES:
        raise DocumentUnreadable(f"{name}: unpacks to more than {MAX_UNPACKED_BYTES // 1_000_000} MB; refused (zip bomb guard)")


@dataclass(frozen=True)
class _Style:
    heading_level: int | None
    is_list: bool


def _style_index(word) -> dict[str, _Style]:
    """Style id -> what it makes a paragraph, following each style's base styles."""
    styles = {s.style_id: s for s in word.styles if s.style_id}
    return {style_id: _style_meaning(style) for style_id, style in styles.items()}


def _style_meaning(style) -> _Style:
    level, is_list, seen = None, False, set()
    while style is not None and style.style_id not in seen:
        seen.add(style.style_id)
        name = (style.name or "").strip().lower()
        level = level if level is not None else heading_level_of_name(name)
        if level is None:
            level = _outline_level(style.element.find(w("pPr")))
        is_list = is_list or name.startswith("list") or style.element.find(f"{w('pPr')}/{w('numPr')}") is not None
        style = getattr(style, "base_style", None)  # numbering styles have none
    return _Style(level, is_list)


def heading_level_of_name(name: str) -> int | None:
    """'heading 2' / '标题 2' -> 2; 'title' / '标题' -> 0."""
    name = name.strip().lower()
    if name in ("title", "标题"):
        return 0
    for prefix in ("heading", "标题"):
        rest = name[len(prefix):].strip() if name.startswith(prefix) else ""
        if rest.isdigit() and 1 <= int(rest) <= 9:
            return int(rest)
    return None


def _outline_level(ppr) -> int | None:
    if ppr is None:
        return None
    outline = ppr.find(w("outlineLvl"))
    value = outline.get(w("val")) if outline is not None else None
    return int(value) + 1 if value is not None and value.isdigit() and int(value) < 9 else None  # 9 = body text


def paragraph_text(p) -> str:
    """A w:p's text: its runs' text, tabs and line breaks, in order; deleted text,
    field codes and text boxes left out. Page breaks are layout, not text."""
    pieces: list[str] = []

    def visit(element) -> None:
        for child in element:
            tag = child.tag
            if tag in _SKIPPED:
                continue
            if tag == w("t"):
                pieces.append(child.text or "")
            elif tag == w("tab"):
                pieces.append("\t")
            elif tag in (w("br"), w("cr")):
                if child.get(w("type")) != "page":
                    pieces.append("\n")
            else:
                visit(child)

    visit(p)
    return "".join(pieces)


def _text_boxes(p) -> list:
    """The paragraphs of the text boxes anchored in ``p`` (each drawing's main copy only)."""
    found = []
    for box in p.iter(w("txbxContent")):
        if any(a.tag == f"{{{MC}}}Fallback" for a in box.iterancestors()):
            continue
        found.extend(box.iter(w("p")))
    return found


@dataclass
class _BodyReader:
    styles: dict[str, _Style]
    blocks: list[Block] = field(default_factory=list)
    paragraphs: int = 0
    tables: int = 0

    def read_children(self, container) -> None:
        for child in container:
            if child.tag == w("p"):
                self.read_paragraph(child)
            elif child.tag == w("tbl"):
                self.read_table(child)
            elif child.tag in (w("sdt"), w("customXml")):
                content = child.find(w("sdtContent")) if child.tag == w("sdt") else child
                if content is not None:
                    self.read_children(content)

    def read_paragraph(self, p) -> None:
        self.paragraphs += 1
        where = f"paragraph {self.paragraphs}"
        kind, level = self.kind_of(p)
        text = tidy_lines(paragraph_text(p))
        if text:
            self.blocks.append(Block(kind, text, Provenance(where), level=level))
        for m, inner in enumerate(_text_boxes(p), start=1):
            text = tidy_lines(paragraph_text(inner))
            if text:
                self.blocks.append(Block("paragraph", text, Provenance(f"{where} text box paragraph {m}")))

    def kind_of(self, p) -> tuple[str, int | None]:
        ppr = p.find(w("pPr"))
        style_el = ppr.find(w("pStyle")) if ppr is not None else None
        style = self.styles.get(style_el.get(w("val")) if style_el is not None else "", _Style(None, False))
        level = _outline_level(ppr)
        level = level if level is not None else style.heading_level
        if level is not None:
            return "heading", level
        num = ppr.find(f"{w('numPr')}/{w('numId')}") if ppr is not None else None
        if (num is not None and num.get(w("val")) != "0") or (num is None and style.is_list):
            return "list_item", None
        return "paragraph", None

    def read_table(self, tbl) -> None:
        self.tables += 1
        name = f"table {self.tables}"
        cells = table_cells(tbl, name)
        if cells:
            self.blocks.append(table_block(cells, Provenance(name)))

    def read_furniture(self, word) -> None:
        for s, section in enumerate(word.sections, start=1):
            for part_name in ("header", "footer"):
                part = getattr(section, part_name)
                if part.is_linked_to_previous:
                    continue
                for n, p in enumerate(part._element.iter(w("p")), start=1):
                    text = tidy_lines(paragraph_text(p))
                    if text:
                        self.blocks.append(Block("furniture", text, Provenance(f"section {s} {part_name} paragraph {n}")))


def table_cells(tbl, name: str) -> list[Cell]:
    """The cells of a w:tbl on its grid: w:gridBefore skips columns, w:gridSpan merges
    across, w:vMerge="continue" extends the cell above down."""
    cells: list[Cell] = []
    open_at: dict[int, int] = {}  # grid column -> index in cells of the cell a vMerge would extend
    for r, tr in enumerate(tbl.iterchildren(w("tr"))):
        col = _grid_before(tr)
        for c, tc in enumerate(tr.iterchildren(w("tc")), start=1):
            tcpr = tc.find(w("tcPr"))
            colspan = _int_val(tcpr.find(w("gridSpan")) if tcpr is not None else None, default=1)
            vmerge = tcpr.find(w("vMerge")) if tcpr is not None else None
            continues = vmerge is not None and vmerge.get(w("val"), "continue") == "continue"
            if continues and col in open_at:
                above = cells[open_at[col]]
                cells[open_at[col]] = Cell(above.row, above.col, r - above.row + 1, above.colspan, above.text, above.provenance)
            else:
                open_at[col] = len(cells)
                where = f"{name} row {r + 1} cell {c}"
                cells.append(Cell(r, col, 1, colspan, _cell_text(tc, where), Provenance(where)))
            col += colspan
    return compact_columns(cells)


def _cell_text(tc, where: str) -> str:
    """A cell's paragraphs (and nested tables' rows) as lines."""
    lines = []
    for child in tc:
        if child.tag == w("p"):
            lines.append(tidy_lines(paragraph_text(child)))
        elif child.tag == w("tbl"):
            nested = table_cells(child, f"{where} table")
            lines.extend(" ".join(c.text.replace("\n", " ") for c in nested if c.row == r) for r in sorted({c.row for c in nested}))
    return "\n".join(line for line in lines if line)


def _grid_before(tr) -> int:
    trpr = tr.find(w("trPr"))
    return _int_val(trpr.find(w("gridBefore")) if trpr is not None else None, default=0)


def _int_val(element, default: int) -> int:
    value = element.get(w("val")) if element is not None else None
    return int(value) if value is not None and value.isdigit() else default
