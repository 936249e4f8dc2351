"""The corpus database: typed tables built from documents' plan.json and changes.jsonl,
and planrecover query's table, CSV and JSON. The two documents are written here by hand
(a national plan with an indicator row, a box and its statement; a city plan with a task)."""

import json
import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest

from pipeline.corpusdb import TABLES, build_corpus

ROOT = Path(__file__).resolve().parents[1]

NATIONAL = {
    "schema_version": "1.3.0",
    "generator": {"name": "planrecover", "version": "0.1.0"},
    "document": {"source_name": "national.txt", "sha256": "a" * 64, "encoding": "utf-8", "characters": 120, "lines": 14,
                 "title": "“十四五”示范保护规划", "issuer": "国务院", "doc_number": "国发〔2021〕1号", "date": "2021-10-09", "plan_year": 2021},
    "indicators": [{
        "seq": 1, "name": "发明专利拥有量", "name_raw": "发明专利拥有量（件）", "unit": "件",
        "baseline": {"year": 2020, "value": 6.3, "raw": "6.3"}, "target": {"year": 2025, "value": 12, "raw": "12"},
        "increase": {"kind": "累计增加值", "value": 5.7, "raw": "5.7"}, "attribute": "预期性", "footnotes": [{"marker": "①", "attached_to": "name"}],
        "checks": [{"check": "target - baseline = increase", "ok": True, "computed": 5.7, "detail": "12 - 6.3 = 5.7, as printed"}],
        "source": {"start_line": 4, "end_line": 4},
    }],
    "programmes": [{
        "number": 2, "printed_number": "2", "number_status": "as_printed", "title": "地理标志保护工程",
        "items": [{"index": 1, "heading": "加强地理标志保护", "text": "加强地理标志保护。（国家知识产权局牵头，农业农村部等按职责分工负责）", "source": {"start_line": 9, "end_line": 9}}],
        "lead": ["国家知识产权局"], "participants": ["农业农村部"],
        "assignments": [{"item": 1, "raw": "（国家知识产权局牵头，农业农村部等按职责分工负责）", "form": "lead_and_participants",
                         "lead": ["国家知识产权局"], "participants": ["农业农村部"], "truncated": False,
                         "entries": [{"printed": "国家知识产权局", "role": "lead", "name": "国家知识产权局", "status": "registry", "candidates": [], "confidence": 1.0},
                                     {"printed": "农业农村部", "role": "participant", "name": "农业农村部", "status": "registry", "candidates": [], "confidence": 1.0}],
                         "source": {"start_line": 9, "end_line": 9}}],
        "unresolved_agencies": [], "source": {"start_line": 7, "end_line": 9},
    }],
    "agencies": [{"name": "国家知识产权局", "registered": True, "registry_id": "cnipa", "level": "national", "short_forms_seen": ["国家知识产权局"],
                  "leads": [2], "participates": [], "existed_in_plan_year": True}],
    "issues": [{"kind": "footnote_text_lost", "box": None, "detail": "footnote ① is marked but its text is lost", "data": {"marker": "①"}, "source": {"start_line": 4, "end_line": 4}}],
    "summary": {"changes_total": 1, "changes_by_rule": {"drop_residue_lines": 1}, "indicator_rows": 1, "programmes": 1},
}

CHANGES = [{"id": 1, "step": 5, "rule": "drop_residue_lines", "at": [0, 6],
            "source": {"start": 0, "end": 6, "line": 1, "col": 1, "end_line": 2, "end_col": 1},
            "before": "产 创 产\n", "after": "", "reason": "residue of lost text", "confidence": 0.9, "evidence": {}}]

CITY = {
    "schema_version": "1.3.0",
    "generator": {"name": "planrecover", "version": "0.1.0"},
    "document": {"source_name": "city.md", "sha256": "b" * 64, "encoding": "utf-8", "characters": 80, "lines": 6,
                 "title": None, "issuer": None, "doc_number": None, "date": None, "plan_year": None},
    "indicators": [], "programmes": [],
    "tasks": [{"index": 1, "path": ["一", "1"], "heading": "建设算力中心", "text": "1.建设算力中心。（责任单位：市经济信息化委、市发展改革委）",
               "source": {"start_line": 3, "end_line": 3}, "raw": "（责任单位：市经济信息化委、市发展改革委）", "form": "labelled_units",
               "lead": ["市经济信息化委", "市发展改革委"], "participants": [], "groups": [], "truncated": False,
               "entries": [{"printed": "市经济信息化委", "role": "lead", "name": "上海市经济和信息化委员会", "status": "registry", "candidates": [], "confidence": 1.0},
                           {"printed": "市发展改革委", "role": "lead", "name": "上海市发展和改革委员会", "status": "registry", "candidates": [], "confidence": 1.0}]}],
    "agencies": [], "issues": [],
    "summary": {"changes_total": 0, "changes_by_rule": {}, "indicator_rows": 0, "programmes": 0, "tasks": 1},
}


def planrecover(*args):
    return subprocess.run([sys.executable, "-m", "pipeline.cli", *map(str, args)], capture_output=True, text=True, cwd=ROOT,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    out = tmp_path_factory.mktemp("corpus")
    for doc_id, plan, changes in (("n1", NATIONAL, CHANGES), ("c1", CITY, [])):
        folder = out / "docs" / doc_id
        folder.mkdir(parents=True)
        (folder / "plan.json").write_text(json.dumps(plan, ensure_ascii=False), encoding="utf-8")
        (folder / "changes.jsonl").write_text("".join(json.dumps(c, ensure_ascii=False) + "\n" for c in changes), encoding="utf-8")
    lines = [
        {"status": "ok", "path": "/in/national.txt", "doc_id": "n1", "seconds": 2.5, "version": "0.1.0"},
        # the manifest said who issued the city plan, and when: the document itself does not
        {"status": "skipped", "reason": "already done", "path": "/in/city.md", "doc_id": "c1", "issuer": "示范市人民政府", "plan_year": 2023, "title": "示范市行动方案"},
        {"status": "failed", "exit": 5, "reason": "NotText", "message": "bad.txt: contains NUL bytes", "path": "/in/bad.txt", "doc_id": "ff"},
    ]
    build_corpus(out, lines)
    return out


def test_every_table_is_there_keyed_by_document_with_year_and_issuer(corpus):
    con = duckdb.connect(str(corpus / "corpus.duckdb"), read_only=True)
    names = {row[0] for row in con.execute("select table_name from information_schema.tables").fetchall()}
    assert names == set(TABLES)
    for table in TABLES[1:-1]:
        columns = [row[0] for row in con.execute(f"describe {table}").fetchall()]
        assert columns[:3] == ["doc_id", "plan_year", "issuer"], table


def test_columns_are_typed(corpus):
    con = duckdb.connect(str(corpus / "corpus.duckdb"), read_only=True)

    def types(table):
        return {row[0]: row[1] for row in con.execute(f"describe {table}").fetchall()}

    assert {k: types("documents")[k] for k in ("date", "plan_year", "characters")} == {"date": "DATE", "plan_year": "INTEGER", "characters": "INTEGER"}
    assert {k: types("indicators")[k] for k in ("baseline", "target", "checks_ok", "footnotes")} == {
        "baseline": "DOUBLE", "target": "DOUBLE", "checks_ok": "BOOLEAN", "footnotes": "VARCHAR[]"}
    assert types("programmes")["lead"] == "VARCHAR[]" and types("agencies")["leads"] == "INTEGER[]"
    assert types("changes")["confidence"] == "DOUBLE" and types("batch")["exit"] == "INTEGER"


def test_rows_come_from_the_documents(corpus):
    con = duckdb.connect(str(corpus / "corpus.duckdb"), read_only=True)
    assert con.execute("select doc_id, plan_year, issuer, title, date from documents order by doc_id").fetchall() == [
        ("c1", 2023, "示范市人民政府", "示范市行动方案", None),
        ("n1", 2021, "国务院", "“十四五”示范保护规划", __import__("datetime").date(2021, 10, 9)),
    ]
    assert con.execute("select name, unit, baseline, target, increase, attribute, checks_ok, footnotes from indicators").fetchall() == [
        ("发明专利拥有量", "件", 6.3, 12.0, 5.7, "预期性", True, ["①"])]
    assert con.execute("select programme, item, heading from items").fetchall() == [(2, 1, "加强地理标志保护")]
    assert con.execute("select scope, programme, task, role, agency, plan_year, issuer from assignments order by scope, role, agency").fetchall() == [
        ("programme", 2, None, "lead", "国家知识产权局", 2021, "国务院"),
        ("programme", 2, None, "participant", "农业农村部", 2021, "国务院"),
        ("task", None, 1, "lead", "上海市发展和改革委员会", 2023, "示范市人民政府"),
        ("task", None, 1, "lead", "上海市经济和信息化委员会", 2023, "示范市人民政府"),
    ]
    assert con.execute("select task, path, lead, form from tasks").fetchall() == [(1, ["一", "1"], ["市经济信息化委", "市发展改革委"], "labelled_units")]
    assert con.execute("select kind, json_extract_string(data, '$.marker') from issues").fetchall() == [("footnote_text_lost", "①")]
    assert con.execute("select rule, before, line from changes").fetchall() == [("drop_residue_lines", "产 创 产\n", 1)]
    assert con.execute("select status, exit, reason from batch order by path").fetchall() == [
        ("failed", 5, "NotText"), ("skipped", None, "already done"), ("ok", None, None)]


def test_parquet_exports_hold_the_same_rows(corpus):
    table = pq.read_table(corpus / "parquet" / "assignments.parquet")
    assert table.num_rows == 4 and str(table.schema.field("programme").type) == "int32"
    assert sorted(p.stem for p in (corpus / "parquet").iterdir()) == sorted(TABLES)


def test_query_prints_a_table_aligned_for_chinese(corpus):
    done = planrecover("query", corpus, "select agency, role, programme from assignments where scope = 'programme' order by role")
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [
        "agency          role         programme",
        "--------------  -----------  ---------",
        "国家知识产权局  lead                 2",
        "农业农村部      participant          2",
        "(2 rows)",
    ]


def test_query_csv_and_json(corpus):
    done = planrecover("query", corpus, "select doc_id, plan_year, lead from tasks", "--csv")
    assert done.stdout == "doc_id,plan_year,lead\nc1,2023,市经济信息化委、市发展改革委\n"
    done = planrecover("query", corpus, "select doc_id, date, lead from documents join programmes using (doc_id)", "--json")
    assert json.loads(done.stdout) == [{"doc_id": "n1", "date": "2021-10-09", "lead": ["国家知识产权局"]}]


def test_bad_sql_and_a_missing_database_are_one_line_errors(corpus, tmp_path):
    done = planrecover("query", corpus, "select nothing from nowhere")
    assert done.returncode == 2 and done.stderr.startswith("planrecover: query failed: ") and "Traceback" not in done.stderr
    done = planrecover("query", tmp_path, "select 1")
    assert done.returncode == 3 and "corpus.duckdb: no such file" in done.stderr
