"""Map spans of the repaired text back to lines of the source file."""

from __future__ import annotations

from repair.changes import LineIndex, scan_index
from repair.rules import RepairResult


class SourceMap:
    """``source_where``: where each source character shows on a scan (None where it does
    not); ``scan_where``: where each character of a scan reading fused in was read."""

    def __init__(self, result: RepairResult, source_where=None, scan_where=None):
        self._origin = result.origin
        self._lines = LineIndex(result.source)
        self._source_where = source_where
        self._scan_where = scan_where

    @property
    def has_scan(self) -> bool:
        return self._source_where is not None or self._scan_where is not None

    def scan_regions(self, start: int, end: int) -> list[dict]:
        """The scan regions (page, line or cell box) repaired-text ``[start, end)`` was read from."""
        regions: list[dict] = []
        for o in self._origin[start:end]:
            where = None
            if o >= 0 and self._source_where is not None:
                where = self._source_where[o]
            elif scan_index(o) is not None and self._scan_where is not None:
                where = self._scan_where[scan_index(o)]
            if where is not None:
                region = {"page": where[0], "bbox": [int(v) for v in where[1]]}
                if region not in regions:
                    regions.append(region)
        return regions

    def lines(self, start: int, end: int) -> dict[str, int]:
        """1-based inclusive source lines holding repaired-text ``[start, end)``."""
        known = [o for o in self._origin[start:end] if o >= 0]
        if not known:
            known = [next((o for o in self._origin[start:] if o >= 0), 0)]
        return {"start_line": self._lines.line_of(min(known)), "end_line": self._lines.line_of(max(known))}
