"""The .docx reader: documents built here with python-docx, and the real 2026 No. 1 Document."""

import io
import re
import zipfile
from pathlib import Path

import docx
import pytest

from pipeline.errors import DocumentUnreadable, EmptyInput
from pipeline.ingest import read_input
from read.docx import read_docx
from read.textview import text_view

REALDOCS = Path(__file__).resolve().parents[1].parent / "shared" / "realdocs"


def _saved(document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def built_document() -> bytes:
    """A heading, paragraphs, a table with a vertical and a horizontal merge between
    paragraphs, a bulleted item, a tab, a Title and a page header."""
    document = docx.Document()
    document.sections[0].header.paragraphs[0].text = "页眉文字"
    document.add_heading("某省实施方案", level=1)
    document.add_paragraph("一、总体要求")
    document.add_paragraph("\u3000\u3000坚持稳中求进。")
    table = document.add_table(rows=3, cols=3)
    for cell, text in zip(table.rows[0].cells, ["类别", "指标", "目标"]):
        cell.text = text
    table.cell(1, 0).merge(table.cell(2, 0)).text = "经济"  # vMerge restart / continue
    table.cell(1, 1).text = "增长率"
    table.cell(1, 2).text = "6%"
    table.cell(2, 1).merge(table.cell(2, 2)).text = "另行确定"  # gridSpan 2
    document.add_paragraph("二、主要任务")
    document.add_paragraph("第一项", style="List Bullet")
    document.add_paragraph("海南省农业农村厅\t海南省财政厅")
    document.add_heading("附件", 0)
    return _saved(document)


def test_body_order_interleaves_paragraphs_and_tables():
    document = read_docx(built_document(), "built.docx")
    assert [(b.kind, b.level, b.provenance.where) for b in document.blocks] == [
        ("heading", 1, "paragraph 1"),
        ("paragraph", None, "paragraph 2"),
        ("paragraph", None, "paragraph 3"),
        ("table", None, "table 1"),
        ("paragraph", None, "paragraph 4"),
        ("list_item", None, "paragraph 5"),
        ("paragraph", None, "paragraph 6"),
        ("heading", 0, "paragraph 7"),
        ("furniture", None, "section 1 header paragraph 1"),
    ]


def test_text_view_of_the_built_document():
    text, origin = text_view(read_docx(built_document(), "built.docx"))
    # By hand: the indent gone, 经济 printed once (its second row starts empty),
    # 另行确定 followed by the position its span covers, the tab shown as a space,
    # the header left out.
    assert text == (
        "某省实施方案\n\n一、总体要求\n\n坚持稳中求进。\n\n"
        "类别\t指标\t目标\n经济\t增长率\t6%\n\t另行确定\t\n\n"
        "二、主要任务\n\n第一项\n\n海南省农业农村厅 海南省财政厅\n\n附件\n"
    )
    assert len(origin) == len(text)
    assert origin[text.index("另行确定")] == 3 and origin[text.index("二、主要任务")] == 4
    assert origin[text.index("\t另行确定")] == -1


def test_merged_cells_are_spans():
    table = read_docx(built_document(), "built.docx").blocks[3]
    cells = {c.text: (c.row, c.col, c.rowspan, c.colspan, c.provenance.where) for c in table.cells}
    assert cells["经济"] == (1, 0, 2, 1, "table 1 row 2 cell 1")
    assert cells["另行确定"] == (2, 1, 1, 2, "table 1 row 3 cell 2")
    assert len(table.cells) == 7


def test_the_model_keeps_the_tab_the_view_shows_as_a_space():
    block = read_docx(built_document(), "built.docx").blocks[6]
    assert block.text == "海南省农业农村厅\t海南省财政厅"


def test_not_a_zip_is_unreadable():
    with pytest.raises(DocumentUnreadable, match="bad ZIP"):
        read_docx("一段文字".encode(), "fake.docx")


def test_zip_without_a_word_document_is_unreadable():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("xl/workbook.xml", "<workbook/>")
    with pytest.raises(DocumentUnreadable, match="word/document.xml"):
        read_docx(buffer.getvalue(), "book.docx")


def _with_document_xml(data: bytes, edit) -> bytes:
    source, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(out, "w") as package:
        for info in source.infolist():
            body = source.read(info.filename)
            package.writestr(info, edit(body.decode("utf-8")).encode("utf-8") if info.filename == "word/document.xml" else body)
    return out.getvalue()


def test_broken_xml_is_unreadable_in_one_line():
    broken = _with_document_xml(built_document(), lambda xml: xml[: len(xml) // 2])
    with pytest.raises(DocumentUnreadable) as caught:
        read_docx(broken, "broken.docx")
    assert "\n" not in str(caught.value)


def test_external_entities_are_never_resolved(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOPSECRET", encoding="utf-8")

    def inject(xml: str) -> str:
        end = xml.index("?>") + 2
        doctype = f'<!DOCTYPE w:document [<!ENTITY leak SYSTEM "{secret.as_uri()}">]>'
        return xml[:end] + doctype + xml[end:].replace("一、总体要求", "一、总体要求&leak;")

    text, _ = text_view(read_docx(_with_document_xml(built_document(), inject), "xxe.docx"))
    assert "一、总体要求" in text and "TOPSECRET" not in text


def test_a_document_without_text_is_empty():
    with pytest.raises(EmptyInput):
        read_docx(_saved(docx.Document()), "empty.docx")


# The real document: the 2026 No. 1 Central Document as released, typed in Word.


@pytest.fixture(scope="module")
def no1():
    return read_input(REALDOCS / "zhongyang_no1_document_2026.docx")


def test_no1_reads_as_docx_with_its_title_heading(no1):
    assert no1.format == "docx" and no1.encoding == "docx:python-docx"
    first = no1.document.blocks[0]
    assert (first.kind, first.level, first.text) == ("heading", 1, "2026年中央一号文件")
    assert len([b for b in no1.document.blocks if b.kind != "furniture"]) == 37


def test_no1_gives_its_six_sections_in_order(no1):
    sections = re.findall(r"^([一二三四五六七八九十]+)、(.+)$", no1.text, flags=re.M)
    assert [number for number, _ in sections] == ["一", "二", "三", "四", "五", "六"]
    assert sections[0][1] == "提升农业综合生产能力和质量效益"
    assert sections[5][1] == "加强党对“三农”工作的全面领导"


def test_no1_items_follow_their_sections(no1):
    items = re.findall(r"^（([一二三四五六七八九十]+)）", no1.text, flags=re.M)
    assert len(items) == 27 and items[0] == "一" and items[-1] == "二十七"
    assert no1.text.index("（七）健全常态化帮扶政策体系") > no1.text.index("二、实施常态化精准帮扶") > no1.text.index("（六）")
