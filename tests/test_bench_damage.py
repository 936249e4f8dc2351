"""The damage model of the bench: each kind does what it says, and the truth stays aligned."""

import random
import re
import unicodedata
from pathlib import Path

import pytest

from bench.damage import (
    DEFAULT,
    HEAVY,
    HELD_OUT,
    HELDOUT,
    KANGXI,
    KINDS,
    MIN_LINE,
    MISPRINTS,
    Profile,
    damage_plan,
    double_digit,
    drop_digit,
    lookalike_digit,
    split_digits,
    transpose_digits,
    typeset_break,
    wrap_breaks,
)
from bench.generate import generate_plan
from bench.phrases import HELDOUT_SWAP_GROUPS, SWAP_GROUPS

ROOT = Path(__file__).resolve().parents[1]

SEEDS = range(12)


def only(**rates) -> Profile:
    base = {"residue_lines": (2, 6), "kangxi_chars": (1, 3)}
    return Profile("only:" + ",".join(rates), {**base, **rates})


def heldout(**rates) -> Profile:
    base = {"residue_lines": (2, 6), "kangxi_chars": (1, 3)}
    return Profile("heldout-only:" + ",".join(rates), {**base, **rates}, split=HELD_OUT)


def damaged(profile, seeds=SEEDS):
    return [damage_plan(generate_plan(seed), profile) for seed in seeds]


def junk(d, kind=None) -> list[str]:
    """The pieces of text a damage added (not standing for any true character)."""
    pieces, current = [], ""
    for i, (c, a, s) in enumerate(zip(d.text, d.align, d.source)):
        if a < 0 and (kind is None or d.records[s].kind == kind):
            current += c
        elif current:
            pieces.append(current)
            current = ""
    return pieces + ([current] if current else [])


def check_aligned(d):
    """Every character standing for a true one is that character (or its radical look-alike);
    every true character is there, unless a damage says it is lost or rewrote it."""
    truth = d.truth_text
    for c, a, s in zip(d.text, d.align, d.source):
        if a >= 0 and c != truth[a]:
            assert d.records[s].kind == "kangxi" and KANGXI[truth[a]] == c
    lost = {t for r in d.records if r.lost for t in range(*r.lost)}
    present = {a for a in d.align if a >= 0}
    assert not present & lost
    rewritten = {t for box in d.plan.boxes for t in range(*box.number_span)}  # damaged box numbers
    assert set(range(len(truth))) - present - lost <= rewritten


def true_text(d) -> str:
    """The damaged text without what the damage added: the truth, if nothing was lost or rewritten."""
    return "".join(c for c, a in zip(d.text, d.align) if a >= 0)


@pytest.mark.parametrize("profile", [DEFAULT, HEAVY, HELDOUT])
def test_damage_is_seeded_and_keeps_the_truth_aligned(profile):
    plan = generate_plan(5)
    assert damage_plan(plan, profile).text == damage_plan(plan, profile).text
    for d in damaged(profile):
        assert len(d.text) == len(d.align) == len(d.source)
        check_aligned(d)
        assert all(r.kind in KINDS for r in d.records)


def test_every_kind_occurs_in_the_heavy_or_the_held_out_profile():
    misprints = Profile("heldout-misprints", {**HELDOUT.rates, **{k: 0.1 for k in MISPRINTS}}, split=HELD_OUT)
    kinds = {r.kind for profile in (HEAVY, misprints) for d in damaged(profile, range(30)) for r in d.records}
    assert kinds == set(KINDS)


def test_residue_lines_are_stray_glyphs_between_blocks():
    for d in damaged(only(residue=1.0)):
        alphabet = set(d.plan.alphabet) | set("“”、.%0123456789 \t\n")
        for piece in junk(d, "residue"):
            assert set(piece) <= alphabet
        check_aligned(d)
        assert "".join(c for c, a in zip(d.text, d.align) if a >= 0) == d.truth_text


def test_dropped_body_paragraphs_leave_their_own_glyphs():
    for d in damaged(only(body_dropped=1.0)):
        body = "".join(p for gap in d.plan.body for p in gap)
        for piece in junk(d, "body_dropped"):
            assert set(piece.split()) <= set(body) | {""}
        assert "".join(c for c, a in zip(d.text, d.align) if a >= 0) == d.truth_text


def test_sentences_are_repeated_two_or_three_times_in_a_row():
    for d in damaged(only(repeat=1.0)):
        for r in d.records:
            sentence = r.detail["sentence"]
            assert (sentence * (r.detail["copies"] + 1)) in d.text


def test_near_duplicates_swap_one_word_of_a_group():
    for d in damaged(only(near_dup=1.0)):
        for r in d.records:
            before, after = r.detail["swapped"]
            assert any(before in g and after in g for g in SWAP_GROUPS) and before != after
            original = d.truth_text[slice(*r.region)]
            assert original + r.detail["variant"] in d.text
            assert original.replace(before, after, 1) == r.detail["variant"]


def test_split_words_break_inside_a_word_never_near_a_line_start():
    for d in damaged(only(split_word=1.0)):
        for r in d.records:
            t = r.region[0]
            assert r.detail["gap"].strip() == ""
            assert d.truth_text[t - 1] in r.detail["word"] and d.truth_text[t] in r.detail["word"]
        for line in d.text.split("\n"):
            stripped = line.strip()
            if stripped and not stripped.startswith("专栏") and "\t" not in line and stripped[-1] not in "。）)":
                assert len(stripped) >= MIN_LINE
        assert "".join(c for c, a in zip(d.text, d.align) if a >= 0) == d.truth_text


def test_stray_marks_sit_between_two_chinese_characters():
    for d in damaged(only(stray_mark=1.0, stray_mark_title=1.0)):
        assert junk(d) and set(junk(d)) == {"/"}
        for i, (c, a) in enumerate(zip(d.text, d.align)):
            if a < 0:  # the truth prints slashes of its own (万件/套, 1/3)
                assert "\u4e00" <= d.text[i - 1] <= "\u9fff" and "\u4e00" <= d.text[i + 1] <= "\u9fff"


def test_sidebar_fragments_are_short_lines_inside_boxes():
    for d in damaged(only(sidebar=1.0)):
        for piece in junk(d, "sidebar"):
            for line in piece.strip("\n").split("\n"):
                assert 1 <= len(line) <= 5 and not set(line) & set("。；（）")
        assert "".join(c for c, a in zip(d.text, d.align) if a >= 0) == d.truth_text


@pytest.mark.parametrize("kind", ["box_number_skipped", "box_number_duplicated", "box_number_split", "box_number_missing"])
def test_box_numbers_are_printed_as_recorded(kind):
    for d in damaged(only(**{kind: 1.0})):
        printed = [m.group(1) for m in re.finditer(r"^专栏\s*(\d+(?: \d+)*)?", d.text, re.MULTILINE)]
        records = [r for r in d.records if r.kind == kind]
        assert records
        for r in records:
            n = r.detail["number"]
            shown = r.detail["printed"]
            assert (shown or None) == printed[n - 1]
            if kind == "box_number_skipped":
                assert int(shown) > n
            elif kind == "box_number_duplicated":
                assert int(shown) in (n - 1, n + 1)
            elif kind == "box_number_split":
                assert " " in shown


def test_agency_lists_repeat_a_name_of_the_same_list():
    for d in damaged(only(agency_repeat=1.0)):
        for r in d.records:
            assert d.text.count(r.detail["repeated"]) > d.truth_text.count(r.detail["repeated"])


def test_truncated_statements_lose_their_end_for_good():
    for d in damaged(only(agency_truncated=1.0)):
        for r in d.records:
            start, end = r.lost
            assert d.truth_text[end - 1] in "）)"
            assert r.detail["kept"] in d.text
            assert r.detail["kept"] + d.truth_text[start:end] not in d.text
        check_aligned(d)


def test_dropped_statements_are_gone():
    for d in damaged(only(agency_dropped=1.0)):
        assert not re.search(r"[（(][^（）()]*(负责|牵头单位)[^（）()]*[）)]", d.text)
        check_aligned(d)


def test_shifted_rows_start_with_their_attribute():
    for d in damaged(only(table_shift=1.0)):
        rows = [r for r in d.records if r.kind == "table_shift"]
        assert rows
        lines = d.text.split("\n")
        for r in rows:
            line = next(l for l in lines if l.startswith(r.detail["attribute"] + "\t") and d.truth_text[slice(*r.region)].split("\t")[1] in l)
            assert line.endswith(r.detail["attribute"]) == (r.detail["how"] == "copied")
        check_aligned(d)


def test_letter_spacing_puts_a_space_between_characters():
    profile = only(letter_spacing_header=1.0, letter_spacing_name=1.0, letter_spacing_title=1.0, letter_spacing_plan_title=1.0, letter_spacing_paragraph=0.2)
    for d in damaged(profile):
        assert set(junk(d)) == {" "}
        assert "指 标" in d.text or "序 号" in d.text
        assert "".join(c for c, a in zip(d.text, d.align) if a >= 0) == d.truth_text


def test_radicals_stand_in_for_ideographs():
    for d in damaged(only(kangxi=1.0)):
        for r in d.records:
            radical = r.detail["radical"]
            assert 0x2E80 <= ord(radical) <= 0x2FDF
            if 0x2F00 <= ord(radical):
                assert unicodedata.normalize("NFKC", radical) == r.detail["ideograph"]
        check_aligned(d)


def test_fake_bold_doubles_every_character_of_the_run():
    for d in damaged(only(fake_bold_title=1.0, fake_bold_lead=0.5)):
        assert d.records
        for r in d.records:
            run = d.truth_text[slice(*r.region)]
            assert "".join(c + c for c in run) in d.text
        first_copies = [c for i, (c, a) in enumerate(zip(d.text, d.align)) if a >= 0 and (i == 0 or d.align[i - 1] != a)]
        assert "".join(first_copies) == d.truth_text


def test_layout_white_space_adds_only_white_space():
    for d in damaged(only(trailing_tabs=1.0, whitespace_line=1.0, extra_blank_lines=1.0, indent=0.3)):
        assert junk(d) and all(not piece.strip() for piece in junk(d))
        assert "".join(c for c, a in zip(d.text, d.align) if a >= 0) == d.truth_text


def test_residue_in_boxes_sits_between_two_paragraphs():
    for d in damaged(only(residue_in_box=1.0)):
        for r in d.records:
            t = r.region[1]
            assert d.truth_text[t - 2:t] == "\n\n"


def test_documents_do_not_depend_on_the_hash_seed():
    import subprocess
    import sys
    from pathlib import Path

    code = "from bench.damage import damage_plan, HEAVY; from bench.generate import generate_plan; import hashlib; print(hashlib.sha256(damage_plan(generate_plan(4), HEAVY).text.encode()).hexdigest())"
    root = Path(__file__).resolve().parents[1]
    outputs = {
        subprocess.run([sys.executable, "-c", code], cwd=root, env={"PYTHONHASHSEED": str(seed), "PATH": ""}, capture_output=True, text=True, check=True).stdout
        for seed in (1, 2)
    }
    assert len(outputs) == 1


# ---------------------------------------------------------------- the held-out split


def test_the_damage_model_loads_nothing_of_the_repair_rules():
    """Held out means independent: generating and damaging documents never imports repair/."""
    import subprocess
    import sys

    code = (
        "import sys; from bench.damage import damage_plan, HELDOUT, DEFAULT; from bench.generate import generate_plan; "
        "[damage_plan(generate_plan(s), p) for s in (1, 2) for p in (HELDOUT, DEFAULT)]; "
        "print(sorted(m for m in sys.modules if m == 'repair' or m.startswith('repair.')))"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
    for name in ("damage.py", "generate.py", "phrases.py"):
        source = (ROOT / "bench" / name).read_text(encoding="utf-8")
        assert not re.search(r"^\s*(from|import)\s+repair\b", source, re.MULTILINE)
        assert "interchangeable_words" not in source


def test_held_out_swap_verbs_are_none_of_the_rules_interchangeable_words():
    listed = {w for line in (ROOT / "repair" / "data" / "interchangeable_words.txt").read_text(encoding="utf-8").splitlines() if not line.startswith("#") for w in line.split()}
    held_out = {w for group in HELDOUT_SWAP_GROUPS for w in group}
    assert held_out and not held_out & listed


def test_held_out_near_duplicates_swap_a_held_out_verb():
    records = [(d, r) for d in damaged(heldout(near_dup=1.0)) for r in d.records]
    assert records
    for d, r in records:
        before, after = r.detail["swapped"]
        assert any(before in g and after in g for g in HELDOUT_SWAP_GROUPS) and before != after
        original = d.truth_text[slice(*r.region)]
        assert original.replace(before, after, 1) == r.detail["variant"]
        assert original + r.detail["variant"] in d.text


def test_held_out_sidebar_fragments_are_longer_and_keep_their_punctuation():
    pieces = []
    for d in damaged(heldout(sidebar=1.0)):
        for r in d.records:
            box_text = "".join(p.text for p in d.plan.boxes[r.detail["box"]].paragraphs)
            for piece in r.detail["fragments"]:
                assert 1 <= len(piece) <= 12 and piece in box_text
                pieces.append(piece)
        assert true_text(d) == d.truth_text
    assert any(len(p) > 5 for p in pieces)  # beyond the 5 characters the sidebar rule looks for
    assert any(set(p) & set("。，；（）") for p in pieces)


def test_ragged_wraps_break_near_the_drawn_width():
    for seed in range(50):
        rng = random.Random(seed)
        breaks = wrap_breaks(rng, 100, 400)
        lines = [b - a for a, b in zip([100] + breaks, breaks)]
        assert all(100 < b < 399 for b in breaks) and breaks == sorted(set(breaks))
        assert max(lines) - min(lines) <= 6 and all(2 <= n <= 63 for n in lines)


def test_typeset_breaks_keep_marks_and_latin_runs_whole():
    text = "建设资源。定期发布（年报）。2021/2025学年PM2.5下降"
    assert typeset_break(text, text.index("。")) == text.index("。") + 1  # no full stop opens a line
    assert typeset_break(text, text.index("年报")) == text.index("年报") + 1  # no bracket ends one
    assert typeset_break(text, text.index("/")) == text.index("学")  # 2021/2025 stays whole
    assert typeset_break(text, text.index("2.5")) == text.index("下")
    assert typeset_break(text, text.index("定")) == text.index("定")  # a break between ideographs stays


def test_held_out_wraps_come_at_many_widths_and_after_full_stops():
    widths, after_stop = set(), 0
    for d in damaged(heldout(line_wrap=0.5)):
        records = [r for r in d.records if r.kind == "line_wrap"]
        for a, b in zip(records, records[1:]):
            widths.add(b.region[0] - a.region[0])
        after_stop += sum(r.detail["left"].endswith("。") for r in records)
        assert all(not piece.strip() for piece in junk(d)) and true_text(d) == d.truth_text
    assert min(widths) < 20 and max(widths) > 45  # wider than the rules' even-width window
    assert after_stop > 0


def test_held_out_breaks_fall_inside_agency_names():
    records = [(d, r) for d in damaged(heldout(split_name=1.0)) for r in d.records]
    assert records
    inner = set()
    for d, r in records:
        t = r.region[0]
        entry = next(e for _, _, p, s in _statements(d.plan) for e in s.entries if e.start < t < e.end)
        assert entry.printed == r.detail["word"] and not r.detail["gap"].strip()
        inner.add(t - entry.start)
    assert len(inner) >= 4  # anywhere inside the name, not at known word boundaries
    assert all(true_text(d) == d.truth_text for d, _ in records)


def _statements(plan):
    for j, box in enumerate(plan.boxes):
        for para in box.paragraphs:
            for s in para.statements:
                yield j, box, para, s


def test_misprints_of_a_box_number():
    assert set(double_digit("14")) == {"114", "144"} and double_digit("4") == ["44"]
    assert set(drop_digit("14")) == {"1", "4"} and drop_digit("4") == []
    assert transpose_digits("12") == ["21"] and transpose_digits("11") == []
    assert set(lookalike_digit("10")) == {"l0", "I0", "1O", "1o"} and lookalike_digit("4") == []
    assert split_digits("14") == ["1 4"] and split_digits("4") == []


def test_held_out_box_numbers_are_printed_as_recorded():
    header = re.compile(r"^专栏\s*([0-9lIOo]+(?: [0-9]+)?)?", re.MULTILINE)
    seen = set()
    for d in damaged(heldout(**{k: 0.15 for k in MISPRINTS}), range(20)):
        printed = [m.group(1) for m in header.finditer(d.text)]
        for r in d.records:
            seen.add(r.kind)
            assert r.detail["printed"] == printed[r.detail["number"] - 1] != str(r.detail["number"])
    assert seen == set(MISPRINTS)
