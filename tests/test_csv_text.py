"""`publish.csv_text` writes exactly what the csv module writes, faster for rows that need no
quoting (tests/test_output_digests.py checks the built packages' files byte for byte)."""
from __future__ import annotations

import csv
import io

from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.publish import csv_cell, csv_text

# Text with what CSV quoting is about (commas, quotes, line breaks, carriage returns) and Chinese.
CELL_TEXT = st.text(alphabet=st.sampled_from(list(',"\n\r ab1，。措施\u3000')), max_size=12)
CELL = st.one_of(CELL_TEXT, st.none(), st.integers(), st.booleans(),
                 st.floats(allow_nan=False), st.floats(allow_nan=True, allow_infinity=True))


def written_by_csv_module(rows, spelled) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(
        [csv_cell(v) if i in spelled else v for i, v in enumerate(row)] for row in rows)
    return buffer.getvalue()


@settings(max_examples=400, deadline=None)
@given(st.integers(min_value=1, max_value=5).flatmap(
    lambda width: st.tuples(st.lists(st.lists(CELL, min_size=width, max_size=width), max_size=6),
                            st.sets(st.integers(min_value=0, max_value=width - 1)))))
def test_csv_text_is_what_the_csv_module_writes(rows_and_spelled):
    rows, spelled = rows_and_spelled
    spelled = tuple(sorted(spelled))
    assert csv_text(rows, spelled) == written_by_csv_module(rows, spelled)


def test_csv_text_quotes_what_needs_it():
    rows = [("m-1", "支持企业，给予奖励", None, True, 1000000.0),
            ("m-2", '称为"专精特新"', 3, False, 2.5),
            ("m-3", "第一行\n第二行", 0, None, None),
            ("m-4", "", 1, True, 0.0)]
    assert csv_text(rows, (3, 4)) == (
        "m-1,支持企业，给予奖励,,true,1000000\n"  # a full-width comma is text, not a delimiter
        + 'm-2,"称为""专精特新""",3,false,2.5\n'
        + 'm-3,"第一行\n第二行",0,,\n'
        + "m-4,,1,true,0\n")
    assert csv_text([("",)]) == '""\n'  # a lone empty cell is quoted, not a blank line
    assert csv_text([]) == ""
