"""The indicator tables (主要指标): one record per row, checked by arithmetic.

Columns are read from the header, not assumed: a category column (类别, 类型, 一级指标:
a merged cell is printed once, the rows under it leave it empty and carry it), the
name (指标, 二级指标), a unit column or the unit in the name's bracket, year columns in
any order (the earliest is the baseline, the later ones targets), 基期值/目标值/预期值/
评价标准 columns without a year, a change column (累计增加值, 年均增长〔累计〕 …) and
属性. Rows are fitted to the columns from their own cells; a row that does not fit is
reported, never dropped. Tables come as tab-separated rows, or flattened by a crawler
one cell per line (repair.layout.flat_tables).

Every cell keeps what is printed (``raw``); ``value`` is given only where the cell is a
number, and ``value_kind`` says what it is: number, range (40—45), bound (＞10, ≥50%,
6人（含）以下), words (新增一批, 下降15%), none (—), or unreadable (1l.6: a damaged number).

A plan's table is internally consistent, so target − baseline = increase (or the annual
growth rate, for 年均增速 columns) is checked on every row that has the three numbers. A
failed check is reported; nothing is "fixed". Notes under a table (注：①…) become the
texts of its footnotes.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from grammar.chars import HAN, HAN_RE, han_count
from grammar.tables import ATTRIBUTES, YEAR_IN_CELL_RE, flat_tables, header_role, table_cells
from repair.layout import BOX_HEADER, HEADING, TABLE_HEADER, TABLE_ROW, Line

FOOTNOTE_MARKERS = "".join(chr(c) for c in range(0x2460, 0x2474))  # ① … ⑳
# (?<!\s): a match starts where a run of white space starts, and no two white-space
# quantifiers meet: a long run is scanned once (linear, not quadratic).
_MARKER_RE = re.compile(rf"(?<!\s)\s*(?:\^\s*)?([{FOOTNOTE_MARKERS}])")
_UNIT_RE = re.compile(r"(?<!\s)\s*[（(]([^（()）]{1,8})[）)]\s*$")
_SEQ_RE = re.compile(r"^(\d{1,3})\s*[.．、]?$")  # 1. 2. … (2180 is a value)
_SEQ_PREFIX_RE = re.compile(r"^(\d{1,3})\s*[.．、]\s*(?=\D)")  # 1.重点人群签约服务覆盖率
# What OCR reads for a raised circled digit (①-⑳) glued to a number: "11.6ª" for 11.6 ^③.
MARKER_LOOKALIKES = "ªº®©°¹²³"
_LOOKALIKE_INSIDE_RE = re.compile(rf"(?<=[^\x00-\x7f])[{MARKER_LOOKALIKES}](?={HAN})")
_LOOKALIKE_RE = re.compile(rf"^(?P<number>[+\-]?\d[\d,，]*(?:\.\d+)?)\s*\^?\s*(?P<mark>[{MARKER_LOOKALIKES}])$")
# 一 and 一一: how OCR reads a printed dash (stand-in scan: RapidOCR reads row 8's — as 一,
# Tesseract once as 一一).
_NO_VALUE = {"—", "–", "-", "－", "——", "/", "／", "一", "一一", "…"}
_BRACKETED_RE = re.compile(r"^[〔\[［【]\s*(?P<inner>.*?)\s*[〕\]］】]$")
_NUMBER = r"[+\-]?\d+(?:\.\d+)?"
_NUMBER_RE = re.compile(rf"^{_NUMBER}%?$")
_RANGE_RE = re.compile(rf"^(?P<low>{_NUMBER})\s*%?\s*[—–\-~～至到]+\s*(?P<high>{_NUMBER})\s*%?$")
_UNIT_TAIL = rf"(?:%|‰|{HAN}{{1,3}})?"
# The sense of a bound: > ≥ < ≤. 以上/以下/以内 include their number (as the law reads
# them: 民法典 第一千二百五十九条), 超过/低于 do not.
_BOUND_WORDS = sorted(
    [(w, ">=") for w in ("≥", ">=", "≧", "不低于", "不少于", "不小于", "大于等于", "大于或等于")]
    + [(w, ">") for w in (">", "大于", "超过", "高于", "多于")]
    + [(w, "<=") for w in ("≤", "<=", "≦", "不高于", "不超过", "不大于", "不多于", "小于等于", "小于或等于")]
    + [(w, "<") for w in ("<", "小于", "低于", "少于")],
    key=lambda pair: -len(pair[0]),
)
_BOUND_SUFFIX_RE = re.compile(rf"^(?P<limit>{_NUMBER}){_UNIT_TAIL}\s*(?P<suffix>\(含\)以上|及以上|以上|\(含\)以下|及以下|以下|以内)$")
_SUFFIX_SENSE = {"以上": ">=", "及以上": ">=", "(含)以上": ">=", "以下": "<=", "及以下": "<=", "(含)以下": "<=", "以内": "<="}
_GROWTH_WORDS = ("年均增", "年均增长", "增速")
_SHORT_ATTRIBUTES = {"预期": "预期性", "约束": "约束性"}
_NOTE_RE = re.compile(r"^\s*(?:注|注释|说明)\s*\d?\s*[：:]\s*")
MAX_NOTE_DISTANCE = 6  # non-blank lines after a table that may still be its notes


# --- cells ----------------------------------------------------------------------------


def parse_value(raw: str) -> tuple[float | int | None, list[str]]:
    """'11.6 ^③' -> (11.6, ['③']); '—' -> (None, []); '11.6ª' -> (11.6, ['ª'])."""
    reading, markers = read_cell(raw)
    return reading["value"], markers


def read_cell(raw: str) -> tuple[dict, list[str]]:
    """What a value cell says: {'value', 'value_kind'} and, by kind, 'low'/'high' (a
    range), 'sense'/'limit' (a bound), 'cumulative' (a bracketed figure, 〔18〕: a total
    over the period); and its footnote markers.

    '＞10' -> bound > 10; '40—45' -> range 40..45; '6人（含）以下' -> bound <= 6;
    '新增一批' -> words; '—' -> none; '〔1.38〕' -> number 1.38, cumulative."""
    markers = _MARKER_RE.findall(raw)
    bare = _MARKER_RE.sub("", raw).strip()
    lookalike = _LOOKALIKE_RE.match(bare)
    if lookalike:
        bare = lookalike.group("number")
        markers.append(lookalike.group("mark"))
    bracketed = _BRACKETED_RE.match(bare)
    reading = _read_bare(bracketed.group("inner") if bracketed else bare)
    if bracketed and reading["value_kind"] != "none":
        reading["cumulative"] = True
    return reading, markers


def _read_bare(bare: str) -> dict:
    if bare in _NO_VALUE or not bare:
        return {"value": None, "value_kind": "none"}
    text = re.sub(r"\s+", "", unicodedata.normalize("NFKC", bare)).replace(",", "")
    if _NUMBER_RE.match(text):
        number = text.rstrip("%")
        return {"value": float(number) if "." in number else int(number), "value_kind": "number"}
    span = _RANGE_RE.match(text)
    if span and not text.startswith("-"):
        return {"value": None, "value_kind": "range", "low": _num(span.group("low")), "high": _num(span.group("high"))}
    bound = _read_bound(text)
    if bound:
        return {"value": None, "value_kind": "bound", **bound}
    if HAN_RE.search(text):
        return {"value": None, "value_kind": "words"}
    return {"value": None, "value_kind": "unreadable"}


def _read_bound(text: str) -> dict | None:
    for word, sense in _BOUND_WORDS:
        if text.startswith(word):
            limit = re.match(rf"^({_NUMBER}){_UNIT_TAIL}$", text[len(word):])
            return {"sense": sense, "limit": _num(limit.group(1))} if limit else None
    suffix = _BOUND_SUFFIX_RE.match(text)
    if suffix:
        return {"sense": _SUFFIX_SENSE[suffix.group("suffix")], "limit": _num(suffix.group("limit"))}
    return None


def _num(text: str) -> float | int:
    return float(text) if "." in text else int(text)


def value_status(raw: str) -> str:
    """'number', 'none' (— or empty: nothing printed), 'lookalike' (a number with a glyph
    that may be a misread footnote marker), 'unreadable' (a damaged number: 1l.6), or
    'text' (a range, a bound or words: read, but no number to check)."""
    reading, markers = read_cell(raw)
    kind = reading["value_kind"]
    if kind == "number":
        return "lookalike" if any(m in MARKER_LOOKALIKES for m in markers) else "number"
    return kind if kind in ("none", "unreadable") else "text"


def split_name(raw: str) -> tuple[str, str | None, list[str]]:
    """'每万人口…拥有量 ^① （件）' -> ('每万人口…拥有量', '件', ['①'])."""
    unit_match = _UNIT_RE.search(raw)
    unit = unit_match.group(1).strip() if unit_match else None
    head = raw[:unit_match.start()] if unit_match else raw
    markers = _MARKER_RE.findall(head)
    name = _MARKER_RE.sub("", head).strip()
    if len(name) > 1 and name[-1] in MARKER_LOOKALIKES and not name[-2].isascii():  # 金额® (OCR of 金额 ^②)
        markers.append(name[-1])
        name = name[:-1].rstrip()
    # Inside the name, between Chinese characters (工作®完成率: OCR of 工作 ^① 完成率): no
    # indicator name holds ® or ° there, a raised circled digit does.
    markers += _LOOKALIKE_INSIDE_RE.findall(name)
    name = _LOOKALIKE_INSIDE_RE.sub("", name)
    if unit_match:
        markers += _MARKER_RE.findall(unit_match.group(0))
    return name, unit, markers


# --- header ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    role: str  # seq | category | name | unit | baseline | target | increase | attribute | other | blank
    header: str
    year: int | None = None


def read_header(cells: list[str]) -> list[Column]:
    """Each header cell's column: its role and year. Of several name columns (一级指标,
    二级指标) the last is the name and the others categories; of the year columns the
    earliest is the baseline (unless a 基期 column is printed), the others targets."""
    columns = []
    for cell in cells:
        compact = re.sub(r"\s", "", cell)
        role = header_role(compact) or ("blank" if not compact else "other")
        year = YEAR_IN_CELL_RE.search(compact)
        columns.append(Column(role, compact, int(year.group()[:4]) if year and role != "increase" else None))
    names = [i for i, c in enumerate(columns) if c.role == "name"]
    for i in names[:-1]:
        columns[i] = Column("category", columns[i].header)
    plain = [i for i, c in enumerate(columns) if c.role == "year"]
    has_baseline = any(c.role == "baseline" for c in columns)
    targets = [c.year for c in columns if c.role == "target" and c.year]
    for i in plain:
        earliest = columns[i].year == min(columns[j].year for j in plain)
        before_targets = not targets or columns[i].year < min(targets)
        baseline = not has_baseline and earliest and before_targets and (len(plain) + len(targets) >= 2)
        columns[i] = Column("baseline" if baseline else "target", columns[i].header, columns[i].year)
    return columns


def _merge_headers(rows: list[list[str]]) -> list[str]:
    """A header printed over two rows (基期值 over 2020年): one cell per column."""
    width = max(len(r) for r in rows)
    return ["".join(r[i] if i < len(r) else "" for r in rows) for i in range(width)]


def _settle_blank_columns(columns: list[Column], rows: list[list[str]]) -> list[Column]:
    """A header cell left empty takes its role from the rows: 指标 printed over the
    sequence number and the name (the name column holds 1., 2. …: the blank one beside it
    holds the names), short words beside the name (a unit), words before it (a category)."""
    columns = list(columns)
    for i, column in enumerate(columns):
        if column.role != "blank":
            continue
        cells = [r[i] for r in rows if i < len(r) and r[i]]
        if not cells:
            continue
        name = next((j for j, c in enumerate(columns) if c.role == "name"), None)
        seq_like = sum(bool(_SEQ_RE.match(c)) for c in cells) > len(cells) / 2
        if name is not None and abs(name - i) == 1 and _mostly_seq(rows, name) and not seq_like:
            columns[name], columns[i] = Column("seq", columns[name].header), Column("name", columns[name].header)
        elif seq_like:
            columns[i] = Column("seq", "")
        elif name is not None and i == name + 1 and all(len(c) <= 6 for c in cells):
            columns[i] = Column("unit", "")
        elif name is not None and i < name:
            columns[i] = Column("category", "")
    return columns


def _mostly_seq(rows: list[list[str]], i: int) -> bool:
    cells = [r[i] for r in rows if i < len(r) and r[i]]
    return bool(cells) and sum(bool(_SEQ_RE.match(c)) for c in cells) > len(cells) / 2


# --- rows -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    cells: list[str]
    start: int  # offsets in the text, for the source lines
    end: int
    text: str


@dataclass(frozen=True)
class Table:
    header: list[str]
    rows: list[Row]
    end_index: int  # the last line of the table (notes follow it)
    broken: list[Row]  # rows of a flattened table that do not fit its columns


def _fit(cells: list[str], columns: list[Column]) -> list[tuple[Column, str]] | None:
    """Pair a row's cells with the columns: as printed when the counts agree; one cell
    more that is a sequence number under a header without 序号; fewer cells placed where
    they fit best (merged cells left out at the start, empty cells at the end)."""
    while len(cells) > len(columns) and not cells[-1]:
        cells = cells[:-1]
    if len(cells) == len(columns) + 1 and _SEQ_RE.match(cells[0]) and not any(c.role == "seq" for c in columns):
        columns = [Column("seq", "")] + columns
    if len(cells) > len(columns):
        return None
    best, best_score = None, None
    for offset in range(len(columns) - len(cells) + 1):
        placed = [""] * offset + cells + [""] * (len(columns) - len(cells) - offset)
        score = sum(_cell_score(c.role, cell) for c, cell in zip(columns, placed))
        if best_score is None or score > best_score:
            best, best_score = placed, score
    return list(zip(columns, best))


def _cell_score(role: str, cell: str) -> float:
    """How well a cell fits a column (for placing rows with cells left out)."""
    if not cell:
        return -3 if role == "name" else 0
    han = han_count(cell)
    attribute = _attribute(cell) is not None
    if role == "seq":
        return 2 if _SEQ_RE.match(cell) else -3
    if role == "attribute":
        return 3 if attribute else -2
    if role in ("name", "category"):
        return (1.5 if han >= 2 else -3) - (3 if attribute else 0)
    if role in ("baseline", "target", "increase"):
        kind = read_cell(cell)[0]["value_kind"]
        return -3 if attribute else (1 if kind in ("number", "none", "range", "bound") else 0)
    return 0


def _attribute(cell: str) -> str | None:
    compact = re.sub(r"\s", "", cell)
    return compact if compact in ATTRIBUTES else _SHORT_ATTRIBUTES.get(compact)


def _record(row: Row, columns: list[Column], category: str | None, source: dict) -> dict | None:
    cells = row.cells
    shifted = bool(cells) and _attribute(cells[0]) is not None and columns[0].role != "attribute"
    if shifted:
        cells = cells[1:]  # an attribute cell slid to the row start that repair could not place
    fitted = _fit(cells, columns)
    if fitted is None:
        return None
    by_role: dict[str, list[tuple[Column, str]]] = {}
    for column, cell in fitted:
        by_role.setdefault(column.role, []).append((column, cell))

    def first(role: str) -> str:
        return by_role[role][0][1] if role in by_role else ""

    name_raw = first("name")
    seq_cell = first("seq")
    seq = int(_SEQ_RE.match(seq_cell).group(1)) if _SEQ_RE.match(seq_cell) else None
    prefix = _SEQ_PREFIX_RE.match(name_raw)
    if prefix and seq is None:
        seq, name_raw = int(prefix.group(1)), name_raw[prefix.end():]
    if not HAN_RE.search(name_raw):
        return None  # no name: not a row this table's columns explain
    category = first("category") or category
    name, unit, name_markers = split_name(name_raw)
    unit = first("unit") or unit
    footnotes = [{"marker": m, "attached_to": "name"} for m in name_markers]
    blank = {"year": None, "value": None, "raw": "", "value_kind": "none"}
    cells_by_role: dict = {}
    for role in ("baseline", "target"):
        for column, raw in by_role.get(role, []):
            reading, markers = read_cell(raw)
            cells_by_role.setdefault(role, []).append(_cell({"year": column.year}, raw, reading))
            footnotes += [{"marker": m, "attached_to": role} for m in markers]
    increase = None
    if "increase" in by_role:
        column, raw = by_role["increase"][0]
        reading, markers = read_cell(raw)
        increase = _cell({"kind": column.header}, raw, reading)
        footnotes += [{"marker": m, "attached_to": "increase"} for m in markers]
    targets = sorted(cells_by_role.get("target", []), key=lambda c: (c["year"] is None, c["year"] or 0))
    attribute_cell = first("attribute")
    record: dict = {
        "seq": seq,
        "category": category,
        "name": name,
        "name_raw": name_raw,
        "unit": unit,
        "baseline": cells_by_role.get("baseline", [blank])[0],
        "target": targets[0] if targets else blank,
    }
    if len(targets) > 1:
        record["targets"] = targets
    record["increase"] = increase
    record["attribute"] = _attribute(attribute_cell) if attribute_cell else None
    record["footnotes"] = footnotes
    record["checks"] = _checks(record)
    record["source"] = source
    record["_shifted"] = shifted
    return record


def _cell(head: dict, raw: str, reading: dict) -> dict:
    """{year or kind, value, raw, value_kind, and the kind's own fields}."""
    return {**head, "value": reading["value"], "raw": raw, **{k: v for k, v in reading.items() if k != "value"}}


# --- tables in the text ---------------------------------------------------------------


def _tables(lines: list[Line]) -> list[Table]:
    """Tab-separated tables (header lines, then row lines) and flattened ones, in order."""
    tables: list[Table] = []
    flat_lines: set[int] = set()
    for flat in flat_tables([line.text for line in lines]):
        if not flat.rows and not flat.broken:
            continue
        header = [lines[i].text for i in flat.header]
        # A row with its merged category cell left out is one cell short: placed by _fit.
        rows = [_flat_row(lines, r) for r in flat.rows]
        last = max([flat.header[-1], *(r[-1] for r in flat.rows), *flat.broken])
        tables.append(Table(header, rows, last, [_flat_row(lines, flat.broken)] if flat.broken else []))
        flat_lines |= set(flat.header) | {i for r in flat.rows for i in r} | set(flat.broken)
    i = 0
    while i < len(lines):
        if lines[i].kind != TABLE_HEADER or i in flat_lines:
            i += 1
            continue
        header_rows = []
        while i < len(lines) and lines[i].kind == TABLE_HEADER and i not in flat_lines:
            header_rows.append(table_cells(lines[i].text))
            i += 1
        rows = []
        while i < len(lines) and (lines[i].kind == TABLE_ROW or (not lines[i].text.strip() and i + 1 < len(lines) and lines[i + 1].kind == TABLE_ROW)):
            if lines[i].kind == TABLE_ROW:
                rows.append(Row(table_cells(lines[i].text), lines[i].start, lines[i].end, lines[i].text))
            i += 1
        tables.append(Table(_merge_headers(header_rows), rows, i - 1, []))
    return sorted(tables, key=lambda t: t.end_index)


def _flat_row(lines: list[Line], indices: tuple[int, ...]) -> Row:
    cells = [lines[i].text.strip() for i in indices]
    return Row(cells, lines[indices[0]].start, lines[indices[-1]].end, " / ".join(cells))


def _notes(lines: list[Line], table: Table) -> dict[str, str]:
    """Footnote texts printed under a table: 注：①…②… on one line or one a line."""
    notes: dict[str, str] = {}
    seen, last = 0, None
    for line in lines[table.end_index + 1:]:
        text = line.text.strip()
        if not text:
            continue
        seen += 1
        if seen > MAX_NOTE_DISTANCE or line.kind in (TABLE_HEADER, BOX_HEADER, HEADING):
            break
        body = _NOTE_RE.sub("", text)
        if not body or body[0] not in FOOTNOTE_MARKERS:
            if last is not None and not notes[last].endswith("。"):
                notes[last] += text  # a note wrapped onto the next line (…设置专门机构或 / 专人管理。)
                continue
            if notes:
                break
            continue
        for marker, note in re.findall(rf"([{FOOTNOTE_MARKERS}])\s*(.*?)(?=[{FOOTNOTE_MARKERS}]|$)", body):
            if marker not in notes:
                notes[marker], last = note.strip(), marker
    return notes


MIN_NOTE_TERM = 2  # characters a note must begin with, of those right before the mark
# A note that defines a term: “两线”是指…, 口径：… (a bare 指 is too common: 指标)
_DEFINED_TERM_RE = re.compile(r"^(?P<term>\S{2,16}?)(?:是指|系指|：)")


def resolve_lookalike(note: dict, record: dict, notes: dict[str, str]) -> dict:
    """The note a mark read as a look-alike (® for a raised ①) refers to: the one note
    under the table that begins with the words standing right before the mark (工作® ->
    ① “四有”工作是指…; 12.27® -> ③ 12.27亿人次为…). {} when no note, or more than one,
    does: the mark stays unresolved and its text is reported lost."""
    cell = record["name_raw"] if note["attached_to"] == "name" else (record.get(note["attached_to"]) or {}).get("raw", "")
    before = cell[:cell.find(note["marker"])] if note["marker"] in cell else ""
    found = {}
    for marker, text in notes.items():
        term = next((before[-k:] for k in range(len(before), MIN_NOTE_TERM - 1, -1) if text.startswith(before[-k:])), None)
        if term:
            found[marker] = term
    if len(found) != 1:
        return {}
    (marker, term), = found.items()
    return {"note": marker, "text": notes[marker], "note_evidence": {"read_as": note["marker"], "term": term}}


def attach_unmarked_notes(records: list[dict], notes: dict[str, str]) -> None:
    """A note under the table whose mark no row holds (a raised ② OCR did not see, or
    an extract dropped) belongs to the one row whose name holds the term the note defines
    (② “两线”是指… -> …“两线”纳入…): a footnote with an empty ``marker`` (no mark was read)
    and the note. Nothing is written into the name; no row, or several: nothing attached."""
    claimed = {n.get("note", n["marker"]) for r in records for n in r["footnotes"]}
    for marker, text in notes.items():
        defined = _DEFINED_TERM_RE.match(text)
        if marker in claimed or not defined:
            continue
        term = defined.group("term")
        holders = [r for r in records if term in r["name_raw"]]
        if len(holders) == 1:
            holders[0]["footnotes"].append({"marker": "", "attached_to": "name", "note": marker, "text": text,
                                            "note_evidence": {"read_as": "", "term": term}})


def extract_indicators(lines: list[Line], line_source, scan_regions=None) -> tuple[list[dict], list[dict]]:
    """Records for the rows of every indicator table, and the issues met."""
    indicators, issues = [], []
    tables = _tables(lines)
    for number, table in enumerate(tables, 1):
        columns = _settle_blank_columns(read_header(table.header), [r.cells for r in table.rows])
        notes = _notes(lines, table)
        category = None
        first = len(indicators)
        for row in table.rows:
            source = line_source(row.start, row.end)
            record = _record(row, columns, category, source)
            if record is None:
                issues.append(_issue("indicator_row_unparsed", f"row does not fit the header's columns: {row.text!r}", {"row": row.text}, source))
                continue
            category = record["category"]
            if record.pop("_shifted"):
                issues.append(_issue("table_cell_conflict", f"row {record['seq']} starts with an attribute cell that repair could not place", {"row": row.text}, source))
            for note in record["footnotes"]:
                if note["marker"] in notes:
                    note["text"] = notes[note["marker"]]
                elif note["marker"] in MARKER_LOOKALIKES:
                    note.update(resolve_lookalike(note, record, notes))
            record["table"] = number
            if scan_regions is not None:
                record["scan"] = scan_regions(row.start, row.end)
            for check in record["checks"]:
                if check["ok"] is False:
                    issues.append(_issue("indicator_check_failed", f"row {record['seq']} ({record['name']}): {check['detail']}; a value is misread or misprinted, nothing was changed", {"seq": record["seq"], "check": check["check"], "computed": check["computed"], "printed": record["increase"]["raw"]}, source))
            indicators.append(record)
        attach_unmarked_notes(indicators[first:], notes)
        for row in table.broken:
            source = line_source(row.start, row.end)
            issues.append(_issue("indicator_row_unparsed", f"the cells after row {len(table.rows)} of a table printed one cell per line do not fit its columns: {row.text[:80]!r}", {"row": row.text}, source))
    for line in lines:
        if line.kind not in (TABLE_HEADER, TABLE_ROW) and _HEADER_RUN_IN_RE.search(line.text):
            # An OCR reading that ran the header and the rows of a table together (a
            # grid the layout could not find): the rows are there but cannot be told apart.
            source = line_source(line.start, line.end)
            issues.append(_issue("indicator_row_unparsed", f"an indicator table's header runs into its rows on one line; the table could not be read: {line.text[:80]!r}", {"row": line.text}, source))
    return indicators, issues


# 指标 … 2020年 … 2025年 on one line that is not a table header.
_HEADER_RUN_IN_RE = re.compile(r"指\s*标.{0,12}?(?:19|20)\d\d\s*年.{0,12}?(?:19|20)\d\d\s*年")


# --- checks ---------------------------------------------------------------------------


def _checks(record: dict) -> list[dict]:
    increase = record["increase"]
    if increase is None:
        return []
    base, target, change = record["baseline"], record["target"], increase
    values = (base["value"], target["value"], change["value"])
    # 年均增长〔累计〕: a bracketed figure is the total change over the period, not a rate.
    growth = any(w in (change["kind"] or "") for w in _GROWTH_WORDS) and not change.get("cumulative")
    name = "annual growth rate" if growth else "target - baseline = increase"
    cells = (("baseline", base), ("target", target), ("increase", change))
    unreadable = [f"{role} {cell['raw']!r}" for role, cell in cells if value_status(cell["raw"]) == "unreadable"]
    if unreadable:
        return [{"check": name, "ok": False, "computed": None,
                 "detail": f"{', '.join(unreadable)} is not a number the check can read (misread, or a notation it does not know), the row cannot be confirmed"}]
    not_numbers = [f"{role} {cell['raw']!r} is {cell['value_kind']}" for role, cell in cells if cell["value_kind"] in ("range", "bound", "words")]
    if not_numbers:
        return [{"check": name, "ok": None, "computed": None, "detail": f"{', '.join(not_numbers)}, not a number: nothing to check"}]
    checks = _arithmetic(name, growth, base, target, change, values)
    guessed = [f"{role} {cell['raw']!r}" for role, cell in cells if value_status(cell["raw"]) == "lookalike"]
    if guessed and checks[0]["ok"] is not True:
        check = checks[0]
        confirmed = "" if check["ok"] is False else "; nothing confirms the number"
        return [{**check, "ok": False, "detail": f"{check['detail']}{confirmed} ({', '.join(guessed)}: a number with a glyph read as a footnote marker)"}]
    return checks


def _arithmetic(name: str, growth: bool, base: dict, target: dict, change: dict, values: tuple) -> list[dict]:
    if any(v is None for v in values):
        return [{"check": name, "ok": None, "computed": None, "detail": "a value is missing (—), nothing to check"}]
    try:
        b, t, c = (Decimal(str(v)) for v in values)
    except InvalidOperation:
        return [{"check": name, "ok": None, "computed": None, "detail": "a value is not a number"}]
    if growth:
        years = (target["year"] or 0) - (base["year"] or 0)
        if years <= 0 or b <= 0:
            return [{"check": name, "ok": None, "computed": None, "detail": "years or baseline do not allow a growth rate"}]
        rate = ((float(t) / float(b)) ** (1 / years) - 1) * 100
        tolerance = 0.5 * 10 ** _exponent(change["raw"]) + 0.05
        ok = abs(rate - float(c)) <= tolerance
        return [{"check": name, "ok": ok, "computed": round(rate, 3), "detail": f"({t}/{b})^(1/{years}) - 1 = {rate:.3f}%, printed {c}"}]
    computed = t - b
    ok = computed == c
    detail = f"{t} - {b} = {computed}" + (", as printed" if ok else f", but the table prints {c}")
    return [{"check": name, "ok": ok, "computed": _number(computed), "detail": detail}]


def _exponent(raw: str) -> int:
    bare = _MARKER_RE.sub("", raw).strip().rstrip(MARKER_LOOKALIKES).strip()
    bare = _BRACKETED_RE.sub(r"\g<inner>", bare)
    return -len(bare.split(".")[1]) if "." in bare else 0


def _number(value: Decimal) -> float | int:
    return int(value) if value == value.to_integral_value() and "." not in str(value) else float(value)


def _issue(kind: str, detail: str, data: dict, source: dict | None, box: int | None = None) -> dict:
    return {"kind": kind, "box": box, "detail": detail, "data": data, "source": source}
