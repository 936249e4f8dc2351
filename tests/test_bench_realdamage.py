"""The damage model on real clean texts (bench.realdamage): the layout read from a text,
each kind applied to it doing what it says where it says, seeded, independent of the
repair rules; and one real document's round trip."""

import re
import subprocess
import sys
from pathlib import Path

import pytest

from bench.damage import DEFAULT, HELD_OUT, HELDOUT, KANGXI, KINDS, NOT_TRUTH, Profile
from bench.generate import LEAD, PARTICIPANT
from bench.realdamage import damage_text, locate, skipped_kinds, survival, text_layout

ROOT = Path(__file__).resolve().parents[1]
REALDOCS = ROOT.parent / "shared" / "realdocs"

# A small plan as a reader gives it: a Markdown title, two chapters, a box with two
# indented items in one block and a box with one, a labelled and a bare agency statement.
TEXT = (
    "# 某市应急物资保障行动方案\n"
    "\n"
    "一、总体要求\n"
    "\n"
    "加强应急物资保障。到2025年，建成覆盖全市的应急物资储备网络，支持企业参与应急物资生产，推动建立统一高效的应急物资保障体系。（责任单位：市应急局、市发展改革委、市商务委）\n"
    "\n"
    "专栏1　应急物资储备重点\n"
    "\n"
    "\u3000\u30001．生活类物资。改扩建市级生活类救灾物资储备库，鼓励各区建设区级储备库。\n"
    "\u3000\u30002．消防类物资。在重点区域建设消防救援物资储备点，完善物资调运机制。\n"
    "\n"
    "专栏2　消防救援能力提升重点\n"
    "\n"
    "\u3000\u30001．消防站点。新建一批城市消防站，推进乡镇消防队建设。\n"
    "\n"
    "二、保障措施\n"
    "\n"
    "强化组织领导。各区要建立工作机制，加强统筹协调，推动各项任务落实落地。（市应急局、市财政局）\n"
)
NAME = "hand.md"
SEEDS = range(8)

PARA = TEXT.index("加强应急物资保障")
STATEMENT = TEXT.index("（责任单位")
STATEMENT_END = STATEMENT + len("（责任单位：市应急局、市发展改革委、市商务委）")
ITEM1 = TEXT.index("1．生活类")
ITEM2 = TEXT.index("2．消防类")
ITEM3 = TEXT.index("1．消防站点")
TITLES = {1: "应急物资储备重点", 2: "消防救援能力提升重点"}
LAST = TEXT.index("强化组织领导")
BARE = TEXT.index("（市应急局、市财政局）")
BARE_END = BARE + len("（市应急局、市财政局）")


def only(split=None, **rates) -> Profile:
    base = {"residue_lines": (2, 4), "kangxi_chars": (1, 3)}
    return Profile("only:" + ",".join(rates), {**base, **rates}, **({"split": split} if split else {}))


def damaged(profile, seeds=SEEDS):
    layout = text_layout(TEXT)
    return [damage_text(layout, profile, seed, NAME) for seed in seeds]


def records(profile, kind):
    out = [(d, r) for d in damaged(profile) for r in d.records if r.kind == kind]
    assert out, f"{kind} never applied"
    return out


def true_text(d) -> str:
    return "".join(c for c, a in zip(d.text, d.align) if a >= 0)


def written_by(d, r) -> list[int]:
    return [i for i, s in enumerate(d.source) if s == r.id]


# ---------------------------------------------------------------- the layout


def test_the_layout_of_a_clean_text():
    layout = text_layout(TEXT)
    assert layout.text == TEXT
    assert TEXT[slice(*layout.title_span)] == "某市应急物资保障行动方案"
    assert layout.table is None and layout.table_lines == ()
    # gaps: the text's start, the chapters and the box, the text's end
    assert layout.gaps == (0, TEXT.index("一、"), TEXT.index("专栏1"), TEXT.index("专栏2"), TEXT.index("二、"), len(TEXT))
    box, second = layout.boxes
    assert (box.number, box.title, box.header) == (1, "应急物资储备重点", "专栏1　应急物资储备重点")
    assert (second.number, second.title) == (2, "消防救援能力提升重点")
    assert [(p.start, p.end) for p in second.paragraphs] == [(ITEM3, TEXT.index("\n", ITEM3))]
    assert TEXT[slice(*box.number_span)] == "1" and TEXT[slice(*box.title_span)] == "应急物资储备重点"
    # the box's items are the lines of its block, their indentation left out
    assert [(p.start, p.end) for p in box.paragraphs] == [(ITEM1, TEXT.index("\n", ITEM1)), (ITEM2, TEXT.index("\n", ITEM2))]
    assert [TEXT[slice(*p.lead)] for p in box.paragraphs] == ["1．生活类物资。", "2．消防类物资。"]
    loose = {TEXT[p.start:p.end][:6]: p for p in layout.loose}
    assert list(loose) == ["# 某市应急", "一、总体要求", "加强应急物资", "二、保障措施", "强化组织领导"]
    assert not loose["一、总体要求"].is_item and not loose["二、保障措施"].is_item  # headings
    first = loose["加强应急物资"]
    assert [TEXT[a:b] for a, b in first.sentences] == ["加强应急物资保障。", "到2025年，建成覆盖全市的应急物资储备网络，支持企业参与应急物资生产，推动建立统一高效的应急物资保障体系。"]
    assert first.lead == (PARA, PARA + len("加强应急物资保障。"))
    (labelled,) = first.statements
    assert (labelled.start, labelled.end, labelled.form) == (STATEMENT, STATEMENT_END, "labelled_units")
    assert [(e.printed, e.role) for e in labelled.entries] == [("市应急局", LEAD), ("市发展改革委", LEAD), ("市商务委", LEAD)]
    assert TEXT[labelled.entries[1].start:labelled.entries[1].end] == "市发展改革委"
    (bare,) = loose["强化组织领导"].statements
    assert (bare.start, bare.form) == (BARE, "bare_list")
    assert [(e.printed, e.role) for e in bare.entries] == [("市应急局", PARTICIPANT), ("市财政局", PARTICIPANT)]
    # each gap's body: the paragraph after it, whose glyphs a broken font leaves there
    assert layout.body[1] == (first.text,) and layout.body[2] == (box.paragraphs[0].text,) and layout.body[3] == (second.paragraphs[0].text,)
    assert layout.body[-1] == ()


def test_brackets_that_are_not_agency_lists_are_no_statements():
    layout = text_layout("开展试点。（2021-2023年）\n\n配备农机具。（机组）\n\n完善制度。（市科协、上海海关）\n")
    statements = [s.raw for p in layout.loose for s in p.statements]
    assert statements == ["（市科协、上海海关）"]


def test_kinds_a_text_lacks_the_spans_for_are_skipped_and_said_so():
    assert skipped_kinds(text_layout(TEXT), DEFAULT) == {"table_shift": "no key-indicator table with an attribute column"}
    plain = text_layout("一、总体要求\n\n加强应急物资保障，建成覆盖全市的储备网络。\n")
    skipped = skipped_kinds(plain, DEFAULT)
    assert set(skipped) == {"box_number_skipped", "box_number_duplicated", "box_number_split", "box_number_missing", "sidebar",
                            "agency_repeat", "agency_truncated", "agency_dropped", "table_shift", "letter_spacing"}
    assert skipped["sidebar"] == "no 专栏 box" and skipped["agency_dropped"] == "no agency statement in brackets"
    held_out = skipped_kinds(plain, HELDOUT)
    assert "split_word" in held_out and "box_number_lookalike" in held_out  # held-out breaks fall inside names


# ---------------------------------------------------------------- each kind, as it says


def check_in_region(d):
    """Every character a damage wrote stands in its region: copies of true characters
    inside it, inserted text between the true characters at its ends."""
    for r in d.records:
        start, end = r.region
        for i in written_by(d, r):
            a = d.align[i]
            if a != NOT_TRUTH:
                assert start <= a < max(end, start + 1), (r.kind, a, r.region)
                continue
            # the nearest true characters around it
            before = next((d.align[k] for k in range(i - 1, -1, -1) if d.align[k] >= 0), -1)
            after = next((d.align[k] for k in range(i + 1, len(d.align)) if d.align[k] >= 0), len(TEXT))
            assert start - 1 <= before and after <= max(end, start), (r.kind, before, after, r.region)
        if r.lost:
            assert not set(range(*r.lost)) & set(d.align)


def test_residue_lines_stand_at_a_gap_in_the_residue_glyphs():
    for d, r in records(only(residue=1.0), "residue"):
        assert r.region[1] in text_layout(TEXT).gaps
        junk = "".join(d.text[i] for i in written_by(d, r))
        assert set(junk) <= set(d.plan.alphabet) | set("“”、.%0123456789 \t\n")
        assert true_text(d) == TEXT
        check_in_region(d)


def test_dropped_body_leaves_the_glyphs_of_the_paragraph_after_the_gap():
    layout = text_layout(TEXT)
    for d, r in records(only(body_dropped=1.0), "body_dropped"):
        body = layout.body[layout.gaps.index(r.region[1])]
        junk = "".join(d.text[i] for i in written_by(d, r))
        assert set(junk.split()) <= set(body[0])
        assert true_text(d) == TEXT
        check_in_region(d)


def test_sentences_repeat_right_after_themselves():
    for d, r in records(only(repeat=1.0), "repeat"):
        sentence = TEXT[slice(*r.region)]
        assert sentence == r.detail["sentence"] and len(sentence) >= 6
        assert sentence * (r.detail["copies"] + 1) in d.text
        check_in_region(d)


def test_near_duplicates_swap_a_word_of_the_group():
    for d, r in records(only(near_dup=1.0), "near_dup"):
        before, after = r.detail["swapped"]
        sentence = TEXT[slice(*r.region)]
        assert sentence + sentence.replace(before, after, 1) in d.text
        check_in_region(d)


def test_agency_statements_lose_a_repeated_name_their_end_or_everything():
    for d, r in records(only(agency_repeat=1.0), "agency_repeat"):
        assert d.text.count(r.detail["repeated"]) > TEXT.count(r.detail["repeated"])
        check_in_region(d)
    for d, r in records(only(agency_truncated=1.0), "agency_truncated"):
        start, end = r.lost
        assert end in (STATEMENT_END, BARE_END) and start < end
        assert r.detail["kept"] in d.text and TEXT[start:end] not in d.text
        check_in_region(d)
    for d, r in records(only(agency_dropped=1.0), "agency_dropped"):
        assert r.region in ((STATEMENT, STATEMENT_END), (BARE, BARE_END))
        assert "（责任单位" not in d.text and "（市应急局、市财政局）" not in d.text
        check_in_region(d)


@pytest.mark.parametrize("kind, split", [("box_number_skipped", None), ("box_number_duplicated", None), ("box_number_split", None),
                                         ("box_number_missing", None), ("box_number_lookalike", HELD_OUT), ("box_number_doubled_digit", HELD_OUT)])
def test_box_numbers_are_printed_as_recorded(kind, split):
    for d, r in records(only(split, **{kind: 1.0}), kind):
        n, title = r.detail["number"], TITLES[r.detail["number"]]
        assert r.region == (TEXT.index(f"专栏{n}"), TEXT.index(title))
        printed = re.search(rf"^专栏(.*?)　{title}$", d.text, re.MULTILINE).group(1)
        assert printed == r.detail["printed"] != str(n)
        assert {"box_number_duplicated": {"2", "1"}, "box_number_lookalike": {"l", "I"}, "box_number_doubled_digit": {"11", "22"}}.get(kind, {printed}) >= {printed}
        check_in_region(d)


def test_radicals_doubled_glyphs_and_spaced_titles():
    for d, r in records(only(kangxi=1.0, kangxi_chars=(2, 3)), "kangxi"):
        t = r.region[0]
        assert KANGXI[TEXT[t]] == r.detail["radical"] and d.text[d.align.index(t)] == r.detail["radical"]
    for d, r in records(only(fake_bold_lead=1.0), "fake_bold"):
        lead = TEXT[slice(*r.region)]
        assert lead in ("加强应急物资保障。", "1．生活类物资。", "2．消防类物资。", "1．消防站点。", "强化组织领导。")
        assert "".join(c + c for c in lead) in d.text
        check_in_region(d)
    for d, r in records(only(letter_spacing_title=1.0), "letter_spacing"):
        title = TEXT[r.region[0] - 1:r.region[1] + 1]
        assert title in TITLES.values() and " ".join(title) in d.text  # the gaps between its characters
        check_in_region(d)


def test_breaks_marks_and_wraps_fall_between_true_characters():
    for kind, profile in (("stray_mark", only(stray_mark=1.0, stray_mark_title=1.0)), ("split_word", only(split_word=1.0)),
                          ("split_word", only(split=HELD_OUT, split_name=1.0)), ("line_wrap", only(line_wrap=1.0)),
                          ("line_wrap", only(split=HELD_OUT, line_wrap=1.0))):
        for d, r in records(profile, kind):
            t = r.region[0]
            added = "".join(d.text[i] for i in written_by(d, r))
            assert r.region == (t, t) and 0 < t < len(TEXT)
            assert added == "/" if kind == "stray_mark" else not added.strip()
            assert true_text(d) == TEXT
            check_in_region(d)
    names = [e.printed for p in text_layout(TEXT).loose for s in p.statements for e in s.entries]
    assert all(r.detail["word"] in names for _, r in records(only(split=HELD_OUT, split_name=1.0), "split_word"))


def test_sidebar_fragments_and_residue_inside_the_box_stand_between_its_lines():
    box_text = TEXT[ITEM1:TEXT.index("\n", ITEM3)]
    ends = (TEXT.index("\n", ITEM2), TEXT.index("\n", ITEM3))
    for d, r in records(only(sidebar=1.0), "sidebar"):
        # before an item opening a block (a blank line before it), before the second item
        # of box 1 (one line break), or after a box
        assert r.region in ((ITEM1 - 4, ITEM1 - 2), (ITEM2 - 3, ITEM2 - 2), (ITEM3 - 4, ITEM3 - 2), *((e - 2, e) for e in ends))
        for piece in r.detail["fragments"]:
            assert 1 <= len(piece) <= 5 and set(piece) <= set(box_text) and f"\n{piece}\n" in d.text
        assert true_text(d) == TEXT
        check_in_region(d)
    for d, r in records(only(residue_in_box=1.0), "residue_in_box"):
        assert r.region == (ITEM2 - 3, ITEM2 - 2)  # the line break before the second item's indentation
        assert true_text(d) == TEXT
        check_in_region(d)


def test_layout_white_space_is_white_space_only():
    for d, r in records(only(whitespace_line=1.0, extra_blank_lines=1.0, indent=1.0), "layout_whitespace"):
        assert not "".join(d.text[i] for i in written_by(d, r)).strip()
        assert true_text(d) == TEXT
        check_in_region(d)


def test_damage_is_seeded_and_per_document():
    layout = text_layout(TEXT)
    for profile in (DEFAULT, HELDOUT):
        a, b = damage_text(layout, profile, 3, NAME), damage_text(layout, profile, 3, NAME)
        assert (a.text, a.align, a.records) == (b.text, b.align, b.records)
    texts = {damage_text(layout, HELDOUT, seed, name).text for seed in range(6) for name in (NAME, "other.md")}
    assert len(texts) > 6
    assert all(r.kind in KINDS for d in damaged(HELDOUT) for r in d.records)


def test_must_survive_strings_the_damage_did_not_touch():
    strings = ["（市应急局、市财政局）", "改扩建市级生活类救灾物资储备库", "不在文中"]
    located = locate(TEXT, strings)
    assert located[0][1] == (BARE, BARE_END) and located[2][1] is None
    d = damage_text(text_layout(TEXT), only(agency_dropped=1.0), 1, NAME)
    counts = survival(d, d.text, located)  # "repaired" = the damaged text, unrepaired
    assert counts == {"untouched": 1, "untouched_kept": 1, "touched": 1, "touched_kept": 0, "not_in_text": 1}


def test_damaging_a_real_text_loads_nothing_of_the_repair_rules():
    code = (
        "import sys; from bench.realdamage import text_layout, damage_text; from bench.damage import DEFAULT, HELDOUT; "
        "[damage_text(text_layout('专栏1 甲\\n\\n完善机制。（市科委、市财政局）\\n'), p, s) for s in (1, 2) for p in (DEFAULT, HELDOUT)]; "
        "print(sorted(m for m in sys.modules if m == 'repair' or m.startswith('repair.')))"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
    source = (ROOT / "bench" / "realdamage.py").read_text(encoding="utf-8")
    assert not re.search(r"^(from|import)\s+repair\b", source, re.MULTILINE)  # only inside the scoring functions


# ---------------------------------------------------------------- one real document


def test_a_real_markdown_document_round_trips_and_repair_lowers_the_cer():
    # The real documents are read from ../shared/realdocs beside the project (CI has it).
    import json

    from bench.realdamage import evaluate
    from pipeline.ingest import read_input

    truth = json.loads((ROOT / "bench" / "real" / "sh_bci_action_plan_2025.truth.json").read_text(encoding="utf-8"))
    text = read_input(REALDOCS / "sh_bci_action_plan_2025.md").text
    counts, _ = evaluate("sh_bci_action_plan_2025.md", text, truth["must_survive"], "default", 1)
    assert counts["truth_chars"] == len(text) and counts["damaged_distance"] > 0
    assert counts["repaired_distance"] < counts["damaged_distance"]
    assert counts["visible_repaired_distance"] < counts["visible_damaged_distance"]
    survive = counts["must_survive"]
    assert survive["untouched"] > 0 and survive["untouched_kept"] == survive["untouched"]
