"""Numbers as printed in policy texts: Arabic, full-width, Chinese numerals and mixtures.

`parse_number` turns the printed form into a float: `30`, `2. 4`, `１０７００`, `五十`, `一千万`,
`两千`, `千万`, `2万亿`, `1.5万`, `3亿`. The regex fragments below let the extractors find such
numbers in running text; the multiplier suffixes (万, 亿 …) are numeral grammar, not cue words.
"""
from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation
from functools import lru_cache

import cn2an

# An Arabic number; PDF extraction may leave spaces around the decimal point (`2. 4`).
ARABIC = r"[0-9０-９]+(?:[ \t]*[.．][ \t]*[0-9０-９]+)?"
CHINESE_DIGITS = "零〇一二两三四五六七八九十百千"
# A Chinese numeral: starts with a digit or 十/百/千, may carry 万/亿 (`五十万`, `千万`, `两千`).
CHINESE = f"[{CHINESE_DIGITS}][{CHINESE_DIGITS}万亿]*"
# Every number above starts with one of these characters. As a lookahead in front of a regex it
# lets the engine pass over every other character at once instead of trying the whole pattern.
NUMBER_AHEAD = f"(?=[0-9０-９{CHINESE_DIGITS}])"
MULTIPLIER_VALUES = {"百": Decimal(100), "千": Decimal(1000), "万": Decimal(10**4), "亿": Decimal(10**8)}
# Multiplier suffixes written after an Arabic number: `2万亿`, `1.5万`, `3千万`.
MULTIPLIERS = "[百千万亿]*"

CHINESE_RE = re.compile(f"(?:{CHINESE})(?:点[{CHINESE_DIGITS}]+)?")
SPLIT_ARABIC = re.compile(rf"^(?P<digits>{ARABIC})(?P<suffix>.*)$", re.S)


def normalise(text: str) -> str:
    """Full-width forms to ASCII (NFKC) and every whitespace removed."""
    return "".join(unicodedata.normalize("NFKC", text).split())


def multiplier_value(suffix: str) -> Decimal | None:
    """The product of multiplier characters (`万亿` → 1e12); None if one is not a multiplier."""
    value = Decimal(1)
    for ch in suffix:
        if ch not in MULTIPLIER_VALUES:
            return None
        value *= MULTIPLIER_VALUES[ch]
    return value


@lru_cache(maxsize=4096)  # cn2an is slow, and texts repeat the same few numerals (`三`, `五十`)
def parse_chinese(text: str) -> float | None:
    """A Chinese numeral (`五十`, `一千万`, `两千`, `千万`) via cn2an; None if it is not one."""
    if not CHINESE_RE.fullmatch(text):
        return None
    # cn2an rejects a numeral that opens with a bare unit (`千万`, `百`): read it as `一千万`.
    if text[0] in "百千":
        text = "一" + text
    try:
        value = cn2an.cn2an(text, "smart")
    except (ValueError, KeyError, TypeError, IndexError):
        return None
    return float(value)


def parse_number(text: str) -> float | None:
    """The value of a printed number, multipliers applied; None when the text is not a number."""
    value = parse_decimal(text)
    return None if value is None else float(value)


def parse_decimal(text: str) -> Decimal | None:
    """As `parse_number`, exact: `134.2亿` is 13420000000, not 13419999999.999998."""
    compact = normalise(text)
    if not compact:
        return None
    m = SPLIT_ARABIC.match(compact)
    if m is None:
        value = parse_chinese(compact)
        return None if value is None else Decimal(str(value))
    factor = multiplier_value(m.group("suffix"))
    if factor is None:
        return None
    try:
        return Decimal(m.group("digits")) * factor
    except InvalidOperation:
        return None


def scaled(number: str, multipliers: str, factor: str = "1") -> float | None:
    """`number` × its multiplier suffix (`万亿`) × a unit's `factor`, computed exactly."""
    value, suffix = parse_decimal(number), multiplier_value(multipliers)
    if value is None or suffix is None:
        return None
    return float(value * suffix * Decimal(factor))
