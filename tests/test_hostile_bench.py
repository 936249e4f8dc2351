"""bench/hostile.py tells a linear pattern from a backtracking one (figures, not timed assertions on the code)."""

import re

from bench.hostile import pattern_timings, summary


def test_a_backtracking_pattern_is_stopped_and_named():
    patterns = {"linear": re.compile(r"x"), "nested": re.compile(r"^(1+)+$")}
    rows = pattern_timings(sizes=(10, 200, 10_000), budget=0.05, patterns=patterns)
    by = {(r["pattern"], r["input"]): r for r in rows}
    assert by[("nested", "digits")]["stopped"] and not by[("linear", "digits")]["stopped"]
    figures = summary(rows)
    assert figures["patterns"] == 2 and "nested on digits" in figures["over_budget"]
    assert "linear on digits" not in figures["over_budget"]
