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

from grammar.chars import SENTENCE_END, SENTENCE_PUNCT, han_chars
from grammar.headers import BOX_HEADER_RE, HEADING_RE, MAX_HEADING, box_header_match
from grammar.tables import continues_header, continues_table, flat_tables, is_table_cells, is_table_header, is_table_row

BLANK = "blank"
BOX_HEADER = "box_header"
TABLE_HEADER = "table_header"
TABLE_ROW = "table_row"
HEADING = "heading"
TEXT = "text"
RESIDUE = "residue"
SIDEBAR = "sidebar"

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


# Markdown and crawler leftovers (a rule, a heading, a pipe-table row, a quote) are the
# document's own markup: never residue, never a fragment.
MARKUP_RE = re.compile(r"^\s*(#{1,6}\s|[-*_=]{3,}\s*$|\|.*\|\s*$|>\s)")


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
        # Quotes, marks and scattered digits (“ ”, 、, 5 3) are residue; one number
        # alone on its line is a table cell (1, ＞10, 40—45).
        return len(line.split()) > 1 or not any(c.isdigit() for c in line)
    tokens = line.split()
    if len(tokens) >= 2 and all(len(t) <= 3 for t in tokens):
        return True  # scattered single glyphs
    return all(c in alphabet for c in han)


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
    _mark_flat_tables(raw, kinds)
    _mark_sentence_headings(raw, kinds)
    _mark_repeated_headers(raw, kinds)
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
            if is_table_cells(line):
                kind = TEXT  # a table row (a box printed as a table: its header 类别	重点任务 too)
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
        elif i and kinds[i - 1] == TABLE_HEADER and continues_header(line):
            kinds[i] = TABLE_HEADER  # a header's second row: 基期值/目标值 over 2020年/2025年
        elif in_table and (is_table_row(line) or (kinds[i - 1] in (TABLE_HEADER, TABLE_ROW) and continues_table(line))):
            kinds[i] = TABLE_ROW
        elif in_table and kinds[i] == BLANK and i + 1 < len(raw) and is_table_row(raw[i + 1][2]):
            continue  # a blank line between two rows does not end the table
        else:
            in_table = False


def _mark_flat_tables(raw: list[tuple[int, int, str]], kinds: list[str]) -> None:
    for table in flat_tables([line for _, _, line in raw]):
        if not table.rows and not table.broken:
            continue  # header words alone are no table
        for i in table.header:
            kinds[i] = TABLE_HEADER
        for i in [i for row in table.rows for i in row] + list(table.broken):
            kinds[i] = TABLE_ROW


def _mark_sentence_headings(raw: list[tuple[int, int, str]], kinds: list[str]) -> None:
    """A section heading printed as one short sentence on its own (（四）加强自然灾害综合
    治理。, blank lines around it) ends a box like any heading; inside a paragraph such a
    line is text."""
    for i, (_, _, line) in enumerate(raw):
        text = line.strip()
        if kinds[i] != TEXT or not HEADING_RE.match(line) or len(text) > MAX_HEADING:
            continue
        alone = (i == 0 or kinds[i - 1] == BLANK) and (i + 1 == len(raw) or kinds[i + 1] == BLANK)
        if alone and text.endswith("。") and sum(text.count(c) for c in SENTENCE_END) == 1:
            kinds[i] = HEADING


def _mark_repeated_headers(raw: list[tuple[int, int, str]], kinds: list[str]) -> None:
    """A Markdown heading 专栏 line inside the box of the same number printed plainly (or
    the other way round) repeats that box's header, as a converter or a page does; it
    opens no box. Two plain headers of one number stay two boxes (a misprint)."""
    open_header = None
    for i, (_, _, line) in enumerate(raw):
        if kinds[i] in (TABLE_HEADER, TABLE_ROW, HEADING):
            open_header = None
        elif kinds[i] == BOX_HEADER:
            match = box_header_match(line)
            if open_header is not None and _same_number(open_header, match) and _markdown(open_header) != _markdown(match):
                kinds[i] = TEXT
            else:
                open_header = match


def _markdown(match: re.Match) -> bool:
    return match.group("lead").lstrip().startswith("#")


def _same_number(a: re.Match, b: re.Match) -> bool:
    return a.group("num") is not None and re.sub(r"\s", "", a.group("num")) == re.sub(r"\s", "", b.group("num") or "")


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
