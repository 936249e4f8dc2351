from conftest import repair

from repair.table import fix_shifted_attribute_cell

HEADER = "指标\t\t2020年\t2025年\t累计增加值\t属性\n"


def test_duplicate_attribute_at_row_start_is_removed():
    row = "预期性\t6.\t版权产业增加值占 GDP 比重（%）\t7.39 ^④\t7.5\t0.11\t预期性\n"
    result = repair(HEADER + row, fix_shifted_attribute_cell)
    assert result.text == HEADER + "6.\t版权产业增加值占 GDP 比重（%）\t7.39 ^④\t7.5\t0.11\t预期性\n"


def test_attribute_moved_to_the_end_when_the_row_lacks_one():
    row = "约束性\t3.\t单位GDP能耗降低（%）\t—\t—\t13.5\n"
    result = repair(HEADER + row, fix_shifted_attribute_cell)
    assert result.text == HEADER + "3.\t单位GDP能耗降低（%）\t—\t—\t13.5\t约束性\n"
    # The moved cell keeps its source characters: nothing is written.
    assert all(o != -1 for o in result.origin)
    assert "moved_from_source" in result.changes[1].evidence


def test_conflicting_attributes_are_left_alone():
    row = "约束性\t3.\t森林覆盖率（%）\t23.04\t24.1\t1.06\t预期性\n"
    assert repair(HEADER + row, fix_shifted_attribute_cell).changes == ()


def test_normal_rows_stay():
    row = "1.\t每万人口高价值发明专利拥有量 ^① （件）\t6.3\t12\t5.7\t预期性\n"
    assert repair(HEADER + row, fix_shifted_attribute_cell).changes == ()


def test_a_moved_cell_points_at_its_own_source_characters_even_after_an_indent():
    row = "  约束性\t3.\t单位GDP能耗降低（%）\t—\t—\t13.5\n"
    source = HEADER + row
    result = repair(source, fix_shifted_attribute_cell)
    assert result.text.endswith("\t约束性\n")
    moved = result.text.rindex("约束性")
    # Each moved character's origin is the same character in the source.
    assert [source[result.origin[moved + k]] for k in range(3)] == list("约束性")
    assert source[result.origin[moved - 1]] == "\t"
