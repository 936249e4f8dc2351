"""The Markdown reader (read/markdown.py) on hand-written Markdown in the forms crawlers
and MinerU write: expected blocks and text view written by hand."""

from pipeline.ingest import read_input
from pipeline.run import recover
from read import read_document, sniff_format, text_view
import pytest

from pipeline.errors import DocumentUnreadable
from read.markdown import read_markdown, unwrap_latex

MINERU = """# 某省制造业发展规划（2021—2025年）

## 一、发展基础

工业增加值年均增长$17\\%$，六氟化硫（$\\mathrm{SF}_6$）排放下降。
上一行的续行。

<table><tr><td rowspan="2">类别</td><td>指标</td><td>2025年</td></tr><tr><td>增加值</td><td>$\\geq 90\\%$</td></tr></table>

— 4 —

<table><tr><td>质量</td><td>合格率</td><td>98</td></tr></table>

# 专栏2 重点工程

(1)智能工厂。
一1一
(2)绿色园区。

1. 第一项
2. 第二项

| 指标 | 目标 |
|---|---|
| 产值 | 100 |
"""


def _document():
    return read_markdown(MINERU.encode("utf-8"), "plan.md")


def test_blocks_in_reading_order():
    blocks = _document().blocks
    assert [(b.kind, b.text) for b in blocks if b.kind != "table"] == [
        ("heading", "某省制造业发展规划（2021—2025年）"),
        ("heading", "一、发展基础"),
        ("paragraph", "工业增加值年均增长17%，六氟化硫（SF6）排放下降。\n上一行的续行。"),
        ("furniture", "— 4 —"),
        ("heading", "专栏2 重点工程"),
        ("paragraph", "(1)智能工厂。\n(2)绿色园区。"),  # a page number inside a paragraph does not cut it
        ("furniture", "一1一"),
        ("list_item", "1. 第一项"),
        ("list_item", "2. 第二项"),
    ]
    assert [b.level for b in blocks if b.kind == "heading"] == [1, 2, 1]
    assert blocks[2].provenance.where == "line 5" and blocks[2].provenance.offset == MINERU.index("工业")


def test_an_html_table_across_a_page_break_is_one_table_with_its_spans():
    tables = [b for b in _document().blocks if b.kind == "table"]
    assert len(tables) == 2  # the MinerU table (two parts) and the pipe table
    merged = tables[0]
    assert [(c.row, c.col, c.rowspan, c.colspan, c.text) for c in merged.cells] == [
        (0, 0, 2, 1, "类别"),
        (0, 1, 1, 1, "指标"),
        (0, 2, 1, 1, "2025年"),
        (1, 1, 1, 1, "增加值"),
        (1, 2, 1, 1, "≥90%"),
        (2, 0, 1, 1, "质量"),
        (2, 1, 1, 1, "合格率"),
        (2, 2, 1, 1, "98"),
    ]
    assert merged.provenance.within == "HTML at line 8"
    assert merged.cells[-1].provenance.within == "HTML at line 12"  # each part keeps where it was read
    pipe = tables[1]
    assert [(c.row, c.col, c.text) for c in pipe.cells] == [(0, 0, "指标"), (0, 1, "目标"), (1, 0, "产值"), (1, 1, "100")]


def test_text_view_leaves_page_numbers_out_and_keeps_every_word():
    text, origin = text_view(_document())
    assert text == (
        "某省制造业发展规划（2021—2025年）\n\n一、发展基础\n\n"
        "工业增加值年均增长17%，六氟化硫（SF6）排放下降。\n上一行的续行。\n\n"
        "类别\t指标\t2025年\n\t增加值\t≥90%\n质量\t合格率\t98\n\n"
        "专栏2 重点工程\n\n(1)智能工厂。\n(2)绿色园区。\n\n1. 第一项\n\n2. 第二项\n\n指标\t目标\n产值\t100\n"
    )
    assert "— 4 —" not in text and "一1一" not in text
    assert len(origin) == len(text)


def test_latex_fragments_are_unwrapped_and_recorded():
    assert _document().meta["latex"] == (
        (5, "$17\\%$", "17%"),
        (5, "$\\mathrm{SF}_6$", "SF6"),
        (8, "$\\geq 90\\%$", "≥90%"),
    )
    assert unwrap_latex("17\\%") == "17%"
    assert unwrap_latex("\\mathrm{CO}_{2}") == "CO2"
    assert unwrap_latex("\\frac{1}{2}") is None  # a command it does not know: left as written
    document = read_markdown("| a | b |\n|---|---|\n| 价格$5 与$6 | $\\frac{1}{2}$ |\n".encode(), "p.md")
    assert document.blocks[0].cells[2].text == "价格$5 与$6"  # dollars, not mathematics
    assert document.blocks[0].cells[3].text == "$\\frac{1}{2}$"
    assert document.meta["latex"] == ()


def test_markup_is_not_text():
    document = read_markdown("**加粗**的[链接](http://example.org)<br>下一行<sup>①</sup>\n\n![](images/a.jpg)\n".encode(), "p.md")
    assert [(b.kind, b.text) for b in document.blocks] == [("paragraph", "加粗的链接\n下一行①"), ("image", "")]


def test_sniffing_sends_markdown_with_tables_here_and_plain_markdown_to_text():
    assert sniff_format(MINERU.encode(), "plan.md") == "markdown"
    assert sniff_format(MINERU.encode(), "plan.txt") == "markdown"  # headings and a table: by content
    assert sniff_format("# 规划\n\n| a | b |\n| --- | --- |\n| 1 | 2 |\n".encode(), "x") == "markdown"
    assert sniff_format("# 规划\n\n正文。\n\n---\n".encode(), "plan.md") == "text"
    assert sniff_format("正文\n<table><tr><td>1</td></tr></table>\n".encode(), "plan.txt") == "text"  # no Markdown structure
    assert read_document(MINERU.encode(), "plan.md", "markdown").format == "markdown"


def test_a_gb18030_markdown_file():
    text = MINERU.replace("某省", "上海市")
    document = read_markdown(text.encode("gb18030"), "plan.md")
    assert document.meta["charset"] == "gb18030"
    assert text_view(document)[0] == text_view(read_markdown(text.encode("utf-8"), "plan.md"))[0]
    # 某省 in GB18030 opens with bytes that are valid UTF-8 (C4 B3 CA A1: "ĳʡ"): not mixed encodings
    document = read_markdown(MINERU.encode("gb18030"), "plan.md")
    assert (document.meta["charset"], document.blocks[0].text) == ("gb18030", "某省制造业发展规划（2021—2025年）")


PROVINCIAL_PLAN = """# 某省制造业高质量发展“十四五”规划

某省人民政府

2021年12月30日

## 一、发展目标

到2025年，制造业增加值占比稳定。

<table><tr><td colspan="5">专栏1 主要指标</td></tr><tr><td>类别</td><td>指标</td><td>2020年</td><td>2025年</td><td>属性</td></tr><tr><td rowspan="2">规模</td><td>制造业增加值（亿元）</td><td>1000</td><td>1500</td><td>预期性</td></tr><tr><td>工业增加值增速（%）</td><td>6</td><td>$7\\%$</td><td>预期性</td></tr></table>

— 4 —

<table><tr><td>质量</td><td>产品合格率（%）</td><td>95</td><td>98</td><td>约束性</td></tr></table>

## 二、重点任务

# 专栏2 智能制造工程

(1)智能工厂。建设100家智能工厂。
(2)工业互联网。建设10个平台。

# 专栏3 绿色制造工程

(1)绿色工厂。建设50家绿色工厂。
一5一
(2)绿色园区。建设5个绿色园区。
"""


def test_a_mineru_plan_gives_its_indicators_boxes_and_identity(tmp_path):
    path = tmp_path / "plan.md"
    path.write_text(PROVINCIAL_PLAN, encoding="utf-8")
    source = read_input(path)
    assert (source.format, source.encoding) == ("markdown", "markdown:utf-8")
    plan = recover(source).plan
    assert [(i["name"], i["category"], i["target"]["raw"]) for i in plan["indicators"]] == [
        ("制造业增加值", "规模", "1500"),
        ("工业增加值增速", "规模", "7%"),
        ("产品合格率", "质量", "98"),  # the row after the page break, its table read as one
    ]
    assert [(p["number"], p["title"], len(p["items"])) for p in plan["programmes"]] == [
        (1, "主要指标", 0),
        (2, "智能制造工程", 2),
        (3, "绿色制造工程", 2),  # its items read across the page number 一5一
    ]
    document = plan["document"]
    assert (document["title"], document["issuer"], document["date"], document["plan_year"]) == ("某省制造业高质量发展“十四五”规划", "某省人民政府", "2021-12-30", 2021)
    assert document["plan_period"] == {"start": 2021, "end": 2025}
    assert "— 4 —" not in source.text and "一5一" not in source.text


def test_a_markdown_file_with_more_table_cells_than_any_plan_is_refused():
    rows = "<table>" + "<tr><td>1</td></tr>" * 30_000 + "</table>\n"
    with pytest.raises(DocumentUnreadable, match="cells"):
        read_markdown(("# 规划\n\n" + rows + rows).encode(), "big.md")
