"""The bench's batch section: ``planrecover batch`` on a scan-heavy batch, timed.

The same documents with one and two workers on a local Dask cluster, on a real
``dask scheduler`` with two ``dask worker`` processes on loopback, and through a plain
``concurrent.futures.ProcessPoolExecutor`` doing the same per-document steps
(``pipeline.batchtask.run_document``: a document at a time per process, its pages read in
that process, in the environment Dask gives its workers) — so the figures say what Dask
costs and what spreading pages gains. Peak memory per worker is the resident size of a
worker process and the children it runs, sampled every 0.2 s. One and two local workers
and the pool are each run twice (BENCH_BATCH_REPEATS), interleaved; the fastest run
counts. From these: what 1 000 plans × 60 pages would take on N machines of this size.

    .venv/bin/python -m bench.batch      # this section alone; results.json's "batch" key

The batch: the stand-in scan (an image-only PDF), the garbled corpus extract with that
scan beside it, the two real PDFs of ../shared/realdocs (read from there, never copied
into the project) and three real text-form documents.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REALDOCS = ROOT.parent / "shared" / "realdocs"
CORPUS = ROOT / "corpus"
RESULTS = Path(__file__).with_name("results.json")
DPI = int(os.environ.get("BENCH_BATCH_DPI", "200"))
SAMPLE_SECONDS = 0.2
PLANS, PAGES_PER_PLAN = 1000, 60
MACHINES = (1, 10, 50)

SCANS = [("ip-protection-plan-2021-2025.standin-scan.pdf", None)]
WITH_SCAN = [("ip-protection-plan-2021-2025.garbled-extract.txt", "ip-protection-plan-2021-2025.standin-scan.pdf")]
REAL_PDFS = ["gov_wenwu_keji_14th_plan.pdf", "ncha_geming_wenwu_14th_plan.pdf"]
REAL_TEXTS = ["sh_beidou_3yr_action_plan_2021.md", "mem_yingji_14th_plan.md", "gz_family_doctor_plan_2023.html"]


def batch_manifest(folder: Path) -> tuple[Path, int]:
    """The batch's manifest (CSV: path, scan) and its number of documents."""
    rows = [(CORPUS / name, None) for name, _ in SCANS]
    rows += [(CORPUS / text, CORPUS / scan) for text, scan in WITH_SCAN]
    rows += [(REALDOCS / name, None) for name in REAL_PDFS + REAL_TEXTS]
    missing = [str(p) for row in rows for p in row if p is not None and not p.is_file()]
    if missing:
        raise SystemExit(f"bench.batch: missing inputs: {', '.join(missing)}")
    manifest = folder / "batch.csv"
    manifest.write_text("path,scan\n" + "".join(f"{path},{scan or ''}\n" for path, scan in rows), encoding="utf-8")
    return manifest, len(rows)


# ---- memory: resident size of each worker and its children -----------------------


class WorkerMemory:
    """Sample, every SAMPLE_SECONDS, the processes below ``parents`` that are Dask or pool
    workers (multiprocessing's spawned children); keep each one's peak tree RSS in MB."""

    def __init__(self, parents: list[int]):
        self.parents, self.peaks, self._stop = parents, {}, threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        import psutil

        while not self._stop.is_set():
            for parent in self.parents:
                try:
                    workers = [p for p in psutil.Process(parent).children(recursive=True) if _is_worker(p)]
                except psutil.Error:
                    continue
                for worker in workers:
                    self.peaks[worker.pid] = max(self.peaks.get(worker.pid, 0.0), _tree_rss_mb(worker))
            self._stop.wait(SAMPLE_SECONDS)

    @property
    def peak_mb(self) -> float:
        return round(max(self.peaks.values(), default=0.0), 1)


def _is_worker(process) -> bool:
    try:
        return "spawn_main" in " ".join(process.cmdline())
    except Exception:
        return False


def _tree_rss_mb(process) -> float:
    """A worker's resident memory with its steps' processes: what the batch's limits count."""
    import psutil

    from pipeline.batchtask import tree_rss_mb

    return tree_rss_mb(psutil, process.pid)


# ---- the runs ---------------------------------------------------------------------


def run_dask(manifest: Path, workers: int, scheduler: str | None = None, parents: list[int] | None = None) -> dict:
    """``planrecover batch`` in this process (the client), on a local cluster of ``workers``
    or on ``scheduler``; a fresh output folder, so every document is done."""
    from pipeline.batch import Settings, Summary, run_batch

    with tempfile.TemporaryDirectory(prefix="bench-batch-") as out:
        summary = Summary()
        started = time.perf_counter()
        with WorkerMemory(parents or [os.getpid()]) as memory:
            run_batch([str(manifest)], out, Settings(dpi=DPI), scheduler=scheduler, jobs=workers, progress=False, summary=summary)
        seconds = time.perf_counter() - started
        lines = [json.loads(line) for line in (Path(out) / "batch.jsonl").read_text(encoding="utf-8").splitlines()]
    failed = [Path(line["path"]).name for line in lines if line["status"] != "ok"]
    return _figures(seconds, summary.counts["ok"], summary.pages, memory.peak_mb, failed)


def run_pool(manifest: Path, workers: int) -> dict:
    """The same documents, the same per-document steps, in a plain process pool; each result
    written as the batch writes it (one folder per document, all or nothing)."""
    from pipeline.batch import Settings, collect_jobs, commit_document, document_task, plan_jobs

    jobs = collect_jobs([str(manifest)])
    planned = [item for item in plan_jobs(jobs, Settings(dpi=DPI), {}) if item.runs]
    with tempfile.TemporaryDirectory(prefix="bench-pool-") as out:
        started = time.perf_counter()
        ok, pages, failed = 0, 0, []
        with WorkerMemory([os.getpid()]) as memory, _dask_worker_environment(), \
                ProcessPoolExecutor(max_workers=workers, mp_context=_spawn()) as pool:
            from pipeline.batchtask import run_document

            futures = {pool.submit(run_document, document_task(item, Settings(dpi=DPI))): item for item in planned}
            for future, item in futures.items():
                result = future.result()
                if result.ok:
                    commit_document(Path(out) / "docs", item.doc_id, result.files)
                    ok += 1
                    pages += _scan_pages(result.files)
                else:
                    failed.append(Path(item.path).name)
        seconds = time.perf_counter() - started
    return _figures(seconds, ok, pages, memory.peak_mb, failed)


@contextmanager
def _dask_worker_environment():
    """The environment Dask's nanny gives its workers (one thread for BLAS and OpenMP, its
    heap setting), for the pool's processes too: the same work in the same conditions,
    whichever run came first (a nanny sets these in the process that starts it, and leaves them)."""
    import dask
    import distributed  # noqa: F401  (its defaults join dask's configuration on import)

    given = {k: str(v) for k, v in dask.config.get("distributed.nanny.pre-spawn-environ", {}).items() if v is not None}
    before = {k: os.environ.get(k) for k in given}
    os.environ.update(given)
    try:
        yield
    finally:
        for key, value in before.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def _spawn():
    import multiprocessing

    return multiprocessing.get_context("spawn")  # like Dask's workers: a fresh interpreter each


def _scan_pages(files: dict) -> int:
    from pipeline.batch import _scan_pages as pages_of

    return pages_of(files.get("plan.json")) or 0


def _figures(seconds: float, documents: int, pages: int, peak_mb: float, failed: list[str]) -> dict:
    return {
        "seconds": round(seconds, 1),
        "documents": documents,
        "pages": pages,
        "documents_per_minute": round(documents / seconds * 60, 2),
        "pages_per_minute": round(pages / seconds * 60, 2),
        "peak_rss_mb_per_worker": peak_mb,
        "failed": failed,
    }


def run_cli_cluster(manifest: Path, workers: int) -> dict:
    """A real ``dask scheduler`` and ``workers`` ``dask worker`` processes on loopback."""
    dask = Path(sys.executable).with_name("dask")
    port = _free_port()
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
           "DASK_DISTRIBUTED__WORKER__PROFILE__ENABLED": "False"}  # workers started as the README says

    def start(*args):
        return subprocess.Popen([str(dask), *args], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True, env=env)

    address = f"tcp://127.0.0.1:{port}"
    scheduler = start("scheduler", "--host", "127.0.0.1", "--port", str(port), "--no-dashboard")
    nannies = [start("worker", address, "--host", "127.0.0.1", "--nthreads", "1", "--no-dashboard", "--name", f"bench{n}")
               for n in range(workers)]
    try:
        _wait_for_workers(address, workers)
        return run_dask(manifest, workers, scheduler=address, parents=[p.pid for p in nannies])
    finally:
        for process in [*nannies, scheduler]:
            try:
                os.killpg(process.pid, signal.SIGTERM)
                process.wait(timeout=20)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for_workers(address: str, workers: int) -> None:
    from distributed import Client

    deadline = time.monotonic() + 60
    while True:
        try:
            with Client(address, timeout="5s") as client:
                client.wait_for_workers(workers, timeout=max(1, deadline - time.monotonic()))
                return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)


def step_startup(repeats: int = 3) -> dict:
    """What a step in a child costs before any work: a three-line plan through
    ``start_document`` (the child's interpreter, imports and first-use set-up: jieba's
    dictionary, the agency matcher, the schema), against the same extract in a warm process."""
    import contextlib
    import io

    from pipeline.batchtask import DocumentTask, start_document
    from pipeline.cli import build_parser

    text = "示范保护规划\n\n专栏1 示范工程\n\n建设示范平台。（国家知识产权局负责）\n"
    child = [start_document(DocumentTask("tiny.txt", text.encode())).seconds for _ in range(repeats)]
    with tempfile.TemporaryDirectory(prefix="bench-startup-") as folder:
        source = Path(folder) / "tiny.txt"
        source.write_text(text, encoding="utf-8")
        warm = []
        for n in range(repeats + 1):  # the first one warms this process up
            args = build_parser().parse_args(["extract", str(source), "--out", str(Path(folder) / f"out{n}")])
            began = time.perf_counter()
            with contextlib.redirect_stdout(io.StringIO()):
                args.run(args)
            warm.append(time.perf_counter() - began)
    return {"child_step_s": round(statistics.median(child), 2), "warm_extract_s": round(statistics.median(warm[1:]), 2)}


# ---- the section ------------------------------------------------------------------


REPEATS = int(os.environ.get("BENCH_BATCH_REPEATS", "2"))


def batch_section() -> tuple[dict, list[str]]:
    """The runs the ratios are made of (one and two local workers, the pool) are each made
    REPEATS times, interleaved, and the fastest counts, as timeit's does: on a shared
    machine the same 2-worker batch took 60 to 75 s, and a ratio of two single runs said
    more about the neighbours than about the batch. Every run's seconds are kept."""
    with tempfile.TemporaryDirectory(prefix="bench-batch-in-") as folder:
        manifest, documents = batch_manifest(Path(folder))
        samples: dict[str, list[dict]] = {"local_1": [], "local_2": [], "pool_2": []}
        for _ in range(REPEATS):
            samples["local_1"].append(run_dask(manifest, 1))
            samples["local_2"].append(run_dask(manifest, 2))
            samples["pool_2"].append(run_pool(manifest, 2))
        runs = {name: fastest(samples[name]) for name in ("local_1", "local_2")}
        runs["scheduler_2"] = run_cli_cluster(manifest, 2)
        runs["pool_2"] = fastest(samples["pool_2"])
    figures = {"documents": documents, "dpi": DPI, "cores": os.cpu_count(), "repeats": REPEATS, "runs": runs, "startup": step_startup()}
    figures["speedup_2_over_1"] = round(runs["local_1"]["seconds"] / runs["local_2"]["seconds"], 2)
    figures["speedup_scheduler_2_over_local_1"] = round(runs["local_1"]["seconds"] / runs["scheduler_2"]["seconds"], 2)
    figures["dask_overhead_over_pool"] = round(runs["local_2"]["seconds"] / runs["pool_2"]["seconds"] - 1, 3)
    figures["estimate"] = estimate(runs["scheduler_2"])
    return figures, batch_lines(figures)


def fastest(runs: list[dict]) -> dict:
    """The fastest of the runs, with every run's seconds beside it, and the peak memory of all."""
    best = min(runs, key=lambda run: run["seconds"])
    return {**best, "seconds_of_each_run": [run["seconds"] for run in runs],
            "peak_rss_mb_per_worker": max(run["peak_rss_mb_per_worker"] for run in runs)}  # memory: the most any run needed


def estimate(run: dict) -> dict:
    """1 000 plans × 60 pages on N machines of this size, at the pages per minute measured
    with this machine's two workers, assuming machines add up linearly (pages are
    independent tasks; the scheduler's own load is far below its limits at this rate)."""
    pages = PLANS * PAGES_PER_PLAN
    per_machine = run["pages_per_minute"]
    hours = {str(n): round(pages / (per_machine * n) / 60, 1) if per_machine else None for n in MACHINES}
    return {"plans": PLANS, "pages_per_plan": PAGES_PER_PLAN, "pages_per_minute_per_machine": per_machine, "hours_on_n_machines": hours}


def batch_lines(f: dict) -> list[str]:
    lines = ["", f"batch: {f['documents']} documents (scan-heavy: image-only scan, text + scan, two real PDFs, three text forms), {f['dpi']} dpi, {f['cores']} cores",
             f"  {'run':<14}{'seconds':>9}{'docs/min':>10}{'pages/min':>11}{'peak MB/worker':>16}  failed  (the fastest of {f.get('repeats', 1)} runs: each run's seconds)"]
    for name, run in f["runs"].items():
        each = ", ".join(f"{s:.1f}" for s in run.get("seconds_of_each_run", []))
        lines.append(f"  {name:<14}{run['seconds']:>9.1f}{run['documents_per_minute']:>10.2f}{run['pages_per_minute']:>11.2f}"
                     f"{run['peak_rss_mb_per_worker']:>16.0f}  {', '.join(run['failed']) or '-':<6}  {each}")
    s = f["startup"]
    e = f["estimate"]
    hours = ", ".join(f"{n} machine{'s' if n != '1' else ''}: {h} h" for n, h in e["hours_on_n_machines"].items())
    lines += [
        f"  2 workers / 1 worker (local): {f['speedup_2_over_1']}× (target ≥ 1.8); scheduler + 2 workers / local 1: {f['speedup_scheduler_2_over_local_1']}×",
        f"  Dask over a plain process pool (2 workers, same steps): {f['dask_overhead_over_pool'] * 100:+.1f} % (target ≤ 10 %)",
        f"  a step's child process before any work: {s['child_step_s']} s (a tiny plan; the same extract in a warm process {s['warm_extract_s']} s)",
        f"  1 000 plans × 60 pages at {e['pages_per_minute_per_machine']} pages/min per machine: {hours}",
    ]
    return lines


def main() -> int:
    figures, lines = batch_section()
    print("\n".join(lines))
    results = json.loads(RESULTS.read_text(encoding="utf-8")) if RESULTS.exists() else {}
    results["batch"] = figures
    RESULTS.write_text(json.dumps(results, ensure_ascii=False, indent=1, default=str) + "\n", encoding="utf-8")
    print(f"\n(figures in {RESULTS}, key batch)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
