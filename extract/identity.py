"""A document's identity read from the document itself: title, issuer, document number,
date and plan period.

Chinese government documents print their identity in a fixed place: the issuing
notice at the head (``国发〔2021〕36号`` on its own line, ``现将《…》印发给你们``, the
issuer's signature line over the date) or, for a document issued directly, the
signature and date at its end. Only those places are read: the first ``HEAD_LINES``
and last ``TAIL_LINES`` non-empty lines. A citation of another document inside a
sentence (``根据《…》（国发〔2016〕1号）``) is never taken: a document number counts
only on a line of its own, a signature only as the lines standing right above a date
line.

Markdown decoration (``#``, ``**``, list marks) and layout space are set aside when
reading a line; the values are given as printed (white space inside a title kept as
one space). Whatever is not found stays None; nothing is guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from grammar.chars import HAN_RANGE

HEAD_LINES = 60
TAIL_LINES = 30

_DOC_NUMBER = re.compile(
    rf"^([{HAN_RANGE}]{{1,12}})\s*([〔\[［(（【])\s*((?:19|20)\d{{2}})\s*([〕\]］)）】])\s*(\d{{1,4}})\s*号$"
)
_DATE = re.compile(r"^((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日$")
_CN_DIGITS = {"〇": 0, "○": 0, "零": 0, "Ｏ": 0, "O": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_DATE = re.compile(r"^([〇○零ＯO一二三四五六七八九]{4})年([一二三四五六七八九十]{1,2})月([一二三四五六七八九十]{1,3})日$")
# An organ's name ends so; a signature line holds only such names.
_ORGAN = re.compile(
    rf"^[{HAN_RANGE}（）()]{{2,40}}(?:国务院|中共中央|党中央|办公厅|办公室|人民政府|政府|委员会|总局|委|局|厅|部|署|院|办|中心|协会|联合会|小组)$"
)
# The verb that issues the quoted document stands right before its 《 or right after its 》:
# a 《…》 cited in a sentence (根据《…关于印发…的通知》) is another document.
_ISSUED_BEFORE = re.compile(r"(?:印发|转发|发布|颁布|现将|现把)$")
_ISSUED_AFTER = re.compile(r"^(?:印发|转发|发布|颁布)")
_GENRE = re.compile(r"(?:规划|计划|方案|意见|纲要|办法|措施|要点|细则|规定|决定|文件|行动)(?:（[^（）]*）|\([^()]*\))?$")
_PERIOD_LINE = re.compile(r"^[（(]\s*(?:19|20)\d{2}\s*[—–\-－~～至到]+\s*(?:19|20)\d{2}\s*年?\s*[）)]$")
_PERIOD = re.compile(r"((?:19|20)\d{2})\s*年?\s*[—–\-－~～至到]+\s*((?:19|20)\d{2})\s*年")
_FIVE_YEAR = {"十一五": 2006, "十二五": 2011, "十三五": 2016, "十四五": 2021, "十五五": 2026, "十六五": 2031}
# A numbered section heading (二、保障措施, （三）工作要点, 专栏2 …) is not the document's title.
_NUMBERED = re.compile(r"^(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[）)]|\d+[、.．]|专栏)")
_SENTENCE = re.compile(r"[。；;：:！？!?，,]")
_DECORATION = re.compile(r"^(?:#{1,6}\s+|[-*+]\s+|>\s*)")


@dataclass(frozen=True)
class Identity:
    title: str | None = None
    issuer: str | None = None
    doc_number: str | None = None
    date: str | None = None  # ISO 8601 (2021-12-30)
    plan_period: tuple[int, int] | None = None

    @property
    def plan_year(self) -> int | None:
        """The year the plan was issued: its date's year, else its period's first year."""
        if self.date:
            return int(self.date[:4])
        return self.plan_period[0] if self.plan_period else None


def read_identity(text: str) -> Identity:
    lines = [clean_line(line) for line in text.split("\n")]
    lines = [line for line in lines if line]
    head, tail = lines[:HEAD_LINES], lines[-TAIL_LINES:] if len(lines) > HEAD_LINES else []
    title = notice_title(head) or heading_title(head)
    issuer, date = signature(head)
    if issuer is None and tail:
        issuer, date = signature(tail)
    return Identity(
        title=title,
        issuer=issuer,
        doc_number=doc_number(head),
        date=date,
        plan_period=plan_period(title) if title else None,
    )


def clean_line(line: str) -> str:
    """A line without its Markdown decoration, emphasis marks and layout space."""
    line = line.strip().replace("**", "").replace("__", "").strip()
    line = _DECORATION.sub("", line).strip()
    return re.sub(r"\s+", " ", line)


def doc_number(lines: list[str]) -> str | None:
    for line in lines:
        if _DOC_NUMBER.match(line):
            return line
    return None


def notice_title(lines: list[str]) -> str | None:
    """The 《…》 a notice issues (``关于印发《X》的通知``, ``现将《X》印发给你们``)."""
    for line in lines:
        for start, end in quoted_spans(line):
            if _ISSUED_BEFORE.search(line[:start]) or _ISSUED_AFTER.match(line[end + 1 :]):
                title = line[start + 1 : end].strip()
                if title:
                    return title
    return None


def quoted_spans(line: str) -> list[tuple[int, int]]:
    """The outermost 《…》 of a line as (index of 《, index of its 》), nested 《》 inside."""
    spans = []
    start = line.find("《")
    while start >= 0:
        end = _closing(line, start)
        if end is None:
            break
        spans.append((start, end))
        start = line.find("《", end)
    return spans


def _closing(line: str, start: int) -> int | None:
    depth = 0
    for i in range(start, len(line)):
        if line[i] == "《":
            depth += 1
        elif line[i] == "》":
            depth -= 1
            if depth == 0:
                return i
    return None


def heading_title(lines: list[str]) -> str | None:
    """The plan's own heading: a short line ending in the document's kind (…规划, …方案),
    with a short line above it that it continues and a period line under it
    (``（2021-2023年）``)."""
    for i, line in enumerate(lines):
        if not _title_like(line) or not _GENRE.search(line) or line.startswith("关于印发") or line.endswith("通知") or _NUMBERED.match(line):
            continue
        title = line
        if i > 0 and _title_like(lines[i - 1]) and len(lines[i - 1]) <= 20 and not _GENRE.search(lines[i - 1]) and not _is_signature_line(lines[i - 1]) and lines[i - 1] not in ("附件", "附件1"):
            title = lines[i - 1] + title
        if i + 1 < len(lines) and _PERIOD_LINE.match(lines[i + 1]):
            title += lines[i + 1]
        return title
    return None


def _title_like(line: str) -> bool:
    return 4 <= len(line) <= 60 and not _SENTENCE.search(line) and not _DATE.match(line) and not _DOC_NUMBER.match(line) and not line.startswith(("（此件", "(此件"))


def _is_signature_line(line: str) -> bool:
    parts = line.split(" ")
    return bool(parts) and all(_ORGAN.match(part) for part in parts)


def signature(lines: list[str]) -> tuple[str | None, str | None]:
    """The issuer(s) printed right above the first date line that has them, and that date."""
    for i, line in enumerate(lines):
        date = iso_date(line)
        if date is None:
            continue
        organs: list[str] = []
        j = i - 1
        while j >= 0 and _is_signature_line(lines[j]):
            organs[:0] = lines[j].split(" ")
            j -= 1
        if organs:
            return "、".join(organs), date
    return None, None


def iso_date(line: str) -> str | None:
    """``2021年12月30日`` (or ``二〇二一年十二月三十日``) on its own line, as 2021-12-30."""
    match = _DATE.match(line)
    if match:
        year, month, day = (int(g) for g in match.groups())
    else:
        match = _CN_DATE.match(line)
        if not match:
            return None
        year = int("".join(str(_CN_DIGITS[c]) for c in match.group(1)))
        month, day = _cn_number(match.group(2)), _cn_number(match.group(3))
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return None
    return f"{year:04d}-{month:02d}-{day:02d}"


def _cn_number(text: str) -> int:
    """一 … 三十一 as a number."""
    if "十" not in text:
        return _CN_DIGITS[text]
    tens, _, units = text.partition("十")
    return (_CN_DIGITS[tens] if tens else 1) * 10 + (_CN_DIGITS[units] if units else 0)


def plan_period(title: str) -> tuple[int, int] | None:
    """The years a title names (``（2021—2025年）``, ``2024-2026年``), or its five-year plan (十四五)."""
    match = _PERIOD.search(title)
    if match:
        start, end = int(match.group(1)), int(match.group(2))
        if start <= end <= start + 30:
            return start, end
    for name, start in _FIVE_YEAR.items():
        if name in title:
            return start, start + 4
    return None
