"""The time a section speaks of: a review reports, the plan of a work report sets goals."""
from __future__ import annotations

import pytest

from pipeline.classify import classify_file
from pipeline.clean import clean_lines
from pipeline.extract.targets import extract_targets
from pipeline.extract.timeframe import Frame, is_work_report, item_timeline, section_frame
from pipeline.segment import segment_file


@pytest.mark.parametrize(
    ("heading", "doc_year", "work_report", "frame"),
    [
        # a review reports, in any document
        ("2025年工作回顾", 2026, True, Frame("past", None)),
        ("2025年和“十四五”时期工作回顾", None, True, Frame("past", None)),
        ("发展现状", 2021, False, Frame("past", None)),
        # the plan of a work report: the year it names, else the report's, none for five years
        ("2026年工作安排", None, True, Frame("goal", 2026)),
        ("2026年重点工作", 2026, True, Frame("goal", 2026)),
        ("今年经济社会发展的主要预期目标", 2026, True, Frame("goal", 2026)),
        ("“十五五”时期的主要目标和重点任务", 2026, True, Frame("goal", None)),
        # a heading naming only a year: before the report's year a review, else a plan
        ("2025年", 2026, True, Frame("past", 2025)),
        ("2026年", 2026, True, Frame("goal", 2026)),
        # outside a work report a plan heading sets nothing (deadlines do, as before)
        ("2026年工作安排", 2026, False, None),
        ("深入推进政府治理创新", 2026, True, None),
        ("", 2026, True, None),
    ],
)
def test_section_frame(heading, doc_year, work_report, frame):
    assert section_frame(heading, doc_year, work_report) == frame


def test_a_work_report_by_its_title_or_its_opening():
    assert is_work_report("2026年某省政府工作报告", "")
    assert is_work_report(None, "各位代表：现在，我代表省人民政府，向大会报告工作，请予审议。")
    assert not is_work_report("关于加快发展新经济的实施意见", "为深入贯彻落实…")


def frames(text: str, doc_year: int | None, base: Frame | None) -> list[tuple[str, str, int | None]]:
    timeline = item_timeline(text, doc_year, base)
    return [(text[i], timeline.at(i).mode, timeline.at(i).year) for i in range(len(text))]


def test_this_year_last_year_and_years_since():
    text = "今年新建学校10所。去年建成学校8所。一年来，新增就业2万人。"
    goals = extract_targets(text, doc_year=2026)
    assert [(g["indicator"], g["year"], g["value"]) for g in goals] == [("学校", 2026, 10)]
    # without the document's year, 今年 is the year the section names
    assert [g["year"] for g in extract_targets("今年新建学校10所。", inherited_year=2026)] == [2026]


def test_a_review_section_reports_its_deadlines_too():
    # `到2025年` in the review part of a report of unknown date tells what was reached
    timeline = item_timeline("到2025年，建成学校100所。", None, Frame("past", None))
    assert timeline.at(10).mode == "past"
    timeline = item_timeline("到2025年，建成学校100所。", None, None)
    assert timeline.at(10) == Frame("goal", 2025)


# A work report written for the tests: a review, then the plan for the year.
REPORT = """政府工作报告
——2030年1月20日在某市第五届人民代表大会第三次会议上
各位代表：
现在，我代表市人民政府，向大会报告工作，请予审议。
一、2029年工作回顾
过去一年，全市新增就业岗位2万个，建成城市公园15个，发放消费补贴资金3亿元。
到2029年，全市5G基站达到1万个。
二、2030年工作安排
今年全市经济社会发展的主要预期目标是：地区生产总值增长6%左右；城镇新增就业3万人。
（一）扩大有效投资。新建学校10所，改造老旧小区200个，建设充电桩5000个以上。
（二）办好民生实事。去年建成的20个社区食堂全部投入运营，今年再新建社区食堂30个，安排资金2亿元。
"""


def classified(text: str):
    docs = segment_file(clean_lines(text), text.split("\n"))
    return classify_file(docs, "report.txt", "0" * 64)


def test_a_work_report_sets_goals_in_its_plan_and_reports_in_its_review():
    records = classified(REPORT)
    targets = [(t["line"], t["value"], t["unit"], t["year"]) for t in records.rows["targets"]]
    assert targets == [
        (9, 6, "%", 2030), (9, 3e4, "人", 2030),
        (10, 10, "所", 2030), (10, 200, "个", 2030), (10, 5000, "个", 2030),
        (11, 30, "个", 2030),
    ]
    # money the review says was paid is a figure; money the plan sets aside a fund
    assert [(a["line"], a["role"]) for a in records.rows["amounts"]] == [(6, "statistic"), (11, "fund")]


def test_a_work_report_heading_run_into_its_first_sentence():
    # a reflowed text: the review heading and its first sentence on one line
    text = REPORT.replace("一、2029年工作回顾\n过去一年，", "一、2029年工作回顾2029年，")
    records = classified(text)  # one line fewer: the plan now starts on line 7
    assert [(t["line"], t["year"]) for t in records.rows["targets"]][:2] == [(8, 2030), (8, 2030)]
    assert len(records.rows["targets"]) == 6
    assert [a["role"] for a in records.rows["amounts"]] == ["statistic", "fund"]


def test_outside_a_work_report_a_plan_heading_sets_no_goal():
    text = REPORT.replace("各位代表：\n现在，我代表市人民政府，向大会报告工作，请予审议。\n", "")
    text = text.replace("政府工作报告\n", "关于做好2030年工作的通知\n")
    records = classified(text)
    # the counts created still are goals; the growth rate, which only the plan made one, is not
    assert (9, 6, "%", 2030) not in [(t["line"], t["value"], t["unit"], t["year"]) for t in records.rows["targets"]]
