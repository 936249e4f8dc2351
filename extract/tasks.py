"""Tasks of a plan put to work (实施方案, 行动计划, 若干意见 …) and who answers for each.

A task is a numbered paragraph with a body (``1.加强基础研究和前沿技术攻关。支持…``), or
an unnumbered paragraph that ends in a responsibility statement (``…开放力度。（责任单位：
市科委、市发展改革委）``). A numbered line that is only a title (``（一）推动科技创新资源
开放``) is a section: its label joins the ``path`` of the tasks under it. A statement on
lines of its own (``责任单位：省工业和信息化厅``) belongs to the task before it. A
division-of-labour table (任务分工表: 牵头单位 / 配合单位 columns) gives one task per row.
A rule the document states once (以下各项任务均由…负责，不再列出) is no task: the tasks
after it in its section that have no statement of their own take its statement, and
``statement_from`` says where it was stated.

Roles follow the statement grammar (grammar/statements.py). Collectives (各区政府, 相关区,
各有关单位) are ``groups``, not agencies. ``lead``/``participants`` list the bodies as
printed; ``entries`` resolve each to its official name.

A paragraph cut by a page break (a blank line where no sentence ends: ``（牵头部`` /
``门：市交通委…）``) is read across the break here; the repaired text keeps the break.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from grammar.statements import LEAD, PARTICIPANT, Statement, find_label_lines, find_statements
from repair.layout import BOX_HEADER, RESIDUE, SIDEBAR, TABLE_HEADER, TABLE_ROW, Line

from .agencies import AMBIGUOUS, UNKNOWN, AgencyResolver, Resolution

TASKS_DATA = Path(__file__).with_name("data") / "tasks.json"

_CN = "一二三四五六七八九十百零〇"
# Numbering labels, by kind; the kinds nest in the order a document first uses them.
_LABEL_KINDS = (
    ("chapter", rf"第[{_CN}]+[章节篇]"),
    ("cn", rf"[{_CN}]+、"),
    ("cn_paren", rf"[（(][{_CN}]+[）)]"),
    ("num", r"\d{1,3}[.．、](?!\d)"),
    ("num_paren", r"[（(]\d{1,3}[）)]"),
    ("circled", r"[①-⑳]"),
)
_LABEL_RE = re.compile(r"^[\s\u3000]*(?:\*\*\s*)?(?:" + "|".join(f"(?P<{k}>{p})" for k, p in _LABEL_KINDS) + ")")
# What a sentence (or a paragraph that is whole) may end with; anything else before a
# blank line is a paragraph cut by a page break.
_TERMINAL = "。！？；：…）)」』”’》】*"
# Lines that are the page's markup, not the plan's text (a heading, a rule, a link, 【原文下载】).
_MARKUP_RE = re.compile(r"^[\s\u3000]*(#|-{3,}|- |\*\*|【|\||>)")
_NAME_SPLIT_RE = re.compile(r"[、，,；;\s]+")
# A rule the document states once for the tasks after it (以下各项任务均由市发展改革委负责，
# 不再列出。 / 以下任务均由市科委牵头，市财政局配合。): the clause after 由 is its statement;
# a closing 不再列出 (不再逐一列出, 不另列出) only says the tasks will not repeat it.
_RULE_RE = re.compile(
    r"以下(?:各项|各|所列|列出的|所有)?(?:重点|主要)?(?:工作)?任务(?:均|都|统一|全部)?由"
    r"(?P<clause>[^。；\n（）()]+?)(?:[，,]\s*(?:不再|不另)[^。；\n（）()]*)?(?:[。；）)]|$)",
    re.MULTILINE,
)


@dataclass(frozen=True)
class TaskData:
    group_prefixes: tuple[str, ...]
    joined_groups: frozenset[str]
    columns: dict
    none_cells: frozenset[str]


@lru_cache(maxsize=1)
def task_data(path: Path = TASKS_DATA) -> TaskData:
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    table = data["table"]
    columns = {role: tuple(table[role]) for role in ("number", "task", "content", "lead", "participants")}
    return TaskData(tuple(data["groups"]["prefixes"]), frozenset(data["groups"]["joined"]), columns, frozenset(table["none"]))


@dataclass
class _Unit:
    start: int
    end: int
    path: list[str]
    label_end: int  # where the text after the numbering label starts
    numbered: bool
    statements: list[tuple[int, Statement]] = field(default_factory=list)  # (offset of the parsed text, statement)
    rule: "_Rule | None" = None  # the rule stated once that gives it its statement


@dataclass(frozen=True)
class _Rule:
    """A statement the document makes once for the tasks that follow it in its section."""

    start: int
    end: int
    prefix: tuple[str, ...]  # the section it is stated in: the tasks under it follow it
    statement: Statement


@dataclass(frozen=True)
class ResolvedTask:
    index: int
    entries: tuple[tuple[str, Resolution], ...]  # (lead | participant, resolution)
    source: dict


def extract_tasks(text: str, lines: list[Line], source_map, resolver: AgencyResolver, year: int | None = None):
    """Task records (plan.json ``tasks``), their resolved entries (for the agency view) and issues."""
    is_agency = resolver.registry.looks_like_agency
    data = task_data()
    rules: list[_Rule] = []
    units = _units(text, _blocks(text, lines), is_agency, rules)
    _apply_rules(units, rules)
    rows = _table_rows(lines, data)
    items = sorted([(u.start, "unit", u) for u in units] + [(r["start"], "row", r) for r in rows], key=lambda t: t[0])
    tasks, resolved, issues = [], [], []
    for index, (_, kind, item) in enumerate(items, 1):
        if kind == "unit":
            task, named = _unit_task(text, item, data, source_map)
        else:
            task, named = _row_task(item, data, source_map)
        task = {"index": index, **task}
        entries = tuple((role, resolver.resolve(printed, year, at_break)) for role, printed, at_break in named)
        if "raw" in task:
            task["entries"] = [_entry(role, r) for role, r in entries]
            issues += _task_issues(index, task, entries)
        tasks.append(task)
        resolved.append(ResolvedTask(index, entries, task["source"]))
    return tasks, resolved, issues


# ---- paragraphs -------------------------------------------------------------


def _blocks(text: str, lines: list[Line]) -> list[tuple[int, int]]:
    """Paragraph spans outside boxes and tables: runs of non-blank lines, a new one at each
    numbering label or label line; a paragraph cut by a page break is joined to its rest."""
    spans: list[list[int]] = []
    current: list[int] | None = None
    for line in lines:
        skip = line.box is not None or line.kind in (BOX_HEADER, TABLE_HEADER, TABLE_ROW, RESIDUE, SIDEBAR) or _is_table_line(line.text)
        if skip or not line.text.strip():
            current = None
            continue
        if current is None or _LABEL_RE.match(line.text) or find_label_lines(line.text, lambda _: True):
            current = [line.start, line.end]
            spans.append(current)
        else:
            current[1] = line.end
    joined: list[tuple[int, int]] = []
    for start, end in spans:
        if joined and _cut_by_break(text, joined[-1], (start, end)):
            joined[-1] = (joined[-1][0], end)
        else:
            joined.append((start, end))
    return joined


def _cut_by_break(text: str, before: tuple[int, int], after: tuple[int, int]) -> bool:
    """``before`` holds a sentence and stops where no sentence ends; ``after`` follows it
    across white space only and starts no paragraph of its own: one paragraph, cut."""
    head, tail = text[before[0]:before[1]].rstrip(), text[after[0]:after[1]]
    return (
        "。" in head
        and head[-1] not in _TERMINAL
        and not text[before[1]:after[0]].strip()
        and not _LABEL_RE.match(tail)
        and not _MARKUP_RE.match(tail)
    )


def _is_table_line(line: str) -> bool:
    return "\t" in line and sum(1 for c in line.split("\t") if c.strip()) >= 2


def _split_at_statements(text: str, start: int, end: int, is_agency) -> list[tuple[int, int]]:
    """A statement that ends a line closes a task: split there (a hard-wrapped extract
    may run two tasks together on consecutive lines)."""
    pieces = []
    body = text[start:end]
    cursor = 0
    for s in find_statements(body, is_agency):
        after = re.match(r"[。；;]?[ \t\u3000]*\n\s*", body[s.end:])
        if after and s.end + after.end() < len(body):
            pieces.append((start + cursor, start + s.end + len(after.group().rstrip())))
            cursor = s.end + after.end()
    pieces.append((start + cursor, end))
    return [(a, b) for a, b in pieces if text[a:b].strip()]


def _units(text: str, blocks: list[tuple[int, int]], is_agency, rules: list[_Rule] | None = None) -> list[_Unit]:
    """Walk the paragraphs with the numbering in force: numbered tasks, sections, and the
    unnumbered paragraphs that end in a statement. A rule stated once for the tasks after
    it is no task: it goes to ``rules``, with the section it is stated in."""
    rules = [] if rules is None else rules
    stack: list[tuple[str, str, bool]] = []  # (kind, label, is a section)
    units: list[_Unit] = []
    open_unit: _Unit | None = None  # a numbered task still waiting for its statement
    pieces = [p for start, end in blocks for p in _split_at_statements(text, start, end, is_agency)]
    for start, end in pieces:
        body = text[start:end]
        rule = _stated_once(body, start, is_agency)
        if rule is not None:
            # Blanked where it stands: what is left of the paragraph (a title) is read as ever.
            a, b = rule.start - start, rule.end - start
            body = body[:a] + " " * (b - a) + body[b:]
            if not _LABEL_RE.match(body):
                rules.append(_Rule(rule.start, rule.end, tuple(_section_path(stack)), rule.statement))
                rule = None  # recorded; a title's rule is recorded once its label is in force
                open_unit = None
                if not body.strip(" \t\n\u3000*（）()"):
                    continue
        label_statement = find_label_lines(body, is_agency)
        if label_statement:
            owner = units[-1] if units and not units[-1].statements else None
            if owner is not None:
                owner.end = end
                owner.statements.append((start, label_statement))
            else:
                units.append(_Unit(start, end, _section_path(stack), start, False, [(start, label_statement)]))
            open_unit = None
            continue
        statements = [(start, s) for s in find_statements(body, is_agency, lone_at_end=True) if _assigns(s) and _closes(body, s)]
        match = _LABEL_RE.match(body)
        if match:
            kind = match.lastgroup
            label = re.sub(r"[、.．]$", "", match.group(kind))
            while stack and kind in [k for k, _, _ in stack]:
                stack.pop()
            has_body = bool(statements) or _has_body(body[match.end():])
            stack.append((kind, label, not has_body))
            if rule is not None:
                rules.append(_Rule(rule.start, rule.end, tuple(_section_path(stack)), rule.statement))
            open_unit = None
            if has_body:
                unit = _Unit(start, end, [lbl for _, lbl, _ in stack], start + match.end(), True, statements)
                units.append(unit)
                open_unit = None if statements else unit
            continue
        if _MARKUP_RE.match(body):
            open_unit = None
            continue
        if open_unit is not None:
            # The next paragraph of a numbered task: its statement may come at its end.
            open_unit.end = end
            open_unit.statements += statements
            if statements:
                open_unit = None
            continue
        if statements:
            units.append(_Unit(start, end, _section_path(stack), start, False, statements))
    return units


def _stated_once(body: str, offset: int, is_agency) -> _Rule | None:
    """The rule a paragraph states for the tasks after it, if it states one whose clause
    parses as a statement (prefix left to the caller: it depends on the numbering)."""
    match = _RULE_RE.search(body)
    if match is None:
        return None
    clause = match.group("clause").strip()
    found = [s for s in find_statements(f"（{clause}）", is_agency, lone_at_end=True) if s.clauses]
    if not found:
        return None
    statement = found[0]
    # The statement as the document prints it: the clause, not the brackets added to parse it.
    statement = Statement(offset + match.start("clause"), offset + match.end("clause"), clause, False, statement.truncated, statement.clauses, statement.form)
    end = match.end() - (1 if body[match.end() - 1 : match.end()] in ("）", ")") else 0)  # its bracket is not its sentence
    return _Rule(offset + match.start(), offset + end, (), statement)


def _apply_rules(units: list[_Unit], rules: list[_Rule]) -> None:
    """Each task after a rule, in the rule's section, without a statement of its own, takes
    the rule's. A later rule in the same section takes over; a task outside the section
    ends the rule."""
    active: list[_Rule] = []
    pending = sorted(rules, key=lambda r: r.start)
    for unit in units:
        while pending and pending[0].start < unit.start:
            rule = pending.pop(0)
            active = [r for r in active if r.prefix != rule.prefix] + [rule]
        path = tuple(unit.path)
        active = [r for r in active if path[: len(r.prefix)] == r.prefix]
        if active and not unit.statements:
            unit.rule = max(active, key=lambda r: (len(r.prefix), r.start))


def _assigns(statement: Statement) -> bool:
    """A list without brackets assigns only with its role words (…等按职责分工负责): bare,
    it is running text — the addressees of a notice (各区人民政府，市政府各委、办、局：)."""
    return statement.bracketed or any(c.role_word for c in statement.clauses)


def _closes(body: str, statement: Statement) -> bool:
    """A task's statement ends its paragraph; a list in brackets inside a sentence
    (各省（自治区、直辖市）应急管理部门) assigns nothing."""
    return not body[statement.end:].strip(" \t\n\u3000。；;")


def _section_path(stack: list[tuple[str, str, bool]]) -> list[str]:
    """The path of an unnumbered paragraph: the numbering down to its section (a numbered
    task before it is its sibling, not its parent)."""
    labels = list(stack)
    while labels and not labels[-1][2]:
        labels.pop()
    return [label for _, label, _ in labels]


def _has_body(after_label: str) -> bool:
    """More than a title: a sentence with text after it (（一）高端医学影像产品。加快…)."""
    rest = after_label.strip().strip("*").strip()
    stop = rest.find("。")
    return stop >= 0 and bool(rest[stop + 1:].strip(" \u3000*\n"))


def _unit_task(text: str, unit: _Unit, data: TaskData, source_map) -> tuple[dict, list]:
    task = {
        "path": unit.path,
        "heading": _heading(text[unit.label_end:unit.end], [s for _, s in unit.statements], unit.label_end - unit.statements[0][0] if unit.statements else 0),
        "text": text[unit.start:unit.end],
        "source": source_map.lines(unit.start, unit.end),
    }
    named: list[tuple[str, str, bool]] = []
    if unit.statements or unit.rule is not None:
        statements = [s for _, s in unit.statements] or [unit.rule.statement]
        roles = _roles([(c.role, e.printed, e.at_break) for s in statements for c in s.clauses for e in c.entries], data)
        task.update(
            raw=" ".join(s.raw for s in statements),
            form=statements[-1].form,
            lead=roles["lead"],
            participants=roles["participants"],
            groups=roles["groups"],
            truncated=any(s.truncated for s in statements),
        )
        if not unit.statements:
            sentence = text[unit.rule.start:unit.rule.end].strip()
            task["statement_from"] = {"line": source_map.lines(unit.rule.start, unit.rule.end)["start_line"], "raw": sentence}
        named = roles["named"]
    return task, named


def _heading(body: str, statements: list[Statement], shift: int) -> str | None:
    """The task's text before its first 。 (or before its statement), label and markup aside."""
    lead_in = len(body) - len(body.lstrip(" \t\n\u3000*"))
    depth = 0
    stop = None
    for i, c in enumerate(body):
        if c in "（(":
            depth += 1
        elif c in "）)":
            depth = max(0, depth - 1)
        elif c == "。" and depth == 0:
            stop = i
            break
    if stop is None and statements:
        stop = statements[0].start - shift
    heading = body[lead_in:stop].strip(" \t\n\u3000*，；：、")
    return heading or None


def _roles(entries: list[tuple[str, str, bool]], data: TaskData) -> dict:
    """lead / participants (as printed) / groups, and the bodies to resolve with their role."""
    lead: list[str] = []
    participants: list[str] = []
    groups: list[str] = []
    named: list[tuple[str, str, bool]] = []
    i = 0
    while i < len(entries):
        role, printed, at_break = entries[i]
        name = _folded(printed)
        pair = f"{name}、{_folded(entries[i + 1][1])}" if i + 1 < len(entries) else None
        if pair in data.joined_groups:  # 各区、县级市: one collective printed as two entries
            name = pair
            i += 1
        i += 1
        if not name:
            continue
        if name.startswith(data.group_prefixes):
            if name not in groups:
                groups.append(name)
            continue
        target = lead if role == LEAD else participants
        if printed not in lead and printed not in participants:
            target.append(printed)
            named.append((role, printed, at_break))
    return {"lead": lead, "participants": participants, "groups": groups, "named": named}


# ---- division-of-labour tables ----------------------------------------------


def _table_rows(lines: list[Line], data: TaskData) -> list[dict]:
    """Rows of every table with a lead column (牵头单位 …): cells of merged rows carried down."""
    rows: list[dict] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        columns = _header_columns(line.text, data) if line.box is None and "\t" in line.text else None
        i += 1
        if columns is None:
            continue
        carried: dict[str, str] = {}
        while i < len(lines) and "\t" in lines[i].text and lines[i].box is None:
            cells = lines[i].text.split("\t")
            row = {}
            for role, col in columns.items():
                cell = cells[col].strip() if col < len(cells) else ""
                if role != "content":
                    # A merged cell prints once: the rows under it show it empty.
                    cell = cell or carried.get(role, "")
                    carried[role] = cell
                row[role] = cell
            rows.append({**row, "start": lines[i].start, "end": lines[i].end})
            i += 1
    return rows


def _header_columns(line: str, data: TaskData) -> dict[str, int] | None:
    cells = [re.sub(r"\s+", "", c) for c in line.split("\t")]
    columns = {}
    for role, names in data.columns.items():
        hit = next((k for k, c in enumerate(cells) if c in names), None)
        if hit is not None:
            columns[role] = hit
    return columns if "lead" in columns and ("task" in columns or "content" in columns) else None


def _row_task(row: dict, data: TaskData, source_map) -> tuple[dict, list]:
    heading_cell = row.get("task") or row.get("content", "").split("。")[0]
    entries = [(LEAD, n, False) for n in _names(row.get("lead", ""), data)]
    entries += [(PARTICIPANT, n, False) for n in _names(row.get("participants", ""), data)]
    roles = _roles(entries, data)
    task = {
        "path": [row["number"]] if row.get("number") else [],
        "heading": heading_cell.strip().rstrip("。；;") or None,
        "text": row.get("content") or row.get("task", ""),
        "source": source_map.lines(row["start"], row["end"]),
        "raw": None,
        "form": "table",
        "lead": roles["lead"],
        "participants": roles["participants"],
        "groups": roles["groups"],
        "truncated": False,
    }
    return task, roles["named"]


def _folded(printed: str) -> str:
    return re.sub(r"\s+", "", printed)


def _names(cell: str, data: TaskData) -> list[str]:
    return [n for n in _NAME_SPLIT_RE.split(cell) if n and n not in data.none_cells]


# ---- records -----------------------------------------------------------------


def _entry(role: str, r: Resolution) -> dict:
    return {"printed": r.printed, "role": role, "name": r.name, "status": r.status, "candidates": list(r.candidates) if r.status != "registry" else [], "confidence": r.confidence}


def _task_issues(index: int, task: dict, entries) -> list[dict]:
    issues = []
    where = f"task {index} ({'/'.join(task['path']) or 'unnumbered'})"
    for _, r in entries:
        if r.status == AMBIGUOUS:
            issues.append(_issue("ambiguous_agency", f"{where}: {r.printed!r} fits {' and '.join(r.candidates)} equally", {"printed": r.printed, "candidates": list(r.candidates), "task": index}, task["source"]))
        elif r.status == UNKNOWN:
            issues.append(_issue("unknown_agency", f"{where}: {r.printed!r} matches no known agency", {"printed": r.printed, "task": index}, task["source"]))
    if task.get("truncated"):
        issues.append(_issue("truncated_agency_statement", f"the statement of {where} breaks off", {"raw": task["raw"], "task": index}, task["source"]))
    return issues


def _issue(kind: str, detail: str, data: dict, source: dict) -> dict:
    return {"kind": kind, "box": None, "detail": detail, "data": data, "source": source}
