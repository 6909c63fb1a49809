"""Edge cases of the extractors' fast paths, pinned to what the straightforward code returned.

Each regex of a Timeline now searches the whole text once instead of each sentence; a match
that runs across a sentence end (`到\\n2025年`, a `\\s*` swallowing the newline) must still
be read as the per-sentence search read it. Lexicon lookups go by length, instrument words
through a trie, full-width forms are folded before NFKC: none may change a result.
"""
from __future__ import annotations

from re import _constants as sre
from re import _parser as sre_parse

import pytest
from conftest import SEEDS
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.extract.amounts import (
    CLAUSE_END,
    WINDOW,
    extract_amounts,
    mark_positions,
    piece_bounds,
)
from pipeline.extract.amounts import SENTENCE_END as AMOUNT_SENTENCE_END
from pipeline.extract.instruments import _normalise, classify_instrument
from pipeline.extract.lexicon import alternation, longest_prefix, longest_suffix
from pipeline.extract.targets import CLAUSE_END as TARGET_CLAUSE_END
from pipeline.extract.targets import (
    MAX_CLAUSE,
    clause_spans,
    extract_targets,
    find_quantities,
    quantity_regex,
    quantity_screen,
    read_quantity,
)
from pipeline.extract.timeframe import (
    SENTENCE_END,
    Timeline,
    cue_regex,
    item_timeline,
    pieces,
    spans_of,
    stated_year,
)


def frame_changes(timeline: Timeline, text: str) -> list[tuple[int, str, int | None]]:
    """(offset, mode, year) wherever the frame differs from the one before."""
    found, last = [], None
    for pos in range(len(text) + 1):
        frame = timeline.at(pos)
        if (frame.mode, frame.year) != last:
            last = (frame.mode, frame.year)
            found.append((pos, *last))
    return found


@pytest.mark.parametrize(
    ("text", "frames"),
    [
        ("2014年，全省实现增加值100亿元。\n2020年，力争达到500亿元。", [(0, "past", 2014), (20, "goal", 2020)]),
        # `到\n2025年`: searched whole, the year would start at 到 in the paragraph before.
        ("今后三年\n3年内培育企业50家，到\n2025年，产值达到1000亿元。", [(0, "goal", None), (18, "goal", 2025)]),
        ("经过 5 年努力，建成平台10个。近3年已累计投入资金30亿元。", [(0, "goal", None), (17, "past", None)]),
        ("《四川省“十四五”规划（2021—2025年）》提出，到2025年培育企业100家。", [(0, "none", None), (27, "goal", 2025)]),
        (
            "截至2019年底，全省共有企业1200家，同比增长12%。\n力争2022年底前新增企业300家。",
            [(0, "past", 2019), (30, "goal", 2022)],
        ),
        ("一是加强统筹。二是进一步优化，统一标准，一批项目。", [(0, "none", None)]),
    ],
)
def test_timeline_frames(text, frames):
    assert frame_changes(Timeline(text, 2020, stated_year(text)), text) == frames


def test_year_after_a_paragraph_break_starts_in_its_own_paragraph():
    text = "到\n2025年，产值达到1000亿元。"
    assert frame_changes(item_timeline(text, 2020, None), text) == [(0, "none", None), (2, "goal", 2025)]


def test_relative_future_regex_still_finds_a_leading_number_slot():
    assert [m.group() for m in cue_regex("relative_future").finditer("今后三年\n3年内，经过 5 年努力")] == [
        "今后三年", "\n3年内", "经过 5 年努力",
    ]
    assert alternation(()) == "(?!)"


def test_shared_timeline_and_amounts_give_what_each_extractor_gives_alone():
    text = "到2020年，全省产值达到500亿元，对新认定的企业给予最高50万元补助。\n2014年，全省实现增加值100亿元。"
    timeline = item_timeline(text, 2016, None)
    amounts = extract_amounts(text, timeline=timeline)
    assert amounts == extract_amounts(text, doc_year=2016)
    assert [(a["text"], a["role"]) for a in amounts] == [
        ("500亿元", "target"), ("最高50万元", "subsidy"), ("100亿元", "statistic"),
    ]
    shared = extract_targets(text, timeline=timeline, amounts=amounts)
    assert shared == extract_targets(text, doc_year=2016)
    assert [(t["indicator"], t["year"], t["value"]) for t in shared] == [("全省产值", 2020, 5e10)]


def test_numbers_without_a_unit_are_no_targets():
    assert extract_targets("一是加强统筹。二是进一步优化，统一标准，一批项目。", doc_year=2020) == []
    assert [t["value"] for t in extract_targets("今后三年\n3年内培育企业50家。")] == [50.0]


def test_lexicon_lookups_keep_the_order_of_the_entries():
    assert longest_suffix("提高到", ("到", "提高到")) == "到"  # the first entry, not the longest
    assert longest_suffix("提高到", ("提高到", "到")) == "提高到"
    assert longest_suffix("到", ("提高到", "到")) == "到"
    assert longest_suffix("", ("", "到")) is None
    assert longest_prefix("的增长", ("的", "的增")) == "的"
    assert longest_prefix("的增长", ("的增", "的")) == "的增"
    assert longest_prefix("的", ("的增",)) is None


def test_full_width_forms_fold_as_nfkc_does():
    assert _normalise("（一）　加强，２０２０年ｗ\u00bd") == "(一)加强,2020年w1⁄2"


@pytest.mark.parametrize(
    ("heading", "text", "expected"),
    [
        (
            "（一）加大财政资金支持。",
            "（一）加大财政资金支持。对新认定的企业，给予最高５０万元补助。",
            ("supply", "funding", "财政资金|给予最高50万元补助|补助"),
        ),
        (None, "统筹安排专项资金，支持公共服务平台建设。", ("supply", "funding", "统筹安排专项资金|专项资金")),
    ],
)
def test_instrument_cues(heading, text, expected):
    assert classify_instrument(heading, text, []) == expected


def every_kept_quantity(text: str) -> list:
    """What `find_quantities` returns, without its screen: the full regex at every number."""
    found = (read_quantity(text, m) for m in quantity_regex().finditer(text))
    return [q for q in found if q is not None]


QUANTITY_TEXT = st.text(alphabet="到2025年培育企业家个亿万元%+余多以上，。 \n一二十百千两3.5—、和平方公里", max_size=40)


@settings(max_examples=300, deadline=None)
@given(QUANTITY_TEXT)
def test_the_quantity_screen_passes_every_text_holding_a_quantity(text):
    assert find_quantities(text) == every_kept_quantity(text)


def test_the_quantity_screen_on_the_seeds():
    for seed in sorted(SEEDS.glob("*.txt")):
        for line in seed.read_text(encoding="utf-8").splitlines():
            if every_kept_quantity(line):
                assert quantity_screen().search(line), (seed.name, line)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="一二。，；\n", max_size=30))
def test_spans_of_are_the_pieces(text):
    assert spans_of(SENTENCE_END, text) == list(pieces(SENTENCE_END, text))


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="一二。，；\n", max_size=300), st.integers(0, 300), st.integers(0, 10))
def test_piece_bounds_from_marks_are_those_of_a_search(text, start, width):
    start, end = min(start, len(text)), min(start + width, len(text))
    for pattern in (CLAUSE_END, AMOUNT_SENTENCE_END):
        left = max(0, start - WINDOW)
        before = [m.end() for m in pattern.finditer(text, left, start)]
        after = pattern.search(text, end, end + WINDOW)
        expected = (before[-1] if before else left), (after.start() if after else min(len(text), end + WINDOW))
        assert piece_bounds(len(text), start, end, mark_positions(text, pattern)) == expected


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="一二，。\n", max_size=500))
def test_clause_spans_are_the_pieces_without_their_ends(text):
    expected = []
    for start, end in pieces(TARGET_CLAUSE_END, text):
        end = end - 1 if TARGET_CLAUSE_END.match(text, end - 1) else end
        expected += [(a, min(a + MAX_CLAUSE, end)) for a in range(start, end, MAX_CLAUSE)] or [(start, end)]
    assert clause_spans(text) == expected


def characters_matched(items) -> tuple[set[str], list]:
    """The characters a parsed regex can consume (look-arounds consume none), and the classes
    (categories, negations, any character) that could hold more than listed characters."""
    chars: set[str] = set()
    open_classes: list = []
    for op, argument in items:
        if op is sre.LITERAL:
            chars.add(chr(argument))
        elif op is sre.IN:
            for kind, value in argument:
                if kind is sre.LITERAL:
                    chars.add(chr(value))
                elif kind is sre.RANGE:
                    chars.update(map(chr, range(value[0], value[1] + 1)))
                elif not (kind is sre.CATEGORY and value is sre.CATEGORY_SPACE):
                    open_classes.append((kind, value))
        elif op is sre.SUBPATTERN:
            found, more = characters_matched(argument[-1])
            chars |= found
            open_classes += more
        elif op is sre.BRANCH:
            for arm in argument[1]:
                found, more = characters_matched(arm)
                chars |= found
                open_classes += more
        elif op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT):
            found, more = characters_matched(argument[2])
            chars |= found
            open_classes += more
        elif op not in (sre.ASSERT, sre.ASSERT_NOT, sre.AT):
            open_classes.append((op, argument))
    return chars, open_classes


def test_no_quantity_holds_a_full_stop():
    # find_quantities starts its search after the last full stop before the first candidate
    chars, open_classes = characters_matched(sre_parse.parse(quantity_regex().pattern))
    assert open_classes == []
    assert "。" not in chars and not "。".isspace()
    text = "2020年全省完成改造。到2025年，建成示范园区10个。"
    assert [q.start for q in find_quantities(text)] == [q.start for q in every_kept_quantity(text)] == [text.index("10")]
