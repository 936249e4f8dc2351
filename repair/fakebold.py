"""undo_fake_bold: 知知识识产产权权 -> 知识产权, a bold run whose glyphs were drawn twice.

Some PDFs fake bold type by drawing every glyph of a run twice, slightly offset; text
extraction then doubles each character (titles and lead sentences are the usual
victims, and a whole box header: 专专栏栏33 …). Where at least three consecutive
characters are each doubled, two of them Chinese, the second copy of each is removed.
One or two doubled characters are real words and stay: 人人, 常常, 家家户户, 明明白白.

It runs first, so that a doubled box header is a box header for every later rule.
Residue and sidebar lines are left to their own rules. The kept copies keep their
source offsets: the change is a deletion of the second copies, recorded as one change
per run.
"""

from __future__ import annotations

import re

from grammar.chars import is_han

from .changes import Edit
from .context import RepairContext
from .layout import RESIDUE, SIDEBAR

MIN_PAIRS = 3
MIN_HAN_PAIRS = 2
# A pair of one character (a space counts: a doubled header doubles its spaces too).
_DOUBLED_RUN_RE = re.compile(r"(?:([^\s]| )\1){3,}")


def undo_fake_bold(text: str, ctx: RepairContext) -> list[Edit]:
    edits = []
    for line in ctx.lines(text):
        if line.kind in (RESIDUE, SIDEBAR) or len(line.text) < 2 * MIN_PAIRS:
            continue
        for run in _DOUBLED_RUN_RE.finditer(line.text):
            doubled = run.group()
            kept = doubled[::2]
            if sum(1 for c in kept if is_han(c)) < MIN_HAN_PAIRS or not kept.strip():
                continue
            start = line.start + run.start()
            edits.append(
                Edit(
                    start,
                    start + len(doubled),
                    kept,
                    reason=f"every character of {kept.strip()!r} is printed twice (a bold run drawn twice): one copy of each kept",
                    confidence=0.95 if len(kept) >= 4 else 0.85,
                    evidence={"doubled": doubled, "characters": len(kept)},
                    moved_from=tuple(range(start, start + len(doubled), 2)),
                )
            )
    return edits
