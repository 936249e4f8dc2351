"""A single run reads a scan's pages as they are rendered and lets each go once read: it
rendered every page before reading the first, and held them all until the last was read
(a 200-page scan at 200 dpi: 2.3 GB)."""

import gc
import weakref

import ocr
from test_page_empty import page, pdf_of

from pipeline.scan import read_scan_file, read_scan_pages

BOXES = [f"专栏{n} 商业秘密保护工程" for n in range(1, 13)]


def test_a_scan_s_pages_are_read_as_they_are_rendered_and_let_go(tmp_path, monkeypatch):
    pdf = pdf_of([page(line) for line in BOXES], tmp_path / "twelve.pdf")
    rendered, most_held = [], []
    render_pages = ocr.render_pages

    def watched(path, dpi, **options):
        for each in render_pages(path, dpi=dpi, **options):
            gc.collect()
            most_held.append(sum(1 for ref in rendered if ref() is not None))  # pages still in memory
            rendered.append(weakref.ref(each.pixels))
            yield each

    monkeypatch.setattr(ocr, "render_pages", watched)
    streamed = read_scan_file(pdf, jobs=2, progress=False)
    assert len(rendered) == 12 and streamed.pages == 12
    # Of 12 pages, never more than those the two workers are reading or have waiting, and
    # the one just rendered; all rendered at once, 11 were held when the last was rendered.
    assert max(most_held) <= 5, most_held
    for line in BOXES:
        assert line.replace(" ", "") in streamed.reading.text.replace(" ", "")
    # Read in page order as they come, or largest first from memory: the same reading.
    whole = read_scan_pages(list(render_pages(pdf, dpi=200)), pdf.name, streamed.sha256, jobs=2, progress=False)
    assert (streamed.reading.text, streamed.reading.where) == (whole.reading.text, whole.reading.where)
    assert streamed.failures == whole.failures == ()
