"""A provincial plan of the same family: other headers, other agencies, unnumbered boxes.

The text is written here by hand in the shape such extracts take; every expected value
below is read off it, not taken from the program.
"""

import pytest

from pipeline.ingest import decode_source
from pipeline.run import recover

PROVINCIAL_PLAN = """产 创 产

公

产 产 主

传 产

各 产

一、发展基础

指标\t\t2015年\t2020年\t累计变化\t属性\t
1.\t单位地区生产总值能耗降低（%）\t—\t—\t15\t约束性\t
2.\t森林覆盖率（%）\t58.5\t60.1\t1.6\t约束性\t
约束性\t3.\t万元工业增加值用水量下降（%）\t—\t—\t20
4.\t研究与试验发展经费投入强度（%）\t2.2\t2.6\t0.4\t预期性\t

产 产

创

专栏 数字政府建设行动

建设全省一体化政务服务平台。推动数据共享，提升网上办事水平。（牵头单位：省政务服务数据管理局，配合单位：省发展改革委、省财政厅，各地级以上市政府）

完善省级政务云。推进省级部门系统迁移上云。推进省级部门系统迁移上云。（省发展改革委、省科技厅等负责）

产 创

专栏 科技创新能力提升计划

加强基础研究。建设省实验室。（省科技厅牵头，省教育厅、省财政厅等按职责分工负责）

主 产

二、主要任务
"""


@pytest.fixture(scope="module")
def plan():
    return recover(decode_source("province.txt", PROVINCIAL_PLAN.encode("gb18030")), plan_year=2016).plan


def test_indicators_with_another_header_and_binding_rows(plan):
    rows = plan["indicators"]
    assert [r["seq"] for r in rows] == [1, 2, 3, 4]
    assert [r["attribute"] for r in rows] == ["约束性", "约束性", "约束性", "预期性"]
    assert rows[1]["baseline"] == {"year": 2015, "value": 58.5, "raw": "58.5", "value_kind": "number"}
    assert rows[1]["target"] == {"year": 2020, "value": 60.1, "raw": "60.1", "value_kind": "number"}
    assert rows[1]["increase"] == {"kind": "累计变化", "value": 1.6, "raw": "1.6", "value_kind": "number"}
    assert rows[1]["checks"][0]["ok"] is True
    # Row 3's attribute was shifted to the row start: moved back, not lost.
    assert rows[2]["name"] == "万元工业增加值用水量下降" and rows[2]["increase"]["value"] == 20


def test_unnumbered_boxes_are_numbered_by_position(plan):
    boxes = plan["programmes"]
    assert [(b["number"], b["printed_number"], b["number_status"]) for b in boxes] == [(1, None, "inferred"), (2, None, "inferred")]
    assert [b["title"] for b in boxes] == ["数字政府建设行动", "科技创新能力提升计划"]


def test_provincial_agencies_and_labelled_units(plan):
    first, second = plan["programmes"]
    labelled = first["assignments"][0]
    assert labelled["form"] == "labelled_units"
    assert labelled["lead"] == ["省政务服务数据管理局"]
    assert labelled["participants"] == ["省发展改革委", "省财政厅", "各地级以上市政府"]
    joint = first["assignments"][1]
    assert joint["form"] == "joint_leads" and joint["lead"] == ["省发展改革委", "省科技厅"]
    assert second["lead"] == ["省科技厅"] and second["participants"] == ["省教育厅", "省财政厅"]
    levels = {a["name"]: (a["registered"], a["level"]) for a in plan["agencies"]}
    assert levels["省发展改革委"] == (False, "provincial")


def test_headings_stay_and_repeats_go(plan):
    items = plan["programmes"][0]["items"]
    assert items[1]["text"].count("推进省级部门系统迁移上云。") == 1
    assert items[0]["heading"] == "建设全省一体化政务服务平台"


def test_headings_survive_in_the_repaired_text():
    result = recover(decode_source("province.txt", PROVINCIAL_PLAN.encode())).repair
    assert "一、发展基础" in result.text and "二、主要任务" in result.text
    assert "产 创" not in result.text
    assert "专栏1 数字政府建设行动" in result.text and "专栏2 科技创新能力提升计划" in result.text
