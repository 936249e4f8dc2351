"""join_split_words: remove a line break or space that cuts a word or a paragraph in two.

Two kinds of evidence, one per gap:

- **A word across the gap.** ``国家知`` / `` 识产权局`` becomes 国家知识产权局 because jieba
  (with the plan vocabulary) reads one dictionary word across it. The run of ideographs
  on each side (up to punctuation, a digit or the line end; at most ``WORD_CONTEXT``) is
  read, so long names (国家质量监督检验检疫 / 总局) are seen whole.
- **A hard-wrapped paragraph.** A paragraph broken at the page width is a run of lines
  all as wide as each other but the last, which is no wider. A break inside such a run
  is a wrap, not a loss, and goes whether a word spans it or not (达到 / 74%, 环节 / 的全).

A break with neither stays in the text: it marks lost text (``最`` / ``院``,
``加强数据`` / ``制度`` in box 2 of the corpus, whose lines are ragged: 39, 40, 40, 32,
36 ... characters). Even in an even run a break stays where a sentence ends the line
(it may end a paragraph), before a line that opens an item or a field (2. …, 配合单位：…),
and where a lone character is left on both sides of it (the signature of text lost in
between). Indentation is gone by now (strip_line_indent): it is no evidence either way,
box 2's lost-text lines are indented too.
"""

from __future__ import annotations

import re
import unicodedata

from grammar.chars import HAN, SENTENCE_END, is_han

from .changes import Edit
from .context import RepairContext
from .layout import BOX_HEADER, TABLE_HEADER, TABLE_ROW, TEXT, Line, line_at, paragraphs

# A gap: spaces on one line, or one line break with indentation (never an empty line).
_GAP_RE = re.compile(rf"(?<={HAN})(?:[ \u3000]+|[ \u3000]*\n[ \u3000]*)(?={HAN})")
REPAIRABLE = (TEXT, BOX_HEADER, TABLE_HEADER, TABLE_ROW)
WORD_CONTEXT = 20  # ideographs read on each side of a gap

# Hard wraps. Lines count as even when their lengths differ by at most one character
# (text wrapped at a character count) or by at most one full-width character in print
# width (a PDF's justified lines: digits and Latin letters are half as wide, a
# squeezed punctuation mark lets one more character in).
WRAP_MIN_LINES = 3  # two full lines and the last: one full line alone shows no width
WRAP_MIN_WIDTH = 20  # characters; a page or box column holds more, a list item less
WRAP_TOLERANCE_CHARS = 1
WRAP_TOLERANCE_COLUMNS = 2
WRAP_INDENT_CHARS = 2  # the first line of a paragraph may be indented by two characters
_SPACE = " \t\u3000\u00a0"
# A line that opens an item or a field: 2. …, （3）…, ① …, 一是…, 配合单位：…
_NEW_ITEM_RE = re.compile(r"^(\d+[.．、)）]|[（(][\d一二三四五六七八九十]+[）)]|[①-⑳]|[一二三四五六七八九十]+[是、]|[^，。；：:、]{1,6}[：:])")
# Single characters that stand alone in sound text: a lone one next to a break is no sign of loss.
_FUNCTION_CHARS = set("的地得了着过和与及或并而且也都就还又在从自向往对为以于把被将由比跟同是有等各每")


def join_split_words(text: str, ctx: RepairContext) -> list[Edit]:
    lines = ctx.lines(text)
    edits = _word_edits(text, lines, ctx)
    # A break a word spans is recorded once, with the word as its evidence.
    edits += [w for w in _wrap_edits(text, lines, ctx) if not any(w.start < e.end and e.start < w.end for e in edits)]
    return sorted(edits, key=lambda e: e.start)


def _word_edits(text: str, lines: list[Line], ctx: RepairContext) -> list[Edit]:
    line_of = line_at(lines)
    edits = []
    for gap in _GAP_RE.finditer(text):
        if line_of(gap.start()).kind not in REPAIRABLE or line_of(gap.end()).kind not in REPAIRABLE:
            continue
        left = _clause_before(text, gap.start())
        right = _clause_after(text, gap.end())
        word = ctx.vocab.word_across(left, right, context=WORD_CONTEXT)
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


def _clause_before(text: str, end: int) -> str:
    """The run of Han characters that ends at ``end`` (at most ``WORD_CONTEXT``)."""
    start = end
    while start > 0 and end - start < WORD_CONTEXT and is_han(text[start - 1]):
        start -= 1
    return text[start:end]


def _clause_after(text: str, start: int) -> str:
    end = start
    while end < len(text) and end - start < WORD_CONTEXT and is_han(text[end]):
        end += 1
    return text[start:end]


# ---------------------------------------------------------------- hard wraps


def print_width(line: str) -> int:
    """Width in half-width columns: CJK ideographs and full-width marks count two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in line)


def _even(widths: list[int], last: int, tolerance: int, indent: int) -> bool:
    """All full lines equally wide within ``tolerance``, the first maybe narrower by a
    paragraph indent (judged only when two more full lines give the width), and the
    last line no wider than the full ones."""
    indented = len(widths) >= 3  # two more full lines give the width the first is judged by
    body = widths[1:] if indented else widths
    if max(body) - min(body) > tolerance or last > max(body) + tolerance:
        return False
    floor = max(body) - tolerance - (indent if indented else 0)
    return floor <= widths[0] <= min(body) + tolerance


def wrap_width(run: list[str]) -> dict | None:
    """How a run of consecutive lines was wrapped, or None if it does not look wrapped.

    All lines but the last must be about equally wide, in characters or in print width,
    and at least ``WRAP_MIN_WIDTH`` characters; the last no wider than they are. Lines
    with tabs or runs of spaces are table rows or columns, not running text.
    """
    if len(run) < WRAP_MIN_LINES or any("\t" in line or "  " in line for line in run):
        return None
    full, last = run[:-1], run[-1]
    chars = [len(line) for line in full]
    if min(chars) < WRAP_MIN_WIDTH - WRAP_INDENT_CHARS or max(chars) < WRAP_MIN_WIDTH:
        return None
    if _even(chars, len(last), WRAP_TOLERANCE_CHARS, WRAP_INDENT_CHARS):
        return {"measure": "characters", "widths": chars, "last": len(last)}
    columns = [print_width(line) for line in full]
    if _even(columns, print_width(last), WRAP_TOLERANCE_COLUMNS, 2 * WRAP_INDENT_CHARS):
        return {"measure": "print width", "widths": columns, "last": print_width(last)}
    return None


def _wrap_edits(text: str, lines: list[Line], ctx: RepairContext) -> list[Edit]:
    edits = []
    for run in paragraphs(lines):
        stripped = [line.text.strip(_SPACE) for line in run]
        wrap = wrap_width(stripped)
        if wrap is None:
            continue
        for upper, lower, upper_text, lower_text in zip(run, run[1:], stripped, stripped[1:]):
            if upper_text[-1] in SENTENCE_END:
                continue  # a sentence ends the line: the paragraph may end there too
            if _NEW_ITEM_RE.match(lower_text):
                continue  # 2. …, （3）…, 配合单位：… begin an item or a field of their own
            if _lone_characters(upper_text, lower_text, ctx):
                continue
            start = upper.start + len(upper.text.rstrip(_SPACE))
            end = lower.start + len(lower.text) - len(lower.text.lstrip(_SPACE))
            edits.append(
                Edit(
                    start,
                    end,
                    "",
                    reason=f"line break of a hard-wrapped paragraph ({len(run)} lines of even {wrap['measure']})",
                    confidence=0.8,
                    evidence={
                        "left": upper_text[-4:],
                        "right": lower_text[:4],
                        "measure": wrap["measure"],
                        "line_widths": wrap["widths"],
                        "last_line_width": wrap["last"],
                    },
                )
            )
    return edits


def _lone_characters(upper: str, lower: str, ctx: RepairContext) -> bool:
    """A single character on both sides of the break that makes no word with its
    neighbours (最 / 院): text was lost between them, however even the lines are."""
    left = _clause_before(upper, len(upper))
    right = _clause_after(lower, 0)
    if not left or not right:
        return False
    position, before, after = 0, None, None
    for word in ctx.vocab.words(left + right):
        if position + len(word) == len(left):
            before = word
        if position == len(left):
            after = word
        position += len(word)
    if before is None or after is None:
        return False  # a word spans the break after all
    return all(len(w) == 1 and w not in _FUNCTION_CHARS for w in (before, after))
