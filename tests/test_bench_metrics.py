"""The bench's agency scores: what a damaged statement leaves recoverable, and how the
pipeline is scored on it (bench/metrics.py, recoverable_truth and score_structure)."""

import pytest

from bench.damage import Profile, damage_plan
from bench.generate import LEAD, PARTICIPANT, generate_plan
from bench.metrics import cut_name_fits, recoverable_truth, score_structure, surviving_role


def box(lead=(), participants=(), **extra):
    return {"number": 1, "title": "甲工程", "lead": list(lead), "participants": list(participants), **extra}


def scores(predicted, truth, recoverable):
    out = score_structure({"indicators": [], "programmes": [predicted]}, {"indicators": [], "programmes": [truth]}, {"indicators": [], "programmes": [recoverable]})
    return {k: out.get(f"recoverable_agency_{k}", 0) for k in ("tp", "fp", "fn")}


# （国家知识产权局牵头，教育部、最高人民 — 最高人民法院 cut off: 最高人民 also starts 最高人民检察院.
TRUTH = box(["国家知识产权局"], ["教育部", "最高人民法院"])
RECOVERABLE = box(["国家知识产权局"], ["教育部"], any_role=[], lost=["最高人民法院"])


def test_a_lost_name_reported_as_ambiguous_costs_nothing():
    assert scores(box(["国家知识产权局"], ["教育部"]), TRUTH, RECOVERABLE) == {"tp": 2, "fp": 0, "fn": 0}


@pytest.mark.parametrize("guess", ["最高人民检察院", "最高人民法院"])
def test_a_name_given_for_a_lost_name_is_a_false_positive_even_a_lucky_one(guess):
    assert scores(box(["国家知识产权局"], ["教育部", guess]), TRUTH, RECOVERABLE) == {"tp": 2, "fp": 1, "fn": 0}


def test_names_whose_role_words_are_cut_count_under_any_role():
    recoverable = box(["国家知识产权局"], [], any_role=["教育部"], lost=[])
    assert scores(box(["国家知识产权局"], ["教育部"]), TRUTH, recoverable) == {"tp": 2, "fp": 0, "fn": 0}
    assert scores(box(["国家知识产权局"], []), TRUTH, recoverable) == {"tp": 1, "fp": 0, "fn": 1}


@pytest.mark.parametrize(
    "tail, role",
    [("等按职", PARTICIPANT), ("等按职责分工负", PARTICIPANT), ("负", LEAD), ("等负", LEAD), ("牵", LEAD), ("等", None), ("等部", None), ("", None)],
)
def test_what_survives_of_the_role_words_fixes_the_role_only_when_it_fits_one(tail, role):
    assert surviving_role(tail) == role


def test_a_cut_name_is_identified_only_by_the_start_of_exactly_one_body():
    assert cut_name_fits("国家知识产") == {"国家知识产权局"}
    assert cut_name_fits("最高人民") == {"最高人民法院", "最高人民检察院"}
    assert len(cut_name_fits("中央军委")) > 1  # 中央军委 itself, or 中央军委政治工作部 …
    assert cut_name_fits("教") == set()  # one character
    assert cut_name_fits("省高级人民") == set()  # local names are in no registry


def test_recoverable_truth_follows_the_rule_on_generated_damage():
    profile = Profile("only:agency_truncated", {"residue_lines": (2, 6), "kangxi_chars": (1, 3), "agency_truncated": 1.0})
    seen_cut = seen_lost = 0
    for seed in range(30):
        d = damage_plan(generate_plan(seed), profile)
        recoverable = recoverable_truth(d)["programmes"]
        cut = d.entries_with("cut_entries")
        cut_at = {r.lost[1]: r.lost[0] for r in d.records if r.kind == "agency_truncated"}
        for j, b in enumerate(d.plan.boxes):
            r = recoverable[j]
            kept = set(r["lead"]) | set(r["participants"]) | set(r["any_role"])
            for para in b.paragraphs:
                for s in para.statements:
                    for e in s.entries:
                        if (e.start, e.end) not in cut:
                            continue
                        surviving = d.plan.text[e.start:cut_at[s.end]]
                        if cut_name_fits(surviving) == {e.name}:
                            seen_cut += 1
                            assert e.name in kept
                        elif e.name not in kept:
                            seen_lost += 1
                            assert e.name in r["lost"]
    assert seen_cut and seen_lost


# ---------------------------------------------------------------- false repairs on clean text

from types import SimpleNamespace  # noqa: E402

from bench.generate import Negative  # noqa: E402
from bench.metrics import false_repairs  # noqa: E402


def change(rule, start, end, before, after=""):
    return SimpleNamespace(rule=rule, source=SimpleNamespace(start=start, end=end), before=before, after=after)


def test_false_repairs_count_changes_of_visible_text_by_rule_and_by_what_they_hit():
    truth = "甲乙。配备设备5件/套。\n\n类别\t任务\n专利\t3个\n"
    slash = truth.index("/")
    table = truth.index("类别")
    negatives = (Negative("slash_unit", truth.index("配"), truth.index("套") + 2), Negative("box_table", table, len(truth) - 1))
    changes = [
        change("strip_trailing_whitespace", 2, 2, " "),  # white space only: not a false repair
        change("drop_stray_marks", slash, slash + 1, "/"),
        change("set_aside_sidebar_fragments", table, len(truth) - 1, truth[table:-1]),
        change("drop_repeated_sentences", 0, 3, "甲乙。"),
    ]
    repaired = "配备设备5件套。\n"
    counts = false_repairs(truth, repaired, changes, negatives)
    assert counts["false_repairs"] == 3 and counts["documents_changed"] == 1
    assert counts["by_rule"] == {"drop_stray_marks": 1, "set_aside_sidebar_fragments": 1, "drop_repeated_sentences": 1}
    assert counts["by_negative"] == {"slash_unit": 1, "box_table": 1, "other": 1}
    assert counts["negatives"] == {"slash_unit": {"instances": 1, "changed": 1}, "box_table": {"instances": 1, "changed": 1}}
    removed = "甲乙。" + "/" + "".join(truth[table:].split())
    assert counts["visible_distance"] == len(removed)


def test_no_change_no_false_repair():
    truth = "完善机制。"
    counts = false_repairs(truth, truth, [], (Negative("parallel_sentences", 0, 5),))
    assert counts["false_repairs"] == 0 and counts["visible_distance"] == 0
    assert counts["negatives"] == {"parallel_sentences": {"instances": 1, "changed": 0}}
