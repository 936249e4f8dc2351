"""Time per character of the extraction patterns on hostile inputs of growing size.

Catastrophic backtracking shows as time growing faster than the input: each module-level
regular expression of the statement and table code is searched in inputs built to
tempt it (long runs of digits, brackets, separators, repeated year headers, agency
names without an end), at growing sizes. ``pattern_timings`` returns the figures; the
exponent (log of the time ratio over log of the size ratio) is 1 for linear time, 2 for
quadratic. A size is skipped once one search took longer than ``budget`` seconds, so a
pattern gone bad cannot hang the bench.
"""

from __future__ import annotations

import importlib
import math
import re
import time

MODULES = (
    "grammar.chars", "grammar.headers", "grammar.tables", "grammar.statements", "grammar.registry",
    "extract.indicators", "extract.tasks", "extract.agencies", "extract.programmes",
)
SIZES = (1_000, 4_000, 16_000)

# Each builds a hostile text of about n characters.
INPUTS = {
    "digits": lambda n: "1" * n + "x",
    "decimals": lambda n: "1." * (n // 2) + "x",
    "brackets": lambda n: "（" * (n // 2) + "x" + "）" * (n // 2),
    "year headers": lambda n: "指标" + "2020年" * (n // 5),
    "separators": lambda n: "、" * n + "牵头",
    "agency run": lambda n: "国家知识产权局" * (n // 7) + "牵头，",
    "spaces": lambda n: " \u3000" * (n // 2) + "。",
    "label run": lambda n: "责任单位：" * (n // 5) + "（",
}


def module_patterns(names=MODULES) -> dict[str, re.Pattern]:
    """Every compiled pattern held at module level, by ``module.NAME``."""
    found = {}
    for name in names:
        try:
            module = importlib.import_module(name)
        except ImportError:
            continue
        for attr, value in vars(module).items():
            if isinstance(value, re.Pattern):
                found[f"{name}.{attr}"] = value
    return found


def time_search(pattern: re.Pattern, text: str, repeat: int = 3) -> float:
    best = math.inf
    for _ in range(repeat):
        start = time.perf_counter()
        pattern.search(text)
        best = min(best, time.perf_counter() - start)
    return best


def growth_exponent(sizes: list[int], seconds: list[float]) -> float | None:
    """Slope of log(time) over log(size) between the first and last size measured."""
    if len(sizes) < 2 or seconds[0] <= 0:
        return None
    return math.log(max(seconds[-1], 1e-9) / seconds[0]) / math.log(sizes[-1] / sizes[0])


def pattern_timings(sizes=SIZES, budget: float = 1.0, patterns: dict[str, re.Pattern] | None = None) -> list[dict]:
    """One row per pattern and input kind: sizes measured, seconds, µs per character, exponent."""
    rows = []
    for label, pattern in sorted((patterns or module_patterns()).items()):
        for kind, build in INPUTS.items():
            measured, seconds = _measure(pattern, build, sizes, budget)
            exponent = growth_exponent(measured, seconds)
            rows.append({
                "pattern": label, "input": kind, "sizes": measured, "seconds": seconds,
                "us_per_char": 1e6 * seconds[-1] / measured[-1] if measured else math.inf,
                "exponent": None if exponent is None else round(exponent, 2),
                "stopped": len(measured) < len(sizes) or seconds[-1] > budget,  # over budget: not linear
            })
    return rows


def _measure(pattern: re.Pattern, build, sizes, budget: float) -> tuple[list[int], list[float]]:
    """Search at growing sizes in a child process, killed once a search outlasts ``budget``:
    a backtracking search holds the interpreter and cannot be interrupted from inside."""
    import multiprocessing

    receive, send = multiprocessing.get_context("fork").Pipe(duplex=False)
    child = multiprocessing.get_context("fork").Process(target=_searches, args=(pattern, build, sizes, budget, send), daemon=True)
    child.start()
    send.close()
    measured, seconds = [], []
    try:
        for _ in sizes:
            if not receive.poll(budget * 4 + 1.0):
                break  # still searching: over budget
            try:
                size, took = receive.recv()
            except EOFError:
                break
            measured.append(size)
            seconds.append(took)
            if took > budget:
                break
    finally:
        child.kill()
        child.join()
    return measured, seconds


def _searches(pattern, build, sizes, budget, send) -> None:
    for n in sizes:
        text = build(n)
        took = time_search(pattern, text)
        send.send((len(text), took))
        if took > budget:
            return


def summary(rows: list[dict]) -> dict:
    """The worst case, for the bench table: slowest µs per character and steepest growth."""
    worst = max((r for r in rows if r["sizes"]), key=lambda r: r["us_per_char"], default=None)
    # Searches under a millisecond are noise-bound; their exponent says nothing.
    timed = [r for r in rows if r["seconds"] and r["seconds"][-1] > 1e-3 and r["exponent"] is not None]
    steepest = max(timed, key=lambda r: r["exponent"], default=None)
    return {
        "patterns": len({r["pattern"] for r in rows}),
        "inputs": len(rows),
        "slowest_us_per_char": worst and round(worst["us_per_char"], 3),
        "slowest": worst and f"{worst['pattern']} on {worst['input']}",
        "steepest_exponent": steepest and steepest["exponent"],
        "steepest": steepest and f"{steepest['pattern']} on {steepest['input']}",
        "over_budget": [f"{r['pattern']} on {r['input']}" for r in rows if r["stopped"]],
    }


if __name__ == "__main__":
    import json

    print(json.dumps(summary(pattern_timings()), ensure_ascii=False, indent=2))
