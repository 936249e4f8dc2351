"""The plan generator of the bench: its truth is exactly what it rendered."""

import re
from decimal import Decimal

import pytest
from rapidfuzz.distance import Levenshtein

from bench.generate import generate_plan, parse_number, printable_forms
from bench.phrases import VERBS
from grammar.registry import load_registry

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


def test_repair_changes_clean_text_only_where_it_looks_like_damage():
    """Ordinary generated text passes repair unchanged; what the rules still change on
    clean text falls on the real negatives, where the bench counts it as false repairs."""
    from repair.rules import repair_text

    for seed in range(5):
        plan = generate_plan(seed)
        result = repair_text(plan.text)
        for change in result.changes:
            if "".join(change.before.split()) == "".join(change.after.split()):
                continue  # white space only
            start, end = change.source.start, max(change.source.end, change.source.start + 1)
            assert any(n.start < end and start < n.end for n in plan.negatives), (seed, change.rule, change.before)


# ---------------------------------------------------------------- the real negatives

HAN = "[\u4e00-\u9fff]"
NEGATIVE_KINDS = {"parallel_sentences", "similar_sentences", "slash_unit", "date_ratio", "latin", "quoted_title", "box_table"}


def negatives(plans, kind):
    return [(plan, n, plan.text[n.start:n.end]) for plan in plans for n in plan.negatives if n.kind == kind]


def paragraph_holding(plan, start, end):
    return next((p for box in plan.boxes for p in box.paragraphs if p.start <= start and end <= p.end), None)


def test_every_kind_of_real_negative_is_printed_where_the_truth_says(plans):
    assert {n.kind for plan in plans for n in plan.negatives} == NEGATIVE_KINDS
    for plan in plans:
        rows = [(row.start, row.end) for row in plan.table.rows]
        for n in plan.negatives:
            assert n.end > n.start
            assert paragraph_holding(plan, n.start, n.end) or any(a <= n.start and n.end <= b for a, b in rows), n


def test_parallel_sentences_differ_by_their_verb_inside_one_paragraph(plans):
    found = negatives(plans, "parallel_sentences")
    assert len(found) >= 20
    for plan, n, text in found:
        first, second, rest = text.split("。")
        assert rest == "" and paragraph_holding(plan, n.start, n.end).is_item
        assert any(
            first.startswith(a) and second.startswith(b) and first[len(a):] == second[len(b):]
            for a in VERBS for b in VERBS if a != b
        ), text


def test_sentences_one_word_apart_occur_in_one_box(plans):
    found = negatives(plans, "similar_sentences")
    assert found
    for plan, n, text in found:
        box = next(b for b in plan.boxes if b.start <= n.start < b.block_end)
        earlier = [plan.text[s:e] for p in box.paragraphs for s, e in p.sentences if e <= n.start]
        assert any(0 < Levenshtein.distance(text, other) <= 2 for other in earlier)


def test_units_with_slashes_are_printed(plans):
    texts = [text for _, _, text in negatives(plans, "slash_unit")]
    assert any(re.search(f"{HAN}/{HAN}", t) for t in texts)  # 万件/套, 元/千瓦时
    assert any(re.search("[a-z]/[a-z]", t) for t in texts)  # km/h
    assert any(re.search(f"（{HAN}+/{HAN}+）$", row.name_raw) for plan in plans for row in plan.table.rows)


def test_dates_and_ratios_are_printed(plans):
    texts = [text for _, _, text in negatives(plans, "date_ratio")]
    years = [re.search(r"(?<!\d)(\d{4})/(\d{4})(?!\d)", t) for t in texts]
    assert any(m and int(m.group(1)) < int(m.group(2)) for m in years)  # 2021/2025
    assert any(re.search(r"(?<![\d.])\d/\d(?![\d.])", t) for t in texts)  # 1/3
    assert any(re.search(r"\d{4}年\d{1,2}月\d{1,2}日", t) for t in texts)


def test_tables_inside_boxes_have_a_header_row_and_short_cells(plans):
    found = negatives(plans, "box_table")
    assert len(found) >= 10
    short_rows = 0
    for plan, n, text in found:
        para = paragraph_holding(plan, n.start, n.end)
        assert para.is_table and not para.is_item and (para.start, para.end) == (n.start, n.end)
        rows = [line.split("\t") for line in text.split("\n")]
        assert len(rows) >= 3 and len({len(r) for r in rows}) == 1 and len(rows[0]) in (2, 3)
        assert all(re.fullmatch(f"{HAN}{{2,4}}", cell) for cell in rows[0])  # header labels: 类别	重点任务
        short_rows += sum(all(len(c) <= 5 and "。" not in c for c in row) for row in rows[1:])
    assert short_rows > 0


def test_latin_letters_and_digits_sit_inside_chinese(plans):
    texts = [text for _, _, text in negatives(plans, "latin")]
    assert any(re.search(f"{HAN}[A-Z]{{2,}}{HAN}", t) for t in texts)  # 占GDP比重
    assert any(re.search(r"\d[A-Z]|[A-Z]+\d", t) for t in texts)  # 5G, PM2.5
    assert any("&" in t for t in texts)  # R&D


def test_quoted_titles_are_printed(plans):
    texts = [text for _, _, text in negatives(plans, "quoted_title")]
    assert any(re.search("《[^》]+》", t) for t in texts) and any(re.search("“[^”]+”", t) for t in texts)
