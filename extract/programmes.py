"""Programme boxes (专栏): number, title, items, and who leads or takes part.

Each paragraph of a box is an item, unless it holds nothing but an agency statement:
such a statement closes the whole box (its ``item`` is null). An item's heading is its
lead sentence (健全商业秘密保护政策。) when it has one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from grammar.chars import CLOSE_BRACKETS, OPEN_BRACKETS, SENTENCE_END
from grammar.headers import ITEM_NUMBER_RE, MAX_TITLE, box_header_match
from grammar.statements import LEAD, Statement, find_statements
from grammar.tables import header_role, is_table_cells, table_cells
from repair.boxes import infer_box_numbers, printed_value
from repair.layout import Line, boxes, paragraphs

from .agencies import AMBIGUOUS, UNKNOWN, AgencyResolver, Resolution

MAX_HEADING = 40


@dataclass(frozen=True)
class ResolvedStatement:
    statement: Statement
    box_position: int
    item: int | None
    entries: tuple[tuple[str, Resolution], ...]  # (role, resolution)
    source: dict


def extract_programmes(text: str, lines: list[Line], source_lines: list[Line], source_map, resolver: AgencyResolver, year: int | None = None):
    """Programme records, every resolved statement (for the agency index) and issues."""
    programmes, statements, issues, unassigned = [], [], [], []
    source_boxes = boxes(source_lines)
    repaired_boxes = boxes(lines)
    # Repair has written every number it could fix; what the sequence still cannot
    # settle (a misprint or a lost box?) comes out of the same inference as uncertain.
    sequence = infer_box_numbers([box_header_match(b[0].text).group("num") for b in repaired_boxes])
    # Each repaired box's header traced to the source line it came from: a copy that
    # repair removed (a box printed twice) leaves more boxes in the source than in the text.
    source_box_at_line = {b[0].index + 1: b for b in source_boxes}
    for position, box_lines in enumerate(repaired_boxes, 1):
        header = box_lines[0]
        match = box_header_match(header.text)
        source_box = source_box_at_line.get((source_map.lines(header.start, header.end) or {}).get("start_line"))
        if source_box is None and position <= len(source_boxes):
            source_box = source_boxes[position - 1]
        source_header = source_box[0] if source_box else None
        printed = _printed_number(source_header)
        inferred = sequence[position - 1]
        number = inferred.number if inferred.status != "uncertain" else None
        status = _number_status(printed, number, match.group("num"))
        box_source = _box_source(source_box) if source_header else source_map.lines(header.start, header.end)
        items, box_statements = [], []
        title, body_lines = _title(match, box_lines[1:])
        for piece in _pieces(body_lines):
            start, end = piece.start, piece.end
            body = text[start:end]
            found = find_statements(body, resolver.registry.looks_like_agency)
            only_statements = found and not _outside(body, found).strip("。；，、 \n")
            item_index = None
            if not only_statements:
                item = {"index": len(items) + 1, "heading": _heading(body[piece.opening:], piece.opening > 0), "text": body, "source": source_map.lines(start, end)}
                if piece.label:
                    item["label"] = piece.label
                if piece.path:
                    item["path"] = list(piece.path)
                if source_map.has_scan:
                    item["scan"] = source_map.scan_regions(start, end)
                items.append(item)
                item_index = len(items)
            for statement in found:
                entries = tuple((clause.role, resolver.resolve(entry.printed, year, entry.at_break)) for clause in statement.clauses for entry in clause.entries)
                s_source = source_map.lines(start + statement.start, start + statement.end)
                box_statements.append(ResolvedStatement(statement, position, item_index, entries, s_source))
                issues += _entry_issues(entries, number, start, statement, source_map)
        if not box_statements and items:  # a box of no items (an indicator table printed as 专栏1) assigns nothing
            unassigned.append(_issue("missing_agency_statement", number, f"box {number} names no agency that leads or takes part", {}, box_source))
        for rs in box_statements:
            if rs.statement.truncated:
                issues.append(_issue("truncated_agency_statement", number, f"the agency statement of box {number} breaks off", {"raw": rs.statement.raw}, rs.source))
        if status == "uncertain":
            candidates = list(inferred.candidates)
            why = f"it could be {' or '.join(map(str, candidates))}" if candidates else "its number cannot be inferred"
            issues.append(_issue("box_number_uncertain", None, f"box {position} in reading order prints {printed!r}; {why}", {"position": position, "printed": printed, "candidates": candidates}, box_source))
        if inferred.missing_before:
            lost = list(inferred.missing_before)
            span = f"{lost[0]}–{lost[-1]}" if len(lost) > 1 else str(lost[0])
            issues.append(_issue("box_not_found", number, f"box {span} is not in the text: the numbering jumps to {number} here", {"numbers": lost}, box_source))
        programme = _programme(number, printed, status, title, items, box_statements, box_source)
        if inferred.candidates:
            programme["number_candidates"] = list(inferred.candidates)
        if source_map.has_scan:
            programme["scan"] = source_map.scan_regions(header.start, header.end)
        programmes.append(programme)
        statements += box_statements
    return programmes, statements, issues + _unassigned_issues(unassigned, statements)


def _unassigned_issues(unassigned: list[dict], statements: list) -> list[dict]:
    """A box without an agency statement lost it when other boxes have theirs; when no box
    has one, the plan assigns none (many do): one note, no loss claimed."""
    if statements or not unassigned:
        return unassigned
    boxes = [i["box"] for i in unassigned]
    return [_issue("no_agency_statements", None, f"no box names an agency that leads or takes part ({len(boxes)} boxes): many plans assign none, so no box is reported as having lost its statement", {"boxes": boxes}, None)]


@dataclass(frozen=True)
class Piece:
    """One item of a box: where it is in the text, its printed number (``opening``: the
    number opens the text, 1．…), its category path."""

    start: int
    end: int
    label: str | None = None
    opening: int = 0
    path: tuple[str, ...] = ()


def _title(match, lines: list[Line]) -> tuple[str, list[Line]]:
    """The box's title: on its header line, or on the next line when the header prints
    only the number (专栏1 / 重点工程); the lines left are the box's body."""
    if match.group("title") is not None:
        return match.group("title"), lines
    for k, line in enumerate(lines):
        text = line.text.strip()
        if not text:
            continue
        if len(text) <= MAX_TITLE and not any(c in "。；！？" for c in text) and not ITEM_NUMBER_RE.match(text) and "\t" not in text:
            return text, lines[:k] + lines[k + 1:]
        break
    return "", lines


def _pieces(lines: list[Line]) -> list[Piece]:
    """The box's items: each paragraph, split where a line opens with an item number
    (1． / （1）); a table (类别	细分	重点任务) gives one item per row."""
    pieces = []
    for para in paragraphs(lines):
        if _is_box_table(para):
            pieces += _table_pieces(para)
            continue
        run = [para[0]]
        for line in para[1:]:
            if ITEM_NUMBER_RE.match(line.text):
                pieces.append(_piece(run))
                run = [line]
            else:
                run.append(line)
        pieces.append(_piece(run))
    return pieces


def _piece(run: list[Line]) -> Piece:
    number = ITEM_NUMBER_RE.match(run[0].text)
    if not number:
        return Piece(run[0].start, run[-1].end)
    return Piece(run[0].start, run[-1].end, number.group("label").strip(), number.end())


def _is_box_table(para: list[Line]) -> bool:
    """A header row of short words (类别	细分	重点任务) with rows under it."""
    cells = [c for c in table_cells(para[0].text) if c]
    return len(para) >= 2 and is_table_cells(para[0].text) and all(len(c) <= 8 for c in cells) and "\t" in para[1].text


def _table_pieces(para: list[Line]) -> list[Piece]:
    """One item per row: its text is the widest column's cell (the task) to the row's end,
    its path the cells before it, a merged cell (printed once, empty below) carried down;
    a 序号 column gives the item's number."""
    header = table_cells(para[0].text)
    content = _content_column(header, [table_cells(line.text) for line in para[1:] if "\t" in line.text])
    seq = next((i for i, h in enumerate(header) if header_role(h) == "seq"), None)
    pieces: list[Piece] = []
    carried = [""] * content
    for line in para[1:]:
        if "\t" not in line.text:
            if pieces:  # a row's text wrapped onto a line of its own
                last = pieces[-1]
                pieces[-1] = Piece(last.start, line.end, last.label, last.opening, last.path)
            continue
        raw_cells = line.text.split("\t")
        for i, cell in enumerate(raw_cells[:content]):
            if cell.strip():
                carried[i:] = [cell.strip()] + [""] * (content - i - 1)  # a new category resets the ones under it
        if content >= len(raw_cells) or not raw_cells[content].strip():
            continue
        at = sum(len(c) + 1 for c in raw_cells[:content]) + len(raw_cells[content]) - len(raw_cells[content].lstrip())
        path = tuple(cell for i, cell in enumerate(carried) if i != seq and cell)
        label = carried[seq] if seq is not None and seq < content and raw_cells[seq].strip() else None
        pieces.append(Piece(line.start + at, line.end, label, 0, path))
    return pieces


def _content_column(header: list[str], rows: list[list[str]]) -> int:
    """The column of the tasks: the widest on average (not a 序号 column)."""
    def width(i: int) -> float:
        cells = [r[i] for r in rows if i < len(r) and r[i]]
        return sum(map(len, cells)) / len(cells) if cells else 0

    candidates = [i for i, h in enumerate(header) if header_role(h) != "seq"]
    return max(candidates, key=width) if candidates else len(header) - 1


def _programme(number, printed, status, title, items, statements: list[ResolvedStatement], source) -> dict:
    lead, participants, unresolved, assignments = [], [], [], []
    for rs in statements:
        s_lead = _names(rs, LEAD)
        s_participants = [n for n in _names(rs, "participant") if n not in s_lead]
        lead += [n for n in s_lead if n not in lead]
        participants += [n for n in s_participants if n not in participants]
        for _, resolution in rs.entries:
            if resolution.status in (AMBIGUOUS, UNKNOWN):
                record = {"printed": resolution.printed, "status": resolution.status, "candidates": list(resolution.candidates)}
                if record not in unresolved:
                    unresolved.append(record)
        assignments.append(
            {
                "item": rs.item,
                "raw": rs.statement.raw,
                "form": rs.statement.form,
                "lead": s_lead,
                "participants": s_participants,
                "truncated": rs.statement.truncated,
                "entries": [_entry(role, r) for role, r in rs.entries],
                "source": rs.source,
            }
        )
    return {
        "number": number,
        "printed_number": printed,
        "number_status": status,
        "title": title,
        "items": items,
        "lead": lead,
        "participants": [n for n in participants if n not in lead],
        "assignments": assignments,
        "unresolved_agencies": unresolved,
        "source": source,
    }


def _names(rs: ResolvedStatement, role: str) -> list[str]:
    names: list[str] = []
    for entry_role, resolution in rs.entries:
        if entry_role == role and resolution.name and resolution.name not in names:
            names.append(resolution.name)
    return names


def _entry(role: str, r: Resolution) -> dict:
    return {"printed": r.printed, "role": role, "name": r.name, "status": r.status, "candidates": list(r.candidates) if r.status != "registry" else [], "confidence": r.confidence}


def _entry_issues(entries, number, para_start, statement: Statement, source_map) -> list[dict]:
    issues = []
    for (role, resolution), entry in zip(entries, statement.entries):
        span = source_map.lines(para_start + entry.start, para_start + entry.end)
        if resolution.status == AMBIGUOUS:
            issues.append(_issue("ambiguous_agency", number, f"{resolution.printed!r} fits {' and '.join(resolution.candidates)} equally", {"printed": resolution.printed, "candidates": list(resolution.candidates)}, span))
        elif resolution.status == UNKNOWN:
            issues.append(_issue("unknown_agency", number, f"{resolution.printed!r} matches no known agency", {"printed": resolution.printed}, span))
    return issues


def _outside(body: str, statements: list[Statement]) -> str:
    pieces, cursor = [], 0
    for s in sorted(statements, key=lambda s: s.start):
        pieces.append(body[cursor:s.start])
        cursor = s.end
    pieces.append(body[cursor:])
    return "".join(pieces)


def _heading(body: str, labelled: bool = False) -> str | None:
    """The lead sentence; a numbered item (1．危险化学品：…) also ends it at its colon."""
    depth = 0
    ends = SENTENCE_END + ("：" if labelled else "")
    for i, c in enumerate(body):
        if c in OPEN_BRACKETS:
            depth += 1
        elif c in CLOSE_BRACKETS:
            depth = max(0, depth - 1)
        elif c in ends and depth == 0:
            sentence = body[:i]
            if "，" in sentence or "," in sentence or "\n" in sentence or len(sentence) > MAX_HEADING or not sentence:
                return None
            return sentence
    return None


def _printed_number(source_header: Line | None) -> str | None:
    if source_header is None:
        return None
    match = box_header_match(source_header.text)
    return match.group("num") if match else None


def _number_status(printed: str | None, number: int | None, shown: str | None) -> str:
    if number is None:
        return "uncertain"
    if printed is None:
        return "inferred"
    return "as_printed" if printed_value(printed) == number and re.sub(r"\s", "", printed) == re.sub(r"\s", "", shown or "") else "corrected"


def _box_source(source_box: list[Line]) -> dict:
    last = max(line.index for line in source_box if line.text.strip())
    return {"start_line": source_box[0].index + 1, "end_line": last + 1}


def _issue(kind, box, detail, data, source) -> dict:
    return {"kind": kind, "box": box, "detail": detail, "data": data, "source": source}
