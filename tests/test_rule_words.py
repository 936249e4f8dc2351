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


def test_long_agency_name_split_far_from_its_start_is_joined():
    # The name is longer than a few characters on either side of the break: the whole
    # clause is read, not a fixed window.
    text = "专栏1 科技成果转化工程\n\n优化科技成果转化信用监管。（国家质量监督检验检疫\n  总局、外交部等负责）\n"
    result = repair(text, join_split_words)
    assert result.text == "专栏1 科技成果转化工程\n\n优化科技成果转化信用监管。（国家质量监督检验检疫总局、外交部等负责）\n"
    assert result.changes[0].evidence["word"] == "国家质量监督检验检疫总局"


# ---------------------------------------------------------------- hard-wrapped paragraphs

BOX = "专栏1 商业秘密保护工程\n\n"


def test_hard_wrapped_paragraph_is_joined_where_no_word_spans_the_break():
    # 25, 24 characters, then a shorter last line: the page width, not lost text.
    text = BOX + "健全商业秘密保护政策法规体系，加强商业秘密保护工作\n 指导，推动建立商业秘密保护行业规范，完善商业秘密\n 纠纷多元化解机制。\n"
    result = repair(text, join_split_words)
    assert result.text == BOX + "健全商业秘密保护政策法规体系，加强商业秘密保护工作指导，推动建立商业秘密保护行业规范，完善商业秘密纠纷多元化解机制。\n"
    assert len(result.changes) == 2
    first = result.changes[0]
    assert first.before == "\n " and first.after == ""
    assert first.reason.startswith("line break of a hard-wrapped paragraph")
    assert 0 < first.confidence < 1
    assert first.evidence == {
        "left": "保护工作",
        "right": "指导，推",
        "measure": "characters",
        "line_widths": [25, 24],
        "last_line_width": 9,
    }


def test_lines_even_in_print_width_are_a_wrap_too():
    # Digits are half as wide as ideographs: 32 and 29 characters, 56 and 58 columns.
    text = BOX + "到2025年，知识产权质押融资登记金额达到3200亿元，建成一批\n 运营服务中心，培育知识产权示范企业，推动知识产权服务业发展\n 壮大，营造良好氛围。\n"
    result = repair(text, join_split_words)
    assert result.text == BOX + "到2025年，知识产权质押融资登记金额达到3200亿元，建成一批运营服务中心，培育知识产权示范企业，推动知识产权服务业发展壮大，营造良好氛围。\n"
    wrap = next(c for c in result.changes if "hard-wrapped" in c.reason)
    assert wrap.evidence["measure"] == "print width" and wrap.evidence["line_widths"] == [56, 58]


def test_first_line_may_be_indented_by_two_characters():
    text = BOX + "健全商业秘密保护政策法规体系，加强商业秘密保护工作\n指导，推动建立商业秘密保护行业规范，完善商业秘密纠纷\n解决机制，提升企业商业秘密保护能力和水平，营造良好环境\n氛围。\n"
    result = repair(text, join_split_words)
    assert result.text == BOX + "健全商业秘密保护政策法规体系，加强商业秘密保护工作指导，推动建立商业秘密保护行业规范，完善商业秘密纠纷解决机制，提升企业商业秘密保护能力和水平，营造良好环境氛围。\n"


def test_ragged_lines_keep_their_breaks():
    # Box 2 of the corpus as extracted: lines of 39, 40, 40, 32, 37, 36 ... characters.
    # Text was lost at the line ends (加强数据 / 制度 reads on, but is not the plan's
    # text); only the breaks a word spans go (探索, 国家知识产权局).
    text = (
        "专栏2 数据知识产权保护工程\n\n"
        "“数据知识产权”或保护规则”深入研究数据的产权属性”探索开展数据知识产权保护措\n"
        " (立法研究，推动完善涉及数据知识产权保护的法律法规。完善数据知识产权保护政策，探\n"
        " 索建立分级分类的数据知识产权保护模式。推动建立数据知识产权保护行业规范，加强数据\n"
        " 制度。二是开展试点中的知识产权保护。三是探索数据知识产权国际规则\n"
        " 用试点。四是探索数据知识产权安全保护。支持有条件的地区开展数据知识产权保护\n"
        " 在保护个人信息安全和国家数据安全的基础上，促进数据要素合理流动、有效保护\n"
        " 用。积极开展数据知识产权保护国际合作与交流。(中央宣传部、中央网信办、最\n"
        " 院、外交部、工业和信息化部、公安部、司法部、商务部、市场监管总局、国家知\n"
        " 识产权局、银保监会)\n"
    )
    result = repair(text, join_split_words)
    assert result.text == text.replace("探\n 索", "探索").replace("国家知\n 识产权局", "国家知识产权局")
    assert [c.evidence["word"] for c in result.changes] == ["探索", "国家知识产权局"]


def test_break_after_a_sentence_stays_in_a_wrapped_paragraph():
    # The sentence may end the paragraph as well as the line.
    text = BOX + "健全商业秘密保护政策法规体系，加强商业秘密保护工作指导。\n 推动建立商业秘密保护行业规范，完善商业秘密纠纷多元调解\n 工作。\n"
    result = repair(text, join_split_words)
    assert result.text == BOX + "健全商业秘密保护政策法规体系，加强商业秘密保护工作指导。\n 推动建立商业秘密保护行业规范，完善商业秘密纠纷多元调解工作。\n"
    assert [c.reason for c in result.changes] == ["line break of a hard-wrapped paragraph (3 lines of even characters)"]


def test_lone_characters_on_both_sides_of_a_break_mark_lost_text_even_in_even_lines():
    text = BOX + "积极开展数据知识产权保护国际合作与交流。（中央宣传部、最\n 院、外交部、工业和信息化部、公安部、司法部、商务部、海关\n 总署）\n"
    result = repair(text, join_split_words)
    assert result.text == BOX + "积极开展数据知识产权保护国际合作与交流。（中央宣传部、最\n 院、外交部、工业和信息化部、公安部、司法部、商务部、海关总署）\n"


def test_short_lines_are_not_a_page_width():
    text = BOX + "加强商业秘密保护，完善政策\n 推动建立行业规范，健全机制\n 提升保护能力。\n"
    assert repair(text, join_split_words).text == text


def test_one_full_line_shows_no_width():
    text = BOX + "健全商业秘密保护政策法规体系，加强商业秘密保护工作\n 指导，推动建立商业秘密保护行业规范。\n"
    assert repair(text, join_split_words).text == text


def test_a_last_line_wider_than_the_others_is_no_wrap():
    text = BOX + "健全商业秘密保护政策法规体系，加强商业秘密保护工作\n 指导，推动建立商业秘密保护行业规范，完善商业秘密\n 纠纷解决机制，提升企业商业秘密保护能力和水平，营造良好环境。\n"
    assert repair(text, join_split_words).text == text


def test_a_line_opening_an_item_or_a_field_stays_on_its_own():
    numbered = BOX + "加强商业秘密保护工作指导，推动建立商业秘密保护行业规范\n 2.完善商业秘密纠纷解决机制，提升企业商业秘密保护能力\n 和水平。\n"
    assert repair(numbered, join_split_words).text == numbered.replace("能力\n 和水平", "能力和水平")
    fields = BOX + "（牵头单位：国家市场监督管理总局、国家知识产权局、公安部，\n 配合单位：最高人民法院、最高人民检察院、司法部、商务部、\n 海关总署）\n"
    assert repair(fields, join_split_words).text == fields.replace("商务部、\n 海关总署", "商务部、海关总署")


def test_lines_set_in_columns_are_no_paragraph():
    text = BOX + "商业秘密保护  政策法规体系建设  商业秘密保护工作指导\n 行业规范建设  纠纷多元化解机制  企业保护能力提升工作\n 其他  事项\n"
    assert repair(text, join_split_words).text == text


def test_whole_repair_joins_a_wrapped_box_paragraph():
    # All rules: the indentation goes first (strip_line_indent), then the breaks.
    text = BOX + "健全商业秘密保护政策法规体系，加强商业秘密保护工作\n  指导，推动建立商业秘密保护行业规范，完善商业秘密\n  纠纷多元化解机制。（公安部负责）\n"
    result = repair(text)
    assert result.text == BOX + "健全商业秘密保护政策法规体系，加强商业秘密保护工作指导，推动建立商业秘密保护行业规范，完善商业秘密纠纷多元化解机制。（公安部负责）\n"
    assert [c.rule for c in result.changes] == ["strip_line_indent"] * 2 + ["join_split_words"] * 2
