import pytest

from grammar.registry import load_registry
from grammar.statements import find_label_lines, find_statements

is_agency = load_registry().looks_like_agency


def parse(paragraph):
    found = find_statements(paragraph, is_agency)
    assert len(found) == 1, found
    s = found[0]
    roles = {"lead": [], "participant": []}
    for clause in s.clauses:
        roles[clause.role] += [e.printed for e in clause.entries]
    return s, roles


@pytest.mark.parametrize(
    "paragraph, form, lead, participants",
    [
        ("完善机制。（国家知识产权局牵头，教育部、科技部等按职责分工负责）", "lead_and_participants", ["国家知识产权局"], ["教育部", "科技部"]),
        ("完善机制。（市场监管总局负责，最高人民法院、公安部等按职责分工负责）", "lead_and_participants", ["市场监管总局"], ["最高人民法院", "公安部"]),
        ("（农业农村部、国家林草局、国家知识产权局等负责）", "joint_leads", ["农业农村部", "国家林草局", "国家知识产权局"], []),
        ("（国家版权局等按职责分工负责）", "participants", [], ["国家版权局"]),
        ("（国家知识产权局牵头，工业和信息化部、民政部等部门按职责分工负责）", "lead_and_participants", ["国家知识产权局"], ["工业和信息化部", "民政部"]),
        ("交流。(中央宣传部、中央网信办、外交部、银保监会)", "bare_list", [], ["中央宣传部", "中央网信办", "外交部", "银保监会"]),
        ("(国家知识产权局负责)", "lead", ["国家知识产权局"], []),
        (
            "（牵头单位：市发展改革委，配合单位：市委组织部、市人力资源和社会保障局，各区、县级市）",
            "labelled_units",
            ["市发展改革委"],
            ["市委组织部", "市人力资源和社会保障局", "各区", "县级市"],
        ),
    ],
)
def test_forms_and_roles(paragraph, form, lead, participants):
    statement, roles = parse(paragraph)
    assert statement.form == form
    assert roles["lead"] == lead
    assert roles["participant"] == participants
    assert not statement.truncated


def test_truncated_unbracketed_statement_starts_at_first_name():
    statement, roles = parse("编制发布营商环境指南。与海关总署、公安部、知识产权局等按职责分工")
    assert statement.truncated and not statement.bracketed
    assert statement.raw == "海关总署、公安部、知识产权局等按职责分工"
    assert roles["participant"] == ["海关总署", "公安部", "知识产权局"]


def test_unclosed_bracket_is_truncated():
    statement, roles = parse("推进工作。（国家知识产权局牵头，教育部、科技部等按职")
    assert statement.truncated and statement.bracketed
    assert roles["lead"] == ["国家知识产权局"]


def test_lost_text_inside_a_name_prints_as_one_space():
    _, roles = parse("(中央宣传部、最\n 院、外交部)")
    assert roles["participant"] == ["中央宣传部", "最 院", "外交部"]


@pytest.mark.parametrize(
    "paragraph",
    [
        "研究加入《国际植物新品种保护公约》(UPOV) 1991年文本。",
        "引导企业、高校、科研机构、行业协会等推广实施专利导航指南国家标准。",
        " (立法研究，推动完善涉及数据知识产权保护的法律法规。",
        "推进品种培优、品质提升、品牌打造和标准化生产。",
    ],
)
def test_running_text_is_not_a_statement(paragraph):
    assert find_statements(paragraph, is_agency) == []


# ---- statements that break off, and lines wrapped inside role words or labels


def test_a_line_break_between_etc_and_the_role_words_leaves_the_name_clean():
    statement, roles = parse("（省委宣传部牵头，省税务局、省地方金融监管局等\n按职责分工负责）")
    assert statement.form == "lead_and_participants" and not statement.truncated
    assert roles == {"lead": ["省委宣传部"], "participant": ["省税务局", "省地方金融监管局"]}


def test_a_line_break_inside_a_label_is_still_the_label():
    statement, roles = parse("(牵头单位：省发展改革委，配合单位\n：省版权局、省税务局)")
    assert statement.form == "labelled_units"
    assert roles == {"lead": ["省发展改革委"], "participant": ["省版权局", "省税务局"]}


@pytest.mark.parametrize(
    "paragraph, lead, participants",
    [
        # what is left of the role words can only be 按职责分工负责: they take part
        ("推进工作。（国家知识产权局牵头，教育部、科技部等按职", ["国家知识产权局"], ["教育部", "科技部"]),
        ("（国家版权局牵头，中科院等按职责分", ["国家版权局"], ["中科院"]),
        ("（教育部负责，国家保密局、财政部等按职责分工负", ["教育部"], ["国家保密局", "财政部"]),
        # …负 can only be 负责, …等负 only 等负责: they lead
        ("（商务部负", ["商务部"], []),
        ("（国家知识产权局、民政部等负", ["国家知识产权局", "民政部"], []),
    ],
)
def test_role_words_cut_short_are_not_read_as_part_of_a_name(paragraph, lead, participants):
    statement, roles = parse(paragraph)
    assert statement.truncated
    assert roles == {"lead": lead, "participant": participants}
    assert not any(e.at_break for e in statement.entries)  # the names end before the role words


def test_etc_alone_fits_both_roles_and_is_read_as_a_bare_list():
    statement, roles = parse("（科技部、民政部等")
    assert statement.truncated and statement.form == "bare_list"
    assert roles["participant"] == ["科技部", "民政部"]
    assert all(c.role_word is None for c in statement.clauses)


def test_a_piece_of_a_name_where_the_statement_breaks_off_does_not_hide_the_statement():
    # 教 is all that is left of the second list: the lead is still there to read.
    statement, roles = parse("（知识产权局牵头，教")
    assert statement.truncated
    assert roles == {"lead": ["知识产权局"], "participant": ["教"]}
    last = statement.entries[-1]
    assert last.at_break and last.printed == "教"


def test_a_name_cut_where_a_bare_list_breaks_off_is_marked_at_the_break():
    statement, roles = parse("（司法部、中央网络安")
    assert roles["participant"] == ["司法部", "中央网络安"]
    assert [e.at_break for e in statement.entries] == [False, True]


def test_an_opening_bracket_and_one_name_then_the_break_is_a_statement():
    statement, roles = parse("完善机制。（国家知识产权局")
    assert statement.truncated and roles["participant"] == ["国家知识产权局"]
    assert statement.entries[0].at_break


def test_running_text_that_lost_its_full_stop_is_not_a_list():
    # No opening bracket: a piece at the end does not get the benefit of the doubt.
    assert find_statements("加强与海关总署、公安", is_agency) == []


def test_a_single_character_before_the_break_is_role_words_only_after_a_whole_name():
    # 参 after a whole name may begin 参与; 省高级人民 is no whole name, so 民 stays in it.
    statement, roles = parse("（省发展改革委牵头，省税务局、省高级人民")
    assert roles["participant"] == ["省税务局", "省高级人民"]
    assert statement.entries[-1].at_break


# ---- the forms implementation plans use for their tasks


@pytest.mark.parametrize(
    "paragraph, lead, participants",
    [
        # several bodies under a lead label lead jointly
        ("加强协调。（责任部门：市科委、市经济信息化委、相关区）", ["市科委", "市经济信息化委", "相关区"], []),
        ("加强协调。（牵头部门：市交通委、市水务局）", ["市交通委", "市水务局"], []),
        ("加强协调。（牵头部门：市财政局，配合部门：市税务局、市统计局）", ["市财政局"], ["市税务局", "市统计局"]),
    ],
)
def test_departments_are_labelled_like_units(paragraph, lead, participants):
    statement, roles = parse(paragraph)
    assert statement.form == "labelled_units"
    assert roles == {"lead": lead, "participant": participants}


def test_a_label_broken_by_a_page_break_is_still_the_label():
    statement, roles = parse("（牵头部\n\n门：市交通委、市水务局、市经济信息化委）")
    assert statement.clauses[0].role_word == "牵头部门"
    assert roles["lead"] == ["市交通委", "市水务局", "市经济信息化委"]


def test_a_list_after_a_labelled_list_is_under_that_label():
    _, roles = parse("（责任单位：市科委、市发展改革委，各区政府）")
    assert roles == {"lead": ["市科委", "市发展改革委", "各区政府"], "participant": []}


def test_one_body_in_brackets_is_a_statement_only_where_it_closes_the_paragraph():
    assert find_statements("加快新食品原料挖掘。（市科委）", is_agency) == []
    (statement,) = find_statements("加快新食品原料挖掘。（市科委）", is_agency, lone_at_end=True)
    assert statement.form == "bare_list" and [e.printed for e in statement.entries] == ["市科委"]
    assert find_statements("由市科委（市科委）牵头推进试点。", is_agency, lone_at_end=True) == []


@pytest.mark.parametrize(
    "block, lead, participants",
    [
        ("责任单位：省工业和信息化厅", ["省工业和信息化厅"], []),
        ("牵头单位：省发展改革委\n配合单位：省财政厅、省统计局", ["省发展改革委"], ["省财政厅", "省统计局"]),
    ],
)
def test_label_lines_standing_on_their_own(block, lead, participants):
    statement = find_label_lines(block, is_agency)
    assert statement is not None and not statement.truncated and not statement.bracketed
    assert statement.raw == block
    assert [e.printed for c in statement.clauses if c.role == "lead" for e in c.entries] == lead
    assert [e.printed for c in statement.clauses if c.role == "participant" for e in c.entries] == participants


def test_a_line_that_only_starts_like_a_label_is_no_statement():
    assert find_label_lines("责任单位要加强统筹。", is_agency) is None
    assert find_label_lines("推进改革。\n责任单位：省财政厅", is_agency) is None
