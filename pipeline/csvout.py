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
    "baseline_year",
    "baseline",
    "baseline_raw",
    "target_year",
    "target",
    "target_raw",
    "increase_kind",
    "increase",
    "increase_raw",
    "attribute",
    "footnotes",
    "check_ok",
    "check_detail",
    "source_start_line",
    "source_end_line",
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
                "baseline_year": _value(baseline.get("year")),
                "baseline": _value(baseline.get("value")),
                "baseline_raw": baseline.get("raw", ""),
                "target_year": _value(target.get("year")),
                "target": _value(target.get("value")),
                "target_raw": target.get("raw", ""),
                "increase_kind": _value(increase.get("kind")),
                "increase": _value(increase.get("value")),
                "increase_raw": increase.get("raw", ""),
                "attribute": _value(r.get("attribute")),
                "footnotes": " ".join(f"{f['marker']}:{f['attached_to']}" for f in r.get("footnotes", [])),
                "check_ok": _check_ok(r.get("checks", [])),
                "check_detail": "; ".join(c.get("detail", "") for c in r.get("checks", [])),
                "source_start_line": _value(source.get("start_line")),
                "source_end_line": _value(source.get("end_line")),
            }
        )
    return rows


def indicators_csv(plan: dict) -> str:
    """The CSV text, BOM first; rows end in CRLF as RFC 4180 has it."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(indicator_rows(plan))
    return BOM + buffer.getvalue()
