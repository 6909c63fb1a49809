"""Shortcuts of issue 19's fourth round against their plain definitions (hypothesis):
normalised_characters (one scan, each character mapped alone) against the steps of `normalise`
applied one after the other to the whole text."""
from __future__ import annotations

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from pipeline.clean import (
    COMPATIBLE,
    FULL_WIDTH,
    INVISIBLE,
    NORMALISED_RUN,
    RADICAL,
    normalised_character,
    normalised_characters,
    radical_forms,
)


def normalised_step_by_step(text: str) -> str:
    """The plain definition: invisible characters out, then compatibility runs through NFKC,
    then radical forms, then full-width digits and letters, each step over the whole text."""
    text = INVISIBLE.sub("", text)
    text = COMPATIBLE.sub(lambda run: unicodedata.normalize("NFKC", run.group()), text)
    forms = radical_forms()
    text = RADICAL.sub(lambda m: forms.get(m.group(), m.group()), text)
    return text.translate(FULL_WIDTH)


# Every character of the normalised classes, their neighbours, and ordinary text around them.
CLASS_CHARS = [chr(code) for code in range(0x110000) if not 0xD800 <= code <= 0xDFFF and (
    code in FULL_WIDTH or any(pattern.fullmatch(chr(code)) for pattern in (INVISIBLE, COMPATIBLE, RADICAL)))]
NEAR = st.sampled_from(["\n", " ", "\u3000", "a", "1", "一", "十", "（", "(", "①", "ｰ", "\u0301", "\u3099", "ﾞ"])
TEXT = st.lists(st.sampled_from(CLASS_CHARS) | NEAR | st.characters(exclude_categories=("Cs",)),
                max_size=40).map("".join)


def test_every_character_of_the_classes_becomes_what_the_steps_make_of_it():
    # Mapping a run character by character is the steps' result only if no step makes a
    # character another step changes (what a character becomes, the steps leave as it is):
    # checked for every character of the classes.
    assert len(CLASS_CHARS) > 1500
    for ch in CLASS_CHARS:
        assert NORMALISED_RUN.fullmatch(ch)
        form = normalised_character(ch)
        assert form == normalised_step_by_step(ch)
        assert normalised_step_by_step(form) == form


@given(TEXT)
def test_normalised_characters_is_the_steps_one_after_the_other(text):
    assert normalised_characters(text) == normalised_step_by_step(text)
