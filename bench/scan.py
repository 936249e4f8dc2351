"""The OCR section of the bench: real pages first (``bench.realocr``: a real PDF's pages
degraded and read by each engine, against their own text layer), then the stand-in scan
at three degradation levels, read by each engine.

The stand-in scan is the golden text typeset on A4 pages (``ocr.standin``) and degraded
like a scan (``ocr.degrade``), so golden/ is its truth. Levels:

- ``clean``: the typeset pages, undegraded (in memory);
- ``scan``: corpus/…standin-scan.pdf, rendered from the file as a user's scan would be;
- ``heavy``: the typeset pages degraded at the heavy level (in memory), with the seeds
  ``make corpus`` uses for the scan level (ocr.standin.page_seed).

Engines: ``BENCH_OCR=1`` reads all three levels with RapidOCR (about a minute on two
cores); ``BENCH_OCR=all`` adds Tesseract (about three minutes in all);
``BENCH_OCR_LEVELS=scan`` (a comma-separated list) limits the levels.

Per engine and level:

- ``reading_cer``: the OCR reading, reflowed into extract layout, against what the
  pages print: the golden text plus the stand-in's title page (the title and 国务院,
  which golden does not hold: 21 characters, 0.43 % of the text), with golden's
  superscript notation ``^`` dropped (the page shows the raised ③, not a caret);
  ``reading_cer_vs_golden`` is the same reading against golden/plan.repaired.txt as it
  stands. ``scan_only_cer``: that reading repaired (``recover(None, scan=…)``), against
  the printed text; ``fused_cer``: the damaged corpus extract fused with the reading,
  against golden. All ignore white space (the layout of a reading is not what OCR is
  judged on); ``fused_exact`` says whether the fused text equals golden character for
  character. Full- and half-width brackets count as errors (（ vs ();
- ``scan_only``: structure from the reading alone against golden/plan.json (indicator
  cells as printed, box numbers, box titles, agency F1), plus ``indicator_values``
  (baseline, target, increase values equal to golden) and ``indicator_rows_silent``
  (rows whose values differ from golden and that no failed check flags: must be 0),
  ``indicator_rows_missing`` (golden rows the recovery has not; each table row that
  does not fit the header is reported as ``indicator_row_unparsed``);
- ``seconds_per_page``: per stage. render (the PDF rasterised; the scan level only:
  the other levels are made in memory), preprocess, layout, ocr_engine (inside the
  engine's calls), assemble (crops, masks, table rows), reflow, repair and extract
  (the scan-only recovery), fuse (the fused recovery). Worker stages are measured in the
  worker, one core each; ``pages_per_minute`` is the reading's wall clock with ``jobs``
  workers (pages in parallel, engine start included, render excluded);
  ``own_share_of_engine``: the project's stages (all but ocr_engine and fuse, render
  where measured) over the engine's time, target ≤ 15 %;
- ``peak_worker_rss_mb``: the largest worker's peak resident memory.

``more_accurate`` names the engine with the lower mean reading CER over the levels both
were run on (ties: lower repaired CER), and ``default_engine`` the one the CLI uses
(pipeline.scan.DEFAULT_ENGINE); the table says when they disagree.

"""

from __future__ import annotations

import hashlib
import json
import os
import time

from .metrics import cer, score_structure
from .run import CORPUS_DOC, GOLDEN_PLAN, GOLDEN_TEXT, _num, _pct, _structure_figures

STANDIN_SCAN = CORPUS_DOC.parent / "ip-protection-plan-2021-2025.standin-scan.pdf"
LEVELS = ("clean", "scan", "heavy")
DPI = 200
TARGET_CER = 0.003  # after repair and after fusion
TARGET_OWN_SHARE = 0.15  # the project's stages against the OCR engine's time
STAGES = ("render", "preprocess", "layout", "ocr_engine", "assemble", "reflow", "repair", "extract", "fuse")
OWN_STAGES = ("render", "preprocess", "layout", "assemble", "reflow", "repair", "extract")


def _bare(text: str) -> str:
    return "".join(text.split())


def levels_from_env() -> tuple[str, ...]:
    wanted = [l.strip() for l in os.environ.get("BENCH_OCR_LEVELS", ",".join(LEVELS)).split(",") if l.strip()]
    unknown = [l for l in wanted if l not in LEVELS]
    if unknown:
        raise SystemExit(f"BENCH_OCR_LEVELS: unknown level(s) {', '.join(unknown)} (known: {', '.join(LEVELS)})")
    return tuple(wanted)


class _Pages:
    """The page images of each level, made once and shared by the engines."""

    def __init__(self):
        self._typeset = None
        self._cache: dict[str, tuple] = {}

    def get(self, level: str) -> tuple[list, str, str, float | None]:
        """(pages, name, sha256, render seconds or None when made in memory)."""
        if level not in self._cache:
            self._cache[level] = self._make(level)
        return self._cache[level]

    def typeset(self) -> list:
        from ocr.standin import render_pages as typeset_pages

        if self._typeset is None:
            self._typeset = typeset_pages(GOLDEN_TEXT.read_text(encoding="utf-8"), json.loads(GOLDEN_PLAN.read_text(encoding="utf-8")), DPI)
        return self._typeset

    def printed_text(self, golden_text: str) -> str:
        """Golden plus what only the stand-in prints (its title page), without golden's ^."""
        title_pages = [p for p in self.typeset() if all(r["kind"] in ("title", "page-number") for r in p.regions)]
        titles = [r["text"] for p in title_pages for r in p.regions if r["kind"] == "title"]
        return "\n".join(titles + [golden_text.replace("^", "")])

    def _make(self, level: str):
        from ocr.render import render_pages

        if level == "scan":
            started = time.perf_counter()
            pages = list(render_pages(STANDIN_SCAN, dpi=DPI))
            seconds = time.perf_counter() - started
            return pages, STANDIN_SCAN.name, hashlib.sha256(STANDIN_SCAN.read_bytes()).hexdigest(), seconds
        import numpy as np

        from ocr.render import PageImage
        from ocr.standin import DEFAULT_SEED, degrade, page_seed

        pages, digest = [], hashlib.sha256(level.encode())
        for page in self.typeset():
            gray = np.asarray(degrade(page.image, level, page_seed(DEFAULT_SEED, page.number), DPI).convert("L"))
            digest.update(gray.tobytes())
            pages.append(PageImage(page.number, np.ascontiguousarray(gray), float(DPI)))
        return pages, f"standin-{level}", digest.hexdigest(), None


def _indicator_values(plan: dict, golden: dict) -> tuple[float | None, int, int]:
    """(share of baseline/target/increase values equal to golden, rows differing unflagged,
    rows missing)."""
    flagged = {i["data"].get("seq") for i in plan["issues"] if i["kind"] == "indicator_check_failed"}
    rows = {r["seq"]: r for r in plan["indicators"]}
    right = total = silent = missing = 0
    for want in golden["indicators"]:
        got = rows.get(want["seq"])
        missing += got is None
        keys = ("baseline", "target", "increase")
        values = [got[k]["value"] if got and got.get(k) else None for k in keys]
        wanted = [want[k]["value"] if want.get(k) else None for k in keys]
        total += len(keys)
        right += sum(a == b for a, b in zip(values, wanted))
        if got is not None and values != wanted and want["seq"] not in flagged:
            silent += 1
    return (right / total if total else None), silent, missing


def measure_level(engine: str, level: str, pages: _Pages, jobs: int, golden_text: str, golden: dict) -> dict:
    from pipeline.ingest import read_source
    from pipeline.run import recover
    from pipeline.scan import read_scan_pages
    from repair.rules import repair_text

    page_images, name, digest, render_seconds = pages.get(level)
    scan = read_scan_pages(page_images, name, digest, engine=engine, dpi=DPI, jobs=jobs, progress=False, render_seconds=render_seconds)
    started = time.perf_counter()
    scan_only = recover(None, scan=scan, allow_empty=True)
    recovered = time.perf_counter()
    repair_text(scan.reading.read_text, ocr_widths=scan.reading.widths)  # the repair alone: extract (and the schema check) is the rest
    repaired = time.perf_counter()
    fused = recover(read_source(CORPUS_DOC), scan=scan)
    fused_at = time.perf_counter()
    n = max(1, scan.pages)
    repair_s = repaired - recovered
    s = scan.seconds
    total = {
        "render": s.get("render"),
        "preprocess": s.get("preprocess"),
        "layout": s.get("layout"),
        "ocr_engine": s.get("engine"),
        "assemble": s.get("assemble"),
        "reflow": s.get("reflow"),
        "repair": repair_s,
        "extract": max(0.0, (recovered - started) - repair_s),
        "fuse": fused_at - repaired,
    }
    per_page = {k: (None if v is None else v / n) for k, v in total.items()}
    own = sum(v for k, v in total.items() if k in OWN_STAGES and v is not None)
    truth = {"indicators": golden["indicators"], "programmes": golden["programmes"]}
    structure = _structure_figures(score_structure(scan_only.plan, truth))
    values, silent, missing = _indicator_values(scan_only.plan, golden)
    unparsed = sum(i["kind"] == "indicator_row_unparsed" for i in scan_only.plan["issues"])
    bare_golden, printed = _bare(golden_text), _bare(pages.printed_text(golden_text))
    return {
        "pages": scan.pages,
        "jobs": jobs,
        "failures": len(scan.failures),
        "reading_cer": cer(_bare(scan.reading.read_text), printed),
        "reading_cer_vs_golden": cer(_bare(scan.reading.read_text), bare_golden),
        "scan_only_cer": cer(_bare(scan_only.repair.text), printed),
        "fused_cer": cer(_bare(fused.repair.text), bare_golden),
        "fused_exact": fused.repair.text == golden_text,
        "scan_only": {
            "indicator_cells": structure["indicator_cells"],
            "indicator_values": values,
            "indicator_rows_silent": silent,
            "indicator_rows_missing": missing,
            "indicator_rows_unparsed_reported": unparsed,
            "box_numbers": structure["box_numbers"],
            "box_titles": structure["box_titles"],
            "agency_f1": structure["agency_f1"],
        },
        "seconds_per_page": per_page,
        "reading_seconds": s.get("ocr", 0.0) + (s.get("reflow") or 0.0),
        "pages_per_minute": 60 * scan.pages / max(1e-9, s.get("ocr", 0.0) + (s.get("reflow") or 0.0)),
        "own_share_of_engine": own / total["ocr_engine"] if total["ocr_engine"] else None,
        "own_share_includes_render": render_seconds is not None,
        "peak_worker_rss_mb": scan.worker_peak_rss_mb,
    }


def _more_accurate(out: dict, engines: tuple[str, ...], levels: tuple[str, ...]) -> dict | None:
    ran = [e for e in engines if isinstance(out.get(e), dict)]
    common = [l for l in levels if all(isinstance(out[e].get(l), dict) and "reading_cer" in out[e][l] for e in ran)]
    if len(ran) < 2 or not common:
        return None

    def mean(engine, key):
        return sum(out[engine][l][key] for l in common) / len(common)

    ranked = sorted(ran, key=lambda e: (mean(e, "reading_cer"), mean(e, "scan_only_cer")))
    wins = {e: [l for l in common if all(out[e][l]["reading_cer"] <= out[o][l]["reading_cer"] for o in ran)] for e in ran}
    return {
        "engine": ranked[0],
        "levels": common,
        "mean_reading_cer": {e: mean(e, "reading_cer") for e in ran},
        "mean_scan_only_cer": {e: mean(e, "scan_only_cer") for e in ran},
        "lower_reading_cer_at": wins,
    }


def run_ocr(engines=("rapidocr",), jobs: int = 2, levels: tuple[str, ...] | None = None) -> dict:
    from pipeline.errors import PlanRecoverError
    from pipeline.scan import DEFAULT_ENGINE

    from .realocr import run_real_ocr

    levels = levels or levels_from_env()
    real = run_real_ocr(engines, jobs=jobs, levels=levels)  # the headline: pages nobody here typeset
    if not STANDIN_SCAN.exists():
        return {"real": real, "error": f"{STANDIN_SCAN.name} is missing (make corpus builds it)"}
    golden_text = GOLDEN_TEXT.read_text(encoding="utf-8")
    golden = json.loads(GOLDEN_PLAN.read_text(encoding="utf-8"))
    pages = _Pages()
    started = time.perf_counter()
    out: dict = {"real": real, "levels": list(levels), "engines": list(engines), "dpi": DPI, "targets": {"cer": TARGET_CER, "own_share_of_engine": TARGET_OWN_SHARE}}
    for engine in engines:
        out[engine] = {}
        for level in levels:
            try:
                out[engine][level] = measure_level(engine, level, pages, jobs, golden_text, golden)
            except PlanRecoverError as exc:
                out[engine][level] = {"error": f"{type(exc).__name__}: {exc}"}
                if type(exc).__name__ == "EngineUnavailable":
                    break
    out["more_accurate"] = _more_accurate(out, tuple(engines), tuple(levels))
    out["default_engine"] = DEFAULT_ENGINE
    out["seconds"] = time.perf_counter() - started
    return out


def render_ocr(ocr: dict, worse: set) -> list[str]:
    """The OCR section: real pages (bench/realocr.py), then the stand-in scan per engine and
    degradation level."""
    from .realocr import render_real_ocr

    lines = render_real_ocr(ocr["real"]) if isinstance(ocr.get("real"), dict) else []
    lines.append("")
    if ocr.get("error"):
        return lines + [f"ocr: {ocr['error']}"]
    levels = ocr.get("levels", [])
    engines = [e for e in ocr.get("engines", []) if isinstance(ocr.get(e), dict)]
    runs = [(e, l, ocr[e][l]) for e in engines for l in levels if isinstance(ocr[e].get(l), dict)]
    pages = next((f["pages"] for _, _, f in runs if "pages" in f), "?")
    jobs = next((f["jobs"] for _, _, f in runs if "jobs" in f), "?")
    lines.append(f"ocr, one row: the stand-in scan (golden text typeset, so its figures are circular; levels clean / scan = the corpus PDF / heavy), {pages} pages per level, {jobs} workers")

    def mark(e, l, key):
        return " ▼" if f"ocr.{e}.{l}.{key}" in worse else ""

    def pct(e, l, key, fig, digits=2):
        value = fig
        for part in key.split("."):
            value = value.get(part) if isinstance(value, dict) else None
        return _pct(value, digits) + mark(e, l, key)

    lines.append("  CER (white space ignored): reading and repaired against the printed text (golden + the stand-in's title page),")
    lines.append("  fused against golden/plan.repaired.txt; structure from the image-only scan against golden/plan.json")
    lines.append(f"  {'engine / level':<18}{'reading':>11}{'repaired':>11}{'fused':>11}{'ind. cells':>12}{'values':>10}{'silent':>8}{'missing':>9}{'box no.':>10}{'titles':>10}{'agency F1':>11}")
    for e, l, fig in runs:
        if fig.get("error"):
            lines.append(f"  {e + ' ' + l:<18}{fig['error']}")
            continue
        so = fig["scan_only"]
        silent = str(so["indicator_rows_silent"]) + mark(e, l, "scan_only.indicator_rows_silent")
        lines.append(
            f"  {e + ' ' + l:<18}{pct(e, l, 'reading_cer', fig):>11}{pct(e, l, 'scan_only_cer', fig, 3):>11}{pct(e, l, 'fused_cer', fig, 3) + ('' if fig['fused_exact'] else '*'):>11}"
            f"{pct(e, l, 'scan_only.indicator_cells', fig, 1):>12}{pct(e, l, 'scan_only.indicator_values', fig, 1):>10}{silent:>8}{so.get('indicator_rows_missing', 0):>9}"
            f"{pct(e, l, 'scan_only.box_numbers', fig, 1):>10}{pct(e, l, 'scan_only.box_titles', fig, 1):>10}{_num(so['agency_f1'], '{:.3f}') + mark(e, l, 'scan_only.agency_f1'):>11}"
        )
    lines.append("  (ind. cells: cells as printed, footnote notation included; values: baseline/target/increase numbers; silent: rows")
    lines.append("   differing from golden that no failed check flags; missing: golden rows not recovered; * fused text not identical to golden)")
    stage_names = (("render", "render"), ("preprocess", "prep"), ("layout", "layout"), ("ocr_engine", "engine"), ("assemble", "assemble"),
                   ("reflow", "reflow"), ("repair", "repair"), ("extract", "extract"))
    lines.append("  speed: seconds per page and stage (worker stages on one core each); pages/min with all workers")
    lines.append(f"  {'engine / level':<18}" + "".join(f"{short:>9}" for _, short in stage_names) + f"{'pages/min':>11}{'own/engine':>12}{'worker RSS':>12}")
    for e, l, fig in runs:
        if fig.get("error"):
            continue
        per = fig["seconds_per_page"]
        cells = "".join(f"{_num(per.get(k), '{:.3f}'):>9}" for k, _ in stage_names)
        share = _pct(fig["own_share_of_engine"], 1) + ("" if fig["own_share_includes_render"] else "†")
        lines.append(f"  {e + ' ' + l:<18}{cells}{_num(fig['pages_per_minute'], '{:.1f}') + mark(e, l, 'pages_per_minute'):>11}{share:>12}"
                     f"{_num(fig['peak_worker_rss_mb'], '{:.0f} MB') + mark(e, l, 'peak_worker_rss_mb'):>12}")
    lines.append("  (own/engine: render, preprocess, layout, assemble, reflow, repair and extract over the engine's time; † render not")
    lines.append("   included: those pages are made in memory. pages/min: reading only, engine start-up included)")
    targets = ocr.get("targets", {})
    ok_runs = [(e, l, f) for e, l, f in runs if not f.get("error")]
    if ok_runs:
        target = targets.get("cer", 0.003)
        for key, what in (("fused_cer", "after fusion with the damaged extract"), ("scan_only_cer", "after repair of the image-only reading")):
            missed = [f"{e} {l} {_pct(f[key], 3)}" for e, l, f in ok_runs if f[key] > target]
            lines.append(f"  [{'met' if not missed else 'MISSED':>6}] CER ≤ {100 * target:.1f} % {what}" + (": missed by " + ", ".join(missed) if missed else ""))
        share_target = targets.get("own_share_of_engine", 0.15)
        over = [f"{e} {l} ({_pct(f['own_share_of_engine'], 1)})" for e, l, f in ok_runs if (f["own_share_of_engine"] or 0) > share_target]
        lines.append(f"  [{'met' if not over else 'MISSED':>6}] the project's own stages ≤ {100 * share_target:.0f} % of the OCR engine's time" + (": over in " + ", ".join(over) if over else ""))
        silent = [f"{e} {l}" for e, l, f in ok_runs if f["scan_only"]["indicator_rows_silent"]]
        lines.append(f"  [{'met' if not silent else 'MISSED':>6}] every recovered indicator row that differs from golden is flagged by a failed check" + (": not in " + ", ".join(silent) if silent else ""))
        lost = [f"{e} {l} ({f['scan_only']['indicator_rows_missing']})" for e, l, f in ok_runs if f["scan_only"].get("indicator_rows_missing")]
        if lost:
            lines.append(f"  [MISSED] every indicator row recovered from the image-only scan: rows missing in " + ", ".join(lost))
    best = ocr.get("more_accurate")
    default = ocr.get("default_engine")
    if best:
        means = ", ".join(f"{e} {_pct(v)}" for e, v in best["mean_reading_cer"].items())
        repaired = ", ".join(f"{e} {_pct(v, 3)}" for e, v in best["mean_scan_only_cer"].items())
        wins = "; ".join(f"{e} lower at {', '.join(ls) or 'no level'}" for e, ls in best["lower_reading_cer_at"].items())
        agree = "agrees" if default == best["engine"] else f"DISAGREES: the default is {default}"
        lines.append(f"  more accurate: {best['engine']} (mean reading CER over {', '.join(best['levels'])}: {means}; repaired: {repaired}; {wins})")
        lines.append(f"  default engine (pipeline/scan.py): {default} — {agree}")
    elif default:
        lines.append(f"  default engine (pipeline/scan.py): {default} (BENCH_OCR=all compares the engines)")
    if "seconds" in ocr:
        lines.append(f"  ({ocr['seconds']:.0f} s for the OCR section)")
    return lines
