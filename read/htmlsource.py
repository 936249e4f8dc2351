"""An HTML file as text: its charset, its decoded text, and where each element starts in it.

Decoding follows the page's own word first: a byte-order mark, else the charset its
<meta> declares (read by lxml from the page's head, not by pattern matching), else
UTF-8, else GB18030 (a superset of GBK and GB2312, what Chinese sites used before
UTF-8). Each is tried strictly: a page that decodes under none is refused.

Offsets: lxml records an element's line, not its column, so the start tag of each
element is found in the decoded text by walking the elements in document order and
searching forward from the previous one, skipping comments and the text of scripts and
styles. Elements the parser implied (an <html> or <body> a fragment lacks) have none.
"""

from __future__ import annotations

import bisect
import codecs

import lxml.html
from lxml import etree

from errors import DocumentUnreadable, EmptyInput

# GB2312 and GBK pages decode correctly as GB18030, and often hold characters only
# GB18030 has although they declare GB2312.
_CHARSET_ALIASES = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "gb_2312-80": "gb18030", "csgb2312": "gb18030", "utf8": "utf-8"}
_RAW_TEXT = ("script", "style", "textarea", "title", "xmp")
_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")
_TAG_END = " \t\n\r\f/>"


def html_parser() -> etree.HTMLParser:
    # HTML has no external entities to resolve; no_network keeps libxml2 from fetching anything.
    return lxml.html.HTMLParser(encoding="utf-8", remove_comments=True, remove_pis=True, no_network=True, default_doctype=False)


def parse_html(text: str, name: str):
    """The root <html> element of ``text`` (always parsed from UTF-8 bytes, so an XML
    declaration naming another encoding cannot confuse lxml)."""
    parser = html_parser()
    try:
        root = lxml.html.document_fromstring(text.encode("utf-8"), parser=parser)
    except etree.ParserError:
        raise EmptyInput(f"{name}: the page holds no HTML content") from None
    except (etree.LxmlError, ValueError) as exc:
        raise DocumentUnreadable(f"{name}: not readable as HTML ({' '.join(str(exc).split())})") from None
    fatal = [e for e in parser.error_log if e.level_name == "FATAL"]
    if fatal:  # libxml2 stopped there (elements nested too deep): the rest of the page would be lost silently
        raise DocumentUnreadable(f"{name}: the HTML parser stopped at line {fatal[0].line} ({fatal[0].message.strip()}); refused rather than read in part")
    return root


def decode_html(data: bytes, name: str) -> tuple[str, str]:
    """(text, charset) of an HTML file."""
    for bom, charset in ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            try:
                return data.decode("utf-8-sig" if charset == "utf-8" else charset), charset
            except UnicodeDecodeError:
                raise DocumentUnreadable(f"{name}: has a {charset} byte-order mark but does not decode as {charset}") from None
    if b"\x00" in data:
        raise DocumentUnreadable(f"{name}: contains NUL bytes; binary data, not an HTML page")
    declared = declared_charset(data)
    tried = []
    for charset in dict.fromkeys(c for c in (declared, "utf-8", "gb18030") if c):
        tried.append(charset)
        try:
            return data.decode(charset), charset
        except (UnicodeDecodeError, LookupError):
            continue
    raise DocumentUnreadable(f"{name}: the page decodes under none of {', '.join(tried)}")


def declared_charset(data: bytes) -> str | None:
    """The charset a page's <meta charset> or <meta http-equiv="Content-Type"> declares, normalised."""
    head = data[:4096].decode("latin-1")  # byte for byte: the tags are ASCII whatever the charset
    try:
        root = lxml.html.document_fromstring(head.encode("utf-8"), parser=html_parser())
    except (etree.LxmlError, ValueError):
        return None
    for meta in root.iter("meta"):
        value = meta.get("charset")
        if value is None and (meta.get("http-equiv") or "").lower() == "content-type":
            value = _charset_in_content_type(meta.get("content", ""))
        if value and value.strip():
            return _normalised_charset(value)
    return None


def _normalised_charset(value: str) -> str | None:
    name = value.strip().strip("'\"").lower()
    name = _CHARSET_ALIASES.get(name, name)
    try:
        name = codecs.lookup(name).name
    except LookupError:
        return None
    # A page that says UTF-16 without a byte-order mark is ASCII-compatible: browsers read it as UTF-8.
    return "utf-8" if name.startswith("utf-16") else name


def _charset_in_content_type(content: str) -> str | None:
    for part in content.split(";"):
        key, _, value = part.partition("=")
        if key.strip().lower() == "charset" and value.strip():
            return value
    return None


def element_offsets(root, text: str) -> dict:
    """Element -> offset of its start tag in ``text``, for the elements found there."""
    source = text.translate(_ASCII_LOWER)  # same length as text: offsets carry over
    line_starts = _line_starts(source)
    offsets = {}
    cursor = 0
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        tag = element.tag.lower()
        pos = _find_start_tag(source, tag, cursor)
        if pos is None or (element.sourceline and bisect.bisect_right(line_starts, pos) > element.sourceline):
            continue  # implied by the parser, or not where the parser saw it: no offset rather than a wrong one
        offsets[element] = pos
        cursor = pos + 1
        if tag in _RAW_TEXT:
            end = source.find("</" + tag, pos)
            cursor = end if end >= 0 else cursor
    return offsets


def _line_starts(text: str) -> list[int]:
    starts = [0]
    pos = text.find("\n")
    while pos >= 0:
        starts.append(pos + 1)
        pos = text.find("\n", pos + 1)
    return starts


def _find_start_tag(source: str, tag: str, start: int) -> int | None:
    needle = "<" + tag
    while True:
        pos = source.find(needle, start)
        if pos < 0:
            return None
        comment = source.find("<!--", start, pos)
        if comment >= 0:  # the match may be inside a comment: resume after it
            end = source.find("-->", comment + 4)
            if end < 0:
                return None
            start = end + 3
            continue
        after = source[pos + len(needle) : pos + len(needle) + 1]
        if after == "" or after in _TAG_END:
            return pos
        start = pos + 1
