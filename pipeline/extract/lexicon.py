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
# The characters a NUMBER_SLOT can start with, as the body of a character class.
NUMBER_SLOT_FIRST = r"\s0-9０-９一二三四五六七八九十两"


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


def first_characters(entries: tuple[str, ...]) -> str:
    """The body of a character class holding every character a match of `entries` starts with
    (an empty entry starts with none)."""
    literal = sorted({w[0] for w in entries if w and not w.startswith("#")})
    slot = NUMBER_SLOT_FIRST if any(w.startswith("#") for w in entries) else ""
    return "".join(re.escape(ch) for ch in literal) + slot


def alternation(entries: tuple[str, ...]) -> str:
    """A non-capturing regex group matching any of `entries`, longest alternative first.

    A word that opens with a number slot (`#年内`) keeps the regex engine from skipping ahead
    to the characters the words start with, so that every position of a text is tried against
    every alternative; a lookahead on the first character then leads the group. (Without such a
    word the engine skips ahead by itself, and the lookahead would only slow it down.)"""
    ordered = sorted(entries, key=lambda w: (-len(w), w))
    if not ordered:
        return "(?!)"
    group = "(?:" + "|".join(word_pattern(w) for w in ordered) + ")"
    if any(w.startswith("#") for w in ordered) and all(ordered):
        return f"(?=[{first_characters(ordered)}]){group}"
    return group


def trie_alternation(entries: tuple[str, ...]) -> str:
    """What `alternation(entries)` matches, for entries that are plain words (no `#`, none
    empty), written as a tree of their shared beginnings (`万(?:千瓦(?:时)?|元)?`): the engine
    then reads each character once instead of trying every word in turn.

    The same match, and the same backtracking, at every position: the words that match at a
    position are prefixes of one another, so they lie on one path of the tree, and the greedy
    `(?:…)?` tries them longest first, as the longest-first alternation does."""
    if not entries or any(not word or "#" in word for word in entries):
        return alternation(entries)
    tree: dict = {}
    for word in entries:
        node = tree
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}  # a word ends here

    def branch(node: dict) -> str:
        arms = [re.escape(char) + branch(child) for char, child in sorted(node.items()) if char]
        if not arms:
            return ""
        group = arms[0] if len(arms) == 1 else "(?:" + "|".join(arms) + ")"
        return f"(?:{group})?" if "" in node else group

    return "(?:" + branch(tree) + ")"


@cache
def entry_index(entries: tuple[str, ...]) -> tuple[tuple[int, ...], dict[str, int], bool]:
    """The lengths of the non-empty `entries`, longest first; the position where each entry
    first stands; and whether a longer entry always stands before a shorter one (as `words`
    sorts them), so that the longest entry found is the one standing first."""
    first: dict[str, int] = {}
    for i, word in enumerate(entries):
        if word:
            first.setdefault(word, i)
    sizes = [len(word) for word in first]  # in the order the entries stand
    longest_first = all(a >= b for a, b in zip(sizes, sizes[1:]))
    return tuple(sorted(set(sizes), reverse=True)), first, longest_first


def first_entry(candidates: list[str], entries: tuple[str, ...]) -> str | None:
    """Of the `candidates` that are entries, the one standing first in `entries`."""
    _, first, _ = entry_index(entries)
    found = [first[c] for c in candidates if c in first]
    return entries[min(found)] if found else None


def longest_suffix(text: str, entries: tuple[str, ...]) -> str | None:
    """The longest entry that `text` ends with (entries are sorted longest first; else the
    first in their order). A lookup per entry length, not a test per entry: these run on
    every number of every text."""
    lengths, first, longest_first = entry_index(entries)
    size = len(text)
    if not longest_first:
        return first_entry([text[size - n:] for n in lengths if n <= size], entries)
    for n in lengths:
        if n <= size and (candidate := text[size - n:]) in first:
            return candidate
    return None


def longest_prefix(text: str, entries: tuple[str, ...]) -> str | None:
    """The longest entry that `text` starts with (entries are sorted longest first; else the
    first in their order)."""
    lengths, first, longest_first = entry_index(entries)
    size = len(text)
    if not longest_first:
        return first_entry([text[:n] for n in lengths if n <= size], entries)
    for n in lengths:
        if n <= size and (candidate := text[:n]) in first:
            return candidate
    return None
