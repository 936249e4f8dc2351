"""Layout white space: blank-looking lines, indents, trailing blanks, runs of empty lines."""

from __future__ import annotations

import re

from .changes import Edit
from .context import RepairContext
from .layout import BLANK, BOX_HEADER, HEADING, TEXT

_SPACE = " \t\u3000\u00a0"


def blank_whitespace_only_lines(text: str, ctx: RepairContext) -> list[Edit]:
    """A line holding only spaces is an empty line."""
    return [
        Edit(line.start, line.end, "", reason="line holds only white space", confidence=1.0)
        for line in ctx.lines(text)
        if line.kind == BLANK and line.end > line.start
    ]


def strip_line_indent(text: str, ctx: RepairContext) -> list[Edit]:
    """Indentation left by the PDF layout at the start of text lines (not table rows)."""
    edits = []
    lines = ctx.lines(text)
    for i, line in enumerate(lines):
        if line.kind in (TEXT, BOX_HEADER, HEADING):
            indent = len(line.text) - len(line.text.lstrip(_SPACE))
            if "\t" in line.text[:indent] and "\t" in line.text[indent:]:
                continue  # a table row whose first cells are empty (under a merged cell): its tabs are columns
            if indent and not line.text[:indent].strip("\t") and i and "\t" in lines[i - 1].text:
                continue  # a row under a row whose cells are all merged but the last
            if indent:
                edits.append(Edit(line.start, line.start + indent, "", reason="layout indent at line start", confidence=1.0))
    return edits


def strip_trailing_whitespace(text: str, ctx: RepairContext) -> list[Edit]:
    edits = []
    for line in ctx.lines(text):
        trailing = len(line.text) - len(line.text.rstrip(_SPACE))
        if trailing and line.kind != BLANK:
            edits.append(Edit(line.end - trailing, line.end, "", reason="white space at line end (an empty trailing cell)", confidence=1.0))
    return edits


def normalize_blank_lines(text: str, ctx: RepairContext) -> list[Edit]:
    """No empty lines at the start, one between blocks, one newline at the end."""
    edits = []
    leading = re.match(r"\n+", text)
    if leading:
        edits.append(Edit(0, leading.end(), "", reason="empty lines before the first block", confidence=1.0))
    for match in re.finditer(r"\n{3,}", text):
        if match.start() == 0 or match.end() == len(text):
            continue
        edits.append(Edit(match.start() + 2, match.end(), "", reason="more than one empty line between blocks", confidence=1.0))
    trailing = re.search(r"\n{2,}\Z", text)
    if trailing and trailing.start() > 0:
        edits.append(Edit(trailing.start() + 1, trailing.end(), "", reason="empty lines after the last block", confidence=1.0))
    return edits
