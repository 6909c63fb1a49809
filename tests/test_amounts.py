import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.extract.amounts import extract_amounts


def fields(amount: dict) -> tuple:
    return (amount["text"], amount["min_cny"], amount["max_cny"], amount["qualifier"],
            amount["period"], amount["per"], amount["role"])


def summary(text: str, **years) -> list[tuple]:
    return [fields(a) for a in extract_amounts(text, **years)]


# 003_b7f4ec8c69ce3500.txt lines 27-37, line breaks joined
SUBSIDY_CAP_AND_THRESHOLD = (
    "一、对企业承接高校、科研机构且属于战略性新兴产业的具有有效职务发明专利的科技成果在省内成功实施转化的，"
    "根据产出效率，按企业购买研发服务合同交易额的 10%以内给予后补助或贷款贴息支持，最高不超过 100 万元，"
    "所需资金在省科技专项资金中安排（责任单位：科技厅）；对企业转化的项目年度投资总额或年度新增产值达到 "
    "2000 万元以上的，按其年度投资总额或年度新增产值的 5%给予最高不超过 200 万元的项目资金补助，"
    "所需资金在省工业发展专项资金中安排（责任单位：省经济和信息化委）。"
)


def test_cap_threshold_and_project_subsidy():
    assert summary(SUBSIDY_CAP_AND_THRESHOLD) == [
        # the subsidy is named in the clause before the cap
        ("最高不超过100万元", 1e6, 1e6, "max", None, "enterprise", "subsidy"),
        # an eligibility condition; 年度 makes it yearly
        ("2000万元以上", 2e7, 2e7, "min", "per_year", "project", "threshold"),
        # 年度 before 给予 belongs to the base of the 5% rate, not to the subsidy
        ("最高不超过200万元", 2e6, 2e6, "max", None, "project", "subsidy"),
    ]


def test_value_threshold_and_one_off_subsidies():
    # 003 lines 39-45
    text = (
        "二、对企业研发并取得自主知识产权、价值在 100 万元以上且具有产业化前景的省内首台（套）装备应用产品，"
        "一次性给予购买应用单位 20%、最高不超过 200 万元的补助；对国内首台（套）装备应用产品，"
        "一次性给予购买应用单位 30%、最高不超过 300 万元的补助。"
    )
    found = summary(text)
    assert [(f[0], f[3], f[4], f[6]) for f in found] == [
        ("100万元以上", "min", None, "threshold"),
        ("最高不超过200万元", "max", "one_off", "subsidy"),
        ("最高不超过300万元", "max", "one_off", "subsidy"),
    ]


def test_a_list_is_one_row_per_amount():
    # 003 line 47
    text = "三、对企业主持国际、国家、行业标准制定的，分别给予 100 万元、50 万元、30 万元的补助；"
    assert summary(text) == [
        ("100万元", 1e6, 1e6, "exact", None, None, "subsidy"),
        ("50万元", 5e5, 5e5, "exact", None, None, "subsidy"),
        ("30万元", 3e5, 3e5, "exact", None, None, "subsidy"),
    ]


def test_fund_and_range():
    # 003 lines 102-106 and 136-138
    fund = "将商业银行直接支持企业的“过桥”融资需求情况，作为国库存款资源配置的重要指标，设立 30 亿元国库现金管理资金额度，"
    assert summary(fund) == [("30亿元", 3e9, 3e9, "exact", None, None, "fund")]
    grant = "十二、对符合条件的大学生创新创业园，根据规模和发展情况，给予 100 万—500 万元资金补助，主要用于基础设施"
    assert summary(grant) == [("100万—500万元", 1e6, 5e6, "range", None, None, "subsidy")]


def test_awards_per_enterprise():
    # 002_144f457913c26fac.txt lines 446-450 (half-width punctuation)
    text = (
        "对新认定的省级新经济示范企业,给予一次性不超过 100 万元资金奖励。 "
        "对首次获得备案的四川省瞪羚企业,给予一次性不超过 80 万元的后补助经费支持。"
    )
    assert summary(text) == [
        ("不超过100万元", 1e6, 1e6, "max", "one_off", "enterprise", "award"),
        ("不超过80万元", 8e5, 8e5, "max", "one_off", "enterprise", "subsidy"),
    ]
    # 003 lines 213-217
    guarantee = (
        "对依法合规经营、年化担保费率低于 3%且放大倍数达到5 倍以上的融资性担保机构，省财政和同级财政按其"
        "年末在保贷款平均余额增加额的 0.5%，分别给予最高不超过 100 万元的奖励"
    )
    assert summary(guarantee) == [("最高不超过100万元", 1e6, 1e6, "max", None, "enterprise", "award")]


def test_past_and_current_figures_are_statistics():
    # 003 lines 305-309, a document of 2014
    text = (
        "我省电子商务产业起步较晚，但起点高、发展快。近 3年我省电子商务市场交易额年均增长 60%以上。"
        "2013 年突破 8000 亿元规模，居全国第 6 位、中西部首位。2014 年 1—8 月，全省电子商务市场交易额达到 "
        "7898.7 亿元，同比增长 57.9%；其中网络零售交易额 830 亿元，同比增长 54.8%。"
    )
    assert summary(text, doc_year=2014) == [
        ("突破8000亿元", 8e11, 8e11, "min", None, None, "statistic"),
        ("7898.7亿元", 7.8987e11, 7.8987e11, "exact", None, None, "statistic"),
        ("830亿元", 8.3e10, 8.3e10, "exact", None, None, "statistic"),
    ]


def test_money_goals_are_targets():
    # 003 lines 364-366
    text = (
        "——总量不断扩大。力争到 2017 年，全省电子商务市场交易额超过 2万亿元，网络零售交易额超过 2600 亿元；"
        "2020 年，全省电子商务市场交易额超过 4 万亿元，网络零售交易额超过 4500 亿元。"
    )
    assert [(f[0], f[1], f[3], f[6]) for f in summary(text, doc_year=2014)] == [
        ("超过2万亿元", 2e12, "min", "target"),
        ("超过2600亿元", 2.6e11, "min", "target"),
        ("超过4万亿元", 4e12, "min", "target"),
        ("超过4500亿元", 4.5e11, "min", "target"),
    ]


def test_a_threshold_inside_a_goal_is_no_target():
    # 003 lines 374-376
    text = (
        "力争到 2020 年，培育电子商务交易额超 1000 亿元的企业 5 家、超 100 亿元的企业 20 家以上、"
        "超 10 亿元的企业 50 家；"
    )
    assert [(f[0], f[5], f[6]) for f in summary(text, doc_year=2014)] == [
        ("超1000亿元", "enterprise", "threshold"),
        ("超100亿元", "enterprise", "threshold"),
        ("超10亿元", "enterprise", "threshold"),
    ]


def test_per_person_target():
    # 003 line 1131
    text = "全省保险机构 2017 年保费收入突破 1500 亿元，保险深度达到 4%，保险密度 1800 元/人。"
    assert summary(text, doc_year=2014) == [
        ("突破1500亿元", 1.5e11, 1.5e11, "min", None, None, "target"),
        ("1800元/人", 1800, 1800, "exact", None, "person", "target"),
    ]
    # 004_8dbb09b12177f42d.txt line 13
    productivity = "到2025年，制造业劳动生产率达到60万元/人以上，"
    assert summary(productivity) == [("60万元/人以上", 6e5, 6e5, "min", None, "person", "target")]


def test_article_forms():
    # 000_a0bf228895fc49c4.txt lines 180-194
    text = (
        "泸州市与四川大学开启校地合作，共同设立校地合作专项资金 1000 万元 / 年，成立“四川大学泸州产业技术研究院”，"
        "组织实施产业关键技术研究开发等项目 299 项，投入专项资金 10700 万元，引导企业科技投入 3 亿余元，"
        "累计新增产值超100 亿元，新增利税约 30 亿元，打破国外技术垄断 2项，新增就业 5000 多人。"
    )
    assert summary(text) == [
        ("1000万元/年", 1e7, 1e7, "exact", "per_year", None, "fund"),
        ("10700万元", 1.07e8, 1.07e8, "exact", None, None, "fund"),
        # 累计 makes the sentence a report
        ("3亿余元", 3e8, 3e8, "approx", None, None, "statistic"),
        ("超100亿元", 1e10, 1e10, "min", None, None, "statistic"),
        ("约30亿元", 3e9, 3e9, "approx", None, None, "statistic"),
    ]


@pytest.mark.parametrize(
    ("text", "value", "qualifier"),
    [
        ("奖励近千万元", 1e7, "approx"),
        ("奖励五十万元", 5e5, "exact"),
        ("安排一千万元", 1e7, "exact"),
        ("补助两千元", 2000, "exact"),
        ("筹集300余万元", 3e6, "approx"),
        ("规模达到2万亿元", 2e12, "exact"),
        ("投资１００万元", 1e6, "exact"),
        ("融资 2. 4 亿元", 2.4e8, "exact"),
        ("最多 5 千元", 5000, "max"),
        ("30亿元左右", 3e9, "approx"),
        ("100 万元以内", 1e6, "max"),
    ],
)
def test_written_forms(text, value, qualifier):
    [amount] = extract_amounts(text)
    assert (amount["min_cny"], amount["max_cny"], amount["qualifier"]) == (value, value, qualifier)


@pytest.mark.parametrize(
    "text",
    [
        # 003 lines 74-80: percentages are not money
        "对小微企业产品可视不同行业情况给予 6%—10%的价格扣除；其中小微企业占联合体份额达到 30%以上的"
        "可给予联合体 2%—3%的价格扣除",
        "坚持城乡二元结构改革，推动一元化管理",
        "川办发〔2021〕93 号",
    ],
)
def test_no_money(text):
    assert extract_amounts(text) == []


def test_a_threshold_list_shares_its_condition():
    text = "对年主营业务收入首次突破 10 亿元、50 亿元、100 亿元的企业，分别给予 50 万元、100 万元、200 万元奖励。"
    assert [a["role"] for a in extract_amounts(text)] == ["threshold"] * 3 + ["award"] * 3


def test_a_condition_before_the_grant_verb_is_a_threshold():
    # the 补助 after 给予 is what the condition earns, not this amount
    [amount] = extract_amounts("对投资额5000万元（含）以上的项目给予补助")
    assert (amount["text"], amount["qualifier"], amount["role"]) == ("5000万元（含）以上", "min", "threshold")
    [bound] = extract_amounts("到2020年，培育年产值10亿元以上企业50家。")
    assert bound["role"] == "threshold"


def test_a_one_off_named_after_the_amount():
    [amount] = extract_amounts("给予最高 50 万元的一次性奖励。")
    assert (amount["qualifier"], amount["period"], amount["role"]) == ("max", "one_off", "award")


TOKENS = [
    "100", "2. 4", "３０", "五十", "千", "两", "万", "亿", "元", "万元", "亿元", "余", "多", "—", "至", "、",
    "/", "年", "人", "以上", "以内", "左右", "最高不超过", "超过", "约", "近", "的", "补助", "奖励", "基金",
    "，", "。", "；", "\n", " ", "到2020年", "2013年", "截至目前", "培育", "企业", "给予", "一次性", "%",
]
TEXTS = st.one_of(
    st.lists(st.sampled_from(TOKENS), max_size=40).map("".join),
    st.text(alphabet=st.sampled_from("0123456789.万亿千百十元余多—-、/年人以上下的，。 一二两五"), max_size=60),
)


@settings(max_examples=200)
@given(text=TEXTS, doc_year=st.sampled_from([None, 2014]))
def test_amounts_are_well_formed(text, doc_year):
    for amount in extract_amounts(text, doc_year=doc_year):
        assert amount["min_cny"] <= amount["max_cny"] and amount["min_cny"] != 0
        assert (amount["min_value"], amount["max_value"]) == (amount["min_cny"], amount["max_cny"])
        assert "".join(text[amount["start"] : amount["end"]].split()) == amount["text"]
        assert amount["qualifier"] in {"exact", "max", "min", "approx", "range"}
        assert amount["period"] in {None, "one_off", "per_year", "per_quarter", "per_month", "per_day"}
        assert amount["role"] in {"subsidy", "award", "fund", "deduction", "threshold", "target", "statistic", "other"}
        # a negative amount is never money granted
        assert amount["min_cny"] > 0 or amount["role"] not in {"subsidy", "award", "fund"}


def test_a_list_shares_the_bound_printed_before_its_first_item():
    # A list item printing no qualifier takes the word before the item ahead of it (the form of
    # 003 line 374 `营业收入超1000亿元、超100亿元`, printed there on every item).
    def quals(text):
        return [(a["text"], a["qualifier"]) for a in extract_amounts(text, doc_year=2015)]

    assert quals("培育营业收入突破10亿元、50亿元的企业") == [("突破10亿元", "min"), ("50亿元", "min")]
    assert quals("分别给予最高100万元、50万元奖励") == [("最高100万元", "max"), ("50万元", "max")]
    # an item's own word is kept, and unqualified lists stay exact
    assert quals("给予100万元、50万元奖励") == [("100万元", "exact"), ("50万元", "exact")]
    assert quals("超过10亿元、约5亿元") == [("超过10亿元", "min"), ("约5亿元", "approx")]
