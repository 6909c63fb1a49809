"""Round 2 of the extractors' fast paths (issue 19): each cached or shortcut reading answers as
the plain definition it replaces, on texts drawn from small pieces written for the tests."""
from __future__ import annotations

import re

from conftest import SEEDS
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.extract import agencies, targets, task_table
from pipeline.extract.agencies import split_names
from pipeline.extract.lexicon import alternation, trie_alternation
from pipeline.extract.timeframe import Frame, Timeline, item_timeline, stated_year

NAME_PIECES = ["省发展改革委", "财政厅", "科技厅", "成都市", "绵阳市人民政府", "有关部门", "牵头",
               "负责", "（牵头）", "等", "和", "按职责分工负责", "逗号前为牵头单位", "下同", "、", "，",
               "；", " ", "县（市、区）", "2025年底前", "市目督办"]


def plain_split_names(content: str, offset: int) -> list[dict]:
    """split_names as it was defined before its lists were cached."""
    pieces = [piece for piece in agencies._read_pieces(content)
              if isinstance(piece[3], agencies._Name) and agencies._written_as_a_name(piece[3].mention)]
    return [name for name in agencies._finish_names(pieces, offset)
            if not agencies.is_generic(name["mention"])]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(NAME_PIECES), max_size=10).map("".join), st.integers(0, 50))
def test_split_names_is_the_plain_reading_at_any_offset(content, offset):
    assert split_names(content, offset) == plain_split_names(content, offset)
    # a second call is answered from the cache, and the caller may change what it gets back
    first = split_names(content, offset)
    for name in first:
        name["stated_role"] = "changed"
    assert split_names(content, offset) == plain_split_names(content, offset)


TIME_PIECES = ["到2025年", "2020年前", "力争", "，", "。", "\n", "截至2019年", "已", "建成10个", "今年",
               "今后3年", "近3年", "达到20%", "“十四五”期间", "2013年", "企业", " "]


def eager_timeline(text: str, doc_year: int | None, inherited: int | Frame | None, reports: bool) -> Timeline:
    """item_timeline as it was defined before the head deadline was read lazily."""
    if isinstance(inherited, int):
        inherited = Frame("goal", inherited)
    own = stated_year(text)
    if own is not None and (inherited is None or inherited.mode != "past"):
        return Timeline(text, doc_year, Frame("goal", own), reports)
    return Timeline(text, doc_year, inherited, reports)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(TIME_PIECES), max_size=12).map("".join),
       st.sampled_from([None, 2018, 2024]),
       st.sampled_from([None, 2025, Frame("past", None), Frame("goal", 2030), Frame("none", None)]),
       st.booleans())
def test_item_timeline_is_the_eager_reading(text, doc_year, inherited, reports):
    lazy, eager = item_timeline(text, doc_year, inherited, reports), eager_timeline(text, doc_year, inherited, reports)
    assert [lazy.at(i) for i in range(len(text) + 1)] == [eager.at(i) for i in range(len(text) + 1)]


def plain_unfinished(text: str) -> bool:
    """task_table._unfinished as it was defined before the last name was cut without a split."""
    if not text or text[-1] in task_table._UNFINISHED_END:
        return True
    last = task_table._NAME_SEPARATOR.split(text)[-1]
    return not agencies.looks_like_agency(last.removesuffix("等"))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(NAME_PIECES + [",", ";", "市政务服务", "局"]), max_size=10).map("".join))
def test_an_unfinished_agency_cell_is_told_as_by_its_split(text):
    assert task_table._unfinished(text) == plain_unfinished(text)
    assert task_table._compact(text) == task_table._WHITESPACE.sub("", text)


def plain_find_clauses(text: str) -> list[dict]:
    """agencies.find_clauses as it was defined before labels were looked for only after a colon."""
    clauses = []
    position = 0
    while position < len(text):
        opening = agencies._next_opening(text, position)
        label = agencies._next_line_label(text, position, opening)
        if label is not None:
            clause = agencies._label_clause(text, label)
        elif opening is None:
            break
        else:
            close = agencies.matching_close(text, opening)
            clause = agencies._bracket_clause(text, opening, close)
            if clause is None:
                position = close + 1 if close is not None else opening + 1
                continue
        if clause["names"]:
            clauses.append(clause)
        position = max(clause["end"], position + 1)
    return clauses


CLAUSE_PIECES = NAME_PIECES + ["责任单位", "牵头单位", "：", ":", "（", "）", "。", "\n", "加强监管", "配合单位"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(CLAUSE_PIECES), max_size=14).map("".join))
def test_find_clauses_is_the_plain_search(text):
    assert agencies.find_clauses(text) == plain_find_clauses(text)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.text("abc万元", min_size=1, max_size=4), min_size=1, max_size=8),
       st.text("abcx万元", max_size=30), st.sampled_from(["", "c", "元", "(?=b)", "x?c"]))
def test_a_trie_alternation_matches_as_the_alternation(entries, text, after):
    """Same matches, and the same backtracking into the words when what follows fails."""
    entries = tuple(sorted(set(entries), key=lambda w: (-len(w), w)))
    plain = re.compile(f"(?P<word>{alternation(entries)}){after}")
    trie = re.compile(f"(?P<word>{trie_alternation(entries)}){after}")
    assert [m.span("word") + m.span() for m in trie.finditer(text)] == \
        [m.span("word") + m.span() for m in plain.finditer(text)]


def test_the_quantity_regex_finds_what_it_found_with_the_alternation_of_units():
    units = tuple(targets.unit_table())
    plain = re.compile(targets.quantity_regex().pattern.replace(trie_alternation(units), alternation(units)))
    assert plain.pattern != targets.quantity_regex().pattern
    for path in sorted(SEEDS.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        assert [(m.span(), m.groups()) for m in targets.quantity_regex().finditer(text)] == \
            [(m.span(), m.groups()) for m in plain.finditer(text)], path.name
