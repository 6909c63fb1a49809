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
LABEL_START = re.compile(
    r"^(?:[一二三四五六七八九十百零〇两]{1,4}、"
    r"|[（(][一二三四五六七八九十百零〇两]{1,4}[）)]"
    r"|[0-9０-９]{1,3}[.．、](?![0-9０-９])"
    r"|[（(][0-9０-９]{1,3}[）)]"
    r"|[①-⑳]"
    r"|第[一二三四五六七八九十百零〇两]{1,4}[条章节])"
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


def decode(data: bytes, name: str) -> str:
    """Decode UTF-8 (with or without BOM), UTF-16 with BOM, or GB18030; else InputError."""
    if not data.strip():
        raise InputError(name, None, "empty", "the file is empty or holds only whitespace")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as error:
            raise InputError(name, None, "encoding", f"broken UTF-16 ({error.reason})") from None
    elif b"\x00" in data[:4096]:
        raise InputError(name, None, "binary", "binary data (NUL bytes), not a text file")
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as utf8_error:
            try:
                text = data.decode("gb18030")
            except UnicodeDecodeError:
                line = data[: utf8_error.start].count(b"\n") + 1
                raise InputError(
                    name, line, "encoding",
                    f"neither UTF-8 nor GB18030 (undecodable byte at offset {utf8_error.start})",
                ) from None
    if not text.strip():
        raise InputError(name, None, "empty", "the file is empty or holds only whitespace")
    if not any(is_cjk(ch) for ch in text[:200_000]):
        raise InputError(name, None, "not_chinese", "no Chinese text found")
    return text


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


def undouble(text: str) -> tuple[str, bool]:
    """`标题标题` or `标题   标题` (a title printed twice) → `标题`."""
    squeezed = WHITESPACE.sub("", text)
    half = len(squeezed) // 2
    if half >= 4 and len(squeezed) % 2 == 0 and squeezed[:half] == squeezed[half:]:
        return squeezed[:half], True
    return text, False


def display_width(text: str) -> int:
    """Printed width in half-character units. Extraction turned some full-width punctuation
    into ASCII and added stray spaces, so ASCII punctuation counts full and spaces nothing."""
    width = 0
    for i, ch in enumerate(text):
        if ch.isspace():
            # A gap next to a digit or Latin letter is real layout space; between CJK it is noise.
            near_ascii = is_ascii_alnum(text[i - 1 : i] or " ") or is_ascii_alnum(text[i + 1 : i + 2] or " ")
            width += near_ascii
            continue
        if ch.isascii():
            width += 1 if ch.isalnum() else 2
        else:
            width += 2 if unicodedata.east_asian_width(ch) in "WFA" else 1
    return width


def clean_lines(text: str) -> list[Line]:
    """Raw text → lines without page numbers, bookmarks, credits and running titles."""
    raw = text.split("\n")
    lines: list[Line] = []
    after_page_number = False
    for number, raw_line in enumerate(raw, start=1):
        raw_line = raw_line.rstrip("\r")
        content = BOOKMARK.sub("", raw_line)
        stripped = content.strip()
        if not stripped:
            continue
        if PAGE_NUMBER.match(WHITESPACE.sub("", stripped)) or CREDIT.match(stripped):
            after_page_number = True
            continue
        page_start = after_page_number or (content.startswith(" ") and not content.startswith("  "))
        after_page_number = False
        content, doubled = undouble(stripped)
        lines.append(Line(number, content, page_start, doubled))
    return drop_running_titles(lines)


def drop_running_titles(lines: list[Line]) -> list[Line]:
    """A short line repeated at three or more page starts is a running header, not content."""
    at_page_start = Counter(squeeze(ln.text) for ln in lines if ln.page_start)
    running = {
        text for text, n in at_page_start.items()
        if n >= 3 and 2 <= len(text) <= 40 and not LABEL_START.match(text)
    }
    if not running:
        return lines
    return [ln for ln in lines if not (ln.page_start and squeeze(ln.text) in running)]


def typical_widths(widths: list[int], radius: int = 20) -> list[int]:
    """Per line, the most common full-line width among its neighbours (the column width)."""
    typical = []
    for i in range(len(widths)):
        window = [w // 2 * 2 for w in widths[max(0, i - radius): i + radius + 1] if w >= 20]
        counts = Counter(window)
        mode = max(counts, key=lambda w: (counts[w], w)) if counts else 0
        # No width recurs: the extractor wrote one paragraph per line, there is no column.
        typical.append(mode if counts[mode] >= 3 else 0)
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
    next_text = squeeze(next_line.text)
    if STANDALONE_NEXT.match(next_text) or STANDALONE.match(squeeze(text)):
        return True
    closed = text[-1:] in CLOSERS
    opens_item = LABEL_START.match(squeeze(text)) is not None
    if LABEL_START.match(next_text) and (finished or closed or opens_item or width < typical - 3):
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
        piece = squeeze(line.text)
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
