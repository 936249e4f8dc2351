"""The grammar of agency statements that close a box or an item.

    （国家知识产权局牵头，教育部、科技部等按职责分工负责）   lead + participants
    （市场监管总局负责，最高人民法院、公安部等按职责分工负责） lead + participants
    （农业农村部、国家林草局、国家知识产权局等负责）         joint leads
    （国家版权局等按职责分工负责）                          participants only
    （中央宣传部、中央网信办、…、银保监会）                  bare list: participants
    （牵头单位：市发展改革委，配合单位：市委组织部、…）      labelled units

``find_statements`` locates them in a paragraph and splits them into clauses and
entries with offsets, so repair can delete a repeated entry and extract can resolve
names. It knows the shape of the lists, not the agencies: whether an entry names an
agency is asked of the ``is_agency`` callable it is given.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable

from .chars import SENTENCE_END

LEAD = "lead"
PARTICIPANT = "participant"

_BRACKETED_RE = re.compile(r"[（(]([^（()）]*)[）)]")
_OPEN_RE = re.compile(r"[（(]")
_LABEL_RE = re.compile(r"^(牵头单位|责任单位|主责单位|配合单位|参与单位|协助单位)[：:]")
_LEAD_LABELS = ("牵头单位", "责任单位", "主责单位")
# Role words at the end of a clause, longest first. 等/等部门 before them means "and others".
_ROLE_RE = re.compile(r"(?P<etc>等部门|等单位|等)?(?P<role>按职责分工负责|按职责分工|分工负责|牵头|负责|参与|配合)$")
_PARTICIPANT_ROLES = ("按职责分工负责", "按职责分工", "分工负责", "参与", "配合")
_CLAUSE_SPLIT_RE = re.compile(r"[，,；;]")
_ENTRY_SPLIT_RE = re.compile(r"、")
_CONJUNCTION_RE = re.compile(r"^[与和及同]")


@dataclass(frozen=True)
class Entry:
    start: int  # offsets in the paragraph
    end: int
    text: str  # as printed, line breaks included

    @property
    def printed(self) -> str:
        """One line: a break (where text was lost) shows as one space."""
        return re.sub(r"\s*\n\s*", " ", self.text).strip()


@dataclass(frozen=True)
class Clause:
    role: str  # LEAD or PARTICIPANT
    role_word: str | None  # 牵头, 负责, 按职责分工负责 ... or a label; None for a bare list
    entries: tuple[Entry, ...]


@dataclass(frozen=True)
class Statement:
    start: int
    end: int
    raw: str
    bracketed: bool
    truncated: bool
    clauses: tuple[Clause, ...]
    form: str

    @property
    def entries(self) -> list[Entry]:
        return [e for c in self.clauses for e in c.entries]


def find_statements(paragraph: str, is_agency: Callable[[str], bool]) -> list[Statement]:
    found = []
    for match in _BRACKETED_RE.finditer(paragraph):
        statement = _parse(paragraph, match.start(1), match.end(1), match.start(), match.end(), True, False, is_agency)
        if statement:
            found.append(statement)
    tail = _tail_statement(paragraph, found, is_agency)
    if tail:
        found.append(tail)
    return found


def _tail_statement(paragraph: str, found: list[Statement], is_agency: Callable[[str], bool]) -> Statement | None:
    """A statement that breaks off at the paragraph end: unclosed bracket or none at all."""
    end = len(paragraph.rstrip())
    last_stop = max((paragraph.rfind(c, 0, end) for c in SENTENCE_END), default=-1)
    start = last_stop + 1
    if found and found[-1].end > start:
        return None
    piece = paragraph[start:end]
    if not piece.strip() or _BRACKETED_RE.search(piece):
        return None
    opening = _OPEN_RE.search(piece)
    if opening:
        content_start = start + opening.end()
    else:
        content_start = start + len(piece) - len(piece.lstrip())
        conjunction = _CONJUNCTION_RE.match(paragraph[content_start:end])
        if conjunction:  # "与海关总署、…": the statement starts at the first name
            content_start += conjunction.end()
    statement_start = start + opening.start() if opening else content_start
    return _parse(paragraph, content_start, end, statement_start, end, bool(opening), True, is_agency)


def _parse(
    paragraph: str,
    c_start: int,
    c_end: int,
    s_start: int,
    s_end: int,
    bracketed: bool,
    open_ended: bool,
    is_agency: Callable[[str], bool],
) -> Statement | None:
    """Parse ``paragraph[c_start:c_end]`` as a list of agencies; None if it is not one."""
    content = paragraph[c_start:c_end]
    clauses: list[Clause] = []
    for text, rel in _split_keep_offsets(content, _CLAUSE_SPLIT_RE):
        clause = _parse_clause(text, c_start + rel)
        if clause is None:
            return None
        clauses.append(clause)
    entries = [e for c in clauses for e in c.entries]
    if not entries:
        return None
    agency_like = sum(1 for e in entries if is_agency(e.printed))
    has_role = any(c.role_word for c in clauses)
    if agency_like == 0 or agency_like / len(entries) < 0.6 or not (has_role or len(entries) >= 2):
        return None
    return Statement(
        start=s_start,
        end=s_end,
        raw=paragraph[s_start:s_end],
        bracketed=bracketed,
        # No closing bracket survived, or the statement never had one: it breaks off.
        truncated=open_ended,
        clauses=tuple(clauses),
        form=_form(clauses),
    )


def _split_keep_offsets(text: str, pattern: re.Pattern) -> list[tuple[str, int]]:
    pieces, start = [], 0
    for sep in pattern.finditer(text):
        pieces.append((text[start:sep.start()], start))
        start = sep.end()
    pieces.append((text[start:], start))
    return [(t, s) for t, s in pieces if t.strip()]


def _parse_clause(text: str, offset: int) -> Clause | None:
    body, body_offset = text, offset
    label = _LABEL_RE.match(body.strip())
    role_word = None
    if label:
        lead_ws = len(body) - len(body.lstrip())
        body_offset += lead_ws + label.end()
        body = body.strip()[label.end():]
        role_word = label.group(1)
        role = LEAD if role_word in _LEAD_LABELS else PARTICIPANT
    else:
        stripped = body.rstrip()
        role_match = _ROLE_RE.search(stripped)
        if role_match:
            role_word = role_match.group("role")
            role = PARTICIPANT if role_word in _PARTICIPANT_ROLES else LEAD
            body = stripped[:role_match.start()]
        else:
            role = PARTICIPANT
            body = re.sub(r"等(部门|单位)?$", "", stripped)
    entries = []
    for name, rel in _split_keep_offsets(body, _ENTRY_SPLIT_RE):
        lead_ws = len(name) - len(name.lstrip())
        clean = name.strip()
        start = body_offset + rel + lead_ws
        entries.append(Entry(start, start + len(clean), clean))
    if not entries:
        return None
    return Clause(role=role, role_word=role_word, entries=tuple(entries))


def _form(clauses: list[Clause]) -> str:
    words = [c.role_word for c in clauses]
    if any(w and w.endswith("单位") for w in words):
        return "labelled_units"
    leads = [c for c in clauses if c.role == LEAD and c.role_word]
    participants = [c for c in clauses if c.role == PARTICIPANT]
    if leads and participants:
        return "lead_and_participants"
    if leads:
        return "lead" if sum(len(c.entries) for c in leads) == 1 else "joint_leads"
    if all(w is None for w in words):
        return "bare_list"
    return "participants"
