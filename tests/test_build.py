"""End to end: the build, its determinism, the committed package, atomic publishing."""
from __future__ import annotations

import filecmp
import json
import shutil
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from conftest import ROOT, SEEDS

from pipeline import publish
from pipeline.build import build
from pipeline.errors import InputError, ValidationFailure
from pipeline.publish import check_written, csv_row_count
from pipeline.schema import resource_names


def tree_files(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())


def assert_same_tree(a: Path, b: Path) -> None:
    assert tree_files(a) == tree_files(b)
    mismatch = filecmp.cmpfiles(a, b, tree_files(a), shallow=False)[1]
    assert mismatch == []


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """The committed package rebuilt in place (a copy): version and dates carry over."""
    target = tmp_path_factory.mktemp("pkg") / "datapackage"
    shutil.copytree(ROOT / "datapackage", target)
    build(SEEDS, target)
    return target


def test_committed_package_is_what_the_code_produces(built):
    """datapackage/ in the repository must be rebuilt and committed with every code change."""
    assert_same_tree(ROOT / "datapackage", built)


def test_a_fresh_build_has_the_same_data_as_the_committed_package(tmp_path):
    fresh = tmp_path / "datapackage"
    summary = build(SEEDS, fresh)
    assert summary.version == "1.0.0"
    data = [f"{name}.{fmt}" for name in resource_names() for fmt in ("csv", "parquet")]
    assert filecmp.cmpfiles(ROOT / "datapackage", fresh, data, shallow=False)[1] == []


def test_rebuild_is_byte_identical(built, tmp_path):
    copy = tmp_path / "datapackage"
    shutil.copytree(built, copy)
    summary = build(SEEDS, copy)
    assert summary.changed is False and summary.bump == "none"
    assert_same_tree(built, copy)


def test_row_groups_hold_exactly_the_set_number_of_rows_whatever_the_batches(built, tmp_path, monkeypatch):
    monkeypatch.setattr(publish, "ROW_GROUP_ROWS", 100)
    monkeypatch.setattr(publish, "CONVERT_ROWS", 7)  # converted in batches that straddle groups
    small = tmp_path / "datapackage"
    build(SEEDS, small)
    for name in resource_names():
        rows = pq.ParquetFile(built / f"{name}.parquet").metadata.num_rows
        meta = pq.ParquetFile(small / f"{name}.parquet").metadata
        sizes = [meta.row_group(i).num_rows for i in range(meta.num_row_groups)]
        assert sum(sizes) == rows > 0
        size = publish.group_rows(name)
        assert size == 100 // publish.LONG_ROWS.get(name, 1)
        assert set(sizes[:-1]) <= {size} and 0 < sizes[-1] <= size
        assert pq.read_table(small / f"{name}.parquet").equals(pq.read_table(built / f"{name}.parquet"))


def test_descriptor_carries_the_contract_metadata(built):
    descriptor = json.loads((built / "datapackage.json").read_text("utf-8"))
    assert descriptor["version"].count(".") == 2
    assert {s["title"] for s in descriptor["sources"]} == {p.name for p in SEEDS.glob("*.txt")}
    assert all(len(s["sha256"]) == 64 for s in descriptor["sources"])
    names = [r["name"] for r in descriptor["resources"]]
    assert names[::2] == resource_names()
    csv = descriptor["resources"][0]
    assert {"path", "format", "mediatype", "encoding", "bytes", "hash", "schema"} <= csv.keys()
    kind = next(f for f in csv["schema"]["fields"] if f["name"] == "kind")
    assert kind["categories"] == kind["constraints"]["enum"]


def test_frictionless_validates_the_package_with_foreign_keys(built):
    from frictionless import Package

    report = Package(str(built / "datapackage.json")).validate()
    assert report.valid, report.flatten(["type", "message"])[:5]


def test_parquet_and_csv_hold_the_same_rows(built):
    import pandas as pd

    for name in resource_names():
        from_csv = pd.read_csv(built / f"{name}.csv", dtype=str, keep_default_na=False)
        from_parquet = pd.read_parquet(built / f"{name}.parquet")
        assert len(from_csv) == len(from_parquet)
        assert list(from_csv.columns) == list(from_parquet.columns)
    years = pd.read_parquet(built / "targets.parquet")["year"]
    assert str(years.dtype) == "Int64"  # missing years stay missing, not NaN floats


def test_the_read_back_check_counts_rows_across_quoted_line_breaks(tmp_path):
    path = tmp_path / "measures.csv"
    path.write_text('a,b\n1,"一行\n两行"\n2,x\n', encoding="utf-8")
    assert csv_row_count(path, ["a", "b"]) == 2


def test_the_read_back_check_reads_cells_longer_than_a_block(tmp_path):
    path = tmp_path / "measures.csv"
    long_cell = ("措施" * 500 + "\n") * 1500  # 4.5 MB with line breaks: Arrow reads 1 MB blocks
    path.write_text(f'a,b\n1,"{long_cell}"\n2,"{long_cell}"\n3,x\n', encoding="utf-8")
    assert csv_row_count(path, ["a", "b"]) == 3


def test_the_read_back_check_refuses_a_torn_row_or_a_wrong_header(tmp_path):
    path = tmp_path / "measures.csv"
    path.write_text("a,b\n1,2\n3\n", encoding="utf-8")  # the last row lost a cell
    with pytest.raises(ValidationFailure, match="measures.csv: .*Expected 2 columns, got 1"):
        csv_row_count(path, ["a", "b"])
    with pytest.raises(ValidationFailure, match="header"):
        csv_row_count(path, ["a", "c"])


def test_the_read_back_check_compares_counts_with_what_was_written(built, tmp_path):
    counts = {name: sum(1 for _ in (built / f"{name}.csv").open(encoding="utf-8")) - 1
              for name in resource_names()}
    check_written(built, counts)  # the committed package holds no line break inside a cell
    with pytest.raises(ValidationFailure, match="amounts: wrote"):
        check_written(built, counts | {"amounts": counts["amounts"] + 1})


def test_a_failing_publish_leaves_the_previous_package_intact(built, tmp_path):
    target = tmp_path / "datapackage"
    shutil.copytree(built, target)

    def crash(staged: Path) -> None:
        raise RuntimeError("injected crash during publish")

    seeds = tmp_path / "seeds"
    shutil.copytree(SEEDS, seeds)
    (seeds / "005_extra.txt").write_text("关于测试的通知\n\n一、新增内容。\n", encoding="utf-8")
    with pytest.raises(RuntimeError, match="injected"):
        build(seeds, target, before_swap=crash)
    assert_same_tree(built, target)
    assert not list(tmp_path.glob(".datapackage.staging-*"))


def test_an_unreadable_seed_fails_the_build_and_publishes_nothing(built, tmp_path):
    target = tmp_path / "datapackage"
    shutil.copytree(built, target)
    seeds = tmp_path / "seeds"
    shutil.copytree(SEEDS, seeds)
    (seeds / "broken.txt").write_bytes(b"\x00\x01\x02binary")
    with pytest.raises(InputError, match="broken.txt"):
        build(seeds, target)
    assert_same_tree(built, target)


def test_a_record_breaking_its_schema_names_record_rule_and_source():
    from pipeline.validate import validate_records

    record = {
        "amount_id": "003_x-d02-a0001", "document_id": "003_x-d02", "measure_id": None,
        "text": "最高不超过100万元", "min_cny": 1e6, "max_cny": 1e6, "currency": "CNY",
        "min_value": 1e6, "max_value": 1e6, "qualifier": "max", "period": None, "per": None,
        "role": "grant", "credit": None, "paired_with": None, "line": 31,
    }
    with pytest.raises(ValidationFailure) as caught:
        validate_records("amounts", [record], {"003_x-d02": "003_x.txt"})
    message = str(caught.value)
    assert "003_x-d02-a0001" in message and "enum" in message and "003_x.txt:31" in message


def test_an_unwritable_package_folder_is_a_clear_error_not_a_traceback(tmp_path):
    from click.testing import CliRunner

    from pipeline.cli import main
    from pipeline.errors import EXIT_OUTPUT

    blocker = tmp_path / "a file"
    blocker.write_text("not a folder", encoding="utf-8")
    result = CliRunner().invoke(main, ["build", "--seeds", str(SEEDS), "--out", str(blocker / "datapackage"),
                                       "--no-progress"])
    assert result.exit_code == EXIT_OUTPUT
    assert "a file" in result.output and "Traceback" not in result.output
