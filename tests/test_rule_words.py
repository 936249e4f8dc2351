from conftest import repair

from repair.words import join_split_words


def test_line_break_inside_an_agency_name_is_joined():
    text = "专栏2 数据知识产权保护工程\n\n积极开展合作与交流。(中央宣传部、市场监管总局、国家知\n 识产权局、银保监会)\n"
    result = repair(text, join_split_words)
    assert "国家知识产权局、银保监会" in result.text
    assert result.changes[0].evidence["word"] == "国家知识产权局"


def test_break_where_text_was_lost_stays():
    text = "专栏2 数据知识产权保护工程\n\n(中央宣传部、中央网信办、最\n 院、外交部)\n推动建立行业规范，加强数据\n 制度。\n"
    result = repair(text, join_split_words)
    assert "最\n 院" in result.text
    assert "加强数据\n 制度" in result.text
    assert result.changes == ()


def test_letter_spaced_header_cell_is_joined():
    assert repair("指 标\t\t2020年\t2025年\t属性\n", join_split_words).text == "指标\t\t2020年\t2025年\t属性\n"


def test_spaces_around_latin_and_numbers_stay():
    text = "专栏5 地理标志保护工程\n\n专利密集型产业增加值占 GDP 比重，研究加入(UPOV) 1991年文本，覆盖率提高到90%以上。\n"
    assert repair(text, join_split_words).text == text


def test_paragraph_break_is_never_joined():
    text = "专栏1 商业秘密保护工程\n\n健全商业秘密保护政策。加强国家\n\n知识产权保护。\n"
    assert repair(text, join_split_words).text == text
