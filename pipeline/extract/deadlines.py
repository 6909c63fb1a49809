"""The time limit an item states in its own text (`到2015年底前实现…` → `2015年底前`)."""
from __future__ import annotations

import csv
import re
from functools import cache
from importlib import resources

from pipeline.extract.literals import LiteralIndex


@cache
def deadline_patterns() -> tuple[str, ...]:
    with resources.files("pipeline.lexicons").joinpath("deadline_patterns.csv").open(encoding="utf-8") as fh:
        return tuple(row["pattern"] for row in csv.DictReader(fh))


@cache
def deadline_pattern() -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in deadline_patterns()))


@cache
def deadline_screen() -> LiteralIndex:
    """Which of the patterns a text may match, from every literal each needs (a year's 19/20
    with 年 and 前, or 起/开始 …), found in one pass: nearly every text holds a 19 or 20, few
    all a pattern needs."""
    return LiteralIndex(list(deadline_patterns()))


def stated_deadline(text: str) -> str | None:
    """The first time limit printed in the text, whitespace removed; None when there is none."""
    if not deadline_screen().scan(text)[0]:
        return None
    match = deadline_pattern().search(text)
    return re.sub(r"\s", "", match.group(0)) if match else None
