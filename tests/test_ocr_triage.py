from pathlib import Path

import numpy as np
import pytest
from PIL import ImageDraw

from ocr.triage import estimate_ink_chars, is_residue_line, triage_pdf, triage_text
from test_ocr_support import blank_page, font, image_pdf

CORPUS = Path(__file__).resolve().parents[1] / "corpus" / "ip-protection-plan-2021-2025.garbled-extract.txt"
CLEAN = (
    "加强知识产权保护，是完善产权保护制度最重要的内容，也是提高我国经济竞争力最大的激励。\n"
    "坚持以习近平新时代中国特色社会主义思想为指导，全面贯彻党的十九大和十九届二中、三中、\n"
    "四中、五中全会精神，立足新发展阶段，贯彻新发展理念，构建新发展格局，推动高质量发展。\n"
    "健全商业秘密保护政策。完善行政执法程序，细化处罚标准，完善刑事司法程序。"
)


def test_garbled_extract_is_garbled():
    lines = CORPUS.read_text(encoding="utf-8").splitlines()[:60]
    result = triage_text("\n".join(lines), page=1)
    assert result.decision == "garbled"
    assert result.evidence.residue_line_share > 0.8
    assert any("residue" in reason for reason in result.reasons)


def test_clean_plan_text_is_good():
    result = triage_text(CLEAN)
    assert result.decision == "good", result.reasons
    assert result.evidence.dictionary_coverage > 0.7 and result.evidence.residue_line_share == 0


def test_empty_layer_is_none():
    assert triage_text("").decision == "none"
    assert triage_text("  \n\n 7 \n").decision == "none"


def test_unmapped_glyphs_and_radicals_make_a_layer_garbled():
    cids = CLEAN + "(cid:1234)(cid:88)\ufffd\ue001" * 5
    assert triage_text(cids).decision == "garbled"
    assert triage_text(cids).evidence.cid_patterns == 10
    radicals = CLEAN.replace("国", "\u2f1e").replace("发", "\u2f8a")  # look-alike radicals
    assert triage_text(radicals).evidence.radicals == 6
    assert triage_text(radicals).decision == "garbled"


def test_sound_layer_with_far_less_text_than_the_ink_is_incomplete_not_garbled():
    # A page whose table or box is an embedded image: the layer is right, just short.
    assert triage_text(CLEAN, ink_chars=1500).decision == "incomplete"
    assert triage_text(CLEAN, ink_chars=180).decision == "good"


def test_short_layer_that_is_also_damaged_is_garbled():
    damaged = CLEAN + "\n" + "\n".join(["产 各 各 产 创 口"] * 40)
    assert triage_text(damaged, ink_chars=20000).decision == "garbled"


def test_residue_lines_and_page_numbers():
    assert is_residue_line("产 各 各 产 创 口") and is_residue_line("伟")
    assert not is_residue_line("— 7 —") and not is_residue_line("加强知识产权保护")


def test_ink_estimate_counts_characters_of_a_drawn_page():
    page = blank_page()
    draw = ImageDraw.Draw(page)
    for i in range(10):
        draw.text((150, 300 + i * 55), "知识产权保护行业规范建立数据知识产权", font=font(30), fill=0)  # 18 each
    assert estimate_ink_chars(np.asarray(page)) == pytest.approx(180, rel=0.25)


def test_image_only_pdf_has_no_text_layer(tmp_path):
    page = blank_page((800, 1100))
    ImageDraw.Draw(page).text((100, 100), "知识产权保护" * 4, font=font(24), fill=0)
    (result,) = triage_pdf(image_pdf(tmp_path / "scan.pdf", page, dpi=100))
    assert result.decision == "none" and result.evidence.ink_chars > 10
