"""Turn a scan (a PDF, or a PNG/JPEG/TIFF image) into page images.

PDF pages are rendered with pypdfium2 at a chosen dpi (200 by default: measured CER
was as good at 150-300 dpi as higher, and 200 keeps a page near 4 Mpx). An image is
taken as it is, one page per frame (a multi-page TIFF gives several pages); it is
never upscaled, because upscaling a low-dpi page did not help OCR.

Every page is checked against ``MAX_PIXELS`` *before* it is decoded or rendered, so
a hostile file (a tiny PDF with a 200x200 inch page, a PNG claiming 10^5 x 10^5
pixels) fails with ImageTooLarge instead of exhausting memory.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import numpy as np

from ocr.errors import CorruptImage, CorruptPdf, EmptyPdf, EncryptedPdf, ImageTooLarge, UnsupportedScan

DEFAULT_DPI = 200
MAX_PIXELS = 80_000_000  # about A0 at 200 dpi or A3 at 600 dpi: ~240 MB as RGB
A4_SHORT_SIDE_INCH = 8.27  # to guess the dpi of an image that does not say
IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".tif", ".tiff"}
IMAGE_MAGIC = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*")

# PDFium's document-loading error codes (fpdfview.h).
FPDF_ERR_PASSWORD = 4
FPDF_ERR_SECURITY = 5


@dataclass(frozen=True)
class PageImage:
    """One page of a scan as pixels: RGB uint8, shape (height, width, 3)."""

    number: int  # 1-based, in the order of the source
    pixels: np.ndarray
    dpi: float

    @property
    def width(self) -> int:
        return int(self.pixels.shape[1])

    @property
    def height(self) -> int:
        return int(self.pixels.shape[0])


@dataclass(frozen=True)
class ScanSource:
    """A scan file that opened cleanly: what it is and how many pages it has."""

    path: Path
    kind: str  # "pdf" | "image"
    page_count: int


def open_scan(path: str | Path) -> ScanSource:
    """Check that ``path`` is a readable PDF or image with at least one page."""
    path = Path(path)
    kind = scan_kind(path)
    if kind == "pdf":
        pdf = open_pdf(path)
        try:
            return ScanSource(path, "pdf", len(pdf))
        finally:
            pdf.close()
    with open_image(path) as image:
        return ScanSource(path, "image", getattr(image, "n_frames", 1))


def render_pages(path: str | Path, dpi: float = DEFAULT_DPI, max_pixels: int = MAX_PIXELS,
                 numbers: frozenset[int] | None = None) -> Iterator[PageImage]:
    """Page images of a scan, one at a time (a long PDF is never all in memory); with
    ``numbers``, those pages of a PDF only (the others are not rendered).

    The file is opened and checked before this returns, so a corrupt, encrypted or
    empty input fails here, not at the first page."""
    source = open_scan(path)
    if source.kind == "pdf":
        return _pdf_pages(source.path, dpi, max_pixels, numbers)
    return (page for page in _image_pages(source.path, max_pixels) if numbers is None or page.number in numbers)


def scan_kind(path: Path) -> str:
    """"pdf" or "image", from the file's first bytes (its name only breaks ties)."""
    try:
        with path.open("rb") as handle:
            head = handle.read(1024)
    except OSError as err:
        raise CorruptImage(f"cannot read {path.name}: {err.strerror or err}") from None
    suffix = path.suffix.lower()
    if b"%PDF-" in head:  # the header may follow up to 1 KB of junk
        return "pdf"
    if head.startswith(IMAGE_MAGIC):
        return "image"
    what = "empty (0 bytes)" if not head else "not a PDF or a PNG/JPEG/TIFF image"
    if suffix == ".pdf":
        raise CorruptPdf(f"{path.name} is {what}")
    if suffix in IMAGE_SUFFIXES:
        raise CorruptImage(f"{path.name} is {what}")
    raise UnsupportedScan(f"{path.name} is {what}; scans must be PDF, PNG, JPEG or TIFF")


def open_pdf(path: Path):
    """A pypdfium2 document with at least one page, or the error that says why not."""
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as err:
        # PDFium fails on a page-less document without setting an error code (the last
        # call's code is reported instead), so pdfminer's parser is asked what it sees.
        seen = pdf_probe(path)
        if seen == "empty":
            raise EmptyPdf(f"{path.name} has no pages") from None
        if seen == "encrypted" or err.err_code in (FPDF_ERR_PASSWORD, FPDF_ERR_SECURITY) and seen != "pages":
            raise EncryptedPdf(f"{path.name} is encrypted; save an unprotected copy and try again") from None
        raise CorruptPdf(f"{path.name} is not a readable PDF ({err})") from None
    if len(pdf) == 0:
        pdf.close()
        raise EmptyPdf(f"{path.name} has no pages")
    return pdf


def pdf_probe(path: Path) -> str:
    """What pdfminer's parser makes of a PDF: "empty", "encrypted", "pages" or "unreadable"."""
    try:
        from pdfminer.pdfdocument import PDFDocument, PDFEncryptionError
        from pdfminer.pdfpage import PDFPage
        from pdfminer.pdfparser import PDFParser
    except ImportError:
        return "unreadable"
    try:
        with path.open("rb") as handle:
            document = PDFDocument(PDFParser(handle))
            return "pages" if next(PDFPage.create_pages(document), None) is not None else "empty"
    except PDFEncryptionError:
        return "encrypted"
    except Exception:  # any other parse failure: a broken file
        return "unreadable"


def render_pdf_page(pdf, index: int, dpi: float, max_pixels: int, name: str = "the PDF") -> PageImage:
    """Render page ``index`` (0-based) of an open pypdfium2 document, white background."""
    import pypdfium2 as pdfium

    try:
        page = pdf[index]
    except pdfium.PdfiumError as err:  # a page tree that claims pages the file lacks
        raise CorruptPdf(f"page {index + 1} of {name} cannot be loaded ({err})") from None
    try:
        width_pt, height_pt = page.get_size()
        width, height = round(width_pt * dpi / 72), round(height_pt * dpi / 72)
        check_pixels(width, height, max_pixels, f"page {index + 1} of {name} at {dpi:g} dpi", "lower the dpi")
        try:
            bitmap = page.render(scale=dpi / 72)
        except pdfium.PdfiumError as err:
            raise CorruptPdf(f"page {index + 1} of {name} cannot be rendered ({err})") from None
        pixels = np.asarray(bitmap.to_pil().convert("RGB"))
    finally:
        page.close()
    return PageImage(index + 1, pixels, float(dpi))


def check_pixels(width: int, height: int, max_pixels: int, what: str, hint: str) -> None:
    if width * height > max_pixels:
        raise ImageTooLarge(f"{what} would be {width}x{height} pixels, over the limit of {max_pixels}; {hint}")


def open_image(path: Path):
    """A PIL image, opened lazily (header only) and checked for size."""
    from PIL import Image, UnidentifiedImageError

    try:
        image = Image.open(path)
    except Image.DecompressionBombError:
        raise ImageTooLarge(f"{path.name} is too large to decode safely (over {MAX_PIXELS} pixels)") from None
    except (UnidentifiedImageError, OSError) as err:
        raise CorruptImage(f"{path.name} is not a readable image ({err})") from None
    check_pixels(*image.size, MAX_PIXELS, path.name, "scan it at a lower resolution")
    return image


def image_dpi(image, width: int, height: int) -> float:
    """The dpi the image declares when plausible, else a guess that it is an A4 page."""
    declared = image.info.get("dpi")
    if declared:
        try:
            dpi = float(declared[0])
        except (TypeError, ValueError, IndexError):
            dpi = 0.0
        if 100 <= dpi <= 1200:  # 72/96 is a viewer default, not a scan resolution
            return round(dpi, 1)  # PNG stores dots per metre: 300 dpi comes back as 299.9994
    return round(min(width, height) / A4_SHORT_SIDE_INCH, 1)


def to_rgb_array(image) -> np.ndarray:
    """RGB uint8 pixels from any PIL mode: alpha over white, 16-bit scaled to 8."""
    from PIL import Image

    if image.mode in ("I;16", "I;16B", "I;16L", "I"):
        values = np.asarray(image).astype(np.float64)
        top = values.max() or 1.0
        grey = (values * (255.0 / top)).astype(np.uint8)
        return np.repeat(grey[:, :, None], 3, axis=2)
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return np.asarray(Image.alpha_composite(white, rgba).convert("RGB"))
    return np.asarray(image.convert("RGB"))


def _pdf_pages(path: Path, dpi: float, max_pixels: int, numbers: frozenset[int] | None = None) -> Iterator[PageImage]:
    pdf = open_pdf(path)
    try:
        for index in range(len(pdf)):
            if numbers is None or index + 1 in numbers:
                yield render_pdf_page(pdf, index, dpi, max_pixels, path.name)
    finally:
        pdf.close()


def _image_pages(path: Path, max_pixels: int) -> Iterator[PageImage]:
    from PIL import ImageOps, ImageSequence

    with open_image(path) as image:
        for number, frame in enumerate(ImageSequence.Iterator(image), start=1):
            check_pixels(*frame.size, max_pixels, f"frame {number} of {path.name}", "scan it at a lower resolution")
            try:
                upright = ImageOps.exif_transpose(frame)  # phone photos are stored sideways
                pixels = to_rgb_array(upright)
            except (OSError, ValueError) as err:
                raise CorruptImage(f"{path.name} is truncated or damaged (frame {number}: {err})") from None
            yield PageImage(number, np.ascontiguousarray(pixels), image_dpi(image, pixels.shape[1], pixels.shape[0]))

