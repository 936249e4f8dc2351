import pytest

from extract.agencies import AMBIGUOUS, FUZZY, REGISTRY, UNKNOWN, UNREGISTERED, default_resolver


def resolve_one(printed, year=None):
    return default_resolver().resolve(printed, year)


@pytest.fixture(scope="module")
def resolve():
    return default_resolver().resolve


@pytest.mark.parametrize(
    "printed, official",
    [
        ("市场监管总局", "国家市场监督管理总局"),
        ("国家林草局", "国家林业和草原局"),
        ("银保监会", "中国银行保险监督管理委员会"),
        ("人力资源社会保障部", "人力资源和社会保障部"),
        ("中央网信办", "中央网络安全和信息化委员会办公室"),
        ("知识产权局", "国家知识产权局"),
        ("最高人民法院", "最高人民法院"),
    ],
)
def test_short_forms_map_to_official_names(resolve, printed, official):
    r = resolve(printed)
    assert (r.status, r.name) == (REGISTRY, official)


def test_lost_stretch_fitting_two_bodies_is_ambiguous_not_picked(resolve):
    r = resolve("最 院")
    assert r.status == AMBIGUOUS and r.name is None
    assert set(r.candidates) == {"最高人民法院", "最高人民检察院"}


def test_lost_stretch_fitting_one_body_is_matched_with_lower_confidence(resolve):
    r = resolve("工业和 化部")
    assert (r.status, r.name) == (FUZZY, "工业和信息化部") and r.confidence < 1


def test_plan_year_rules_out_bodies_that_did_not_exist(resolve):
    # 国家林业局 (to 2018) and 国家林业和草原局 (from 2018) both fit 国家林…局.
    assert resolve("国家林 局").status == AMBIGUOUS
    r = resolve("国家林 局", year=2021)
    assert (r.status, r.name) == (FUZZY, "国家林业和草原局")


def test_ocr_damaged_name_is_matched_fuzzily(resolve):
    r = resolve("国家知识产杈局")
    assert (r.status, r.name) == (FUZZY, "国家知识产权局")
    assert 0.8 <= r.confidence < 1


def test_provincial_and_city_bodies_are_kept_as_printed(resolve):
    r = resolve("省发展改革委")
    assert (r.status, r.name, r.level) == (UNREGISTERED, "省发展改革委", "provincial")
    assert resolve("市委组织部").level == "city"
    assert resolve("广东省科学技术厅").level == "provincial"
    damaged = resolve("市场监管总鳥")  # a national short form that starts with 市, one glyph damaged
    assert (damaged.status, damaged.name) == (FUZZY, "国家市场监督管理总局")


def test_spacy_mentions_find_registry_names_in_running_text():
    found = default_resolver().mentions("与海关总署、公安部会同国家知识产权局")
    assert [(a.name, text) for _, _, a in found for text in [None]] == [("海关总署", None), ("公安部", None), ("国家知识产权局", None)]


def test_extra_word_around_a_name_still_resolves(resolve):
    r = resolve("与海关总署")
    assert (r.status, r.name) == (REGISTRY, "海关总署")


def test_years_of_existence():
    resolver = default_resolver()
    assert resolver.resolve("银保监会").agency.existed_in(2021) is True
    assert resolver.resolve("银保监会").agency.existed_in(2024) is False
    assert resolver.resolve("农业部").agency.existed_in(2021) is False


def test_a_city_body_named_after_its_national_counterpart_is_local():
    # 市 + 市场监管局: the city's market regulator, not 国家市场监督管理总局.
    r = resolve_one("市市场监管局")
    assert (r.status, r.name, r.level) == (UNREGISTERED, "市市场监管局", "city")
    assert resolve_one("市市场监管局").agency is None


def test_a_local_name_cut_off_is_unknown_not_a_body():
    for printed in ("省高级人民", "省教", "省", "市市"):
        r = resolve_one(printed)
        assert (r.status, r.name) == (UNKNOWN, None), printed
    assert resolve_one("广州海关").status == UNREGISTERED
    assert resolve_one("省委").status == UNREGISTERED


def test_a_cut_name_fitting_two_bodies_is_ambiguous_not_picked():
    r = resolve_one("最高人民")
    assert (r.status, r.name) == (AMBIGUOUS, None)
    assert set(r.candidates) == {"最高人民法院", "最高人民检察院"}
    assert resolve_one("文化").status == AMBIGUOUS  # 文化部 or 文化和旅游部


def test_a_cut_name_fitting_one_body_is_matched_below_full_confidence():
    r = resolve_one("国家知识产")
    assert (r.status, r.name) == (FUZZY, "国家知识产权局")
    assert r.confidence == round(5 / 7, 3)


def test_a_stub_naming_nothing_is_unknown_not_a_fuzzy_match():
    # 中央 starts a crowd of forms; before, rapidfuzz called it 团中央 (共青团中央).
    assert (resolve_one("中央").status, resolve_one("中央").name) == (UNKNOWN, None)
    assert resolve_one("教").status == UNKNOWN  # one character names nothing


def test_a_national_name_cut_after_a_local_looking_start_is_matched_as_cut():
    # 市场监… starts like a city body, but only 市场监管总局 starts with it.
    r = resolve_one("市场监")
    assert (r.status, r.name) == (FUZZY, "国家市场监督管理总局")
    assert (resolve_one("市科").status, resolve_one("市科").name) == (UNKNOWN, None)


def test_a_whole_name_where_the_statement_breaks_off_may_be_a_cut_longer_one():
    resolver = default_resolver()
    cut = resolver.resolve("中央军委", at_break=True)
    assert cut.status == AMBIGUOUS and "中央军事委员会" in cut.candidates and "中央军委政治工作部" in cut.candidates
    assert resolver.resolve("中央军委").status == REGISTRY
    # No longer form begins with it: the name is whole wherever it stands.
    assert resolver.resolve("国家知识产权局", at_break=True).name == "国家知识产权局"


def test_statement_breaking_off_after_a_name_other_names_extend():
    from pipeline.ingest import decode_source
    from pipeline.run import recover

    text = "专栏1 国防知识产权工程\n\n完善国防知识产权制度。（国家知识产权局牵头，中央军委\n"
    plan = recover(decode_source("cut.txt", text.encode())).plan
    (box,) = plan["programmes"]
    assert box["lead"] == ["国家知识产权局"] and box["participants"] == []
    assert box["unresolved_agencies"][0]["printed"] == "中央军委" and box["unresolved_agencies"][0]["status"] == AMBIGUOUS


def test_pieces_across_a_break_that_no_registered_name_joins_are_not_fused(resolve):
    # A doubled line puts 国家知 before 院: the source never prints 国家知院.
    r = resolve("国家知\n院")
    assert r.status == UNKNOWN and r.name is None


def test_every_unregistered_name_is_printed_in_the_source(corpus_text):
    from pipeline.ingest import decode_source
    from pipeline.run import recover

    doubled = "".join(line + "\n" + line + "\n" for line in corpus_text.split("\n"))
    plan = recover(decode_source("doubled.txt", doubled.encode()), allow_empty=True).plan
    for agency in plan["agencies"]:
        if not agency["registered"]:
            assert agency["name"] in doubled, agency["name"]


# ---- jurisdictions: a local short form means a body of the document's own place


def test_the_jurisdiction_is_read_from_the_documents_head():
    from grammar.registry import jurisdiction_of

    assert jurisdiction_of("沪府办发〔2025〕11号\n\n各区人民政府：\n").id == "shanghai"
    assert jurisdiction_of("# 关于印发《上海市脑机接口未来产业培育行动方案》的通知\n").id == "shanghai"
    assert jurisdiction_of("上海市北斗产业高质量发展三年行动计划\n").id == "shanghai"
    assert jurisdiction_of("国务院关于印发“十四五”国家应急体系规划的通知\n国发〔2021〕36号\n") is None
    # 上海市 far into the body is no evidence of the document's place
    assert jurisdiction_of("关于推进示例工作的方案\n" + "推进工作。\n" * 60 + "上海市发展和改革委员会\n") is None


def test_local_forms_resolve_only_within_their_jurisdiction():
    from extract.agencies import default_resolver, resolver_for

    shanghai = resolver_for("shanghai")
    assert shanghai.resolve("市科委").name == "上海市科学技术委员会"
    assert shanghai.resolve("市经济信息化委").name == "上海市经济和信息化委员会"
    assert (shanghai.resolve("上海海关").name, shanghai.resolve("上海海关").level) == ("中华人民共和国上海海关", "national")
    assert shanghai.resolve("海关总署").name == "海关总署"  # national bodies still resolve
    # not in the registry: kept as printed, at the level a 市 body of the place has
    talent = shanghai.resolve("市人才局")
    assert (talent.name, talent.status, talent.level) == ("市人才局", "unregistered", "provincial")
    elsewhere = default_resolver().resolve("市科委")
    assert (elsewhere.name, elsewhere.status) == ("市科委", "unregistered")
