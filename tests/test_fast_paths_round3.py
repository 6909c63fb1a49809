"""Shortcuts of issue 19's third round against their plain definitions (hypothesis): the fast
constructors of the frozen records (make_paragraph, make_item) against the dataclasses' own
__init__, measure_row's lines and pages against the Paragraph's and the Source's own."""
from __future__ import annotations

import dataclasses

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.classify import Source, measure_row
from pipeline.clean import Paragraph, make_paragraph
from pipeline.segment import Item, make_item

SHORT_TEXT = st.text(max_size=12)
NUMBERS = st.lists(st.integers(0, 500), max_size=4).map(tuple)
PARAGRAPH_ARGS = st.tuples(SHORT_TEXT, NUMBERS, NUMBERS, st.booleans(), st.booleans(), st.booleans(), st.booleans())


@given(PARAGRAPH_ARGS, st.integers(5, 7))
def test_make_paragraph_makes_what_paragraph_makes(args, given_count):
    args = args[:given_count]  # with and without the defaulted fields
    made, plain = make_paragraph(*args), Paragraph(*args)
    assert type(made) is Paragraph
    assert made == plain and hash(made) == hash(plain) and repr(made) == repr(plain)
    with pytest.raises(dataclasses.FrozenInstanceError):
        made.text = "x"  # type: ignore[misc]


@given(st.integers(0, 99), st.none() | SHORT_TEXT, st.none() | SHORT_TEXT, st.integers(1, 5),
       st.none() | st.integers(0, 99), st.none() | SHORT_TEXT, PARAGRAPH_ARGS, NUMBERS, st.none() | SHORT_TEXT)
def test_make_item_makes_what_item_makes(ordinal, label, style, level, parent, heading, body_args, breaks, section):
    body = Paragraph(*body_args)
    made = make_item(ordinal, label, style, level, parent, heading, body, breaks, section=section)
    plain = Item(ordinal, label, style, level, parent, heading, body, breaks, section=section)
    assert type(made) is Item
    assert made == plain and hash(made) == hash(plain) and repr(made) == repr(plain)
    assert make_item(ordinal, label, style, level, parent, heading, body) == Item(
        ordinal, label, style, level, parent, heading, body)
    with pytest.raises(dataclasses.FrozenInstanceError):
        made.level = 2  # type: ignore[misc]


def test_the_fast_constructors_set_every_field():
    # A field added to either record must be added to its fast constructor too.
    body = make_paragraph("第一段", (0,), (3,), True, False, True, False)
    assert [f.name for f in dataclasses.fields(Paragraph)] == list(Paragraph.__slots__)
    assert all(hasattr(body, f.name) for f in dataclasses.fields(Paragraph))
    item = make_item(0, "一、", "cn、", 1, None, "总体要求", body)
    assert all(hasattr(item, f.name) for f in dataclasses.fields(Item))


@given(st.lists(st.integers(1, 300), min_size=1, max_size=4), st.lists(st.integers(1, 20), max_size=8))
def test_measure_rows_lines_and_pages_are_the_paragraphs_and_the_sources(line_numbers, line_pages):
    body = Paragraph("第一段", tuple(range(len(line_numbers))), tuple(line_numbers), False, False)
    item = Item(0, "一、", "cn、", 1, None, None, body)
    source = Source("plan.pdf", "0" * 64, "pdf" if line_pages else "txt", tuple(line_pages))
    row = measure_row(item, "plan.pdf-d01-m0001", "plan.pdf-d01", None, "一、", True, source)
    assert (row["line_start"], row["line_end"]) == (body.line_start, body.line_end)
    assert (row["page_start"], row["page_end"]) == source.pages(body.line_start, body.line_end)
