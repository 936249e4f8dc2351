"""The real corpus: planrecover on plans as they are published, scored against truth
read by hand (``bench/real/<name>.truth.json``, see bench/real/README.md).

The documents are read from ``../shared/realdocs/`` beside the project (never copied
into it). Each is run as a user runs it, ``planrecover extract FILE --allow-empty``,
whatever its format, and scored on:

- **false repairs**: on a clean document, every change whose text differs before and
  after once white space is set aside; per 100 000 source characters. Target 0.
- **must survive**: the truth's sentences and cells a careless repair would damage
  (units with slashes, table cells, issuer lines, parallel sentences), found in the
  repaired text, white space and character widths aside.
- **loss claimed**: on a clean document, issues that say text was lost, and damage
  kinds found beyond white space. Target none.
- **structure**: indicator rows found (name) and their target and attribute cells;
  boxes found by number with their titles and item counts; task statements (found /
  in the truth).

``BENCH_REAL_PDF=0`` leaves the PDFs out (their images are OCR'd: tens of seconds each).
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import tempfile
import time
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TRUTH_DIR = ROOT / "bench" / "real"
REALDOCS = ROOT.parent / "shared" / "realdocs"

# Change kinds that only move white space: not a repair of text.
WHITESPACE_KINDS = {"split_words", "letter_spacing"}
LOSS_ISSUES = {"body_text_lost", "unplaced_fragment", "footnote_text_lost"}


@dataclass
class DocumentScore:
    name: str
    format: str
    state: str
    exit_code: int
    seconds: float
    characters: int = 0
    changes: int = 0
    false_repairs: list[dict] = field(default_factory=list)
    ocr_changes: int = 0  # changes to characters OCR read (not the document's own text)
    must_survive: tuple[int, int] = (0, 0)
    lost_strings: list[str] = field(default_factory=list)
    loss_claimed: list[str] = field(default_factory=list)
    indicators: dict = field(default_factory=dict)
    boxes: dict = field(default_factory=dict)
    tasks: dict = field(default_factory=dict)

    def to_json(self) -> dict:
        return {
            "format": self.format,
            "state": self.state,
            "exit_code": self.exit_code,
            "seconds": round(self.seconds, 2),
            "characters": self.characters,
            "changes": self.changes,
            "false_repairs": len(self.false_repairs),
            "ocr_reading_changes": self.ocr_changes,
            "false_repair_examples": self.false_repairs[:3],
            "must_survive_kept": self.must_survive[0],
            "must_survive_total": self.must_survive[1],
            "must_survive_lost": self.lost_strings[:5],
            "loss_claimed": self.loss_claimed,
            "indicators": self.indicators,
            "boxes": self.boxes,
            "tasks": self.tasks,
        }


def norm(text: str) -> str:
    """For comparison only: widths folded (（ and (, ％ and %), white space removed."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or ""))


def truth_files() -> list[Path]:
    return sorted(TRUTH_DIR.glob("*.truth.json"))


def run_extract(path: Path, out: Path) -> int:
    from pipeline.cli import main

    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        return main(["extract", str(path), "--out", str(out), "--allow-empty"])


def score_document(truth: dict) -> DocumentScore:
    path = REALDOCS / truth["document"]
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "out"
        started = time.perf_counter()
        code = run_extract(path, out)
        score = DocumentScore(truth["document"], truth["format"], truth["state"], code, time.perf_counter() - started)
        if code != 0:
            return score
        plan = json.loads((out / "plan.json").read_text(encoding="utf-8"))
        changes = [json.loads(line) for line in (out / "changes.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()]
        repaired = (out / "plan.repaired.txt").read_text(encoding="utf-8")
    score.characters = plan["document"]["characters"]
    score.changes = len(changes)
    # A change to a character OCR read (an image of a clean PDF) corrects our reading, not
    # the document's text: counted apart, and judged by the structure it gives (names, items).
    score.ocr_changes = sum(1 for c in changes if c["evidence"].get("read_by") == "ocr")
    if truth["state"] == "clean":
        score.false_repairs = [
            {"rule": c["rule"], "before": c["before"][:40], "after": c["after"][:40], "line": c["source"]["line"]}
            for c in changes
            if norm(c["before"]) != norm(c["after"]) and c["evidence"].get("read_by") != "ocr"
        ]
        score.loss_claimed = sorted({i["kind"] for i in plan["issues"] if i["kind"] in LOSS_ISSUES})
        damage = plan["document"].get("damage", {})
        score.loss_claimed += sorted(k for k, d in damage.items() if d["found"] and k not in WHITESPACE_KINDS)
    text = norm(repaired)
    survived = [s for s in truth["must_survive"] if norm(s) in text]
    score.must_survive = (len(survived), len(truth["must_survive"]))
    score.lost_strings = [s for s in truth["must_survive"] if norm(s) not in text]
    score.indicators = score_indicators(truth["indicators"], plan["indicators"])
    score.boxes = score_boxes(truth["programmes"], plan["programmes"])
    score.tasks = score_tasks(truth.get("tasks", []), plan.get("tasks", []))
    return score


CIRCLED = "".join(chr(c) for c in range(0x2460, 0x2474))  # ① … ⑳: footnote marks, as the truth keeps them where printed


def _marks(text: str) -> list[str]:
    return [c for c in text or "" if c in CIRCLED]


def _same_name(truth_name: str, found: dict) -> bool:
    # plan.json gives a name without its footnote marks (they are its footnotes)
    a = norm("".join(c for c in truth_name if c not in CIRCLED))
    b = norm(found.get("name", ""))
    unit = norm(found.get("unit") or "")
    return bool(b) and (a == b or a == f"{b}({unit})" or (len(b) >= 4 and (a.startswith(b) or b.startswith(a))))


def score_indicators(truth: list[dict], found: list[dict]) -> dict:
    matched, target_ok, attribute_ok = 0, 0, 0
    marks = sum(len(_marks(row["name"])) + len(_marks(row.get("baseline"))) + len(_marks(row.get("target"))) for row in truth)
    marks_ok = 0
    unused = list(found)
    for row in truth:
        hit = next((f for f in unused if _same_name(row["name"], f)), None)
        if hit is None:
            continue
        unused.remove(hit)
        matched += 1
        # a footnote mark counts where the row's footnote names it (as the marker, or as the
        # note a look-alike was resolved to) on the same cell
        notes = [(n.get("note", n["marker"]), n["attached_to"]) for n in hit.get("footnotes", [])]
        for role, cell in (("name", row["name"]), ("baseline", row.get("baseline")), ("target", row.get("target"))):
            marks_ok += sum((mark, role) in notes for mark in _marks(cell))
        target_raw = (hit.get("target") or {}).get("raw") if isinstance(hit.get("target"), dict) else hit.get("target")
        target_ok += norm(target_raw or "") == norm(row["target"] or "")
        attribute_ok += (hit.get("attribute") or None) == row["attribute"]
    return {"truth": len(truth), "found": len(found), "matched": matched, "target_ok": target_ok, "attribute_ok": attribute_ok,
            "footnote_marks": marks, "footnote_marks_ok": marks_ok}


def score_boxes(truth: list[dict], found: list[dict]) -> dict:
    by_number = {p["number"]: p for p in found}
    matched = titles = items = 0
    for box in truth:
        hit = by_number.get(box["number"])
        if hit is None:
            continue
        matched += 1
        titles += norm(hit.get("title", "")) == norm(box["title"])
        items += len(hit.get("items", [])) == len(box["items"])
    return {"truth": len(truth), "found": len(found), "matched": matched, "titles_ok": titles, "item_counts_ok": items}


def score_tasks(truth: list[dict], found: list[dict]) -> dict:
    """Statements matched by their raw text (table rows by heading and bodies). Tasks
    that carry no statement (a numbered paragraph) are not statements found."""
    found = [t for t in found if t.get("raw") or t.get("statement") or t.get("form") == "table"]

    def key(task: dict) -> str:
        # A table row has no statement: its heading and its bodies by role identify it.
        roles = "|".join("、".join(task.get(role, [])) for role in ("lead", "participants", "groups"))
        return norm(task.get("statement") or task.get("raw") or "") or norm(task.get("heading", "") + "|" + roles)

    remaining = list(found)
    matched = lead_ok = 0
    for task in truth:
        hit = next((t for t in remaining if key(t) == key(task)), None)
        if hit is not None:
            remaining.remove(hit)
            matched += 1
            lead_ok += [norm(x) for x in hit.get("lead", [])] == [norm(x) for x in task["lead"]]
    return {"truth": len(truth), "found": len(found), "matched": matched, "f1": _f1(matched, len(found), len(truth)), "lead_ok": lead_ok}


def real_corpus_section() -> tuple[dict, list[str]]:
    if not REALDOCS.is_dir():
        return {"skipped": f"no real documents at {REALDOCS.relative_to(ROOT.parent)}"}, ["real corpus: skipped (../shared/realdocs not found)"]
    with_pdf = os.environ.get("BENCH_REAL_PDF", "1") != "0"
    truths = [json.loads(p.read_text(encoding="utf-8")) for p in truth_files()]
    truths = [t for t in truths if with_pdf or t["format"] != "pdf"]
    scores = [score_document(t) for t in truths]
    figures = summarize(scores)
    return figures, render(scores, figures)


def summarize(scores: list[DocumentScore]) -> dict:
    clean = [s for s in scores if s.state == "clean" and s.exit_code == 0]
    clean_chars = sum(s.characters for s in clean)
    false_repairs = sum(len(s.false_repairs) for s in clean)

    def total(part: str, key: str) -> int:
        return sum(getattr(s, part).get(key, 0) for s in scores)

    return {
        "documents": len(scores),
        "unreadable": [s.name for s in scores if s.exit_code != 0],
        "clean_characters": clean_chars,
        "false_repairs": false_repairs,
        "ocr_reading_changes": sum(s.ocr_changes for s in scores),
        "false_repairs_per_100k": round(false_repairs * 100_000 / clean_chars, 2) if clean_chars else None,
        "loss_claimed_on_clean": {s.name: s.loss_claimed for s in clean if s.loss_claimed},
        "must_survive": [sum(s.must_survive[0] for s in scores), sum(s.must_survive[1] for s in scores)],
        "indicator_rows": [total("indicators", "matched"), total("indicators", "truth")],
        "indicator_targets_ok": total("indicators", "target_ok"),
        "indicator_footnote_marks": [total("indicators", "footnote_marks_ok"), total("indicators", "footnote_marks")],
        "boxes": [total("boxes", "matched"), total("boxes", "truth")],
        "box_titles_ok": total("boxes", "titles_ok"),
        "tasks": [total("tasks", "matched"), total("tasks", "truth"), total("tasks", "found")],
        "task_statement_f1": _f1(total("tasks", "matched"), total("tasks", "found"), total("tasks", "truth")),
        "task_leads_ok": total("tasks", "lead_ok"),
        "per_document": {s.name: s.to_json() for s in scores},
    }


def _f1(matched: int, found: int, truth: int) -> float | None:
    if not found and not truth:
        return None
    precision = matched / found if found else 0.0
    recall = matched / truth if truth else 0.0
    return round(2 * precision * recall / (precision + recall), 3) if precision + recall else 0.0


def render(scores: list[DocumentScore], figures: dict) -> list[str]:
    lines = [
        "REAL CORPUS (../shared/realdocs, truth read by hand in bench/real/)",
        f"  false repairs on clean documents: {figures['false_repairs']} in {figures['clean_characters']} characters"
        f" = {figures['false_repairs_per_100k']} per 100 000 (target 0);"
        f" changes to characters OCR read (image regions, not the document's text): {figures['ocr_reading_changes']}",
        f"  unreadable: {', '.join(figures['unreadable']) or 'none'};"
        f" loss claimed on clean documents: {figures['loss_claimed_on_clean'] or 'none'}",
        "  document                                 form   state    exit  chars  changes false  survive  indicators(rows/tgt/attr)  boxes(no/title/items)  tasks(match/truth/found)  s",
    ]
    for s in scores:
        ind, box, task = s.indicators, s.boxes, s.tasks
        lines.append(
            f"  {s.name[:40]:40} {s.format[:6]:6} {s.state[:7]:7} {s.exit_code:5} {s.characters:6} {s.changes:8} {len(s.false_repairs):5}"
            f"  {s.must_survive[0]:3}/{s.must_survive[1]:<3}"
            f"  {ind.get('matched', 0):3}/{ind.get('truth', 0):<3} {ind.get('target_ok', 0):3} {ind.get('attribute_ok', 0):3}        "
            f"  {box.get('matched', 0):3}/{box.get('truth', 0):<3} {box.get('titles_ok', 0):3} {box.get('item_counts_ok', 0):3}        "
            f"  {task.get('matched', 0):3}/{task.get('truth', 0):<3} {task.get('found', 0):4}            {s.seconds:6.1f}"
        )
    ms, rows, boxes, tasks = figures["must_survive"], figures["indicator_rows"], figures["boxes"], figures["tasks"]
    lines.append(
        f"  all: must survive {ms[0]}/{ms[1]}; indicator rows {rows[0]}/{rows[1]} (targets {figures['indicator_targets_ok']},"
        f" footnote marks {figures['indicator_footnote_marks'][0]}/{figures['indicator_footnote_marks'][1]});"
        f" boxes {boxes[0]}/{boxes[1]} (titles {figures['box_titles_ok']}); task statements {tasks[0]}/{tasks[1]} (found {tasks[2]},"
        f" F1 {figures['task_statement_f1']}, lead right {figures['task_leads_ok']}/{tasks[0]})"
    )
    for s in scores:
        for fr in s.false_repairs[:2]:
            lines.append(f"    false repair in {s.name} line {fr['line']}: {fr['rule']} {fr['before']!r} -> {fr['after']!r}")
        for lost in s.lost_strings[:2]:
            lines.append(f"    lost from {s.name}: {lost[:40]!r}")
    return lines


if __name__ == "__main__":
    figures, lines = real_corpus_section()
    print("\n".join(lines))
