"""Build an honest stand-in scan of the plan, with ground truth for the OCR bench.

We have no scan of the real 《"十四五"国家知识产权保护和运用规划》.  This module
typesets our hand-verified reconstruction (golden/plan.repaired.txt and
golden/plan.json) onto A4 pages, degrades them like a scan, and writes:

- ip-protection-plan-2021-2025.standin-scan.pdf: page images only, no text;
- ip-protection-plan-2021-2025.standin-scan-textlayer.pdf: the same page
  images over an invisible text layer (render mode 3) holding the garbled
  extract as a broken PDF holds it: each garbled line on the printed line it
  came from, its glyphs spread over that line (``ocr.layer_placement``), the
  residue of lost text in small type in the margin;
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

from ocr.layer_placement import LayerLine, place_lines, printed_lines
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


def draw_layer_lines(canvas: Canvas, lines: list[LayerLine], height: float) -> None:
    """The garbled lines, unseen, each cell's glyphs spread over the printed text it sits on."""
    font = register_text_layer_font()
    text = canvas.beginText()
    text.setTextRenderMode(3)  # neither fill nor stroke: selectable, searchable, invisible
    for line in lines:
        for cell, x0, x1 in line.cells:
            natural = pdfmetrics.stringWidth(cell, font, line.size)
            if not natural:
                continue
            text.setFont(font, line.size)
            text.setHorizScale(max(5.0, min(400.0, 100.0 * (x1 - x0) / natural)))
            text.setTextOrigin(x0, height - line.baseline)
            text.textOut(cell)
    canvas.drawText(text)


def write_textlayer_pdf(jpegs: list[bytes], dpi: int, page_lines: list[list[LayerLine]],
                        path: Path) -> None:
    with binary_streams():
        canvas = new_canvas(path)
        for jpeg, lines in zip(jpegs, page_lines):
            draw_page_image(canvas, jpeg, dpi)
            _, height = page_size_points(jpeg, dpi)
            draw_layer_lines(canvas, lines, height)
            canvas.showPage()
        canvas.save()


def layer_lines_by_page(truth_pages: list[dict], garbled_lines: list[str], dpi: int,
                        page_height: float) -> list[list[LayerLine]]:
    """The garbled extract's lines placed on the printed lines they came from, per page."""
    ascent, descent = pdfmetrics.getAscentDescent(register_text_layer_font(), 1.0)
    placed = place_lines(garbled_lines, printed_lines(truth_pages, dpi), page_height, ascent, -descent)
    by_page: list[list[LayerLine]] = [[] for _ in truth_pages]
    for line in placed:
        by_page[line.page - 1].append(line)
    return by_page


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


def truth_pages(pages: list[PageImage], level: str, seed: int) -> list[dict]:
    out = []
    for page in pages:
        angle = page_rotation_deg(level, page_seed(seed, page.number))
        out.append({
            "page": page.number,
            "printed_number": page.printed_number,
            "rotation_deg": angle,
            "regions": with_scanned_bboxes(page.regions, angle, page.image.size),
        })
    return out


def with_layer_lines(pages: list[dict], layer: list[list[LayerLine]]) -> list[dict]:
    """Each truth page with the garbled lines its text layer holds (1-based lines of the
    extract; on_printed_line false: set in the margin, matched to no printed line)."""
    out = []
    for page, lines in zip(pages, layer):
        record = {"line": [l.number for l in lines if l.anchored],
                  "margin": [l.number for l in lines if not l.anchored]}
        out.append({**{k: v for k, v in page.items() if k != "regions"},
                    "text_layer_lines": [min(l.number for l in lines), max(l.number for l in lines)] if lines else None,
                    "text_layer_placement": {"on_printed_line": record["line"], "in_margin": record["margin"]},
                    "regions": page["regions"]})
    return out


def truth_document(pages: list[PageImage], truth: list[dict], level: str, seed: int, sources: dict) -> dict:
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
        "pages": truth,
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
    truth = truth_pages(pages, level, seed)
    _, page_height = page_size_points(jpegs[0], dpi)
    layer = layer_lines_by_page(truth, garbled_lines, dpi, page_height)

    out_dir.mkdir(parents=True, exist_ok=True)
    paths = {"image_only": out_dir / IMAGE_PDF, "text_layer": out_dir / TEXTLAYER_PDF,
             "truth": out_dir / TRUTH_JSON}
    write_image_pdf(jpegs, dpi, paths["image_only"])
    write_textlayer_pdf(jpegs, dpi, layer, paths["text_layer"])
    sources = {"golden_text": file_record(golden_text), "golden_plan": file_record(golden_plan),
               "garbled_extract": file_record(garbled)}
    document = truth_document(pages, with_layer_lines(truth, layer), level, seed, sources)
    paths["truth"].write_text(json.dumps(document, ensure_ascii=False, indent=1) + "\n",
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
