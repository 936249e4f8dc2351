"""OCR engines behind one small interface.

``OcrEngine`` has a ``name``, ``available()``, ``recognize_lines(image)`` (text lines in
reading order, each with text, bbox and confidence 0-1) and ``recognize_cell(image)``
(one table cell's text as a single line). Images are uint8 arrays, gray or RGB.

- ``RapidOcrEngine``: rapidocr 3.10 on onnxruntime with its bundled PP-OCRv6 small
  detection and recognition models (nothing is downloaded). The direction classifier
  is off (``use_cls=False``): on upright scans it flipped a normal line and lost it.
  Its boxes are regrouped into lines, left to right, lines top to bottom, because its
  own order scrambles slightly tilted rows.
- ``TesseractEngine``: tesseract 5 with chi_sim via pytesseract ``image_to_data``,
  ``--psm 4`` for text (a column of lines; ``--psm 6`` returned nothing for a ruled
  table) and ``--psm 7`` for each line of a table cell; ``OMP_THREAD_LIMIT=1`` (5x faster on two
  cores, same output). Words are joined without spaces between Chinese characters;
  grid rules read as ``|`` are removed. Other misreadings (``〈``/``《`` for ``（``) are
  reported raw: normalisation is repair's job.

Engines load lazily: importing this module imports neither rapidocr nor onnxruntime
nor pytesseract; the model loads on the first recognition.
"""

from __future__ import annotations

import functools
import importlib.util
import os
import re
import shutil
from abc import ABC, abstractmethod
from dataclasses import dataclass

import numpy as np

from grammar.chars import HAN_RE
from ocr.errors import EngineFailed, EngineUnavailable

BBox = tuple[int, int, int, int]

CELL_PAD = 12  # white border around a cell crop: detectors miss text touching the edge
SPACE_GAP = 0.8  # a gap wider than this many line heights is a space (专栏3 知识产权...)
LATIN_SPACE_GAP = 0.2  # between two Latin/digit words a narrower gap is already a space
SAME_LINE_OVERLAP = 0.5  # boxes overlapping this much of the lower one's height share a line
# A cell's ink row is read this many row heights wider on each side: a faint first or last
# glyph (the thin 一 of 新增一批, the diagonal of a 4, ＞) falls below the ink threshold
# that found the row, and a crop starting mid-glyph read 41200 as 11200 and ＞10 as 10.
ROW_MARGIN = 1.0

NUMBER = re.compile(r"[0-9.,%+\-—–]+")

RAPIDOCR_HINT = "install it with: pip install rapidocr==3.10.0 onnxruntime"
TESSERACT_HINT = "install it with: apt-get install tesseract-ocr tesseract-ocr-chi-sim (and pip install pytesseract)"


@dataclass(frozen=True)
class TextLine:
    """A recognised line: its text, where it is (pixels of the image given), how sure."""

    text: str
    bbox: BBox
    confidence: float  # 0-1, the engine's own
    page: int = 0  # filled in by read_page
    # Characters the recognizer was unsure of, with its other readings of them:
    # ((index in text, (read, p), ((other, p), ...)), ...). Only where an engine gives them.
    alternatives: tuple = ()


@dataclass(frozen=True)
class Fragment:
    """A piece of a line as an engine returns it (a RapidOCR box, a tesseract word)."""

    text: str
    bbox: BBox
    confidence: float


class OcrEngine(ABC):
    name: str = ""
    install_hint: str = ""

    @abstractmethod
    def available(self) -> bool:
        """Whether the engine can run here (installed, with Chinese models)."""

    @abstractmethod
    def recognize_lines(self, image: np.ndarray) -> list[TextLine]:
        """Text lines of an image in reading order."""

    def recognize_cell(self, image: np.ndarray) -> TextLine:
        """A table cell's text as one line (its wrapped lines joined), bbox in the crop."""
        lines = self.recognize_lines(pad_white(image, CELL_PAD))
        return join_cell_lines([shift_line(line, -CELL_PAD, -CELL_PAD) for line in lines], image.shape)

    def require(self) -> None:
        if not self.available():
            raise EngineUnavailable(f"OCR engine {self.name} is not available; {self.install_hint}")


class RapidOcrEngine(OcrEngine):
    name = "rapidocr"
    install_hint = RAPIDOCR_HINT

    def __init__(self, max_side: int = 2400, det_side: int | None = None, rec_batch: int = 6):
        # 2400 px keeps a 200 dpi A4 page (1654 x 2339) at its own size; rapidocr's
        # default 2000 would shrink it. ``det_side``: the longest side detection sees
        # (default max_side: the image as given); recognition always reads crops of the
        # image as given. ``rec_batch``: text lines per recognition call (rapidocr's 6).
        self.max_side = max_side
        self.det_side = det_side or max_side
        self.rec_batch = rec_batch
        self._ocr = None

    def available(self) -> bool:
        return all(importlib.util.find_spec(m) is not None for m in ("rapidocr", "onnxruntime"))

    def _engine(self):
        if self._ocr is None:
            self.require()
            from rapidocr import RapidOCR

            params = {
                "Global.log_level": "error",
                "Global.use_cls": False,
                "Global.max_side_len": self.max_side,
                # Never upscale for detection: the default (short side to 736 px) made a
                # one-line crop 10x larger, took 2 s and cut the （一） off its line.
                "Det.limit_type": "max",
                "Det.limit_side_len": self.det_side,
                "Rec.rec_batch_num": self.rec_batch,
            }
            # Scan workers (one per core) set OMP_THREAD_LIMIT=1: one onnxruntime thread
            # each, not one per core in every worker (two workers on two cores: 4.6 s a
            # page instead of 5.6-6.0, same output).
            limit = os.environ.get("OMP_THREAD_LIMIT", "")
            if limit.isdigit() and int(limit) > 0:
                params["EngineConfig.onnxruntime.intra_op_num_threads"] = int(limit)
            self._ocr = RapidOCR(params=params)
        return self._ocr

    def recognize_lines(self, image: np.ndarray) -> list[TextLine]:
        # rapidocr keeps per-call flags for later calls, so every call sets all three.
        result = self._engine()(np.ascontiguousarray(image), use_det=True, use_cls=False, use_rec=True)
        if result.boxes is None or result.txts is None:
            return []
        fragments = [Fragment(text, quad_bbox(box), float(score))
                     for box, text, score in zip(result.boxes, result.txts, result.scores) if text.strip()]
        return group_lines(fragments)

    def recognize_cell(self, image: np.ndarray) -> TextLine:
        """Recognition only, line by line: a cell's lines are found from its ink rows,
        which is 100x faster than detection on a small crop and keeps brackets."""
        from ocr.layout import text_rows

        lines = []
        for bbox in text_rows(image):
            strip = pad_white(crop_box(image, widened_row(bbox, image.shape)), CELL_PAD)
            engine = self._engine()
            recorder = _record_predictions(engine)
            result = engine(strip, use_det=False, use_cls=False, use_rec=True)
            read = "".join(result.txts or ())
            text = read.strip()
            if text:
                lead = len(read) - len(read.lstrip())
                alternatives = tuple((i - lead, first, others) for i, first, others in
                                     uncertain_characters(recorder.last, engine.text_rec.postprocess_op.character, read)
                                     if 0 <= i - lead < len(text))
                lines.append(TextLine(text, bbox, round(float(np.mean(result.scores)), 4), alternatives=alternatives))
        return join_cell_lines(lines, image.shape)


class _Predictions:
    """Wraps the recognizer's inference session and keeps its last output (per time step,
    the probability of every character), so the readings it did not choose can be seen."""

    def __init__(self, session):
        self._session, self.last = session, None

    def __call__(self, *args, **kwargs):
        self.last = self._session(*args, **kwargs)
        return self.last

    def __getattr__(self, name):
        return getattr(self._session, name)


def _record_predictions(engine) -> _Predictions:
    if engine.text_rec is None or not isinstance(engine.text_rec.session, _Predictions):
        if engine.text_rec is None:  # made at the first recognition
            engine(np.full((48, 96, 3), 255, np.uint8), use_det=False, use_cls=False, use_rec=True)
        engine.text_rec.session = _Predictions(engine.text_rec.session)
    engine.text_rec.session.last = None
    return engine.text_rec.session


UNSURE = 0.9  # a character read with less than this probability lists its other readings
MIN_OTHER = 0.2  # a reading this probable is listed


def uncertain_characters(predictions, alphabet, text: str) -> list[tuple]:
    """(index in ``text``, (read, p), ((other, p), ...)) for each character the CTC
    recognizer read with p < UNSURE and another reading with p >= MIN_OTHER; [] when its
    greedy decoding is not ``text`` (then nothing is said about any character)."""
    if predictions is None or len(predictions) != 1:
        return []
    steps = predictions[0]
    best = steps.argmax(axis=1)
    decoded, found, previous = [], [], -1
    for t, index in enumerate(best):
        if index != previous and index != 0:  # 0: CTC's blank
            decoded.append(alphabet[index])
            ranked = np.argsort(-steps[t])[:3]
            others = tuple((alphabet[k], round(float(steps[t][k]), 3)) for k in ranked[1:] if k != 0 and steps[t][k] >= MIN_OTHER)
            if steps[t][index] < UNSURE and others:
                found.append((len(decoded) - 1, (alphabet[index], round(float(steps[t][index]), 3)), others))
        previous = index
    return found if "".join(decoded) == text else []


class TesseractEngine(OcrEngine):
    name = "tesseract"
    install_hint = TESSERACT_HINT

    def __init__(self, lang: str = "chi_sim", text_psm: int = 4, cell_psm: int = 7):
        self.lang, self.text_psm, self.cell_psm = lang, text_psm, cell_psm

    def available(self) -> bool:
        return self.missing() is None

    def missing(self) -> str | None:
        """What is missing for tesseract to run, or None."""
        if importlib.util.find_spec("pytesseract") is None:
            return "the pytesseract package is not installed"
        import pytesseract

        command = pytesseract.pytesseract.tesseract_cmd
        if not (shutil.which(command) or os.access(command, os.X_OK)):
            return f"the tesseract program ({command}) is not installed"
        if self.lang not in _tesseract_languages(command):
            return f"tesseract has no {self.lang} language data"
        return None

    def require(self) -> None:
        missing = self.missing()
        if missing:
            raise EngineUnavailable(f"OCR engine tesseract is not available: {missing}; {self.install_hint}")

    def _data(self, image: np.ndarray, psm: int, lang: str | None = None) -> dict:
        self.require()
        import pytesseract

        os.environ.setdefault("OMP_THREAD_LIMIT", "1")  # 5x faster on 2 cores, same output
        try:
            return pytesseract.image_to_data(image, lang=lang or self.lang, config=f"--psm {psm}",
                                             output_type=pytesseract.Output.DICT)
        except pytesseract.TesseractNotFoundError:
            raise EngineUnavailable(f"OCR engine tesseract is not available: the program is missing; {self.install_hint}") from None
        except pytesseract.TesseractError as err:
            raise EngineFailed(f"tesseract failed: {str(err.message).strip().splitlines()[-1] if err.message else err.status}") from None

    def recognize_lines(self, image: np.ndarray, psm: int | None = None) -> list[TextLine]:
        data = self._data(image, psm or self.text_psm)
        lines: dict[tuple[int, int, int], list[Fragment]] = {}
        for i, word in enumerate(data["text"]):
            word = strip_grid_bars(word or "")
            conf = float(data["conf"][i])
            if not word or conf < 0:
                continue
            bbox = (data["left"][i], data["top"][i], data["left"][i] + data["width"][i], data["top"][i] + data["height"][i])
            key = (data["block_num"][i], data["par_num"][i], data["line_num"][i])
            lines.setdefault(key, []).append(Fragment(word, bbox, conf / 100.0))
        built = [line_from_fragments(sorted(frags, key=lambda f: f.bbox[0])) for frags in lines.values()]
        return sort_reading_order(built)

    def recognize_cell(self, image: np.ndarray) -> TextLine:
        """Each ink row of the cell as one line (``--psm 7``). A row that chi_sim reads as
        at most one Han character is read again with the eng model and that reading is
        kept when it is a number: chi_sim read ``12`` as 的 and ``4`` as 外, eng did not."""
        from ocr.layout import text_rows

        lines = []
        for bbox in text_rows(image):
            strip = pad_white(crop_box(image, widened_row(bbox, image.shape)), CELL_PAD)
            line = self._read_row(strip, self.lang)
            if len(HAN_RE.findall(line.text)) <= 1 and len(line.text) <= 4 and self.has_language("eng"):
                number = self._read_row(strip, "eng")
                if NUMBER.fullmatch(number.text):
                    line = number
            if line.text:
                lines.append(TextLine(line.text, bbox, line.confidence))
        return join_cell_lines(lines, image.shape)

    def _read_row(self, strip: np.ndarray, lang: str) -> TextLine:
        data = self._data(strip, self.cell_psm, lang)
        words = [Fragment(strip_grid_bars(w or ""), (l, t, l + wd, t + h), float(c) / 100.0)
                 for w, l, t, wd, h, c in zip(data["text"], data["left"], data["top"], data["width"], data["height"], data["conf"])
                 if strip_grid_bars(w or "") and float(c) >= 0]
        if not words:
            return TextLine("", (0, 0, 0, 0), 0.0)
        return line_from_fragments(sorted(words, key=lambda f: f.bbox[0]))

    def has_language(self, lang: str) -> bool:
        import pytesseract

        return lang in _tesseract_languages(pytesseract.pytesseract.tesseract_cmd)


@functools.lru_cache(maxsize=4)
def _tesseract_languages(command: str) -> frozenset[str]:
    import pytesseract

    try:
        return frozenset(pytesseract.get_languages(config=""))
    except (pytesseract.TesseractNotFoundError, pytesseract.TesseractError, OSError):
        return frozenset()


ENGINES = {"rapidocr": RapidOcrEngine, "tesseract": TesseractEngine}


def get_engine(name: str = "rapidocr") -> OcrEngine:
    """A ready engine by name ("rapidocr" or "tesseract"), or EngineUnavailable saying how
    to install it. The model itself loads on first use."""
    factory = ENGINES.get(name.lower())
    if factory is None:
        raise EngineUnavailable(f"unknown OCR engine {name!r}; choose one of: {', '.join(ENGINES)}")
    engine = factory()
    engine.require()
    return engine


# ---------------------------------------------------------------- lines from fragments

def quad_bbox(quad) -> BBox:
    points = np.asarray(quad, dtype=np.float64).reshape(-1, 2)
    return (int(np.floor(points[:, 0].min())), int(np.floor(points[:, 1].min())),
            int(np.ceil(points[:, 0].max())), int(np.ceil(points[:, 1].max())))


def group_lines(fragments: list[Fragment]) -> list[TextLine]:
    """Fragments regrouped into lines (sharing most of their height), in reading order."""
    rows: list[list[Fragment]] = []
    for frag in sorted(fragments, key=lambda f: (f.bbox[1] + f.bbox[3]) / 2):
        for row in reversed(rows):
            if vertical_overlap(frag.bbox, row_bbox(row)) >= SAME_LINE_OVERLAP:
                row.append(frag)
                break
        else:
            rows.append([frag])
    return sort_reading_order([line_from_fragments(sorted(row, key=lambda f: f.bbox[0])) for row in rows])


def row_bbox(row: list[Fragment]) -> BBox:
    return (min(f.bbox[0] for f in row), min(f.bbox[1] for f in row),
            max(f.bbox[2] for f in row), max(f.bbox[3] for f in row))


def vertical_overlap(a: BBox, b: BBox) -> float:
    """Shared height over the smaller of the two heights."""
    shared = min(a[3], b[3]) - max(a[1], b[1])
    smaller = max(1, min(a[3] - a[1], b[3] - b[1]))
    return max(0.0, shared / smaller)


def line_from_fragments(fragments: list[Fragment]) -> TextLine:
    """One line from left-to-right fragments; spaces only where the page shows one."""
    height = max(1, max(f.bbox[3] - f.bbox[1] for f in fragments))
    text = fragments[0].text
    for left, right in zip(fragments, fragments[1:]):
        gap = (right.bbox[0] - left.bbox[2]) / height
        latin = left.text[-1:].isascii() and left.text[-1:].isalnum() and right.text[:1].isascii() and right.text[:1].isalnum()
        text += (" " if gap > SPACE_GAP or (latin and gap > LATIN_SPACE_GAP) else "") + right.text
    chars = sum(len(f.text) for f in fragments)
    confidence = sum(f.confidence * len(f.text) for f in fragments) / max(1, chars)
    return TextLine(text, row_bbox(fragments), round(confidence, 4))


def sort_reading_order(lines: list[TextLine]) -> list[TextLine]:
    """Top to bottom; lines sharing their height, left to right."""
    ordered = sorted(lines, key=lambda l: (l.bbox[1] + l.bbox[3]) / 2)
    out: list[TextLine] = []
    for line in ordered:
        # A line level with the previous one but left of it reads first.
        if out and vertical_overlap(line.bbox, out[-1].bbox) >= SAME_LINE_OVERLAP and line.bbox[0] < out[-1].bbox[0]:
            out.insert(len(out) - 1, line)
        else:
            out.append(line)
    return out


def join_cell_lines(lines: list[TextLine], shape) -> TextLine:
    """A cell's lines as one: wrapped Chinese joins without a separator."""
    if not lines:
        return TextLine("", (0, 0, int(shape[1]), int(shape[0])), 0.0)
    text = "".join(line.text for line in lines)
    chars = max(1, sum(len(line.text) for line in lines))
    confidence = sum(line.confidence * len(line.text) for line in lines) / chars
    bbox = (min(l.bbox[0] for l in lines), min(l.bbox[1] for l in lines), max(l.bbox[2] for l in lines), max(l.bbox[3] for l in lines))
    alternatives, at = [], 0
    for line in lines:
        alternatives += [(i + at, first, others) for i, first, others in line.alternatives]
        at += len(line.text)
    return TextLine(text, bbox, round(confidence, 4), alternatives=tuple(alternatives))


def widened_row(bbox: BBox, shape) -> BBox:
    """A cell's ink row widened by ROW_MARGIN row heights left and right and two pixels
    up and down, inside the cell."""
    x0, top, x1, bottom = bbox
    margin = int(ROW_MARGIN * (bottom - top))
    return (max(0, x0 - margin), max(0, top - 2), min(int(shape[1]), x1 + margin), min(int(shape[0]), bottom + 2))


def strip_grid_bars(word: str) -> str:
    """Drop the ``|`` tesseract reads for a table rule (never text in a plan)."""
    return word.replace("|", "").replace("｜", "").strip()


def pad_white(image: np.ndarray, pad: int) -> np.ndarray:
    import cv2

    value = 255 if image.ndim == 2 else (255,) * image.shape[2]
    return cv2.copyMakeBorder(image, pad, pad, pad, pad, cv2.BORDER_CONSTANT, value=value)


def crop_box(image: np.ndarray, bbox: BBox) -> np.ndarray:
    x0, top, x1, bottom = bbox
    return image[max(0, top):bottom, max(0, x0):x1]


def shift_line(line: TextLine, dx: int, dy: int) -> TextLine:
    x0, top, x1, bottom = line.bbox
    return TextLine(line.text, (x0 + dx, top + dy, x1 + dx, bottom + dy), line.confidence, line.page)
