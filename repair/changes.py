"""Change records and the text they are applied to.

A repair rule proposes ``Edit``s against the text as it stands when the rule runs.
``TrackedText`` applies one rule's edits in a single pass and turns each into a
``Change``: the record researchers read (rule, source span, before, after, reason,
confidence, evidence) and the one ``replay`` re-applies.

Every character of the working text remembers the source offset it came from
(``origin``), so a change made late in the pipeline still points at the right line
and column of the original file. Characters a rule writes (only corrected box
numbers) have origin -1; moved characters keep their origin.
"""

from __future__ import annotations

import bisect
import json
from dataclasses import asdict, dataclass, field
from typing import Any, Iterable

from errors import BadChangeLog, ReplayMismatch

WRITTEN = -1  # origin of a character that is not in the source (a corrected box number)
# Characters read from a scan (fusion) have origin SCAN_BASE - i: position i of the OCR reading.
SCAN_BASE = -2


def scan_origin(index: int) -> int:
    return SCAN_BASE - index


def scan_index(origin: int) -> int | None:
    return SCAN_BASE - origin if origin <= SCAN_BASE else None


@dataclass(frozen=True)
class Edit:
    """Replace ``text[start:end]`` with ``after``; offsets in the text the rule saw."""

    start: int
    end: int
    after: str
    reason: str
    confidence: float
    evidence: dict[str, Any] = field(default_factory=dict)
    # For text moved within the text: the position each inserted character came from.
    moved_from: tuple[int, ...] | None = None
    # For text brought in from another reading (a scan): each character's origin value.
    origins: tuple[int, ...] | None = None


@dataclass(frozen=True)
class SourceSpan:
    start: int
    end: int
    line: int
    col: int
    end_line: int
    end_col: int


@dataclass(frozen=True)
class Change:
    id: int
    step: int
    rule: str
    at: tuple[int, int]
    source: SourceSpan
    before: str
    after: str
    reason: str
    confidence: float
    evidence: dict[str, Any]

    def to_json(self) -> str:
        record = asdict(self)
        record["at"] = list(self.at)
        return json.dumps(record, ensure_ascii=False, sort_keys=False)


class LineIndex:
    """Offset -> 1-based (line, column) in one text."""

    def __init__(self, text: str):
        self._starts = [0] + [i + 1 for i, c in enumerate(text) if c == "\n"]

    def position(self, offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(self._starts, offset) - 1
        return line + 1, offset - self._starts[line] + 1

    def line_of(self, offset: int) -> int:
        return self.position(offset)[0]


class TrackedText:
    """The working text of a repair, with the source origin of every character."""

    def __init__(self, source: str):
        self.source = source
        self.text = source
        self.origin: list[int] = list(range(len(source)))
        self.changes: list[Change] = []
        self._steps = 0
        self._source_lines = LineIndex(source)

    def apply(self, rule: str, edits: Iterable[Edit]) -> list[Change]:
        """Apply one rule's edits (non-overlapping) in one pass; return their records."""
        return self.apply_named((rule, edit) for edit in edits)

    def apply_named(self, named: Iterable[tuple[str, Edit]]) -> list[Change]:
        """One step of non-overlapping edits, each under its own rule name."""
        named = sorted(named, key=lambda pair: (pair[1].start, pair[1].end))
        if not named:
            return []
        self._steps += 1
        pieces: list[str] = []
        origin: list[int] = []
        made: list[Change] = []
        cursor = 0
        for rule, edit in named:
            if edit.start < cursor or edit.end < edit.start or edit.end > len(self.text):
                raise ValueError(f"{rule}: overlapping or out-of-range edit {edit.start}-{edit.end}")
            pieces.append(self.text[cursor:edit.start])
            origin.extend(self.origin[cursor:edit.start])
            pieces.append(edit.after)
            origin.extend(self._origin_of_insert(edit))
            made.append(self._record(rule, edit, len(self.changes) + len(made) + 1))
            cursor = edit.end
        pieces.append(self.text[cursor:])
        origin.extend(self.origin[cursor:])
        self.text = "".join(pieces)
        self.origin = origin
        self.changes.extend(made)
        return made

    def _origin_of_insert(self, edit: Edit) -> list[int]:
        if edit.moved_from is not None:
            if len(edit.moved_from) != len(edit.after):
                raise ValueError("moved_from needs one position per inserted character")
            return [self.origin[p] for p in edit.moved_from]
        if edit.origins is not None:
            if len(edit.origins) != len(edit.after):
                raise ValueError("origins needs one value per inserted character")
            return list(edit.origins)
        return [WRITTEN] * len(edit.after)

    def _record(self, rule: str, edit: Edit, ident: int) -> Change:
        src_start, src_end = self.source_range(edit.start, edit.end)
        line, col = self._source_lines.position(src_start)
        end_line, end_col = self._source_lines.position(src_end)
        evidence = dict(edit.evidence)
        if edit.moved_from is not None:
            evidence["moved_from_source"] = list(self.source_range(min(edit.moved_from), max(edit.moved_from) + 1))
        return Change(
            id=ident,
            step=self._steps,
            rule=rule,
            at=(edit.start, edit.end),
            source=SourceSpan(src_start, src_end, line, col, end_line, end_col),
            before=self.text[edit.start:edit.end],
            after=edit.after,
            reason=edit.reason,
            confidence=round(edit.confidence, 3),
            evidence=evidence,
        )

    def source_range(self, start: int, end: int) -> tuple[int, int]:
        """Source offsets covering working-text ``[start, end)``; an empty range maps to a point."""
        known = [o for o in self.origin[start:end] if o >= 0]
        if known:
            return known[0], known[-1] + 1
        point = self._next_origin(end)
        return point, point

    def _next_origin(self, position: int) -> int:
        for o in self.origin[position:]:
            if o >= 0:
                return o
        return len(self.source)

def replay(source: str, changes: Iterable[Change | dict]) -> str:
    """Apply change records to the source text, step by step; check each ``before``."""
    steps: dict[int, list[tuple[int, int, str, str, int]]] = {}
    for record in changes:
        r = record if isinstance(record, dict) else asdict(record)
        try:
            start, end = r["at"]
            steps.setdefault(int(r["step"]), []).append((int(start), int(end), r["before"], r["after"], r["id"]))
        except (KeyError, TypeError, ValueError):
            raise BadChangeLog(f"change record {r.get('id', '?')}: missing or malformed 'step', 'at', 'before' or 'after'") from None
    text = source
    for step in sorted(steps):
        pieces, cursor = [], 0
        for start, end, before, after, ident in sorted(steps[step]):
            if start < cursor or text[start:end] != before:
                raise ReplayMismatch(
                    f"change {ident} (step {step}) does not fit: expected {before[:30]!r} at {start}, found {text[start:end][:30]!r}"
                )
            pieces.append(text[cursor:start])
            pieces.append(after)
            cursor = end
        pieces.append(text[cursor:])
        text = "".join(pieces)
    return text


def read_change_log(lines: Iterable[str]) -> list[dict]:
    records = []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            records.append(json.loads(line))
        except json.JSONDecodeError as exc:
            raise BadChangeLog(f"line {number} of the change log is not JSON ({exc.msg})") from None
        if not isinstance(records[-1], dict):
            raise BadChangeLog(f"line {number} of the change log is not a JSON object")
    return records
