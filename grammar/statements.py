"""The grammar of agency statements that close a box or an item.

    （国家知识产权局牵头，教育部、科技部等按职责分工负责）   lead + participants
    （市场监管总局负责，最高人民法院、公安部等按职责分工负责） lead + participants
    （农业农村部、国家林草局、国家知识产权局等负责）         joint leads
    （国家版权局等按职责分工负责）                          participants only
    （中央宣传部、中央网信办、…、银保监会）                  bare list: participants
    （牵头单位：市发展改革委，配合单位：市委组织部、…）      labelled units
    （责任部门：市科委、市经济信息化委）                     labelled: joint leads
    责任单位：省工业和信息化厅 (on its own line)             ``find_label_lines``

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
# Labels name a role for the list after them: 单位 (units) and 部门 (departments) alike.
_LEAD_LABELS = tuple(role + unit for role in ("牵头", "责任", "主责") for unit in ("单位", "部门"))
_LABELS = _LEAD_LABELS + tuple(role + unit for role in ("配合", "参与", "协助") for unit in ("单位", "部门"))
# Role words at the end of a clause, longest first. 等/等部门 before them means "and others".
_ROLES = ("按职责分工负责", "按职责分工", "分工负责", "牵头", "负责", "参与", "配合")
_ETC = ("等部门", "等单位", "等")
_PARTICIPANT_ROLES = ("按职责分工负责", "按职责分工", "分工负责", "参与", "配合")


def _spaced(word: str) -> str:
    """A pattern for ``word`` that lets a line break (or spaces) fall between its characters."""
    return r"\s*".join(map(re.escape, word))


# A wrapped line may put a break anywhere in the role words (…监管局等\n按职责分工负责).
_ROLE_RE = re.compile(
    "(?P<etc>" + "|".join(map(_spaced, _ETC)) + r")?\s*(?P<role>" + "|".join(map(_spaced, _ROLES)) + ")$"
)
# A wrapped line may break a label too (配合单位\n：).
_LABEL_RE = re.compile("^(" + "|".join(map(_spaced, _LABELS)) + r")\s*[：:]")
_TRAILING_ETC_RE = re.compile(r"\s*(" + "|".join(map(_spaced, _ETC)) + ")$")
# The role words a statement that breaks off may have kept the start of (…等按职, …负):
# every complete tail, 等 and the like included.
_TAILS = tuple(etc + role for etc in ("",) + _ETC for role in _ROLES)
_CLAUSE_SPLIT_RE = re.compile(r"[，,；;]")
_ENTRY_SPLIT_RE = re.compile(r"、")
_CONJUNCTION_RE = re.compile(r"^[与和及同]")


@dataclass(frozen=True)
class Entry:
    start: int  # offsets in the paragraph
    end: int
    text: str  # as printed, line breaks included
    # The statement breaks off right after this entry (no 等, no role word, no bracket
    # follows): the name may be cut (…、最高人民 of 最高人民法院 or 最高人民检察院).
    at_break: bool = False

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


def find_statements(paragraph: str, is_agency: Callable[[str], bool], lone_at_end: bool = False) -> list[Statement]:
    """``lone_at_end``: a bracket closing the paragraph that names one body (（市科委）) is
    a statement too — where tasks end in their bodies; inside running text it is not."""
    found = []
    for match in _BRACKETED_RE.finditer(paragraph):
        at_end = lone_at_end and not paragraph[match.end():].strip(" \t\n。；")
        statement = _parse(paragraph, match.start(1), match.end(1), match.start(), match.end(), True, False, is_agency, at_end)
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
    lone_ok: bool = False,
) -> Statement | None:
    """Parse ``paragraph[c_start:c_end]`` as a list of agencies; None if it is not one."""
    content = paragraph[c_start:c_end]
    clauses: list[Clause] = []
    pieces = _split_keep_offsets(content, _CLAUSE_SPLIT_RE)
    for k, (text, rel) in enumerate(pieces):
        clause = _parse_clause(text, c_start + rel, open_ended and k == len(pieces) - 1, is_agency)
        if clause is None:
            return None
        if clauses and clause.role_word is None and clauses[-1].role_word in _LABELS:
            # 配合单位：A、B，各区、县级市 — a list after a labelled one is under that label.
            clause = Clause(clauses[-1].role, None, clause.entries)
        clauses.append(clause)
    entries = [e for c in clauses for e in c.entries]
    if not entries:
        return None
    # A piece of a name where a bracketed statement breaks off (（…牵头，教) is no evidence
    # that the list is not one of agencies: it is judged by its other entries. (Without the
    # opening bracket, running text that lost its full stop must not pass for a list.)
    judged = [e for e in entries if not (bracketed and e.at_break and not is_agency(e.printed))]
    agency_like = sum(1 for e in judged if is_agency(e.printed))
    has_role = any(c.role_word for c in clauses)
    # An opening bracket and one name, then the text breaks off: （国家知识产权局
    lone_name = bracketed and (open_ended or lone_ok) and len(entries) == 1 and agency_like == 1
    if agency_like == 0 or agency_like / len(judged) < 0.6 or not (has_role or len(entries) >= 2 or lone_name):
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


def _parse_clause(text: str, offset: int, at_break: bool = False, is_agency: Callable[[str], bool] | None = None) -> Clause | None:
    """One clause; ``at_break``: the statement breaks off at its end (the last clause of an
    unclosed statement), so its role words may be cut short and its last name cut off."""
    body, body_offset = text, offset
    label = _LABEL_RE.match(body.strip())
    role_word = None
    open_end = at_break  # nothing follows the last name
    if label:
        lead_ws = len(body) - len(body.lstrip())
        body_offset += lead_ws + label.end()
        body = body.strip()[label.end():]
        role_word = re.sub(r"\s+", "", label.group(1))
        role = LEAD if role_word in _LEAD_LABELS else PARTICIPANT
    else:
        stripped = body.rstrip()
        role_match = _ROLE_RE.search(stripped)
        partial = _partial_tail(stripped, is_agency) if at_break and not role_match else None
        if role_match:
            role_word = re.sub(r"\s+", "", role_match.group("role"))
            role = PARTICIPANT if role_word in _PARTICIPANT_ROLES else LEAD
            body = stripped[:role_match.start()]
            open_end = False
        elif partial:
            cut, role = partial
            # The start of a role word (…等按职): the role it can only be, or, when the
            # surviving characters fit both (…等), none: the list is read as a bare list.
            role_word = re.sub(r"\s+", "", stripped[cut:]) if role else None
            role = role or PARTICIPANT
            body = stripped[:cut]
            open_end = False
        else:
            role = PARTICIPANT
            etc = _TRAILING_ETC_RE.search(stripped)
            body = stripped[:etc.start()] if etc else stripped
            open_end = at_break and not etc
    entries = []
    pieces = _split_keep_offsets(body, _ENTRY_SPLIT_RE)
    for k, (name, rel) in enumerate(pieces):
        lead_ws = len(name) - len(name.lstrip())
        clean = name.strip()
        start = body_offset + rel + lead_ws
        entries.append(Entry(start, start + len(clean), clean, open_end and k == len(pieces) - 1))
    if not entries:
        return None
    return Clause(role=role, role_word=role_word, entries=tuple(entries))


def _partial_tail(text: str, is_agency: Callable[[str], bool] | None) -> tuple[int, str | None] | None:
    """Where the start of a cut-off role word begins in ``text`` (…教育部等按职, …商务部负),
    and the role it can only be (None when it could be either: …等). The longest such tail
    wins. One character that is not 等 (负, 牵, 按, 参 …) could as well end a cut name, so it
    counts only when the text before it names an agency and the text with it does not."""
    for k in range(min(len(text) - 1, max(map(len, _TAILS)) + 4), 0, -1):
        tail = text[-k:]
        if tail[0].isspace():
            continue
        piece = re.sub(r"\s+", "", tail)
        completions = [t for t in _TAILS if t.startswith(piece) and t != piece]
        if not completions:
            continue
        rest = text[:-k].rstrip()
        if not rest or rest[-1] in "、，,":
            continue
        if len(piece) == 1 and piece != "等" and not (is_agency and is_agency(rest) and not is_agency(text)):
            continue
        roles = {PARTICIPANT if any(t.endswith(r) for r in _PARTICIPANT_ROLES) else LEAD for t in completions}
        return len(text) - k, (roles.pop() if len(roles) == 1 else None)
    return None


def find_label_lines(block: str, is_agency: Callable[[str], bool]) -> Statement | None:
    """Lines that each start with a label (责任单位：省工业和信息化厅 / 配合单位：…),
    standing on their own after the task they assign: one statement, or None."""
    statements = []
    for start, end, line in _line_spans(block):
        if not line.strip():
            continue
        lead_ws = len(line) - len(line.lstrip())
        if not _LABEL_RE.match(line.strip()):
            return None
        statement = _parse(block, start + lead_ws, end, start + lead_ws, start + len(line.rstrip()), False, False, is_agency)
        if statement is None:
            return None
        statements.append(statement)
    if not statements:
        return None
    clauses = tuple(c for s in statements for c in s.clauses)
    first, last = statements[0], statements[-1]
    return Statement(first.start, last.end, block[first.start:last.end], False, False, clauses, _form(clauses))


def _line_spans(text: str) -> list[tuple[int, int, str]]:
    spans, start = [], 0
    for line in text.split("\n"):
        spans.append((start, start + len(line), line))
        start += len(line) + 1
    return spans


def _form(clauses: list[Clause]) -> str:
    words = [c.role_word for c in clauses]
    if any(w in _LABELS for w in words):
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
