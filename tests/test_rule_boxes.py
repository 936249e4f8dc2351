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
    boxes = infer_box_numbers(["4", "5", "6"])
    assert [b.number for b in boxes] == [4, 5, 6]
    assert boxes[0].missing_before == (1, 2, 3)


def test_a_misprinted_first_box_is_one():
    assert numbers(["3", "2", "3", "4"]) == [1, 2, 3, 4]


def test_agreeing_numbers_after_a_jump_mean_a_lost_box():
    boxes = infer_box_numbers(["1", "2", "4", "5", "6", "7"])
    assert [b.number for b in boxes] == [1, 2, 4, 5, 6, 7]
    assert [b.missing_before for b in boxes] == [(), (), (3,), (), (), ()]
    assert all(b.status == "as_printed" for b in boxes)


def test_one_number_alone_past_the_sequence_is_a_misprint():
    # The corpus shows misprints in 4 of 15 boxes; losing a whole box is rarer.
    boxes = infer_box_numbers(["1", "2", "3", "4", "5", "6", "7", "9"])
    assert boxes[-1].number == 8 and boxes[-1].status == "corrected"
    assert "follows box 7" in boxes[-1].evidence
    assert numbers(["1", "99", "5"]) == [1, 2, 3]


def test_a_jump_that_later_numbers_contradict_is_a_misprint():
    # 19 and 21 would need boxes lost, but the last box prints 20 at position 20.
    printed = [str(n) for n in range(1, 18)] + ["19", "21", "20"]
    assert numbers(printed) == list(range(1, 21))


def test_misprints_or_a_lost_box_at_equal_odds_stay_uncertain():
    boxes = infer_box_numbers(["1", "2", "4", "5"])  # box 3 lost, or 4 and 5 misprinted?
    assert [b.number for b in boxes] == [1, 2, None, None]
    assert [b.status for b in boxes] == ["as_printed", "as_printed", "uncertain", "uncertain"]
    assert [b.candidates for b in boxes[2:]] == [(3, 4), (4, 5)]
    uncertain = infer_box_numbers(["1", "2", "9", "5", "6"])
    assert [b.number for b in uncertain][:2] == [1, 2] and uncertain[2].candidates == (3, 4)


def test_renumbering_writes_nothing_for_an_uncertain_box():
    text = "\n\n".join([box("1", "甲工程", "甲。"), box("2", "乙工程", "乙。"), box("4", "丙工程", "丙。"), box("5", "丁工程", "丁。")]) + "\n"
    assert repair(text, renumber_boxes).changes == ()


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


def _plan_of(printed: list[str]) -> dict:
    from pipeline.ingest import decode_source
    from pipeline.run import recover

    text = "\n\n".join(box(p, f"第{i}项工程", "完善机制。（国家知识产权局负责）") for i, p in enumerate(printed, 1)) + "\n"
    return recover(decode_source("boxes.txt", text.encode())).plan


def test_plan_json_says_which_numbers_are_uncertain_and_why():
    plan = _plan_of(["1", "2", "4", "5"])
    boxes = plan["programmes"]
    assert [b["number"] for b in boxes] == [1, 2, None, None]
    assert [b["number_status"] for b in boxes] == ["as_printed", "as_printed", "uncertain", "uncertain"]
    assert boxes[2]["number_candidates"] == [3, 4] and "number_candidates" not in boxes[0]
    doubts = [i for i in plan["issues"] if i["kind"] == "box_number_uncertain"]
    assert [i["data"]["candidates"] for i in doubts] == [[3, 4], [4, 5]]


def test_plan_json_reports_a_box_not_in_the_text():
    plan = _plan_of(["1", "2", "4", "5", "6", "7"])
    assert [b["number"] for b in plan["programmes"]] == [1, 2, 4, 5, 6, 7]
    lost = [i for i in plan["issues"] if i["kind"] == "box_not_found"]
    assert len(lost) == 1 and lost[0]["data"]["numbers"] == [3] and lost[0]["box"] == 4


def test_a_corrected_number_is_not_reported_again():
    plan = _plan_of(["1", "2", "3", "9"])
    assert [b["number"] for b in plan["programmes"]] == [1, 2, 3, 4]
    assert plan["programmes"][3]["number_status"] == "corrected" and plan["programmes"][3]["printed_number"] == "9"
    assert not [i for i in plan["issues"] if i["kind"].startswith("box_n")]


def test_a_letter_printed_for_a_digit_is_replaced_not_kept_beside_the_number():
    text = "\n\n".join([box("l", "甲工程", "完善机制。"), box("2", "乙工程", "完善机制。"), box("3", "丙工程", "完善机制。")]) + "\n"
    result = repair(text, renumber_boxes)
    assert result.text.startswith("专栏1 甲工程")
    assert [c.before for c in result.changes] == ["l"]


def test_a_title_that_opens_with_a_latin_word_is_not_a_number():
    text = "\n\n".join([box("1", "PM2.5治理工程", "完善机制。"), box("2", "乙工程", "完善机制。")]) + "\n"
    assert repair(text, renumber_boxes).changes == ()
