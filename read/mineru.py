"""Read MinerU's ``content_list.json`` (its structured output) into a ``Document``.

The file is a JSON list of items in reading order, each with a ``type`` and the page it
is on (``page_idx``, from 0):

- ``text``: a heading when ``text_level`` is 1 or more, else a paragraph;
- ``list``: its ``list_items``, one list item each;
- ``table``: ``table_caption`` lines, the table from ``table_body`` (HTML, read by the
  HTML reader's builder: cells keep their rowspan/colspan), then ``table_footnote``
  lines; a table with no body (kept only as a picture) is an image region;
- ``image``: an image region (its OCR is not this reader's), with its caption lines;
- ``equation``: its text, LaTeX unwrapped where ``read.markdown.unwrap_latex`` knows it;
- ``page_number``, ``header``, ``footer`` (and a ``text`` item that is only a page
  number such as ``— 4 —``): page furniture, kept in the model, out of the text view.

Every block's provenance names its item: ``content_list[12] page_idx 3`` (the item's
index in the list and its page as MinerU counts them, from 0). A table that a page
break cut in two (two table items with only furniture between them, the second on a
later page, without a caption, with the same number of columns) is one table.
"""

from __future__ import annotations

import json
import re

from errors import DocumentUnreadable

from .markdown import PAGE_NUMBER, _unwrap_latex
from .sniff import is_item_list
from .model import Block, Document, Provenance, table_block, tidy_lines
from .tables import check_table_cells

FURNITURE_TYPES = ("page_number", "header", "footer")
_HTML_CELL = re.compile(r"<t[dh][\s>/]", re.IGNORECASE)


def read_mineru(data: bytes, name: str) -> Document:
    items = _load(data, name)
    check_table_cells(sum(len(_HTML_CELL.findall(str(item.get("table_body") or ""))) for item in items), name)
    builder = _Builder(name)
    for index, item in enumerate(items):
        builder.read_item(index, item)
    blocks = merge_split_tables(builder.blocks, builder.table_items)
    meta = {"reader": "content_list", "charset": "utf-8", "latex": tuple(builder.latex), "warnings": tuple(builder.warnings)}
    return Document("mineru", tuple(blocks), meta)


def _load(data: bytes, name: str) -> list[dict]:
    try:
        items = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise DocumentUnreadable(f"{name}: not UTF-8; a MinerU content_list.json is UTF-8 JSON") from None
    except (ValueError, RecursionError) as exc:
        raise DocumentUnreadable(f"{name}: not a MinerU content_list.json ({str(exc).splitlines()[0][:80]})") from None
    if not is_item_list(items):
        raise DocumentUnreadable(f"{name}: not a MinerU content_list.json (a JSON list of items with type and page_idx)")
    return items


def _page(item: dict) -> int | None:
    page = item.get("page_idx")
    return page if isinstance(page, int) and not isinstance(page, bool) else None


def _strings(value) -> list[str]:
    """A field that holds a string or a list of strings (captions, footnotes, list items)."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [v for v in value if isinstance(v, str)]
    return []


class _Builder:
    def __init__(self, name: str) -> None:
        self.name = name
        self.blocks: list[Block] = []
        self.table_items: dict[int, tuple[int, int | None, bool]] = {}  # block index -> (item, page, has caption)
        self.warnings: list[str] = []
        self.latex: list[tuple[str, str, str]] = []  # (where, fragment, text)

    def provenance(self, index: int, item: dict, part: str = "") -> Provenance:
        return Provenance(f"content_list[{index}]{part} page_idx {_page(item)}")

    def text(self, raw: str, where: Provenance) -> str:
        """An item's text: LaTeX fragments unwrapped (recorded), layout white space dropped."""
        record: list = []
        lines = [_unwrap_latex(line, 0, record) for line in raw.replace("\r\n", "\n").split("\n")]
        self.latex.extend((where.where, fragment, text) for _, fragment, text in record)
        return tidy_lines("\n".join(lines).replace("\u00a0", " "))

    def add(self, kind: str, raw: str, where: Provenance, level: int | None = None) -> None:
        text = self.text(raw, where)
        if text:
            self.blocks.append(Block(kind, text, where, level=level))

    def read_item(self, index: int, item: dict) -> None:
        kind = item["type"]
        where = self.provenance(index, item)
        if kind in FURNITURE_TYPES:
            text = " ".join(_strings(item.get("text")) or _strings(item.get("content"))).strip()
            self.blocks.append(Block("furniture", text, where))
        elif kind == "text":
            text = " ".join(_strings(item.get("text")))
            level = item.get("text_level")
            if PAGE_NUMBER.match(text):
                self.blocks.append(Block("furniture", text.strip(), where))
            elif isinstance(level, int) and not isinstance(level, bool) and level >= 1:
                self.add("heading", text, where, level)
            else:
                self.add("paragraph", text, where)
        elif kind == "list":
            for n, entry in enumerate(_strings(item.get("list_items"))):
                self.add("list_item", entry, self.provenance(index, item, f".list_items[{n}]"))
        elif kind == "table":
            self.read_table(index, item)
        elif kind == "image":
            self.blocks.append(Block("image", str(item.get("img_path") or ""), where))
            for field in ("image_caption", "img_caption", "image_footnote", "img_footnote"):
                for n, line in enumerate(_strings(item.get(field))):
                    self.add("paragraph", line, self.provenance(index, item, f".{field}[{n}]"))
        elif kind == "equation":
            self.add("paragraph", _unfence(" ".join(_strings(item.get("text")))), where)
        else:  # code, page_footnote, aside_text, a type added later: its text is the document's
            text = "\n".join(_strings(item.get("text")) + _strings(item.get("code_body")) + _strings(item.get("list_items")))
            if text.strip():
                self.add("paragraph", text, where)
            elif kind != "discarded":
                self.warnings.append(f"{where.where}: an item of type {kind!r} with no text was left out")

    def read_table(self, index: int, item: dict) -> None:
        captions = _strings(item.get("table_caption"))
        for n, line in enumerate(captions):
            self.add("paragraph", line, self.provenance(index, item, f".table_caption[{n}]"))
        body = str(item.get("table_body") or "")
        table = self.html_table(body, self.provenance(index, item, ".table_body")) if "<t" in body.lower() else None
        if table is None:
            self.blocks.append(Block("image", str(item.get("img_path") or ""), self.provenance(index, item)))
        else:
            self.table_items[len(self.blocks)] = (index, _page(item), bool(captions))
            self.blocks.append(table)
        for n, line in enumerate(_strings(item.get("table_footnote"))):
            self.add("paragraph", line, self.provenance(index, item, f".table_footnote[{n}]"))

    def html_table(self, body: str, where: Provenance) -> Block | None:
        """The first table of ``table_body``, cells with their spans (the HTML reader's builder)."""
        from .html import _Builder as HtmlBuilder, _body, _Source
        from .htmlsource import element_offsets, parse_html

        record: list = []
        body = "\n".join(_unwrap_latex(line, 0, record) for line in body.split("\n"))
        self.latex.extend((where.where, fragment, text) for _, fragment, text in record)
        root = parse_html(body, self.name)
        html = HtmlBuilder(_Source(root, element_offsets(root, body), within=where.where))
        html.read_container(_body(root))
        self.warnings.extend(html.warnings)
        tables = [b for b in html.blocks if b.kind == "table"]
        if not tables:
            return None
        if len(tables) > 1 or len(html.blocks) > 1:
            self.warnings.append(f"{where.where}: only its first table was read ({len(html.blocks)} blocks in the HTML)")
        table = tables[0]
        return table_block(list(table.cells), Provenance(where.where))


def _unfence(text: str) -> str:
    """An interline formula's ``$$ … $$`` as an inline fragment, for the LaTeX unwrapping."""
    inner = text.strip()
    if inner.startswith("$$") and inner.endswith("$$") and len(inner) > 4:
        return f"${inner[2:-2].strip()}$"
    return text


def merge_split_tables(blocks: list[Block], tables: dict[int, tuple[int, int | None, bool]]) -> list[Block]:
    """A table that runs on after a page break is one table: the later part (the next
    table item, on a later page, without a caption, with as many columns, only page
    furniture between) has its rows put under the first part's."""
    out: list[Block] = []
    open_table: tuple[int, int | None] | None = None  # (index in out, page of its last part)
    for index, block in enumerate(blocks):
        part = tables.get(index)
        if part is not None and open_table is not None:
            at, page = open_table
            _, this_page, captioned = part
            if not captioned and page is not None and this_page is not None and this_page > page and _columns(out[at]) == _columns(block):
                out[at] = _joined(out[at], block)
                open_table = (at, this_page)
                continue
        if part is not None:
            out.append(block)
            open_table = (len(out) - 1, part[1])
        elif block.kind == "furniture" and open_table is not None:
            out.append(block)
        else:
            out.append(block)
            open_table = None
    return out


def _joined(first: Block, second: Block) -> Block:
    rows = max(c.row + c.rowspan for c in first.cells)
    moved = [type(c)(c.row + rows, c.col, c.rowspan, c.colspan, c.text, c.provenance) for c in second.cells]
    return table_block(list(first.cells) + moved, first.provenance)


def _columns(block: Block) -> int:
    return max(c.col + c.colspan for c in block.cells)
