"""Known documents: the corpus manifest gives title, issuer, number and date by sha256.

The garbled extracts do not carry their own title page, so a document's identity
comes from the manifest when the input is one of ours; otherwise it stays unknown.
"""

from __future__ import annotations

import json
from pathlib import Path

from extract.plan import DocumentInfo

MANIFEST = Path(__file__).resolve().parents[1] / "corpus" / "manifest.json"


def document_info(name: str, sha256: str, encoding: str, manifest: Path = MANIFEST) -> DocumentInfo:
    for entry in _entries(manifest):
        if entry.get("sha256") == sha256:
            return DocumentInfo(
                source_name=name,
                sha256=sha256,
                encoding=encoding,
                title=entry.get("title"),
                issuer=entry.get("issuer"),
                doc_number=entry.get("doc_number"),
                date=entry.get("date"),
                plan_year=entry.get("plan_year"),
            )
    return DocumentInfo(source_name=name, sha256=sha256, encoding=encoding)


def _entries(manifest: Path) -> list[dict]:
    try:
        return json.loads(manifest.read_text(encoding="utf-8")).get("documents", [])
    except (OSError, ValueError):
        return []
