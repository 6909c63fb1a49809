"""Cleaning repairs: each test quotes the seed line it is about."""
from __future__ import annotations

import codecs

import pytest
from conftest import seed_text

from pipeline.clean import clean_lines, decode, join_paragraphs, squeeze, undouble
from pipeline.errors import InputError
from pipeline.segment import segment_file


def segment_text(text: str):
    return segment_file(clean_lines(text), text.split("\n"))


def paragraphs_of(prefix: str):
    return join_paragraphs(clean_lines(seed_text(prefix)))


def paragraph_starting(prefix: str, start: str):
    return next(p for p in paragraphs_of(prefix) if p.text.startswith(start))


def test_spaced_decimal_is_repaired():
    # 002:47 "左右,全社会研发投入强度达到 2. 4% 左右。"
    assert squeeze("左右,全社会研发投入强度达到 2. 4% 左右。") == "左右,全社会研发投入强度达到2.4%左右。"


def test_letter_spaced_words_are_rejoined():
    # 002:330 "基础 设 施。 布 局 数 据 资 源 和 智 能"
    assert squeeze("基础 设 施。 布 局 数 据 资 源 和 智 能") == "基础设施。布局数据资源和智能"


def test_space_between_latin_words_is_kept():
    assert squeeze("支持 Data  Package 格式") == "支持Data Package格式"


def test_line_broken_mid_word_is_rejoined_with_its_line_numbers():
    # 002:10-12 "…立足新发展阶段、贯" / "彻新发展理念…"
    para = paragraph_starting("002", "为顺应新一轮科技革命")
    assert "立足新发展阶段、贯彻新发展理念" in para.text
    assert para.line_at(para.text.index("贯彻")) == 10
    assert para.line_at(para.text.index("彻新")) == 12


def test_page_number_between_lines_is_removed():
    # 002:78-80 "…燃" / "—2—" / "机、轨道交通"
    para = paragraph_starting("002", "(一)加速突破前沿技术")
    assert "航空与燃机、轨道交通" in para.text
    assert "—2—" not in para.text


def test_lone_page_number_is_removed():
    # 003:2028 "29" alone on its line before "附件"
    numbers = {line.number for line in clean_lines(seed_text("003"))}
    assert 2028 not in numbers and 2030 in numbers


def test_bookmark_artefact_is_removed():
    # 001:107 "[bookmark: _GoBack]12.推动品质革命和品牌创建。"
    para = paragraph_starting("001", "12.推动品质革命和品牌创建")
    assert para.line_start == 107


def test_magazine_title_printed_twice_is_read_once():
    # 000:57 "四川：推动财政高质量发展四川：推动财政高质量发展"
    assert undouble("四川：推动财政高质量发展四川：推动财政高质量发展") == ("四川：推动财政高质量发展", True)
    # 000:58 "      加快形成新质生产力      加快形成新质生产力"
    assert undouble("      加快形成新质生产力      加快形成新质生产力") == ("加快形成新质生产力", True)


def test_editor_credit_is_dropped():
    # 000:55 "责任编辑  雷艳"
    assert not any("雷艳" in p.text for p in paragraphs_of("000"))


def test_heading_and_numbered_items_stay_separate_paragraphs():
    # 004:15-16 "二、打造先进制造业集群" directly followed by "（三）培育世界级产业集群。…"
    texts = [p.text for p in paragraphs_of("004")]
    assert "二、打造先进制造业集群" in texts


def test_clause_line_closing_an_item_ends_the_paragraph():
    # 002:108-110 "…省发展改革委、科技厅)" then "(四)高端装备制造产业。"
    para = paragraph_starting("002", "(三)新一代信息技术")
    assert para.text.endswith("(责任单位:经济和信息化厅,省发展改革委、科技厅)")


def test_running_title_repeated_at_page_starts_is_removed():
    text = "\n".join(
        [" 某市政策汇编", "第一段正文。", " 某市政策汇编", "第二段正文。", " 某市政策汇编", "第三段正文。"]
    )
    assert [line.text for line in clean_lines(text)] == ["第一段正文。", "第二段正文。", "第三段正文。"]


@pytest.mark.parametrize(
    "data",
    [
        "一、总体要求\n".encode(),
        codecs.BOM_UTF8 + "一、总体要求\n".encode(),
        "一、总体要求\n".encode("gb18030"),
        "一、总体要求\n".encode("utf-16"),
    ],
    ids=["utf-8", "utf-8-bom", "gb18030", "utf-16-bom"],
)
def test_decodes_the_encodings_policy_texts_come_in(data):
    assert decode(data, "x.txt").strip() == "一、总体要求"


@pytest.mark.parametrize(
    ("data", "code"),
    [(b"", "empty"), (b"  \n\t\n", "empty"), (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
     (b"\xe4\xb8\x80\x80\x80\xff", "encoding"), (b"plain ascii only\n", "not_chinese")],
)
def test_unreadable_input_is_a_clear_error_naming_the_file(data, code):
    with pytest.raises(InputError) as caught:
        decode(data, "bad name.txt")
    assert caught.value.code == code
    assert "bad name.txt" in str(caught.value)


# ---------------------------------------------------------------- web residue and characters
# Small texts written for these tests: a county notice saved from a web page, a PDF extraction.


def decoded(text: str) -> str:
    return decode(text.encode("utf-8"), "x.txt")


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("为推进&nbsp;旅游业发展", "为推进\u00a0旅游业发展"),
        ("打造&ldquo;全域旅游&rdquo;品牌", "打造“全域旅游”品牌"),
        ("&#12288;&#12288;一、总体要求", "\u3000\u3000一、总体要求"),
        ("&#x3000;二、主要任务", "\u3000二、主要任务"),
        ("给予&amp;nbsp;奖励", "给予\u00a0奖励"),  # an entity written as an entity
        ("&nbsp&nbsp第一条", "\u00a0\u00a0第一条"),  # a crawler dropped the semicolons
        ("研发&foo;投入", "研发&foo;投入"),  # not an entity HTML knows: kept as printed
    ],
)
def test_html_entities_are_decoded(raw, clean):
    assert decoded(raw) == clean


def test_an_entity_never_adds_a_line():
    # `&#10;` is a line feed: it becomes a space, so the raw line numbers stay those of grep -n
    assert decoded("第一段&#10;正文。\n第二段。").split("\n") == ["第一段 正文。", "第二段。"]


def test_tag_residue_is_dropped_and_blocks_end_lines_of_layout():
    text = decoded('<p style="text-indent:2em">一、总体要求</p><br/><span>（一）指导思想。</span>\n'
                   "<td>1</td><td>新增就业</td><!-- 注释 -->\n增长<5%以内。")
    lines = clean_lines(text)
    assert [(line.number, line.text) for line in lines] == [
        (1, "一、总体要求"), (1, "（一）指导思想。"), (2, "1\t新增就业"), (3, "增长<5%以内。")]


def test_invisible_characters_split_no_number_label_or_name():
    text = decoded("第\u00ad十条\u200b 安排资金1\u200b0\u200d00万元，由省\u2060财政厅\u202a负责。\ufeff")
    (doc,) = segment_text(text)
    (item,) = doc.items
    assert item.label == "第十条"
    assert item.body.text == "安排资金1000万元，由省财政厅负责。"


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("⼀、⼯作⽬标", "一、工作目标"),  # Kangxi radicals a PDF extraction emits for ideographs
        ("⻓江经济带⻔户", "长江经济带门户"),  # radical-supplement forms (radical_forms.csv)
        ("⑴加强领导", "(1)加强领导"),
        ("⒉完善机制", "2.完善机制"),
        ("㈢保障措施", "(三)保障措施"),
        ("劣Ⅴ类水体", "劣V类水体"),  # 003:2260 "基本消除劣Ⅴ类水体"
        ("①加强统筹（一）", "①加强统筹（一）"),  # circled labels and full-width brackets as printed
        ("２０２５年达到１０％", "2025年达到10%"),
    ],
)
def test_compatibility_forms_are_read_as_the_characters_meant(raw, clean):
    assert decoded(raw) == clean


def test_cr_crlf_and_lf_mixed_keep_grep_line_numbers():
    # CRLF is one line end; a lone CR ends a line of layout inside the same raw line.
    text = decoded("一、总体要求\r\n（一）指导思想。\r（二）基本原则。\n二、主要任务")
    assert text.count("\n") == 2
    assert [(line.number, line.text) for line in clean_lines(text)] == [
        (1, "一、总体要求"), (2, "（一）指导思想。"), (2, "（二）基本原则。"), (3, "二、主要任务")]


def test_a_file_ending_its_lines_with_cr_alone_is_numbered_by_them():
    assert [line.number for line in clean_lines(decoded("一、甲\r二、乙\r三、丙"))] == [1, 2, 3]


def test_a_form_feed_starts_a_page():
    lines = clean_lines("第一页的正文。\n\x0c第二页的正文。")
    assert [(line.text, line.page_start) for line in lines] == [("第一页的正文。", False), ("第二页的正文。", True)]


# ---------------------------------------------------------------- web-page furniture

WEB_PAGE = """下载
打印
全屏
【字号：
加大
还原
】
某县关于加快旅游产业发展的若干意见
2024年3月1日 09时30分
来源：
某县人民政府网
时间：2024-03-01
分享到：微信微博
各乡镇人民政府：
为加快旅游产业发展，提出如下意见。
时间：2024年3月5日至8日
一、旅游景区建设。
责任编辑：
张三
扫一扫在手机打开当前页
相关报道：
某县召开旅游工作会议
9f86d081884c7d659a2feaa0c55ad015:
某县旅游产业发展综述
"""


def test_web_page_furniture_is_dropped_and_counted():
    warnings: list[str] = []
    lines = clean_lines(WEB_PAGE, "page.txt", warnings)
    assert [line.text for line in lines] == [
        "某县关于加快旅游产业发展的若干意见", "各乡镇人民政府：", "为加快旅游产业发展，提出如下意见。",
        "时间：2024年3月5日至8日",  # a time in the text, not the page's timestamp
        "一、旅游景区建设。"]
    (warning,) = warnings
    assert warning.startswith("page.txt:1: 19 line(s) of web-page furniture dropped (下载、打印")


def test_a_photo_credit_and_a_one_line_font_menu_are_furniture():
    lines = clean_lines("政府工作报告。 新华社记者 李四 摄\n【字号：大 中 小】\n政府工作报告\n各位代表：")
    assert [line.text for line in lines] == ["政府工作报告", "各位代表："]


def test_a_short_line_of_text_is_not_furniture():
    # 002:18 "一、指导思想" and a lone 大 outside any font-size menu stay
    assert [line.text for line in clean_lines("一、指导思想\n大\n收藏家协会")] == ["一、指导思想", "大", "收藏家协会"]


def test_a_wider_gap_than_usual_ends_a_paragraph():
    # Every line is followed by one blank line (as in the seeds); three blank lines are a break.
    body = ["各地要加强组织领导，建立健全工作机制，明确", "责任分工，完善配套政策，加大资金投入力度，", "确保各项任务落到实处，取得实效。",
            "各地要及时总结推广好的经验做法，加强宣传和", "舆论引导，营造良好氛围，推动工作取得实效。"]
    text = "\n\n".join(body[:3]) + "\n\n\n\n" + "\n\n".join(body[3:])
    assert [p.text for p in join_paragraphs(clean_lines(text))] == ["".join(body[:3]), "".join(body[3:])]
    # the same lines with the usual spacing everywhere are joined as the layout shows
    assert len(join_paragraphs(clean_lines("\n\n".join(body)))) == 2


def test_a_page_number_between_blank_lines_is_no_gap():
    # 002:70-76 "…燃" / "—2—" (three blank lines around it) / "机、轨道交通…" is one paragraph
    para = paragraph_starting("002", "(一)加速突破前沿技术")
    assert "航空与燃机、轨道交通" in para.text


def test_the_build_reports_the_furniture_it_dropped(tmp_path):
    from pipeline.build import process_file

    (tmp_path / "page.txt").write_text(WEB_PAGE, encoding="utf-8")
    result = process_file(str(tmp_path / "page.txt"), str(tmp_path))
    assert "page.txt:1: 19 line(s) of web-page furniture dropped" in " ".join(result.records.warnings)


def test_breadcrumbs_button_rows_and_label_rows_are_furniture():
    page = ("当前位置：首页 > 政务公开 > 政策文件\n【打印本页】【关闭窗口】\n打印本页 关闭窗口\n"
            "发布时间：2024-03-01 来源：某市政府网 浏览次数：12\n关于加快发展的意见\n一、总体要求\n")
    assert [line.text for line in clean_lines(page)] == ["关于加快发展的意见", "一、总体要求"]


def test_a_circled_number_under_a_numbered_table_is_text_not_a_row_number():
    """`①` is a digit to str.isdigit but not a number int() reads: under a 序号 column it is
    kept as text, not taken for the next row's number (it used to stop the build)."""
    text = "序号\t任务\t责任单位\n1\n完善园区基础设施\n①\n省发展改革委\n"
    lines = clean_lines(text)
    assert "①" in [line.text.strip() for line in lines]


def test_a_label_before_a_line_of_zero_width_characters_alone():
    """A label (`来源：`) whose next line holds only zero-width characters: that line has no
    compact text, so it is no value of the label (reading its last character stopped the build)."""
    lines = clean_lines("来源：\n\u200b\n关于加快发展的意见")
    assert [line.compact for line in lines][-1] == "关于加快发展的意见"
