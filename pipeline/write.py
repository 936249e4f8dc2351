"""Write the outputs atomically: all files or none.

Everything is written into a fresh temporary folder beside the target first. A new
target folder is then created by one rename; an existing one has each file replaced
by os.replace (atomic per file) only after every file was written.
"""

from __future__ import annotations

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


def plan_json_text(plan: dict) -> str:
    return json.dumps(plan, ensure_ascii=False, indent=2) + "\n"


def write_outputs(out_dir: str | Path, files: dict[str, str]) -> list[Path]:
    out_dir = Path(out_dir)
    if out_dir.exists() and not out_dir.is_dir():
        raise OutputError(f"{out_dir}: exists and is not a folder")
    parent = out_dir.absolute().parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.", dir=parent))
    except OSError as exc:
        raise OutputError(f"{out_dir}: cannot write here ({exc.strerror})") from None
    try:
        for name, content in files.items():
            with open(staging / name, "w", encoding="utf-8", newline="\n") as handle:
                handle.write(content)
                handle.flush()
                os.fsync(handle.fileno())
        if not out_dir.exists():
            os.rename(staging, out_dir)
        else:
            for name in files:
                os.replace(staging / name, out_dir / name)
    except OSError as exc:
        raise OutputError(f"{out_dir}: writing failed ({exc.strerror}); nothing was changed") from None
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
    return [out_dir / name for name in files]
