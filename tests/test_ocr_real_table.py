"""The indicator table of a real plan, printed as an image, read cell by cell from a
degraded render of its page.

Page 3 of ../shared/realdocs/gov_wenwu_keji_14th_plan.pdf is the table 专栏1 as an
embedded JPEG. Rendered at 200 dpi and degraded at the scan level (the bench's seed),
its 2025 column is read with RapidOCR. The expected values are the column as printed,
read by eye from the page image (bench/real/gov_wenwu_keji_14th_plan.truth.json)."""

import unicodedata
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from ocr.degrade import degrade
from ocr.engines import get_engine
from ocr.layout import analyze_page, cell_interior, crop
from ocr.preprocess import default_for, preprocess
from ocr.render import render_pages
from ocr.standin import DEFAULT_SEED, page_seed

PDF = Path(__file__).parents[1].parent / "shared" / "realdocs" / "gov_wenwu_keji_14th_plan.pdf"

# The 2025 column, top to bottom: its header, then the 21 rows' targets.
PRINTED_2025 = ["2025年", "新增一批", "23500", "6000", "100", "100", "100", "31", "＞10", "41200", "5900", "1",
                "40—45", "210", "30", "6500", "30000", "14", "12200", "19.5", "10000", "27000"]


def folded(text: str) -> str:
    """Widths and dash forms aside (＞ and >, — and -): the digits and words are judged."""
    return unicodedata.normalize("NFKC", text).replace("—", "-")


@pytest.fixture(scope="module")
def table_page():
    assert PDF.exists(), "../shared/realdocs/gov_wenwu_keji_14th_plan.pdf is missing"
    page = next(p for p in render_pages(PDF, dpi=200) if p.number == 3)
    gray = degrade(Image.fromarray(page.pixels), "scan", page_seed(DEFAULT_SEED, 3), 200)
    prepared = preprocess(np.asarray(gray), default_for("rapidocr")).gray
    return prepared, analyze_page(prepared, 200, 3)


def test_the_target_column_reads_as_printed(table_page):
    gray, layout = table_page
    table = next(r for r in layout.regions if r.kind == "table")
    engine = get_engine("rapidocr")
    column = [c for c in table.cells if c.col == 3 and c.row >= 1]
    read = [engine.recognize_cell(crop(gray, cell_interior(c, layout.rule_thickness))).text for c in sorted(column, key=lambda c: c.row)]
    assert [folded(t) for t in read] == [folded(t) for t in PRINTED_2025]
