"""The comparison with the previous release splits large tables into partitions on disk, so it
needs the same memory at any size; split or not, it finds the same changes."""
from __future__ import annotations

import csv
import json
import shutil

from pipeline import diff


def edit_measures(folder, drop: int, change: int, add: int) -> None:
    """Remove, change and add measures rows of a package copy, and note the file changed."""
    path = folder / "measures.csv"
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    header, body = rows[0], rows[1:]
    text = header.index("text")
    body = body[drop:]
    for row in body[:change]:
        row[text] = (row[text] or "") + "（修订）"
    for k in range(add):
        extra = list(body[-1])
        extra[0] = f"{extra[0]}-new{k}"
        body.append(extra)
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerows([header, *body])
    descriptor = json.loads((folder / "datapackage.json").read_text("utf-8"))
    for resource in descriptor["resources"]:
        if resource["name"] == "measures":
            resource["path"], resource["hash"] = "measures.csv", "sha256:changed"
    (folder / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")


def test_a_split_comparison_finds_what_a_whole_one_does(package, tmp_path, monkeypatch):
    new = tmp_path / "new"
    shutil.copytree(package, new)
    edit_measures(new, drop=4, change=9, add=3)
    whole = diff.diff_packages(package, new)
    measures = next(r for r in whole.resources if r.name == "measures")
    assert (measures.removed, measures.changed, measures.added) == (4, 9, 3)
    assert measures.changed_columns == {"text": 9}
    monkeypatch.setattr(diff, "PARTITION_BYTES", 4096)  # dozens of partitions
    split = diff.diff_packages(package, new)
    assert split.to_json() == whole.to_json()


def test_the_examples_are_the_first_changes_in_key_order(package, tmp_path, monkeypatch):
    new = tmp_path / "new"
    shutil.copytree(package, new)
    edit_measures(new, drop=5, change=0, add=0)
    monkeypatch.setattr(diff, "PARTITION_BYTES", 4096)
    with (package / "measures.csv").open(encoding="utf-8") as fh:
        first_ids = sorted(row["measure_id"] for row in list(csv.DictReader(fh))[:5])
    measures = next(r for r in diff.diff_packages(package, new).resources if r.name == "measures")
    assert [e["key"] for e in measures.examples] == first_ids[:diff.EXAMPLES_PER_KIND]
