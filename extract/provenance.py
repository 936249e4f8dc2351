"""Map spans of the repaired text back to lines of the source file."""

from __future__ import annotations

from repair.changes import LineIndex
from repair.rules import RepairResult


class SourceMap:
    def __init__(self, result: RepairResult):
        self._origin = result.origin
        self._lines = LineIndex(result.source)

    def lines(self, start: int, end: int) -> dict[str, int]:
        """1-based inclusive source lines holding repaired-text ``[start, end)``."""
        known = [o for o in self._origin[start:end] if o >= 0]
        if not known:
            known = [next((o for o in self._origin[start:] if o >= 0), 0)]
        return {"start_line": self._lines.line_of(min(known)), "end_line": self._lines.line_of(max(known))}
