"""The fast paths of `normalise` against their plain definitions (hypothesis):
normalised_characters (one scan, each character mapped alone) against the steps of `normalise`
applied one after the other to the whole text; may_convert (keys of t2s_changes.csv looked for)
against OpenCC's converter itself."""
from __future__ import annotations

import csv
import importlib.util
import unicodedata
from importlib import resources
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from pipeline.clean import (
    COMPATIBLE,
    FULL_WIDTH,
    INVISIBLE,
    NORMALISED_RUN,
    RADICAL,
    may_convert,
    normalised_character,
    normalised_characters,
    radical_forms,
    to_simplified,
)

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("t2s_changes_script", ROOT / "scripts" / "t2s_changes.py")
t2s_changes_script = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(t2s_changes_script)


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


# ---------------------------------------------------------------- may_convert before OpenCC

def t2s_rows() -> list[tuple[str, str]]:
    with resources.files("pipeline.lexicons").joinpath("t2s_changes.csv").open(encoding="utf-8") as fh:
        return [(row["traditional"], row["simplified"]) for row in csv.DictReader(fh)]


T2S_ROWS = t2s_rows()
KEY_CHARS = sorted({ch for key, _ in T2S_ROWS for ch in key})
# Simplified text around the keys: what the converter leaves, what holds a key, and pieces of keys.
T2S_TEXT = st.lists(
    st.sampled_from([key for key, _ in T2S_ROWS]) | st.sampled_from(KEY_CHARS)
    | st.sampled_from(["覆盖", "答", "批", "显著", "发展", "，", "\n", "2025年", "一、"])
    | st.characters(exclude_categories=("Cs",)),
    max_size=12).map("".join)


def test_the_t2s_lexicon_is_what_the_installed_opencc_replaces():
    # The shortcut is right only while the lexicon lists every key the converter replaces.
    assert t2s_changes_script.lexicon_text(t2s_changes_script.changes()) == (
        Path(t2s_changes_script.LEXICON).read_text(encoding="utf-8"))


def test_every_key_the_converter_changes_is_found():
    converter = to_simplified()
    for key, _ in T2S_ROWS:
        assert may_convert(key) and may_convert(f"在{key}中")
    assert sum(converter.convert(key) != key for key, _ in T2S_ROWS) > 0.9 * len(T2S_ROWS)
    assert not may_convert("加快发展现代产业体系，显著提高覆盖率。")


@given(T2S_TEXT)
def test_a_text_may_convert_says_no_to_is_left_as_it_is_by_opencc(text):
    if not may_convert(text):
        assert to_simplified().convert(text) == text
