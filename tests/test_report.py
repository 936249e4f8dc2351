"""report.html built in Python: the change log undone and traced, escaping, determinism, counts."""

import json
import subprocess
import sys
from collections import Counter, defaultdict
from html.parser import HTMLParser

import pytest
from conftest import CORPUS_DOC, ROOT
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.changetrace import trace, undo
from pipeline.errors import BadChangeLog, ReplayMismatch
from pipeline.report import KINDS, build_report, change_kind, kind_counts
from repair.changes import replay


@pytest.fixture(scope="module")
def corpus(corpus_recovery):
    records = [json.loads(line) for line in corpus_recovery.changes_jsonl.splitlines()]
    return corpus_recovery.source.text, corpus_recovery.repair.text, records, corpus_recovery.plan


@pytest.fixture(scope="module")
def page(corpus):
    return build_report(*corpus)


class Highlights(HTMLParser):
    """Text of each change's highlights, per side (L: original, R: repaired), and the focusable ones."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.side = None
        self.stack: list[str | None] = []
        self.text = {"L": defaultdict(str), "R": defaultdict(str)}
        self.focusable: list[tuple[str, str]] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "td" and a.get("class") in ("L", "R"):
            self.side = a["class"]
        if tag in ("del", "ins"):
            self.stack.append(a.get("data-c"))
            if "chg" in (a.get("class") or "").split():
                assert a.get("tabindex") == "0"
                self.focusable.append((a["data-c"], a["data-kind"]))

    def handle_endtag(self, tag):
        if tag in ("del", "ins"):
            self.stack.pop()
        if tag == "td":
            self.side = None

    def handle_data(self, data):
        if self.side and self.stack and self.stack[-1]:
            self.text[self.side][self.stack[-1]] += data


def parse(page: str) -> Highlights:
    parser = Highlights()
    parser.feed(page)
    return parser


def test_undo_of_replay_is_the_source_on_the_corpus(corpus):
    source, repaired, records, _ = corpus
    assert replay(source, records) == repaired
    assert undo(repaired, records) == source


def test_undo_refuses_a_log_that_does_not_fit(corpus):
    _, repaired, records, _ = corpus
    with pytest.raises(ReplayMismatch):
        undo(repaired, [dict(records[-1], at=[0, 1], before="\n", after="不在")])
    with pytest.raises(BadChangeLog):
        undo(repaired, [{"id": 1, "step": 1}])


@st.composite
def logs(draw):
    """A source and a change log of several steps of non-overlapping edits."""
    alphabet = st.sampled_from("甲乙丙 \n\t<&")
    source = draw(st.text(alphabet, max_size=40))
    text, records = source, []
    for step in range(1, draw(st.integers(0, 4)) + 1):
        cuts = sorted(draw(st.lists(st.integers(0, len(text)), max_size=6)))
        edits, previous = [], -1
        for start, end in zip(cuts[::2], cuts[1::2]):
            if start <= previous:
                continue
            after = draw(st.text(alphabet, max_size=3))
            if start == end and not after:
                continue
            edits.append((start, end, after))
            previous = end
        for start, end, after in edits:
            records.append({"id": len(records) + 1, "step": step, "rule": "r", "at": [start, end], "before": text[start:end], "after": after})
        pieces, cursor = [], 0
        for start, end, after in edits:
            pieces += [text[cursor:start], after]
            cursor = end
        text = "".join(pieces) + text[cursor:]
    return source, records


@settings(max_examples=150, deadline=None)
@given(logs())
def test_undo_and_trace_agree_with_replay(log):
    source, records = log
    repaired = replay(source, records)
    assert undo(repaired, records) == source
    tr = trace(source, records)
    assert tr.text == repaired
    for k, o in enumerate(tr.origin):  # kept characters are the source's; written ones belong to a record
        assert (o >= 0 and repaired[k] == source[o] and tr.written_by[k] is None) or (o == -1 and tr.written_by[k] is not None)
    kept = {o for o in tr.origin if o >= 0}
    assert all((k in kept) != (tr.removed_by[k] is not None) for k in range(len(source)))


def test_kinds_of_rules():
    assert change_kind("drop_residue_lines") == "residue"
    assert change_kind("drop_repeated_agencies") == change_kind("drop_repeated_sentences") == "duplicate"
    assert change_kind("strip_line_indent") == "layout"
    assert change_kind("ocr_confusable_digit") == "ocr" and change_kind("fuse_table_cell") == "fusion"
    assert change_kind("some_new_rule") == "other"
    assert {k for k, _, _ in KINDS} >= {"residue", "duplicate", "join", "renumber", "cell", "aside", "ocr", "fusion"}


def test_counts_equal_the_change_log(corpus, page):
    _, _, records, _ = corpus
    expected = Counter(change_kind(r["rule"]) for r in records)
    assert kind_counts(records) == dict((k, expected[k]) for k, _, _ in KINDS if expected[k])
    found = parse(page)
    assert Counter(kind for _, kind in found.focusable) == expected
    assert sorted(int(i) for i, _ in found.focusable) == [r["id"] for r in records]  # each record once
    for kind, n in expected.items():
        assert f'<b class="count" data-kind="{kind}">{n}</b>' in page
    assert f'<b id="total-changes">{len(records)}</b>' in page


def test_left_highlights_are_exactly_what_each_record_removed(corpus, page):
    _, _, records, _ = corpus
    left, right = parse(page).text["L"], parse(page).text["R"]
    for r in records:
        assert left[str(r["id"])] == r["before"].replace("\n", "↵"), r["id"]
        if r["after"]:
            assert right[str(r["id"])] == r["after"], r["id"]


def test_the_right_side_is_the_repaired_text(corpus, page):
    """Every repaired line appears once, in order, on the right."""
    _, repaired, _, _ = corpus
    lines = repaired.split("\n")[:-1] if repaired.endswith("\n") else repaired.split("\n")
    assert page.count('<div class="ln" id="r') == len(lines)
    assert page.count('<div class="ln" id="s') == len(corpus[0].split("\n")) - (1 if corpus[0].endswith("\n") else 0)


def test_deterministic(corpus, page):
    assert build_report(*corpus) == page


def test_everything_is_escaped():
    source = "专栏1 <b>标题</b> & 'x'\n<script>alert(1)</script>\n\n"
    records = [
        {"id": 1, "step": 1, "rule": "drop_residue_lines", "at": [len(source) - 1, len(source)], "before": "\n", "after": "",
         "source": {"start": 0, "end": 1, "line": 1, "col": 1, "end_line": 1, "end_col": 2},
         "reason": "</script><script>alert(2)</script>", "confidence": 1.0, "evidence": {"x": "<img src=x onerror=alert(3)>"}},
    ]
    plan = {"document": {"title": "<i>t</i>"}, "indicators": [], "programmes": [
        {"number": 1, "printed_number": "1", "number_status": "as_printed", "title": "<u>x</u>", "items": [{"index": 1, "heading": None, "text": "<a>", "source": {"start_line": 1, "end_line": 1}}],
         "lead": ["<b>局</b>"], "participants": [], "assignments": [], "unresolved_agencies": [], "source": {"start_line": 1, "end_line": 1}}],
        "agencies": [], "issues": [{"kind": "missing_agency_statement", "box": 1, "detail": "<svg onload=alert(4)>", "data": {}, "source": None}]}
    page = build_report(source, source[:-1], records, plan)
    for raw in ("<b>标题", "<script>alert", "alert(2)</script>", "<img", "<i>t", "<u>x", "<a>", "<b>局", "<svg"):
        assert raw not in page, raw
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    data = page.split('<script type="application/json" id="report-data">')[1].split("</script>")[0]
    assert json.loads(data)["changes"]["1"]["reason"] == "</script><script>alert(2)</script>"


def test_a_log_from_another_run_is_refused(corpus):
    source, repaired, records, plan = corpus
    with pytest.raises(ReplayMismatch):
        build_report(source, repaired + "多出来的一行\n", records, plan)


def test_report_command_rebuilds_the_source_from_the_log(tmp_path):
    out = tmp_path / "out"
    run = lambda *args: subprocess.run([sys.executable, "-m", "pipeline.cli", *map(str, args)], capture_output=True, text=True, cwd=ROOT)
    done = run("extract", CORPUS_DOC, "--out", out)
    assert done.returncode == 0, done.stderr
    written = (out / "report.html").read_bytes()
    assert run("report", out, "--source", CORPUS_DOC).returncode == 0
    with_source = (out / "report.html").read_bytes()
    assert with_source == written  # same note: the original named, the same page
    done = run("report", out)
    assert done.returncode == 0, done.stderr
    rebuilt = (out / "report.html").read_text(encoding="utf-8")
    assert "original rebuilt by undoing the change log (its sha256 matches plan.json)" in rebuilt
    assert rebuilt.replace("original rebuilt by undoing the change log (its sha256 matches plan.json)", f"original: {CORPUS_DOC.name}") == written.decode("utf-8")
    (out / "changes.jsonl").unlink()
    done = run("report", out)
    assert done.returncode == 3 and done.stderr.count("\n") == 1 and "changes.jsonl" in done.stderr


def _task_plan(heading: str) -> dict:
    """A plan of two tasks and the agency view built by hand (no box)."""
    tasks = [
        {"index": 1, "path": ["一", "1"], "heading": heading, "text": f"1.{heading}。支持研究。（责任单位：市科委、各区政府）",
         "source": {"start_line": 3, "end_line": 3}, "raw": "（责任单位：市科委、各区政府）", "form": "责任单位",
         "lead": ["市科委"], "participants": [], "groups": ["各区政府"], "truncated": False, "entries": []},
        {"index": 2, "path": ["一", "2"], "heading": "推进成果转化", "text": "2.推进成果转化。建设平台。（牵头单位：市科委，配合单位：<b>市财政局</b>）",
         "source": {"start_line": 5, "end_line": 6}, "raw": "（牵头单位：市科委，配合单位：<b>市财政局</b>）", "form": "牵头单位",
         "lead": ["市科委"], "participants": ["<b>市财政局</b>"], "groups": [], "truncated": False, "entries": []},
    ]
    agencies = [
        {"name": "市科学技术委员会", "registered": True, "registry_id": "sh-kw", "level": "city", "short_forms_seen": ["市科委"],
         "leads": [], "participates": [], "leads_tasks": [1, 2], "participates_tasks": [], "existed_in_plan_year": None},
        {"name": "<b>市财政局</b>", "registered": False, "registry_id": None, "level": "city", "short_forms_seen": ["<b>市财政局</b>"],
         "leads": [], "participates": [], "leads_tasks": [], "participates_tasks": [2], "existed_in_plan_year": None},
    ]
    return {"document": {"title": "示例方案"}, "indicators": [], "programmes": [], "tasks": tasks, "agencies": agencies, "issues": []}


def test_tasks_and_the_agency_view_of_tasks_are_shown():
    source = "示例方案\n"
    page = build_report(source, source, [], _task_plan("加强基础研究"))
    section = page.split('<section id="tasks"')[1].split("</section>")[0]
    assert section.count('<tr id="task-') == 2
    row1 = section.split('<tr id="task-1">')[1].split("</tr>")[0]
    assert "一/1" in row1 and "<b>加强基础研究</b>" in row1
    assert '<span class="agency" lang="zh-CN">市科委</span>' in row1 and "各区政府" in row1
    assert "（责任单位：市科委、各区政府）" in row1 and 'href="#s3"' in row1
    row2 = section.split('<tr id="task-2">')[1].split("</tr>")[0]
    assert 'href="#s5"' in row2 and "l. 5–6" in row2
    agencies = page.split('<section id="agencies"')[1].split("</section>")[0]
    assert "leads tasks" in agencies and "takes part in tasks" in agencies
    rows = agencies.split("</tr>")
    lead_row = next(r for r in rows if "市科学技术委员会" in r)
    assert lead_row.count('href="#task-') == 2
    join_row = next(r for r in rows if "&lt;b&gt;市财政局&lt;/b&gt;" in r)
    assert 'href="#task-2"' in join_row and 'href="#task-1"' not in join_row
    assert '<a href="#tasks">Tasks</a>' in page


def test_task_rows_are_escaped():
    page = build_report("x\n", "x\n", [], _task_plan("<script>alert(1)</script>"))
    assert "<script>alert(1)" not in page and "<b>市财政局" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_a_plan_of_boxes_shows_no_task_section():
    plan = dict(_task_plan("x"), tasks=[])
    for a in plan["agencies"]:
        del a["leads_tasks"], a["participates_tasks"]
    page = build_report("x\n", "x\n", [], plan)
    assert 'id="tasks"' not in page and "leads tasks" not in page


def test_the_header_shows_who_issued_the_plan_and_the_years_it_covers():
    plan = {"document": {"title": "示例规划", "issuer": "国务院", "doc_number": "国发〔2021〕20号", "date": "2021-10-09",
                         "plan_period": {"start": 2021, "end": 2025}},
            "indicators": [], "programmes": [], "agencies": [], "issues": []}
    facts = build_report("x\n", "x\n", [], plan).split('<p class="facts" lang="zh-CN">')[1].split("</p>")[0]
    assert facts == "国务院 · 国发〔2021〕20号 · 2021-10-09 · 2021—2025年"
    del plan["document"]["plan_period"]
    facts = build_report("x\n", "x\n", [], plan).split('<p class="facts" lang="zh-CN">')[1].split("</p>")[0]
    assert "年" not in facts
