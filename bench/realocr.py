"""OCR on real pages: the headline of the bench's OCR section.

The pages of ``../shared/realdocs/gov_wenwu_keji_14th_plan.pdf`` (18 pages printed from
gov.cn through Word) are rendered at 200 dpi, degraded with the project's seeded scan
model (``ocr.degrade``, levels clean / scan / heavy, one seed per page as the stand-in
uses) and read by each engine. Nobody here typeset them: the truth is the page's own
text layer (pdfplumber, fake-bold duplicates dropped), which is sound on this PDF.

- **Text** (every page): the embedded images (the indicator table and the boxes,
  which the layer does not hold) are painted white on the render before it is
  degraded, so both sides hold only what the layer holds. CER is computed over the
  whole document with white space removed, characters as printed: a half-width ``(``
  where the page prints ``（`` is an error. ``reading`` is the OCR reading as reflowed,
  ``repaired`` the scan-only recovery's repaired text (``recover(None, scan=…)``).
  ``lines_dropped`` / ``headings_dropped``: layer lines of which less than half the
  characters are found in the reading (aligned character by character); a heading is
  a line ``一、…`` or ``（一）…``. ``confusions``: the most frequent substitutions
  (truth → read) in the repaired text.
- **Structure** (the image pages 3, 5, 7–10, 12–15, 17, rendered whole and degraded):
  the scan-only recovery scored against ``bench/real/gov_wenwu_keji_14th_plan.truth.json``
  (indicator rows and their targets and attributes; boxes by number, titles, item
  counts), as bench/real.py scores the PDF itself.
- **Frontier** (RapidOCR, scan level, the six pages without images): CPU seconds per
  page (one onnxruntime thread per worker, so the figure holds on a busy machine) and CER
  for the engine settings in ``FRONTIER`` (detection at a lower resolution, larger recognition
  batches; the wheel carries one model size only, PP-OCRv6 small).

``ncha_geming_wenwu_14th_plan.pdf`` is left out: its text layer is corrupt around
opening brackets (``一）`` for ``（一）``), so it is no truth for characters as printed.

Run alone: ``.venv/bin/python -m bench.realocr`` (``BENCH_OCR=all`` adds Tesseract,
``BENCH_OCR_LEVELS=scan`` limits the levels, ``BENCH_REALOCR_FRONTIER=0`` skips the
frontier).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import sys
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
REALDOCS = ROOT.parent / "shared" / "realdocs"
DOCUMENT = "gov_wenwu_keji_14th_plan.pdf"
TRUTH = ROOT / "bench" / "real" / "gov_wenwu_keji_14th_plan.truth.json"
LEVELS = ("clean", "scan", "heavy")
DPI = 200
TARGET_CER = 0.005  # repaired text at the scan level, characters as printed
DROPPED_SHARE = 0.5  # a layer line with less than this share of its characters read is dropped
HEADING = re.compile(r"^(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）)")

# Engine settings measured on the frontier: name -> (engine, keyword arguments).
DEFAULT_SETTING = "det 2400, batch 6"
FRONTIER = {
    DEFAULT_SETTING: ("rapidocr", {}),
    "det 1600, batch 6": ("rapidocr", {"det_side": 1600}),
    "det 1280, batch 6": ("rapidocr", {"det_side": 1280}),
    "det 2400, batch 16": ("rapidocr", {"rec_batch": 16}),
    "det 1280, batch 1": ("rapidocr", {"det_side": 1280, "rec_batch": 1}),
}


@dataclass(frozen=True)
class LayerPage:
    number: int
    lines: tuple[str, ...]  # the layer's lines, as printed
    image_boxes: tuple[tuple[float, float, float, float], ...]  # points


def layer_pages(path: Path) -> list[LayerPage]:
    import pdfplumber

    pages = []
    with pdfplumber.open(str(path)) as pdf:
        for number, page in enumerate(pdf.pages, start=1):
            text = page.dedupe_chars().extract_text() or ""
            boxes = tuple((float(i["x0"]), float(i["top"]), float(i["x1"]), float(i["bottom"])) for i in page.images)
            pages.append(LayerPage(number, tuple(l for l in text.split("\n") if l.strip()), boxes))
    return pages


def rendered_pages(path: Path, dpi: int = DPI):
    from ocr.render import render_pages

    return {p.number: p for p in render_pages(path, dpi=dpi)}


def painted_white(pixels: np.ndarray, boxes, dpi: float) -> np.ndarray:
    """The page with its embedded images painted white (a point is 1/72 inch)."""
    out = pixels.copy()
    scale = dpi / 72
    for x0, top, x1, bottom in boxes:
        out[max(0, int(top * scale) - 2):int(bottom * scale) + 3, max(0, int(x0 * scale) - 2):int(x1 * scale) + 3] = 255
    return out


def degraded(pixels: np.ndarray, number: int, level: str, dpi: int = DPI) -> np.ndarray:
    from PIL import Image

    from ocr.degrade import degrade
    from ocr.standin import DEFAULT_SEED, page_seed

    gray = degrade(Image.fromarray(pixels), level, page_seed(DEFAULT_SEED, number), dpi)
    return np.ascontiguousarray(np.asarray(gray.convert("L")))


# ---------------------------------------------------------------- reading in workers

_ENGINE = None


def _init(engine: str, settings: dict) -> None:
    global _ENGINE
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    from ocr.engines import ENGINES

    _ENGINE = ENGINES[engine](**settings)
    _ENGINE.require()


def _read(args):
    number, pixels, dpi = args
    from ocr.read_page import read_page

    started = _cpu_seconds()  # CPU seconds: one thread per worker, fair on a busy machine
    reading = read_page(pixels, _ENGINE, number=number, dpi=dpi)
    return number, reading, _cpu_seconds() - started


def _cpu_seconds() -> float:
    """This process's CPU time and that of its finished children (tesseract runs as one)."""
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def read_pages(pages: dict[int, np.ndarray], engine: str, settings: dict, jobs: int) -> tuple[list, float, dict]:
    """(page readings in page order, wall seconds, {page: CPU seconds in its worker})."""
    started = time.perf_counter()
    order = sorted(pages, key=lambda n: -pages[n].size)
    with ProcessPoolExecutor(max_workers=max(1, min(jobs, len(pages))), initializer=_init, initargs=(engine, settings)) as pool:
        results = list(pool.map(_read, [(n, pages[n], float(DPI)) for n in order]))
    wall = time.perf_counter() - started
    readings = sorted(results, key=lambda r: r[0])
    return [r for _, r, _ in readings], wall, {n: s for n, _, s in readings}


def scan_result(readings: list, name: str, engine: str):
    from ocr.reflow import reflow
    from pipeline.scan import ScanResult
    from repair.fusion import ScanReading

    text = reflow(readings)
    digest = hashlib.sha256(text.text.encode()).hexdigest()
    return ScanResult(name, digest, ScanReading(text.text, text.confidence, text.where, widths=text.widths), len(readings), engine, DPI)


# ---------------------------------------------------------------- scoring

def bare(text: str) -> str:
    return "".join(text.split())


def matched_mask(hypothesis: str, truth: str) -> list[bool]:
    """Per truth character: whether the alignment keeps it (equal in the hypothesis)."""
    from rapidfuzz.distance import Levenshtein

    kept = [False] * len(truth)
    for op in Levenshtein.opcodes(hypothesis, truth):
        if op.tag == "equal":
            for t in range(op.dest_start, op.dest_end):
                kept[t] = True
    return kept


def confusions(hypothesis: str, truth: str, limit: int = 8) -> list[list]:
    """The most frequent edits: [truth, read, count] ('' for an insertion or a deletion)."""
    from rapidfuzz.distance import Levenshtein

    counts: Counter = Counter()
    for op in Levenshtein.opcodes(hypothesis, truth):
        if op.tag == "equal":
            continue
        read, printed = hypothesis[op.src_start:op.src_end], truth[op.dest_start:op.dest_end]
        if op.tag == "replace" and len(read) == len(printed):
            counts.update(zip(printed, read))
        else:
            counts[(printed, read)] += 1
    return [[t, r, n] for (t, r), n in counts.most_common(limit)]


def dropped_lines(lines: list[str], hypothesis: str) -> list[str]:
    """Layer lines of which less than DROPPED_SHARE of the characters are read."""
    truth = "".join(bare(l) for l in lines)
    kept = matched_mask(hypothesis, truth)
    out, at = [], 0
    for line in lines:
        n = len(bare(line))
        if n and sum(kept[at:at + n]) < DROPPED_SHARE * n:
            out.append(line)
        at += n
    return out


def text_figures(readings: list, lines: list[str], engine: str) -> dict:
    from bench.metrics import cer
    from pipeline.run import recover

    scan = scan_result(readings, DOCUMENT, engine)
    repaired = recover(None, scan=scan, allow_empty=True).repair.text
    truth = bare("\n".join(lines))
    read, fixed = bare(scan.reading.read_text), bare(repaired)  # as OCR read it; as repair leaves it
    dropped = dropped_lines(lines, fixed)
    headings = [l for l in lines if HEADING.match(l)]
    return {
        "characters": len(truth),
        "reading_cer": cer(read, truth),
        "repaired_cer": cer(fixed, truth),
        "repaired_errors": round(cer(fixed, truth) * len(truth)),
        "lines": len(lines),
        "lines_dropped": len(dropped),
        "headings": len(headings),
        "headings_dropped": sum(bool(HEADING.match(l)) for l in dropped),
        "dropped_examples": [l[:30] for l in dropped[:4]],
        "confusions": confusions(fixed, truth),
    }


def structure_figures(readings: list, engine: str) -> dict:
    from bench.real import score_boxes, score_indicators
    from pipeline.run import recover

    truth = json.loads(TRUTH.read_text(encoding="utf-8"))
    plan = recover(None, scan=scan_result(readings, DOCUMENT, engine), allow_empty=True).plan
    return {"indicators": score_indicators(truth["indicators"], plan["indicators"]),
            "boxes": score_boxes(truth["programmes"], plan["programmes"])}


# ---------------------------------------------------------------- the section

def _levels() -> tuple[str, ...]:
    wanted = [l.strip() for l in os.environ.get("BENCH_OCR_LEVELS", ",".join(LEVELS)).split(",") if l.strip()]
    return tuple(l for l in LEVELS if l in wanted)


def _progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def run_real_ocr(engines=("rapidocr",), jobs: int = 2, levels: tuple[str, ...] | None = None, frontier: bool = True) -> dict:
    path = REALDOCS / DOCUMENT
    if not path.exists():
        return {"error": f"../shared/realdocs/{DOCUMENT} not found"}
    from pipeline.errors import PlanRecoverError

    levels = levels or _levels()
    started = time.perf_counter()
    layer = layer_pages(path)
    rendered = rendered_pages(path)
    image_pages = [p.number for p in layer if p.image_boxes]
    lines = [line for page in layer for line in page.lines]
    out: dict = {"document": DOCUMENT, "pages": len(layer), "image_pages": image_pages, "levels": list(levels), "engines": list(engines),
                 "dpi": DPI, "target_repaired_cer": TARGET_CER}
    text_pages, whole_pages, default_run = {}, {}, None
    for level in levels:
        text_pages[level] = {p.number: degraded(painted_white(rendered[p.number].pixels, p.image_boxes, DPI), p.number, level) for p in layer}
        whole_pages[level] = {n: degraded(rendered[n].pixels, n, level) for n in image_pages}
    for engine in engines:
        out[engine] = {}
        for level in levels:
            _progress(f"bench: real pages, {engine} {level} …")
            try:
                readings, wall, busy = read_pages(text_pages[level], engine, {}, jobs)
                figures = text_figures(readings, lines, engine)
                figures["seconds_per_page"] = sum(busy.values()) / len(readings)
                figures["wall_seconds"] = wall
                if engine == "rapidocr" and level == "scan":
                    default_run = (readings, busy)
                box_readings, _, _ = read_pages(whole_pages[level], engine, {}, jobs)
                figures["structure"] = structure_figures(box_readings, engine)
            except PlanRecoverError as exc:
                out[engine][level] = {"error": f"{type(exc).__name__}: {exc}"}
                break
            out[engine][level] = figures
    if frontier and os.environ.get("BENCH_REALOCR_FRONTIER", "1") != "0" and default_run is not None:
        out["frontier"] = run_frontier(text_pages["scan"], layer, default_run, jobs)
    out["seconds"] = time.perf_counter() - started
    return out


def run_frontier(pages: dict[int, np.ndarray], layer: list[LayerPage], default_run: tuple, jobs: int) -> dict:
    """Each setting on the full text pages at the scan level; the default's row is the
    main run's reading of those pages."""
    numbers = [p.number for p in layer if not p.image_boxes]
    lines = [line for p in layer if p.number in numbers for line in p.lines]
    rows = {}
    for name, (engine, settings) in FRONTIER.items():
        if name == DEFAULT_SETTING:
            readings = [r for r in default_run[0] if r.number in numbers]
            busy = {n: default_run[1][n] for n in numbers}
        else:
            _progress(f"bench: frontier {name} …")
            readings, _, busy = read_pages({n: pages[n] for n in numbers}, engine, settings, jobs)
        figures = text_figures(readings, lines, engine)
        rows[name] = {"engine": engine, "settings": settings, "seconds_per_page": sum(busy.values()) / len(readings),
                      "reading_cer": figures["reading_cer"], "repaired_cer": figures["repaired_cer"],
                      "lines_dropped": figures["lines_dropped"]}
    return {"level": "scan", "pages": numbers, "default": DEFAULT_SETTING, "settings": rows}


def _pct(value, digits: int = 2) -> str:
    return "—" if value is None else f"{100 * value:.{digits}f} %"


def render_real_ocr(figures: dict) -> list[str]:
    lines = [""]
    if figures.get("error"):
        return lines + [f"ocr on real pages: {figures['error']}"]
    lines.append(f"OCR ON REAL PAGES: {figures['document']} ({figures['pages']} pages, {figures['dpi']} dpi, degraded with the seeded scan model),"
                 " against the page's own text layer")
    lines.append("  text: the embedded images painted out on both sides; CER over all pages, white space ignored, characters as printed")
    lines.append(f"  structure: the image pages {', '.join(map(str, figures['image_pages']))} read whole, against bench/real/ truth")
    lines.append(f"  {'engine / level':<18}{'reading':>9}{'repaired':>10}{'errors':>8}{'lines lost':>12}{'headings':>10}{'CPU s/pg':>9}"
                 f"{'ind. rows':>11}{'targets':>9}{'attr.':>7}{'boxes':>8}{'titles':>8}{'items':>7}")
    runs = [(e, l, figures[e][l]) for e in figures.get("engines", []) for l in figures.get("levels", []) if isinstance(figures.get(e, {}).get(l), dict)]
    for e, l, f in runs:
        if f.get("error"):
            lines.append(f"  {e + ' ' + l:<18}{f['error']}")
            continue
        ind, box = f["structure"]["indicators"], f["structure"]["boxes"]
        lines.append(
            f"  {e + ' ' + l:<18}{_pct(f['reading_cer']):>9}{_pct(f['repaired_cer'], 3):>10}{f['repaired_errors']:>8}"
            f"{str(f['lines_dropped']) + '/' + str(f['lines']):>12}{str(f['headings_dropped']) + '/' + str(f['headings']):>10}{f['seconds_per_page']:>9.2f}"
            f"{str(ind['matched']) + '/' + str(ind['truth']):>11}{ind['target_ok']:>9}{ind['attribute_ok']:>7}"
            f"{str(box['matched']) + '/' + str(box['truth']):>8}{box['titles_ok']:>8}{box['item_counts_ok']:>7}"
        )
    for e, l, f in runs:
        if f.get("error"):
            continue
        top = ", ".join(f"{t or '∅'}→{r or '∅'} {n}" for t, r, n in f["confusions"][:6])
        lines.append(f"    {e} {l}: most frequent errors (printed→read): {top}")
        if f["dropped_examples"]:
            lines.append(f"    {e} {l}: lines lost: " + "; ".join(repr(x) for x in f["dropped_examples"]))
    target = figures.get("target_repaired_cer", TARGET_CER)
    at_scan = [(e, f) for e, l, f in runs if l == "scan" and not f.get("error")]
    if at_scan:
        missed = [f"{e} {_pct(f['repaired_cer'], 3)}" for e, f in at_scan if f["repaired_cer"] > target]
        lines.append(f"  [{'met' if not missed else 'MISSED':>6}] repaired CER ≤ {100 * target:.1f} % at the scan level" + (": " + ", ".join(missed) if missed else ""))
        lost = [f"{e} {f['lines_dropped']}" for e, f in at_scan if f["lines_dropped"]]
        lines.append(f"  [{'met' if not lost else 'MISSED':>6}] no line or heading lost at the scan level" + (": " + ", ".join(lost) if lost else ""))
    frontier = figures.get("frontier")
    if frontier:
        lines.append(f"  speed/accuracy frontier (rapidocr, {frontier['level']} level, the pages without images {', '.join(map(str, frontier['pages']))};"
                     " CPU seconds per page, one thread):")
        lines.append(f"  {'setting':<22}{'s/page':>8}{'reading':>10}{'repaired':>10}{'lines lost':>12}")
        for name, row in frontier["settings"].items():
            mark = "  (default)" if name == frontier["default"] else ""
            lines.append(f"  {name:<22}{row['seconds_per_page']:>8.2f}{_pct(row['reading_cer']):>10}{_pct(row['repaired_cer'], 3):>10}{row['lines_dropped']:>12}{mark}")
    if "seconds" in figures:
        lines.append(f"  ({figures['seconds']:.0f} s for OCR on real pages)")
    return lines


def main() -> int:
    engines = ("rapidocr", "tesseract") if os.environ.get("BENCH_OCR", "1") == "all" else ("rapidocr",)
    figures = run_real_ocr(engines, jobs=int(os.environ.get("BENCH_JOBS", "2")))
    print("\n".join(render_real_ocr(figures)))
    return 1 if figures.get("error") else 0


if __name__ == "__main__":
    raise SystemExit(main())
