"""Stage 1, clean: raw bytes → lines without extraction artefacts → paragraphs.

PDF and DOCX extractions break lines inside words, scatter spaces inside words and numbers,
and leave page numbers, running titles and bookmarks behind; web pages saved as text leave
HTML entities, tag residue and page furniture (下载 打印 【字号：大 中 小】, 来源：…). Cleaning
repairs that while keeping, for every character of the cleaned text, the raw line it came from.

Raw line numbers are those of `grep -n`, `nl -ba` and `sed -n Np`: a line ends at LF (a CRLF
line is one line). A CR alone (or a form feed, vertical tab, U+2028/U+2029, a block tag such
as `<br>`) inside such a line ends a line of layout but not a raw line: the pieces keep the
number of the raw line they are on, so that `grep -n` finds every mention where the data says.
Only a file without any LF (classic Mac text) is numbered by its CRs, since `grep -n` would see
a single line there.
"""
from __future__ import annotations

import bisect
import codecs
import csv
import html
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, fields
from functools import cache
from importlib import resources
from itertools import compress, count, repeat
from re import _constants as sre  # the parsed form of a pattern: see edge_screen
from re import _parser as sre_parser
from typing import NamedTuple

from pipeline.errors import InputError

# Lines whose whole content is a page number: `—2—`, `- 12 -`, a lone `29`.
PAGE_NUMBER = re.compile(r"^[—\-－–―~～]*\s*\d{1,4}\s*[—\-－–―~～]*$")
BOOKMARK = re.compile(r"\[bookmark:[^\]]*\]")
# Magazine credits that belong to no paragraph (a credit label alone, its name on the next
# line, is web-page furniture: see `web_furniture.csv`).
CREDIT = re.compile(r"^(责任编辑|责编|编辑|校对)[\s：:]+\S")
WHITESPACE = re.compile(r"[\s\u3000\u2002-\u200b\ufeff]+")
TERMINAL = frozenset("。！？；：!?;:")
# A paragraph may also end after a closing bracket or quote that follows a terminal mark.
CLOSING = "）)〕】」』”’"
CLOSERS = frozenset(CLOSING)
# A numbered item's label at the start of a paragraph, by style (see segment.label_style).
# Paragraph text is squeezed, so the only space left inside a label is one between two digits
# (`第 1 0 条` reads `第1 0条`); the label in the data is the printed label without whitespace.
CN_DIGITS = "一二三四五六七八九十百千零〇两"
CN_NUMBER = f"[{CN_DIGITS}]{{1,8}}"
DIGITS = "[0-9](?: ?[0-9]){0,3}"  # up to four digits: items numbered past 999
ROMAN = "XII|XI|X|IX|VIII|VII|VI|V|IV|III|II|I"
# After a decimal outline label (1.1, 2.3.1) comes its heading, never a unit of the number.
NOT_A_QUANTITY = r"(?![0-9.%％‰年月日号个家万亿元千百倍项次人户座所件台套亩米吨余多])"
LABEL = re.compile(
    rf"^(?:(?P<cn>{CN_NUMBER})(?P<cn_mark>、)"
    rf"|(?P<cnp_open>[（(])(?P<cnp>{CN_NUMBER})[）)]"
    rf"|(?P<outline>[0-9]{{1,2}}(?:\.[0-9]{{1,2}}){{1,3}}){NOT_A_QUANTITY}(?=[^\x00-\x7f])"
    rf"|(?P<num>{DIGITS})(?P<num_mark>[.．、])(?![0-9])"
    rf"|(?P<num_close>{DIGITS})(?P<close_mark>[)）])"
    rf"|(?P<nump_open>[（(])(?P<nump>{DIGITS})[）)]"
    r"|(?P<circled>[①-⑳㉑-㉟㊱-㊿])"
    r"|(?P<latin_open>[（(])(?P<latinp>[a-z])[）)]"
    r"|(?P<latin>[a-z])\)"
    r"|(?P<roman>(?:xii|xi|x|ix|viii|vii|vi|v|iv|iii|ii|i))\.(?![A-Za-z0-9])"
    rf"|(?P<upper_roman>(?:{ROMAN}))[.、](?![A-Za-z0-9])"
    rf"|第(?P<article>{CN_NUMBER}|{DIGITS})(?P<article_mark>章|节|条|款|编|部分))"
)
# The characters a label can open with (every alternative of LABEL above): a cheap no before
# the pattern for the many lines that open with anything else.
LABEL_STARTS = frozenset(
    CN_DIGITS + "（(0123456789abcdefghijklmnopqrstuvwxyzIVX第"
    + "".join(map(chr, [*range(0x2460, 0x2474), *range(0x3251, 0x3260), *range(0x32B1, 0x32C0)]))
)


def leading_label(text: str) -> re.Match[str] | None:
    """The printed label `text` opens with (LABEL), if any."""
    return LABEL.match(text) if text[:1] in LABEL_STARTS else None


# Lines that always stand alone: a 文号, a date line, a whole-line parenthetical.
STANDALONE_NEXT = re.compile(
    r"^(?:\S{1,12}〔\d{4}〕\d+号|\d{4}年\d{1,2}月\d{1,2}日|[（(][^（()）：:]{1,30}[）)])$"
)
STANDALONE = re.compile(r"^[（(][^（()）：:]{1,60}[）)]$")


@cache
def section_break() -> re.Pattern[str]:
    """`section_breaks.csv`: a heading alone on its line that closes the numbering before it
    and opens notes or a glossary (注：, 名词解释), whose items count from 1 again."""
    with resources.files("pipeline.lexicons").joinpath("section_breaks.csv").open(encoding="utf-8") as fh:
        patterns = [row["pattern"] for row in csv.DictReader(fh)]
    return re.compile("|".join(f"(?:{p})" for p in patterns))


def is_section_break(text: str) -> bool:
    return len(text) <= 8 and section_break().fullmatch(text) is not None


class Line(NamedTuple):
    """One raw line after artefact removal; `text` keeps its inner spaces for layout. (A named
    tuple: there is one per line of every text, and a tuple is made fastest.)"""

    number: int  # 1-based, as `grep -n` counts (pieces of a line split by a lone CR share it)
    text: str
    page_start: bool
    doubled: bool  # the line printed its text twice (two-layer PDF titles)
    compact: str  # the text squeezed (see `squeeze`), computed once
    spaced_number: bool = False  # opens with a number and a gap (`7　附则`): an outline's top level
    gap_before: bool = False  # more blank lines before it than the file's usual line spacing
    table_row: bool = False  # a numbered table row: cells apart by tabs or wide gaps (`1\t新增就业\t10万人`),
    # or the number of a row alone on its line under a 序号 column (cells one a line)


@dataclass(frozen=True, slots=True)
class Paragraph:
    """Cleaned text of one paragraph and, per character, the raw line it came from."""

    text: str
    line_offsets: tuple[int, ...]  # char offset where each contributing raw line starts
    line_numbers: tuple[int, ...]  # the raw line number for each offset
    page_start: bool
    doubled: bool
    spaced_number: bool = False  # its first line opens with a number and a gap (see Line)
    table_row: bool = False  # its first line is a row of table cells (see Line)

    @property
    def line_start(self) -> int:
        return self.line_numbers[0]

    @property
    def line_end(self) -> int:
        return self.line_numbers[-1]

    def line_at(self, offset: int) -> int:
        """Raw line number of the character at `offset`."""
        i = bisect.bisect_right(self.line_offsets, offset) - 1
        return self.line_numbers[max(i, 0)]


# A frozen dataclass's __init__ sets each field through object.__setattr__, looked up and
# called by name; the fields' slot descriptors set them directly, at half the cost (one
# Paragraph per paragraph of every text, one Item per item). The object is the same.
(_set_text, _set_line_offsets, _set_line_numbers, _set_page_start, _set_doubled, _set_spaced_number,
 _set_table_row) = (getattr(Paragraph, f.name).__set__ for f in fields(Paragraph))


def make_paragraph(text: str, line_offsets: tuple[int, ...], line_numbers: tuple[int, ...], page_start: bool,
                   doubled: bool, spaced_number: bool = False, table_row: bool = False) -> Paragraph:
    """`Paragraph(...)` of the same arguments, made faster (see above)."""
    p = object.__new__(Paragraph)
    _set_text(p, text)
    _set_line_offsets(p, line_offsets)
    _set_line_numbers(p, line_numbers)
    _set_page_start(p, page_start)
    _set_doubled(p, doubled)
    _set_spaced_number(p, spaced_number)
    _set_table_row(p, table_row)
    return p


def decode(data: bytes, name: str, warnings: list[str] | None = None) -> str:
    """Raw bytes → text: UTF-8 (± BOM), UTF-16/32 with BOM, UTF-16 without one, GB18030 (and so
    GBK, GB2312) or Big5; else InputError naming the file (and line where there is one).

    A text that stops inside a character (a cut-off file) loses only that character. The text
    is then normalised line by line, so raw line numbers stay right: traditional characters
    become simplified, full-width digits, letters, `％` and `．` ASCII. What was repaired is
    appended to `warnings` as `file:line: message`.
    """
    warnings = [] if warnings is None else warnings
    if not data.strip():
        raise InputError(name, None, "empty", "the file is empty or holds only whitespace")
    for signature, what in SIGNATURES:
        if data.startswith(signature):
            raise InputError(name, None, "binary", f"{what}, not a text file")
    return checked_text(decode_bytes(data, name, warnings), name, warnings)


def checked_text(text: str, name: str, warnings: list[str]) -> str:
    """Decoded text (from bytes, or from a reader of another format) as the later stages take
    it: checked to be Chinese text with line breaks, and normalised line by line."""
    if not text.strip():
        raise InputError(name, None, "empty", "the file is empty or holds only whitespace")
    text = without_control_characters(text, name, warnings)
    if "\r" in text and "\n" not in text:  # classic Mac line ends: grep -n sees one line
        text = text.replace("\r", "\n")
    if not looks_chinese(text[:200_000]):
        raise InputError(name, None, "not_chinese", "no Chinese text found")
    check_line_lengths(text, name)
    return normalise(text, name, warnings)


# Files that are not text, by their first bytes (a PDF or a DOCX never gets here: the readers
# in pipeline/readers take them, whatever their name).
SIGNATURES = (
    (b"%PDF-", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive (an XLSX or another document that is not a DOCX)"),
    (b"PK\x05\x06", "an empty ZIP archive"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Word/Excel document"),
    (b"{\\rtf", "an RTF document"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"Rar!\x1a\x07", "a RAR archive"),
    (b"\x7fELF", "an executable"),
)
MAX_LINE_CHARS = 100_000  # longer than any paragraph: line breaks were lost in extraction
# A wrong decoding (Big5 read as GB18030, say) is full of characters no Chinese text uses.
MAX_UNUSUAL_SHARE = 0.2
MAX_CONTROL_SHARE = 0.01
CUT_REASONS = ("unexpected end of data", "incomplete multibyte sequence", "truncated data")
MIN_CJK_SHARE = 0.05
CJK_RUN = re.compile("[\u3400-\u9fff\uf900-\ufaff\U00020000-\U0010ffff]+")


def run_length(pattern: re.Pattern, text: str) -> int:
    """Characters of `text` in runs of `pattern` (counting runs makes far fewer objects)."""
    return sum(map(len, pattern.findall(text)))


def looks_chinese(sample: str) -> bool:
    """Some Chinese characters, and not a stray one in Latin text read with the wrong codec."""
    needed = MIN_CJK_SHARE * len(sample)  # enough, however much of the sample is whitespace
    head = run_length(CJK_RUN, sample[: 2 * int(needed) + 1])
    if head and head >= needed:  # a Chinese text says so in its first tenth
        return True
    cjk = run_length(CJK_RUN, sample)
    return cjk > 0 and cjk >= MIN_CJK_SHARE * (len(sample) - run_length(WHITESPACE, sample))


def decode_bytes(data: bytes, name: str, warnings: list[str]) -> str:
    """Find the encoding; the text as decoded, before any normalisation."""
    for bom, encoding in ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
                          (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            try:
                return tolerating_cut(data, encoding, name, warnings)
            except UnicodeDecodeError as error:
                raise encoding_error(data, error, encoding, name, "broken " + encoding.upper()) from None
    if b"\x00" in data[:4096]:
        for encoding in ("utf-16-le", "utf-16-be"):  # UTF-16 written without its BOM
            try:
                text = tolerating_cut(data, encoding, name, [])
            except UnicodeDecodeError:
                continue
            if unusual_share(text) <= MAX_UNUSUAL_SHARE and any(is_cjk(ch) for ch in text[:200_000]):
                warnings.append(f"{name}: UTF-16 without a byte-order mark; read as {encoding.upper()}")
                return text
        raise InputError(name, None, "binary", "binary data (NUL bytes), not a text file")
    body = data.removeprefix(codecs.BOM_UTF8)
    try:
        return tolerating_cut(body, "utf-8", name, warnings)
    except UnicodeDecodeError as utf8_error:
        if body is not data or mostly_utf8(body):
            raise encoding_error(body, utf8_error, "utf-8", name, "not valid UTF-8",
                                 len(data) - len(body)) from None
        first_error = utf8_error
    for encoding in ("gb18030", "cp950", "big5hkscs"):
        try:
            text = tolerating_cut(data, encoding, name, [])
        except UnicodeDecodeError as error:
            if encoding == "gb18030":
                first_error = error
            continue
        if unusual_share(text) <= MAX_UNUSUAL_SHARE:
            return tolerating_cut(data, encoding, name, warnings)
    raise encoding_error(data, first_error, first_error.encoding, name,
                         "neither UTF-8, GB18030 nor Big5") from None


def tolerating_cut(data: bytes, encoding: str, name: str, warnings: list[str]) -> str:
    """Decode strictly, except that a text cut off inside its last character loses it."""
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as error:
        if error.end < len(data) or error.reason not in CUT_REASONS:
            raise
        text = data[: error.start].decode(encoding)
        warnings.append(f"{name}:{text.count(chr(10)) + 1}: the file ends inside a character "
                        "(cut off?); the incomplete character is dropped")
        return text


def mostly_utf8(data: bytes) -> bool:
    """Are most non-ASCII characters valid UTF-8? Then a few bad bytes are damage, not GB18030."""
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    good = len(text) - len(text.encode("ascii", errors="ignore")) - bad
    return good > 4 * bad


def encoding_error(data: bytes, error: UnicodeDecodeError, encoding: str, name: str,
                   what: str, offset: int = 0) -> InputError:
    """Where decoding fails: line and column of the first bad byte, and how many there are."""
    before = data[: error.start].decode(encoding, errors="replace")
    line = before.count("\n") + 1
    column = len(before) - before.rfind("\n")
    bad_bytes = data[error.start : error.end].hex(" ")
    count = data.decode(encoding, errors="replace").count("\ufffd")
    more = f" ({count} undecodable places in all)" if count > 1 else ""
    return InputError(name, line, "encoding",
                      f"{what}: undecodable bytes {bad_bytes} at line {line}, column {column} "
                      f"(byte offset {offset + error.start}){more}")


@cache
def is_usual(ch: str) -> bool:
    """A character a Chinese text may use: a common hanzi (GB2312 or Big5), CJK punctuation,
    full-width forms, general punctuation, circled numbers, shapes and a few signs."""
    if is_cjk(ch):
        for encoding in ("gb2312", "big5"):
            try:
                ch.encode(encoding)
                return True
            except UnicodeEncodeError:
                pass
        return False
    code = ord(ch)
    return (
        code < 0x80 or 0x3000 <= code <= 0x303F or 0xFF00 <= code <= 0xFFEF
        or 0x2000 <= code <= 0x206F or 0x2460 <= code <= 0x24FF or 0x25A0 <= code <= 0x25FF
        or 0x2160 <= code <= 0x217F or ch in "·×÷°℃№±≤≥≈～"
    )


def unusual_share(text: str, sample: int = 100_000) -> float:
    """Share of the non-ASCII, non-space characters that no Chinese text would use."""
    counts = Counter(ch for ch in text[:sample] if ord(ch) > 0x7F and not ch.isspace())
    total = sum(counts.values())
    if not total:
        return 0.0
    return sum(n for ch, n in counts.items() if not is_usual(ch)) / total


CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")


def without_control_characters(text: str, name: str, warnings: list[str]) -> str:
    """Binary data when control characters abound; a few strays are dropped with a warning."""
    first = CONTROL.search(text)
    if first is None:
        return text
    found = CONTROL.findall(text[:200_000])
    if len(found) > max(10, MAX_CONTROL_SHARE * min(len(text), 200_000)):
        raise InputError(name, None, "binary", "binary data (control characters), not a text file")
    line = text.count("\n", 0, first.start()) + 1
    cleaned = CONTROL.sub("", text)
    warnings.append(f"{name}:{line}: {len(text) - len(cleaned)} control character(s) removed")
    return cleaned


def check_line_lengths(text: str, name: str) -> None:
    """A line longer than any paragraph means the extraction lost its line breaks; reading it
    would take minutes for nothing useful, so it is refused."""
    if len(text) <= MAX_LINE_CHARS:  # no line of it can be too long
        return
    for number, line in enumerate(text.split("\n"), start=1):
        if len(line) > MAX_LINE_CHARS and max(map(len, LAYOUT_BREAK.split(line))) > MAX_LINE_CHARS:
            raise InputError(
                name, number, "line_too_long",
                f"line {number} has {len(line):,} characters, more than the {MAX_LINE_CHARS:,} "
                "a paragraph can have: the extraction lost its line breaks",
            )


# Full-width digits, letters, `％` and `．` as ASCII, so numbers, years and labels read them;
# other full-width punctuation (（），：) is kept as printed.
FULL_WIDTH = str.maketrans(
    "０１２３４５６７８９％．"
    "ＡＢＣＤＥＦＧＨＩＪＫＬＭＮＯＰＱＲＳＴＵＶＷＸＹＺａｂｃｄｅｆｇｈｉｊｋｌｍｎｏｐｑｒｓｔｕｖｗｘｙｚ",
    "0123456789%.ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz",
)
# Convert to simplified only a text written in traditional characters, not a simplified text
# that quotes a traditional name (or holds a character OpenCC would change in context).
MIN_TRADITIONAL_SHARE = 0.01


@cache
def to_simplified():
    import opencc

    return opencc.OpenCC("t2s")


@cache
def t2s_changes() -> tuple[re.Pattern[str], dict[str, tuple[tuple[str, int], ...]]]:
    """`t2s_changes.csv` (the keys of OpenCC's t2s dictionaries it replaces by something else)
    read for may_convert: each key under each of its characters that changes (all of them when
    the replacement has another length), with the character's offset in the key; and a pattern
    finding those characters (the astral ones by their range: a class of hundreds of astral
    characters is scanned slowly)."""
    keys_at: dict[str, list[tuple[str, int]]] = {}
    with resources.files("pipeline.lexicons").joinpath("t2s_changes.csv").open(encoding="utf-8") as fh:
        rows = csv.reader(fh)
        next(rows)  # traditional,simplified (a DictReader takes longer than the rest of this)
        for key, value in rows:
            changed = range(len(key)) if len(value) != len(key) else [
                k for k, (a, b) in enumerate(zip(key, value)) if a != b]
            for k in changed:
                keys_at.setdefault(key[k], []).append((key, k))
    bmp = "".join(sorted(ch for ch in keys_at if ch < "\U00010000"))
    pattern = re.compile(f"[{re.escape(bmp)}\U00010000-\U0010ffff]")
    return pattern, {ch: tuple(keys) for ch, keys in keys_at.items()}


def may_convert(text: str) -> bool:
    """Can OpenCC's t2s change `text`? It replaces the dictionary keys it finds and leaves every
    other character as it is, so only if `text` holds a key t2s_changes.csv lists: looked for at
    the characters where a key changes, far fewer than the text's characters."""
    pattern, keys_at = t2s_changes()
    for m in pattern.finditer(text):
        at = m.start()
        for key, offset in keys_at.get(m.group(), ()):
            if offset <= at and text.startswith(key, at - offset):
                return True
    return False


def normalise(text: str, name: str, warnings: list[str]) -> str:
    """Web residue out, invisible characters out, compatibility forms, full-width → ASCII and
    traditional → simplified (with a warning), each within its raw line: no step ever adds or
    removes a line feed, so every character keeps its raw line number."""
    text = normalised_characters(without_web_residue(text))
    sample = text[:200_000]
    if not may_convert(sample):  # the usual case: nothing traditional to convert
        return text
    converter = to_simplified()
    converted = converter.convert(sample)
    if converted == sample:
        return text
    cjk = run_length(CJK_RUN, sample)
    changed = sum(a != b for a, b in zip(sample, converted))
    if not cjk or changed < max(2, MIN_TRADITIONAL_SHARE * cjk):
        return text
    lines = text.split("\n")
    simplified = [converter.convert(line) for line in lines]
    pairs = [(n, a, b) for n, (old, new) in enumerate(zip(lines, simplified), start=1)
             if old != new for a, b in zip(old, new) if a != b]
    if not pairs:
        return text
    examples = "、".join(list(dict.fromkeys(f"{a}→{b}" for _, a, b in pairs))[:5])
    warnings.append(f"{name}:{pairs[0][0]}: written in traditional characters; {len(pairs)} "
                    f"converted to simplified ({examples} …)")
    return "\n".join(simplified)

# ---------------------------------------------------------------- web residue, invisible characters

# An HTML entity: numeric (`&#12288;`, `&#x3000;`, the `;` often lost) or named with its `;`
# (`&nbsp;`, `&ldquo;`); `&nbsp` also without it, as crawler dumps write it.
ENTITY = re.compile(r"&(?:#[0-9]{1,7};?|#[xX][0-9a-fA-F]{1,6};?|[A-Za-z][A-Za-z0-9]{1,31};|nbsp(?![A-Za-z0-9]))")
# What a line end or a control character decoded from an entity becomes: never a new raw line.
ENTITY_SPACE = str.maketrans({"\n": " ", "\r": " ", "\x0b": " ", "\x0c": " ", "\x85": " ",
                              "\u2028": " ", "\u2029": " "})
ENTITY_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
# Tag residue of a page saved as text. Block tags end a line of layout (a lone CR, see the
# module docstring), a cell opens with a tab, inline tags and comments disappear. Only
# the names of HTML tags are read as tags, so `<5%` or `<一>` stay text.
BLOCK_TAGS = "p|div|br|hr|li|ul|ol|dl|dt|dd|tr|table|tbody|thead|tfoot|caption|h[1-6]|section|article|" \
             "header|footer|nav|aside|main|blockquote|center|pre|form|html|head|body|title"
CELL_TAGS = "td|th"
INLINE_TAGS = "span|font|strong|b|i|u|em|a|img|sup|sub|small|big|s|strike|del|ins|label|input|" \
              "button|select|option|textarea|iframe|meta|link|col|colgroup|nobr|wbr|code|tt|abbr|" \
              "cite|q|mark|o:p|v:[a-z]+|w:[a-z]+|st1:[a-z]+"
TAG = re.compile(
    rf"<(?P<script>script|style)\b[^<>\n]*>[^\n]*?</(?P=script)\s*>"
    rf"|<\s*(?P<close>/)?\s*(?:(?P<block>{BLOCK_TAGS})|(?P<cell>{CELL_TAGS})|(?:{INLINE_TAGS}))(?![A-Za-z0-9-])[^<>\n]*>"
    r"|<!--[^\n]*?-->|<!\[[^<>\n]*\]>",
    re.IGNORECASE,
)
# Invisible characters: zero-width space, non-joiner and joiner, word joiner and invisible
# operators, soft hyphen, combining grapheme joiner, a byte-order mark inside the text,
# bidirectional controls, variation selectors. Dropped, so that none splits a number, a label
# or a name (`1\u200b0亿元`, `第\u00ad十条`).
INVISIBLE = re.compile("[\u00ad\u034f\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064"
                       "\u2066-\u206f\ufe00-\ufe0f\ufeff]")
# Compatibility characters whose NFKC form is the character meant, and safe to read as such:
# Roman numerals (Ⅱ → II), parenthesised and period numbers (⑴ → (1), ⒈ → 1.), Kangxi radicals
# a PDF extraction emits for ideographs (⼀⼆ → 一二), parenthesised ideographs (㈠ → (一)), CJK
# compatibility ideographs and Latin ligatures. Circled numbers (①) are labels as printed and
# full-width punctuation is kept as printed, so NFKC is not applied to the whole text.
COMPATIBLE = re.compile("[\u2160-\u217f\u2474-\u249b\u2f00-\u2fdf\u3220-\u3243\uf900-\ufaff"
                        "\ufb00-\ufb06\U0002f800-\U0002fa1f]+")
RADICAL = re.compile("[\u2e80-\u2eff]")
# Runs of the characters one of the steps of `normalise` changes (the union of the classes above).
NORMALISED_RUN = re.compile("[" + "".join(pattern.pattern.strip("[]+") for pattern in (INVISIBLE, COMPATIBLE, RADICAL))
                            + re.escape("".join(map(chr, FULL_WIDTH))) + "]+")


def without_web_residue(text: str) -> str:
    """HTML entities decoded (`&nbsp;` is a space, `&ldquo;` is “, `&amp;nbsp;` a space too) and
    tag residue dropped, within each raw line."""
    if "&" in text:
        for _ in range(3):  # `&amp;nbsp;` is an entity written as an entity
            decoded = ENTITY.sub(decoded_entity, text)
            if decoded == text:
                break
            text = decoded
    if "<" in text:
        text = TAG.sub(tag_replacement, text)
    return text


def decoded_entity(match: re.Match[str]) -> str:
    decoded = html.unescape(match.group())
    if decoded == match.group():  # not an entity HTML knows: text as printed
        return decoded
    return ENTITY_CONTROL.sub("", decoded.translate(ENTITY_SPACE))


def tag_replacement(match: re.Match[str]) -> str:
    if match.group("block"):
        return "\r"
    if match.group("cell") and not match.group("close"):
        return "\t"
    return ""


@cache
def radical_forms() -> dict[str, str]:
    """CJK radical-supplement characters a PDF extraction emits for whole ideographs (⻓ → 长)."""
    with resources.files("pipeline.lexicons").joinpath("radical_forms.csv").open(encoding="utf-8") as fh:
        return {row["radical"]: row["character"] for row in csv.DictReader(fh)}


def normalised_characters(text: str) -> str:
    """Invisible characters dropped, compatibility characters (see COMPATIBLE) and radical forms
    as the characters they stand for, full-width digits and letters as ASCII: one scan over the
    text (most texts hold none of them). Each of these steps maps a character alone and gives no
    character another step would change, so a run is mapped character by character."""
    return NORMALISED_RUN.sub(normalised_run, text)


def normalised_run(run: re.Match[str]) -> str:
    return "".join(map(normalised_character, run.group()))


@cache
def normalised_character(ch: str) -> str:
    """What `normalised_characters` makes of one character of NORMALISED_RUN."""
    if INVISIBLE.match(ch):
        return ""
    if COMPATIBLE.match(ch):
        return unicodedata.normalize("NFKC", ch)
    if RADICAL.match(ch):
        return radical_forms().get(ch, ch)
    return ch.translate(FULL_WIDTH)


def is_cjk(ch: str) -> bool:
    return "\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff" or "\U00020000" <= ch


def squeeze(text: str) -> str:
    """Remove whitespace except a single space between two ASCII letters or digits.

    `2. 4%` → `2.4%`, `基础 设 施` → `基础设施`, `30 亿元` → `30亿元`, `Data Package` stays.
    """
    if "\u200b" in text or "\ufeff" in text:  # whitespace to WHITESPACE, not to str.split
        parts = WHITESPACE.split(text.strip())
    else:  # the same parts, split in C
        parts = text.split() or [""]
    out = parts[0]
    for part in parts[1:]:
        if out and part and out[-1] in ASCII_ALNUM_CHARS and part[0] in ASCII_ALNUM_CHARS:
            out += " "
        out += part
    return out


def undouble(text: str, squeezed: str | None = None) -> tuple[str, bool]:
    """`标题标题` or `标题   标题` (a title printed twice) → `标题`. (`squeezed`: the text
    without whitespace, when the caller has it.)"""
    squeezed = WHITESPACE.sub("", text) if squeezed is None else squeezed
    half = len(squeezed) // 2
    if half >= 4 and len(squeezed) % 2 == 0 and squeezed[:half] == squeezed[half:]:
        return squeezed[:half], True
    return text, False


# Characters whose printed width is two: CJK, its punctuation, full-width forms.
WIDE_RANGES = "\u2e80-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef\U00020000-\U0003ffff"
MAYBE_NARROW = re.compile(f"[^\\x00-\\x7f{WIDE_RANGES}\\s]")
ASCII_ALNUM = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
ASCII_ALNUM_CHARS = frozenset(ASCII_ALNUM.decode())
# A whitespace character after or before an ASCII letter or digit (the pattern opens with \s,
# so the scan skips the other characters fast; a lookbehind first would be tried at each one).
SPACE_NEAR_ASCII = re.compile(r"\s(?:(?<=[A-Za-z0-9]\s)|(?=[A-Za-z0-9]))")


@cache
def is_narrow(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) not in "WFA"


def display_width(text: str) -> int:
    """Printed width in half-character units. Extraction turned some full-width punctuation
    into ASCII and added stray spaces, so ASCII punctuation counts full and spaces nothing,
    except a gap next to a digit or Latin letter, which is real layout space."""
    visible = "".join(text.split())  # str.split and the pattern \s take the same characters
    ascii_part = visible.encode("ascii", "ignore")
    alnum = len(ascii_part) - len(ascii_part.translate(None, ASCII_ALNUM)) if ascii_part else 0
    narrow = 0
    if len(ascii_part) < len(visible) and (maybe_narrow := MAYBE_NARROW.findall(visible)):
        narrow = sum(map(is_narrow, maybe_narrow))
    gaps = len(SPACE_NEAR_ASCII.findall(text)) if len(visible) < len(text) else 0
    return 2 * len(visible) - alnum - narrow + gaps


# Parts the texts in one joined text: no whitespace (str.split keeps it), no letter or digit.
JOINER = "\x00"
NOT_ALNUM_NOR_JOINER = bytes(b for b in range(128) if b not in ASCII_ALNUM and b != ord(JOINER))


def display_widths(texts: list[str]) -> list[int]:
    """`display_width` of each text, with the per-line work in C over one joined text (decode
    removes the joiner, a control character, from every text): whitespace out, ASCII letters
    and digits counted, narrow characters (mostly none in a file) located where they occur."""
    if not texts:
        return []
    joined = JOINER.join(texts)
    if joined.count(JOINER) != max(len(texts) - 1, 0):  # a text holding the joiner
        return list(map(display_width, texts))
    visible = "".join(joined.split())
    rows = visible.split(JOINER)
    alnum = visible.encode("ascii", "ignore").translate(None, NOT_ALNUM_NOR_JOINER).split(JOINER.encode())
    widths = [2 * len(row) - len(digits) for row, digits in zip(rows, alnum)]
    narrow = {ch for ch in set(MAYBE_NARROW.findall(visible)) if is_narrow(ch)}
    if narrow:
        line, counted = 0, 0
        for m in re.finditer("|".join(map(re.escape, narrow)), visible):
            line += visible.count(JOINER, counted, m.start())
            counted = m.start()
            widths[line] -= 1
    # Gaps next to ASCII, in the lines holding whitespace and a letter or digit: removed from
    # all of them at once, each line's count is what its length lost.
    gapped = [i for i, (row, text, ascii) in enumerate(zip(rows, texts, alnum)) if ascii and len(row) < len(text)]
    if gapped:
        spaced = [texts[i] for i in gapped]
        without_gaps = SPACE_NEAR_ASCII.sub("", JOINER.join(spaced)).split(JOINER)
        for i, text, rest in zip(gapped, spaced, without_gaps):
            widths[i] += len(text) - len(rest)
    return widths


# Besides a digit, the last character of a stripped line that may be a page number (strip()
# keeps the last two, which WHITESPACE removes).
PAGE_NUMBER_END = frozenset("—-－–―~～\u200b\ufeff")


def is_page_number(stripped: str) -> bool:
    """`—2—`, `- 12 -`, `3`: a line that is only a page number (whitespace anywhere)."""
    last, first = stripped[-1], stripped[0]  # a quick no for nearly every line
    return ((last.isdecimal() or last in PAGE_NUMBER_END) and (first.isdecimal() or first in PAGE_NUMBER_END)
            and PAGE_NUMBER.match(WHITESPACE.sub("", stripped)) is not None)


# Ends of a line of layout inside a raw line (see the module docstring); a form feed also
# starts a new page, as pdftotext writes it.
LAYOUT_BREAK = re.compile("([\r\x0b\x0c\x85\u2028\u2029])")
# A line opening with a number, a gap and text (`7　附则`, `2.1 目标`): the printed label of a
# decimal outline, whose gap squeezing removes.
SPACED_NUMBER = re.compile(rf"[0-9]{{1,4}}(?:\.[0-9]{{1,2}}){{0,3}}[ \t\u3000\u00a0]+{NOT_A_QUANTITY}[^\x00-\x7f]")
# The gap between two cells of a table row: a tab or a run of spaces.
CELL_GAP = re.compile(r"\t|[ \u3000\u00a0]{2,}")


def layout_lines(raw_line: str) -> list[tuple[str, bool]]:
    """The lines of layout of one raw line, each with whether a form feed starts it."""
    if not LAYOUT_BREAK.search(raw_line):
        return [(raw_line, False)]
    parts = LAYOUT_BREAK.split(raw_line)
    pieces = [(parts[0], False)]
    for separator, piece in zip(parts[1::2], parts[2::2]):
        pieces.append((piece, separator == "\x0c"))
    return pieces


def layout_pieces(text: str) -> Iterable[tuple[int, str, bool]]:
    """(raw line number, line of layout, whether a form feed starts it) for each line of layout
    of `text` (see `layout_lines`); without layout breaks (nearly every text) one per raw line."""
    raw = text.split("\n")
    if LAYOUT_BREAK.search(text) is None:
        return zip(count(1), raw, repeat(False))
    return [(number, piece, form_feed) for number, raw_line in enumerate(raw, start=1)
            for piece, form_feed in layout_lines(raw_line.removesuffix("\r"))]


def clean_lines(text: str, name: str = "", warnings: list[str] | None = None) -> list[Line]:
    """Raw text → lines without page numbers, bookmarks, credits, web-page furniture and running
    titles. How many lines were web-page furniture is appended to `warnings` (when given) as
    `file:line: message`."""
    lines: list[Line] = []
    blank_runs: list[int] = []  # blank lines before each kept line; -1 across a dropped artefact
    after_page_number = False
    blank = 0
    next_row = 0  # the number the next row of a table with a 序号 column has (0: no such table)
    # Per text, what nearly every text lacks: layout breaks, bookmarks, zero-width characters
    # (whitespace to WHITESPACE, not to str.split); each line is then read with fewer checks.
    bookmarks = "[bookmark:" in text
    zero_width = "\u200b" in text or "\ufeff" in text
    make = tuple.__new__  # Line(…) without the Python frame of its generated __new__
    for number, piece, form_feed in layout_pieces(text):
        content = BOOKMARK.sub("", piece) if bookmarks and "[bookmark:" in piece else piece
        stripped = content.strip()
        if not stripped:
            after_page_number = after_page_number or form_feed
            blank += 1
            continue
        row_number = next_row and stripped.isdecimal() and int(stripped) in (next_row, 1)
        last = stripped[-1]  # a quick no for nearly every line, before the patterns
        if ((last.isdecimal() or last in PAGE_NUMBER_END) and is_page_number(stripped) and not row_number) or (
                stripped[0] in "责编校" and CREDIT.match(stripped)):
            after_page_number = True
            blank = -1
            continue
        if row_number:  # the 序号 cell of a table row, alone on its line: the row's label
            next_row = int(stripped) + 1
        elif stripped.startswith("序号"):
            next_row = 1
        page_start = after_page_number or form_feed or (content[0] == " " and not content.startswith("  "))
        blank_runs.append(-1 if after_page_number or blank < 0 else blank)
        after_page_number = False
        blank = 0
        # Most lines hold no whitespace at all: str.split finds any in C (the zero-width
        # characters WHITESPACE also takes are looked for only in a text holding them).
        spaced = len(stripped.split(None, 1)) > 1 or (zero_width and WHITESPACE.search(stripped) is not None)
        squeezed = (WHITESPACE.sub("", stripped) if zero_width else "".join(stripped.split())) if spaced else stripped
        half = len(squeezed) // 2  # undouble, inline: a doubled line's halves are equal
        if half >= 4 and not len(squeezed) % 2 and squeezed[0] == squeezed[half] and squeezed[:half] == squeezed[half:]:
            content, doubled = squeezed[:half], True
        else:
            content, doubled = stripped, False
        if spaced:
            spaced_number = bool(row_number) or (stripped[0].isdigit() and SPACED_NUMBER.match(stripped) is not None)
            table_row = bool(row_number) or (spaced_number and len(CELL_GAP.split(stripped, maxsplit=2)) == 3)
            compact = squeeze(content)
        else:
            spaced_number = table_row = bool(row_number)
            compact = content
        lines.append(make(Line, (number, content, page_start, doubled, compact, spaced_number, False, table_row)))
    lines = with_gaps(lines, blank_runs)
    lines, furniture = drop_furniture(lines)
    if furniture and warnings is not None:
        examples = "、".join(dict.fromkeys(text for _, text in furniture[:40]))[:60]
        warnings.append(f"{name}:{furniture[0][0]}: {len(furniture)} line(s) of web-page furniture "
                        f"dropped ({examples} …)")
    return drop_running_titles(lines)


def with_gaps(lines: list[Line], blank_runs: list[int]) -> list[Line]:
    """Mark the lines a wider gap than usual precedes. Some extractions put a blank line after
    every line, others none: only more blank lines than the most common run is a paragraph
    break the layout shows (a run across a dropped page number is no gap)."""
    runs = Counter(run for run in blank_runs if run >= 0)
    if not runs:
        return lines
    usual = max(runs, key=lambda run: (runs[run], -run))
    return [line._replace(gap_before=True) if run > usual else line for line, run in zip(lines, blank_runs)]


# ---------------------------------------------------------------- web-page furniture

FURNITURE_KINDS = ("line", "label", "menu", "option", "trailer")
# Furniture lines are short; a longer line is text (a trailer's links are at most this long).
FURNITURE_MAX = 60
LINK_MAX = 60


@dataclass(frozen=True)
class Furniture:
    any: re.Pattern[str]  # anything below: most lines are ruled out by this one match
    line: re.Pattern[str]  # a whole line that is furniture
    labels: tuple[re.Pattern[str], ...]  # label lines; when `value` is empty it is the next line
    menu: re.Pattern[str]  # opens a menu of options (【字号：), closed by 】
    option: re.Pattern[str]  # one option of such a menu (大, 中, 小, 加大 …)
    trailer: re.Pattern[str]  # a related-content heading: it and the link lines after it
    # (characters it can open with, characters it can end with): a line `any` matches whole
    # opens with one of the first or ends with one of the second (see edge_screen); None when
    # some pattern allows no such screen.
    edges: tuple[frozenset[str], frozenset[str]] | None = None


@cache
def furniture_rules() -> Furniture:
    """`pipeline/lexicons/web_furniture.csv`: one regular expression per row, by kind."""
    patterns: dict[str, list[str]] = {kind: [] for kind in FURNITURE_KINDS}
    path = resources.files("pipeline.lexicons").joinpath("web_furniture.csv")
    with path.open(encoding="utf-8") as fh:
        for line, row in enumerate(csv.DictReader(fh), start=2):
            kind, pattern = row["kind"].strip(), row["pattern"].strip()
            if kind not in FURNITURE_KINDS:
                raise ValueError(f"web_furniture.csv line {line}: kind {kind!r} is not one of {FURNITURE_KINDS}")
            try:
                compiled = re.compile(pattern)
            except re.error as error:
                raise ValueError(f"web_furniture.csv line {line}: bad pattern {pattern!r}: {error}") from None
            if kind == "label" and "value" not in compiled.groupindex:
                raise ValueError(f"web_furniture.csv line {line}: a label pattern needs a (?P<value>…) group")
            patterns[kind].append(pattern)

    def union(kind: str) -> re.Pattern[str]:
        return re.compile("|".join(f"(?:{p})" for p in patterns[kind]) or "(?!)")

    labels = tuple(re.compile(p) for p in patterns["label"])
    screened = [p for kind in ("line", "label", "menu", "trailer") for p in patterns[kind]]
    anything = "|".join(f"(?:{p})" for p in screened)
    return Furniture(re.compile(re.sub(r"\(\?P<\w+>", "(?:", anything)), union("line"), labels,
                     union("menu"), union("option"), union("trailer"), edge_screen(screened))


def edge_screen(patterns: list[str]) -> tuple[frozenset[str], frozenset[str]] | None:
    """(first, last): a text one of `patterns` matches whole opens with a character of `first`
    or ends with one of `last` (each pattern screened by its first characters where it has a
    known set of them, else by its last); None when a pattern has neither (it may open and end
    with anything, or ignores case)."""
    first: set[str] = set()
    last: set[str] = set()
    for pattern in patterns:
        parsed = sre_parser.parse(pattern)
        if parsed.state.flags & re.IGNORECASE:
            return None
        if (opening := edge_chars(list(parsed), at_end=False)) and not opening[1]:
            first |= opening[0]
        elif (ending := edge_chars(list(parsed), at_end=True)) and not ending[1]:
            last |= ending[0]
        else:
            return None
    return frozenset(first), frozenset(last)


def edge_chars(items: list, at_end: bool) -> tuple[set[str], bool] | None:
    """The characters a match of the parsed pattern `items` can open with (end with, `at_end`)
    and whether it can match nothing; None when that is not a small known set (., a negated
    class or a category, a large range, a lookaround, a case-insensitive group)."""
    chars: set[str] = set()
    for op, av in reversed(items) if at_end else items:
        if op is sre.AT:  # an anchor takes no character
            continue
        if op is sre.LITERAL:
            chars.add(chr(av))
            return chars, False
        if op is sre.IN:
            for member, value in av:
                if member is sre.LITERAL:
                    chars.add(chr(value))
                elif member is sre.RANGE and value[1] - value[0] <= 1000:
                    chars.update(map(chr, range(value[0], value[1] + 1)))
                else:
                    return None
            return chars, False
        if op is sre.SUBPATTERN:
            if av[1] & re.IGNORECASE:
                return None
            found = edge_chars(list(av[-1]), at_end)
        elif op is sre.BRANCH:
            branches = [edge_chars(list(branch), at_end) for branch in av[1]]
            if any(branch is None for branch in branches):
                return None
            found = (set().union(*(b[0] for b in branches)), any(b[1] for b in branches))
        elif op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT):
            least, _, item = av
            found = edge_chars(list(item), at_end)
            found = found and (found[0], found[1] or least == 0)
        else:
            return None
        if found is None:
            return None
        chars |= found[0]
        if not found[1]:
            return chars, False
    return chars, True


def label_match(text: str, rules: Furniture) -> re.Match[str] | None:
    for label in rules.labels:
        if m := label.fullmatch(text):
            return m
    return None


def is_furniture_line(text: str, rules: Furniture) -> bool:
    return len(text) <= FURNITURE_MAX and rules.line.fullmatch(text) is not None


def is_unfinished_value(text: str) -> bool:
    """The value of a label printed on the next line: short, not a sentence (and not empty: a
    line of zero-width characters alone has no compact text)."""
    return 0 < len(text) <= 24 and text[-1] not in TERMINAL and text[-1] not in "。，,"


def drop_furniture(lines: list[Line]) -> tuple[list[Line], list[tuple[int, str]]]:
    """Lines of a web page's frame (`web_furniture.csv`) out: (kept lines, (line, text) dropped)."""
    rules = furniture_rules()
    kept: list[Line] = []
    dropped: list[tuple[int, str]] = []
    i = 0
    limit = max(FURNITURE_MAX, LINK_MAX)
    if rules.edges is None:
        candidates: Iterable[int] = range(len(lines))
    else:  # a look at two characters rules out nearly every line before the pattern
        first, last = rules.edges
        candidates = [k for k, line in enumerate(lines) if len(line.compact) <= limit and (
            line.compact[:1] in first or line.compact[-1:] in last)]
    for start in candidates:
        if start < i:  # inside furniture already dropped
            continue
        line = lines[start]
        text = line.compact
        if len(text) > limit or not rules.any.fullmatch(text):
            continue
        end = furniture_end(lines, start, rules)
        if end == start:
            continue
        kept += lines[i:start]
        dropped += [(ln.number, ln.compact) for ln in lines[start:end]]
        i = end
    if not i:  # the usual case: no furniture
        return lines, dropped
    kept += lines[i:]
    return kept, dropped


def furniture_end(lines: list[Line], i: int, rules: Furniture) -> int:
    """Index past the furniture that starts at line i (i itself when it is not furniture)."""
    text = lines[i].compact
    n = len(lines)
    if len(text) <= FURNITURE_MAX:
        if rules.line.fullmatch(text):
            return i + 1
        if rules.menu.fullmatch(text):
            k = i + 1
            while k < n and len(lines[k].compact) <= 4 and rules.option.fullmatch(lines[k].compact):
                k += 1
            return k
        if m := label_match(text, rules):
            if not m.group("value") and i + 1 < n and is_unfinished_value(lines[i + 1].compact) \
                    and not label_match(lines[i + 1].compact, rules):
                return i + 2
            return i + 1
        if rules.trailer.fullmatch(text):
            k = i + 1
            while k < n and (is_link(lines[k].compact) or is_furniture_line(lines[k].compact, rules)):
                k += 1
            return k
    return i


def is_link(text: str) -> bool:
    """A line of a related-content list: a short headline, not a sentence nor a numbered item."""
    return (len(text) <= LINK_MAX and text[-1] not in TERMINAL and text[-1] not in CLOSERS
            and not LABEL.match(text))


def drop_running_titles(lines: list[Line]) -> list[Line]:
    """A short line repeated at three or more page starts is a running header, not content."""
    at_page_start = Counter(ln.compact for ln in lines if ln.page_start)
    running = {
        text for text, n in at_page_start.items()
        if n >= 3 and 2 <= len(text) <= 40 and not LABEL.match(text)
    }
    if not running:
        return lines
    return [ln for ln in lines if not (ln.page_start and ln.compact in running)]


def typical_widths(widths: list[int], radius: int = 20) -> list[int]:
    """Per line, the most common full-line width among its neighbours (the column width)."""
    n = len(widths)
    buckets = [w // 2 * 2 if w >= 20 else None for w in widths]
    counts: dict[int, int] = {}
    # The most frequent width, the wider on a tie (`top` lines of width `best`), kept as the
    # window moves and looked for again only when a line of that width leaves it.
    top, best = 0, 0
    for bucket in buckets[:radius]:
        if bucket is not None:
            counts[bucket] = count = counts.get(bucket, 0) + 1
            if count > top or (count == top and bucket > best):
                top, best = count, bucket
    # The line entering the window at each step (radius ahead) and the one leaving it.
    entering = buckets[radius:] + [None] * min(radius, n)
    leaving = [None] * (radius + 1) + buckets[: max(n - radius - 1, 0)]
    typical = []
    for bucket, gone in zip(entering, leaving):
        if bucket == gone:  # a line of the same width enters as one leaves: the counts stay
            typical.append(best if top >= 3 else 0)
            continue
        if bucket is not None:
            counts[bucket] = count = counts.get(bucket, 0) + 1
            if count > top or (count == top and bucket > best):
                top, best = count, bucket
        if gone is not None:
            count = counts[gone] - 1
            if count:
                counts[gone] = count
            else:
                del counts[gone]
            if gone == best:
                top, best = max(zip(counts.values(), counts.keys())) if counts else (0, 0)
        # No recurring width means no column (the extractor wrote one paragraph per line).
        typical.append(best if top >= 3 else 0)
    return typical


def line_cues(text: str) -> tuple[bool, bool, bool]:
    """What a line's squeezed text alone says of paragraph ends: (it opens with a printed label,
    a paragraph ends before it, a paragraph ends after it). A label never continues a sentence;
    a 文号, a date line, a parenthetical and a section break stand alone."""
    label = text[:1] in LABEL_STARTS and LABEL.match(text) is not None
    section = len(text) <= 8 and is_section_break(text)
    before = label or section or (text[-1:] in "号日）)" and STANDALONE_NEXT.match(text) is not None)
    after = section or (text[:1] in "（(" and STANDALONE.match(text) is not None)
    return label, before, after


NO_CUES = (False, False, False)
# A line opening with none of these, longer than any section break and ending with none of
# CUE_ENDS has no cue at all (see line_cues): most lines.
CUE_STARTS = LABEL_STARTS | frozenset("（(")
CUE_ENDS = frozenset("号日）)")


def lines_cues(texts: list[str]) -> list[tuple[bool, bool, bool]]:
    """`line_cues` of each line's squeezed text, asked only of the lines that can have a cue."""
    return [line_cues(text) if text[:1] in CUE_STARTS or len(text) <= 8 or text[-1:] in CUE_ENDS else NO_CUES
            for text in texts]


def paragraph_ends(lines: list[Line], widths: list[int], typical: list[int],
                   cues: list[tuple[bool, bool, bool]]) -> list[bool]:
    """Does the paragraph end after each line? (`widths`, `typical`: each line's display width and
    the column width around it; `cues`: `line_cues` of each line.)

    A finished line (ending in 。；： …) ends its paragraph when it is short, when the next
    line opens a numbered item, or when it is a whole paragraph on one wide line. An
    unfinished line ends one only when it is clearly short: a heading or a title line.
    Digits and first-line indents make full lines look a little short, hence the margins.
    The last line ends one.
    """
    ends = []
    for line, width, column, next_line, (label, _, alone_after), (_, alone_before, _) in zip(
            lines, widths, typical, lines[1:], cues, cues[1:]):
        if (line.doubled or next_line.doubled or column == 0 or next_line.gap_before or alone_after
                or alone_before):
            ends.append(True)
            continue
        text = line.text.rstrip()
        last = text.rstrip(CLOSING)[-1:] or text[-1:]
        finished = last in TERMINAL or text[-1:] in TERMINAL
        if next_line.table_row or (next_line.spaced_number and (
                finished or text[-1:] in CLOSERS or label or line.spaced_number or width < column - 3)):
            ends.append(True)  # (a closed line or one opening an item, before an outline's heading)
        elif not finished:
            ends.append(width < column * 4 // 5)
        else:
            # A single raw line far wider than the column is a whole paragraph the extractor joined.
            ends.append(width < column - 3 or (last in "：:" and width < column) or width > column * 3 // 2)
    return [*ends, True] if lines else ends


def join_paragraphs(lines: list[Line]) -> list[Paragraph]:
    """Rejoin lines broken inside a paragraph, keeping paragraph and heading boundaries."""
    if not lines:
        return []
    widths = display_widths([ln.text for ln in lines])
    cues = lines_cues([ln.compact for ln in lines])
    ends = paragraph_ends(lines, widths, typical_widths(widths), cues)
    paragraphs: list[Paragraph] = []
    start = 0
    for end in compress(range(len(lines)), ends):
        first = lines[start]
        if end == start:  # a paragraph of one line (most headings and short paragraphs)
            paragraphs.append(make_paragraph(first.compact, (0,), (first.number,), first.page_start, first.doubled,
                                        first.spaced_number, first.table_row))
            start = end + 1
            continue
        text = first.compact
        offsets = [0]
        numbers = [first.number]
        for line in lines[start + 1 : end + 1]:
            piece = line.compact
            if text and piece and text[-1] in ASCII_ALNUM_CHARS and piece[0] in ASCII_ALNUM_CHARS:
                text += " "
            offsets.append(len(text))
            numbers.append(line.number)
            text += piece
        paragraphs.append(make_paragraph(text, tuple(offsets), tuple(numbers), first.page_start, first.doubled,
                                    first.spaced_number, first.table_row))
        start = end + 1
    return paragraphs
