"""planrecover diff: two plan.json files compared field by field."""

import copy
import json
import subprocess
import sys

import pytest
from conftest import GOLDEN, ROOT

from pipeline.errors import BadPlanFile, InputNotFound
from pipeline.plandiff import compare, load_plan, render_json, render_text


def planrecover(*args):
    return subprocess.run([sys.executable, "-m", "pipeline.cli", *map(str, args)], capture_output=True, text=True, cwd=ROOT)


@pytest.fixture(scope="module")
def plan(corpus_recovery):
    return corpus_recovery.plan


def write(path, plan):
    path.write_text(json.dumps(plan, ensure_ascii=False), encoding="utf-8")
    return path


def changed(plan):
    """Target of indicator 5 raised, box 6 renumbered 7, 最高人民法院 joins box 2, box 3 retitled, indicator 8 gone."""
    other = copy.deepcopy(plan)
    other["indicators"][4]["target"]["value"] = 13.5
    other["programmes"][5]["number"] = 7
    other["programmes"][1]["participants"].append("最高人民法院")
    other["programmes"][2]["title"] = "知识产权保护机构建设示范工程"
    del other["indicators"][7]
    return other


def test_a_plan_equals_itself(plan):
    assert compare(plan, copy.deepcopy(plan)) == []
    assert "equal" in render_text([], "a", "b")
    assert json.loads(render_json([], "a", "b"))["equal"] is True


def test_provenance_is_not_compared(plan):
    other = copy.deepcopy(plan)
    other["document"]["sha256"] = "0" * 64
    other["document"]["inputs"] = [{"kind": "text", "name": "x.txt", "sha256": "0" * 64}]
    other["generator"]["version"] = "9.9.9"
    other["indicators"][0]["source"] = {"start_line": 1, "end_line": 1}
    assert compare(plan, other) == []


def test_changes_are_named_field_by_field(plan):
    lines = render_text(compare(plan, changed(plan)), "a", "b").splitlines()
    assert "  ~ indicator 5 专利密集型产业增加值占 GDP 比重: target 13.0 → 13.5" in lines
    assert any(line.startswith("  - indicator 8 知识产权民事一审案件服判息诉率 removed") for line in lines)
    assert "  ~ box 7 一流专利商标审查机构建设工程: renumbered 6 → 7" in lines
    assert "  + box 2 数据知识产权保护工程: participant gained 最高人民法院" in lines
    assert "  ~ box 3 知识产权保护机构建设示范工程: retitled 知识产权保护机构建设工程 → 知识产权保护机构建设示范工程" in lines
    assert lines[-1] == "5 differences"


def test_json_for_tools(plan):
    doc = json.loads(render_json(compare(plan, changed(plan)), "a", "b"))
    assert doc["equal"] is False and doc["counts"]["indicators"] == 2 and doc["counts"]["boxes"] == 3
    target = next(d for d in doc["differences"] if d["field"] == "target")
    assert target == {"section": "indicators", "change": "changed", "subject": "indicator 5 专利密集型产业增加值占 GDP 比重", "field": "target", "a": 13.0, "b": 13.5,
                      "key": {"seq": 5, "name": "专利密集型产业增加值占 GDP 比重"}}


def test_agency_role_and_issue_changes(plan):
    other = copy.deepcopy(plan)
    box = other["programmes"][0]
    box["participants"].insert(0, box["lead"].pop(0))  # the lead becomes a participant
    other["issues"].append({"kind": "box_number_uncertain", "box": 3, "detail": "x", "data": {}, "source": None})
    text = render_text(compare(plan, other), "a", "b")
    assert "~ box 1 商业秘密保护工程: role of 国家市场监督管理总局 lead → participant" in text
    assert "+ issue box_number_uncertain (box 3) added: x" in text


def test_cli_exit_codes(plan, tmp_path):
    a = write(tmp_path / "a.json", plan)
    same = planrecover("diff", a, write(tmp_path / "same.json", plan))
    assert same.returncode == 0 and "equal" in same.stdout
    different = planrecover("diff", a, write(tmp_path / "b.json", changed(plan)))
    assert different.returncode == 1
    assert "~ indicator 5 专利密集型产业增加值占 GDP 比重: target 13.0 → 13.5" in different.stdout
    assert "+ box 2 数据知识产权保护工程: participant gained 最高人民法院" in different.stdout
    as_json = planrecover("diff", a, tmp_path / "b.json", "--json")
    assert as_json.returncode == 1 and json.loads(as_json.stdout)["equal"] is False
    folder = tmp_path / "run"
    folder.mkdir()
    write(folder / "plan.json", plan)
    assert planrecover("diff", folder, a).returncode == 0  # an output folder stands for its plan.json


@pytest.mark.parametrize(
    "content, message",
    [
        ("{", "not JSON"),
        ("[1, 2]", "a JSON list, not an object"),
        ('{"indicators": []}', "'schema_version' is a required property"),
        (b"\xff\xfe\x00", "not UTF-8"),
    ],
)
def test_malformed_input_is_one_line(tmp_path, plan, content, message):
    bad = tmp_path / "bad.json"
    bad.write_bytes(content if isinstance(content, bytes) else content.encode())
    with pytest.raises(BadPlanFile, match=message):
        load_plan(bad)
    done = planrecover("diff", bad, write(tmp_path / "a.json", plan))
    assert done.returncode == 9 and done.stdout == ""
    assert done.stderr.startswith("planrecover: ") and done.stderr.count("\n") == 1 and message in done.stderr


def test_missing_file(tmp_path):
    with pytest.raises(InputNotFound):
        load_plan(tmp_path / "nope.json")
    done = planrecover("diff", tmp_path / "nope.json", GOLDEN / "plan.json")
    assert done.returncode == 3 and done.stderr.count("\n") == 1 and "no such file" in done.stderr


def test_golden_plan_loads(golden_plan):
    assert load_plan(GOLDEN / "plan.json") == golden_plan


def _task(index, path, heading, lead=(), participants=(), groups=(), raw="（责任单位：市科委）"):
    return {"index": index, "path": list(path), "heading": heading, "text": f"{heading}。", "source": {"start_line": index, "end_line": index},
            "raw": raw, "form": "责任单位", "lead": list(lead), "participants": list(participants), "groups": list(groups), "truncated": False}


def _agency(name, leads_tasks=(), participates_tasks=()):
    return {"name": name, "registered": True, "registry_id": None, "level": "city", "short_forms_seen": [name], "leads": [], "participates": [],
            "leads_tasks": list(leads_tasks), "participates_tasks": list(participates_tasks), "existed_in_plan_year": None}


def task_plans():
    """Plan a: three tasks; plan b: task 1 gains a participant, task 2's statement reworded
    and moved to 二/1, task 3 gone, a new task 4 — all written here, expected values read off them."""
    a = {"document": {}, "indicators": [], "programmes": [], "issues": [],
         "tasks": [_task(1, ["一", "1"], "加强基础研究", ["市科委"], [], ["各区政府"]),
                   _task(2, ["一", "2"], "推进成果转化", ["市经济信息化委"]),
                   _task(3, ["一", "3"], "加快示范应用", ["市科委"])],
         "agencies": [_agency("市科学技术委员会", [1, 3]), _agency("市经济和信息化委员会", [2])]}
    b = {"document": {}, "indicators": [], "programmes": [], "issues": [],
         "tasks": [_task(1, ["一", "1"], "加强基础研究", ["市科委"], ["市财政局"], ["各区政府"]),
                   _task(2, ["二", "1"], "推进成果转化", ["市经济信息化委"], raw="（牵头部门：市经济信息化委）"),
                   _task(3, ["二", "2"], "优化审批流程", ["市经济信息化委"])],
         "agencies": [_agency("市科学技术委员会", [1]), _agency("市经济和信息化委员会", [2, 3]), _agency("市财政局", [], [1])]}
    return a, b


def test_tasks_added_removed_and_changed():
    a, b = task_plans()
    tasks = [d for d in compare(a, b) if d.section == "tasks"]
    got = {(d.change, d.subject, d.field, json.dumps(d.a, ensure_ascii=False), json.dumps(d.b, ensure_ascii=False)) for d in tasks}
    assert ("gained", "task 一/1 加强基础研究", "participant", "null", '"市财政局"') in got
    assert ("changed", "task 二/1 推进成果转化", "path", '["一", "2"]', '["二", "1"]') in got
    assert ("changed", "task 二/1 推进成果转化", "statement", '"（责任单位：市科委）"', '"（牵头部门：市经济信息化委）"') in got
    assert {(d.change, d.subject) for d in tasks if d.change in ("added", "removed")} == {("removed", "task 一/3 加快示范应用"), ("added", "task 二/2 优化审批流程")}
    assert len(tasks) == 5


def test_a_role_changed_within_a_task():
    a, b = task_plans()
    b["tasks"][0] = _task(1, ["一", "1"], "加强基础研究", [], ["市科委"], ["各区政府"])
    tasks = [d.text() for d in compare(a, b) if d.section == "tasks" and "一/1" in d.subject]
    assert tasks == ["~ task 一/1 加强基础研究: role of 市科委 lead → participant"]


def test_assignments_gained_and_lost():
    a, b = task_plans()
    found = {(d.change, d.subject, d.field, d.a or d.b) for d in compare(a, b) if d.section == "assignments"}
    assert found == {
        ("lost", "市科学技术委员会", "lead", "task 一/3 加快示范应用"),
        ("lost", "市经济和信息化委员会", "lead", "task 一/2 推进成果转化"),
        ("gained", "市经济和信息化委员会", "lead", "task 二/1 推进成果转化"),
        ("gained", "市经济和信息化委员会", "lead", "task 二/2 优化审批流程"),
        ("gained", "市财政局", "participant", "task 一/1 加强基础研究"),
    }


def test_task_differences_in_text_and_json():
    a, b = task_plans()
    differences = compare(a, b)
    text = render_text(differences, "a", "b")
    assert "tasks (5)" in text and "assignments (5)" in text
    assert "+ 市财政局: participant gained task 一/1 加强基础研究" in text
    doc = json.loads(render_json(differences, "a", "b"))
    assert doc["counts"]["tasks"] == 5 and doc["counts"]["assignments"] == 5
    added = next(d for d in doc["differences"] if d["section"] == "tasks" and d["change"] == "added")
    assert added["key"] == {"path": ["二", "2"], "heading": "优化审批流程", "index": 3}
    assert compare(a, a) == [] and compare(b, b) == []
