"""Which literal strings a regex cannot match without, so most regexes need not be run.

`required_literals("给予[^。]{0,20}?(补助|奖励)")` is {"补助", "奖励"}: every match holds one of
them. One Aho-Corasick pass finds which of these literals a text holds (`LiteralIndex`), and
only the regexes whose literals are there are searched; a text holding none of a regex's
literals cannot match it. A regex without such a set (`\\d+`) is always searched.

The lexicon tests the extractors ask on every number (does a text end with, start with, or
hold one of a list of words?) are answered in C first (`suffix_entry`, `prefix_entry`,
`holds_any`): most texts hold none of the words, and then no Python loop runs.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache, reduce
from operator import or_
from re import _constants as sre  # the parser behind `re.compile`: its tree is what we read
from re import _parser as sre_parse

import ahocorasick_rs

from pipeline.extract.lexicon import longest_prefix, longest_suffix


def required_literals(pattern: str) -> frozenset[str] | None:
    """A set of strings one of which occurs in every match of `pattern`; None if none is known
    (a pattern with flags, or one that can match without any fixed text)."""
    tree = _parsed(pattern)
    return None if tree is None else _of_sequence(tree)


def _parsed(pattern: str) -> list[tuple] | None:
    """The parse tree of `pattern`; None for a pattern that ignores case or is verbose."""
    try:
        tree = sre_parse.parse(pattern)
    except (re.error, RecursionError):
        return None
    if tree.state.flags & (re.IGNORECASE | re.VERBOSE):
        return None
    return list(tree)


def _of_sequence(items: Iterable[tuple]) -> frozenset[str] | None:
    """Every element of a sequence must match, so the most selective requirement of any one
    of them (a run of literals, a group, a branch whose every arm has one) is one for all."""
    candidates = _requirements(items)
    if not candidates:
        return None
    # The longest shortest literal is found least often by chance; then the fewest literals.
    return max(candidates, key=lambda c: (min(map(len, c)), -len(c)))


def _requirements(items: Iterable[tuple]) -> list[frozenset[str]]:
    """The sets of strings a match of a sequence holds one of each: one set per element that
    has one (a run of literals, a group, a branch whose every arm has one)."""
    candidates: list[frozenset[str]] = []
    run: list[str] = []
    for op, argument in items:
        if op is sre.LITERAL:
            run.append(chr(argument))
            continue
        if run:
            candidates.append(frozenset(["".join(run)]))
            run = []
        found = _of_element(op, argument)
        if found:
            candidates.append(found)
    if run:
        candidates.append(frozenset(["".join(run)]))
    return candidates


def _of_element(op, argument) -> frozenset[str] | None:
    if op is sre.SUBPATTERN:
        _, add_flags, _, body = argument
        return None if add_flags & (re.IGNORECASE | re.VERBOSE) else _of_sequence(body)
    if op is sre.BRANCH:
        arms = [_of_sequence(arm) for arm in argument[1]]
        if all(arms):
            return frozenset().union(*arms)
        return None
    if op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT):
        low, _, body = argument
        return _of_sequence(body) if low >= 1 else None
    if op is sre.ATOMIC_GROUP:
        return _of_sequence(argument)
    return None  # a class, any character, an anchor, a look-around, a back-reference


@cache
def screen(pattern: str, flags: int = 0) -> tuple[str, ...] | None:
    """The literals of `required_literals(pattern)` that hold no other one of them (a text
    holding `亿元` holds `元`): a text holding none of these cannot match. None when a search
    for them would not pay: every text may match, or the pattern is itself only literal words,
    which the regex engine skips ahead to as fast."""
    tree = None if flags & (re.IGNORECASE | re.VERBOSE) else _parsed(pattern)
    if tree is None or _only_literals(tree):
        return None
    found = _of_sequence(tree)
    if found is None:
        return None
    return tuple(sorted(w for w in found if not any(other != w and other in w for other in found)))


def _only_literals(items: Iterable[tuple]) -> bool:
    """Whether a parsed pattern is literal text and alternatives of literal text, nothing else."""
    for op, argument in items:
        if op is sre.SUBPATTERN:
            plain = not argument[1] and _only_literals(argument[-1])
        elif op is sre.BRANCH:
            plain = all(_only_literals(arm) for arm in argument[1])
        else:
            plain = op is sre.LITERAL
        if not plain:
            return False
    return True


@cache
def _screen_regex(pattern: str, flags: int) -> re.Pattern[str] | None:
    literals = screen(pattern, flags)
    return None if literals is None else re.compile("|".join(re.escape(w) for w in literals))


def may_match(pattern: re.Pattern[str], text: str) -> bool:
    """False only when `pattern` cannot match anywhere in `text`: one search for the words it
    needs (`screen`), which the engine skips ahead to, instead of trying the pattern at every
    character of a text that holds none of them."""
    found = _screen_regex(pattern.pattern, pattern.flags)
    return found is None or found.search(text) is not None


class LiteralIndex:
    """Which of a list of regexes can match a text, found in one pass over the text.

    A regex is a candidate when the text holds a literal of each of its three most selective
    requirements (`(成立|建立)了` needs one of 成立/建立 and 了), not just of the first; a regex
    that is an alternation at its top, when one of its arms is (`特(制定|提出)|(制定|制订)本`).
    The same pass tells whether the text holds one of `markers` (strings the caller wants to
    know about for its own reasons).
    """

    def __init__(self, patterns: list[str], markers: Iterable[str] = ()) -> None:
        needs: list[tuple[int, ...]] = []  # pattern → bit mask of each arm's requirements
        bits_of: dict[str, int] = {}  # literal → bit mask of the requirements it meets
        bit = 1
        for pattern in patterns:
            masks = []
            for arm in _arms(pattern):
                mask = 0
                for requirement in _most_selective(_requirements(arm), 3):
                    for literal in requirement:
                        bits_of[literal] = bits_of.get(literal, 0) | bit
                    mask |= bit
                    bit <<= 1
                masks.append(mask)
            needs.append(tuple(masks))
        self._marked = bit
        for marker in markers:
            bits_of[marker] = bits_of.get(marker, 0) | bit
        self._needs = tuple(needs)
        self._bits_of = bits_of
        # Every occurrence, overlapping ones too: a literal inside another must be seen.
        self._automaton = ahocorasick_rs.AhoCorasick(
            sorted(bits_of), implementation=ahocorasick_rs.Implementation.DFA, store_patterns=True,
        ) if bits_of else None
        self._by_met: dict[int, tuple[tuple[int, ...], bool]] = {}

    def candidates(self, text: str) -> list[int]:
        """Indices, in order, of the patterns that may match `text`."""
        return list(self.scan(text)[0])

    def scan(self, text: str) -> tuple[tuple[int, ...], bool]:
        """`candidates(text)`, and whether `text` holds one of the markers."""
        found = self._automaton.find_matches_as_strings(text, overlapping=True) if self._automaton else None
        return self._of_bits(reduce(or_, map(self._bits_of.__getitem__, found)) if found else 0)

    def _of_bits(self, met: int) -> tuple[tuple[int, ...], bool]:
        """The patterns one of whose arms has every requirement in `met`, and whether a marker
        is; remembered, as texts meet few distinct sets of requirements (a pure function: the
        order texts come in does not matter)."""
        try:
            return self._by_met[met]
        except KeyError:
            pass
        if len(self._by_met) >= 4096:
            self._by_met.clear()
        indices = []
        for i, arms in enumerate(self._needs):
            for arm in arms:
                if arm & met == arm:
                    indices.append(i)
                    break
        found = self._by_met[met] = (tuple(indices), bool(met & self._marked))
        return found


def _most_selective(requirements: list[frozenset[str]], count: int) -> list[frozenset[str]]:
    """The `count` requirements found least often by chance (in `_of_sequence`'s order):
    asking for more adds literals met in nearly every text (a comma, 年) for little."""
    return sorted(requirements, key=lambda c: (-min(map(len, c)), len(c)))[:count]


def _arms(pattern: str) -> list[list[tuple]]:
    """The parsed alternatives of a pattern that is an alternation at its top, else the parsed
    pattern alone; one empty arm (no requirement: always a candidate) for a pattern whose
    requirements are not known (ignored case …)."""
    tree = _parsed(pattern)
    if tree is None:
        return [[]]
    if len(tree) == 1 and tree[0][0] is sre.BRANCH:
        return [list(arm) for arm in tree[0][1][1]]
    return [tree]


def suffix_entry(text: str, entries: tuple[str, ...]) -> str | None:
    """`longest_suffix(text, entries)`; `str.endswith` first tells whether there is one."""
    return longest_suffix(text, entries) if text.endswith(entries) else None


def prefix_entry(text: str, entries: tuple[str, ...]) -> str | None:
    """`longest_prefix(text, entries)`; `str.startswith` first tells whether there is one."""
    return longest_prefix(text, entries) if text.startswith(entries) else None


@cache
def _any_of(entries: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile("|".join(re.escape(word) for word in entries) or "(?!)")


def holds_any(text: str, entries: tuple[str, ...]) -> bool:
    """Whether one of `entries` occurs in `text`: one regex search, not a test per entry."""
    return _any_of(entries).search(text) is not None
