"""``python -m bench`` (``make bench``): measure recovery on generated documents with known
truth, on the corpus document and on the stand-in scan; print one table; write
bench/results.json; compare with bench/baseline.json.

The table opens with the real-corpus section of ``bench.real.real_corpus_section()``
(figures on real plan documents; skipped while that module does not exist), then the
damage model on those documents' clean texts (``bench.realdamage.real_damage_section()``,
results["real_damaged"]: default and held-out profiles, fixed seeds). The
generated documents are scored clean (every change of non-white-space text is a false
repair: the generator prints sound text that looks like damage, see bench.generate),
under the calibrated damage profiles (``default``, ``heavy``: damage in the shapes the
corpus shows) and under the held-out split (``heldout``: the same kinds made
independently of the rules, see bench.damage); per damage kind, the held-out column
stands beside the default one.

    BENCH_N=200            documents per profile (fixed seeds 1000, 1001, ...)
    BENCH_PROFILES=default,heldout,heavy
    BENCH_OCR=1            the stand-in scan (clean, scan, heavy) with RapidOCR; 'all'
                           adds Tesseract (make bench's default); 0 skips
    BENCH_OCR_LEVELS=scan  limit the OCR levels (comma-separated)
    BENCH_JOBS=2           worker processes for the generated documents

Quality figures on fixed seeds are deterministic: any change is a real change. Speed
figures are measured per document inside one worker process (one core each) and vary
from run to run; the comparison allows for that.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import resource
import subprocess
import sys
import time
import tracemalloc
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from importlib import metadata
from pathlib import Path

from .damage import KINDS, LOSSY, PROFILES, damage_plan
from .generate import generate_plan
from .metrics import (
    ErrorMap,
    add_counts,
    agency_causes,
    cer,
    f1,
    false_repairs,
    lossy_reported,
    rate,
    recoverable_truth,
    score_structure,
    score_text,
)

ROOT = Path(__file__).resolve().parents[1]
RESULTS = Path(__file__).with_name("results.json")
BASELINE = Path(__file__).with_name("baseline.json")
CORPUS_DOC = ROOT / "corpus" / "ip-protection-plan-2021-2025.garbled-extract.txt"
GOLDEN_TEXT = ROOT / "golden" / "plan.repaired.txt"
GOLDEN_PLAN = ROOT / "golden" / "plan.json"
FIRST_SEED = 1000
SCALE_SEED = 7
SCALE_BOXES, SCALE_REPEAT = 20, 3  # about 20 000 characters once damaged: plan-sized
SCALES = (1, 4, 16)
RESULTS_VERSION = 1
PROFILE_COLUMNS = ("default", "heldout", "heavy")  # the held-out split beside the default

# The rules that repair each damage kind: their changes on clean text are false repairs.
KIND_RULES = {
    "residue": ("drop_residue_lines",),
    "body_dropped": ("drop_residue_lines",),
    "residue_in_box": ("drop_residue_lines",),
    "sidebar": ("set_aside_sidebar_fragments",),
    "repeat": ("drop_repeated_sentences",),
    "near_dup": ("drop_repeated_sentences",),
    "split_word": ("join_split_words",),
    "line_wrap": ("join_split_words",),
    "stray_mark": ("drop_stray_marks",),
    "box_number_skipped": ("renumber_boxes",),
    "box_number_duplicated": ("renumber_boxes",),
    "box_number_split": ("renumber_boxes",),
    "box_number_missing": ("renumber_boxes",),
    "box_number_doubled_digit": ("renumber_boxes",),
    "box_number_dropped_digit": ("renumber_boxes",),
    "box_number_transposed": ("renumber_boxes",),
    "box_number_lookalike": ("renumber_boxes",),
    "agency_repeat": ("drop_repeated_agencies",),
    "agency_truncated": (),
    "agency_dropped": (),
    "table_shift": ("fix_shifted_attribute_cell",),
    "letter_spacing": ("join_letter_spaced", "join_split_words"),
    "kangxi": ("normalize_radicals",),
    "fake_bold": ("undo_fake_bold",),
    "layout_whitespace": ("blank_whitespace_only_lines", "strip_line_indent", "strip_trailing_whitespace", "normalize_blank_lines"),
}


# ---------------------------------------------------------------- one document


def _info(name: str):
    from extract.plan import DocumentInfo

    return DocumentInfo(source_name=name, sha256="0" * 64, encoding="utf-8")


def _recover_timed(text: str, name: str) -> tuple[object, dict, dict]:
    """repair -> extract -> validate, as pipeline.run.recover does without a scan, timed."""
    from extract.plan import extract_plan
    from pipeline.schema import validate_plan
    from repair.rules import repair_text

    t0 = time.perf_counter()
    result = repair_text(text)
    t1 = time.perf_counter()
    plan = extract_plan(result, _info(name))
    t2 = time.perf_counter()
    validate_plan(plan)
    t3 = time.perf_counter()
    return result, plan, {"repair": t1 - t0, "extract": t2 - t1, "validate": t3 - t2}


def _warm_up() -> None:
    _recover_timed("专栏1 甲工程\n\n完善机制。（国家知识产权局负责）\n", "warm-up.txt")


def evaluate_document(seed: int, profile_name: str) -> dict:
    """Counts for one generated document damaged under one profile."""
    plan = generate_plan(seed)
    damaged = damage_plan(plan, PROFILES[profile_name])
    result, recovered, seconds = _recover_timed(damaged.text, f"bench-{profile_name}-{seed}.txt")
    text = score_text(damaged, result.text, result.origin, result.changes)
    structure = score_structure(recovered, plan.truth(), recoverable_truth(damaged), agency_causes(damaged))
    structure.update(_box_number_collateral(damaged, recovered))
    _judge_box_numbers_by_structure(text["per_kind"], damaged, recovered)
    return {
        "seed": seed,
        "text": text,
        "structure": structure,
        "lossy": dict(lossy_reported(damaged, recovered)),
        "changes_by_rule": dict(Counter(c.rule for c in result.changes)),
        "seconds": seconds,
        "chars": len(damaged.text),
        "examples": missed_examples(damaged, result),
    }


def evaluate_clean(seed: int) -> dict:
    """The clean truth through the pipeline: every change of non-white-space text is a
    false repair (counted per rule and per kind of sound text it hit)."""
    plan = generate_plan(seed)
    result, recovered, seconds = _recover_timed(plan.text, f"bench-clean-{seed}.txt")
    structure = score_structure(recovered, plan.truth())
    changes = Counter(c.rule for c in result.changes)
    distance = ErrorMap(result.text, plan.text).distance
    text = {
        "truth_chars": len(plan.text),
        "repaired_distance": distance,
        "wrongly_deleted": _deleted_on_clean(plan.text, result.origin),
        "errors_by_kind": {"none": distance},  # no damage: every error is the pipeline's own
    }
    return {
        "seed": seed,
        "text": text,
        "structure": structure,
        "false_repairs": false_repairs(plan.text, result.text, result.changes, plan.negatives),
        "changes_by_rule": dict(changes),
        "seconds": seconds,
        "chars": len(plan.text),
        "examples": _clean_examples(seed, plan, result.changes),
    }


def _deleted_on_clean(truth: str, origin) -> int:
    """Non-white-space characters of a clean text the repaired text no longer holds."""
    kept = {o for o in origin if o >= 0}
    return sum(1 for i, c in enumerate(truth) if i not in kept and not c.isspace())


def _clean_examples(seed: int, plan, changes, limit: int = 2) -> list[dict]:
    """The first false repairs of a clean document, with the sound text around them."""
    from .metrics import changes_visible_text

    out = []
    for c in [c for c in changes if changes_visible_text(c)][:limit]:
        start, end = c.source.start, c.source.end
        out.append({"seed": seed, "rule": c.rule, "before": c.before[:80], "after": c.after[:80], "truth": plan.text[max(0, start - 20):end + 20], "reason": c.reason})
    return out


def _box_number_collateral(damaged, recovered: dict) -> dict:
    """Wrong box numbers on boxes whose own printed number was not damaged."""
    from .metrics import align_boxes

    damaged_boxes = set()
    for record in damaged.records:
        if record.kind.startswith("box_number"):
            for j, box in enumerate(damaged.plan.boxes):
                if box.start <= record.region[0] < box.end:
                    damaged_boxes.add(j)
    truth = damaged.plan.truth()["programmes"]
    wrong = 0
    for i, j in align_boxes(recovered["programmes"], truth):
        if i is not None and j is not None and j not in damaged_boxes and recovered["programmes"][i]["number"] != truth[j]["number"]:
            wrong += 1
    return {"box_numbers_wrong_undamaged": wrong}


def _judge_box_numbers_by_structure(per_kind: dict, damaged, recovered: dict) -> None:
    """A damaged box number is repaired when plan.json gives the box its true number (the
    text may still differ in spacing: renumber_boxes writes the number right after 专栏)."""
    from .metrics import align_boxes

    truth = damaged.plan.truth()["programmes"]
    number_of = {j: recovered["programmes"][i]["number"] for i, j in align_boxes(recovered["programmes"], truth) if i is not None and j is not None}
    for kind in [k for k in per_kind if k.startswith("box_number")]:
        counts = {"instances": 0, "repaired": 0, "missed": 0}
        for record in damaged.records:
            if record.kind == kind:
                j = record.detail["number"] - 1
                counts["instances"] += 1
                counts["repaired" if number_of.get(j) == record.detail["number"] else "missed"] += 1
        per_kind[kind] = counts


def missed_examples(damaged, result, per_kind: int = 1) -> list[dict]:
    """The first missed damage of each kind: truth, damaged and repaired text around it."""
    errors = ErrorMap(result.text, damaged.truth_text, ignore=_lost_mask(damaged))
    origin = result.origin
    out, seen = [], Counter()
    for record in damaged.records:
        if record.kind in LOSSY or seen[record.kind] >= per_kind:
            continue
        start, end = record.region
        if not errors.errors_in(start, end):
            continue
        seen[record.kind] += 1
        at = next((i for i, s in enumerate(damaged.source) if s == record.id), None)
        if at is None:
            at = next((i for i, a in enumerate(damaged.align) if start <= a < max(end, start + 1)), 0)
        out_at = next((k for k, o in enumerate(origin) if o >= at), len(result.text))
        out.append(
            {
                "seed": damaged.seed,
                "kind": record.kind,
                "detail": {k: v for k, v in record.detail.items() if isinstance(v, (str, int, list, tuple))},
                "truth": damaged.truth_text[max(0, start - 25):end + 25],
                "damaged": damaged.text[max(0, at - 25):at + 35],
                "repaired": result.text[max(0, out_at - 25):out_at + 35],
            }
        )
    return out


def _lost_mask(damaged) -> bytearray:
    mask = bytearray(len(damaged.truth_text) + 1)
    for start, end in damaged.lost_spans():
        mask[start:end] = b"\x01" * (end - start)
    return mask


# ---------------------------------------------------------------- many documents


def _worker_init() -> None:
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    _warm_up()


def _job(args: tuple[int, str]) -> dict:
    seed, profile = args
    return evaluate_clean(seed) if profile == "clean" else evaluate_document(seed, profile)


def run_documents(n: int, profiles: list[str], jobs: int) -> dict[str, list[dict]]:
    tasks = [(FIRST_SEED + i, p) for p in ["clean"] + profiles for i in range(n)]
    results: dict[str, list[dict]] = {p: [] for p in ["clean"] + profiles}
    if jobs <= 1:
        _worker_init()
        outputs = map(_job, tasks)
        for (seed, profile), out in zip(tasks, outputs):
            results[profile].append(out)
        return results
    with ProcessPoolExecutor(max_workers=jobs, initializer=_worker_init) as pool:
        for (seed, profile), out in zip(tasks, pool.map(_job, tasks, chunksize=4)):
            results[profile].append(out)
    return results


def summarize(docs: list[dict], clean: list[dict] | None = None) -> dict:
    """Figures (rates) from the summed counts of one profile's documents."""
    text: dict = {}
    structure: dict = {}
    lossy: dict = {}
    seconds: dict = {}
    changes: dict = {}
    chars = 0
    examples = []
    for doc in docs:
        add_counts(text, doc["text"])
        add_counts(structure, doc["structure"])
        add_counts(lossy, doc.get("lossy", {}))
        add_counts(seconds, doc["seconds"])
        add_counts(changes, doc["changes_by_rule"])
        chars += doc["chars"]
        examples += doc.get("examples", [])
    truth = text.get("truth_chars", 0)
    lost = text.get("lost_chars", 0)
    s = structure
    out = {
        "documents": len(docs),
        "characters": chars,
        "truth_characters": truth,
        "text": {
            "cer_damaged": rate(text.get("damaged_distance", 0), truth) if "damaged_distance" in text else None,
            "cer_repaired": rate(text.get("repaired_distance", 0), truth),
            "cer_repaired_recoverable": rate(text.get("repaired_distance_recoverable", text.get("repaired_distance", 0)), truth - lost),
            "lost_to_damage": rate(lost, truth),
            "wrongly_deleted": rate(text.get("wrongly_deleted", 0), truth),
            "residue_kept": rate(text.get("residue_kept", 0), truth),
            "damage_kept": rate(text.get("damage_kept", 0), truth),
            "errors_outside_damage": rate(text.get("errors_by_kind", {}).get("none", 0), truth),
        },
        "structure": _structure_figures(s),
        "changes_by_rule": changes,
    }
    if "per_kind" in text:
        per_kind = {}
        for kind in KINDS:
            counts = text["per_kind"].get(kind)
            if not counts:
                continue
            n = counts.get("instances", 0)
            entry = {"instances": n}
            if kind in LOSSY:
                reported = lossy.get(f"{kind}:reported", 0)
                entry["reported"] = rate(reported, lossy.get(f"{kind}:instances", 0))
            else:
                entry["repaired"] = rate(counts.get("repaired", 0), n)
                entry["missed"] = rate(counts.get("missed", 0), n)
            entry["cer_share"] = rate(text.get("errors_by_kind", {}).get(kind, 0), truth)
            per_kind[kind] = entry
        out["per_kind"] = per_kind
        out["errors_by_kind"] = dict(sorted(text.get("errors_by_kind", {}).items(), key=lambda kv: -kv[1]))
        out["wrongly_deleted_by_rule"] = text.get("wrongly_deleted_by_rule", {})
    # Measured in the worker processes, two at a time: see run_speed for the one-core figures.
    out["worker_speed"] = {
        "repair_chars_per_s": rate(chars, seconds.get("repair", 0)),
        "extract_chars_per_s": rate(chars, seconds.get("extract", 0)),
        "documents_per_s": rate(len(docs), sum(seconds.values())),
        "seconds": seconds,
    }
    out["examples"] = examples[:40]
    return out


def summarize_false_repairs(docs: list[dict]) -> dict:
    """False repairs on the clean documents, per 100 000 characters of clean text, by rule
    and by the kind of sound text (generate.Negative) they changed."""
    counts: dict = {}
    for doc in docs:
        add_counts(counts, doc["false_repairs"])
    chars = counts.get("chars", 0)

    def per_100k(n: int):
        return rate(n * 100_000, chars)

    return {
        "documents": len(docs),
        "characters": chars,
        "count": counts.get("false_repairs", 0),
        "documents_changed": counts.get("documents_changed", 0),
        "per_100k_chars": per_100k(counts.get("false_repairs", 0)),
        "visible_chars_changed_per_100k": per_100k(counts.get("visible_distance", 0)),
        "by_rule": dict(sorted(counts.get("by_rule", {}).items(), key=lambda kv: -kv[1])),
        "by_negative": dict(sorted(counts.get("by_negative", {}).items(), key=lambda kv: -kv[1])),
        "negatives": {
            kind: {"instances": c.get("instances", 0), "changed": rate(c.get("changed", 0), c.get("instances", 0))}
            for kind, c in sorted(counts.get("negatives", {}).items())
        },
    }


def _structure_figures(s: dict) -> dict:
    p, r, f = f1(s.get("recoverable_agency_tp", s.get("agency_tp", 0)), s.get("recoverable_agency_fp", s.get("agency_fp", 0)), s.get("recoverable_agency_fn", s.get("agency_fn", 0)))
    _, _, f_all = f1(s.get("agency_tp", 0), s.get("agency_fp", 0), s.get("agency_fn", 0))
    _, _, f_names = f1(s.get("recoverable_agency_name_tp", s.get("agency_name_tp", 0)), s.get("recoverable_agency_name_fp", s.get("agency_name_fp", 0)), s.get("recoverable_agency_name_fn", s.get("agency_name_fn", 0)))
    boxes = s.get("boxes", 0)
    return {
        "indicator_cells": rate(s.get("indicator_cells_correct", 0), s.get("indicator_cells", 0)),
        "box_numbers": rate(s.get("box_numbers_correct", 0), boxes),
        "box_numbers_flagged": rate(s.get("box_numbers_flagged", 0), boxes),
        "box_numbers_wrong_silent": rate(s.get("box_numbers_wrong_silent", 0), boxes),
        "box_numbers_wrong_undamaged": rate(s.get("box_numbers_wrong_undamaged", 0), boxes),
        "box_titles": rate(s.get("box_titles_correct", 0), boxes),
        "boxes_missing": s.get("boxes_missing", 0),
        "boxes_extra": s.get("boxes_extra", 0),
        "agency_precision": p,
        "agency_recall": r,
        "agency_f1": f,
        "agency_f1_all_truth": f_all,
        "agency_name_f1": f_names,
        "lead_accuracy": rate(s.get("recoverable_lead_correct", s.get("lead_correct", 0)), s.get("recoverable_lead_boxes", s.get("lead_boxes", 0))),
        "lead_accuracy_all_truth": rate(s.get("lead_correct", 0), s.get("lead_boxes", 0)),
        # agency and lead errors (against the recoverable truth) by the damage their box took
        "agency_errors_by_cause": {k.split(":", 1)[1]: v for k, v in sorted(s.items()) if k.startswith("agency_errors:")},
        "lead_errors_by_cause": {k.split(":", 1)[1]: v for k, v in sorted(s.items()) if k.startswith("lead_errors:")},
    }


# ---------------------------------------------------------------- corpus, speed, scaling


def run_corpus() -> dict:
    from pipeline.ingest import read_source
    from pipeline.run import recover

    golden_text = GOLDEN_TEXT.read_text(encoding="utf-8")
    golden = json.loads(GOLDEN_PLAN.read_text(encoding="utf-8"))
    source = read_source(CORPUS_DOC)
    t0 = time.perf_counter()
    recovery = recover(source)
    seconds = time.perf_counter() - t0
    truth = {"indicators": golden["indicators"], "programmes": golden["programmes"]}
    structure = score_structure(recovery.plan, truth)
    return {
        "documents": 1,
        "characters": len(source.text),
        "truth_characters": len(golden_text),
        "text": {
            "cer_damaged": cer(source.text, golden_text),
            "cer_repaired": cer(recovery.repair.text, golden_text),
            "cer_repaired_recoverable": cer(recovery.repair.text, golden_text),
            "identical_to_golden": recovery.repair.text == golden_text,
        },
        "structure": _structure_figures(structure),
        "changes_by_rule": dict(Counter(c.rule for c in recovery.repair.changes)),
        "speed": {"seconds": seconds},
    }


def run_scaling() -> dict:
    from extract.plan import extract_plan
    from repair.rules import repair_text

    _warm_up()
    rows = []
    for k in SCALES:
        plan = generate_plan(SCALE_SEED, boxes=SCALE_BOXES, repeat=SCALE_REPEAT * k)
        text = damage_plan(plan, PROFILES["default"]).text
        best_repair = best_extract = math.inf
        for _ in range(3 if k < 16 else 2):
            t0 = time.perf_counter()
            result = repair_text(text)
            t1 = time.perf_counter()
            extract_plan(result, _info("scale.txt"))
            t2 = time.perf_counter()
            best_repair, best_extract = min(best_repair, t1 - t0), min(best_extract, t2 - t1)
        rows.append({"factor": k, "characters": len(text), "repair_s": best_repair, "extract_s": best_extract})
    base = rows[0]
    for row in rows:
        length = row["characters"] / base["characters"]
        row["length_ratio"] = length
        row["repair_time_ratio"] = row["repair_s"] / base["repair_s"]
        row["extract_time_ratio"] = row["extract_s"] / base["extract_s"]
    last = rows[-1]
    exponent_repair = math.log(last["repair_time_ratio"]) / math.log(last["length_ratio"])
    exponent_extract = math.log(last["extract_time_ratio"]) / math.log(last["length_ratio"])
    # Peak memory of one plan-sized document (Python allocations, traced).
    plan = generate_plan(SCALE_SEED, boxes=SCALE_BOXES, repeat=SCALE_REPEAT)
    text = damage_plan(plan, PROFILES["default"]).text
    tracemalloc.start()
    _recover_timed(text, "memory.txt")
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {
        "rows": rows,
        "growth_exponent_repair": exponent_repair,
        "growth_exponent_extract": exponent_extract,
        "plan_sized_characters": base["characters"],
        "plan_sized_repair_s": base["repair_s"],
        "plan_sized_recover_s": base["repair_s"] + base["extract_s"],
        "traced_peak_mb_per_document": peak / 2**20,
    }


SPEED_DOCS = 40


def run_speed(n: int, profile: str = "default") -> dict:
    """Speed on one core, in this process after the workers are done: the first ``n``
    documents of the profile, each timed three times (the fastest counts: what is left
    is the pipeline's own time, not the machine's other work)."""
    _warm_up()
    chars = 0
    best = {"repair": 0.0, "extract": 0.0, "validate": 0.0}
    for i in range(n):
        text = damage_plan(generate_plan(FIRST_SEED + i), PROFILES[profile]).text
        runs = [_recover_timed(text, "speed.txt")[2] for _ in range(3)]
        for stage in best:
            best[stage] += min(r[stage] for r in runs)
        chars += len(text)
    return {
        "documents": n,
        "characters": chars,
        "repair_chars_per_s": rate(chars, best["repair"]),
        "extract_chars_per_s": rate(chars, best["extract"]),
        "documents_per_s": rate(n, sum(best.values())),
        "seconds": best,
    }


def _peak_rss_mb() -> dict:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {"main_mb": own, "largest_worker_mb": children}


# ---------------------------------------------------------------- versions, targets, baseline


def versions() -> dict:
    out = {"python": platform.python_version(), "platform": platform.platform(), "cpus": os.cpu_count()}
    for package in ("planrecover", "rapidfuzz", "jieba", "spacy", "jsonschema", "rapidocr", "onnxruntime", "pytesseract"):
        try:
            out[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            out[package] = None
    try:
        out["commit"] = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True, timeout=5).stdout.strip() or None
        out["dirty"] = bool(subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT, capture_output=True, text=True, timeout=5).stdout.strip())
    except (OSError, subprocess.SubprocessError):
        out["commit"] = None
    return out


# (figure path, op, threshold, what the issue asks)
TARGETS = (
    ("default.text.cer_repaired_recoverable", "<=", 0.005, "repaired-text CER ≤ 0.5 %"),
    ("default.text.wrongly_deleted", "<=", 0.001, "wrongly deleted ≤ 0.1 % of the true text"),
    ("default.structure.box_numbers", ">=", 1.0, "box numbers 100 %"),
    ("default.structure.indicator_cells", ">=", 1.0, "indicator cells 100 %"),
    ("default.structure.agency_f1", ">=", 0.99, "agency F1 ≥ 0.99"),
    ("default.structure.lead_accuracy", ">=", 0.98, "lead accuracy ≥ 0.98"),
    ("scaling.plan_sized_repair_s", "<=", 0.25, "repair of a plan-sized document well under a second (≤ 0.25 s)"),
    ("default.speed.repair_chars_per_s", ">=", 200_000, "repair ≥ 200 000 characters per second on one core"),
    ("scaling.growth_exponent_repair", "<=", 1.15, "repair time grows about linearly (exponent ≤ 1.15)"),
    ("scaling.growth_exponent_extract", "<=", 1.15, "extraction time grows about linearly (exponent ≤ 1.15)"),
    ("clean.false_repairs.per_100k_chars", "<=", 0, "no false repairs on clean generated documents"),
)


def _get(results: dict, path: str):
    node = results
    for part in path.split("."):
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return node


def check_targets(results: dict, profile: str = "default") -> list[dict]:
    out = []
    for path, op, threshold, label in TARGETS:
        path = path.replace("default.", f"{profile}.", 1) if path.startswith("default.") else path
        value = _get(results, path)
        met = None if value is None else (value <= threshold if op == "<=" else value >= threshold)
        out.append({"figure": path, "target": f"{op} {threshold}", "label": label, "value": value, "met": met, "causes": _causes(results, path) if met is False else None})
    return out


def _causes(results: dict, path: str) -> list[str]:
    """Which damage kinds a missed target comes from (largest first)."""
    profile = path.split(".")[0]
    section = results.get(profile, {})
    if ".text." in path:
        errors = section.get("errors_by_kind", {})
        if "wrongly_deleted" in path:
            return [f"{rule}: {n} characters" for rule, n in section.get("wrongly_deleted_by_rule", {}).items()]
        total = sum(errors.values()) or 1
        lossy = set(LOSSY) | {"lost"}
        return [f"{kind}: {n / total:.0%} of the errors" for kind, n in errors.items() if kind not in lossy][:5]
    if "box_numbers" in path:
        kinds = section.get("per_kind", {})
        found = [f"{k}: {v['missed']:.1%} of {v['instances']} missed" for k, v in kinds.items() if k.startswith("box_number") and v.get("missed")]
        collateral = section.get("structure", {}).get("box_numbers_wrong_undamaged")
        if collateral:
            found.append(f"boxes whose own number was intact renumbered wrongly: {collateral:.1%} of boxes")
        return found
    if "agency" in path or "lead" in path:
        key = "lead_errors_by_cause" if "lead" in path else "agency_errors_by_cause"
        by_cause = section.get("structure", {}).get(key, {})
        total = sum(by_cause.values()) or 1
        return [
            f"{'no agency damage in the box (the pipeline alone)' if cause == 'none' else 'boxes with ' + cause}: {n / total:.0%} of the errors"
            for cause, n in sorted(by_cause.items(), key=lambda kv: -kv[1])
        ]
    if "indicator" in path:
        kinds = section.get("per_kind", {})
        return [f"{k}: {v.get('missed', 0):.1%} missed" for k in ("table_shift", "letter_spacing", "kangxi") if (v := kinds.get(k)) and v.get("missed")]
    return []


# Figures compared with the baseline: (path, better, noise). Noise is absolute for
# quality figures (deterministic on fixed seeds) and relative (a share) for speed.
COMPARED = [
    *[(f"{p}.text.{k}", "lower", 1e-5) for p in PROFILE_COLUMNS for k in ("cer_repaired", "cer_repaired_recoverable", "wrongly_deleted", "residue_kept", "damage_kept", "errors_outside_damage")],
    *[(f"{p}.structure.{k}", "higher", 1e-4) for p in PROFILE_COLUMNS for k in ("indicator_cells", "box_numbers", "box_titles", "agency_precision", "agency_recall", "agency_f1", "lead_accuracy")],
    *[(f"{p}.per_kind.{k}.repaired", "higher", 1e-4) for p in PROFILE_COLUMNS for k in KINDS],
    *[(f"clean.text.cer_repaired", "lower", 1e-6)],
    ("clean.false_repairs.per_100k_chars", "lower", 0),
    # The damage model on the real documents' clean texts (bench.realdamage): fixed seeds, deterministic.
    *[(f"real_damaged.{p}.text.{k}", "lower", 1e-5) for p in ("default", "heldout") for k in ("cer_repaired", "visible_cer_repaired", "wrongly_deleted")],
    *[(f"real_damaged.{p}.per_kind.{k}.repaired", "higher", 1e-4) for p in ("default", "heldout") for k in KINDS],
    ("clean.false_repairs.visible_chars_changed_per_100k", "lower", 0),
    *[(f"corpus.text.cer_repaired", "lower", 1e-6), ("corpus.structure.agency_f1", "higher", 1e-4), ("corpus.structure.box_numbers", "higher", 1e-4)],
    ("default.speed.repair_chars_per_s", "higher", "25%"),
    ("default.speed.extract_chars_per_s", "higher", "25%"),
    ("default.speed.documents_per_s", "higher", "25%"),
    ("scaling.plan_sized_repair_s", "lower", "25%"),
    ("scaling.growth_exponent_repair", "lower", 0.1),
    ("scaling.growth_exponent_extract", "lower", 0.1),
    ("scaling.traced_peak_mb_per_document", "lower", "25%"),
    # OCR (bench/scan.py): per engine and degradation level. OCR output is deterministic
    # for a given engine version, so quality noise is small; speed varies with the machine.
    *[(f"ocr.{e}.{l}.{k}", "lower", noise) for e in ("rapidocr", "tesseract") for l in ("clean", "scan", "heavy")
      for k, noise in (("reading_cer", 0.002), ("scan_only_cer", 0.001), ("fused_cer", 1e-4))],
    *[(f"ocr.{e}.{l}.scan_only.{k}", "higher", 1e-4) for e in ("rapidocr", "tesseract") for l in ("clean", "scan", "heavy")
      for k in ("indicator_values", "box_numbers", "box_titles", "agency_f1")],
    *[(f"ocr.{e}.{l}.scan_only.indicator_rows_silent", "lower", 0) for e in ("rapidocr", "tesseract") for l in ("clean", "scan", "heavy")],
    # OCR on real pages (bench/realocr.py): the text against the page's own layer.
    *[(f"ocr.real.{e}.{l}.{k}", "lower", noise) for e in ("rapidocr", "tesseract") for l in ("clean", "scan", "heavy")
      for k, noise in (("repaired_cer", 0.0005), ("lines_dropped", 0))],
    *[(f"ocr.{e}.scan.pages_per_minute", "higher", "30%") for e in ("rapidocr", "tesseract")],
    *[(f"ocr.{e}.scan.peak_worker_rss_mb", "lower", "25%") for e in ("rapidocr", "tesseract")],
]


def not_in_baseline(results: dict, baseline: dict | None) -> list[str]:
    """Compared figures this run has and the baseline lacks (new since it was written):
    they are shown without comparison."""
    if not baseline:
        return []
    return [path for path, _, _ in COMPARED if isinstance(_get(results, path), (int, float)) and not isinstance(_get(baseline, path), (int, float))]


def compare(results: dict, baseline: dict | None) -> list[dict]:
    if not baseline:
        return []
    same_config = baseline.get("config", {}).get("n") == results["config"]["n"]
    out = []
    for path, better, noise in COMPARED:
        now, then = _get(results, path), _get(baseline, path)
        if not isinstance(now, (int, float)) or not isinstance(then, (int, float)):
            continue
        if isinstance(noise, str):
            margin = abs(then) * float(noise.rstrip("%")) / 100
        else:
            margin = noise if same_config else max(noise, 0.002)
        worse = now > then + margin if better == "lower" else now < then - margin
        improved = now < then - margin if better == "lower" else now > then + margin
        if worse or improved:
            out.append({"figure": path, "baseline": then, "now": now, "worse": worse})
    return out


# ---------------------------------------------------------------- the table


def _families(paths: list[str]) -> str:
    """A short name for a list of figure paths: their first two parts, once each."""
    return ", ".join(dict.fromkeys(".".join(p.split(".")[:2]) for p in paths))


def _pct(value, digits: int = 2) -> str:
    return "—" if value is None else f"{100 * value:.{digits}f} %"


def _num(value, fmt: str = "{:,.0f}") -> str:
    return "—" if value is None else fmt.format(value)


def render_table(results: dict, real_lines: list[str] | None = None, real_damage_lines: list[str] | None = None) -> str:
    columns = [c for c in ("clean", *PROFILE_COLUMNS, "corpus") if c in results]
    worse = {c["figure"] for c in results.get("comparison", []) if c["worse"]}
    lines = list(real_lines) if real_lines is not None else ["real corpus: section skipped (no bench.real.real_corpus_section yet)"]
    if real_damage_lines is not None:
        lines += [""] + list(real_damage_lines)
    lines.append("")
    n = results["config"]["n"]
    lines.append(f"planrecover bench: {n} generated documents per profile (seeds {FIRST_SEED}–{FIRST_SEED + n - 1}), the corpus document{', the stand-in scan' if results.get('ocr') else ''}")
    lines.append(f"version {results['versions'].get('planrecover')} ({results['versions'].get('commit')}), Python {results['versions']['python']}; ▼ = worse than bench/baseline.json beyond noise")
    width = 44

    def row(label: str, path: str, fmt=_pct):
        cells = []
        for column in columns:
            value = _get(results, f"{column}.{path}")
            mark = " ▼" if f"{column}.{path}" in worse else ""
            cells.append(f"{fmt(value) + mark:>14}")
        lines.append(f"  {label:<{width}}" + "".join(cells))

    lines.append("")
    lines.append(f"  {'':<{width}}" + "".join(f"{c:>14}" for c in columns))
    lines.append("text (rates of the true text)")
    row("CER of the damaged text", "text.cer_damaged")
    row("CER of the repaired text", "text.cer_repaired", lambda v: _pct(v, 3))
    row("  … of what the damage left recoverable", "text.cer_repaired_recoverable", lambda v: _pct(v, 3))
    row("text destroyed by damage (lost for good)", "text.lost_to_damage", lambda v: _pct(v, 3))
    row("true characters wrongly deleted", "text.wrongly_deleted", lambda v: _pct(v, 4))
    row("residue kept", "text.residue_kept", lambda v: _pct(v, 4))
    row("all damage kept (residue, repeats, marks…)", "text.damage_kept", lambda v: _pct(v, 4))
    row("errors outside any damage (false repairs)", "text.errors_outside_damage", lambda v: _pct(v, 4))
    lines.append("structure (against what the damage left recoverable)")
    row("indicator cells", "structure.indicator_cells")
    row("box numbers", "structure.box_numbers")
    row("  flagged uncertain", "structure.box_numbers_flagged", lambda v: _pct(v, 1))
    row("  silently wrong", "structure.box_numbers_wrong_silent", lambda v: _pct(v, 1))
    row("box titles exact", "structure.box_titles")
    row("agencies precision", "structure.agency_precision")
    row("agencies recall", "structure.agency_recall")
    row("agencies F1", "structure.agency_f1", lambda v: _num(v, "{:.4f}"))
    row("  F1 against all truth (losses included)", "structure.agency_f1_all_truth", lambda v: _num(v, "{:.4f}"))
    row("lead accuracy", "structure.lead_accuracy")

    false = results.get("clean", {}).get("false_repairs")
    if false:
        lines.extend(_false_repair_lines(false, worse, width))
    lines.extend(_per_kind_lines(results, worse, width))

    lines.append("")
    lines.append("speed (one core; repair → extract → schema check)")
    if "default" in results:
        sp = results["default"]["speed"]
        lines.append(f"  (the first {sp['documents']} documents of the default profile, {sp['characters']:,} characters, fastest of 3 runs each)")
        lines.append(f"  {'repair':<{width}}{_num(sp['repair_chars_per_s']):>14} characters/s")
        lines.append(f"  {'extraction':<{width}}{_num(sp['extract_chars_per_s']):>14} characters/s")
        lines.append(f"  {'documents (generated, default profile)':<{width}}{_num(sp['documents_per_s'], '{:,.1f}'):>14} documents/s")
    sc = results.get("scaling")
    if sc:
        lines.append(f"  {'plan-sized document (' + format(sc['plan_sized_characters'], ',') + ' characters)':<{width}}{sc['plan_sized_repair_s']:>13.3f}s repair, {sc['plan_sized_recover_s']:.3f} s repair+extract")
        lines.append(f"  {'peak memory, one plan-sized document':<{width}}{sc['traced_peak_mb_per_document']:>11.1f} MB traced (Python allocations)")
    mem = results.get("memory", {})
    if mem:
        lines.append(f"  {'peak RSS':<{width}}{mem['main_mb']:>11.0f} MB main process, {mem['largest_worker_mb']:.0f} MB largest worker (models loaded)")
    if sc:
        lines.append("scaling (the same document, longer)")
        for r in sc["rows"]:
            lines.append(f"  {str(r['factor']) + '×  ' + format(r['characters'], ',') + ' characters':<{width}}{r['repair_s']:>12.3f} s repair (×{r['repair_time_ratio']:.1f}), {r['extract_s']:.3f} s extract (×{r['extract_time_ratio']:.1f})")
        lines.append(f"  {'growth exponent (1 = linear)':<{width}}{sc['growth_exponent_repair']:>14.2f} repair, {sc['growth_exponent_extract']:.2f} extract")

    ocr = results.get("ocr")
    if ocr:
        from .scan import render_ocr  # per engine and degradation level

        lines.extend(render_ocr(ocr, worse))

    lines.append("")
    lines.append("targets (default profile)")
    for t in results.get("targets", []):
        status = "met" if t["met"] else ("MISSED" if t["met"] is False else "n/a")
        value = t["value"]
        shown = f"{value:.6g}" if isinstance(value, float) else str(value)
        lines.append(f"  [{status:>6}] {t['label']}: {shown}")
        for cause in t.get("causes") or []:
            lines.append(f"           ← {cause}")
    for profile in ("heldout", "heavy"):
        targets = [t for t in results.get(f"targets_{profile}") or [] if t["figure"].startswith(f"{profile}.")]
        if targets:
            failing = [t for t in targets if t["met"] is False]
            lines.append(f"{profile} profile: {len(failing)} of {len(targets)} targets missed" + (": " + "; ".join(t["label"] for t in failing) if failing else ""))
    comparison = results.get("comparison", [])
    if comparison:
        worse_list = [c for c in comparison if c["worse"]]
        lines.append("")
        lines.append(f"against bench/baseline.json: {len(worse_list)} figure(s) worse, {len(comparison) - len(worse_list)} better")
        baseline_n = results.get("baseline_n")
        if baseline_n is not None and baseline_n != results["config"]["n"]:
            lines.append(f"  (the baseline measured {baseline_n} documents per profile, this run {results['config']['n']}: differences in rates are partly sampling)")
        for c in comparison:
            lines.append(f"  {'▼ worse ' if c['worse'] else '▲ better'} {c['figure']}: {c['baseline']:.6g} → {c['now']:.6g}")
    new = results.get("not_in_baseline") or []
    if new:
        if not comparison:
            lines.append("")
        lines.append(f"  {len(new)} figure(s) are not in bench/baseline.json (new since it was written: {_families(new)}): shown without comparison")
    if not comparison and results.get("baseline_found") is False:
        lines.append("")
        lines.append("no bench/baseline.json to compare with (python -m bench --update-baseline writes one)")
    return "\n".join(lines)


def _false_repair_lines(false: dict, worse: set[str], width: int) -> list[str]:
    """False repairs on the clean documents: the rate, the rules, the sound text hit."""
    mark = " ▼" if "clean.false_repairs.per_100k_chars" in worse else ""
    lines = ["", f"false repairs on the {false['documents']} clean generated documents (a rule changed non-white-space text)"]
    lines.append(f"  {'per 100 000 characters':<{width}}{_num(false['per_100k_chars'], '{:.2f}') + mark:>14}   ({false['count']} changes in {false['documents_changed']} of {false['documents']} documents, {false['characters']:,} characters)")
    lines.append(f"  {'non-white-space characters changed per 100 000':<{width}}{_num(false['visible_chars_changed_per_100k'], '{:.1f}'):>14}")
    if false["by_rule"]:
        lines.append(f"  {'by rule':<{width}}" + " · ".join(f"{rule} {n}" for rule, n in false["by_rule"].items()))
    lines.append(f"  {'sound text the generator prints':<{width}}{'instances':>14}{'changed':>10}")
    for kind, entry in false["negatives"].items():
        lines.append(f"    {kind:<{width - 2}}{entry['instances']:>14}{_pct(entry['changed'], 1):>10}")
    other = false["by_negative"].get("other", 0)
    if other:
        lines.append(f"    {'elsewhere (ordinary generated text)':<{width - 2}}{other:>14} changes")
    return lines


def _per_kind_lines(results: dict, worse: set[str], width: int) -> list[str]:
    """Per damage kind and profile: instances and the share repaired (reported, for
    damage that destroys text); the held-out column beside the default one."""
    profiles = [p for p in PROFILE_COLUMNS if p in results]
    if not profiles:
        return []
    lines = [""]
    head = "".join(f"{p + ' n':>11}{'repaired':>10}" for p in profiles)
    lines.append(f"per damage kind{'':<{width - 13}}{head}{'false repairs on clean':>24}")
    clean_changes = results.get("clean", {}).get("changes_by_rule", {})
    for kind in KINDS:
        entries = [results[p].get("per_kind", {}).get(kind) for p in profiles]
        if not any(entries):
            continue
        cells = "".join(_kind_cell(p, kind, e, worse) for p, e in zip(profiles, entries))
        rules = KIND_RULES.get(kind, ())
        false_text = str(sum(clean_changes.get(r, 0) for r in rules)) if rules else "(text lost)"
        lines.append(f"  {kind:<{width - 2}}{cells}{false_text:>24}")
    clean_total = sum(clean_changes.values())
    lines.append(f"  (repaired: the share of instances repaired; for lost text, the share reported. False repairs: changes on the {results['clean']['documents'] if 'clean' in results else 0} clean documents by the rules that repair the kind, white space included; {clean_total} changes in all)")
    return lines


def _kind_cell(profile: str, kind: str, entry: dict | None, worse: set[str]) -> str:
    if not entry:
        return f"{'—':>11}{'':>10}"
    mark = " ▼" if f"{profile}.per_kind.{kind}.repaired" in worse else ""
    share = entry["reported"] if kind in LOSSY else entry["repaired"]
    return f"{entry['instances']:>11}{_pct(share, 1 if kind not in LOSSY else 0) + mark:>10}"


# ---------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description="Measure planrecover on generated documents, the corpus document and the stand-in scan.")
    parser.add_argument("--n", type=int, default=int(os.environ.get("BENCH_N", 200)), help="documents per profile (BENCH_N, default 200)")
    parser.add_argument("--profiles", default=os.environ.get("BENCH_PROFILES", "default,heldout,heavy"), help="damage profiles (BENCH_PROFILES)")
    parser.add_argument("--ocr", default=os.environ.get("BENCH_OCR", "1"), help="1: RapidOCR on the stand-in scan, all: RapidOCR and Tesseract, 0: skip (BENCH_OCR)")
    parser.add_argument("--jobs", type=int, default=int(os.environ.get("BENCH_JOBS", min(2, os.cpu_count() or 1))), help="worker processes (BENCH_JOBS)")
    parser.add_argument("--out", type=Path, default=RESULTS)
    parser.add_argument("--baseline", type=Path, default=BASELINE)
    parser.add_argument("--update-baseline", action="store_true", help="write the results as the new baseline too")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a figure got worse than the baseline")
    args = parser.parse_args(argv)
    profiles = [p.strip() for p in args.profiles.split(",") if p.strip()]
    unknown = [p for p in profiles if p not in PROFILES]
    if unknown:
        parser.error(f"unknown profile(s): {', '.join(unknown)} (known: {', '.join(PROFILES)})")

    started = time.perf_counter()
    real = real_corpus()
    _progress("bench: the damage model on the real documents' clean texts …")
    real_damaged = real_damage()
    results: dict = {"results_version": RESULTS_VERSION, "config": {"n": args.n, "first_seed": FIRST_SEED, "profiles": profiles, "jobs": args.jobs, "ocr": args.ocr}}
    results["versions"] = versions()
    _progress(f"bench: {args.n} documents × (clean + {len(profiles)} profile(s)) on {args.jobs} worker(s) …")
    docs = run_documents(args.n, profiles, args.jobs)
    results["clean"] = summarize(docs["clean"])
    results["clean"]["false_repairs"] = summarize_false_repairs(docs["clean"])
    for profile in profiles:
        results[profile] = summarize(docs[profile])
    results["memory"] = _peak_rss_mb()
    _progress("bench: speed on one core, corpus document, scaling …")
    for profile in profiles:
        results[profile]["speed"] = run_speed(min(args.n, SPEED_DOCS), profile)
    results["corpus"] = run_corpus()
    results["scaling"] = run_scaling()
    if args.ocr not in ("0", "", "no", "false"):
        from .scan import run_ocr

        _progress("bench: the stand-in scan (OCR) …")
        engines = ("rapidocr", "tesseract") if args.ocr == "all" else ("rapidocr",)
        results["ocr"] = run_ocr(engines, jobs=args.jobs)
    results["targets"] = check_targets(results, "default") if "default" in profiles else []
    for profile in ("heavy", "heldout"):
        if profile in profiles:
            results[f"targets_{profile}"] = check_targets(results, profile)
    if real is not None:
        results["real"] = real[0]
    results["real_damaged"] = real_damaged[0]
    baseline = json.loads(args.baseline.read_text(encoding="utf-8")) if args.baseline.exists() else None
    results["baseline_found"] = baseline is not None
    if baseline is not None:
        results["baseline_n"] = baseline.get("config", {}).get("n")
    results["comparison"] = compare(results, baseline)
    results["not_in_baseline"] = not_in_baseline(results, baseline)
    results["seconds"] = time.perf_counter() - started
    results["hostile"] = hostile_patterns()
    _progress("bench: hostile inputs through extract, faults while writing …")
    from .hostile_reliability import reliability_section

    results["reliability"], reliability_lines = reliability_section()
    _progress("bench: a scan-heavy batch on Dask (1 and 2 workers, a scheduler, a process pool) …")
    from .batch import batch_section

    results["batch"], batch_lines = batch_section()
    table = render_table(results, real[1] if real is not None else None, real_damaged[1]) + "\n" + "\n".join(hostile_lines(results["hostile"]) + reliability_lines + batch_lines)
    results["table"] = table.splitlines()
    print(table)
    print(f"\n({results['seconds']:.0f} s; figures in {args.out})")
    args.out.write_text(json.dumps(results, ensure_ascii=False, indent=1, default=str) + "\n", encoding="utf-8")
    if args.update_baseline:
        args.baseline.write_text(json.dumps(_baseline_view(results), ensure_ascii=False, indent=1, default=str) + "\n", encoding="utf-8")
        print(f"baseline written: {args.baseline}")
    if args.strict and any(c["worse"] for c in results["comparison"]):
        return 1
    return 0


def hostile_patterns() -> dict:
    """Time per character of the genre's patterns on hostile inputs of growing size
    (bench.hostile): catastrophic backtracking shows as a growth exponent above 1."""
    from .hostile import pattern_timings, summary

    return summary(pattern_timings())


def hostile_lines(figures: dict) -> list[str]:
    return [
        "",
        f"hostile inputs: {figures['patterns']} patterns of repair/extract on {figures['inputs']} inputs of growing size (spaces, digits, brackets …)",
        f"  slowest {figures['slowest_us_per_char']} µs per character ({figures['slowest']}); steepest growth exponent {figures['steepest_exponent']} ({figures['steepest']})",
        f"  searches over their time budget: {', '.join(figures['over_budget']) or 'none'}",
    ]


def real_corpus() -> tuple[dict, list[str]] | None:
    """The real-corpus section: ``bench.real.real_corpus_section()`` returns its figures
    and its table lines. None while that module is not there (its errors are not hidden)."""
    try:
        from .real import real_corpus_section
    except ImportError:
        return None
    figures, lines = real_corpus_section()
    return figures, list(lines)


def real_damage() -> tuple[dict, list[str]]:
    """The damage model on the real documents' clean texts: figures and table lines."""
    from .realdamage import real_damage_section

    figures, lines = real_damage_section()
    return figures, list(lines)


def _baseline_view(results: dict) -> dict:
    """What the baseline keeps: figures and versions, not examples or the table."""
    drop = {"examples", "table", "comparison"}

    def clean(node):
        if isinstance(node, dict):
            return {k: clean(v) for k, v in node.items() if k not in drop}
        return node

    return clean(results)


def _progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)
