"""`pipeline validate` (pipeline/verify.py) finds what frictionless finds, in a fraction of the
time: each corruption below makes both call the package invalid, and the built package is valid
for both."""
from __future__ import annotations

import csv
import hashlib
import io
import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner
from conftest import seed_path
from frictionless import Package

from pipeline.build import build
from pipeline.cli import main
from pipeline.errors import EXIT_VALIDATION
from pipeline.verify import verify


@pytest.fixture(scope="module")
def small(tmp_path_factory) -> Path:
    """A package of seed 002 (one notice and the measures it issues)."""
    root = tmp_path_factory.mktemp("verify")
    (root / "seeds").mkdir()
    shutil.copy(seed_path("002"), root / "seeds")
    build(root / "seeds", root / "datapackage")
    return root / "datapackage"


def edit_csv(folder: Path, name: str, change: Callable[[list[str]], list[str]], rehash: bool = True) -> None:
    """Change the lines of `name`.csv; with `rehash`, the descriptor declares the new bytes, so
    that only the change itself is wrong."""
    descriptor = json.loads((folder / "datapackage.json").read_text("utf-8"))
    resource = next(r for r in descriptor["resources"] if r["name"] == name)
    path = folder / resource["path"]  # the file the descriptor names (data/<name>.<hash>.csv)
    lines = path.read_text("utf-8").split("\n")
    path.unlink()  # a hard link to the root copy: break it, change only this file
    path.write_text("\n".join(change(lines)), encoding="utf-8")
    if rehash:
        resource["hash"] = "sha256:" + hashlib.sha256(path.read_bytes()).hexdigest()
        resource["bytes"] = path.stat().st_size
        (folder / "datapackage.json").write_text(json.dumps(descriptor, ensure_ascii=False), encoding="utf-8")


def set_cell(column: str, value: str, row: int = 1):
    def change(lines: list[str]) -> list[str]:
        header = lines[0].split(",")
        cells = next(csv.reader(io.StringIO(lines[row])))
        cells[header.index(column)] = value
        out = io.StringIO()
        csv.writer(out, lineterminator="").writerow(cells)
        lines[row] = out.getvalue()
        return lines
    return change


CORRUPTIONS = {
    "type-error": ("amounts", set_cell("line", "twelve"), True),
    "enum": ("amounts", set_cell("role", "bribe"), True),
    "required": ("measures", set_cell("path", ""), True),
    "minimum": ("amounts", set_cell("line", "0"), True),
    "pattern": ("amounts", set_cell("amount_id", "a b"), True),
    "duplicate key": ("amounts", lambda lines: lines[:2] + lines[1:], True),
    "foreign key": ("amounts", set_cell("measure_id", "no-such-measure"), True),
    "hash": ("targets", set_cell("indicator", "改过的指标"), False),
}


@pytest.mark.parametrize("kind", CORRUPTIONS)
def test_a_corruption_makes_both_validators_fail(small, tmp_path, kind):
    folder = tmp_path / "datapackage"
    shutil.copytree(small, folder)
    name, change, rehash = CORRUPTIONS[kind]
    edit_csv(folder, name, change, rehash)
    problems = verify(folder)
    assert problems, kind
    assert name in {p.resource for p in problems} <= {name, f"{name}-parquet"}  # a row added: counts differ
    assert not Package(str(folder / "datapackage.json")).validate().valid, kind
    run = CliRunner().invoke(main, ["validate", str(folder)])
    assert run.exit_code == EXIT_VALIDATION
    assert f"INVALID {name}" in run.output


def test_a_parquet_file_with_a_duplicate_key_is_invalid(small, tmp_path):
    folder = tmp_path / "datapackage"
    shutil.copytree(small, folder)
    descriptor = json.loads((folder / "datapackage.json").read_text("utf-8"))
    resource = next(r for r in descriptor["resources"] if r["name"] == "amounts-parquet")
    path = folder / resource["path"]
    table = pq.read_table(path)
    path.unlink()
    pq.write_table(pa.concat_tables([table, table.slice(0, 1)]), path)
    resource["hash"] = "sha256:" + hashlib.sha256(path.read_bytes()).hexdigest()
    (folder / "datapackage.json").write_text(json.dumps(descriptor, ensure_ascii=False), encoding="utf-8")
    kinds = {(p.resource, p.kind) for p in verify(folder)}
    assert ("amounts-parquet", "primary-key") in kinds and ("amounts-parquet", "row-count") in kinds


def test_the_built_package_is_valid_for_both(small):
    assert verify(small) == []
    assert Package(str(small / "datapackage.json")).validate().valid
    run = CliRunner().invoke(main, ["validate", str(small), "--frictionless"])
    assert run.exit_code == 0, run.output
    assert run.output.rstrip().endswith(": valid")
