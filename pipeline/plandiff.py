"""planrecover diff: compare two plan.json files field by field.

Two runs, two OCR engines, two versions of a plan: what differs in the content —
the document's identity, indicators (added, removed, values changed), programme
boxes (added, removed, renumbered, retitled, items, agencies gained or lost per box),
tasks (added, removed, statement or roles changed), assignments (each agency × task ×
role gained or lost), the agencies named and the open issues. Provenance (file names, checksums, source
line numbers, scan regions, generator version, the change counts) is not compared:
two runs on different inputs would always differ there.

Indicators are matched by name, then by sequence number; boxes by title, then by
number — so a renumbered box is one box renumbered, not one removed and one added.
Tasks are matched by path and heading, then by heading, then by path.
"""

from __future__ import annotations

import json
import dataclasses
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import BadPlanFile, InputNotFound, InputUnreadable

DOCUMENT_FIELDS = ("title", "issuer", "doc_number", "date", "plan_year")
SECTIONS = ("document", "indicators", "boxes", "tasks", "assignments", "agencies", "issues")


@dataclass(frozen=True)
class Difference:
    section: str  # one of SECTIONS
    change: str  # added | removed | changed | renumbered | retitled | gained | lost
    subject: str  # what it is about: "indicator 5 专利密集型产业增加值占 GDP 比重", "box 6 …"
    field: str | None = None  # the field that changed, or the role an agency was gained or lost in
    a: Any = None
    b: Any = None
    key: dict = dataclasses.field(default_factory=dict)  # identifiers for tools: seq, name, number, title …

    def text(self) -> str:
        sign = {"added": "+", "gained": "+", "removed": "-", "lost": "-"}.get(self.change, "~")
        if self.change in ("added", "removed"):
            detail = f": {_show(self.b if self.change == 'added' else self.a)}" if (self.a or self.b) else ""
            return f"{sign} {self.subject} {self.change}{detail}"
        if self.change in ("gained", "lost"):
            return f"{sign} {self.subject}: {self.field} {self.change} {_show(self.b if self.change == 'gained' else self.a)}"
        if self.change in ("renumbered", "retitled"):
            return f"{sign} {self.subject}: {self.change} {_show(self.a)} → {_show(self.b)}"
        if isinstance(self.a, str) and isinstance(self.b, str) and max(len(self.a), len(self.b)) > 60:
            a, b = _excerpts(self.a, self.b)
            return f"{sign} {self.subject}: {self.field} {a} → {b}"
        return f"{sign} {self.subject}: {self.field} {_show(self.a)} → {_show(self.b)}"

    def to_dict(self) -> dict:
        return {"section": self.section, "change": self.change, "subject": self.subject, "field": self.field, "a": self.a, "b": self.b, "key": self.key}


def _show(value) -> str:
    if value is None:
        return "—"
    if isinstance(value, str):
        text = value.replace("\n", "⏎")
        return text if len(text) <= 60 else text[:57] + "…"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_show(v) for v in value) + "]"
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def _excerpts(a: str, b: str, context: int = 12, most: int = 40) -> tuple[str, str]:
    """Where two long texts differ: the differing stretch of each, with a little context."""
    start = 0
    while start < min(len(a), len(b)) and a[start] == b[start]:
        start += 1
    end = 0
    while end < min(len(a), len(b)) - start and a[-1 - end] == b[-1 - end]:
        end += 1
    def cut(text: str) -> str:
        lo, hi = max(0, start - context), min(len(text), len(text) - end + context)
        middle = text[lo:hi]
        if len(middle) > most + context:
            middle = middle[: most + context] + "…"
        return ("…" if lo > 0 else "") + middle.replace("\n", "⏎") + ("…" if hi < len(text) and not middle.endswith("…") else "")
    return cut(a), cut(b)


# --- loading --------------------------------------------------------------------------


def load_plan(path: str | Path) -> dict:
    """A plan.json, checked against the schema; one-line errors for anything else."""
    from .schema import plan_schema

    path = Path(path)
    if not path.exists():
        raise InputNotFound(f"{path}: no such file")
    if not path.is_file():
        raise InputUnreadable(f"{path}: not a file")
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise BadPlanFile(f"{path}: not a plan.json (not UTF-8 text)") from None
    except OSError as exc:
        raise InputUnreadable(f"{path}: cannot read ({exc.strerror})") from None
    try:
        plan = json.loads(text)
    except json.JSONDecodeError as exc:
        raise BadPlanFile(f"{path}: not a plan.json (not JSON: {exc.msg} at line {exc.lineno}, column {exc.colno})") from None
    if not isinstance(plan, dict):
        raise BadPlanFile(f"{path}: not a plan.json (a JSON {type(plan).__name__}, not an object)")
    import jsonschema

    error = jsonschema.exceptions.best_match(jsonschema.Draft202012Validator(plan_schema()).iter_errors(plan))
    if error is not None:
        where = "/".join(str(p) for p in error.absolute_path) or "top level"
        message = error.message.splitlines()[0] if error.message else "invalid"
        if len(message) > 120:
            message = message[:117] + "…"
        raise BadPlanFile(f"{path}: not a valid plan.json ({where}: {message})")
    return plan


# --- comparing ------------------------------------------------------------------------


def compare(a: dict, b: dict) -> list[Difference]:
    """The differences between two plans, section by section, in a stable order."""
    return _document(a, b) + _indicators(a, b) + _boxes(a, b) + _tasks(a, b) + _assignments(a, b) + _agencies(a, b) + _issues(a, b)


def _document(a: dict, b: dict) -> list[Difference]:
    da, db = a.get("document", {}), b.get("document", {})
    return [
        Difference("document", "changed", "document", f, da.get(f), db.get(f))
        for f in DOCUMENT_FIELDS
        if da.get(f) != db.get(f)
    ]


def _norm(name: str) -> str:
    return "".join(str(name).split())


def _pair(left: list[dict], right: list[dict], keys) -> tuple[list[tuple[dict, dict, str]], list[dict], list[dict]]:
    """Pair items by each key function in turn (unique values only); the rest is unpaired."""
    pairs: list[tuple[dict, dict, str]] = []
    rest_a, rest_b = list(left), list(right)
    for label, key in keys:
        index_b: dict = {}
        for item in rest_b:
            index_b.setdefault(key(item), []).append(item)
        counts_a: dict = {}
        for item in rest_a:
            counts_a[key(item)] = counts_a.get(key(item), 0) + 1
        still_a = []
        for item in rest_a:
            k = key(item)
            if k is not None and counts_a[k] == 1 and len(index_b.get(k, [])) == 1:
                other = index_b[k][0]
                pairs.append((item, other, label))
                rest_b.remove(other)
            else:
                still_a.append(item)
        rest_a = still_a
    return pairs, rest_a, rest_b


def _indicator_subject(r: dict) -> str:
    return f"indicator {r.get('seq') if r.get('seq') is not None else '?'} {r.get('name', '')}"


def _indicator_fields(r: dict) -> dict:
    out = {"seq": r.get("seq"), "unit": r.get("unit"), "attribute": r.get("attribute")}
    for cell in ("baseline", "target"):
        c = r.get(cell) or {}
        out[f"{cell}"] = c.get("value")
        out[f"{cell} year"] = c.get("year")
    inc = r.get("increase") or {}
    out["increase"] = inc.get("value")
    out["increase kind"] = inc.get("kind")
    out["footnotes"] = [f"{f.get('marker')}:{f.get('attached_to')}" for f in r.get("footnotes", [])]
    out["check"] = [c.get("ok") for c in r.get("checks", [])]
    return out


def _indicator_summary(r: dict) -> str:
    f = _indicator_fields(r)
    unit = f" ({f['unit']})" if f["unit"] else ""
    return f"baseline {_show(f['baseline'])}, target {_show(f['target'])}, increase {_show(f['increase'])}{unit}"


def _indicators(a: dict, b: dict) -> list[Difference]:
    pairs, gone, new = _pair(
        a.get("indicators", []),
        b.get("indicators", []),
        [("name", lambda r: _norm(r.get("name", "")) or None), ("seq", lambda r: r.get("seq"))],
    )
    out = []
    for ra, rb, how in sorted(pairs, key=lambda p: (p[1].get("seq") is None, p[1].get("seq") or 0)):
        subject = _indicator_subject(rb)
        key = {"seq": rb.get("seq"), "name": rb.get("name")}
        if how == "seq":
            out.append(Difference("indicators", "changed", subject, "name", ra.get("name"), rb.get("name"), key))
        fa, fb = _indicator_fields(ra), _indicator_fields(rb)
        out += [Difference("indicators", "changed", subject, f, fa[f], fb[f], key) for f in fa if fa[f] != fb[f]]
    out += [Difference("indicators", "removed", _indicator_subject(r), None, _indicator_summary(r), None, {"seq": r.get("seq"), "name": r.get("name")}) for r in gone]
    out += [Difference("indicators", "added", _indicator_subject(r), None, None, _indicator_summary(r), {"seq": r.get("seq"), "name": r.get("name")}) for r in new]
    return out


def _box_subject(box: dict) -> str:
    number = box.get("number")
    return f"box {number if number is not None else '?'} {box.get('title', '')}"


def _roles(box: dict) -> dict[str, str]:
    roles = {name: "participant" for name in box.get("participants", [])}
    roles.update({name: "lead" for name in box.get("lead", [])})
    return roles


def _boxes(a: dict, b: dict) -> list[Difference]:
    pairs, gone, new = _pair(
        a.get("programmes", []),
        b.get("programmes", []),
        [("title", lambda x: _norm(x.get("title", "")) or None), ("number", lambda x: x.get("number"))],
    )
    out = []
    for ba, bb, how in sorted(pairs, key=lambda p: (p[1].get("number") is None, p[1].get("number") or 0)):
        subject = _box_subject(bb)
        key = {"number": bb.get("number"), "title": bb.get("title"), "number_a": ba.get("number")}
        d = lambda change, fld, x, y: Difference("boxes", change, subject, fld, x, y, key)
        if ba.get("number") != bb.get("number"):
            out.append(d("renumbered", "number", ba.get("number"), bb.get("number")))
        if ba.get("title") != bb.get("title"):
            out.append(d("retitled", "title", ba.get("title"), bb.get("title")))
        for f in ("printed_number", "number_status"):
            if ba.get(f) != bb.get(f):
                out.append(d("changed", f.replace("_", " "), ba.get(f), bb.get(f)))
        items_a, items_b = ba.get("items", []), bb.get("items", [])
        if len(items_a) != len(items_b):
            out.append(d("changed", "items", len(items_a), len(items_b)))
        for ia, ib in zip(items_a, items_b):
            for f in ("heading", "text"):
                if ia.get(f) != ib.get(f):
                    out.append(d("changed", f"item {ib.get('index')} {f}", ia.get(f), ib.get(f)))
        ra, rb = _roles(ba), _roles(bb)
        for name in [n for n in ra if n not in rb]:
            out.append(d("lost", ra[name], name, None))
        for name in [n for n in rb if n not in ra]:
            out.append(d("gained", rb[name], None, name))
        for name in [n for n in rb if n in ra and ra[n] != rb[n]]:
            out.append(d("changed", f"role of {name}", ra[name], rb[name]))
        ua = [u.get("printed") for u in ba.get("unresolved_agencies", [])]
        ub = [u.get("printed") for u in bb.get("unresolved_agencies", [])]
        out += [d("lost", "unresolved name", u, None) for u in ua if u not in ub]
        out += [d("gained", "unresolved name", None, u) for u in ub if u not in ua]
    summary = lambda x: f"{len(x.get('items', []))} items, lead {_show(x.get('lead', []))}, participants {_show(x.get('participants', []))}"
    out += [Difference("boxes", "removed", _box_subject(x), None, summary(x), None, {"number": x.get("number"), "title": x.get("title")}) for x in gone]
    out += [Difference("boxes", "added", _box_subject(x), None, None, summary(x), {"number": x.get("number"), "title": x.get("title")}) for x in new]
    return out


def _task_label(task: dict) -> str:
    return "/".join(task.get("path") or []) or "unnumbered"


def _task_subject(task: dict) -> str:
    return f"task {_task_label(task)} {task.get('heading') or ''}".rstrip()


def _task_key(task: dict) -> dict:
    return {"path": task.get("path") or [], "heading": task.get("heading"), "index": task.get("index")}


def _task_roles(task: dict) -> dict[str, str]:
    roles = {name: "group" for name in task.get("groups", [])}
    roles.update({name: "participant" for name in task.get("participants", [])})
    roles.update({name: "lead" for name in task.get("lead", [])})
    return roles


def _task_summary(task: dict) -> str:
    if "lead" not in task:
        return "no statement"
    return f"lead {_show(task.get('lead', []))}, participants {_show(task.get('participants', []))}, groups {_show(task.get('groups', []))}"


def _tasks(a: dict, b: dict) -> list[Difference]:
    """Tasks matched by path and heading; then by heading alone (a task moved or
    renumbered), then by path alone (its heading reworded). Statement, form, text and
    each body's role are compared; the index (reading order) is not."""
    heading = lambda t: _norm(t.get("heading") or "") or None
    pairs, gone, new = _pair(
        a.get("tasks", []),
        b.get("tasks", []),
        [
            ("path+heading", lambda t: (tuple(t.get("path") or []), heading(t))),
            ("heading", heading),
            ("path", lambda t: tuple(t.get("path") or []) or None),
        ],
    )
    out = []
    for ta, tb, how in sorted(pairs, key=lambda p: p[1].get("index") or 0):
        subject, key = _task_subject(tb), _task_key(tb)
        d = lambda change, fld, x, y: Difference("tasks", change, subject, fld, x, y, key)
        for f in ("path", "heading", "raw", "form", "text"):
            if ta.get(f) != tb.get(f):
                out.append(d("changed", "statement" if f == "raw" else f, ta.get(f), tb.get(f)))
        said_a, said_b = (ta.get("statement_from") or {}).get("raw"), (tb.get("statement_from") or {}).get("raw")
        if said_a != said_b:  # the rule stated once it follows (its line is provenance)
            out.append(d("changed", "statement from", said_a, said_b))
        ra, rb = _task_roles(ta), _task_roles(tb)
        out += [d("lost", ra[n], n, None) for n in ra if n not in rb]
        out += [d("gained", rb[n], None, n) for n in rb if n not in ra]
        out += [d("changed", f"role of {n}", ra[n], rb[n]) for n in rb if n in ra and ra[n] != rb[n]]
    out += [Difference("tasks", "removed", _task_subject(t), None, _task_summary(t), None, _task_key(t)) for t in gone]
    out += [Difference("tasks", "added", _task_subject(t), None, None, _task_summary(t), _task_key(t)) for t in new]
    return out


def _assignment_set(plan: dict) -> dict[tuple[str, str, str], dict]:
    """(agency, task, role) for every task an agency leads or joins; the task named by
    its path and heading, not its index, so two plans' tasks compare."""
    tasks = {t.get("index"): t for t in plan.get("tasks", [])}
    found: dict[tuple[str, str, str], dict] = {}
    for agency in plan.get("agencies", []):
        for field_name, role in (("leads_tasks", "lead"), ("participates_tasks", "participant")):
            for index in agency.get(field_name, []):
                task = tasks.get(index, {"index": index, "path": [], "heading": f"#{index}"})
                found[(agency.get("name"), _task_subject(task), role)] = task
    return found


def _assignments(a: dict, b: dict) -> list[Difference]:
    """The agency view compared: each agency × task × role gained or lost."""
    sa, sb = _assignment_set(a), _assignment_set(b)
    out = []
    for (name, task, role), t in sa.items():
        if (name, task, role) not in sb:
            out.append(Difference("assignments", "lost", name, role, task, None, {"agency": name, "role": role, **_task_key(t)}))
    for (name, task, role), t in sb.items():
        if (name, task, role) not in sa:
            out.append(Difference("assignments", "gained", name, role, None, task, {"agency": name, "role": role, **_task_key(t)}))
    return out


def _agencies(a: dict, b: dict) -> list[Difference]:
    na = [x.get("name") for x in a.get("agencies", [])]
    nb = [x.get("name") for x in b.get("agencies", [])]
    return [Difference("agencies", "lost", "plan", "agency", n, None, {"name": n}) for n in na if n not in nb] + [
        Difference("agencies", "gained", "plan", "agency", None, n, {"name": n}) for n in nb if n not in na
    ]


def _issue_subject(i: dict) -> str:
    return f"issue {i.get('kind')}" + (f" (box {i.get('box')})" if i.get("box") is not None else "")


def _issues(a: dict, b: dict) -> list[Difference]:
    """Issues paired by kind and box (and, among several, by detail, data or lines first)."""
    same = lambda *fields: (lambda i: tuple(json.dumps(i.get(f), sort_keys=True, ensure_ascii=False) for f in fields))
    keys = [same("kind", "box", "detail"), same("kind", "box", "data"), same("kind", "box", "source"), same("kind", "box")]
    rest_a, rest_b, pairs = list(a.get("issues", [])), list(b.get("issues", [])), []
    for key in keys:
        still_a = []
        for ia in rest_a:
            match = next((ib for ib in rest_b if key(ib) == key(ia)), None)
            if match is None:
                still_a.append(ia)
            else:
                rest_b.remove(match)
                pairs.append((ia, match))
        rest_a = still_a
    out = []
    for ia, ib in pairs:
        k = {"kind": ib.get("kind"), "box": ib.get("box")}
        for f in ("detail", "data"):
            if ia.get(f) != ib.get(f):
                out.append(Difference("issues", "changed", _issue_subject(ib), f, ia.get(f), ib.get(f), k))
    out += [Difference("issues", "removed", _issue_subject(i), None, i.get("detail"), None, {"kind": i.get("kind"), "box": i.get("box")}) for i in rest_a]
    out += [Difference("issues", "added", _issue_subject(i), None, None, i.get("detail"), {"kind": i.get("kind"), "box": i.get("box")}) for i in rest_b]
    return out


# --- rendering ------------------------------------------------------------------------


def render_text(differences: list[Difference], name_a: str, name_b: str) -> str:
    """For a person at a terminal: differences grouped by section, one per line."""
    if not differences:
        return f"{name_a} and {name_b}: equal ({', '.join(SECTIONS)})\n"
    lines = [f"--- {name_a}", f"+++ {name_b}"]
    for section in SECTIONS:
        found = [d for d in differences if d.section == section]
        if found:
            lines.append(f"{section} ({len(found)})")
            lines += [f"  {d.text()}" for d in found]
    n = len(differences)
    lines.append(f"{n} difference{'s' if n != 1 else ''}")
    return "\n".join(lines) + "\n"


def render_json(differences: list[Difference], name_a: str, name_b: str) -> str:
    """For tools: {"a", "b", "equal", "counts", "differences": [...]}."""
    counts = {s: sum(1 for d in differences if d.section == s) for s in SECTIONS}
    doc = {"a": name_a, "b": name_b, "equal": not differences, "counts": counts, "differences": [d.to_dict() for d in differences]}
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
