"""The change log read backwards and character by character.

``repair.changes.replay`` applies a change log to a source. Two more readings of the
same log live here, both pure functions of the log and a text:

- ``undo(repaired, records)`` rebuilds the source from the repaired text: the steps
  are undone last to first, and within a step every record's ``after`` is checked
  where the record says it went. ``undo(replay(source, log), log) == source``.
- ``trace(source, records)`` replays the log while remembering, for every source
  character, the record that removed it, and for every repaired character, the source
  character it is (or the record that wrote it). The review report aligns the
  original and the repaired text with it and highlights each record exactly where it
  acted.

Records are grouped by ``step``; within a step ``at`` is a span of the text as it
stood before that step, and the records do not overlap (the order of applying them
within a step is the one ``replay`` uses).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, is_dataclass
from typing import Iterable

from .errors import BadChangeLog, ReplayMismatch

MARK = None  # a zero-width atom of the traced text: where a record removed text


@dataclass(frozen=True)
class Edit:
    id: int
    step: int
    start: int
    end: int
    before: str
    after: str


def edits_by_step(records: Iterable[dict]) -> dict[int, list[Edit]]:
    """The records as edits, grouped by step, each step in the order replay applies it."""
    steps: dict[int, list[Edit]] = {}
    for record in records:
        r = asdict(record) if is_dataclass(record) else record
        try:
            start, end = r["at"]
            edit = Edit(int(r["id"]), int(r["step"]), int(start), int(end), str(r["before"]), str(r["after"]))
        except (KeyError, TypeError, ValueError):
            raise BadChangeLog(f"change record {r.get('id', '?') if isinstance(r, dict) else '?'}: missing or malformed 'id', 'step', 'at', 'before' or 'after'") from None
        if edit.end - edit.start != len(edit.before):
            raise BadChangeLog(f"change record {edit.id}: 'at' spans {edit.end - edit.start} characters but 'before' has {len(edit.before)}")
        steps.setdefault(edit.step, []).append(edit)
    for edits in steps.values():
        edits.sort(key=lambda e: (e.start, e.end, e.before, e.after, e.id))  # as replay sorts
    return steps


def undo(repaired: str, records: Iterable[dict]) -> str:
    """The text the change log was applied to, rebuilt from the text it produced."""
    steps = edits_by_step(records)
    text = repaired
    for step in sorted(steps, reverse=True):
        pieces, cursor, shift = [], 0, 0
        for edit in steps[step]:
            at = edit.start + shift  # where the edit's 'after' stands in the text after the step
            if at < cursor or text[at:at + len(edit.after)] != edit.after:
                raise ReplayMismatch(
                    f"change {edit.id} (step {step}) cannot be undone: expected {edit.after[:30]!r} at {at}, found {text[at:at + len(edit.after)][:30]!r}"
                )
            pieces.append(text[cursor:at])
            pieces.append(edit.before)
            cursor = at + len(edit.after)
            shift += len(edit.after) - len(edit.before)
        pieces.append(text[cursor:])
        text = "".join(pieces)
    return text


@dataclass(frozen=True)
class Trace:
    """Where every record acted, in the source and in the repaired text."""

    source: str
    text: str  # the repaired text
    removed_by: tuple[int | None, ...]  # per source character: id of the record that removed it
    points: dict[int, tuple[int, ...]]  # source offset -> records that removed no source character (they act there)
    origin: tuple[int, ...]  # per repaired character: its source offset, or -1 when a record wrote it
    written_by: tuple[int | None, ...]  # per repaired character: id of the record that wrote it
    marks: tuple[tuple[int, int], ...]  # (offset in the repaired text, record id): where a record removed text


def trace(source: str, records: Iterable[dict]) -> Trace:
    """Replay the change log keeping track of which record touched which character."""
    steps = edits_by_step(records)
    chars: list[str | None] = list(source)  # None: a mark (zero width)
    origin: list[int] = list(range(len(source)))
    owner: list[int | None] = [None] * len(source)
    removed_by: list[int | None] = [None] * len(source)
    points: dict[int, list[int]] = {}
    for step in sorted(steps):
        at_atom = [i for i, c in enumerate(chars) if c is not MARK]
        text = "".join(chars[i] for i in at_atom)
        new_chars, new_origin, new_owner = [], [], []
        cursor = 0
        for edit in steps[step]:
            if text[edit.start:edit.end] != edit.before or edit.end > len(text):
                raise ReplayMismatch(
                    f"change {edit.id} (step {step}) does not fit: expected {edit.before[:30]!r} at {edit.start}, found {text[edit.start:edit.end][:30]!r}"
                )
            first = at_atom[edit.start] if edit.start < len(at_atom) else len(chars)
            last = at_atom[edit.end - 1] + 1 if edit.end > edit.start else first
            if first < cursor:
                raise ReplayMismatch(f"change {edit.id} (step {step}) overlaps the change before it")
            new_chars += chars[cursor:first]
            new_origin += origin[cursor:first]
            new_owner += owner[cursor:first]
            removed_source = False
            for k in range(first, last):
                if chars[k] is not MARK and origin[k] >= 0:
                    removed_by[origin[k]] = edit.id
                    removed_source = True
            if not removed_source:
                point = next((origin[k] for k in range(last, len(chars)) if chars[k] is not MARK and origin[k] >= 0), len(source))
                points.setdefault(point, []).append(edit.id)
            if edit.after:
                new_chars += list(edit.after)
                new_origin += [-1] * len(edit.after)
                new_owner += [edit.id] * len(edit.after)
            elif edit.before:
                new_chars.append(MARK)
                new_origin.append(-1)
                new_owner.append(edit.id)
            cursor = last
        new_chars += chars[cursor:]
        new_origin += origin[cursor:]
        new_owner += owner[cursor:]
        chars, origin, owner = new_chars, new_origin, new_owner
    text_origin, written_by, marks, text = [], [], [], []
    for c, o, w in zip(chars, origin, owner):
        if c is MARK:
            marks.append((len(text), w))
        else:
            text.append(c)
            text_origin.append(o)
            written_by.append(w)
    return Trace(
        source=source,
        text="".join(text),
        removed_by=tuple(removed_by),
        points={k: tuple(v) for k, v in sorted(points.items())},
        origin=tuple(text_origin),
        written_by=tuple(written_by),
        marks=tuple(marks),
    )
