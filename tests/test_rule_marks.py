from conftest import repair

from repair.marks import drop_stray_marks


def test_slash_inside_a_title_is_removed():
    result = repair("专栏3 知识产权/保护机构建设工程\n", drop_stray_marks)
    assert result.text == "专栏3 知识产权保护机构建设工程\n"
    assert result.changes[0].before == "/"


def test_alternation_and_numbers_stay():
    text = "专栏3 甲工程\n\n依法申请和/或登记，比例达到10/20以上，PC/SC接口。\n"
    assert repair(text, drop_stray_marks).text == text
