"""Read an HTML page (a government site's page, saved) into a ``Document``.

A page is mostly the site: menus, search forms, share buttons, the metadata table,
the footer. The document is found, not assumed:

1. Chrome is never text: scripts, styles, navigation, forms' controls, hidden elements.
2. The content root is found by where the Chinese text is: from <body>, step into the
   child that holds most (``DOMINANT``) of its parent's Han characters, and stop where
   none does. Menus and footers hold little Han text; the document holds nearly all.
3. Some sites ship the document only inside a script, as a JSON string
   (``window._CONFIG = {… "content": "<p>…"}``) that their JavaScript inserts. When a
   script's ``"content"`` string parses as HTML holding far more Han text than the
   visible page (``EMBEDDED_GAIN`` times), that string is read instead. The string
   literal is decoded with ``json`` (``\\u003C`` escapes and all); nothing is evaluated.

Text follows the browser: runs of HTML white space show as one space, ``&nbsp;`` is a
space, <br> breaks a line; each line loses its indent (ASCII or ideographic spaces:
layout, the blank line between blocks marks paragraphs). Headings are h1–h6, list
items li, tables keep rowspan and colspan (clamped: see ``read.tables``).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

from errors import PlanRecoverError
from grammar.chars import is_han

from .htmlsource import decode_html, element_offsets, parse_html
from .model import Block, Document, Provenance, table_block, tidy_lines
from .tables import RawCell, check_table_cells, place_cells

DOMINANT = 0.75
EMBEDDED_GAIN = 2.0
EMBEDDED_MIN_HAN = 50

_CHROME = frozenset(
    "script style noscript template iframe frame frameset object embed applet svg math canvas "
    "select option button input textarea nav head map area audio video source track dialog".split()
)
_BLOCKS = frozenset(
    "html body div p section article main header footer aside blockquote center pre address figure figcaption "
    "dl dt dd ul ol li h1 h2 h3 h4 h5 h6 table hr form fieldset legend details summary menu dir caption".split()
)
_HEADINGS = {f"h{n}": n for n in range(1, 7)}
_NOT_DESCENDED = frozenset("p pre li dt dd h1 h2 h3 h4 h5 h6 caption".split())  # a content root contains blocks, it is not one
_TABLE_PARTS = ("thead", "tbody", "tfoot")
_COLLAPSIBLE = re.compile("[ \t\n\r\f\u00a0]+")  # HTML white space, and &nbsp; shown as a space
_CONTENT_KEY = re.compile(r'(?:"content"|\bcontent)\s*:\s*(?=")')  # in a script's code, not in HTML


def read_html(data: bytes, name: str) -> Document:
    text, charset = decode_html(data, name)
    root = parse_html(text, name)
    check_table_cells(sum(1 for _ in root.iter("td", "th")), name)  # before any walk over the page
    source = document_source(root, text)
    check_table_cells(sum(1 for _ in source.root.iter("td", "th")), name)  # a script-held document's too
    content = content_root(_body(source.root))
    builder = _Builder(source)
    builder.read_container(content)
    meta = {"reader": "lxml.html", "charset": charset, "title": _title(root), "content_root": source.path(content)}
    if source.within:
        meta["embedded_document"] = source.within
    meta["warnings"] = tuple(builder.warnings)
    return Document("html", tuple(builder.blocks), meta)


def document_source(root, text: str) -> "_Source":
    """The page itself, or the document one of its scripts holds when that has far more text."""
    embedded = _richest_embedded_document(root)
    if embedded is not None:
        script_path, fragment_text, fragment_root = embedded
        if han_count(_body(fragment_root)) >= max(EMBEDDED_MIN_HAN, EMBEDDED_GAIN * han_count(_body(root))):
            return _Source(fragment_root, element_offsets(fragment_root, fragment_text), f'{script_path} "content"')
    return _Source(root, element_offsets(root, text))


@dataclass(frozen=True)
class _Source:
    """A parsed page (or an embedded one) and how to name its elements."""

    root: object
    offsets: dict
    within: str | None = None

    def path(self, element) -> str:
        return element.getroottree().getpath(element)

    def provenance(self, element) -> Provenance:
        return Provenance(self.path(element), self.offsets.get(element), self.within)


def _body(root):
    body = root.find("body")
    return body if body is not None else root


def _title(root) -> str | None:
    title = root.findtext("head/title")
    return " ".join(title.split()) if title and title.strip() else None


def is_chrome(element) -> bool:
    if not isinstance(element.tag, str):
        return True
    tag = element.tag.lower()
    if tag in _CHROME:
        return True
    if tag in ("html", "body"):
        return False  # sites hide the whole page until their scripts have run; it is still the page
    if element.get("hidden") is not None or (element.get("aria-hidden") or "").strip().lower() == "true":
        return True
    style = (element.get("style") or "").replace(" ", "").lower()
    return "display:none" in style or "visibility:hidden" in style


def _han(text: str | None) -> int:
    return sum(1 for c in text if is_han(c)) if text else 0


def han_count(element) -> int:
    """Han characters a reader of the page sees in ``element`` (chrome excluded)."""
    return han_counts(element)[element]


def han_counts(element, counts: dict | None = None) -> dict:
    """Element -> its visible Han characters, for ``element`` and everything in it."""
    counts = {} if counts is None else counts
    if is_chrome(element):
        counts[element] = 0
        return counts
    total = _han(element.text)
    for child in element:
        han_counts(child, counts)
        total += counts[child] + _han(child.tail)
    counts[element] = total
    return counts


def content_root(body):
    """The smallest element that holds the page's text: step into a child holding most
    of the Han text until no child does."""
    counts = han_counts(body)
    node = body
    while counts[node]:
        best = max(_root_candidates(node), key=counts.__getitem__, default=None)
        if best is None or counts[best] < DOMINANT * counts[node]:
            break
        node = best
    return node


def _root_candidates(node):
    """Children a content root can be found in. A table is looked into only through its
    cells: a layout table's one big cell can be the root, a data table never is."""
    for child in node:
        if is_chrome(child) or child.tag.lower() in _NOT_DESCENDED:
            continue
        if child.tag.lower() == "table":
            yield from (cell for row in table_rows(child) for cell in row if isinstance(cell.tag, str) and cell.tag.lower() in ("td", "th"))
        else:
            yield child


def _richest_embedded_document(root):
    """(script path, HTML string, parsed) of the script-held "content" string with the most Han text."""
    best, best_han = None, 0
    for script in root.iter("script"):
        for value in script_content_strings(script.text or ""):
            try:
                fragment = parse_html(value, "a script's content")
            except PlanRecoverError:
                continue  # not HTML after all
            han = han_count(_body(fragment))
            if han > best_han:
                best, best_han = (script.getroottree().getpath(script), value, fragment), han
    return best


def script_content_strings(code: str) -> list[str]:
    """The string values of ``"content"`` keys in a script's code that look like HTML.

    Each string literal is decoded by ``json`` from its opening quote to its end; a
    literal that is not valid JSON is passed over. The code is never run."""
    decoder = json.JSONDecoder()
    values = []
    for match in _CONTENT_KEY.finditer(code):
        try:
            value, _ = decoder.raw_decode(code, match.end())
        except ValueError:
            continue
        if isinstance(value, str) and "<" in value and value.strip():
            values.append(value)
    return values


@dataclass
class _Builder:
    """Walks a page's elements and collects blocks (and warnings) in reading order."""

    source: _Source
    blocks: list[Block] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def read_container(self, element) -> None:
        """A block element: its own inline text makes blocks of its kind, its block children their own."""
        tag = element.tag.lower()
        kind = "heading" if tag in _HEADINGS else "list_item" if tag == "li" else "paragraph"
        pending: list[str | None] = []  # text pieces; None for a <br>

        def flush() -> None:
            text = tidy(pending)
            pending.clear()
            if text:
                self.blocks.append(Block(kind, text, self.source.provenance(element), level=_HEADINGS.get(tag)))

        pending.extend(_texts(element.text))
        for child in element:
            if is_chrome(child):
                pass
            elif child.tag.lower() == "br":
                pending.append(None)
            elif child.tag.lower() == "table":
                flush()
                self.read_table(child)
            elif child.tag.lower() == "img":
                flush()
                self.blocks.append(Block("image", (child.get("alt") or "").strip(), self.source.provenance(child)))
            elif child.tag.lower() in _BLOCKS or _holds_blocks(child):
                flush()
                self.read_container(child)
            else:
                pending.extend(inline_pieces(child))
            pending.extend(_texts(child.tail))
        flush()

    def read_table(self, table) -> None:
        rows = [[self.raw_cell(cell) for cell in row if isinstance(cell.tag, str) and cell.tag.lower() in ("td", "th") and not is_chrome(cell)] for row in table_rows(table)]
        cells, warnings = place_cells(rows, f"table {self.source.path(table)}")
        self.warnings.extend(warnings)
        if cells:
            self.blocks.append(table_block(cells, self.source.provenance(table)))

    def raw_cell(self, cell) -> RawCell:
        inner = _Builder(self.source)
        inner.read_container(cell)
        self.warnings.extend(inner.warnings)
        text = "\n".join(b.text.replace("\t", " ") for b in inner.blocks if b.kind != "image" and b.text)
        return RawCell(text, span(cell.get("rowspan"), default=1), span(cell.get("colspan"), default=1), self.source.provenance(cell))


def table_rows(table) -> list:
    """The table's own rows in source order (rows of nested tables excluded)."""
    rows = []
    for child in table:
        if not isinstance(child.tag, str) or is_chrome(child):
            continue
        tag = child.tag.lower()
        if tag == "tr":
            rows.append(child)
        elif tag in _TABLE_PARTS:
            rows.extend(r for r in child if isinstance(r.tag, str) and r.tag.lower() == "tr" and not is_chrome(r))
    return rows


def span(value: str | None, default: int) -> int:
    """A rowspan/colspan attribute as browsers read it: its leading digits, else the default."""
    digits = ""
    for char in (value or "").strip():
        if not char.isdigit() or not char.isascii():
            break
        digits += char
    return int(digits) if digits else default


def _holds_blocks(element) -> bool:
    return any(isinstance(d.tag, str) and (d.tag.lower() in _BLOCKS or d.tag.lower() == "img") and not is_chrome(d) for d in element.iterdescendants())


def inline_pieces(element) -> list[str | None]:
    """An inline element's text pieces (None for a <br>), chrome left out."""
    if is_chrome(element):
        return []
    if element.tag.lower() == "br":
        return [None]
    pieces: list[str | None] = _texts(element.text)
    for child in element:
        pieces.extend(inline_pieces(child))
        pieces.extend(_texts(child.tail))
    return pieces


def _texts(text: str | None) -> list[str]:
    return [text] if text else []


def tidy(pieces: list[str | None]) -> str:
    """Inline pieces as text: white space collapsed as a browser shows it, lines split at
    <br>, then layout space dropped (``tidy_lines``)."""
    lines, current = [], []
    for piece in pieces + [None]:
        if piece is None:
            lines.append(_COLLAPSIBLE.sub(" ", "".join(current)))
            current = []
        else:
            current.append(piece)
    return tidy_lines("\n".join(lines))
