from extract.indicators import extract_indicators, parse_value, read_header, split_name
from repair.layout import classify_lines


def indicators(text):
    records, issues = extract_indicators(classify_lines(text, frozenset()), lambda s, e: {"start_line": 1, "end_line": 1})
    return records, issues


def test_value_and_footnote_parsing():
    assert parse_value("11.6 ^③") == (11.6, ["③"])
    assert parse_value("—") == (None, [])
    assert parse_value("12") == (12, [])
    assert parse_value("3,194.4") == (3194.4, [])
    assert split_name("每万人口高价值发明专利拥有量 ^① （件）") == ("每万人口高价值发明专利拥有量", "件", ["①"])
    assert split_name("专利密集型产业增加值占 GDP 比重（%）") == ("专利密集型产业增加值占 GDP 比重", "%", [])


def test_other_headers_and_binding_rows():
    text = (
        "指标\t\t2015年\t2020年\t累计变化\t属性\n"
        "1.\t单位GDP能源消耗降低（%）\t—\t—\t15\t约束性\n"
        "2.\t森林覆盖率（%）\t21.66\t23.04\t1.38\t约束性\n"
        "3.\t研发经费投入强度（%）\t2.1\t2.4\t0.3\t预期性\n"
    )
    records, issues = indicators(text)
    assert issues == []
    assert [r["attribute"] for r in records] == ["约束性", "约束性", "预期性"]
    assert records[1]["baseline"] == {"year": 2015, "value": 21.66, "raw": "21.66", "value_kind": "number"}
    assert records[1]["increase"]["kind"] == "累计变化"
    assert records[1]["checks"][0]["ok"] is True
    assert records[0]["checks"][0]["ok"] is None


def test_failed_check_is_flagged_not_fixed():
    text = "指标\t\t2020年\t2025年\t累计增加值\t属性\n1.\t海外发明专利授权量（万件）\t4\t9\t6\t预期性\n"
    (record,), issues = indicators(text)
    assert record["checks"][0]["ok"] is False
    assert [i["kind"] for i in issues] == ["indicator_check_failed"]
    assert record["checks"][0]["computed"] == 5
    assert record["increase"]["value"] == 6  # as printed


def test_annual_growth_rate_column():
    text = "指标\t2020年\t2025年\t年均增速\t属性\n数字经济核心产业增加值（万亿元）\t7.8\t12.5\t9.9\t预期性\n"
    (record,), _ = indicators(text)
    assert record["seq"] is None
    assert record["checks"][0]["check"] == "annual growth rate"
    assert record["checks"][0]["ok"] is True


def test_header_reading():
    columns = read_header(["指 标", "", "2020年", "2025年", "累计增加值", "属性"])
    assert [c.role for c in columns] == ["name", "blank", "baseline", "target", "increase", "attribute"]
    assert [c.year for c in columns] == [None, None, 2020, 2025, None, None]


def test_row_not_fitting_the_header_is_reported():
    text = "指标\t\t2020年\t2025年\t累计增加值\t属性\n1.\t海外发明专利授权量（万件）\t4\t9\t预期性\t5\t7\n"
    records, issues = indicators(text)
    assert records == [] and issues[0]["kind"] == "indicator_row_unparsed"


HEADER = "指标\t\t2020年\t2025年\t累计增加值\t属性\n"


def test_footnote_marker_misread_by_ocr_keeps_the_number_only_when_the_arithmetic_confirms_it():
    # OCR read the raised ③ after 11.6 as ª (the stand-in scan, deskew+flatten).
    assert parse_value("11.6ª") == (11.6, ["ª"])
    (record,), issues = indicators(HEADER + "5.\t专利密集型产业增加值占 GDP 比重（%）\t11.6ª\t13.0\t1.4\t预期性\n")
    assert record["baseline"] == {"year": 2020, "value": 11.6, "raw": "11.6ª", "value_kind": "number"}
    assert record["checks"][0]["ok"] is True
    assert {"marker": "ª", "attached_to": "baseline"} in record["footnotes"]
    assert [i["kind"] for i in issues] == []

    (record,), issues = indicators(HEADER + "5.\t专利密集型产业增加值占 GDP 比重（%）\t11.6ª\t13.0\t1.5\t预期性\n")
    assert record["checks"][0]["ok"] is False
    assert [i["kind"] for i in issues] == ["indicator_check_failed"]


def test_a_number_with_a_lookalike_that_no_check_can_confirm_is_flagged():
    (record,), issues = indicators(HEADER + "8.\t服判息诉率（%）\t—\t85°\t—\t预期性\n")
    assert record["target"]["value"] == 85
    assert record["checks"][0]["ok"] is False
    assert [i["kind"] for i in issues] == ["indicator_check_failed"]


def test_an_unreadable_value_cell_fails_the_check_instead_of_passing_as_missing():
    (record,), issues = indicators(HEADER + "5.\t专利密集型产业增加值占 GDP 比重（%）\t1l.6\t13.0\t1.4\t预期性\n")
    assert record["baseline"]["value"] is None
    assert record["checks"][0]["ok"] is False and "'1l.6'" in record["checks"][0]["detail"]
    assert [i["kind"] for i in issues] == ["indicator_check_failed"]
    assert issues[0]["data"]["seq"] == 5


def test_a_dash_read_as_yi_is_no_value_not_an_unreadable_cell():
    (record,), issues = indicators(HEADER + "8.\t知识产权民事一审案件服判息诉率（%）\t一\t85\t一\t预期性\n")
    assert (record["baseline"]["value"], record["target"]["value"], record["increase"]["value"]) == (None, 85, None)
    assert record["checks"][0]["ok"] is None
    assert issues == []


def test_a_bracketed_cumulative_figure_is_not_an_unreadable_cell():
    (record,), issues = indicators(HEADER + "2.\t单位GDP二氧化碳排放降低（%）\t—\t—\t〔18〕\t约束性\n")
    assert record["increase"]["value"] == 18 and record["increase"]["cumulative"] is True
    assert record["increase"]["value_kind"] == "number" and record["checks"][0]["ok"] is None
    assert issues == []


def test_a_marker_lookalike_ending_a_name_is_a_footnote_marker():
    assert split_name("知识产权质押融资登记金额®(亿元)") == ("知识产权质押融资登记金额", "亿元", ["®"])
    assert split_name("知识产权质押融资登记金额（亿元）") == ("知识产权质押融资登记金额", "亿元", [])


def test_a_table_run_together_by_ocr_is_reported_not_dropped():
    from pipeline.ingest import decode_source
    from pipeline.run import recover

    # What RapidOCR read of the heavy-level stand-in table: header and rows on one line.
    text = (
        "指标|2020年|2025年|累计增加值|属性1. |每万人口高价值发明专利拥有量(件) | 6.3  12 | 5.7 |预期性海外发明专利授权量(万件)4| 95|预期性\n\n"
        "专栏1 商业秘密保护工程\n\n健全商业秘密保护政策。（市场监管总局负责）\n"
    )
    plan = recover(decode_source("ocr.txt", text.encode())).plan
    assert plan["indicators"] == []
    (issue,) = [i for i in plan["issues"] if i["kind"] == "indicator_row_unparsed"]
    assert "header runs into its rows" in issue["detail"]
