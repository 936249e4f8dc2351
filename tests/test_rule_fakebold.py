from conftest import RESIDUE, box, repair

from repair.changes import replay
from repair.fakebold import undo_fake_bold


def test_doubled_title_and_lead_sentence_are_undone():
    text = box("3", "知知识识产产权权保保护护工工程程", "健健全全商商业业秘秘密密保保护护政政策策。。完善行政执法程序。") + "\n"
    result = repair(text, undo_fake_bold)
    assert result.text == box("3", "知识产权保护工程", "健全商业秘密保护政策。完善行政执法程序。") + "\n"
    assert [c.after for c in result.changes] == ["知识产权保护工程", "健全商业秘密保护政策。"]
    assert replay(text, result.changes) == result.text


def test_kept_copies_keep_their_source_offsets():
    text = "专栏1 知知识识产产权权工程\n"
    result = repair(text, undo_fake_bold)
    assert result.text == "专栏1 知识产权工程\n"
    assert [text[o] for o in result.origin] == list(result.text)
    assert all(o >= 0 for o in result.origin)


def test_a_doubled_header_line_becomes_a_box_header_again():
    text = "专专栏栏33  商商标标品品牌牌工工程程\n\n完善机制。（国家知识产权局负责）\n"
    result = repair(text)
    assert result.text.startswith("专栏3 商标品牌工程\n")


def test_one_or_two_doubled_characters_are_words_and_stay():
    text = box("1", "甲工程", "人人享有公共服务，常常开展宣传，家家户户参与，方方面面落实，明明白白公开。") + "\n"
    assert repair(text, undo_fake_bold).changes == ()


def test_doubled_digits_and_marks_alone_stay():
    text = "指标\t\t2020年\t2025年\t累计增加值\t属性\n1.\t质押融资登记金额（亿元）\t1100\t2200\t1100\t预期性\n"
    assert repair(text, undo_fake_bold).changes == ()


def test_residue_lines_are_left_to_the_residue_rule():
    text = "产产 创创 主主\n\n产产\t创创\t主主\n\n" + RESIDUE + "\n\n各各\n"
    assert repair(text, undo_fake_bold).changes == ()
