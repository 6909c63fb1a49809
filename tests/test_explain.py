"""`python -m pipeline explain ID`: any row, its raw source lines, the mention highlighted."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
from click.testing import CliRunner
from conftest import ROOT, SEEDS

from pipeline.cli import main
from pipeline.explain import find_mention

MARKED = re.compile(r"\[\[(.*?)\]\]")


def raw_lines(document: pd.Series) -> list[str]:
    return (SEEDS / document.source_file).read_text("utf-8").split("\n")


def explain(package: Path, row_id: str, *options: str):
    return CliRunner().invoke(main, ["explain", row_id, "--package", str(package), "--seeds", str(SEEDS),
                                     "--no-color", *options])


def marked_text(output: str) -> str:
    """What the brackets enclose, joined over line breaks, without whitespace."""
    body = "\n".join(line.split(" │ ", 1)[1] for line in output.splitlines() if " │ " in line)
    return "".join(re.sub(r"\s", "", m) for m in re.findall(r"\[\[(.*?)\]\]", body, re.DOTALL))


def source_line(document: pd.Series, number: int) -> str:
    return f"{number} │ {raw_lines(document)[number - 1].rstrip()}"


def test_amount_with_its_line_and_mention(package, tables):
    documents = tables["documents"].set_index("document_id")
    amounts = tables["amounts"]
    # one whose raw line spells it with spaces (超过 2600 亿元): the search must tolerate them
    row = next(r for r in amounts.itertuples()
               if r.text not in raw_lines(documents.loc[r.document_id])[int(r.line) - 1])
    result = explain(package, row.amount_id)
    assert result.exit_code == 0, result.output
    assert f"amount_id    {row.amount_id}" in result.output
    assert f"text         {row.text}" in result.output
    line = source_line(documents.loc[row.document_id], int(row.line))
    assert MARKED.sub(lambda m: m.group(1), result.output).count(line) == 1
    assert marked_text(result.output) == row.text
    assert f"{int(row.line) - 1} │" in result.output  # the line before (or the text before it)


def test_target_document_and_measure(package, tables):
    documents = tables["documents"].set_index("document_id")
    target = tables["targets"].iloc[0]
    output = explain(package, target.target_id).output
    assert marked_text(output) == target.text
    document = documents.iloc[-1]
    output = explain(package, document.name, "--max-lines", "5").output
    assert f"{document.line_start} │" in output and "more lines" in output
    measure = tables["measures"].query("heading != ''").iloc[0]
    output = explain(package, measure.measure_id).output
    assert marked_text(output) == measure.heading
    assert source_line(documents.loc[measure.document_id], int(measure.line_start)) in MARKED.sub(lambda m: m.group(1), output)


def test_agency_mention_broken_over_lines(package, tables):
    """A mention split by a line break (经济和 / 信息化厅) is found and marked on both lines."""
    documents = tables["documents"].set_index("document_id")
    measures = tables["measures"].set_index("measure_id")
    links = tables["measure_agencies"]

    def broken(row) -> bool:
        lines = raw_lines(documents.loc[measures.document_id[row.measure_id]])
        line = lines[int(row.line) - 1]
        return row.mention not in line and find_mention("\n".join(lines[int(row.line) - 1:int(row.line) + 3]), row.mention) is not None

    row = next(r for r in links.itertuples() if broken(r))
    key = f"{row.measure_id}/{row.clause}/{row.position}"
    result = explain(package, key)
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"measure_agencies {key}")
    assert len(MARKED.findall(result.output)) >= 2
    assert marked_text(result.output) == row.mention


def test_agency_shows_lineage_and_mentions(package, tables):
    agencies = tables["agencies"]
    before = agencies[agencies.successor_id != ""].iloc[0]
    after = agencies.set_index("agency_id").loc[before.successor_id]
    output = explain(package, before.agency_id).output
    assert f"became {after['name']}" in output
    output = explain(package, before.successor_id).output
    assert "formerly " in output and before["name"] in output
    if "named 0 times" not in output:
        assert "[[" in output


def test_color_on_a_terminal(package, tables):
    amount = tables["amounts"].iloc[0]
    output = explain(package, amount.amount_id, "--color").output
    assert "\x1b[" in output and "[[" not in output


def test_unknown_id_exits_2(package, tables):
    result = explain(package, "no-such-row")
    assert result.exit_code == 2
    assert "no row with id 'no-such-row'" in result.stderr
    near = "9" + tables["amounts"].amount_id.iloc[0][1:]  # a typo: close to a real id
    result = explain(package, near)
    assert result.exit_code == 2 and f"did you mean {tables['amounts'].amount_id.iloc[0]}" in result.stderr
    process = subprocess.run([sys.executable, "-m", "pipeline", "explain", "nope", "--package", str(package)],
                             cwd=ROOT, capture_output=True, text=True)
    assert process.returncode == 2 and "no row with id" in process.stderr
