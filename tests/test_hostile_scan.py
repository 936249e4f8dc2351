"""A blank page given as --scan: an issue says the scan read nothing (no silent empty reading)."""

from pipeline.ingest import decode_source
from pipeline.run import recover
from pipeline.scan import ScanResult
from repair.fusion import ScanReading

PLAN = "专栏1 加强知识产权保护\n\n1．完善法律法规。国家知识产权局牵头，公安部等按职责分工负责。\n"


def _scan(text: str, pages: int = 1) -> ScanResult:
    reading = ScanReading(text, tuple(0.99 for _ in text), tuple((1, (10, 20, 300, 40)) for _ in text))
    return ScanResult("blank.png", "0" * 64, reading, pages, "rapidocr", 200)


def test_a_blank_scan_is_an_issue():
    recovery = recover(decode_source("plan.txt", PLAN.encode()), scan=_scan(" \n", pages=2))
    empty = [i for i in recovery.plan["issues"] if i["kind"] == "scan_empty"]
    assert len(empty) == 1 and empty[0]["data"] == {"pages": 2} and "blank.png" in empty[0]["detail"]


def test_a_scan_that_read_text_is_no_such_issue():
    recovery = recover(decode_source("plan.txt", PLAN.encode()), scan=_scan(PLAN))
    assert "scan_empty" not in {i["kind"] for i in recovery.plan["issues"]}
