"""drop_residue_lines: remove what is left of body text whose glyphs lost their mapping.

Only in a document whose diagnosis shows glyph loss, and only runs holding at least
one line that reads as no word: ``RepairContext.lines`` calls nothing else residue.
"""

from __future__ import annotations

from grammar.chars import han_chars

from .changes import Edit
from .context import RepairContext
from .layout import RESIDUE
from .runs import line_runs, run_span


def drop_residue_lines(text: str, ctx: RepairContext) -> list[Edit]:
    lines = ctx.lines(text)
    edits = []
    for run in line_runs(lines, lambda line: line.kind == RESIDUE):
        start, end = run_span(run, lines, len(text))
        residue = [line for line in run if line.kind == RESIDUE]
        chars = sum(len("".join(line.text.split())) for line in residue)
        in_alphabet = sum(1 for line in residue for c in han_chars(line.text) if c in ctx.alphabet)
        han = sum(len(han_chars(line.text)) for line in residue)
        edits.append(
            Edit(
                start,
                end,
                "",
                reason=f"{len(residue)} line(s) of stray characters left by lost body text; nothing of the text can be rebuilt from them",
                confidence=0.99 if han == 0 or in_alphabet / han >= 0.8 else 0.9,
                evidence={"lines": len(residue), "characters": chars, "residue_alphabet_share": round(in_alphabet / han, 3) if han else None},
            )
        )
    return edits
