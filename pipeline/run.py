"""Orchestration: ingest -> repair -> extract, as one plain function."""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from extract.plan import extract_plan
from repair.fusion import confirmed_locations
from repair.rules import RepairResult, repair_text

from .errors import NoPlanStructure
from .ingest import SourceText
from .manifest import document_info
from .scan import ScanResult
from .schema import validate_plan


@dataclass(frozen=True)
class Recovery:
    source: SourceText
    repair: RepairResult
    plan: dict
    scan: ScanResult | None = None

    @property
    def changes_jsonl(self) -> str:
        return "".join(change.to_json() + "\n" for change in self.repair.changes)

    @property
    def diff(self) -> str:
        return unified_diff(self.source.text, self.repair.text, self.source.name)


def scan_as_source(scan: ScanResult) -> SourceText:
    """An image-only scan: its OCR reading is the text that repair starts from."""
    return SourceText(name=f"{scan.name}.ocr.txt", sha256=scan.sha256, encoding=f"ocr:{scan.engine}", text=scan.reading.read_text)


def recover(
    source: SourceText | None,
    plan_year: int | None = None,
    allow_empty: bool = False,
    scan: ScanResult | None = None,
    issues: list[dict] = (),
) -> Recovery:
    """Repair and extract ``source``; with ``scan``, fuse its OCR reading in first.

    Without a text source, the scan's OCR reading is the source."""
    inputs = []
    # Where OCR's reading is the source: the marks it read half-width, the characters it was unsure of
    ocr_widths, ocr_alternatives = (scan.source_widths, scan.source_alternatives) if scan else ((), ())
    if source is None:
        source = scan_as_source(scan)
        source_where, scan_where = scan.reading.where, None
        ocr_widths, ocr_alternatives = scan.reading.widths, scan.reading.alternatives
        known = (scan.name, scan.sha256, source.encoding)
    else:
        inputs.append({"kind": "text", "name": source.name, "sha256": source.sha256})
        if scan and scan.source_where is not None:
            source_where = scan.source_where  # a PDF read region by region: its source holds the regions' readings
        else:
            source_where = confirmed_locations(source.text, scan.reading) if scan else None
        scan_where = scan.reading.where if scan else None
        known = (source.name, source.sha256, source.encoding)
    if scan:
        inputs.append({"kind": "scan", "name": scan.name, "sha256": scan.sha256, "pages": scan.pages, "engine": scan.engine, "dpi": scan.dpi})
    fuse_with = scan.reading if scan and scan_where is not None else None
    result = repair_text(source.text, scan=fuse_with, ocr_widths=ocr_widths, ocr_alternatives=ocr_alternatives)
    info = document_info(*known, text=result.text)  # the manifest's, else read from the repaired text
    if plan_year is not None:
        info = type(info)(**{**info.__dict__, "plan_year": plan_year})
    plan = extract_plan(result, info, source_where=source_where, scan_where=scan_where, inputs=inputs if scan else None)
    plan["issues"].extend(issues)
    if scan:
        plan["issues"].extend(scan.failures)
        plan["issues"].extend(scan_empty_issues(scan))
    if not plan["indicators"] and not plan["programmes"] and not plan["tasks"]:  # tasks are plan structure too
        if not allow_empty:
            raise NoPlanStructure(
                f"{source.name}: no key-indicators table, no programme box (专栏) and no task found; not a plan extract? (--allow-empty writes an empty result)"
            )
        plan["issues"].append(
            {"kind": "no_plan_structure", "box": None, "detail": "no key-indicators table, no programme box (专栏) and no task found", "data": {}, "source": None}
        )
    validate_plan(plan)
    return Recovery(source, result, plan, scan)


def scan_empty_issues(scan: ScanResult) -> list[dict]:
    """A scan OCR read nothing from (a blank page, the wrong file) is said, not fused as an empty reading."""
    if scan.ocr_text.strip():
        return []
    detail = f"{scan.name}: OCR read no text on its {scan.pages} page(s); a blank page, or not a scan of this document?"
    return [{"kind": "scan_empty", "box": None, "detail": detail, "data": {"pages": scan.pages}, "source": None}]


def unified_diff(before: str, after: str, name: str) -> str:
    """A diff `git apply --stat` and `less` read: a/ and b/ paths, no-newline markers."""
    lines = list(difflib.unified_diff(_diff_lines(before), _diff_lines(after), f"a/{name}", "b/plan.repaired.txt", n=3))
    return "".join(line if line.endswith("\n") else line + "\n" for line in lines)


def _diff_lines(text: str) -> list[str]:
    lines = text.splitlines(keepends=True)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n\\ No newline at end of file\n"
    return lines
