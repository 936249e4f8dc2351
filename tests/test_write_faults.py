"""Faults while writing a result: the previous result stays or the new one is complete, never a mix.

Faults are injected at every step the writer takes (a patched step raising ENOSPC,
a file half written), a writer process is killed by SIGKILL at seeded random moments,
and two processes write the same folder at once.
"""

import contextlib
import errno
import os
import random
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from pipeline import write
from pipeline.errors import OutputError
from pipeline.write import write_outputs

from bench.hostile_reliability import NAMES, folder_state, patched_write
from bench.hostile_reliability import result_files as result
from bench.hostile_reliability import staging_leftovers as leftovers

ROOT = Path(__file__).resolve().parents[1]


@contextlib.contextmanager
def injected(fail_at: int | None = None, no_exchange: bool = False):
    """The writer's disk steps counted, ENOSPC raised at call ``fail_at`` (bench.hostile_reliability)."""
    calls, undo = patched_write(fail_at, no_exchange)
    try:
        yield calls
    finally:
        undo()


def _setup(tmp_path: Path, scenario: str) -> tuple[Path, dict[str, str]]:
    out = tmp_path / "out"
    if scenario == "new":
        return out, {}
    write_outputs(out, result("old"))
    (out / "notes.txt").write_text("mine", encoding="utf-8")
    return out, folder_state(out)


def _count_steps(tmp_path: Path, scenario: str) -> int:
    out, _ = _setup(tmp_path / "count", scenario)
    with injected(None, scenario == "replace-two-renames") as calls:
        write_outputs(out, result("new"))
    return calls[0]


@pytest.mark.parametrize("scenario", ["new", "replace", "replace-two-renames"])
def test_a_fault_at_every_step_leaves_the_previous_result(tmp_path, scenario):
    steps = _count_steps(tmp_path, scenario)
    assert steps >= len(NAMES) + 2
    for fail_at in range(1, steps + 1):
        case = tmp_path / f"case{fail_at}"
        out, before = _setup(case, scenario)
        with injected(fail_at, scenario == "replace-two-renames"), pytest.raises(OutputError) as caught:
            write_outputs(out, result("new"))
        message = str(caught.value)
        assert "no space left on the device" in message and "\n" not in message, (fail_at, message)
        assert folder_state(out) == before, f"step {fail_at} of {steps} changed the folder"
        assert leftovers(case) == []


def test_the_new_result_is_complete_and_keeps_the_users_files(tmp_path):
    out, _ = _setup(tmp_path, "replace")
    write_outputs(out, result("new"))
    assert folder_state(out) == {**result("new"), "notes.txt": "mine"}
    assert leftovers(tmp_path) == []


def test_a_result_file_the_new_result_lacks_is_not_carried_over(tmp_path):
    out, _ = _setup(tmp_path, "replace")
    (out / write.SCAN_TEXT).write_text("an older run's OCR reading", encoding="utf-8")
    write_outputs(out, result("new"))
    assert write.SCAN_TEXT not in folder_state(out)


def test_out_below_a_file_names_the_file(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(OutputError, match=r"file is a file, not a folder"):
        write_outputs(blocker / "sub", result("new"))
    assert blocker.read_text() == "x"


@pytest.mark.parametrize("code, words", [(errno.EROFS, "read-only"), (errno.EACCES, "permission denied"), (errno.EDQUOT, "quota")])
def test_the_real_reason_is_named(tmp_path, monkeypatch, code, words):
    def refuse(*args, **kwargs):
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(write, "_make_staging", refuse)
    with pytest.raises(OutputError, match=words):
        write_outputs(tmp_path / "out", result("new"))
    assert not (tmp_path / "out").exists()


def test_a_mount_point_is_staged_inside_it(tmp_path, monkeypatch):
    """A mount point cannot be renamed (the old 'Invalid cross-device link'): its files are replaced one by one."""
    out, _ = _setup(tmp_path, "replace")
    monkeypatch.setattr(write, "_is_mount_point", lambda folder: True)
    renames = []
    monkeypatch.setattr(write, "_rename", lambda a, b: (renames.append((Path(a), Path(b))), os.rename(a, b)))
    write_outputs(out, result("new"))
    assert folder_state(out) == {**result("new"), "notes.txt": "mine"}
    assert renames and all(a.parent.parent == out and b.parent == out for a, b in renames)


def test_a_single_file_replaces_its_namesake_only(tmp_path):
    out, _ = _setup(tmp_path, "replace")
    write_outputs(out, {"report.html": "new page"})
    assert folder_state(out) == {**result("old"), "report.html": "new page", "notes.txt": "mine"}
    assert leftovers(out) == []


WRITER = textwrap.dedent(
    """
    import sys
    from pipeline.write import write_outputs
    out, tag, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
    names = ("plan.json", "plan.repaired.txt", "changes.jsonl", "plan.diff", "report.html")
    for generation in range(count):
        write_outputs(out, {n: f"{tag}-{generation}\\n" + "文" * 100_000 for n in names})
        if generation == 0:
            print("ready", flush=True)
    """
)


def _writer(out: Path, tag: str, count: int) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", WRITER, str(out), tag, str(count)], cwd=ROOT, stdout=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONPATH": str(ROOT)})


def _generations(folder: Path) -> set[str]:
    """The generation each file is from: one complete result has all the names and one generation."""
    state = folder_state(folder)
    assert set(state) == set(NAMES), sorted(state)
    return {text.split("\n", 1)[0] for text in state.values()}


def test_killed_at_random_moments_never_leaves_a_mix(tmp_path):
    rng = random.Random(20240610)
    out = tmp_path / "out"
    for _ in range(8):
        child = _writer(out, "run", 1000)
        assert child.stdout.readline() == "ready\n"
        time.sleep(rng.uniform(0.0, 0.15))
        child.send_signal(signal.SIGKILL)
        child.wait()
        assert len(_generations(out)) == 1
    write_outputs(out, result("after"))  # the next write clears what the killed runs left
    assert leftovers(tmp_path) == [] and _generations(out) == {"after plan.json"} | {f"after {n}" for n in NAMES[1:]}


def test_two_writers_at_once_leave_one_complete_result(tmp_path):
    out = tmp_path / "out"
    writers = [_writer(out, tag, 15) for tag in ("a", "b")]
    seen = 0
    while any(w.poll() is None for w in writers):
        if out.exists():
            assert set(folder_state(out)) == set(NAMES)  # never a folder with files missing
            seen += 1
    assert all(w.wait() == 0 for w in writers)
    assert len(_generations(out)) == 1 and seen > 0
    assert leftovers(tmp_path) == []


def test_the_output_folder_gets_the_users_umask_not_0700(tmp_path):
    from pipeline.write import write_outputs

    old = os.umask(0o022)
    try:
        write_outputs(tmp_path / "out", {"a.txt": "x\n"})
    finally:
        os.umask(old)
    assert (tmp_path / "out").stat().st_mode & 0o777 == 0o755
