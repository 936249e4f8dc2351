"""A document's identity: title, issuer, number, date, plan year and period.

Read from the document itself (``extract.identity``: the issuing notice at its head,
the signature and date at its head or end). The corpus manifest, keyed by sha256,
overrides that reading for the documents it knows: their garbled extracts lost the
title page, so the manifest gives their identity whole.
"""

from __future__ import annotations

import json
from pathlib import Path

from extract.identity import read_identity
from extract.plan import DocumentInfo

MANIFEST = Path(__file__).resolve().parents[1] / "corpus" / "manifest.json"


def document_info(name: str, sha256: str, encoding: str, manifest: Path = MANIFEST, text: str | None = None) -> DocumentInfo:
    """The manifest's entry for ``sha256`` when there is one; otherwise what ``text``
    (the repaired text) says of itself, or nothing known when no text is given."""
    for entry in _entries(manifest):
        if entry.get("sha256") == sha256:
            period = entry.get("plan_period")
            return DocumentInfo(
                source_name=name,
                sha256=sha256,
                encoding=encoding,
                title=entry.get("title"),
                issuer=entry.get("issuer"),
                doc_number=entry.get("doc_number"),
                date=entry.get("date"),
                plan_year=entry.get("plan_year"),
                plan_period=(period["start"], period["end"]) if period else None,
            )
    if text is None:
        return DocumentInfo(source_name=name, sha256=sha256, encoding=encoding)
    identity = read_identity(text)
    return DocumentInfo(
        source_name=name,
        sha256=sha256,
        encoding=encoding,
        title=identity.title,
        issuer=identity.issuer,
        doc_number=identity.doc_number,
        date=identity.date,
        plan_year=identity.plan_year,
        plan_period=identity.plan_period,
    )


def _entries(manifest: Path) -> list[dict]:
    try:
        return json.loads(manifest.read_text(encoding="utf-8")).get("documents", [])
    except (OSError, ValueError):
        return []
