"""Tests for the stand-in scan: determinism, truth completeness, frames, text layers."""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pytest

from ocr import standin, typeset
from ocr.degrade import LEVELS, degrade, degrade_to_jpeg

REPO = Path(__file__).resolve().parents[1]
GOLDEN_TEXT = (REPO / "golden" / "plan.repaired.txt").read_text(encoding="utf-8")
GOLDEN_PLAN = json.loads((REPO / "golden" / "plan.json").read_text(encoding="utf-8"))
GARBLED = (REPO / "corpus" / "ip-protection-plan-2021-2025.garbled-extract.txt").read_text(
    encoding="utf-8")


@pytest.fixture(scope="module")
def pages():
    return typeset.render_pages(GOLDEN_TEXT, GOLDEN_PLAN, dpi=200)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    paths = standin.build(tmp_path_factory.mktemp("standin"))
    truth = json.loads(paths["truth"].read_text(encoding="utf-8"))
    return paths, truth


def regions(truth: dict, kind: str) -> list[dict]:
    return [r for page in truth["pages"] for r in page["regions"] if r["kind"] == kind]


def pdf_text(path: Path) -> str:
    try:
        import pdfplumber
    except ImportError:
        pdfium = pytest.importorskip("pypdfium2")
        pdf = pdfium.PdfDocument(str(path))
        return "".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf)))
    with pdfplumber.open(path) as pdf:
        return "".join(page.extract_text() or "" for page in pdf.pages)


# ---------------------------------------------------------------- degradation

@pytest.mark.parametrize("level", sorted(LEVELS))
def test_degradation_is_deterministic_for_a_seed(pages, level):
    crop = pages[1].image.crop((200, 250, 900, 800))
    first = degrade_to_jpeg(crop, level, seed=7)
    assert degrade_to_jpeg(crop, level, seed=7) == first
    assert degrade(crop, level, seed=7).tobytes() == degrade(crop, level, seed=7).tobytes()
    if level != "clean":
        assert degrade_to_jpeg(crop, level, seed=8) != first


def test_clean_level_leaves_the_page_alone(pages):
    image = pages[1].image
    assert degrade(image, "clean", seed=1).tobytes() == image.tobytes()


# ---------------------------------------------------------------- truth

def test_truth_lists_every_box_title_exactly_once(built):
    _, truth = built
    titles = [r["text"] for r in regions(truth, "title")]
    for programme in GOLDEN_PLAN["programmes"]:
        header = f"专栏{programme['number']}\u3000{programme['title']}"
        assert sum(t.count(programme["title"]) for t in titles) == 1, programme["title"]
        assert titles.count(header) == 1, header


def test_truth_lists_every_indicator_cell_exactly_once(built):
    _, truth = built
    (table,) = regions(truth, "table")
    cells: dict[tuple[int, int], list[str]] = {}
    for cell in table["cells"]:
        cells.setdefault((cell["row"], cell["col"]), []).append(cell["text"])
    for ind in GOLDEN_PLAN["indicators"]:
        row = ind["seq"]
        expected = [f"{row}.", ind["name_raw"], ind["baseline"]["raw"], ind["target"]["raw"],
                    ind["increase"]["raw"], ind["attribute"]]
        for col, text in enumerate(expected):
            assert cells[(row, col)] == [text], (row, col)
    assert cells[(0, 0)] == ["指标"]
    assert [cells[(0, c)] for c in range(2, 6)] == [["2020年"], ["2025年"], ["累计增加值"], ["属性"]]


def test_footnote_markers_are_printed_after_name_or_value(built):
    _, truth = built
    (table,) = regions(truth, "table")
    glyphs = {c["glyphs"] for c in table["cells"]}
    assert {"11.6③", "7.39④"} <= glyphs
    assert any(g.startswith("每万人口高价值发明专利拥有量①") for g in glyphs)
    assert any(g.startswith("知识产权质押融资登记金额②") for g in glyphs)


def test_box_text_reassembles_the_golden_paragraphs(built):
    _, truth = built
    boxes = typeset.parse_boxes(GOLDEN_TEXT, GOLDEN_PLAN)
    for box in boxes:
        parts = [r for r in regions(truth, "text") if r["box"] == box.number]
        joined: dict[int, str] = {}
        for part in parts:
            joined[part["paragraph"]] = joined.get(part["paragraph"], "") + part["text"]
        assert [joined[p] for p in sorted(joined)] == list(box.paragraphs), box.number


def test_box_2_keeps_its_source_line_breaks_as_lines(built):
    _, truth = built
    lines = [l["text"] for r in regions(truth, "text") if r["box"] == 2 for l in r["lines"]]
    for segment in typeset.parse_boxes(GOLDEN_TEXT, GOLDEN_PLAN)[1].paragraphs[0].split("\n"):
        assert any(line.startswith(segment[:8]) for line in lines), segment


def test_no_line_breaks_against_the_rules(built):
    _, truth = built
    lines = [l["text"] for r in regions(truth, "text") for l in r["lines"]]
    for line in lines:
        assert line[0] not in typeset.NO_LINE_START, line
        assert line.rstrip()[-1] not in typeset.NO_LINE_END, line


def test_page_numbers_run_in_order(built):
    _, truth = built
    numbers = [r["text"] for r in regions(truth, "page-number")]
    assert numbers == [f"— {n} —" for n in range(2, len(truth["pages"]) + 1)]


# ---------------------------------------------------------------- images

def test_frames_are_drawn_where_the_truth_says(pages):
    for page in pages:
        ink = np.asarray(page.image) < 128
        for region in page.regions:
            if region["kind"] not in ("frame", "table"):
                continue
            x0, y0, x1, y1 = region["bbox"]
            edges = [ink[y0, x0:x1], ink[y1 - 1, x0:x1], ink[y0:y1, x0], ink[y0:y1, x1 - 1]]
            assert all(edge.mean() > 0.98 for edge in edges), (page.number, region["kind"])
            # and just outside the frame the paper is blank
            assert not ink[y0 - 3, x0:x1].any() and not ink[y1 + 2, x0:x1].any()


# ---------------------------------------------------------------- PDFs

def extract_lines(text: str) -> list[str]:
    """Non-empty lines, as a glyph reading can give them back: runs of tabs are one
    gap (an empty cell prints nothing), a line's leading and trailing tabs print nothing."""
    return [re.sub(r"\t+", "\t", line).strip("\t") for line in text.split("\n") if line.strip()]


def test_text_layer_pdf_holds_the_garbled_extract_line_by_line(built):
    from ocr.pdf_regions import read_glyph_text

    paths, _ = built
    text, where = read_glyph_text(paths["text_layer"])
    assert extract_lines(text) == extract_lines(GARBLED)
    assert len(where) == len(text)


def test_image_only_pdf_has_no_text(built):
    paths, _ = built
    assert pdf_text(paths["image_only"]).strip() == ""


def test_every_extract_line_is_placed_once_in_order(built):
    _, truth = built
    placed = []
    for page in truth["pages"]:
        record = page["text_layer_placement"]
        placed += sorted(record["on_printed_line"] + record["in_margin"])
    lines = GARBLED.split("\n")
    assert placed == [n for n, line in enumerate(lines, start=1) if line.strip()]
    # The extract's table rows and box headers are all on the printed lines they came from.
    on_line = {n for page in truth["pages"] for n in page["text_layer_placement"]["on_printed_line"]}
    headers = [n for n, line in enumerate(lines, start=1) if re.match(r"专栏\s*\d", line)]
    rows = [n for n, line in enumerate(lines, start=1) if line.count("\t") >= 4]
    assert len(headers) == 15 and len(rows) == 9
    assert set(headers) <= on_line and set(rows) <= on_line


def test_garbled_lines_sit_on_the_printed_glyphs_they_came_from(built):
    """Every full-size line of the layer lies on a printed line (a box header, a line of a
    paragraph), inside its box's frame, as in a real broken PDF."""
    import pdfplumber

    from ocr.pdf_regions import glyph_lines

    paths, truth = built
    scale = 72 / truth["dpi"]
    checked = 0
    with pdfplumber.open(paths["text_layer"]) as pdf:
        for page, record in zip(pdf.pages, truth["pages"]):
            printed = [r for r in record["regions"] if r["kind"] == "title" and "box" in r]
            printed += [line for r in record["regions"] if r["kind"] == "text" for line in r["lines"]]
            for line in glyph_lines(page.chars):
                if line.size < 10 or line.is_table_row:
                    continue  # margin residue, table rows (checked by cell below)
                middle = (line.top + line.bottom) / 2
                hosts = [r for r in printed if r["bbox_scanned"][1] * scale <= middle <= r["bbox_scanned"][3] * scale]
                assert hosts, (record["page"], line.text)
                frame = [r for r in record["regions"] if r["kind"] in ("frame", "table")
                         and r["bbox_scanned"][1] * scale <= middle <= r["bbox_scanned"][3] * scale]
                x0, _, x1, _ = (v * scale for v in frame[0]["bbox_scanned"])
                assert x0 <= line.x0 and max(b[2] for b in line.boxes if b) <= x1, line.text
                checked += 1
    assert checked >= 40


def test_missing_font_fails_with_the_package_name(monkeypatch, capsys, tmp_path):
    spec = typeset.FONTS["hei"]
    monkeypatch.setitem(typeset.FONTS, "hei",
                        typeset.FontSpec(str(tmp_path / "absent.ttc"), 0, spec.package))
    assert standin.main(["--out", str(tmp_path)]) == 1
    message = capsys.readouterr().err.strip()
    assert "fonts-wqy-zenhei" in message and "\n" not in message


def test_scanned_bboxes_follow_the_page_rotation(pages):
    from ocr.degrade import page_rotation_deg, rotate_point

    page = pages[2]
    seed = standin.page_seed(standin.DEFAULT_SEED, page.number)
    scanned = np.asarray(degrade(page.image, "scan", seed))
    angle = page_rotation_deg("scan", seed)
    assert 0.4 <= abs(angle) <= 1.0
    frame = next(r for r in page.regions if r["kind"] == "frame")
    x0, y0, x1, _ = frame["bbox"]
    on_edge = [rotate_point(x0 + t * (x1 - x0), y0 + 1.5, angle, page.image.size)
               for t in np.linspace(0.05, 0.95, 40)]
    assert np.mean([scanned[round(y), round(x)] for x, y in on_edge]) < 100
