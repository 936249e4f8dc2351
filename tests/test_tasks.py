"""Tasks and their responsibility statements (plan.json ``tasks``, the agency view,
assignments.csv).

The small documents are written here by hand in the shapes implementation plans take;
every expected value below is read off them, not taken from the program. The last tests
hold the five Shanghai documents of ../shared/realdocs to their hand-read truth files.
"""

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from bench.real import norm
from pipeline.csvout import ASSIGNMENT_COLUMNS, assignments_csv
from pipeline.errors import NoPlanStructure
from pipeline.ingest import decode_source, read_input
from pipeline.run import recover

ROOT = Path(__file__).resolve().parents[1]
REALDOCS = ROOT.parent / "shared" / "realdocs"
TRUTH = ROOT / "bench" / "real"

# A Shanghai document (its number says so): numbered tasks, an unnumbered paragraph
# under a title-only section, a bare list of one body, a statement naming a collective.
SHANGHAI = """沪府办发〔2025〕99号

上海市促进示例产业发展行动方案

一、主要任务

（一）提升创新能级

1.加强基础研究。支持高校开展前沿研究。（责任单位：市科委、市发展改革委、各区政府）

2.推进成果转化。建设转化平台。（牵头部门：市经济信息化委、上海海关）

（二）优化服务

优化审批流程，压缩办理时限。推行一网通办。（责任单位：市人才局、相关区）

3.加快示范应用。推广新产品。（市科委）

二、保障措施

加强统筹协调。（各有关单位）
"""

# No place named: national bodies, the other statement forms, a statement on a line of
# its own, and one cut by a page break (a blank line inside the bracket).
OTHER_FORMS = """关于推进示例工作的实施方案

一、重点任务

1.完善政策体系。制定配套措施。（国家发展改革委牵头，各有关部门按职责分工负责）

2.强化市场监管。开展专项整治。（市场监管总局、农业农村部、知识产权局负责）

3.优化人才队伍。引进高端人才。（牵头单位：市发展改革委，配合单位：市委组织部、市人力资源和社会保障局，各区、县级市）

4.推进数字化转型。建设工业互联网平台。
责任单位：省工业和信息化厅

5.加强宣传引导。营造良好氛围。（牵头部

门：省委宣传部、省广电局）
"""

# A division-of-labour table: rows one per line, cells tab-separated, a merged 序号 and
# 工作事项 printed once (the rows under them start with empty cells), / for none.
TABLE = """关于示例工作的任务分工方案

附件 任务分工表

序号\t工作事项\t主要内容\t牵头单位\t配合单位
1\t扩大服务供给。\t增加服务机构。\t市卫生健康委\t市财政局、市医保局
\t\t提高服务质量。\t各区政府\t/
2\t完善保障机制\t健全投入机制。\t市财政局，市医保局\t市卫生健康委、各区政府
"""


def plan_of(text: str, name: str = "plan.txt") -> dict:
    return recover(decode_source(name, text.encode("utf-8"))).plan


def brief(task: dict) -> tuple:
    return (task["path"], task["heading"], task.get("lead"), task.get("participants"), task.get("groups"))


@pytest.fixture(scope="module")
def shanghai():
    return plan_of(SHANGHAI)


@pytest.fixture(scope="module")
def other_forms():
    return plan_of(OTHER_FORMS)


@pytest.fixture(scope="module")
def table():
    return plan_of(TABLE)


# ---- paragraphs, paths, headings, roles


def test_shanghai_tasks_paths_headings_and_roles(shanghai):
    assert [brief(t) for t in shanghai["tasks"]] == [
        (["一", "（一）", "1"], "加强基础研究", ["市科委", "市发展改革委"], [], ["各区政府"]),
        (["一", "（一）", "2"], "推进成果转化", ["市经济信息化委", "上海海关"], [], []),
        (["一", "（二）"], "优化审批流程，压缩办理时限", ["市人才局"], [], ["相关区"]),
        (["一", "（二）", "3"], "加快示范应用", [], ["市科委"], []),
        (["二"], "加强统筹协调", [], [], ["各有关单位"]),
    ]
    assert [t["index"] for t in shanghai["tasks"]] == [1, 2, 3, 4, 5]
    first = shanghai["tasks"][0]
    assert first["raw"] == "（责任单位：市科委、市发展改革委、各区政府）"
    assert first["form"] == "labelled_units" and first["truncated"] is False
    assert first["text"] == "1.加强基础研究。支持高校开展前沿研究。（责任单位：市科委、市发展改革委、各区政府）"
    assert first["source"] == {"start_line": 9, "end_line": 9}
    assert shanghai["tasks"][3]["form"] == "bare_list"


def test_shanghai_names_resolve_within_the_jurisdiction(shanghai):
    assert shanghai["document"]["jurisdiction"] == "上海市"
    first, second, third = shanghai["tasks"][:3]
    assert [e["name"] for e in first["entries"]] == ["上海市科学技术委员会", "上海市发展和改革委员会"]
    # A local branch of a national body is a body of its own, not 海关总署.
    assert [e["name"] for e in second["entries"]] == ["上海市经济和信息化委员会", "中华人民共和国上海海关"]
    # A name the registry does not hold is kept as printed.
    assert [(e["printed"], e["name"], e["status"]) for e in third["entries"]] == [("市人才局", "市人才局", "unregistered")]


def test_the_agency_view_lists_tasks_by_role(shanghai):
    agencies = {a["name"]: a for a in shanghai["agencies"]}
    stcsm = agencies["上海市科学技术委员会"]
    assert (stcsm["leads_tasks"], stcsm["participates_tasks"], stcsm["leads"], stcsm["participates"]) == ([1], [4], [], [])
    assert stcsm["registered"] is True and stcsm["short_forms_seen"] == ["市科委"]
    talent = agencies["市人才局"]
    assert talent["registered"] is False and talent["leads_tasks"] == [3]
    assert "各区政府" not in agencies and "相关区" not in agencies  # collectives are no agencies


def test_other_statement_forms(other_forms):
    assert [brief(t) for t in other_forms["tasks"]] == [
        (["一", "1"], "完善政策体系", ["国家发展改革委"], [], ["各有关部门"]),
        (["一", "2"], "强化市场监管", ["市场监管总局", "农业农村部", "知识产权局"], [], []),
        (["一", "3"], "优化人才队伍", ["市发展改革委"], ["市委组织部", "市人力资源和社会保障局"], ["各区、县级市"]),
        (["一", "4"], "推进数字化转型", ["省工业和信息化厅"], [], []),
        (["一", "5"], "加强宣传引导", ["省委宣传部", "省广电局"], [], []),
    ]
    forms = [t["form"] for t in other_forms["tasks"]]
    assert forms[:3] == ["lead_and_participants", "joint_leads", "labelled_units"]
    assert [e["name"] for e in other_forms["tasks"][1]["entries"]] == ["国家市场监督管理总局", "农业农村部", "国家知识产权局"]
    assert "jurisdiction" not in other_forms["document"]
    # Without a jurisdiction a city body stays as printed.
    assert other_forms["tasks"][2]["entries"][0]["status"] == "unregistered"


def test_a_statement_on_its_own_line_belongs_to_the_task_before_it(other_forms):
    fourth = other_forms["tasks"][3]
    assert fourth["raw"] == "责任单位：省工业和信息化厅"
    assert fourth["source"] == {"start_line": 11, "end_line": 12}
    assert fourth["text"] == "4.推进数字化转型。建设工业互联网平台。\n责任单位：省工业和信息化厅"


def test_a_statement_cut_by_a_page_break_is_read_across_it(other_forms):
    fifth = other_forms["tasks"][4]
    assert fifth["raw"] == "（牵头部\n\n门：省委宣传部、省广电局）"
    assert fifth["form"] == "labelled_units" and fifth["truncated"] is False
    assert fifth["source"] == {"start_line": 14, "end_line": 16}


def test_the_repaired_text_keeps_the_page_break(other_forms):
    result = recover(decode_source("plan.txt", OTHER_FORMS.encode("utf-8")))
    assert "（牵头部\n\n门：" in result.repair.text


def test_numbered_paragraphs_without_a_statement_are_tasks_and_titles_are_sections():
    plan = plan_of("一、总体要求\n\n（一）基本原则\n\n1.统筹推进。坚持系统观念。\n\n2.重点突破。聚焦关键环节。\n\n二、主要任务\n\n加强协调。（市发展改革委、市财政局）\n")
    assert [(t["path"], t["heading"], "raw" in t) for t in plan["tasks"]] == [
        (["一", "（一）", "1"], "统筹推进", False),
        (["一", "（一）", "2"], "重点突破", False),
        (["二"], "加强协调", True),
    ]
    assert plan["tasks"][2]["participants"] == ["市发展改革委", "市财政局"]


def test_addressees_and_lists_inside_a_sentence_are_no_statements():
    plan = plan_of(
        "各区人民政府，市政府各委、办、局，各有关单位：\n\n"
        "一、主要任务\n\n"
        "各省（自治区、直辖市）应急管理部门要加强值守。\n\n"
        "1.完善机制。建立协调机制。（省应急管理厅负责）\n"
    )
    assert [(t["path"], t.get("raw")) for t in plan["tasks"]] == [(["一", "1"], "（省应急管理厅负责）")]


def test_the_text_of_a_task_runs_over_its_paragraphs_until_its_statement():
    plan = plan_of("一、主要任务\n\n1.推进改革。深化试点。\n\n扩大试点范围，总结推广经验。（省发展改革委牵头，省财政厅等按职责分工负责）\n")
    (task,) = plan["tasks"]
    assert task["path"] == ["一", "1"] and task["heading"] == "推进改革"
    assert task["lead"] == ["省发展改革委"] and task["participants"] == ["省财政厅"]
    assert task["source"] == {"start_line": 3, "end_line": 5}


# ---- division-of-labour tables


def test_table_rows_are_tasks_with_merged_cells_carried_down(table):
    assert [(t["path"], t["heading"], t["text"], t["lead"], t["participants"], t["groups"]) for t in table["tasks"]] == [
        (["1"], "扩大服务供给", "增加服务机构。", ["市卫生健康委"], ["市财政局", "市医保局"], []),
        (["1"], "扩大服务供给", "提高服务质量。", [], [], ["各区政府"]),
        (["2"], "完善保障机制", "健全投入机制。", ["市财政局", "市医保局"], ["市卫生健康委"], ["各区政府"]),
    ]
    assert {t["form"] for t in table["tasks"]} == {"table"}
    assert all(t["raw"] is None for t in table["tasks"])
    assert [t["source"] for t in table["tasks"]] == [{"start_line": n, "end_line": n} for n in (6, 7, 8)]


# ---- a plan of tasks only is a plan: no exit 6, and assignments.csv


def test_a_document_with_tasks_and_no_box_is_a_plan(shanghai, table):
    assert shanghai["programmes"] == [] and shanghai["indicators"] == []
    assert not any(i["kind"] == "no_plan_structure" for i in shanghai["issues"] + table["issues"])
    with pytest.raises(NoPlanStructure):
        plan_of("一、总体要求\n\n坚持稳中求进。\n")


def test_assignments_csv_one_row_per_agency_task_and_role(shanghai):
    text = assignments_csv(shanghai)
    assert text.startswith("\ufeff" + ",".join(ASSIGNMENT_COLUMNS) + "\r\n")
    rows = list(csv.DictReader(io.StringIO(text[1:])))
    assert [(r["agency"], r["printed"], r["role"], r["task"]) for r in rows] == [
        ("上海市科学技术委员会", "市科委", "lead", "1"),
        ("上海市发展和改革委员会", "市发展改革委", "lead", "1"),
        ("", "各区政府", "group", "1"),
        ("上海市经济和信息化委员会", "市经济信息化委", "lead", "2"),
        ("中华人民共和国上海海关", "上海海关", "lead", "2"),
        ("市人才局", "市人才局", "lead", "3"),
        ("", "相关区", "group", "3"),
        ("上海市科学技术委员会", "市科委", "participant", "4"),
        ("", "各有关单位", "group", "5"),
    ]
    talent = rows[5]
    assert (talent["status"], talent["registered"], talent["kind"], talent["path"], talent["source_start_line"]) == ("unregistered", "false", "task", "一/（二）", "15")


def test_extract_writes_assignments_csv_for_a_plan_of_tasks(tmp_path):
    source = tmp_path / "shanghai.txt"
    source.write_text(SHANGHAI, encoding="utf-8")
    out = tmp_path / "out"
    done = subprocess.run([sys.executable, "-m", "pipeline.cli", "extract", source, "--out", out], capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    data = (out / "assignments.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbfagency,") and data.count(b"\r\n") == 10
    assert len(json.loads((out / "plan.json").read_text(encoding="utf-8"))["tasks"]) == 5


def test_the_corpus_document_has_boxes_and_no_tasks(corpus_recovery):
    plan = corpus_recovery.plan
    assert plan["tasks"] == []
    assert not any("leads_tasks" in a for a in plan["agencies"])  # golden keeps its shape
    rows = list(csv.DictReader(io.StringIO(assignments_csv(plan)[1:])))
    box14 = [r for r in rows if r["box"] == "14"]
    assert {r["agency"] for r in box14} == {"海关总署", "公安部", "最高人民法院", "商务部", "国家知识产权局"}
    assert {r["role"] for r in box14} == {"participant"}


# ---- the five Shanghai documents against their truth, read by hand

SHANGHAI_DOCS = sorted(p.name.replace(".truth.json", "") for p in TRUTH.glob("sh_*.truth.json"))


@pytest.mark.parametrize("stem", SHANGHAI_DOCS)
def test_shanghai_document_gives_every_statement_with_its_roles(stem):
    truth = json.loads((TRUTH / f"{stem}.truth.json").read_text(encoding="utf-8"))
    plan = recover(read_input(REALDOCS / truth["document"])).plan
    assert plan["document"]["jurisdiction"] == "上海市"
    with_statement = [t for t in plan["tasks"] if t.get("raw")]
    assert len(with_statement) == len(truth["tasks"])
    for got, want in zip(with_statement, truth["tasks"]):
        assert norm(got["raw"]) == norm(want["statement"])
        assert got["path"] == want["path"]
        assert norm(got["heading"]) == norm(want["heading"])
        assert (got["lead"], got["participants"], got["groups"]) == (want["lead"], want["participants"], want["groups"]), want["path"]
    # Every body the Shanghai registry holds resolves to its official name.
    unregistered = {e["printed"] for t in with_statement for e in t["entries"] if e["status"] != "registry"}
    assert unregistered <= {"市人才局", "市出入境管理局"}


# ---- a rule stated once for the tasks that follow it

# The rule of section （一） on a line of its own, that of （二） in its title (in brackets,
# without 不再列出), task 2 with a statement of its own, section 二 outside both rules.
STATED_ONCE = """沪府办发〔2025〕98号

上海市示例工作实施方案

一、重点任务

（一）完善体系

以下各项任务均由市发展改革委、市财政局负责，不再列出。

1.完善政策体系。制定配套措施。

2.强化市场监管。开展专项整治。（市科委）

3.健全标准规范。发布地方标准。

（二）优化服务（以下任务均由市科委牵头，市人才局配合）

4.推进一网通办。压缩办理时限。

二、保障措施

5.加强统筹协调。建立工作机制。
"""


@pytest.fixture(scope="module")
def stated_once():
    return plan_of(STATED_ONCE)


def test_a_rule_stated_once_is_applied_to_the_tasks_of_its_section(stated_once):
    tasks = stated_once["tasks"]
    assert [brief(t) for t in tasks] == [
        (["一", "（一）", "1"], "完善政策体系", ["市发展改革委", "市财政局"], [], []),
        (["一", "（一）", "2"], "强化市场监管", [], ["市科委"], []),
        (["一", "（一）", "3"], "健全标准规范", ["市发展改革委", "市财政局"], [], []),
        (["一", "（二）", "4"], "推进一网通办", ["市科委"], ["市人才局"], []),
        (["二", "5"], "加强统筹协调", None, None, None),
    ]
    lines = STATED_ONCE.split("\n")
    rule_line = lines.index("以下各项任务均由市发展改革委、市财政局负责，不再列出。") + 1
    assert tasks[0]["statement_from"] == {"line": rule_line, "raw": "以下各项任务均由市发展改革委、市财政局负责，不再列出。"}
    assert tasks[2]["statement_from"] == tasks[0]["statement_from"]
    assert tasks[0]["raw"] == "市发展改革委、市财政局负责" and tasks[0]["form"] == "joint_leads"
    title_line = next(i for i, line in enumerate(lines, 1) if line.startswith("（二）"))
    assert tasks[3]["statement_from"] == {"line": title_line, "raw": "以下任务均由市科委牵头，市人才局配合"}
    assert tasks[3]["form"] == "lead_and_participants"
    assert "statement_from" not in tasks[1] and tasks[1]["raw"] == "（市科委）"
    assert "statement_from" not in tasks[4]


def test_the_rule_itself_is_no_task_and_its_bodies_join_the_agency_view(stated_once):
    assert not any("以下" in (t["heading"] or "") for t in stated_once["tasks"])
    view = {a["name"]: (a["leads_tasks"], a["participates_tasks"]) for a in stated_once["agencies"]}
    assert view["上海市发展和改革委员会"] == ([1, 3], [])
    assert view["上海市科学技术委员会"] == ([4], [2])


# ---- a name the registry does not hold

# 市人才局 is named in two tasks; 市示例发展办公室 in one: no Shanghai body has either name.
UNREGISTERED = """沪府办发〔2025〕97号

上海市示例人才工作方案

一、重点任务

1.引进高端人才。完善引才政策。（责任单位：市人才局、市科委）

2.培育青年人才。建设培养平台。（牵头部门：市人才局，配合部门：市示例发展办公室）
"""


def test_an_unregistered_name_is_reported_once_with_its_nearest_registered_names():
    from extract.agencies import resolver_for
    from grammar.registry import jurisdiction_of

    plan = plan_of(UNREGISTERED)
    issues = [i for i in plan["issues"] if i["kind"] == "unregistered_agency"]
    assert sorted(i["data"]["printed"] for i in issues) == ["市人才局", "市示例发展办公室"]
    talent = next(i for i in issues if i["data"]["printed"] == "市人才局")
    assert talent["data"]["tasks"] == [1, 2] and talent["data"]["boxes"] == []
    assert talent["source"]["start_line"] == UNREGISTERED.split("\n").index("1.引进高端人才。完善引才政策。（责任单位：市人才局、市科委）") + 1
    # Candidates are the resolver's nearest registered names, each a registered body; the
    # name stays as printed in the task and the agency view.
    resolver = resolver_for(jurisdiction_of(UNREGISTERED).id)
    assert talent["data"]["candidates"] == list(resolver.nearest("市人才局"))
    assert talent["data"]["candidates"] and all(resolver.registry.lookup(c) for c in talent["data"]["candidates"])
    assert plan["tasks"][0]["lead"] == ["市人才局", "市科委"]
    view = {a["name"]: a for a in plan["agencies"]}
    assert view["市人才局"]["registered"] is False and view["市人才局"]["leads_tasks"] == [1, 2]


def test_nearest_registered_names_rank_a_damaged_name_first():
    from extract.agencies import resolver_for

    resolver = resolver_for(None)
    assert resolver.nearest("国家知识产杈局")[0] == "国家知识产权局"
    assert len(resolver.nearest("国家知识产杈局")) <= 3
