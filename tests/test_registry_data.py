"""Checks on the agency registry data file grammar/data/agencies.json."""

import json
import re
from itertools import combinations
from pathlib import Path

import pytest

REGISTRY_PATH = Path(__file__).parents[1] / "grammar/data/agencies.json"

ALLOWED_LEVELS = {"central", "national"}
ALLOWED_KINDS = {
    "cpc_central_department",
    "cpc_central_office",
    "cpc_discipline_commission",
    "cpc_central_institution",
    "military_commission",
    "military_department",
    "state_council_general_office",
    "state_council_department",
    "state_council_special_body",
    "state_council_agency",
    "state_council_office",
    "state_council_public_institution",
    "public_institution_under_ministry",
    "administration_under_ministry",
    "external_name",
    "financial_regulator",
    "court",
    "procuratorate",
    "supervisory_commission",
    "legislature_body",
    "people_organisation",
    "cooperative_federation",
}
ENTRY_KEYS = {
    "id", "name", "short_forms", "aliases", "level", "kind",
    "valid_from", "valid_to", "notes",
}

# Official names other parts of the project rely on, with forms that must
# resolve to them (as short form or alias).
REQUIRED = {
    "国家市场监督管理总局": ["市场监管总局"],
    "最高人民法院": [],
    "最高人民检察院": [],
    "公安部": [],
    "中共中央宣传部": ["中央宣传部", "中宣部"],
    "中央网络安全和信息化委员会办公室": ["中央网信办", "国家互联网信息办公室"],
    "外交部": [],
    "工业和信息化部": ["工信部"],
    "司法部": [],
    "商务部": [],
    "国家知识产权局": ["知识产权局"],
    "中国银行保险监督管理委员会": ["银保监会"],
    "农业农村部": [],
    "国家林业和草原局": ["国家林草局", "林草局"],
    "教育部": [],
    "科学技术部": ["科技部"],
    "中国科学院": ["中科院"],
    "中国人民银行": ["人民银行", "央行"],
    "国家版权局": [],
    "民政部": [],
    "海关总署": [],
    "中共中央组织部": ["中央组织部", "中组部"],
    "人力资源和社会保障部": ["人力资源社会保障部", "人社部"],
    "中国科学技术协会": ["中国科协"],
    "国家发展和改革委员会": ["国家发展改革委", "发展改革委", "发改委"],
    "财政部": [],
    "生态环境部": [],
    "文化和旅游部": ["文化旅游部"],
    "国家卫生健康委员会": ["国家卫生健康委", "卫生健康委"],
    "国家金融监督管理总局": ["金融监管总局"],
    "国家数据局": [],
    "中国证券监督管理委员会": ["证监会"],
}

FORBIDDEN_IN_FORM = re.compile(r"[\s()（）\[\]【】〔〕<>《》{}]")


@pytest.fixture(scope="module")
def raw_text():
    return REGISTRY_PATH.read_bytes().decode("utf-8")


@pytest.fixture(scope="module")
def registry(raw_text):
    return json.loads(raw_text)


@pytest.fixture(scope="module")
def agencies(registry):
    return registry["agencies"]


@pytest.fixture(scope="module")
def by_name(agencies):
    return {a["name"]: a for a in agencies}


def forms_of(entry):
    return [entry["name"], *entry["short_forms"], *entry["aliases"]]


def entries_for_form(agencies, form):
    return [a for a in agencies if form in forms_of(a)]


def overlaps(a, b):
    """Validity intervals overlap; a reform year that ends one body and starts
    another (valid_to == valid_from) is not an overlap."""
    a_from = a["valid_from"] if a["valid_from"] is not None else float("-inf")
    b_from = b["valid_from"] if b["valid_from"] is not None else float("-inf")
    a_to = a["valid_to"] if a["valid_to"] is not None else float("inf")
    b_to = b["valid_to"] if b["valid_to"] is not None else float("inf")
    return a_from < b_to and b_from < a_to


# --- file format -----------------------------------------------------------

def test_file_is_canonically_formatted(raw_text, registry):
    assert raw_text.endswith("\n")
    assert not raw_text.endswith("\n\n")
    assert raw_text == json.dumps(registry, ensure_ascii=False, indent=2) + "\n"


def test_top_level(registry):
    assert set(registry) == {"registry_version", "description", "agencies"}
    assert registry["registry_version"] == "1"
    assert isinstance(registry["description"], str) and registry["description"].strip()
    assert isinstance(registry["agencies"], list)
    assert 110 <= len(registry["agencies"]) <= 160


# --- per-entry constraints -------------------------------------------------

def test_entry_shape(agencies):
    for a in agencies:
        assert set(a) == ENTRY_KEYS, a.get("id")
        assert isinstance(a["short_forms"], list), a["id"]
        assert isinstance(a["aliases"], list), a["id"]
        assert isinstance(a["notes"], str) and a["notes"].strip(), a["id"]
        assert "\n" not in a["notes"], a["id"]


def test_ids_unique_ascii_slugs(agencies):
    ids = [a["id"] for a in agencies]
    assert len(ids) == len(set(ids))
    for i in ids:
        assert re.fullmatch(r"[a-z][a-z0-9_]*", i), i


def test_forms_are_clean_strings(agencies):
    for a in agencies:
        for form in forms_of(a):
            assert isinstance(form, str) and form, a["id"]
            assert not FORBIDDEN_IN_FORM.search(form), (a["id"], form)
        forms = forms_of(a)
        assert len(forms) == len(set(forms)), a["id"]


def test_level_and_kind(agencies):
    for a in agencies:
        assert a["level"] in ALLOWED_LEVELS, a["id"]
        assert a["kind"] in ALLOWED_KINDS, a["id"]


def test_validity_years(agencies):
    for a in agencies:
        vf, vt = a["valid_from"], a["valid_to"]
        for y in (vf, vt):
            assert y is None or (isinstance(y, int) and not isinstance(y, bool)
                                 and 1900 <= y <= 2100), a["id"]
        if vf is not None and vt is not None:
            assert vf <= vt, a["id"]


def test_no_form_shared_by_coexisting_bodies(agencies):
    owners = {}
    for a in agencies:
        for form in set(forms_of(a)):
            owners.setdefault(form, []).append(a)
    for form, entries in owners.items():
        for x, y in combinations(entries, 2):
            assert not overlaps(x, y), (form, x["id"], y["id"])


# --- required names and forms ----------------------------------------------

@pytest.mark.parametrize("name", sorted(REQUIRED))
def test_required_official_names(by_name, name):
    assert name in by_name
    entry = by_name[name]
    for form in REQUIRED[name]:
        assert form in entry["short_forms"] + entry["aliases"], (name, form)


def test_ministry_short_forms_as_printed(agencies):
    printed = [
        "人力资源社会保障部", "住房城乡建设部", "交通运输部", "国家卫生健康委",
        "国务院国资委", "国家广电总局", "国家统计局", "国家医保局", "国家药监局",
        "国家能源局", "国家邮政局", "国家文物局", "国家中医药局", "国家疾控局",
        "国家外汇局", "国家粮食和储备局", "国家移民局", "国家铁路局", "中国民航局",
        "国家体育总局", "国家国际发展合作署", "国家乡村振兴局", "国家数据局",
        "全国总工会", "共青团中央", "全国妇联", "中国残联", "中国贸促会",
        "中央统战部", "中央政法委", "中央编办", "中央外办", "国务院港澳办",
        "国务院台办", "国务院研究室", "国家信访局", "国家保密局", "国家密码局",
        "国家网信办", "中央组织部", "中央宣传部", "税务总局", "国家林草局",
    ]
    for form in printed:
        assert entries_for_form(agencies, form), form


# --- facts -----------------------------------------------------------------

def only(agencies, form):
    found = entries_for_form(agencies, form)
    assert len(found) == 1, (form, [a["id"] for a in found])
    return found[0]


def test_cbirc_ended_2023_and_nfra_started_2023(agencies):
    cbirc = only(agencies, "银保监会")
    assert cbirc["name"] == "中国银行保险监督管理委员会"
    assert (cbirc["valid_from"], cbirc["valid_to"]) == (2018, 2023)
    nfra = only(agencies, "金融监管总局")
    assert nfra["name"] == "国家金融监督管理总局"
    assert (nfra["valid_from"], nfra["valid_to"]) == (2023, None)


def test_cbrc_and_circ_ended_2018(agencies):
    assert only(agencies, "银监会")["valid_to"] == 2018
    assert only(agencies, "保监会")["valid_to"] == 2018


def test_agriculture_ministry_reform(by_name):
    assert by_name["农业部"]["valid_to"] == 2018
    assert by_name["农业农村部"]["valid_from"] == 2018
    assert by_name["农业农村部"]["valid_to"] is None


def test_samr_short_form(agencies, by_name):
    samr = only(agencies, "市场监管总局")
    assert samr["name"] == "国家市场监督管理总局"
    assert "市场监管总局" in samr["short_forms"]
    assert samr["valid_from"] == 2018
    for old in ("国家工商行政管理总局", "国家质量监督检验检疫总局", "国家食品药品监督管理总局"):
        assert by_name[old]["valid_to"] == 2018, old


def test_forestry_reform(by_name):
    assert by_name["国家林业局"]["valid_to"] == 2018
    assert by_name["国家林业和草原局"]["valid_from"] == 2018


def test_health_commission_chain(by_name):
    assert by_name["卫生部"]["valid_to"] == 2013
    assert by_name["国家卫生和计划生育委员会"]["valid_from"] == 2013
    assert by_name["国家卫生和计划生育委员会"]["valid_to"] == 2018
    assert by_name["国家卫生健康委员会"]["valid_from"] == 2018


def test_rural_revitalisation_bureau(by_name):
    assert by_name["国务院扶贫开发领导小组办公室"]["valid_to"] == 2021
    nrra = by_name["国家乡村振兴局"]
    assert (nrra["valid_from"], nrra["valid_to"]) == (2021, 2023)


def test_copyright_administration_is_its_own_entry(agencies, by_name):
    ncac = by_name["国家版权局"]
    propaganda = by_name["中共中央宣传部"]
    assert ncac["id"] != propaganda["id"]
    assert "中共中央宣传部" in ncac["notes"]
    assert only(agencies, "中宣部") is propaganda


def test_cac_alias_and_level(agencies):
    cac = only(agencies, "国家互联网信息办公室")
    assert cac["name"] == "中央网络安全和信息化委员会办公室"
    assert cac["level"] == "central"


def test_levels_of_known_bodies(by_name):
    for name in ("中共中央组织部", "中共中央宣传部", "中共中央统一战线工作部"):
        assert by_name[name]["level"] == "central", name
    for name in ("最高人民法院", "最高人民检察院", "公安部", "中华全国总工会", "国家数据局"):
        assert by_name[name]["level"] == "national", name
    assert by_name["最高人民法院"]["kind"] == "court"
    assert by_name["最高人民检察院"]["kind"] == "procuratorate"


def test_state_council_constituent_departments(agencies):
    current = {
        a["name"] for a in agencies
        if a["kind"] == "state_council_department" and a["valid_to"] is None
    }
    assert len(current) == 26
    assert {"外交部", "国防部", "审计署", "中国人民银行", "退役军人事务部", "应急管理部"} <= current


# --- jurisdictions: local bodies, resolved only in their place's documents ---

JURISDICTIONS = sorted((Path(__file__).parents[1] / "grammar/data/jurisdictions").glob("*.json"))
SCHEMA_LEVELS = {"central", "national", "provincial", "city", "county"}
# Forms the Shanghai documents print, read from them, with the official names.
SHANGHAI_REQUIRED = {
    "市发展改革委": "上海市发展和改革委员会",
    "市经济信息化委": "上海市经济和信息化委员会",
    "市科委": "上海市科学技术委员会",
    "市卫生健康委": "上海市卫生健康委员会",
    "市住房城乡建设管理委": "上海市住房和城乡建设管理委员会",
    "市人力资源社会保障局": "上海市人力资源和社会保障局",
    "市规划资源局": "上海市规划和自然资源局",
    "市委宣传部": "中共上海市委宣传部",
    "浦东新区政府": "上海市浦东新区人民政府",
    "上海海关": "中华人民共和国上海海关",
    "上海金融监管局": "国家金融监督管理总局上海监管局",
}


@pytest.fixture(scope="module", params=JURISDICTIONS, ids=lambda p: p.stem)
def place(request):
    raw = request.param.read_bytes().decode("utf-8")
    data = json.loads(raw)
    assert raw == json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    return data


def test_there_is_a_shanghai_file():
    assert "shanghai" in [p.stem for p in JURISDICTIONS]


def test_jurisdiction_shape(place):
    assert {"registry_version", "id", "name", "level", "description", "recognised_by", "local_levels", "agencies"} <= set(place)
    assert place["recognised_by"]["doc_number_prefixes"] or place["recognised_by"]["names"]
    assert set(place["local_levels"].values()) <= SCHEMA_LEVELS
    for a in place["agencies"]:
        assert set(a) == ENTRY_KEYS, a.get("id")
        assert re.fullmatch(r"[a-z][a-z0-9_]*", a["id"]), a["id"]
        assert a["level"] in SCHEMA_LEVELS, a["id"]
        assert isinstance(a["notes"], str) and a["notes"].strip(), a["id"]
        # The official name may hold brackets (中国（上海）…); the forms statements print may not.
        for form in a["short_forms"] + a["aliases"]:
            assert form and not FORBIDDEN_IN_FORM.search(form), (a["id"], form)


def test_local_ids_and_forms_are_their_own(place, agencies):
    national_ids = {a["id"] for a in agencies}
    national_forms = {f for a in agencies for f in forms_of(a)}
    ids = [a["id"] for a in place["agencies"]]
    assert len(ids) == len(set(ids)) and not set(ids) & national_ids
    owners = {}
    for a in place["agencies"]:
        for form in forms_of(a):
            owners.setdefault(form, set()).add(a["id"])
    assert {f: o for f, o in owners.items() if len(o) > 1} == {}
    assert not set(owners) & national_forms  # a local form never shadows a national one


@pytest.mark.parametrize("form, official", sorted(SHANGHAI_REQUIRED.items()))
def test_shanghai_forms(form, official):
    data = json.loads((Path(__file__).parents[1] / "grammar/data/jurisdictions/shanghai.json").read_text(encoding="utf-8"))
    assert [a["name"] for a in data["agencies"] if form in forms_of(a)] == [official]
