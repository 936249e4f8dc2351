"""What a PDF's text layer holds that the plan read from it lacks: said, never silent.

A broken PDF's layer, garbled as it is, still prints its 专栏 headers and the rows of
its indicator table. When the plan has no box with a header's title, or no indicator
while the layer holds a table, something was lost between the layer and the plan (a
header OCR and fusion read into another, a table whose rows lost their cells): an
issue ``structure_lost`` names what, and the layer line that holds it.
"""

from __future__ import annotations

import re

from grammar.chars import HAN_RE
from grammar.headers import box_header_match

MIN_SHARED = 0.6  # a header's title is a box's when this share of its Han characters is in the box's title
TABLE_TABS = 3  # a line with this many tabs is a table row
YEAR = re.compile(r"(?:19|20)\d\d")


def structure_lost_issues(layer_text: str, plan: dict) -> list[dict]:
    """Issues for the boxes and the indicator table the layer holds and the plan lacks."""
    lines = layer_text.split("\n")
    return _lost_boxes(lines, plan) + _lost_table(lines, plan)


def _han(text: str) -> str:
    return "".join(HAN_RE.findall(text))


def _is_title_of(header_title: str, box_title: str) -> bool:
    header, box = _han(header_title), _han(box_title)
    if not header or not box:
        return False
    shared = sum(1 for c in header if c in box)
    return header in box or box in header or shared >= MIN_SHARED * len(header)


def _lost_boxes(lines: list[str], plan: dict) -> list[dict]:
    titles = [box["title"] for box in plan.get("programmes", [])]
    issues = []
    for number, line in enumerate(lines, start=1):
        match = box_header_match(line)
        if not match or not match.group("title") or not _han(match.group("title")):
            continue
        if any(_is_title_of(match.group("title"), title) for title in titles):
            continue
        printed = line.strip()
        issues.append({
            "kind": "structure_lost",
            "box": None,
            "detail": f"the text layer holds {printed!r} (line {number}) but the plan has no box with that title",
            "data": {"what": "box", "printed": printed, "number_printed": (match.group("num") or "").strip() or None},
            "source": {"start_line": number, "end_line": number},
        })
    return issues


def _lost_table(lines: list[str], plan: dict) -> list[dict]:
    if plan.get("indicators"):
        return []
    rows = [n for n, line in enumerate(lines, start=1) if line.count("\t") >= TABLE_TABS]
    header = next((n for n in rows if len(YEAR.findall(lines[n - 1])) >= 2), None)
    if header is None:
        return []
    count = sum(1 for n in rows if n >= header)
    return [{
        "kind": "structure_lost",
        "box": None,
        "detail": f"the text layer holds a table of {count} rows under the header at line {header} but the plan has no indicator",
        "data": {"what": "indicator_table", "printed": lines[header - 1].strip(), "rows": count},
        "source": {"start_line": header, "end_line": max(rows)},
    }]
