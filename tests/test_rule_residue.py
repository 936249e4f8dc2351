from conftest import RESIDUE, box, repair

from repair.residue import drop_residue_lines


def test_residue_between_boxes_is_removed_with_one_record_per_run():
    text = "\n\n".join([box("1", "商业秘密保护工程", "健全商业秘密保护政策。完善行政执法程序。"), RESIDUE, box("2", "数据知识产权保护工程", "完善数据知识产权保护政策。")]) + "\n"
    result = repair(text, drop_residue_lines)
    assert "产 创 产" not in result.text
    assert "健全商业秘密保护政策。完善行政执法程序。" in result.text
    assert "专栏2 数据知识产权保护工程" in result.text
    assert [c.rule for c in result.changes] == ["drop_residue_lines"]
    assert result.changes[0].evidence["lines"] == 9


def test_tab_grid_and_digit_scatter_are_residue():
    grid = "公\t产 公\t公\t创\n5\t公\t%\t0 产 公\n优\t产 公\t\t公"
    text = "\n\n".join([box("1", "商业秘密保护工程", "健全商业秘密保护政策。"), RESIDUE, grid, "6 5 8 3 1 . 产 .", "“ ”"]) + "\n"
    result = repair(text, drop_residue_lines)
    assert result.text == box("1", "商业秘密保护工程", "健全商业秘密保护政策。") + "\n\n"


def test_real_one_line_heading_stays():
    text = "\n\n".join([RESIDUE, "一、全面加强知识产权保护", RESIDUE, "（二）完善知识产权保护政策", RESIDUE]) + "\n"
    result = repair(text, drop_residue_lines)
    assert "一、全面加强知识产权保护" in result.text
    assert "（二）完善知识产权保护政策" in result.text
    assert "产 创 产" not in result.text


def test_body_paragraph_that_survived_stays():
    paragraph = "知识产权保护工作关系国家治理体系和治理能力现代化，关系高质量发展。"
    text = "\n\n".join([RESIDUE, paragraph, RESIDUE]) + "\n"
    assert paragraph in repair(text, drop_residue_lines).text


def test_nothing_to_do_on_clean_text():
    text = box("1", "商业秘密保护工程", "健全商业秘密保护政策。") + "\n"
    assert repair(text, drop_residue_lines).changes == ()


def test_short_real_lines_stay_where_the_document_shows_no_glyph_loss():
    text = "“十四五”国家知识产权保护和运用规划\n\n国务院\n\n" + box("1", "商业秘密保护工程", "健全商业秘密保护政策。") + "\n"
    assert repair(text, drop_residue_lines).changes == ()


# A key-indicators table as a crawler flattens it: one cell per paragraph (the 应急体系
# plan's 专栏1 prints this way), beside a Markdown rule and heading and an issuer line.
FLATTENED_TABLE = "\n\n".join(
    ["---", "## 政策全文", "国务院", "专栏1　“十四五”时期主要指标", "序号", "指　　标", "预期值", "属性", "1",
     "单位国内生产总值生产安全事故死亡率", "下降33%", "约束性", "2", "年均每百万人口因自然灾害死亡率", "<1", "预期性", "3",
     "是", "否", "是", "否", "是", "否", "是", "否"]
) + "\n"


def test_a_flattened_table_and_markdown_leftovers_are_not_residue():
    result = repair(FLATTENED_TABLE)
    assert [c for c in result.changes if c.rule in ("drop_residue_lines", "set_aside_sidebar_fragments")] == []
    assert result.context.diagnosis.found("glyph_loss") is False


def test_markdown_leftovers_stay_even_where_glyph_loss_shows():
    text = "\n\n".join([RESIDUE, "---", "## 政策全文", RESIDUE]) + "\n"
    result = repair(text, drop_residue_lines)
    assert "---" in result.text and "## 政策全文" in result.text
    assert "产 创 产" not in result.text


def test_a_run_of_words_and_numbers_is_kept_where_glyph_loss_shows():
    # Evidence is per run too: table cells between two residue runs are real text.
    cells = "\n\n".join(["下降15%", "约束性", "2"])
    text = "\n\n".join([RESIDUE, "一、主要指标", cells, "二、主要任务", RESIDUE]) + "\n"
    result = repair(text, drop_residue_lines)
    assert "下降15%\n\n约束性\n\n2" in result.text


def test_a_lone_real_glyph_beside_residue_stays():
    # A title split over two paragraphs leaves one real character on a line (围).
    text = "\n\n".join([RESIDUE, "2024—2026年海南省农机购置与应用补贴实施方案适用范", "围", "一、补贴范围", RESIDUE]) + "\n"
    result = repair(text, drop_residue_lines)
    assert "\n围\n" in result.text
    assert "产 创 产" not in result.text
