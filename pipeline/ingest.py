"""Read a source file into a ``SourceText``: bytes -> decoded text, with its identity.

Offsets everywhere in planrecover are code points in ``SourceText.text``: for a text
file, the decoded file with CRLF/CR line ends read as LF (the one normalisation ingest
makes); for an HTML page or a Word document, the text view of the document its reader
filled (``read.text_view``), whose ``origin`` takes each character back to its block.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from read.decode import decode_text

from .errors import EmptyInput, InputNotFound, InputUnreadable


@dataclass(frozen=True)
class SourceText:
    name: str
    sha256: str
    encoding: str
    text: str
    format: str = "text"  # text, html, docx, doc (pdf-text-layer and OCR readings set encoding instead)
    document: object | None = field(default=None, compare=False, repr=False)  # read.Document, for html/docx/doc
    origin: tuple = field(default=(), compare=False, repr=False)  # per character of text: its block, or -1


def read_input(path: str | Path, format: str = "auto") -> SourceText:
    """Read any input the text path takes: ``format`` auto (decided by the content, see
    ``read.sniff``), text, html, docx or doc. PDFs and images are the scan path's
    (``pipeline.scan``); given here, they are refused as before."""
    from read import DOCUMENT_FORMATS, sniff_format

    path = Path(path)
    data = _read_bytes(path)
    chosen = sniff_format(data, path.name) if format == "auto" else format
    if chosen in DOCUMENT_FORMATS:
        return document_source(path.name, data, chosen)
    return decode_source(path.name, data)


def document_source(name: str, data: bytes, format: str) -> SourceText:
    """An HTML page or a Word document, read into a document; its text view is the text."""
    from read import read_document, text_view

    if not data.strip():
        raise EmptyInput(f"{name}: the file is empty")
    document = read_document(data, name, format)
    text, origin = text_view(document)
    if not text.strip():
        raise EmptyInput(f"{name}: the {format} document holds no text")
    encoding = f"{format}:{document.meta['charset']}" if format in ("html", "markdown") else f"{format}:{document.meta['reader']}"
    return SourceText(name, hashlib.sha256(data).hexdigest(), encoding, text, format=format, document=document, origin=origin)


def read_source(path: str | Path) -> SourceText:
    """A plain-text extract (UTF-8, GB18030, ...); ``read_input`` reads the other formats too."""
    path = Path(path)
    return decode_source(path.name, _read_bytes(path))


def _read_bytes(path: Path) -> bytes:
    if not path.exists():
        raise InputNotFound(f"{path}: no such file")
    if path.is_dir():
        raise InputUnreadable(f"{path}: is a directory, expected a file")
    try:
        return path.read_bytes()
    except OSError as exc:
        raise InputUnreadable(f"{path}: cannot read ({exc.strerror})") from None


def decode_source(name: str, data: bytes) -> SourceText:
    text, encoding = decode_text(name, data)
    return SourceText(name=name, sha256=hashlib.sha256(data).hexdigest(), encoding=encoding, text=text)
