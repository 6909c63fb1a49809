"""Responsibility clauses, roles and the agency registry, on clauses quoted from the seeds.

Item texts are given as the cleaning step hands them over: line breaks and the whitespace
between CJK characters removed (some whitespace next to ASCII punctuation may remain).
"""

import csv
import hashlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.extract.agencies import (
    agency_by_id,
    agency_id,
    assign_roles,
    context_of,
    find_clauses,
    normalise,
    registry,
    resolve,
    split_names,
)


def mentions(clause: dict) -> list[str]:
    return [name["mention"] for name in clause["names"]]


def roles_of(text: str, rule_in_force: str | None = None) -> tuple[list, str | None]:
    return assign_roles(find_clauses(text), rule_in_force)


# --- finding clauses and names --------------------------------------------------------------

# seed 002, lines 76-80: the clause that states the comma rule, ASCII brackets and commas.
COMMA_RULE_ITEM = (
    "引领支撑作用。 (责任单位:科技厅,省发展改革委、经济和信息化厅。 逗号前为牵头单位,下同)"
)


def test_clause_stating_comma_rule_follows_it():
    [clause] = find_clauses(COMMA_RULE_ITEM)
    assert clause["rule"] == "comma_lead"
    assert clause["rule_scope"] == "document"
    assert mentions(clause) == ["科技厅", "省发展改革委", "经济和信息化厅"]
    assert [name["group"] for name in clause["names"]] == [0, 1, 1]
    roles, rule = roles_of(COMMA_RULE_ITEM)
    assert roles == [[("科技厅", "lead"), ("省发展改革委", "support"), ("经济和信息化厅", "support")]]
    assert rule == "comma_lead"


def test_spans_point_at_the_written_names():
    [clause] = find_clauses(COMMA_RULE_ITEM)
    assert COMMA_RULE_ITEM[clause["start"]:clause["end"]].startswith("(责任单位:")
    assert COMMA_RULE_ITEM[clause["end"] - 1] == ")"
    for name in clause["names"]:
        assert COMMA_RULE_ITEM[name["start"]:name["end"]] == name["mention"]


def test_comma_rule_carried_to_later_clause_with_several_leads():
    # seed 002, lines 143-145
    text = "(责任单位:经济和信息化厅、省能源局、省发展改革委,科技厅)"
    roles, rule = roles_of(text, "comma_lead")
    assert roles == [[("经济和信息化厅", "lead"), ("省能源局", "lead"), ("省发展改革委", "lead"),
                      ("科技厅", "support")]]
    assert rule == "comma_lead"


def test_comma_rule_without_a_comma_makes_all_lead_and_drops_filler():
    # seed 002, lines 387-389
    text = ("(责任单位:省发展改革委、经济和信息化厅、科技厅、司法厅、商务厅、省卫生健康委、"
            "省市场监管局按照职责分工负责)")
    roles, _ = roles_of(text, "comma_lead")
    assert roles[0][-1] == ("省市场监管局", "lead")
    assert {role for _, role in roles[0]} == {"lead"}
    assert len(roles[0]) == 7


def test_etc_departments_filler_is_dropped():
    # seed 002, lines 430-432
    text = "(责任单位:经济和信息化厅、省发展改革委、科技厅、商务厅、省市场监管局等部门按照职责分工负责)"
    [clause] = find_clauses(text)
    assert mentions(clause) == ["经济和信息化厅", "省发展改革委", "科技厅", "商务厅", "省市场监管局"]
    last = clause["names"][-1]
    assert text[last["start"]:last["end"]] == "省市场监管局"


def test_clause_stating_first_rule_follows_it():
    # seed 003, lines 53-55
    text = ("中安排（责任单位：省经济和信息化委、农业厅、商务厅、省质监局，排第一位的为牵头单位，"
            "下同）。")
    [clause] = find_clauses(text)
    assert clause["rule"] == "first_lead"
    assert mentions(clause) == ["省经济和信息化委", "农业厅", "商务厅", "省质监局"]
    roles, rule = roles_of(text)
    assert roles[0][0] == ("省经济和信息化委", "lead")
    assert [role for _, role in roles[0][1:]] == ["support"] * 3
    assert rule == "first_lead"


def test_several_clauses_in_one_item_and_brackets_inside_names():
    # seed 003, lines 65-80 (item 五, shortened between the clauses)
    text = ("制定四川省地方名优产品推荐目录（责任单位：省经济和信息化委、商务厅、省质监局、"
            "省工商局）。在预算资金安排上……优先采购、购买省内产品〔责任单位：各市（州）人民政府，"
            "财政厅、省政务服务和资源交易服务中心〕。各地、各部门……专门面向中小微企业采购〔责"
            "任单位：各市（州）人民政府，财政厅、省政务服务和资源交易服务中心〕。")
    clauses = find_clauses(text)
    assert len(clauses) == 3
    assert mentions(clauses[1]) == ["各市（州）人民政府", "财政厅", "省政务服务和资源交易服务中心"]
    assert text[clauses[1]["start"]] == "〔" and text[clauses[1]["end"] - 1] == "〕"
    roles, rule = assign_roles(clauses, "first_lead")
    assert roles[1][0] == ("各市（州）人民政府", "lead")
    assert rule == "first_lead"


def test_no_rule_means_responsible():
    # seed 003, lines 392-393 (a document that states no lead rule)
    text = "（责任单位：商务厅、省发展改革委、省工商局、省政府金融办）"
    roles, rule = roles_of(text)
    assert {role for _, role in roles[0]} == {"responsible"}
    assert rule is None


@pytest.mark.parametrize(("text", "expected"), [
    # seed 003, line 825
    ("（责任单位：泸州市、宜宾市人民政府）", ["泸州市人民政府", "宜宾市人民政府"]),
    # seed 003, lines 842-843
    ("（责任单位：攀枝花市、凉山州、雅安市人民政府）",
     ["攀枝花市人民政府", "凉山州人民政府", "雅安市人民政府"]),
    # seed 003, lines 1512-1513 (the expansion stays inside its comma group)
    (("（责任单位：成都市、绵阳市人民政府，科技厅、省经济和信息化委、商务厅、相关高新区，"
      "四川省现代服务科技研究院，相关高校院所、骨干企业）"),
     ["成都市人民政府", "绵阳市人民政府", "科技厅", "省经济和信息化委", "商务厅", "相关高新区",
      "四川省现代服务科技研究院", "相关高校院所", "骨干企业"]),
])
def test_shared_suffix_is_expanded(text, expected):
    [clause] = find_clauses(text)
    assert mentions(clause) == expected
    first = clause["names"][0]
    assert text[first["start"]:first["end"]] == expected[0].removesuffix("人民政府")


def test_named_examples_before_a_category_keep_the_names():
    # seed 003, lines 1540-1541
    text = ("（责任单位：科技厅、省经济和信息化委、教育厅，四川大学、电子科技大学、西南交通大学等高"
            "校院所，相关骨干企业）")
    [clause] = find_clauses(text)
    assert mentions(clause) == ["科技厅", "省经济和信息化委", "教育厅", "四川大学", "电子科技大学",
                                "西南交通大学", "相关骨干企业"]


def test_unbalanced_clause_cut_off_at_the_end_is_still_parsed():
    # seed 003, lines 217-219, cut off before 人民政府〕
    text = "给予最高不超过100万元的奖励〔责任单位：省政府金融办、财政厅、省经济和信息化委，各市（州）"
    [clause] = find_clauses(text)
    assert clause["end"] == len(text)
    assert mentions(clause)[:3] == ["省政府金融办", "财政厅", "省经济和信息化委"]


def test_lead_and_support_sections():
    text = "（牵头单位：省发展改革委；配合单位：财政厅、商务厅）"
    roles, rule = roles_of(text, "comma_lead")
    assert roles == [[("省发展改革委", "lead"), ("财政厅", "support"), ("商务厅", "support")]]
    assert rule == "comma_lead"


def test_roles_marked_in_the_text():
    # not in the seeds: forms other provincial documents use
    text = "（责任单位：省发展改革委、财政厅牵头，商务厅、科技厅配合）"
    roles, _ = roles_of(text, "first_lead")
    assert roles == [[("省发展改革委", "lead"), ("财政厅", "lead"), ("商务厅", "support"),
                      ("科技厅", "support")]]


def test_unbracketed_clause_runs_to_the_end_of_its_sentence():
    text = "建立统计监测制度。责任单位：省统计局、国家统计局四川调查总队。下一句。"
    [clause] = find_clauses(text)
    assert text[clause["start"]:clause["end"]] == "责任单位：省统计局、国家统计局四川调查总队"
    assert mentions(clause) == ["省统计局", "国家统计局四川调查总队"]
    assert find_clauses("明确配合单位：财政厅。") == []


def test_rule_without_xiatong_holds_for_its_clause_only():
    text = "（责任单位：财政厅、商务厅，排第一位的为牵头单位）（责任单位：科技厅、教育厅）"
    roles, rule = roles_of(text)
    assert roles == [[("财政厅", "lead"), ("商务厅", "support")],
                     [("科技厅", "responsible"), ("教育厅", "responsible")]]
    assert rule is None


def test_split_names_of_a_table_cell():
    # seed 003, lines 2089-2093 (a 配合落实部门 cell, wrapped pieces joined)
    cell = "各县市区政府、各园区管委会、市规划局，市发改委、市交通局、市国土局"
    names = split_names(cell)
    assert [name["mention"] for name in names] == [
        "各县市区政府", "各园区管委会", "市规划局", "市发改委", "市交通局", "市国土局"]
    assert [name["group"] for name in names] == [0, 0, 0, 1, 1, 1]


def test_a_body_whose_name_ends_like_a_duty_verb_keeps_it():
    # seed 003, line 2751: the 责任单位 cell `市目督办` (the city's 目标督查办公室); its last two
    # characters read like the verb 督办, but without them no body is named
    assert [name["mention"] for name in split_names("市目督办")] == ["市目督办"]
    # the verb after a body's full name is still the verb
    assert [(name["mention"], name["duty"]) for name in split_names("市政府督查室督办")] == [("市政府督查室", "督办")]
    assert split_names("有关部门负责") == []


# --- registry ---------------------------------------------------------------------------------

def test_relative_names_resolve_in_context():
    mianyang = resolve("市发改委", jurisdiction="绵阳市", level="municipal")
    assert mianyang["name"] == "绵阳市发展和改革委员会" and mianyang["known"]
    # seed 003, line 2294: a bare 财政局 in the Mianyang table is the city's
    assert resolve("财政局", jurisdiction="绵阳市")["name"] == "绵阳市财政局"
    # 市发改委 in another city's document is not Mianyang's
    chengdu = resolve("市发改委", jurisdiction="成都市", level="municipal")
    assert not chengdu["known"]
    assert chengdu["agency_id"] != mianyang["agency_id"]
    assert (chengdu["level"], chengdu["jurisdiction"]) == ("municipal", "成都市")


def test_provincial_names_resolve_in_provincial_and_municipal_documents():
    science = resolve("科技厅", jurisdiction="四川省", level="provincial")
    assert science["name"] == "四川省科学技术厅"
    assert resolve("科技厅", jurisdiction="绵阳市", level="municipal") == science
    assert resolve("省发展改革委", jurisdiction="绵阳市")["name"] == "四川省发展和改革委员会"


def test_province_and_city_bodies_are_different():
    provincial = resolve("省质监局", jurisdiction="四川省")
    municipal = resolve("市质监局", jurisdiction="绵阳市")
    assert provincial["agency_id"] != municipal["agency_id"]
    assert (provincial["level"], municipal["level"]) == ("provincial", "municipal")


def test_misprint_and_variants_are_one_body():
    assert (resolve("经济信息化厅", jurisdiction="四川省")["agency_id"]
            == resolve("经济和信息化厅", jurisdiction="四川省")["agency_id"])
    assert (resolve("省政府口岸物流办", jurisdiction="四川省")["agency_id"]
            == resolve("省政府口岸与物流办", jurisdiction="四川省")["agency_id"])
    # NFKC: ASCII brackets in one document, full-width in another
    assert resolve("各市(州)人民政府", jurisdiction="四川省")["name"] == "四川省各市（州）人民政府"


def test_levels_and_jurisdictions_follow_the_gold_conventions():
    pboc = resolve("人行成都分行", jurisdiction="四川省")
    assert (pboc["name"], pboc["level"], pboc["jurisdiction"]) == (
        "中国人民银行成都分行", "national", "四川省")
    liangshan = resolve("凉山州人民政府", jurisdiction="四川省")
    assert liangshan["jurisdiction"] == "凉山彝族自治州"


@pytest.mark.parametrize(("old", "new"), [
    ("省经济和信息化委", "经济和信息化厅"),
    ("农业厅", "农业农村厅"),
    ("国土资源厅", "自然资源厅"),
    ("省工商局", "省市场监管局"),
    ("省质监局", "省市场监管局"),
    ("省食品药品监管局", "省市场监管局"),
    ("省国税局", "四川省税务局"),
    ("省地税局", "四川省税务局"),
    ("四川银监局", "四川银保监局"),
    ("四川保监局", "四川银保监局"),
    ("省政府金融办", "省地方金融监管局"),
    ("省旅游局", "文化和旅游厅"),
    ("四川出入境检验检疫局", "成都海关"),
])
def test_lineage_of_the_2018_reorganisation(old, new):
    before = resolve(old, jurisdiction="四川省")
    after = resolve(new, jurisdiction="四川省")
    assert before["agency_id"] != after["agency_id"]
    assert before["successor_id"] == after["agency_id"]
    assert agency_by_id(after["agency_id"])["name"] == after["name"]


def test_unknown_names_are_kept_with_form_inferred_level():
    unknown = resolve("省新设局", jurisdiction="四川省")
    assert not unknown["known"]
    assert (unknown["name"], unknown["level"], unknown["jurisdiction"]) == (
        "四川省新设局", "provincial", "四川省")
    assert resolve("省新设局", jurisdiction="四川省") == unknown
    assert resolve("国家新设局", jurisdiction="四川省")["level"] == "national"
    assert resolve("县新设局", jurisdiction="四川省")["level"] == "county"
    assert resolve("某协会", jurisdiction="四川省")["level"] == "other"


NATIONAL = (None, "national")  # the context of a State Council document
UNKNOWN = (None, None)  # a document whose issuer nothing tells


@pytest.mark.parametrize(("short", "name"), [
    ("发展改革委", "国家发展和改革委员会"),
    ("人力资源社会保障部", "中华人民共和国人力资源和社会保障部"),
    ("市场监管总局", "国家市场监督管理总局"),
    ("税务总局", "国家税务总局"),
    ("银保监会", "中国银行保险监督管理委员会"),
    ("国管局", "国家机关事务管理局"),
    ("供销合作总社", "中华全国供销合作总社"),
    ("卫生健康委", "国家卫生健康委员会"),
    ("住房城乡建设部", "中华人民共和国住房和城乡建设部"),
    ("粮食和储备局", "国家粮食和物资储备局"),
    ("海关总署", "中华人民共和国海关总署"),
    ("各省级人民政府", "各省、自治区、直辖市人民政府"),
])
def test_state_council_short_forms(short, name):
    for jurisdiction, level in (NATIONAL, UNKNOWN):
        agency = resolve(short, jurisdiction=jurisdiction, level=level)
        assert agency["name"] == name and agency["known"]
    assert agency["jurisdiction"] is None


@pytest.mark.parametrize(("old", "new"), [
    ("农业部", "农业农村部"),
    ("国土资源部", "自然资源部"),
    ("环境保护部", "生态环境部"),
    ("国家工商总局", "市场监管总局"),
    ("国家质检总局", "市场监管总局"),
    ("国家食品药品监管总局", "市场监管总局"),
    ("国家卫生计生委", "国家卫生健康委"),
    ("文化部", "文化和旅游部"),
    ("国家旅游局", "文化和旅游部"),
    ("银监会", "银保监会"),
    ("保监会", "银保监会"),
    ("银保监会", "金融监管总局"),
    ("扶贫办", "乡村振兴局"),
    ("国家林业局", "林草局"),
])
def test_lineage_of_national_reorganisations(old, new):
    before = resolve(old, level="national")
    after = resolve(new, level="national")
    assert before["known"] and after["known"]
    assert before["successor_id"] == after["agency_id"]


def test_a_provincial_short_form_is_the_issuing_province_s():
    for mention in ("省财政厅", "财政厅"):
        jiangxi = resolve(mention, jurisdiction="江西省")
        assert (jiangxi["name"], jiangxi["level"], jiangxi["jurisdiction"]) == (
            "江西省财政厅", "provincial", "江西省")
        assert not jiangxi["known"]
        assert resolve(mention, jurisdiction="四川省")["name"] == "四川省财政厅"
        for jurisdiction, level in (NATIONAL, UNKNOWN):
            elsewhere = resolve(mention, jurisdiction=jurisdiction, level=level)
            assert "四川" not in elsewhere["name"] and elsewhere["level"] == "provincial"
    # a city's document names its own province's bodies, when places.csv knows the province
    assert resolve("省发展改革委", jurisdiction="绵阳市")["jurisdiction"] == "四川省"
    assert resolve("省发展改革委", jurisdiction="南昌市")["jurisdiction"] is None


def test_a_bare_office_name_in_a_provincial_document_is_its_own():
    for mention in ("统计局", "国资委", "发展改革委"):
        assert resolve(mention, jurisdiction="江西省")["name"] == "江西省" + mention
        assert resolve(mention, level="national")["level"] == "national"
    for mention in ("财政部", "税务总局", "国家统计局", "人民银行"):
        agency = resolve(mention, jurisdiction="江西省")
        assert agency["known"] and agency["level"] == "national"


def test_an_enterprise_is_the_same_whoever_names_it():
    # seed 003: a Sichuan document names Mianyang's enterprises
    assert resolve("长虹集团", jurisdiction="四川省")["name"] == "四川长虹电子控股集团有限公司"
    assert resolve("北京冬奥组委", jurisdiction="江西省")["known"]


def test_unknown_classes_and_national_names():
    assert resolve("国务院有关部门", level="national")["level"] == "national"
    cities = resolve("各市（州）人民政府", jurisdiction="江西省")
    assert (cities["name"], cities["level"], cities["jurisdiction"]) == (
        "江西省各市（州）人民政府", "municipal", "江西省")
    assert resolve("上海市财政局", jurisdiction="上海市")["level"] == "provincial"
    # a place named by its short form is not prefixed with the issuer's place
    branch = resolve("浙江银保监局", jurisdiction="浙江省")
    assert (branch["name"], branch["jurisdiction"]) == ("浙江银保监局", "浙江省")
    assert resolve("新疆发展改革委", jurisdiction="江西省")["jurisdiction"] == "新疆维吾尔自治区"
    assert resolve("人行杭州中心支行", jurisdiction="浙江省")["level"] == "national"


@pytest.mark.parametrize(("jurisdiction", "issuer", "context"), [
    ("江西省", "江西省人民政府办公厅", ("江西省", "provincial")),
    ("绵阳市", None, ("绵阳市", "municipal")),
    ("上海市", None, ("上海市", "provincial")),
    ("广西壮族自治区", None, ("广西壮族自治区", "provincial")),
    (None, "国务院办公厅", NATIONAL),
    (None, "国务院", NATIONAL),
    (None, "国家发展改革委", NATIONAL),
    ("全国", None, NATIONAL),
    (None, None, UNKNOWN),
])
def test_context_of_a_document(jurisdiction, issuer, context):
    assert context_of(jurisdiction, issuer) == context


def test_short_forms_of_bodies_without_a_place_are_unambiguous():
    owners: dict[str, list[str]] = {}
    for agency in registry():
        if agency["jurisdiction"] is None:
            for form in {normalise(f) for f in agency["short_names"].split("|") if f}:
                owners.setdefault(form, []).append(agency["name"])
    assert {form: names for form, names in owners.items() if len(names) > 1} == {}


def test_ids_are_derived_from_full_names():
    digest = hashlib.sha1("四川省财政厅".encode()).hexdigest()[:10]
    assert agency_id("四川省财政厅") == "ag-" + digest
    assert resolve("财政厅", jurisdiction="四川省")["agency_id"] == "ag-" + digest
    ids = [agency["agency_id"] for agency in registry()]
    assert len(ids) == len(set(ids))
    assert all(agency_by_id(a["successor_id"]) for a in registry() if a["successor_id"])


# --- robustness -----------------------------------------------------------------------------

CLAUSE_ALPHABET = list("（）()〔〕[]：:、，,；;。等省市州县区人民政府科技厅下同逗号前为排第一位的牵头配合责任单位部门 \n")


@settings(max_examples=200)
@given(st.text(alphabet=st.sampled_from(CLAUSE_ALPHABET) | st.characters(exclude_categories=("Cs",)),
               max_size=120))  # no lone surrogates: the readers never leave one in a text
def test_find_clauses_never_raises_and_spans_lie_inside(text):
    for clause in find_clauses(text):
        assert 0 <= clause["start"] < clause["end"] <= len(text)
        assert clause["rule"] in (None, "comma_lead", "first_lead")
        for name in clause["names"]:
            assert clause["start"] <= name["start"] < name["end"] <= clause["end"]
            assert name["mention"]
    for clause in find_clauses(text):
        for name in clause["names"]:
            assert resolve(name["mention"], jurisdiction="四川省")["agency_id"].startswith("ag-")
    assign_roles(find_clauses(text), None)



@settings(max_examples=200)
@given(st.text(alphabet=st.sampled_from(CLAUSE_ALPHABET) | st.characters(exclude_categories=("Cs",)),
               max_size=80),  # no lone surrogates: the readers never leave one in a text
       st.integers(0, 50), st.sampled_from([None, "lead", "support"]))
def test_split_names_with_a_role_is_the_label_role_given_to_unmarked_names(text, offset, role):
    # The plain definition: a label's role fills the stated role of every name the text leaves
    # unmarked, and nothing else changes.
    plain = split_names(text, offset=offset)
    for name in plain:
        name["stated_role"] = name["stated_role"] or role
    assert split_names(text, offset=offset, role=role) == plain


# --- in a build -------------------------------------------------------------------------------

JIANGXI_NOTICE = """江西省人民政府办公厅关于测试工作的实施意见
赣府厅发〔2020〕{number}号
各市、县（区）人民政府，省政府各部门：
一、加强统筹。建立协调机制。（省财政厅牵头，省商务厅、省新设局配合）
二、完善政策。落实各项措施。
责任单位：省发展改革委、省新设局
江西省人民政府办公厅
2020年3月1日
"""


def test_a_build_fills_duty_and_lists_each_unknown_body_once(tmp_path):
    from pipeline.build import build

    seeds = tmp_path / "seeds"
    seeds.mkdir()
    for number in (1, 2):
        (seeds / f"jx{number}.txt").write_text(JIANGXI_NOTICE.format(number=number), encoding="utf-8")
    summary = build(seeds, tmp_path / "package")
    with (tmp_path / "package" / "measure_agencies.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    first = [(r["mention"], r["role"], r["duty"], r["line"]) for r in rows
             if r["measure_id"].startswith("jx1-")]
    assert first == [("省财政厅", "lead", "牵头", "4"), ("省商务厅", "support", "配合", "4"),
                     ("省新设局", "support", "配合", "4"),
                     ("省发展改革委", "responsible", "", "6"), ("省新设局", "responsible", "", "6")]
    unknown = [w for w in summary.warnings if w.startswith("agency not in the registry")]
    assert unknown.count("agency not in the registry: 江西省新设局 (provincial, 江西省); "
                         "add it to pipeline/lexicons/agencies.csv (see README-agencies.md)") == 1
    assert len(unknown) == len(set(unknown)) == 4
    with (tmp_path / "package" / "agencies.csv").open(encoding="utf-8") as handle:
        agencies = {a["name"]: a for a in csv.DictReader(handle)}
    assert agencies["江西省财政厅"]["in_registry"] == "false"
    assert "四川省财政厅" not in agencies


def test_every_mention_of_the_seeds_is_in_its_measure_text_after_suffix_expansion(tables):
    """Clause rows (not the cells of a responsibility table, which hold no clause): the name as
    written stands in the item's text, and an expanded suffix stands after it."""
    texts = dict(zip(tables["measures"]["measure_id"], tables["measures"]["text"]))
    links = tables["measure_agencies"]
    clause_rows = links[[("责任单位" in texts[m]) for m in links["measure_id"]]]
    assert len(clause_rows) > 400
    for measure_id, mention in zip(clause_rows["measure_id"], clause_rows["mention"]):
        text = texts[measure_id].replace(" ", "")
        written = next((mention[:cut] for cut in range(len(mention), 0, -1)
                        if mention[:cut] in text), "")
        assert written, mention
        suffix = mention[len(written):]
        if suffix:  # only a place borrows the suffix of a later name: 成都市、绵阳市人民政府
            assert written[-1] in "省市州县区)）", mention
            assert suffix in text[text.index(written):], mention
