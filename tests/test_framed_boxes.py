"""A 专栏 printed as a one-column table (a frame around paragraphs), as gov.cn pages and
Word documents print boxes: its paragraphs stay lines of their own, so the box's items
and its statement are read; a table of several columns stays a grid."""

import io
import json
import subprocess
import sys

from docx import Document as WordDocument

from read.docx import read_docx
from read.html import read_html
from read.textview import text_view

PAGE = """<html><head><meta charset="utf-8"></head><body><div id="UCAP-CONTENT">
<p>二、重点任务</p>
<table border="1"><tbody>
<tr><td><p align="center">专栏2 重点工程</p></td></tr>
<tr><td><p>1．技术攻关工程。突破一批关键技术。</p><p>2．平台建设工程。建设一批创新平台。</p>
<p>（国家发展改革委牵头，工业和信息化部、科技部等按职责分工负责）</p></td></tr>
</tbody></table>
<p>三、保障措施</p>
<table border="1"><tr><td>类别</td><td>重点任务</td></tr><tr><td>平台</td><td>建设创新平台<br>完善服务</td></tr></table>
</div></body></html>"""


def test_a_framed_box_keeps_its_paragraphs_as_lines():
    text, origin = text_view(read_html(PAGE.encode(), "box.html"))
    assert "专栏2 重点工程\n1．技术攻关工程。突破一批关键技术。\n2．平台建设工程。建设一批创新平台。\n（国家发展改革委牵头" in text
    # a grid keeps one row per line, a line break inside a cell shown as a space
    assert "类别\t重点任务\n平台\t建设创新平台 完善服务\n" in text
    assert len(origin) == len(text)


def test_a_framed_box_in_a_word_document_too():
    word = WordDocument()
    word.add_paragraph("二、重点任务")
    table = word.add_table(rows=2, cols=1)
    table.cell(0, 0).text = "专栏3 示范行动"
    body = table.cell(1, 0)
    body.text = "1．示范城市建设。建设一批示范城市。"
    body.add_paragraph("2．示范园区建设。培育一批示范园区。")
    buffer = io.BytesIO()
    word.save(buffer)
    text, _ = text_view(read_docx(buffer.getvalue(), "box.docx"))
    assert "专栏3 示范行动\n1．示范城市建设。建设一批示范城市。\n2．示范园区建设。培育一批示范园区。\n" in text


def test_the_box_items_and_statement_are_extracted(tmp_path):
    page = tmp_path / "box.html"
    page.write_text(PAGE, encoding="utf-8")
    out = tmp_path / "out"
    run = subprocess.run([sys.executable, "-m", "pipeline.cli", "extract", str(page), "--out", str(out)], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    plan = json.loads((out / "plan.json").read_text(encoding="utf-8"))
    (box,) = plan["programmes"]
    assert (box["number"], box["title"]) == (2, "重点工程")
    assert [item["heading"] for item in box["items"]] == ["技术攻关工程", "平台建设工程"]
    (statement,) = box["assignments"]
    assert statement["lead"] == ["国家发展和改革委员会"]
    assert statement["participants"] == ["工业和信息化部", "科学技术部"]
