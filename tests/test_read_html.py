"""The HTML reader: pages built here with known content, and the real Guangzhou page."""

import json
from pathlib import Path

import pytest

import read.html
from pipeline.errors import DocumentUnreadable
from pipeline.ingest import read_input
from read.html import read_html
from read.textview import text_view

REALDOCS = Path(__file__).resolve().parents[1].parent / "shared" / "realdocs"
GZ_PAGE = REALDOCS / "gz_family_doctor_plan_2023.html"

PAGE = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>某市规划</title>
<style>p { color: red }</style><script>var menu = "首页导航菜单";</script></head>
<body>
<nav><a href="/">首页</a> <a href="/news">新闻中心</a></nav>
<div class="search"><input value="请输入"><button>搜索</button></div>
<div id="main">
<h1>某市“十四五”发展规划</h1>
<p>\u3000\u3000一、总体要求</p>
<p>\u3000\u3000坚持&nbsp;&nbsp;稳中求进，<br/>推动高质量发展。</p>
<table>
<tr><th>类别</th><th>指标</th><th>2025年</th></tr>
<tr><td rowspan="2">经济</td><td>增长率</td><td>6%</td></tr>
<tr><td>投资</td><td>5%</td></tr>
<tr><td colspan="2">合计</td><td>—</td></tr>
</table>
<ul><li>第一项任务</li><li>第二项任务</li></ul>
<p style="display: none">隐藏的文字</p>
</div>
<div class="footer">版权所有</div>
</body></html>
"""

# Written by hand from PAGE: the heading, two paragraphs (the <br> kept as a line break,
# &nbsp; and indents gone), the table with the merged 经济 printed once and the merged
# 合计 followed by the empty position it covers, the two list items.
PAGE_VIEW = (
    "某市“十四五”发展规划\n\n"
    "一、总体要求\n\n"
    "坚持 稳中求进，\n推动高质量发展。\n\n"
    "类别\t指标\t2025年\n"
    "经济\t增长率\t6%\n"
    "\t投资\t5%\n"
    "合计\t\t—\n\n"
    "第一项任务\n\n"
    "第二项任务\n"
)


def test_page_reads_to_its_blocks_and_text_view():
    document = read_html(PAGE.encode("utf-8"), "page.html")
    assert [(b.kind, b.level) for b in document.blocks] == [
        ("heading", 1), ("paragraph", None), ("paragraph", None), ("table", None), ("list_item", None), ("list_item", None),
    ]
    text, origin = text_view(document)
    assert text == PAGE_VIEW
    assert document.meta["title"] == "某市规划" and document.meta["content_root"] == "/html/body/div[2]"


def test_chrome_is_not_text():
    text, _ = text_view(read_html(PAGE.encode("utf-8"), "page.html"))
    for chrome in ("首页", "新闻中心", "搜索", "请输入", "版权所有", "隐藏的文字", "color", "menu"):
        assert chrome not in text


def test_table_cells_keep_their_spans():
    table = read_html(PAGE.encode("utf-8"), "page.html").blocks[3]
    cells = {c.text: (c.row, c.col, c.rowspan, c.colspan) for c in table.cells}
    assert cells["经济"] == (1, 0, 2, 1)
    assert cells["投资"] == (2, 1, 1, 1)
    assert cells["合计"] == (3, 0, 1, 2)
    assert cells["—"] == (3, 2, 1, 1)


def test_provenance_is_the_element_path_and_its_offset_in_the_page():
    document = read_html(PAGE.encode("utf-8"), "page.html")
    second = document.blocks[1]
    assert second.provenance.where == "/html/body/div[2]/p[1]"
    assert second.provenance.offset == PAGE.index("<p>\u3000\u3000一、总体要求")
    cell = next(c for c in document.blocks[3].cells if c.text == "经济")
    assert cell.provenance.where == "/html/body/div[2]/table/tr[2]/td[1]"
    assert cell.provenance.offset == PAGE.index('<td rowspan="2">经济')


def test_origin_maps_each_character_to_its_block_or_to_a_separator():
    document = read_html(PAGE.encode("utf-8"), "page.html")
    text, origin = text_view(document)
    assert len(origin) == len(text)
    assert origin[text.index("一、总体要求")] == 1
    assert origin[text.index("推动")] == 2 and origin[text.index("推动") - 1] == 2  # the <br>'s line break is the block's
    assert origin[text.index("投资")] == 3 and origin[text.index("投资") - 1] == -1  # the tab before it: the view's
    assert origin[text.index("第二项")] == 5
    assert all(origin[i] == -1 for i, char in enumerate(text) if text[i : i + 2] == "\n\n")


@pytest.mark.parametrize(
    "head, encoded",
    [
        ('<meta http-equiv="Content-Type" content="text/html; charset=gb2312">', "gb18030"),
        ('<meta charset="GBK">', "gb18030"),
        ("", "gb18030"),  # no declaration: not UTF-8, so GB18030
        ('<meta charset="utf-8">', "utf-8"),
    ],
)
def test_charsets(head, encoded):
    page = f"<html><head>{head}</head><body><p>国家知识产权局牵头，市场监管总局参与</p></body></html>"
    document = read_html(page.encode(encoded), "page.html")
    assert text_view(document)[0] == "国家知识产权局牵头，市场监管总局参与\n"
    assert document.meta["charset"] == encoded


def test_binary_data_is_not_a_page():
    with pytest.raises(DocumentUnreadable):
        read_html(b"<html>\x00\x01\x02</html>", "page.html")


def test_a_page_the_parser_cannot_finish_is_refused_not_cut():
    page = "<p>前文</p>" + "<div>" * 300 + "正文" + "</div>" * 300 + "<p>后文</p>"
    with pytest.raises(DocumentUnreadable, match="refused rather than read in part"):
        read_html(page.encode("utf-8"), "deep.html")


def test_absurd_spans_are_clamped_and_said():
    page = '<table><tr><td rowspan="99999">甲</td><td colspan="5000">乙</td></tr><tr><td>丙</td></tr></table>'
    document = read_html(page.encode("utf-8"), "page.html")
    assert text_view(document)[0] == "甲\t乙\n\t丙\n"
    assert [(c.text, c.rowspan, c.colspan) for c in document.blocks[0].cells] == [("甲", 2, 1), ("乙", 1, 1), ("丙", 1, 1)]
    assert len(document.warnings) == 2 and all("clamped" in w for w in document.warnings)


def test_external_entities_are_never_resolved(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOPSECRET", encoding="utf-8")
    page = f'<!DOCTYPE html [<!ENTITY leak SYSTEM "{secret.as_uri()}">]><html><body><p>规划正文&leak;</p></body></html>'
    text, _ = text_view(read_html(page.encode("utf-8"), "page.html"))
    assert "规划正文" in text and "TOPSECRET" not in text


def _script_page(fragment: str, visible: str = "加载中") -> bytes:
    # As the Guangzhou platform ships it: a JS object (not JSON) whose DETAIL.content is
    # a JSON string literal with \u003C-style escapes.
    literal = json.dumps(fragment).replace("<", "\\u003C").replace(">", "\\u003E").replace("/", "\\/")
    script = f"window._CONFIG = {{ isMobile: true, ACTION: 'content', DETAIL: {{\"id\": 7, \"content\": {literal}}} }};"
    return f"<html><head><script>{script}</script></head><body><div id='app'>{visible}</div></body></html>".encode("utf-8")


FRAGMENT = (
    "<p style='text-align:center'>关于推进某市家庭医生签约服务高质量发展实施方案</p>"
    "<p>\u3000\u3000一、主要目标</p><p>\u3000\u3000到2025年，重点人群签约服务覆盖率达到百分之八十以上，满意度逐年提高。</p>"
    "<table><tr><td>牵头单位</td><td>配合单位</td></tr><tr><td>市卫生健康委</td><td>/</td></tr></table>"
)


def test_a_document_held_in_a_script_is_read_when_the_page_shows_little():
    document = read_html(_script_page(FRAGMENT), "page.html")
    text, _ = text_view(document)
    assert text == (
        "关于推进某市家庭医生签约服务高质量发展实施方案\n\n一、主要目标\n\n"
        "到2025年，重点人群签约服务覆盖率达到百分之八十以上，满意度逐年提高。\n\n"
        "牵头单位\t配合单位\n市卫生健康委\t/\n"
    )
    assert document.meta["embedded_document"] == '/html/head/script "content"'
    assert document.blocks[1].provenance.within == '/html/head/script "content"'
    assert document.blocks[1].provenance.where == "/html/body/p[2]"


def test_a_page_that_shows_its_text_ignores_the_script_copy():
    visible = "<p>" + "本页正文" * 40 + "</p>"
    text, _ = text_view(read_html(_script_page(FRAGMENT, visible), "page.html"))
    assert text == "本页正文" * 40 + "\n"


def test_a_content_string_that_is_not_a_json_literal_is_passed_over():
    page = '<html><head><script>var x = {"content": "未闭合的字符串\n</script></head><body><p>正文</p></body></html>'
    assert text_view(read_html(page.encode("utf-8"), "page.html"))[0] == "正文\n"


# The real page: 穗卫函〔2023〕1930号, saved from the Guangzhou platform.


@pytest.fixture(scope="module")
def gz():
    return read_input(GZ_PAGE)


def test_gz_page_is_sniffed_as_html_and_read_from_its_article(gz):
    assert gz.format == "html" and gz.encoding == "html:utf-8"
    assert "推进广州市家庭医生签约服务高质量发展实施方案" in gz.text
    assert gz.text.startswith("穗卫函〔2023〕1930号\n\n各区卫生健康局、财政局、人力资源社会保障局，市医保中心：\n\n")
    assert len(gz.origin) == len(gz.text)


def test_gz_page_leaves_the_site_out(gz):
    for chrome in ("window._CONFIG", "function", "高级搜索", "分享到", "【打印】", "索引号", "浏览次数", "粤ICP备", "主办单位"):
        assert chrome not in gz.text


def _table(document, first_cell):
    return next(b for b in document.blocks if b.kind == "table" and b.cells[0].text.startswith(first_cell))


def test_gz_annex_1_is_a_table_with_merged_first_level_cells(gz):
    table = _table(gz.document, "附件1")
    cells = {c.text: c for c in table.cells}
    assert [c.text for c in table.cells if c.row == 1] == ["一级指标", "二级指标", "评价标准", "指标含义", "数据来源"]
    assert (cells["签约数量指标"].row, cells["签约数量指标"].rowspan) == (2, 3)
    assert cells["1.重点人群签约服务覆盖率"].col == 1
    assert "2.签约服务覆盖率" in cells and "19.政策联动" in cells
    assert "\t2.签约服务覆盖率\t每年增加1-3个百分点。2035年达到75%。\t" in gz.text  # the merged cell printed once


def test_gz_annex_2_is_the_task_table_with_lead_agencies(gz):
    table = _table(gz.document, "附件2")
    header = [c.text for c in table.cells if c.row == 1]
    assert header == ["序号", "工作事项", "主要内容", "牵头单位", "配合单位", "市卫健委内牵头处室", "市卫健委内配合处室"]
    task_1 = [c for c in table.cells if c.row == 2]
    assert [c.text for c in task_1 if c.col in (0, 1, 3, 4)] == ["1", "有序扩大家庭医生来源。", "各区政府", "市卫生健康委"]
    assert task_1[0].rowspan == 3  # task 1 runs over three rows
    row_of_20 = next(c.row for c in table.cells if c.col == 0 and c.text == "20")
    assert {c.col: c.text for c in table.cells if c.row == row_of_20}[3] == "市人社局"
    assert max(c.row for c in table.cells) == 40  # title, header and 39 task rows


def test_gz_block_offsets_point_at_their_elements(gz):
    page = GZ_PAGE.read_text(encoding="utf-8")
    for block in gz.document.blocks:
        tag = block.provenance.where.rsplit("/", 1)[1].split("[")[0]
        assert page[block.provenance.offset :].startswith("<" + tag)


def test_gz_script_copy_reads_to_the_same_text(monkeypatch, gz):
    # The page holds the document twice: in its markup and as the script's JSON string.
    monkeypatch.setattr(read.html, "EMBEDDED_GAIN", 0.0)
    from_script = read_html(GZ_PAGE.read_bytes(), GZ_PAGE.name)
    assert from_script.meta["embedded_document"].endswith('script[4] "content"')
    assert text_view(from_script)[0] == gz.text
