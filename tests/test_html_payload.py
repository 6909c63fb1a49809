"""The page embeds every row of a small package and a bounded number of a large one."""
from __future__ import annotations

import csv
import json
import re
import shutil

from pipeline import html


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


def test_the_embedded_documents_are_the_longest_prefix_that_fits(package, tmp_path, monkeypatch):
    """The page reads the tables batch by batch; what it embeds is what one computes from the
    whole CSV files: the first documents whose rows (through their measures for tables without
    a document_id) add up to at most the budget, and every row of those documents."""
    folder = tmp_path / "datapackage"
    shutil.copytree(package, folder)
    budget = 700
    monkeypatch.setattr(html, "EMBEDDED_ROWS", budget)
    monkeypatch.setattr(html, "BATCH_ROWS", 97)  # many batches, as a large package has
    html.write_index(folder, json.loads((folder / "datapackage.json").read_text("utf-8")))
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
    data = embedded(folder)
    assert [row[0] for row in data["tables"]["documents"]["rows"]] == expected
    for name, rows in tables.items():
        if name == "agencies":
            continue
        wanted = [r for r in rows if (r.get("document_id") or document_of[r["measure_id"]]) in expected]
        assert len(data["tables"][name]["rows"]) == len(wanted), name
        key = data["tables"][name]["primaryKey"][0]
        position = [c["name"] for c in data["tables"][name]["columns"]].index(key)
        assert [row[position] for row in data["tables"][name]["rows"]] == [r[key] for r in wanted], name
