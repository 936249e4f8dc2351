import numpy as np
import pytest
from PIL import ImageDraw

from ocr.layout import analyze_page, furniture, text_blocks, text_rows
from ocr.preprocess import binarize, deskew, estimate_skew, flatten_background, preprocess, rotate, Preprocessing
from test_ocr_support import blank_page, draw_grid, font

BODY = "加强知识产权保护，推动建立数据知识产权保护行业规范。"


def test_frame_found_with_its_bbox():
    page = blank_page()
    draw = ImageDraw.Draw(page)
    draw.text((160, 200), BODY, font=font(30), fill=0)
    draw.rectangle((140, 500, 1500, 900), outline=0, width=3)
    draw.text((600, 530), "专栏1 知识产权保护工程", font=font(30), fill=0)
    for i in range(4):
        draw.text((170, 620 + i * 55), BODY, font=font(30), fill=0)
    layout = analyze_page(np.asarray(page), dpi=200)
    frames = [r for r in layout.regions if r.kind == "frame"]
    assert len(frames) == 1
    assert all(abs(got - want) <= 3 for got, want in zip(frames[0].bbox, (140, 500, 1500, 900)))
    assert [r.kind for r in layout.regions] == ["text", "frame"]  # reading order: top to bottom


def test_ruled_grid_gives_cells_in_row_and_column_order():
    page = blank_page()
    draw = ImageDraw.Draw(page)
    xs, ys = [140, 400, 800, 1100, 1500], [1000, 1080, 1160, 1240]
    draw_grid(draw, xs, ys)
    for r in range(3):
        for c in range(4):
            draw.text((xs[c] + 20, ys[r] + 22), f"{r}{c} 3194.4", font=font(30), fill=0)
    (table,) = analyze_page(np.asarray(page), dpi=200).regions
    assert (table.kind, table.rows, table.cols, len(table.cells)) == ("table", 3, 4, 12)
    assert [(c.row, c.col) for c in table.cells] == [(r, c) for r in range(3) for c in range(4)]
    cell = table.cells[6]  # row 1, column 2
    assert all(abs(got - want) <= 3 for got, want in zip(cell.bbox, (800, 1080, 1100, 1160)))


def test_header_cell_spanning_two_columns_is_one_cell():
    page = blank_page()
    draw = ImageDraw.Draw(page)
    xs, ys = [200, 300, 900, 1200], [300, 380, 460]
    draw.rectangle((xs[0], ys[0], xs[-1], ys[-1]), outline=0, width=3)
    draw.line((xs[0], ys[1], xs[-1], ys[1]), fill=0, width=2)
    draw.line((xs[1], ys[1], xs[1], ys[2]), fill=0, width=2)  # no rule in the header row
    draw.line((xs[2], ys[0], xs[2], ys[2]), fill=0, width=2)
    (table,) = analyze_page(np.asarray(page), dpi=200).regions
    assert [(c.row, c.col, c.col_span) for c in table.cells] == [(0, 0, 2), (0, 2, 1), (1, 0, 1), (1, 1, 1), (1, 2, 1)]


def skewed_text_page(angle: float) -> np.ndarray:
    page = blank_page()
    draw = ImageDraw.Draw(page)
    for i in range(25):
        draw.text((150, 250 + i * 60), BODY[: 12 + i % 14], font=font(30), fill=0)
    return rotate(np.asarray(page), angle)


@pytest.mark.parametrize("angle", [1.0, -1.0])
def test_one_degree_skew_is_measured_and_corrected(angle):
    tilted = skewed_text_page(angle)
    assert estimate_skew(tilted) == pytest.approx(angle, abs=0.2)
    level, measured = deskew(tilted)
    assert measured == pytest.approx(angle, abs=0.2)
    assert estimate_skew(level) == pytest.approx(0.0, abs=0.2)


def test_skew_of_a_framed_table_after_deskew_keeps_the_grid():
    page = blank_page()
    draw = ImageDraw.Draw(page)
    draw_grid(draw, [140, 400, 800, 1100, 1500], [1000, 1080, 1160, 1240])
    prepared = preprocess(rotate(np.asarray(page), 1.0), Preprocessing(deskew=True))
    assert prepared.rotated and prepared.skew_deg == pytest.approx(1.0, abs=0.2)
    (table,) = analyze_page(prepared.gray, dpi=200).regions
    assert (table.rows, table.cols) == (3, 4)


def test_page_number_in_the_footer_band_is_dropped():
    page = blank_page()
    draw = ImageDraw.Draw(page)
    for i in range(6):
        draw.text((150, 300 + i * 55), BODY, font=font(30), fill=0)
    draw.text((760, 2150), "— 7 —", font=font(30), fill=0)
    layout = analyze_page(np.asarray(page), dpi=200)
    assert [r.kind for r in layout.regions] == ["text"]
    assert layout.regions[0].bbox[3] < 700
    (footer,) = layout.dropped
    assert footer.kind == "footer" and footer.bbox[1] <= 2150 <= footer.bbox[3]


def test_short_last_line_of_body_text_is_not_a_footer():
    page = blank_page()
    draw = ImageDraw.Draw(page)
    for i in range(4):
        draw.text((150, 1900 + i * 55), BODY, font=font(30), fill=0)
    draw.text((150, 1900 + 4 * 55), "保护。", font=font(30), fill=0)  # in the bottom band
    layout = analyze_page(np.asarray(page), dpi=200)
    assert layout.dropped == ()


def test_text_rows_split_a_cell_into_its_lines():
    page = blank_page((400, 140))
    draw = ImageDraw.Draw(page)
    draw.text((10, 10), "每万人口高价值", font=font(28), fill=0)
    draw.text((10, 60), "发明专利拥有量", font=font(28), fill=0)
    draw.line((10, 120, 60, 120), fill=0, width=2)  # a dash: thin but wide
    rows = text_rows(np.asarray(page))
    assert len(rows) == 3 and rows[0][3] < rows[1][1] and rows[2][3] - rows[2][1] <= 3


def test_flatten_and_binarize_make_uneven_paper_white():
    ramp = np.tile(np.linspace(150, 250, 600, dtype=np.float32), (400, 1))
    ramp[190:210, 100:500] -= 120  # a dark bar on the paper
    gray = np.clip(ramp, 0, 255).astype(np.uint8)
    flat = flatten_background(gray)
    assert flat[50, 20] > 240 and flat[50, 580] > 240 and flat[200, 300] < 150
    assert set(np.unique(binarize(flat, "otsu"))) == {0, 255}
    with pytest.raises(ValueError):
        binarize(flat, "sauvola")


# Geometry measured on page 2 and page 13 of ../shared/realdocs/gov_wenwu_keji_14th_plan.pdf
# rendered at 200 dpi and degraded at the scan level (A4: 1654 x 2339 px, glyphs 24 px).

def test_a_line_cut_in_two_pieces_is_one_block_not_two():
    # The page's first line (…做到“两个维护”，立足新发展阶) breaks into two pieces at the wide
    # white after a closing quote; the second piece joined the paragraph below.
    lines = [(253, 211, 1209, 236), (1224, 211, 1403, 236), (252, 257, 1399, 282), (254, 304, 1404, 329)]
    assert text_blocks(lines, 24.0) == [(252, 211, 1404, 329)]


def test_a_short_heading_ending_a_page_is_not_a_footer():
    # （三）加强文物价值阐释传播。 is the last line of page 13, alone in the bottom band.
    body = [(254, 1967, 1402, 1992), (252, 2014, 314, 2039)]
    heading = (320, 2084, 661, 2110)
    assert furniture(body + [heading], [], 1654, 2339, 24.0) == []


def test_a_page_number_is_still_a_footer():
    body = [(254, 1967, 1402, 1992)]
    number = (780, 2116, 875, 2158)  # — 7 —, about four glyphs wide
    assert furniture(body + [number], [], 1654, 2339, 24.0) == [("footer", number)]


def test_a_footer_is_judged_by_its_whole_row():
    # Two pieces of one line, each narrow, the row 14 glyphs wide: body text.
    pieces = [(320, 2084, 400, 2110), (420, 2084, 661, 2110)]
    assert furniture(pieces, [], 1654, 2339, 24.0) == []
