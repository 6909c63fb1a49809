"""--keep-going's carried rows (build.CarriedRows): a file's rows of the previous release, read
from its Parquet files a few row groups at a time, are the records the CSV files give back."""
from __future__ import annotations

import shutil
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from pipeline import csvfiles, publish
from pipeline.build import CarriedRows, build
from pipeline.diff import csv_resources
from pipeline.errors import PipelineError
from pipeline.release import previous_release
from pipeline.schema import field_type, record_schema, resource_names

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256))


def from_csv(name: str, row: dict[str, str]) -> dict:
    """The plain definition: a CSV row typed by its column's type (empty is null)."""
    props = record_schema(name)["properties"]
    record = {}
    for column, cell in row.items():
        kind = field_type(props[column])
        if cell == "":
            record[column] = None
        elif kind == "integer":
            record[column] = int(cell)
        elif kind == "number":
            record[column] = int(cell) if cell.lstrip("-").isdigit() else float(cell)
        elif kind == "boolean":
            record[column] = cell == "true"
        else:
            record[column] = cell
    return record


@pytest.fixture(scope="module")
def many_groups(tmp_path_factory) -> Path:
    """The seeds' package written in row groups of 64 rows (measures 16)."""
    out = tmp_path_factory.mktemp("carried") / "datapackage"
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(publish, "ROW_GROUP_ROWS", 64)
        build(SEEDS, out)
    return out


def test_a_files_carried_rows_are_its_csv_rows_read_from_a_few_row_groups(many_groups, monkeypatch):
    previous = previous_release(many_groups)
    resources = csv_resources(previous.descriptor)
    tables = {}
    for name in resource_names():
        with (many_groups / resources[name]["path"]).open(encoding="utf-8", newline="") as fh:
            tables[name] = [from_csv(name, row) for row in csvfiles.dict_reader(fh)]
    read: list[int] = []
    read_row_group = pq.ParquetFile.read_row_group
    monkeypatch.setattr(pq.ParquetFile, "read_row_group",
                        lambda self, group, **kw: read.append(group) or read_row_group(self, group, **kw))
    carried = CarriedRows(previous)
    source = sorted({d["source_file"] for d in tables["documents"]})[2]
    records = carried.of(source)
    documents = {d["document_id"] for d in tables["documents"] if d["source_file"] == source}
    measures = {m["measure_id"] for m in tables["measures"] if m["document_id"] in documents}
    for name in resource_names():
        if name == "agencies":
            continue
        expected = [r for r in tables[name] if r.get("document_id") in documents or r.get("measure_id") in measures]
        assert records.rows[name] == expected, name
        assert expected, name
    named = {r["agency_id"] for r in records.rows["measure_agencies"]}
    assert set(records.agencies) == named
    groups = sum(pq.ParquetFile(many_groups / f"{name}.parquet").num_row_groups for name in resource_names())
    assert len(read) < groups / 2  # most row groups hold other files' rows and are not read
    assert carried.of("no-such-file.txt") is None


def test_keep_going_publishes_a_failed_files_rows_unchanged(many_groups, tmp_path, monkeypatch):
    monkeypatch.setattr(publish, "ROW_GROUP_ROWS", 64)
    out, seeds = tmp_path / "datapackage", tmp_path / "seeds"
    shutil.copytree(many_groups, out)
    shutil.copytree(SEEDS, seeds)
    broken = sorted(seeds.glob("*.txt"))[2]
    broken.write_bytes(PNG)
    summary = build(seeds, out, keep_going=True)
    assert summary.carried == [broken.name] and summary.bump == "patch"
    for name in resource_names():
        assert (out / f"{name}.csv").read_bytes() == (many_groups / f"{name}.csv").read_bytes(), name


def test_rows_that_cannot_be_read_back_are_an_error_naming_the_table(many_groups, tmp_path):
    """A build checks the previous release's files against their hashes first; a file that
    changes after that (or a table of an older pipeline with other columns) is still refused."""
    out = tmp_path / "datapackage"
    shutil.copytree(many_groups, out)
    previous = previous_release(out)
    parquet = next(r["path"] for r in previous.descriptor["resources"] if r["name"] == "measures-parquet")
    (out / parquet).write_bytes(b"PAR1 not really")
    source = previous.descriptor["sources"][0]["title"]
    with pytest.raises(PipelineError, match=r"^measures: the table has other columns than in version 1\.0\.0, "
                                            r"or its Parquet file cannot be read"):
        CarriedRows(previous).of(source)
