"""A document's identity: title, issuer, number, date, plan year and period.

Read from the document itself (``extract.identity``: the issuing notice at its head,
the signature and date at its head or end). The corpus manifest, keyed by sha256,
overrides that reading field by field for the documents it knows (their garbled
extracts lost the title page); a field it does not give is still read from the
document, and the plan period from the title when the document does not print it.
"""

from __future__ import annotations

import json
from pathlib import Path

from extract.identity import plan_period, read_identity
from extract.plan import DocumentInfo

MANIFEST = Path(__file__).resolve().parents[1] / "corpus" / "manifest.json"


def document_info(name: str, sha256: str, encoding: str, manifest: Path = MANIFEST, text: str | None = None) -> DocumentInfo:
    """What ``text`` (the repaired text) says of itself, overridden field by field by the
    manifest's entry for ``sha256``; nothing known when there is neither."""
    read = read_identity(text) if text is not None else None
    known = {
        "title": read.title if read else None,
        "issuer": read.issuer if read else None,
        "doc_number": read.doc_number if read else None,
        "date": read.date if read else None,
        "plan_year": read.plan_year if read else None,
        "plan_period": read.plan_period if read else None,
    }
    entry = next((e for e in _entries(manifest) if e.get("sha256") == sha256), None)
    if entry:
        given = {key: entry[key] for key in ("title", "issuer", "doc_number", "date", "plan_year") if entry.get(key) is not None}
        period = entry.get("plan_period")
        if period:
            given["plan_period"] = (period["start"], period["end"])
        elif "title" in given:
            given["plan_period"] = plan_period(given["title"]) or known["plan_period"]
        known.update(given)
    return DocumentInfo(source_name=name, sha256=sha256, encoding=encoding, **known)


def _entries(manifest: Path) -> list[dict]:
    try:
        return json.loads(manifest.read_text(encoding="utf-8")).get("documents", [])
    except (OSError, ValueError):
        return []
