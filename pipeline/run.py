"""Orchestration: ingest -> repair -> extract, as one plain function."""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from extract.plan import extract_plan
from repair.rules import RepairResult, repair_text

from .errors import NoPlanStructure
from .ingest import SourceText
from .manifest import document_info
from .schema import validate_plan


@dataclass(frozen=True)
class Recovery:
    source: SourceText
    repair: RepairResult
    plan: dict

    @property
    def changes_jsonl(self) -> str:
        return "".join(change.to_json() + "\n" for change in self.repair.changes)

    @property
    def diff(self) -> str:
        return unified_diff(self.source.text, self.repair.text, self.source.name)


def recover(source: SourceText, plan_year: int | None = None, allow_empty: bool = False) -> Recovery:
    result = repair_text(source.text)
    info = document_info(source.name, source.sha256, source.encoding)
    if plan_year is not None:
        info = type(info)(**{**info.__dict__, "plan_year": plan_year})
    plan = extract_plan(result, info)
    if not plan["indicators"] and not plan["programmes"]:
        if not allow_empty:
            raise NoPlanStructure(
                f"{source.name}: no key-indicators table and no programme box (专栏) found; not a plan extract? (--allow-empty writes an empty result)"
            )
        plan["issues"].append(
            {"kind": "no_plan_structure", "box": None, "detail": "no key-indicators table and no programme box (专栏) found", "data": {}, "source": None}
        )
    validate_plan(plan)
    return Recovery(source, result, plan)


def unified_diff(before: str, after: str, name: str) -> str:
    """A diff `git apply --stat` and `less` read: a/ and b/ paths, no-newline markers."""
    lines = list(difflib.unified_diff(_diff_lines(before), _diff_lines(after), f"a/{name}", "b/plan.repaired.txt", n=3))
    return "".join(line if line.endswith("\n") else line + "\n" for line in lines)


def _diff_lines(text: str) -> list[str]:
    lines = text.splitlines(keepends=True)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n\\ No newline at end of file\n"
    return lines
