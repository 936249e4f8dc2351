"""take_ocr_alternative: another reading the recognizer gave for a character it was unsure
of, taken only where the document's own text decides, and recorded."""

import numpy as np

from ocr.engines import uncertain_characters
from repair.rules import repair_text

# As an OCR'd indicator table cell reads beside the plan's own text (the 文物 plan: 纳人 for
# 纳入, the recognizer 0.553 for 人 and 0.446 for 入).
TEXT = "将文物安全纳入规划。\n把古籍保护纳入预算。\n将文物安全纳人本级政府考核。\n"
AT = TEXT.index("纳人") + 1
UNSURE = ((AT, ("人", 0.553), (("入", 0.446),)),)


def test_the_other_reading_the_document_uses_is_taken_and_recorded():
    result = repair_text(TEXT, ocr_alternatives=UNSURE)
    assert "纳入本级" in result.text and "纳人" not in result.text
    (change,) = [c for c in result.changes if c.rule == "take_ocr_alternative"]
    assert (change.before, change.after, change.source.start) == ("人", "入", AT)
    assert change.evidence["read"] == ["人", 0.553] and change.evidence["taken"] == ["入", 0.446]
    assert change.evidence["document_uses"]["纳入"] == 2 and change.evidence["document_uses"]["纳人"] == 0


def test_without_the_document_using_it_the_reading_stays():
    text = "将文物安全纳人本级政府考核。\n"
    result = repair_text(text, ocr_alternatives=((text.index("人"), ("人", 0.553), (("入", 0.446),)),))
    assert result.text == text


def test_a_reading_the_document_also_uses_stays():
    # 人本 is used elsewhere, 入本 never: evidence against the other reading
    text = "坚持以人本为先。\n将文物纳入规划，纳入预算。\n将文物安全纳人本级政府考核。\n"
    at = text.index("纳人") + 1
    result = repair_text(text, ocr_alternatives=((at, ("人", 0.553), (("入", 0.446),)),))
    assert result.text == text


def test_text_no_ocr_read_is_never_touched():
    assert repair_text(TEXT).text == TEXT


def test_uncertain_characters_come_from_the_recognizers_own_probabilities():
    alphabet = ["blank", "纳", "人", "入"]
    steps = np.array([[[0.0, 0.99, 0.0, 0.01],   # 纳, sure
                       [1.0, 0.0, 0.0, 0.0],     # blank
                       [0.004, 0.0, 0.55, 0.446]]])  # 人 or 入
    assert uncertain_characters(steps, alphabet, "纳人") == [(1, ("人", 0.55), (("入", 0.446),))]
    assert uncertain_characters(steps, alphabet, "纳入") == []  # not what it decodes to: nothing said
