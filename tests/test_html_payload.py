"""The page embeds every row of a small package and a bounded number of a large one."""
from __future__ import annotations

import csv
import json
import re
import shutil
from pathlib import Path
from types import SimpleNamespace

import pyarrow.parquet as pq
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline import html, publish, readback
from pipeline.build import build


def embedded(folder) -> dict:
    text = (folder / "index.html").read_text("utf-8")
    data = re.search(r'<script type="application/json" id="package-data">(.*?)</script>', text, re.S).group(1)
    return json.loads(data)


def test_a_small_package_is_embedded_whole(package):
    data = embedded(package)
    assert 'class="notice"' not in (package / "index.html").read_text("utf-8")
    descriptor = json.loads((package / "datapackage.json").read_text("utf-8"))
    assert len(data["tables"]["measures"]["rows"]) == sum(
        1 for _ in (package / "measures.csv").open(encoding="utf-8")) - 1
    assert data["package"]["version"] == descriptor["version"]


def test_a_large_package_embeds_whole_documents_up_to_the_budget(package, tmp_path, monkeypatch):
    folder = tmp_path / "datapackage"
    shutil.copytree(package, folder)
    monkeypatch.setattr(html, "EMBEDDED_ROWS", 500)
    descriptor = json.loads((folder / "datapackage.json").read_text("utf-8"))
    html.write_index(folder, descriptor)
    data = embedded(folder)
    documents = {row[0] for row in data["tables"]["documents"]["rows"]}
    rows = sum(len(t["rows"]) for name, t in data["tables"].items() if name != "agencies")
    assert 0 < rows <= 500
    measure_docs = {row[1] for row in data["tables"]["measures"]["rows"]}
    assert measure_docs <= documents  # no measure without its document
    assert f"the first {len(documents)} documents" in (folder / "index.html").read_text("utf-8")


def expected_page_rows(folder, budget: int) -> tuple[list[str], dict[str, list[dict]]]:
    """What the page should embed, computed from the whole CSV files: the first documents whose
    rows (through their measures for tables without a document_id) add up to at most the
    budget, and every row of those documents, by table."""
    tables = {name: list(csv.DictReader((folder / f"{name}.csv").open(encoding="utf-8")))
              for name in html.resource_names()}
    document_of = {m["measure_id"]: m["document_id"] for m in tables["measures"]}
    rows_of: dict[str, int] = {}
    for name, rows in tables.items():
        for row in rows:
            if name != "agencies":
                doc = row.get("document_id") or document_of[row["measure_id"]]
                rows_of[doc] = rows_of.get(doc, 0) + 1
    expected, total = [], 0
    for doc in (d["document_id"] for d in tables["documents"]):
        if total + rows_of[doc] > budget:
            break
        expected.append(doc)
        total += rows_of[doc]
    assert 0 < len(expected) < len(tables["documents"])
    return expected, {name: [r for r in rows if (r.get("document_id") or document_of[r["measure_id"]]) in expected]
                      for name, rows in tables.items() if name != "agencies"}


def assert_page_embeds(folder, budget: int) -> None:
    expected, wanted = expected_page_rows(folder, budget)
    data = embedded(folder)
    assert [row[0] for row in data["tables"]["documents"]["rows"]] == expected
    for name, rows in wanted.items():
        assert len(data["tables"][name]["rows"]) == len(rows), name
        key = data["tables"][name]["primaryKey"][0]
        position = [c["name"] for c in data["tables"][name]["columns"]].index(key)
        assert [row[position] for row in data["tables"][name]["rows"]] == [r[key] for r in rows], name


def test_the_embedded_documents_are_the_longest_prefix_that_fits(package, tmp_path, monkeypatch):
    """The page reads the tables batch by batch; what it embeds is what one computes from the
    whole CSV files."""
    folder = tmp_path / "datapackage"
    shutil.copytree(package, folder)
    monkeypatch.setattr(html, "EMBEDDED_ROWS", 700)
    monkeypatch.setattr(readback, "BATCH_ROWS", 97)  # many batches, as a large package has
    html.write_index(folder, json.loads((folder / "datapackage.json").read_text("utf-8")))
    assert_page_embeds(folder, 700)


def test_the_page_skips_row_groups_without_embedded_rows(tmp_path, monkeypatch):
    """In a package of many row groups, the page skips those whose statistics admit no embedded
    document or measure, and is the same page as one that reads them all."""
    monkeypatch.setattr(publish, "ROW_GROUP_ROWS", 64)
    folder = tmp_path / "datapackage"
    build(Path("seeds"), folder)
    monkeypatch.setattr(html, "EMBEDDED_ROWS", 700)
    read: list[int] = []
    read_row_group = pq.ParquetFile.read_row_group
    monkeypatch.setattr(pq.ParquetFile, "read_row_group",
                        lambda self, group, **kw: read.append(group) or read_row_group(self, group, **kw))
    descriptor = json.loads((folder / "datapackage.json").read_text("utf-8"))
    html.write_index(folder, descriptor)
    assert_page_embeds(folder, 700)
    skipping, page = len(read), (folder / "index.html").read_bytes()
    read.clear()
    monkeypatch.setattr(readback, "may_hold", lambda statistics, wanted: True)
    html.write_index(folder, descriptor)
    assert (folder / "index.html").read_bytes() == page
    assert skipping < len(read) - 20


def test_a_row_group_is_read_when_its_statistics_admit_a_wanted_value():
    def stats(low, high):
        return SimpleNamespace(has_min_max=True, min=low, max=high)

    wanted = ["d-01", "d-05", "d-09"]
    assert readback.may_hold(stats("d-04", "d-06"), wanted)
    assert readback.may_hold(stats("d-09", "d-12"), wanted)
    assert not readback.may_hold(stats("d-06", "d-08"), wanted)
    assert not readback.may_hold(stats("d-10", "d-12"), wanted)
    assert not readback.may_hold(stats("d-00", "d-009"), wanted)  # string order: d-009 < d-01
    assert readback.may_hold(None, wanted)  # no statistics: read it
    assert readback.may_hold(SimpleNamespace(has_min_max=False), wanted)


JSON_SCALAR = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False),
                        st.text(alphabet=st.sampled_from(list('<>&"\\/ a措\u2028')), max_size=6))
JSON_VALUE = st.recursive(JSON_SCALAR, lambda inner: st.one_of(
    st.lists(inner, max_size=3), st.dictionaries(st.text(alphabet="ab<&", max_size=3), inner, max_size=3)),
    max_leaves=12)


@settings(max_examples=300, deadline=None)
@given(JSON_VALUE, st.lists(st.lists(st.lists(JSON_SCALAR, max_size=3), max_size=3), max_size=4))
def test_json_pieces_make_the_text_embedded_json_makes_whole(value, chunks):
    """The page's JSON written piece by piece, with rows coming in chunks (some empty), is the
    text of the whole payload."""
    data = {"value": value, "rows": html.Rows(iter(chunks)), "nested": {"z": 1, "a": [value]}}
    whole = {"value": value, "rows": [row for chunk in chunks for row in chunk], "nested": {"z": 1, "a": [value]}}
    assert "".join(html.json_pieces(data)) == html.embedded_json(whole)
