"""Web pages (`.html`, `.htm`, `.shtml`, and pages saved under another name): the main content
only, parsed with lxml.

A saved government page holds far more than the document: a banner, menus, a breadcrumb, an
index table (索引号, 发布机构 …), share and print buttons, related links and a footer. The
document is the deepest element holding nearly all of the page's *prose*: lines with enough
Chinese characters, sentence punctuation and few link characters (menus and link lists are
link text; a footer or a breadcrumb has no sentences). Inside it, navigation, asides, footers
and blocks whose class or id names a share, print, breadcrumb, related-links or paging box are
dropped, and lines that are all link text are dropped. Neither rule knows a site's layout.

The text is one line per paragraph, heading, list item or `<br>`-separated line; a data table
is one line per row, its cells separated by tabs (a layout table, one that holds other tables
or whole paragraphs, is read as blocks). When the content does not carry the document's title
(many pages print it in an `<h1>` above), the title heads the text; a title is a line ending in a
kind of document (`通知`, `实施方案` …), not a site's or a column's name.

The encoding is the one the page declares (`<meta charset>`, `http-equiv`, or an XML
declaration; GB2312 and GBK are read as their superset GB18030), else it is sniffed like a
text file's (UTF-8, GB18030, Big5).
"""
from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

from pipeline.clean import WHITESPACE, checked_text, decode_bytes, is_cjk
from pipeline.errors import InputError

DECLARED_CHARSET = re.compile(
    rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)|^\s*<\?xml[^>]{0,100}?encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""",
    re.IGNORECASE)
XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
# Codecs that read what pages declaring these encodings really hold.
SUPERSETS = {"gb2312": "gb18030", "gbk": "gb18030", "cp936": "gb18030", "x-gbk": "gb18030",
             "gb_2312-80": "gb18030", "hz-gb-2312": "gb18030", "big5": "big5hkscs", "x-big5": "big5hkscs",
             "iso-8859-1": "cp1252", "latin1": "cp1252", "us-ascii": "utf-8", "ascii": "utf-8"}

# Never text of the page.
SKIPPED = ("script", "style", "noscript", "template", "iframe", "object", "embed", "svg", "canvas",
           "button", "select", "input", "textarea", "map", "audio", "video", "head")
BLOCKS = frozenset({
    "address", "article", "aside", "blockquote", "body", "caption", "center", "dd", "details", "dir",
    "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4",
    "h5", "h6", "header", "hr", "li", "main", "menu", "nav", "ol", "p", "pre", "section", "summary",
    "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
})
BOILERPLATE_TAGS = frozenset({"nav", "aside", "footer"})
# Class or id words of boxes that are never the document (matched as whole words of a name:
# `share-box`, `bdsharebuttonbox`, `crumbs`, `print_close`).
BOILERPLATE_NAME = re.compile(
    r"(?:^|[\s_-])(?:bdshare\w*|share\w*|print\w*|close|crumbs?|breadcrumbs?|nav|navbar|menu\w*|"
    r"footer|foot|copyright|related|relate|recommend\w*|comments?|pag(?:er|ination)|toolbar|"
    r"search|login|qrcode|sidebar)(?:$|[\s_-])",
    re.IGNORECASE)
SENTENCE_MARKS = frozenset("。，；！？")  # not ：or 、, which label fields (索引号：…)
MIN_PROSE_CJK = 8  # a line with fewer Chinese characters is not prose (a menu item, a date)
MAX_PROSE_LINK_SHARE = 0.3
MAIN_SHARE = 0.85  # the main content holds this share of the page's prose
MAX_LINK_SHARE = 0.9  # a line of the content that is (nearly) all link text is a link list
LAYOUT_CELL_BLOCKS = 4  # a table cell with this many paragraphs is page layout, not data
LAYOUT_CELL_CHARS = 1000
TITLE_SEPARATORS = re.compile(r"\s*[_|｜]\s*|\s+[-–—]+\s+")
TITLE_LOOKAHEAD = 8  # lines of the content in which its title is looked for
SPACES = re.compile(r"[ \t\n\r\f\v]+")  # HTML whitespace (not \xa0 or \u3000, which are layout)


@dataclass
class Line:
    text: str = ""
    links: int = 0  # characters of the line inside <a>
    block: object = None  # the innermost block element the line starts in

    @property
    def cjk(self) -> int:
        return sum(map(is_cjk, self.text))


def read_html(data: bytes, name: str, warnings: list[str]) -> str:
    """A page's bytes → the lines of its main content."""
    import lxml.html

    markup = XML_DECLARATION.sub("", decode_page(data, name, warnings), count=1)
    if not markup.strip():
        raise InputError(name, None, "empty", "the file is empty or holds only whitespace")
    try:
        root = lxml.html.document_fromstring(markup)
    except Exception as error:  # lxml's ParserError and the like: no document to read
        raise InputError(name, None, "unreadable", f"not a readable HTML page ({error})") from None
    title = page_title(root)  # before <head> goes
    drop_non_text(root)
    body = root.find("body")
    body = root if body is None else body
    main = main_content(body)
    lines = [line for line in Walker(skip=is_boilerplate).lines(main)
             if not line.links or line.links < MAX_LINK_SHARE * len(line.text)]
    texts = [line.text for line in lines]
    if title and not holds_title(texts, title):
        texts.insert(0, title)
    if not any(texts):
        raise InputError(name, None, "empty", "no text found in the page's main content")
    return checked_text("\n".join(texts), name, warnings)


def decode_page(data: bytes, name: str, warnings: list[str]) -> str:
    """The page's text in the encoding it declares; else sniffed like a text file's."""
    bom = next((b for b in (codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
                if data.startswith(b)), None)
    declared = DECLARED_CHARSET.search(data[:8192]) if bom is None else None
    if declared:
        label = (declared.group(1) or declared.group(2)).decode("ascii").lower()
        encoding = SUPERSETS.get(label, label)
        try:
            codecs.lookup(encoding)
            return data.decode(encoding)
        except LookupError:
            warnings.append(f"{name}: the page declares an unknown encoding “{label}”; sniffed instead")
        except UnicodeDecodeError as error:
            warnings.append(f"{name}: the page declares {label} but is not ({error.reason} at byte "
                            f"{error.start}); sniffed instead")
    return decode_bytes(data, name, warnings)


def drop_non_text(root) -> None:
    from lxml import etree

    etree.strip_elements(root, *SKIPPED, etree.Comment, etree.ProcessingInstruction, with_tail=False)


def tag_of(element) -> str:
    return element.tag.lower() if isinstance(element.tag, str) else ""


def is_boilerplate(element) -> bool:
    if tag_of(element) in BOILERPLATE_TAGS:
        return True
    names = f"{element.get('class') or ''} {element.get('id') or ''}".strip()
    return bool(names) and BOILERPLATE_NAME.search(names) is not None


def squeezed(text: str) -> str:
    return WHITESPACE.sub("", text)


class Walker:
    """Lines of an element's text: block elements and <br> break lines, data tables give a
    line per row with tab-separated cells; elements `skip` accepts are left out."""

    def __init__(self, skip=lambda element: False):
        self.skip = skip
        self.out: list[Line] = []
        self.current = Line()
        self.blocks: list[object] = []

    def lines(self, root) -> list[Line]:
        self.blocks = [root]
        self.walk(root, in_link=False)
        self.flush()
        return self.out

    def flush(self) -> None:
        text = self.current.text.strip()
        if text:
            self.current.text = text
            self.out.append(self.current)
        self.current = Line(block=self.blocks[-1] if self.blocks else None)

    def add(self, text: str | None, in_link: bool) -> None:
        if not text:
            return
        text = SPACES.sub(" ", text)
        if not self.current.text:
            self.current.block = self.blocks[-1]
        self.current.text += text
        if in_link:
            self.current.links += len(text.strip())

    def walk(self, element, in_link: bool) -> None:
        tag = tag_of(element)
        if tag == "br":
            self.flush()
            return
        if tag == "table" and is_data_table(element):
            self.flush()
            for row in element.iter("tr"):
                cells = [cell_text(cell) for cell in row if tag_of(cell) in ("td", "th")]
                if any(cells):
                    self.out.append(Line("\t".join(cells), 0, element))
            return
        block = tag in BLOCKS
        if block:
            self.flush()
            self.blocks.append(element)
            self.current.block = element
        in_link = in_link or tag == "a"
        self.add(element.text, in_link)
        for child in element:
            if not self.skip(child):
                self.walk(child, in_link)
            self.add(child.tail, in_link)
        if block:
            self.flush()
            self.blocks.pop()
            self.current.block = self.blocks[-1] if self.blocks else None


def is_data_table(table) -> bool:
    """A table of data (rows of cells), not one that lays out the page."""
    if next(table.iterdescendants("table"), None) is not None:
        return False
    for cell in table.iter("td", "th"):
        paragraphs = sum(1 for child in cell.iter() if tag_of(child) in ("p", "div", "br", "li"))
        if paragraphs >= LAYOUT_CELL_BLOCKS or len(cell.text_content()) > LAYOUT_CELL_CHARS:
            return False
    return True


def cell_text(cell) -> str:
    """A cell's text on one line: its paragraphs joined (a space only between two Latin letters
    or digits, since a space between Chinese characters separates cells)."""
    pieces = [SPACES.sub(" ", line.text).strip() for line in Walker().lines(cell)]
    text = ""
    for piece in filter(None, pieces):
        if text and text[-1].isascii() and text[-1].isalnum() and piece[0].isascii() and piece[0].isalnum():
            text += " "
        text += piece
    return text.replace("\t", " ")


def is_prose(line: Line) -> bool:
    return (line.cjk >= MIN_PROSE_CJK and line.links <= MAX_PROSE_LINK_SHARE * len(line.text)
            and any(ch in SENTENCE_MARKS for ch in line.text))


def main_content(body):
    """The deepest element holding MAIN_SHARE of the page's prose (the body if it has none).
    The descent stops above a single paragraph and above a data table: the document around
    them (its title, 文号, date lines) belongs to it."""
    weight: dict[object, int] = {}
    lines: dict[object, int] = {}
    for line in Walker().lines(body):
        if line.block is None:
            continue
        prose = is_prose(line)
        for element in (line.block, *line.block.iterancestors()):
            lines[element] = lines.get(element, 0) + 1
            if prose:
                weight[element] = weight.get(element, 0) + len(line.text)
    total = weight.get(body, 0)
    main = body
    while total:
        heavy = next((child for child in main if weight.get(child, 0) >= MAIN_SHARE * total), None)
        if heavy is None or lines[heavy] < 2 or (tag_of(heavy) == "table" and is_data_table(heavy)):
            break
        main = heavy
    return main


def page_title(root) -> str | None:
    """The document's title as the page gives it: its metadata, its first `<h1>` that is a
    title, or the part of `<title>` that is (`<title>` adds the site's and the column's names)."""
    for name in ("ArticleTitle", "og:title", "dc.title"):
        for meta in root.iter("meta"):
            if name.lower() in ((meta.get("name") or "").lower(), (meta.get("property") or "").lower()):
                if title := titled(meta.get("content")):
                    return title
    for heading in root.iter("h1"):
        if title := titled(heading.text_content()):
            return title
    title = root.find(".//title")
    if title is not None and title.text:
        return next(filter(None, map(titled, TITLE_SEPARATORS.split(title.text.strip()))), None)
    return None


def titled(text: str | None) -> str | None:
    """`text` as a title line, if it is a document's title: it ends in a kind of document
    (`…的通知`, `…实施方案`, see lexicons/document_kinds.csv), not in a site's or a column's name."""
    from pipeline.segment import kind_of

    text = SPACES.sub(" ", text or "").strip()
    return text if kind_of(WHITESPACE.sub("", text)) is not None else None


def holds_title(lines: list[str], title: str) -> bool:
    """Does the start of the content carry the title, whole or over several lines, or a line
    that is the title's end (`关于…的通知` under a heading that adds the issuer)?"""
    head = [squeezed(line) for line in lines[:TITLE_LOOKAHEAD]]
    wanted = squeezed(title)
    return wanted in "".join(head) or any(len(line) >= 8 and wanted.endswith(line) for line in head)
