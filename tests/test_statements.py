import pytest

from extract.registry import load_registry
from repair.statements import find_statements

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
