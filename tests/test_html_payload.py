"""The page embeds every row of a small package and a bounded number of a large one."""
from __future__ import annotations

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
