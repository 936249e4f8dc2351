"""The report is safe to open: markup in the document's text is shown as text, never run or loaded.

Chromium is driven as in test_report_browser (Debian's chromium and chromium-driver)."""

import json

from test_report_browser import _errors, _requests, browser  # noqa: F401 (browser is a fixture)

from pipeline.ingest import decode_source
from pipeline.report import build_report
from pipeline.run import recover

HOSTILE = (
    "专栏1 加强知识产权保护<script>window.ran = 1; fetch('http://198.51.100.7/x')</script>\n\n"
    "1．完善法律法规。<a href=\"javascript:window.ran = 2\">链接</a>国家知识产权局牵头，公安部等按职责分工负责。\n\n"
    "<!-- 注释 --><img src=\"http://198.51.100.7/i.png\" onerror=\"window.ran = 3\"><iframe src=\"http://198.51.100.7/\"></iframe>\n"
    "</script><script>window.ran = 4</script>\n"
)


def test_markup_in_the_text_is_shown_not_run(browser, tmp_path):  # noqa: F811
    recovery = recover(decode_source("hostile.txt", HOSTILE.encode()), allow_empty=True)
    records = [json.loads(line) for line in recovery.changes_jsonl.splitlines()]
    page = build_report(recovery.source.text, recovery.repair.text, records, recovery.plan)
    path = tmp_path / "report.html"
    path.write_text(page, encoding="utf-8")
    browser.get_log("performance")
    browser.get_log("browser")
    browser.get(path.as_uri())
    assert browser.execute_script("return window.ran === undefined")
    assert all(url == path.as_uri() for url in _requests(browser)), _requests(browser)
    counts = browser.execute_script(
        "return [document.scripts.length, document.querySelectorAll('iframe, img[onerror], a[href^=\"javascript\"]').length]"
    )
    assert counts == [2, 0]  # the report's own data and code only
    shown = browser.execute_script("return document.body.innerText")
    for markup in ("<script>window.ran = 1", 'href="javascript:window.ran = 2"', "<!-- 注释 -->", "</script><script>window.ran = 4"):
        assert markup in shown, markup
    assert _errors(browser) == []
