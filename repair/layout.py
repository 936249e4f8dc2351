"""What each line of a plan extract is: box header, table row, paragraph, residue, ...

The rules need to know where boxes (专栏) begin and end, which lines form the key
indicators table, and which short lines are residue of lost body text or fragments of
a sidebar cut into a box. ``classify_lines`` answers that for the text as it stands.

Residue vs sidebar. When a PDF font loses its Unicode mapping, the body text comes
out as a few surviving characters (产, 创, 公 ...), scattered on short lines or spaced
out. Those characters form a small *residue alphabet*: ``residue_alphabet`` learns it
from the document itself (characters found on several fragment-shaped lines). A short
line inside a box whose characters are not residue is a piece of real text cut from a
sidebar (运营平台, 海外知); outside boxes, every fragment line is residue because the
body text around it is lost — in a document that shows glyph loss at all (a non-empty
residue alphabet). In text without that signature (an OCR reading, a clean extract) a
short line outside boxes is real text: a title, a signature line.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from dataclasses import dataclass
from typing import Callable

from .chars import SENTENCE_PUNCT, han_chars

BLANK = "blank"
BOX_HEADER = "box_header"
TABLE_HEADER = "table_header"
TABLE_ROW = "table_row"
HEADING = "heading"
TEXT = "text"
RESIDUE = "residue"
SIDEBAR = "sidebar"

_DIGITS = "0-9０-９"
_CN_NUMERALS = "一二三四五六七八九十"
BOX_HEADER_RE = re.compile(
    rf"^(?P<lead>\s*专栏\s*)"
    rf"(?P<num>[{_DIGITS}]+(?:[ \t]+[{_DIGITS}]+(?=[\s.．、:：]))*|[{_CN_NUMERALS}]+)?"
    rf"(?P<sep>\s*[.．、:：]?\s*)"
    rf"(?P<title>\S.*?)\s*$"
)
MAX_TITLE = 40
# Chapter and section headings that end a box: 第三章 …, 一、…, （一）….
HEADING_RE = re.compile(rf"^\s*(第[{_CN_NUMERALS}百零〇]+[章节篇]|[{_CN_NUMERALS}]+、|[（(][{_CN_NUMERALS}]+[）)])\s*\S")
MAX_HEADING = 30
YEAR_CELL_RE = re.compile(r"^(19|20)\d{2}\s*年")
ATTRIBUTES = ("预期性", "约束性")
VALUE_CELL_RE = re.compile(r"^[\d.,，．%％]+|^[—–\-－]+$")
MAX_FRAGMENT_TOKEN = 5
RESIDUE_ALPHABET_MIN_LINES = 3


@dataclass(frozen=True)
class Line:
    index: int  # 0-based line number in the text classified
    start: int  # offset of the first character
    end: int  # offset just past the last character (the newline excluded)
    text: str
    kind: str
    box: int | None = None  # 0-based order of the box this line belongs to


def split_lines(text: str) -> list[tuple[int, int, str]]:
    out, start = [], 0
    for piece in text.split("\n"):
        out.append((start, start + len(piece), piece))
        start += len(piece) + 1
    return out


def table_cells(line: str) -> list[str]:
    return [cell.strip() for cell in line.split("\t")]


# Markdown and crawler leftovers (a rule, a heading, a pipe-table row, a quote) are the
# document's own markup: never residue, never a fragment.
MARKUP_RE = re.compile(r"^\s*(#{1,6}\s|[-*_=]{3,}\s*$|\|.*\|\s*$|>\s)")


def is_table_cells(line: str) -> bool:
    """Two or more tab-separated cells with words in them (类别	细分	重点任务)."""
    cells = [c for c in table_cells(line) if c]
    return len(cells) >= 2 and all(len(han_chars(c)) >= 2 for c in cells)


def is_fragment_shaped(line: str) -> bool:
    """Short pieces with no sentence punctuation: residue or a cut sidebar."""
    tokens = line.split()
    if not tokens or any(c in SENTENCE_PUNCT for c in line):
        return False
    return all(len(t) <= MAX_FRAGMENT_TOKEN for t in tokens)


def residue_alphabet(text: str) -> frozenset[str]:
    """Characters seen on at least three fragment-shaped lines of this document."""
    counts: Counter[str] = Counter()
    for _, _, line in split_lines(text):
        if is_fragment_shaped(line) and not BOX_HEADER_RE.match(line):
            counts.update(set(han_chars(line)))
    return frozenset(c for c, n in counts.items() if n >= RESIDUE_ALPHABET_MIN_LINES)


def is_residue_shaped(line: str, alphabet: frozenset[str]) -> bool:
    han = han_chars(line)
    if not han:
        # Quotes and marks left alone (“ ”, 、) are residue; a number is a table cell
        # (1, ＞10, 40—45): lost glyphs never leave a number on a line of its own.
        return not any(c.isdigit() for c in line)
    tokens = line.split()
    if len(tokens) >= 2 and all(len(t) <= 3 for t in tokens):
        return True  # scattered single glyphs
    return all(c in alphabet for c in han)


def is_table_header(line: str) -> bool:
    cells = [c for c in table_cells(line) if c]
    if len(cells) < 3:
        return False
    years = sum(1 for c in cells if YEAR_CELL_RE.match(c))
    joined = "".join(cells).replace(" ", "")
    return years >= 2 or ("指标" in joined and "属性" in joined)


def is_table_row(line: str) -> bool:
    cells = [c for c in table_cells(line) if c]
    if len(cells) < 4:
        return False
    values = sum(1 for c in cells if VALUE_CELL_RE.match(c))
    named = any(len(c.replace(" ", "")) >= 4 and len(han_chars(c)) >= 3 for c in cells)
    return values >= 2 and named


def box_header_match(line: str) -> re.Match | None:
    match = BOX_HEADER_RE.match(line)
    if not match:
        return None
    title = match.group("title")
    if len(title) > MAX_TITLE or any(c in "。！？；" for c in title):
        return None
    return match


def _shape(line: str) -> str:
    if not line.strip():
        return BLANK
    if box_header_match(line):
        return BOX_HEADER
    if is_table_header(line):
        return TABLE_HEADER
    if HEADING_RE.match(line) and len(line.strip()) <= MAX_HEADING and not line.rstrip().endswith("。"):
        return HEADING
    if is_fragment_shaped(line):
        return RESIDUE  # refined to SIDEBAR below where it sits in a box
    return TEXT


def classify_lines(
    text: str,
    alphabet: frozenset[str],
    glyph_loss: bool = True,
    is_residue_evidence: Callable[[str], bool] | None = None,
    is_cut_evidence: Callable[[str], bool] | None = None,
) -> list[Line]:
    """Each line's kind. Without ``glyph_loss`` (no residue evidenced in the document)
    no line is residue or a sidebar fragment: short lines are table cells, titles,
    signatures, list leftovers — real text. With it, a run of short lines is residue
    only if ``is_residue_evidence`` holds for one of its lines (it reads as no word),
    and sidebar pieces only if ``is_cut_evidence`` does (a word cut at its edge: 海外知,
    报告建): a run of whole words and numbers (约束性, 国务院, 下降15%, 2) is real text."""
    raw = split_lines(text)
    kinds = [_shape(line) for _, _, line in raw]
    _mark_table_rows(raw, kinds)
    evidenced = _fragment_runs_evidenced(raw, kinds, is_residue_evidence)
    cut = _fragment_runs_evidenced(raw, kinds, is_cut_evidence)
    lines: list[Line] = []
    box: int | None = None
    boxes_seen = 0
    for index, ((start, end, line), kind) in enumerate(zip(raw, kinds)):
        if kind == BOX_HEADER:
            box = boxes_seen
            boxes_seen += 1
        elif kind in (TABLE_HEADER, TABLE_ROW, HEADING):
            box = None
        elif kind == RESIDUE and (not glyph_loss or MARKUP_RE.match(line)):
            kind = TEXT
        elif kind == RESIDUE:
            residue_shaped = is_residue_shaped(line, alphabet)
            if box is not None and is_table_cells(line):
                kind = TEXT  # a row of a box printed as a table: its header 类别	重点任务 too
            elif box is not None and not residue_shaped:
                kind = SIDEBAR if cut[index] else TEXT
            elif not evidenced[index]:
                kind = TEXT
            elif box is None and not alphabet and not residue_shaped:
                kind = TEXT  # no glyph loss in this document: a short line is real text (a title)
            else:
                box = None  # residue means the box is over: the body text resumes (lost)
        lines.append(Line(index, start, end, line, kind, box))
    return lines


def _fragment_runs_evidenced(raw, kinds: list[str], is_evidence: Callable[[str], bool] | None) -> list[bool]:
    """Per line: does the run of fragment lines it belongs to (blank lines join a run)
    hold a line that is evidence of residue? Every run is, without a test."""
    evidenced = [is_evidence is None] * len(raw)
    if is_evidence is None:
        return evidenced
    run: list[int] = []
    for i in range(len(raw) + 1):
        kind = kinds[i] if i < len(raw) else None
        if kind == RESIDUE:
            run.append(i)
        elif kind != BLANK and run:
            found = any(is_evidence(raw[j][2]) for j in run)
            for j in run:
                evidenced[j] = found
            run = []
    return evidenced


def _mark_table_rows(raw: list[tuple[int, int, str]], kinds: list[str]) -> None:
    in_table = False
    for i, (_, _, line) in enumerate(raw):
        if kinds[i] == TABLE_HEADER:
            in_table = True
        elif in_table and is_table_row(line):
            kinds[i] = TABLE_ROW
        elif in_table and kinds[i] == BLANK and i + 1 < len(raw) and is_table_row(raw[i + 1][2]):
            continue  # a blank line between two rows does not end the table
        else:
            in_table = False


def boxes(lines: list[Line]) -> list[list[Line]]:
    """The lines of each box, header first, in reading order."""
    grouped: dict[int, list[Line]] = {}
    for line in lines:
        if line.box is not None:
            grouped.setdefault(line.box, []).append(line)
    return [grouped[k] for k in sorted(grouped)]


def paragraphs(lines: list[Line]) -> list[list[Line]]:
    """Runs of consecutive TEXT lines (a paragraph may span lines where text was lost)."""
    runs: list[list[Line]] = []
    current: list[Line] = []
    for line in lines:
        if line.kind == TEXT:
            current.append(line)
        else:
            if current:
                runs.append(current)
            current = []
    if current:
        runs.append(current)
    return runs


def line_at(lines: list[Line]) -> Callable[[int], Line]:
    """Offset -> the line that holds it."""
    starts = [line.start for line in lines]
    return lambda offset: lines[bisect.bisect_right(starts, offset) - 1]
