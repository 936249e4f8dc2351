"""A document, page or box printed twice in a row is one repetition, not new boxes."""

import json

from conftest import GOLDEN, box, repair

from pipeline.ingest import decode_source
from pipeline.run import recover
from repair.blocks import drop_repeated_blocks

BOX = box("3", "知识产权保护机构建设工程", "提升知识产权维权援助机构服务能力。加强人员配备和专业化建设。（国家知识产权局负责）")


def test_a_box_printed_twice_is_one_change_and_one_box():
    text = box("2", "数据知识产权保护工程", "完善数据知识产权保护政策。") + "\n\n" + BOX + "\n\n" + BOX + "\n"
    result = repair(text, drop_repeated_blocks)
    assert result.text.count("专栏3") == 1
    assert [c.rule for c in result.changes] == ["drop_repeated_blocks"]
    assert result.changes[0].evidence["lines"] == 2  # the header and its paragraph


def test_lines_that_repeat_by_design_stay():
    # Cells printed one per line, and two table rows naming the same bodies.
    text = "约束性\n\n约束性\n\n—\n\n—\n\n2\t\t市卫生健康委\t市人社局\n\t\t市卫生健康委\t市人社局\n"
    assert repair(text, drop_repeated_blocks).changes == ()


def test_the_whole_document_printed_twice_gives_the_plan_once(corpus_text):
    doubled = corpus_text + "\n" + corpus_text
    recovery = recover(decode_source("twice.txt", doubled.encode()), allow_empty=True)
    assert recovery.repair.text == (GOLDEN / "plan.repaired.txt").read_text(encoding="utf-8")
    golden = json.loads((GOLDEN / "plan.json").read_text(encoding="utf-8"))
    assert [(p["number"], p["printed_number"], p["title"]) for p in recovery.plan["programmes"]] == [
        (p["number"], p["printed_number"], p["title"]) for p in golden["programmes"]
    ]
    assert [c.rule for c in recovery.repair.changes].count("drop_repeated_blocks") == 1


def test_every_line_printed_twice_gives_the_plan_once(corpus_text):
    # A bad export printed each line twice: 16 indicators, 30 boxes and an agency
    # pieced across the seam (国家知院) came out before.
    doubled = "".join(line + "\n" + line + "\n" for line in corpus_text.split("\n"))
    recovery = recover(decode_source("doubled.txt", doubled.encode()), allow_empty=True)
    assert recovery.repair.text == (GOLDEN / "plan.repaired.txt").read_text(encoding="utf-8")
    assert len(recovery.plan["indicators"]) == 8
    golden = json.loads((GOLDEN / "plan.json").read_text(encoding="utf-8"))
    assert [(p["number"], p["printed_number"]) for p in recovery.plan["programmes"]] == [(p["number"], p["printed_number"]) for p in golden["programmes"]]
    assert all(a["registered"] for a in recovery.plan["agencies"])


def test_a_paragraph_doubled_once_repeated_sentences_go_goes_in_the_same_repair():
    # Each paragraph ends in the same statement; once the repeated sentences go, two
    # statement-only paragraphs stand side by side: the first repair removes the copy.
    from repair.rules import repair_text

    text = ("专栏2 商业秘密保护工程\n\n加强部门协同。提升审查质量。（国家知识产权局负责）\n\n"
            "提升审查质量。（国家知识产权局负责）\n\n加强部门协同。提升审查质量。（国家知识产权局负责）\n")
    once = repair_text(text)
    assert repair_text(once.text).text == once.text
    assert [line for line in once.explain() if line.startswith("drop_repeated_blocks")] == ["drop_repeated_blocks: 1"]
