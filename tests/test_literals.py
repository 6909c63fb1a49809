"""The literal prefilter: a regex is skipped only on texts it cannot match."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.extract.instruments import _lexicon
from pipeline.extract.literals import LiteralIndex, required_literals


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
