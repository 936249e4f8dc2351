"""planrecover batch on a real Dask cluster: a `dask scheduler` and two `dask worker`
processes on loopback (ports chosen free here); one worker is killed while it reads a
document (in a step's process, or a scan's page in the worker itself), and every
document must still come out complete, exactly once."""

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest
from test_batch import PLAN_A, PLAN_B, ROOT, doc_id

DASK = Path(sys.executable).with_name("dask")
DOCUMENTS = 4


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(*args) -> subprocess.Popen:
    # Its own process group: killing the group takes the nanny, the worker and what it runs.
    return subprocess.Popen([str(DASK), *args], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
                            env={**os.environ, "PYTHONPATH": str(ROOT)})


def kill_group(process: subprocess.Popen) -> None:
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    process.wait()


def wait_for(condition, seconds: float, what: str):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.fixture
def cluster():
    port = free_port()
    address = f"tcp://127.0.0.1:{port}"
    scheduler = start("scheduler", "--host", "127.0.0.1", "--port", str(port), "--no-dashboard")
    workers = [start("worker", address, "--host", "127.0.0.1", "--nthreads", "1", "--no-dashboard", "--name", f"w{n}",
                     "--death-timeout", "30") for n in range(2)]
    try:
        from distributed import Client

        wait_for(lambda: _connectable(port), 30, "the scheduler")
        with Client(address, timeout="20s") as client:
            wait_for(lambda: len(client.scheduler_info()["workers"]) == 2, 30, "two workers")
        yield address, workers
    finally:
        for process in [*workers, scheduler]:
            kill_group(process)


def _connectable(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0


def reading(worker: subprocess.Popen) -> bool:
    """The worker's process tree is running a step of a document right now."""
    try:
        tree = psutil.Process(worker.pid).children(recursive=True)
    except psutil.Error:
        return False
    return any(_is_step(p) for p in tree if _alive(p))


def _is_step(process) -> bool:
    """A document's step: forked from the worker's warm server (so it shows the server's
    command line, and so does its parent)."""
    try:
        return all("forkserver" in " ".join(p.cmdline()) for p in (process, process.parent()))
    except (psutil.Error, AttributeError):
        return False


def _alive(p) -> bool:
    try:
        return p.is_running() and p.status() != psutil.STATUS_ZOMBIE
    except psutil.Error:
        return False


def test_a_worker_killed_mid_batch_loses_nothing_and_doubles_nothing(cluster, tmp_path):
    address, workers = cluster
    folder = tmp_path / "plans"
    folder.mkdir()
    texts = {}
    for n in range(DOCUMENTS):  # distinct documents: each title names its number
        text = (PLAN_A if n % 2 == 0 else PLAN_B).replace("示范", f"第{n}示范", 1)
        texts[f"plan_{n}.txt"] = text.encode("utf-8")
        (folder / f"plan_{n}.txt").write_bytes(texts[f"plan_{n}.txt"])
    out = tmp_path / "out"
    batch = subprocess.Popen(
        [sys.executable, "-m", "pipeline.cli", "batch", str(folder), "--out", str(out), "--scheduler", address],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    try:
        victim = workers[0]
        wait_for(lambda: reading(victim), 60, "the first worker to read a document")
        kill_group(victim)  # mid-task: its document's child dies with it
        stdout, stderr = batch.communicate(timeout=120)
    finally:
        if batch.poll() is None:
            batch.kill()
    assert batch.returncode == 0, stdout + stderr
    assert f"batch: {DOCUMENTS} documents: {DOCUMENTS} ok, 0 failed" in stdout
    lines = [json.loads(line) for line in (out / "batch.jsonl").read_text(encoding="utf-8").splitlines()]
    assert sorted(Path(line["path"]).name for line in lines) == sorted(texts)  # each once
    assert {line["status"] for line in lines} == {"ok"}
    expected = {doc_id(data) for data in texts.values()}
    assert {p.name for p in (out / "docs").iterdir()} == expected  # nothing half-written beside them
    for name, data in texts.items():
        folder_out = out / "docs" / doc_id(data)
        assert {"plan.json", "plan.repaired.txt", "changes.jsonl", "plan.diff", "report.html", "indicators.csv"} <= {p.name for p in folder_out.iterdir()}
        plan = json.loads((folder_out / "plan.json").read_text(encoding="utf-8"))
        assert plan["document"]["source_name"] == name and plan["document"]["sha256"] == __import__("hashlib").sha256(data).hexdigest()
        assert (folder_out / "plan.repaired.txt").read_text(encoding="utf-8").startswith(data.decode("utf-8").splitlines()[0])
    assert not psutil.pid_exists(victim.pid) or not _alive(psutil.Process(victim.pid))


def reading_a_page(address: str, workers: list[subprocess.Popen]):
    """The worker process that holds one of a scan's pages to read right now (an OCR task,
    run in the worker itself, not in a step's child), or None."""
    from distributed import Client

    with Client(address, timeout="20s") as client:
        names = {addr: info["name"] for addr, info in client.scheduler_info()["workers"].items()}
        for addr, keys in client.processing().items():
            if any("-read-" in str(key) for key in keys):
                return workers[int(str(names[addr]).removeprefix("w"))]
    return None


def test_a_worker_killed_while_it_reads_a_page_loses_no_page(cluster, tmp_path):
    from test_batch import DPI, first_pages_of_the_standin_scan, planrecover

    address, workers = cluster
    folder = tmp_path / "plans"
    folder.mkdir()
    scan = first_pages_of_the_standin_scan(folder / "scan_two_pages.pdf")
    out = tmp_path / "out"
    batch = subprocess.Popen(
        [sys.executable, "-m", "pipeline.cli", "batch", str(folder), "--out", str(out), "--scheduler", address, "--dpi", DPI],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    try:
        victim = wait_for(lambda: reading_a_page(address, workers), 120, "a worker to read a page")
        kill_group(victim)  # mid-read: the scheduler gives the page (and what it came from) to the other worker
        stdout, stderr = batch.communicate(timeout=300)
    finally:
        if batch.poll() is None:
            batch.kill()
    assert batch.returncode == 0, stdout + stderr
    assert "batch: 1 documents: 1 ok, 0 failed" in stdout and "2 scan pages read" in stdout
    lines = [json.loads(line) for line in (out / "batch.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [Path(line["path"]).name for line in lines] == [scan.name] and lines[0]["status"] == "ok"
    single = tmp_path / "single"
    ran = planrecover("extract", scan, "--dpi", DPI, "--out", single)
    assert ran.returncode == 0, ran.stderr
    batched = out / "docs" / doc_id(scan.read_bytes())
    names = sorted(p.name for p in single.iterdir())
    assert sorted(p.name for p in batched.iterdir()) == names and "scan.ocr.txt" in names
    for name in names:  # both pages' readings, as a single run reads them
        assert (batched / name).read_bytes() == (single / name).read_bytes(), name
