"""Cue lists of the amount and target extractors, read once from `pipeline/lexicons/*.csv`.

Every file has a header row; `pipeline/lexicons/README.md` describes each one. A word may hold
`#` for "a number here" (`未来#年` matches `未来 5 年`, `今后三年`).
"""
from __future__ import annotations

import csv
import re
from functools import cache
from importlib import resources

# `#` in a word: a small number standing alone (`今后3年`, not the `14年` of `2014年`).
NUMBER_SLOT = r"\s*(?<![0-9０-９])(?:[0-9０-９]{1,2}|[一二三四五六七八九十两]{1,3})(?![0-9０-９])\s*"


@cache
def rows(name: str) -> tuple[dict[str, str], ...]:
    """The rows of `lexicons/<name>.csv`, cells stripped (the word column keeps its exact text)."""
    source = resources.files("pipeline").joinpath("lexicons", f"{name}.csv")
    with source.open(encoding="utf-8", newline="") as fh:
        return tuple(
            {key: (value if key == "word" else value.strip()) for key, value in row.items()}
            for row in csv.DictReader(fh)
        )


@cache
def rows_where(name: str, column: str, value: str) -> tuple[dict[str, str], ...]:
    """The rows whose `column` equals `value`, longest `word` first."""
    chosen = [row for row in rows(name) if row[column] == value]
    return tuple(sorted(chosen, key=lambda row: (-len(row["word"]), row["word"])))


@cache
def words(name: str, column: str, value: str) -> tuple[str, ...]:
    """The `word` cells of the rows whose `column` equals `value`, longest first."""
    found = {row["word"] for row in rows(name) if row[column] == value}
    return tuple(sorted(found, key=lambda w: (-len(w), w)))


@cache
def mapping(name: str, column: str, key: str = "word") -> dict[str, str]:
    """`key` cell → `column` cell for every row of the file."""
    return {row[key]: row[column] for row in rows(name)}


def word_pattern(word: str) -> str:
    """A regex for one lexicon word: escaped, `#` standing for a number, spaces tolerated."""
    parts = [re.escape(part) for part in word.split("#")]
    return NUMBER_SLOT.join(parts)


def alternation(entries: tuple[str, ...]) -> str:
    """A non-capturing regex group matching any of `entries`, longest alternative first."""
    ordered = sorted(entries, key=lambda w: (-len(w), w))
    return "(?:" + "|".join(word_pattern(w) for w in ordered) + ")" if ordered else "(?!)"


def longest_suffix(text: str, entries: tuple[str, ...]) -> str | None:
    """The longest entry that `text` ends with (entries are sorted longest first)."""
    for word in entries:
        if word and text.endswith(word):
            return word
    return None


def longest_prefix(text: str, entries: tuple[str, ...]) -> str | None:
    """The longest entry that `text` starts with (entries are sorted longest first)."""
    for word in entries:
        if word and text.startswith(word):
            return word
    return None
