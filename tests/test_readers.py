"""The readers (pipeline/readers) on real files made at test time by the libraries and
templates of each format (scripts/formats.py): a Word file with Word's own list numbering and
a table, a two-page PDF in a CJK font with a running header and page numbers, a GBK web page
with navigation, an index table, share buttons, related links and a footer.

The policy text is `formats.example()`, written for these tests.
"""
from __future__ import annotations

import io
import json
import re
import sys
from pathlib import Path

import pytest
from conftest import ROOT
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.build import build, discover_seeds, process_file
from pipeline.errors import InputError
from pipeline.explain import explain
from pipeline.readers import read_source, sniffed_format
from pipeline.readers.docx import format_number
from pipeline.readers.html import read_html
from pipeline.readers.text import plain_markdown

sys.path.insert(0, str(ROOT / "scripts"))
import formats  # noqa: E402

EXAMPLE = formats.example()
TABLE_ROWS = [
    "序号\t工作任务\t责任单位\t配合单位\t时间进度",
    "1\t建设测试仪器公共服务平台\t经济和信息化厅\t科技厅、财政厅\t2025年底前",
    "2\t组织实施关键技术攻关项目\t科技厅\t经济和信息化厅\t2024-2027年",
    "3\t推进首台套产品示范应用\t经济和信息化厅\t省市场监管局\t2024年起持续推进",
]
# Columns that name where a row comes from rather than what the document says.
PROVENANCE = {"document_id", "measure_id", "parent_measure_id", "parent_document_id", "amount_id",
              "target_id", "source_file", "source_format", "source_sha256", "line_start", "line_end",
              "line", "page_start", "page_end"}


@pytest.fixture(scope="module")
def files(tmp_path_factory) -> dict[str, Path]:
    return formats.write_all(EXAMPLE, tmp_path_factory.mktemp("formats"), "example")


def lines_of(path: Path) -> list[str]:
    return read_source(path.read_bytes(), path.name).text.split("\n")


# ---------------------------------------------------------------- DOCX


def test_docx_prints_word_list_numbering_and_reads_tables_by_cell(files):
    lines = lines_of(files["docx"])
    labels = [re.match(r"^(?:[一二三]、|（[一二三]）|\d\.)", line) for line in lines]
    assert [m.group() for m in labels if m] == [
        "一、", "二、", "（一）", "1.", "2.", "（二）", "（三）",  # level 3 under （一）, level 2 counts on
        "三、", "（一）", "（二）", "（三）"]  # a new level-1 item restarts level 2
    assert "（一）强化创新能力。支持企业建设研发中心，对新认定的国家级技术创新示范企业给予一次性奖励300万元。" \
        "（责任单位：经济和信息化厅、科技厅）" in lines
    assert lines[-4:] == TABLE_ROWS


def numbered_docx(pattern_format: str, pattern: str, override: int | None = None) -> bytes:
    """A Word file with three items numbered by one level of `pattern_format`, the third in a
    second list that restarts at `override` (startOverride)."""
    import docx
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls, qn

    document = docx.Document()
    numbering = document.part.numbering_part.element
    numbering.find(qn("w:num")).addprevious(parse_xml(
        f'<w:abstractNum {nsdecls("w")} w:abstractNumId="77"><w:lvl w:ilvl="0"><w:start w:val="9"/>'
        f'<w:numFmt w:val="{pattern_format}"/><w:lvlText w:val="{pattern}"/></w:lvl></w:abstractNum>'))
    numbering.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="77"><w:abstractNumId w:val="77"/></w:num>'))
    restart = f'<w:lvlOverride w:ilvl="0"><w:startOverride w:val="{override}"/></w:lvlOverride>' if override else ""
    numbering.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="78"><w:abstractNumId w:val="77"/>{restart}</w:num>'))
    for num_id, text in ((77, "加强组织领导。"), (77, "加大资金投入。"), (78, "强化督促检查。")):
        paragraph = document.add_paragraph(text)
        num_pr = paragraph._p.get_or_add_pPr().get_or_add_numPr()
        num_pr.get_or_add_ilvl().val = 0
        num_pr.get_or_add_numId().val = num_id
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize(("number_format", "pattern", "override", "labels"), [
    ("chineseCounting", "%1、", None, ["九、", "十、", "十一、"]),  # a second num of one list counts on
    ("chineseCountingThousand", "（%1）", 1, ["（九）", "（十）", "（一）"]),  # startOverride restarts
    ("decimalEnclosedCircle", "%1", None, ["⑨", "⑩", "⑪"]),
    ("decimal", "第%1条", None, ["第9条", "第10条", "第11条"]),
    ("bullet", "\uf0b7", None, ["", "", ""]),  # a bullet is no label
])
def test_docx_number_formats(number_format, pattern, override, labels):
    text = read_source(numbered_docx(number_format, pattern, override), "list.docx").text
    texts = ("加强组织领导。", "加大资金投入。", "强化督促检查。")
    # the level's default suffix is a tab, read as a space
    assert text.split("\n") == [f"{label} {body}" if label else f" {body}".strip() for label, body in zip(labels, texts)]


def test_word_number_formats():
    assert [format_number(n, "chineseCounting") for n in (1, 10, 11, 20, 21)] == ["一", "十", "十一", "二十", "二十一"]
    assert format_number(3, "chineseLegalSimplified") == "叁"
    assert format_number(14, "upperRoman") == "XIV" and format_number(27, "lowerLetter") == "aa"
    assert format_number(2, "ideographTraditional") == "乙" and format_number(3, "ideographEnclosedCircle") == "㈢"


# ---------------------------------------------------------------- PDF


def test_pdf_pages_in_reading_order_without_header_or_page_numbers(files):
    reading = read_source(files["pdf"].read_bytes(), "example.pdf")
    lines = reading.text.split("\n")
    assert reading.source_format == "pdf" and len(lines) == len(reading.line_pages)
    assert set(reading.line_pages) == {1, 2} and list(reading.line_pages) == sorted(reading.line_pages)
    assert formats.RUNNING_HEADER not in reading.text and "—" not in reading.text
    # the title wraps over two printed lines; the text follows in order
    assert "".join(lines[:2]) == "四川省人民政府办公厅关于促进测试仪器产业高质量发展的若干措施"
    assert lines[2:4] == ["川办发〔2024〕31号", "各市（州）人民政府，省政府各部门、各直属机构："]
    # the table, found by its ruled lines, is read by cell on page 2
    assert lines[-4:] == TABLE_ROWS and reading.line_pages[-4:] == (2, 2, 2, 2)
    assert reading.line_pages[lines.index("2024年6月18日")] == 1


def scanned_pdf() -> bytes:
    """Two pages holding only drawings: what a scan without OCR looks like to a reader."""
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, invariant=1)
    for _ in range(2):
        page.rect(72, 72, 400, 600, fill=1)
        page.showPage()
    page.save()
    return buffer.getvalue()


def test_a_scanned_pdf_is_refused_clearly():
    with pytest.raises(InputError) as raised:
        read_source(scanned_pdf(), "scan.pdf")
    assert raised.value.code == "no_text_layer"
    assert "no text layer on any of its 2 page(s)" in str(raised.value) and "OCR" in str(raised.value)


def test_a_protected_or_broken_pdf_is_named():
    with pytest.raises(InputError) as raised:
        read_source(b"%PDF-1.7\n1 0 obj <<", "broken.pdf")
    assert raised.value.code == "unreadable" and str(raised.value).startswith("broken.pdf: not a readable PDF")


# ---------------------------------------------------------------- HTML


def test_html_main_content_only(files):
    data = files["html"].read_bytes()
    assert b'charset=gbk' in data and "测试".encode("gbk") in data
    lines = lines_of(files["html"])
    boilerplate = ("首页", "无障碍", "当前位置", "索引号", "来源：", "分享到", "打印本页", "相关文件",
                   "版权所有", "蜀ICP备", "脚本", "请输入")
    assert [line for line in lines if any(word in line for word in boilerplate)] == []
    assert lines[0] == "四川省人民政府办公厅关于促进测试仪器产业高质量发展的若干措施"  # from the <h1>
    assert lines[1] == "川办发〔2024〕31号"
    assert lines[-4:] == TABLE_ROWS
    # items the page separates with <br> are lines of their own
    assert any(line.startswith("（二）壮大市场主体。") for line in lines)
    assert lines == [line for line in lines_of(files["txt"]) if line]


def test_html_encoding_declared_wrong_or_missing_is_sniffed(files):
    page = files["html"].read_bytes()
    warnings: list[str] = []
    mislabelled = read_html(page.replace(b"charset=gbk", b"charset=utf-8"), "page.html", warnings)
    assert mislabelled == read_html(page, "page.html", [])
    assert warnings and "declares utf-8 but is not" in warnings[0]
    assert read_html(page.replace(b"charset=gbk", b""), "page.html", []) == mislabelled


def test_html_layout_tables_are_read_as_blocks():
    menu = "".join(f'<a href="/c{i}">栏目{i}</a> | ' for i in range(12))
    body = "".join(f"<p>{text}</p>" for text in formats.as_text(EXAMPLE[:8]).split("\n") if text)
    page = (f"<html><head><title>测试</title></head><body><table><tr><td>{menu}</td></tr>"
            f"<tr><td><table><tr><td class=\"b12c\">{body}</td></tr></table></td></tr>"
            "<tr><td>版权所有 主办单位：测试办公室</td></tr></table></body></html>")
    lines = read_html(page.encode(), "old.htm", []).split("\n")
    assert lines == [line for line in formats.as_text(EXAMPLE[:8]).split("\n") if line]


@pytest.mark.parametrize(("head", "heading", "first"), [
    ('<title>省政府文件_关于加快测试产业发展的通知_四川省人民政府网站</title>', "", "关于加快测试产业发展的通知"),
    ('<meta name="ArticleTitle" content="关于加快测试产业发展的通知"><title>首页</title>', "", "关于加快测试产业发展的通知"),
    ("<title>四川省人民政府网站</title>", "<h1>政策解读</h1>", "测试产业发展很快，成效明显。"),  # no document title
])
def test_html_title_from_the_page_when_the_content_lacks_it(head, heading, first):
    page = f"<html><head>{head}</head><body>{heading}<div><p>测试产业发展很快，成效明显。</p><p>二、加强领导。</p></div></body></html>"
    assert read_html(page.encode(), "page.html", []).split("\n")[0] == first


def test_a_web_page_saved_as_txt_is_read_as_html(files, tmp_path):
    (tmp_path / "page.txt").write_bytes(files["html"].read_bytes())
    result = process_file(str(tmp_path / "page.txt"), str(tmp_path))
    assert result.error is None
    [document, _] = result.rows()["documents"]
    assert document["source_format"] == "html" and "<" not in json.dumps(result.rows(), ensure_ascii=False)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.text(alphabet="测试产业发展资金政策支持企业。，；", min_size=1, max_size=40), min_size=1, max_size=8))
def test_html_paragraphs_come_back_as_lines(paragraphs):
    paragraphs = [p for p in paragraphs if p.strip("。，；")] or ["测试产业"]
    page = "<html><body><div>" + "".join(f"<p>{p}</p>" for p in paragraphs) + "</div></body></html>"
    assert read_html(page.encode(), "p.html", []).split("\n") == paragraphs


# ---------------------------------------------------------------- Markdown and plain text


def test_markdown_keeps_line_numbers_and_drops_markup():
    source = "# 关于测试的通知\n\n**一、总体要求**\n\n1. 加强领导，[详见附件](a.pdf)。\n2. 落实责任。\n\n| 序号 | 任务 |\n|---|---|\n| 1 | 建设平台 |\n"
    assert plain_markdown(source).split("\n") == [
        "关于测试的通知", "", "一、总体要求", "", "1.加强领导，详见附件。", "2.落实责任。", "",
        "序号\t任务", "", "1\t建设平台", ""]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(alphabet="测试产业一二（）、。，0123456789", max_size=30), max_size=10))
def test_markdown_without_markup_is_its_own_text(lines):
    text = "\n".join(line.strip() for line in lines)
    assert plain_markdown(text) == text


def test_format_is_told_by_content_first(files):
    assert sniffed_format(files["pdf"].read_bytes()) == "pdf"
    assert sniffed_format(files["docx"].read_bytes()) == "docx"
    assert sniffed_format(files["html"].read_bytes()) == "html"
    assert sniffed_format(files["txt"].read_bytes()) is None
    assert read_source(files["txt"].read_bytes(), "EXAMPLE.TXT").source_format == "txt"


# ---------------------------------------------------------------- the same document in every format


def records(path: Path) -> dict[str, list[dict]]:
    result = process_file(str(path), str(path.parent))
    assert result.error is None, result.error
    return result.rows()


def without_provenance(rows: dict[str, list[dict]]) -> dict[str, list[dict]]:
    return {name: [{k: v for k, v in row.items() if k not in PROVENANCE} for row in table]
            for name, table in rows.items()}


@pytest.mark.parametrize("source_format", ["md", "html", "docx", "pdf"])
def test_every_format_gives_the_rows_of_the_txt(files, source_format):
    expected = without_provenance(records(files["txt"]))
    assert {name: len(rows) for name, rows in expected.items()} == {
        "documents": 2, "measures": 15, "amounts": 9, "targets": 4, "measure_agencies": 16}
    assert without_provenance(records(files[source_format])) == expected


def test_provenance_of_a_pdf(files):
    rows = records(files["pdf"])
    documents = rows["documents"]
    assert [(d["source_format"], d["page_start"], d["page_end"]) for d in documents] == [("pdf", 1, 1), ("pdf", 2, 2)]
    lines = lines_of(files["pdf"])
    for measure in rows["measures"]:
        assert measure["page_start"] == (1 if measure["document_id"].endswith("d01") else 2)
        assert measure["text"][:4] in "".join(lines[measure["line_start"] - 1: measure["line_end"]])
    for amount in rows["amounts"]:
        assert amount["text"] in lines[amount["line"] - 1] or amount["text"][:2] in lines[amount["line"] - 1]
    # a table row's agencies come from its real cells
    table_agencies = [(a["mention"], a["role"]) for a in rows["measure_agencies"] if "d02" in a["measure_id"]]
    assert table_agencies[:3] == [("经济和信息化厅", "lead"), ("科技厅", "support"), ("财政厅", "support")]


def test_provenance_of_other_formats(files):
    for source_format in ("txt", "md", "html", "docx"):
        [document, _] = records(files[source_format])["documents"]
        assert (document["source_format"], document["page_start"], document["page_end"]) == (source_format, None, None)


# ---------------------------------------------------------------- the seed folder


def test_every_file_is_read_or_listed(files, tmp_path):
    seeds = tmp_path / "seeds"
    (seeds / "2024" / "六月").mkdir(parents=True)
    (seeds / "2024" / "六月" / "措施.pdf").write_bytes(files["pdf"].read_bytes())
    (seeds / "2024" / "notice.docx").write_bytes(formats.as_docx(EXAMPLE[:8]))
    (seeds / "page.HTML").write_bytes(files["html"].read_bytes())
    (seeds / "budget.xlsx").write_bytes(b"PK\x05\x06" + bytes(18))
    (seeds / "old.doc").write_bytes(b"\xd0\xcf\x11\xe0")
    (seeds / ".hidden.txt").write_text("隐藏文件不读", encoding="utf-8")
    (seeds / "2024.notice.docx").write_bytes(formats.as_docx(EXAMPLE[:6]))  # ids would clash
    folder = discover_seeds(seeds)
    # `.` sorts before `/`: the file in the folder comes second and would repeat the ids
    assert [p.relative_to(seeds).as_posix() for p in folder.files] == [
        "2024.notice.docx", "2024/六月/措施.pdf", "page.HTML"]
    assert [(s["path"], s["reason"].split(":")[0]) for s in folder.skipped] == [
        ("2024/notice.docx", "its row ids would be those of 2024.notice.docx"),
        ("budget.xlsx", "unsupported format"), ("old.doc", "unsupported format")]
    assert "save it as .docx" in folder.skipped[2]["reason"]

    summary = build(seeds, tmp_path / "package")
    descriptor = json.loads((tmp_path / "package" / "datapackage.json").read_text("utf-8"))
    skipped = descriptor["skippedSources"]
    assert [s["path"] for s in skipped] == ["2024/notice.docx", "budget.xlsx", "old.doc", "page.HTML"]
    assert skipped[-1]["reason"] == "same text as 2024/六月/措施.pdf"  # one document, two formats
    assert summary.skipped == skipped
    documents = (tmp_path / "package" / "documents.csv").read_text("utf-8").splitlines()
    assert documents[0].startswith("document_id,source_file,source_format,")
    assert [row.split(",")[:3] for row in documents[1:]] == [
        ["2024.notice.docx-d01", "2024.notice.docx", "docx"],
        [documents[2].split(",")[0], "2024/六月/措施.pdf", "pdf"], [documents[3].split(",")[0], "2024/六月/措施.pdf", "pdf"]]
    assert documents[2].startswith("f") and documents[2].split(",")[0].endswith("-d01")


def test_explain_shows_the_reader_lines_of_every_format(files, tmp_path):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "plan.pdf").write_bytes(files["pdf"].read_bytes())
    (seeds / "plan.docx").write_bytes(formats.as_docx(EXAMPLE[:12]))
    build(seeds, tmp_path / "package")
    shown = explain("plan.pdf-d02-m0001", tmp_path / "package", seeds)
    assert "lines of the text its PDF reader produced" in shown
    assert "┄ page 2" in shown and "│ 1\t[[建设测试仪器公共服务平台]]\t经济和信息化厅" in shown
    shown = explain("plan.docx-d01-m0002", tmp_path / "package", seeds)
    assert "lines of the text its DOCX reader produced" in shown and "│ [[发展目标]]" not in shown
    assert "│ 一、[[发展目标]]" in shown
