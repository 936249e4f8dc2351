from conftest import repair

from repair.whitespace import blank_whitespace_only_lines, normalize_blank_lines, strip_line_indent, strip_trailing_whitespace


def test_space_only_line_becomes_blank():
    assert repair("专栏1 甲工程\n \n健全政策。\n", blank_whitespace_only_lines).text == "专栏1 甲工程\n\n健全政策。\n"


def test_indent_removed_from_text_lines_but_not_from_table_rows():
    text = "指标\t\t2020年\t2025年\t属性\n\t每万人口高价值发明专利拥有量（件）\t6.3\t12\t预期性\n\n 完善数据知识产权保护政策，\n 探索建立分级分类模式。\n"
    result = repair(text, strip_line_indent)
    assert "\n完善数据知识产权保护政策，\n探索建立分级分类模式。\n" in result.text
    assert "\n\t每万人口" in result.text  # an empty first cell is not an indent


def test_trailing_tab_removed():
    assert repair("指标\t\t2020年\t2025年\t属性\t\n", strip_trailing_whitespace).text == "指标\t\t2020年\t2025年\t属性\n"


def test_blank_lines_normalised_without_adding_a_newline():
    assert repair("\n\n甲段落。\n\n\n\n乙段落。\n\n\n", normalize_blank_lines).text == "甲段落。\n\n乙段落。\n"
    assert repair("甲段落。", normalize_blank_lines).text == "甲段落。"  # nothing is written


def test_leading_tabs_of_a_row_under_a_merged_cell_stay():
    # 任务分工表: the rows under a merged 序号/工作事项 cell start with empty cells.
    text = "1\t有序扩大家庭医生来源\t各区政府\t市卫生健康委\n\t\t市卫生健康委\t市人社局\n"
    result = repair(text, strip_line_indent)
    assert result.text == text
