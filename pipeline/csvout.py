"""indicators.csv and assignments.csv: plan.json's tables for pandas and spreadsheets.

UTF-8 with a byte-order mark (so Excel and LibreOffice read the Chinese names
correctly when the file is double-clicked). indicators.csv: one row per indicator,
values as numbers (empty for — or an unreadable cell) beside the cells as printed.
assignments.csv: one row per agency × box or task × role, to pivot who does what.

    pandas.read_csv("out/indicators.csv", encoding="utf-8-sig")
"""

from __future__ import annotations

import csv
import io

INDICATORS_CSV = "indicators.csv"
BOM = "\ufeff"

COLUMNS = (
    "seq",
    "name",
    "unit",
    "category",
    "baseline_year",
    "baseline",
    "baseline_raw",
    "baseline_value_kind",
    "target_year",
    "target",
    "target_raw",
    "target_value_kind",
    "increase_kind",
    "increase",
    "increase_raw",
    "increase_value_kind",
    "attribute",
    "footnotes",
    "check_ok",
    "check_detail",
    "source_start_line",
    "source_end_line",
    "table",
)


def _value(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _check_ok(checks: list[dict]) -> str:
    """false if any check fails, true if all pass, empty when nothing could be checked."""
    results = [c.get("ok") for c in checks]
    if False in results:
        return "false"
    if results and all(r is True for r in results):
        return "true"
    return ""


def indicator_rows(plan: dict) -> list[dict[str, str]]:
    rows = []
    for r in plan.get("indicators", []):
        baseline, target = r.get("baseline") or {}, r.get("target") or {}
        increase = r.get("increase") or {}
        source = r.get("source") or {}
        rows.append(
            {
                "seq": _value(r.get("seq")),
                "name": r.get("name", ""),
                "unit": _value(r.get("unit")),
                "category": _value(r.get("category")),
                "baseline_year": _value(baseline.get("year")),
                "baseline": _value(baseline.get("value")),
                "baseline_raw": baseline.get("raw", ""),
                "baseline_value_kind": _value_kind(baseline),
                "target_year": _value(target.get("year")),
                "target": _value(target.get("value")),
                "target_raw": target.get("raw", ""),
                "target_value_kind": _value_kind(target),
                "increase_kind": _value(increase.get("kind")),
                "increase": _value(increase.get("value")),
                "increase_raw": increase.get("raw", ""),
                "increase_value_kind": _value_kind(increase),
                "attribute": _value(r.get("attribute")),
                "footnotes": " ".join(f"{f.get('note') or f['marker']}:{f['attached_to']}" for f in r.get("footnotes", [])),
                "check_ok": _check_ok(r.get("checks", [])),
                "check_detail": "; ".join(c.get("detail", "") for c in r.get("checks", [])),
                "source_start_line": _value(source.get("start_line")),
                "source_end_line": _value(source.get("end_line")),
                "table": _value(r.get("table")),
            }
        )
    return rows


def _value_kind(cell: dict) -> str:
    """number, none, words, or a range / bound spelled out for a spreadsheet: range 40..45,
    bound >=50."""
    kind = cell.get("value_kind")
    if kind == "range":
        return f"range {_value(cell.get('low'))}..{_value(cell.get('high'))}"
    if kind == "bound":
        return f"bound {cell.get('sense', '')}{_value(cell.get('limit'))}"
    return _value(kind)


def indicators_csv(plan: dict) -> str:
    """The CSV text, BOM first; rows end in CRLF as RFC 4180 has it."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(indicator_rows(plan))
    return BOM + buffer.getvalue()


ASSIGNMENTS_CSV = "assignments.csv"

ASSIGNMENT_COLUMNS = (
    "agency",
    "printed",
    "status",
    "registered",
    "level",
    "role",
    "kind",
    "box",
    "task",
    "path",
    "heading",
    "form",
    "source_start_line",
    "source_end_line",
)


def assignment_rows(plan: dict) -> list[dict[str, str]]:
    """Boxes first, then tasks, in reading order. ``agency`` is the official name (the
    printed one for a body the registry does not hold); a name that could not be resolved
    (ambiguous, unknown) keeps only ``printed`` and its ``status``; collectives (各区政府)
    are rows of role ``group``. A body that leads a box or task is not listed again as
    taking part in it."""
    agencies = {a["name"]: a for a in plan.get("agencies", [])}
    rows: dict[tuple, dict[str, str]] = {}
    for box in plan.get("programmes", []):
        target = {"kind": "box", "box": _value(box.get("number")), "task": "", "path": "", "heading": box.get("title") or ""}
        for assignment in box.get("assignments", []):
            _add_entries(rows, agencies, target, assignment.get("entries", []), [], assignment)
    for task in plan.get("tasks", []):
        if "entries" not in task:
            continue
        target = {"kind": "task", "box": "", "task": _value(task["index"]), "path": "/".join(task["path"]), "heading": task.get("heading") or ""}
        _add_entries(rows, agencies, target, task["entries"], task.get("groups", []), task)
    return [row for (who, role, where), row in rows.items() if not (role == "participant" and (who, "lead", where) in rows)]


def _add_entries(rows: dict, agencies: dict, target: dict, entries: list[dict], groups: list[str], statement: dict) -> None:
    source = statement.get("source") or {}
    common = {
        **target,
        "form": statement.get("form") or "",
        "source_start_line": _value(source.get("start_line")),
        "source_end_line": _value(source.get("end_line")),
    }
    where = (target["kind"], target["box"], target["task"])
    named = [(e["name"], e["printed"], e["status"], e["role"]) for e in entries] + [(None, g, "group", "group") for g in groups]
    for name, printed, status, role in named:
        who = name or printed
        agency = agencies.get(name) if name else None
        rows.setdefault(
            (who, role, where),
            {
                "agency": name or "",
                "printed": printed,
                "status": status,
                "registered": _value(agency["registered"]) if agency else "",
                "level": agency["level"] if agency else "",
                "role": role,
                **common,
            },
        )


def assignments_csv(plan: dict) -> str:
    """The CSV text, BOM first; rows end in CRLF as RFC 4180 has it."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=ASSIGNMENT_COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(assignment_rows(plan))
    return BOM + buffer.getvalue()
