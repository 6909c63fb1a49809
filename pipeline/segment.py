"""Stage 2, segment: cleaned lines → documents → numbered items.

A seed file may hold several documents: a notice and the documents it issues, an annex
table, magazine articles (one printed inside another page by page). Each document is read for
its title, 文号, issuer, date, kind and draft status, then split into its numbered items at
every level the text uses, with the unnumbered paragraphs kept as rows of their own.
"""
from __future__ import annotations

import csv
import operator
import re
from collections import Counter
from dataclasses import dataclass, field, fields
from functools import cache
from importlib import resources

from pipeline.clean import (
    TERMINAL,
    Line,
    Paragraph,
    is_section_break,
    join_paragraphs,
    leading_label,
    make_paragraph,
)
from pipeline.extract.numbers import chinese_value

DOC_NUMBER = re.compile(
    r"([\u4e00-\u9fff]{1,12})\s*[〔\[［【(（]\s*((?:19|20)\d{2})\s*[〕\]］】)）]\s*(\d{1,4})\s*号"
)
DATE = re.compile(r"((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
ISO_DATE = re.compile(r"((?:19|20)\d{2})[-/.](\d{1,2})[-/.](\d{1,2})")
CHINESE_DATE = re.compile(r"([〇○零一二三四五六七八九]{4})年([一二三四五六七八九十]{1,3})月([一二三四五六七八九十]{1,3})日")
DRAFT = re.compile(r"征求意见稿|送审稿|讨论稿")
SALUTATION_END = re.compile(r"[：:]$")
ANNEX_MARK = re.compile(r"^附件\s*\d*$")
# A place name ends at its type (省, 市, 州 …); 州 followed by 省 or 市 is part of the name
# (贵州省, 广州市), while 省 or 区 followed by 市 is not (江西省市场监管局).
PLACE_TYPE = "(?:省|自治区|特别行政区|市|州(?![省市])|盟|县|区|旗)"
JURISDICTION = re.compile(rf"^(?:中共)?([\u4e00-\u9fff]{{1,8}}?{PLACE_TYPE})")
# The issuer printed before the verb of a title: 国务院办公厅关于…, 国务院办公厅转发…, 省政府印发….
TITLE_ISSUER = re.compile(r"^(.{2,30}?)(?:关于|转发|批转|印发)")
# A government work report (2026年四川省人民政府工作报告, 政府工作报告) and the lines under its
# title: the delivery line (——2026年1月26日在广东省第十四届人民代表大会第五次会议上) and the
# speaker (广东省省长 孟凡利, 省长 李炳军, 自治区主席 …).
WORK_REPORT = re.compile(r"^(?:(?:19|20)\d{2}年)?(?P<place>[\u4e00-\u9fff]{0,12}?)(?:人民)?政府工作报告$")
DELIVERY = re.compile(
    r"^(?:(?P<dash>[—－\-–]+)|[（(])?(?P<date>(?:19|20)\d{2}年\d{1,2}月\d{1,2}日)?在(?P<venue>.{2,40}?)上"
    r"(?:的(?:讲话|报告|工作报告|发言|致辞|说明))?[）)]?$"
)
PLACE = re.compile(rf"^(?P<place>[\u4e00-\u9fff]{{2,10}}?{PLACE_TYPE})")
SPEAKER = re.compile(
    rf"^(?P<place>(?!自治区|特别行政区)[\u4e00-\u9fff]{{2,12}}?{PLACE_TYPE})?(?:人民政府)?代?"
    r"(?:省长|自治区主席|主席|市长|州长|盟长|县长|区长|旗长)(?P<name>[\u4e00-\u9fff·]{2,10})$"
)
# Lines printed after the signature: (此件公开发布), (本文有删减), 抄送：…, 联系人：…, and the
# printing line of the 版记 (某某省人民政府办公厅　2019年1月9日印发), whose date is not the signing date.
CLOSING_NOTE = re.compile(r"^(?:[（(][^（()）]{2,30}[）)]|(?:抄送|抄报|联系人|联系电话|印发)[：:].*)$")
PRINTED = re.compile(r"^.{0,40}?(?:19|20)\d{2}年\d{1,2}月\d{1,2}日印发(?:共印\d+份)?$")
# The red header of an official document (四川省人民政府文件) and the signer line under its 文号.
RED_HEADER = re.compile(r"^(.{2,40}?)文件$")
SIGNER = re.compile(r"^签发人[：:]")
# A notice's transmittal sentence names what it issues: 《…若干措施》已经省政府同意，现印发给你们.
TRANSMITTAL = re.compile(r"《([^《》]{4,80})》[^。]{0,40}?(?:现|特)?(?:印发|转发|发)给你们")
# What an untitled document says it is (现提出以下实施意见, 通知如下, 现印发给你们 …).
UNTITLED_KIND = (
    (re.compile(r"(?:印发|转发)给你们|(?:通知|通报)如下"), "notice"),
    (re.compile(r"提出(?:以下|如下)(?:实施|指导)?意见|意见如下"), "opinion"),
    (re.compile(r"(?:以下|如下)[^。]{0,6}?(?:措施|举措)"), "measures"),
    (re.compile(r"决定如下"), "decision"),
)
TRAILING_QUALIFIER = re.compile(r"[（(](?:试行|暂行|征求意见稿|送审稿|讨论稿|草案)[）)]$")
HEADING_MAX = 30
QUOTED_TITLE = re.compile(r"《([^《》]{4,80})》")
PARENTHESISED = re.compile(r"[（(].*[）)]")
TITLE_MARKS = re.compile(r"[《》\s]")
CLAUSE_MARK = re.compile(r"[，,；;：:]")


@dataclass(frozen=True, slots=True)
class Item:
    """One numbered item (or unnumbered paragraph) of a document."""

    ordinal: int
    label: str | None
    style: str | None
    level: int
    parent: int | None  # ordinal of the enclosing item
    heading: str | None
    body: Paragraph  # item text without its label, with its raw-line map
    breaks: tuple[int, ...] = ()  # offsets in body.text where a further paragraph begins
    deadline: str | None = None
    table_row: dict | None = None  # the rebuilt row, for items read from a table
    section: str | None = None  # the notes or glossary heading it stands under (注：, 名词解释)


# Set through the fields' slot descriptors, as make_paragraph does (see there).
(_set_ordinal, _set_label, _set_style, _set_level, _set_parent, _set_heading, _set_body, _set_breaks,
 _set_deadline, _set_table_row, _set_section) = (getattr(Item, f.name).__set__ for f in fields(Item))


def make_item(ordinal: int, label: str | None, style: str | None, level: int, parent: int | None,
              heading: str | None, body: Paragraph, breaks: tuple[int, ...] = (), section: str | None = None) -> Item:
    """`Item(...)` of the same arguments (no deadline, no table row), made faster."""
    item = object.__new__(Item)
    _set_ordinal(item, ordinal)
    _set_label(item, label)
    _set_style(item, style)
    _set_level(item, level)
    _set_parent(item, parent)
    _set_heading(item, heading)
    _set_body(item, body)
    _set_breaks(item, breaks)
    _set_deadline(item, None)
    _set_table_row(item, None)
    _set_section(item, section)
    return item


@dataclass(slots=True)
class Document:
    ordinal: int
    title: str | None  # None when the text prints no title
    kind: str
    start: int  # index of the first paragraph of the header
    header_end: int  # index of the first body paragraph
    end: int = 0  # index past the last paragraph
    doc_number: str | None = None
    issuer: str | None = None
    issue_date: str | None = None
    is_draft: bool = False
    parent: int | None = None
    jurisdiction: str | None = None
    delivered_in: str | None = None  # the place a work report or speech names as its venue
    issued_title: str | None = None  # the title a notice's transmittal names (《…》现印发给你们)
    line_start: int = 0
    line_end: int = 0
    items: list[Item] = field(default_factory=list)
    table_lines: list[tuple[int, str]] = field(default_factory=list)


@cache
def kind_suffixes() -> tuple[tuple[str, str], ...]:
    with resources.files("pipeline.lexicons").joinpath("document_kinds.csv").open(encoding="utf-8") as fh:
        rows = [(r["suffix"], r["kind"]) for r in csv.DictReader(fh)]
    return tuple(sorted(rows, key=lambda r: -len(r[0])))


@cache
def issuer_suffixes() -> tuple[str, ...]:
    """`issuer_suffixes.txt`, longest first."""
    text = resources.files("pipeline.lexicons").joinpath("issuer_suffixes.txt").read_text("utf-8")
    return tuple(sorted(
        (s.strip() for s in text.splitlines() if s.strip() and not s.startswith("#")), key=len, reverse=True
    ))


@cache
def issuer_endings() -> tuple[str, ...]:
    """How a text issuer_pattern matches ends: a suffix, or a line feed (`$` matches before it)."""
    return (*issuer_suffixes(), "\n")


@cache
def issuer_pattern() -> re.Pattern[str]:
    return re.compile(r"^(?:中共)?[\u4e00-\u9fff（）()]{2,24}?(?:" + "|".join(issuer_suffixes()) + ")$")


@cache
def kind_pattern() -> re.Pattern[str]:
    """Title endings, longest first, so that 实施意见 is tried before 意见."""
    return re.compile("(" + "|".join(re.escape(suffix) for suffix, _ in kind_suffixes()) + ")$")


def kind_of(title: str) -> str | None:
    """The kind a title's ending names (kind_pattern): the longest suffix it ends with."""
    if title[-1:] in "）)\n":  # TRAILING_QUALIFIER and `$` need one of these
        title = TRAILING_QUALIFIER.sub("", title)
        if title.endswith("\n"):  # `$` also matches before a final line feed
            title = title[:-1]
    if not title.endswith(kind_endings()):  # one check in C for most texts
        return None
    by_suffix = kind_by_suffix()
    for size in suffix_sizes():
        if (kind := by_suffix.get(title[-size:])) is not None:
            return kind
    return None


@cache
def kind_endings() -> tuple[str, ...]:
    return tuple(kind_by_suffix())


@cache
def suffix_sizes() -> tuple[int, ...]:
    """The lengths of the title endings, longest first."""
    return tuple(sorted({len(suffix) for suffix in kind_by_suffix()}, reverse=True))


@cache
def kind_by_suffix() -> dict[str, str]:
    return dict(kind_suffixes())


@cache
def doc_number_issuers() -> dict[str, str]:
    """`doc_number_issuers.csv`: the organ part of a 文号 (国办发, 川府) → the body that issues it."""
    with resources.files("pipeline.lexicons").joinpath("doc_number_issuers.csv").open(encoding="utf-8") as fh:
        return {row["prefix"]: row["issuer"] for row in csv.DictReader(fh)}


@cache
def known_issuers() -> frozenset[str]:
    """Issuers named whole, whatever their ending (国务院)."""
    return frozenset(doc_number_issuers().values())


def issuer_from_doc_number(doc_number: str | None) -> str | None:
    """The issuer a 文号 names by its prefix: the longest prefix of its organ part in the lexicon
    (国办发〔2019〕6号 → 国办 → 国务院办公厅; 赣府字 → 赣府 → 江西省人民政府)."""
    if not doc_number:
        return None
    organ = doc_number.split("〔", 1)[0]
    lexicon = doc_number_issuers()
    for end in range(len(organ), 1, -1):
        if (issuer := lexicon.get(organ[:end])) is not None:
            return issuer
    return None


# A line naming a body never holds the verb of a title (国务院办公厅转发国家地震局 opens a title).
NOT_AN_ISSUER = re.compile("关于|转发|批转|印发")


def is_issuer(text: str) -> bool:
    return len(text) <= 26 and (text in known_issuers() or (
        text.endswith(issuer_endings())  # a cheap no before the pattern
        and issuer_pattern().match(text) is not None and not NOT_AN_ISSUER.search(text)))


def is_unfinished_short(text: str, limit: int = 40) -> bool:
    return 0 < len(text) <= limit and text[-1] not in TERMINAL and not leading_label(text)


# A title that issues another document, whatever its kind (关于印发…的函).
ISSUING_TITLE = re.compile("印发|转发|批转")
# A figure or table caption (图1 号牌编码规则) is no title.
CAPTION = re.compile(r"^[图表]\s*[0-9一二三四五六七八九十]")


def is_title(text: str) -> bool:
    return (
        kind_of(text) is not None  # first: the cheapest no
        and is_unfinished_short(text, 60)
        and not text.startswith("附件")
        and not is_caption(text)
        and "。" not in text
    )


def is_caption(text: str) -> bool:
    return text[:1] in "图表" and CAPTION.match(text) is not None


def normalise_title(text: str) -> str:
    return TITLE_MARKS.sub("", text)


def normalise_doc_number(match: re.Match[str]) -> str:
    return f"{match.group(1)}〔{match.group(2)}〕{int(match.group(3))}号"


def parse_date(text: str, iso: bool = False) -> str | None:
    """The first date written 2014年10月8日 or 二〇一四年十月八日 (also 2014-10-08 when `iso`)."""
    if (m := DATE.search(text)) or (iso and (m := ISO_DATE.search(text))):
        year, month, day = int(m.group(1)), int(m.group(2)), int(m.group(3))
    elif m := CHINESE_DATE.search(text):
        digits = str.maketrans("〇○零一二三四五六七八九", "00012345678" + "9")
        year = int(m.group(1).translate(digits))
        month, day = int(chinese_value(m.group(2))), int(chinese_value(m.group(3)))
    else:
        return None
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return None
    return f"{year:04d}-{month:02d}-{day:02d}"


def latest_date(text: str) -> str | None:
    """The latest date a note prints: an adoption note listing a first version and its revisions
    (（1991年3月4日…发布　根据2018年11月6日…修订）) dates the version printed."""
    dates = [d for m in DATE.finditer(text) if (d := parse_date(m.group()))]
    return max(dates) if dates else parse_date(text)


def is_date_line(text: str) -> bool:
    return text.endswith("日") and bool(DATE.fullmatch(text) or CHINESE_DATE.fullmatch(text))


def jurisdiction_of(issuer: str | None) -> str | None:
    """The place an issuer governs: 四川省 for 四川省人民政府办公厅, 绵阳市 for 绵阳市财政局; None for
    a national body (国务院), whose jurisdiction is the whole country."""
    if not issuer:
        return None
    m = JURISDICTION.match(issuer)
    return m.group(1) if m else None


def report_issuer(doc: Document) -> str | None:
    """A work report is the report of the people's government of the place named in its title,
    its delivery line or its speaker line (2026年浙江省政府工作报告 → 浙江省人民政府)."""
    m = WORK_REPORT.match(doc.title or "")
    if not m:
        return None
    place = m.group("place") if PLACE.fullmatch(m.group("place") or "") else doc.delivered_in
    return place + "人民政府" if place else None


# ---------------------------------------------------------------- interleaved articles


def junction_counts(lines: list[Line]) -> Counter[str]:
    """Bigram and trigram counts inside lines, to judge which line ends a given line continues."""
    # One text, the lines apart by a line feed, which no line holds: the grams that span two
    # lines contain it, and junction_score never asks for those.
    text = "\n".join(line.compact for line in lines)
    bigrams = list(map(operator.add, text, text[1:]))  # map and Counter loop in C
    counts: Counter[str] = Counter(bigrams)
    counts.update(map(operator.add, bigrams, text[2:]))
    return counts


def junction_score(left: str, right: str, counts: Counter[str]) -> int:
    if not left or not right:
        return 0
    grams = [left[-1] + right[0], left[-2:] + right[0], left[-1] + right[:2]]
    return sum(counts[g] for g in grams if len(g) >= 2)


def is_finished(text: str) -> bool:
    stripped = text.rstrip("）)〕】」』”’")
    return bool(stripped) and (stripped[-1] in TERMINAL or text[-1] in TERMINAL)


def thread_interleaved(lines: list[Line], counts: Counter[str] | None = None) -> list[Line]:
    """Put an article back in reading order when another article's page was printed inside it.

    When an article breaks off mid-sentence right before another article's title, the rest of
    it sits later, after some of the other article's lines; its first line continues the broken
    sentence better than it continues the line before it. (`counts` are the junction counts of
    these lines, in any order: moving lines does not change them.)
    """
    starts = [i for i, ln in enumerate(lines) if ln.doubled and (i == 0 or not lines[i - 1].doubled)]
    broken_starts = [s for s in starts if s > 0 and not is_finished(lines[s - 1].compact)]
    if not broken_starts:
        return lines
    counts = counts or junction_counts(lines)
    for start in broken_starts:
        broken = lines[start - 1].compact
        later_starts = [s for s in starts if s > start]
        stop = later_starts[0] if later_starts else len(lines)
        best, best_gain = None, 0
        for j in range(start + 1, stop):
            if lines[j].doubled:
                continue
            text = lines[j].compact
            gain = junction_score(broken, text, counts) - junction_score(
                lines[j - 1].compact, text, counts
            )
            if gain > best_gain:
                best, best_gain = j, gain
        if best is not None and best_gain >= 2:
            moved = lines[best:stop]
            return thread_interleaved(lines[:start] + moved + lines[start:best] + lines[stop:], counts)
    return lines


# ---------------------------------------------------------------- documents


def title_run(paragraphs: list[Paragraph], i: int, limit: int = 3,
              title_lines: list[bool] | None = None) -> tuple[str, int] | None:
    """A title printed on one to `limit` short lines starting at paragraph i: (title, end).

    The longest run that reads as a title wins: `关于…《…行动计划` continues on the next line.
    (`title_lines`: `is_title_line` of every paragraph, when the caller has it.)
    """
    text = ""
    found = None
    for k in range(i, min(i + limit, len(paragraphs))):
        if not (title_lines[k] if title_lines is not None else is_title_line(paragraphs[k])):
            break
        text += paragraphs[k].text
        if is_title(text):
            found = (text, k + 1)
    return found


def is_title_line(p: Paragraph) -> bool:
    """Can this paragraph be one line of a title? Not a sentence, a 文号, a date line, a
    parenthetical, a caption, nor an outline's first heading (1　总则)."""
    piece = p.text
    return not (
        not is_unfinished_short(piece, 60)
        or ("号" in piece and DOC_NUMBER.search(piece))
        or is_date_line(piece)
        or (piece[:1] in "（(" and PARENTHESISED.fullmatch(piece))
        or is_caption(piece)
        or p.spaced_number
    )


def find_headers(paragraphs: list[Paragraph]) -> list[Document]:
    """Scan paragraphs for document starts, in order."""
    docs: list[Document] = []
    referenced: set[str] = set()  # titles quoted in 《》 so far: a notice names what it issues
    page: dict[str, str] = {}  # what a government web page's metadata table says
    i = 0
    n = len(paragraphs)
    # Each paragraph is asked up to 3 times; a long or finished one is no title line (a quick no
    # before is_title_line, whose first test is_unfinished_short this is).
    title_lines = [len(p.text) <= 60 and p.text[-1:] not in TERMINAL and is_title_line(p) for p in paragraphs]
    while i < n:
        if not docs and (field := metadata_at(paragraphs, i)):
            name, value, width = field
            page.setdefault(name, value)
            i += width
            continue
        doc = header_at(paragraphs, i, len(docs), referenced, title_lines) if may_open_header(
            paragraphs[i], title_lines[i]) else None
        if doc is None and docs and (issued := issued_after_signature(paragraphs, i, docs[-1])):
            doc = Document(len(docs), issued, kind_of(issued) or "other", i, i)
        if "《" in paragraphs[i].text:
            referenced.update(normalise_title(t) for t in QUOTED_TITLE.findall(paragraphs[i].text))
        if doc is None:
            if not docs:  # text before any title: a fragment whose start is missing, or a text
                # printed without its title (a crawler dropped it): read what it says it is
                docs.append(Document(0, None, untitled_kind(paragraphs[i:]), i, i))
            if "给你们" in paragraphs[i].text and (m := TRANSMITTAL.search(paragraphs[i].text)):
                docs[-1].issued_title = normalise_title(m.group(1))
            i += 1
            continue
        docs.append(doc)
        i = doc.header_end
    if docs and page:
        with_page_metadata(docs[0], page)
    return docs


@cache
def metadata_fields() -> dict[str, str]:
    """`page_metadata.csv`: the labels of a government web page's metadata table → field."""
    with resources.files("pipeline.lexicons").joinpath("page_metadata.csv").open(encoding="utf-8") as fh:
        return {row["label"]: row["field"] for row in csv.DictReader(fh)}


def metadata_at(paragraphs: list[Paragraph], i: int) -> tuple[str, str, int] | None:
    """(field, value, paragraphs used) of a metadata line (`发文字号：国办发〔2019〕6号`, or the
    label alone with its value on the next line), else None."""
    label, colon, value = paragraphs[i].text.partition("：") if "：" in paragraphs[i].text \
        else paragraphs[i].text.partition(":")
    field = metadata_fields().get(label) if colon else None
    if field is None:
        return None
    if value or i + 1 >= len(paragraphs) or metadata_at(paragraphs, i + 1):
        return field, value, 1
    return field, paragraphs[i + 1].text, 2


def with_page_metadata(doc: Document, page: dict[str, str]) -> None:
    """Fill what the document does not print itself from its web page's metadata table."""
    if doc.title is None and page.get("title"):
        doc.title = normalise_title(page["title"])
        doc.kind = kind_of(doc.title) or doc.kind
    if doc.issuer is None and is_issuer(page.get("issuer", "")):
        doc.issuer = page["issuer"]
    if doc.doc_number is None and (m := DOC_NUMBER.fullmatch(page.get("doc_number", ""))):
        doc.doc_number = normalise_doc_number(m)
    doc.issue_date = doc.issue_date or parse_date(page.get("issue_date", ""), iso=True)


def untitled_kind(paragraphs: list[Paragraph]) -> str:
    """The kind of a document printed without its title, from its opening sentences."""
    if any(q.doubled for q in paragraphs):
        return "article"
    opening = "".join(p.text for p in paragraphs[:3])
    for pattern, kind in UNTITLED_KIND:
        if pattern.search(opening):
            return kind
    return "other"


def issued_after_signature(paragraphs: list[Paragraph], i: int, notice: Document) -> str | None:
    """The title of the document a notice issues, when its text starts here without its title:
    the notice named it (《X》…现印发给你们) and signed off (date, closing notes) just before."""
    if notice.issued_title is None or notice.start == i:
        return None
    if not ends_with_date(paragraphs, i) or is_closing_note(paragraphs[i].text) or is_date_line(paragraphs[i].text):
        return None
    return notice.issued_title


def is_closing_note(text: str) -> bool:
    return ((text[:1] in "（(" or "：" in text or ":" in text)  # a cheap no before CLOSING_NOTE
            and CLOSING_NOTE.match(text) is not None and not parse_date(text)) or (
        "印发" in text and PRINTED.match(text) is not None)


def ends_with_date(paragraphs: list[Paragraph], i: int) -> bool:
    """Is paragraph i preceded by a signature date (closing notes such as （此件公开发布） between)?"""
    k = i - 1
    while k >= 0 and is_closing_note(paragraphs[k].text):
        k -= 1
    return k >= 0 and is_date_line(paragraphs[k].text)


def may_open_header(p: Paragraph, title_line: bool) -> bool:
    """Can header_at find a header at this paragraph? Only at a title line, a doubled line, a red
    header (…文件), an annex mark or an issuer line (is_issuer: at most 26 characters); most
    paragraphs are none of these."""
    return title_line or p.doubled or len(p.text) <= 26 or p.text.endswith("文件") or p.text.startswith("附件")


def header_at(paragraphs: list[Paragraph], i: int, ordinal: int, referenced: set[str],
              title_lines: list[bool] | None = None) -> Document | None:
    """The document whose header starts at paragraph i (`ordinal` documents come before it;
    `title_lines`: `is_title_line` of every paragraph, when the caller has it)."""
    p = paragraphs[i]
    if p.doubled:  # a magazine article: title printed twice, then the author body
        k = i
        while k < len(paragraphs) and paragraphs[k].doubled:
            k += 1
        title = "".join(q.text for q in paragraphs[i:k])
        doc = Document(ordinal, title, "article", i, k)
        if k < len(paragraphs) and is_issuer(paragraphs[k].text):
            doc.issuer = paragraphs[k].text
            doc.header_end = k + 1
        return doc
    if p.text.endswith("文件") and (m := RED_HEADER.fullmatch(p.text)) and is_issuer(m.group(1)):
        return red_header_at(paragraphs, i, ordinal, m.group(1))
    if is_issuer(p.text) and i + 1 < len(paragraphs):
        run = title_run(paragraphs, i + 1, title_lines=title_lines)
        if run:
            title, end = run
            doc = Document(ordinal, normalise_title(title), kind_of(title) or "other", i, end)
            doc.issuer = p.text
            return read_header_tail(paragraphs, doc)
    if p.text.startswith("附件") and ANNEX_MARK.match(p.text) and i + 1 < len(paragraphs):
        title = paragraphs[i + 1].text
        if is_unfinished_short(title, 60):
            return Document(ordinal, normalise_title(title), kind_of(title) or "other", i, i + 2)
    run = title_run(paragraphs, i, title_lines=title_lines)
    if run and (
        ordinal == 0
        or ends_with_date(paragraphs, i)  # after a signature date (asked only of a title)
        or normalise_title(run[0]) in referenced
        or is_finished(paragraphs[i - 1].text)
        or paragraphs[i - 1].text.startswith("附件")
    ):
        title, end = run
        doc = Document(ordinal, normalise_title(title), kind_of(title) or "other", i, end)
        return read_header_tail(paragraphs, doc)
    return None


def red_header_at(paragraphs: list[Paragraph], i: int, ordinal: int, issuer: str) -> Document | None:
    """A document under its red header: `X人民政府文件`, then its 文号 (and 签发人 of a report to a
    higher body), then the title."""
    k = i + 1
    doc_number = None
    while k < len(paragraphs) and (DOC_NUMBER.fullmatch(paragraphs[k].text) or SIGNER.match(paragraphs[k].text)):
        if m := DOC_NUMBER.fullmatch(paragraphs[k].text):
            doc_number = normalise_doc_number(m)
        k += 1
    if k + 1 < len(paragraphs) and is_issuer(paragraphs[k].text) and title_run(paragraphs, k + 1):
        issuer = paragraphs[k].text  # the issuer line above the title
        k += 1
    run = title_run(paragraphs, k) if k < len(paragraphs) else None
    if run is None:
        return None
    title, end = run
    doc = Document(ordinal, normalise_title(title), kind_of(title) or "other", i, end)
    doc.issuer, doc.doc_number = issuer, doc_number
    return read_header_tail(paragraphs, doc)


def read_header_tail(paragraphs: list[Paragraph], doc: Document) -> Document:
    """After the title: 文号, draft mark, a date under the title, the delivery line and speaker
    of a report or speech, an adoption note with its date, the salutation."""
    k = title_end = doc.header_end
    while k < len(paragraphs):
        text = paragraphs[k].text
        delivery, width = delivery_line(paragraphs, k)
        if m := DOC_NUMBER.fullmatch(text):
            doc.doc_number = normalise_doc_number(m)
        elif DRAFT.search(text) and len(text) <= 12:
            doc.is_draft = True
        elif delivery:
            doc.issue_date = doc.issue_date or (parse_date(delivery.group("date") or ""))
            venue = PLACE.match(delivery.group("venue"))
            doc.delivered_in = doc.delivered_in or (venue.group("place") if venue else None)
            k += width
            continue
        elif m := SPEAKER.fullmatch(text):
            doc.delivered_in = doc.delivered_in or m.group("place")
        elif (re.fullmatch(r"[（(].{0,120}[）)]", text) or is_date_line(text)) and parse_date(text):
            doc.issue_date = doc.issue_date or latest_date(text)
        elif SALUTATION_END.search(text) and len(text) <= 80 and k <= title_end + 4:
            pass
        else:
            break
        k += 1
    doc.header_end = k
    return doc


def delivery_line(paragraphs: list[Paragraph], k: int) -> tuple[re.Match[str] | None, int]:
    """The delivery line of a report or speech at paragraph k, printed on one line or broken over
    two (——2026年1月26日在广东省第十四届 / 人民代表大会第五次会议上): (match, paragraphs used)."""
    text = paragraphs[k].text
    if text[:1] not in "—－-–（(12" or "在" not in text + (paragraphs[k + 1].text if k + 1 < len(paragraphs) else ""):
        return None, 0  # a match with its dash or date opens with one of these and holds 在
    for width, candidate in ((1, text), (2, text + paragraphs[k + 1].text if k + 1 < len(paragraphs) else "")):
        m = DELIVERY.fullmatch(candidate)
        if m and (m.group("dash") or m.group("date")):
            return m, width
    return None, 0


def signature_at(paragraphs: list[Paragraph], doc: Document) -> tuple[int, str | None, str | None]:
    """The closing signature: (body end, date, issuer) from its date line, the issuer lines above
    it and the closing notes below it (国务院 / 2018年12月12日 / （此件公开发布）)."""
    end = doc.end
    while end - 1 >= doc.header_end and is_closing_note(paragraphs[end - 1].text):
        end -= 1
    if end - 1 < doc.header_end or not is_date_line(paragraphs[end - 1].text):
        return doc.end, None, None
    date = parse_date(paragraphs[end - 1].text)
    end -= 1
    issuer = None
    if end - 1 >= doc.header_end and is_issuer(paragraphs[end - 1].text):
        end -= 1
        issuer = paragraphs[end].text
    return end, date, issuer


def link_parents(docs: list[Document], paragraphs: list[Paragraph]) -> None:
    """An attached document's parent is the notice that names it; an annex's, the document before."""
    for doc in docs:
        if doc.ordinal == 0 or doc.kind in ("notice", "article") or doc.title is None:
            continue
        previous = docs[doc.ordinal - 1]
        if doc.kind == "other" and ANNEX_MARK.match(paragraphs[doc.start].text):
            doc.parent = previous.ordinal
            continue
        for candidate in reversed(docs[: doc.ordinal]):
            if candidate.kind != "notice" and not ISSUING_TITLE.search(candidate.title or ""):
                continue
            text = normalise_title("".join(p.text for p in paragraphs[candidate.start : candidate.end]))
            if doc.title in text or candidate.ordinal == doc.ordinal - 1:
                doc.parent = candidate.ordinal
            break


def inherit_from_parents(docs: list[Document]) -> None:
    for doc in docs:
        if doc.parent is None:
            continue
        parent = docs[doc.parent]
        doc.issuer = doc.issuer or parent.issuer
        doc.issue_date = doc.issue_date or parent.issue_date
        doc.is_draft = doc.is_draft or parent.is_draft


def issuer_from_title(title: str | None) -> str | None:
    """`中共四川省委关于…的决定`, `国务院办公厅转发…的通知` name their issuer before the verb."""
    m = TITLE_ISSUER.match(title or "")
    return m.group(1) if m and is_issuer(m.group(1)) else None


# ---------------------------------------------------------------- items


# The style of a label by the last group its alternative of LABEL closes (m.lastgroup): one
# alternative matches, and its last group names it.
STYLE_BY_LAST_GROUP = {"cn_mark": "cn、", "cnp": "(cn)", "close_mark": "num)", "nump": "(num)",
                       "circled": "circled", "latinp": "(latin)", "latin": "latin)", "roman": "roman.",
                       "upper_roman": "ROMAN"}


def label_style(m: re.Match[str]) -> str:
    """The numbering style of a label; items of one style are siblings (see split_items)."""
    if (style := STYLE_BY_LAST_GROUP.get(m.lastgroup or "")) is not None:
        return style
    return plain_label_style(m)


def plain_label_style(m: re.Match[str]) -> str:
    """label_style by the groups the label fills."""
    if m.group("cn"):
        return "cn、"
    if m.group("cnp"):
        return "(cn)"
    if m.group("outline"):
        return f"outline{m.group('outline').count('.') + 1}"
    if m.group("num"):
        return "num" + {"．": "."}.get(m.group("num_mark"), m.group("num_mark"))
    if m.group("num_close"):
        return "num)"
    if m.group("nump"):
        return "(num)"
    if m.group("circled"):
        return "circled"
    if m.group("latinp"):
        return "(latin)"
    if m.group("latin"):
        return "latin)"
    if m.group("roman"):
        return "roman."
    if m.group("upper_roman"):
        return "ROMAN"
    return "第" + m.group("article_mark")


def concat(paragraphs: list[Paragraph], skip: int = 0) -> Paragraph:
    """One located text from consecutive paragraphs, dropping `skip` leading characters."""
    if len(paragraphs) == 1 and not skip:  # an unnumbered paragraph: its own text and map
        p = paragraphs[0]
        if p.line_offsets and all(map(operator.lt, p.line_offsets, p.line_offsets[1:])):
            return make_paragraph(p.text, p.line_offsets, p.line_numbers, p.page_start, p.doubled)
    pieces: list[str] = []
    offsets: list[int] = []
    numbers: list[int] = []
    base = 0
    for p in paragraphs:
        if skip:
            offsets += [max(off - skip, 0) for off in p.line_offsets]
            piece = p.text[skip:]
            skip = 0
        else:
            offsets += [base + off for off in p.line_offsets] if base else p.line_offsets
            piece = p.text
        numbers += p.line_numbers
        pieces.append(piece)
        base += len(piece)
    # Keep offsets strictly meaningful: several lines may start at 0 after dropping the label
    # (the last of them is kept); nearly always they are increasing already.
    if offsets and all(map(operator.lt, offsets, offsets[1:])):
        offsets_kept, numbers_kept = tuple(offsets), tuple(numbers)
    else:
        pairs = sorted(dict(zip(offsets, numbers)).items()) if offsets else [(0, 0)]
        offsets_kept, numbers_kept = tuple(o for o, _ in pairs), tuple(n for _, n in pairs)
    first = paragraphs[0]
    return make_paragraph("".join(pieces), offsets_kept, numbers_kept, first.page_start, first.doubled)


def paragraph_breaks(paragraphs: list[Paragraph], skip: int) -> tuple[int, ...]:
    """Where each paragraph after the first starts in the concatenated text."""
    breaks, offset = [], len(paragraphs[0].text) - skip
    for p in paragraphs[1:]:
        breaks.append(offset)
        offset += len(p.text)
    return tuple(breaks)


def heading_of(first_paragraph: str) -> str | None:
    """The short title an item opens with: a short unfinished line, or a short first sentence."""
    if is_unfinished_short(first_paragraph, HEADING_MAX):
        return first_paragraph
    end = first_paragraph.find("。")
    if 0 < end < HEADING_MAX and not CLAUSE_MARK.search(first_paragraph[:end]):
        return first_paragraph[: end + 1]
    return None


# The number a decimal outline or a table row opens with (`7　附则`, `2.1　目标`, `3\t…\t…`).
LEADING_NUMBER = re.compile(r"[0-9]{1,4}(?:\.[0-9]{1,2}){0,3}")


@dataclass(frozen=True, slots=True)
class Label:
    text: str  # as printed, whitespace removed
    style: str
    end: int  # offset in the paragraph text where the item's own text starts


def label_of(p: Paragraph, outline: bool, printed: re.Match[str] | None) -> Label | None:
    """The label a paragraph opens with: a printed mark (一、 （一） 1. 第X条 …; `printed`, its
    leading_label), or a bare number followed by a gap when the document is a decimal outline
    or the line is a table row."""
    if m := printed:
        return Label("".join(m.group(0).split()), label_style(m), m.end())  # whitespace out (\s, in C)
    if p.spaced_number and (outline or p.table_row) and (m := LEADING_NUMBER.match(p.text)):
        style = f"outline{m.group().count('.') + 1}" if outline else "row"
        return Label(m.group(), style, m.end())
    return None


def split_items(paragraphs: list[Paragraph]) -> list[Item]:
    """Numbered items at every level, by the order in which label styles first appear."""
    printed = [leading_label(p.text) for p in paragraphs]
    outline = any(m and m.group("outline") for m in printed)
    groups: list[tuple[Label | None, list[Paragraph]]] = []
    for p, m in zip(paragraphs, printed):
        label = label_of(p, outline, m)
        if label or not groups or groups[-1][0] is None or is_section_break(p.text):
            groups.append((label, [p]))
        else:
            groups[-1][1].append(p)
    items: list[Item] = []
    stack: list[tuple[str, int]] = []  # (style, ordinal) from the outermost level down
    section = None
    for label, paras in groups:
        ordinal = len(items)
        if label is None:  # unnumbered paragraphs before any numbering: one row each
            if is_section_break(paras[0].text):  # notes or a glossary: numbering starts again
                stack.clear()
                section = paras[0].text
            for p in paras:
                parent = stack[-1][1] if stack else None
                items.append(make_item(len(items), None, None, len(stack) + 1, parent, None, concat([p]),
                                       section=section))
            continue
        styles = [s for s, _ in stack]
        if label.style in styles:
            del stack[styles.index(label.style):]
        parent = stack[-1][1] if stack else None
        stack.append((label.style, ordinal))
        body = concat(paras, skip=label.end)
        heading = heading_of(paras[0].text[label.end:])
        items.append(make_item(ordinal, label.text, label.style, len(stack), parent, heading, body,
                               paragraph_breaks(paras, label.end), section=section))
    return items


# ---------------------------------------------------------------- whole file


def segment_file(lines: list[Line], raw_lines: list[str]) -> list[Document]:
    """Documents of one cleaned file, each with its items (or its table lines)."""
    lines = thread_interleaved(lines)
    paragraphs = join_paragraphs(lines)
    docs = find_headers(paragraphs)
    for k, doc in enumerate(docs):
        doc.end = docs[k + 1].start if k + 1 < len(docs) else len(paragraphs)
    for doc in docs:
        body_end, date, signed_by = signature_at(paragraphs, doc)
        doc.issue_date = doc.issue_date or date
        doc.issuer = (doc.issuer or issuer_from_title(doc.title) or issuer_from_doc_number(doc.doc_number)
                      or report_issuer(doc) or signed_by)
        span = paragraphs[doc.start : doc.end]
        numbered = [p.line_numbers for p in span if p.line_numbers]
        doc.line_start, doc.line_end = (min(map(min, numbered)), max(map(max, numbered))) if numbered else (0, 0)
        body = paragraphs[doc.header_end : body_end]
        table_start = find_table_header(body)
        if table_start is not None:
            first_line = body[table_start].line_end + 1
            doc.table_lines = [
                (n, raw_lines[n - 1]) for n in range(first_line, doc.line_end + 1)
            ]
            # The header may wrap (`序` / `号`): those stubs belong to it, not to the items.
            while table_start > 0 and len(body[table_start - 1].text) <= 2:
                table_start -= 1
            body = body[:table_start]
        doc.items = split_items(body)
    link_parents(docs, paragraphs)
    inherit_from_parents(docs)
    for doc in docs:
        doc.jurisdiction = jurisdiction_of(doc.issuer)
    return docs


TABLE_HEADER_WORDS = ("序号", "工作任务", "责任单位", "配合", "时间进度", "牵头单位", "完成时限")


def find_table_header(body: list[Paragraph]) -> int | None:
    """The paragraph holding a responsibility table's column headers, if the body has one."""
    for k, p in enumerate(body):
        if len(p.text) <= 60 and sum(word in p.text for word in TABLE_HEADER_WORDS) >= 3:
            return k
    return None
