"""Build an honest stand-in scan of the plan, with ground truth for the OCR bench.

We have no scan of the real 《"十四五"国家知识产权保护和运用规划》.  This module
typesets our hand-verified reconstruction (golden/plan.repaired.txt and
golden/plan.json) onto A4 pages, degrades them like a scan, and writes:

- ip-protection-plan-2021-2025.standin-scan.pdf: page images only, no text;
- ip-protection-plan-2021-2025.standin-scan-textlayer.pdf: the same page
  images over an invisible text layer (render mode 3) holding the garbled
  extract, split over the pages in order, as in the PDF that gave us our seed;
- standin-scan.truth.json: every region drawn, with pixel bboxes and text.

It is a stand-in made from the reconstruction, not a scan of the real
document: lost body text is left out, and page numbers are the stand-in's own.

Run: python -m ocr.standin --out corpus/
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import sys
from contextlib import contextmanager
from pathlib import Path

from PIL import Image
from reportlab import rl_config
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from ocr.degrade import degrade, degrade_to_jpeg, page_rotation_deg, rotate_bbox
from ocr.typeset import FONTS, FontMissingError, PageImage, check_fonts, render_pages

__all__ = ["render_pages", "degrade", "PageImage", "build", "main"]

REPO = Path(__file__).resolve().parents[1]
GOLDEN_TEXT = REPO / "golden" / "plan.repaired.txt"
GOLDEN_PLAN = REPO / "golden" / "plan.json"
GARBLED_EXTRACT = REPO / "corpus" / "ip-protection-plan-2021-2025.garbled-extract.txt"

IMAGE_PDF = "ip-protection-plan-2021-2025.standin-scan.pdf"
TEXTLAYER_PDF = "ip-protection-plan-2021-2025.standin-scan-textlayer.pdf"
TRUTH_JSON = "standin-scan.truth.json"

DEFAULT_DPI = 200
DEFAULT_LEVEL = "scan"
DEFAULT_SEED = 20211009  # the plan's date of issue; any fixed number would do
TEXT_LAYER_FONT = "StandinUMing"
POINTS_PER_INCH = 72.0


def page_seed(seed: int, page_number: int) -> int:
    # A different tilt and noise on every page, all fixed by the one seed.
    return seed + page_number


def split_proportionally(lines: list[str], parts: int) -> list[tuple[int, int]]:
    """[start, end) line ranges, one per page, in order, sizes as even as possible."""
    bounds = [round(i * len(lines) / parts) for i in range(parts + 1)]
    return list(zip(bounds[:-1], bounds[1:]))


def page_size_points(jpeg: bytes, dpi: int) -> tuple[float, float]:
    width, height = Image.open(io.BytesIO(jpeg)).size
    return width / dpi * POINTS_PER_INCH, height / dpi * POINTS_PER_INCH


@contextmanager
def binary_streams():
    """Store streams as binary, not ASCII85 (reportlab's default, which adds 25% to the JPEGs)."""
    saved = rl_config.useA85
    rl_config.useA85 = 0
    try:
        yield
    finally:
        rl_config.useA85 = saved


def new_canvas(path: Path) -> Canvas:
    # invariant=1: no creation date and a fixed document ID, so re-runs are byte-identical.
    return Canvas(str(path), invariant=1, pageCompression=1)


def draw_page_image(canvas: Canvas, jpeg: bytes, dpi: int) -> None:
    width, height = page_size_points(jpeg, dpi)
    canvas.setPageSize((width, height))
    # An ImageReader over JPEG bytes is embedded as-is (DCTDecode), not re-encoded.
    canvas.drawImage(ImageReader(io.BytesIO(jpeg)), 0, 0, width=width, height=height)


def write_image_pdf(jpegs: list[bytes], dpi: int, path: Path) -> None:
    with binary_streams():
        canvas = new_canvas(path)
        for jpeg in jpegs:
            draw_page_image(canvas, jpeg, dpi)
            canvas.showPage()
        canvas.save()


def register_text_layer_font() -> str:
    if TEXT_LAYER_FONT not in pdfmetrics.getRegisteredFontNames():
        spec = FONTS["song"]
        pdfmetrics.registerFont(TTFont(TEXT_LAYER_FONT, spec.path, subfontIndex=spec.index))
    return TEXT_LAYER_FONT


def draw_invisible_lines(canvas: Canvas, lines: list[str], width: float, height: float) -> None:
    """Stack the lines down the text block, each shrunk to fit its width, unseen."""
    font = register_text_layer_font()
    left, top, usable_w = 28 / 25.4 * 72, 37 / 25.4 * 72, 156 / 25.4 * 72
    pitch = min(12.0, (height - 2 * top) / max(1, len(lines)))
    text = canvas.beginText()
    text.setTextRenderMode(3)  # neither fill nor stroke: selectable, searchable, invisible
    for i, line in enumerate(lines):
        line = line.replace("\t", " ").rstrip()
        if not line:
            continue
        natural = pdfmetrics.stringWidth(line, font, 1.0)
        size = min(pitch * 0.9, usable_w / natural) if natural else pitch * 0.9
        text.setFont(font, size)
        text.setTextOrigin(left, height - top - (i + 1) * pitch)
        text.textOut(line)
    canvas.drawText(text)


def write_textlayer_pdf(jpegs: list[bytes], dpi: int, page_lines: list[list[str]],
                        path: Path) -> None:
    with binary_streams():
        canvas = new_canvas(path)
        for jpeg, lines in zip(jpegs, page_lines):
            draw_page_image(canvas, jpeg, dpi)
            width, height = page_size_points(jpeg, dpi)
            draw_invisible_lines(canvas, lines, width, height)
            canvas.showPage()
        canvas.save()


def with_scanned_bboxes(node, angle: float, size: tuple[int, int]):
    """Copy of a truth node with `bbox_scanned` next to every `bbox`."""
    if isinstance(node, list):
        return [with_scanned_bboxes(item, angle, size) for item in node]
    if not isinstance(node, dict):
        return node
    out = {}
    for key, value in node.items():
        out[key] = with_scanned_bboxes(value, angle, size)
        if key == "bbox":
            out["bbox_scanned"] = rotate_bbox(value, angle, size)
    return out


def file_record(path: Path) -> dict:
    shown = path.relative_to(REPO) if path.is_relative_to(REPO) else path
    return {"path": str(shown), "sha256": hashlib.sha256(path.read_bytes()).hexdigest()}


def truth_document(pages: list[PageImage], level: str, seed: int,
                   line_ranges: list[tuple[int, int]], sources: dict) -> dict:
    truth_pages = []
    for page, (start, end) in zip(pages, line_ranges):
        angle = page_rotation_deg(level, page_seed(seed, page.number))
        truth_pages.append({
            "page": page.number,
            "printed_number": page.printed_number,
            "rotation_deg": angle,
            # 1-based, inclusive lines of the garbled extract in this page's text layer.
            "text_layer_lines": [start + 1, end] if end > start else None,
            "regions": with_scanned_bboxes(page.regions, angle, page.image.size),
        })
    return {
        "note": ("Stand-in scan typeset from the hand-verified reconstruction, not a scan of "
                 "the real document. Lost body text is left out; page numbers are the "
                 "stand-in's own."),
        "generator": "ocr.standin",
        "sources": sources,
        "pdfs": {"image_only": IMAGE_PDF, "text_layer": TEXTLAYER_PDF},
        "dpi": pages[0].dpi,
        "page_size_px": list(pages[0].image.size),
        "degradation": {"level": level, "seed": seed, "page_seed": "seed + page"},
        "bbox_note": ("bbox is [x0, y0, x1, y1] in pixels at dpi, as typeset; bbox_scanned is "
                      "its envelope after the page's rotation, i.e. in the PDF's page image. "
                      "Table cell text uses golden's notation (' ^③' for a superscript ③); "
                      "glyphs is what is printed."),
        "pages": truth_pages,
    }


def build(out_dir: Path, golden_text: Path = GOLDEN_TEXT, golden_plan: Path = GOLDEN_PLAN,
          garbled: Path = GARBLED_EXTRACT, level: str = DEFAULT_LEVEL,
          seed: int = DEFAULT_SEED, dpi: int = DEFAULT_DPI) -> dict[str, Path]:
    """Write the two PDFs and the truth JSON into out_dir; return their paths."""
    check_fonts()
    pages = render_pages(golden_text.read_text(encoding="utf-8"),
                         json.loads(golden_plan.read_text(encoding="utf-8")), dpi)
    # Pages are stored as the degradation's own JPEG bytes: no second lossy encode, and
    # decoding them gives exactly degrade(page.image, level, page_seed(seed, page.number), dpi).
    jpegs = [degrade_to_jpeg(p.image, level, page_seed(seed, p.number), dpi) for p in pages]
    garbled_lines = garbled.read_text(encoding="utf-8").split("\n")
    ranges = split_proportionally(garbled_lines, len(pages))

    out_dir.mkdir(parents=True, exist_ok=True)
    paths = {"image_only": out_dir / IMAGE_PDF, "text_layer": out_dir / TEXTLAYER_PDF,
             "truth": out_dir / TRUTH_JSON}
    write_image_pdf(jpegs, dpi, paths["image_only"])
    write_textlayer_pdf(jpegs, dpi, [garbled_lines[a:b] for a, b in ranges], paths["text_layer"])
    sources = {"golden_text": file_record(golden_text), "golden_plan": file_record(golden_plan),
               "garbled_extract": file_record(garbled)}
    truth = truth_document(pages, level, seed, ranges, sources)
    paths["truth"].write_text(json.dumps(truth, ensure_ascii=False, indent=1) + "\n",
                              encoding="utf-8")
    return paths


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ocr.standin", description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=REPO / "corpus", help="output directory")
    parser.add_argument("--level", choices=("clean", "scan", "heavy"), default=DEFAULT_LEVEL)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--dpi", type=int, default=DEFAULT_DPI)
    args = parser.parse_args(argv)
    try:
        paths = build(args.out, level=args.level, seed=args.seed, dpi=args.dpi)
    except FontMissingError as err:
        print(f"standin: {err}", file=sys.stderr)
        return 1
    for path in paths.values():
        print(f"{path}\t{path.stat().st_size} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
