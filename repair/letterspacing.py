"""join_letter_spaced: 加 强 知 识 产 权 保 护 -> 加强知识产权保护.

Spaced-out type (justified table cells, titles, headings) comes out of text extraction
with a space between every two characters. ``join_split_words`` mends one gap at a
time where a word spans it and leaves 加强 知识 产权 behind; a run of single characters
separated by single spaces is letter spacing as a whole. The run is joined when jieba
reads it as words: most of its Chinese characters fall in dictionary words once the
spaces are gone. A run that reads as no words (产 创 产 价: residue of lost text) stays
for the residue rule.

Digits, letters and a title's punctuation are spaced out with the characters
(（ 2 0 2 6 — 2 0 3 0 年 ）) and joined with them. Two-character runs (指 标) are left
to ``join_split_words``. On a line that looks like
residue (short pieces, no sentence punctuation) the bar is higher: at least six
characters, nearly all of them in words, as a spaced-out title is and stray glyphs are
not. It runs before the residue rule, so a spaced-out title is joined before it could
be taken for residue. Only the spaces go; the characters keep their source offsets.
"""

from __future__ import annotations

import re

from grammar.chars import HAN_RANGE, is_han

from .changes import Edit
from .context import RepairContext
from .layout import BLANK, RESIDUE, SIDEBAR

_WORD = HAN_RANGE + "0-9A-Za-z"
# What spaced-out type spaces: characters, digits, letters, the punctuation of a title.
_SPACED = _WORD + "，。、；：？！（）“”《》()%．.—－+＋"
# Three or more single characters, each separated from the next by one space (the
# first and last may touch punctuation: 率（%）, not a letter or a character). A run
# starts with a character, a letter or a mark, never a digit: 专栏1 5 标 准 … keeps its number.
_SPACED_RUN_RE = re.compile(rf"(?<![{_WORD}])[{HAN_RANGE}A-Za-z，。、；：？！（）“”《》()](?: [{_SPACED}]){{2,}}(?![{_WORD}])")
MIN_HAN = 3
MIN_COVERAGE = 0.5
# On a residue-shaped line: a spaced-out title, not stray glyphs.
MIN_HAN_ON_FRAGMENT_LINE = 6
MIN_COVERAGE_ON_FRAGMENT_LINE = 0.8


def join_letter_spaced(text: str, ctx: RepairContext) -> list[Edit]:
    edits = []
    for line in ctx.lines(text):
        if line.kind == BLANK or " " not in line.text:
            continue
        fragment_line = line.kind in (RESIDUE, SIDEBAR)
        for run in _SPACED_RUN_RE.finditer(line.text):
            joined = run.group().replace(" ", "")
            han = sum(1 for c in joined if is_han(c))
            coverage = ctx.vocab.coverage(joined)
            if fragment_line:
                if han < MIN_HAN_ON_FRAGMENT_LINE or coverage < MIN_COVERAGE_ON_FRAGMENT_LINE:
                    continue
            elif han < MIN_HAN or coverage < MIN_COVERAGE:
                continue
            start = line.start + run.start()
            edits.append(
                Edit(
                    start,
                    start + len(run.group()),
                    joined,
                    reason=f"{run.group()!r} is spaced-out type: without the spaces it reads as words ({joined})",
                    confidence=0.95 if coverage >= 0.8 else 0.85,
                    evidence={"spaced": run.group(), "word_coverage": round(coverage, 3)},
                    moved_from=tuple(start + i for i, c in enumerate(run.group()) if c != " "),
                )
            )
    return edits
