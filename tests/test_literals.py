"""The literal prefilter: a regex is skipped only on texts it cannot match."""
from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.extract.instruments import _lexicon
from pipeline.extract.lexicon import longest_prefix, longest_suffix
from pipeline.extract.literals import (
    LiteralIndex,
    holds_any,
    may_match,
    prefix_entry,
    required_literals,
    screen,
    suffix_entry,
)


@pytest.mark.parametrize(("pattern", "literals"), [
    ("给予[^。;]{0,20}?(补助|奖励|补贴)", {"给予"}),  # as long as the branch's words, and one
    ("鼓励|支持|引导", {"鼓励", "支持", "引导"}),
    (r"到20\d\d年", {"到20"}),
    ("^附件", {"附件"}),
    ("(?:专项)?资金", {"资金"}),  # an optional part is not required
    (r"(预拨|拨付)[0-9.]+[万亿]?元|(统筹|安排)资金", {"预拨", "拨付", "资金"}),
    ("(奖励)+", {"奖励"}),
    ("x(?=abc)", {"x"}),
])
def test_required_literals_of_cue_shaped_patterns(pattern, literals):
    assert required_literals(pattern) == literals


@pytest.mark.parametrize("pattern", [r"\d+", r"补助|\d", "(?i)fund", "(?:ab)?", "[甲乙]"])
def test_no_literals_when_a_match_can_do_without_fixed_text(pattern):
    assert required_literals(pattern) is None


def test_index_picks_only_the_patterns_whose_literals_occur():
    index = LiteralIndex(["给予[^。]{0,20}?补助", r"\d+万元", "鼓励|支持", "到20\\d\\d年"])
    assert index.candidates("对新建项目给予一次性补助") == [0]
    assert index.candidates("支持企业发展，到2025年") == [2, 3]
    assert index.candidates("奖励50万元") == [1]
    assert LiteralIndex([r"\d+"]).candidates("没有数字") == [0]  # no requirement: always a candidate


def test_index_asks_for_every_requirement_of_a_pattern():
    index = LiteralIndex(["(成立|建立)了", "(全国|西部)第[0-9]+"])
    assert index.candidates("成立工作专班") == []  # a verb without 了
    assert index.candidates("为了建立机制") == [0]  # both, in any order: the regex decides
    assert index.candidates("位居全国前列,第3") == [1]
    either = LiteralIndex(["特(制定|提出)|(制定|制订)本[^。]{0,6}?(意见|方案)", "(?i)fund"])
    assert either.candidates("制定本方案") == [0, 1]  # the second arm; no requirement known for (?i)
    assert either.candidates("特提出") == [0, 1]
    assert either.candidates("制定方案") == [1]  # neither arm has all it needs
    assert either.scan("制定本方案") == ((0, 1), False)
    assert LiteralIndex(["改革"], markers=["发展改革"]).scan("推进发展改革") == ((0,), True)


def _cue_pieces() -> list[str]:
    """The literals the instrument regexes need, and what the regexes put between them."""
    literals = {w for cues in _lexicon().regexes.values() for p, _ in cues
                for requirement in [required_literals(p.pattern) or ()] for w in requirement}
    return sorted(literals | {"了", "第", "全", "本", "但", "3", "2025", "年", "月", ",", "。", "省", "有"})


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(_cue_pieces()), max_size=12).map("".join))
def test_every_instrument_regex_that_matches_a_text_of_its_literals_is_a_candidate(text):
    for place, cues in _lexicon().regexes.items():
        candidates = _lexicon().regex_index[place].candidates(text)
        assert candidates == sorted(set(candidates))
        assert set(candidates) >= {i for i, (pattern, _) in enumerate(cues) if pattern.search(text)}, text


CUE_TEXT = st.text(alphabet="给予支持鼓励补助奖励资金到2025年附件。，;:()一二三万元已经省政府同意", max_size=40)


@settings(max_examples=300, deadline=None)
@given(CUE_TEXT)
def test_every_instrument_regex_that_matches_is_a_candidate(text):
    for place, cues in _lexicon().regexes.items():
        candidates = set(_lexicon().regex_index[place].candidates(text))
        for index, (pattern, _) in enumerate(cues):
            if pattern.search(text):
                assert index in candidates, (pattern.pattern, text)


def test_every_regex_cue_of_the_lexicon_has_a_literal_requirement():
    # a cue without one is searched in every text: correct, but it costs a full scan
    missing = [p.pattern for cues in _lexicon().regexes.values() for p, _ in cues
               if required_literals(p.pattern) is None]
    assert missing == []


WORD_TEXT = st.text(alphabet="提高到达至以上的元万亿", max_size=8)
WORD_LIST = st.lists(st.text(alphabet="提高到达至以上的元", min_size=1, max_size=3), max_size=6).map(
    lambda found: tuple(sorted(set(found), key=lambda w: (-len(w), w)))
)


@settings(max_examples=300, deadline=None)
@given(WORD_TEXT, WORD_LIST, st.booleans())
def test_fast_lexicon_tests_answer_as_the_lexicon_does(text, entries, shuffled):
    if shuffled:  # some callers pass lists that are not longest first (changes.csv in its order)
        entries = entries[::-1]
    assert suffix_entry(text, entries) == longest_suffix(text, entries)
    assert prefix_entry(text, entries) == longest_prefix(text, entries)
    assert holds_any(text, entries) == any(w in text for w in entries)


def test_screen_keeps_the_shortest_literals_a_match_needs():
    assert screen(r"\d+(?:万元|亿元|元|美金)") == ("元", "美金")  # a text holding 亿元 holds 元
    assert screen(r"\d+年") == ("年",)
    assert screen("已|同比|截至") is None  # only literal words: the engine skips ahead as fast
    assert screen(r"\d+") is None
    assert screen("(?i:fund)s") == ("s",)  # the case-blind part requires nothing


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="到2025年内用经过三五元万亿。\n ", max_size=30))
def test_a_pattern_that_matches_is_never_screened_out(text):
    for pattern in (r"(?:19|20)\d{2}\s*年", r"\d+\s*[万亿]?(?:万元|亿元|元)", r"(?:经过|用)\s*[三五\d]{1,2}\s*年"):
        compiled = re.compile(pattern)
        if compiled.search(text):
            assert may_match(compiled, text), (pattern, text)
    assert not may_match(re.compile(r"\d+\s*元"), "全省新增企业300家")
