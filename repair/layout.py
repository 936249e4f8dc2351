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
# 专栏1：title, 专栏 1, 专栏一, 【专栏1】, # 专栏2 … (Markdown), **专栏3** …; the title may
# stand on the next line (专栏1 alone: a number but no title).
# Letters OCR and broken fonts print for digits (专栏l, 专栏1O): read as the number's
# place, so renumbering replaces them instead of writing a digit beside them.
_LOOKALIKES = "lIOo"
BOX_HEADER_RE = re.compile(
    rf"^(?P<lead>\s*(?:#{{1,6}}\s*)?(?:\*\*)?[【\[〔]?\s*专栏\s*)"
    rf"(?P<num>[{_DIGITS}]+(?:[ \t]+[{_DIGITS}]+(?=[\s.．、:：]))*(?![{_LOOKALIKES}])"
    rf"|[{_DIGITS}{_LOOKALIKES}]{{1,3}}(?=[\s.．、:：】\]〕])|[{_CN_NUMERALS}]+)?"
    rf"(?P<sep>\s*[】\]〕]?(?:\*\*)?\s*[.．、:：]?\s*)"
    rf"(?P<title>\S.*?)?(?:\*\*)?\s*$"
)
MAX_TITLE = 40
# Chapter and section headings that end a box: 第三章 …, 一、…, （一）….
HEADING_RE = re.compile(rf"^\s*(第[{_CN_NUMERALS}百零〇]+[章节篇]|[{_CN_NUMERALS}]+、|[（(][{_CN_NUMERALS}]+[）)])\s*\S")
MAX_HEADING = 30
YEAR_CELL_RE = re.compile(r"^(19|20)\d{2}\s*年")
ATTRIBUTES = ("预期性", "约束性")
VALUE_CELL_RE = re.compile(r"^[\d.,，．%％]+|^[—–\-－]+$")
# A box item opens with its number: 1． / 1. / 1、 / （1）; a decimal (1.5亿) is no number.
ITEM_NUMBER_RE = re.compile(r"^\s*(?P<label>[0-9０-９]{1,2}\s*[．.、](?![0-9０-９])|[（(]\s*[0-9０-９]{1,2}\s*[）)])\s*")

# Header cells of an indicator table, by the role of their column. Order matters: 属性
# before 指标 (指标属性), 年均增长/累计 before a year (2021—2025年累计), 含义/来源 (a
# column explaining the indicator) before 指标.
HEADER_ROLE_WORDS = (
    ("attribute", ("属性",)),
    ("other", ("含义", "说明", "解释", "来源", "定义", "口径", "备注", "方法")),
    ("increase", ("年均", "累计", "增长", "增速", "增加", "变化", "增量", "降低", "减少")),
    ("seq", ("序号", "编号")),
    ("category", ("类别", "类型", "领域", "分类", "方面", "维度", "一级指标")),
    ("baseline", ("基期", "基数", "现状", "基准")),
    ("target", ("目标", "预期值", "规划值", "评价标准")),
    ("name", ("指标", "名称")),
    ("unit", ("单位",)),
)
YEAR_IN_CELL_RE = re.compile(r"(?:19|20)\d{2}\s*年")
_HEADER_WORD_RE = re.compile("|".join(w for _, words in HEADER_ROLE_WORDS for w in words))
MAX_HEADER_CELL = 12
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
    """Two or more tab-separated cells, one of them a word and none a lone glyph
    (类别	细分	重点任务, 2	数据	26个): a table row. Residue tab grids hold lone
    glyphs, a word among them by chance (公	产 公	创, 	产	优势	产)."""
    cells = [c for c in table_cells(line) if c]
    word = any(len(han_chars(c)) >= 2 and not any(ch.isspace() for ch in c) for c in cells)
    lone_glyph = any(len(c) == 1 and han_chars(c) for c in cells)
    return len(cells) >= 2 and word and not lone_glyph


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


def header_role(cell: str) -> str | None:
    """The role a header cell gives its column (name, year, target, attribute …), or
    None for a cell no indicator table prints as a header (a sentence, a value)."""
    if len(cell) > 3 * MAX_HEADER_CELL:
        return None  # a paragraph (most lines): no need to look closer
    compact = re.sub(r"\s", "", cell)
    if not compact or len(compact) > MAX_HEADER_CELL:
        return None
    if not _HEADER_WORD_RE.search(compact):
        return "year" if YEAR_IN_CELL_RE.search(compact) else None
    for role, words in HEADER_ROLE_WORDS:
        if any(w in compact for w in words):
            return role
    return "year" if YEAR_IN_CELL_RE.search(compact) else None


def is_indicator_header(cells: list[str]) -> bool:
    """Header cells of an indicator table: a name column and a column of values to reach
    (a year, a target, a baseline or the attribute)."""
    filled = [c for c in cells if c.strip()]
    roles = [header_role(c) for c in filled]
    if len(roles) < 3 or "name" not in roles:
        return False
    # 项目名称 | 建设内容 | 建设目标 is a box's project table, not indicators: a 名称 column
    # needs a year or 属性 beside it, an 指标 column any column of values.
    indicator = any(role == "name" and "指标" in cell for role, cell in zip(roles, filled))
    return bool(({"year", "target", "baseline", "attribute"} if indicator else {"year", "attribute"}) & set(roles))


def is_table_header(line: str) -> bool:
    cells = [c for c in table_cells(line) if c]
    if len(cells) < 3:
        return False
    years = sum(1 for c in cells if YEAR_CELL_RE.match(c))
    joined = "".join(cells).replace(" ", "")
    return years >= 2 or ("指标" in joined and "属性" in joined) or is_indicator_header(cells)


def is_table_row(line: str) -> bool:
    cells = [c for c in table_cells(line) if c]
    if len(cells) < 4:
        return False
    values = sum(1 for c in cells if VALUE_CELL_RE.match(c))
    named = any(len(c.replace(" ", "")) >= 4 and len(han_chars(c)) >= 3 for c in cells)
    return values >= 2 and named


def _continues_header(line: str) -> bool:
    cells = [c for c in table_cells(line) if c]
    return "\t" in line and bool(cells) and all(header_role(c) for c in cells)


def continues_table(line: str) -> bool:
    """A row right under a table header or row: tab-separated, two or more cells, one of
    them words (a row of words and bounds, 新增一批 or ＞10, has too few numbers for
    is_table_row; a merged cell leaves its first cells empty)."""
    cells = [c for c in table_cells(line) if c]
    return "\t" in line and len(cells) >= 2 and any(len(han_chars(c)) >= 2 for c in cells)


@dataclass(frozen=True)
class FlatTable:
    """A table a crawler flattened one cell per line (blank lines between): indices of
    its header lines, of each row's lines, and of a row that does not fit (reported)."""

    header: tuple[int, ...]
    rows: tuple[tuple[int, ...], ...]
    broken: tuple[int, ...] = ()


SEQ_CELL_RE = re.compile(r"^[0-9０-９]{1,3}\s*[.．、]?$")
MAX_FLAT_VALUE = 24  # a value cell of a flattened row (下降15%, <15000, 新增一批), not a paragraph


def flat_tables(texts: list[str]) -> list[FlatTable]:
    """Indicator tables printed one cell per line: 序号 / 指标 / 预期值 / 属性, then each
    row's cells (1 / 生产安全事故死亡人数 / 下降15% / 约束性). The header's cells give the
    row length; rows are read while their cells fit their columns."""
    filled = [i for i, t in enumerate(texts) if t.strip()]
    tables, k = [], 0
    while k < len(filled):
        run = k
        while run < len(filled) and header_role(texts[filled[run]]) and "\t" not in texts[filled[run]]:
            run += 1
        header = filled[k:run]
        if len(header) < 3 or not is_indicator_header([texts[i] for i in header]):
            k = max(run, k + 1)
            continue
        roles = [header_role(texts[i]) for i in header]
        rows, broken, k = [], (), run
        while k < len(filled):
            width = _flat_row_width(roles, [texts[i] for i in filled[k:k + len(roles)]], len(rows) + 1)
            if width is None:
                group = filled[k:k + len(roles)]
                if "seq" in roles and group and SEQ_CELL_RE.match(texts[group[0]].strip()) and _seq(texts[group[0]]) == len(rows) + 1:
                    broken = (group[0],)  # the next row starts but its cells do not fit
                break
            rows.append(tuple(filled[k:k + width]))
            k += width
        tables.append(FlatTable(tuple(header), tuple(rows), broken))
    return tables


def _seq(cell: str) -> int:
    return int(re.sub(r"\D", "", cell.translate(str.maketrans("０１２３４５６７８９", "0123456789"))))


def _flat_row_width(roles: list[str | None], cells: list[str], expected_seq: int) -> int | None:
    """How many lines the next row takes (a merged category cell may be left out), or
    None when the lines are no row of this table."""
    for skip in (0, 1) if roles[0] == "category" else (0,):
        fitted = roles[skip:]
        row = [c.strip() for c in cells[:len(fitted)]]
        if len(row) == len(fitted) and all(_fits(role, cell, expected_seq) for role, cell in zip(fitted, row)):
            return len(fitted)
    return None


def _fits(role: str | None, cell: str, expected_seq: int) -> bool:
    if "\t" in cell or box_header_match(cell) or HEADING_RE.match(cell):
        return False
    if role == "seq":
        return bool(SEQ_CELL_RE.match(cell)) and _seq(cell) == expected_seq
    if role == "attribute":
        return re.sub(r"\s", "", cell) in ATTRIBUTES
    if role == "name":
        return len(han_chars(cell)) >= 2 and len(cell) <= 60 and not any(c in "。；" for c in cell)
    return len(cell) <= MAX_FLAT_VALUE and not cell.endswith("。")


def box_header_match(line: str) -> re.Match | None:
    match = BOX_HEADER_RE.match(line)
    if not match:
        return None
    title = match.group("title")
    if title is None:
        return match if match.group("num") else None  # 专栏1 alone: its title is on the next line
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
        elif i and kinds[i - 1] == TABLE_HEADER and _continues_header(line):
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
