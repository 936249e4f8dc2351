"""Assemble plan.json (schema pipeline/schema/plan.schema.json) from a repair result."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version

from grammar.registry import jurisdiction_of
from repair.diagnose import damage_report
from repair.rules import RULES, RepairResult

from .agencies import UNREGISTERED, AgencyResolver, resolver_for
from .indicators import extract_indicators
from .programmes import ResolvedStatement, extract_programmes
from .provenance import SourceMap
from .tasks import ResolvedTask, extract_tasks

SCHEMA_VERSION = "1.5.0"


def generator_version() -> str:
    """planrecover's version, as installed (pyproject.toml is its one source)."""
    try:
        return version("planrecover")
    except PackageNotFoundError:  # run from a source tree that was never installed
        return "unknown"


@dataclass(frozen=True)
class DocumentInfo:
    source_name: str
    sha256: str
    encoding: str
    title: str | None = None
    issuer: str | None = None
    doc_number: str | None = None
    date: str | None = None
    plan_year: int | None = None
    plan_period: tuple[int, int] | None = None  # (first year, last year)


def extract_plan(
    result: RepairResult,
    info: DocumentInfo,
    resolver: AgencyResolver | None = None,
    source_where=None,
    scan_where=None,
    inputs: list[dict] | None = None,
) -> dict:
    """plan.json for a repair result; ``source_where``/``scan_where`` locate characters on a scan."""
    # Local names (市科委) resolve within the document's own jurisdiction, read from its head.
    jurisdiction = jurisdiction_of(result.text)
    resolver = resolver or resolver_for(jurisdiction.id if jurisdiction else None)
    lines = result.context.lines(result.text)
    source_lines = result.context.lines(result.source)
    source_map = SourceMap(result, source_where, scan_where)
    scan_regions = source_map.scan_regions if source_map.has_scan else None
    indicators, indicator_issues = extract_indicators(lines, source_map.lines, scan_regions)
    programmes, statements, programme_issues = extract_programmes(result.text, lines, source_lines, source_map, resolver, info.plan_year)
    tasks, task_entries, task_issues = extract_tasks(result.text, lines, source_map, resolver, info.plan_year)
    agencies, agency_issues = _agency_index(statements, programmes, info.plan_year, task_entries)
    agency_issues += _unregistered_issues(statements, programmes, task_entries, resolver)
    issues = (
        _lost_body_issue(result)
        + indicator_issues
        + _footnote_issues(indicators, result.text)
        + programme_issues
        + task_issues
        + agency_issues
        + _fragment_issues(result, programmes)
    )
    plan = {
        "schema_version": SCHEMA_VERSION,
        "generator": {"name": "planrecover", "version": generator_version()},
        "document": {
            "source_name": info.source_name,
            "sha256": info.sha256,
            "encoding": info.encoding,
            "characters": len(result.source),
            "lines": _line_count(result.source),
            "title": info.title,
            "issuer": info.issuer,
            "doc_number": info.doc_number,
            "date": info.date,
            "plan_year": info.plan_year,
        },
        "indicators": indicators,
        "programmes": programmes,
        "tasks": tasks,
        "agencies": agencies,
        "issues": issues,
        "summary": {
            "changes_total": len(result.changes),
            "changes_by_rule": _changes_by_rule(result),
            "indicator_rows": len(indicators),
            "programmes": len(programmes),
            "tasks": len(tasks),
        },
    }
    if info.plan_period is not None:
        plan["document"]["plan_period"] = {"start": info.plan_period[0], "end": info.plan_period[1]}
    if jurisdiction is not None:
        plan["document"]["jurisdiction"] = jurisdiction.name
    if result.context.diagnosis is not None:
        plan["document"]["damage"] = damage_report(result.context.diagnosis, result.changes)
    if inputs:
        plan["document"]["inputs"] = inputs
    return plan


def _agency_index(statements: list[ResolvedStatement], programmes: list[dict], plan_year: int | None, tasks: list[ResolvedTask] = ()):
    """Each agency with the boxes it leads or joins (``leads``/``participates``, box numbers)
    and, in a document with tasks, the tasks (``leads_tasks``/``participates_tasks``, task
    indexes)."""
    numbers = {i + 1: p["number"] for i, p in enumerate(programmes)}
    index: dict[str, dict] = {}
    assigned = [(numbers[rs.box_position], None, rs.entries) for rs in statements] + [(None, t.index, t.entries) for t in tasks]
    for box, task, entries in assigned:
        for role, r in entries:
            if not r.name:
                continue
            entry = index.setdefault(r.name, _agency_entry(r, plan_year, bool(tasks)))
            printed = re.sub(r"\s+", "", r.printed)
            if printed not in entry["short_forms_seen"]:
                entry["short_forms_seen"].append(printed)
            if box is not None:
                (entry["leads"] if role == "lead" else entry["participates"]).add(box)
            if task is not None:
                (entry["leads_tasks"] if role == "lead" else entry["participates_tasks"]).add(task)
    agencies, issues = [], []
    for entry in index.values():
        for leads, joins in (("leads", "participates"), ("leads_tasks", "participates_tasks")):
            if leads in entry:
                entry[joins] = sorted(entry[joins] - entry[leads])
                entry[leads] = sorted(entry[leads])
        agencies.append(entry)
        if entry["existed_in_plan_year"] is False:
            issues.append(
                {
                    "kind": "agency_not_in_plan_year",
                    "box": None,
                    "detail": f"{entry['name']} did not exist in {plan_year}: is the name damaged, or the plan misdated?",
                    "data": {"name": entry["name"], "plan_year": plan_year},
                    "source": None,
                }
            )
    return agencies, issues


def _unregistered_issues(statements: list[ResolvedStatement], programmes: list[dict], tasks: list[ResolvedTask], resolver: AgencyResolver) -> list[dict]:
    """A name the registry does not hold, once per document (where it is first named, and
    every box and task naming it), with the nearest registered names as candidates: kept
    as printed, never replaced by one of them."""
    numbers = {i + 1: p["number"] for i, p in enumerate(programmes)}
    seen: dict[str, dict] = {}
    named = [(rs.source, numbers[rs.box_position], None, rs.entries) for rs in statements] + [(t.source, None, t.index, t.entries) for t in tasks]
    for source, box, task, entries in named:
        for _, r in entries:
            if r.status != UNREGISTERED or not r.name:
                continue
            entry = seen.setdefault(r.name, {"printed": re.sub(r"\s+", "", r.printed), "source": source, "boxes": [], "tasks": []})
            if box is not None and box not in entry["boxes"]:
                entry["boxes"].append(box)
            if task is not None and task not in entry["tasks"]:
                entry["tasks"].append(task)
    issues = []
    for name, entry in seen.items():
        candidates = list(resolver.nearest(name))
        where = ", ".join([f"box {b}" for b in entry["boxes"]] + [f"task {t}" for t in entry["tasks"]])
        near = f"; nearest registered: {'、'.join(candidates)}" if candidates else "; no registered name is near"
        issues.append(
            {
                "kind": "unregistered_agency",
                "box": None,
                "detail": f"{name!r} is not in the registry ({where}): kept as printed{near}",
                "data": {"printed": entry["printed"], "candidates": candidates, "boxes": entry["boxes"], "tasks": entry["tasks"]},
                "source": entry["source"],
            }
        )
    return issues


def _agency_entry(r, plan_year: int | None, with_tasks: bool) -> dict:
    entry = {
        "name": r.name,
        "registered": r.agency is not None,
        "registry_id": r.agency.id if r.agency else None,
        "level": r.level,
        "short_forms_seen": [],
        "leads": set(),
        "participates": set(),
        "existed_in_plan_year": r.agency.existed_in(plan_year) if r.agency else None,
    }
    if with_tasks:  # only where the document has tasks: a plan of boxes keeps its shape
        entry["leads_tasks"] = set()
        entry["participates_tasks"] = set()
    return entry


def _lost_body_issue(result: RepairResult) -> list[dict]:
    residue = [c for c in result.changes if c.rule == "drop_residue_lines"]
    if not residue:
        return []
    lines = sum(c.evidence.get("lines", 0) for c in residue)
    chars = sum(c.evidence.get("characters", 0) for c in residue)
    return [
        {
            "kind": "body_text_lost",
            "box": None,
            "detail": f"body text outside the table and boxes was lost in extraction: {lines} lines of stray characters ({chars} characters) remain; only a scan can bring it back",
            "data": {"residue_lines": lines, "residue_characters": chars, "runs": len(residue)},
            "source": None,
        }
    ]


def _footnote_issues(indicators: list[dict], text: str) -> list[dict]:
    issues = []
    for indicator in indicators:
        for note in indicator["footnotes"]:
            marker = note["marker"]
            # Read under its table (text), or standing on its own line, starting with its marker.
            if "text" in note or re.search(rf"^\s*(注[：:])?\s*{marker}", text, re.MULTILINE):
                continue
            issues.append(
                {
                    "kind": "footnote_text_lost",
                    "box": None,
                    "detail": f"footnote {marker} of indicator {indicator['seq']} is marked in the table but its text is not in the source",
                    "data": {"marker": marker, "indicator": indicator["seq"]},
                    "source": indicator["source"],
                }
            )
    return issues


def _fragment_issues(result: RepairResult, programmes: list[dict]) -> list[dict]:
    issues = []
    for change in result.changes:
        if change.rule != "set_aside_sidebar_fragments":
            continue
        position = change.evidence["box_order"]
        number = programmes[position - 1]["number"] if position <= len(programmes) else None
        fragments = change.evidence["fragments"]
        end_line = change.source.line + change.before.rstrip().count("\n")
        issues.append(
            {
                "kind": "unplaced_fragment",
                "box": number,
                "detail": f"{len(fragments)} sidebar fragment(s) of box {number} whose place in the text is lost: {' / '.join(fragments)}",
                "data": {"text": fragments},
                "source": {"start_line": change.source.line, "end_line": end_line},
            }
        )
    return issues


def _changes_by_rule(result: RepairResult) -> dict[str, int]:
    counts = Counter(c.rule for c in result.changes)
    order = [r.__name__ for r in RULES]
    return {rule: counts[rule] for rule in sorted(counts, key=lambda r: (order.index(r) if r in order else len(order), r))}


def _line_count(text: str) -> int:
    if not text:
        return 0
    return text.count("\n") + (0 if text.endswith("\n") else 1)

