"""Document splitting and numbered items, on every seed and on small texts for the rest."""
from __future__ import annotations

import pytest

from pipeline.checks import label_value
from pipeline.clean import clean_lines, decode
from pipeline.segment import jurisdiction_of, parse_date, segment_file


def segment_text(text: str):
    return segment_file(clean_lines(text), text.split("\n"))


def titles(docs):
    return [d.title for d in docs]


def test_003_holds_notices_their_attachments_and_an_annex_table(segmented):
    docs = segmented["003"]
    assert titles(docs) == [
        "印发关于支持中小微实体经济企业加快发展若干措施的通知",
        "关于支持中小微实体经济企业加快发展的若干措施",
        "关于印发四川省五大新兴先导型服务业发展工作推进方案的通知",
        "四川省电子商务业发展工作推进方案",
        "四川省现代物流业发展工作推进方案",
        "四川省现代金融业发展工作推进方案",
        "四川省科技服务业发展工作推进方案",
        "四川省养老健康服务业发展工作推进方案",
        "印发关于加快城镇基础设施建设实施方案的通知",
        "关于加快城镇基础设施建设实施方案",
        "重点任务分工及进度安排表",
        "关于认真贯彻实施大气污染防治行动计划实施情况考核办法（试行）的通知",
    ]
    kinds = [d.kind for d in docs]
    assert kinds == ["notice", "measures", "notice", "plan", "plan", "plan", "plan", "plan",
                     "notice", "plan", "other", "notice"]
    # Attached documents point at the notice that issues them; the annex at its plan.
    assert [d.parent for d in docs] == [None, 0, None, 2, 2, 2, 2, 2, None, 8, 9, None]
    assert docs[10].table_lines and not docs[10].items


def test_notice_header_and_signature(segmented):
    # 003:1-17 "四川省人民政府" / "印发关于…" / "川府发〔2014〕54 号" … "2014 年 10 月 10 日"
    notice, measures = segmented["003"][:2]
    assert notice.doc_number == "川府发〔2014〕54号"
    assert notice.issuer == "四川省人民政府"
    assert notice.issue_date == "2014-10-10"
    assert (notice.line_start, measures.line_start) == (1, 19)
    # The attached measures inherit issuer and date from the notice.
    assert (measures.issuer, measures.issue_date, measures.doc_number) == ("四川省人民政府", "2014-10-10", None)


def test_municipal_documents_know_their_jurisdiction(segmented):
    docs = segmented["003"]
    assert {d.jurisdiction for d in docs[:8]} == {"四川省"}
    assert {d.jurisdiction for d in docs[8:]} == {"绵阳市"}
    assert docs[8].doc_number == "绵府办发〔2014〕57号"


def test_002_is_one_opinion_with_its_date_at_the_end(segmented):
    (doc,) = segmented["002"]
    assert (doc.title, doc.kind, doc.doc_number) == (
        "关于加快发展新经济培育壮大新动能的实施意见", "opinion", "川办发〔2021〕93号")
    assert (doc.issuer, doc.issue_date) == ("四川省人民政府办公厅", "2021-12-31")


def test_001_decision_reads_issuer_from_title_and_date_from_adoption_note(segmented):
    # 001:2 "(2018年6月30日中国共产党四川省第十一届委员会第三次全体会议通过)"
    (doc,) = segmented["001"]
    assert (doc.kind, doc.issuer, doc.issue_date) == ("decision", "中共四川省委", "2018-06-30")


def test_004_is_a_draft_opinion(segmented):
    # 004:3 "（征求意见稿）"
    (doc,) = segmented["004"]
    assert (doc.title, doc.kind, doc.is_draft) == ("关于推动制造业高质量发展的意见", "opinion", True)


def test_000_interleaved_articles_are_put_back_in_reading_order(segmented):
    fragment, sichuan, shaanxi = segmented["000"]
    assert fragment.title is None and fragment.kind == "article"
    assert sichuan.title == "四川：推动财政高质量发展加快形成新质生产力"
    assert shaanxi.title == "陕西：全方位支持培育新质生产力强劲推动高质量发展"
    assert (sichuan.issuer, shaanxi.issuer) == ("四川省财政厅", "陕西省财政厅")
    # 000:399 "…风险补偿资金池，在资金" continues at 000:490 "池下按产业支持重点分设…"
    last = sichuan.items[-1].body
    assert "在资金池下按产业支持重点分设多个专项贷款子产品" in last.text
    assert last.line_at(last.text.index("池下按")) == 490
    # …and the Shaanxi article no longer carries the Sichuan text.
    assert not any("资金池" in item.body.text for item in shaanxi.items)
    assert shaanxi.items[-1].body.text.endswith("推动新质生产力")


def test_levels_follow_the_order_styles_first_appear(segmented):
    plan = segmented["003"][3]  # 四川省电子商务业发展工作推进方案
    by_label = [(i.label, i.level) for i in plan.items if i.label][:8]
    assert by_label == [("一、", 1), ("二、", 1), ("三、", 1), ("（一）", 2), ("（二）", 2),
                        ("四、", 1), ("（一）", 2), ("1.", 3)]
    item = next(i for i in plan.items if i.label == "1.")
    assert plan.items[item.parent].label == "（一）"


def test_001_numbers_its_top_level_items_with_arabic_numerals(segmented):
    (doc,) = segmented["001"]
    labels = [i.label for i in doc.items if i.label]
    assert labels == [f"{n}." for n in range(1, 27)]
    assert all(i.level == 1 for i in doc.items)


def test_half_width_brackets_and_headings(segmented):
    # 002:65 "(一)加速突破前沿技术。 实施创新驱动突破引领行动,抢占"
    (doc,) = segmented["002"]
    item = next(i for i in doc.items if i.label == "(一)")
    assert item.heading == "加速突破前沿技术。"
    assert item.body.text.startswith("加速突破前沿技术。实施创新驱动突破引领行动,抢占前沿技术制高点。")
    assert item.level == 2 and doc.items[item.parent].label == "三、"


def test_a_heading_alone_on_its_line_opens_the_item_text(segmented):
    # 002:18-20 "一、指导思想" / "以习近平新时代中国特色社会主义思想为指导…"
    (doc,) = segmented["002"]
    item = next(i for i in doc.items if i.label == "一、")
    assert item.heading == "指导思想"
    assert item.body.text.startswith("指导思想以习近平新时代中国特色社会主义思想为指导")


def test_preamble_paragraphs_are_unnumbered_items(segmented):
    measures = segmented["003"][1]
    first = measures.items[0]
    assert first.label is None and first.body.text.startswith("为贯彻落实国务院关于支持中小微实体经济企业")


SMALL_STYLES = """关于测试编号样式的实施办法

第一条 总则。本办法适用于全部情形。

第二条 分则。

（1）甲项内容。

（2）乙项内容。

① 细项一。

② 细项二。

第三条 附则。
"""


def test_article_parenthesised_and_circled_numbering():
    (doc,) = segment_text(SMALL_STYLES)
    got = [(i.label, i.level) for i in doc.items]
    assert got == [("第一条", 1), ("第二条", 1), ("（1）", 2), ("（2）", 2), ("①", 3), ("②", 3), ("第三条", 1)]


def test_numbering_that_restarts_under_a_new_parent():
    text = "一、甲\n\n1.子一。\n\n2.子二。\n\n二、乙\n\n1.再子一。\n"
    (doc,) = segment_text(text)
    parents = [(i.label, doc.items[i.parent].label if i.parent is not None else None) for i in doc.items]
    assert parents == [("一、", None), ("1.", "一、"), ("2.", "一、"), ("二、", None), ("1.", "二、")]


def test_dates_in_both_numeral_systems():
    assert parse_date("2014 年 10 月 8 日") == "2014-10-08"
    assert parse_date("二〇二一年十二月三十一日") == "2021-12-31"
    assert parse_date("2014年13月1日") is None


# ---------------------------------------------------------------- headers from any source
# Small texts written for these tests, in the forms State Council, provincial and county
# documents, web pages and work reports print.


def only(text: str):
    (doc,) = segment_text(text)
    return doc


def test_title_over_two_lines_names_its_issuer_and_signature_gives_the_date():
    doc = only(" 国务院办公厅关于加快发展\n 现代物流产业的指导意见\n 国办发〔2024〕9号\n\n"
               " 各省、自治区、直辖市人民政府：\n 一、总体要求\n 到2027年，物流成本明显下降。\n"
               " 国务院办公厅 \u00a0 \u00a0\n 2024年3月8日\u00a0\u00a0\n （此件公开发布）\n")
    assert doc.title == "国务院办公厅关于加快发展现代物流产业的指导意见"
    assert (doc.doc_number, doc.issuer, doc.issue_date, doc.kind) == (
        "国办发〔2024〕9号", "国务院办公厅", "2024-03-08", "opinion")
    assert doc.jurisdiction is None  # a national body: the whole country
    assert [item.label for item in doc.items] == ["一、"]  # the signature is no item text
    assert doc.items[0].body.text == "总体要求到2027年，物流成本明显下降。"


@pytest.mark.parametrize(
    ("doc_number", "issuer", "jurisdiction"),
    [("国发〔2024〕3号", "国务院", None), ("国办函〔2024〕3号", "国务院办公厅", None),
     ("赣府字〔2020〕12号", "江西省人民政府", "江西省"), ("辽政发〔2021〕5号", "辽宁省人民政府", "辽宁省"),
     ("川办发〔2021〕93号", "四川省人民政府办公厅", "四川省"), ("粤府办〔2022〕7号", "广东省人民政府办公厅", "广东省"),
     ("新政发〔2023〕1号", "新疆维吾尔自治区人民政府", "新疆维吾尔自治区"), ("某财发〔2023〕1号", None, None)],
)
def test_issuer_from_the_doc_number_prefix(doc_number, issuer, jurisdiction):
    doc = only(f"关于加快发展数字经济的意见\n{doc_number}\n一、总体要求\n")
    assert (doc.issuer, doc.jurisdiction) == (issuer, jurisdiction)


def test_an_issuer_line_before_the_title():
    # 003:1-5 "四川省人民政府" / "印发关于支持中小微实体经济企业…" / "川府发〔2014〕54 号"
    doc = only("贵州省人民政府\n关于加快建设现代化产业体系的实施意见\n（2023年2月8日）\n一、总体要求\n")
    assert (doc.title, doc.issuer, doc.issue_date, doc.jurisdiction) == (
        "关于加快建设现代化产业体系的实施意见", "贵州省人民政府", "2023-02-08", "贵州省")


def test_a_title_after_page_furniture():
    doc = only("下载\n打印\n【字体：\n大\n中\n小\n】\n某市关于促进消费扩容提质的若干措施\n来源：某市政府网\n一、扩大消费。\n")
    assert (doc.title, doc.kind, doc.line_start) == ("某市关于促进消费扩容提质的若干措施", "measures", 8)


def test_a_work_report_title_delivery_line_and_speaker():
    doc = only("政府工作报告\n——2026年1月20日在某某省第十四届\n人民代表大会第五次会议上\n某某省省长 张三\n"
               "各位代表：\n现在，我代表省人民政府，向大会报告工作。\n一、2025年工作回顾\n")
    assert (doc.title, doc.issue_date, doc.issuer, doc.jurisdiction, doc.kind) == (
        "政府工作报告", "2026-01-20", "某某省人民政府", "某某省", "other")
    assert doc.items[0].body.text.startswith("现在，我代表省人民政府")


def test_a_work_report_with_its_place_in_the_title_and_a_bracketed_delivery_line():
    doc = only("2026年某某自治区政府工作报告\n（2026年1月27日在某某自治区第十四届人民代表大会第四次会议上）\n"
               "自治区主席 张三\n各位代表：\n一、工作回顾\n")
    assert (doc.issue_date, doc.issuer, doc.jurisdiction) == ("2026-01-27", "某某自治区人民政府", "某某自治区")


def test_an_adoption_note_gives_the_date_of_the_version():
    # 001:2 "(2018年6月30日中国共产党四川省第十一届委员会第三次全体会议通过)"
    (doc,) = segment_text("中共某某省委关于推进乡村振兴的决定\n（2022年6月30日中国共产党某某省第十二届委员会第三次全体会议通过）\n一、总体要求\n")
    assert (doc.issuer, doc.issue_date, doc.kind) == ("中共某某省委", "2022-06-30", "decision")


def test_a_text_without_title_issuer_or_date_keeps_nulls():
    doc = only("为加快旅游产业发展，结合我县实际，提出如下意见。\n一、景区建设\n1.对新评定的4A级景区给予奖励。\n")
    assert (doc.title, doc.issuer, doc.issue_date, doc.doc_number, doc.jurisdiction) == (None,) * 5
    assert doc.kind == "opinion" and doc.line_start == 1


def test_an_effective_date_is_not_the_issue_date():
    doc = only("为加快旅游产业发展，提出如下意见。\n一、奖励政策\n本意见自2019年1月1日起执行。\n")
    assert doc.issue_date is None


def test_an_untitled_notice_and_the_document_it_issues():
    docs = segment_text("各市人民政府：\n《关于金融支持小微企业发展的若干措施》已经省政府同意，现印发给你们，请认真贯彻执行。\n"
                        "2020年2月9日\u3000\u3000\n（此件主动公开）\n为支持小微企业发展，制定以下措施。\n1.加大信贷投放。\n")
    notice, measures = docs
    assert (notice.title, notice.kind, notice.issue_date) == (None, "notice", "2020-02-09")
    assert (measures.title, measures.kind, measures.issue_date, measures.parent) == (
        "关于金融支持小微企业发展的若干措施", "measures", "2020-02-09", 0)
    assert measures.line_start == 5


def test_a_signature_naming_its_issuer_when_nothing_else_does():
    doc = only("各设区市市场监管局：\n一、加强食品安全监管。\n某某省市场监管局\n2020年2月14日\n（此件主动公开）\n")
    assert (doc.issuer, doc.issue_date, doc.jurisdiction) == ("某某省市场监管局", "2020-02-14", "某某省")


@pytest.mark.parametrize(
    ("issuer", "place"),
    [("贵州省人民政府", "贵州省"), ("广州市人民政府", "广州市"), ("凉山彝族自治州人民政府", "凉山彝族自治州"),
     ("中共四川省委", "四川省"), ("国务院办公厅", None)],
)
def test_jurisdiction_of_an_issuer(issuer, place):
    assert jurisdiction_of(issuer) == place


# ---------------------------------------------------------------- numbering in every form


def labelled(text: str):
    doc = only(decode(("关于测试编号样式的实施办法\n" + text).encode(), "x.txt"))
    return [(i.label, i.level, i.body.text) for i in doc.items if i.label]


def test_labels_with_spaces_inside():
    assert labelled("第 1 条 总则。\n第 1 0 条 附则。\n二 、 保障\n（ 3 ） 细则。") == [
        ("第1条", 1, "总则。"), ("第10条", 1, "附则。"), ("二、", 2, "保障"), ("（3）", 3, "细则。")]


def test_chapters_articles_and_paragraphs():
    got = labelled("第一章 总则\n第一条 目的。\n第二条 范围。\n第一款 甲。\n第二章 附则\n第3条 施行。")
    assert [(label, level) for label, level, _ in got] == [
        ("第一章", 1), ("第一条", 2), ("第二条", 2), ("第一款", 3), ("第二章", 1), ("第3条", 2)]


def test_parenthesised_closing_latin_and_roman_labels():
    got = labelled("⑴甲项。\n⑵乙项。\n1)子项。\n2）子项。\na)细项。\n（b）细项。\ni.要点。\nii.要点。")
    assert [(label, level) for label, level, _ in got] == [
        ("(1)", 1), ("(2)", 1), ("1)", 2), ("2）", 2), ("a)", 3), ("（b）", 4), ("i.", 5), ("ii.", 5)]


def test_decimal_outline_with_its_top_level():
    # the top level prints a number and a gap: 1　总则
    got = labelled("1\u3000总则\n1.1\u3000编制目的。\n1.1.1 适用范围。\n1.2 工作原则。\n2\u3000组织机构\n2.1 指挥部。")
    assert [(label, level) for label, level, _ in got] == [
        ("1", 1), ("1.1", 2), ("1.1.1", 3), ("1.2", 2), ("2", 1), ("2.1", 2)]
    assert got[0][2] == "总则"


def test_a_number_that_opens_a_sentence_is_no_label():
    got = labelled("一、目标\n2.5亿元用于奖励。\n30 家企业获得支持。\n2.4%左右。")
    assert got == [("一、", 1, "目标2.5亿元用于奖励。30家企业获得支持。2.4%左右。")]


def test_yi_shi_er_shi_stays_text():
    assert labelled("一、保障措施\n一是加强组织领导，二是强化督导考核。") == [
        ("一、", 1, "保障措施一是加强组织领导，二是强化督导考核。")]


def test_items_numbered_past_999():
    got = labelled("998.甲。\n999.乙。\n1000.丙。\n1001.丁。\n第一千零一条 戊。")
    assert [label for label, _, _ in got] == ["998.", "999.", "1000.", "1001.", "第一千零一条"]
    assert label_value("1001.", "num.") == 1001 and label_value("第一千零一条", "第条") == 1001


def test_an_item_printing_only_its_label_is_an_item():
    got = labelled("一、重点任务\n（一）\n（二）完善机制。\n二、\n")
    assert got == [("一、", 1, "重点任务"), ("（一）", 2, ""), ("（二）", 2, "完善机制。"), ("二、", 1, "")]


def test_numbered_rows_of_a_table_are_items():
    got = labelled("一、主要指标\n序号\t指标\t目标值\t属性\n1\t地区生产总值增速\t6%左右\t预期性\n"
                   "2  研发投入强度  2.5%  预期性\n二、重点任务")
    assert [(label, level) for label, level, _ in got] == [("一、", 1), ("1", 2), ("2", 2), ("二、", 1)]
    assert got[1][2] == "地区生产总值增速6%左右预期性"


def test_notes_and_a_glossary_start_their_numbering_again():
    doc = only("关于测试的实施意见\n一、主要任务\n（一）加快发展。\n1.建设园区。\n注：\n1.本意见所称园区是指开发区。\n"
               "名词解释\n1.“两新”：是指设备更新和以旧换新。")
    rows = [(i.label, i.parent, i.section) for i in doc.items]
    assert rows == [("一、", None, None), ("（一）", 0, None), ("1.", 1, None), (None, None, "注："),
                    ("1.", None, "注："), (None, None, "名词解释"), ("1.", None, "名词解释")]


def test_a_web_page_metadata_table_fills_what_the_text_does_not_print():
    docs = segment_text("索 引 号：000014349/2024-00001\n发文机关：\n某某省人民政府\n成文日期：2024-03-05\n"
                        "标　　题：某某省人民政府关于加快发展数字经济的意见\n发布日期：2024年03月20日\n"
                        "各市人民政府：\n一、总体要求\n")
    (doc,) = docs
    assert (doc.title, doc.issuer, doc.issue_date, doc.kind, doc.jurisdiction) == (
        "某某省人民政府关于加快发展数字经济的意见", "某某省人民政府", "2024-03-05", "opinion", "某某省")
    assert [item.label for item in doc.items if item.label] == ["一、"]
    assert doc.line_start == 7  # the metadata is the page's, not the document's text


def test_an_adoption_note_with_revisions_dates_the_version_printed():
    doc = only("某某条例\n（2001年3月4日某某省人民政府令第6号发布　根据2018年11月6日某某省人民政府令第70号修订）\n第一条 目的。\n")
    assert doc.issue_date == "2018-11-06"


def test_a_figure_caption_is_no_title_and_a_letter_issuing_a_plan_is_its_parent():
    docs = segment_text("国务院办公厅关于印发国家某某应急预案的函\n国办函〔2024〕5号\n各省人民政府：\n"
                        "《国家某某应急预案》已经国务院同意，现印发给你们。\n国务院办公厅\n2024年6月11日\n"
                        "国家某某应急预案\n1 总则\n图1 号牌编码规则\n")
    letter, plan = docs
    assert (letter.kind, plan.title, plan.parent, plan.issuer, plan.issue_date) == (
        "other", "国家某某应急预案", 0, "国务院办公厅", "2024-06-11")


def test_a_red_header_document_and_its_printing_line():
    doc = only("某某省人民政府文件\n某府发〔2024〕3号\n某某省人民政府\n关于加快发展数字经济的意见\n各市人民政府：\n"
               "一、总体要求\n某某省人民政府\n2024年1月8日\n（此件公开发布）\n抄送：省委各部门。\n"
               "某某省人民政府办公厅　2024年1月9日印发\n")
    assert (doc.title, doc.issuer, doc.doc_number, doc.issue_date) == (
        "关于加快发展数字经济的意见", "某某省人民政府", "某府发〔2024〕3号", "2024-01-08")
    assert [item.label for item in doc.items] == ["一、"]


def test_rows_of_a_table_printed_one_cell_a_line_keep_their_numbers():
    # an HTML table saved as text: each cell on its own line, the 序号 cell a lone number
    got = labelled("序号\n改革举措\n推广范围\n一、知识产权方面\n1\n快速审判机制\n全国\n2\n专利保险机制\n全国\n"
                   "二、科技金融方面\n3\n科技创新专板\n全国\n— 4 —\n")
    assert [(label, level, text) for label, level, text in got] == [
        ("一、", 1, "知识产权方面"), ("1", 2, "快速审判机制全国"), ("2", 2, "专利保险机制全国"),
        ("二、", 1, "科技金融方面"), ("3", 2, "科技创新专板全国")]  # — 4 — stays a page number
