from conftest import box, repair

from repair.dedupe import drop_repeated_sentences
from repair.rules import repair_text

COOPERATION = "支持企业、高校、科研机构等开展知识产权合作。"


def test_exact_and_near_duplicates_in_one_box_go_first_occurrence_stays():
    para = COOPERATION + "鼓励企业、高校、科研机构等开展知识产权合作。" + COOPERATION + COOPERATION
    result = repair(box("13", "合作工程", para) + "\n", drop_repeated_sentences)
    assert result.text == box("13", "合作工程", COOPERATION) + "\n"
    reasons = [c.reason for c in result.changes]
    assert reasons[0].startswith("near-duplicate") and all(r.startswith("exact") for r in reasons[1:])


def test_repeated_pair_of_sentences_goes():
    pair = "探索网络版权维权、区块链、数字版权等新业态。加大版权保护力度。"
    result = repair(box("10", "版权创新发展工程", "完善版权认证。" + pair * 3) + "\n", drop_repeated_sentences)
    assert result.text == box("10", "版权创新发展工程", "完善版权认证。" + pair) + "\n"


def test_phrase_repeated_in_two_different_boxes_stays():
    text = box("1", "甲工程", COOPERATION) + "\n\n" + box("2", "乙工程", COOPERATION) + "\n"
    assert repair(text, drop_repeated_sentences).changes == ()


def test_parallel_sentences_that_differ_in_their_object_stay():
    para = "加强商标品牌宣传推广工作。加强商标品牌保护监管工作。推动原创优秀作品走出去。引进国外优秀作品引进来。"
    assert repair(box("9", "商标品牌建设工程", para) + "\n", drop_repeated_sentences).changes == ()


def test_repeated_clauses_inside_one_sentence_stay():
    para = "压缩审查周期。商标变更和续展首次审查周期压缩至15天以内，商标转让首次审查周期压缩至15天以内。"
    assert repair(box("6", "审查机构建设工程", para) + "\n", drop_repeated_sentences).changes == ()


def test_agency_statements_are_not_sentences():
    text = box("5", "地理标志保护工程", "实施提升行动。（国家知识产权局负责）", "实施保护工程。（国家知识产权局负责）") + "\n"
    assert repair(text, drop_repeated_sentences).changes == ()


# Parallel sentences, as real plans print them: the same object with another verb.
PARALLEL = [
    "建立知识产权纠纷多元调解机制。完善知识产权纠纷多元调解机制。",
    "打造一批知识产权强市。培育一批知识产权强市。",
    "规范知识产权服务市场秩序。落实知识产权服务市场秩序。",
    "拓展知识产权国际合作渠道。扩大知识产权国际合作渠道。",
    "支持企业、高校、科研机构等开展知识产权合作。鼓励企业、高校、科研机构等开展知识产权合作。",
]


def test_parallel_sentences_that_differ_by_a_verb_stay():
    for pair in PARALLEL:
        text = box("1", "甲工程", pair) + "\n"
        result = repair(text, drop_repeated_sentences)
        assert result.changes == (), pair


def test_a_near_copy_inside_a_repeated_block_goes_whatever_its_verb():
    # The block is printed twice; the copy swaps 打造 for 培育 (not a listed synonym).
    a, b = "打造一批知识产权强市。", "加强知识产权保护宣传。"
    near = "培育一批知识产权强市。"
    text = box("1", "甲工程", a + b + near + b) + "\n"
    result = repair(text, drop_repeated_sentences)
    assert result.text == box("1", "甲工程", a + b) + "\n"
    assert {c.before for c in result.changes} == {near, b}


def test_an_exact_copy_far_from_the_first_stays():
    # Two items of one box may end with the same short sentence; six new sentences
    # between them show no repeated block.
    first = "加强宣传推广工作。"
    middle = "".join(f"推进第{n}项重点工作。" for n in "一二三四五六")
    text = box("1", "甲工程", first + middle + first) + "\n"
    assert repair(text, drop_repeated_sentences).changes == ()


def test_cells_repeated_across_table_rows_stay():
    # A monitoring table (the Guangzhou plan's 附件1): the 数据来源 cell repeats row by row.
    rows = "\n".join(f"{n}.\t指标{n}\t达到目标。\t查看相关文件、佐证材料。" for n in "123")
    text = "附件1\n\n" + rows + "\n"
    assert repair(text, drop_repeated_sentences).changes == ()


def test_a_parallel_clause_beside_a_repeated_block_stays():
    # 应急体系 plan: a ；-list of research topics, next to a doubled sentence.
    doubled = "加强应急管理科技创新。"
    clauses = "开展极地气象灾害形成机理和演化规律研究；开展极地气象灾害形成机理和演化规划研究；"
    text = box("1", "甲工程", doubled + doubled + clauses) + "\n"
    result = repair(text, drop_repeated_sentences)
    assert clauses in result.text
    assert [c.before for c in result.changes] == [doubled]


def test_a_near_copy_that_goes_brings_the_next_copy_into_the_block_in_one_pass():
    # 鼓励… is a near copy inside the doubled block 健全…完善…; once it goes, the last
    # 加强… is within a block of its first copy: a second repair must find nothing more.
    text = ("专栏2 商业秘密保护工程\n\n加强部门协同。健全商业秘密保护政策。完善行政执法程序，细化处罚标准。\n\n"
            "支持企业、高校、科研机构等开展知识产权合作。健全商业秘密保护政策。完善行政执法程序，细化处罚标准。"
            "鼓励企业、高校、科研机构等开展知识产权合作。\n\n加强部门协同。\n")
    once = repair_text(text).text
    assert once.count("加强部门协同。") == 1 and "鼓励企业" not in once
    assert repair_text(once).text == once
