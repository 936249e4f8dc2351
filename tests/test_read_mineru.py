"""The MinerU content_list.json reader (read/mineru.py) on hand-written content lists in the
shapes MinerU prints (a 专栏 table cut by a page break, 专栏 headings with (1)(2) items, an
indicator table): expected blocks, text view and plan written from the fixture."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from read import read_document, sniff_format, text_view
from read.mineru import read_mineru
from pipeline.errors import DocumentUnreadable

ROOT = Path(__file__).resolve().parents[1]

ITEMS = [
    {"type": "header", "text": "某省人民政府文件", "page_idx": 0},
    {"type": "text", "text": "某省制造业高质量发展“十四五”规划", "text_level": 1, "page_idx": 0},
    {"type": "text", "text": "某省人民政府", "page_idx": 0},
    {"type": "text", "text": "2021年12月30日", "page_idx": 0},
    {"type": "text", "text": "一、发展目标", "text_level": 1, "page_idx": 0},
    {"type": "text", "text": "到2025年，制造业增加值占比稳定，工业增加值年均增长$7\\%$。", "page_idx": 0},
    {"type": "table", "img_path": "images/a.jpg", "table_caption": [], "table_footnote": [],
     "table_body": "<html><body><table><tr><td colspan=\"5\">专栏1 主要指标</td></tr><tr><td>类别</td><td>指标</td><td>2020年</td><td>2025年</td><td>属性</td></tr><tr><td rowspan=\"2\">规模</td><td>制造业增加值（亿元）</td><td>1000</td><td>1500</td><td>预期性</td></tr><tr><td>工业增加值增速（%）</td><td>6</td><td>7</td><td>预期性</td></tr></table></body></html>",
     "page_idx": 0},
    {"type": "page_number", "text": "— 4 —", "page_idx": 0},
    {"type": "table", "img_path": "images/b.jpg", "table_caption": [], "table_footnote": ["注：增加值按2020年价格计算。"],
     "table_body": "<html><body><table><tr><td>质量</td><td>产品合格率（%）</td><td>95</td><td>98</td><td>约束性</td></tr></table></body></html>",
     "page_idx": 1},
    {"type": "text", "text": "二、重点任务", "text_level": 1, "page_idx": 1},
    {"type": "text", "text": "专栏2 智能制造工程", "text_level": 1, "page_idx": 1},
    {"type": "list", "sub_type": "text", "list_items": ["(1)智能工厂。建设100家智能工厂。", "(2)工业互联网。建设10个平台。"], "page_idx": 1},
    {"type": "text", "text": "专栏3 绿色制造工程", "text_level": 1, "page_idx": 1},
    {"type": "text", "text": "(1)绿色工厂。建设50家绿色工厂。", "page_idx": 1},
    {"type": "page_number", "text": "一5一", "page_idx": 1},
    {"type": "text", "text": "(2)绿色园区。建设5个绿色园区。", "page_idx": 2},
    {"type": "table", "img_path": "images/c.jpg", "table_caption": [], "table_footnote": [],
     "table_body": "<table><tr><td>专栏4 数字化转型工程</td></tr><tr><td>(1)企业上云。推动1万家企业上云。</td></tr></table>", "page_idx": 2},
    {"type": "footer", "text": "某省人民政府办公厅印发", "page_idx": 2},
    {"type": "table", "img_path": "images/d.jpg", "table_caption": [], "table_footnote": [],
     "table_body": "<table><tr><td>(2)数据中心。建设2个数据中心。</td></tr></table>", "page_idx": 3},
    {"type": "text", "text": "三、保障措施", "text_level": 1, "page_idx": 3},
    {"type": "text", "text": "加强组织领导。", "page_idx": 3},
]


def content_list(items=ITEMS) -> bytes:
    return json.dumps(items, ensure_ascii=False, indent=2).encode("utf-8")


def planrecover(*args):
    return subprocess.run([sys.executable, "-m", "pipeline.cli", *map(str, args)], capture_output=True, text=True, cwd=ROOT,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})


def test_sniffed_by_content_whatever_the_name():
    assert sniff_format(content_list(), "plan_content_list.json") == "mineru"
    assert sniff_format(content_list(), "plan.txt") == "mineru"
    assert sniff_format(b'[{"type": "text", "text": "x"}]', "a.json") == "text"  # no page_idx: not MinerU's
    assert sniff_format(b'{"type": "text", "page_idx": 0}', "a.json") == "text"  # not a list
    assert sniff_format(b"[1, 2, 3] page_idx type", "a.json") == "text"


def test_blocks_kinds_text_and_provenance():
    document = read_mineru(content_list(), "plan_content_list.json")
    assert document.format == "mineru"
    seen = [(b.kind, b.provenance.where) for b in document.blocks]
    assert seen[:3] == [("furniture", "content_list[0] page_idx 0"), ("heading", "content_list[1] page_idx 0"), ("paragraph", "content_list[2] page_idx 0")]
    assert ("list_item", "content_list[11].list_items[1] page_idx 1") in seen
    assert ("paragraph", "content_list[8].table_footnote[0] page_idx 1") in seen
    furniture = [b.text for b in document.blocks if b.kind == "furniture"]
    assert furniture == ["某省人民政府文件", "— 4 —", "一5一", "某省人民政府办公厅印发"]
    paragraph = next(b for b in document.blocks if b.provenance.where == "content_list[5] page_idx 0")
    assert paragraph.text == "到2025年，制造业增加值占比稳定，工业增加值年均增长7%。"
    assert document.meta["latex"] == (("content_list[5] page_idx 0", "$7\\%$", "7%"),)


def test_a_table_cut_by_a_page_break_is_one_table_with_its_spans():
    document = read_mineru(content_list(), "p.json")
    tables = [b for b in document.blocks if b.kind == "table"]
    assert len(tables) == 2  # 专栏1 (pages 1-2) and 专栏4 (pages 3-4), each joined
    indicators = {(c.row, c.col): (c.rowspan, c.colspan, c.text) for c in tables[0].cells}
    assert indicators[(0, 0)] == (1, 5, "专栏1 主要指标")
    assert indicators[(2, 0)] == (2, 1, "规模")
    assert indicators[(4, 0)] == (1, 1, "质量")  # the row printed on the next page
    assert indicators[(4, 3)] == (1, 1, "98")
    assert [c.text for c in tables[1].cells] == ["专栏4 数字化转型工程", "(1)企业上云。推动1万家企业上云。", "(2)数据中心。建设2个数据中心。"]


def test_a_captioned_table_or_one_on_the_same_page_is_not_a_continuation():
    body = "<table><tr><td>a</td><td>b</td></tr></table>"
    items = [{"type": "table", "table_body": body, "page_idx": 0},
             {"type": "table", "table_body": body, "table_caption": ["表2 另一表"], "page_idx": 1},
             {"type": "table", "table_body": body, "page_idx": 1}]
    kinds = [(b.kind, b.text) for b in read_mineru(content_list(items), "t.json").blocks]
    assert kinds == [("table", "a\tb"), ("paragraph", "表2 另一表"), ("table", "a\tb"), ("table", "a\tb")]


def test_furniture_stays_out_of_the_text_view_and_no_text_is_lost():
    text, origin = text_view(read_document(content_list(), "p.json", "mineru"))
    for furniture in ("某省人民政府文件", "— 4 —", "一5一", "某省人民政府办公厅印发"):
        assert furniture not in text
    assert "规模\t制造业增加值（亿元）\t1000\t1500\t预期性\n\t工业增加值增速（%）\t6\t7\t预期性\n质量\t产品合格率（%）\t95\t98\t约束性" in text
    assert "专栏4 数字化转型工程\n(1)企业上云。推动1万家企业上云。\n(2)数据中心。建设2个数据中心。" in text
    assert len(origin) == len(text)


def test_a_table_kept_only_as_a_picture_is_an_image_region():
    items = [{"type": "table", "img_path": "images/t.jpg", "table_body": "", "table_caption": ["专栏5 图片表"], "page_idx": 0}]
    blocks = read_mineru(content_list(items), "t.json").blocks
    assert [(b.kind, b.text) for b in blocks] == [("paragraph", "专栏5 图片表"), ("image", "images/t.jpg")]


def test_not_a_content_list_is_one_error():
    with pytest.raises(DocumentUnreadable, match="not a MinerU content_list.json"):
        read_mineru(b"[1, 2]", "x.json")
    with pytest.raises(DocumentUnreadable, match="not a MinerU content_list.json"):
        read_mineru(b'[{"type": "text", "page_idx": 0', "x.json")


def test_the_cli_gives_indicators_boxes_and_identity(tmp_path):
    source = tmp_path / "plan_content_list.json"
    source.write_bytes(content_list())
    out = tmp_path / "out"
    done = planrecover("extract", source, "--out", out)
    assert done.returncode == 0, done.stderr
    plan = json.loads((out / "plan.json").read_text(encoding="utf-8"))
    assert [(i["name"], i["category"], i["target"]["raw"]) for i in plan["indicators"]] == [
        ("制造业增加值", "规模", "1500"),
        ("工业增加值增速", "规模", "7"),
        ("产品合格率", "质量", "98"),  # printed after the page break
    ]
    assert [(p["number"], p["title"], [item["label"] for item in p["items"]]) for p in plan["programmes"]] == [
        (1, "主要指标", []),
        (2, "智能制造工程", ["(1)", "(2)"]),
        (3, "绿色制造工程", ["(1)", "(2)"]),  # its items read across the page number 一5一
        (4, "数字化转型工程", ["(1)", "(2)"]),  # a box printed as a one-column table across pages
    ]
    document = plan["document"]
    assert (document["title"], document["issuer"], document["date"]) == ("某省制造业高质量发展“十四五”规划", "某省人民政府", "2021-12-30")


def test_the_cli_format_option_and_a_bad_file(tmp_path):
    source = tmp_path / "plan.dat"
    source.write_bytes(content_list())
    done = planrecover("extract", source, "--format", "mineru", "--out", tmp_path / "out")
    assert done.returncode == 0, done.stderr
    broken = tmp_path / "broken.json"
    broken.write_bytes(b'[{"type": "text", "page_idx": 0, "text": "\xe8\xa7\x84')
    done = planrecover("extract", broken, "--format", "mineru", "--out", tmp_path / "out2")
    assert done.returncode == 11 and done.stderr.count("\n") == 1 and "not a MinerU content_list.json" in done.stderr
    assert not (tmp_path / "out2").exists()
