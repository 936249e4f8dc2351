"""A sound text layer's garbled spans, repaired only where its glyph positions show them
(the 革命文物 plan's layer: `一）` for the printed `（一）`, a `《` drawn inside a `“`)."""

from pathlib import Path

import pytest

from ocr.layer_glyphs import GlyphFix, find_glyph_fixes
from repair.changes import TrackedText, replay
from repair.fusion import glyph_fix_edits

REALDOCS = Path(__file__).resolve().parents[2] / "shared" / "realdocs"
NCHA = REALDOCS / "ncha_geming_wenwu_14th_plan.pdf"
KEJI = REALDOCS / "gov_wenwu_keji_14th_plan.pdf"
# The section headings as the pages print them (read from the rendered pages).
PRINTED_HEADINGS = ["（一）指导思想", "（二）基本原则", "（三）发展目标", "（一）推进整体保护", "（二）深化系统研究",
                    "（三）提升展陈质量", "（四）强化教育功能", "（五）促进融合发展", "（一）加强组织协调",
                    "（二）完善政策支持", "（三）强化规划落实"]


@pytest.fixture(scope="module")
def ncha_fixes():
    return find_glyph_fixes(NCHA)


def test_each_heading_whose_bracket_the_layer_lost_gets_it_back(ncha_fixes):
    restored = [f for f in ncha_fixes if f.rule == "restore_open_bracket" and f.line[:2] in {h[1:3] for h in PRINTED_HEADINGS}]
    assert [f.after + f.line for f in restored] == [h for h in PRINTED_HEADINGS]
    for fix in restored:
        assert (fix.start, fix.end) == (0, 0) and fix.evidence["glyph_text"] == " " and fix.evidence["ink_share"] > 0


def test_a_bracket_drawn_inside_a_quote_goes_with_the_gap_it_left(ncha_fixes):
    dropped = [f for f in ncha_fixes if f.rule == "drop_overprinted_glyph"]
    assert len(dropped) == 5  # “十四五” three times, “四史” twice, as printed
    for fix in dropped:
        assert fix.line[fix.start] == "《" and fix.line[fix.start - 1] == "“" and fix.evidence["inside"]["text"] == "“"
        repaired = fix.line[:fix.start] + fix.after + fix.line[fix.end:]
        assert "“十四五”" in repaired or "“四史”" in repaired


def test_every_corruption_of_the_layer_read_off_its_pages_is_repaired(ncha_fixes):
    # bench/real/…truth.json lists each corruption as read by comparing the layer with
    # the page images: 22 of them (lost （ and 《, a （ held as 《, stray 《).
    import json

    from ocr.triage import page_texts

    truth = json.loads((Path(__file__).resolve().parents[1] / "bench" / "real" / "ncha_geming_wenwu_14th_plan.truth.json").read_text(encoding="utf-8"))
    text = "\n".join(page_texts(NCHA))
    tracked = TrackedText(text)
    tracked.apply_named(glyph_fix_edits(text, ncha_fixes))
    compact = "".join(tracked.text.split())
    assert [d["should_read"] for d in truth["text_layer_damage"] if "".join(d["should_read"].split()) not in compact] == []
    assert len(truth["text_layer_damage"]) == 22


def test_brackets_restored_inside_a_line_and_before_the_next_lines_closing(ncha_fixes):
    inside = [(f.line[f.start - 2:f.start], f.line[f.end:f.end + 2], f.after) for f in ncha_fixes
              if f.rule == "restore_open_bracket" and f.start > 0]
    assert ("起草", "长征", "《") in inside  # 研究起草 长征文物保护条例》
    assert ("本省", "自治", "（") in inside  # 发挥本省 自治区、 / 直辖市）
    assert ("物局", "《 ", "（") in inside  # 文物局 《 文化和旅游厅/局）: the space glyph with ink is the （
    for fix in ncha_fixes:
        if fix.rule == "restore_open_bracket":
            assert fix.evidence["ink_share"] >= 0.02 and fix.line[fix.start:fix.end] in ("", " ")


def test_a_bracket_glyph_with_no_ink_under_it_goes(ncha_fixes):
    dropped = [f for f in ncha_fixes if f.rule == "drop_inkless_glyph"]
    assert dropped and all(f.line[f.start] == "《" and f.evidence["ink_share"] < 0.005 for f in dropped)
    assert any(f.line[f.start:f.start + 2] == "《(" for f in dropped)  # 政府网《(www.gov.cn)


def test_a_clean_layer_gets_no_fix():
    assert find_glyph_fixes(KEJI) == []


def fix(line, start, end, after):
    return GlyphFix(1, line, start, end, after, "restore_open_bracket", "test", {"page": 1})


def test_a_fix_applies_only_on_its_own_unchanged_line():
    text = "总体要求\n一）指导思想\n坚持以人民为中心。\n"
    tracked = TrackedText(text)
    tracked.apply_named(glyph_fix_edits(text, [fix("一）指导思想", 0, 0, "（")]))
    assert tracked.text == "总体要求\n（一）指导思想\n坚持以人民为中心。\n"
    assert replay(text, tracked.changes) == tracked.text
    (change,) = tracked.changes
    assert change.rule == "restore_open_bracket" and change.evidence["line"] == "一）指导思想"
    # A line an earlier rule changed, or one printed twice, is left as it is.
    assert glyph_fix_edits("一）指导思想。\n", [fix("一）指导思想", 0, 0, "（")]) == []
    assert glyph_fix_edits("一）指导思想\n一）指导思想\n", [fix("一）指导思想", 0, 0, "（")]) == []
