"""Which reader a file needs, decided by its content; the extension only breaks ties.

A saved web page is often named .txt or has no extension, a .doc is sometimes an RTF
or a .docx renamed, so the bytes decide:

    %PDF-                          -> pdf   (the scan path: text layer checked, OCR)
    PK zip holding word/document.xml -> docx
    OLE2 compound file (D0 CF 11 E0) -> doc
    a JSON list of items with type and page_idx -> mineru (MinerU's content_list.json)
    Markdown holding a table       -> markdown (an HTML <table>, MinerU's form, or a
                                      pipe table, with Markdown structure or a .md name)
    text that starts like HTML     -> html
    anything else                  -> text  (Markdown without tables stays text: the
                                      text path keeps its every character)

Images are the scan path's; ``pipeline.scan.is_scan_file`` tells them.
"""

from __future__ import annotations

import io
import json
import re
import zipfile

FORMATS = ("text", "html", "markdown", "mineru", "docx", "doc", "pdf")

PDF_MAGIC = b"%PDF-"
ZIP_MAGIC = b"PK\x03\x04"
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")
_HTML_STARTS = (b"<!doctype html", b"<html", b"<head")
# Tags that mark a page as HTML when it opens without a doctype (a saved fragment).
_HTML_TAGS = (b"<p", b"<div", b"<span", b"<br", b"<table", b"<tr", b"<td", b"<a ", b"<meta", b"<body", b"<title", b"<h1", b"<h2", b"<h3", b"<li", b"<img", b"<font", b"<strong")
_MANY_TAGS = 10
_JSON_HEAD = 65536


def sniff_format(data: bytes, name: str = "") -> str:
    if data.startswith(PDF_MAGIC):
        return "pdf"
    if data.startswith(ZIP_MAGIC):
        return "docx" if is_word_package(data) or name.lower().endswith(".docx") else "text"
    if data.startswith(OLE2_MAGIC):
        return "doc"
    if is_content_list(data):
        return "mineru"
    if name.lower().endswith((".md", ".markdown")) and has_table(data):
        return "markdown"
    if looks_like_html(data):
        return "html"
    if has_table(data) and re.search(rb"(?m)^#{1,6}[ \t]", data):
        return "markdown"
    return "text"


def has_table(data: bytes) -> bool:
    """An HTML <table> or a Markdown pipe table's delimiter row (| --- | --- |)."""
    return b"<table" in data.lower() or _PIPE_DELIMITER.search(data) is not None


_PIPE_DELIMITER = re.compile(rb"(?m)^[ \t]*\|?[ \t]*:?-{3,}:?[ \t]*(?:\|[ \t]*:?-{3,}:?[ \t]*)+\|?[ \t]*$")




def is_word_package(data: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            return "word/document.xml" in package.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return False


def looks_like_html(data: bytes) -> bool:
    """The start (after a byte-order mark and white space) is a doctype or <html>, or the
    text opens with a tag and is full of HTML tags. A Markdown file with a stray <br>
    does not open with a tag."""
    head = data[:8192]
    for bom in _BOMS:
        if head.startswith(bom):
            head = head[len(bom):]
            break
    head = head.lstrip().lower()
    if b"\x00" in head[:64]:
        return False  # UTF-16 text is not sniffed as HTML
    if head.startswith(_HTML_STARTS):
        return True
    if head.startswith(b"<?xml") and b"<html" in head:
        return True
    return head.startswith(b"<") and sum(head.count(tag) for tag in _HTML_TAGS) >= _MANY_TAGS


def is_content_list(data: bytes) -> bool:
    """A JSON list whose items are objects with ``type`` and ``page_idx`` (MinerU's form)."""
    head = data[:_JSON_HEAD].lstrip(b"\xef\xbb\xbf \t\r\n")
    if not head.startswith(b"[") or b'"page_idx"' not in head or b'"type"' not in head:
        return False
    try:
        items = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        return False
    return is_item_list(items)


def is_item_list(items) -> bool:
    return (
        isinstance(items, list)
        and bool(items)
        and all(isinstance(item, dict) and isinstance(item.get("type"), str) for item in items)
        and sum("page_idx" in item for item in items) * 2 >= len(items)
    )
