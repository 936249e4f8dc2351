"""Do no harm on real plans as they are published (../shared/realdocs, truth read by
hand in bench/real/): a clean document comes through with no change beyond white space,
every must-survive string of its truth file is still there, and nothing claims a loss."""

import json

import pytest

from bench.real import REALDOCS, norm, score_document, truth_files

TRUTHS = [json.loads(p.read_text(encoding="utf-8")) for p in truth_files()]
# PDFs have their images OCR'd (tens of seconds): measured by `make bench`, and the
# 文物 plan's boxes and text layer by tests/test_pdf_regions.py.
TEXT_FORMS = [t for t in TRUTHS if t["format"] != "pdf"]


def test_the_real_documents_are_there():
    assert REALDOCS.is_dir(), "the real documents are read from ../shared/realdocs beside the project"
    assert {t["document"] for t in TRUTHS} <= {p.name for p in REALDOCS.iterdir()}
    assert len(TEXT_FORMS) >= 9


@pytest.mark.parametrize("truth", TEXT_FORMS, ids=lambda t: t["document"])
def test_real_document_comes_through_unharmed(truth):
    score = score_document(truth)
    assert score.exit_code == 0
    assert score.lost_strings == []
    if truth["state"] == "clean":
        assert score.false_repairs == []
        assert score.loss_claimed == []


def test_norm_folds_widths_and_white_space_only():
    assert norm("（ 约束性 ）\n２％") == norm("(约束性)2%")
    assert norm("发/吨") != norm("发吨")
