"""A document's identity read from its own head and tail (extract/identity.py), checked
on hand-written heads and on the real documents against the truth read by hand."""

import json
from pathlib import Path

import pytest

from extract.identity import iso_date, plan_period, read_identity
from pipeline.ingest import read_input
from pipeline.manifest import document_info

ROOT = Path(__file__).resolve().parents[1]
REALDOCS = ROOT.parent / "shared" / "realdocs"
TRUTHS = [json.loads(p.read_text(encoding="utf-8")) for p in sorted((ROOT / "bench" / "real").glob("*.truth.json"))]
TEXT_FORMS = [t for t in TRUTHS if t["format"] != "pdf"]

STATE_COUNCIL = """国务院关于印发
“十四五”国家应急体系规划的通知
国发〔2021〕36号

各省、自治区、直辖市人民政府，国务院各部委、各直属机构：

现将《“十四五”国家应急体系规划》印发给你们，请认真贯彻执行。根据《国务院关于印发〈某规划〉的通知》（国发〔2016〕1号）……

国务院
2021年12月30日

“十四五”国家应急体系规划

一、规划背景
"""


def test_a_state_council_notice():
    identity = read_identity(STATE_COUNCIL)
    assert identity.title == "“十四五”国家应急体系规划"
    assert identity.doc_number == "国发〔2021〕36号"  # the own-line number, not the one cited in a sentence
    assert identity.issuer == "国务院"
    assert identity.date == "2021-12-30"
    assert identity.plan_period == (2021, 2025)
    assert identity.plan_year == 2021


def test_a_markdown_notice_with_several_issuers_and_a_period_in_the_title():
    text = (
        "# 关于印发《上海市某产业行动方案（2026—2030年）》的通知\n\n**发布机构**: 上海市科学技术委员会\n\n---\n\n"
        "沪科合〔2025〕42号\n\n各有关单位：\n\n　　现将《上海市某产业行动方案（2026—2030年）》印发给你们。\n\n"
        "　　上海市科学技术委员会\n\n上海市商务委员会\n\n　　2025年12月22日\n\n**上海市某产业行动方案（2026—2030年）**\n"
    )
    identity = read_identity(text)
    assert identity.title == "上海市某产业行动方案（2026—2030年）"
    assert identity.doc_number == "沪科合〔2025〕42号"
    assert identity.issuer == "上海市科学技术委员会、上海市商务委员会"
    assert identity.date == "2025-12-22"
    assert identity.plan_period == (2026, 2030)


def test_the_signature_at_the_end_and_other_brackets():
    text = "沪府办发[2025]11号\n\n各区人民政府：\n\n为进一步深化改革，现提出如下意见。\n\n" + "一、正文。\n" * 80 + "\n上海市人民政府办公厅\n\n二〇二五年五月十七日\n"
    identity = read_identity(text)
    assert identity.doc_number == "沪府办发[2025]11号"
    assert identity.issuer == "上海市人民政府办公厅"
    assert identity.date == "2025-05-17"
    assert identity.title is None  # no notice, no heading: nothing guessed


def test_a_plan_heading_split_over_two_lines_with_its_period_under_it():
    text = "附件\n\n2024—2026年海南省\n\n农机补贴实施方案\n\n（此件主动公开）\n\n一、总体要求\n"
    assert read_identity(text).title == "2024—2026年海南省农机补贴实施方案"
    text = "附件\n\n上海市北斗产业三年行动计划\n\n（2021-2023年）\n\n为加快推动，特制定本行动计划。\n"
    identity = read_identity(text)
    assert identity.title == "上海市北斗产业三年行动计划（2021-2023年）"
    assert identity.plan_period == (2021, 2023)
    assert identity.date is None and identity.plan_year == 2021


def test_a_numbered_section_heading_is_no_title():
    assert read_identity("正文第一段，说明情况。\n\n二、保障措施\n\n（三）实施方案\n\n专栏2 重点行动\n").title is None


def test_dates_and_periods():
    assert iso_date("2021年12月30日") == "2021-12-30"
    assert iso_date("2025年5月7日") == "2025-05-07"
    assert iso_date("二〇二一年十二月三十日") == "2021-12-30"
    assert iso_date("发布日期: 2021年12月30日") is None  # only a date line of its own
    assert plan_period("某规划（2025-2030年）") == (2025, 2030)
    assert plan_period("“十三五”某规划") == (2016, 2020)
    assert plan_period("某行动方案") is None


def test_the_manifest_overrides_and_unknown_documents_are_read(tmp_path):
    manifest = tmp_path / "manifest.json"
    manifest.write_text(json.dumps({"documents": [{"sha256": "a" * 64, "title": "甲规划", "issuer": "国务院", "doc_number": None, "date": None, "plan_year": 2021}]}), encoding="utf-8")
    known = document_info("x.txt", "a" * 64, "utf-8", manifest, text=STATE_COUNCIL)
    # field by field: the manifest's title and issuer; what it leaves empty is read from the document
    assert (known.title, known.issuer, known.doc_number, known.plan_year) == ("甲规划", "国务院", "国发〔2021〕36号", 2021)
    assert known.plan_period == (2021, 2025)  # the document's own title names 十四五
    manifest.write_text(json.dumps({"documents": [{"sha256": "a" * 64, "title": "“十三五”甲规划"}]}), encoding="utf-8")
    assert document_info("x.txt", "a" * 64, "utf-8", manifest).plan_period == (2016, 2020)  # from the manifest's title
    read = document_info("y.txt", "b" * 64, "utf-8", manifest, text=STATE_COUNCIL)
    assert (read.title, read.doc_number, read.date, read.plan_year) == ("“十四五”国家应急体系规划", "国发〔2021〕36号", "2021-12-30", 2021)


def _fold(value):
    return " ".join(value.split()) if value else value


@pytest.mark.parametrize("truth", TEXT_FORMS, ids=lambda t: t["document"])
def test_real_documents_identity_equals_the_truth(truth):
    identity = read_identity(read_input(REALDOCS / truth["document"]).text)
    assert _fold(identity.title) == _fold(truth["title"])
    assert _fold(identity.doc_number) == _fold(truth["doc_number"])
    assert _fold(identity.issuer) == _fold(truth["issuer"])


def test_the_text_forms_are_all_there():
    assert len(TEXT_FORMS) >= 9 and all((REALDOCS / t["document"]).is_file() for t in TEXT_FORMS)
