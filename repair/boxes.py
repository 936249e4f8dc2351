"""renumber_boxes: give each programme box (专栏) its true sequence number.

Printed numbers are damaged (10 for 6, ``11 4`` for 14) or missing. The true numbers
run 1, 2, 3 … in reading order; the sequence can start later (an excerpt) or jump
where whole boxes were lost. We choose the numbering that explains the printed
numbers at the least cost:

- each printed number that the numbering contradicts costs 1 (a misprint: the corpus
  shows 4 in 15 boxes);
- starting above 1 costs 0.5: the first printed number is believed (an extract that
  lost its first pages) unless the numbers after it contradict it (3, 2, 3, 4);
- each jump inside the sequence (boxes lost) costs 2, as much as two misprints: one
  number alone (1 … 7, 9) is a misprint, three agreeing numbers after a jump
  (… 7, 9, 10, 11) mean box 8 is missing, and two (… 7, 9, 10) could be either.

Where another numbering costs as little and gives a box a different
number, the box's number is uncertain: it stays as printed, with the candidates, and
is reported (1, 2, 4, 5: a lost box 3, or two misprints?). Dynamic programming over
(box, offset) keeps this linear in the number of boxes for a bounded set of offsets.

This is the one rule that writes text: the corrected digits.
"""

from __future__ import annotations

from dataclasses import dataclass

from grammar.headers import box_header_match

from .changes import Edit
from .context import RepairContext
from .layout import BOX_HEADER

_FULLWIDTH = str.maketrans("０１２３４５６７８９", "0123456789")
_CN_DIGITS = {c: i for i, c in enumerate("零一二三四五六七八九", 0)}


MISPRINT_COST = 1.0
LATE_START_COST = 0.5
LOST_BOXES_COST = 2.0
UNCERTAIN_MARGIN = 0.5  # costs come in halves: a rival numbering that costs the same is a real doubt


@dataclass(frozen=True)
class BoxNumber:
    position: int  # 1-based order of the box in the text
    printed: str | None  # digits as printed, None when nothing was printed
    value: int | None  # the printed number, if it reads as one
    number: int | None  # the inferred true number; None when it cannot be pinned down
    status: str  # as_printed | corrected | inferred | uncertain
    evidence: str
    candidates: tuple[int, ...] = ()  # for an uncertain number: the numbers it could be
    missing_before: tuple[int, ...] = ()  # numbers of boxes lost just before this one

_LOOKALIKE_DIGITS = str.maketrans("lIOo", "1100")


def printed_value(printed: str | None) -> int | None:
    if printed is None:
        return None
    digits = printed.translate(_FULLWIDTH).translate(_LOOKALIKE_DIGITS)
    if digits.isdigit():
        return int(digits)
    return _chinese_numeral(printed)


def _chinese_numeral(text: str) -> int | None:
    if not text or any(c not in _CN_DIGITS and c != "十" for c in text):
        return None
    if "十" not in text:
        return _CN_DIGITS[text] if len(text) == 1 else None
    tens, _, units = text.partition("十")
    return (_CN_DIGITS.get(tens, 1) if tens else 1) * 10 + (_CN_DIGITS.get(units, 0) if units else 0)


def infer_box_numbers(printed: list[str | None]) -> list[BoxNumber]:
    values = [printed_value(p) for p in printed]
    if not values:
        return []
    offsets = _offsets(values)
    forward = _forward_costs(values, offsets)
    backward = _backward_costs(values, offsets)
    best = min(forward[-1][k] + backward[-1][k] for k in range(len(offsets)))
    chosen = _best_numbering(values, offsets, forward)
    out: list[BoxNumber] = []
    for i, (shown, value) in enumerate(zip(printed, values)):
        number = i + 1 + chosen[i]
        # The cheapest numbering that gives this box a different number.
        rivals = sorted(
            {
                i + 1 + offsets[k]
                for k in range(len(offsets))
                if offsets[k] != chosen[i] and forward[i][k] + backward[i][k] - best < UNCERTAIN_MARGIN
            }
        )
        if rivals:
            candidates = tuple(sorted({number, *rivals}))
            out.append(BoxNumber(i + 1, shown, value, None, "uncertain", _doubt(i, values, candidates), candidates))
            continue
        previous = out[-1] if out else None
        if previous is None or previous.number is not None:
            # A jump between two certain numbers: the boxes between are not in the text.
            missing = tuple(range((previous.number if previous else 0) + 1, number))
        else:
            missing = ()
        if value == number and shown is not None and set(shown) & set("lIOo"):
            out.append(BoxNumber(i + 1, shown, value, number, "corrected", f"letters printed for digits: {shown!r} reads {number}, which fits the sequence", (), missing))
        elif value == number:
            out.append(BoxNumber(i + 1, shown, value, number, "as_printed", "printed number fits the sequence", (), missing))
        else:
            status = "inferred" if shown is None else "corrected"
            out.append(BoxNumber(i + 1, shown, value, number, status, _support(i, values, chosen), (), missing))
    return out


def _offsets(values: list[int | None]) -> list[int]:
    """Candidate offsets (true number − position): 0 and every offset a printed number suggests."""
    return sorted({0} | {v - i - 1 for i, v in enumerate(values) if v is not None and v > i})


def _misprint(value: int | None, number: int) -> float:
    return 0.0 if value is None or value == number else MISPRINT_COST


def _forward_costs(values: list[int | None], offsets: list[int]) -> list[list[float]]:
    """forward[i][k]: least cost of boxes 0..i with box i at offset k (offsets never fall)."""
    first = [_misprint(values[0], 1 + d) + (LATE_START_COST if d else 0.0) for d in offsets]
    rows = [first]
    for i in range(1, len(values)):
        prev = rows[-1]
        row, lowest_before = [], float("inf")
        for k, d in enumerate(offsets):
            # Arrive at offset k from the same offset (free) or from a lower one (a jump).
            row.append(_misprint(values[i], i + 1 + d) + min(prev[k], lowest_before + LOST_BOXES_COST))
            lowest_before = min(lowest_before, prev[k])
        rows.append(row)
    return rows


def _backward_costs(values: list[int | None], offsets: list[int]) -> list[list[float]]:
    """backward[i][k]: least cost of boxes i+1.. given box i at offset k."""
    n = len(values)
    rows = [[0.0] * len(offsets)]
    for i in range(n - 2, -1, -1):
        nxt = rows[0]
        here = [_misprint(values[i + 1], i + 2 + d) + nxt[k] for k, d in enumerate(offsets)]
        row, jump = [0.0] * len(offsets), float("inf")
        for k in range(len(offsets) - 1, -1, -1):
            row[k] = min(here[k], jump)
            jump = min(jump, here[k] + LOST_BOXES_COST)
        rows.insert(0, row)
    return rows


def _best_numbering(values: list[int | None], offsets: list[int], forward: list[list[float]]) -> list[int]:
    """Trace the cheapest numbering back; on equal cost the smaller offset (fewer lost boxes)."""
    n = len(values)
    k = min(range(len(offsets)), key=lambda j: (forward[-1][j], j))
    chosen = [0] * n
    for i in range(n - 1, -1, -1):
        chosen[i] = offsets[k]
        if i == 0:
            break
        paid = forward[i][k] - _misprint(values[i], i + 1 + offsets[k])
        prev = forward[i - 1]
        if abs(prev[k] - paid) < 1e-9:
            continue
        k = min((j for j in range(k) if abs(prev[j] + LOST_BOXES_COST - paid) < 1e-9), default=k)
    return chosen


def _support(i: int, values: list[int | None], chosen: list[int]) -> str:
    """Which printed neighbours fix box i's number."""
    fits = [j for j, v in enumerate(values) if v == j + 1 + chosen[j]]
    before = max((j for j in fits if j < i), default=None)
    after = min((j for j in fits if j > i), default=None)
    if before is not None and after is not None and chosen[before] == chosen[after]:
        return f"neighbours print {values[before]} (box {before + 1}) and {values[after]} (box {after + 1})"
    if before is not None and chosen[before] == chosen[i]:
        return f"follows box {before + 1}, printed {values[before]}; a misprint is likelier than a lost box"
    if after is not None and chosen[after] == chosen[i]:
        return f"precedes box {after + 1}, printed {values[after]}"
    return "no printed number fits; numbered by position"


def _doubt(i: int, values: list[int | None], candidates: tuple[int, ...]) -> str:
    shown = ", ".join("?" if v is None else str(v) for v in values[max(0, i - 2): i + 3])
    return f"printed … {shown} …: box {i + 1} could be {' or '.join(map(str, candidates))} (misprints, or a box lost); left as printed"


def renumber_boxes(text: str, ctx: RepairContext) -> list[Edit]:
    headers = []
    for line in ctx.lines(text):
        if line.kind == BOX_HEADER:
            match = box_header_match(line.text)
            headers.append((line, match))
    numbers = infer_box_numbers([m.group("num") for _, m in headers])
    edits = []
    for (line, match), box in zip(headers, numbers):
        if box.status not in ("corrected", "inferred"):
            continue
        if box.printed is None:
            at = line.start + match.start("lead") + match.group("lead").index("专栏") + len("专栏")
            edits.append(Edit(at, at, str(box.number), reason=f"box {box.position} prints no number; it is number {box.number}", confidence=0.9, evidence=_evidence(box)))
        else:
            edits.append(
                Edit(
                    line.start + match.start("num"),
                    line.start + match.end("num"),
                    str(box.number),
                    reason=f"box {box.position} in reading order prints {box.printed!r}; the sequence makes it {box.number}",
                    confidence=0.95 if "neighbours" in box.evidence else 0.8,
                    evidence=_evidence(box),
                )
            )
    return edits


def _evidence(box: BoxNumber) -> dict:
    return {"position": box.position, "printed": box.printed, "number": box.number, "why": box.evidence}
