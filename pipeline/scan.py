"""Read a scan (PDF or image) into one text with per-character provenance.

Pages are rendered here and read in worker processes (one OCR engine each), so two
cores read two pages at once. A page that fails is reported and skipped; the other
pages still count. On a terminal a progress bar shows the pages.

A PDF whose text layer is sound is read region by region (``ocr.pdf_regions``): the
layer's text is kept as it is, and only the embedded images that print text (a table
or a 专栏 box pasted in as a picture) are OCR'd, each at its own resolution; their
readings join the layer's lines where the images stand on the page.
"""

from __future__ import annotations

import hashlib
import os
import sys
import threading
import time
import zlib
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, as_completed, wait
from contextlib import contextmanager, nullcontext
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
    # A sound PDF read region by region: the embedded images read into the source text
    # (page, bbox in PDF points, pixels, and where their reading stands in the source),
    # and per character of that source where it was read (None: the text layer's own).
    regions: tuple[dict, ...] = ()
    source_where: tuple | None = None
    # In that source, OCR's half-width marks inside Chinese text (ocr.punctuation), at
    # their source offsets: repair writes them as printed, each a recorded change.
    source_widths: tuple = ()
    source_alternatives: tuple = ()  # and the characters OCR was unsure of (ScanReading.alternatives)

    @property
    def ocr_text(self) -> str:
        """Everything OCR read, as read: the pages' reading, then each image region's."""
        parts = [self.reading.read_text] + [r["text"] for r in self.regions]
        return "\n\n".join(part for part in parts if part)


_ENGINE = None


def _one_opencv_thread() -> None:
    """OpenCV runs one thread in each process here: OCR spreads over cores by processes (a
    pool, a batch's workers), and OpenCV's own threads on top of them made two workers on
    two cores run four threads (a 7-document batch: 222 s -> 181 s on one worker, 127 s ->
    111 s on two). Set on import, before any process is forked: set in a forked child, after
    its parent used OpenCV's threads, it hangs."""
    import cv2

    cv2.setNumThreads(1)


_one_opencv_thread()


def _worker_init(engine_name: str) -> None:
    global _ENGINE
    _ENGINE = _new_engine(engine_name)


def _new_engine(engine_name: str):
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")  # tesseract: 5x faster on 2 cores, same output
    from ocr import get_engine

    return get_engine(engine_name)


def _read_one(args, engine=None):
    import numpy as np

    key, number, pixels, dpi, debug_path = args
    pixels = np.asarray(pixels)  # an image still in its PDF (ImageInPdf) is taken from it here
    from ocr import write_debug_image
    from ocr.read_page import read_page
    from pipeline.errors import PlanRecoverError

    try:
        reading = read_page(pixels, engine or _ENGINE, number=number, dpi=dpi)
    except PlanRecoverError as exc:
        return key, None, str(exc), _peak_rss_mb()
    if debug_path:
        write_debug_image(pixels, reading, debug_path)
    return key, reading, None, _peak_rss_mb()


@dataclass(frozen=True)
class _OcrTask:
    key: object  # what the caller knows the image by: a page number, an image
    number: int  # the page it is on
    pixels: object
    dpi: float
    debug_name: str  # file name of its debug image


def _ocr_images(tasks: list[_OcrTask], engine: str, jobs: int | None, debug_dir, progress: bool | None, unit: str = "page"):
    """Read the images in worker processes, largest first: ({key: PageReading}, {key: error}, peak RSS)."""
    if tasks and _SEAM.get("listing"):
        raise OcrJobsListed(ocr_jobs_of(tasks), _SEAM.get("carried", {}))
    if tasks and _SEAM.get("readings") is not None:
        return _given_readings(tasks, _SEAM.pop("readings"))
    return _read_in_pool(iter([tasks[i] for i in _largest_first(tasks)]), len(tasks), engine, jobs, debug_dir, progress, unit)


def _read_in_pool(tasks, count: int, engine: str, jobs: int | None, debug_dir, progress: bool | None, unit: str = "page"):
    """Read ``count`` images from the iterator ``tasks`` in worker processes, handing the pool
    a few at a time (a scan's pages as they are rendered: a long scan is never all in
    memory). Readings, and errors, in the order the tasks came."""
    from tqdm import tqdm

    readings, errors, peak_rss = {}, {}, 0.0
    if not count:
        return readings, errors, peak_rss
    if debug_dir:
        Path(debug_dir).mkdir(parents=True, exist_ok=True)
    jobs = max(1, min(jobs or os.cpu_count() or 1, count))
    show = sys.stderr.isatty() if progress is None else progress
    bar = tqdm(total=count, desc=f"OCR ({engine})", unit=unit, file=sys.stderr, disable=not show)
    warm, workers = _WARM.get(engine, (None, 0))
    with nullcontext(warm) if workers >= jobs else ProcessPoolExecutor(max_workers=jobs, initializer=_worker_init, initargs=(engine,)) as pool:
        futures, running = [], set()
        try:
            for task in tasks:
                if len(running) >= 2 * jobs:  # one image being read and one waiting, per worker
                    done, running = wait(running, return_when=FIRST_COMPLETED)
                    bar.update(len(done))
                debug_path = str(Path(debug_dir) / task.debug_name) if debug_dir else None
                futures.append(pool.submit(_read_one, (task.key, task.number, task.pixels, task.dpi, debug_path)))
                running.add(futures[-1])
        except BaseException:  # a page that cannot be rendered ends the reading: no page waits to be read
            for future in futures:
                future.cancel()
            raise
        for future in as_completed(running):
            bar.update(1)
        for future in futures:
            key, reading, error, rss = future.result()
            peak_rss = max(peak_rss, rss)
            if reading is None:
                errors[key] = error
            else:
                readings[key] = reading
    bar.close()
    return readings, errors, peak_rss


# A pool started before the images are known to be needed, its workers loading their
# engine (2 s each) while the main process still reads the layer and triages the pages.
_WARM: dict = {}


@contextmanager
def warm_ocr_pool(engine: str, jobs: int | None, images: int):
    """Within: ``_ocr_images`` of up to ``images`` images uses a pool whose workers are
    already loading ``engine`` (outside a batch's seam, which reads images elsewhere)."""
    workers = max(1, min(jobs or os.cpu_count() or 1, images))
    if images == 0 or _SEAM:
        yield
        return
    pool = ProcessPoolExecutor(max_workers=workers, initializer=_worker_init, initargs=(engine,))
    for _ in range(workers):
        pool.submit(_warm_engine)
    _WARM[engine] = (pool, workers)  # used by a reading wanting at most as many workers
    try:
        yield
    finally:
        _WARM.pop(engine, None)
        pool.shutdown(wait=True, cancel_futures=True)


def _warm_engine() -> None:
    """The engine's first call loads its models (0.9 s): made on a blank strip."""
    import numpy as np

    _ENGINE.recognize_lines(np.full((64, 256, 3), 255, np.uint8))


# ---- the seam a batch reads pages through (pipeline.batchtask) -------------------
# A batch spreads a document's OCR over a cluster: extract runs under listing_ocr_jobs()
# and stops where it would read images, handing them over as jobs; each job is read on
# any worker by read_ocr_job (its engine loaded once per process); extract runs again
# under with_readings(), and the images' readings are the ones given, not read again.
# The same pixels through the same read_page: the outputs are those of a single run.

_SEAM: dict = {}


class OcrJobsListed(BaseException):
    """Raised where images would be read, under listing_ocr_jobs(): a BaseException, so
    no handler of errors on the way mistakes it for one. With the jobs, what the run
    carries to its finishing run (see carry)."""

    def __init__(self, jobs: list["OcrJob"], carried: dict | None = None):
        super().__init__(f"{len(jobs)} images to read")
        self.jobs = jobs
        self.carried = carried or {}


def carry(key: tuple, compute):
    """``compute()``, carried across the seam: what a document's listing run works out before
    its first OCR (the PDF's layout, its pages' triage) goes with its jobs to the finishing
    run, which takes it instead of working it out again. The same values, so the same
    outputs; the 文物 PDF's finish no longer parses its 18 pages again (2-3 s)."""
    store = _SEAM.get("carried")
    if store is None:
        return compute()
    if key not in store:
        store[key] = compute()
    return store[key]


@dataclass(frozen=True)
class OcrJob:
    """One image to read, self-contained: its pixels travel with it (zlib: lossless)."""

    index: int  # its place among the document's images: its reading's key when it comes back
    number: int  # the page it is on
    dpi: float
    shape: tuple
    dtype: str
    data: bytes = field(repr=False)

    @property
    def pixels(self):
        import numpy as np

        return np.frombuffer(zlib.decompress(self.data), dtype=self.dtype).reshape(self.shape).copy()


def ocr_jobs_of(tasks: list[_OcrTask]) -> list[OcrJob]:
    """The images as jobs, largest first (as the local pool takes them)."""
    return [_ocr_job(i, tasks[i].number, tasks[i].dpi, tasks[i].pixels) for i in _largest_first(tasks)]


def _ocr_job(index: int, number: int, dpi: float, pixels) -> OcrJob:
    import numpy as np

    pixels = np.ascontiguousarray(pixels)
    return OcrJob(index, number, dpi, pixels.shape, pixels.dtype.str, zlib.compress(pixels.tobytes(), 1))


def _list_scan_pages(pages, listed_as: tuple) -> None:
    """Under listing_ocr_jobs(): a scan's pages as jobs, each made as its page is rendered,
    so a long scan is never all in memory (a 200-page scan's listing step went past 4 GB
    holding every page rendered). The same jobs, in the same order, as ocr_jobs_of makes.
    What the finishing run needs of the pages (number, resolution, size) is carried."""
    jobs = [_ocr_job(i, page.number, page.dpi, page.pixels) for i, page in enumerate(pages)]
    if jobs:
        carried = _SEAM.setdefault("carried", {})
        carried[listed_as] = tuple((job.number, job.dpi, job.shape) for job in jobs)  # in page order
        jobs.sort(key=lambda job: -job.shape[0] * job.shape[1])  # stable: as _largest_first
        raise OcrJobsListed(jobs, carried)


def _pages_listed(listed_as: tuple) -> list | None:
    """In a finishing run, the scan's pages as its listing run carried them: their readings
    are given, so no page is rendered again (a 200-page scan at 200 dpi: 10 s and 2.3 GB
    of pages held, on one worker, after every read is done). Their pixels are a stand-in
    of the page's shape that holds none (zero strides): the shape only orders them as the
    listing did."""
    import numpy as np

    from ocr.render import PageImage

    if _SEAM.get("readings") is None or listed_as not in _SEAM.get("carried", {}):
        return None
    return [PageImage(number, np.broadcast_to(np.uint8(0), shape), dpi) for number, dpi, shape in _SEAM["carried"][listed_as]]


@contextmanager
def listing_ocr_jobs():
    """Within: the first OCR of images raises OcrJobsListed with them as jobs."""
    _SEAM.clear()
    _SEAM["listing"] = True
    _SEAM["carried"] = {}
    try:
        yield
    finally:
        _SEAM.clear()


def read_ocr_job(job: OcrJob, engine: str = DEFAULT_ENGINE) -> tuple:
    """Read one job with this thread's engine (made at its first job): (reading or None,
    error or None, peak RSS of this process in MB). An engine per thread: a Dask worker
    started with several threads reads several images at once, and an engine keeps
    settings from call to call (rapidocr's), so two reads at once must not share one."""
    if getattr(_THREAD_ENGINE, "name", None) != engine:
        _THREAD_ENGINE.engine, _THREAD_ENGINE.name = _new_engine(engine), engine
    _, reading, error, rss = _read_one((job.index, job.number, job.pixels, job.dpi, None), _THREAD_ENGINE.engine)
    return reading, error, rss


_THREAD_ENGINE = threading.local()


@contextmanager
def with_readings(readings: dict, carried: dict | None = None):
    """Within: the first OCR of images takes ``readings`` ({job index: (reading, error, rss)})
    instead of reading; a later one (none in extract today) reads as usual. ``carried``:
    what the listing run worked out on its way (OcrJobsListed.carried)."""
    _SEAM.clear()
    _SEAM["readings"] = readings
    _SEAM["carried"] = dict(carried or {})
    try:
        yield
    finally:
        _SEAM.clear()


def _given_readings(tasks: list[_OcrTask], given: dict):
    readings, errors, peak_rss = {}, {}, 0.0
    for i in _largest_first(tasks):  # the order the local pool gives them in: failures are listed in it
        task = tasks[i]
        reading, error, rss = given[i]
        peak_rss = max(peak_rss, rss)
        if reading is None:
            errors[task.key] = error
        else:
            readings[task.key] = reading
    return readings, errors, peak_rss


def _largest_first(tasks: list[_OcrTask]) -> list[int]:
    """Largest first: two workers then finish together instead of one waiting on the last big image."""
    return sorted(range(len(tasks)), key=lambda i: -tasks[i].pixels.shape[0] * tasks[i].pixels.shape[1])


def _stage_seconds(readings) -> dict:
    return {stage: round(sum(r.stages.get(stage, 0.0) for r in readings), 3) for stage in ("preprocess", "layout", "engine", "assemble")}


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
) -> ScanResult:
    """OCR a scan or PDF, page by page."""
    from ocr import get_engine, render_pages
    from ocr.render import open_scan

    get_engine(engine).require()  # fail early, with the install hint, before any page is rendered
    started = time.perf_counter()
    digest = hashlib.sha256(Path(path).read_bytes()).hexdigest()
    listed_as = ("scan pages", digest, dpi)
    pages, result = _pages_listed(listed_as), None
    if pages is None:
        rendered = render_pages(path, dpi=dpi)
        if _SEAM.get("listing"):
            _list_scan_pages(rendered, listed_as)  # raises, unless the scan has no page
        if _SEAM:  # readings given, but not the pages' sizes that order them
            pages = list(rendered)
        else:  # a single run: each page read as it is rendered, and let go
            result = _read_as_rendered(rendered, open_scan(path).page_count, Path(path).name, digest, engine, dpi, jobs, debug_dir, progress)
    if result is None:
        result = read_scan_pages(pages, Path(path).name, digest, engine, dpi, jobs, debug_dir, progress, time.perf_counter() - started)
    if result.pages and not result.reading.text.strip():
        from .errors import EmptyInput

        raise EmptyInput(f"{Path(path).name}: OCR read no text on any of its {result.pages} page(s): a blank scan or a picture, not a scanned document?")
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

    get_engine(engine).require()
    started = time.perf_counter()
    readings, errors, peak_rss = _ocr_images([_page_task(p) for p in pages], engine, jobs, debug_dir, progress)
    return _scan_result(readings, errors, peak_rss, len(pages), name, sha256, engine, dpi,
                        {"render": round(render_seconds, 3) if render_seconds is not None else None, "ocr": round(time.perf_counter() - started, 3)})


def _read_as_rendered(pages, count: int, name: str, sha256: str, engine: str, dpi: int, jobs, debug_dir, progress) -> ScanResult:
    """Read a scan's ``count`` pages as ``pages`` renders them, each let go once read: a
    single run held every page of a long scan (200 pages at 200 dpi: 2.3 GB) before
    reading the first. Each page is read alone, so the readings do not depend on the order."""
    rendering, rendered = [0.0], [0]

    def timed(pages):
        while True:
            started = time.perf_counter()
            page = next(pages, None)
            rendering[0] += time.perf_counter() - started
            if page is None:
                return
            rendered[0] += 1
            yield _page_task(page)

    started = time.perf_counter()
    readings, errors, peak_rss = _read_in_pool(timed(pages), count, engine, jobs, debug_dir, progress)
    return _scan_result(readings, errors, peak_rss, rendered[0], name, sha256, engine, dpi,
                        {"render": round(rendering[0], 3), "ocr": round(time.perf_counter() - started - rendering[0], 3)})


def _page_task(page) -> _OcrTask:
    return _OcrTask(page.number, page.number, page.pixels, page.dpi, f"page-{page.number:03d}.png")


def _scan_result(readings: dict, errors: dict, peak_rss: float, pages: int, name: str, sha256: str, engine: str, dpi: int,
                 seconds: dict) -> ScanResult:
    """The pages' readings as one text, in page order, and the pages that failed."""
    from ocr.reflow import reflow

    failures = [_unreadable(number, error) for number, error in sorted(errors.items())]
    failures += [_empty_page(number) for number in sorted(readings) if not readings[number].text().strip()]
    flowed = time.perf_counter()
    text = reflow([readings[n] for n in sorted(readings)])
    seconds = {**seconds, "reflow": round(time.perf_counter() - flowed, 3)}
    seconds.update(_stage_seconds(readings.values()))
    reading = ScanReading(text.text, text.confidence, text.where, widths=text.widths, alternatives=text.alternatives)
    return ScanResult(name, sha256, reading, pages, engine, dpi, tuple(failures), seconds, round(peak_rss, 1))


def _unreadable(page: int, error: str) -> dict:
    return {"kind": "page_unreadable", "box": None, "detail": error, "data": {"page": page}, "source": None}


def _empty_page(page: int) -> dict:
    """A page OCR read nothing from (blank, or a picture): said, so a lost page is not taken for an empty one."""
    return {"kind": "page_empty", "box": None, "detail": f"page {page}: OCR read no text (a blank page, or a picture without text)",
            "data": {"page": page}, "source": None}


SCAN_MAGIC = (b"%PDF-", b"\x89PNG", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*")


def is_scan_file(path: str | Path) -> bool:
    try:
        with open(path, "rb") as handle:
            head = handle.read(8)
    except OSError:
        return False
    return head.startswith(SCAN_MAGIC)


def read_document(path: str | Path, **scan_options) -> tuple["SourceText | None", ScanResult | None, list[dict]]:
    """A PDF or image: decide per page, and per embedded image, what can be trusted.

    A sound text layer (every page good, incomplete or blank) is the source as it is; the
    embedded images that print text it lacks are OCR'd and their readings placed among
    its lines, and a page still short of its ink once those images are set apart is
    OCR'd to fill gaps only. Some pages garbled: the text layer is the source and the
    OCR reading of every page is fused in. No text layer (or an image): the OCR
    reading is the source."""
    from ocr.render import open_scan

    path = Path(path)
    if open_scan(path).kind != "pdf":
        return None, read_scan_file(path, **scan_options), []
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    layouts, judged, pixels = _embedded_images(path, digest)
    readable = sum(1 for j in judged if j.decision == "read")
    with warm_ocr_pool(scan_options.get("engine", DEFAULT_ENGINE), scan_options.get("jobs"), readable):
        return _read_pdf(path, digest, layouts, judged, pixels, **scan_options)


def _read_pdf(path: Path, digest: str, layouts, judged, pixels, **scan_options):
    from ocr.pdf_regions import read_glyph_text
    from ocr.triage import triage_pdf

    from .ingest import SourceText

    # An image that is neither too small nor covered by layer text is judged on its own:
    # its ink does not make its page look short of text.
    apart: dict[int, list] = {}
    for j in judged:
        if j.decision in ("read", "no_text"):
            apart.setdefault(j.image.page, []).append(j.image.bbox)
    decisions = carry(("triage", digest, repr(sorted(apart.items()))),
                     lambda: triage_pdf(path, set_apart=apart, texts=[page.text for page in layouts]))
    text_layer = "\n".join(page.text for page in layouts)
    source = SourceText(path.name, digest, "pdf-text-layer", text_layer) if text_layer.strip() else None
    if source is not None and all(d.decision in ("good", "incomplete", "blank") for d in decisions):
        to_read = [j.image for j in judged if j.decision == "read"]
        incomplete = [d for d in decisions if d.decision == "incomplete"]
        if not to_read and not incomplete:
            from read.pdf import structured_source  # ruled tables and framed boxes reach the extractors from the document model

            return structured_source(path.name, path.read_bytes(), source), None, []
        return _read_sound_pdf(path, digest, layouts, to_read, pixels, incomplete, judged, **scan_options)
    garbled = [d.page for d in decisions if d.decision == "garbled"]
    if not garbled:
        return source, read_scan_file(path, **scan_options), []
    # A garbled layer is the document's own damaged extract: read glyph by glyph where
    # each line is printed (tabs between cells, blank lines where lines stand apart) and
    # fused with the OCR of the same pages, exactly as `extract X.txt --scan X.pdf` does.
    text, where = carry(("glyph text", digest), lambda: read_glyph_text(path))
    source = SourceText(path.name, digest, "pdf-text-layer", text)
    scan = read_scan_file(path, **scan_options)
    scan = replace(scan, source_where=layer_where(where, scan.dpi, text, scan.reading))
    return source, scan, [_garbled_issue(decisions, garbled)]


def layer_where(where: tuple, dpi: float, text: str, reading: ScanReading) -> tuple:
    """Per character of the layer's text: the glyph's page and box in pixels at ``dpi``
    (where the scan reading confirms it for the tabs and line breaks it lacks)."""
    from repair.fusion import confirmed_locations

    scale = dpi / 72
    confirmed = confirmed_locations(text, reading)
    return tuple(
        (w[0], tuple(int(round(v * scale)) for v in w[1])) if w is not None else c for w, c in zip(where, confirmed)
    )


def _garbled_issue(decisions, garbled: list[int]) -> dict:
    return {
        "kind": "text_layer_garbled",
        "box": None,
        "detail": f"the PDF's text layer is garbled on {len(garbled)} of {len(decisions)} pages; the pages were read by OCR and fused with it",
        "data": {"pages": garbled, "reasons": {str(d.page): list(d.reasons) for d in decisions if d.decision == "garbled"}},
        "source": None,
    }


def _embedded_images(path: Path, digest: str):
    """The PDF's pages (layer text, lines, images), each image's judgement, and the pixels
    of those judged worth reading ({(page, index): ImageInPdf}, taken from the file again
    when they are read: a PDF whose pages are scans is never all in memory)."""
    import pypdfium2 as pdfium

    from ocr.pdf_regions import ImageInPdf, image_pixels, is_large_enough, judge_image, read_pdf_layout
    from ocr.preprocess import to_gray
    from ocr.render import open_pdf

    layouts = carry(("layout", digest), lambda: read_pdf_layout(path))
    judged, pixels = [], {}
    images = [image for page in layouts for image in page.images]
    if not images:
        return layouts, judged, pixels
    heights = {page.number: page.height for page in layouts}
    pdf = open_pdf(path)
    try:
        for image in images:
            rgb = None
            if is_large_enough(image):
                try:
                    rgb = image_pixels(pdf, image, heights[image.page])
                except pdfium.PdfiumError:
                    rgb = None  # judged too small to look at: the page's triage counts its ink
            judgement = judge_image(image, to_gray(rgb) if rgb is not None else None)
            judged.append(judgement)
            if judgement.decision == "read":
                pixels[(image.page, image.index)] = ImageInPdf.judged(path, image, heights[image.page], rgb)
    finally:
        pdf.close()
    return layouts, judged, pixels


def _read_sound_pdf(path: Path, digest: str, layouts, images, pixels, incomplete, judged, engine: str = DEFAULT_ENGINE,
                    dpi: int = DEFAULT_DPI, jobs: int | None = None, debug_dir=None, progress: bool | None = None):
    """A sound text layer with images to read (and perhaps pages still short of text):
    the source is the layer's lines with the images' readings in place."""
    from ocr import get_engine
    from ocr.layer_glyphs import find_glyph_fixes
    from ocr.pdf_regions import is_text_reading, place_readings, region_reading, to_page_pixels
    from ocr.read_page import source_bbox
    from ocr.reflow import reflow
    from ocr.render import render_pages
    from repair.fusion import confirmed_locations

    from .ingest import SourceText

    get_engine(engine).require()
    started = time.perf_counter()
    tasks = [_OcrTask(image, image.page, pixels[(image.page, image.index)], image.dpi,
                      f"page-{image.page:03d}-image-{image.index + 1}.png") for image in images]
    fill_pages = {d.page for d in incomplete}
    for page in render_pages(path, dpi=dpi, numbers=frozenset(fill_pages)) if fill_pages else ():
        # Read whole, its images too: what both readings share anchors the alignment, so
        # fusion can tell where the text the layer lacks goes.
        tasks.append(_page_task(page))
    rendered = time.perf_counter()
    readings, errors, peak_rss = _ocr_images(tasks, engine, jobs, debug_dir, progress, unit="region")
    read = time.perf_counter()

    regions, unread, widths, unsure = [], [], {}, {}
    for image in images:
        reading = readings.get(image)
        if reading is None:
            continue
        flowed = reflow([reading])
        # The region stands in the source as OCR read it; its half-width marks are handed
        # to repair (offsets from the region's first character: placing strips white space).
        lead = len(flowed.text) - len(flowed.text.lstrip())
        widths[image] = [(change.offset - lead, change) for change in flowed.widths]
        unsure[image] = [(at - lead, first, others) for at, first, others in flowed.alternatives]
        size = pixels[(image.page, image.index)].shape[1::-1]

        def on_page(where, reading=reading, image=image, size=size):
            if where is None:
                return None
            bbox = source_bbox(where[1], reading.skew_deg, *size) if reading.rotated else where[1]
            return (image.page, to_page_pixels(bbox, image, size, dpi))

        region = region_reading(image, flowed.read_text, flowed.confidence, [on_page(w) for w in flowed.where])
        (regions if is_text_reading(region) else unread).append(region)
    placed = place_readings(layouts, regions)
    page_readings = [readings[n] for n in sorted(k for k in readings if isinstance(k, int))]
    flowed = reflow(page_readings) if page_readings else None
    fixes = tuple(find_glyph_fixes(path, layouts))  # the layer's own garbled spans, from its glyph positions
    page_reading = (ScanReading(flowed.text, flowed.confidence, flowed.where, fill_only=True, glyph_fixes=fixes) if flowed
                    else ScanReading("", (), (), fill_only=True, glyph_fixes=fixes))
    source = SourceText(path.name, digest, f"pdf-text-layer+ocr:{engine}" if regions else "pdf-text-layer", placed.text)
    where = placed.where
    if page_readings:
        confirmed = confirmed_locations(placed.text, page_reading)
        where = tuple(w if w is not None else c for w, c in zip(where, confirmed))
    by_image = {r.image: r for r in regions}
    source_widths = tuple(replace(change, offset=start + at) for image, start, end in placed.spans
                          for at, change in widths[image] if 0 <= at < end - start)
    source_alternatives = tuple((start + at, first, others) for image, start, end in placed.spans
                                for at, first, others in unsure[image] if 0 <= at < end - start)
    region_records = tuple(_region_record(by_image[image], (start, end), placed.text) for image, start, end in placed.spans)
    failures = [_unreadable(key, error) if isinstance(key, int) else
                {"kind": "page_unreadable", "box": None, "detail": f"{key.label}: {error}", "data": {"page": key.page, "bbox": [round(v, 1) for v in key.bbox]}, "source": None}
                for key, error in errors.items()]
    seconds = {"render": round(rendered - started, 3), "ocr": round(read - rendered, 3), "reflow": round(time.perf_counter() - read, 3)}
    seconds.update(_stage_seconds(readings.values()))
    touched = sorted({image.page for image in images} | fill_pages)
    result = ScanResult(path.name, digest, page_reading, len(touched), engine, dpi, tuple(failures), seconds, round(peak_rss, 1),
                        region_records, where, source_widths, source_alternatives)
    return source, result, [_incomplete_issue(layouts, judged, region_records, unread, sorted(fill_pages), len(layouts))]


def _region_record(reading, span: tuple[int, int], text: str) -> dict:
    """An image read into the source: where it is, and where its reading stands (lines from 1)."""
    image = reading.image
    start, end = span
    chars = [c for c, t in zip(reading.confidence, reading.text) if not t.isspace()]
    return {
        "page": image.page,
        "bbox": [round(v, 1) for v in image.bbox],
        "pixels": [image.width_px, image.height_px],
        "dpi": image.dpi,
        "characters": len(chars),
        "ocr_confidence": round(sum(chars) / len(chars), 3) if chars else 0.0,
        "start_line": text.count("\n", 0, start) + 1,
        "end_line": text.count("\n", 0, end) + 1,
        "text": reading.text,
    }


def _incomplete_issue(layouts, judged, regions, unread, fill_pages: list[int], page_count: int) -> dict:
    """What the text layer lacked and what OCR read in its place: the provenance of every
    character that did not come from the layer."""
    pages = sorted({r["page"] for r in regions} | set(fill_pages))
    what = [f"{len(regions)} embedded image{'s' if len(regions) != 1 else ''} (read by OCR into the text where they stand)"] if regions else []
    if fill_pages:
        what.append(f"{len(fill_pages)} page{'s' if len(fill_pages) != 1 else ''} with more ink than text (read by OCR to fill gaps only)")
    skipped = [{"page": j.image.page, "bbox": [round(v, 1) for v in j.image.bbox], "decision": j.decision, "reason": j.reason}
               for j in judged if j.decision != "read"]
    skipped += [{"page": r.image.page, "bbox": [round(v, 1) for v in r.image.bbox], "decision": "no_text", "reason": "OCR read no confident text in it"}
                for r in unread]
    return {
        "kind": "text_layer_incomplete",
        "box": None,
        "detail": f"the PDF's text layer is sound but lacks text printed as images on {len(pages)} of {page_count} pages: "
                  + "; ".join(what) if what else f"the PDF's text layer is sound but its images held no text OCR could read",
        "data": {
            "pages": pages,
            "regions": [{k: v for k, v in r.items() if k != "text"} for r in regions],
            "fill_pages": fill_pages,
            "images_not_read": skipped,
        },
        "source": None,
    }
