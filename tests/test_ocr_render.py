
import numpy as np
import pytest
from PIL import Image

from ocr.errors import CorruptImage, CorruptPdf, EmptyPdf, EncryptedPdf, ImageTooLarge, ScanError, UnsupportedScan
from ocr.render import open_scan, render_pages
from pipeline.errors import PlanRecoverError
from test_ocr_support import encrypted_pdf, image_pdf, minimal_pdf


def test_pdf_page_renders_at_the_asked_dpi(tmp_path):
    scan = Image.new("L", (800, 1100), 255)
    scan.paste(0, (100, 100, 300, 140))
    path = image_pdf(tmp_path / "scan.pdf", scan, dpi=200)
    assert open_scan(path).page_count == 1
    (page,) = list(render_pages(path, dpi=100))
    assert (page.number, page.width, page.height, page.dpi) == (1, 400, 550, 100)
    assert page.pixels.shape == (550, 400, 3) and page.pixels.dtype == np.uint8
    assert page.pixels[60, 100].max() < 80 and page.pixels[400, 200].min() > 200  # the bar, the paper


def test_images_are_one_page_each_frame(tmp_path):
    png = tmp_path / "page.png"
    Image.new("RGBA", (300, 200), (0, 0, 0, 0)).save(png, dpi=(300, 300))
    (page,) = list(render_pages(png))
    assert page.dpi == 300 and page.pixels.min() == 255  # transparent becomes white paper
    tiff = tmp_path / "pages.tiff"
    Image.new("L", (100, 100), 255).save(tiff, save_all=True, append_images=[Image.new("L", (100, 100), 0)])
    assert [p.pixels.max() for p in render_pages(tiff)] == [255, 0]


def test_corrupt_pdf(tmp_path):
    path = tmp_path / "broken.pdf"
    path.write_bytes(b"%PDF-1.7\n" + np.random.default_rng(1).bytes(4000))
    with pytest.raises(CorruptPdf) as err:
        render_pages(path)
    assert "broken.pdf" in str(err.value) and "\n" not in str(err.value)


def test_encrypted_pdf(tmp_path):
    path = tmp_path / "locked.pdf"
    path.write_bytes(encrypted_pdf())
    with pytest.raises(EncryptedPdf, match="locked.pdf is encrypted"):
        open_scan(path)


def test_zero_page_pdf(tmp_path):
    path = tmp_path / "empty.pdf"
    path.write_bytes(minimal_pdf(["<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [] /Count 0 >>"]))
    with pytest.raises(EmptyPdf, match="no pages"):
        render_pages(path)


def test_zero_byte_image(tmp_path):
    path = tmp_path / "scan.png"
    path.write_bytes(b"")
    with pytest.raises(CorruptImage, match="empty"):
        render_pages(path)


def test_truncated_image_and_unknown_format(tmp_path):
    good = tmp_path / "good.png"
    Image.new("L", (400, 400), 128).save(good)
    cut = tmp_path / "cut.png"
    cut.write_bytes(good.read_bytes()[:60])
    with pytest.raises(CorruptImage):
        list(render_pages(cut))
    other = tmp_path / "notes.txt"
    other.write_text("规划")
    with pytest.raises(UnsupportedScan):
        render_pages(other)


def test_pixel_cap_guards_pdfs_and_images(tmp_path):
    # A 200 x 200 inch PDF page is a few hundred bytes and 1.6 Gpx at 200 dpi.
    huge = tmp_path / "huge.pdf"
    huge.write_bytes(minimal_pdf(["<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                                  "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 14400 14400] >>"]))
    with pytest.raises(ImageTooLarge, match="lower the dpi"):
        next(render_pages(huge, dpi=200))
    png = tmp_path / "big.png"
    Image.new("L", (100, 100), 255).save(png)
    with pytest.raises(ImageTooLarge):
        next(render_pages(png, max_pixels=5_000))


def test_errors_are_planrecover_errors_with_their_own_codes():
    classes = [ScanError, CorruptPdf, EncryptedPdf, EmptyPdf, ImageTooLarge, CorruptImage, UnsupportedScan]
    from ocr.errors import EngineFailed, EngineUnavailable

    classes += [EngineUnavailable, EngineFailed]
    codes = [cls.exit_code for cls in classes]
    assert all(issubclass(cls, PlanRecoverError) for cls in classes)
    assert len(set(codes)) == len(codes) and all(20 <= code <= 29 for code in codes)
