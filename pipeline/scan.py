"""Read a scan (PDF or image) into one text with per-character provenance.

Pages are rendered here and read in worker processes (one OCR engine each), so two
cores read two pages at once. A page that fails is reported and skipped; the other
pages still count. On a terminal a progress bar shows the pages.
"""

from __future__ import annotations

import hashlib
import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from repair.fusion import ScanReading

if TYPE_CHECKING:
    from .ingest import SourceText

DEFAULT_ENGINE = "rapidocr"
DEFAULT_DPI = 200


@dataclass(frozen=True)
class ScanResult:
    name: str
    sha256: str
    reading: ScanReading
    pages: int
    engine: str
    dpi: int
    failures: tuple[dict, ...] = ()  # issues: pages that could not be read
    # Per stage. render, ocr (the worker pool, engines' start included) and reflow: wall
    # clock here; preprocess, layout, engine (inside the OCR engine) and assemble: summed
    # over the pages in the workers (one core each).
    seconds: dict = field(default_factory=dict)
    worker_peak_rss_mb: float | None = None  # the largest worker's peak resident memory


_ENGINE = None


def _worker_init(engine_name: str) -> None:
    global _ENGINE
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")  # tesseract: 5x faster on 2 cores, same output
    from ocr import get_engine

    _ENGINE = get_engine(engine_name)


def _read_one(args):
    number, pixels, dpi, debug_dir = args
    from ocr import write_debug_image
    from ocr.read_page import read_page
    from pipeline.errors import PlanRecoverError

    try:
        reading = read_page(pixels, _ENGINE, number=number, dpi=dpi)
    except PlanRecoverError as exc:
        return number, None, str(exc), _peak_rss_mb()
    if debug_dir:
        write_debug_image(pixels, reading, Path(debug_dir) / f"page-{number:03d}.png")
    return number, reading, None, _peak_rss_mb()


def _peak_rss_mb() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def read_scan_file(
    path: str | Path,
    engine: str = DEFAULT_ENGINE,
    dpi: int = DEFAULT_DPI,
    jobs: int | None = None,
    debug_dir: str | Path | None = None,
    progress: bool | None = None,
    only_pages: frozenset[int] | None = None,
    fill_only: bool = False,
) -> ScanResult:
    """OCR a scan or PDF (``only_pages``: these page numbers only); ``fill_only`` marks a
    reading that may only fill what a sound text layer lacks."""
    from ocr import get_engine, render_pages

    get_engine(engine).require()  # fail early, with the install hint, before any page is rendered
    started = time.perf_counter()
    pages = [p for p in render_pages(path, dpi=dpi) if only_pages is None or p.number in only_pages]
    render_seconds = time.perf_counter() - started
    digest = hashlib.sha256(Path(path).read_bytes()).hexdigest()
    result = read_scan_pages(pages, Path(path).name, digest, engine, dpi, jobs, debug_dir, progress, render_seconds)
    if fill_only:
        result = replace(result, reading=replace(result.reading, fill_only=True))
    return result


def read_scan_pages(
    pages: list,
    name: str,
    sha256: str,
    engine: str = DEFAULT_ENGINE,
    dpi: int = DEFAULT_DPI,
    jobs: int | None = None,
    debug_dir: str | Path | None = None,
    progress: bool | None = None,
    render_seconds: float | None = None,
) -> ScanResult:
    """Read page images already in memory (ocr.render.PageImage: number, pixels, dpi)."""
    from ocr import get_engine
    from ocr.reflow import reflow

    get_engine(engine).require()
    if debug_dir:
        Path(debug_dir).mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    tasks = [(p.number, p.pixels, p.dpi, str(debug_dir) if debug_dir else None) for p in pages]
    jobs = max(1, min(jobs or os.cpu_count() or 1, len(tasks)))
    show = sys.stderr.isatty() if progress is None else progress
    readings, failures, peak_rss = {}, [], 0.0
    with ProcessPoolExecutor(max_workers=jobs, initializer=_worker_init, initargs=(engine,)) as pool:
        results = pool.map(_read_one, tasks)
        if show:
            from tqdm import tqdm

            results = tqdm(results, total=len(tasks), desc=f"OCR ({engine})", unit="page", file=sys.stderr)
        for number, reading, error, rss in results:
            peak_rss = max(peak_rss, rss)
            if reading is None:
                failures.append({"kind": "page_unreadable", "box": None, "detail": error, "data": {"page": number}, "source": None})
            else:
                readings[number] = reading
    read = time.perf_counter()
    text = reflow([readings[n] for n in sorted(readings)])
    seconds = {"render": round(render_seconds, 3) if render_seconds is not None else None, "ocr": round(read - started, 3),
               "reflow": round(time.perf_counter() - read, 3)}
    for stage in ("preprocess", "layout", "engine", "assemble"):
        seconds[stage] = round(sum(r.stages.get(stage, 0.0) for r in readings.values()), 3)
    reading = ScanReading(text.text, text.confidence, text.where)
    return ScanResult(name, sha256, reading, len(tasks), engine, dpi, tuple(failures), seconds, round(peak_rss, 1))


SCAN_MAGIC = (b"%PDF-", b"\x89PNG", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*")


def is_scan_file(path: str | Path) -> bool:
    try:
        with open(path, "rb") as handle:
            head = handle.read(8)
    except OSError:
        return False
    return head.startswith(SCAN_MAGIC)


def read_document(path: str | Path, **scan_options) -> tuple["SourceText | None", ScanResult | None, list[dict]]:
    """A PDF or image: decide per page whether its text layer can be trusted.

    All pages good: the text layer is the source, no OCR. Some garbled: the text layer
    is the source and the OCR reading is fused in. No text layer (or an image): the OCR
    reading is the source."""
    from ocr.render import open_scan
    from ocr.triage import page_texts, triage_pdf

    from .ingest import SourceText

    path = Path(path)
    source_kind = open_scan(path).kind
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    if source_kind != "pdf":
        return None, read_scan_file(path, **scan_options), []
    decisions = triage_pdf(path)
    texts = page_texts(path)
    text_layer = "\n".join(texts)
    source = SourceText(path.name, digest, "pdf-text-layer", text_layer) if text_layer.strip() else None
    if all(d.decision == "good" for d in decisions):
        return source, None, []
    garbled = [d.page for d in decisions if d.decision == "garbled"]
    incomplete = [d.page for d in decisions if d.decision == "incomplete"]
    issues = []
    if source is not None and incomplete and all(d.decision in ("good", "incomplete") for d in decisions):
        # A sound layer missing what is printed as images: OCR those pages only, and
        # let their reading fill gaps, never replace the layer's text.
        issues.append(
            {
                "kind": "text_layer_incomplete",
                "box": None,
                "detail": f"the PDF's text layer is sound but lacks text printed as images on {len(incomplete)} of {len(decisions)} pages; those pages were read by OCR to fill what it lacks",
                "data": {"pages": incomplete, "reasons": {str(d.page): list(d.reasons) for d in decisions if d.decision == "incomplete"}},
                "source": None,
            }
        )
        return source, read_scan_file(path, only_pages=frozenset(incomplete), fill_only=True, **scan_options), issues
    if garbled:
        issues.append(
            {
                "kind": "text_layer_garbled",
                "box": None,
                "detail": f"the PDF's text layer is garbled on {len(garbled)} of {len(decisions)} pages; the pages were read by OCR and fused with it",
                "data": {"pages": garbled, "reasons": {str(d.page): list(d.reasons) for d in decisions if d.decision == "garbled"}},
                "source": None,
            }
        )
    return source, read_scan_file(path, **scan_options), issues
