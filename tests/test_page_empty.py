"""A scan that reads nothing is said: a blank page inside a document is an issue on that
page (page_empty); a whole scan that reads nothing, and a --scan file that is not
there, end the run with a one-line error and their exit codes."""

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import CORPUS_DOC
from PIL import Image, ImageDraw
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas

from ocr.typeset import load_font
from pipeline.errors import EmptyInput
from pipeline.scan import read_scan_file

ROOT = Path(__file__).resolve().parents[1]
LINE = "专栏1 商业秘密保护工程"


def planrecover(*args):
    return subprocess.run([sys.executable, "-m", "pipeline.cli", *map(str, args)], capture_output=True, text=True,
                          cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)})


def page(text: str | None) -> bytes:
    """An A5 page at 150 dpi, white, with one line of text or none, as PNG bytes."""
    image = Image.new("L", (874, 1240), 255)
    if text:
        ImageDraw.Draw(image).text((120, 300), text, font=load_font("song", 40), fill=0)
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def pdf_of(pages: list[bytes], path: Path) -> Path:
    canvas = Canvas(str(path), pagesize=(419.5, 595.3), invariant=1)
    for png in pages:
        canvas.drawImage(ImageReader(io.BytesIO(png)), 0, 0, width=419.5, height=595.3)
        canvas.showPage()
    canvas.save()
    return path


def test_a_blank_page_inside_a_document_is_an_issue_on_that_page(tmp_path):
    scan = read_scan_file(pdf_of([page(LINE), page(None)], tmp_path / "two.pdf"), jobs=1, progress=False)
    assert "商业秘密保护工程" in scan.reading.text
    assert [(f["kind"], f["data"]) for f in scan.failures] == [("page_empty", {"page": 2})]


def test_a_scan_that_reads_nothing_is_a_one_line_error(tmp_path):
    blank = tmp_path / "blank.pdf"
    pdf_of([page(None)], blank)
    with pytest.raises(EmptyInput, match="blank.pdf: OCR read no text on any of its 1 page"):
        read_scan_file(blank, jobs=1, progress=False)
    done = planrecover("extract", CORPUS_DOC, "--scan", blank, "--out", tmp_path / "out")
    assert done.returncode == EmptyInput.exit_code == 4
    assert done.stderr.count("\n") == 1 and "blank.pdf" in done.stderr
    assert not (tmp_path / "out").exists()


def test_a_missing_scan_file_exits_3_like_any_missing_input(tmp_path):
    done = planrecover("extract", CORPUS_DOC, "--scan", tmp_path / "absent.pdf", "--out", tmp_path / "out")
    assert done.returncode == 3
    assert done.stderr.strip() == f"planrecover: {tmp_path / 'absent.pdf'}: no such file (given as --scan)"
    assert not (tmp_path / "out").exists()
