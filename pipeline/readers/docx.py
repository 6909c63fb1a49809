"""Word documents (`.docx`), read with python-docx: the body's paragraphs and tables in order.

A paragraph is a line (a line break inside it starts another). Word keeps automatic list
numbering out of the text, in the numbering definitions (`numbering.xml`): each numbered
paragraph gets its label as Word prints it, from the level's format and pattern (`%1、` with
chineseCounting gives `一、`, `（%2）` gives `（一）`, `%1.` with decimal gives `1.`), counting
per list as Word does (levels below restart, `startOverride` restarts a list). A table is a line
per row, its cells separated by tabs (a cell spanning columns once, a cell spanning rows in each
of its rows, as Word shows it); a one-cell table, a frame around text, is read as paragraphs.
Headers, footers, footnotes and text boxes are not read.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from io import BytesIO

from pipeline.clean import checked_text
from pipeline.errors import InputError

LEVEL_REFERENCE = re.compile(r"%([1-9])")
CIRCLED = {"decimalEnclosedCircle": 0x2460, "decimalEnclosedCircleChinese": 0x2460,
           "decimalEnclosedParen": 0x2474, "decimalEnclosedFullstop": 0x2488}
CYCLES = {"ideographTraditional": "甲乙丙丁戊己庚辛壬癸", "ideographZodiac": "子丑寅卯辰巳午未申酉戌亥"}
CHINESE_COUNTING = ("chineseCounting", "chineseCountingThousand", "taiwaneseCounting",
                    "taiwaneseCountingThousand", "japaneseCounting", "koreanCounting",
                    "ideographLegalTraditional")
CHINESE_LEGAL = ("chineseLegalSimplified", "japaneseLegal")
IDEOGRAPH_DIGITS = "〇一二三四五六七八九"
FULL_WIDTH_DIGITS = str.maketrans("0123456789", "０１２３４５６７８９")
ROMAN = ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"),
         (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))


def read_docx(data: bytes, name: str, warnings: list[str]) -> str:
    """A DOCX file's bytes → its paragraphs and table rows, numbering labels included."""
    import docx
    from docx.table import Table

    try:
        document = docx.Document(BytesIO(data))
    except Exception as error:  # a broken ZIP or XML part: python-docx has no error type of its own
        raise InputError(name, None, "unreadable", f"not a readable DOCX document ({error})") from None
    numbering = Numbering(document)
    lines: list[str] = []
    for block in document.iter_inner_content():
        if isinstance(block, Table):
            lines += table_lines(block, numbering)
        else:
            lines += paragraph_lines(block, numbering)
    if not any(line.strip() for line in lines):
        raise InputError(name, None, "empty", "the document holds no text")
    return checked_text("\n".join(lines), name, warnings)


def paragraph_lines(paragraph, numbering: Numbering) -> list[str]:
    """A paragraph's printed lines, its list label in front; tabs as spaces (a tab separates
    table cells in the reader's text)."""
    text = numbering.label(paragraph) + paragraph.text
    return text.replace("\t", " ").split("\n")


def table_lines(table, numbering: Numbering) -> list[str]:
    rows = [distinct_cells(row) for row in table.rows]
    if len(rows) == 1 and len(rows[0]) == 1:  # a frame around paragraphs
        return [line for block in rows[0][0].iter_inner_content() for line in block_lines(block, numbering)]
    lines = []
    for cells in rows:
        texts = [cell_text(cell, numbering) for cell in cells]
        if any(texts):
            lines.append("\t".join(texts))
    return lines


def distinct_cells(row) -> list:
    """The row's cells, a cell spanning several grid columns once."""
    cells = []
    for cell in row.cells:
        if not cells or cell._tc is not cells[-1]._tc:
            cells.append(cell)
    return cells


def block_lines(block, numbering: Numbering) -> list[str]:
    from docx.table import Table

    return table_lines(block, numbering) if isinstance(block, Table) else paragraph_lines(block, numbering)


def cell_text(cell, numbering: Numbering) -> str:
    """A cell's paragraphs (and nested tables) on one line: joined without a space, except
    between two Latin letters or digits (a space between Chinese characters separates cells)."""
    text = ""
    for block in cell.iter_inner_content():
        for piece in block_lines(block, numbering):
            piece = piece.replace("\t", " ").strip()
            if not piece:
                continue
            if text and text[-1].isascii() and text[-1].isalnum() and piece[0].isascii() and piece[0].isalnum():
                text += " "
            text += piece
    return text


@dataclass(frozen=True)
class Level:
    start: int
    number_format: str
    pattern: str  # lvlText, e.g. `（%2）`
    legal: bool  # isLgl: every number in the pattern printed as decimal
    restart_after: int | None  # lvlRestart: restart only after this level (0 = never); None: any higher
    suffix: str  # what follows the label: a tab, a space or nothing


def attribute(element, tag: str) -> str | None:
    """The w:val of child `tag` of `element`, None when absent."""
    from docx.oxml.ns import qn

    child = element.find(qn(tag)) if element is not None else None
    return child.get(qn("w:val")) if child is not None else None


class Numbering:
    """Word's list numbering: every numbered paragraph's label, counted in document order."""

    def __init__(self, document):
        from docx.oxml.ns import qn

        self.qn = qn
        self.levels: dict[str, dict[int, Level]] = {}
        self.lists: dict[str, tuple[str, dict[int, int]]] = {}  # numId → (abstractNumId, start overrides)
        self.style_levels: dict[str, tuple[str, int]] = {}  # styleId → (abstractNumId, level) via lvl/pStyle
        self.counters: dict[str, dict[int, int]] = {}
        self.started: set[str] = set()
        self.by_style: dict[str | None, tuple[str, int] | None] = {}
        self.styles = document.styles
        try:
            root = document.part.numbering_part.element
        except (KeyError, NotImplementedError):
            return
        for abstract in root.findall(qn("w:abstractNum")):
            abstract_id = abstract.get(qn("w:abstractNumId"))
            levels = self.levels.setdefault(abstract_id, {})
            for lvl in abstract.findall(qn("w:lvl")):
                level = int(lvl.get(qn("w:ilvl"), "0"))
                levels[level] = self.parse_level(lvl)
                if (style := attribute(lvl, "w:pStyle")) is not None:
                    self.style_levels[style] = (abstract_id, level)
        for num in root.findall(qn("w:num")):
            overrides = {}
            for override in num.findall(qn("w:lvlOverride")):
                start = attribute(override, "w:startOverride")
                if start is not None:
                    overrides[int(override.get(qn("w:ilvl"), "0"))] = int(start)
            self.lists[num.get(qn("w:numId"))] = (attribute(num, "w:abstractNumId"), overrides)

    def parse_level(self, lvl) -> Level:
        qn = self.qn
        restart = attribute(lvl, "w:lvlRestart")
        suffix = {"space": " ", "nothing": ""}.get(attribute(lvl, "w:suff") or "tab", " ")
        return Level(
            start=int(attribute(lvl, "w:start") or 1),
            number_format=attribute(lvl, "w:numFmt") or "decimal",
            pattern=attribute(lvl, "w:lvlText") or "",
            legal=lvl.find(qn("w:isLgl")) is not None and attribute(lvl, "w:isLgl") not in ("0", "false"),
            restart_after=int(restart) if restart is not None else None,
            suffix=suffix,
        )

    def numbering_of(self, paragraph) -> tuple[str, int] | None:
        """(numId, level) of a paragraph: its own numPr, else its style's (through basedOn)."""
        p_pr = paragraph._p.pPr
        num_pr = p_pr.numPr if p_pr is not None else None
        if num_pr is not None and num_pr.numId is not None:
            level = num_pr.ilvl.val if num_pr.ilvl is not None else 0
            return str(num_pr.numId.val), level
        style_id = p_pr.style if p_pr is not None else None
        return self.style_numbering(style_id)

    def style_numbering(self, style_id: str | None) -> tuple[str, int] | None:
        """(numId, level) a paragraph style gives (the default style for None), cached: looking
        styles up is most of python-docx's time on a long document."""
        if style_id not in self.by_style:
            from docx.enum.style import WD_STYLE_TYPE

            style = self.styles.get_by_id(style_id, WD_STYLE_TYPE.PARAGRAPH)
            found = None
            while style is not None and found is None:
                num_pr = style.element.pPr.numPr if style.element.pPr is not None else None
                if num_pr is not None and num_pr.numId is not None:
                    level = (num_pr.ilvl.val if num_pr.ilvl is not None
                             else self.style_levels.get(style.style_id, (None, 0))[1])
                    found = (str(num_pr.numId.val), level)
                style = style.base_style
            self.by_style[style_id] = found
        return self.by_style[style_id]

    def label(self, paragraph) -> str:
        found = self.numbering_of(paragraph)
        if found is None or found[0] not in self.lists:
            return ""
        num_id, level = found
        abstract_id, overrides = self.lists[num_id]
        levels = self.levels.get(abstract_id, {})
        if level not in levels:
            return ""
        counters = self.counters.setdefault(abstract_id, {})
        if num_id not in self.started:
            self.started.add(num_id)
            for overridden, start in overrides.items():
                counters.pop(overridden, None)
                counters[overridden] = start - 1
                for deeper in [k for k in counters if k > overridden]:
                    del counters[deeper]
        counters[level] = counters.get(level, levels[level].start - 1) + 1
        for deeper in [k for k in counters if k > level]:
            restart = levels[deeper].restart_after if deeper in levels else None
            if restart is None or (restart and restart - 1 >= level):
                del counters[deeper]
        this = levels[level]
        if this.number_format == "none" or this.number_format == "bullet":
            return ""

        def number(match: re.Match) -> str:
            referenced = int(match.group(1)) - 1
            spec = levels.get(referenced)
            if spec is None:
                return ""
            value = counters.get(referenced, spec.start)
            return format_number(value, "decimal" if this.legal else spec.number_format)

        printed = LEVEL_REFERENCE.sub(number, this.pattern).strip()
        return printed + this.suffix if printed else ""


def format_number(n: int, number_format: str) -> str:
    """`n` as Word prints it in `number_format` (ST_NumberFormat)."""
    import cn2an

    if number_format in CHINESE_COUNTING:
        return cn2an.an2cn(n)
    if number_format in CHINESE_LEGAL:
        return cn2an.an2cn(n, "up")
    if number_format in CIRCLED and 1 <= n <= 20:
        return chr(CIRCLED[number_format] + n - 1)
    if number_format == "ideographEnclosedCircle" and 1 <= n <= 10:
        return chr(0x3220 + n - 1)
    if number_format in CYCLES:
        cycle = CYCLES[number_format]
        return cycle[(n - 1) % len(cycle)]
    if number_format == "ideographDigital":
        return "".join(IDEOGRAPH_DIGITS[int(d)] for d in str(n))
    if number_format in ("decimalFullWidth", "decimalFullWidth2"):
        return str(n).translate(FULL_WIDTH_DIGITS)
    if number_format == "decimalZero":
        return f"{n:02d}"
    if number_format in ("upperRoman", "lowerRoman"):
        roman = ""
        for value, letters in ROMAN:
            count, n = divmod(n, value)
            roman += letters * count
        return roman if number_format == "upperRoman" else roman.lower()
    if number_format in ("upperLetter", "lowerLetter"):
        letter = chr(ord("A") + (n - 1) % 26) * ((n - 1) // 26 + 1)
        return letter if number_format == "upperLetter" else letter.lower()
    return str(n)
