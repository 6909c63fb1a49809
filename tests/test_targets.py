import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.extract.targets import extract_targets, stated_year


def rows(text: str, **years) -> list[tuple]:
    """(indicator, year, value, min, max, unit, comparator, change) of every goal."""
    return [
        (t["indicator"], t["year"], t["value"], t["min_value"], t["max_value"], t["unit"],
         t["comparator"], t["change"])
        for t in extract_targets(text, **years)
    ]


def test_deadline_at_the_head():
    # 002_144f457913c26fac.txt lines 35-37
    text = "到 2025 年,新经济增加值年均增速不低于 10% 、占地区生产总值比重达到 20% 左右,把我省建设成为全国重要的新经济发展先导区。"
    assert rows(text, doc_year=2021) == [
        ("新经济增加值年均增速", 2025, 10, 10, 10, "%", "gte", "level"),
        # the ratio borrows the subject of the goal before it
        ("新经济增加值占地区生产总值比重", 2025, 20, 20, 20, "%", "approx", "level"),
    ]


def test_inherited_year_and_percentage_points():
    # 002 lines 41-47, under the section head `到 2025 年` (inherited)
    text = (
        "新技术加速突破,催生发展新产业。 未来产业、前沿产业加快发展,战略性新兴产业、高技术制造业增加值年均增速"
        "比规模以上工业增加值增速高 2 个百分点左右,生产性服务业年均增长 10%左右,全社会研发投入强度达到 2. 4% 左右。"
    )
    assert rows(text, doc_year=2021, inherited_year=2025) == [
        ("战略性新兴产业、高技术制造业增加值年均增速比规模以上工业增加值增速高", 2025, 2, 2, 2, "pp",
         "approx", "level"),
        ("生产性服务业年均增长", 2025, 10, 10, 10, "%", "approx", "level"),
        ("全社会研发投入强度", 2025, 2.4, 2.4, 2.4, "%", "approx", "level"),
    ]


def test_counts_written_as_hundred_plus():
    # 002 lines 57-61: no unit printed, the counted noun gives it
    text = (
        "新场景加速构建,创新赋能新模式。 以“百企示范”为牵引,培育“100+”特色鲜明的新经济示范企业、"
        "“100 +”专业化功能平台,打造“100+”新经济应用新场景。"
    )
    assert rows(text, doc_year=2021, inherited_year=2025) == [
        ("新经济示范企业", 2025, 100, 100, 100, "家", "gte", "level"),
        ("专业化功能平台", 2025, 100, 100, 100, "个", "gte", "level"),
        ("新经济应用新场景", 2025, 100, 100, 100, "个", "gte", "level"),
    ]


def test_a_creating_verb_makes_a_goal_without_a_deadline():
    # 002 line 334 and lines 344-346
    assert rows("推进“蜀信链”节点建设,打造 30 个区块链典型场景应用示范。", doc_year=2021) == [
        ("区块链典型场景应用示范", None, 30, 30, 30, "个", "eq", "level"),
    ]
    text = "培育制氢、储运氢、加氢、氢能利用等领域国内领先企业 25 家,建成多种类型加氢站 60 座以上。"
    assert rows(text, doc_year=2021) == [
        ("制氢、储运氢、加氢、氢能利用等领域国内领先企业", None, 25, 25, 25, "家", "eq", "level"),
        ("多种类型加氢站", None, 60, 60, 60, "座", "gte", "level"),
    ]


def test_money_goals_two_years_in_one_sentence():
    # 003_b7f4ec8c69ce3500.txt lines 364-366
    text = (
        "——总量不断扩大。力争到 2017 年，全省电子商务市场交易额超过 2万亿元，网络零售交易额超过 2600 亿元；"
        "2020 年，全省电子商务市场交易额超过 4 万亿元，网络零售交易额超过 4500 亿元。"
    )
    assert [(r[0], r[1], r[2], r[5], r[6]) for r in rows(text, doc_year=2014)] == [
        ("全省电子商务市场交易额", 2017, 2e12, "CNY", "gt"),
        ("网络零售交易额", 2017, 2.6e11, "CNY", "gt"),
        ("全省电子商务市场交易额", 2020, 4e12, "CNY", "gt"),
        ("网络零售交易额", 2020, 4.5e11, "CNY", "gt"),
    ]


def test_thresholds_stay_in_the_indicator():
    # 003 lines 374-378: 1000亿元 etc. define the enterprises counted, they are no goals
    text = (
        "——支撑坚强有力。力争到 2020 年，培育电子商务交易额超 1000 亿元的企业 5 家、超 100 亿元的企业 20 家以上、"
        "超 10 亿元的企业 50 家；打造支撑力强、辐射面广且各具特色的全国知名电商平台 20 个。"
    )
    assert rows(text, doc_year=2014) == [
        ("电子商务交易额超1000亿元的企业", 2020, 5, 5, 5, "家", "eq", "level"),
        ("电子商务交易额超100亿元的企业", 2020, 20, 20, 20, "家", "gte", "level"),
        ("电子商务交易额超10亿元的企业", 2020, 50, 50, 50, "家", "eq", "level"),
        ("全国知名电商平台", 2020, 20, 20, 20, "个", "eq", "level"),
    ]


def test_decrease_and_level():
    # 003 lines 739-743
    text = (
        "到 2017 年，全省物流业增加值年均增速保持在 10%以上；社会物流总费用占 GDP 的比重逐年递减 0.3 个百分点以上，"
        "下降到 17.5%左右；培育壮大主营业务收入 5 亿元以上的物流企业 20 家。物流智能化、网络化、国际化水平显著增强。"
    )
    assert rows(text, doc_year=2014) == [
        ("全省物流业增加值年均增速", 2017, 10, 10, 10, "%", "gte", "level"),
        ("社会物流总费用占GDP的比重", 2017, 0.3, 0.3, 0.3, "pp", "gte", "decrease"),
        ("社会物流总费用占GDP的比重", 2017, 17.5, 17.5, 17.5, "%", "approx", "level"),
        ("主营业务收入5亿元以上的物流企业", 2017, 20, 20, 20, "家", "eq", "level"),
    ]


def test_range_and_year_carried_across_sentences():
    # 003 lines 745-749
    text = (
        "到 2020 年，全省社会物流总费用占 GDP 的比重下降到 16%左右。建成一批西部物流企业集聚度最高的物流园区；"
        "培育壮大主营业务收入超过 5 亿元的物流企业达 30 家以上，超过 10 亿元的达 15家以上；"
        "引进知名船公司 10—20 家；引进国际国内大型知名物流企业超过 100 家。建成中国第四大国际航空客货运枢纽。"
    )
    assert rows(text, doc_year=2014) == [
        ("全省社会物流总费用占GDP的比重", 2020, 16, 16, 16, "%", "approx", "level"),
        ("主营业务收入超过5亿元的物流企业", 2020, 30, 30, 30, "家", "gte", "level"),
        ("主营业务收入超过10亿元的物流企业", 2020, 15, 15, 15, "家", "gte", "level"),
        ("引进知名船公司", 2020, None, 10, 20, "家", "eq", "level"),
        ("引进国际国内大型知名物流企业", 2020, 100, 100, 100, "家", "gt", "level"),
    ]


def test_one_row_per_value_of_a_list():
    # 003 lines 459-461: 以上 after the last value holds for both; after 分别 each value
    # measures its own item of the list before it
    text = "提高 4G 和 WiFi 在地铁、商场、社区等的覆盖率。到 2017 年，已有和新建商业中心 WiFi 覆盖率分别达到 70%和 95%以上。"
    assert rows(text, doc_year=2014) == [
        ("已有商业中心WiFi覆盖率", 2017, 70, 70, 70, "%", "gte", "level"),
        ("新建商业中心WiFi覆盖率", 2017, 95, 95, 95, "%", "gte", "level"),
    ]


def test_elided_subjects():
    # 003 lines 1113-1115
    text = (
        "金融业整体实力和竞争力显著增强。到 2017 年，金融业增加值突破 2500 亿元，占 GDP 比重达到 7%以上。"
        "到 2020 年，力争金融业增加值突破 4000 亿元，占 GDP 比重达到 8%以上；西部金融中心初具雏形。"
    )
    assert [(r[0], r[1], r[2], r[6]) for r in rows(text, doc_year=2014)] == [
        ("金融业增加值", 2017, 2.5e11, "gt"),
        ("金融业增加值占GDP比重", 2017, 7, "gte"),
        ("金融业增加值", 2020, 4e11, "gt"),
        ("金融业增加值占GDP比重", 2020, 8, "gte"),
    ]
    # 003 line 1121: the subject comes from the clause before, which states no value
    text = "各项融资保持稳步较快增长，各项融资增速领先全国平均水平，快于 GDP 增速 4—5 个百分点。"
    assert rows(text, doc_year=2014) == [("各项融资增速快于GDP增速", None, None, 4, 5, "pp", "eq", "level")]


def test_bare_years_and_money_per_person():
    # 003 lines 1123-1125 and 1131-1133
    text = (
        "全省银行业金融机构资产总额 2017 年达到 10 万亿元；2020 年达到 14 万亿元，地方法人银行机构实力进一步壮大，"
        "力争资产和信贷规模占全省银行业金融机构的 30%以上。"
    )
    assert [(r[0], r[1], r[2], r[5], r[6]) for r in rows(text, doc_year=2014)] == [
        ("全省银行业金融机构资产总额", 2017, 1e13, "CNY", "eq"),
        ("全省银行业金融机构资产总额", 2020, 1.4e13, "CNY", "eq"),
        ("资产和信贷规模占全省银行业金融机构", 2020, 30, "%", "gte"),
    ]
    text = (
        "全省保险机构 2017 年保费收入突破 1500 亿元，保险深度达到 4%，保险密度 1800 元/人。2020 年，保费收入突破 "
        "2400 亿元，保险深度达到 5%，保险密度 3000 元/人，建成市场体系完善的现代保险服务业。"
    )
    assert [(r[0], r[1], r[2], r[5]) for r in rows(text, doc_year=2014)] == [
        ("全省保险机构保费收入", 2017, 1.5e11, "CNY"),
        ("保险深度", 2017, 4, "%"),
        ("保险密度", 2017, 1800, "CNY/person"),
        ("全省保险机构保费收入", 2020, 2.4e11, "CNY"),
        ("保险深度", 2020, 5, "%"),
        ("保险密度", 2020, 3000, "CNY/person"),
    ]


def test_relative_periods_have_no_year():
    # 003 lines 380-384
    text = (
        "——贡献持续提升。电子商务市场交易规模占社会消费品零售总额比重逐年上升，成为带动就业的重要途径；"
        "未来 5 年年均电子商务企业直接从业人员超过 100 万人，间接带动从业人员 800 万人以上。"
    )
    assert rows(text, doc_year=2014) == [
        ("年均电子商务企业直接从业人员", None, 1e6, 1e6, 1e6, "人", "gt", "level"),
        ("间接带动从业人员", None, 8e6, 8e6, 8e6, "人", "gte", "level"),
    ]
    # 001_1acc3666f60ddf6e.txt line 180
    text = "围绕“两不愁、三保障”目标，今后3年实现171万贫困人口脱贫、5295个贫困村退出、68个贫困县摘帽。"
    assert rows(text, doc_year=2018) == [
        ("贫困人口脱贫", None, 1.71e6, 1.71e6, 1.71e6, "人", "eq", "level"),
        ("贫困村退出", None, 5295, 5295, 5295, "个", "eq", "level"),
        ("贫困县摘帽", None, 68, 68, 68, "个", "eq", "level"),
    ]


def test_increase_in_percentage_points():
    # 004_8dbb09b12177f42d.txt line 13
    text = "到2025年，高技术制造业营业收入占规模以上工业比重提高5个百分点，制造业劳动生产率达到60万元/人以上，"
    assert rows(text) == [
        ("高技术制造业营业收入占规模以上工业比重", 2025, 5, 5, 5, "pp", "eq", "increase"),
        ("制造业劳动生产率", 2025, 6e5, 6e5, 6e5, "CNY/person", "gte", "level"),
    ]


def test_a_bound_before_the_counted_noun_is_part_of_the_indicator():
    text = "到2020年，培育年产值10亿元以上企业50家（含）以上。"
    assert rows(text, doc_year=2016) == [("年产值10亿元以上企业", 2020, 50, 50, 50, "家", "gte", "level")]


def test_a_share_of_another_quantity():
    # 004_8dbb09b12177f42d.txt line 66: the comparator stands before the base of the share
    text = "确保合理工业用地规模，原则上每年的国有建设用地供应计划中，工业用地面积不低于出让总规模的30%。"
    assert rows(text, doc_year=2020) == [
        ("工业用地面积不低于出让总规模", None, 30, 30, 30, "%", "gte", "level"),
    ]


def test_a_share_of_a_population():
    text = "到 2025 年，70%的规模以上工业企业完成数字化改造，对中小企业给予 6%—10%的价格扣除。"
    assert rows(text, doc_year=2021) == [
        ("规模以上工业企业完成数字化改造", 2025, 70, 70, 70, "%", "eq", "level"),
    ]


@pytest.mark.parametrize(
    ("text", "doc_year"),
    [
        # 003 lines 652-658: past figures of a 2014 document
        ("1.物流业规模快速增长，但物流成本居高不下。2013 年全省社会物流总额达到 51284.4 亿元，物流业增加值占服务业"
         "比重由 2005 年的 7.7%提升到 2013 年的 15.9%；全省社会物流总费用 4970.1亿元，占 GDP 比重为 18.9%，"
         "比全国平均水平高 0.9 个百分点，比山东、江苏等沿海发达省份高 3个百分点。", 2014),
        # 003 lines 1050-1054: current figures
        ("2014 年上半年，全省金融业完成增加值 828.47 亿元，同比增长 15%，分别占 GDP 和第三产业增加值的 6.5%和 "
         "19.3%，比上年同期分别提高 0.4 和 0.9 个百分点。截至 2014 年 6 月末，全省金融业资产总额达到 6.9 万亿元。",
         2014),
        # 003 lines 27-37: subsidy rates, caps and thresholds
        (
            "一、对企业承接高校、科研机构的科技成果在省内成功实施转化的，按企业购买研发服务合同交易额的 10%以内给予"
            "后补助，最高不超过 100 万元；对企业转化的项目年度投资总额达到 2000 万元以上的，按其年度投资总额的 "
            "5%给予最高不超过 200 万元的项目资金补助。",
            2014,
        ),
        # 003 lines 74-80: price deductions granted
        ("对小微企业产品可视不同行业情况给予 6%—10%的价格扣除", 2014),
        # 000 line 138: recipients of a grant in a year
        ("目前，省级财政已预拨 15 亿元，对 2024 年符合条件的 455 个入库项目给予支持。", 2024),
        # a rank, a duration, a speed
        ("居全国第 6 位，应在 1 个月内启动预算执行，加快新建成南达350公里时速高铁。", 2018),
    ],
)
def test_no_goal(text, doc_year):
    assert extract_targets(text, doc_year=doc_year) == []


def test_a_year_reaches_the_end_of_its_paragraph():
    text = "全省科技企业孵化体系和服务能力显著增强。到 2017 年，全省孵化器数量达到 100 家。\n全省建成示范基地 20 个。"
    assert [t["year"] for t in extract_targets(text, doc_year=2014)] == [2017, None]


def test_a_year_at_the_head_holds_for_the_whole_text():
    text = "到 2017 年，全省孵化器数量达到 100 家。\n全省建成示范基地 20 个。"
    assert [t["year"] for t in extract_targets(text, doc_year=2014)] == [2017, 2017]


@pytest.mark.parametrize(
    ("text", "year"),
    [
        ("到2025年，新经济增加值年均增速不低于10%", 2025),
        ("力争到 2017 年，全省电子商务市场交易额超过 2万亿元", 2017),
        ("2020年前完成改造", 2020),
        ("发展目标。到2025年，制造业增加值占全省生产总值比重稳中有升", 2025),  # after a heading
        ("发展目标到 2025 年,新经济增加值年均增速不低于 10%", 2025),
        ("2013 年全省社会物流总额达到 51284.4 亿元", None),  # a bare year may be a past one
        ("金融业整体实力和竞争力显著增强。到 2017 年，金融业增加值突破 2500 亿元", None),  # not at the head
        ("从 2014 年 9 月 1 日起，各融资性担保机构", None),
        ("", None),
    ],
)
def test_stated_year(text, year):
    assert stated_year(text) == year


TOKENS = [
    "100", "2. 4", "３０", "10—20", "五十", "千", "万", "亿", "元", "亿元", "%", "个百分点", "家", "个", "人",
    "+", "“", "”", "以上", "左右", "超过", "不低于", "达到", "提高", "下降到", "逐年递减", "的", "和", "、",
    "，", "。", "；", "\n", " ", "到2020年", "2013年", "力争", "今后3年", "截至目前", "培育", "打造", "企业",
    "给予", "补助", "占", "比重", "对", "第",
]
TEXTS = st.one_of(
    st.lists(st.sampled_from(TOKENS), max_size=40).map("".join),
    st.text(alphabet=st.sampled_from("0123456789.+%万亿千元家个人—、和的以上，。 到年力争培育占"), max_size=60),
)


@settings(max_examples=200)
@given(text=TEXTS, doc_year=st.sampled_from([None, 2014]), inherited=st.sampled_from([None, 2020]))
def test_targets_are_well_formed(text, doc_year, inherited):
    for target in extract_targets(text, doc_year=doc_year, inherited_year=inherited):
        assert 0 <= target["min_value"] <= target["max_value"]
        assert target["value"] is None or target["value"] == target["min_value"] == target["max_value"]
        assert "".join(text[target["start"] : target["end"]].split()) == target["text"]
        assert target["comparator"] in {"gte", "gt", "lte", "lt", "eq", "approx"}
        assert target["change"] in {"level", "increase", "decrease"}
        assert target["unit"]


def test_an_article_reports_what_was_built():
    # 000_a0bf228895fc49c4.txt lines 259-261 (an article): an achievement, not a goal
    text = "推动组建川南氢能产业技术研究院，建成国省级涉氢科技创新平台 10 个。"
    assert rows(text, doc_year=2024) != []  # in a plan the creating verb makes it a goal
    assert extract_targets(text, doc_year=2024, reports=True) == []
    # 000 line 448
    assert extract_targets("现布局建设 5 个国家重大科技基础设施，建有 4 个国家产教融合创新平台", doc_year=2024, reports=True) == []
    # a goal frame still makes a goal in an article
    assert [t["value"] for t in extract_targets("力争到2027年，建成创新平台20个。", doc_year=2024, reports=True)] == [20]


def test_a_bound_before_the_creating_verb():
    # 001_1acc3666f60ddf6e.txt line 186; 003 line 1904 `至少建成 1 个…防灾避险公园`
    text = "加强基层卫生能力建设，每个乡镇至少建成1所达标卫生院，每个村建成1个 达标卫生室。"
    assert rows(text, doc_year=2018) == [
        ("达标卫生院", None, 1, 1, 1, "所", "gte", "level"),
        ("达标卫生室", None, 1, 1, 1, "个", "eq", "level"),
    ]


def test_a_clause_naming_only_a_place_measures_the_goal_before_it():
    # 003_b7f4ec8c69ce3500.txt lines 1795-1797
    text = "到 2015 年，中心城区燃气普及率达到 90%、县城达到 70%、建制镇达到 50%。"
    assert [t["indicator"] for t in extract_targets(text, doc_year=2014)] == [
        "中心城区燃气普及率", "县城燃气普及率", "建制镇燃气普及率",
    ]
    # 003 lines 1734-1736: a place with a qualifier, and a unit other than %
    text = "到 2015 年，中心城区人均道路面积达到 14 平方米、县城达到 11 平方米、3万人以上小城镇达到 10 平方米。"
    assert [t["indicator"] for t in extract_targets(text, doc_year=2014)] == [
        "中心城区人均道路面积", "县城人均道路面积", "3万人以上小城镇人均道路面积",
    ]
    # 003 lines 1775-1777
    text = "到 2020 年，中心城区供水普及率达到 99%，县城及3万人以上的建制镇达到 90%，力争全部关闭自备水源"
    assert [t["indicator"] for t in extract_targets(text, doc_year=2014)][1] == "县城及3万人以上的建制镇供水普及率"


def test_a_lone_chinese_digit_after_a_creating_verb_is_a_count():
    assert rows("到2020年，培育三家领军企业。", doc_year=2015) == [
        ("领军企业", 2020, 3, 3, 3, "家", "eq", "level"),
    ]
    assert [t["value"] for t in extract_targets("到2020年，建成十个示范园区。", doc_year=2015)] == [10]
    # a slogan is not: 003 line 868 `建设“三个一”通关服务平台`; nor `一个`
    assert extract_targets("建设“三个一”通关服务平台、跨境电商物流服务平台", doc_year=2014) == []
    assert extract_targets("到2020年，打造一个国际化高地", doc_year=2015) == []


# ---------------------------------------------------------------- units, lists, caps, odd values


@pytest.mark.parametrize(
    ("text", "indicator", "value", "unit"),
    [
        # a multiplier before a unit word that starts like one: the unit is the base word
        ("到2025年，新增风电装机容量400万千瓦以上。", "新增风电装机容量", 4e6, "千瓦"),
        ("到2025年，全省发电量达到1.2亿千瓦时。", "全省发电量", 1.2e8, "千瓦时"),
        ("到2025年，建成高标准农田5330万亩。", "高标准农田", 5.33e7, "亩"),
        ("到2025年，装机规模达到10亿千瓦。", "装机规模", 1e9, "千瓦"),
        ("到2025年，粮食产量稳定在600万吨以上。", "粮食产量", 6e6, "吨"),
        ("到2025年，接待游客达到1.5亿人次。", "接待游客", 1.5e8, "人次"),
        ("到2025年，城镇新增就业50万人。", "城镇新增就业", 5e5, "人"),
        ("到2025年，生猪出栏3000万头以上。", "生猪出栏", 3e7, "头"),
        ("到2025年，能源生产总量达到2亿吨标准煤。", "能源生产总量", 2e8, "吨标准煤"),
        # a unit with its alternative in brackets stays as printed
        ("到2025年，改造城镇危旧房2万套（间）。", "改造城镇危旧房", 2e4, "套（间）"),
        ("到2025年，治理水土流失面积1,200平方公里。", "治理水土流失面积", 1200, "平方公里"),
    ],
)
def test_units_with_multipliers(text, indicator, value, unit):
    [goal] = extract_targets(text, doc_year=2021)
    assert (goal["indicator"], goal["value"], goal["unit"]) == (indicator, value, unit)


def test_a_parallel_list_gives_each_value_its_subject():
    # 003_b7f4ec8c69ce3500.txt lines 1797-1799
    text = "到 2020 年，中心城区、县城和建制镇燃气普及率分别达到 92%、75%和 60%（责任单位：各县市区政府）"
    assert [(t["indicator"], t["value"]) for t in extract_targets(text, doc_year=2014)] == [
        ("中心城区燃气普及率", 92), ("县城燃气普及率", 75), ("建制镇燃气普及率", 60),
    ]
    # items of the same form, the last one ending before the shared words
    text = "到2025年，三星级、四星级和五星级酒店数量分别达到30家、20家和10家。"
    assert [t["indicator"] for t in extract_targets(text, doc_year=2021)] == [
        "三星级酒店数量", "四星级酒店数量", "五星级酒店数量",
    ]
    # a list word inside a word is no list word (`普及率`)
    text = "到2025年，城市和农村居民人均可支配收入分别达到6万元和3万元。"
    assert [t["indicator"] for t in extract_targets(text, doc_year=2021)] == [
        "城市居民人均可支配收入", "农村居民人均可支配收入",
    ]


@pytest.mark.parametrize(
    "text",
    [
        # caps and rules are no goals
        "对新发生的融资担保业务，收取的担保费率原则上不超过1.5%。",
        "单个项目补助比例不高于总投资的30%。",
        # counts of the rules a text sets, of the group a thing belongs to, of a class
        "省政府出台支持民营经济发展的20条措施。",
        "研究提出18条具体举措。",
        "我省被确定为试点的4个省份之一。",
        "推动30万千瓦级煤电机组升级改造。",
        # numbers naming a programme
        "以“3个100万”为抓手推进新型城镇化。",
        "构建“1+2+4+N”产业体系。",
    ],
)
def test_no_goal_in_a_plan_either(text):
    assert extract_targets(text, doc_year=2021) == []


def test_a_level_a_value_is_brought_to_is_a_goal():
    text = "引导合作机构逐步将平均担保费率降至1%以下。"
    assert rows(text, doc_year=2019) == [("合作机构逐步将平均担保费率", None, 1, 1, 1, "%", "lte", "level")]
    # but not in a text that reports
    assert extract_targets(text, doc_year=2019, reports=True) == []
    # the value a change starts from is no part of the indicator
    [goal] = extract_targets("到2030年，高等教育毛入学率从53.4%提高到63%以上。", doc_year=2026)
    assert (goal["indicator"], goal["value"]) == ("高等教育毛入学率", 63)


def test_a_zero_value_and_an_indicator_that_cannot_be_read():
    # 003_b7f4ec8c69ce3500.txt line 1852, with 0% for 60%: a zero is a value like any other
    text = "建成投入运行的污水处理厂 1 年内实际处理能力不得低于设计能力的 0%，3 年内达到 75%。"
    assert [(t["value"], t["indicator"]) for t in extract_targets(text, doc_year=2014)] == [
        (0, "污水处理厂实际处理能力不得低于设计能力"),
        (75, "污水处理厂实际处理能力不得低于设计能力"),
    ]
    # nothing before the value names what is measured: the clause stands for it, with a warning
    [goal] = extract_targets("到2025年，的80%。", doc_year=2021)
    assert (goal["indicator"], goal["value"]) == ("的80%", 80)
    assert goal["warning"]


def test_a_commitment_before_a_status_word_is_a_goal():
    # the form of 003 line 1050 (比上年) inside a goal: 确保 opens the sentence
    text = "确保2020年小微企业贷款增速不低于各项贷款平均增速。进一步压降成本，确保综合融资成本较上年再降0.5个百分点。"
    goals = extract_targets(text, doc_year=2020)
    assert [(g["year"], g["value"], g["unit"], g["change"]) for g in goals] == [(2020, 0.5, "pp", "decrease")]
    # a status word with no commitment before it reports
    assert extract_targets("综合融资成本较上年下降0.5个百分点。", doc_year=2020) == []


def test_odd_values_never_fail_the_records_of_a_file():
    from pipeline.classify import classify_file
    from pipeline.clean import clean_lines
    from pipeline.segment import segment_file
    from pipeline.validate import validate_records

    # 003_b7f4ec8c69ce3500.txt line 1852 with 0%, a value with nothing before it, and money
    # in three currencies, one negative
    text = (
        "关于加强城镇基础设施建设的实施意见\n"
        "一、建成投入运行的污水处理厂 1 年内实际处理能力不得低于设计能力的 0%，3 年内达到 75%。\n"
        "二、到2025年，的80%。\n"
        "三、引进外资2亿美元，预算调整-100万元，给予100万元港币奖励。\n"
    )
    docs = segment_file(clean_lines(text), text.split("\n"))
    records = classify_file(docs, "odd.txt", "0" * 64)
    doc_files = {row["document_id"]: "odd.txt" for row in records.rows["documents"]}
    for name in ("documents", "measures", "amounts", "targets"):
        validate_records(name, records.rows[name], doc_files)  # raises on any broken record
    assert [t["value"] for t in records.rows["targets"]] == [0, 75, 80]
    assert any(w.startswith("odd.txt:3: target “的80%”") for w in records.warnings)
    assert [(a["currency"], a["min_cny"]) for a in records.rows["amounts"]] == [
        ("USD", None), ("CNY", -1e6), ("HKD", None)]
