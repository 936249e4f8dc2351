"""OCR's half-width punctuation inside Chinese text, written as the page prints it.

Both engines read a full-width （ ） ， ： ； as its ASCII look-alike: the glyphs differ
only in their advance, which a line crop does not show. Chinese plans print the full
forms inside Chinese text (the 文物 plan's text layer holds no ASCII bracket, comma,
colon or semicolon at all), so OCR's ``(一)`` is an error against the page's ``（一）``.

A mark is written full-width only where its context is Chinese:

- ``,`` ``:`` ``;`` when both neighbours are Han characters or Chinese punctuation;
- a bracket pair on one line (either side half-width) when what it encloses holds a
  Han character (``(一)``, ``(2025-2030年)``, ``(此件公开发布)``), or is a percent sign
  after a Han character (a table's ``完成率(%)``);
- ``[2021]`` between a Han character and a document number's serial (``国办发[2021]43号``)
  is the 〔〕 of a document number.

ASCII among Latin letters and digits is left alone: ``(1)``, ``(GDP)``, ``1,000``,
``10:30``. Every mapping is one character to one character (offsets do not move) and
comes back as a record with its evidence: the characters either side.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from grammar.chars import HAN, is_han

CHINESE_PUNCTUATION = set("，。、；：！？“”‘’《》〈〉【】〔〕（）—…·「」『』％")
SEPARATORS = {",": "，", ":": "：", ";": "；"}
OPEN, CLOSE = "(（", ")）"
FULL = {"(": "（", ")": "）", "[": "〔", "]": "〕"}
DOC_NUMBER_YEAR = re.compile(rf"(?<={HAN})\[(\d{{4}})\](?=\d+号)")


@dataclass(frozen=True)
class WidthChange:
    """One mark written full-width at ``offset``, with the context that decided it."""

    offset: int
    before: str
    after: str
    context: str  # the text around it, as read


def is_chinese(char: str) -> bool:
    return is_han(char) or char in CHINESE_PUNCTUATION


def full_width_punctuation(text: str) -> tuple[str, list[WidthChange]]:
    """``text`` with OCR's half-width marks inside Chinese text made full-width, and the changes."""
    chars = list(text)
    offsets = _separators(text) | _bracket_pairs(text) | _document_numbers(text)
    changes = []
    for at in sorted(offsets):
        after = SEPARATORS.get(text[at]) or FULL[text[at]]
        chars[at] = after
        changes.append(WidthChange(at, text[at], after, text[max(0, at - 4):at + 5]))
    return "".join(chars), changes


def revert_widths(text: str, changes) -> str:
    """``text`` with each change undone: what OCR read."""
    chars = list(text)
    for change in changes:
        chars[change.offset] = change.before
    return "".join(chars)


def _separators(text: str) -> set[int]:
    return {i for i in range(1, len(text) - 1)
            if text[i] in SEPARATORS and is_chinese(text[i - 1]) and is_chinese(text[i + 1])}


def _bracket_pairs(text: str) -> set[int]:
    """Half-width sides of bracket pairs on one line that enclose Chinese."""
    found: set[int] = set()
    for start, char in enumerate(text):
        if char not in OPEN:
            continue
        end = start + 1
        while end < len(text) and text[end] not in OPEN + CLOSE + "\n":
            end += 1
        if end >= len(text) or text[end] not in CLOSE:
            continue
        inside = text[start + 1:end]
        before = text[start - 1] if start else ""
        chinese = any(is_han(c) for c in inside) or (inside in ("%", "％") and before and is_han(before))
        if chinese:
            found.update(i for i in (start, end) if text[i] in "()")
    return found


def _document_numbers(text: str) -> set[int]:
    return {i for m in DOC_NUMBER_YEAR.finditer(text) for i in (m.start(), m.end() - 1)}
