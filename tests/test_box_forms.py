"""Programme boxes (专栏) as real plans print them: each form built by hand here, with
the expected boxes written from what the test builds; then a real document against its
hand-read truth (bench/real/)."""

import json
from pathlib import Path

import pytest

from grammar.headers import box_header_match

ROOT = Path(__file__).resolve().parents[1]
REALDOCS = ROOT.parent / "shared" / "realdocs"


def plan_of(text: str) -> dict:
    from pipeline.ingest import decode_source
    from pipeline.run import recover

    return recover(decode_source("plan.txt", text.encode())).plan


def kinds(plan):
    return [i["kind"] for i in plan["issues"]]


@pytest.mark.parametrize(
    "line, number, title",
    [
        ("专栏1：商业秘密保护工程", "1", "商业秘密保护工程"),
        ("专栏 1", "1", None),
        ("专栏一", "一", None),
        ("专栏三 重大工程", "三", "重大工程"),
        ("【专栏1】重点工程", "1", "重点工程"),
        ("【专栏 2】", "2", None),
        ("# 专栏2 重点工程", "2", "重点工程"),
        ("## 专栏 3：数字化转型", "3", "数字化转型"),
        ("**专栏4** 人才工程", "4", "人才工程"),
        ("专栏1\u3000“十四五”时期主要指标", "1", "“十四五”时期主要指标"),
        ("专栏 11 4 对外贸易知识产权保护工程", "11 4", "对外贸易知识产权保护工程"),
    ],
)
def test_header_forms(line, number, title):
    match = box_header_match(line)
    assert (match.group("num"), match.group("title")) == (number, title)


@pytest.mark.parametrize("line", ["专栏", "专栏内容按年度更新。", "本专栏所列项目"])
def test_lines_that_are_no_header(line):
    assert box_header_match(line) is None


def test_the_title_on_the_next_line():
    plan = plan_of("专栏1\n\n商业秘密保护工程\n\n健全商业秘密保护政策。\n\n专栏 2\n数据知识产权保护工程\n研究数据的产权属性。\n")
    assert [(b["number"], b["title"], len(b["items"])) for b in plan["programmes"]] == [(1, "商业秘密保护工程", 1), (2, "数据知识产权保护工程", 1)]
    assert plan["programmes"][1]["items"][0]["text"] == "研究数据的产权属性。"


def test_markdown_and_bracketed_headers_open_boxes():
    plan = plan_of("# 专栏1 重点工程\n\n(1) 建设示范区。\n(2) 培育龙头企业。\n\n【专栏2】人才工程\n\n引进高层次人才。\n")
    assert [(b["number"], b["title"]) for b in plan["programmes"]] == [(1, "重点工程"), (2, "人才工程")]
    assert [(i["label"], i["heading"]) for i in plan["programmes"][0]["items"]] == [("(1)", "建设示范区"), ("(2)", "培育龙头企业")]


def test_chinese_numerals():
    plan = plan_of("专栏一 甲工程\n\n甲。\n\n专栏二 乙工程\n\n乙。\n")
    assert [(b["number"], b["printed_number"], b["number_status"]) for b in plan["programmes"]] == [(1, "一", "as_printed"), (2, "二", "as_printed")]


def test_numbered_items_one_per_line():
    text = (
        "专栏2　安全生产治本攻坚重点\n\n"
        "　　1．危险化学品。化工园区本质安全整治提升、企业分类治理整顿。\n"
        "　　2．烟花爆竹。生产、储存、运输等设施。\n"
        "　　3．矿山：煤与瓦斯突出、冲击地压。\n"
        "　　（4）工贸。冶金企业高温熔融金属。\n"
        "　　5.消防。超高层建筑。\n"
    )
    (box,) = plan_of(text)["programmes"]
    assert [(i["index"], i["label"], i["heading"]) for i in box["items"]] == [
        (1, "1．", "危险化学品"), (2, "2．", "烟花爆竹"), (3, "3．", "矿山"), (4, "（4）", "工贸"), (5, "5.", "消防"),
    ]
    assert box["items"][1]["text"] == "2．烟花爆竹。生产、储存、运输等设施。"


def test_two_digit_item_numbers_before_a_space():
    text = "专栏3 重大工程\n\n01 技术攻关工程。突破一批关键技术。\n02\u3000平台建设工程。建设一批创新平台。\n2025 年建成。\n"
    (box,) = plan_of(text)["programmes"]
    assert [(i["label"], i["heading"]) for i in box["items"]] == [("01", "技术攻关工程"), ("02", "平台建设工程")]
    assert box["items"][1]["text"] == "02\u3000平台建设工程。建设一批创新平台。\n2025 年建成。"


def test_a_decimal_opening_a_line_is_no_item_number():
    (box,) = plan_of("专栏1 甲工程\n\n建成示范区，\n1.5亿元用于补助。\n")["programmes"]
    assert len(box["items"]) == 1 and "label" not in box["items"][0]


def test_item_numbers_that_run_on_across_boxes():
    plan = plan_of("专栏1 甲工程\n\n1.甲一。\n2.甲二。\n3.甲三。\n\n专栏2 乙工程\n\n4.乙一。\n5.乙二。\n")
    assert [[(i["index"], i["label"]) for i in b["items"]] for b in plan["programmes"]] == [
        [(1, "1."), (2, "2."), (3, "3.")],
        [(1, "4."), (2, "5.")],
    ]
    assert not [k for k in kinds(plan) if k.startswith("box_")]


def test_a_box_printed_as_a_table_gives_one_item_per_row_with_its_category_path():
    text = (
        "专栏3 重点任务\n\n"
        "类别\t细分\t重点任务\n"
        "生产\t工业炸药\t推进生产线自动化改造，减少危险岗位操作人员。\n"
        "\t工业雷管\t淘汰落后产能。\n"
        "流通\t储存\t建设智能化仓储设施。\n"
        "\t\t推广视频监控。\n"
    )
    (box,) = plan_of(text)["programmes"]
    assert [(i["path"], i["text"]) for i in box["items"]] == [
        (["生产", "工业炸药"], "推进生产线自动化改造，减少危险岗位操作人员。"),
        (["生产", "工业雷管"], "淘汰落后产能。"),
        (["流通", "储存"], "建设智能化仓储设施。"),
        (["流通", "储存"], "推广视频监控。"),
    ]
    assert box["items"][2]["source"] == {"start_line": 6, "end_line": 6}


def test_a_box_table_with_a_number_column():
    text = "专栏4 重大项目\n\n序号\t项目\t主要内容\n1\t示范区\t建设国家级示范区三个。\n2\t平台\t建成公共服务平台。\n"
    (box,) = plan_of(text)["programmes"]
    assert [(i["label"], i["path"], i["text"]) for i in box["items"]] == [("1", ["示范区"], "建设国家级示范区三个。"), ("2", ["平台"], "建成公共服务平台。")]


def test_a_plan_without_agency_statements_is_not_damaged():
    plan = plan_of("专栏1 甲工程\n\n建设甲。\n\n专栏2 乙工程\n\n建设乙。\n")
    assert "missing_agency_statement" not in kinds(plan)
    (note,) = [i for i in plan["issues"] if i["kind"] == "no_agency_statements"]
    assert note["data"] == {"boxes": [1, 2]} and note["box"] is None


def test_a_box_without_the_statement_its_neighbours_print_is_reported():
    plan = plan_of("专栏1 甲工程\n\n建设甲。（国家知识产权局负责）\n\n专栏2 乙工程\n\n建设乙。\n")
    assert [(i["kind"], i["box"]) for i in plan["issues"] if "agency_statement" in i["kind"]] == [("missing_agency_statement", 2)]
    assert "no_agency_statements" not in kinds(plan)


def test_an_indicator_table_printed_as_a_box_has_no_statement_to_lose():
    text = ("专栏1 主要指标\n\n指标\t2020年\t2025年\t属性\n企业数量（家）\t35\t50\t预期性\n\n"
            "专栏2 乙工程\n\n建设乙。（国家知识产权局负责）\n")
    plan = plan_of(text)
    assert [b["items"] for b in plan["programmes"]][0] == []
    assert not [i for i in plan["issues"] if "agency_statement" in i["kind"]]


def test_a_section_heading_standing_alone_ends_the_box():
    text = "专栏2 重点工程\n\n1．危险化学品。整治提升。\n2．烟花爆竹。生产设施。\n\n（四）加强自然灾害综合治理。\n\n改善城乡防灾基础条件。开展评价。\n"
    (box,) = plan_of(text)["programmes"]
    assert [i["heading"] for i in box["items"]] == ["危险化学品", "烟花爆竹"]


def test_a_heading_shaped_sentence_inside_a_paragraph_stays_in_the_box():
    text = "专栏2 重点工程\n\n建设示范区。\n（一）加强监管。\n完善制度。\n"
    (box,) = plan_of(text)["programmes"]
    assert len(box["items"]) == 1 and "（一）加强监管。" in box["items"][0]["text"]


def test_a_markdown_heading_repeating_the_open_box_opens_no_box():
    text = "专栏2 重点工程\n\n建设甲。\n\n# 专栏2 重点工程\n\n建设乙。\n\n专栏3 人才工程\n\n引进人才。\n"
    plan = plan_of(text)
    assert [b["number"] for b in plan["programmes"]] == [2, 3]
    assert plan["programmes"][0]["number_status"] == "as_printed"


# --- a real document against its hand-read truth ----------------------------------------


def test_mem_yingji_boxes_equal_the_truth():
    from pipeline.ingest import read_input
    from pipeline.run import recover

    truth = json.loads((ROOT / "bench" / "real" / "mem_yingji_14th_plan.truth.json").read_text(encoding="utf-8"))
    plan = recover(read_input(REALDOCS / "mem_yingji_14th_plan.md")).plan
    got = [(b["number"], b["title"], [i["heading"] for i in b["items"]], b["lead"], b["participants"]) for b in plan["programmes"]]
    assert got == [(t["number"], t["title"], t["items"], t["lead"], t["participants"]) for t in truth["programmes"]]
    assert [[i["label"] for i in b["items"]] for b in plan["programmes"]][1] == [f"{n}．" for n in range(1, 11)]
    assert "missing_agency_statement" not in kinds(plan) and "no_agency_statements" in kinds(plan)


def test_a_project_table_in_a_box_stays_in_the_box():
    # 名称 and 目标 columns without a year or 属性: a box's projects, not an indicator table.
    text = "专栏5 重大项目\n\n项目名称\t建设内容\t建设目标\n示范区\t建设三个国家级示范区。\t形成可复制经验。\n平台\t建成公共服务平台。\t服务企业一万家。\n"
    plan = plan_of(text)
    assert plan["indicators"] == []
    (box,) = plan["programmes"]
    assert [(i["path"], i["text"]) for i in box["items"]] == [
        (["示范区"], "建设三个国家级示范区。\t形成可复制经验。"),
        (["平台"], "建成公共服务平台。\t服务企业一万家。"),
    ]
