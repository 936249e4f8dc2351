"""Indicator tables as real plans print them: each form built by hand here, with the
expected records written from what the test builds; then two real documents against
their hand-read truth (bench/real/)."""

import json
from pathlib import Path

import pytest

from extract.indicators import extract_indicators, read_cell
from repair.layout import classify_lines

ROOT = Path(__file__).resolve().parents[1]
REALDOCS = ROOT.parent / "shared" / "realdocs"


def indicators(text):
    return extract_indicators(classify_lines(text, frozenset(), glyph_loss=False), lambda s, e: {"start_line": 1, "end_line": 1})


def plan_of(text: str) -> dict:
    from pipeline.ingest import decode_source
    from pipeline.run import recover

    return recover(decode_source("plan.txt", text.encode())).plan


def kinds(issues):
    return [i["kind"] for i in issues]


# --- cells ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("12", {"value": 12, "value_kind": "number"}),
        ("3,194.4", {"value": 3194.4, "value_kind": "number"}),
        ("85%", {"value": 85, "value_kind": "number"}),
        ("—", {"value": None, "value_kind": "none"}),
        ("-", {"value": None, "value_kind": "none"}),
        ("", {"value": None, "value_kind": "none"}),
        (">3", {"value": None, "value_kind": "bound", "sense": ">", "limit": 3}),
        ("＞10", {"value": None, "value_kind": "bound", "sense": ">", "limit": 10}),
        ("≥50%", {"value": None, "value_kind": "bound", "sense": ">=", "limit": 50}),
        ("<15000", {"value": None, "value_kind": "bound", "sense": "<", "limit": 15000}),
        ("<1%", {"value": None, "value_kind": "bound", "sense": "<", "limit": 1}),
        ("6人（含）以下", {"value": None, "value_kind": "bound", "sense": "<=", "limit": 6}),
        ("90%以上", {"value": None, "value_kind": "bound", "sense": ">=", "limit": 90}),
        ("不低于85", {"value": None, "value_kind": "bound", "sense": ">=", "limit": 85}),
        ("超过200", {"value": None, "value_kind": "bound", "sense": ">", "limit": 200}),
        ("40—45", {"value": None, "value_kind": "range", "low": 40, "high": 45}),
        ("1.5-2.0", {"value": None, "value_kind": "range", "low": 1.5, "high": 2.0}),
        ("新增一批", {"value": None, "value_kind": "words"}),
        ("下降15%", {"value": None, "value_kind": "words"}),
        ("“十三五”时期零发生", {"value": None, "value_kind": "words"}),
        ("较“十二五”下降30%以上", {"value": None, "value_kind": "words"}),
        ("1l.6", {"value": None, "value_kind": "unreadable"}),
    ],
)
def test_a_cell_says_what_it_is(raw, expected):
    assert read_cell(raw) == (expected, [])


def test_bracketed_figures_are_totals_over_the_period_and_keep_their_markers():
    assert read_cell("〔18〕") == ({"value": 18, "value_kind": "number", "cumulative": True}, [])
    assert read_cell("[1.38]") == ({"value": 1.38, "value_kind": "number", "cumulative": True}, [])
    assert read_cell("［>5000］") == ({"value": None, "value_kind": "bound", "sense": ">", "limit": 5000, "cumulative": True}, [])
    assert read_cell("12.27③") == ({"value": 12.27, "value_kind": "number"}, ["③"])


# --- columns ----------------------------------------------------------------------------


def test_a_merged_category_cell_is_carried_down_its_rows():
    text = (
        "类别\t指标\t2020年\t2025年\t属性\n"
        "经济发展\t地区生产总值增长（%）\t6.1\t5.5左右\t预期性\n"
        "\t全员劳动生产率增长（%）\t6.2\t高于GDP增长\t预期性\n"
        "绿色生态\t森林覆盖率（%）\t23.04\t24.1\t约束性\n"
    )
    records, issues = indicators(text)
    assert issues == []
    assert [(r["category"], r["name"], r["unit"]) for r in records] == [
        ("经济发展", "地区生产总值增长", "%"),
        ("经济发展", "全员劳动生产率增长", "%"),
        ("绿色生态", "森林覆盖率", "%"),
    ]
    assert [r["target"]["value_kind"] for r in records] == ["words", "words", "number"]
    assert records[2]["target"] == {"year": 2025, "value": 24.1, "raw": "24.1", "value_kind": "number"}


def test_the_unit_in_its_own_column_and_years_in_any_order():
    text = "序号\t指标名称\t单位\t2025年\t2020年\t属性\n1\t城镇新增就业\t万人\t〔5500〕\t〔6564〕\t预期性\n2\t研发经费投入强度\t%\t2.8\t2.4\t预期性\n"
    records, _ = indicators(text)
    assert [(r["seq"], r["name"], r["unit"]) for r in records] == [(1, "城镇新增就业", "万人"), (2, "研发经费投入强度", "%")]
    # 2020 is the baseline wherever its column stands.
    assert records[1]["baseline"] == {"year": 2020, "value": 2.4, "raw": "2.4", "value_kind": "number"}
    assert records[1]["target"] == {"year": 2025, "value": 2.8, "raw": "2.8", "value_kind": "number"}
    assert records[0]["target"]["cumulative"] is True


def test_several_target_years():
    text = "指标\t2020年\t2025年\t2035年\t属性\n森林覆盖率（%）\t23.04\t24.1\t26\t约束性\n"
    (record,), _ = indicators(text)
    assert record["baseline"]["year"] == 2020
    assert record["target"] == {"year": 2025, "value": 24.1, "raw": "24.1", "value_kind": "number"}
    assert [(c["year"], c["value"]) for c in record["targets"]] == [(2025, 24.1), (2035, 26)]


def test_annual_growth_with_bracketed_totals():
    text = (
        "指标\t2015年\t2020年\t年均增长〔累计〕\t属性\n"
        "1.\t常住人口城镇化率（%）\t56.1\t60\t〔3.9〕\t预期性\n"
        "2.\t国内生产总值（万亿元）\t67.7\t92.7\t6.5\t预期性\n"
        "3.\t单位GDP能源消耗降低（%）\t—\t—\t〔15〕\t约束性\n"
    )
    records, issues = indicators(text)
    assert issues == []
    assert [r["checks"][0]["check"] for r in records] == ["target - baseline = increase", "annual growth rate", "target - baseline = increase"]
    assert [r["checks"][0]["ok"] for r in records] == [True, True, None]
    assert records[0]["increase"] == {"kind": "年均增长〔累计〕", "value": 3.9, "raw": "〔3.9〕", "value_kind": "number", "cumulative": True}


def test_a_header_over_two_rows():
    text = "指标名称\t单位\t基期值\t目标值\t属性\n\t\t2020年\t2025年\t\n省级文物保护单位数量\t处\t21000\t23500\t预期性\n"
    (record,), issues = indicators(text)
    assert issues == []
    assert (record["baseline"]["year"], record["baseline"]["value"], record["target"]["year"], record["target"]["value"]) == (2020, 21000, 2025, 23500)


def test_words_and_bounds_are_read_not_checked():
    # 《民用爆炸物品行业发展规划（2016-2020年）》: rows the old reader dropped.
    text = (
        "指标\t\t2015年\t2020年\t属性\n"
        "1\t工业炸药现场混装比例（%）\t>20\t>30\t预期性\n"
        "2\t企业数量（家）\t-\t>70\t预期性\n"
        "3\t重特大安全事故\t—\t“十三五”时期零发生\t约束性\n"
        "4\t危险作业场所作业人员\t—\t6人（含）以下\t约束性\n"
        "5\t百万元产值死亡率\t—\t较“十二五”下降30%以上\t约束性\n"
    )
    records, issues = indicators(text)
    assert issues == []
    assert [r["seq"] for r in records] == [1, 2, 3, 4, 5]
    assert [r["target"]["value_kind"] for r in records] == ["bound", "bound", "words", "bound", "words"]
    assert records[3]["target"]["sense"] == "<=" and records[3]["target"]["limit"] == 6
    assert records[1]["baseline"] == {"year": 2015, "value": None, "raw": "-", "value_kind": "none"}


def test_a_row_that_does_not_fit_is_an_issue_not_a_silent_drop():
    text = "指标\t2020年\t2025年\t属性\n森林覆盖率（%）\t23.04\t24.1\t约束性\t多余\t格子\n耕地保有量（亿亩）\t18.65\t18.65\t约束性\n"
    records, issues = indicators(text)
    assert [r["name"] for r in records] == ["耕地保有量"]
    assert kinds(issues) == ["indicator_row_unparsed"] and "森林覆盖率" in issues[0]["data"]["row"]


# --- notes, several tables, tables as boxes ----------------------------------------------


def test_notes_under_the_table_are_the_footnotes_texts():
    text = (
        "指标\t2020年\t2025年\t属性\n"
        "全国重点文物保护单位“四有”工作①完成率（%）\t85\t100\t约束性\n"
        "年观众人数（亿人次）\t12.27③\t14\t预期性\n"
        "\n注：①“四有”工作指划定保护范围、作出标志说明、建立记录档案、设置专门机构。③受疫情影响。\n"
    )
    records, _ = indicators(text)
    assert records[0]["footnotes"] == [{"marker": "①", "attached_to": "name", "text": "“四有”工作指划定保护范围、作出标志说明、建立记录档案、设置专门机构。"}]
    assert records[1]["footnotes"] == [{"marker": "③", "attached_to": "baseline", "text": "受疫情影响。"}]
    plan = plan_of(text)
    assert "footnote_text_lost" not in kinds(plan["issues"])


def test_notes_one_a_line_and_wrapped():
    # As the 文物 plan's text layer prints them under its table.
    text = (
        "指标\t2020年\t2025年\t属性\n"
        "全国重点文物保护单位“四有”工作①完成率（%）\t85\t100\t约束性\n"
        "省级文物保护单位“两线”②纳入规划完成率（%）\t—\t100\t预期性\n"
        "\n注：① “四有”工作是指划定必要的保护范围、设置专门机构或\n专人管理。\n ② “两线”是指保护范围和建设控制地带。\n\n正文继续。\n"
    )
    records, _ = indicators(text)
    assert [f["text"] for r in records for f in r["footnotes"]] == ["“四有”工作是指划定必要的保护范围、设置专门机构或专人管理。", "“两线”是指保护范围和建设控制地带。"]


def test_a_marker_whose_note_is_not_printed_is_still_reported():
    plan = plan_of("指标\t2020年\t2025年\t属性\n年观众人数（亿人次）\t12.27③\t14\t预期性\n")
    assert kinds(plan["issues"]) == ["footnote_text_lost"]
    assert "text" not in plan["indicators"][0]["footnotes"][0]


def test_a_mark_ocr_read_as_a_look_alike_is_resolved_to_the_note_that_begins_with_the_words_before_it():
    # As OCR reads the 文物 plan's table image: a raised ① after “四有”工作 and ③ after 12.27
    # come out as ®; the notes under the table are read in full.
    text = (
        "指标\t2020年\t2025年\t属性\n"
        "全国重点文物保护单位“四有”工作®完成率（%）\t85\t100\t约束性\n"
        "年观众人数（亿人次）\t12.27®\t14\t预期性\n"
        "\n注：① “四有”工作是指划定必要的保护范围。\n② “两线”是指保护范围和建设控制地带。\n③ 12.27亿人次为2019年数据。\n"
    )
    records, _ = indicators(text)
    assert records[0]["name"] == "全国重点文物保护单位“四有”工作完成率" and records[0]["unit"] == "%"
    assert records[0]["footnotes"] == [{"marker": "®", "attached_to": "name", "note": "①", "text": "“四有”工作是指划定必要的保护范围。",
                                        "note_evidence": {"read_as": "®", "term": "“四有”工作"}}]
    assert records[1]["baseline"]["value"] == 12.27
    assert records[1]["footnotes"] == [{"marker": "®", "attached_to": "baseline", "note": "③", "text": "12.27亿人次为2019年数据。",
                                        "note_evidence": {"read_as": "®", "term": "12.27"}}]
    assert "footnote_text_lost" not in kinds(plan_of(text)["issues"])


def test_a_look_alike_no_single_note_explains_stays_as_read_and_its_note_is_reported_lost():
    text = (
        "指标\t2020年\t2025年\t属性\n"
        "文物保护工作®完成率（%）\t85\t100\t约束性\n"
        "\n注：① 四有是指划定必要的保护范围。\n② 两线是指保护范围。\n"
    )
    records, _ = indicators(text)
    assert records[0]["footnotes"] == [{"marker": "®", "attached_to": "name"}]
    assert "footnote_text_lost" in kinds(plan_of(text)["issues"])


def test_a_note_whose_mark_was_not_read_goes_to_the_one_row_naming_its_term():
    text = (
        "指标\t2020年\t2025年\t属性\n"
        "省级文物保护单位“四有”工作完成率（%）\t80\t100\t约束性\n"
        "文物保护单位“两线”纳入国土空间规划完成率（%）\t—\t100\t预期性\n"
        "\n注：① “四有”工作是指划定必要的保护范围。\n② “两线”是指保护范围和建设控制地带。\n"
    )
    records, _ = indicators(text)
    assert records[1]["name"] == "文物保护单位“两线”纳入国土空间规划完成率"  # nothing written into it
    assert records[1]["footnotes"] == [{"marker": "", "attached_to": "name", "note": "②", "text": "“两线”是指保护范围和建设控制地带。",
                                        "note_evidence": {"read_as": "", "term": "“两线”"}}]
    # ① is no row's mark either, and one row names “四有”工作: attached the same way
    assert records[0]["footnotes"][0]["note"] == "①"


def test_a_note_whose_term_several_rows_name_is_attached_to_none():
    text = (
        "指标\t2020年\t2025年\t属性\n"
        "国家级“四有”工作完成率（%）\t80\t100\t约束性\n"
        "省级“四有”工作完成率（%）\t70\t100\t约束性\n"
        "\n注：① “四有”工作是指划定必要的保护范围。\n"
    )
    records, _ = indicators(text)
    assert [r["footnotes"] for r in records] == [[], []]


def test_a_sign_between_latin_letters_or_digits_stays_in_the_name():
    records, _ = indicators("指标\t2020年\t2025年\t属性\n年均气温°C达标天数（天）\t300\t320\t预期性\n")
    assert records[0]["name"] == "年均气温°C达标天数" and records[0]["footnotes"] == []


def test_several_tables_in_one_plan():
    text = (
        "表1 经济指标\n\n指标\t2020年\t2025年\t属性\n地区生产总值（亿元）\t100\t140\t预期性\n\n"
        "正文一段。\n\n"
        "表2 民生指标\n\n序号\t指标\t2025年\t属性\n1\t人均预期寿命（岁）\t79\t预期性\n2\t城镇调查失业率（%）\t<5.5\t预期性\n"
    )
    records, issues = indicators(text)
    assert issues == []
    assert [(r["table"], r["seq"], r["name"]) for r in records] == [(1, None, "地区生产总值"), (2, 1, "人均预期寿命"), (2, 2, "城镇调查失业率")]
    assert records[1]["baseline"] == {"year": None, "value": None, "raw": "", "value_kind": "none"}
    assert records[1]["target"]["year"] == 2025


def test_a_table_that_is_box_one_and_a_table_flattened_one_cell_per_line():
    text = (
        "专栏1　“十四五”时期主要指标\n\n"
        "序号\n\n指　　标\n\n预期值\n\n属性\n\n"
        "1\n\n生产安全事故死亡人数\n\n下降15%\n\n约束性\n\n"
        "2\n\n年均每十万人受灾人次\n\n<15000\n\n预期性\n\n\n"
        "应急管理体制机制更加完善。领导体制、指挥体制更趋合理。\n\n"
        "专栏2　安全生产治本攻坚重点\n\n1．危险化学品。化工园区本质安全整治提升。\n2．烟花爆竹。生产、储存、运输等设施。\n"
    )
    plan = plan_of(text)
    rows = [(r["seq"], r["name"], r["target"]["raw"], r["target"]["value_kind"], r["attribute"]) for r in plan["indicators"]]
    assert rows == [(1, "生产安全事故死亡人数", "下降15%", "words", "约束性"), (2, "年均每十万人受灾人次", "<15000", "bound", "预期性")]
    box1, box2 = plan["programmes"]
    assert (box1["number"], box1["title"], box1["items"]) == (1, "“十四五”时期主要指标", [])  # the box is the table
    assert [i["heading"] for i in box2["items"]] == ["危险化学品", "烟花爆竹"]
    assert plan["indicators"][0]["source"] == {"start_line": 11, "end_line": 17}


def test_a_flattened_row_that_breaks_off_is_reported():
    text = "序号\n\n指标\n\n预期值\n\n属性\n\n1\n\n生产安全事故死亡人数\n\n下降15%\n\n约束性\n\n2\n\n重特大生产安全事故起数\n\n这一格写成了很长的一段话，不是表格里的一个值，读不出来。\n"
    records, issues = indicators(text)
    assert [r["seq"] for r in records] == [1]
    assert kinds(issues) == ["indicator_row_unparsed"] and "after row 1" in issues[0]["detail"]


def test_a_monitoring_table_without_attributes():
    # The shape of 广州 附件1: merged 一级指标, numbered 二级指标, targets as prose.
    text = (
        "一级指标\t二级指标\t评价标准\t指标含义\t数据来源\n"
        "签约数量指标\t1.重点人群签约服务覆盖率\t较上一年增加。2023年达到80%。\t覆盖率=签约人数/重点人群数。\t国家统计年报\n"
        "\t2.签约服务覆盖率\t每年增加1-3个百分点。\t签约居民人数/常住人口数。\t国家统计年报\n"
        "服务效果\t3.签约高血压患者血压控制率\t≥50%\t核查健康状况的改善情况。\t系统随机抽。\n"
    )
    records, issues = indicators(text)
    assert issues == []
    assert [(r["seq"], r["category"], r["name"], r["target"]["raw"], r["attribute"]) for r in records] == [
        (1, "签约数量指标", "重点人群签约服务覆盖率", "较上一年增加。2023年达到80%。", None),
        (2, "签约数量指标", "签约服务覆盖率", "每年增加1-3个百分点。", None),
        (3, "服务效果", "签约高血压患者血压控制率", "≥50%", None),
    ]
    assert records[2]["target"]["value_kind"] == "bound"


WENWU_GROUPS = [
    ("资源管理", 3), ("文物安全", 4), ("科技创新", 6), ("改革创新", 1), ("博物馆、纪念馆", 3), ("人才队伍", 4),
]


def _wenwu_shaped_table() -> str:
    """21 rows under 6 merged 类型 cells, tab-separated as OCR of the table gives it: the
    merged cell printed on its group's first row only; two 约束性 rows; —, 新增一批, ＞10,
    40—45 and a footnote mark after a number."""
    lines = ["类型\t序号\t指标\t2020年\t2025年\t属性"]
    seq = 0
    for category, size in WENWU_GROUPS:
        for k in range(size):
            seq += 1
            baseline, target = {1: ("5058", "新增一批"), 6: ("—", "100"), 8: ("—", "＞10"), 12: ("33", "40—45"), 17: ("12.27③", "14")}.get(seq, (str(100 * seq), str(100 * seq + 50)))
            attribute = "约束性" if seq in (4, 5) else "预期性"
            lines.append(f"{category if k == 0 else ''}\t{seq}\t第{seq}项指标数量（个）\t{baseline}\t{target}\t{attribute}")
    return "\n".join(lines) + "\n\n注：③受疫情影响，2020年观众人数下降。\n"


def test_a_21_row_table_under_a_merged_type_column():
    records, issues = indicators(_wenwu_shaped_table())
    assert issues == []
    assert [r["seq"] for r in records] == list(range(1, 22))
    expected_categories = [c for c, size in WENWU_GROUPS for _ in range(size)]
    assert [r["category"] for r in records] == expected_categories
    assert [r["attribute"] for r in records].count("约束性") == 2
    assert (records[0]["target"]["value_kind"], records[7]["target"]["sense"], records[11]["target"]["low"]) == ("words", ">", 40)
    assert records[5]["baseline"]["value_kind"] == "none"
    assert records[16]["baseline"]["value"] == 12.27 and records[16]["footnotes"][0]["text"] == "受疫情影响，2020年观众人数下降。"
    assert all(r["unit"] == "个" and r["name"].startswith("第") for r in records)


# --- real documents against their hand-read truth ---------------------------------------


def _truth(stem: str) -> dict:
    return json.loads((ROOT / "bench" / "real" / f"{stem}.truth.json").read_text(encoding="utf-8"))


def _real_plan(name: str) -> dict:
    from pipeline.ingest import read_input
    from pipeline.run import recover

    return recover(read_input(REALDOCS / name), allow_empty=True).plan


def _compact(text):
    return "".join((text or "").split())


def test_mem_yingji_indicators_equal_the_truth():
    truth, plan = _truth("mem_yingji_14th_plan"), _real_plan("mem_yingji_14th_plan.md")
    got = [(r["seq"], r["category"], r["name"], r["unit"], r["target"]["raw"], r["attribute"]) for r in plan["indicators"]]
    assert got == [(t["seq"], t["category"], t["name"], t["unit"], t["target"], t["attribute"]) for t in truth["indicators"]]
    assert all(r["baseline"]["raw"] == "" for r in plan["indicators"])  # no baseline column
    assert [r["target"]["value_kind"] for r in plan["indicators"]] == ["words"] * 4 + ["bound"] * 3


def test_gz_monitoring_indicators_equal_the_truth():
    truth, plan = _truth("gz_family_doctor_plan_2023"), _real_plan("gz_family_doctor_plan_2023.html")
    got = [(r["seq"], r["category"], r["name"], _compact(r["target"]["raw"]), r["attribute"]) for r in plan["indicators"]]
    assert got == [(t["seq"], t["category"], t["name"], _compact(t["target"]), t["attribute"]) for t in truth["indicators"]]
    assert not [i for i in plan["issues"] if i["kind"].startswith("indicator")]


def test_the_csv_and_the_report_show_category_and_value_kind():
    import csv
    import io

    from pipeline.csvout import indicators_csv
    from pipeline.report import build_report

    text = "类别\t指标\t2020年\t2025年\t属性\n资源管理\t全国重点文物保护单位数量（处）\t5058\t新增一批\t预期性\n\t国家文物局重点科研基地数量（家）\t33\t40—45\t预期性\n\t文物科技研发投入年均增长率（%）\t—\t＞10\t预期性\n"
    from pipeline.ingest import decode_source
    from pipeline.run import recover

    recovery = recover(decode_source("plan.txt", text.encode()))
    plan = recovery.plan
    rows = list(csv.DictReader(io.StringIO(indicators_csv(plan)[1:])))
    assert [(r["category"], r["target_raw"], r["target_value_kind"], r["baseline_value_kind"]) for r in rows] == [
        ("资源管理", "新增一批", "words", "number"),
        ("资源管理", "40—45", "range 40..45", "number"),
        ("资源管理", "＞10", "bound >10", "none"),
    ]
    assert rows[0]["table"] == "1"
    records = [json.loads(line) for line in recovery.changes_jsonl.splitlines()]
    html = build_report(recovery.source.text, recovery.repair.text, records, plan)
    assert '<th scope="col">category</th>' in html and "range 40–45" in html and "bound &gt; 10" in html
