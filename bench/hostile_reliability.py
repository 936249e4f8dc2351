"""The bench's reliability section: hostile inputs through extract, and faults while writing.

Each input of ``bench.hostile_corpus`` is run through ``pipeline.cli.main(["extract", …])``
in a child process of its own, under a time limit (a hang is killed and counted as that
input's failure, not the bench's). An input is handled when it ends in

- a clear error: a documented exit code, one line on stderr starting ``planrecover:``,
  no output folder and no staging leftovers; or
- an honest result: exit 0 and a complete ``plan.json``, no traceback.

Anything else (a traceback, exit 70, a hang, a killed child, a partial folder) is not
handled. The figures: inputs tried and handled per kind, the slowest time per character
of input (the run of ``main`` inside the child, the interpreter's start left out), and the
peak memory of the child process.

The fault-injection runs: ENOSPC raised at each step the writer takes (a new folder and a
replaced one, with and without the atomic exchange), and a writer process killed by
SIGKILL at seeded moments; nothing is lost when the previous result stays intact or the
new one is complete.
"""

from __future__ import annotations

import errno
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

from .hostile_corpus import Case, cases

ROOT = Path(__file__).resolve().parents[1]
DOCUMENTED = frozenset({0, 3, 4, 5, 6, 7, 10, 11, *range(20, 29)})
TIME_LIMIT = 20.0  # seconds per input
LARGE = 100_000  # characters: time per character is measured on inputs this large (small ones time the imports)
KILLS = 8
SEED = 20240610

CHILD = textwrap.dedent(
    """
    import json, sys, time
    from pipeline.cli import main
    report, source, out, *options = sys.argv[1:]
    start = time.perf_counter()
    code = main(["extract", source, "--out", out, *options])
    with open(report, "w", encoding="utf-8") as handle:
        json.dump({"code": code, "seconds": time.perf_counter() - start}, handle)
    sys.exit(code)
    """
)


def run_case(case: Case, folder: Path, limit: float = TIME_LIMIT) -> dict:
    """Run one input in a child process; what it did: exit code, stderr, seconds, peak memory, what it left."""
    data = case.build()
    source, out, report, err = folder / case.name, folder / "out", folder / "report.json", folder / "stderr.txt"
    source.write_bytes(data)
    with open(err, "wb") as stderr:
        child = subprocess.Popen([sys.executable, "-c", CHILD, str(report), str(source), str(out), *case.options],
                                 cwd=ROOT, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=stderr,
                                 env={**os.environ, "PYTHONPATH": str(ROOT)})
        code, usage, timed_out = _wait(child, limit)
    measured = json.loads(report.read_text(encoding="utf-8")) if report.exists() else {}
    return {
        "code": code,
        "stderr": err.read_text(encoding="utf-8", errors="replace"),
        "seconds": measured.get("seconds", limit if timed_out else None),
        "characters": len(data.decode("utf-8", errors="replace")),
        "peak_mb": usage.ru_maxrss / 1024 if usage else None,  # kB on Linux
        "timed_out": timed_out,
        "out_exists": out.exists(),
        "plan_json": (out / "plan.json").is_file(),
        "leftovers": [p.name for p in folder.iterdir() if ".staging-" in p.name],
    }


def _wait(child: subprocess.Popen, limit: float):
    """Exit code and resource usage of the child; killed once it outlasts ``limit``."""
    deadline = time.monotonic() + limit
    timed_out = False
    while True:
        pid, status, usage = os.wait4(child.pid, os.WNOHANG)
        if pid:
            child.returncode = os.waitstatus_to_exitcode(status)
            return child.returncode, usage, timed_out
        if time.monotonic() > deadline and not timed_out:
            child.send_signal(signal.SIGKILL)
            timed_out = True
        time.sleep(0.01)


def judge(outcome: dict) -> tuple[str, str]:
    """("error" | "result" | "failed", why): a clear error, an honest result, or not handled."""
    err, code = outcome["stderr"], outcome["code"]
    if outcome["timed_out"]:
        return "failed", "over the time limit"
    if "Traceback" in err or "internal error" in err:
        return "failed", f"exit {code}: {err.strip().splitlines()[-1][:120] if err.strip() else 'traceback'}"
    if code not in DOCUMENTED:
        return "failed", f"exit {code}, not a documented code"
    if code == 0:
        if not outcome["plan_json"] or outcome["leftovers"]:
            return "failed", "exit 0 without a complete result"
        return "result", ""
    if err.count("\n") != 1 or not err.startswith("planrecover: "):
        return "failed", f"exit {code} with {err.count(chr(10))} lines on stderr"
    if outcome["out_exists"] or outcome["leftovers"]:
        return "failed", f"exit {code} but something was written"
    return "error", ""


def hostile_inputs(corpus: list[Case] | None = None, runner=run_case, limit: float = TIME_LIMIT) -> dict:
    """Run every input; counts per kind and the worst figures."""
    kinds: dict[str, dict] = {}
    slowest, peak, failures, unexpected, runs = None, None, [], [], []
    for case in corpus if corpus is not None else cases():
        with tempfile.TemporaryDirectory(prefix="reliability-") as folder:
            outcome = runner(case, Path(folder), limit)
        verdict, why = judge(outcome)
        row = kinds.setdefault(case.kind, {"tried": 0, "errors": 0, "results": 0, "failed": 0})
        row["tried"] += 1
        row[{"error": "errors", "result": "results", "failed": "failed"}[verdict]] += 1
        if verdict == "failed":
            failures.append(f"{case.name}: {why}")
        elif case.expected and outcome["code"] not in case.expected:
            unexpected.append(f"{case.name}: exit {outcome['code']} (expected {'/'.join(map(str, sorted(case.expected)))})")
        runs.append({"name": case.name, "kind": case.kind, "code": outcome["code"], "verdict": verdict, "characters": outcome.get("characters"),
                     "seconds": outcome.get("seconds") and round(outcome["seconds"], 3), "peak_mb": outcome.get("peak_mb") and round(outcome["peak_mb"], 1)})
        if outcome.get("seconds") is not None and (outcome.get("characters") or 0) >= LARGE:
            us = 1e6 * outcome["seconds"] / outcome["characters"]
            if slowest is None or us > slowest[0]:
                slowest = (us, case.name)
        if outcome.get("peak_mb") is not None and (peak is None or outcome["peak_mb"] > peak[0]):
            peak = (outcome["peak_mb"], case.name)
    tried = sum(r["tried"] for r in kinds.values())
    failed = sum(r["failed"] for r in kinds.values())
    return {
        "kinds": kinds,
        "tried": tried,
        "handled": tried - failed,
        "failures": failures,
        "unexpected_codes": unexpected,
        "slowest_us_per_char": slowest and round(slowest[0], 3),
        "slowest": slowest and slowest[1],
        "peak_mb": peak and round(peak[0], 1),
        "peak": peak and peak[1],
        "time_limit_s": limit,
        "runs": runs,
    }


# ---------------------------------------------------------------- faults while writing

NAMES = ("plan.json", "plan.repaired.txt", "changes.jsonl", "plan.diff", "report.html")
STEPS = ("_make_staging", "_write_file", "_link_or_copy", "_rename", "_renameat2_exchange")


def result_files(tag: str, size: int = 200) -> dict[str, str]:
    """A result whose every file says which run wrote it."""
    return {name: f"{tag} {name}\n" + "文" * size for name in NAMES}


def folder_state(folder: Path) -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(folder.iterdir())} if folder.exists() else {}


def staging_leftovers(parent: Path) -> list[str]:
    from pipeline import write

    return [p.name for p in parent.iterdir() if write.STAGING_MARK in p.name or ".previous-" in p.name]


def patched_write(fail_at: int | None, no_exchange: bool):
    """Patch the writer's disk steps to count calls and raise ENOSPC at ``fail_at``; returns (counter, undo)."""
    from pipeline import write

    saved = {name: getattr(write, name) for name in STEPS}
    calls = [0]

    def wrap(name, step):
        def patched(*args, **kwargs):
            calls[0] += 1
            if calls[0] == fail_at:
                if name == "_write_file":
                    Path(args[0]).write_text(args[1][: len(args[1]) // 2], encoding="utf-8")  # the disk filled mid-file
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
            return step(*args, **kwargs)

        return patched

    for name, step in saved.items():
        setattr(write, name, wrap(name, step))
    if no_exchange:
        write._renameat2_exchange = wrap("_renameat2_exchange", lambda a, b: False)

    def undo():
        for name, step in saved.items():
            setattr(write, name, step)

    return calls, undo


def enospc_runs() -> dict:
    """ENOSPC at each step of each scenario: the previous result (or no folder) must stay, nothing left over."""
    from pipeline.errors import OutputError
    from pipeline.write import write_outputs

    runs, lost, named = 0, [], 0
    for scenario in ("new", "replace", "replace-two-renames"):
        with tempfile.TemporaryDirectory(prefix="enospc-") as tmp:
            def setup(folder: Path) -> tuple[Path, dict]:
                folder.mkdir()
                out = folder / "out"
                if scenario != "new":
                    write_outputs(out, result_files("old"))
                    (out / "notes.txt").write_text("mine", encoding="utf-8")
                return out, folder_state(out)

            out, _ = setup(Path(tmp) / "count")
            calls, undo = patched_write(None, scenario == "replace-two-renames")
            try:
                write_outputs(out, result_files("new"))
            finally:
                undo()
            for fail_at in range(1, calls[0] + 1):
                case = Path(tmp) / f"case{fail_at}"
                out, before = setup(case)
                _, undo = patched_write(fail_at, scenario == "replace-two-renames")
                message = ""
                try:
                    write_outputs(out, result_files("new"))
                except OutputError as exc:
                    message = str(exc)
                finally:
                    undo()
                runs += 1
                named += "no space left on the device" in message
                if folder_state(out) != before or staging_leftovers(case):
                    lost.append(f"{scenario} step {fail_at}")
    return {"runs": runs, "lost": lost, "reason_named": named}


WRITER = textwrap.dedent(
    """
    import sys
    from pipeline.write import write_outputs
    out, count = sys.argv[1], int(sys.argv[2])
    names = ("plan.json", "plan.repaired.txt", "changes.jsonl", "plan.diff", "report.html")
    for generation in range(count):
        write_outputs(out, {n: f"run-{generation}\\n" + "文" * 100_000 for n in names})
        if generation == 0:
            print("ready", flush=True)
    """
)


def kill_runs(kills: int = KILLS, seed: int = SEED) -> dict:
    """A writer killed by SIGKILL at seeded moments: after each, one complete result of one generation."""
    rng = random.Random(seed)
    lost = []
    with tempfile.TemporaryDirectory(prefix="kills-") as tmp:
        out = Path(tmp) / "out"
        for n in range(kills):
            child = subprocess.Popen([sys.executable, "-c", WRITER, str(out), "1000"], cwd=ROOT, stdout=subprocess.PIPE, text=True,
                                     env={**os.environ, "PYTHONPATH": str(ROOT)})
            ready = child.stdout.readline() == "ready\n"
            time.sleep(rng.uniform(0.0, 0.15))
            child.send_signal(signal.SIGKILL)
            child.wait()
            child.stdout.close()
            state = folder_state(out)
            generations = {text.split("\n", 1)[0] for text in state.values()}
            if not ready or set(state) != set(NAMES) or len(generations) != 1:
                lost.append(f"kill {n + 1}")
    return {"runs": kills, "lost": lost, "seed": seed}


# ---------------------------------------------------------------- the section


def reliability_section(corpus: list[Case] | None = None, runner=run_case, faults: bool = True, limit: float = TIME_LIMIT) -> tuple[dict, list[str]]:
    """Figures (results["reliability"]) and the table's lines."""
    figures = {"inputs": hostile_inputs(corpus, runner, limit)}
    if faults:
        figures["enospc"] = enospc_runs()
        figures["kills"] = kill_runs()
    return figures, reliability_lines(figures)


def reliability_lines(figures: dict) -> list[str]:
    inputs = figures["inputs"]
    lines = [
        "",
        f"reliability: {inputs['tried']} hostile inputs through extract, one child process each ({inputs['time_limit_s']:.0f} s limit): "
        f"{inputs['handled']} handled (a clear error or an honest result)",
        f"  {'kind':<22}{'tried':>6}{'errors':>8}{'results':>9}{'failed':>8}",
    ]
    for kind, row in inputs["kinds"].items():
        lines.append(f"  {kind:<22}{row['tried']:>6}{row['errors']:>8}{row['results']:>9}{row['failed']:>8}")
    lines.append(f"  slowest {inputs['slowest_us_per_char']} µs per character on inputs of {LARGE:,}+ characters ({inputs['slowest']}); peak memory {inputs['peak_mb']} MB ({inputs['peak']})")
    lines.append(f"  not handled: {'; '.join(inputs['failures']) or 'none'}")
    if inputs["unexpected_codes"]:
        lines.append(f"  handled, other exit code than expected: {'; '.join(inputs['unexpected_codes'])}")
    if "enospc" in figures:
        e, k = figures["enospc"], figures["kills"]
        lines.append(f"  faults while writing: ENOSPC at each step, {e['runs']} runs, {len(e['lost'])} lost, reason named in {e['reason_named']}; "
                     f"SIGKILL at seeded moments (seed {k['seed']}), {k['runs']} runs, {len(k['lost'])} lost")
        if e["lost"] or k["lost"]:
            lines.append(f"  lost: {', '.join(e['lost'] + k['lost'])}")
    return lines


if __name__ == "__main__":
    print("\n".join(reliability_section()[1]))
