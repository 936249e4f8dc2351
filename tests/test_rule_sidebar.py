from conftest import RESIDUE, box, repair

from repair.residue import drop_residue_lines
from repair.sidebar import set_aside_sidebar_fragments


def test_sidebar_lines_inside_a_box_are_set_aside_not_spliced():
    text = "\n\n".join([box("9", "中小企业知识产权战略推进工程", "准，\n运营平台\n支持中小\n丰富金融\n产品和服务\n普惠金融", "提升知识产权管理水平。加大托管服务力度。"), RESIDUE]) + "\n"
    result = repair(text, drop_residue_lines, set_aside_sidebar_fragments)
    sidebar = [c for c in result.changes if c.rule == "set_aside_sidebar_fragments"]
    assert len(sidebar) == 1
    assert sidebar[0].evidence["fragments"] == ["准，", "运营平台", "支持中小", "丰富金融", "产品和服务", "普惠金融"]
    assert "运营平台" not in result.text
    assert "提升知识产权管理水平。加大托管服务力度。" in result.text


def test_single_glyph_fragments_in_a_box_are_sidebar_but_residue_glyphs_end_the_box():
    # 品/州/资 are not residue glyphs: cut from the box's sidebar. 产 lines are residue.
    text = "\n\n".join([box("4", "植物新品种保护体系建设工程", "完善植物新品种保护体制机制。"), "品\n州\n资", RESIDUE]) + "\n"
    result = repair(text, drop_residue_lines, set_aside_sidebar_fragments)
    rules = sorted(c.rule for c in result.changes)
    assert rules == ["drop_residue_lines", "set_aside_sidebar_fragments"]
    assert result.text.rstrip("\n").endswith("完善植物新品种保护体制机制。")


def test_short_line_outside_any_box_is_residue_not_sidebar():
    text = "\n\n".join([RESIDUE, "云博", RESIDUE]) + "\n"
    result = repair(text, drop_residue_lines, set_aside_sidebar_fragments)
    assert [c.rule for c in result.changes] == ["drop_residue_lines"]


def test_a_box_printed_as_a_table_keeps_its_header_row_even_with_glyph_loss():
    header = "类别\t细分\t重点任务"
    text = "\n\n".join([RESIDUE, box("1", "民爆行业安全生产工程", header, "生产\t工业炸药\t推进生产线自动化改造。"), RESIDUE]) + "\n"
    result = repair(text, drop_residue_lines, set_aside_sidebar_fragments)
    assert header in result.text
    assert all(c.rule == "drop_residue_lines" for c in result.changes)


def test_short_lines_of_a_clean_document_are_never_set_aside():
    # No glyph loss shows: a short line in a box is a sub-heading or a table cell.
    text = box("2", "安全生产工程", "类别\t重点任务", "危险化学品", "加强危险化学品安全治理。") + "\n"
    assert repair(text, drop_residue_lines, set_aside_sidebar_fragments).changes == ()


def test_table_rows_with_short_cells_are_neither_sidebar_nor_residue():
    rows = "2\t数据\t26个\n版权\t2030年"
    text = "\n\n".join([RESIDUE, box("1", "甲工程", "完善机制。", rows), RESIDUE]) + "\n"
    result = repair(text, drop_residue_lines, set_aside_sidebar_fragments)
    assert rows in result.text
    assert "产 创 产" not in result.text
