"""indicators.csv: the indicator table for pandas and spreadsheet programs.

UTF-8 with a byte-order mark (so Excel and LibreOffice read the Chinese names
correctly when the file is double-clicked), one row per indicator, values as numbers
(empty for — or an unreadable cell) beside the cells as printed.

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
                "footnotes": " ".join(f"{f['marker']}:{f['attached_to']}" for f in r.get("footnotes", [])),
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
