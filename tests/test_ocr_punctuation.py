"""OCR's half-width marks inside Chinese text are written as the page prints them.

Expected values are what ../shared/realdocs/gov_wenwu_keji_14th_plan.pdf prints (its text
layer, read by eye: it holds no ASCII bracket, comma, colon or semicolon), with the
half-width readings RapidOCR gave for them on degraded renders of those pages."""

from ocr.layout import Page, Region
from ocr.punctuation import full_width_punctuation
from ocr.read_page import PageReading, ReadLine
from ocr.reflow import reflow


def fixed(text: str) -> str:
    return full_width_punctuation(text)[0]


def test_numbered_heading_brackets():
    assert fixed("(一)健全文物资源管理体制。") == "（一）健全文物资源管理体制。"
    assert fixed("(十二)加强文物价值阐释传播。") == "（十二）加强文物价值阐释传播。"


def test_a_pair_read_half_on_one_side_only():
    assert fixed("（三)加强文物价值阐释传播。") == "（三）加强文物价值阐释传播。"
    assert fixed("(三）加强文物价值阐释传播。") == "（三）加强文物价值阐释传播。"


def test_brackets_around_chinese_with_digits_inside():
    assert fixed("(此件公开发布)") == "（此件公开发布）"
    assert fixed("全国重点文物保护单位数量(处)") == "全国重点文物保护单位数量（处）"
    assert fixed("文物科研人员数量(人)") == "文物科研人员数量（人）"
    assert fixed("省(自治区、直辖市)政府数量(个)") == "省（自治区、直辖市）政府数量（个）"


def test_percent_unit_after_chinese():
    assert fixed("文物科技研发投入年均增长率(%)") == "文物科技研发投入年均增长率（%）"


def test_document_number_year_brackets():
    assert fixed("国办发[2021]43号") == "国办发〔2021〕43号"


def test_separators_between_chinese():
    assert fixed("各省、自治区、直辖市人民政府,国务院各部委、各直属机构") == "各省、自治区、直辖市人民政府，国务院各部委、各直属机构"
    assert fixed("“十三五”时期,各地") == "“十三五”时期，各地"
    assert fixed("加强文物保护;推进") == "加强文物保护；推进"
    assert fixed("主要任务:加强") == "主要任务：加强"


def test_ascii_among_latin_and_digits_is_left_alone():
    for text in ("(1)加强文物保护", "5G+", "(GDP)", "1,000", "10:30", "a;b", "[2021]"):
        assert fixed(text) == text


def test_a_bracket_without_its_pair_on_the_line_is_left_alone():
    assert fixed("(一\n)加强") == "(一\n)加强"


def test_changes_keep_offsets_and_say_why():
    text, changes = full_width_punctuation("国办发[2021]43号,(一)")
    assert len(text) == len("国办发[2021]43号,(一)")
    assert [(c.offset, c.before, c.after) for c in changes] == [(3, "[", "〔"), (8, "]", "〕"), (13, "(", "（"), (15, ")", "）")]
    assert changes[0].context == "国办发[2021"
    # 43号,( : the comma sits between 号 and a bracket, both Chinese once the bracket is read full-width;
    # it is judged on what OCR read (an ASCII bracket), so it stays.
    assert text == "国办发〔2021〕43号,（一）"


def test_reflow_writes_the_full_forms_and_records_them():
    region = Region("text", (100, 100, 1500, 160))
    page = Page(1, 1654, 2339, (region,), glyph_height=40.0)
    line = ReadLine("(二)建设国家文物资源大数据库。", (100, 100, 900, 140), 0.99, 1, 0, "text")
    flowed = reflow([PageReading(page, (line,), 0.0, False, "rapidocr", 0.1)])
    assert flowed.text == "（二）建设国家文物资源大数据库。\n"
    assert [(c.offset, c.before, c.after) for c in flowed.widths] == [(0, "(", "（"), (2, ")", "）")]
    assert len(flowed.where) == len(flowed.text)
