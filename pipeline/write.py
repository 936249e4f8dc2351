"""Write the outputs atomically: the previous result or the new one, never a mix.

Everything is written into a fresh staging folder beside the target first (same file
system, so renames are atomic), each file flushed to disk. Then:

- a new target appears by one rename of the staging folder;
- an existing target is swapped for the staging folder in one step (Linux
  ``renameat2(RENAME_EXCHANGE)``; elsewhere two renames, the old folder kept until the
  new one is in place). Files in it that are not part of a result (a user's notes) are
  carried over into the new folder first;
- a single file (``report``, ``replay --out``) replaces its namesake with one rename.

Two runs writing the same folder at once each swap in a complete result; the last one
wins. A run killed mid-write leaves only its hidden staging folder (``.NAME.staging-PID-…``),
which the next write beside it removes. A target that is a mount point cannot be
swapped: its files are replaced one by one (each file atomic).

Every failure is an ``OutputError`` naming the real reason (no space left, read-only
file system, permission denied, a path part that is a file).
"""

from __future__ import annotations

import ctypes
import errno
import json
import os
import shutil
import tempfile
from pathlib import Path

from .errors import OutputError

PLAN_JSON = "plan.json"
REPAIRED_TEXT = "plan.repaired.txt"
CHANGES = "changes.jsonl"
DIFF = "plan.diff"
SCAN_TEXT = "scan.ocr.txt"
# Every file a result may hold: one missing from a new result is not carried over from the old one.
RESULT_FILES = frozenset((PLAN_JSON, REPAIRED_TEXT, CHANGES, DIFF, SCAN_TEXT, "report.html", "indicators.csv", "assignments.csv"))
STAGING_MARK = ".staging-"

_REASONS = {
    errno.ENOSPC: "no space left on the device",
    errno.EDQUOT: "disk quota exceeded",
    errno.EROFS: "the file system is read-only",
    errno.EACCES: "permission denied",
    errno.EPERM: "permission denied",
    errno.ENOTDIR: "a part of the path is a file, not a folder",
    errno.ENAMETOOLONG: "the path is too long",
    errno.EIO: "input/output error (a failing disk or a lost network mount?)",
}


def plan_json_text(plan: dict) -> str:
    return json.dumps(plan, ensure_ascii=False, indent=2) + "\n"


def reason(exc: OSError) -> str:
    """The cause of an OS error in words a user acts on."""
    return _REASONS.get(exc.errno, exc.strerror or str(exc))


def write_outputs(out_dir: str | Path, files: dict[str, str]) -> list[Path]:
    out_dir = Path(out_dir).absolute()
    check_target(out_dir)
    try:
        out_dir.parent.mkdir(parents=True, exist_ok=True)
        clear_stale_staging(out_dir)
        if out_dir.is_dir() and len(files) == 1:
            _replace_one(out_dir, *next(iter(files.items())))
        elif out_dir.is_dir() and _is_mount_point(out_dir):
            _replace_each(out_dir, files)
        else:
            _swap_in(out_dir, files)
    except OSError as exc:
        raise OutputError(f"{out_dir}: cannot write the result: {reason(exc)}; nothing was changed") from None
    return [out_dir / name for name in files]


def check_target(out_dir: Path) -> None:
    """The target and each folder above it must be folders or not exist yet."""
    if out_dir.exists() and not out_dir.is_dir():
        raise OutputError(f"{out_dir}: exists and is not a folder")
    for above in out_dir.parents:
        if above.exists():
            if not above.is_dir():
                raise OutputError(f"{out_dir}: cannot create it: {above} is a file, not a folder")
            return


def _swap_in(out_dir: Path, files: dict[str, str]) -> None:
    staging = _make_staging(out_dir)
    try:
        for name, content in files.items():
            _write_file(staging / name, content)
        if not _rename_new(staging, out_dir):
            _carry_over(out_dir, staging, set(files) | RESULT_FILES)
            _exchange(staging, out_dir)  # staging now holds the previous result
        _sync_folder(out_dir.parent)
    finally:
        _remove_tree(staging)


def _rename_new(staging: Path, out_dir: Path) -> bool:
    """Rename staging to a target that does not exist (or is an empty folder); False if it holds something."""
    try:
        _rename(staging, out_dir)
        return True
    except OSError as exc:
        if exc.errno in (errno.EEXIST, errno.ENOTEMPTY):
            return False
        raise


def _replace_one(out_dir: Path, name: str, content: str) -> None:
    handle, temp = tempfile.mkstemp(prefix=f".{name}{STAGING_MARK}{os.getpid()}-", dir=out_dir)
    os.close(handle)
    try:
        _write_file(Path(temp), content)
        _rename(Path(temp), out_dir / name)
    finally:
        if os.path.exists(temp):
            os.unlink(temp)


def _replace_each(out_dir: Path, files: dict[str, str]) -> None:
    """A mount point cannot be renamed: stage inside it, then replace file by file."""
    staging = Path(tempfile.mkdtemp(prefix=f".{STAGING_MARK}{os.getpid()}-", dir=out_dir))
    try:
        for name, content in files.items():
            _write_file(staging / name, content)
        for name in files:
            _rename(staging / name, out_dir / name)
    finally:
        _remove_tree(staging)


def _make_staging(out_dir: Path) -> Path:
    staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}{STAGING_MARK}{os.getpid()}-", dir=out_dir.parent))
    # mkdtemp makes it 0700; it becomes the output folder, which gets the mode any
    # folder the user makes gets (their umask), not one only they can read.
    os.chmod(staging, 0o777 & ~_umask())
    return staging


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def clear_stale_staging(out_dir: Path) -> None:
    """Staging folders beside ``out_dir`` left by runs that were killed (their process is gone)."""
    prefix = f".{out_dir.name}{STAGING_MARK}"
    try:
        leftovers = [p for p in out_dir.parent.iterdir() if p.name.startswith(prefix)]
    except OSError:
        return
    for path in leftovers:
        pid = path.name[len(prefix):].split("-", 1)[0]
        if pid.isdigit() and not _alive(int(pid)):
            shutil.rmtree(path, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process
    return True


def _carry_over(old: Path, new: Path, result_names: set[str]) -> None:
    """Files of the old folder that are no part of a result (a user's) go into the new one."""
    for path in old.iterdir():
        if path.name in result_names or STAGING_MARK in path.name:
            continue
        if path.is_dir() and not path.is_symlink():
            shutil.copytree(path, new / path.name, symlinks=True, copy_function=_link_or_copy)
        else:
            _link_or_copy(path, new / path.name)


def _link_or_copy(source, target) -> None:
    try:
        os.link(source, target, follow_symlinks=False)
    except OSError:
        shutil.copy2(source, target, follow_symlinks=False)


# --- the steps that touch the disk (each a seam for the fault-injection tests) --------

def _write_file(path: Path, content: str) -> None:
    with open(path, "w", encoding="utf-8", newline="\n") as handle:
        handle.write(content)
        handle.flush()
        os.fsync(handle.fileno())  # on disk before the rename makes it visible


def _rename(source: Path, target: Path) -> None:
    os.rename(source, target)


def _exchange(a: Path, b: Path) -> None:
    """Swap two folders atomically; without renameat2, by two renames (the old kept until the new is in)."""
    if _renameat2_exchange(a, b):
        return
    aside = b.parent / f".{b.name}.previous-{os.getpid()}"  # not a staging name: never cleared as a leftover
    _rename(b, aside)
    try:
        _rename(a, b)
    except OSError:
        try:
            _rename(aside, b)  # put the previous result back
        except OSError as again:
            raise OutputError(f"{b}: the new result could not be put in place ({reason(again)}); the previous one is in {aside}") from None
        raise
    _remove_tree(aside)  # the new result is in: nothing after this may fail


def _renameat2_exchange(a: Path, b: Path) -> bool:
    function = getattr(_libc(), "renameat2", None)
    if function is None:
        return False
    at_fdcwd, rename_exchange = -100, 2
    if function(at_fdcwd, os.fsencode(str(a)), at_fdcwd, os.fsencode(str(b)), rename_exchange) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):
        return False  # the kernel or file system cannot: two renames instead
    raise OSError(code, os.strerror(code), str(b))


_LIBC = []


def _libc():
    if not _LIBC:
        try:
            _LIBC.append(ctypes.CDLL(None, use_errno=True))
        except OSError:
            _LIBC.append(None)
    return _LIBC[0]


def _remove_tree(path: Path) -> None:
    shutil.rmtree(path, ignore_errors=True)


def _sync_folder(folder: Path) -> None:
    """The rename itself on disk (best effort: not every file system can sync a folder)."""
    try:
        handle = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(handle)
    except OSError:
        pass
    finally:
        os.close(handle)


def _is_mount_point(folder: Path) -> bool:
    """A folder that is the root of a file system (or a bind mount): it cannot be renamed."""
    return os.path.ismount(folder) or os.stat(folder).st_dev != os.stat(folder.parent).st_dev
