"""The plan generator of the bench: its truth is exactly what it rendered."""

import re
from decimal import Decimal

import pytest

from bench.generate import generate_plan, parse_number, printable_forms
from extract.registry import load_registry

SEEDS = range(40)


@pytest.fixture(scope="module")
def plans():
    return [generate_plan(seed) for seed in SEEDS]


def test_the_same_seed_gives_the_same_document(plans):
    assert generate_plan(3).text == plans[3].text
    assert generate_plan(3).truth() == plans[3].truth()
    assert len({p.text for p in plans}) == len(plans)


def test_layout_is_the_repaired_text_layout(plans):
    for plan in plans:
        text = plan.text
        assert text.endswith("\n") and not text.endswith("\n\n")
        assert "\n\n\n" not in text
        assert not re.search(r"[ \t]$", text, re.MULTILINE)
        blocks = text.rstrip("\n").split("\n\n")
        assert blocks[0] == plan.title
        assert blocks[1].split("\n")[0] == plan.table.header
        assert sum(1 for b in blocks if b.startswith("专栏")) == len(plan.boxes)


def test_every_span_holds_what_the_truth_says(plans):
    for plan in plans:
        text = plan.text
        assert text[slice(*plan.title_span)] == plan.title
        assert text[plan.table.start:plan.table.end] == plan.table.header
        for row in plan.table.rows:
            cells = [row.seq_cell, row.name_raw, row.baseline, row.target, row.increase, row.attribute]
            assert text[row.start:row.end] == "\t".join(cells)
            assert [text[s:e] for s, e in row.cells] == cells
        for box in plan.boxes:
            assert text[box.start:box.end] == box.header
            assert text[slice(*box.number_span)] == str(box.number)
            assert text[slice(*box.title_span)] == box.title
            for para in box.paragraphs:
                assert text[para.start:para.end] == para.text
                for s, e in para.sentences:
                    assert text[e - 1] in "。；！？"
                for statement in para.statements:
                    assert text[statement.start:statement.end] == statement.raw
                    for entry in statement.entries:
                        assert text[entry.start:entry.end] == entry.printed


def test_truth_structure_matches_the_rendered_text(plans):
    for plan in plans:
        truth = plan.truth()
        assert [b["number"] for b in truth["programmes"]] == list(range(1, len(plan.boxes) + 1))
        for box, record in zip(plan.boxes, truth["programmes"]):
            assert record["title"] == box.title
            for item in record["items"]:
                assert item["text"] in plan.text
                if item["heading"] is not None:
                    assert item["text"].startswith(item["heading"] + "。")
                    assert "，" not in item["heading"] and len(item["heading"]) <= 40
            assert not set(record["lead"]) & set(record["participants"])
        for row, record in zip(plan.table.rows, truth["indicators"]):
            assert record["name_raw"] == row.name_raw and record["unit"] == row.unit
            assert record["name"] in row.name_raw


def test_family_shape(plans):
    years = set()
    for plan in plans:
        assert 3 <= len(plan.table.rows) <= 12
        assert 3 <= len(plan.boxes) <= 20
        years.add(plan.table.years)
        for box in plan.boxes:
            assert box.title.endswith(("工程", "行动", "计划"))
            assert 1 <= sum(p.is_item for p in box.paragraphs) <= 4
    assert len(years) >= 3
    units = {row.unit for plan in plans for row in plan.table.rows}
    assert {"件", "万件", "亿元", "%", "分", "万个", "万户"} <= units
    cells = [c for plan in plans for row in plan.table.rows for c in (row.baseline, row.increase)]
    assert "—" in cells
    attributes = {row.attribute for plan in plans for row in plan.table.rows}
    assert attributes == {"预期性", "约束性"}


def test_increases_are_target_minus_baseline(plans):
    for plan in plans:
        for row in plan.table.rows:
            base, target, increase = (parse_number(v) for v in (row.baseline, row.target, row.increase))
            if base is None:
                assert increase is None
                continue
            assert Decimal(str(target)) - Decimal(str(base)) == Decimal(str(increase))


def test_every_statement_form_and_level_occurs(plans):
    forms = {s.form for plan in plans for box in plan.boxes for p in box.paragraphs for s in p.statements}
    assert forms == {"lead_and_participants", "lead", "joint_leads", "participants", "bare_list", "labelled_units"}
    assert {plan.level for plan in plans} == {"national", "provincial", "city"}
    raws = [s.raw for plan in plans for box in plan.boxes for p in box.paragraphs for s in p.statements]
    assert any("等部门按职责分工负责" in r for r in raws) and any(r.startswith("(") for r in raws)


def test_national_names_resolve_to_their_truth_in_the_registry(plans):
    registry = load_registry()
    for plan in plans:
        for box in plan.boxes:
            for p in box.paragraphs:
                for s in p.statements:
                    names = [e.name for e in s.entries]
                    assert len(names) == len(set(names)), s.raw
                    for entry in s.entries:
                        found = registry.lookup(entry.printed)
                        if plan.level == "national":
                            assert [a.name for a in found] == [entry.name]
                            assert found[0].existed_in(plan.plan_year)
                        else:
                            assert entry.printed == entry.name and not found


def test_sentences_repeat_across_boxes_but_never_within_one(plans):
    across = 0
    for plan in plans:
        seen: dict[str, set[int]] = {}
        for j, box in enumerate(plan.boxes):
            sentences = [plan.text[s:e] for p in box.paragraphs for s, e in p.sentences]
            assert len(sentences) == len(set(sentences))
            for sentence in sentences:
                seen.setdefault(sentence, set()).add(j)
        across += sum(1 for boxes in seen.values() if len(boxes) > 1)
    assert across > 0


def test_numbers_quotes_and_book_titles_occur_inside_sentences(plans):
    text = "".join(plan.text for plan in plans)
    assert re.search(r"[\u4e00-\u9fff]\d+%以上", text)
    assert "《" in text and "“" in text


def test_repeat_makes_the_same_document_longer():
    base = generate_plan(7, boxes=5)
    longer = generate_plan(7, boxes=5, repeat=4)
    assert len(longer.boxes) == 20
    assert [b.title for b in longer.boxes] == [b.title for b in base.boxes] * 4
    assert [b.number for b in longer.boxes] == list(range(1, 21))


def test_printable_forms_name_one_body():
    registry = load_registry()
    for agency in registry.agencies:
        for form in printable_forms(agency):
            assert [a.id for a in registry.lookup(form)] == [agency.id]


def test_clean_text_passes_repair_unchanged():
    from repair.rules import repair_text

    for seed in range(5):
        plan = generate_plan(seed)
        result = repair_text(plan.text)
        assert result.text == plan.text and result.changes == ()
