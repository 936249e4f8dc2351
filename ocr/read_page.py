"""Read a page image: preprocess, find its layout, OCR each part, put it in reading order.

- Text outside frames and tables: each text block is OCR'd from its own crop, with
  frames, tables and dropped headers/footers painted white.
- Frames (专栏): OCR of the frame's interior; they come out as their lines.
- Tables: cell by cell (whole-page OCR returns cells out of order or not at all); each
  table row comes out as one line, cell texts joined by tabs the way the text extract
  shows them, an empty string for a column covered by a spanning cell
  (``指标\\t\\t2020年\\t...``).

Coordinates are pixels of the *deskewed* page (``PageReading.skew_deg`` says by how
much the scan was tilted; ``source_bbox`` maps a box back onto the scan).
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

import numpy as np

from ocr.engines import OcrEngine, TextLine
from ocr.errors import EngineFailed, ScanError
from ocr.layout import BBox, Page, Region, analyze_page, box_interior, cell_interior, crop
from ocr.preprocess import Preprocessing, default_for, preprocess, rotate

MASK_MARGIN = 4  # white painted this far around a frame/table so its rules do not read as text


@dataclass(frozen=True)
class ReadLine:
    """One line of the page's reading: a text line, a frame line or a table row."""

    text: str
    bbox: BBox
    confidence: float
    page: int
    region: int  # index into PageReading.layout.regions
    kind: str  # "text" | "frame" | "table"
    row: int | None = None  # tables: the row number
    cells: tuple[TextLine, ...] = ()  # tables: one reading per grid column ("" where spanned)


@dataclass(frozen=True)
class PageReading:
    layout: Page
    lines: tuple[ReadLine, ...]  # reading order
    skew_deg: float
    rotated: bool  # whether the page was deskewed before reading
    engine: str
    seconds: float
    # Seconds per stage: preprocess, layout, engine (inside the OCR engine's calls) and
    # assemble (crops, masks, table rows: the rest of reading the regions).
    stages: dict = field(default_factory=dict)

    @property
    def number(self) -> int:
        return self.layout.number

    def text(self) -> str:
        """The page as an extract would show it: paragraphs, table rows, blank lines between."""
        from ocr.reflow import reflow  # reflow builds on this module

        return reflow([self]).text


def read_page(image: np.ndarray, engine: OcrEngine, number: int = 1, dpi: float | None = None,
              options: Preprocessing | None = None) -> PageReading:
    """Read one page image (gray or RGB pixels) with ``engine``.

    ``dpi`` scales the layout's notion of a rule; unknown, it is guessed from an A4 width.
    ``options`` default to the preprocessing measured best for the engine."""
    start = time.perf_counter()
    prepared = preprocess(image, options or default_for(engine.name))
    gray = prepared.gray
    dpi = dpi or guess_dpi(gray.shape)
    preprocessed = time.perf_counter()
    layout = analyze_page(gray, dpi, number)
    laid_out = time.perf_counter()
    timed = _TimedEngine(engine)
    try:
        lines = read_regions(gray, layout, timed)
    except ScanError:
        raise
    except Exception as err:  # an engine crash names the page, not a traceback
        raise EngineFailed(f"OCR engine {engine.name} failed on page {number}: {err}") from err
    end = time.perf_counter()
    stages = {"preprocess": preprocessed - start, "layout": laid_out - preprocessed, "engine": timed.seconds,
              "assemble": max(0.0, end - laid_out - timed.seconds)}
    return PageReading(layout, tuple(lines), prepared.skew_deg, prepared.rotated, engine.name,
                       round(end - start, 3), {k: round(v, 4) for k, v in stages.items()})


class _TimedEngine:
    """The engine, with the time spent inside its recognise calls added up."""

    def __init__(self, engine: OcrEngine):
        self._engine, self.name, self.seconds = engine, engine.name, 0.0

    def recognize_lines(self, image):
        start = time.perf_counter()
        try:
            return self._engine.recognize_lines(image)
        finally:
            self.seconds += time.perf_counter() - start

    def recognize_cell(self, image):
        start = time.perf_counter()
        try:
            return self._engine.recognize_cell(image)
        finally:
            self.seconds += time.perf_counter() - start


def read_scan(path: str | Path, engine: OcrEngine, dpi: float = 200,
              options: Preprocessing | None = None) -> Iterator[PageReading]:
    """Read every page of a scan file (PDF or image), one page at a time."""
    from ocr.render import render_pages

    for page in render_pages(path, dpi=dpi):
        yield read_page(page.pixels, engine, page.number, page.dpi, options)


def guess_dpi(shape) -> float:
    return round(min(shape[:2]) / 8.27, 1)  # an A4 page's short side is 8.27 inches


def read_regions(gray: np.ndarray, layout: Page, engine: OcrEngine) -> list[ReadLine]:
    thickness = layout.rule_thickness
    text_lines = read_text_outside_boxes(gray, layout, engine)
    out: list[ReadLine] = []
    for index, region in enumerate(layout.regions):
        if region.kind == "text":
            mine = [line for owner, line in text_lines if owner == index]
            out.extend(ReadLine(l.text, l.bbox, l.confidence, layout.number, index, "text") for l in mine)
        elif region.kind == "frame":
            out.extend(read_frame(gray, region, index, layout.number, engine, thickness))
        elif region.kind == "table":
            out.extend(read_table(gray, region, index, layout.number, engine, thickness))
    return out


def read_text_outside_boxes(gray: np.ndarray, layout: Page, engine: OcrEngine) -> list[tuple[int, TextLine]]:
    """(text region index, line) for the page's text outside frames and tables.

    Each text block is read from its own crop (a half-glyph margin around it), with
    frames, tables and dropped furniture painted white first. Block by block because
    RapidOCR's detector found nothing on a page holding a single short line (a page
    of full paragraphs was fine): a compact crop was read every time."""
    text_regions = [(i, r) for i, r in enumerate(layout.regions) if r.kind == "text"]
    if not text_regions:
        return []
    masked = gray.copy()
    for region in list(layout.regions) + list(layout.dropped):
        if region.kind != "text":
            x0, top, x1, bottom = region.bbox
            masked[max(0, top - MASK_MARGIN):bottom + MASK_MARGIN, max(0, x0 - MASK_MARGIN):x1 + MASK_MARGIN] = 255
    margin = max(8, int(layout.glyph_height / 2))
    owned = []
    for index, region in text_regions:
        x0, top, x1, bottom = region.bbox
        x0, top = max(0, x0 - margin), max(0, top - margin)
        x1, bottom = min(layout.width, x1 + margin), min(layout.height, bottom + margin)
        for line in engine.recognize_lines(crop(masked, (x0, top, x1, bottom))):
            owned.append((index, TextLine(line.text, offset(line.bbox, x0, top), line.confidence, layout.number)))
    return owned


def read_frame(gray, region: Region, index: int, number: int, engine: OcrEngine, thickness: int) -> list[ReadLine]:
    x0, top, x1, bottom = box_interior(region, thickness)
    lines = engine.recognize_lines(crop(gray, (x0, top, x1, bottom)))
    return [ReadLine(l.text, offset(l.bbox, x0, top), l.confidence, number, index, "frame") for l in lines]


def read_table(gray, region: Region, index: int, number: int, engine: OcrEngine, thickness: int) -> list[ReadLine]:
    """A table's rows as lines of tab-separated cell texts, read cell by cell."""
    readings: dict[tuple[int, int], TextLine] = {}
    for cell in region.cells:
        inside = cell_interior(cell, thickness)
        piece = crop(gray, inside)
        read = engine.recognize_cell(piece) if piece.size else TextLine("", cell.bbox, 0.0)
        text = dash_cell(read.text)
        readings[(cell.row, cell.col)] = TextLine(text, offset(read.bbox, inside[0], inside[1]) if read.text else cell.bbox,
                                                  read.confidence, number, read.alternatives if text == read.text else ())
    rows = []
    for r in range(region.rows):
        row_cells = []
        for c in range(region.cols):
            reading = readings.get((r, c))
            row_cells.append(reading if reading is not None else TextLine("", (0, 0, 0, 0), 0.0, number))
        if not any(cell.text for cell in row_cells):
            continue
        text = "\t".join(cell.text for cell in row_cells)
        chars = sum(len(cell.text) for cell in row_cells)
        confidence = sum(cell.confidence * len(cell.text) for cell in row_cells) / max(1, chars)
        starting = [cell.bbox for cell in region.cells if cell.row == r]  # not empty: the row has text
        top, bottom = min(b[1] for b in starting), min(b[3] for b in starting)  # the row's own rules
        rows.append(ReadLine(text, (region.bbox[0], top, region.bbox[2], bottom), round(confidence, 4),
                             number, index, "table", r, tuple(row_cells)))
    return rows


def dash_cell(text: str) -> str:
    """A cell that reads as nothing but 一 prints a dash (— or ——: no value). The engines
    cannot tell the two glyphs apart, and a table never gives a value as the numeral 一
    alone (values are in Arabic digits)."""
    stripped = text.strip()
    return "—" * len(stripped) if stripped in ("一", "一一") else text


def offset(bbox: BBox, dx: int, dy: int) -> BBox:
    return (bbox[0] + dx, bbox[1] + dy, bbox[2] + dx, bbox[3] + dy)


# ---------------------------------------------------------------- whole-document text

def source_bbox(bbox: BBox, skew_deg: float, width: int, height: int) -> BBox:
    """Where a box of the deskewed page lies on the original scan (its envelope)."""
    if not skew_deg:
        return bbox
    angle = math.radians(skew_deg)  # the scan is the deskewed page turned back by +skew
    cx, cy = width / 2, height / 2
    xs, ys = [], []
    for x, y in ((bbox[0], bbox[1]), (bbox[2], bbox[1]), (bbox[0], bbox[3]), (bbox[2], bbox[3])):
        dx, dy = x - cx, y - cy
        xs.append(cx + dx * math.cos(angle) + dy * math.sin(angle))
        ys.append(cy - dx * math.sin(angle) + dy * math.cos(angle))
    return (int(math.floor(min(xs))), int(math.floor(min(ys))), int(math.ceil(max(xs))), int(math.ceil(max(ys))))


# ---------------------------------------------------------------- debug image

COLOURS = {"text": (150, 150, 150), "frame": (200, 60, 0), "table": (0, 140, 0),
           "header": (0, 0, 220), "footer": (0, 0, 220), "line": (0, 140, 255), "cell": (60, 180, 60)}  # BGR


def write_debug_image(image: np.ndarray, reading: PageReading, path: str | Path) -> Path:
    """Draw the reading's regions, cells, dropped furniture and lines over the page.

    ``image`` is the page as given to read_page; it is deskewed the same way first."""
    import cv2

    from ocr.preprocess import to_gray

    gray = to_gray(image)
    if reading.rotated:
        gray = rotate(gray, -reading.skew_deg)
    canvas = cv2.cvtColor(gray, cv2.COLOR_GRAY2BGR)
    for index, region in enumerate(reading.layout.regions):
        x0, top, x1, bottom = region.bbox
        cv2.rectangle(canvas, (x0, top), (x1, bottom), COLOURS[region.kind], 3)
        cv2.putText(canvas, f"{index} {region.kind}", (x0, max(12, top - 6)), cv2.FONT_HERSHEY_SIMPLEX, 0.6, COLOURS[region.kind], 2)
        for cell in region.cells:
            cx0, ctop, cx1, cbottom = cell.bbox
            cv2.rectangle(canvas, (cx0 + 4, ctop + 4), (cx1 - 4, cbottom - 4), COLOURS["cell"], 1)
    for region in reading.layout.dropped:
        x0, top, x1, bottom = region.bbox
        cv2.rectangle(canvas, (x0 + 2, top), (x1 - 2, bottom), COLOURS[region.kind], 2)
        cv2.putText(canvas, f"dropped {region.kind}", (x0 + 8, bottom - 6), cv2.FONT_HERSHEY_SIMPLEX, 0.6, COLOURS[region.kind], 2)
    for line in reading.lines:
        if line.kind == "table":
            continue  # the cells show where table text came from
        x0, top, x1, bottom = line.bbox
        cv2.rectangle(canvas, (x0, top), (x1, bottom), COLOURS["line"], 1)
        cv2.putText(canvas, f"{line.confidence:.2f}", (x1 + 4, bottom), cv2.FONT_HERSHEY_SIMPLEX, 0.4, COLOURS["line"], 1)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if not cv2.imwrite(str(path), canvas):
        raise OSError(f"cannot write debug image {path}")
    return path
