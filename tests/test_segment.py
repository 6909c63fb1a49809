"""Document splitting and numbered items, on every seed and on small texts for the rest."""
from __future__ import annotations

from pipeline.clean import clean_lines
from pipeline.segment import parse_date, segment_file


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
