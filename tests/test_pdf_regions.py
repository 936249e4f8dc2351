"""A PDF with a sound text layer and text printed as embedded images: the layer is kept
character for character, only the images that print text are OCR'd, and their readings
stand where the images stand, each character pointing at the image it was read from.

The PDFs are built here (reportlab: a visible text layer in a CJK font, images drawn
with PIL), so every expected value is written by hand. The last test reads the real
文物 plan (18 pages, 11 images: ~30-60 s on two cores)."""

from __future__ import annotations

import io
import json
import unicodedata
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw
from rapidfuzz.distance import Levenshtein
from test_ocr_support import draw_grid, font

from ocr.pdf_regions import (
    EmbeddedImage,
    LayerLine,
    PdfPageLayout,
    RegionReading,
    judge_image,
    place_readings,
    read_pdf_layout,
    to_page_pixels,
)
from ocr.triage import page_texts, triage_pdf
from pipeline.run import recover
from pipeline.scan import read_document
from grammar.headers import box_header_match

ROOT = Path(__file__).resolve().parents[1]
REAL_PDF = ROOT.parent / "shared" / "realdocs" / "gov_wenwu_keji_14th_plan.pdf"
REAL_TRUTH = ROOT / "bench" / "real" / "gov_wenwu_keji_14th_plan.truth.json"
PAGE = (595.0, 842.0)  # A4 in points
DPI = 150  # the images' own resolution

# The text layer, drawn as real (visible, selectable) text.
ABOVE = [
    "一、加强文物资源管理",
    "坚持保护第一、加强管理、挖掘价值、有效利用、让文物活起来，",
    "健全文物资源管理制度，夯实文物安全基础，提升文物工作水平。",
]
BELOW = [
    "二、完善规划实施保障",
    "各地区各部门要加强组织领导，结合实际抓好本规划的贯彻落实。",
]
PAGE2_BELOW = ["三、强化人才队伍建设", "实施文物人才培养计划，完善职业资格制度。"]
BOX_HEADER = "专栏3 数据保护工程"
BOX_ITEMS = [
    ("1. 建立数据资源目录：组织开展全国数据资源专项调查，", "健全数据资源档案，加强数据中心建设。"),
    ("2. 完善数据保护规则：推动建立数据保护行业规范，探索", "建立分级分类的数据保护模式。"),
]
TABLE = [
    ["指标", "2020年", "2025年", "属性"],
    ["文物机构数量（个）", "11300", "12200", "预期性"],
    ["考古从业人员数量（人）", "—", "10000", "预期性"],
]


def box_image() -> Image.Image:
    """A 专栏 box as Word pastes it: a frame, a header, items indented two characters."""
    image = Image.new("L", (825, 330), 255)
    draw = ImageDraw.Draw(image)
    draw.rectangle((4, 4, 820, 325), outline=0, width=3)
    draw.text((250, 24), BOX_HEADER, font=font(30), fill=0)
    y = 90
    for first, rest in BOX_ITEMS:
        draw.text((30 + 48, y), first, font=font(24), fill=0)
        draw.text((30, y + 40), rest, font=font(24), fill=0)
        y += 100
    return image


def table_image() -> Image.Image:
    image = Image.new("L", (825, 200), 255)
    draw = ImageDraw.Draw(image)
    xs, ys = [4, 380, 530, 680, 820], [4, 68, 132, 196]
    draw_grid(draw, xs, ys)
    for r, row in enumerate(TABLE):
        for c, text in enumerate(row):
            draw.text((xs[c] + 14, ys[r] + 18), text, font=font(24), fill=0)
    return image


def photo_image() -> Image.Image:
    """A picture: smooth shapes of every shade, no text."""
    import cv2

    noise = np.random.default_rng(7).normal(size=(225, 300)).astype(np.float32)
    smooth = cv2.GaussianBlur(noise, (0, 0), 9)
    smooth = (smooth - smooth.min()) / (smooth.max() - smooth.min()) * 255
    return Image.fromarray(smooth.astype(np.uint8))


def logo_image() -> Image.Image:
    image = Image.new("RGB", (75, 75), "white")
    ImageDraw.Draw(image).ellipse((5, 5, 70, 70), fill=(200, 20, 20))
    return image


OUTLINED = [
    "三、加强文物保护利用",
    "实施文物保护工程，提升文物保护水平，推进考古发掘研究，",
    "完善博物馆体系建设，推动文物资源开放共享，加强文物科技",
    "创新，培养文物保护专业人才，健全文物安全长效机制。",
]


def draw_outlined(canvas, left: float, top: float, lines: list[str]) -> None:
    """Text drawn as filled shapes, not as text (a PDF whose fonts were turned into
    outlines): ink on the page, nothing in the text layer."""
    image = Image.new("L", (900, 60 * len(lines)), 255)
    draw = ImageDraw.Draw(image)
    for i, line in enumerate(lines):
        draw.text((0, 10 + 60 * i), line, font=font(32), fill=0)
    dark = np.asarray(image) < 128
    scale = 72 / 200  # the shapes' pixels are 1/200 inch
    canvas.setFillGray(0)
    for y, row in enumerate(dark):
        xs = np.flatnonzero(np.diff(np.concatenate([[0], row.astype(np.int8), [0]])))
        for start, end in zip(xs[::2], xs[1::2]):
            canvas.rect(left + start * scale, PAGE[1] - top - (y + 1) * scale, (end - start) * scale, scale, stroke=0, fill=1)


def build_pdf(path: Path, pages: list[list[tuple]]) -> Path:
    """Pages of ("text", top_pt, string) and ("image", left_pt, top_pt, PIL image)
    elements (an image at DPI pixels per inch); ("invisible", top_pt, string) is text
    drawn unseen, as a searchable scan's OCR layer is; ("outlined", top_pt, lines) is
    text drawn as shapes."""
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen.canvas import Canvas

    from ocr.standin import register_text_layer_font

    face = register_text_layer_font()
    canvas = Canvas(str(path), pagesize=PAGE, invariant=1)
    for elements in pages:
        for element in elements:
            if element[0] == "outlined":
                draw_outlined(canvas, 72, element[1], element[2])
            elif element[0] in ("text", "invisible"):
                _, top, string = element
                text = canvas.beginText()
                text.setTextRenderMode(3 if element[0] == "invisible" else 0)
                text.setFont(face, 12)
                text.setTextOrigin(72, PAGE[1] - top - 12)
                text.textOut(string)
                canvas.drawText(text)
            else:
                _, left, top, image = element
                width, height = image.width * 72 / DPI, image.height * 72 / DPI
                buffer = io.BytesIO()
                image.save(buffer, format="PNG")
                canvas.drawImage(ImageReader(buffer), left, PAGE[1] - top - height, width=width, height=height)
        canvas.showPage()
    canvas.save()
    return path


def lines_at(top: float, lines: list[str]) -> list[tuple]:
    return [("text", top + 18 * i, line) for i, line in enumerate(lines)]


@pytest.fixture(scope="module")
def plan_pdf(tmp_path_factory) -> Path:
    page1 = lines_at(72, ABOVE) + [("image", 72, 140, box_image())] + lines_at(310, BELOW)
    page1 += [("image", 72, 370, photo_image()), ("image", 420, 370, logo_image())]
    page2 = [("image", 72, 72, table_image())] + lines_at(180, PAGE2_BELOW)
    return build_pdf(tmp_path_factory.mktemp("regions") / "plan.pdf", [page1, page2])


@pytest.fixture(scope="module")
def read(plan_pdf):
    return read_document(plan_pdf, engine="rapidocr", jobs=2, progress=False)


@pytest.fixture(scope="module")
def recovered(read):
    source, scan, issues = read
    return recover(source, scan=scan, issues=issues)


def fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


def test_layout_finds_the_layer_lines_and_the_images_where_they_stand(plan_pdf):
    page1, page2 = read_pdf_layout(plan_pdf)
    assert [line.text for line in page1.lines] == ABOVE + BELOW
    assert page1.text == "\n".join(ABOVE + BELOW) and page2.text == "\n".join(PAGE2_BELOW)
    box, photo, logo = page1.images
    assert box.bbox == pytest.approx((72, 140, 72 + 825 * 72 / DPI, 140 + 330 * 72 / DPI), abs=0.1)
    assert (box.width_px, box.height_px, box.dpi, box.layer_chars) == (825, 330, 150.0, 0)
    assert (photo.page, photo.index, logo.index) == (1, 1, 2)
    assert [i.bbox[1] for i in page2.images] == pytest.approx([72])


def test_the_text_layer_is_kept_line_for_line_and_the_images_read_in_place(read):
    source, scan, issues = read
    lines = source.text.split("\n")
    # The layer's own lines, untouched, in their order; the box between ABOVE and BELOW.
    assert lines[:3] == ABOVE and lines[3] == ""
    header = box_header_match(lines[4])
    assert header and header.group("num") == "3" and header.group("title") == "数据保护工程"
    below = lines.index(BELOW[0])
    assert lines[below:below + 2] == BELOW and lines[below - 1] == ""
    box_text = "\n".join(lines[5:below - 1])
    items = [p for p in box_text.split("\n\n") if p.strip()]
    assert len(items) == 2
    for got, (first, rest) in zip(items, BOX_ITEMS):
        assert Levenshtein.distance(fold(got), fold(first + rest)) <= 2, got
    # Page 2: the table's rows, cell by cell, then the layer's lines.
    rows = [line.split("\t") for line in lines if "\t" in line]
    assert [[fold(c) for c in row] for row in rows] == [[fold(c) for c in row] for row in TABLE]
    assert lines[-2:] == PAGE2_BELOW
    assert source.encoding == "pdf-text-layer+ocr:rapidocr"


def test_every_character_says_whether_the_layer_or_an_image_gave_it(read):
    source, scan, _ = read
    where = scan.source_where
    assert len(where) == len(source.text)
    layer = "".join(c for c, w in zip(source.text, where) if w is None)
    # Every layer character has no scan location; every non-space image character has one.
    for line in ABOVE + BELOW + PAGE2_BELOW:
        assert line in layer
    box = scan.regions[0]
    assert (box["page"], box["bbox"]) == (1, [72.0, 140.0, 468.0, 298.4])
    lo, hi = source.text.index("专栏3"), source.text.index(BELOW[0])
    image_px = to_page_pixels((0, 0, 825, 330), EmbeddedImage(1, 0, tuple(box["bbox"]), 825, 330), (825, 330), 200)
    for c, w in zip(source.text[lo:hi], where[lo:hi]):
        if c.isspace():
            continue
        page, bbox = w
        assert page == 1
        assert image_px[0] - 2 <= bbox[0] <= bbox[2] <= image_px[2] + 2 and image_px[1] - 2 <= bbox[1] <= bbox[3] <= image_px[3] + 2
    assert all(where[source.text.index(row)] is not None and where[source.text.index(row)][0] == 2 for row in ("11300", "10000"))


def test_pictures_logos_and_the_page_images_text_are_told_apart(read):
    _, scan, issues = read
    (issue,) = [i for i in issues if i["kind"] == "text_layer_incomplete"]
    assert issue["data"]["pages"] == [1, 2]
    assert [(r["page"], r["start_line"]) for r in issue["data"]["regions"]] == [(1, 5), (2, 14)]  # 3 lines, blank, box (5-9), blank, 2 lines, blank
    skipped = {(s["page"], s["decision"]) for s in issue["data"]["images_not_read"]}
    assert skipped == {(1, "no_text"), (1, "small")}
    assert scan.reading.text == "" and scan.pages == 2  # nothing read page-wide: the pages' own text is sound
    assert "专栏3" in scan.ocr_text and "11300" in scan.ocr_text


def test_repair_and_extract_see_the_box_and_the_table(recovered):
    plan = recovered.plan
    (box,) = plan["programmes"]
    assert (box["number"], box["title"], len(box["items"])) == (3, "数据保护工程", 2)
    assert all(item["scan"] and item["scan"][0]["page"] == 1 for item in box["items"])
    rows = plan["indicators"]
    assert [(r["name"], r["unit"], r["baseline"]["value"], r["target"]["value"], r["attribute"]) for r in rows] == [
        ("文物机构数量", "个", 11300, 12200, "预期性"),
        ("考古从业人员数量", "人", None, 10000, "预期性"),
    ]
    assert rows[1]["baseline"]["raw"] == "—"  # a printed dash, which OCR reads as 一
    assert all(r["scan"][0]["page"] == 2 for r in rows)
    assert {"kind": "scan", "name": "plan.pdf", "sha256": recovered.source.sha256, "pages": 2, "engine": "rapidocr", "dpi": 200} in plan["document"]["inputs"]
    # No rule changed a character of the text layer (white space aside).
    for change in recovered.repair.changes:
        assert "".join(change.before.split()) == "".join(change.after.split()) or not any(
            line in change.before for line in ABOVE + BELOW + PAGE2_BELOW
        )


def test_a_pdf_without_images_is_its_text_layer_exactly(tmp_path):
    path = build_pdf(tmp_path / "text.pdf", [lines_at(72, ABOVE), [], lines_at(72, BELOW)])
    source, scan, issues = read_document(path, engine="rapidocr", progress=False)
    assert (scan, issues) == (None, [])
    assert source.text == "\n".join(page_texts(path)) == "\n".join(ABOVE) + "\n\n" + "\n".join(BELOW)


def test_a_searchable_scan_keeps_its_layer_and_is_not_read_again(tmp_path):
    # A page image whose text the PDF's invisible layer already holds (as OCR'd scans do).
    page = Image.new("L", (825, 300), 255)
    draw = ImageDraw.Draw(page)
    for i, line in enumerate(ABOVE[1:] + BELOW[1:]):
        draw.text((20, 20 + 60 * i), line, font=font(24), fill=0)
    layer = [("invisible", 80 + 29 * i, line) for i, line in enumerate(ABOVE[1:] + BELOW[1:])]
    path = build_pdf(tmp_path / "searchable.pdf", [[("image", 72, 72, page)] + layer])
    (image,) = read_pdf_layout(path)[0].images
    assert image.layer_chars == sum(len(line) for line in ABOVE[1:] + BELOW[1:])
    source, scan, issues = read_document(path, engine="rapidocr", progress=False)
    assert scan is None and issues == [] and source.text == "\n".join(ABOVE[1:] + BELOW[1:])


def test_an_image_set_apart_no_longer_makes_its_page_incomplete(tmp_path):
    image = Image.new("L", (825, 600), 255)
    draw = ImageDraw.Draw(image)
    for i in range(12):
        draw.text((20, 20 + 48 * i), "健全文物资源管理制度夯实文物安全基础提升文物工作水平", font=font(28), fill=0)
    path = build_pdf(tmp_path / "short.pdf", [lines_at(72, ABOVE[1:2]) + [("image", 72, 120, image)]])
    (box,) = read_pdf_layout(path)[0].images
    assert triage_pdf(path)[0].decision == "incomplete"
    assert triage_pdf(path, set_apart={1: [box.bbox]})[0].decision == "good"


def test_judging_images_by_their_ink():
    def image(width=825, height=330):
        return EmbeddedImage(1, 0, (72, 100, 72 + width * 72 / DPI, 100 + height * 72 / DPI), width, height)

    gray = np.asarray(box_image())
    assert judge_image(image(), gray).decision == "read"
    assert judge_image(image(300, 225), np.asarray(photo_image())).decision == "no_text"
    assert judge_image(image(75, 75), None).decision == "small"
    covered = EmbeddedImage(1, 0, image().bbox, 825, 330, layer_chars=120)
    assert judge_image(covered, gray).decision == "covered"


def test_an_image_with_transparency_is_taken_as_the_page_shows_it(tmp_path):
    # Black text on transparent paper: the stored pixels are all black; the page shows
    # black on white, and that is what is judged and read.
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen.canvas import Canvas

    from ocr.pdf_regions import image_pixels
    from ocr.preprocess import to_gray
    from ocr.render import open_pdf

    box = box_image()
    clear = Image.new("RGBA", box.size, (0, 0, 0, 0))
    clear.putalpha(Image.eval(box, lambda v: 255 - v))
    buffer = io.BytesIO()
    clear.save(buffer, format="PNG")
    path = tmp_path / "alpha.pdf"
    canvas = Canvas(str(path), pagesize=PAGE)
    canvas.drawImage(ImageReader(buffer), 72, 400, width=396, height=158.4, mask="auto")
    canvas.showPage()
    canvas.save()
    (page,) = read_pdf_layout(path)
    pdf = open_pdf(path)
    try:
        gray = to_gray(image_pixels(pdf, page.images[0], page.height))
    finally:
        pdf.close()
    assert gray.shape == (330, 825) and gray.mean() > 200
    assert judge_image(page.images[0], gray).decision == "read"


def layout(number: int, lines: list[tuple[str, float]], images=()) -> PdfPageLayout:
    text = "\n".join(t for t, _ in lines)
    return PdfPageLayout(number, *PAGE, text, tuple(LayerLine(t, top, top + 10) for t, top in lines), tuple(images))


def reading(page: int, top: float, text: str) -> RegionReading:
    image = EmbeddedImage(page, 0, (72, top, 500, top + 50), 800, 100)
    return RegionReading(image, text, (0.9,) * len(text), ((page, (1, 2, 3, 4)),) * len(text))


def test_readings_are_placed_by_their_top_among_the_lines():
    pages = [layout(1, [("甲", 70), ("乙", 90), ("丙", 300)]), layout(2, []), layout(3, [("丁", 70)])]
    placed = place_readings(pages, [reading(1, 120, "框"), reading(1, 40, "表\t1"), reading(3, 500, "末")])
    assert placed.text == "表\t1\n\n甲\n乙\n\n框\n\n丙\n\n丁\n\n末"
    assert [(image.page, placed.text[a:b]) for image, a, b in placed.spans] == [(1, "表\t1"), (1, "框"), (3, "末")]
    assert [placed.where[i] is None for i in range(len(placed.text))] == [c not in "表1框末\t" for c in placed.text]
    assert placed.confidence[placed.text.index("框")] == 0.9 and placed.confidence[0 + placed.text.index("甲")] == 1.0


def test_without_readings_the_text_is_the_layers_pages_joined():
    pages = [layout(1, [("甲", 70), ("乙", 90)]), layout(2, []), layout(3, [("丙", 70)])]
    assert place_readings(pages, []).text == "甲\n乙\n\n丙"
    # Line positions unknown (pdfplumber's lines did not rebuild the page): after its text.
    odd = PdfPageLayout(1, *PAGE, "甲乙", (), ())
    assert place_readings([odd], [reading(1, 10, "框")]).text == "甲乙\n\n框"


def test_boxes_in_an_image_map_onto_the_rendered_page():
    image = EmbeddedImage(1, 0, (72.0, 144.0, 216.0, 216.0), 300, 150)  # 2 x 1 inch at 150 px/inch
    assert to_page_pixels((0, 0, 300, 150), image, (300, 150), 72) == (72, 144, 216, 216)
    assert to_page_pixels((150, 75, 300, 150), image, (300, 150), 200) == (400, 500, 600, 600)


def test_text_outside_the_images_that_the_layer_lacks_is_read_with_the_page_and_only_fills(tmp_path):
    page = lines_at(72, ABOVE[1:2]) + [("image", 72, 100, box_image()), ("outlined", 300, OUTLINED)]
    path = build_pdf(tmp_path / "outlined.pdf", [page])
    source, scan, issues = read_document(path, engine="rapidocr", jobs=2, progress=False)
    (issue,) = issues
    assert issue["data"]["fill_pages"] == [1] and [r["page"] for r in issue["data"]["regions"]] == [1]
    assert source.text.startswith(ABOVE[1] + "\n\n专栏3")
    # The page is read whole (its box too: what both readings share anchors the
    # alignment), and its reading only fills what the source lacks.
    assert scan.reading.fill_only and scan.reading.text.startswith(ABOVE[1]) and "专栏3" in scan.reading.text
    outlined = "".join(OUTLINED)
    assert Levenshtein.distance(fold("".join(scan.reading.text.split())[-len(outlined):]), fold(outlined)) <= 4
    recovery = recover(source, scan=scan, issues=issues)
    filled = [c for c in recovery.repair.changes if c.rule == "fill_from_scan"]
    assert filled and all(c.evidence["scan"][0]["page"] == 1 for c in filled)
    repaired = recovery.repair.text
    assert repaired.index(ABOVE[1]) < repaired.index("专栏3") < repaired.index("实施文物保护工程")  # in the page's order
    assert not [c for c in recovery.repair.changes if c.rule == "take_ocr_reading"]


def test_of_a_sound_layer_only_the_pages_short_of_text_are_rendered_to_be_read(tmp_path, monkeypatch):
    # Every page of the PDF was rendered at the reading resolution to read the one short of
    # text: a 100-page plan with one such page rendered 99 pages for nothing.
    import ocr.render

    plain = lines_at(72, ABOVE[1:2])
    outlined = plain + [("outlined", 300, OUTLINED)]
    path = build_pdf(tmp_path / "three.pdf", [plain, outlined, plain])
    rendered, render_pdf_page = [], ocr.render.render_pdf_page

    def watched(pdf, index, dpi, *args, **kwargs):
        rendered.append((index + 1, dpi))
        return render_pdf_page(pdf, index, dpi, *args, **kwargs)

    monkeypatch.setattr(ocr.render, "render_pdf_page", watched)
    source, scan, issues = read_document(path, engine="rapidocr", jobs=1, progress=False)
    assert issues[0]["data"]["fill_pages"] == [2]
    assert [page for page, dpi in rendered if dpi == 200] == [2]  # at the reading resolution (triage looks at 100 dpi)
    assert "实施文物保护工程" in scan.reading.text


def test_real_plan_boxes_come_out_and_its_text_layer_is_untouched():
    truth = json.loads(REAL_TRUTH.read_text(encoding="utf-8"))
    source, scan, issues = read_document(REAL_PDF, engine="rapidocr", jobs=2, progress=False)
    assert [r["page"] for r in scan.regions] == [3, 5, 7, 8, 9, 10, 12, 13, 14, 15, 17]
    # The source's lines that no image gave are the layer's lines, all of them, in order.
    own, offset = [], 0
    for line in source.text.split("\n"):
        if line and all(w is None for w in scan.source_where[offset:offset + len(line)]):
            own.append(line)
        offset += len(line) + 1
    assert own == [line for line in "\n".join(page_texts(REAL_PDF)).split("\n") if line]
    regions = "\n".join(r["text"] for r in scan.regions)
    assert all(f"专栏{n}" in regions for n in range(1, 12))
    recovery = recover(source, scan=scan, issues=issues)
    printed = {b["number"]: b["title"] for b in recovery.plan["programmes"]}
    for box in truth["programmes"]:
        assert printed.get(box["number"]) == box["title"], box["number"]
    compact = "".join(recovery.repair.text.split())
    for string in truth["must_survive"]:
        assert "".join(string.split()) in compact, string
    # The table image's 21 rows against the truth read by eye: names (footnote marks are
    # footnotes), targets and attributes; its ① and ③ read as ® are resolved to their notes,
    # and ②, which OCR does not see, is attached by the term its note defines.
    from bench.real import score_indicators

    score = score_indicators(truth["indicators"], recovery.plan["indicators"])
    assert (score["matched"], score["target_ok"], score["attribute_ok"]) == (21, 21, 21)
    notes = {(r["name"], n["attached_to"]): n.get("note") for r in recovery.plan["indicators"] for n in r["footnotes"]}
    assert notes == {("全国重点文物保护单位“四有”工作完成率", "name"): "①", ("年观众人数", "baseline"): "③",
                     ("全国重点文物保护单位、省级文物保护单位“两线”纳入各级国土空间规划完成率", "name"): "②"}


# ---------------------------------------------------------------- a garbled layer read glyph by glyph

def _glyphs(text: str, x: float, top: float, size: float = 10.0) -> list[dict]:
    return [{"text": c, "x0": x + i * size, "x1": x + (i + 1) * size, "top": top, "bottom": top + size, "size": size}
            for i, c in enumerate(text)]


def test_glyph_lines_read_cells_as_tabs_and_an_empty_column_as_a_tab_of_its_own():
    from ocr.pdf_regions import glyph_lines, glyph_text

    # A header whose first cell spans two columns, over a row filling all five.
    columns = [80, 110, 300, 360, 420]
    header = _glyphs("指标", 80, 100) + _glyphs("2020年", 300, 100) + _glyphs("2025年", 360, 100) + _glyphs("属性", 420, 100)
    row = sum((_glyphs(t, x, 114) for t, x in zip(["1.", "海外发明专利授权量", "4", "9", "预期性"], columns)), [])
    prose = _glyphs("坚持以人民为中心", 100, 160) + _glyphs("推动高质量发展", 80, 174)
    text, where = glyph_text([glyph_lines(header + row + prose)])
    assert text == "指标\t\t2020年\t2025年\t属性\n1.\t海外发明专利授权量\t4\t9\t预期性\n\n坚持以人民为中心\n推动高质量发展"
    assert len(where) == len(text) and where[0] == (1, (80.0, 100.0, 90.0, 110.0)) and where[2] is None


def test_glyph_text_breaks_a_paragraph_at_a_page_only_before_an_indented_line():
    from ocr.pdf_regions import glyph_lines, glyph_text

    first = glyph_lines(_glyphs("推进整体保护，加强", 80, 700) + _glyphs("革命旧址保护维修", 80, 714))
    carried = glyph_lines(_glyphs("和馆藏革命文物保护修复。", 80, 100))
    indented = glyph_lines(_glyphs("深化系统研究。", 100, 100))
    assert glyph_text([first, carried])[0] == "推进整体保护，加强\n革命旧址保护维修\n和馆藏革命文物保护修复。"
    assert glyph_text([first, indented])[0] == "推进整体保护，加强\n革命旧址保护维修\n\n深化系统研究。"


def test_an_image_in_its_pdf_gives_its_pixels_when_they_are_wanted(tmp_path):
    # An image to read is held as where it is, not as pixels (a PDF whose pages are scans
    # held them all from judging to reading); taken from the file, its pixels are those
    # judged, and a file that changed in between is said, not read as something else.
    import shutil

    from ocr.errors import CorruptPdf
    from ocr.pdf_regions import ImageInPdf, image_pixels
    from ocr.render import open_pdf

    path = tmp_path / "plan.pdf"
    shutil.copy(REAL_PDF, path)
    page = next(page for page in read_pdf_layout(path) if page.images)
    pdf = open_pdf(path)
    try:
        judged = image_pixels(pdf, page.images[0], page.height)
    finally:
        pdf.close()
    held = ImageInPdf.judged(path, page.images[0], page.height, judged)
    assert np.array_equal(np.asarray(held), judged)
    shutil.copy(ROOT / "corpus" / "ip-protection-plan-2021-2025.standin-scan.pdf", path)  # another document, same name
    with pytest.raises(CorruptPdf, match="plan.pdf changed while it was read"):
        np.asarray(held)
    path.unlink()
    with pytest.raises(CorruptPdf, match="plan.pdf changed while it was read"):
        np.asarray(held)
