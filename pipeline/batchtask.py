"""One document of a batch, as a worker runs it: ``extract`` in a child process.

The child is ``planrecover extract`` itself (the same parser, the same function), run
in a scratch folder of the worker: so a batch writes what a single run writes, byte for
byte, and a document that hangs, eats memory or crashes native code costs only its own
process. The worker enforces the time and memory limits, reads the files the child
wrote and hands them back; it writes nothing the user sees (the batch's client does).

    python -m pipeline.batchtask RESULT.json PARENT_PID extract INPUT --out DIR …

is the child's command line: the extract arguments, plus where to leave the outcome
(exit code, the failure's type and message) and which process to die with.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from .errors import PlanRecoverError

EXIT_INTERNAL = 70
POLL_SECONDS = 0.2


class BatchManifestError(PlanRecoverError):
    """A manifest (CSV or JSONL) that cannot be read: no path column, a line that is not JSON."""

    exit_code = 2


class ClusterUnavailable(PlanRecoverError):
    """The Dask scheduler cannot be reached, or was lost during the batch."""

    exit_code = 30


class DocumentTimeLimit(PlanRecoverError):
    """A document took longer than the batch's per-document time limit."""

    exit_code = 31


class DocumentMemoryLimit(PlanRecoverError):
    """A document needed more memory than the batch's per-document limit."""

    exit_code = 32


class DocumentCrashed(PlanRecoverError):
    """The process reading a document died (a signal), or killed its workers again and again."""

    exit_code = 33


@dataclass(frozen=True)
class DocumentTask:
    """What a worker needs: the inputs' bytes travel with the task, so workers need no
    shared folder, and a task rerun after a worker died has everything it needs."""

    name: str  # the input's file name: plan.json and the report name it
    data: bytes = field(repr=False)
    extract_args: tuple[str, ...] = ()  # --format, --plan-year, --allow-empty, OCR options
    scan_name: str | None = None
    scan_data: bytes | None = field(default=None, repr=False)
    time_limit: float = 3600.0
    memory_limit_mb: int = 4096


@dataclass(frozen=True)
class DocumentResult:
    exit_code: int
    reason: str | None = None  # the failure's type (NoPlanStructure, DocumentTimeLimit, …)
    message: str | None = None
    files: dict[str, bytes] = field(default_factory=dict, repr=False)
    seconds: float = 0.0
    peak_rss_mb: float = 0.0
    version: str | None = None  # planrecover on the worker
    notes: tuple[str, ...] = ()  # what the reader said on stderr (a clamped table span …)

    @property
    def ok(self) -> bool:
        return self.exit_code == 0


def run_document(task: DocumentTask) -> DocumentResult:
    """The Dask task: run the child on the task's inputs, within its limits."""
    scratch = Path(tempfile.mkdtemp(prefix="planrecover-batch-"))
    try:
        source = _place(scratch / "input", task.name, task.data)
        args = ["extract", str(source), "--out", str(scratch / "out"), *task.extract_args]
        if task.scan_name is not None:
            args += ["--scan", str(_place(scratch / "scan", task.scan_name, task.scan_data or b""))]
        result_file = scratch / "result.json"
        command = [sys.executable, "-m", "pipeline.batchtask", str(result_file), str(os.getpid()), *args]
        started = time.perf_counter()
        returncode, peak, stderr, limit = _run_limited(command, task.time_limit, task.memory_limit_mb)
        seconds = round(time.perf_counter() - started, 3)
        if limit is not None:
            return DocumentResult(limit.exit_code, type(limit).__name__, str(limit), seconds=seconds, peak_rss_mb=peak)
        outcome = _read_outcome(result_file)
        notes = tuple(line for line in stderr.splitlines() if line.startswith("planrecover: note: "))
        if outcome is None:  # died before it could say why
            reason = DocumentCrashed(f"{task.name}: the process reading it died ({_how(returncode)}); {_last_line(stderr)}")
            return DocumentResult(reason.exit_code, "DocumentCrashed", str(reason), seconds=seconds, peak_rss_mb=peak, notes=notes)
        files = _read_files(scratch / "out") if outcome["exit"] == 0 else {}
        return DocumentResult(
            outcome["exit"], outcome.get("reason"), outcome.get("message"), files, seconds, peak, outcome.get("version"), notes
        )
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _place(folder: Path, name: str, data: bytes) -> Path:
    folder.mkdir()
    path = folder / name
    path.write_bytes(data)
    return path


def _run_limited(command: list[str], time_limit: float, memory_limit_mb: int):
    """Run ``command``; kill it (and what it started) past the time or memory limit.

    Memory is the resident size of the child and its own children (an OCR pool),
    measured every POLL_SECONDS: a limit on address space would refuse the OCR
    runtimes' large, mostly untouched reservations."""
    import psutil

    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(Path(__file__).resolve().parents[1]), os.environ.get("PYTHONPATH")]))}
    child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    deadline = time.monotonic() + time_limit
    peak, limit = 0.0, None
    stderr_chunks: list[bytes] = []
    reader = _drain(child.stderr, stderr_chunks)
    try:
        while child.poll() is None:
            peak = max(peak, _tree_rss_mb(psutil, child.pid))
            if peak > memory_limit_mb:
                limit = DocumentMemoryLimit(f"needed more than {memory_limit_mb} MB (the batch's --memory-limit); stopped")
            elif time.monotonic() > deadline:
                limit = DocumentTimeLimit(f"took longer than {time_limit:g} s (the batch's --time-limit); stopped")
            if limit is not None:
                _kill_tree(psutil, child.pid)
                break
            time.sleep(POLL_SECONDS)
        child.wait()
    finally:
        if child.poll() is None:  # the worker itself is being stopped
            _kill_tree(psutil, child.pid)
        reader.join()
    return child.returncode, round(peak, 1), b"".join(stderr_chunks).decode("utf-8", "replace"), limit


def _drain(stream, chunks: list[bytes]):
    """Read the child's stderr in a thread, so a chatty child never blocks on a full pipe."""
    import threading

    thread = threading.Thread(target=lambda: chunks.extend(iter(lambda: stream.read(65536), b"")), daemon=True)
    thread.start()
    return thread


def _tree_rss_mb(psutil, pid: int) -> float:
    try:
        process = psutil.Process(pid)
        members = [process, *process.children(recursive=True)]
    except psutil.Error:
        return 0.0
    total = 0
    for member in members:
        try:
            total += member.memory_info().rss
        except psutil.Error:
            pass
    return total / 2**20


def _kill_tree(psutil, pid: int) -> None:
    try:
        process = psutil.Process(pid)
        members = [*process.children(recursive=True), process]
    except psutil.Error:
        return
    for member in members:
        try:
            member.kill()
        except psutil.Error:
            pass


def _read_outcome(path: Path) -> dict | None:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _read_files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()} if folder.is_dir() else {}


def _how(returncode: int) -> str:
    if returncode < 0:
        try:
            return f"signal {signal.Signals(-returncode).name}"
        except ValueError:
            return f"signal {-returncode}"
    return f"exit {returncode}"


def _last_line(text: str) -> str:
    lines = [line for line in text.splitlines() if line.strip()]
    return lines[-1][:300] if lines else "it printed nothing"


# ---- the child ---------------------------------------------------------------


def child_main(argv: list[str]) -> int:
    """Run ``planrecover extract`` as the CLI does, and leave its outcome in a file."""
    result_file, parent, extract_argv = Path(argv[0]), int(argv[1]), argv[2:]
    _die_with(parent)
    from . import __version__
    from .cli import build_parser

    outcome = {"exit": 0, "reason": None, "message": None, "version": __version__}
    try:
        args = build_parser().parse_args(extract_argv)
        args.run(args)
    except PlanRecoverError as exc:
        outcome.update(exit=exc.exit_code, reason=type(exc).__name__, message=str(exc))
    except SystemExit as exc:  # argparse: arguments the worker's planrecover does not know
        outcome.update(exit=2, reason="UsageError", message=f"the worker's planrecover {__version__} refused the arguments (exit {exc.code})")
    except MemoryError:
        outcome.update(exit=DocumentMemoryLimit.exit_code, reason="DocumentMemoryLimit", message="ran out of memory")
    except Exception as exc:  # a bug: the document fails, the batch goes on
        outcome.update(exit=EXIT_INTERNAL, reason="InternalError", message=f"internal error: {type(exc).__name__}: {exc}")
    result_file.write_text(json.dumps(outcome, ensure_ascii=False), encoding="utf-8")
    return outcome["exit"]


def _die_with(parent: int) -> None:
    """A worker that dies takes its child along (Linux): the rerun elsewhere is the only one."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass
    if os.getppid() != parent:  # the parent was gone before the line above
        os._exit(1)


if __name__ == "__main__":
    sys.exit(child_main(sys.argv[1:]))
