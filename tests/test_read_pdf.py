"""The born-digital PDF reader (read/pdf.py) on PDFs typeset here with reportlab (a ruled
indicator table with hairline rules and a merged 类别 cell, a framed 专栏 that a page
break cuts, running headers and page numbers, a picture), with expectations taken from
what is typeset; and on the real plans in ../shared/realdocs/, whose text the reader
must keep as the text layer prints it (white space and furniture aside)."""

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

from read.pdf import read_pdf
from read.textview import text_view

ROOT = Path(__file__).resolve().parents[1]
REALDOCS = ROOT.parent / "shared" / "realdocs"
PAGE = (595.0, 842.0)
LEFT, SIZE = 72.0, 12.0  # text column from 72 pt, 12 pt characters: 37 to a full line

HEADER = "某省制造业发展规划（2021—2025年）"
TITLE = "某省制造业高质量发展“十四五”规划"
# One paragraph over two lines: its first line indented two characters, full to the margin.
PARAGRAPH = ("到2025年，全省制造业增加值占地区生产总值比重保持基本稳定，产业结构",
             "持续优化，创新能力显著增强，质量效益明显提升。")
# (row, col, rowspan, colspan, text) as typeset; the 类别 cell 规模 spans two rows.
TABLE = [
    (0, 0, 1, 5, "专栏1 主要指标"),
    (1, 0, 1, 1, "类别"), (1, 1, 1, 1, "指标"), (1, 2, 1, 1, "2020年"), (1, 3, 1, 1, "2025年"), (1, 4, 1, 1, "属性"),
    (2, 0, 2, 1, "规模"), (2, 1, 1, 1, "制造业增加值（亿元）"), (2, 2, 1, 1, "1000"), (2, 3, 1, 1, "1500"), (2, 4, 1, 1, "预期性"),
    (3, 1, 1, 1, "工业增加值增速（%）"), (3, 2, 1, 1, "6"), (3, 3, 1, 1, "7"), (3, 4, 1, 1, "预期性"),
    (4, 0, 1, 1, "质量"), (4, 1, 1, 1, "产品合格率（%）"), (4, 2, 1, 1, "95"), (4, 3, 1, 1, "98"), (4, 4, 1, 1, "约束性"),
]
COLUMNS = [72.0, 132.0, 292.0, 362.0, 432.0, 502.0]  # x of the vertical rules
ROW_TOP, ROW_HEIGHT = 200.0, 24.0
BOX_TITLE = "专栏2 智能制造工程"
BOX_ITEMS = ("(1)智能工厂。建设100家智能工厂。", "(2)工业互联网。建设10个平台。")
AFTER = ("二、保障措施", "加强组织领导，完善工作机制。")


def _text(canvas, face, x, top, string, size=SIZE):
    canvas.setFont(face, size)
    canvas.drawString(x, PAGE[1] - top - size, string)


def _rule(canvas, x0, top, x1, bottom):
    canvas.line(x0, PAGE[1] - top, x1, PAGE[1] - bottom)


def build_plan_pdf(path: Path) -> Path:
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen.canvas import Canvas

    from ocr.standin import register_text_layer_font

    face = register_text_layer_font()
    canvas = Canvas(str(path), pagesize=PAGE, invariant=1)
    canvas.setLineWidth(0.25)  # hairline rules
    # Page 1: header, title, a paragraph, the ruled table, the box's first part, page number.
    _text(canvas, face, 200, 30, HEADER, 9)
    _text(canvas, face, 190, 80, TITLE)
    _text(canvas, face, LEFT + 2 * SIZE, 120, PARAGRAPH[0])
    _text(canvas, face, LEFT, 140, PARAGRAPH[1])
    rows = 5
    for r in range(rows + 1):
        y = ROW_TOP + r * ROW_HEIGHT
        start = COLUMNS[1] if r == 3 else COLUMNS[0]  # no rule between the two 规模 rows under 类别
        _rule(canvas, start, y, COLUMNS[-1], y)
    for i, x in enumerate(COLUMNS):
        top = ROW_TOP if i in (0, len(COLUMNS) - 1) else ROW_TOP + ROW_HEIGHT  # the title row spans all
        _rule(canvas, x, top, x, ROW_TOP + rows * ROW_HEIGHT)
    for row, col, rowspan, colspan, text in TABLE:
        top = ROW_TOP + row * ROW_HEIGHT + (rowspan * ROW_HEIGHT - SIZE) / 2
        _text(canvas, face, COLUMNS[col] + 4, top, text, 10 if col == 1 else SIZE)
    # The box: its frame open at the page bottom.
    _rule(canvas, LEFT, 640, 502, 640)
    _rule(canvas, LEFT, 640, LEFT, 770)
    _rule(canvas, 502, 640, 502, 770)
    _text(canvas, face, 230, 650, BOX_TITLE)
    _text(canvas, face, LEFT + 8, 680, BOX_ITEMS[0])
    _text(canvas, face, 280, 800, "— 1 —", 10)
    canvas.showPage()
    # Page 2: header, the box's second part (open at its top), the text after it, a picture, page number.
    canvas.setLineWidth(0.25)
    _text(canvas, face, 200, 30, HEADER, 9)
    _rule(canvas, LEFT, 72, LEFT, 120)
    _rule(canvas, 502, 72, 502, 120)
    _rule(canvas, LEFT, 120, 502, 120)
    _text(canvas, face, LEFT + 8, 84, BOX_ITEMS[1])
    _text(canvas, face, LEFT, 150, AFTER[0])
    _text(canvas, face, LEFT + 2 * SIZE, 175, AFTER[1])
    picture = Image.new("RGB", (400, 200), (200, 60, 60))
    buffer = io.BytesIO()
    picture.save(buffer, format="PNG")
    canvas.drawImage(ImageReader(buffer), LEFT, PAGE[1] - 420, width=200, height=100)
    _text(canvas, face, 285, 800, "-2-", 10)
    canvas.showPage()
    canvas.save()
    return path


@pytest.fixture(scope="module")
def plan_pdf(tmp_path_factory) -> Path:
    return build_plan_pdf(tmp_path_factory.mktemp("pdf") / "plan.pdf")


@pytest.fixture(scope="module")
def document(plan_pdf):
    return read_pdf(plan_pdf.read_bytes(), plan_pdf.name)


def test_the_ruled_table_is_read_cell_by_cell_with_the_merged_category(document):
    (table,) = [b for b in document.blocks if b.kind == "table"]
    assert [(c.row, c.col, c.rowspan, c.colspan, c.text) for c in table.cells] == TABLE
    assert table.provenance.where.startswith("page 1 bbox 72,200,502,320")
    assert table.cells[6].provenance.where.startswith("page 1 table 1 row 3 col 1 bbox")


def test_the_framed_box_across_the_page_break_is_one_box(document):
    (box,) = [b for b in document.blocks if b.kind == "box"]
    assert box.text == "\n".join((BOX_TITLE,) + BOX_ITEMS)
    assert box.provenance.where == "page 1 bbox 72,640,502,770; page 2 bbox 72,72,502,120"


def test_page_furniture_is_kept_but_not_text(document):
    furniture = [(b.text, b.provenance.where.split(" bbox")[0]) for b in document.blocks if b.kind == "furniture"]
    assert furniture == [(HEADER, "page 1"), ("— 1 —", "page 1"), (HEADER, "page 2"), ("-2-", "page 2")]
    text, origin = text_view(document)
    assert HEADER not in text and "— 1 —" not in text and "-2-" not in text
    assert len(origin) == len(text)


def test_lines_are_joined_into_paragraphs_in_reading_order(document):
    kinds = [(b.kind, b.text) for b in document.blocks if b.kind != "furniture"]
    assert kinds[:2] == [("paragraph", TITLE), ("paragraph", "".join(PARAGRAPH))]
    assert [k for k, _ in kinds] == ["paragraph", "paragraph", "table", "box", "paragraph", "paragraph", "image"]
    assert kinds[4:6] == [("paragraph", AFTER[0]), ("paragraph", AFTER[1])]
    image = [b for b in document.blocks if b.kind == "image"][0]
    assert image.provenance.where == "page 2 image 1 bbox 72,320,272,420"  # drawn 100 pt high with its foot 420 pt from the top


def test_the_text_view_is_the_text_layer_but_for_white_space_and_furniture(plan_pdf, document):
    import pdfplumber

    with pdfplumber.open(str(plan_pdf)) as pdf:
        layer = "".join(page.extract_text() for page in pdf.pages)
    for furniture in (HEADER, "— 1 —", "-2-"):
        layer = layer.replace(furniture, "")
    view = text_view(document)[0]
    assert sorted("".join(layer.split())) == sorted("".join(view.split()))  # every character, once


@pytest.mark.parametrize("name", ["gov_wenwu_keji_14th_plan.pdf", "ncha_geming_wenwu_14th_plan.pdf"])
def test_a_real_plan_keeps_its_body_text_as_printed(name):
    import pdfplumber

    path = REALDOCS / name
    with pdfplumber.open(str(path)) as pdf:
        layer = "".join(page.dedupe_chars().extract_text() for page in pdf.pages)
        images = sum(len(page.images) for page in pdf.pages)
    document = read_pdf(path.read_bytes(), name)
    assert "".join(text_view(document)[0].split()) == "".join(layer.split())  # same characters, same order
    # Their table and boxes are pictures: image regions for OCR, no ruled table or frame.
    assert sum(b.kind == "image" for b in document.blocks) == images
    assert not [b for b in document.blocks if b.kind in ("table", "box")]


def test_through_the_cli_the_table_and_the_box_reach_the_extractors(plan_pdf, tmp_path):
    from pipeline.scan import read_document

    source, scan, issues = read_document(plan_pdf, progress=False)
    assert (scan, issues, source.format, source.encoding) == (None, [], "pdf", "pdf-text-layer:pdfplumber")
    assert source.document is not None and len(source.origin) == len(source.text)
    out = tmp_path / "out"
    done = subprocess.run([sys.executable, "-m", "pipeline.cli", "extract", str(plan_pdf), "--out", str(out)], capture_output=True,
                          text=True, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert done.returncode == 0, done.stderr
    plan = json.loads((out / "plan.json").read_text(encoding="utf-8"))
    assert [(i["name"], i["category"], i["baseline"]["raw"], i["target"]["raw"], i["attribute"]) for i in plan["indicators"]] == [
        ("制造业增加值", "规模", "1000", "1500", "预期性"),
        ("工业增加值增速", "规模", "6", "7", "预期性"),  # its category from the merged cell above
        ("产品合格率", "质量", "95", "98", "约束性"),
    ]
    assert [(p["number"], p["title"], [item["text"] for item in p["items"]]) for p in plan["programmes"]] == [
        (1, "主要指标", []),
        (2, "智能制造工程", list(BOX_ITEMS)),  # the item after the page break, without the page's furniture
    ]
    repaired = (out / "plan.repaired.txt").read_text(encoding="utf-8")
    assert HEADER not in repaired and "— 1 —" not in repaired


def _grid_table(canvas, face, top: float, rows: list[tuple[str, ...]], columns: list[float], closed_top: bool = True):
    """A fully ruled table of single cells, ROW_HEIGHT a row."""
    for r in range(len(rows) + 1):
        if r or closed_top:
            _rule(canvas, columns[0], top + r * ROW_HEIGHT, columns[-1], top + r * ROW_HEIGHT)
    for x in columns:
        _rule(canvas, x, top, x, top + len(rows) * ROW_HEIGHT)
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            _text(canvas, face, columns[c] + 4, top + r * ROW_HEIGHT + 6, text)


def test_a_table_cut_by_a_page_break_is_one_table_and_its_rows_stay_in_order(tmp_path):
    from reportlab.pdfgen.canvas import Canvas

    from ocr.standin import register_text_layer_font

    face = register_text_layer_font()
    columns = [72.0, 252.0, 352.0, 452.0]
    first = [("指标", "2020年", "2025年"), ("森林覆盖率（%）", "23.0", "24.1")]
    second = [("湿地保护率（%）", "50", "55"), ("草原综合植被盖度（%）", "56", "57")]
    path = tmp_path / "split.pdf"
    canvas = Canvas(str(path), pagesize=PAGE, invariant=1)
    canvas.setLineWidth(0.25)
    _text(canvas, face, LEFT, 640, "表1 主要指标")
    _grid_table(canvas, face, 700, first, columns)
    canvas.showPage()
    canvas.setLineWidth(0.25)
    _grid_table(canvas, face, 72, second, columns)
    _text(canvas, face, LEFT + 2 * SIZE, 140, "下一段。")
    canvas.showPage()
    canvas.save()
    blocks = read_pdf(path.read_bytes(), path.name).blocks
    assert [b.kind for b in blocks] == ["paragraph", "table", "paragraph"]
    assert blocks[1].text == "\n".join("\t".join(row) for row in first + second)
    assert blocks[1].provenance.where == "page 1 bbox 72,700,452,748; page 2 bbox 72,72,452,120"


def test_a_paragraph_that_a_page_break_cut_is_one_paragraph():
    # 《“十四五”文物保护和科技创新规划》: page 1 ends mid-sentence (…关于文物工), page 2 goes on (作的重要指示…).
    document = read_pdf((REALDOCS / "gov_wenwu_keji_14th_plan.pdf").read_bytes(), "wenwu.pdf")
    (block,) = [b for b in document.blocks if "关于文物工作的重要指示批示精神，增强" in b.text]
    assert block.kind == "paragraph" and block.text.startswith("高举中国特色社会主义伟大旗帜")
    assert block.provenance.where.startswith("page 1 bbox") and "; page 2 bbox" in block.provenance.where


def test_a_page_ruled_like_graph_paper_is_not_a_table_and_keeps_its_text(tmp_path):
    # 201 x 201 rules would make 40 000 cells: a drawing (or a hostile file), not a plan's table.
    from reportlab.pdfgen.canvas import Canvas

    from ocr.standin import register_text_layer_font

    face = register_text_layer_font()
    path = tmp_path / "grid.pdf"
    canvas = Canvas(str(path), pagesize=PAGE, invariant=1)
    canvas.setLineWidth(0.1)
    for i in range(201):
        _rule(canvas, 20, 20 + i * 4, 575, 20 + i * 4)
        _rule(canvas, 20 + i * 2.75, 20, 20 + i * 2.75, 820)
    _text(canvas, face, LEFT, 300, "图上的文字。")
    canvas.showPage()
    canvas.save()
    blocks = read_pdf(path.read_bytes(), path.name).blocks
    assert [(b.kind, b.text) for b in blocks] == [("paragraph", "图上的文字。")]


def test_the_layer_is_kept_where_the_reader_would_not_give_its_every_character(plan_pdf):
    from pipeline.ingest import SourceText
    from read.pdf import structured_source

    from ocr.pdf_regions import read_pdf_layout

    text = "\n".join(page.text for page in read_pdf_layout(plan_pdf))
    layer = SourceText(plan_pdf.name, "0" * 64, "pdf-text-layer", text)
    assert structured_source(plan_pdf.name, plan_pdf.read_bytes(), layer).format == "pdf"  # the same characters: the model's view
    more = SourceText(plan_pdf.name, "0" * 64, "pdf-text-layer", text + "\n附件")  # a character the reader did not see
    assert structured_source(plan_pdf.name, plan_pdf.read_bytes(), more) is more
