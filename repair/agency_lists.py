"""drop_repeated_agencies: an agency named twice in one list (银保监会、银保监会)."""

from __future__ import annotations

import re

from grammar.statements import find_statements

from .changes import Edit
from .context import RepairContext
from .layout import paragraphs


def drop_repeated_agencies(text: str, ctx: RepairContext) -> list[Edit]:
    from grammar.registry import load_registry  # what counts as an agency name

    is_agency = load_registry().looks_like_agency
    edits = []
    for para in paragraphs(ctx.lines(text)):
        base = para[0].start
        body = text[base:para[-1].end]
        for statement in find_statements(body, is_agency):
            for clause in statement.clauses:
                seen: dict[str, int] = {}
                for i, entry in enumerate(clause.entries):
                    key = re.sub(r"\s+", "", entry.text)
                    if key in seen and i > 0:
                        previous = clause.entries[i - 1]
                        edits.append(
                            Edit(
                                base + previous.end,
                                base + entry.end,
                                "",
                                reason=f"{entry.printed} is already named in this list (entry {seen[key] + 1})",
                                confidence=0.97,
                                evidence={"list": [e.printed for e in clause.entries], "repeated": entry.printed},
                            )
                        )
                    else:
                        seen.setdefault(key, i)
    return edits
