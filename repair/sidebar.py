"""set_aside_sidebar_fragments: take sidebar text cut into short lines out of the box flow.

The pieces are real text (运营平台, 海外知 ...) but their place in the sentence is lost;
splicing them into a paragraph would invent a reading. They are removed from the text
and kept, with their source lines, in the change log and in plan.json's issues.
"""

from __future__ import annotations

from .changes import Edit
from .context import RepairContext
from .layout import SIDEBAR
from .runs import line_runs, run_span


def set_aside_sidebar_fragments(text: str, ctx: RepairContext) -> list[Edit]:
    lines = ctx.lines(text)
    edits = []
    for run in line_runs(lines, lambda line: line.kind == SIDEBAR):
        start, end = run_span(run, lines, len(text))
        pieces = [line.text.strip() for line in run if line.kind == SIDEBAR]
        coverage = ctx.vocab.coverage("".join(pieces))
        edits.append(
            Edit(
                start,
                end,
                "",
                reason=f"{len(pieces)} short line(s) cut from a sidebar inside box {run[0].box + 1}; set aside, not spliced into a sentence",
                # Pieces made of dictionary words are clearly cut text; single odd glyphs less so.
                confidence=0.9 if coverage >= 0.5 else 0.75,
                evidence={"fragments": pieces, "box_order": run[0].box + 1, "word_coverage": round(coverage, 3)},
            )
        )
    return edits
