"""One policy document written as the files users have: `.txt`, `.md`, a saved web page, a Word
file and a PDF, each made as its kind of software makes it (a CMS page template for HTML, python-docx
for DOCX with Word's list numbering, reportlab for PDF with a CJK font).

The tests read these files back through the pipeline's readers, and `scripts/bench.py --readers`
times the readers on them. A document is a list of blocks:

- `("title", text)`: the title, centred;
- `("para", text)`: a paragraph as printed (a label it carries is part of its text);
- `("item", level, text)`: a numbered item, level 1 `一、`, 2 `（一）`, 3 `1.`; printed with
  its label in every format but DOCX, where Word's automatic numbering prints it;
- `("table", rows)`: a table, rows of cells, the first row its header;
- `("break",)`: a page break (in the PDF and the Word file);
- `("right", text)`: a line set to the right (signature, date).

usage: python scripts/formats.py OUT_DIR   (writes the example document in every format)
"""
from __future__ import annotations

import html
import io
import sys
from pathlib import Path

import cn2an

Block = tuple
LABELS = {1: "{}、", 2: "（{}）", 3: "{}."}
RUNNING_HEADER = "测试产业发展政策汇编"


def example() -> list[Block]:
    """A short notice with what the extractors read: a 文号, items at three levels, amounts,
    targets with a year, responsibility clauses and a responsibility table (分工表) on a page of
    its own. Written for these tests; no seed or corpus text."""
    return [
        ("title", "四川省人民政府办公厅关于促进测试仪器产业高质量发展的若干措施"),
        ("para", "川办发〔2024〕31号"),
        ("para", "各市（州）人民政府，省政府各部门、各直属机构："),
        ("para", "为加快培育测试仪器产业集群，推动产业链供应链协同发展，经省政府同意，现提出以下措施。"),
        ("item", 1, "发展目标"),
        ("para", "到2027年，全省测试仪器产业营业收入突破800亿元，年均增长12%以上，培育规模以上企业200户，"
                 "建成省级以上创新平台30个。"),
        ("item", 1, "重点任务"),
        ("item", 2, "强化创新能力。支持企业建设研发中心，对新认定的国家级技术创新示范企业给予一次性奖励300万元。"
                    "（责任单位：经济和信息化厅、科技厅）"),
        ("item", 3, "支持关键技术攻关，每个项目给予最高不超过500万元补助。"),
        ("item", 3, "推动首台套产品推广应用，按销售价格的20%给予奖励。"),
        ("item", 2, "壮大市场主体。对年营业收入首次突破10亿元、50亿元的企业，分别给予100万元、200万元奖励。"
                    "（责任单位：经济和信息化厅、财政厅）"),
        ("item", 2, "优化产业布局。推动成都、绵阳、德阳建设测试仪器产业园区，引导企业集聚发展，"
                    "形成分工协作、错位发展的格局。（责任单位：省发展改革委，各市（州）人民政府）"),
        ("item", 1, "保障措施"),
        ("item", 2, "加大财政投入。省级财政每年安排专项资金5亿元，支持产业链关键环节建设。（责任单位：财政厅）"),
        ("item", 2, "强化人才支撑。对引进的高层次人才团队，给予最高1000万元项目资助。"
                    "（责任单位：省委组织部、人力资源社会保障厅）"),
        ("item", 2, "加强统筹协调。建立省级联席会议制度，定期研究解决产业发展重大问题，"
                    "各地要结合实际制定具体实施方案，确保各项措施落地见效。"),
        ("para", "本措施自印发之日起施行，有效期至2027年12月31日。"),
        ("right", "四川省人民政府办公厅"),
        ("right", "2024年6月18日"),
        ("break",),
        ("para", "附件"),
        ("title", "重点任务分工表"),
        ("table", [
            ["序号", "工作任务", "责任单位", "配合单位", "时间进度"],
            ["1", "建设测试仪器公共服务平台", "经济和信息化厅", "科技厅、财政厅", "2025年底前"],
            ["2", "组织实施关键技术攻关项目", "科技厅", "经济和信息化厅", "2024-2027年"],
            ["3", "推进首台套产品示范应用", "经济和信息化厅", "省市场监管局", "2024年起持续推进"],
        ]),
    ]


def label(level: int, counters: dict[int, int]) -> str:
    """The printed label of the next item at `level`, counting as Word does."""
    counters[level] = counters.get(level, 0) + 1
    for deeper in [k for k in counters if k > level]:
        del counters[deeper]
    number = counters[level]
    return LABELS[level].format(cn2an.an2cn(number) if level < 3 else number)


def printed(blocks: list[Block]) -> list[Block]:
    """The blocks with every item's label written into its text (`("para", "一、发展目标")`)."""
    counters: dict[int, int] = {}
    out = []
    for block in blocks:
        if block[0] == "item":
            out.append(("para", label(block[1], counters) + block[2]))
        else:
            out.append(block)
    return out


def as_text(blocks: list[Block]) -> str:
    """Plain text: a paragraph per line, a table row per line with tab-separated cells."""
    lines = []
    for block in printed(blocks):
        if block[0] == "table":
            lines += ["\t".join(row) for row in block[1]]
        elif block[0] != "break":
            lines.append(block[1])
    return "\n".join(lines) + "\n"


def as_markdown(blocks: list[Block]) -> str:
    """Markdown: `#` headings for titles, `**` around level-1 items, pipe tables."""
    lines = []
    for block in printed(blocks):
        kind = block[0]
        if kind == "title":
            lines.append(f"# {block[1]}")
        elif kind == "table":
            rows = block[1]
            lines.append("| " + " | ".join(rows[0]) + " |")
            lines.append("|" + "---|" * len(rows[0]))
            lines += ["| " + " | ".join(row) + " |" for row in rows[1:]]
        elif kind == "para" and len(block[1]) <= 8 and block[1][1:2] == "、":
            lines.append(f"**{block[1]}**")
        elif kind != "break":
            lines.append(block[1])
        lines.append("")
    return "\n".join(lines)


def as_html(blocks: list[Block], encoding: str = "gbk", site: str = "四川省人民政府") -> bytes:
    """A saved government web page: banner and menu, breadcrumb, index table, the title in an
    `<h1>` above the content, the content (paragraphs, `<br>` lines, a table), share and print
    buttons, related links and a footer; in `encoding`, declared in `<meta>`."""
    blocks = printed(blocks)
    title = blocks[0][1]
    content = []
    for block in blocks[1:] if blocks[0][0] == "title" else blocks:
        kind = block[0]
        if kind == "table":
            rows = "".join("<tr>" + "".join(f"<td><p>{html.escape(c)}</p></td>" for c in row) + "</tr>\n"
                           for row in block[1])
            content.append(f'<table border="1" cellspacing="0">\n<tbody>\n{rows}</tbody></table>')
        elif kind == "right":
            content.append(f'<p style="text-align:right">{html.escape(block[1])}</p>')
        elif kind == "title":
            content.append(f'<p style="text-align:center"><strong>{html.escape(block[1])}</strong></p>')
        elif kind == "para" and block[1].startswith("（") and "。" in block[1]:
            # some editors break a paragraph with <br> instead of opening a new one
            content.append(f"&nbsp;&nbsp;&nbsp;&nbsp;{html.escape(block[1])}<br/>")
        elif kind == "para":
            content.append(f'<p style="text-indent:2em">{html.escape(block[1])}</p>')
    menu = "".join(f'<li><a href="/col/{i}/">{name}</a></li>'
                   for i, name in enumerate(("首页", "要闻动态", "政务公开", "政务服务", "互动交流", "走进四川")))
    related = "".join(f'<li><a href="/rel/{i}.html">关于做好测试仪器产业统计工作的通知（{i}）</a></li>'
                      for i in range(1, 6))
    page = f"""<!DOCTYPE html>
<html lang="zh-CN"><head>
<meta http-equiv="Content-Type" content="text/html; charset={encoding}">
<title>{html.escape(title)}_省政府办公厅文件_{site}网站</title>
<link rel="stylesheet" href="/css/main.css">
<script type="text/javascript">var pageTitle = "<p>脚本里的文字不是正文</p>";</script>
<style>.content p {{ line-height: 2; }}</style>
</head><body>
<div class="top-bar"><a href="/">{site}网站</a> | <a href="/en/">English</a> | <a href="/wza/">无障碍</a></div>
<div class="header"><div class="logo"><img src="/img/logo.png" alt="{site}"></div>
<ul class="main-nav">{menu}</ul>
<form class="search-box" action="/search"><input type="text" name="q" value="请输入关键词"><button>搜索</button></form></div>
<div class="crumbs">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk/">政务公开</a> &gt; 省政府办公厅文件</div>
<div class="main">
<table class="index-table"><tr><td>索引号：</td><td>11510000MB1234567X/2024-00031</td><td>主题分类：</td><td>工业、交通</td></tr>
<tr><td>发布机构：</td><td>四川省人民政府办公厅</td><td>成文日期：</td><td>2024-06-18</td></tr></table>
<h1 class="article-title">{html.escape(title)}</h1>
<div class="article-info">来源：省政府办公厅 发布时间：2024-06-20 09:30 字号：<a href="#">大</a> <a href="#">中</a> <a href="#">小</a></div>
<div class="article-content" id="zoom">
{chr(10).join(content)}
</div>
<div class="bdsharebuttonbox">分享到：<a href="#">微信</a><a href="#">微博</a><a href="#">QQ空间</a></div>
<div class="print-close"><a href="javascript:window.print()">【打印本页】</a> <a href="javascript:window.close()">【关闭窗口】</a></div>
</div>
<div class="related-files"><h3>相关文件</h3><ul>{related}</ul></div>
<div class="footer"><p>主办：{site}办公厅　承办：{site}办公厅信息公开办公室</p>
<p>版权所有 网站标识码：5100000062　蜀ICP备05003829号</p></div>
</body></html>
"""
    return page.encode(encoding, errors="xmlcharrefreplace")  # what a CMS writes for the rare character


NUMBERING_ID = 90


def as_docx(blocks: list[Block]) -> bytes:
    """A Word file: items numbered by Word's automatic numbering (definitions in numbering.xml,
    `%1、` and `（%2）` in chineseCounting, `%3.` decimal), tables with real cells."""
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls, qn

    document = docx.Document()
    numbering = document.part.numbering_part.element
    levels = "".join(
        f'<w:lvl w:ilvl="{level}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>'
        f'<w:lvlText w:val="{text}"/><w:suff w:val="nothing"/><w:lvlJc w:val="left"/></w:lvl>'
        for level, fmt, text in ((0, "chineseCounting", "%1、"), (1, "chineseCounting", "（%2）"),
                                 (2, "decimal", "%3.")))
    abstract = parse_xml(f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{NUMBERING_ID}">'
                         f'<w:multiLevelType w:val="multilevel"/>{levels}</w:abstractNum>')
    numbering.find(qn("w:num")).addprevious(abstract)  # every abstractNum precedes every num
    numbering.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="{NUMBERING_ID}">'
                               f'<w:abstractNumId w:val="{NUMBERING_ID}"/></w:num>'))
    for block in blocks:
        kind = block[0]
        if kind == "title":
            paragraph = document.add_paragraph(block[1])
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        elif kind == "item":
            paragraph = document.add_paragraph(block[2])
            num_pr = paragraph._p.get_or_add_pPr().get_or_add_numPr()
            num_pr.get_or_add_ilvl().val = block[1] - 1
            num_pr.get_or_add_numId().val = NUMBERING_ID
        elif kind == "table":
            rows = block[1]
            table = document.add_table(rows=len(rows), cols=len(rows[0]))
            table.style = "Table Grid"
            for row, cells in zip(table.rows, rows):
                for cell, text in zip(row.cells, cells):
                    cell.text = text
        elif kind == "break":
            document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        elif kind == "right":
            document.add_paragraph(block[1]).alignment = WD_ALIGN_PARAGRAPH.RIGHT
        else:
            document.add_paragraph(block[1])
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def as_pdf(blocks: list[Block], header: str = RUNNING_HEADER) -> bytes:
    """A PDF with a text layer in reportlab's built-in CID font STSong-Light (no font file
    needed): A4, a running header on every page, `— N —` page numbers, paragraphs wrapped at
    the margin with a first-line indent, a ruled table."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Table, TableStyle

    font = "STSong-Light"
    pdfmetrics.registerFont(UnicodeCIDFont(font))
    body = ParagraphStyle("body", fontName=font, fontSize=12, leading=21, firstLineIndent=24, wordWrap="CJK")
    title = ParagraphStyle("title", parent=body, fontSize=16, leading=28, alignment=1, firstLineIndent=0,
                           spaceAfter=8)
    right = ParagraphStyle("right", parent=body, alignment=2, firstLineIndent=0)
    cell = ParagraphStyle("cell", parent=body, fontSize=10.5, leading=15, firstLineIndent=0)
    story = []
    for block in printed(blocks):
        kind = block[0]
        if kind == "title":
            story.append(Paragraph(html.escape(block[1]), title))
        elif kind == "right":
            story.append(Paragraph(html.escape(block[1]), right))
        elif kind == "break":
            story.append(PageBreak())
        elif kind == "table":
            rows = [[Paragraph(html.escape(text), cell) for text in row] for row in block[1]]
            story.append(Table(rows, colWidths=[36, 150, 90, 100, 75], style=TableStyle(
                [("GRID", (0, 0), (-1, -1), 0.5, colors.black), ("VALIGN", (0, 0), (-1, -1), "MIDDLE")])))
        else:
            story.append(Paragraph(html.escape(block[1]), body))

    def furniture(canvas, document) -> None:
        canvas.saveState()
        canvas.setFont(font, 9)
        canvas.drawCentredString(A4[0] / 2, A4[1] - 40, header)
        canvas.setFont(font, 11)
        canvas.drawCentredString(A4[0] / 2, 36, f"— {document.page} —")
        canvas.restoreState()

    buffer = io.BytesIO()
    # invariant=1: no creation date or random id, so the same blocks give the same bytes
    SimpleDocTemplate(buffer, pagesize=A4, invariant=1, title="", author="", creator="").build(
        story, onFirstPage=furniture, onLaterPages=furniture)
    return buffer.getvalue()


WRITERS = {
    "txt": lambda blocks: as_text(blocks).encode("utf-8"),
    "md": lambda blocks: as_markdown(blocks).encode("utf-8"),
    "html": as_html,
    "docx": as_docx,
    "pdf": as_pdf,
}


def write_all(blocks: list[Block], folder: Path, stem: str) -> dict[str, Path]:
    """`stem.txt`, `stem.md`, `stem.html`, `stem.docx` and `stem.pdf` in `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = {}
    for suffix, write in WRITERS.items():
        paths[suffix] = folder / f"{stem}.{suffix}"
        paths[suffix].write_bytes(write(blocks))
    return paths


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__.rsplit("usage: ", 1)[1])
    for path in write_all(example(), Path(sys.argv[1]), "example").values():
        print(path)
