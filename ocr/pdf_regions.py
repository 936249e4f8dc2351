"""A PDF page with a sound text layer, seen as regions: the layer's lines, and the
embedded images that print text the layer lacks (a key-indicators table or a 专栏 box
pasted in as a picture, as Word does with a table copied from another document).

Only those images need OCR; every character of the layer is kept as it is. The
images' readings are placed among the layer's lines by their vertical position, so
repair and extract see the box or the table where the page prints it.

Coordinates are PDF points from the page's top-left corner, (x0, top, x1, bottom),
like pdfplumber's; ``to_page_pixels`` maps a box inside an image to pixels of the page
rendered at some dpi (what the scan provenance of plan.json measures).

- ``read_pdf_layout``: per page, the layer's text (exactly what ``extract_text``
  gives), its lines with their vertical positions, and the images placed on it.
- ``image_pixels``: an image at its own resolution: the pixels stored in the PDF, or
  the page rendered at the image's resolution where the stored pixels would not show
  what the page shows (a turned, flipped or masked image, or one inside a form).
- ``judge_image``: whether an image prints text to read, by measurement: enough
  text-line ink (``ocr.triage.estimate_ink_chars``), dark ink on light paper (a
  photo's dark share is about half), and not already covered by layer text (a
  searchable scan's invisible text lies over its page image).
- ``place_readings``: the layer's lines and the readings in reading order, with the
  place each character was read from (None for the layer's own characters).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

PtBox = tuple[float, float, float, float]  # x0, top, x1, bottom in PDF points, from the top-left
BBox = tuple[int, int, int, int]  # pixels

MIN_WIDTH_INCH = 1.0  # narrower or lower images are rules, bullets, logos: never a table or a box
MIN_HEIGHT_INCH = 0.25
MIN_TEXT_CHARS = 10  # an image showing fewer characters than this is a logo, a seal, a picture
MAX_DARK_SHARE = 0.35  # text is sparse dark ink on paper (our boxes and tables: 8-17 %); photos: about half
COVERED_SHARE = 0.5  # layer characters over an image, per character of its ink: the layer already has its text
BOUNDS_SLACK_PT = 1.5  # a stored image matches pdfplumber's box within this
MAX_REGION_PIXELS = 20_000_000  # an image is read at most this large (A4 at about 480 dpi): bigger is rendered smaller
MIN_READING_CONFIDENCE = 0.5  # a reading below this (mean per character) is not text: a photo read as glyphs
MIN_READING_CHARS = 4


@dataclass(frozen=True)
class LayerLine:
    """One line of the text layer (pdfplumber's clustering) and where it stands."""

    text: str
    top: float
    bottom: float


@dataclass(frozen=True)
class EmbeddedImage:
    """An image placed on a page: where, how many pixels it stores, what layer text lies over it."""

    page: int  # 1-based
    index: int  # 0-based, in the page's drawing order
    bbox: PtBox
    width_px: int
    height_px: int
    layer_chars: int = 0  # non-space text-layer characters whose centre lies inside bbox

    @property
    def dpi(self) -> float:
        """Stored pixels per inch as placed on the page."""
        width_in = max(1e-6, (self.bbox[2] - self.bbox[0]) / 72)
        height_in = max(1e-6, (self.bbox[3] - self.bbox[1]) / 72)
        return round((self.width_px / width_in + self.height_px / height_in) / 2, 1)

    @property
    def label(self) -> str:
        return f"page {self.page} image {self.index + 1}"


@dataclass(frozen=True)
class PdfPageLayout:
    number: int
    width: float  # points
    height: float
    text: str  # the layer's text, as extract_text gives it
    lines: tuple[LayerLine, ...]  # "\n".join(line texts) == text, or () when they differ
    images: tuple[EmbeddedImage, ...]
    # The glyphs behind the lines, for ocr.layer_glyphs (read in the same pass: parsing
    # a page's content again cost 3 s on an 18-page plan): per line its text and its
    # chars, and the page's space glyphs; chars as {text, x0, x1, top, bottom, size}.
    glyph_lines: tuple = field(default=(), compare=False, repr=False)
    spaces: tuple = field(default=(), compare=False, repr=False)


@dataclass(frozen=True)
class ImageJudgement:
    image: EmbeddedImage
    decision: str  # "read" | "small" | "no_text" | "covered"
    reason: str
    ink_chars: int | None = None
    dark_share: float | None = None


@dataclass(frozen=True)
class RegionReading:
    """An image's OCR reading laid out like an extract, with where each character was read."""

    image: EmbeddedImage
    text: str
    confidence: tuple[float, ...]
    where: tuple  # per character: (page, bbox in page pixels) or None


@dataclass(frozen=True)
class PlacedText:
    text: str
    where: tuple  # per character: None for the layer's own (and separators), else (page, bbox)
    confidence: tuple[float, ...]  # per character: 1.0 for the layer's own
    spans: tuple[tuple[EmbeddedImage, int, int], ...]  # per reading, in reading order: its image, [start, end) in text


# ---------------------------------------------------------------- finding regions

def read_pdf_layout(path: str | Path) -> list[PdfPageLayout]:
    """Every page's layer text, lines and placed images (pdfplumber: it follows forms'
    transformation matrices, so an image inside a form gets its page box too)."""
    import pdfplumber

    pages = []
    with pdfplumber.open(str(path)) as pdf:
        for number, page in enumerate(pdf.pages, start=1):
            deduped = page.dedupe_chars()  # fake-bold duplicate glyphs, as page_texts drops them
            text = deduped.extract_text() or ""
            with_chars = deduped.extract_text_lines(return_chars=True)
            lines = tuple(LayerLine(l["text"], float(l["top"]), float(l["bottom"])) for l in with_chars)
            if "\n".join(line.text for line in lines) != text:
                lines = ()  # positions unknown: readings go after the page's text
            chars = [c for c in deduped.chars if c.get("text", "").strip()]
            images = tuple(
                EmbeddedImage(number, index, _pt_box(image), *_src_size(image), layer_chars=chars_inside(chars, _pt_box(image)))
                for index, image in enumerate(page.images)
            )
            glyph_lines = tuple({"text": l["text"], "chars": tuple(_glyph(c) for c in l["chars"])} for l in with_chars)
            spaces = tuple(_glyph(c) for c in deduped.chars if c.get("text") == " ")
            pages.append(PdfPageLayout(number, float(page.width), float(page.height), text, lines, images, glyph_lines, spaces))
    return pages


def _glyph(char: dict) -> dict:
    return {"text": char["text"], "x0": float(char["x0"]), "x1": float(char["x1"]), "top": float(char["top"]),
            "bottom": float(char["bottom"]), "size": float(char["size"])}


def _pt_box(image: dict) -> PtBox:
    return (float(image["x0"]), float(image["top"]), float(image["x1"]), float(image["bottom"]))


def _src_size(image: dict) -> tuple[int, int]:
    width, height = image.get("srcsize") or (0, 0)
    return int(width), int(height)


def chars_inside(chars: list[dict], bbox: PtBox) -> int:
    """How many of pdfplumber's chars have their centre inside ``bbox``."""
    x0, top, x1, bottom = bbox
    return sum(1 for c in chars if x0 <= (c["x0"] + c["x1"]) / 2 <= x1 and top <= (c["top"] + c["bottom"]) / 2 <= bottom)


def is_large_enough(image: EmbeddedImage) -> bool:
    x0, top, x1, bottom = image.bbox
    return (x1 - x0) / 72 >= MIN_WIDTH_INCH and (bottom - top) / 72 >= MIN_HEIGHT_INCH and image.height_px >= 12


def judge_image(image: EmbeddedImage, gray: np.ndarray | None) -> ImageJudgement:
    """Whether an image prints text the layer lacks (``gray``: its pixels; None when it
    was too small to look at)."""
    from ocr.triage import estimate_ink_chars

    if gray is None or not is_large_enough(image):
        return ImageJudgement(image, "small", "smaller than a table or a box is printed")
    ink = estimate_ink_chars(gray)
    dark = dark_share(gray)
    if image.layer_chars >= MIN_TEXT_CHARS and image.layer_chars >= COVERED_SHARE * ink:
        return ImageJudgement(image, "covered", f"the text layer holds {image.layer_chars} characters over it (it shows about {ink})", ink, dark)
    if dark > MAX_DARK_SHARE:
        return ImageJudgement(image, "no_text", f"{dark:.0%} of it is dark: a picture, not text on paper", ink, dark)
    if ink < MIN_TEXT_CHARS:
        return ImageJudgement(image, "no_text", f"it shows about {ink} characters of text", ink, dark)
    return ImageJudgement(image, "read", f"it shows about {ink} characters of text the layer lacks", ink, dark)


def dark_share(gray: np.ndarray) -> float:
    """Share of the pixels on the dark side of Otsu's threshold."""
    import cv2

    if gray.size == 0:
        return 0.0
    threshold, _ = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    return round(float((gray <= threshold).mean()), 3)


# ---------------------------------------------------------------- pixels

@dataclass(frozen=True)
class ImageInPdf:
    """An embedded image's pixels (``image_pixels``), taken from the PDF file when they are
    wanted (``np.asarray``): by the worker that reads it, or one at a time. A PDF whose
    later pages are scans has an image per page, and holding each from its judging to its
    reading took 0.5 GB for 36 pages."""

    path: str
    image: EmbeddedImage
    page_height: float
    shape: tuple[int, ...]  # of the pixels judged
    stat: tuple[int, int]  # the file's size and modification time when they were judged

    @classmethod
    def judged(cls, path: Path, image: EmbeddedImage, page_height: float, pixels: np.ndarray) -> "ImageInPdf":
        return cls(str(path), image, page_height, pixels.shape, _file_stat(path))

    def __array__(self, dtype=None, copy=None) -> np.ndarray:
        from ocr.errors import CorruptPdf
        from ocr.render import open_pdf

        if _file_stat(Path(self.path)) != self.stat:
            raise CorruptPdf(f"{Path(self.path).name} changed while it was read ({self.image.label})")
        pdf = open_pdf(Path(self.path))
        try:
            rgb = image_pixels(pdf, self.image, self.page_height)
        finally:
            pdf.close()
        return rgb if dtype is None else rgb.astype(dtype, copy=False)


def _file_stat(path: Path) -> tuple[int, int]:
    try:
        stat = path.stat()
    except OSError:
        return (-1, -1)  # gone: not the file judged
    return (stat.st_size, stat.st_mtime_ns)


def image_pixels(pdf, image: EmbeddedImage, page_height: float) -> np.ndarray:
    """RGB pixels of ``image`` at its own resolution (``pdf``: an open pypdfium2 document),
    or rendered smaller when it stores more than MAX_REGION_PIXELS (never decoded whole)."""
    stored = _stored_pixels(pdf, image, page_height) if image.width_px * image.height_px <= MAX_REGION_PIXELS else None
    return stored if stored is not None else _rendered_pixels(pdf, image)


def _stored_pixels(pdf, image: EmbeddedImage, page_height: float) -> np.ndarray | None:
    """The image's own pixels, when a top-level image object draws them upright and unmasked."""
    import pypdfium2.raw as pdfium_c

    from ocr.render import to_rgb_array

    page = pdf[image.page - 1]
    try:
        for obj in page.get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_IMAGE,), max_depth=1):
            left, bottom, right, top = obj.get_bounds()
            box = (left, page_height - top, right, page_height - bottom)
            if tuple(obj.get_px_size()) != (image.width_px, image.height_px) or any(
                abs(a - b) > BOUNDS_SLACK_PT for a, b in zip(box, image.bbox)
            ):
                continue
            matrix = obj.get_matrix()
            if matrix.b or matrix.c or matrix.a <= 0 or matrix.d <= 0:
                return None  # turned or flipped: pdfium's rendering shows it as printed
            try:
                # A mask (transparency) changes what the page shows: take the rendering then.
                shown = obj.get_bitmap(render=True).to_pil()
                if shown.mode in ("RGBA", "LA") and shown.getextrema()[-1][0] < 255:
                    return None
                return np.ascontiguousarray(to_rgb_array(obj.get_bitmap(render=False).to_pil()))
            except Exception:  # a stored format pdfium or PIL cannot hand over: the rendering shows it
                return None
    finally:
        page.close()
    return None


def _rendered_pixels(pdf, image: EmbeddedImage) -> np.ndarray:
    """The page clipped to the image's box, rendered at the image's resolution."""
    page = pdf[image.page - 1]
    try:
        width, height = page.get_size()
        x0, top, x1, bottom = image.bbox
        area_pt = max(1.0, (x1 - x0) * (bottom - top))
        scale = min(max(image.dpi, 72.0) / 72, (MAX_REGION_PIXELS / area_pt) ** 0.5)
        crop = (max(0.0, x0), max(0.0, height - bottom), max(0.0, width - x1), max(0.0, top))
        bitmap = page.render(scale=scale, crop=crop)
        return np.ascontiguousarray(np.asarray(bitmap.to_pil().convert("RGB")))
    finally:
        page.close()


# ---------------------------------------------------------------- placing readings

def to_page_pixels(bbox: BBox, image: EmbeddedImage, size: tuple[int, int], dpi: float) -> BBox:
    """A box in an image's pixels (``size``: width, height of those pixels) as pixels of
    the page rendered at ``dpi``."""
    x0, top, x1, bottom = image.bbox
    sx, sy = (x1 - x0) / max(1, size[0]), (bottom - top) / max(1, size[1])
    scale = dpi / 72
    return (int(round((x0 + bbox[0] * sx) * scale)), int(round((top + bbox[1] * sy) * scale)),
            int(round((x0 + bbox[2] * sx) * scale)), int(round((top + bbox[3] * sy) * scale)))


def region_reading(image: EmbeddedImage, text: str, confidence, where) -> RegionReading:
    """A reading without the white space around it (placing gives it its own lines)."""
    start = len(text) - len(text.lstrip())
    end = len(text.rstrip())
    return RegionReading(image, text[start:end], tuple(confidence[start:end]), tuple(where[start:end]))


def is_text_reading(reading: RegionReading) -> bool:
    """Enough confident characters to be text (a picture that slipped through reads as a
    few unsure glyphs)."""
    chars = [c for c, t in zip(reading.confidence, reading.text) if not t.isspace()]
    return len(chars) >= MIN_READING_CHARS and sum(chars) / len(chars) >= MIN_READING_CONFIDENCE


def place_readings(pages: list[PdfPageLayout], readings: list[RegionReading]) -> PlacedText:
    """The document's text: each page's layer lines, with each reading inserted before
    the first line that starts below the image's top (after the page's text when its
    lines' positions are unknown). Pages are joined by one newline and lines by one,
    as the layer's text is; a reading stands apart, a blank line before and after it.
    Without readings the text is exactly the layer's pages joined by newlines."""
    by_page: dict[int, list[RegionReading]] = {}
    for reading in sorted(readings, key=lambda r: (r.image.page, r.image.bbox[1], r.image.bbox[0])):
        by_page.setdefault(reading.image.page, []).append(reading)
    pieces: list[tuple[str, RegionReading | None]] = []  # (text, reading or None for a layer line)
    for page in pages:
        mine = by_page.get(page.number, [])
        lines = list(page.lines) if page.lines or not page.text else [LayerLine(page.text, float("-inf"), float("-inf"))]
        if not mine:
            pieces.append((page.text, None))  # the page's text exactly (an empty page too)
            continue
        for line in lines:
            while mine and line.top >= mine[0].image.bbox[1]:
                pieces.append((mine[0].text, mine.pop(0)))
            pieces.append((line.text, None))
        pieces.extend((r.text, r) for r in mine)
    text: list[str] = []
    where: list = []
    confidence: list[float] = []
    spans = []
    previous, length = None, 0
    for index, (piece, reading) in enumerate(pieces):
        if index:
            separator = "\n\n" if reading is not None or previous is not None else "\n"
            text.append(separator)
            where.extend([None] * len(separator))
            confidence.extend([1.0] * len(separator))
            length += len(separator)
        start = length
        length += len(piece)
        text.append(piece)
        if reading is None:
            where.extend([None] * len(piece))
            confidence.extend([1.0] * len(piece))
        else:
            where.extend(reading.where)
            confidence.extend(reading.confidence)
            spans.append((reading.image, start, start + len(piece)))
        previous = reading
    return PlacedText("".join(text), tuple(where), tuple(confidence), tuple(spans))


# ---------------------------------------------------------------- a garbled layer, glyph by glyph

TAB_GAP = 0.6  # a gap between two glyphs wider than this many type sizes separates table cells
BLANK_GAP = 1.0  # a gap between two lines higher than this many sizes of the smaller is a blank line
PARAGRAPH_INDENT = 1.5  # a line starting this many type sizes right of the left edge begins a paragraph
TABLE_ROW_TABS = 3  # a line with this many cell gaps is a table row: rows follow each other without blank lines


@dataclass(frozen=True)
class GlyphLine:
    """A line rebuilt from the layer's glyphs: its text and, per character, its box in
    PDF points (None for the tabs this reading puts between cells)."""

    text: str
    boxes: tuple[PtBox | None, ...]
    top: float
    bottom: float
    size: float

    @property
    def x0(self) -> float:
        return min(box[0] for box in self.boxes if box is not None)

    @property
    def is_table_row(self) -> bool:
        return self.text.count("\t") >= TABLE_ROW_TABS


def glyph_lines(chars: list[dict]) -> list[GlyphLine]:
    """The layer's glyphs (pdfplumber chars) as lines, top to bottom: a glyph joins the
    line whose middle is within a third of its size of its own; inside a line glyphs run
    left to right and a gap wider than TAB_GAP sizes is a tab, as an extract prints a
    table's cells. Unlike ``extract_text``, the text keeps each glyph where it stands:
    the garbled layer of a broken PDF holds lines of very different sizes."""
    rows: list[list[dict]] = []
    for char in sorted(chars, key=lambda c: ((c["top"] + c["bottom"]) / 2, c["x0"])):
        middle = (char["top"] + char["bottom"]) / 2
        if rows:
            row = rows[-1]
            row_middle = sum((c["top"] + c["bottom"]) / 2 for c in row) / len(row)
            if abs(middle - row_middle) <= max(char["size"], row[0]["size"]) / 3:
                row.append(char)
                continue
        rows.append([char])
    return [_glyph_line(sorted(row, key=lambda c: c["x0"])) for row in rows]


def _glyph_line(row: list[dict]) -> GlyphLine:
    text, boxes = [], []
    for previous, char in zip([None] + row[:-1], row):
        if previous is not None and not previous["text"].isspace() and not char["text"].isspace():
            if char["x0"] - previous["x1"] > TAB_GAP * max(char["size"], previous["size"]):
                text.append("\t")
                boxes.append(None)
        text.append(char["text"])
        boxes.append((float(char["x0"]), float(char["top"]), float(char["x1"]), float(char["bottom"])))
    return GlyphLine("".join(text), tuple(boxes), min(c["top"] for c in row), max(c["bottom"] for c in row),
                     max(float(c["size"]) for c in row))


def glyph_text(pages: list[list[GlyphLine]]) -> tuple[str, tuple]:
    """The pages' glyph lines as one text, and per character (page, box in points) or
    None: lines one per line, a blank line where the gap between two lines is higher
    than BLANK_GAP sizes of the smaller (never between two table rows). A page break
    is no gap (print breaks pages inside paragraphs): there a blank line comes only
    before a line indented from the document's left edge, as a paragraph's first line
    is printed."""
    pages = [with_empty_cells(page) for page in pages]
    lines = [line for page in pages for line in page if not line.is_table_row]
    text: list[str] = []
    where: list = []
    previous: GlyphLine | None = None
    for number, page in enumerate(pages, start=1):
        for index, line in enumerate(page):
            if previous is not None:
                if index:
                    blank = line.top - previous.bottom > BLANK_GAP * min(line.size, previous.size)
                else:
                    blank = line.x0 - left_edge(lines, line.size) > PARAGRAPH_INDENT * line.size
                separator = "\n\n" if blank and not (previous.is_table_row and line.is_table_row) else "\n"
                text.append(separator)
                where.extend([None] * len(separator))
            text.append(line.text)
            where.extend((number, box) if box is not None else None for box in line.boxes)
            previous = line
    return "".join(text), tuple(where)


def with_empty_cells(lines: list[GlyphLine]) -> list[GlyphLine]:
    """Each run of table rows with a tab per column a row leaves empty (the cell under a
    header spanning two columns), the columns being where the fullest row's cells start."""
    out, run = [], []
    for line in lines + [None]:
        if line is not None and line.is_table_row:
            run.append(line)
            continue
        if run:
            widest = max(run, key=lambda row: len(_cells(row)))
            columns = [x for x, _ in _cells(widest)]
            out.extend(_padded(row, columns) for row in run)
            run = []
        if line is not None:
            out.append(line)
    return out


def _cells(line: GlyphLine) -> list[tuple[float, int]]:
    """(x0, index in the text) of each cell's first character."""
    cells, start = [], 0
    for index, box in enumerate(line.boxes + (None,)):
        if box is None:
            if index > start:
                cells.append((line.boxes[start][0], start))
            start = index + 1
    return cells


def _padded(line: GlyphLine, columns: list[float]) -> GlyphLine:
    tolerance = line.size / 2
    placed = [(max((i for i, x in enumerate(columns) if x <= x0 + tolerance), default=-1), at) for x0, at in _cells(line)]
    if any(b <= a for (a, _), (b, _) in zip(placed, placed[1:])):
        return line  # cells out of the columns' order: left as read
    text, boxes = list(line.text), list(line.boxes)
    for (a, _), (b, at) in reversed(list(zip(placed, placed[1:]))):
        if a >= 0 and b - a > 1:
            text[at:at] = ["\t"] * (b - a - 1)
            boxes[at:at] = [None] * (b - a - 1)
    return GlyphLine("".join(text), tuple(boxes), line.top, line.bottom, line.size)


def left_edge(lines: list[GlyphLine], size: float) -> float:
    """Where the document's lines of about this type size start, at the leftmost."""
    return min((line.x0 for line in lines if 0.8 * size <= line.size <= 1.25 * size), default=0.0)


def read_glyph_text(path: str | Path) -> tuple[str, tuple]:
    """A PDF's text layer read glyph by glyph (``glyph_text``)."""
    import pdfplumber

    with pdfplumber.open(str(path)) as pdf:
        pages = [glyph_lines([c for c in page.chars if c.get("text")]) for page in pdf.pages]
    return glyph_text(pages)
