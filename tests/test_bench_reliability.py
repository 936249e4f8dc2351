"""The bench's reliability section counts hostile inputs honestly: a traceback is not handled."""

from pathlib import Path

from bench.hostile_corpus import Case, mixed_encodings, odd_characters, pdf_claiming_pages
from bench.hostile_reliability import reliability_lines, reliability_section, run_case


def _outcome(**changes) -> dict:
    outcome = {"code": 5, "stderr": "planrecover: not a text extract\n", "seconds": 0.01, "characters": 10, "peak_mb": 50.0,
               "timed_out": False, "out_exists": False, "plan_json": False, "leftovers": []}
    return {**outcome, **changes}


TRACEBACK = 'Traceback (most recent call last):\n  File "cli.py", line 1, in main\nValueError: boom\n'


def fake_runner(outcomes: dict[str, dict]):
    def run(case: Case, folder: Path, limit: float) -> dict:
        return outcomes[case.name]

    return run


def test_a_traceback_a_hang_and_a_partial_folder_are_not_handled():
    corpus = [Case("k", name, bytes) for name in ("clear", "honest", "traceback", "internal", "hang", "wrote", "two-lines")]
    runner = fake_runner({
        "clear": _outcome(),
        "honest": _outcome(code=0, stderr="", out_exists=True, plan_json=True),
        "traceback": _outcome(code=1, stderr=TRACEBACK),
        "internal": _outcome(code=70, stderr="planrecover: internal error: ValueError: boom\n"),
        "hang": _outcome(code=-9, stderr="", timed_out=True),
        "wrote": _outcome(out_exists=True),
        "two-lines": _outcome(stderr="planrecover: a\nplanrecover: b\n"),
    })
    figures, lines = reliability_section(corpus, runner, faults=False)
    inputs = figures["inputs"]
    assert inputs["kinds"]["k"] == {"tried": 7, "errors": 1, "results": 1, "failed": 5}
    assert inputs["tried"] == 7 and inputs["handled"] == 2
    failed = " ".join(inputs["failures"])
    assert all(name in failed for name in ("traceback", "internal", "hang", "wrote", "two-lines"))
    assert "clear" not in failed and "honest" not in failed
    assert any("7 hostile inputs" in line and "2 handled" in line for line in lines)


def test_the_real_corpus_is_counted_on_small_hostile_inputs():
    corpus = [
        Case("mixed encodings", "mixed.txt", mixed_encodings, (), frozenset({5})),
        Case("PDF of 100 000 pages", "claims.pdf", lambda: pdf_claiming_pages(100_000), (), frozenset({21})),
        Case("bidi, zero-width", "odd.txt", odd_characters, (), frozenset({0})),
    ]
    figures, lines = reliability_section(corpus, run_case, faults=False, limit=60)
    inputs = figures["inputs"]
    assert inputs["tried"] == 3 and inputs["handled"] == 3, inputs["failures"]
    assert inputs["kinds"]["mixed encodings"] == {"tried": 1, "errors": 1, "results": 0, "failed": 0}
    assert inputs["kinds"]["PDF of 100 000 pages"]["errors"] == 1
    assert inputs["kinds"]["bidi, zero-width"]["results"] == 1
    assert inputs["unexpected_codes"] == []
    assert {run["code"] for run in inputs["runs"]} == {5, 21, 0}
    assert all(run["peak_mb"] and run["peak_mb"] > 1 for run in inputs["runs"])


def test_the_lines_name_lost_fault_runs():
    figures = {
        "inputs": {"tried": 0, "handled": 0, "kinds": {}, "failures": [], "unexpected_codes": [], "slowest_us_per_char": None,
                   "slowest": None, "peak_mb": None, "peak": None, "time_limit_s": 20},
        "enospc": {"runs": 3, "lost": ["replace step 2"], "reason_named": 3},
        "kills": {"runs": 2, "lost": [], "seed": 1},
    }
    text = "\n".join(reliability_lines(figures))
    assert "3 runs, 1 lost" in text and "replace step 2" in text
