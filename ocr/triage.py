"""Is a PDF page's text layer worth reading, or must the page be OCR'd?

Per page the decision is one of:
- "good": the layer reads as Chinese text; use it (OCR may still confirm it);
- "garbled": the layer exists but is damaged (stray-character residue, glyph codes
  without a Unicode mapping, look-alike radicals, far less text than the page shows);
  OCR the page and let fusion decide;
- "incomplete": the layer reads as good Chinese text but holds far less than the page
  shows; OCR the page, and let its reading only add what the layer lacks, never
  replace what the layer holds. (A table or a box printed as an embedded image is
  read on its own, region by region: ``ocr.pdf_regions``; its ink is set apart
  first, so the page is incomplete only for text outside such images);
- "none": no usable layer at all (an image-only scan); OCR the page;
- "blank": no layer and no ink to speak of (an empty page, or one holding only images
  that are judged on their own, see ``triage_pdf``'s ``set_apart``): nothing to read.

The evidence (every figure the decision used) comes back with it, for the log.
Dictionary coverage uses a private ``jieba.Tokenizer()`` (HMM off, so it can only
find dictionary words, not guess new ones): clean plan prose has about 70-90 % of its
Han characters inside two-or-more-character dictionary words, while residue like
``产 各 各 产 创 口`` has almost none.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from grammar.chars import HAN_RUN_RE, is_han
from grammar.ideographs import is_radical

MIN_CHARS = 10  # fewer characters than this is no text layer
RESIDUE_MAX_RUN = 3  # a residue line: every piece between spaces is at most this long
MAX_RESIDUE_SHARE = 0.30
MIN_DICTIONARY_COVERAGE = 0.45
MIN_HAN_FOR_COVERAGE = 20  # too few Han characters to judge coverage
MAX_BAD_CHAR_SHARE = 0.02  # U+FFFD, private use, control characters, (cid:N)
MAX_RADICAL_SHARE = 0.02  # a few ⼯⼈⺠ are a wrong ToUnicode map (normalize_ideographs fixes them)
INK_RATIO_RANGE = (0.3, 3.0)  # layer characters per character of ink on the page
MIN_INK_CHARS = 50  # below this the ink estimate is too rough to compare
MAX_BLANK_INK = 3  # a page showing no more than a page number (outside the images judged apart)

CID_PATTERN = re.compile(r"\(cid:\d+\)")
PAGE_NUMBER_LINE = re.compile(r"^[\s\-—–－―·•]*(\d{1,4}|[ivxlcIVXLC]{1,6})[\s\-—–－―·•]*$")


@dataclass(frozen=True)
class TextLayerEvidence:
    chars: int  # non-space characters in the layer (after (cid:N) count as one each)
    lines: int  # non-empty lines
    han_chars: int
    residue_line_share: float  # non-empty lines made only of 1-3 character pieces
    dictionary_coverage: float | None  # share of Han characters inside 2+ character words
    cid_patterns: int
    replacement_chars: int  # U+FFFD
    private_use_chars: int
    control_chars: int
    radicals: int  # Kangxi radicals and CJK Radicals Supplement
    ink_chars: int | None = None  # characters the page image looks like it holds
    layer_to_ink: float | None = None


@dataclass(frozen=True)
class PageTriage:
    page: int
    decision: str  # "good" | "incomplete" | "garbled" | "none" | "blank"
    reasons: tuple[str, ...]
    evidence: TextLayerEvidence


@functools.lru_cache(maxsize=1)
def _tokenizer():
    from grammar.words import private_tokenizer

    return private_tokenizer()


def is_residue_line(line: str) -> bool:
    """A line of one to three stray characters (or several such pieces between spaces);
    a bare page number is not residue."""
    pieces = line.split()
    if not pieces or PAGE_NUMBER_LINE.match(line):
        return False
    return all(len(piece) <= RESIDUE_MAX_RUN for piece in pieces)


def dictionary_coverage(text: str) -> float | None:
    """Share of Han characters that jieba finds inside dictionary words of 2+ characters."""
    runs = HAN_RUN_RE.findall(text)
    total = sum(len(run) for run in runs)
    if total < MIN_HAN_FOR_COVERAGE:
        return None
    tokenizer = _tokenizer()
    covered = sum(len(word) for run in runs for word in tokenizer.cut(run, HMM=False) if len(word) >= 2)
    return covered / total


def text_layer_evidence(text: str, ink_chars: int | None = None) -> TextLayerEvidence:
    cids = len(CID_PATTERN.findall(text))
    plain = CID_PATTERN.sub("\ufffd", text)  # a (cid:N) stands for one lost glyph
    lines = [line for line in plain.splitlines() if line.strip()]
    chars = [c for c in plain if not c.isspace()]
    categories = [unicodedata.category(c) for c in chars]
    layer_chars = len(chars)
    return TextLayerEvidence(
        chars=layer_chars,
        lines=len(lines),
        han_chars=sum(1 for c in chars if is_han(c)),
        residue_line_share=round(sum(map(is_residue_line, lines)) / len(lines), 3) if lines else 0.0,
        dictionary_coverage=_rounded(dictionary_coverage(plain)),
        cid_patterns=cids,
        replacement_chars=plain.count("\ufffd") - cids,
        private_use_chars=categories.count("Co"),
        control_chars=categories.count("Cc") + categories.count("Cf"),
        radicals=sum(1 for c in chars if is_radical(c)),
        ink_chars=ink_chars,
        layer_to_ink=round(layer_chars / ink_chars, 3) if ink_chars and ink_chars >= MIN_INK_CHARS else None,
    )


def decide(evidence: TextLayerEvidence) -> tuple[str, tuple[str, ...]]:
    """The decision for one page's layer and the reasons that made it."""
    e = evidence
    if e.chars < MIN_CHARS and e.ink_chars is not None and e.ink_chars <= MAX_BLANK_INK:
        return "blank", (f"the page shows about {e.ink_chars} characters and its layer {e.chars}",)
    if e.chars < MIN_CHARS:
        return "none", (f"the text layer holds {e.chars} characters",)
    reasons = []
    bad = e.cid_patterns + e.replacement_chars + e.private_use_chars + e.control_chars
    if bad / e.chars > MAX_BAD_CHAR_SHARE:
        reasons.append(f"{bad} of {e.chars} characters are unmapped glyphs, private-use or control characters")
    if e.residue_line_share > MAX_RESIDUE_SHARE:
        reasons.append(f"{e.residue_line_share:.0%} of lines are stray-character residue")
    if e.dictionary_coverage is not None and e.dictionary_coverage < MIN_DICTIONARY_COVERAGE:
        reasons.append(f"only {e.dictionary_coverage:.0%} of Han characters form dictionary words")
    if e.radicals / e.chars > MAX_RADICAL_SHARE:
        reasons.append(f"{e.radicals} look-alike radicals in place of ideographs")
    short = e.layer_to_ink is not None and e.layer_to_ink < INK_RATIO_RANGE[0]
    if e.layer_to_ink is not None and not INK_RATIO_RANGE[0] <= e.layer_to_ink <= INK_RATIO_RANGE[1]:
        reasons.append(f"the layer holds {e.chars} characters where the page shows about {e.ink_chars}")
    if short and len(reasons) == 1:
        # Nothing wrong with what the layer holds: text printed as an image is missing.
        return "incomplete", tuple(reasons)
    if reasons:
        return "garbled", tuple(reasons)
    return "good", ("the text layer reads as Chinese text",)


def triage_text(text: str, page: int = 1, ink_chars: int | None = None) -> PageTriage:
    """Triage one page's text layer (and, when known, how much text its image shows)."""
    evidence = text_layer_evidence(text, ink_chars)
    decision, reasons = decide(evidence)
    return PageTriage(page, decision, reasons, evidence)


def estimate_ink_chars(gray: np.ndarray) -> int:
    """Roughly how many CJK characters a page image shows.

    CJK glyphs are about square, so a text line's length over its height counts its
    characters. Ruling lines are removed first; blobs far from the typical line
    height (specks, pictures) are not counted."""
    import cv2

    _, ink = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    if not ink.any():
        return 0
    long_side = max(gray.shape)
    rules = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (long_side // 20, 1)))
    rules |= cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, long_side // 20)))
    text = cv2.subtract(ink, rules)
    count, _, stats, _ = cv2.connectedComponentsWithStats(text)
    heights = stats[1:, cv2.CC_STAT_HEIGHT]
    glyph_height = float(np.median(heights[heights >= 4])) if (heights >= 4).any() else 0.0
    if glyph_height == 0:
        return 0
    gap = max(3, int(glyph_height * 0.8))  # joins the glyphs of a line, not two lines
    joined = cv2.dilate(text, cv2.getStructuringElement(cv2.MORPH_RECT, (gap, 1)))
    count, _, stats, _ = cv2.connectedComponentsWithStats(joined)
    total = 0.0
    for x, y, w, h, area in stats[1:]:
        if 0.5 * glyph_height <= h <= 2.5 * glyph_height:
            total += max(1.0, (w - gap) / h)
    return int(round(total))


def page_texts(path: str | Path) -> list[str]:
    """Each page's text layer via pdfplumber, with fake-bold duplicate glyphs removed."""
    import pdfplumber

    with pdfplumber.open(str(path)) as pdf:
        return [page.dedupe_chars().extract_text() or "" for page in pdf.pages]


def triage_pdf(path: str | Path, ink_dpi: float | None = 100,
               set_apart: dict[int, list[tuple[float, float, float, float]]] | None = None,
               texts: list[str] | None = None) -> list[PageTriage]:
    """Triage every page of a PDF; with ``ink_dpi`` each page is also rendered (at that
    dpi) to compare the layer with the ink on the page. Pass None to skip rendering.

    ``set_apart``: per page number, boxes (PDF points from the top-left) whose ink is
    judged on its own (embedded images read by OCR region by region): painted white
    before the page's ink is counted, so a page is incomplete only for what is left.
    ``texts``: the pages' layer text when the caller has it already (``page_texts``)."""
    from ocr.preprocess import to_gray
    from ocr.render import render_pages

    texts = page_texts(path) if texts is None else texts
    inks: list[int | None] = [None] * len(texts)
    if ink_dpi:
        inks = [estimate_ink_chars(blank_out(to_gray(page.pixels), (set_apart or {}).get(page.number, ()), page.dpi))
                for page in render_pages(path, dpi=ink_dpi)]
    return [triage_text(text, number, ink) for number, (text, ink) in enumerate(zip(texts, inks), start=1)]


def blank_out(gray: np.ndarray, boxes, dpi: float) -> np.ndarray:
    """``gray`` with the boxes (PDF points from the top-left) painted white."""
    if not boxes:
        return gray
    out = gray.copy()
    scale = dpi / 72
    for x0, top, x1, bottom in boxes:
        out[max(0, int(top * scale)):max(0, int(np.ceil(bottom * scale))), max(0, int(x0 * scale)):max(0, int(np.ceil(x1 * scale)))] = 255
    return out


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 3)
