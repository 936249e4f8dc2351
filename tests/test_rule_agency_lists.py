from conftest import box, repair

from repair.agency_lists import drop_repeated_agencies


def test_repeated_agencies_are_removed_later_occurrence():
    para = "完善风险补偿机制。（工业和信息化部牵头，中央宣传部、人民银行、国家知识产权局、银保监会、银保监会、国家知识产权局等按职责分工负责）"
    result = repair(box("8", "中小企业工程", para) + "\n", drop_repeated_agencies)
    assert "（工业和信息化部牵头，中央宣传部、人民银行、国家知识产权局、银保监会等按职责分工负责）" in result.text
    assert [c.before for c in result.changes] == ["、银保监会", "、国家知识产权局"]


def test_unbracketed_truncated_list_is_deduplicated_too():
    para = "编制发布营商环境指南。与海关总署、公安部、最高人民法院、公安部、商务部、海关总署、知识产权局等按职责分工"
    result = repair(box("14", "对外贸易工程", para) + "\n", drop_repeated_agencies)
    assert result.text.endswith("与海关总署、公安部、最高人民法院、商务部、知识产权局等按职责分工\n")


def test_distinct_agencies_and_running_text_stay():
    para = "引导企业、高校、科研机构、行业协会等推广实施。（国家知识产权局牵头，教育部、科技部、工业和信息化部、中科院等按职责分工负责）"
    assert repair(box("7", "专利导航工程", para) + "\n", drop_repeated_agencies).changes == ()


def test_same_agency_as_lead_and_in_another_clause_is_not_a_list_duplicate():
    para = "推进工作。（国家知识产权局牵头，国家知识产权局、商务部等按职责分工负责）"
    assert repair(box("3", "甲工程", para) + "\n", drop_repeated_agencies).changes == ()
