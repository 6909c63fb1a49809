"""Shortcuts of issue 19's fourth round against their plain definitions (hypothesis).

classify_document reads a document's items extractor by extractor (amounts and targets of
every item, then their agencies, then their measure rows and instrument classes) instead of
item by item; what it records must be what the item-by-item reading records, in the same
order: an item's target warnings before the warnings of the bodies its clauses name first.
"""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.classify import classify_file
from pipeline.clean import clean_lines
from pipeline.segment import segment_file

NUMERALS = "一二三四五六七八九十"
# Bodies no registry lists (every one is warned about once, where it is first met).
UNKNOWN_BODIES = ("省新设甲局", "省新设乙局", "省新设丙局")
HEAD = "江西省人民政府办公厅关于测试工作的实施意见\n赣府厅发〔2020〕1号\n各市、县（区）人民政府，省政府各部门：\n"
TAIL = "江西省人民政府办公厅\n2020年3月1日\n"

# An item: whether it sets a goal whose indicator cannot be read (a target warning), and the
# bodies its clause names (lead first).
ITEMS = st.tuples(st.booleans(), st.lists(st.sampled_from(UNKNOWN_BODIES), max_size=2, unique=True))


def item_text(goal: bool, bodies: list[str]) -> str:
    text = "到2025年，的80%。" if goal else "加强统筹。"
    if bodies:
        clause = f"{bodies[0]}牵头" + (f"，{'、'.join(bodies[1:])}配合" if bodies[1:] else "")
        text += f"（{clause}）"
    return text


def expected_warnings(items: list[tuple[bool, list[str]]]) -> list[str]:
    """The plain definition: item by item, its target warning, then a warning for each body
    of its clause not met before."""
    found, met = [], set()
    for line, (goal, bodies) in enumerate(items, start=4):  # the items start on line 4
        if goal:
            found.append(f"order.txt:{line}: target “的80%”: no indicator could be read: the clause stands for it")
        for body in bodies:
            if body not in met:
                met.add(body)
                found.append(f"agency not in the registry: 江西{body} (provincial, 江西省); "
                             "add it to pipeline/lexicons/agencies.csv (see README-agencies.md)")
    return found


@settings(max_examples=60, deadline=None)
@given(st.lists(ITEMS, min_size=1, max_size=6))
def test_warnings_come_item_by_item_targets_before_bodies(items):
    body = "".join(f"{NUMERALS[i]}、{item_text(*item)}\n" for i, item in enumerate(items))
    text = HEAD + body + TAIL
    records = classify_file(segment_file(clean_lines(text), text.split("\n")), "order.txt", "0" * 64)
    assert records.warnings == expected_warnings(items)
    # and every item's rows are there, in item order
    assert [row["measure_id"] for row in records.rows["measures"]] == [
        f"order-d01-m{i + 1:04d}" for i in range(len(items))]
    agency_rows = [row["mention"] for row in records.rows["measure_agencies"]]
    assert agency_rows == [body for _, bodies in items for body in bodies]
