"""join_split_words: remove a line break or space that cuts a word in two.

``国家知`` / `` 识产权局`` becomes 国家知识产权局 because jieba (with the plan vocabulary)
reads one dictionary word across the gap. Where no word spans the gap (``最`` / ``院``,
``加强数据`` / ``制度``) text was lost there, and the break stays to say so.
"""

from __future__ import annotations

import re

from .changes import Edit
from .context import RepairContext
from .layout import BOX_HEADER, TABLE_HEADER, TABLE_ROW, TEXT, line_at

HAN = r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]"
# A gap: spaces on one line, or one line break with indentation (never an empty line).
_GAP_RE = re.compile(rf"(?<={HAN})(?:[ \u3000]+|[ \u3000]*\n[ \u3000]*)(?={HAN})")
REPAIRABLE = (TEXT, BOX_HEADER, TABLE_HEADER, TABLE_ROW)


def join_split_words(text: str, ctx: RepairContext) -> list[Edit]:
    line_of = line_at(ctx.lines(text))
    edits = []
    for gap in _GAP_RE.finditer(text):
        if line_of(gap.start()).kind not in REPAIRABLE or line_of(gap.end()).kind not in REPAIRABLE:
            continue
        left = text[max(0, gap.start() - 8):gap.start()].split("\n")[-1]
        right = text[gap.end():gap.end() + 8].split("\n")[0]
        word = ctx.vocab.word_across(left, right)
        if word is None:
            continue
        kind = "line break" if "\n" in gap.group() else "space"
        edits.append(
            Edit(
                gap.start(),
                gap.end(),
                "",
                reason=f"{kind} splits the word {word}",
                confidence=0.95 if len(word) >= 3 else 0.85,
                evidence={"word": word, "left": left[-4:], "right": right[:4]},
            )
        )
    return edits
