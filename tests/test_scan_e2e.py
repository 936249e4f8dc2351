"""The scan path end to end on the stand-in scan, with both real OCR runs (slow: ~1 min)."""

import json

import pytest
from conftest import CORPUS_DOC, GOLDEN
from golden_diff import plan_differences

from dataclasses import replace

from pipeline.ingest import decode_source, read_source
from pipeline.run import recover
from pipeline.scan import read_document, read_scan_file

SCAN = CORPUS_DOC.parent / "ip-protection-plan-2021-2025.standin-scan.pdf"


@pytest.fixture(scope="module")
def scan_reading():
    return read_scan_file(SCAN, engine="rapidocr", jobs=2, progress=False)


@pytest.fixture(scope="module")
def fused(scan_reading):
    return recover(read_source(CORPUS_DOC), scan=scan_reading)


@pytest.fixture(scope="module")
def scan_only(scan_reading):
    return recover(None, scan=scan_reading)


def strip_scan_fields(value):
    if isinstance(value, dict):
        return {k: strip_scan_fields(v) for k, v in value.items() if k not in ("scan", "inputs")}
    if isinstance(value, list):
        return [strip_scan_fields(v) for v in value]
    return value


def test_fusion_is_never_worse_than_the_text_alone(fused, golden_plan):
    assert fused.repair.text == (GOLDEN / "plan.repaired.txt").read_text(encoding="utf-8")
    plan = strip_scan_fields(json.loads(json.dumps(fused.plan)))
    assert plan_differences(plan, golden_plan) == []


def test_scan_choices_are_recorded_with_their_page_region(fused):
    taken = [c for c in fused.repair.changes if c.rule in ("take_ocr_reading", "fill_from_scan")]
    assert taken, "the scan read the true box numbers; fusion should have used them"
    for change in taken:
        assert change.evidence["scan"] and all(r["page"] >= 1 for r in change.evidence["scan"])


def test_items_and_indicators_point_at_the_page_they_were_read_from(fused):
    plan = fused.plan
    assert [i["kind"] for i in plan["document"]["inputs"]] == ["text", "scan"]
    assert all(item["scan"] for box in plan["programmes"] for item in box["items"])
    assert all(row["scan"] and row["scan"][0]["page"] == 2 for row in plan["indicators"])  # the table is on page 2


def test_image_only_scan_gives_every_box_number_and_title(scan_only, golden_plan):
    got = [(b["number"], b["title"]) for b in scan_only.plan["programmes"]]
    assert got == [(b["number"], b["title"]) for b in golden_plan["programmes"]]


def test_image_only_scan_agency_f1(scan_only, golden_plan):
    def pairs(plan):
        return {(b["number"], role, name) for b in plan["programmes"] for role in ("lead", "participants") for name in b[role]}

    got, want = pairs(scan_only.plan), pairs(golden_plan)
    precision, recall = len(got & want) / len(got), len(got & want) / len(want)
    assert 2 * precision * recall / (precision + recall) >= 0.98


TEXT_LAYER_PDF = CORPUS_DOC.parent / "ip-protection-plan-2021-2025.standin-scan-textlayer.pdf"


@pytest.fixture(scope="module")
def broken_pdf():
    """The stand-in broken PDF as a user gives it: one file, a garbled layer over the pages."""
    source, scan, issues = read_document(TEXT_LAYER_PDF, engine="rapidocr", jobs=2, progress=False)
    return source, scan, issues, recover(source, scan=scan, issues=issues)


def without_places(value):
    """A plan without where things were read (source lines, scan regions, inputs): the
    layer's lines are numbered without the extract's runs of blank lines."""
    if isinstance(value, dict):
        return {k: without_places(v) for k, v in value.items() if k not in ("source", "scan", "inputs")}
    if isinstance(value, list):
        return [without_places(v) for v in value]
    return value


INPUT_FILE_FACTS = ("source_name", "sha256", "encoding", "characters", "lines")


def test_broken_pdf_gives_the_golden_plan(broken_pdf, golden_plan):
    """Indicators (values, units, attributes, footnotes), box numbers, titles, items,
    agencies and issues, field by field against golden/, from the PDF alone."""
    *_, recovery = broken_pdf
    plan = without_places(json.loads(json.dumps(recovery.plan)))
    kinds = [i["kind"] for i in plan["issues"]]
    assert kinds.count("text_layer_garbled") == 1
    plan["issues"] = [i for i in plan["issues"] if i["kind"] != "text_layer_garbled"]
    expected = without_places(golden_plan)
    for key in INPUT_FILE_FACTS:  # the PDF is another file than golden's extract
        assert plan["document"].pop(key) != expected["document"].pop(key)
    assert plan_differences(plan, expected) == []


def test_broken_pdf_is_its_layer_text_fused_with_its_scan(broken_pdf):
    """One path: the PDF's layer given as a text extract, with the PDF as --scan, gives
    the same plan; the layer's characters point at the glyphs they were read from."""
    source, scan, issues, recovery = broken_pdf
    assert source.encoding == "pdf-text-layer"
    layer_file = decode_source("ip-layer.txt", source.text.encode("utf-8"))
    assert layer_file.text == source.text
    # The same document as the manifest knows it (by the PDF's checksum): only the input differs.
    as_text = recover(replace(layer_file, name=source.name, sha256=source.sha256), scan=replace(scan, source_where=None))
    expected = without_places(as_text.plan | {"issues": as_text.plan["issues"] + issues})
    got = without_places(recovery.plan)
    assert got["document"].pop("encoding") == "pdf-text-layer" and expected["document"].pop("encoding") == "utf-8"
    assert plan_differences(got, expected) == []
    header = source.text.index("专栏 1. 商业秘密保护工程")
    page, bbox = scan.source_where[header]
    assert page == 2 and bbox[1] > 900  # box 1 is printed under the table on page 2 (200 dpi)


def test_image_only_indicators_equal_golden_or_are_flagged(scan_only, golden_plan):
    rows = scan_only.plan["indicators"]
    assert [r["seq"] for r in rows] == [r["seq"] for r in golden_plan["indicators"]]
    flagged = {i["data"]["seq"] for i in scan_only.plan["issues"] if i["kind"] == "indicator_check_failed"}
    for got, want in zip(rows, golden_plan["indicators"]):
        assert (got["unit"], got["attribute"]) == (want["unit"], want["attribute"])
        values = [got[k]["value"] for k in ("baseline", "target", "increase")]
        if values != [want[k]["value"] for k in ("baseline", "target", "increase")]:
            assert got["seq"] in flagged, f"row {got['seq']} differs from golden and no check flags it"


def test_image_only_scan_starts_from_what_ocr_read_and_records_each_mark_written_full_width(scan_only, scan_reading):
    # The source is the reading as OCR gave it (scan.ocr.txt), half-width marks and all;
    # golden prints （一）, so every mark written full-width is a change with its span.
    assert scan_only.source.text == scan_reading.ocr_text
    written = [c for c in scan_only.repair.changes if c.rule == "write_ocr_marks_full_width"]
    assert written
    for change in written:
        assert scan_only.source.text[change.source.start:change.source.end] == change.before
        assert change.after == {"(": "（", ")": "）", ",": "，", ":": "：", ";": "；", "[": "〔", "]": "〕"}[change.before]
    # golden, read from the printed plan, has no ASCII , ( ) between two Han characters
    from grammar.chars import is_han

    def between_han(text):
        return [text[i - 1:i + 2] for i in range(1, len(text) - 1) if text[i] in ",()" and is_han(text[i - 1]) and is_han(text[i + 1])]

    assert between_han((GOLDEN / "plan.repaired.txt").read_text(encoding="utf-8")) == []
    assert between_han(scan_only.source.text) and between_han(scan_only.repair.text) == []


def test_image_only_scan_change_log_replays_on_what_ocr_read(scan_only, scan_reading):
    from repair.changes import read_change_log, replay

    log = read_change_log(scan_only.changes_jsonl.splitlines())
    assert replay(scan_reading.ocr_text, log) == scan_only.repair.text
