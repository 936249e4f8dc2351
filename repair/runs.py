"""Deleting runs of whole lines, with the blank lines that follow them."""

from __future__ import annotations

from typing import Callable, Iterator

from .layout import BLANK, Line


def line_runs(lines: list[Line], wanted: Callable[[Line], bool]) -> Iterator[list[Line]]:
    """Maximal runs of wanted lines; blank lines between two wanted lines join the run."""
    run: list[Line] = []
    pending_blanks: list[Line] = []
    for line in lines:
        if wanted(line):
            run.extend(pending_blanks if run else [])
            run.append(line)
            pending_blanks = []
        elif line.kind == BLANK and run:
            pending_blanks.append(line)
        else:
            if run:
                yield run
            run, pending_blanks = [], []
    if run:
        yield run


def run_span(run: list[Line], lines: list[Line], text_length: int) -> tuple[int, int]:
    """From the first line's start up to the next non-blank line (its blank lines go too)."""
    start = run[0].start
    after = run[-1].index + 1
    while after < len(lines) and lines[after].kind == BLANK:
        after += 1
    end = lines[after].start if after < len(lines) else text_length
    return start, min(end, text_length)
