"""Reflow OCR lines into the layout of a text extract: paragraphs, box headers, table rows.

OCR returns visual lines, wrapped at the frame's edge. A text extract (and everything
downstream) has one paragraph per line and blank lines between blocks. Chinese puts no
space between words, so wrapped lines of one paragraph are joined with nothing.

Where does a paragraph start? Plans indent a paragraph's first line by two characters;
a box header (专栏…) stands alone; a table row is its own line. A line that ends well
short of the right edge and is followed by an unindented line is kept as a line break:
something other than wrapping ended it, and we do not guess what.

A frame cut by a page break continues on the next page (no header there): its text
flows on as if the page had not ended.

OCR's half-width marks inside Chinese text (``(一)`` for the printed ``（一）``) are
written full-width once the lines are joined, where both sides are Chinese
(``ocr.punctuation``); ``ReflowedText.widths`` records each with its context.
"""

from __future__ import annotations

from dataclasses import dataclass

from ocr.punctuation import full_width_punctuation, revert_widths
from ocr.read_page import PageReading, ReadLine

INDENT_GLYPHS = 1.2  # a first line starts at least this many glyph widths in
SHORT_LINE_GLYPHS = 2.5  # a line ending this far from the right edge ended early

Where = tuple[int, tuple[int, int, int, int]]


@dataclass(frozen=True)
class ReflowedText:
    text: str
    confidence: tuple[float, ...]
    where: tuple[Where | None, ...]
    # OCR's half-width marks inside Chinese text written as printed (ocr.punctuation):
    # one record per character, at its offset in ``text``.
    widths: tuple = ()
    # Characters the recognizer was unsure of, with its other readings (engines'
    # TextLine.alternatives): ((offset in text, (read, p), ((other, p), ...)), ...).
    alternatives: tuple = ()

    @property
    def read_text(self) -> str:  # as ScanReading.read_text names it
        """The text as OCR read it, before its marks were written full-width."""
        return revert_widths(self.text, self.widths)


class _Builder:
    def __init__(self):
        self.chars: list[str] = []
        self.confidence: list[float] = []
        self.where: list[Where | None] = []
        self.alternatives: list[tuple] = []

    def put(self, text: str, confidence: float = 1.0, where: Where | None = None, alternatives: tuple = ()) -> None:
        self.alternatives += [(len(self.chars) + i, first, others) for i, first, others in alternatives]
        self.chars.extend(text)
        self.confidence.extend([confidence] * len(text))
        self.where.extend([where] * len(text))

    def new_block(self) -> None:
        """End the current line with one blank line after it (never two)."""
        if not self.chars:
            return
        while self.chars and self.chars[-1] == "\n":
            self.chars.pop()
            self.confidence.pop()
            self.where.pop()
        self.put("\n\n")

    def result(self) -> ReflowedText:
        self.new_block()
        while self.chars[-2:] == ["\n", "\n"]:
            self.chars.pop()
            self.confidence.pop()
            self.where.pop()
        text, widths = full_width_punctuation("".join(self.chars))
        return ReflowedText(text, tuple(self.confidence), tuple(self.where), tuple(widths),
                            tuple(a for a in self.alternatives if a[0] < len(text)))


def reflow(readings: list[PageReading]) -> ReflowedText:
    out = _Builder()
    last: _LastLine | None = None  # the last line of the paragraph still open
    previous_kind = None
    for reading in readings:
        for index, region in enumerate(reading.layout.regions):
            lines = [line for line in reading.lines if line.region == index]
            if not lines:
                continue
            if region.kind == "table":
                out.new_block()
                for row in lines:
                    _put_row(out, row)
                    out.put("\n")
                last, previous_kind = None, "table"
                continue
            glyph = _glyph(reading, lines)
            left, right = min(l.bbox[0] for l in lines), max(l.bbox[2] for l in lines)
            continues_frame = region.kind == previous_kind == "frame" and not _is_header(lines[0])
            if not continues_frame:
                out.new_block()
                last = None
            for line in lines:
                text = line.text.strip()
                if _is_header(line):
                    out.new_block()
                    out.put(text, line.confidence, (line.page, line.bbox))
                    out.new_block()
                    last = None
                    continue
                if last is not None:
                    if line.bbox[0] - left >= INDENT_GLYPHS * glyph:
                        out.new_block()  # an indented first line: a new paragraph
                    elif last.right_edge - last.x1 >= SHORT_LINE_GLYPHS * last.glyph:
                        out.put("\n")  # ended early without a new paragraph: keep the break
                out.put(text, line.confidence, (line.page, line.bbox))
                last = _LastLine(line.bbox[2], right, glyph)
            previous_kind = region.kind
    return out.result()


@dataclass(frozen=True)
class _LastLine:
    x1: int
    right_edge: int
    glyph: float


def _is_header(line: ReadLine) -> bool:
    return line.text.lstrip().startswith("专栏")


def _put_row(out: _Builder, row: ReadLine) -> None:
    if not row.cells:
        out.put(row.text, row.confidence, (row.page, row.bbox))
        return
    for col, cell in enumerate(row.cells):
        if col:
            out.put("\t")
        out.put(cell.text, cell.confidence, (row.page, cell.bbox), cell.alternatives)


def _glyph(reading: PageReading, lines: list[ReadLine]) -> float:
    if reading.layout.glyph_height:
        return reading.layout.glyph_height
    heights = sorted(line.bbox[3] - line.bbox[1] for line in lines)
    return float(heights[len(heights) // 2]) or 1.0
