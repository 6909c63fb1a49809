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


# ---------------------------------------------------------------- forms written by hand


def values(text: str, **kwargs) -> list[tuple]:
    return [(a["text"], a["min_value"], a["max_value"], a["currency"], a["min_cny"])
            for a in extract_amounts(text, **kwargs)]


@pytest.mark.parametrize(
    ("text", "printed", "value"),
    [
        # thousands separators; never a part of the number (`000.5万元`)
        ("给予1,000万元奖励", "1,000万元", 1e7),
        ("安排资金12,000,000元", "12,000,000元", 1.2e7),
        ("补助2 000万元", "2000万元", 2e7),
        ("给予1,000.5万元补助", "1,000.5万元", 1.0005e7),
        # mixed and financial numerals
        ("投资1亿2千万元", "1亿2千万元", 1.2e8),
        ("投资1亿2000万元", "1亿2000万元", 1.2e8),
        ("奖励3千万元", "3千万元", 3e7),
        ("奖励壹佰万元", "壹佰万元", 1e6),
        ("补贴贰拾万元整", "贰拾万元", 2e5),
        ("出资1亿零500万元", "1亿零500万元", 1.05e8),
    ],
)
def test_every_form_of_a_number_gives_its_whole_value(text, printed, value):
    assert values(text) == [(printed, value, value, "CNY", value)]


def test_a_number_that_does_not_add_up_yields_the_amount_after_it():
    # `300万 200万元` is no mixed number: the 200万元 is still an amount
    assert values("计划300万 200万元补助") == [("200万元", 2e6, 2e6, "CNY", 2e6)]


def test_a_minus_sign_is_kept_and_a_deduction_is_never_a_grant():
    [adjusted] = extract_amounts("年度预算调整-100万元")
    assert (adjusted["text"], adjusted["min_cny"], adjusted["max_cny"]) == ("-100万元", -1e6, -1e6)
    [negative] = extract_amounts("给予-50万元补助")
    assert (negative["min_cny"], negative["role"]) == (-5e5, "deduction")
    [deducted] = extract_amounts("对未完成任务的，扣减补助资金100万元。")
    assert (deducted["min_cny"], deducted["role"]) == (1e6, "deduction")
    # a range dash is no sign
    [span] = extract_amounts("给予100-200万元补助")
    assert (span["min_cny"], span["max_cny"], span["qualifier"]) == (1e6, 2e6, "range")


@pytest.mark.parametrize(
    ("text", "printed", "currency", "value"),
    [
        ("引进外资2亿美元", "2亿美元", "USD", 2e8),
        ("投资100万元港币", "100万元港币", "HKD", 1e6),
        ("投资港币100万元", "港币100万元", "HKD", 1e6),
        ("引进美金500万元", "美金500万元", "USD", 5e6),
        ("合同金额新台币100万元", "新台币100万元", "TWD", 1e6),
        ("贷款5000万欧元", "5000万欧元", "EUR", 5e7),
        ("日元30亿元", "日元30亿元", "JPY", 3e9),
        ("注册资本人民币100万元", "人民币100万元", "CNY", 1e6),
    ],
)
def test_the_currency_written_before_or_after(text, printed, currency, value):
    [amount] = extract_amounts(text)
    assert (amount["text"], amount["currency"], amount["min_value"], amount["max_value"]) == (
        printed, currency, value, value)
    yuan = value if currency == "CNY" else None
    assert (amount["min_cny"], amount["max_cny"]) == (yuan, yuan)


@settings(max_examples=200)
@given(
    number=st.integers(min_value=1, max_value=10**6),
    multiplier=st.sampled_from(["", "万", "亿"]),
    printed=st.sampled_from([
        "{n}{m}美元", "{n}{m}欧元", "{n}{m}港元", "{n}{m}日元", "美金{n}{m}元", "{n}{m}元港币",
        "新台币{n}{m}元", "最高不超过{n}{m}美元", "{n}{m}美元以上",
    ]),
    before=st.sampled_from(["", "给予", "奖励", "到2025年，出口额达到", "设立基金"]),
)
def test_a_foreign_amount_never_has_a_yuan_value(number, multiplier, printed, before):
    [amount] = extract_amounts(before + printed.format(n=number, m=multiplier), doc_year=2020)
    assert amount["currency"] != "CNY"
    assert amount["min_cny"] is None and amount["max_cny"] is None
    assert amount["min_value"] == number * {"": 1, "万": 10**4, "亿": 10**8}[multiplier]


@pytest.mark.parametrize(
    ("text", "period", "per"),
    [
        ("每人每月发放补贴500元", "per_month", "person"),
        ("给予每人500元/月补贴", "per_month", "person"),
        ("每季度补贴5万元", "per_quarter", None),
        ("每天补助100元", "per_day", None),
        ("按100元/吨给予补贴", None, "ton"),
        ("每亩补贴300元", None, "mu"),
        ("每台补助2000元", None, "machine"),
        ("给予5元/人次奖励", None, "person_time"),
        ("每头补助200元", None, "头"),  # a unit word without a name in per_units.csv
        ("给予500元/人/月的补贴", "per_month", "person"),
        ("对引进的企业一次性奖励50万元", "one_off", None),
        ("一次性分别给予20万元、50万元奖励", "one_off", None),
        ("一次性配套奖励2万元", "one_off", None),
        # 一次性 that qualifies another verb says nothing of the amount
        ("对一次性引进10万元以上项目的企业给予奖励", None, "enterprise"),
    ],
)
def test_periods_and_units_of_payment(text, period, per):
    amount = extract_amounts(text)[0]
    assert (amount["period"], amount["per"]) == (period, per)


def test_money_an_article_reports_is_a_statistic():
    # 000_a0bf228895fc49c4.txt lines 156-160 (an article): a grant received, not one promised
    text = "泸州裕同包装生产车间数字化智能化改造升级等 23 个项目入选 2024 年全省制造业智能化改造数字化转型项目，获得奖补资金 8658 万元。"
    assert [a["role"] for a in extract_amounts(text, doc_year=2024)] == ["award"]
    assert [a["role"] for a in extract_amounts(text, doc_year=2024, reports=True)] == ["statistic"]
    # 000 lines 180-188: money set up, as an article tells it
    text = "泸州市与四川大学开启校地合作，共同设立校地合作专项资金 1000 万元 / 年，投入专项资金 10700 万元。"
    assert [a["role"] for a in extract_amounts(text, reports=True)] == ["statistic", "statistic"]
    # an article quoting a goal still has one
    assert [a["role"] for a in extract_amounts("力争到2027年，产业规模突破1000亿元。", doc_year=2024,
                                               reports=True)] == ["target"]


def test_money_of_a_past_year_is_a_statistic_even_when_granted():
    text = "2013年，省财政安排专项资金30亿元，对500个项目给予补助。"
    assert [a["role"] for a in extract_amounts(text, doc_year=2014)] == ["statistic"]
    # a status word inside a condition does not make a grant a report (累计在…以上的)
    text = "对每年累计带团30批次以上的导游，分别给予3000元/年、5000元/年奖励。"
    assert [a["role"] for a in extract_amounts(text, doc_year=2019)] == ["award", "award"]


def test_conditions_before_a_grant_are_thresholds():
    # a band of investment that earns a reward stated as a rate
    [band] = extract_amounts("项目资金投入500万元—5000万元，奖励投资额度的5%。")
    assert (band["qualifier"], band["role"]) == ("range", "threshold")
    # a bound followed by 且 is a condition even when money is named later
    [bound] = extract_amounts("对营业额10万元以上且本县财政不承担经费的会议给予奖励。")
    assert bound["role"] == "threshold"
    # a condition word, the amount, 的, then the grant
    [cap] = extract_amounts("有条件的地方可对单户担保金额500万元及以下、费率不超过1%的业务给予费用补贴。")
    assert (cap["qualifier"], cap["role"], cap["credit"]) == ("max", "threshold", "guarantee")


@pytest.mark.parametrize(
    ("text", "credit", "role"),
    [
        ("全省贷款余额13万亿元", "loan", "statistic"),
        ("创业担保贷款额度最高30万元", "loan", "other"),
        ("单户担保金额不超过500万元", "guarantee", "other"),
        ("发放500万元贷款", "loan", "other"),
        # money paid on a loan is a subsidy, not credit
        ("给予贷款贴息50万元", None, "subsidy"),
        ("设立融资担保基金100亿元", None, "fund"),
        # a credit word far before the amount names something else
        ("对获得贷款支持的企业，营业收入达到1亿元以上的", None, "threshold"),
    ],
)
def test_loans_and_guarantees_are_credit(text, credit, role):
    [amount] = extract_amounts(text)
    assert (amount["credit"], amount["role"]) == (credit, role)


def test_a_parallel_list_pairs_each_amount_with_its_item():
    text = "对新评定为三星级、四星级、五星级的酒店，一次性分别给予20万元、50万元、100万元奖励。"
    assert [(a["text"], a["paired_with"], a["role"], a["period"]) for a in extract_amounts(text)] == [
        ("20万元", "三星级", "award", "one_off"),
        ("50万元", "四星级", "award", "one_off"),
        ("100万元", "五星级", "award", "one_off"),
    ]
    # 003_b7f4ec8c69ce3500.txt line 47
    text = "三、对企业主持国际、国家、行业标准制定的，分别给予 100 万元、50 万元、30 万元的补助；"
    assert [a["paired_with"] for a in extract_amounts(text)] == ["国际", "国家", "行业"]
    # a list without 分别 pairs nothing
    assert [a["paired_with"] for a in extract_amounts("给予100万元、50万元奖励")] == [None, None]


def test_words_that_end_like_a_qualifier_are_none():
    [signed] = extract_amounts("成功举办投资推介会、项目签约300亿元。")
    assert (signed["text"], signed["qualifier"]) == ("300亿元", "exact")
    [crossed] = extract_amounts("服务业增加值跨上3万亿元台阶。")
    assert (crossed["text"], crossed["qualifier"]) == ("跨上3万亿元", "min")
