from conftest import RESIDUE, repair

from repair.marks import drop_stray_marks


def test_slash_inside_a_title_is_removed_where_the_extract_shows_glyph_loss():
    result = repair(RESIDUE + "\n\n专栏3 知识产权/保护机构建设工程\n", drop_stray_marks)
    assert result.text.endswith("专栏3 知识产权保护机构建设工程\n")
    assert result.changes[0].before == "/"
    assert result.changes[0].evidence["word"]


def test_the_same_slash_in_a_clean_document_stays():
    # No glyph loss shows: nothing says the slash is damage.
    text = "专栏3 知识产权/保护机构建设工程\n"
    assert repair(text, drop_stray_marks).changes == ()


def test_alternation_and_numbers_stay():
    text = "专栏3 甲工程\n\n依法申请和/或登记，比例达到10/20以上，PC/SC接口。\n"
    assert repair(text, drop_stray_marks).text == text


# Slashes as real plans print them (民爆, 文物, 应急, Shanghai plans): units after a
# number, alternatives sharing a character, two of a kind. They stay even in an
# extract that shows glyph loss.
REAL_SLASHES = [
    "工业炸药单耗由674发/吨下降到335发/吨。",
    "馆藏文物数量达到1.08亿件/套。",
    "30万吨/年以下煤矿实施关闭退出。",
    "推动侵入式/半侵入式脑机接口等产品研发。",
    "融合卫星通信、5G、短波/超短波通信等技术。",
    "加快多重拉曼光谱成像、脊髓/脑超声功能成像等成像技术。",
    "居民用电价格为0.5元/千瓦时，车速不超过60km/h。",
    "规划期为2021/2025年，覆盖率达到1/3。",
]


def test_real_unit_and_alternation_slashes_stay_even_with_glyph_loss():
    for sentence in REAL_SLASHES:
        text = RESIDUE + "\n\n专栏1 甲工程\n\n" + sentence + "\n"
        result = repair(text, drop_stray_marks)
        assert sentence in result.text, sentence
        assert result.changes == (), sentence


def test_a_slash_that_cuts_a_word_in_two_goes_even_without_glyph_loss():
    for printed, repaired in [("专栏2 知/识产权运营公共服务行动\n", "专栏2 知识产权运营公共服务行动\n"), ("专栏3 知识产/权质押融资计划\n", "专栏3 知识产权质押融资计划\n")]:
        result = repair(printed, drop_stray_marks)
        assert result.text == repaired, printed
        assert result.changes[0].evidence["cuts_a_word"] is True


def test_real_slashes_stay_without_glyph_loss():
    for sentence in REAL_SLASHES + ["开展机器人/外骨骼应用。", "建设商标品牌/协同保护工程。", "各省（自治区、直辖市）文物局、文化和旅游厅/局）"]:
        text = "专栏1 甲工程\n\n" + sentence + "\n"
        assert repair(text, drop_stray_marks).changes == (), sentence
