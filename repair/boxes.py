"""renumber_boxes: give each programme box (专栏) its true sequence number.

Printed numbers are damaged (10 for 6, ``11 4`` for 14) or missing. The true numbers
run 1, 2, 3 … in reading order, possibly with gaps where a whole box was lost. We keep
the largest set of printed numbers that can all be right together (a longest
non-decreasing run of printed − position), and infer the others from the kept
neighbours on both sides. A number we cannot pin down (a gap between neighbours that
is wider than the boxes in it) is left as printed and reported.

This is the one rule that writes text: the corrected digits.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass

from .changes import Edit
from .context import RepairContext
from .layout import BOX_HEADER, box_header_match

_FULLWIDTH = str.maketrans("０１２３４５６７８９", "0123456789")
_CN_DIGITS = {c: i for i, c in enumerate("零一二三四五六七八九", 0)}


@dataclass(frozen=True)
class BoxNumber:
    position: int  # 1-based order of the box in the text
    printed: str | None  # digits as printed, None when nothing was printed
    value: int | None  # the printed number, if it reads as one
    number: int | None  # the inferred true number; None when it cannot be pinned down
    status: str  # as_printed | corrected | inferred | uncertain
    evidence: str


def printed_value(printed: str | None) -> int | None:
    if printed is None:
        return None
    digits = printed.translate(_FULLWIDTH)
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
    anchors = _anchor_positions(values)
    out = []
    for i, (shown, value) in enumerate(zip(printed, values)):
        if i in anchors:
            out.append(BoxNumber(i + 1, shown, value, value, "as_printed", "printed number fits the sequence"))
            continue
        number, evidence = _between_anchors(i, values, anchors)
        if number is None:
            status = "uncertain"
        elif shown is None:
            status = "inferred"
        else:
            status = "corrected"
        out.append(BoxNumber(i + 1, shown, value, number, status, evidence))
    return out


def _anchor_positions(values: list[int | None]) -> set[int]:
    """Longest set of boxes whose printed numbers fit together: value − position never decreases."""
    indexed = [(i, v - i) for i, v in enumerate(values) if v is not None and v >= 1]
    if not indexed:
        return set()
    # Longest non-decreasing subsequence of (value - position), ties to the smallest offsets.
    tails: list[int] = []
    tail_index: list[int] = []
    parent: dict[int, int | None] = {}
    for i, key in indexed:
        k = bisect.bisect_right(tails, key)
        parent[i] = tail_index[k - 1] if k else None
        if k == len(tails):
            tails.append(key)
            tail_index.append(i)
        else:
            tails[k] = key
            tail_index[k] = i
    chain, node = set(), tail_index[-1]
    while node is not None:
        chain.add(node)
        node = parent[node]
    # value − position non-decreasing makes the values rise strictly: no number repeats.
    return chain


def _between_anchors(i: int, values: list[int | None], anchors: set[int]) -> tuple[int | None, str]:
    before = max((a for a in anchors if a < i), default=None)
    after = min((a for a in anchors if a > i), default=None)
    if before is None and after is None:
        return i + 1, "no box number could be read; numbered by position"
    if before is not None and after is not None:
        if values[after] - values[before] == after - before:
            number = values[before] + (i - before)
            return number, f"neighbours print {values[before]} (box {before + 1}) and {values[after]} (box {after + 1})"
        return None, f"between {values[before]} and {values[after]} a box was lost; the number cannot be fixed"
    if before is not None:
        return values[before] + (i - before), f"follows box {before + 1}, printed {values[before]}"
    number = values[after] - (after - i)
    if number < 1:
        return None, f"precedes box {after + 1}, printed {values[after]}, but would number below 1"
    return number, f"precedes box {after + 1}, printed {values[after]}"


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
                    confidence=0.95 if "neighbours" in box.evidence else 0.85,
                    evidence=_evidence(box),
                )
            )
    return edits


def _evidence(box: BoxNumber) -> dict:
    return {"position": box.position, "printed": box.printed, "number": box.number, "why": box.evidence}
