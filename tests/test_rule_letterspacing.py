from conftest import RESIDUE, box, repair

from repair.changes import replay
from repair.letterspacing import join_letter_spaced


def test_a_spaced_out_box_title_is_joined_whole():
    text = box("4", "知 识 产 权 审 查 质 量 提 升 计 划", "完善机制。（国家知识产权局负责）") + "\n"
    result = repair(text, join_letter_spaced)
    assert result.text == box("4", "知识产权审查质量提升计划", "完善机制。（国家知识产权局负责）") + "\n"
    assert len(result.changes) == 1
    assert replay(text, result.changes) == result.text
    assert all(o >= 0 for o in result.origin)


def test_a_spaced_out_indicator_name_is_joined_up_to_its_unit():
    text = "指标\t\t2020年\t2025年\t累计增加值\t属性\n1.\t知 识 产 权 民 事 一 审 案 件 服 判 息 诉 率（%）\t80\t89\t9\t预期性\n"
    result = repair(text, join_letter_spaced)
    assert "1.\t知识产权民事一审案件服判息诉率（%）\t80" in result.text


def test_a_spaced_out_sentence_with_punctuation_is_joined():
    text = box("1", "甲工程", "加 强 知 识 产 权 保 护 ， 完 善 商 业 秘 密 保 护 政 策 。") + "\n"
    result = repair(text, join_letter_spaced)
    assert "加强知识产权保护，完善商业秘密保护政策。" in result.text


def test_a_spaced_out_title_on_its_own_line_is_not_taken_for_residue():
    text = "“ 十 四 五 ” 国 家 知 识 产 权 保 护 和 运 用 规 划\n\n" + RESIDUE + "\n\n" + box("1", "甲工程", "完善机制。（国家知识产权局负责）") + "\n"
    result = repair(text)
    assert result.text.startswith("“十四五”国家知识产权保护和运用规划\n\n专栏1 甲工程")


def test_digits_and_marks_of_a_spaced_out_title_are_joined_with_it():
    text = "国 家 知 识 产 权 强 省 建 设 纲 要 实 施 方 案 （ 2 0 2 6 — 2 0 3 0 年 ）\n\n" + box("1", "甲工程", "完善机制。（国家知识产权局负责）") + "\n"
    result = repair(text, join_letter_spaced)
    assert result.text.startswith("国家知识产权强省建设纲要实施方案（2026—2030年）\n")


def test_a_split_box_number_before_a_spaced_out_title_stays_a_number():
    text = "专栏1 5 标 准 必 要 专 利 普 及 教 育 工 程\n\n完善机制。（国家知识产权局负责）\n"
    result = repair(text, join_letter_spaced)
    assert result.text.startswith("专栏1 5 标准必要专利普及教育工程\n")


def test_residue_and_short_runs_stay():
    text = "产 产 D 产 产 产 创\n\n产 各 则 产\n\n优 产 创 产\n\n指 标\t\t2020年\t2025年\n\n专栏 11 4 对外贸易工程\n"
    assert repair(text, join_letter_spaced).changes == ()


def test_legitimate_spaces_around_latin_and_numbers_stay():
    text = box("5", "地理标志保护工程", "专利密集型产业增加值占 GDP 比重，研究加入(UPOV) 1991年文本。") + "\n"
    assert repair(text, join_letter_spaced).changes == ()
