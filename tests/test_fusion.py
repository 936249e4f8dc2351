from repair.fusion import ScanReading, fuse_edits
from repair.changes import TrackedText, replay


def scan(text, confidence=0.99, low=()):
    conf = tuple(0.3 if i in low else confidence for i in range(len(text)))
    return ScanReading(text, conf, tuple((3, (10, 20 + i // 10, 300, 40)) for i in range(len(text))))


def fused(extract, reading, alphabet=frozenset("产创公")):
    tracked = TrackedText(extract)
    tracked.apply_named(fuse_edits(extract, reading, alphabet))
    assert replay(extract, tracked.changes) == tracked.text
    return tracked


def test_confident_scan_corrects_a_damaged_character():
    t = fused("加强国家知识产杈局建设。", scan("加强国家知识产权局建设。"))
    assert t.text == "加强国家知识产权局建设。"
    (change,) = t.changes
    assert change.rule == "take_ocr_reading" and change.evidence["scan"][0]["page"] == 3


def test_unsure_scan_does_not_overrule_an_intact_extract():
    t = fused("质押融资登记金额3200亿元。", scan("质押融资登记金额3280亿元。", low=(9, 10)))
    assert t.text == "质押融资登记金额3200亿元。" and t.changes == []


def test_scan_fills_text_the_extract_lost():
    t = fused("加快国家植物品种测试徐、三亚中心建设。", scan("加快国家植物品种测试徐州、三亚中心建设。"))
    assert t.text == "加快国家植物品种测试徐州、三亚中心建设。"
    assert [c.rule for c in t.changes] == ["fill_from_scan"]


def test_residue_is_replaced_as_a_block_without_splicing():
    extract = "总体要求。\n\n产 创 产\n\n公 产\n\n专栏1 甲工程"
    reading = scan("总体要求。\n\n知识产权保护体系更加完善。\n\n专栏1 甲工程")
    t = fused(extract, reading)
    assert t.text == "总体要求。\n\n知识产权保护体系更加完善。\n\n专栏1 甲工程"
    assert all(c.rule == "take_ocr_reading" for c in t.changes)


def test_several_regions_in_one_step():
    extract = "产 创\n\n加强国家知识产杈局建设。测试徐、三亚。"
    t = fused(extract, scan("一、总体要求\n\n加强国家知识产权局建设。测试徐州、三亚。"))
    assert t.text == "一、总体要求\n\n加强国家知识产权局建设。测试徐州、三亚。"
    assert sorted(c.rule for c in t.changes) == ["fill_from_scan", "take_ocr_reading", "take_ocr_reading"]
    assert {c.step for c in t.changes} == {1}


def test_text_the_scan_lacks_is_left_to_repair():
    extract = "加大版权保护力度。加大版权保护力度。\n\n产\n\n专栏2 乙工程"
    t = fused(extract, scan("加大版权保护力度。\n\n专栏2 乙工程"))
    assert t.changes == []


def test_scan_that_only_drops_characters_is_no_evidence():
    t = fused("专栏 1. 商业秘密保护工程\n\n研究加入(UPOV) 1991年文本。", scan("专栏1商业秘密保护工程\n\n研究加入（UPOV）1991年文本。"))
    assert t.changes == []


def test_table_row_is_taken_only_cell_for_cell():
    row = "1.\t海外发明专利授权量（万件）\t4\t9\t5\t预期性"
    assert fused(row, scan("1.海外发明专利授权量（万件）\t4 9\t5预期性")).changes == []
    t = fused(row, scan("1.\t海外发明专利授权量（万件）\t4\t9\t5\t预期性".replace("万件", "万件")))
    assert t.changes == []
    corrected = fused(row.replace("授权量", "授杈量"), scan(row))
    assert corrected.text == row


def test_confident_scan_never_changes_a_number_the_extract_holds():
    # OCR read the 4 of 4.1 as 1 with high confidence on the stand-in scan; digits the
    # extract holds are the PDF's own characters.
    t = fused("每万人口高价值发明专利拥有量达到12件，较2020年提高4.1件。", scan("每万人口高价值发明专利拥有量达到12件，较2020年提高1.1件。"))
    assert t.text == "每万人口高价值发明专利拥有量达到12件，较2020年提高4.1件。" and t.changes == []
    row = "1.\t每万人口高价值发明专利拥有量（件）\t6.3\t12\t5.7\t预期性"
    t = fused(row, scan("1.\t每万人口高价值发明专利拥有量（件）\t6.8\t12\t5.7\t预期性"))
    assert t.text == row and t.changes == []


def test_confident_scan_still_mends_characters_beside_a_number():
    t = fused("专利密集型产业增加值占GDP比重达到13%，国家知识产杈局牵头。", scan("专利密集型产业增加值占GDP比重达到13%，国家知识产权局牵头。"))
    assert t.text.endswith("国家知识产权局牵头。")


def test_confident_scan_may_correct_a_box_number():
    # The extract's box numbers are often wrong (10 for 6); the box sequence checks the scan's.
    t = fused("专栏10 知识产权保护工程\n\n完善机制。", scan("专栏6 知识产权保护工程\n\n完善机制。"))
    assert t.text.startswith("专栏6 知识产权保护工程")


def test_a_footnote_mark_the_scan_reads_as_another_sign_stays():
    # The stand-in scan prints ② and ③ as superscripts; OCR reads them as ® and ª,
    # confidently. The extract's marks are what tie the cells to their notes.
    row3 = "3.\t知识产权质押融资登记金额 ^② （亿元）\t2180\t3200\t1020\t预期性"
    row5 = "5.\t专利密集型产业增加值占 GDP 比重（%）\t11.6 ^③\t13.0\t1.4\t预期性"
    extract = row3 + "\n" + row5
    reading = scan("3.\t知识产权质押融资登记金额®(亿元)\t2180\t3200\t1020\t预期性\n"
                   "5.\t专利密集型产业增加值占 GDP 比重(%)\t11.6ª\t13.0\t1.4\t预期性")
    t = fused(extract, reading)
    assert t.text == extract and t.changes == []


def test_a_character_beside_a_footnote_mark_is_still_fused_when_apart_from_it():
    extract = "3.\t知识产杈质押融资登记金额 ^② （亿元）\t2180\t3200\t1020\t预期性"
    reading = scan("3.\t知识产权质押融资登记金额®(亿元)\t2180\t3200\t1020\t预期性")
    t = fused(extract, reading)
    assert t.text == extract.replace("产杈", "产权")
