import subprocess
import sys

import numpy as np
import pytest
from PIL import ImageDraw
from rapidfuzz.distance import Levenshtein

from ocr.engines import TesseractEngine, get_engine, group_lines, Fragment
from ocr.errors import EngineFailed, EngineUnavailable
from ocr.read_page import read_page, source_bbox, write_debug_image
from ocr.reflow import reflow
from test_ocr_support import blank_page, draw_grid, font, text_crop

PHRASE = "国家知识产权局牵头"


@pytest.fixture(scope="module")
def rapid():
    return get_engine("rapidocr")


@pytest.fixture(scope="module")
def tesseract():
    return get_engine("tesseract")


def test_importing_ocr_loads_no_engine():
    code = "import sys, ocr; print(sorted(m for m in ('rapidocr', 'onnxruntime', 'pytesseract') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_rapidocr_reads_a_line_exactly(rapid):
    (line,) = rapid.recognize_lines(text_crop(PHRASE))
    assert line.text == PHRASE and line.confidence > 0.9
    assert rapid.recognize_cell(text_crop(PHRASE)).text == PHRASE


def test_tesseract_reads_a_line_closely(tesseract):
    lines = tesseract.recognize_lines(text_crop(PHRASE))
    assert Levenshtein.distance("".join(l.text for l in lines), PHRASE) <= 2
    assert " " not in "".join(l.text for l in lines)  # no spaces between Chinese characters


@pytest.mark.parametrize("name", ["rapidocr", "tesseract"])
def test_table_cell_number_exactly(name, rapid, tesseract):
    engine = rapid if name == "rapidocr" else tesseract
    cell = engine.recognize_cell(text_crop("3194.4", size=26))
    assert cell.text == "3194.4" and cell.confidence > 0.5


def test_two_line_cell_joins_without_separator(rapid):
    page = blank_page((420, 110))
    draw = ImageDraw.Draw(page)
    draw.text((10, 10), "每万人口高价值", font=font(28), fill=0)
    draw.text((10, 60), "发明专利拥有量", font=font(28), fill=0)
    assert rapid.recognize_cell(np.asarray(page)).text == "每万人口高价值发明专利拥有量"


def test_empty_cell_reads_empty(rapid):
    cell = rapid.recognize_cell(np.full((60, 200), 255, np.uint8))
    assert (cell.text, cell.confidence) == ("", 0.0)


def test_tesseract_missing_binary_is_unavailable_with_a_hint(monkeypatch, tmp_path):
    import pytesseract

    monkeypatch.setattr(pytesseract.pytesseract, "tesseract_cmd", str(tmp_path / "no-such-tesseract"))
    assert not TesseractEngine().available()
    with pytest.raises(EngineUnavailable, match="apt-get install tesseract-ocr tesseract-ocr-chi-sim"):
        get_engine("tesseract")
    with pytest.raises(EngineUnavailable):
        TesseractEngine().recognize_lines(text_crop(PHRASE))


def test_tesseract_not_on_path_is_unavailable(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(EngineUnavailable, match="not installed"):
        get_engine("tesseract")


def test_unknown_engine_is_unavailable():
    with pytest.raises(EngineUnavailable, match="rapidocr, tesseract"):
        get_engine("abbyy")


def test_fragments_of_a_tilted_row_regroup_into_one_line_in_order():
    # RapidOCR's own order for a slightly tilted table row: later cells first.
    frags = [Fragment("3500", (700, 108, 780, 132), 0.99), Fragment("4.", (100, 100, 130, 124), 0.99),
             Fragment("3194.4", (500, 105, 600, 129), 0.98), Fragment("下一行", (100, 160, 200, 184), 0.9)]
    lines = group_lines(frags)
    assert [l.text for l in lines] == ["4. 3194.4 3500", "下一行"]


def synthetic_page():
    page = blank_page()
    draw = ImageDraw.Draw(page)
    draw.text((200, 250), "一、加强知识产权保护", font=font(30), fill=0)
    draw.rectangle((180, 400, 1470, 640), outline=0, width=3)
    draw.text((560, 430), "专栏1 商业秘密保护工程", font=font(30), fill=0)
    draw.text((220, 520), "健全商业秘密保护政策。", font=font(30), fill=0)
    xs, ys = [180, 420, 900, 1470], [760, 840, 920]
    draw_grid(draw, xs, ys)
    for r, row in enumerate([["序号", "指标", "2020年"], ["4.", "使用费进出口总额", "3194.4"]]):
        for c, text in enumerate(row):
            draw.text((xs[c] + 20, ys[r] + 22), text, font=font(30), fill=0)
    draw.text((780, 2150), "— 7 —", font=font(30), fill=0)
    return np.asarray(page)


def test_read_page_gives_lines_frames_and_table_rows_in_reading_order(rapid, tmp_path):
    reading = read_page(synthetic_page(), rapid, number=3, dpi=200)
    assert [(l.kind, l.text) for l in reading.lines] == [
        ("text", "一、加强知识产权保护"),
        ("frame", "专栏1 商业秘密保护工程"),
        ("frame", "健全商业秘密保护政策。"),
        ("table", "序号\t指标\t2020年"),
        ("table", "4.\t使用费进出口总额\t3194.4"),
    ]
    assert all(l.page == 3 and l.confidence > 0.8 for l in reading.lines)
    assert [l.region for l in reading.lines] == [0, 1, 1, 2, 2]
    assert reading.lines[4].cells[2].bbox[0] >= 900  # a cell's text points at its cell
    scan = reflow([reading])
    text, confidence, where = scan.text, scan.confidence, scan.where
    assert text.startswith("一、加强知识产权保护\n\n专栏1") and "7" not in text
    assert len(text) == len(confidence) == len(where)
    assert where[text.index("3194.4")][0] == 3
    path = write_debug_image(synthetic_page(), reading, tmp_path / "debug" / "page-3.png")
    assert path.stat().st_size > 10_000


def test_read_page_with_tesseract(tesseract):
    reading = read_page(synthetic_page(), tesseract, dpi=200)
    rows = [l.text for l in reading.lines if l.kind == "table"]
    assert rows[1].split("\t")[2] == "3194.4"
    assert Levenshtein.distance(reading.lines[0].text, "一、加强知识产权保护") <= 2


class Exploding:
    name = "exploding"

    def recognize_lines(self, image):
        raise RuntimeError("onnxruntime: out of memory")

    def recognize_cell(self, image):
        raise RuntimeError("onnxruntime: out of memory")


def test_engine_crash_names_the_page():
    with pytest.raises(EngineFailed, match="page 4: onnxruntime: out of memory"):
        read_page(synthetic_page(), Exploding(), number=4, dpi=200)


def test_source_bbox_turns_back_the_deskew():
    assert source_bbox((100, 100, 200, 120), 0.0, 1000, 1000) == (100, 100, 200, 120)
    x0, top, x1, bottom = source_bbox((800, 500, 900, 520), 1.0, 1000, 1000)
    assert top < 500 - 4  # right of centre, a counter-clockwise tilt lifted it


def test_compare_variants_reports_confidence_per_variant(rapid):
    from ocr.preprocess import VARIANTS, compare_variants

    scores = compare_variants(synthetic_page(), rapid, {k: VARIANTS[k] for k in ("deskew", "deskew+otsu")}, dpi=200)
    assert {s.name for s in scores} == {"deskew", "deskew+otsu"}
    assert scores[0].mean_confidence >= scores[1].mean_confidence > 0.8
    assert all(s.chars > 40 for s in scores)


def test_read_page_splits_its_time_into_stages(monkeypatch):
    from types import SimpleNamespace

    from ocr.engines import TextLine

    clock = {"now": 100.0}  # a fake clock: only the engine moves it
    monkeypatch.setattr(sys.modules["ocr.read_page"], "time", SimpleNamespace(perf_counter=lambda: clock["now"]))

    class SlowEngine:  # every call "takes" 2 s on the fake clock
        name = "slow"
        calls = 0

        def recognize_lines(self, image):
            SlowEngine.calls += 1
            clock["now"] += 2.0
            return []

        def recognize_cell(self, image):
            SlowEngine.calls += 1
            clock["now"] += 2.0
            return TextLine("", (0, 0, 0, 0), 0.0)

    reading = read_page(synthetic_page(), SlowEngine(), dpi=200)
    assert set(reading.stages) == {"preprocess", "layout", "engine", "assemble"}
    assert SlowEngine.calls > 0
    assert reading.stages["engine"] == 2.0 * SlowEngine.calls
    assert reading.stages["assemble"] == 0.0 and reading.seconds == 2.0 * SlowEngine.calls
