"""Choosing the reader by content, `read_input`, and `planrecover extract` on each format."""

import io
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import docx
import pytest

from pipeline.errors import DocumentUnreadable, UnsupportedInput
from pipeline.ingest import read_input
from read.sniff import sniff_format

ROOT = Path(__file__).resolve().parents[1]
REALDOCS = ROOT.parent / "shared" / "realdocs"


def _docx_bytes() -> bytes:
    document = docx.Document()
    document.add_paragraph("一、总体要求")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _zip_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("xl/workbook.xml", "<workbook/>")
    return buffer.getvalue()


PAGE_TAGS = "<div><p>一</p><p>二</p><p>三</p><p>四</p><br><span>五</span><table><tr><td>六</td></tr></table></div>"


@pytest.mark.parametrize(
    "data, name, expected",
    [
        (b"%PDF-1.7\n", "plan.pdf", "pdf"),
        (_docx_bytes(), "plan.bin", "docx"),  # content, not extension
        (_zip_bytes(), "book.xlsx", "text"),  # a ZIP but not Word: the text path refuses it
        (b"PK\x03\x04broken", "plan.docx", "docx"),  # a broken .docx goes to the reader that can say so
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100), "plan.dat", "doc"),
        ("\ufeff  \n<!DOCTYPE html><html><body><p>规划</p></body></html>".encode("utf-8"), "plan.txt", "html"),
        (b"<HTML><head><title>x</title></head></HTML>", "page", "html"),
        (PAGE_TAGS.encode("utf-8"), "fragment.txt", "html"),
        ("# 规划\n\n正文<br>换行\n".encode("utf-8"), "plan.md", "text"),  # Markdown with a tag stays text
        ("专栏1 商业秘密保护工程\n".encode("gb18030"), "plan.txt", "text"),
        ("<p>规划</p>".encode("utf-16"), "plan.txt", "text"),  # UTF-16 is the text path's
    ],
)
def test_sniff_by_content(data, name, expected):
    assert sniff_format(data, name) == expected


def test_html_named_txt_is_read_as_html_and_text_format_overrides(tmp_path):
    page = tmp_path / "plan.txt"
    page.write_text("<!DOCTYPE html><html><body><p>一、总体要求</p><p>二、主要任务</p></body></html>", encoding="utf-8")
    assert read_input(page).text == "一、总体要求\n\n二、主要任务\n"
    as_text = read_input(page, "text")
    assert as_text.format == "text" and as_text.text.startswith("<!DOCTYPE html>")


def test_text_input_is_read_as_before(tmp_path):
    plan = tmp_path / "plan.txt"
    plan.write_bytes("专栏1 商业秘密保护工程\r\n".encode("gb18030"))
    source = read_input(plan)
    assert (source.format, source.encoding, source.text, source.document, source.origin) == ("text", "gb18030", "专栏1 商业秘密保护工程\n", None, ())


def test_a_zip_that_is_not_word_is_refused(tmp_path):
    book = tmp_path / "book.xlsx"
    book.write_bytes(_zip_bytes())
    with pytest.raises(UnsupportedInput, match="ZIP archive other than a Word .docx"):
        read_input(book)


def test_forcing_a_format_the_file_is_not(tmp_path):
    plan = tmp_path / "plan.txt"
    plan.write_text("一、总体要求\n", encoding="utf-8")
    with pytest.raises(DocumentUnreadable):
        read_input(plan, "docx")


def planrecover(*args):
    return subprocess.run(
        [sys.executable, "-m", "pipeline.cli", *map(str, args)],
        capture_output=True, text=True, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
    )


def test_cli_format_option_overrides_and_fails_in_one_line(tmp_path):
    plan = tmp_path / "plan.txt"
    plan.write_text("一、总体要求\n", encoding="utf-8")
    done = planrecover("extract", plan, "--out", tmp_path / "out", "--format", "docx")
    assert done.returncode == 11 and done.stderr.count("\n") == 1 and "not a readable Word document" in done.stderr


def test_cli_says_what_a_reader_clamped(tmp_path):
    page = tmp_path / "page.html"
    page.write_text('<!DOCTYPE html><table><tr><td rowspan="99999">专栏</td><td>甲</td></tr><tr><td>乙</td></tr></table>', encoding="utf-8")
    done = planrecover("extract", page, "--out", tmp_path / "out", "--allow-empty")
    assert done.returncode == 0, done.stderr
    assert done.stderr.startswith("planrecover: note: table /html/body/table: a cell's span (rowspan 99999") and "clamped" in done.stderr


@pytest.mark.parametrize(
    "name", ["zhongyang_no1_document_2026.docx", "hainan_farm_machinery_subsidy_plan_2024.doc", "gz_family_doctor_plan_2023.html"]
)
def test_cli_extracts_each_real_format_and_replays_it(tmp_path, name):
    source, out = REALDOCS / name, tmp_path / "out"
    done = planrecover("extract", source, "--out", out, "--allow-empty")
    assert done.returncode == 0, done.stderr
    assert {"plan.repaired.txt", "changes.jsonl", "plan.diff", "plan.json", "report.html"} <= {p.name for p in out.iterdir()}
    plan = json.loads((out / "plan.json").read_text(encoding="utf-8"))
    assert plan["document"]["source_name"] == name and plan["document"]["encoding"].split(":")[0] == source.suffix[1:]
    replayed = planrecover("replay", source, out / "changes.jsonl")
    assert replayed.returncode == 0, replayed.stderr
    assert replayed.stdout == (out / "plan.repaired.txt").read_text(encoding="utf-8")
