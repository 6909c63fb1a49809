"""The annex table 重点任务分工及进度安排表 of the Mianyang plan (seed 003, lines 2032-2831)."""

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.extract.task_table import agencies_in_cell, parse_task_table

SEED = Path(__file__).resolve().parents[1] / "seeds" / "003_b7f4ec8c69ce3500.txt"


def raw_lines(first: int, last: int) -> list[tuple[int, str]]:
    lines = SEED.read_text(encoding="utf-8").split("\n")
    return [(number, lines[number - 1]) for number in range(first, last + 1)]


# seed 003, lines 2034-2051: the column header, then row 1 with wrapped task, support and deadline.
ROW_1 = [
    (2034, "序"), (2035, ""), (2036, "号"),
    (2037, "工 作 任 务 责任单位 配合落实部门 时间进度"), (2038, ""),
    (2039, "1"), (2040, "推进轻轨等城市轨道交通"), (2041, ""), (2042, "系统建设"),
    (2043, "市发改委"), (2044, ""), (2045, "市规划局、市住建局、市交通局、"), (2046, ""),
    (2047, "市环保局"), (2048, ""), (2049, "2014-2017 年"), (2050, ""), (2051, "滚动实施"),
]


def test_row_with_wrapped_cells():
    [row] = parse_task_table(ROW_1)
    assert row == {
        "label": "1", "task": "推进轻轨等城市轨道交通系统建设", "lead": "市发改委",
        "support": "市规划局、市住建局、市交通局、市环保局", "deadline": "2014-2017年滚动实施",
        "line_start": 2039, "line_end": 2051, "task_line": 2040, "lead_line": 2043,
        "support_line": 2045, "deadline_line": 2049,
    }


def test_page_numbers_inside_a_row_are_skipped():
    # a page break inside the wrapped support cell and another before the deadline
    lines = ROW_1[:12] + [(3001, " 16")] + ROW_1[12:15] + [(3002, "2")] + ROW_1[15:]
    assert parse_task_table(lines) == parse_task_table(ROW_1)


def test_narrow_lead_cell_wrapped_beside_the_support_cell():
    # seed 003, lines 2584-2606 (row 37): 市政务服务 / 管理局、市 / 住建局 is the lead cell
    [row] = parse_task_table([(2583, ""), (2584, "1")] + raw_lines(2585, 2606))
    assert row["task"] == "优化审批流程，加快在建项目建设，做好2016-2017年建设项目储备"
    assert row["lead"] == "市政务服务管理局、市住建局"
    assert row["support"] == "各县市区政府、各园区管委会、市发改委、市国土局、市规划局、市环保局"
    assert (row["lead_line"], row["support_line"]) == (2592, 2598)


def test_cells_on_one_line():
    # seed 003, lines 2333-2336 (row 21): label, task, lead and support on one line
    lines = [(2333, "1 加强城镇电网建设 市供电公司 市发改委、市经信委、市规划局"),
             (2334, "2014-2017 年"), (2335, ""), (2336, "滚动实施")]
    [row] = parse_task_table(lines)
    assert (row["task"], row["lead"], row["support"]) == (
        "加强城镇电网建设", "市供电公司", "市发改委、市经信委、市规划局")
    assert row["lead_line"] == row["support_line"] == 2333


def test_the_whole_annex_table():
    rows = parse_task_table(raw_lines(2033, 2891))  # runs past the table's end on purpose
    assert [row["label"] for row in rows] == [str(n) for n in range(1, 53)]
    assert all(row["task"] and row["lead"] and row["deadline"] for row in rows)
    by_label = {row["label"]: row for row in rows}
    # seed 003, lines 2645-2653: a lead cell of two names and a deadline without 滚动实施
    assert by_label["40"]["lead"] == "市地税局、市国税局"
    assert by_label["40"]["deadline"] == "2014年开始"
    assert by_label["48"]["deadline"] == "2014开始"
    # seed 003, lines 2775-2781: 等 alone on the last line of the support cell
    assert by_label["49"]["support"].endswith("市广电局、绵阳电力等")
    # seed 003, lines 2391-2397: a task line starting with 市 is still task text
    assert by_label["26"]["task"] == "建设生活垃圾分类示范城市，深化农村生活垃圾分类收集"
    assert by_label["26"]["lead"] == "市城管局"
    # the text after the table (line 2832 onwards) is not part of the last row
    assert by_label["52"]["deadline"] == "2014-2017年滚动实施"
    assert by_label["52"]["line_end"] == 2831


def test_agencies_in_cell():
    # seed 003, lines 2292-2294 and 2672
    assert agencies_in_cell("各县市区政府、各园区管委会、市发改委、财政局") == [
        "各县市区政府", "各园区管委会", "市发改委", "财政局"]
    assert agencies_in_cell("市财政局、市住建局等") == ["市财政局", "市住建局"]
    assert agencies_in_cell(None) == []


@settings(max_examples=200)
@given(st.lists(st.text(alphabet=st.sampled_from(list("1234 市局、，等年-2014滚动实施推进建设各政府")),
                        max_size=20), max_size=40))
def test_parse_task_table_never_raises(texts):
    rows = parse_task_table(list(enumerate(texts, start=1)))
    for row in rows:
        assert row["line_start"] <= row["line_end"]
