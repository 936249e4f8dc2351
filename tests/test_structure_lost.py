"""A box or a table the PDF's text layer holds but the plan lacks is an issue, never silence."""

from pipeline.structure import structure_lost_issues

LAYER = "\n".join([
    "产 产",
    "指 标\t2020年\t2025年\t累计增加值\t属性",
    "1.\t海外发明专利授权量（万件）\t4\t9\t5\t预期性",
    "",
    "专栏 5 地理标志保护工程",
    "",
    "实施地理标志保护提升行动。",
    "",
    "专栏10 一流专利商标审查机构建设工程",
    "",
    "建设高水平审查员队伍。",
])


def plan(titles, indicators=1):
    return {"programmes": [{"number": n, "title": t} for n, t in enumerate(titles, start=1)],
            "indicators": [{"seq": 1}] * indicators}


def test_a_header_whose_box_the_plan_lacks_is_named_with_its_line():
    (issue,) = structure_lost_issues(LAYER, plan(["地理标志保护工程"]))
    assert issue["kind"] == "structure_lost" and issue["source"] == {"start_line": 9, "end_line": 9}
    assert issue["data"] == {"what": "box", "printed": "专栏10 一流专利商标审查机构建设工程", "number_printed": "10"}
    assert "专栏10 一流专利商标审查机构建设工程" in issue["detail"]


def test_a_box_read_under_its_true_number_is_no_loss():
    # The layer prints 专栏10 where box 6 stands: the plan's box 6 carries its title.
    assert structure_lost_issues(LAYER, plan(["地理标志保护工程", "一流专利商标审查机构建设工程"])) == []


def test_a_damaged_header_title_still_finds_its_box():
    layer = "专栏3 知识产权/保护机构建设工程\n"
    assert structure_lost_issues(layer, plan(["知识产权保护机构建设工程"])) == []


def test_a_table_the_plan_has_no_indicator_from_is_named():
    (issue,) = structure_lost_issues(LAYER, plan(["地理标志保护工程", "一流专利商标审查机构建设工程"], indicators=0))
    assert issue["data"] == {"what": "indicator_table", "printed": "指 标\t2020年\t2025年\t累计增加值\t属性", "rows": 2}
    assert issue["source"] == {"start_line": 2, "end_line": 3}


def test_tab_separated_lines_without_a_year_header_are_no_indicator_table():
    layer = "甲\t乙\t丙\t丁\n1\t2\t3\t4\n"
    assert structure_lost_issues(layer, plan([], indicators=0)) == []
