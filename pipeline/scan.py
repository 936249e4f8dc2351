"""Read a scan (PDF or image) into one text with per-character provenance.

Pages are rendered here and read in worker processes (one OCR engine each), so two
cores read two pages at once. A page that fails is reported and skipped; the other
pages still count. On a terminal a progress bar shows the pages.
"""

from __future__ import annotations

import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from .fusion import ScanReading

DEFAULT_ENGINE = "rapidocr"
DEFAULT_DPI = 200


@dataclass(frozen=True)
class ScanResult:
    reading: ScanReading
    pages: int
    engine: str
    failures: tuple[dict, ...] = ()  # issues: pages that could not be read
    seconds: dict = field(default_factory=dict)  # per stage


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
        return number, None, str(exc)
    if debug_dir:
        write_debug_image(pixels, reading, Path(debug_dir) / f"page-{number:03d}.png")
    return number, reading, None


def read_scan_file(
    path: str | Path,
    engine: str = DEFAULT_ENGINE,
    dpi: int = DEFAULT_DPI,
    jobs: int | None = None,
    debug_dir: str | Path | None = None,
    progress: bool | None = None,
) -> ScanResult:
    from ocr import get_engine, render_pages
    from ocr.reflow import reflow

    get_engine(engine).require()  # fail early, with the install hint, before any page is rendered
    if debug_dir:
        Path(debug_dir).mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    pages = [(p.number, p.pixels, p.dpi, str(debug_dir) if debug_dir else None) for p in render_pages(path, dpi=dpi)]
    rendered = time.perf_counter()
    jobs = max(1, min(jobs or os.cpu_count() or 1, len(pages)))
    show = sys.stderr.isatty() if progress is None else progress
    readings, failures = {}, []
    with ProcessPoolExecutor(max_workers=jobs, initializer=_worker_init, initargs=(engine,)) as pool:
        results = pool.map(_read_one, pages)
        if show:
            from tqdm import tqdm

            results = tqdm(results, total=len(pages), desc=f"OCR ({engine})", unit="page", file=sys.stderr)
        for number, reading, error in results:
            if reading is None:
                failures.append({"kind": "page_unreadable", "box": None, "detail": error, "data": {"page": number}, "source": None})
            else:
                readings[number] = reading
    text = reflow([readings[n] for n in sorted(readings)])
    seconds = {"render": round(rendered - started, 3), "ocr": round(time.perf_counter() - rendered, 3)}
    return ScanResult(ScanReading(text.text, text.confidence, text.where), len(pages), engine, tuple(failures), seconds)
