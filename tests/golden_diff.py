"""Field-by-field comparison of a plan.json with the hand-verified golden one.

Returns readable differences ("programmes[6].number: got 10, expected 6"). Free-text
explanations (``detail``), registry ids, confidences, the summary and the figures behind
a damage finding (``evidence``, ``where``: measured, not read) are not compared:
they are ours to word, not facts read from the source.
"""

from __future__ import annotations

IGNORED_KEYS = {"detail", "registry_id", "confidence", "summary", "evidence", "where"}


def plan_differences(got: dict, expected: dict) -> list[str]:
    diffs: list[str] = []
    for key in expected:
        if key in IGNORED_KEYS:
            continue
        if key == "issues":
            diffs += _issue_differences(got.get("issues", []), expected["issues"])
        else:
            _compare(got.get(key, "<missing>"), expected[key], key, diffs)
    return diffs


def _compare(got, expected, path: str, diffs: list[str]) -> None:
    if isinstance(expected, dict) and isinstance(got, dict):
        for key in expected:
            if key not in IGNORED_KEYS:
                _compare(got.get(key, "<missing>"), expected[key], f"{path}.{key}", diffs)
        for key in got.keys() - expected.keys() - IGNORED_KEYS:
            diffs.append(f"{path}.{key}: unexpected field")
    elif isinstance(expected, list) and isinstance(got, list):
        if len(got) != len(expected):
            diffs.append(f"{path}: got {len(got)} elements, expected {len(expected)}")
        for i, (g, e) in enumerate(zip(got, expected)):
            _compare(g, e, f"{path}[{i}]", diffs)
    elif isinstance(expected, (int, float)) and isinstance(got, (int, float)) and not isinstance(expected, bool) and not isinstance(got, bool):
        if abs(got - expected) > 1e-9:
            diffs.append(f"{path}: got {got!r}, expected {expected!r}")
    elif got != expected:
        diffs.append(f"{path}: got {got!r}, expected {expected!r}")


def _issue_key(issue: dict) -> tuple:
    data = {k: v for k, v in issue.get("data", {}).items() if issue["kind"] != "body_text_lost"}
    source = issue.get("source") or {}
    return (issue["kind"], issue.get("box"), repr(sorted(data.items())), source.get("start_line"), source.get("end_line"))


def _issue_differences(got: list[dict], expected: list[dict]) -> list[str]:
    got_keys = [_issue_key(i) for i in got]
    expected_keys = [_issue_key(i) for i in expected]
    diffs = []
    for key in expected_keys:
        if key in got_keys:
            got_keys.remove(key)
        else:
            diffs.append(f"issues: missing {key}")
    diffs += [f"issues: unexpected {key}" for key in got_keys]
    return diffs
