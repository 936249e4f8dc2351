"""report.html in a real browser: Debian's headless Chromium, driven by selenium.

Needs the Debian packages chromium and chromium-driver (/usr/bin/chromedriver); the
tests fail, with the install command, when they are missing. Selenium never
downloads a driver here (SE_OFFLINE, and the system driver is passed explicitly).
"""

import json
import os
import shutil
import tempfile
from collections import Counter

import pytest

from pipeline.report import ReportPage, build_report, change_kind

CHROMEDRIVER = "/usr/bin/chromedriver"
INSTALL = "apt-get install -y chromium chromium-driver"
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--window-size=1366,900",
)


def _chromium() -> str:
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    pytest.fail(f"Chromium is not installed; the report tests need Debian's chromium and chromium-driver: {INSTALL}")


@pytest.fixture(scope="module")
def browser():
    binary = _chromium()
    if not os.access(CHROMEDRIVER, os.X_OK):
        pytest.fail(f"{CHROMEDRIVER} is missing; the report tests need Debian's chromium-driver: {INSTALL}")
    os.environ["SE_OFFLINE"] = "true"  # selenium-manager must not fetch anything
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        pytest.fail("selenium is not installed in this environment: pip install -e '.[test]' (or pip install selenium)")

    profile = tempfile.mkdtemp(prefix="planrecover-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = binary
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={profile}")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture(scope="module")
def corpus_report(corpus_recovery, tmp_path_factory):
    records = [json.loads(line) for line in corpus_recovery.changes_jsonl.splitlines()]
    page = build_report(corpus_recovery.source.text, corpus_recovery.repair.text, records, corpus_recovery.plan)
    path = tmp_path_factory.mktemp("report") / "report.html"
    path.write_text(page, encoding="utf-8")
    return path, records


def _requests(driver) -> list[str]:
    """URLs requested, leaving out the browser's own pages (its new-tab page loads chrome:// resources)."""
    urls = []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] == "Network.requestWillBeSent":
            params = message["params"]
            if not params.get("documentURL", "").startswith(("chrome://", "chrome-untrusted://")):
                urls.append(params["request"]["url"])
    return urls


def _errors(driver) -> list[str]:
    return [entry["message"] for entry in driver.get_log("browser") if entry["level"] in ("SEVERE", "ERROR")]


@pytest.fixture(scope="module")
def loaded(browser, corpus_report):
    path, records = corpus_report
    browser.get_log("performance")  # drop what came before
    browser.get_log("browser")
    browser.get(path.as_uri())
    return browser, path, records


def test_no_console_errors_and_no_network(loaded):
    driver, path, _ = loaded
    assert _errors(driver) == []
    requests = _requests(driver)
    assert requests and all(url == path.as_uri() for url in requests), requests


def test_counts_per_kind_equal_the_change_log(loaded):
    driver, _, records = loaded
    expected = Counter(change_kind(r["rule"]) for r in records)
    highlighted = Counter(driver.execute_script("return Array.from(document.querySelectorAll('del.chg')).map(e => e.dataset.kind)"))
    shown = {el.get_attribute("data-kind"): int(el.text) for el in driver.find_elements("css selector", ".kinds .count")}
    assert highlighted == expected
    assert shown == dict(expected)
    assert int(driver.find_element("id", "total-changes").text) == len(records)
    ids = driver.execute_script("return Array.from(document.querySelectorAll('del.chg')).map(e => Number(e.dataset.c))")
    assert sorted(ids) == [r["id"] for r in records]  # each record highlighted once


def test_hover_and_focus_show_the_reason(loaded):
    from selenium.webdriver.common.action_chains import ActionChains

    driver, _, records = loaded
    record = next(r for r in records if r["rule"] == "renumber_boxes")
    element = driver.find_element("id", f"c{record['id']}")
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", element)
    ActionChains(driver).move_to_element(element).perform()
    tip = driver.find_element("id", "tip")
    assert tip.is_displayed() and record["reason"] in tip.text and record["rule"] in tip.text
    ActionChains(driver).move_by_offset(0, 300).perform()  # away: the tip goes
    driver.execute_script("document.activeElement.blur()")
    other = next(r for r in records if r["rule"] == "join_split_words")
    driver.execute_script("document.getElementById(arguments[0]).focus()", f"c{other['id']}")  # the keyboard path
    assert tip.is_displayed() and other["reason"] in tip.text and str(other["confidence"]) in tip.text
    from selenium.webdriver.common.keys import Keys

    ActionChains(driver).send_keys(Keys.TAB).perform()  # Tab moves on to the next change
    focused = driver.switch_to.active_element
    assert focused.tag_name == "del" and "chg" in focused.get_attribute("class")
    after = next(r for r in records if str(r["id"]) == focused.get_attribute("data-c"))
    assert after["id"] != other["id"] and after["reason"] in tip.text


def test_filter_hides_a_kinds_highlights(loaded):
    driver, _, _ = loaded
    background = "return getComputedStyle(document.querySelector('del.chg[data-kind=\"residue\"]')).backgroundColor"
    assert driver.execute_script(background) not in ("rgba(0, 0, 0, 0)", "transparent")
    toggle = driver.find_element("css selector", '.kinds input[data-kind="residue"]')
    toggle.click()
    assert driver.execute_script(background) in ("rgba(0, 0, 0, 0)", "transparent")
    assert driver.execute_script("return document.querySelector('del.chg[data-kind=\"renumber\"]').tabIndex") == 0
    assert driver.execute_script("return document.querySelector('del.chg[data-kind=\"residue\"]').tabIndex") == -1
    toggle.click()
    assert driver.execute_script(background) not in ("rgba(0, 0, 0, 0)", "transparent")


def test_screenshot(loaded, tmp_path):
    driver, _, _ = loaded
    driver.execute_script("window.scrollTo(0, 0)")
    shot = tmp_path / "report.png"
    assert driver.save_screenshot(str(shot))
    assert shot.stat().st_size > 10_000


def _png(width: int, height: int) -> bytes:
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("L", (width, height), 230).save(buffer, format="PNG")
    return buffer.getvalue()


def test_scan_viewer_draws_the_ocr_box(browser, tmp_path):
    """A change read from the scan: clicking it opens its page with the OCR box drawn."""
    source = "专栏1 标题\n\n一是加强保护。\n"
    records = [
        {
            "id": 1, "step": 1, "rule": "take_ocr_reading", "at": [8, 10], "before": "一是", "after": "二是",
            "source": {"start": 8, "end": 10, "line": 3, "col": 1, "end_line": 3, "end_col": 3},
            "reason": "the scan reads this clearly and the extract differs", "confidence": 0.97,
            "evidence": {"scan": [{"page": 1, "bbox": [100, 200, 500, 260]}], "ocr_confidence": 0.97},
        }
    ]
    plan = {"document": {"title": "测试", "inputs": [{"kind": "scan", "name": "s.pdf", "sha256": "0" * 64, "pages": 1, "engine": "rapidocr", "dpi": 200}]},
            "indicators": [], "programmes": [], "agencies": [], "issues": []}
    page = build_report(source, "专栏1 标题\n\n二是加强保护。\n", records, plan, [ReportPage(1, 1000, 1400, _png(250, 350), "image/png")])
    path = tmp_path / "scan.html"
    path.write_text(page, encoding="utf-8")
    browser.get_log("browser")
    browser.get(path.as_uri())
    browser.find_element("id", "c1").click()
    assert browser.find_element("id", "viewer").is_displayed()
    box = browser.find_element("css selector", "#viewer-boxes .ocrbox")
    assert box.value_of_css_property("left").endswith("px") and box.get_attribute("style").startswith("left: 10%")
    assert _errors(browser) == []
