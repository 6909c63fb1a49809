"""Numbers as printed in policy texts: Arabic, full-width, Chinese numerals and mixtures.

`parse_number` turns the printed form into a float: `30`, `2. 4`, `１０７００`, `1,000`, `2 000`,
`1,000.5万`, `五十`, `一千万`, `两千`, `千万`, `壹佰万`, `2万亿`, `1.5万`, `3亿`, `1亿2千万`,
`3万5千`. The regex fragments below let the extractors find such numbers in running text; the
multiplier suffixes (万, 亿 …) are numeral grammar, not cue words.
"""
from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation
from functools import lru_cache

DIGIT = "[0-9０-９]"
# Thousands separators: a comma, or a space as in `2 000` (only in groups of exactly three, so
# that `2. 4` and a list `1，2` are not read as one number).
GROUPED = rf"{DIGIT}{{1,3}}(?:(?:[,，]{DIGIT}{{3}})+|(?:[ \u00a0\u2009\u202f]{DIGIT}{{3}})+)(?!{DIGIT})"
# Only a run of at most three digits and a separator can start a grouped number: the lookahead
# spares every other number the attempt (the possessive quantifiers never give digits back).
GROUPED_AHEAD = rf"(?={DIGIT}{{1,3}}+[,， \u00a0\u2009\u202f]{DIGIT})"
# An Arabic number; PDF extraction may leave spaces around the decimal point (`2. 4`).
ARABIC = rf"(?:{GROUPED_AHEAD}{GROUPED}|{DIGIT}++)(?:[ \t]*[.．][ \t]*{DIGIT}+)?"
# Financial numerals (大写) are written in contracts and budgets: `壹佰万元`.
FINANCIAL_DIGITS = "壹贰叁肆伍陆柒捌玖拾佰仟"
CHINESE_DIGITS = "零〇一二两三四五六七八九十百千" + FINANCIAL_DIGITS
# A Chinese numeral: starts with a digit or 十/百/千, may carry 万/亿 (`五十万`, `千万`, `两千`).
CHINESE = f"[{CHINESE_DIGITS}][{CHINESE_DIGITS}万亿]*"
# Every number above starts with one of these characters (the body of a character class). As a
# lookahead in front of a regex it lets the engine pass over every other character at once
# instead of trying the whole pattern.
NUMBER_FIRST = f"0-9０-９{CHINESE_DIGITS}"
NUMBER_AHEAD = f"(?=[{NUMBER_FIRST}])"
NUMBER_AHEAD_RE = re.compile(NUMBER_AHEAD)
# Every character a number with its multiplier suffix is written with (the body of a class).
NUMBER_CHARS = rf"{NUMBER_FIRST}万亿,，.．\s"
# No number starts inside another: after a digit, a decimal point, a Latin letter, or a digit
# and a thousands separator (`1,000` never yields `000`).
NUMBER_START = rf"(?<![0-9A-Za-z.．０-９])(?<!{DIGIT}[,，])"
MULTIPLIER_VALUES = {"百": Decimal(100), "千": Decimal(1000), "万": Decimal(10**4), "亿": Decimal(10**8)}
# Multiplier suffixes written after an Arabic number: `2万亿`, `1.5万`, `3千万`.
MULTIPLIERS = "[百千万亿]*"
# A number as the extractors look for it: an Arabic number, with the further parts of a mixed
# number (`1亿2` of `1亿2千万`, `3万5` of `3万5千`, `1亿零500` of `1亿零500万`), or a Chinese
# numeral. The multiplier suffix of the last part is matched separately by the callers.
NUMBER = rf"(?:{ARABIC}(?:\s*[百千万亿]+\s*零?\s*{ARABIC})*|{CHINESE})"

CHINESE_RE = re.compile(f"(?:{CHINESE})(?:点[{CHINESE_DIGITS}]+)?")
SEPARATOR = re.compile(r"(?<=\d)[,，](?=\d{3})")
PLAIN_ARABIC = r"\d+(?:\.\d+)?"
ARABIC_WITH_SUFFIX = re.compile(rf"^(?P<digits>{PLAIN_ARABIC})(?P<suffix>.*)$", re.S)
MIXED_PART = re.compile(rf"(?P<digits>{PLAIN_ARABIC})(?P<suffix>[百千万亿]*)零?")


SMALL_DIGITS = "零一二三四五六七八九"


def spelled(n: int) -> str:
    """0 ≤ n < 10000 as cn2an spells it (`一千零一十`, `十二`, `一百一十`)."""
    if n == 0:
        return "零"
    out, zero = [], False
    for digit, unit in zip(f"{n:04d}", ("千", "百", "十", "")):
        if digit == "0":
            zero = bool(out)
            continue
        if zero:
            out.append("零")
            zero = False
        out.append(SMALL_DIGITS[int(digit)] + unit)
    text = "".join(out)
    return text[1:] if 10 <= n < 20 else text  # 十二, not 一十二


SMALL_UNITS = {"十": 10, "百": 100, "千": 1000}


def small_numeral(text: str) -> int | None:
    """n when the text is `spelled(n)` for some n below 10000, or 两 (2): the numerals most texts
    hold, read here as cn2an reads them, so that cn2an (a tenth of a second to load) is loaded
    only for the others."""
    if text == "两":
        return 2
    total = digit = 0
    for ch in text:
        if (value := SMALL_DIGITS.find(ch)) >= 0:
            digit = value
        elif ch in SMALL_UNITS:
            total, digit = total + (digit or 1) * SMALL_UNITS[ch], 0
        else:
            return None
    total += digit
    return total if total < 10000 and spelled(total) == text else None


def chinese_value(text: str) -> int | float:
    """cn2an's "smart" reading of a Chinese numeral (`十二`, `一千`, `二〇二四`, `五十万`);
    raises what cn2an raises for a text that is not one."""
    if (value := small_numeral(text)) is not None:
        return value
    import cn2an

    return cn2an.cn2an(text, "smart")


def normalise(text: str) -> str:
    """Full-width forms to ASCII (NFKC), every whitespace and thousands separator removed."""
    compact = "".join(unicodedata.normalize("NFKC", text).split())
    return SEPARATOR.sub("", compact)


def multiplier_value(suffix: str) -> Decimal | None:
    """The product of multiplier characters (`万亿` → 1e12); None if one is not a multiplier."""
    value = Decimal(1)
    for ch in suffix:
        if ch not in MULTIPLIER_VALUES:
            return None
        value *= MULTIPLIER_VALUES[ch]
    return value


@lru_cache(maxsize=4096)  # cn2an is slow, and texts repeat the same few numerals (`三`, `五十`)
def parse_chinese(text: str) -> Decimal | None:
    """A Chinese numeral (`五十`, `一千万`, `两千`, `千万`, `壹佰万`) via cn2an; None if it is not one."""
    if not CHINESE_RE.fullmatch(text):
        return None
    # cn2an rejects a numeral that opens with a bare unit (`千万`, `百`): read it as `一千万`.
    if text[0] in "百千佰仟":
        text = "一" + text
    try:
        value = chinese_value(text)
    except (ValueError, KeyError, TypeError, IndexError):
        return None
    return Decimal(str(value))


def parse_mixed(text: str) -> Decimal | None:
    """`1亿2千万`, `3万5千`, `1亿零500万`: the sum of Arabic parts, each with its multiplier,
    every part smaller than the unit of the part before it; None for any other text."""
    total, unit, pos = Decimal(0), None, 0
    while pos < len(text):
        m = MIXED_PART.match(text, pos)
        if m is None:
            return None
        value, factor = Decimal(m.group("digits")), multiplier_value(m.group("suffix"))
        if factor is None or (unit is not None and value * factor >= unit):
            return None
        total, unit, pos = total + value * factor, factor, m.end()
    return total


def parse_number(text: str) -> float | None:
    """The value of a printed number, multipliers applied; None when the text is not a number."""
    value = parse_decimal(text)
    return None if value is None else float(value)


def parse_decimal(text: str) -> Decimal | None:
    """As `parse_number`, exact: `134.2亿` is 13420000000, not 13419999999.999998."""
    compact = normalise(text)
    if not compact:
        return None
    m = ARABIC_WITH_SUFFIX.match(compact)
    if m is None:
        return parse_chinese(compact)
    factor = multiplier_value(m.group("suffix"))
    if factor is None:
        return parse_mixed(compact)
    try:
        return Decimal(m.group("digits")) * factor
    except InvalidOperation:
        return None


@lru_cache(maxsize=4096)  # a pure function of three short strings, asked again for every repeated figure
def scaled(number: str, multipliers: str, factor: str = "1") -> float | None:
    """`number` with its multiplier suffix (`万亿`) × a unit's `factor`, computed exactly; the
    two are read together, so that `1亿2` with `千万` is 120000000."""
    value = parse_decimal(number + multipliers)
    if value is None:
        return None
    return float(value * Decimal(factor))
