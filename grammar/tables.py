"""Table forms of the genre: tab-separated rows, indicator table headers and their column
roles, attribute cells, and tables a crawler flattened one cell per line.

Patterns and pure functions over lines of text; which lines of a document form a table
(the context) is decided by ``repair.layout``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .chars import han_chars
from .headers import HEADING_RE, box_header_match

YEAR_CELL_RE = re.compile(r"^(19|20)\d{2}\s*年")
ATTRIBUTES = ("预期性", "约束性")
VALUE_CELL_RE = re.compile(r"^[\d.,，．%％]+|^[—–\-－]+$")

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


def table_cells(line: str) -> list[str]:
    return [cell.strip() for cell in line.split("\t")]


def is_table_cells(line: str) -> bool:
    """Two or more tab-separated cells, one of them a word and none a lone glyph
    (类别	细分	重点任务, 2	数据	26个): a table row. Residue tab grids hold lone
    glyphs, a word among them by chance (公	产 公	创, 	产	优势	产)."""
    cells = [c for c in table_cells(line) if c]
    word = any(len(han_chars(c)) >= 2 and not any(ch.isspace() for ch in c) for c in cells)
    lone_glyph = any(len(c) == 1 and han_chars(c) for c in cells)
    return len(cells) >= 2 and word and not lone_glyph


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


def continues_header(line: str) -> bool:
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
