"""`nox -s release` (scripts/release.py): dist/<name>-<version>.zip and its sha256, valid for
frictionless as a zip, loadable in pandas, and byte-identical from one run to the next."""
from __future__ import annotations

import csv
import hashlib
import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from conftest import ROOT, seed_path

from pipeline.build import build
from pipeline.schema import columns, resource_names

SCRIPT = ROOT / "scripts" / "release.py"
ZIP_NAME = "sichuan-policy-measures-1.0.0.zip"


def release(*args: str | Path) -> subprocess.CompletedProcess:
    # PYTHONPATH: the script imports the pipeline of this checkout, not an installed one
    return subprocess.run([sys.executable, str(SCRIPT), *map(str, args)], capture_output=True,
                          text=True, timeout=120, env={**os.environ, "PYTHONPATH": str(ROOT)})


def frictionless_validate(path: Path) -> subprocess.CompletedProcess:
    """The frictionless command line, as a user would run it."""
    cli = Path(sys.executable).with_name("frictionless")
    command = [str(cli)] if cli.is_file() else [sys.executable, "-m", "frictionless"]
    return subprocess.run([*command, "validate", str(path)], capture_output=True, text=True, timeout=120)


@pytest.fixture(scope="module")
def package(tmp_path_factory) -> tuple[Path, dict[str, int]]:
    """A package built from seeds 002 and 004, and its rows per resource."""
    folder = tmp_path_factory.mktemp("release")
    seeds = folder / "seeds"
    seeds.mkdir()
    for prefix in ("002", "004"):
        (seeds / seed_path(prefix).name).write_bytes(seed_path(prefix).read_bytes())
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", "1700000000")
        summary = build(seeds, folder / "datapackage")
    return folder / "datapackage", summary.rows


@pytest.fixture(scope="module")
def released(package, tmp_path_factory) -> tuple[Path, subprocess.CompletedProcess]:
    dist = tmp_path_factory.mktemp("dist")
    run = release(package[0], "--dist", dist)
    return dist / ZIP_NAME, run


def test_release_writes_the_zip_and_reports_it_valid(released):
    target, run = released
    assert run.returncode == 0, run.stderr
    assert target.is_file()
    assert f"wrote {target}" in run.stdout and "valid" in run.stdout


def test_the_zip_holds_descriptor_data_dictionary_changelog_and_every_file(package, released):
    folder, _ = package
    target, _ = released
    data = [f"{name}.{fmt}" for name in resource_names() for fmt in ("csv", "parquet")]
    described = [r["path"] for r in json.loads((folder / "datapackage.json").read_text("utf-8"))["resources"]]
    assert all(path.startswith("data/") for path in described)
    with zipfile.ZipFile(target) as archive:
        names = archive.namelist()
        docs = ["datapackage.json", "README.md", "CHANGELOG.md"]
        docs += ["index.html"] if (folder / "index.html").is_file() else []  # the browsing page
        # the files by the names users open, then as the descriptor names them (the same bytes),
        # then the Excel workbook made from them
        assert names == [*docs, *data, *described, "sichuan-policy-measures.xlsx"]
        for name in names[:-1]:  # each member is the package's file, byte for byte
            assert archive.read(name) == (folder / name).read_bytes()
        assert archive.testzip() is None


def test_the_sha256_file_matches_the_zip(released):
    target, _ = released
    line = target.with_name(target.name + ".sha256").read_text("utf-8")
    assert line == f"{hashlib.sha256(target.read_bytes()).hexdigest()}  {target.name}\n"  # sha256sum -c


def test_frictionless_validates_the_zip_itself(released):
    target, _ = released
    checked = frictionless_validate(target)
    assert checked.returncode == 0, checked.stdout[-3000:]
    assert "INVALID" not in checked.stdout


def test_frictionless_rejects_a_zip_with_a_broken_value(released, tmp_path):
    """The check reads the zip's contents: a value outside its enum fails it."""
    target, _ = released
    broken = tmp_path / "broken.zip"
    with zipfile.ZipFile(target) as source, zipfile.ZipFile(broken, "w") as copy:
        amounts = next(r["path"] for r in json.loads(source.read("datapackage.json"))["resources"]
                       if r["name"] == "amounts")
        for name in source.namelist():
            content = source.read(name)
            if name == amounts:
                content = content.replace(b",award,", b",bogus,")
            copy.writestr(name, content)
    checked = frictionless_validate(broken)
    assert checked.returncode != 0 and "constraint-error" in checked.stdout


def test_release_refuses_an_invalid_package_and_leaves_no_zip(package, tmp_path):
    folder = tmp_path / "datapackage"
    shutil.copytree(package[0], folder)
    resource = next(r for r in json.loads((folder / "datapackage.json").read_text("utf-8"))["resources"]
                    if r["name"] == "amounts")
    for amounts in (folder / "amounts.csv", folder / resource["path"]):  # both copies, alike
        amounts.write_bytes(amounts.read_bytes().replace(b",award,", b",bogus,"))
    run = release(folder, "--dist", tmp_path / "dist")
    assert run.returncode == 1 and "not a valid data package" in run.stderr
    assert list((tmp_path / "dist").iterdir()) == []


def test_release_refuses_a_file_that_differs_from_the_one_the_descriptor_names(package, tmp_path):
    """amounts.csv edited by hand: the zip would hold two versions of one table."""
    folder = tmp_path / "datapackage"
    shutil.copytree(package[0], folder)
    amounts = folder / "amounts.csv"
    amounts.write_bytes(amounts.read_bytes().replace(b",award,", b",subsidy,"))
    run = release(folder, "--dist", tmp_path / "dist")
    assert run.returncode == 1
    assert run.stderr.startswith(f"error: {folder}: amounts.csv is not the file data/amounts.")
    assert not (tmp_path / "dist").exists() or list((tmp_path / "dist").iterdir()) == []


def test_release_names_what_is_missing(tmp_path):
    run = release(tmp_path / "nothing", "--dist", tmp_path / "dist")
    assert run.returncode == 1 and "datapackage.json: no such file" in run.stderr


def test_pandas_loads_every_parquet_file_of_the_unzipped_release(package, released, tmp_path):
    import pandas as pd

    _, rows = package
    target, _ = released
    with zipfile.ZipFile(target) as archive:
        archive.extractall(tmp_path)
    descriptor = json.loads((tmp_path / "datapackage.json").read_text("utf-8"))
    for name in resource_names():
        frame = pd.read_parquet(tmp_path / f"{name}.parquet")
        assert len(frame) == rows[name] > 0
        assert list(frame.columns) == columns(name)
        with (tmp_path / f"{name}.csv").open(encoding="utf-8", newline="") as fh:
            assert sum(1 for _ in csv.reader(fh)) - 1 == rows[name]
    assert {r["path"] for r in descriptor["resources"]} <= {str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*")}
    assert str(pd.read_parquet(tmp_path / "targets.parquet")["year"].dtype) == "Int64"


def test_two_releases_of_the_same_package_are_byte_identical(package, released, tmp_path):
    target, _ = released
    copy = tmp_path / "datapackage"
    shutil.copytree(package[0], copy)
    for path in copy.iterdir():  # other file times and permissions must not leak into the zip
        os.utime(path, (2_000_000_000, 2_000_000_000))
        path.chmod(0o600)
    run = release(copy, "--dist", tmp_path / "dist", "--no-validate")
    assert run.returncode == 0, run.stderr
    again = tmp_path / "dist" / ZIP_NAME
    assert again.read_bytes() == target.read_bytes()
    assert again.with_name(again.name + ".sha256").read_bytes() == target.with_name(target.name + ".sha256").read_bytes()


def test_the_zip_holds_an_excel_workbook_with_every_table(package, released, tmp_path):
    folder, rows = package
    target, _ = released
    with zipfile.ZipFile(target) as archive:
        archive.extract("sichuan-policy-measures.xlsx", tmp_path)
    sheets = pd.read_excel(tmp_path / "sichuan-policy-measures.xlsx", sheet_name=None, dtype=str, keep_default_na=False)
    assert list(sheets) == ["README", *resource_names()]
    for name in resource_names():
        from_csv = pd.read_csv(folder / f"{name}.csv", dtype=str, keep_default_na=False)
        assert list(sheets[name].columns) == columns(name)
        assert len(sheets[name]) == rows[name]
        # the Chinese text reads back as written (what a UTF-8 CSV opened in Excel loses)
        for column in ("title", "text", "mention", "name"):
            if column in from_csv:
                assert list(sheets[name][column]) == list(from_csv[column]), (name, column)
    readme = sheets["README"].to_string()
    assert "sheet amounts" in readme and "min_cny" in readme


def test_workbook_cells_are_typed_and_long_cells_are_cut_with_a_note(package, tmp_path):
    from openpyxl import load_workbook

    from pipeline.workbook import MAX_CELL, write_workbook

    folder = tmp_path / "package"
    shutil.copytree(package[0], folder)
    measures = pq.read_table(folder / "measures.parquet")
    long_text = "长" * (MAX_CELL + 10)
    texts = measures["text"].to_pylist()
    texts[0] = long_text
    pq.write_table(measures.set_column(measures.schema.get_field_index("text"), "text", pa.array(texts)),
                   folder / "measures.parquet")
    descriptor = json.loads((folder / "datapackage.json").read_text("utf-8"))
    book = load_workbook(write_workbook(folder, descriptor, tmp_path / "book.xlsx"), read_only=True)
    first = next(book["measures"].iter_rows(min_row=2, max_row=2, values_only=True))
    assert len(first[columns("measures").index("text")]) == MAX_CELL
    amount = next(book["amounts"].iter_rows(min_row=2, max_row=2, values_only=True))
    assert isinstance(amount[columns("amounts").index("max_cny")], int | float)
    notes = " ".join(str(c) for row in book["README"].iter_rows(values_only=True) for c in row if c)
    assert f"1 cells longer than Excel's {MAX_CELL} characters are cut" in notes
