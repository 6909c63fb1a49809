"""The lookups by length that replace regex alternations and candidate lists (issue 19) find
what the straightforward code found, on arbitrary words and texts (hypothesis)."""
from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.extract.agencies import Endings, looks_like_agency, strip_tail
from pipeline.extract.lexicon import longest_prefix, longest_suffix

# Few characters, so that words end and start one another often; `\n` for what `$` reads past.
ALPHABET = "局厅委办负责牵头等和\n"
WORDS = st.lists(st.text(alphabet=ALPHABET.strip(), min_size=1, max_size=4), max_size=8)
TEXTS = st.text(alphabet=ALPHABET, max_size=10)


def first_standing(candidates: list[str], entries: tuple[str, ...]) -> str | None:
    """The candidate that is an entry and stands first in `entries` (the lookups' definition)."""
    found = [entries.index(c) for c in candidates if c and c in entries]
    return entries[min(found)] if found else None


@settings(max_examples=300)
@given(WORDS, TEXTS)
def test_an_ending_is_what_the_anchored_alternation_searches_out(words, text):
    ordered = sorted(set(words), key=lambda w: (-len(w), w))
    pattern = re.compile("(?:" + "|".join(map(re.escape, ordered)) + ")$") if ordered else None
    match = pattern.search(text) if pattern else None
    assert Endings(words).ending(text) == ((match.start(), match.group()) if match else None)


@settings(max_examples=300)
@given(WORDS, TEXTS, st.booleans())
def test_longest_suffix_and_prefix_are_the_entry_standing_first(words, text, longest_first):
    entries = tuple(sorted(words, key=lambda w: -len(w)) if longest_first else words)
    every_end = [text[len(text) - n:] for n in range(1, len(text) + 1)]
    every_start = [text[:n] for n in range(1, len(text) + 1)]
    assert longest_suffix(text, entries) == first_standing(every_end, entries)
    assert longest_prefix(text, entries) == first_standing(every_start, entries)


def test_names_and_duty_verbs_end_as_before():
    # Texts of our own: a name, a name with its duty verbs, a verb in brackets after a name.
    assert looks_like_agency("经济和信息化厅") and not looks_like_agency("经济")
    assert strip_tail("省发展改革委牵头负责") == ("省发展改革委", "牵头负责", "lead")
    assert strip_tail("省发展改革委（牵头）") == ("省发展改革委", "牵头", "lead")
    assert Endings(["办"]).ending("市政府办\n") == (3, "办")  # `$` reads past a final line break
