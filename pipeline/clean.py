"""Stage 1, clean: raw bytes → lines without extraction artefacts → paragraphs.

PDF and DOCX extractions break lines inside words, scatter spaces inside words and numbers,
and leave page numbers, running titles and bookmarks behind. Cleaning repairs that while
keeping, for every character of the cleaned text, the raw line it came from.
"""
from __future__ import annotations

import bisect
import codecs
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from functools import cache

from pipeline.errors import InputError

# Lines whose whole content is a page number: `—2—`, `- 12 -`, a lone `29`.
PAGE_NUMBER = re.compile(r"^[—\-－–―~～]*\s*\d{1,4}\s*[—\-－–―~～]*$")
BOOKMARK = re.compile(r"\[bookmark:[^\]]*\]")
# Magazine credits that belong to no paragraph.
CREDIT = re.compile(r"^(责任编辑|责编|编辑|校对)[\s：:]")
WHITESPACE = re.compile(r"[\s\u3000\u2002-\u200b\ufeff]+")
TERMINAL = frozenset("。！？；：!?;:")
# A paragraph may also end after a closing bracket or quote that follows a terminal mark.
CLOSERS = frozenset("）)〕】」』”’")
# A numbered item's label at the start of a paragraph, by style (see segment.label_style).
LABEL = re.compile(
    r"^(?:(?P<cn>[一二三四五六七八九十百零〇两]{1,4})(?P<cn_mark>、)"
    r"|(?P<cnp_open>[（(])(?P<cnp>[一二三四五六七八九十百零〇两]{1,4})[）)]"
    r"|(?P<num>[0-9０-９]{1,3})(?P<num_mark>[.．、])(?![0-9０-９])"
    r"|(?P<nump_open>[（(])(?P<nump>[0-9０-９]{1,3})[）)]"
    r"|(?P<circled>[①-⑳])"
    r"|第(?P<article>[一二三四五六七八九十百零〇两]{1,4})(?P<article_mark>[条章节]))"
)


# Lines that always stand alone: a 文号, a date line, a whole-line parenthetical.
STANDALONE_NEXT = re.compile(
    r"^(?:\S{1,12}〔\d{4}〕\d+号|\d{4}年\d{1,2}月\d{1,2}日|[（(][^（()）：:]{1,30}[）)])$"
)
STANDALONE = re.compile(r"^[（(][^（()）：:]{1,60}[）)]$")


@dataclass(frozen=True, slots=True)
class Line:
    """One raw line after artefact removal; `text` keeps its inner spaces for layout."""

    number: int  # 1-based, as `grep -n` counts
    text: str
    page_start: bool
    doubled: bool  # the line printed its text twice (two-layer PDF titles)
    compact: str  # the text squeezed (see `squeeze`), computed once


@dataclass(frozen=True, slots=True)
class Paragraph:
    """Cleaned text of one paragraph and, per character, the raw line it came from."""

    text: str
    line_offsets: tuple[int, ...]  # char offset where each contributing raw line starts
    line_numbers: tuple[int, ...]  # the raw line number for each offset
    page_start: bool
    doubled: bool

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
    if "\r" in text and "\n" not in text:  # classic Mac line ends
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
    for number, line in enumerate(text.split("\n"), start=1):
        if len(line) > MAX_LINE_CHARS:
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
FULL_WIDTH_RUN = re.compile("[０-９％．Ａ-Ｚａ-ｚ]+")  # translating only these runs is faster
# Convert to simplified only a text written in traditional characters, not a simplified text
# that quotes a traditional name (or holds a character OpenCC would change in context).
MIN_TRADITIONAL_SHARE = 0.01


@cache
def to_simplified():
    import opencc

    return opencc.OpenCC("t2s")


def normalise(text: str, name: str, warnings: list[str]) -> str:
    """Full-width → ASCII, and traditional → simplified (with a warning), line by line."""
    text = FULL_WIDTH_RUN.sub(lambda run: run.group().translate(FULL_WIDTH), text)
    converter = to_simplified()
    sample = text[:200_000]
    converted = converter.convert(sample)
    if converted == sample:  # the usual case: nothing traditional to convert
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


def is_cjk(ch: str) -> bool:
    return "\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff" or "\U00020000" <= ch


def is_ascii_alnum(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


def squeeze(text: str) -> str:
    """Remove whitespace except a single space between two ASCII letters or digits.

    `2. 4%` → `2.4%`, `基础 设 施` → `基础设施`, `30 亿元` → `30亿元`, `Data Package` stays.
    """
    parts = WHITESPACE.split(text.strip())
    out = parts[0]
    for part in parts[1:]:
        if out and part and is_ascii_alnum(out[-1]) and is_ascii_alnum(part[0]):
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
ASCII_ALNUM = re.compile(r"[A-Za-z0-9]+")
SPACE_NEAR_ASCII = re.compile(r"(?<=[A-Za-z0-9])\s|\s(?=[A-Za-z0-9])")
ANY_SPACE = re.compile(r"\s+")


def display_width(text: str) -> int:
    """Printed width in half-character units. Extraction turned some full-width punctuation
    into ASCII and added stray spaces, so ASCII punctuation counts full and spaces nothing,
    except a gap next to a digit or Latin letter, which is real layout space."""
    visible = ANY_SPACE.sub("", text)
    narrow = sum(unicodedata.east_asian_width(ch) not in "WFA" for ch in MAYBE_NARROW.findall(visible))
    gaps = len(SPACE_NEAR_ASCII.findall(text)) if len(visible) < len(text) else 0
    return 2 * len(visible) - run_length(ASCII_ALNUM, visible) - narrow + gaps


# Besides a digit, the last character of a stripped line that may be a page number (strip()
# keeps the last two, which WHITESPACE removes).
PAGE_NUMBER_END = frozenset("—-－–―~～\u200b\ufeff")


def is_page_number(stripped: str) -> bool:
    """`—2—`, `- 12 -`, `3`: a line that is only a page number (whitespace anywhere)."""
    last = stripped[-1]  # a quick no for nearly every line
    return (last.isdecimal() or last in PAGE_NUMBER_END) and PAGE_NUMBER.match(WHITESPACE.sub("", stripped)) is not None


def clean_lines(text: str) -> list[Line]:
    """Raw text → lines without page numbers, bookmarks, credits and running titles."""
    raw = text.split("\n")
    lines: list[Line] = []
    after_page_number = False
    for number, raw_line in enumerate(raw, start=1):
        raw_line = raw_line.rstrip("\r")
        content = BOOKMARK.sub("", raw_line) if "[bookmark:" in raw_line else raw_line
        stripped = content.strip()
        if not stripped:
            continue
        if is_page_number(stripped) or CREDIT.match(stripped):
            after_page_number = True
            continue
        page_start = after_page_number or (content.startswith(" ") and not content.startswith("  "))
        after_page_number = False
        spaced = WHITESPACE.search(stripped) is not None  # most lines hold no whitespace at all
        content, doubled = undouble(stripped, WHITESPACE.sub("", stripped) if spaced else stripped)
        lines.append(Line(number, content, page_start, doubled, squeeze(content) if spaced else content))
    return drop_running_titles(lines)


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
    buckets = [w // 2 * 2 if w >= 20 else None for w in widths]
    counts: dict[int, int] = {}

    def move(bucket: int | None, step: int) -> None:
        if bucket is None:
            return
        count = counts.get(bucket, 0) + step
        if count:
            counts[bucket] = count
        else:
            del counts[bucket]

    for bucket in buckets[:radius]:
        move(bucket, 1)
    typical = []
    for i in range(len(widths)):
        if i + radius < len(buckets):
            move(buckets[i + radius], 1)
        if i - radius - 1 >= 0:
            move(buckets[i - radius - 1], -1)
        # The most frequent width, the wider on a tie; no recurring width means no column
        # (the extractor wrote one paragraph per line).
        count, mode = max(zip(counts.values(), counts.keys())) if counts else (0, 0)
        typical.append(mode if count >= 3 else 0)
    return typical


def ends_paragraph(line: Line, width: int, typical: int, next_line: Line | None) -> bool:
    """Does the paragraph end after this line?

    A finished line (ending in 。；： …) ends its paragraph when it is short, when the next
    line opens a numbered item, or when it is a whole paragraph on one wide line. An
    unfinished line ends one only when it is clearly short: a heading or a title line.
    Digits and first-line indents make full lines look a little short, hence the margins.
    """
    if next_line is None or line.doubled or next_line.doubled or typical == 0:
        return True
    text = line.text.rstrip()
    last = text.rstrip("".join(CLOSERS))[-1:] or text[-1:]
    finished = last in TERMINAL or text[-1:] in TERMINAL
    next_text = next_line.compact
    if STANDALONE_NEXT.match(next_text) or STANDALONE.match(line.compact):
        return True
    closed = text[-1:] in CLOSERS
    opens_item = LABEL.match(line.compact) is not None
    if LABEL.match(next_text) and (finished or closed or opens_item or width < typical - 3):
        return True
    if not finished:
        return width < typical * 4 // 5
    if width < typical - 3 or (last in "：:" and width < typical):
        return True
    # A single raw line far wider than the column is a whole paragraph the extractor joined.
    return width > typical * 3 // 2


def join_paragraphs(lines: list[Line]) -> list[Paragraph]:
    """Rejoin lines broken inside a paragraph, keeping paragraph and heading boundaries."""
    widths = [display_width(ln.text) for ln in lines]
    typical = typical_widths(widths)
    paragraphs: list[Paragraph] = []
    text = ""
    offsets: list[int] = []
    numbers: list[int] = []
    first: Line | None = None
    for i, line in enumerate(lines):
        piece = line.compact
        if first is None:
            first = line
        elif text and piece and is_ascii_alnum(text[-1]) and is_ascii_alnum(piece[0]):
            text += " "
        offsets.append(len(text))
        numbers.append(line.number)
        text += piece
        next_line = lines[i + 1] if i + 1 < len(lines) else None
        if ends_paragraph(line, widths[i], typical[i], next_line):
            paragraphs.append(
                Paragraph(text, tuple(offsets), tuple(numbers), first.page_start, first.doubled)
            )
            text, offsets, numbers, first = "", [], [], None
    return paragraphs
