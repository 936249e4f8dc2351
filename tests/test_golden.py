"""The corpus document against the hand-verified golden outputs."""

import json

from conftest import GOLDEN
from golden_diff import plan_differences

from pipeline.schema import validate_plan


def test_repaired_text_equals_golden(corpus_recovery):
    assert corpus_recovery.repair.text == (GOLDEN / "plan.repaired.txt").read_text(encoding="utf-8")


def test_plan_json_equals_golden_field_by_field(corpus_recovery, golden_plan):
    plan = json.loads(json.dumps(corpus_recovery.plan))  # as written: tuples become lists
    differences = plan_differences(plan, golden_plan)
    assert not differences, "plan.json differs from golden/plan.json:\n" + "\n".join(differences)


def test_output_and_golden_validate_against_the_schema(corpus_recovery, golden_plan):
    validate_plan(corpus_recovery.plan)
    validate_plan(golden_plan)


def test_what_could_not_be_recovered_is_said(corpus_recovery, corpus_text, golden_plan):
    # Counted from the file itself: every non-blank line outside the table (lines
    # 160-168) and the golden box ranges is residue of lost body text.
    kept = set(range(160, 169))
    for box in golden_plan["programmes"]:
        kept |= set(range(box["source"]["start_line"], box["source"]["end_line"] + 1))
    residue = [line for n, line in enumerate(corpus_text.split("\n"), 1) if line.strip() and n not in kept]
    lost = next(i for i in corpus_recovery.plan["issues"] if i["kind"] == "body_text_lost")
    assert lost["data"]["residue_lines"] == len(residue) == 278
    assert lost["data"]["residue_characters"] == sum(len("".join(line.split())) for line in residue)
    box2 = corpus_recovery.plan["programmes"][1]
    assert box2["unresolved_agencies"] == [{"printed": "最 院", "status": "ambiguous", "candidates": ["最高人民法院", "最高人民检察院"]}]


def test_glyph_loss_is_evidenced_only_on_residue_lines(corpus_recovery, corpus_text, golden_plan):
    # The lines kept by the golden reading (table 160-168, the boxes) are real text:
    # no residue evidence may point into them, and the evidence must be substantial.
    kept = set(range(160, 169))
    for box in golden_plan["programmes"]:
        kept |= set(range(box["source"]["start_line"], box["source"]["end_line"] + 1))
    glyph_loss = corpus_recovery.plan["document"]["damage"]["glyph_loss"]
    assert glyph_loss["found"] is True
    lines = corpus_text.split("\n")
    for span in glyph_loss["where"]:
        for n in range(span["start_line"], span["end_line"] + 1):
            assert n not in kept or not lines[n - 1].strip() or n in _sidebar_lines(corpus_recovery), n
    assert glyph_loss["evidence"]["residue_lines"] >= 200


def _sidebar_lines(recovery) -> set[int]:
    out = set()
    for issue in recovery.plan["issues"]:
        if issue["kind"] == "unplaced_fragment":
            out |= set(range(issue["source"]["start_line"], issue["source"]["end_line"] + 1))
    return out
