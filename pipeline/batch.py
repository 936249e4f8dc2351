"""Many documents at once: ``planrecover batch INPUT… --out DIR``.

inputs (files, folders, globs, manifests) -> jobs -> identity (doc-id from the content
hash; a key from content, tool version and settings) -> plan (skip what is done, skip
duplicates) -> Dask tasks per document (``pipeline.batchtask``: ``extract`` in a child
process up to its OCR, a task per image to read, ``extract`` again with the readings;
each child with time and memory limits) -> the client writes each document's folder
all or nothing and appends its status line -> batch.jsonl compacted, the corpus
database built (``pipeline.corpusdb``).

Layout of DIR:

    DIR/docs/<doc-id>/   what ``planrecover extract`` writes for that document
    DIR/batch.jsonl      one status line per input (the latest run's word on it)
    DIR/corpus.duckdb    the tables of every document done; DIR/parquet/ the same as Parquet

Only the client writes into DIR, so a task that Dask reruns after a worker died is
written once. A document that needs OCR (a scan's pages, a PDF's embedded images) has a
task per image, so one long scan spreads over every worker (``pipeline.batchtask``).
"""

from __future__ import annotations

import csv
import glob
import hashlib
import io
import json
import os
import shutil
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path

from . import __version__
from .batchtask import (BatchManifestError, ClusterUnavailable, DocumentCrashed, DocumentResult, DocumentTask, Head, carried_of, finish_document,
                        head_of, job_of, read_job, start_document)
from .errors import InputNotFound, InputUnreadable, OutputError
from .write import PLAN_JSON, write_outputs

STATUS_FILE = "batch.jsonl"
DOCS = "docs"
LOCK_FILE = ".batch.lock"
MANIFEST_SUFFIXES = (".csv", ".jsonl")
FORMATS = ("auto", "text", "html", "markdown", "mineru", "docx", "doc", "pdf")
DOC_ID_LENGTH = 16  # hex digits of the content hash: 64 bits, no clash in any real corpus

OK, FAILED, SKIPPED = "ok", "failed", "skipped"
ALREADY_DONE, DUPLICATE = "already done", "duplicate"


@dataclass(frozen=True)
class Job:
    """One document to recover, as the user named it (a manifest line can say more)."""

    path: str
    scan: str | None = None
    plan_year: int | None = None
    format: str = "auto"
    title: str | None = None  # for the corpus database, when the document does not say
    issuer: str | None = None


@dataclass(frozen=True)
class Settings:
    """What changes a document's outputs (with the tool version and the content), and the limits."""

    allow_empty: bool = False
    ocr_engine: str = "rapidocr"
    dpi: int = 200
    ocr_jobs: int = 1
    time_limit: float = 3600.0
    memory_limit_mb: int = 4096

    def for_key(self, job: Job) -> dict:
        return {"version": __version__, "format": job.format, "plan_year": job.plan_year, "allow_empty": self.allow_empty,
                "ocr_engine": self.ocr_engine, "dpi": self.dpi}


@dataclass(frozen=True)
class Planned:
    job: Job
    path: str  # absolute: the status line's key
    doc_id: str | None = None
    key: str | None = None
    sha256: str | None = None
    scan_sha256: str | None = None
    line: dict | None = None  # set when no task is needed: skipped, or failed before running

    @property
    def runs(self) -> bool:
        return self.line is None


@dataclass
class Summary:
    counts: dict = field(default_factory=lambda: {OK: 0, FAILED: 0, ALREADY_DONE: 0, DUPLICATE: 0})
    pages: int = 0
    seconds: float = 0.0

    def add(self, line: dict) -> None:
        self.counts[line["status"] if line["status"] != SKIPPED else line["reason"]] += 1
        if line["status"] == OK:  # pages read by this run
            self.pages += line.get("pages") or 0

    def text(self, out: Path) -> str:
        c = self.counts
        total = sum(c.values())
        pages = f", {self.pages} scan pages read" if self.pages else ""
        return (f"batch: {total} documents: {c[OK]} ok, {c[FAILED]} failed, {c[ALREADY_DONE]} skipped as already done, "
                f"{c[DUPLICATE]} duplicates{pages}, {self.seconds:.1f} s -> {out}")


# ---- inputs ------------------------------------------------------------------


def collect_jobs(inputs: list[str], exclude: Path | None = None, format: str = "auto", plan_year: int | None = None) -> list[Job]:
    """Files, folders (every file below, hidden ones aside), globs and manifests, in order;
    the same file named twice is one job."""
    jobs: list[Job] = []
    for given in inputs:
        path = Path(given)
        if path.is_file() and path.suffix.lower() in MANIFEST_SUFFIXES:
            jobs += read_manifest(path)
        elif path.is_dir():
            jobs += [Job(str(p), format=format, plan_year=plan_year) for p in walk_folder(path, exclude)]
        elif not path.exists() and glob.has_magic(given):
            matches = sorted(Path(m) for m in glob.glob(given, recursive=True))
            if not matches:
                raise InputNotFound(f"{given}: no file matches")
            jobs += [Job(str(m), format=format, plan_year=plan_year) for m in matches if m.is_file()]
        else:
            jobs.append(Job(given, format=format, plan_year=plan_year))  # a missing file fails on its own line
    seen: set[tuple] = set()
    unique = []
    for job in jobs:
        identity = (os.path.abspath(job.path), job.scan and os.path.abspath(job.scan))
        if identity not in seen:
            seen.add(identity)
            unique.append(job)
    return unique


def walk_folder(folder: Path, exclude: Path | None = None) -> list[Path]:
    found = []
    skip = exclude.resolve() if exclude else None
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and (skip is None or (Path(root) / d).resolve() != skip))
        found += [Path(root) / f for f in sorted(files) if not f.startswith(".")]
    return found


MANIFEST_FIELDS = ("path", "scan", "plan_year", "format", "title", "issuer")


def read_manifest(path: Path) -> list[Job]:
    """CSV with a header row, or JSON Lines: path, and optionally scan, plan_year, format,
    title, issuer. Relative paths are relative to the manifest's folder."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise BatchManifestError(f"{path}: cannot read the manifest ({exc})") from None
    rows = _jsonl_rows(path, text) if path.suffix.lower() == ".jsonl" else _csv_rows(path, text)
    return [_manifest_job(path, number, row) for number, row in rows]


def _csv_rows(path: Path, text: str) -> list[tuple[int, dict]]:
    reader = csv.DictReader(io.StringIO(text))
    if not reader.fieldnames or "path" not in [f.strip() for f in reader.fieldnames]:
        raise BatchManifestError(f"{path}: a CSV manifest needs a header row with a 'path' column (and optionally {', '.join(MANIFEST_FIELDS[1:])})")
    return [(n, {k.strip(): (v or "").strip() for k, v in row.items() if k}) for n, row in enumerate(reader, 2)]


def _jsonl_rows(path: Path, text: str) -> list[tuple[int, dict]]:
    rows = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except ValueError:
            raise BatchManifestError(f"{path}:{number}: not a JSON object") from None
        if not isinstance(row, dict):
            raise BatchManifestError(f"{path}:{number}: not a JSON object")
        rows.append((number, row))
    return rows


def _manifest_job(path: Path, number: int, row: dict) -> Job:
    where = f"{path}:{number}"
    unknown = sorted(set(row) - set(MANIFEST_FIELDS))
    if unknown:
        raise BatchManifestError(f"{where}: unknown field {', '.join(unknown)} (a manifest has {', '.join(MANIFEST_FIELDS)})")
    if not row.get("path"):
        raise BatchManifestError(f"{where}: no path")
    year = row.get("plan_year")
    if year in ("", None):
        year = None
    else:
        try:
            year = int(year)
        except (TypeError, ValueError):
            raise BatchManifestError(f"{where}: plan_year {year!r} is not a year") from None
    fmt = row.get("format") or "auto"
    if fmt not in FORMATS:
        raise BatchManifestError(f"{where}: format {fmt!r} is none of {', '.join(FORMATS)}")
    base = path.parent

    def local(value):
        return str(base / value) if value else None

    return Job(local(row["path"]), local(row.get("scan")), year, fmt, row.get("title") or None, row.get("issuer") or None)


# ---- identity and state ------------------------------------------------------


def file_sha256(path: str) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def doc_id_of(sha256: str, scan_sha256: str | None = None) -> str:
    """The content decides the id: the same bytes (and scan) are the same document wherever they lie."""
    if scan_sha256 is None:
        return sha256[:DOC_ID_LENGTH]
    return hashlib.sha256(f"{sha256}+{scan_sha256}".encode()).hexdigest()[:DOC_ID_LENGTH]


def key_of(sha256: str, scan_sha256: str | None, settings: dict) -> str:
    """Done means: the same content, tool version and settings."""
    blob = json.dumps({"sha256": sha256, "scan_sha256": scan_sha256, **settings}, sort_keys=True)
    return hashlib.sha256(blob.encode()).hexdigest()[:32]


def read_status(path: Path) -> list[dict]:
    """The status lines; a line cut by a crash is ignored (its document is redone)."""
    if not path.is_file():
        return []
    lines = []
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            record = json.loads(line)
        except ValueError:
            continue
        if isinstance(record, dict) and "path" in record:
            lines.append(record)
    return lines


def latest(lines: list[dict]) -> dict[str, dict]:
    """The last word on each input, in the order inputs first appeared."""
    by_path: dict[str, dict] = {}
    for line in lines:
        by_path[line["path"]] = line
    return by_path


CARRIED = ("seconds", "peak_rss_mb", "pages")  # what a skip repeats of the run that did the work


def done_keys(lines: list[dict], docs: Path) -> dict[str, dict]:
    """Keys whose outputs are in place (an ok line, or a skip that carried one forward), each
    with the figures of the run that did the work."""
    return {
        line["key"]: {k: line[k] for k in CARRIED if k in line}
        for line in latest(lines).values()
        if line.get("key") and (line["status"] == OK or line.get("reason") == ALREADY_DONE) and (docs / line["doc_id"] / PLAN_JSON).is_file()
    }


def plan_jobs(jobs: list[Job], settings: Settings, done: dict[str, dict]) -> list[Planned]:
    """Decide per job: run it, skip it (done before, or the same content as an earlier job) or
    fail it at once (its file cannot be read)."""
    planned: list[Planned] = []
    first_of: dict[str, str] = {}
    for job in jobs:
        path = os.path.abspath(job.path)
        base = {"path": path, "scan": job.scan and os.path.abspath(job.scan), "title": job.title, "issuer": job.issuer, "plan_year": job.plan_year}
        try:
            sha = _readable_sha256(job.path)
            scan_sha = _readable_sha256(job.scan) if job.scan else None
        except (InputNotFound, InputUnreadable) as exc:
            planned.append(Planned(job, path, line={**base, **failure_fields(exc.exit_code, type(exc).__name__, str(exc))}))
            continue
        doc_id, key = doc_id_of(sha, scan_sha), key_of(sha, scan_sha, settings.for_key(job))
        identity = {**base, "doc_id": doc_id, "key": key, "sha256": sha, "scan_sha256": scan_sha, "version": __version__}
        if key in done:
            line = {"status": SKIPPED, "reason": ALREADY_DONE, **identity, **done[key]}
        elif doc_id in first_of:
            line = {"status": SKIPPED, "reason": DUPLICATE, "same_as": first_of[doc_id], **identity}
        else:
            line = None
        first_of.setdefault(doc_id, path)
        planned.append(Planned(job, path, doc_id, key, sha, scan_sha, line))
    return planned


def _readable_sha256(path: str) -> str:
    p = Path(path)
    if not p.exists():
        raise InputNotFound(f"{path}: no such file")
    if not p.is_file():
        raise InputUnreadable(f"{path}: not a file")
    try:
        return file_sha256(path)
    except OSError as exc:
        raise InputUnreadable(f"{path}: cannot read ({exc.strerror})") from None


def failure_fields(exit_code: int, reason: str | None, message: str | None) -> dict:
    return {"status": FAILED, "exit": exit_code, "reason": reason, "message": message}


# ---- tasks and results -------------------------------------------------------


def document_task(item: Planned, settings: Settings) -> DocumentTask:
    job = item.job
    args = ["--format", job.format, "--ocr-engine", settings.ocr_engine, "--dpi", str(settings.dpi), "--jobs", str(settings.ocr_jobs)]
    if job.plan_year is not None:
        args += ["--plan-year", str(job.plan_year)]
    if settings.allow_empty:
        args.append("--allow-empty")
    scan = Path(job.scan) if job.scan else None
    return DocumentTask(
        Path(job.path).name, Path(job.path).read_bytes(), tuple(args), scan.name if scan else None,
        scan.read_bytes() if scan else None, settings.time_limit, settings.memory_limit_mb, settings.ocr_engine,
    )


def result_line(item: Planned, result: DocumentResult) -> dict:
    line = {
        "path": item.path, "scan": item.job.scan and os.path.abspath(item.job.scan), "doc_id": item.doc_id, "key": item.key,
        "sha256": item.sha256, "scan_sha256": item.scan_sha256, "version": __version__,
        "title": item.job.title, "issuer": item.job.issuer, "plan_year": item.job.plan_year,
        "seconds": result.seconds, "peak_rss_mb": result.peak_rss_mb,
    }
    if result.notes:
        line["notes"] = list(result.notes)
    if not result.ok:
        return {**failure_fields(result.exit_code, result.reason, result.message), **line}
    if result.version != __version__:  # a worker with another planrecover: its outputs are not this version's
        return {**failure_fields(2, "VersionMismatch", f"the worker runs planrecover {result.version}, this client {__version__}; install the same on both"), **line}
    return {"status": OK, **line, "pages": _scan_pages(result.files.get(PLAN_JSON))}


def _scan_pages(plan_json: bytes | None) -> int | None:
    try:
        inputs = json.loads(plan_json)["document"].get("inputs", [])
    except (TypeError, ValueError, KeyError):
        return None
    pages = [i.get("pages") or 0 for i in inputs if i.get("kind") == "scan"]
    return sum(pages) if pages else None


def commit_document(docs: Path, doc_id: str, files: dict[str, bytes]) -> Path:
    """All or nothing: a new folder appears by one rename (write.write_outputs); an existing
    one (an older version's) is swapped for a complete new one, never patched file by file."""
    try:
        texts = {name: content.decode("utf-8") for name, content in files.items()}
    except UnicodeDecodeError as exc:
        raise OutputError(f"{doc_id}: an output is not UTF-8 text ({exc})") from None
    target = docs / doc_id
    if not target.exists():
        write_outputs(target, texts)
        return target
    fresh, old = docs / f".{doc_id}.new", docs / f".{doc_id}.old"
    for leftover in (fresh, old):
        shutil.rmtree(leftover, ignore_errors=True)
    write_outputs(fresh, texts)
    try:
        os.rename(target, old)
        os.rename(fresh, target)
    except OSError as exc:
        raise OutputError(f"{target}: cannot replace ({exc.strerror})") from None
    shutil.rmtree(old, ignore_errors=True)
    return target


def clear_leftovers(docs: Path) -> None:
    """Staging folders of a run that was stopped: never a document, always safe to remove."""
    if docs.is_dir():
        for entry in docs.iterdir():
            if entry.name.startswith("."):
                shutil.rmtree(entry, ignore_errors=True) if entry.is_dir() else entry.unlink(missing_ok=True)


def write_status(path: Path, lines: list[dict]) -> None:
    """Rewrite batch.jsonl with one line per input (atomic: a new file renamed over the old)."""
    staging = path.with_name(f".{path.name}.tmp")
    with open(staging, "w", encoding="utf-8") as handle:
        handle.writelines(json.dumps(line, ensure_ascii=False) + "\n" for line in lines)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(staging, path)


def append_status(handle, line: dict) -> None:
    handle.write(json.dumps(line, ensure_ascii=False) + "\n")
    handle.flush()
    os.fsync(handle.fileno())


# ---- the run -----------------------------------------------------------------


@contextmanager
def dask_client(scheduler: str | None, jobs: int):
    """An existing cluster (``scheduler``), or a local one started here: ``jobs`` worker processes."""
    import logging

    import dask
    from distributed import Client, LocalCluster

    logging.getLogger("distributed").setLevel(logging.ERROR)  # the summary and batch.jsonl say what happened
    if scheduler:
        try:
            client = Client(scheduler, timeout="15s")
        except (OSError, TimeoutError, ValueError) as exc:
            raise ClusterUnavailable(f"cannot reach the Dask scheduler at {scheduler} ({exc})") from None
        with client:
            try:
                client.wait_for_workers(1, timeout=60)
            except TimeoutError:
                raise ClusterUnavailable(f"the Dask scheduler at {scheduler} has no workers (waited 60 s)") from None
            yield client
        return
    local = {"host": "127.0.0.1", "dashboard_address": "127.0.0.1:0"}  # loopback only; never the default 8787
    with dask.config.set(LOCAL_WORKER_CONFIG), \
            LocalCluster(n_workers=jobs, threads_per_worker=1, processes=True, silence_logs=logging.ERROR, **local) as cluster:
        with Client(cluster) as client:
            yield client


# Dask's statistical profiler (for its dashboard) samples a worker's threads every 10 ms,
# taking the interpreter's lock from the OCR read it samples: with a worker per core,
# reads took about 4 % longer (the stand-in scan's pages read twice on two workers, runs
# alternating: 74.0 and 75.4 s of reads with it, 70.2 and 73.6 s without). The local
# cluster runs without it; README asks the same of workers started by hand.
LOCAL_WORKER_CONFIG = {"distributed.worker.profile.enabled": False}


@contextmanager
def locked(out: Path):
    """One batch at a time per DIR: two would write the same documents."""
    import fcntl

    handle = open(out / LOCK_FILE, "w")
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        handle.close()
        raise OutputError(f"{out}: another batch is writing here") from None
    try:
        yield
    finally:
        handle.close()


def run_batch(
    inputs: list[str],
    out: str | Path,
    settings: Settings = Settings(),
    scheduler: str | None = None,
    jobs: int | None = None,
    format: str = "auto",
    plan_year: int | None = None,
    progress: bool | None = None,
    summary: Summary | None = None,
) -> Summary:
    """Run the batch; ``summary`` (filled as documents finish) still counts what was done when
    the batch stops early."""
    started = time.perf_counter()
    summary = summary if summary is not None else Summary()
    out = Path(out)
    try:
        (out / DOCS).mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"{out}: cannot write here ({exc.strerror})") from None
    job_list = collect_jobs(inputs, exclude=out, format=format, plan_year=plan_year)
    if not job_list:
        raise InputNotFound(f"no documents in {' '.join(inputs)}")
    with locked(out):
        docs, status_path = out / DOCS, out / STATUS_FILE
        clear_leftovers(docs)
        previous = read_status(status_path)
        planned = plan_jobs(job_list, settings, done_keys(previous, docs))
        this_run: dict[str, dict] = {}
        bar = Progress(len(planned), progress)
        try:
            with open(status_path, "a", encoding="utf-8") as log:
                def record(line: dict) -> None:
                    append_status(log, line)
                    this_run[line["path"]] = line
                    summary.add(line)
                    bar.document_done()

                for item in planned:
                    if not item.runs:
                        record(item.line)
                to_run = [item for item in planned if item.runs]
                if to_run:
                    with dask_client(scheduler, jobs or os.cpu_count() or 1) as client:
                        _run_on(client, to_run, settings, docs, record, bar)
        finally:
            bar.close()
            merged = latest(previous)
            merged.update({item.path: this_run[item.path] for item in planned if item.path in this_run})
            write_status(status_path, list(merged.values()))
            summary.seconds = time.perf_counter() - started
        from .corpusdb import build_corpus

        build_corpus(out, list(merged.values()))
    return summary


# Dask runs a worker's queued tasks highest priority first. A document's first step (and
# the small tasks that hand its images out) goes before any read, so the batch learns all
# its work early; a finishing step goes before reads, so a document is written as soon as
# its pages are read; reads go most ink first (an image's compressed size, the best guide
# to its reading time we have before reading: correlation 0.75 on the bench's batch,
# pixels 0.63), so a batch ends on short reads both workers share. Before, reads ran in
# the order submitted, and a batch could end on one worker reading a long page while the
# other waited: on the bench's batch the workers' time idle at the end fell from 4.0 s to
# about 2 s (Dask task streams).
FIRST, FINISH = 2**40, 2**39


def read_priority(ink: int) -> int:
    return ink // 1024


def task_key(kind: str, name: str, number: int | None = None) -> str:
    """``planrecover-read-<doc-id>-<run>-<n>``: Dask learns a task's duration by the key's
    words before the first that holds a digit (its prefix), and moves a queued task to an
    idle worker only when its duration outweighs moving its inputs. With the kind after the
    document's id, every task had the prefix ``planrecover``, reads were timed with the
    instant tasks that hand pages out, and none was worth moving: a 200-page scan was read
    on one worker while the other stood idle."""
    return f"planrecover-{kind}-{name}" + (f"-{number}" if number is not None else "")


def _run_on(client, items: list[Planned], settings: Settings, docs: Path, record, bar: Progress) -> None:
    """Keep a few documents per worker thread in flight (bounded memory on client and scheduler);
    a document needing OCR gets a task per image, then its finishing task; write each
    result as it comes back, and count each image read."""
    import dask
    from distributed import as_completed

    threads = max(1, sum(worker.get("nthreads", 1) for worker in client.scheduler_info().get("workers", {}).values()))
    in_flight = max(4, 2 * threads)
    pending = iter(items)
    waiting: dict[str, tuple] = {}  # future key -> (item, task, run name, every future of the document so far)

    def submit_next(queue) -> None:
        item = next(pending, None)
        if item is None:
            return
        try:
            task = document_task(item, settings)
        except OSError as exc:  # the file went away since it was hashed
            record({"path": item.path, "doc_id": item.doc_id, **failure_fields(3, "InputUnreadable", f"{item.job.path}: cannot read ({exc.strerror})")})
            submit_next(queue)
            return
        name = f"{item.doc_id}-{os.urandom(4).hex()}"
        started = client.submit(start_document, task, key=task_key("start", name), pure=False, priority=FIRST)
        head = client.submit(head_of, started, key=task_key("head", name), pure=False, priority=FIRST)
        waiting[head.key] = (item, task, name, [started, head])
        queue.add(head)

    def read_pages(item: Planned, task: DocumentTask, name: str, futures: list, count: int, head):
        """The document's images as tasks of their own, then its finishing task fed their readings."""
        started = futures[0]
        jobs = [client.submit(job_of, started, n, key=task_key("job", name, n), pure=False, priority=FIRST) for n in range(count)]
        reads = [client.submit(read_job, job, settings.ocr_engine, key=task_key("read", name, n), pure=False, priority=read_priority(ink))
                 for n, (job, ink) in enumerate(zip(jobs, head.ink))]
        carried = client.submit(carried_of, started, key=task_key("carried", name), pure=False, priority=FIRST)
        finish = client.submit(finish_document, task, reads, head, carried, key=task_key("finish", name), pure=False, priority=FINISH)
        waiting[finish.key] = (item, task, name, [*futures, *jobs, *reads, carried, finish])
        bar.pages_listed(count)
        return reads, finish

    queue = as_completed()
    with dask.config.set(SUBMIT_CONFIG):
        for _ in range(in_flight):
            submit_next(queue)
        for future in queue:
            if future.key not in waiting:  # a read (a failed one fails its finishing task too)
                bar.page_read()
                continue
            item, task, name, futures = waiting.pop(future.key)
            result = _result_of(future, item)
            if isinstance(result, Head):
                if result.result is None:  # images to read: the document goes on
                    reads, finish = read_pages(item, task, name, futures, result.jobs, result)
                    queue.update([*reads, finish])
                    continue
                result = replace(result.result, seconds=result.seconds, peak_rss_mb=result.peak_rss_mb)
            record(_commit(item, result, docs))
            client.cancel(futures)  # done: the scheduler may forget the document's pieces
            submit_next(queue)


# A document's bytes travel inside its tasks: workers need no shared folder, and a task
# that reruns on another worker has all it needs. So a large PDF is a large task by design,
# and Dask's warning at 10 MB ("Sending large graph ... may cause some slowdown", on
# stderr) tells the user of nothing they can change.
SUBMIT_CONFIG = {"distributed.admin.large-graph-warning-threshold": "1 TiB"}


def _result_of(future, item: Planned):
    """The task's value, or a failed DocumentResult saying why there is none."""
    from distributed import KilledWorker

    try:
        return future.result()
    except KilledWorker as exc:
        crashed = DocumentCrashed(f"{item.job.path}: its task killed the workers that ran it ({exc})")
        return DocumentResult(crashed.exit_code, "DocumentCrashed", str(crashed))
    except Exception as exc:
        if type(exc).__name__ in ("CancelledError", "FutureCancelledError"):
            raise ClusterUnavailable(f"the Dask cluster stopped during the batch ({exc}); rerun to finish") from None
        return DocumentResult(70, "InternalError", f"internal error: {type(exc).__name__}: {exc}")


def _commit(item: Planned, result: DocumentResult, docs: Path) -> dict:
    line = result_line(item, result)
    if line["status"] == OK:
        try:
            commit_document(docs, item.doc_id, result.files)
        except OutputError as exc:
            line = {**line, **failure_fields(exc.exit_code, "OutputError", str(exc))}
            line.pop("pages", None)
    return line


class Progress:
    """On a terminal: the documents done, of those to do; and, once a document has images
    to read, the pages (a scan's pages, a PDF's images) read by OCR, of those known so far."""

    def __init__(self, documents: int, show: bool | None):
        from tqdm import tqdm

        self._show = sys.stderr.isatty() if show is None else show
        self._tqdm = tqdm
        self.documents = tqdm(total=documents, desc="documents", unit="doc", file=sys.stderr, disable=not self._show)
        self.pages = None

    def document_done(self) -> None:
        self.documents.update(1)

    def pages_listed(self, count: int) -> None:
        if self.pages is None:
            self.pages = self._tqdm(total=count, desc="OCR pages", unit="page", file=sys.stderr, disable=not self._show, position=1)
        else:
            self.pages.total += count
            self.pages.refresh()

    def page_read(self) -> None:
        self.pages.update(1)

    def close(self) -> None:
        if self.pages is not None:
            self.pages.close()
        self.documents.close()
