"""The key-indicators table (主要指标): one record per row, checked by arithmetic.

Columns are read from the header, not assumed: year columns (2020年, 2025年 …) give
baseline and target, a change column (累计增加值, 累计变化, 年均增速 …) the increase,
属性 the attribute. Rows are matched to the value columns from their own cells: an
optional sequence number, the name, the values, the attribute.

The table of a plan is internally consistent, so target − baseline = increase (or the
annual growth rate, for 年均增速 columns) is checked on every row that has the three
values. A failed check is reported; nothing is "fixed".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from repair.layout import ATTRIBUTES, TABLE_HEADER, TABLE_ROW, YEAR_CELL_RE, Line, table_cells

FOOTNOTE_MARKERS = "".join(chr(c) for c in range(0x2460, 0x2474))  # ① … ⑳
_MARKER_RE = re.compile(rf"\s*\^?\s*([{FOOTNOTE_MARKERS}])")
_UNIT_RE = re.compile(r"\s*[（(]([^（()）]{1,8})[）)]\s*$")
_SEQ_RE = re.compile(r"^(\d+)\s*[.．、]?$")
_NUMBER_RE = re.compile(r"^[+\-]?\d+(?:\.\d+)?$")
# What OCR reads for a raised circled digit (①-⑳) glued to a number: "11.6ª" for 11.6 ^③.
MARKER_LOOKALIKES = "ªº®©°¹²³"
_LOOKALIKE_RE = re.compile(rf"^(?P<number>[+\-]?\d[\d,，]*(?:\.\d+)?)\s*\^?\s*(?P<mark>[{MARKER_LOOKALIKES}])$")
# 一 and 一一: how OCR reads a printed dash (stand-in scan: RapidOCR reads row 8's — as 一,
# Tesseract once as 一一).
_NO_VALUE = {"—", "–", "-", "－", "——", "/", "一", "一一"}
_BRACKETED_RE = re.compile(r"^[〔\[［]\s*[+\-]?\d[\d.,，]*\s*[〕\]］]$")
_DIFFERENCE_WORDS = ("增加", "变化", "增量", "提高", "降低", "减少", "变动")
_GROWTH_WORDS = ("年均增", "年均增长", "增速")


@dataclass(frozen=True)
class Column:
    role: str  # name | year | increase | attribute | seq | other
    header: str
    year: int | None = None


def read_header(cells: list[str]) -> list[Column]:
    columns = []
    for cell in cells:
        compact = cell.replace(" ", "")
        if YEAR_CELL_RE.match(compact):
            columns.append(Column("year", compact, int(compact[:4])))
        elif "属性" in compact:
            columns.append(Column("attribute", compact))
        elif any(w in compact for w in _DIFFERENCE_WORDS + _GROWTH_WORDS):
            columns.append(Column("increase", compact))
        elif "指标" in compact or "名称" in compact:
            columns.append(Column("name", compact))
        elif compact in ("序号", "编号"):
            columns.append(Column("seq", compact))
        else:
            columns.append(Column("other", compact))
    return columns


def parse_value(raw: str) -> tuple[float | int | None, list[str]]:
    """'11.6 ^③' -> (11.6, ['③']); '—' -> (None, []); '11.6ª' -> (11.6, ['ª'])."""
    markers = _MARKER_RE.findall(raw)
    bare = _MARKER_RE.sub("", raw).strip()
    lookalike = _LOOKALIKE_RE.match(bare)
    if lookalike:
        bare = lookalike.group("number")
        markers.append(lookalike.group("mark"))
    bare = bare.replace(",", "").replace("，", "")
    if bare in _NO_VALUE or not _NUMBER_RE.match(bare):
        return None, markers
    return (float(bare) if "." in bare else int(bare)), markers


def value_status(raw: str) -> str:
    """'number', 'none' (— or empty: nothing printed), 'lookalike' (a number with a glyph
    that may be a misread footnote marker) or 'unreadable' (anything else)."""
    value, markers = parse_value(raw)
    bare = _MARKER_RE.sub("", raw).strip()
    if value is None:
        # 〔18〕: a cumulative figure over the period, as plans print it; not checked here.
        return "none" if bare in _NO_VALUE or not bare or _BRACKETED_RE.match(bare) else "unreadable"
    return "lookalike" if any(m in MARKER_LOOKALIKES for m in markers) else "number"


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
    if unit_match:
        markers += _MARKER_RE.findall(unit_match.group(0))
    return name, unit, markers


def extract_indicators(lines: list[Line], line_source, scan_regions=None) -> tuple[list[dict], list[dict]]:
    """Records for the rows of every indicator table, and the issues met."""
    indicators, issues = [], []
    columns: list[Column] = []
    for line in lines:
        if line.kind == TABLE_HEADER:
            columns = read_header(table_cells(line.text))
        elif line.kind == TABLE_ROW and columns:
            source = line_source(line.start, line.end)
            record = _row(table_cells(line.text), columns, source)
            if record is None:
                issues.append(_issue("indicator_row_unparsed", f"row does not fit the header's columns: {line.text!r}", {"row": line.text}, source))
                continue
            if record.pop("_shifted"):
                issues.append(_issue("table_cell_conflict", f"row {record['seq']} starts with an attribute cell that repair could not place", {"row": line.text}, source))
            if scan_regions is not None:
                record["scan"] = scan_regions(line.start, line.end)
            for check in record["checks"]:
                if check["ok"] is False:
                    issues.append(_issue("indicator_check_failed", f"row {record['seq']} ({record['name']}): {check['detail']}; a value is misread or misprinted, nothing was changed", {"seq": record["seq"], "check": check["check"], "computed": check["computed"], "printed": record["increase"]["raw"]}, source))
            indicators.append(record)
        elif line.kind != TABLE_HEADER and _HEADER_RUN_IN_RE.search(line.text):
            # An OCR reading that ran the header and the rows of a table together (a
            # grid the layout could not find): the rows are there but cannot be told apart.
            source = line_source(line.start, line.end)
            issues.append(_issue("indicator_row_unparsed", f"an indicator table's header runs into its rows on one line; the table could not be read: {line.text[:80]!r}", {"row": line.text}, source))
    return indicators, issues


# 指标 … 2020年 … 2025年 on one line that is not a table header.
_HEADER_RUN_IN_RE = re.compile(r"指\s*标.{0,12}?(?:19|20)\d\d\s*年.{0,12}?(?:19|20)\d\d\s*年")


def _row(cells: list[str], columns: list[Column], source: dict) -> dict | None:
    while cells and not cells[-1]:
        cells = cells[:-1]
    shifted = bool(cells) and cells[0] in ATTRIBUTES
    if shifted:
        cells = cells[1:]
    seq = None
    if cells and _SEQ_RE.match(cells[0]):
        seq = int(_SEQ_RE.match(cells[0]).group(1))
        cells = cells[1:]
    attribute = cells[-1] if cells and cells[-1] in ATTRIBUTES else None
    if attribute:
        cells = cells[:-1]
    if not cells:
        return None
    name_raw, values = cells[0], cells[1:]
    value_columns = [c for c in columns if c.role in ("year", "increase")]
    if len(values) != len(value_columns):
        return None
    name, unit, name_markers = split_name(name_raw)
    record: dict = {"seq": seq, "name": name, "name_raw": name_raw, "unit": unit}
    footnotes = [{"marker": m, "attached_to": "name"} for m in name_markers]
    years = [c for c in value_columns if c.role == "year"]
    cells_by_role: dict[str, dict] = {}
    for column, raw in zip(value_columns, values):
        value, markers = parse_value(raw)
        if column.role == "year":
            role = "baseline" if column is years[0] else "target"
            cells_by_role[role] = {"year": column.year, "value": value, "raw": raw}
        else:
            role = "increase"
            cells_by_role[role] = {"kind": column.header, "value": value, "raw": raw}
        footnotes += [{"marker": m, "attached_to": role} for m in markers]
    blank = {"year": None, "value": None, "raw": ""}
    record["baseline"] = cells_by_role.get("baseline", blank)
    record["target"] = cells_by_role.get("target", blank)
    record["increase"] = cells_by_role.get("increase")
    record["attribute"] = attribute
    record["footnotes"] = footnotes
    record["checks"] = _checks(record)
    record["source"] = source
    record["_shifted"] = shifted
    return record


def _checks(record: dict) -> list[dict]:
    increase = record["increase"]
    if increase is None:
        return []
    base, target, change = record["baseline"], record["target"], increase
    values = (base["value"], target["value"], change["value"])
    growth = any(w in (change["kind"] or "") for w in _GROWTH_WORDS)
    name = "annual growth rate" if growth else "target - baseline = increase"
    cells = (("baseline", base), ("target", target), ("increase", change))
    unreadable = [f"{role} {cell['raw']!r}" for role, cell in cells if value_status(cell["raw"]) == "unreadable"]
    if unreadable:
        return [{"check": name, "ok": False, "computed": None,
                 "detail": f"{', '.join(unreadable)} is not a number the check can read (misread, or a notation it does not know), the row cannot be confirmed"}]
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
    return -len(bare.split(".")[1]) if "." in bare else 0


def _number(value: Decimal) -> float | int:
    return int(value) if value == value.to_integral_value() and "." not in str(value) else float(value)


def _issue(kind: str, detail: str, data: dict, source: dict | None, box: int | None = None) -> dict:
    return {"kind": kind, "box": box, "detail": detail, "data": data, "source": source}
