import unicodedata

from grammar.ideographs import RADICALS_SUPPLEMENT, CharChange, normalize_ideographs, unified_ideograph


def test_kangxi_radical_becomes_the_ideograph():
    assert normalize_ideographs("\u2f2f业") == ("工业", [CharChange(0, "\u2f2f", "工")])


def test_radicals_supplement_becomes_the_ideograph():
    text, changes = normalize_ideographs("人\u2ea0法院")
    assert text == "人民法院" and changes == [CharChange(1, "\u2ea0", "民")]


def test_full_width_punctuation_and_digits_are_untouched():
    text = "（一）加强保护，提升“质量”。２０２５年：ＧＤＰ；【专栏】《规划》"
    assert normalize_ideographs(text) == (text, [])
    assert unicodedata.normalize("NFKC", text) != text  # what a whole-text NFKC would have done


def test_compatibility_ideographs_and_offsets_of_several_changes():
    text, changes = normalize_ideographs("\u2f08\u2f1d\uf900\u2ed3江")
    assert text == "人口豈长江"
    assert [(c.offset, c.after) for c in changes] == [(0, "人"), (1, "口"), (2, "豈"), (3, "长")]


def test_unmapped_radicals_and_unified_compatibility_block_ideographs_stay():
    assert unified_ideograph("\u2e80") is None  # no established equivalent: left alone
    assert unified_ideograph("\ufa11") is None  # 﨑 is itself a unified ideograph
    assert all(len(v) == 1 and unicodedata.category(v) == "Lo" for v in RADICALS_SUPPLEMENT.values())
