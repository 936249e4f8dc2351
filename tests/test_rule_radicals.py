from conftest import repair

from repair.radicals import normalize_radicals


def test_radicals_become_ideographs_and_keep_their_origin():
    text = "专栏1 甲工程\n\n（⼯业和信息化部、⺠政部负责）\n"
    result = repair(text, normalize_radicals)
    assert result.text == "专栏1 甲工程\n\n（工业和信息化部、民政部负责）\n"
    assert [c.before for c in result.changes] == ["⼯", "⺠"]
    assert all(o >= 0 for o in result.origin)


def test_fullwidth_punctuation_and_digits_stay():
    text = "（一）完善机制，提高到９０％以上：“三品一标”。\n"
    assert repair(text, normalize_radicals).changes == ()
