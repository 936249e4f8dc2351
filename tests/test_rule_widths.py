"""write_ocr_marks_full_width: OCR's half-width marks inside Chinese text, written as the
page prints them, only where the source is an OCR reading, each a recorded change."""

from ocr.punctuation import full_width_punctuation
from repair.rules import repair_text

# As a clean Word file or web page may print it: half-width brackets a publisher chose.
CLEAN = "(一)加强保护。\n2.完善制度(试行)。\n"
# As OCR reads a page that prints （一） and ，: the ASCII look-alikes.
READ = "(一)加强知识产权保护,完善制度。\n(二)推进运用(试点)。\n"


def test_text_that_no_ocr_read_keeps_its_half_width_marks():
    result = repair_text(CLEAN)
    assert result.text == CLEAN
    assert not [c for c in result.changes if c.rule == "write_ocr_marks_full_width"]


def test_an_ocr_reading_gets_the_marks_the_page_prints_each_recorded():
    _, widths = full_width_punctuation(READ)
    result = repair_text(READ, ocr_widths=tuple(widths))
    assert result.text == "（一）加强知识产权保护，完善制度。\n（二）推进运用（试点）。\n"
    written = [c for c in result.changes if c.rule == "write_ocr_marks_full_width"]
    assert len(written) == 7
    for change in written:
        assert READ[change.source.start:change.source.end] == change.before
        assert (change.before, change.after) in {("(", "（"), (")", "）"), (",", "，")}
        assert change.evidence["read_by"] == "ocr" and change.reason
    # the same glyph, written as printed: it still points at the character OCR read
    assert [result.origin[c.at[0]] for c in written] == [c.source.start for c in written]


def test_marks_between_latin_letters_and_digits_stay_as_read():
    read = "GDP(现价)增长1,000亿元,年均(%)\n"
    _, widths = full_width_punctuation(read)
    result = repair_text(read, ocr_widths=tuple(widths))
    assert "1,000" in result.text
