"""The time limit an item states in its own text (`到2015年底前实现…` → `2015年底前`)."""
from __future__ import annotations

import csv
import re
from functools import cache
from importlib import resources

from pipeline.extract.literals import may_match


@cache
def deadline_pattern() -> re.Pattern[str]:
    with resources.files("pipeline.lexicons").joinpath("deadline_patterns.csv").open(encoding="utf-8") as fh:
        patterns = [row["pattern"] for row in csv.DictReader(fh)]
    return re.compile("|".join(f"(?:{p})" for p in patterns))


def stated_deadline(text: str) -> str | None:
    """The first time limit printed in the text, whitespace removed; None when there is none."""
    pattern = deadline_pattern()
    match = pattern.search(text) if may_match(pattern, text) else None
    return re.sub(r"\s", "", match.group(0)) if match else None
