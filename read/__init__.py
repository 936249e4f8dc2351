"""Readers of document formats, one per format, each filling one document model.

    sniff_format(data, name)      which reader a file needs, from its bytes
    read_document(data, name, f)  bytes -> Document (f: html, markdown, mineru, docx or doc)
    text_view(document)           Document -> (text, origin): what repair works on

Plain text and PDF are read elsewhere (``pipeline.ingest``, ``pipeline.scan``).
"""

from __future__ import annotations

from .model import Block, Cell, Document, Provenance
from .sniff import FORMATS, sniff_format
from .textview import text_view

DOCUMENT_FORMATS = ("html", "markdown", "mineru", "docx", "doc")

__all__ = ["Block", "Cell", "Document", "Provenance", "FORMATS", "DOCUMENT_FORMATS", "sniff_format", "read_document", "text_view"]


def read_document(data: bytes, name: str, format: str) -> Document:
    if format == "html":
        from .html import read_html

        return read_html(data, name)
    if format == "markdown":
        from .markdown import read_markdown

        return read_markdown(data, name)
    if format == "mineru":
        from .mineru import read_mineru

        return read_mineru(data, name)
    if format == "pdf":  # a born-digital PDF; ``pipeline.scan`` decides when its text layer is sound
        from .pdf import read_pdf

        return read_pdf(data, name)
    if format == "docx":
        from .docx import read_docx

        return read_docx(data, name)
    if format == "doc":
        from .doc import read_doc

        return read_doc(data, name)
    raise ValueError(f"no document reader for {format!r}")
