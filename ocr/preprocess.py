"""Clean a page image before layout analysis and OCR (OpenCV).

Steps, each optional: grayscale; deskew (skew measured by a projection profile of
the ink); denoise (median 3x3); flatten the background (divide by an estimate of the
paper's brightness, which removes uneven scanner lighting); binarise (Otsu or local
adaptive threshold).

Which steps help is measured, not assumed: ``compare_variants`` OCRs a page under
each variant and reports mean confidence.

Measured with ocr.read_page on the stand-in scan (``python -m ocr.standin``): 9 A4
pages at 200 dpi, 4869 characters of truth (titles, body, frames, a 9x6 ruled table),
at two degradation levels. CER = edit distance / truth length, whitespace ignored;
"folded" also ignores full/half width (（ vs (), which repair normalises.

                            "scan" (tilt 0.5-1 deg)     "heavy" (tilt 0.9-2 deg)
  rapidocr  deskew            0.76 % (folded 0.14)       7.1 %
  rapidocr  deskew+otsu       0.39 % (0.14)             11.2 %
  rapidocr  deskew+flatten    0.90 % (0.18)              2.3 % (folded 1.9)   <- robust
  rapidocr  +flatten+adaptive 0.70 % (0.21)              4.9 %
  rapidocr  deskew+denoise    4.6 %  (median 3x3 erases 1-px serif strokes)
  tesseract deskew            4.2 %                     33 %
  tesseract deskew+otsu       3.0 %                     35 %
  tesseract deskew+flatten    2.9 % (folded 2.2)         7.8 %                <- robust
  tesseract +flatten+adaptive 1.5 % (0.9)               35 %

Re-measured with the whole scan path (bench/scan.py's pages: 9 pages per level,
clean = the typeset pages undegraded; CER of the reading against golden/plan.repaired.txt,
white space ignored, title page and full/half-width brackets included, hence higher;
"fused": the corpus extract fused with the reading; "ok": image-only structure — box
numbers and titles 100 %, agency F1 >= 0.98 — and fused text identical to golden):

                             clean             scan              heavy
  rapidocr  deskew+otsu      1.01 % ok         0.93 % ok         12.6 %, fused 2.06 %, boxes 80 %
  rapidocr  deskew+flatten   1.03 %, F1 0.97   1.44 % ok         3.4 % ok                  <- default
  rapidocr  +flatten+adapt.  1.22 %, fused .04 1.24 % ok         6.3 %, F1 0.71
  tesseract deskew+otsu      3.6 %             3.4 %, fused .78  36.7 %
  tesseract deskew+flatten   2.6 %, fused .72  3.4 %, fused 1.32  9.4 %, fused 0.89 %
  tesseract +flatten+adapt.  6.1 %, fused 3.3  2.0 %, fused .25  43 %, boxes 0 %            <- default

RapidOCR: deskew+flatten is within noise of otsu at the clean and scan levels (at
"scan" nearly all its extra errors are brackets read half-width, ( for （; folded,
0.72 vs 0.68 %; same fused text, same structure) and far better at "heavy" (3.4 vs 12.6 %), so
it is the default. Tesseract: flatten+adaptive is best at "scan" (the corpus's level:
fused 0.25 vs 1.3 %) but collapses at "heavy" (43 %), where deskew+flatten holds
(9.4 %); it stays the default for now, and ``compare_variants`` on a page tells which
a batch needs. At the heavy level an image-only recovery gives no indicator rows with
any engine or variant: ocr.layout finds the table's grid as 6 x 4 cells instead of
9 x 6 (some of its rules are lost in the blur and noise), so no row fits the header.

Speed: the engine is most of the time (bench/scan.py prints seconds per stage); peak
RSS about 1.0-1.4 GB with RapidOCR loaded. No variant wins everywhere (Otsu is best on
a clean scan and worst on a dark noisy one). Skew was measured within 0.02
degrees of the truth on the "scan" pages and within 0.13 on 8 of 9 "heavy" ones; the
heavy title page (two short lines on a noisy page) was read as level (truth 1.33).

Skew: the ink's pixel coordinates are projected onto the vertical axis at candidate
angles; text lines and frame rules give the sharpest profile (largest sum of squared
bin counts) when level. A coarse pass (0.25 degree steps over +-max_angle) is refined
in 0.02 degree steps. Angles follow OpenCV: positive means the content is rotated
counter-clockwise as seen on screen.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

SKEW_WORK_SIDE = 1400  # skew is measured on a copy no longer than this (speed)
MIN_DESKEW_DEG = 0.1  # below this, resampling costs more sharpness than it gains
MAX_SKEW_DEG = 5.0


@dataclass(frozen=True)
class Preprocessing:
    """Which cleaning steps to apply (see module docstring for what each does)."""

    deskew: bool = True
    denoise: bool = False
    flatten: bool = False
    binarize: str | None = None  # None | "otsu" | "adaptive"


DEFAULT = Preprocessing()
VARIANTS: dict[str, Preprocessing] = {
    "gray": Preprocessing(deskew=False),
    "deskew": Preprocessing(),
    "deskew+flatten": Preprocessing(flatten=True),
    "deskew+denoise": Preprocessing(denoise=True),
    "deskew+otsu": Preprocessing(binarize="otsu"),
    "deskew+flatten+adaptive": Preprocessing(flatten=True, binarize="adaptive"),
}
# Chosen from the measurements above. (deskew+flatten once made tests/test_scan_e2e.py
# fail: row 5's raised ③ read as "11.6ª", a value the indicator parser took for
# missing and no check flagged; extract/indicators.py now reads it, and flags any value
# cell it cannot read.)
ENGINE_DEFAULTS: dict[str, Preprocessing] = {
    "rapidocr": VARIANTS["deskew+flatten"],
    "tesseract": VARIANTS["deskew+flatten+adaptive"],
}


def default_for(engine_name: str) -> Preprocessing:
    return ENGINE_DEFAULTS.get(engine_name, DEFAULT)


@dataclass(frozen=True)
class PreparedPage:
    """A cleaned grayscale page and what was done to it."""

    gray: np.ndarray  # uint8, (height, width)
    skew_deg: float  # measured skew of the input (0.0 when not measured)
    rotated: bool  # whether the page was rotated by -skew_deg
    options: Preprocessing


@dataclass(frozen=True)
class VariantScore:
    name: str
    mean_confidence: float  # over characters
    chars: int
    seconds: float


def to_gray(pixels: np.ndarray) -> np.ndarray:
    """uint8 grayscale from a gray, RGB or RGBA array."""
    import cv2

    if pixels.ndim == 2:
        return pixels if pixels.dtype == np.uint8 else np.clip(pixels, 0, 255).astype(np.uint8)
    if pixels.shape[2] == 4:
        return cv2.cvtColor(pixels, cv2.COLOR_RGBA2GRAY)
    return cv2.cvtColor(pixels, cv2.COLOR_RGB2GRAY)


def ink_mask(gray: np.ndarray) -> np.ndarray:
    """255 where there is ink (Otsu on the page), 0 elsewhere."""
    import cv2

    _, mask = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    return mask


def line_bars(mask: np.ndarray) -> np.ndarray:
    """Text lines smeared into solid bars: their edges, unlike glyph strokes, are straight."""
    import cv2

    width = max(9, mask.shape[1] // 60)  # wider than the gap between two glyphs
    bars = cv2.morphologyEx(mask, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (width, 1)))
    return bars


def estimate_skew(gray: np.ndarray, max_angle: float = MAX_SKEW_DEG) -> float:
    """The angle (degrees, counter-clockwise positive) by which the page's lines are tilted."""
    import cv2

    scale = min(1.0, SKEW_WORK_SIDE / max(gray.shape))
    small = cv2.resize(gray, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA) if scale < 1 else gray
    ys, xs = np.nonzero(line_bars(ink_mask(small)))
    if len(ys) < 50:
        return 0.0
    if len(ys) > 200_000:  # a fixed sample keeps the cost flat on dense pages
        pick = np.random.default_rng(0).choice(len(ys), 200_000, replace=False)
        ys, xs = ys[pick], xs[pick]
    ys = ys.astype(np.float64)
    xs = xs.astype(np.float64) - small.shape[1] / 2

    def sharpness(angle: float) -> float:
        # Level the line y = y0 - x*tan(angle) (a CCW tilt on screen) and bin it.
        t = np.tan(np.radians(angle))
        v = ys + xs * t
        counts = np.bincount(np.round(v - v.min()).astype(np.int64))
        return float(np.dot(counts, counts))

    coarse = np.arange(-max_angle, max_angle + 1e-9, 0.25)
    best = max(coarse, key=sharpness)
    fine = np.arange(best - 0.3, best + 0.3 + 1e-9, 0.02)
    scores = np.array([sharpness(a) for a in fine])
    # Small angles move no pixel into another bin: take the middle of the flat top.
    top = fine[scores >= scores.max() * (1 - 1e-6)]
    return round(float(top.mean()), 2)


def rotate(gray: np.ndarray, angle: float) -> np.ndarray:
    """The page rotated counter-clockwise by ``angle`` degrees, same size, white corners."""
    import cv2

    height, width = gray.shape[:2]
    matrix = cv2.getRotationMatrix2D((width / 2, height / 2), angle, 1.0)
    return cv2.warpAffine(gray, matrix, (width, height), flags=cv2.INTER_CUBIC, borderValue=255)


def deskew(gray: np.ndarray, max_angle: float = MAX_SKEW_DEG) -> tuple[np.ndarray, float]:
    """(level page, measured skew). Pages within MIN_DESKEW_DEG are returned untouched."""
    angle = estimate_skew(gray, max_angle)
    if abs(angle) < MIN_DESKEW_DEG:
        return gray, angle
    return rotate(gray, -angle), angle


def denoise(gray: np.ndarray) -> np.ndarray:
    """Median 3x3: removes salt-and-pepper specks, keeps stroke edges."""
    import cv2

    return cv2.medianBlur(gray, 3)


def flatten_background(gray: np.ndarray) -> np.ndarray:
    """Divide by the paper's brightness so uneven lighting becomes a white page."""
    import cv2

    small = cv2.resize(gray, None, fx=0.25, fy=0.25, interpolation=cv2.INTER_AREA)
    # Closing with a kernel wider than a glyph erases the text, leaving the paper.
    paper = cv2.morphologyEx(small, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (15, 15)))
    paper = cv2.medianBlur(paper, 5)
    paper = cv2.resize(paper, (gray.shape[1], gray.shape[0]), interpolation=cv2.INTER_LINEAR)
    flat = gray.astype(np.float32) / np.maximum(paper.astype(np.float32), 1.0) * 255.0
    return np.clip(flat, 0, 255).astype(np.uint8)


def binarize(gray: np.ndarray, method: str = "otsu") -> np.ndarray:
    """Black text on white: "otsu" (one threshold for the page) or "adaptive" (local)."""
    import cv2

    if method == "otsu":
        _, out = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
        return out
    if method == "adaptive":
        block = max(15, (min(gray.shape) // 40) | 1)  # odd, a few glyphs wide
        return cv2.adaptiveThreshold(gray, 255, cv2.ADAPTIVE_THRESH_GAUSSIAN_C, cv2.THRESH_BINARY, block, 15)
    raise ValueError(f"unknown binarisation {method!r}: use 'otsu' or 'adaptive'")


def preprocess(pixels: np.ndarray, options: Preprocessing = DEFAULT) -> PreparedPage:
    """Apply ``options`` to a page (gray or RGB pixels)."""
    gray = to_gray(pixels)
    skew, rotated = 0.0, False
    if options.deskew:
        gray, skew = deskew(gray)
        rotated = abs(skew) >= MIN_DESKEW_DEG
    if options.denoise:
        gray = denoise(gray)
    if options.flatten:
        gray = flatten_background(gray)
    if options.binarize:
        gray = binarize(gray, options.binarize)
    return PreparedPage(gray, skew, rotated, options)


def compare_variants(pixels: np.ndarray, engine, variants: dict[str, Preprocessing] | None = None,
                     dpi: float | None = None) -> list[VariantScore]:
    """Read the page under each preprocessing variant; best mean confidence first.

    Confidence is the engine's own, weighted by characters; a variant that loses text
    also shows in ``chars``. Use it on a page or two to choose a variant for a batch
    of similar scans."""
    import time

    from ocr.read_page import read_page

    scores = []
    for name, options in (variants or VARIANTS).items():
        start = time.perf_counter()
        lines = read_page(pixels, engine, dpi=dpi, options=options).lines
        chars = sum(len(line.text) for line in lines)
        weighted = sum(line.confidence * len(line.text) for line in lines)
        scores.append(VariantScore(name, round(weighted / chars, 4) if chars else 0.0, chars, round(time.perf_counter() - start, 2)))
    return sorted(scores, key=lambda s: (s.mean_confidence, s.chars), reverse=True)
