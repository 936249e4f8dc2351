from conftest import box, repair

from repair.boxes import infer_box_numbers, renumber_boxes


def numbers(printed):
    return [b.number for b in infer_box_numbers(printed)]


def test_corpus_sequence_fewest_changes():
    printed = ["1", "2", "3", "4", "5", "10", "7", "9", "10", "10", "11", "12", "13", "11 4", "15"]
    boxes = infer_box_numbers(printed)
    assert [b.number for b in boxes] == list(range(1, 16))
    assert [b.position for b in boxes if b.status == "corrected"] == [6, 8, 9, 14]


def test_missing_numbers_are_inferred():
    assert numbers([None, None, None]) == [1, 2, 3]
    assert numbers(["1", None, "3"]) == [1, 2, 3]
    assert [b.status for b in infer_box_numbers(["1", None, "3"])] == ["as_printed", "inferred", "as_printed"]


def test_excerpt_starting_later_keeps_its_numbers():
    assert numbers(["4", "5", "6"]) == [4, 5, 6]


def test_a_lost_box_leaves_a_gap_and_no_false_correction():
    assert numbers(["1", "2", "4", "5"]) == [1, 2, 4, 5]
    # Between 2 and 5 one box was lost: the damaged middle box is 3 or 4, so it stays open.
    uncertain = infer_box_numbers(["1", "2", "9", "5", "6"])
    assert [b.number for b in uncertain] == [1, 2, None, 5, 6]
    assert uncertain[2].status == "uncertain"


def test_unpinnable_number_is_uncertain():
    boxes = infer_box_numbers(["1", "99", "5"])  # two boxes lost between 1 and 5: which is the middle one?
    assert boxes[1].status == "uncertain" and boxes[1].number is None


def test_chinese_numerals_and_fullwidth_digits():
    assert numbers(["一", "二", "三"]) == [1, 2, 3]
    assert numbers(["１", "２", "三"]) == [1, 2, 3]
    assert numbers(["十", "十一", "十二"]) == [10, 11, 12]


def test_rule_writes_only_the_digits():
    text = "\n\n".join([box("1", "甲工程", "甲。"), box("10", "乙工程", "乙。"), "专栏 11 4 丙工程", box("4", "丁工程", "丁。")]) + "\n"
    result = repair(text, renumber_boxes)
    assert "专栏2 乙工程" in result.text and "专栏 3 丙工程" in result.text
    assert [(c.before, c.after) for c in result.changes] == [("10", "2"), ("11 4", "3")]


def test_box_without_number_gets_it_inserted():
    text = "\n\n".join([box("1", "甲工程", "甲。"), "专栏 乙工程\n\n乙。"]) + "\n"
    result = repair(text, renumber_boxes)
    assert "专栏2 乙工程" in result.text
    assert result.changes[0].before == "" and result.changes[0].after == "2"


def test_numbers_inside_sentences_stay():
    text = "\n\n".join([box("1", "甲工程", "建成100个示范区，压缩至18个月以内。"), box("2", "乙工程", "专栏内容。")]) + "\n"
    assert repair(text, renumber_boxes).changes == ()
