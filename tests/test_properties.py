"""Properties of repair over generated damaged documents (hypothesis)."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from grammar.ideographs import unified_ideograph
from repair.changes import WRITTEN, replay
from repair.rules import repair_text

PARAGRAPHS = [
    "加强⼯业和信息化部⺠政协同。",  # Kangxi radical ⼯ and Radicals Supplement ⺠
    "健全商业秘密保护政策。完善行政执法程序，细化处罚标准。",
    "支持企业、高校、科研机构等开展知识产权合作。",
    "鼓励企业、高校、科研机构等开展知识产权合作。",
    "加大版权保护力度。",
    "建成100个国家地理标志产品保护示范区。",
    "提升审查质量。（国家知识产权局负责）",
    "完善机制。（工业和信息化部牵头，中央宣传部、银保监会、银保监会等按职责分工负责）",
    "推动建立行业规范，加强数据\n 制度。积极开展合作。(中央宣传部、最\n 院、国家知\n 识产权局)",
]
RESIDUE_LINES = ["产", "产 创 产", "公\t产 公\t创", "6 5 8 . 产", "“ ”", "主 产", "应创"]
SIDEBAR = ["运营平台", "海外知", "识产权", "品"]
TITLES = ["商业秘密保护工程", "知识产权/保护机构建设工程", "专利导航工程", "地理标志保护行动"]
NUMBERS = ["1", "2", "10", "11 4", "", "3", "7"]
TABLE = "指 标\t\t2020年\t2025年\t累计增加值\t属性\t\n1.\t海外发明专利授权量（万件）\t4\t9\t5\t预期性\t\n预期性\t2.\t知识产权保护社会满意度（分）\t80.05\t82\t1.95\t预期性"


@st.composite
def documents(draw):
    blocks = []
    if draw(st.booleans()):
        blocks.append(TABLE)
    for _ in range(draw(st.integers(0, 5))):
        if draw(st.booleans()):
            blocks.append("\n\n".join(draw(st.lists(st.sampled_from(RESIDUE_LINES), min_size=1, max_size=4))))
        number = draw(st.sampled_from(NUMBERS))
        box = [f"专栏{' ' if draw(st.booleans()) else ''}{number} {draw(st.sampled_from(TITLES))}"]
        for _ in range(draw(st.integers(1, 3))):
            para = "".join(draw(st.lists(st.sampled_from(PARAGRAPHS), min_size=1, max_size=3)))
            box.append(para)
            if draw(st.integers(0, 4)) == 0:
                box.append("\n".join(draw(st.lists(st.sampled_from(SIDEBAR), min_size=1, max_size=3))))
        blocks.append("\n\n".join(box))
    blocks.append("\n\n".join(draw(st.lists(st.sampled_from(RESIDUE_LINES), max_size=3))))
    return "\n\n".join(blocks) + draw(st.sampled_from(["", "\n", " \n"]))


SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(documents())
def test_replaying_the_change_log_reproduces_the_repaired_text(source):
    result = repair_text(source)
    assert replay(source, result.changes) == result.text


@SETTINGS
@given(documents())
def test_repair_adds_no_character_but_box_numbers(source):
    result = repair_text(source)
    for char, origin in zip(result.text, result.origin):
        if origin == WRITTEN:
            assert char.isdigit()  # a corrected box number
        else:
            # the source character itself, or its unified ideograph (a radical re-encoded)
            assert source[origin] == char or unified_ideograph(source[origin]) == char
    kept = [o for o in result.origin if o != WRITTEN]
    assert len(kept) == len(set(kept))  # no source character used twice


@SETTINGS
@given(documents())
def test_repair_is_idempotent(source):
    once = repair_text(source).text
    assert repair_text(once).text == once


@SETTINGS
@given(documents())
def test_repair_is_deterministic(source):
    first, second = repair_text(source), repair_text(source)
    assert first.text == second.text
    assert [c.to_json() for c in first.changes] == [c.to_json() for c in second.changes]
