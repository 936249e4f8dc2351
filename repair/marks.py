"""drop_stray_marks: a slash or bar dropped between two Chinese characters (知识产权/保护)."""

from __future__ import annotations

import re

from .changes import Edit
from .context import RepairContext
from .layout import line_at
from .words import HAN, REPAIRABLE

_MARK_RE = re.compile(rf"(?<={HAN})[/／|｜](?={HAN})")
# 和/或 and the like are real alternations, not damage.
_ALTERNATIONS = set("和或及与")


def drop_stray_marks(text: str, ctx: RepairContext) -> list[Edit]:
    line_of = line_at(ctx.lines(text))
    edits = []
    for mark in _MARK_RE.finditer(text):
        if text[mark.start() - 1] in _ALTERNATIONS and text[mark.end()] in _ALTERNATIONS:
            continue
        if line_of(mark.start()).kind not in REPAIRABLE:
            continue
        word = ctx.vocab.word_across(text[max(0, mark.start() - 6):mark.start()], text[mark.end():mark.end() + 6])
        edits.append(
            Edit(
                mark.start(),
                mark.end(),
                "",
                reason=f"stray {mark.group()!r} inside Chinese text" + (f"; it splits {word}" if word else ""),
                confidence=0.95 if word else 0.85,
                evidence={"context": text[max(0, mark.start() - 4):mark.end() + 4], "word": word},
            )
        )
    return edits
