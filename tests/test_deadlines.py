from __future__ import annotations

import pytest

from pipeline.extract.deadlines import stated_deadline


@pytest.mark.parametrize(
    ("text", "deadline"),
    [
        # 003:2022 "…抓紧建立城镇基础设施电子档案，到 2015 年底前实现数字城管平台全覆盖"
        ("抓紧建立城镇基础设施电子档案，到 2015 年底前实现数字城管平台全覆盖", "2015年底前"),
        # 003 annex table cell "2014-2017 年 / 滚动实施"
        ("2014-2017 年滚动实施", "2014-2017年滚动实施"),
        ("2014年开始", "2014年开始"),
        ("2016年6月前完成改造", "2016年6月前"),
        ("对发现的问题限期整改到位。", "限期整改到位"),
    ],
)
def test_time_limits_are_read_as_printed(text, deadline):
    assert stated_deadline(text) == deadline


def test_a_target_year_alone_is_not_a_time_limit():
    # 002:35 "到 2025 年,新经济增加值年均增速不低于 10%"
    assert stated_deadline("到2025年,新经济增加值年均增速不低于10%") is None
