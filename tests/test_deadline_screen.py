"""Round 3 of the extractors' fast paths (issue 19): each shortcut answers as the plain
definition it replaces, on texts drawn from small pieces written for the tests and on the seeds."""
from __future__ import annotations

import re

from conftest import SEEDS
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.extract.deadlines import deadline_pattern, stated_deadline

DEADLINE_PIECES = ["2015", "2016", "1998", "19", "20", "年", "底", "末", "前", "之", "6月", "上半年",
                   "起", "开始", "实施", "执行", "—", "至", "2017", "滚动实施", "分步实施", "持续推进",
                   "限期", "整改", "，", "。", " ", "\n", "到", "完成"]


def plain_stated_deadline(text: str) -> str | None:
    """stated_deadline as it is defined: the first match of the patterns, whitespace removed."""
    match = deadline_pattern().search(text)
    return re.sub(r"\s", "", match.group(0)) if match else None


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(DEADLINE_PIECES), max_size=12).map("".join))
def test_stated_deadline_is_the_plain_search(text):
    assert stated_deadline(text) == plain_stated_deadline(text)


def test_stated_deadline_is_the_plain_search_on_the_seeds():
    found = 0
    for path in sorted(SEEDS.glob("*.txt")):
        for line in path.read_text(encoding="utf-8").splitlines():
            assert stated_deadline(line) == plain_stated_deadline(line), (path.name, line)
            found += stated_deadline(line) is not None
    assert found > 0  # the seeds state deadlines: the screen lets them through
