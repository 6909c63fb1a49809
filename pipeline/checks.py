"""Plausibility checks on one file's text and records: warnings a person should read, and the
amounts no budget can hold, which are not published."""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from math import isfinite

from pipeline.classify import FileRecords
from pipeline.clean import CLOSERS, TERMINAL, Line
from pipeline.extract.numbers import chinese_value
from pipeline.segment import Document, is_date_line, is_issuer

# The largest amount a policy text can mean: 1000万亿元, several times China's yearly GDP.
MAX_PLAUSIBLE_CNY = 1e15
EXPONENT = re.compile(r"[eE]\s*[+-]?\d")
SCIENTIFIC_AMOUNT = re.compile(r"(?<![0-9A-Za-z.])\d+(?:\.\d+)?\s*[eE]\s*[+-]?\d+\s*[万亿千百]*\s*元")


def cut_off_warning(lines: list[Line], name: str) -> list[str]:
    """A text whose last line stops mid-sentence was probably cut off."""
    last = lines[-1]
    text = last.compact
    if not text or text[-1] in TERMINAL or text[-1] in CLOSERS or is_date_line(text) or is_issuer(text):
        return []
    return [f"{name}:{last.number}: the text ends mid-sentence (“…{text[-12:]}”): is the file cut off?"]


ROMAN_VALUES = {"i": 1, "v": 5, "x": 10}


@lru_cache(maxsize=4096)  # a few dozen labels (一、 （二） 3.) recur in every text
def label_value(label: str, style: str) -> int | None:
    """The number a label counts: 3 for `（三）`, `3.`, `c)`, `iii.`, `③`, `第3条`, `1.3`."""
    if style.startswith("outline"):
        return int(label.rsplit(".", 1)[-1])
    if style in ("(latin)", "latin)"):
        return ord(re.sub(r"[^a-z]", "", label)) - ord("a") + 1
    if style in ("roman.", "ROMAN"):
        values = [ROMAN_VALUES[ch] for ch in re.sub(r"[^ivx]", "", label.lower())]
        return sum(-v if v < w else v for v, w in zip(values, values[1:] + [0]))
    digits = re.sub(r"[^0-9一二三四五六七八九十百千零〇两]", "", label.removeprefix("第"))
    if style == "circled":
        return int(unicodedata.numeric(label[0]))
    if not digits:
        return None
    if digits.isdigit():
        return int(digits)
    try:
        return int(chinese_value(digits.replace("〇", "零")))
    except (ValueError, KeyError):
        return None


def numbering_warnings(docs: list[Document], name: str) -> list[str]:
    """Numbering that skips or goes back (`一、三、`, `（一）（一）`): the labels are kept as
    printed, but a lost item or a missed document start may hide behind it.

    Sub-items may count on under each parent (`（一）（二）` | `（三）`) or restart at 1."""
    warnings = []
    for doc in docs:
        in_parent: dict[tuple[int | None, str], tuple[int, str]] = {}
        in_document: dict[str, int] = {}
        for item in doc.items:
            if item.label is None or item.style in (None, "table"):
                continue
            value = label_value(item.label, item.style)
            if value is None:
                continue
            before = in_parent.get((item.parent, item.style))
            if before is not None and value != before[0] + 1:
                what = "repeats" if value == before[0] else "goes back" if value < before[0] else "skips"
                warnings.append(f"{name}:{item.body.line_start}: numbering {what} from "
                                f"{before[1]} to {item.label}")
            elif before is None and value not in (1, in_document.get(item.style, 0) + 1):
                warnings.append(f"{name}:{item.body.line_start}: numbering starts at {item.label}")
            in_parent[(item.parent, item.style)] = (value, item.label)
            in_document[item.style] = value
    return warnings


def implausible_amounts(records: FileRecords, text: str, name: str) -> list[str]:
    """Amounts no budget can hold (`100000000000000000000亿元`) are not published, with a
    warning naming the line; nor is a sum written in scientific notation (`1e20 元`) read."""
    warnings = []
    for table, low, high in (("amounts", "min_value", "max_value"), ("targets", "min_value", "max_value")):
        kept = []
        for row in records.rows.get(table, []):
            least, most = row[low], row[high]
            if isfinite(least) and isfinite(most) and not (
                    (table == "amounts" or row.get("unit") == "CNY") and max(least, most) > MAX_PLAUSIBLE_CNY):
                kept.append(row)
                continue
            warnings.append(f"{name}:{row['line']}: {'amount' if table == 'amounts' else 'target'} "
                            f"“{row['text']}” ({max(least, most):.3g} 元) is beyond any budget "
                            f"(more than {MAX_PLAUSIBLE_CNY:.0e} 元): not published")
        if table in records.rows:
            records.rows[table] = kept
    # A quick no for nearly every text: few hold an e at all (`str.find` is far cheaper than a
    # regex scan), and the full pattern is slow.
    first_e = min((at for at in (text.find("e"), text.find("E")) if at >= 0), default=-1)
    if first_e < 0 or not EXPONENT.search(text, first_e):
        return warnings
    for m in SCIENTIFIC_AMOUNT.finditer(text):
        warnings.append(f"{name}:{text.count(chr(10), 0, m.start()) + 1}: “{m.group(0)}” is in "
                        "scientific notation, which no policy text uses: not read as an amount")
    return warnings
