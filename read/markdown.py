"""Read Markdown (a crawler's page as Markdown, MinerU's output) into a ``Document``.

Parsed by markdown-it-py (CommonMark with pipe tables); each block's provenance is its
line in the file (``line 12``, counted from 1) and ``offset`` the character offset of
that line in the decoded text.

- Headings (``#`` and setext), paragraphs, list items (an ordered item keeps its
  printed number: ``1.``), fenced and indented code as paragraphs of their text.
- Pipe tables: cells on the grid (``read.tables``). HTML inside Markdown (MinerU
  writes its tables as ``<table>`` with rowspan/colspan) is read by the HTML reader's
  own builder (``read.html``): tables keep their spans; its blocks' ``within`` names
  the Markdown line the HTML starts on. A table that a page break cut in two (two
  tables with the same number of columns, nothing but page furniture between them)
  is one table.
- LaTeX fragments (``$17\\%$``, ``$\\mathrm{SF}_6$``) are unwrapped to their text
  (``17%``, ``SF6``): markup commands and braces go, escaped characters and a few
  named symbols (``\\geq`` ≥, ``\\times`` ×) are their character; a fragment holding
  anything else is left as written. Each unwrapping is recorded in
  ``meta["latex"]`` (line, fragment, text).
- Page-number lines (``— 4 —``, ``- 12 -``, ``一1一``) are page furniture: kept in
  the model, out of the text view; a paragraph that a page number interrupts is read
  as one.

Emphasis marks, link targets and HTML tags other than ``<br>`` are markup, not text.
"""

from __future__ import annotations

import re

from markdown_it import MarkdownIt

from .decode import decode_text
from .model import Block, Document, Provenance, table_block, tidy_lines
from .tables import RawCell, check_table_cells, place_cells

PAGE_NUMBER = re.compile(r"^[ \t\u3000]*(?:[—–\-－一]{1,2}[ \t\u3000]*\d{1,4}[ \t\u3000]*[—–\-－一]{1,2}|第[ \t\u3000]*\d{1,4}[ \t\u3000]*页)[ \t\u3000]*$")
_LATEX = re.compile(r"\$(?!\s)([^$\n]{1,120}?)(?<!\s)\$")
_ESCAPED = {"%": "%", "&": "&", "$": "$", "_": "_", "#": "#", "{": "{", "}": "}"}
_SYMBOLS = {
    "geq": "≥", "ge": "≥", "leq": "≤", "le": "≤", "times": "×", "pm": "±", "sim": "~", "cdot": "·",
    "circ": "°", "degree": "°", "approx": "≈", "neq": "≠", "div": "÷", "%": "%",
}
_WRAPPERS = {"mathrm", "text", "textrm", "mathbf", "textbf", "mathit", "textit", "operatorname", "rm", "bf", "mathsf", "left", "right", "displaystyle"}
_COMMAND = re.compile(r"\\([A-Za-z]+|.)")
_HTML_CELL = re.compile(r"<t[dh][\s>/]", re.IGNORECASE)
_BR = re.compile(r"^<br\s*/?>$", re.IGNORECASE)


def read_markdown(data: bytes, name: str) -> Document:
    text, charset = decode_text(name, data)  # UTF-8, GB18030 ...: as a text extract is decoded
    # Refused before parsing, as the HTML reader does: all its HTML and pipe tables' cells together.
    check_table_cells(len(_HTML_CELL.findall(text)) + sum(line.count("|") for line in text.split("\n") if line.lstrip().startswith("|")), name)
    starts = _line_starts(text)
    lines = text.split("\n")
    furniture: list[Block] = []
    kept: list[int] = []  # parsed line -> line in the file (from 0)
    for number, line in enumerate(lines):
        if PAGE_NUMBER.match(line):
            furniture.append(Block("furniture", line.strip(), Provenance(f"line {number + 1}", starts[number])))
        else:
            kept.append(number)
    latex: list[tuple[int, str, str]] = []
    parsed = "\n".join(_unwrap_latex(lines[n], n + 1, latex) for n in kept)
    builder = _Builder(name, kept, starts)
    builder.walk(MarkdownIt("commonmark").enable("table").parse(parsed))
    blocks = _merge_split_tables(_in_line_order(builder.blocks, furniture))
    meta = {"reader": "markdown-it-py", "charset": charset, "latex": tuple(latex), "warnings": tuple(builder.warnings)}
    return Document("markdown", tuple(blocks), meta)


def unwrap_latex(fragment: str) -> str | None:
    """A LaTeX fragment's text (without its ``$``), or None when it holds a command this
    does not know (then it is left as written)."""
    out: list[str] = []
    position = 0
    for match in _COMMAND.finditer(fragment):
        out.append(fragment[position : match.start()])
        position = match.end()
        command = match.group(1)
        if command in _ESCAPED:
            out.append(_ESCAPED[command])
        elif command in _SYMBOLS:
            out.append(_SYMBOLS[command])
        elif command in _WRAPPERS:
            pass
        elif command in (",", ";", ":", "!", " "):
            pass  # LaTeX spacing
        else:
            return None
    out.append(fragment[position:])
    text = "".join(out)
    text = re.sub(r"[_^{}]", "", text)  # sub- and superscripts flattened, groups opened
    text = re.sub(r"\s+", "", text)  # math mode prints no spaces
    return text or None


def _unwrap_latex(line: str, number: int, record: list) -> str:
    def replace(match: re.Match) -> str:
        inner = match.group(1)
        if not re.search(r"[\\_^{}]", inner) and not re.fullmatch(r"[\d.,%\s]+", inner):
            return match.group(0)  # $ as a currency sign, not mathematics
        text = unwrap_latex(inner)
        if text is None:
            return match.group(0)
        record.append((number, match.group(0), text))
        return text

    return _LATEX.sub(replace, line) if "$" in line else line


def _line_starts(text: str) -> list[int]:
    starts, offset = [], 0
    for line in text.split("\n"):
        starts.append(offset)
        offset += len(line) + 1
    return starts


class _Builder:
    def __init__(self, name: str, kept: list[int], starts: list[int]) -> None:
        self.name = name
        self.kept = kept
        self.starts = starts
        self.blocks: list[Block] = []
        self.warnings: list[str] = []

    def provenance(self, token_map) -> Provenance:
        number = self.kept[token_map[0]] if token_map and token_map[0] < len(self.kept) else (self.kept[-1] if self.kept else 0)
        return Provenance(f"line {number + 1}", self.starts[number] if number < len(self.starts) else None)

    def walk(self, tokens) -> None:
        stack: list[str] = []  # open containers: heading, list_item, table ...
        marker: str | None = None  # an ordered item's printed number, for its first text
        heading_level = None
        table_rows: list[list[RawCell]] | None = None
        table_map = None
        for token in tokens:
            kind = token.type
            if kind.endswith("_open"):
                stack.append(kind[: -len("_open")])
                if kind == "heading_open":
                    heading_level = int(token.tag[1:])
                elif kind == "list_item_open" and token.info:
                    marker = f"{token.info}{token.markup}"
                elif kind == "table_open":
                    table_rows, table_map = [], token.map
                elif kind == "tr_open" and table_rows is not None:
                    table_rows.append([])
            elif kind.endswith("_close"):
                if stack:
                    stack.pop()
                if kind == "table_close" and table_rows is not None:
                    cells, warnings = place_cells(table_rows, f"table at {self.provenance(table_map).where}")
                    self.warnings.extend(warnings)
                    if cells:
                        self.blocks.append(table_block(cells, self.provenance(table_map)))
                    table_rows = None
            elif kind == "inline":
                text = inline_text(token.children or [])
                if table_rows is not None and ("th" in stack or "td" in stack):
                    if table_rows:
                        table_rows[-1].append(RawCell(text.strip(), 1, 1, self.provenance(token.map or table_map)))
                    continue
                if "heading" in stack:
                    self._add("heading", text, token.map, heading_level)
                elif "list_item" in stack:
                    if marker:
                        text, marker = f"{marker} {text}", None
                    self._add("list_item", text, token.map)
                elif _only_image(token.children or []):
                    image = next(c for c in token.children if c.type == "image")
                    self.blocks.append(Block("image", image.content.strip(), self.provenance(token.map)))
                else:
                    self._add("paragraph", text, token.map)
            elif kind in ("fence", "code_block"):
                self._add("paragraph", token.content, token.map)
            elif kind == "html_block":
                self._html(token.content, token.map)

    def _add(self, kind: str, text: str, token_map, level: int | None = None) -> None:
        text = tidy_lines(text.replace("\u00a0", " "))
        if text:
            self.blocks.append(Block(kind, text, self.provenance(token_map), level=level))

    def _html(self, fragment: str, token_map) -> None:
        """HTML inside the Markdown, read by the HTML reader's builder: tables keep their spans."""
        from .html import _Builder as HtmlBuilder, _Source, _body
        from .htmlsource import element_offsets, parse_html

        if not fragment.strip():
            return
        root = parse_html(fragment, self.name)
        check_table_cells(sum(1 for _ in root.iter("td", "th")), self.name)
        line = self.provenance(token_map)
        html = HtmlBuilder(_Source(root, element_offsets(root, fragment), within=f"HTML at {line.where}"))
        html.read_container(_body(root))
        self.warnings.extend(html.warnings)
        self.blocks.extend(html.blocks)


def inline_text(children) -> str:
    """An inline run's text: emphasis marks and link targets dropped, <br> a line break,
    other inline HTML tags dropped."""
    pieces = []
    for child in children:
        if child.type in ("text", "code_inline"):
            pieces.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            pieces.append("\n")
        elif child.type == "html_inline":
            if _BR.match(child.content.strip()):
                pieces.append("\n")
        elif child.type == "image":
            pieces.append(child.content)
    return "".join(pieces)


def _only_image(children) -> bool:
    seen = [c for c in children if not (c.type == "text" and not c.content.strip()) and c.type != "softbreak"]
    return len(seen) == 1 and seen[0].type == "image"


def _line_of(block: Block) -> int:
    """A block's line in the file (HTML blocks: the line their HTML starts on)."""
    where = block.provenance.within or block.provenance.where
    match = re.search(r"line (\d+)", where)
    return int(match.group(1)) if match else 0


def _in_line_order(blocks: list[Block], furniture: list[Block]) -> list[Block]:
    """The parsed blocks with the page furniture put back where it stood (a stable merge:
    parsed blocks keep their order)."""
    out: list[Block] = []
    next_furniture = 0
    for block in blocks:
        while next_furniture < len(furniture) and _line_of(furniture[next_furniture]) < _line_of(block):
            out.append(furniture[next_furniture])
            next_furniture += 1
        out.append(block)
    return out + furniture[next_furniture:]


def _merge_split_tables(blocks: list[Block]) -> list[Block]:
    """A table continued after a page break (the same number of columns, only page
    furniture between the parts) is one table: the second part's rows follow the first's."""
    out: list[Block] = []
    for block in blocks:
        previous = _last_table_before(out)
        if block.kind == "table" and previous is not None and _columns(out[previous]) == _columns(block):
            first = out[previous]
            rows = max(c.row + c.rowspan for c in first.cells)
            moved = [type(c)(c.row + rows, c.col, c.rowspan, c.colspan, c.text, c.provenance) for c in block.cells]
            out[previous] = table_block(list(first.cells) + moved, first.provenance)
            continue
        out.append(block)
    return out


def _last_table_before(blocks: list[Block]) -> int | None:
    """Index of the table ending ``blocks`` with only furniture after it, if any."""
    for index in range(len(blocks) - 1, -1, -1):
        if blocks[index].kind == "table":
            return index
        if blocks[index].kind != "furniture":
            return None
    return None


def _columns(block: Block) -> int:
    return max(c.col + c.colspan for c in block.cells)
