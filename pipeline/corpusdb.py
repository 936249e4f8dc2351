"""The corpus database of a batch: DIR/corpus.duckdb, and the same tables as Parquet.

Every table has ``doc_id`` (the batch's document id), ``plan_year`` and ``issuer``, so
a query can group by document, year or issuer without a join. Rows are built from each
document's plan.json and changes.jsonl by small pure functions; the column types are
fixed here (pyarrow schemas), so an empty corpus has the same typed tables as a full one.

    documents     one row per document done
    indicators    key-indicator table rows (baseline, target, change, attribute, checks)
    programmes    programme boxes (专栏): number, title, leads and participants
    items         the items of each box
    tasks         tasks of a plan put to work (plan.json ``tasks``, where the document has them)
    assignments   one row per agency named in a statement: box, item or task; role; official name
    agencies      per document: each body, its level, the boxes it leads or takes part in
    issues        what could not be recovered
    changes       every change repair made (rule, text before and after, reason)
    batch         the batch's status line per input: ok, failed (exit, reason, message), skipped
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import tempfile
from pathlib import Path

from .errors import InputNotFound, OutputError, PlanRecoverError

DATABASE = "corpus.duckdb"
PARQUET = "parquet"


class BadQuery(PlanRecoverError):
    """SQL the corpus database refuses (a syntax error, an unknown table or column)."""

    exit_code = 2


def _schemas() -> dict:
    import pyarrow as pa

    s, i, f, b, d = pa.string(), pa.int32(), pa.float64(), pa.bool_(), pa.date32()
    strings, ints = pa.list_(pa.string()), pa.list_(pa.int32())
    common = [("doc_id", s), ("plan_year", i), ("issuer", s)]
    lines = [("start_line", i), ("end_line", i)]

    def cell(prefix: str) -> list:
        return [(prefix, f), (f"{prefix}_raw", s), (f"{prefix}_kind", s), (f"{prefix}_low", f), (f"{prefix}_high", f),
                (f"{prefix}_sense", s), (f"{prefix}_limit", f), (f"{prefix}_cumulative", b)]

    tables = {
        "documents": [("doc_id", s), ("plan_year", i), ("issuer", s), ("title", s), ("doc_number", s), ("date", d),
                      ("jurisdiction", s), ("source_name", s), ("path", s), ("sha256", s), ("encoding", s), ("characters", i),
                      ("lines", i), ("scan_pages", i), ("indicators", i), ("programmes", i), ("tasks", i), ("agencies", i),
                      ("issues", i), ("changes", i), ("schema_version", s), ("generator_version", s)],
        "indicators": common + [("table_no", i), ("seq", i), ("category", s), ("name", s), ("unit", s), ("baseline_year", i),
                                *cell("baseline"), ("target_year", i), *cell("target"), ("increase_kind", s), ("increase", f),
                                ("increase_raw", s), ("attribute", s), ("checks_ok", b), ("footnotes", strings), *lines],
        "programmes": common + [("number", i), ("printed_number", s), ("number_status", s), ("title", s), ("items", i),
                                ("lead", strings), ("participants", strings), ("unresolved_agencies", i), *lines],
        "items": common + [("programme", i), ("programme_title", s), ("item", i), ("heading", s), ("text", s), *lines],
        "tasks": common + [("task", i), ("path", strings), ("heading", s), ("text", s), ("form", s), ("lead", strings),
                           ("participants", strings), ("groups", strings), ("statement", s), ("truncated", b), *lines],
        "assignments": common + [("scope", s), ("programme", i), ("item", i), ("task", i), ("statement_no", i), ("form", s),
                                 ("role", s), ("agency", s), ("printed", s), ("status", s), ("candidates", strings),
                                 ("confidence", f), ("truncated", b), ("statement", s), *lines],
        "agencies": common + [("name", s), ("registered", b), ("registry_id", s), ("level", s), ("short_forms_seen", strings),
                              ("leads", ints), ("participates", ints), ("leads_tasks", ints), ("participates_tasks", ints),
                              ("existed_in_plan_year", b)],
        "issues": common + [("kind", s), ("box", i), ("detail", s), ("data", s), *lines],
        "changes": common + [("change", i), ("step", i), ("rule", s), ("before", s), ("after", s), ("reason", s),
                             ("confidence", f), ("source_start", i), ("source_end", i), ("line", i), ("col", i),
                             ("end_line", i), ("end_col", i)],
        "batch": [("path", s), ("doc_id", s), ("status", s), ("reason", s), ("exit", i), ("message", s), ("seconds", f),
                  ("version", s)],
    }
    return {name: pa.schema(columns) for name, columns in tables.items()}


TABLES = ("documents", "indicators", "programmes", "items", "tasks", "assignments", "agencies", "issues", "changes", "batch")


# ---- rows, from one document's outputs ---------------------------------------


def document_rows(doc_id: str, plan: dict, changes: list[dict], line: dict) -> dict[str, list[dict]]:
    """All rows one document gives; ``line`` is its batch status line (a manifest's title and
    issuer fill what the document does not say)."""
    info = plan.get("document", {})
    year = info.get("plan_year") if info.get("plan_year") is not None else line.get("plan_year")
    issuer = info.get("issuer") or line.get("issuer")
    common = {"doc_id": doc_id, "plan_year": year, "issuer": issuer}
    summary = plan.get("summary", {})
    scan_pages = [i.get("pages") or 0 for i in info.get("inputs", []) if i.get("kind") == "scan"]
    document = {
        **common,
        "title": info.get("title") or line.get("title"), "doc_number": info.get("doc_number"), "date": _date(info.get("date")),
        "jurisdiction": info.get("jurisdiction"), "source_name": info.get("source_name"), "path": line.get("path"),
        "sha256": info.get("sha256"), "encoding": info.get("encoding"), "characters": info.get("characters"),
        "lines": info.get("lines"), "scan_pages": sum(scan_pages) if scan_pages else None,
        "indicators": len(plan.get("indicators", [])), "programmes": len(plan.get("programmes", [])),
        "tasks": len(plan.get("tasks", [])), "agencies": len(plan.get("agencies", [])), "issues": len(plan.get("issues", [])),
        "changes": summary.get("changes_total", len(changes)), "schema_version": plan.get("schema_version"),
        "generator_version": plan.get("generator", {}).get("version"),
    }
    return {
        "documents": [document],
        "indicators": [indicator_row(common, r) for r in plan.get("indicators", [])],
        "programmes": [programme_row(common, p) for p in plan.get("programmes", [])],
        "items": [item_row(common, p, it) for p in plan.get("programmes", []) for it in p.get("items", [])],
        "tasks": [task_row(common, t) for t in plan.get("tasks", [])],
        "assignments": assignment_rows(common, plan),
        "agencies": [agency_row(common, a) for a in plan.get("agencies", [])],
        "issues": [issue_row(common, i) for i in plan.get("issues", [])],
        "changes": [change_row(common, c) for c in changes],
    }


def _date(value) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except (TypeError, ValueError):
        return None


def _lines(source) -> dict:
    source = source or {}
    return {"start_line": source.get("start_line"), "end_line": source.get("end_line")}


def _number(value):
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def _cell(prefix: str, cell) -> dict:
    cell = cell or {}
    return {
        prefix: _number(cell.get("value")), f"{prefix}_raw": cell.get("raw"), f"{prefix}_kind": cell.get("value_kind"),
        f"{prefix}_low": _number(cell.get("low")), f"{prefix}_high": _number(cell.get("high")),
        f"{prefix}_sense": cell.get("sense"), f"{prefix}_limit": _number(cell.get("limit")),
        f"{prefix}_cumulative": cell.get("cumulative"),
    }


def indicator_row(common: dict, row: dict) -> dict:
    checks = [c.get("ok") for c in row.get("checks", [])]
    increase = row.get("increase") or {}
    return {
        **common, "table_no": row.get("table"), "seq": row.get("seq"), "category": row.get("category"), "name": row.get("name"),
        "unit": row.get("unit"), "baseline_year": (row.get("baseline") or {}).get("year"), **_cell("baseline", row.get("baseline")),
        "target_year": (row.get("target") or {}).get("year"), **_cell("target", row.get("target")),
        "increase_kind": increase.get("kind"), "increase": _number(increase.get("value")), "increase_raw": increase.get("raw"),
        "attribute": row.get("attribute"),
        # all checks passed: true; one failed: false; none could be made: null
        "checks_ok": False if False in checks else (True if True in checks else None),
        "footnotes": [f.get("note") or f.get("marker") for f in row.get("footnotes", [])]  # the note it refers to, where a look-alike was resolved, **_lines(row.get("source")),
    }


def programme_row(common: dict, box: dict) -> dict:
    return {
        **common, "number": box.get("number"), "printed_number": box.get("printed_number"), "number_status": box.get("number_status"),
        "title": box.get("title"), "items": len(box.get("items", [])), "lead": box.get("lead", []),
        "participants": box.get("participants", []), "unresolved_agencies": len(box.get("unresolved_agencies", [])),
        **_lines(box.get("source")),
    }


def item_row(common: dict, box: dict, item: dict) -> dict:
    return {**common, "programme": box.get("number"), "programme_title": box.get("title"), "item": item.get("index"),
            "heading": item.get("heading"), "text": item.get("text"), **_lines(item.get("source"))}


def task_row(common: dict, task: dict) -> dict:
    return {
        **common, "task": task.get("index"), "path": task.get("path", []), "heading": task.get("heading"), "text": task.get("text"),
        "form": task.get("form"), "lead": task.get("lead", []), "participants": task.get("participants", []),
        "groups": task.get("groups", []), "statement": task.get("raw"), "truncated": task.get("truncated"),
        **_lines(task.get("source")),
    }


def assignment_rows(common: dict, plan: dict) -> list[dict]:
    """One row per agency entry: a box's statements (per item or for the box), then tasks'."""
    rows = []
    for box in plan.get("programmes", []):
        for number, statement in enumerate(box.get("assignments", []), 1):
            where = {"scope": "programme", "programme": box.get("number"), "item": statement.get("item"), "task": None}
            rows += _entry_rows(common, where, number, statement)
    for task in plan.get("tasks", []):
        if task.get("entries"):
            where = {"scope": "task", "programme": None, "item": None, "task": task.get("index")}
            rows += _entry_rows(common, where, 1, task)
    return rows


def _entry_rows(common: dict, where: dict, number: int, statement: dict) -> list[dict]:
    return [
        {
            **common, **where, "statement_no": number, "form": statement.get("form"), "role": entry.get("role"),
            "agency": entry.get("name"), "printed": entry.get("printed"), "status": entry.get("status"),
            "candidates": entry.get("candidates", []), "confidence": _number(entry.get("confidence")),
            "truncated": statement.get("truncated"), "statement": statement.get("raw"), **_lines(statement.get("source")),
        }
        for entry in statement.get("entries", [])
    ]


def agency_row(common: dict, agency: dict) -> dict:
    return {
        **common, "name": agency.get("name"), "registered": agency.get("registered"), "registry_id": agency.get("registry_id"),
        "level": agency.get("level"), "short_forms_seen": agency.get("short_forms_seen", []), "leads": agency.get("leads", []),
        "participates": agency.get("participates", []), "leads_tasks": agency.get("leads_tasks", []),
        "participates_tasks": agency.get("participates_tasks", []), "existed_in_plan_year": agency.get("existed_in_plan_year"),
    }


def issue_row(common: dict, issue: dict) -> dict:
    return {**common, "kind": issue.get("kind"), "box": issue.get("box"), "detail": issue.get("detail"),
            "data": json.dumps(issue.get("data", {}), ensure_ascii=False, sort_keys=True), **_lines(issue.get("source"))}


def change_row(common: dict, change: dict) -> dict:
    source = change.get("source") or {}
    return {
        **common, "change": change.get("id"), "step": change.get("step"), "rule": change.get("rule"),
        "before": change.get("before"), "after": change.get("after"), "reason": change.get("reason"),
        "confidence": _number(change.get("confidence")), "source_start": source.get("start"), "source_end": source.get("end"),
        "line": source.get("line"), "col": source.get("col"), "end_line": source.get("end_line"), "end_col": source.get("end_col"),
    }


def batch_row(line: dict) -> dict:
    return {"path": line.get("path"), "doc_id": line.get("doc_id"), "status": line.get("status"), "reason": line.get("reason"),
            "exit": line.get("exit"), "message": line.get("message"), "seconds": _number(line.get("seconds")),
            "version": line.get("version")}


# ---- building ----------------------------------------------------------------


def corpus_rows(out: Path, status_lines: list[dict]) -> dict[str, list[dict]]:
    """Rows of every document done (ok, or skipped as already done), once per doc-id."""
    tables: dict[str, list[dict]] = {name: [] for name in TABLES}
    seen: set[str] = set()
    for line in status_lines:
        doc_id = line.get("doc_id")
        done = line.get("status") == "ok" or line.get("reason") == "already done"
        folder = out / "docs" / (doc_id or "")
        if not doc_id or not done or doc_id in seen or not (folder / "plan.json").is_file():
            continue
        seen.add(doc_id)
        plan = json.loads((folder / "plan.json").read_text(encoding="utf-8"))
        changes_path = folder / "changes.jsonl"
        changes = [json.loads(c) for c in changes_path.read_text(encoding="utf-8").splitlines() if c.strip()] if changes_path.is_file() else []
        for name, rows in document_rows(doc_id, plan, changes, line).items():
            tables[name] += rows
    tables["batch"] = [batch_row(line) for line in status_lines]
    return tables


def build_corpus(out: str | Path, status_lines: list[dict]) -> Path:
    """Write DIR/corpus.duckdb and DIR/parquet/<table>.parquet; each appears by a rename, so a
    query running meanwhile sees the old corpus or the new one, whole."""
    import duckdb
    import pyarrow as pa
    import pyarrow.parquet as pq

    out = Path(out)
    schemas = _schemas()
    rows = corpus_rows(out, status_lines)
    staging = Path(tempfile.mkdtemp(prefix=".corpus.", dir=out))
    try:
        (staging / PARQUET).mkdir()
        con = duckdb.connect(str(staging / DATABASE))
        try:
            for name in TABLES:
                table = pa.Table.from_pylist(rows[name], schema=schemas[name])
                con.register("incoming", table)
                con.execute(f"CREATE TABLE {name} AS SELECT * FROM incoming")
                con.unregister("incoming")
                pq.write_table(table, staging / PARQUET / f"{name}.parquet")
        finally:
            con.close()
        os.replace(staging / DATABASE, out / DATABASE)
        old = out / f".{PARQUET}.old"
        shutil.rmtree(old, ignore_errors=True)
        if (out / PARQUET).exists():
            os.rename(out / PARQUET, old)
        os.rename(staging / PARQUET, out / PARQUET)
        shutil.rmtree(old, ignore_errors=True)
    except OSError as exc:
        raise OutputError(f"{out}: cannot write the corpus database ({exc.strerror})") from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return out / DATABASE


# ---- querying ----------------------------------------------------------------


def run_query(out: str | Path, sql: str) -> tuple[list[str], list[tuple]]:
    import duckdb

    path = Path(out) / DATABASE
    if not path.is_file():
        raise InputNotFound(f"{path}: no such file (run 'planrecover batch … --out {out}' first)")
    con = duckdb.connect(str(path), read_only=True)
    try:
        cursor = con.execute(sql)
        if cursor.description is None:
            return [], []
        return [c[0] for c in cursor.description], cursor.fetchall()
    except duckdb.Error as exc:
        raise BadQuery(f"query failed: {str(exc).splitlines()[0]}") from None
    finally:
        con.close()


def _plain(value):
    """A value as JSON and CSV carry it: dates as ISO text, lists as lists."""
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if hasattr(value, "as_integer_ratio") and not isinstance(value, (int, float)):  # Decimal
        return float(value)
    return value


def as_json(columns: list[str], rows: list[tuple]) -> str:
    return json.dumps([dict(zip(columns, map(_plain, row))) for row in rows], ensure_ascii=False, indent=1) + "\n"


def as_csv(columns: list[str], rows: list[tuple]) -> str:
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_text(v) for v in row])
    return buffer.getvalue()


def _text(value) -> str:
    if value is None:
        return ""
    value = _plain(value)
    if isinstance(value, list):
        return "、".join(_text(v) for v in value) if all(isinstance(v, str) for v in value) else json.dumps(value, ensure_ascii=False)
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(value)
    return str(value)


def as_table(columns: list[str], rows: list[tuple], max_width: int = 48) -> str:
    """A plain-text table, aligned for Chinese text (a full-width character takes two columns)."""
    cells = [[_clip(_text(v).replace("\n", " "), max_width) for v in row] for row in rows]
    widths = [max([_width(c)] + [_width(r[k]) for r in cells]) for k, c in enumerate(columns)]
    numeric = [all(isinstance(row[k], (int, float)) or row[k] is None for row in rows) and rows for k in range(len(columns))]

    def line(values: list[str]) -> str:
        return "  ".join(_pad(v, w, bool(num)) for v, w, num in zip(values, widths, numeric)).rstrip()

    out = [line(columns), "  ".join("-" * w for w in widths)]
    out += [line(r) for r in cells]
    out.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(out) + "\n"


def _width(text: str) -> int:
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _clip(text: str, limit: int) -> str:
    if _width(text) <= limit:
        return text
    kept = ""
    for c in text:
        if _width(kept + c) > limit - 1:
            break
        kept += c
    return kept + "…"


def _pad(text: str, width: int, right: bool) -> str:
    gap = " " * (width - _width(text))
    return gap + text if right else text + gap
