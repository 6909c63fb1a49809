"""Cleaning repairs: each test quotes the seed line it is about."""
from __future__ import annotations

import codecs

import pytest
from conftest import seed_text

from pipeline.clean import clean_lines, decode, join_paragraphs, squeeze, undouble
from pipeline.errors import InputError


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
