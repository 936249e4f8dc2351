"""The scan path: from a scanned plan (PDF or image) to recognised lines in reading order.

Public API (plain functions over dataclasses; nothing here imports an OCR engine until
one is used, so ``import ocr`` is cheap):

Render (ocr.render)
    open_scan(path) -> ScanSource(path, kind, page_count)       checks the file first
    render_pages(path, dpi=200, max_pixels=MAX_PIXELS) -> iterator of PageImage(number, pixels, dpi)

Preprocess (ocr.preprocess)
    preprocess(pixels, Preprocessing(...)) -> PreparedPage(gray, skew_deg, rotated, options)
    estimate_skew(gray) -> degrees; deskew(gray) -> (gray, degrees); to_gray, denoise,
    flatten_background, binarize; VARIANTS; compare_variants(pixels, engine) -> [VariantScore]

Layout (ocr.layout)
    analyze_page(gray, dpi, number) -> Page(number, width, height, regions, dropped, glyph_height)
    Region(kind "text"|"frame"|"table", bbox, cells, rows, cols); Cell(row, col, bbox, row_span, col_span)

Engines (ocr.engines)
    get_engine("rapidocr" | "tesseract") -> OcrEngine       raises EngineUnavailable with an install hint
    OcrEngine.name / available() / recognize_lines(image) -> [TextLine] / recognize_cell(image) -> TextLine
    TextLine(text, bbox, confidence, page)

Reading (ocr.read_page)
    read_page(pixels, engine, number=1, dpi=None, options=None) -> PageReading(layout, lines, skew_deg, ...)
        (options=None: the preprocessing measured best for that engine, preprocess.ENGINE_DEFAULTS)
    read_scan(path, engine, dpi=200) -> iterator of PageReading
    ReadLine(text, bbox, confidence, page, region, kind, row, cells)
    reflow(readings) -> ReflowedText(text, per-char confidence, per-char (page, bbox))   (ocr.reflow;
        paragraphs rebuilt from visual lines; fits repair.fusion.ScanReading)
    source_bbox(bbox, skew_deg, width, height); write_debug_image(pixels, reading, path)

Text layer (ocr.triage; the radical table is grammar.ideographs)
    triage_pdf(path, set_apart=None, texts=None) -> [PageTriage(page, decision, reasons, evidence)]
        (decision "good"|"incomplete"|"garbled"|"none"|"blank"; set_apart: boxes whose ink is judged on its own)
    triage_text(text, page, ink_chars=None); page_texts(path); estimate_ink_chars(gray)
    normalize_ideographs(text) -> (text, [CharChange(offset, before, after)])

A sound PDF's regions (ocr.pdf_regions; boxes in PDF points from the top-left)
    read_pdf_layout(path) -> [PdfPageLayout(number, width, height, text, lines, images)]
    EmbeddedImage(page, index, bbox, width_px, height_px, layer_chars); image_pixels(pdf, image, page_height)
    judge_image(image, gray) -> ImageJudgement(image, decision "read"|"small"|"no_text"|"covered", reason, ...)
    place_readings(pages, [RegionReading]) -> PlacedText(text, where, confidence, spans)
    to_page_pixels(bbox, image, size, dpi)

Errors (ocr.errors), all PlanRecoverError with exit codes 20-28:
    ScanError 20, CorruptPdf 21, EncryptedPdf 22, EmptyPdf 23, ImageTooLarge 24,
    CorruptImage 25, UnsupportedScan 26, EngineUnavailable 27, EngineFailed 28.

Bounding boxes are (x0, top, x1, bottom) in pixels. ``ocr.standin``, ``ocr.typeset`` and
``ocr.degrade`` (the stand-in scan generator) are separate and not part of this API.
"""

from grammar.ideographs import CharChange, normalize_ideographs
from ocr.engines import OcrEngine, RapidOcrEngine, TesseractEngine, TextLine, get_engine
from ocr.errors import (
    CorruptImage,
    CorruptPdf,
    EmptyPdf,
    EncryptedPdf,
    EngineFailed,
    EngineUnavailable,
    ImageTooLarge,
    ScanError,
    UnsupportedScan,
)
from ocr.layout import Cell, Page, Region, analyze_page
from ocr.preprocess import Preprocessing, PreparedPage, compare_variants, deskew, estimate_skew, preprocess
from ocr.read_page import PageReading, ReadLine, read_page, read_scan, source_bbox, write_debug_image
from ocr.reflow import ReflowedText, reflow
from ocr.render import PageImage, ScanSource, open_scan, render_pages
from ocr.triage import PageTriage, TextLayerEvidence, triage_pdf, triage_text

__all__ = [
    "Cell", "CharChange", "CorruptImage", "CorruptPdf", "EmptyPdf", "EncryptedPdf", "EngineFailed",
    "EngineUnavailable", "ImageTooLarge", "OcrEngine", "Page", "PageImage", "PageReading", "PageTriage",
    "PreparedPage", "Preprocessing", "RapidOcrEngine", "ReadLine", "Region", "ScanError", "ScanSource",
    "TesseractEngine", "TextLayerEvidence", "TextLine", "UnsupportedScan", "analyze_page", "compare_variants",
    "deskew", "estimate_skew", "get_engine", "normalize_ideographs", "open_scan", "preprocess", "read_page",
    "read_scan", "reflow", "ReflowedText", "render_pages", "source_bbox", "triage_pdf", "triage_text", "write_debug_image",
]
