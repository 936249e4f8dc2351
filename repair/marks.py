"""drop_stray_marks: a slash or bar dropped between two Chinese characters (知识产权/保护).

Slashes are common in clean plans: units (发/吨, 万件/套, 30万吨/年), alternatives
(侵入式/半侵入式, 短波/超短波, 机器人/外骨骼), dates and ratios. A mark is stray only
where all of these hold: it splits a dictionary word (产权/保护 inside 知识产权保护); it
is neither a unit after a number nor an alternation; and either the document shows the
glyph loss of a broken extract (the damage that scatters such marks) or the slash
leaves a lone character on one side (知/识产权): a word cut in two, which no plan prints.
"""

from __future__ import annotations

import re

from grammar.chars import HAN

from .changes import Edit
from .context import RepairContext
from .layout import line_at
from .words import REPAIRABLE

_MARK_RE = re.compile(rf"(?<={HAN})[/／|｜](?={HAN})")
# 和/或 and the like are real alternations, not damage.
_ALTERNATIONS = set("和或及与")
# A number right before the run that ends at the mark: 674发/吨, 30万吨/年.
_UNIT_AFTER_NUMBER_RE = re.compile(rf"[0-9０-９.．%％]{HAN}{{1,3}}$")


def is_alternation(left: str, right: str) -> bool:
    """A/B listing two of a kind: they share a character (侵入式/半侵入式, 短波/超短波)."""
    return bool(set(left[-3:]) & set(right[:4]))


def cuts_a_word(before: str, after: str, word: str, vocab) -> bool:
    """The slash cuts a word of three or more characters and leaves a lone character on
    one side (知/识产权, 知识产/权): a word cut in two, which no plan prints. 知识产权/保护
    has whole words on both sides; 厅/局 lists two one-character words."""
    left, right = _han_run(before[::-1])[::-1], _han_run(after)
    lone = bool(left and right) and (len(vocab.words(left)[-1]) == 1 or len(vocab.words(right)[0]) == 1)
    return lone and len(word) >= 3


def _han_run(text: str) -> str:
    run = re.match(rf"{HAN}*", text)
    return run.group() if run else ""


def drop_stray_marks(text: str, ctx: RepairContext) -> list[Edit]:
    glyph_loss = ctx.evidenced("glyph_loss")
    line_of = line_at(ctx.lines(text))
    edits = []
    for mark in _MARK_RE.finditer(text):
        before, after = text[max(0, mark.start() - 6):mark.start()], text[mark.end():mark.end() + 6]
        if text[mark.start() - 1] in _ALTERNATIONS and text[mark.end()] in _ALTERNATIONS:
            continue
        if line_of(mark.start()).kind not in REPAIRABLE:
            continue
        if _UNIT_AFTER_NUMBER_RE.search(before) or is_alternation(before, after):
            continue
        word = ctx.vocab.word_across(before, after)
        if not word:
            continue  # nothing says the slash broke a word: it is the plan's own
        cut = cuts_a_word(before, after, word, ctx.vocab)
        if not (glyph_loss or cut):
            continue  # whole words on both sides and no glyph loss: the plan's own A/B
        edits.append(
            Edit(
                mark.start(),
                mark.end(),
                "",
                reason=f"stray {mark.group()!r} inside Chinese text; it splits {word}" + ("" if glyph_loss else ", leaving a lone character"),
                confidence=0.95 if cut else 0.9,
                evidence={"context": text[max(0, mark.start() - 4):mark.end() + 4], "word": word, "glyph_loss": glyph_loss, "cuts_a_word": cut},
            )
        )
    return edits
