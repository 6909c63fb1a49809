"""Releases users can trust: each kind of change to the seeds or the schemas, rebuilt over the
previous package, gets the version bump of the Data Package recipe, an exact diff and a
changelog section; an unchanged rebuild is byte-identical; ids do not depend on other files.

Builds use two small seeds (002 and 004) so that each one takes well under a second.
"""
from __future__ import annotations

import filecmp
import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import ROOT, seed_path

import pipeline.build
import pipeline.publish
import pipeline.release
import pipeline.schema
from pipeline.build import BuildSummary, build
from pipeline.diff import (
    PackageDiff,
    ResourceDiff,
    diff_packages,
    format_diff,
    read_rows,
    schema_diff,
)
from pipeline.schema import resource_names

EPOCH, CREATED, FIRST_DAY = 1_700_000_000, "2023-11-14T22:13:20Z", "2023-11-14"
LATER, LATER_CREATED, LATER_DAY = 1_800_000_000, "2027-01-15T08:00:00Z", "2027-01-15"
BASE_SEEDS = ("002", "004")
DOC_002 = "002_144f457913c26fac-d01"
DOC_004 = "004_8dbb09b12177f42d-d01"
# An agency already in the base package (四川省财政厅, met as 财政厅), named in a new way.
NEW_SEED = (
    "四川省人民政府办公厅\n\n关于支持示范企业发展的通知\n\n川办发〔2022〕1 号\n\n"
    "各市(州)人民政府,省政府各部门:\n\n一、加大财政支持\n\n"
    "对新认定的示范企业,给予一次性资金奖励。(责任单位:省财政厅)\n\n"
    "四川省人民政府办公厅\n\n2022 年 1 月 5 日\n"
)


# ---------------------------------------------------------------------------------- helpers


def copy_seeds(folder: Path, prefixes) -> Path:
    folder.mkdir(parents=True)
    for prefix in prefixes:
        source = seed_path(prefix)
        (folder / source.name).write_bytes(source.read_bytes())
    return folder


def tree(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())


def assert_same_tree(a: Path, b: Path) -> None:
    """Same file names, same bytes, every file."""
    assert tree(a) == tree(b)
    assert filecmp.cmpfiles(a, b, tree(a), shallow=False)[1:] == ([], [])


def descriptor(package: Path) -> dict:
    return json.loads((package / "datapackage.json").read_text("utf-8"))


def table(package: Path, name: str) -> dict[tuple, dict[str, str]]:
    resource = next(r for r in descriptor(package)["resources"] if r["name"] == name)
    return read_rows(package, resource)


@dataclass
class Release:
    summary: BuildSummary
    package: Path
    diff: PackageDiff
    section: str  # what the build appended to CHANGELOG.md

    def resource(self, name: str) -> ResourceDiff:
        return next(r for r in self.diff.resources if r.name == name)

    def counts(self) -> dict[str, tuple[int, int, int]]:
        return {r.name: (r.added, r.removed, r.changed) for r in self.diff.resources}


def rebuild(base: Path, seeds: Path, folder: Path, *, docs_only: bool = False) -> Release:
    """Build `seeds` over a copy of the package `base`, as a release does over the last one."""
    target = folder / "datapackage"
    shutil.copytree(base, target)
    summary = build(seeds, target)
    before = (base / "CHANGELOG.md").read_text("utf-8").rstrip("\n")
    after = (target / "CHANGELOG.md").read_text("utf-8")
    assert after.startswith(before), "the changelog is only ever appended to"
    diff = diff_packages(base, target)
    # `diff` sees data, schemas and descriptor; documentation is compared by the build alone
    assert summary.bump == ("patch" if docs_only else diff.bump), "the build and `diff` agree"
    return Release(summary, target, diff, after[len(before):].strip("\n"))


def rebuild_later(base: Path, seeds: Path, folder: Path) -> Release:
    """`rebuild`, dated LATER: for module-scoped fixtures, which the autouse monkeypatch misses."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", str(LATER))
        return rebuild(base, seeds, folder)


def changed_keys(old: Path, new: Path, name: str) -> set[tuple]:
    before, after = table(old, name), table(new, name)
    return {k for k in before.keys() & after.keys() if before[k] != after[k]}


@pytest.fixture(autouse=True)
def later_epoch(monkeypatch):
    """Rebuilds happen "later" than the base package, so `created` shows when it was kept."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(LATER))


@pytest.fixture(scope="module")
def base_seeds(tmp_path_factory) -> Path:
    return copy_seeds(tmp_path_factory.mktemp("seeds") / "seeds", BASE_SEEDS)


@pytest.fixture(scope="module")
def base(tmp_path_factory, base_seeds) -> Path:
    """Version 1.0.0 from seeds 002 and 004, created at EPOCH."""
    target = tmp_path_factory.mktemp("base") / "datapackage"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", str(EPOCH))
        build(base_seeds, target)
    return target


@pytest.fixture(scope="module")
def edited_seeds(tmp_path_factory, base_seeds) -> Path:
    """Seed 002 with one amount corrected: 不超过 100 万元 → 不超过 120 万元."""
    seeds = tmp_path_factory.mktemp("edited") / "seeds"
    shutil.copytree(base_seeds, seeds)
    path = seeds / seed_path("002").name
    text = path.read_text("utf-8")
    assert text.count("不超过 100 万") == 1
    path.write_text(text.replace("不超过 100 万", "不超过 120 万"), encoding="utf-8")
    return seeds


@pytest.fixture(scope="module")
def edited(tmp_path_factory, base, edited_seeds) -> Release:
    return rebuild_later(base, edited_seeds, tmp_path_factory.mktemp("edited-pkg"))


# ------------------------------------------------------------------------- first release


def test_first_build_is_1_0_0_created_at_source_date_epoch(base):
    meta = descriptor(base)
    assert (meta["version"], meta["created"]) == ("1.0.0", CREATED)
    changelog = (base / "CHANGELOG.md").read_text("utf-8")
    assert changelog.startswith("# Changelog\n")
    assert f"## 1.0.0 — {FIRST_DAY}\n\nFirst release." in changelog
    assert changelog.count("\n## ") == 1


# --------------------------------------------------------------------------- no change


def test_unchanged_rebuild_is_byte_identical_with_no_changelog_entry(base, base_seeds, tmp_path):
    release = rebuild(base, base_seeds, tmp_path)
    assert (release.summary.bump, release.summary.changed, release.summary.version) == ("none", False, "1.0.0")
    assert_same_tree(base, release.package)  # every file: data, descriptor, README, changelog
    assert release.section == ""
    # SOURCE_DATE_EPOCH is later now, but nothing changed: `created` stays what it was
    assert descriptor(release.package)["created"] == CREATED
    assert release.diff.bump == "none" and not release.diff.metadata_changed
    assert set(release.counts().values()) == {(0, 0, 0)}


def test_a_fresh_build_at_the_same_source_date_epoch_is_byte_identical(base, base_seeds, tmp_path, monkeypatch):
    """Reproducible anywhere: another folder, another time, the same SOURCE_DATE_EPOCH."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(EPOCH))
    seeds = copy_seeds(tmp_path / "elsewhere" / "texts", BASE_SEEDS)
    build(seeds, tmp_path / "out" / "pkg")
    assert_same_tree(base, tmp_path / "out" / "pkg")


def test_the_order_files_are_listed_in_changes_nothing(base, base_seeds, tmp_path, monkeypatch):
    """The build sorts the seed names: whatever order the folder lists them in, same package."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(EPOCH))
    listed = []
    iterdir = Path.iterdir

    def reversed_listing(self):
        entries = sorted(iterdir(self), reverse=True)
        listed.append([p.name for p in entries])
        return iter(entries)

    monkeypatch.setattr(Path, "iterdir", reversed_listing)
    build(base_seeds, tmp_path / "datapackage")
    assert [seed_path(p).name for p in reversed(BASE_SEEDS)] in listed  # the patch was used
    monkeypatch.undo()
    assert_same_tree(base, tmp_path / "datapackage")


# ---------------------------------------------------------------------- edit a value


def test_editing_a_value_is_a_patch_that_changes_only_that_documents_rows(base, edited):
    assert (edited.summary.bump, edited.summary.version) == ("patch", "1.0.1")
    meta = descriptor(edited.package)
    assert (meta["version"], meta["created"]) == ("1.0.1", LATER_CREATED)
    assert edited.counts() == {
        "documents": (0, 0, 1), "measures": (0, 0, 1), "amounts": (0, 0, 1),
        "targets": (0, 0, 0), "agencies": (0, 0, 0), "measure_agencies": (0, 0, 0),
    }
    assert edited.resource("amounts").changed_columns == {
        "max_cny": 1, "min_cny": 1, "max_value": 1, "min_value": 1, "text": 1}
    assert edited.resource("measures").changed_columns == {"instrument_evidence": 1, "text": 1}
    assert edited.resource("documents").changed_columns == {"source_sha256": 1}  # the seed's hash
    assert all(r.schema_changes == [] and r.other_changes == [] for r in edited.diff.resources)
    assert edited.resource("amounts").examples == [{
        "change": "changed", "key": f"{DOC_002}-a0001",
        "columns": {"text": ["不超过100万元", "不超过120万元"], "min_cny": ["1000000", "1200000"],
                    "max_cny": ["1000000", "1200000"], "min_value": ["1000000", "1200000"],
                    "max_value": ["1000000", "1200000"]},
    }]
    for name in resource_names():
        # ids stable: the same keys on both sides; only rows of the edited document differ
        assert table(base, name).keys() == table(edited.package, name).keys()
        assert all(key[0].startswith(DOC_002) for key in changed_keys(base, edited.package, name))
    untouched = 0
    for name in resource_names():
        rows_004 = {k: v for k, v in table(base, name).items() if k[0].startswith(DOC_004)}
        assert all(table(edited.package, name)[k] == v for k, v in rows_004.items())
        untouched += len(rows_004)
    assert untouched > 40  # the other document's rows are there, all equal


def test_editing_a_value_appends_a_patch_section_to_the_changelog(edited):
    section = edited.section
    assert section.startswith(f"## 1.0.1 — {LATER_DAY}\n")
    assert "**PATCH**: corrected values or metadata" in section
    assert "amounts: 1 row changed (max_cny, max_value, min_cny, min_value, text)" in section
    assert "| amounts | 0 | 0 | 1 | max_cny (1), max_value (1), min_cny (1), min_value (1), text (1) |" in section
    assert "| targets | 0 | 0 | 0 | — |" in section
    assert f"- amounts: changed {DOC_002}-a0001: text '不超过100万元' → '不超过120万元'" in section
    assert "'…企业,给予一次性不超过100万元资金奖励。" in section  # long texts cut around the change
    assert section.count("\n## ") == 0


# ---------------------------------------------------------------------- documentation only


def test_a_documentation_only_change_is_a_patch(base, base_seeds, tmp_path, monkeypatch):
    """Same data and descriptor, another data dictionary: a new version all the same, so that
    one version always names one set of files."""
    write_docs = pipeline.release.write_docs

    def reworded(folder: Path, meta: dict) -> None:
        write_docs(folder, meta)
        with (folder / "README.md").open("a", encoding="utf-8") as fh:
            fh.write("\nA clearer word on units.\n")

    monkeypatch.setattr(pipeline.release, "write_docs", reworded)
    release = rebuild(base, base_seeds, tmp_path, docs_only=True)
    assert (release.summary.bump, release.summary.version) == ("patch", "1.0.1")
    assert set(release.counts().values()) == {(0, 0, 0)}
    assert release.section.startswith(f"## 1.0.1 — {LATER_DAY}\n")
    assert "**PATCH**" in release.section and "documentation changed: README.md" in release.section
    shown = format_diff(release.diff)
    assert shown.startswith("bump: none (1.0.0 → 1.0.1)") and "only the documentation files" in shown


# ------------------------------------------------------------------------- add a seed


@pytest.fixture(scope="module")
def with_000(tmp_path_factory, base, base_seeds) -> Release:
    seeds = tmp_path_factory.mktemp("added") / "seeds"
    shutil.copytree(base_seeds, seeds)
    (seeds / seed_path("000").name).write_bytes(seed_path("000").read_bytes())
    return rebuild_later(base, seeds, tmp_path_factory.mktemp("added-pkg"))


def test_adding_a_seed_is_minor_and_adds_rows_without_changing_any(base, with_000):
    assert (with_000.summary.bump, with_000.summary.version) == ("minor", "1.1.0")
    for name in resource_names():
        before, after = table(base, name), table(with_000.package, name)
        added = after.keys() - before.keys()
        assert with_000.counts()[name] == (len(added), 0, 0)
        assert all(after[k] == v for k, v in before.items())  # no existing row changed
        if name != "agencies":
            assert all(key[0].startswith("000_a0bf228895fc49c4-d") for key in added)
    assert with_000.counts()["documents"] == (3, 0, 0)
    assert with_000.diff.metadata_changes == ["sources"]


def test_adding_a_seed_appends_a_minor_section_to_the_changelog(with_000):
    section = with_000.section
    assert section.startswith(f"## 1.1.0 — {LATER_DAY}\n")
    assert "**MINOR**: additions only" in section
    assert "documents: 3 rows added" in section
    assert "| documents | 3 | 0 | 0 | — |" in section
    assert "- documents: added 000_a0bf228895fc49c4-d01" in section


@pytest.fixture(scope="module")
def with_new_name(tmp_path_factory, base, base_seeds) -> Release:
    """A new seed that names an agency of the base package differently (省财政厅)."""
    seeds = tmp_path_factory.mktemp("new-name") / "seeds"
    shutil.copytree(base_seeds, seeds)
    (seeds / "005_new.txt").write_text(NEW_SEED, encoding="utf-8")
    return rebuild_later(base, seeds, tmp_path_factory.mktemp("new-name-pkg"))


def test_a_seed_naming_a_known_agency_anew_is_minor_and_changes_only_its_short_names(base, with_new_name):
    assert with_new_name.summary.bump == "minor"
    counts = with_new_name.counts()
    assert counts["documents"] == (1, 0, 0) and counts["measure_agencies"] == (1, 0, 0)
    assert all(removed == 0 for _, removed, _ in counts.values())
    assert {name for name, (_, _, changed) in counts.items() if changed} == {"agencies"}
    assert with_new_name.resource("agencies").changed_columns == {"short_names": 1}


def test_a_new_seed_changes_a_known_agency_only_by_the_new_short_form(base, with_new_name):
    """The contract defines agencies.short_names as every short form met in the texts, so a new
    seed that writes a known body in a new way must add that form, and nothing else."""
    before, after = table(base, "agencies"), table(with_new_name.package, "agencies")
    for key in changed_keys(base, with_new_name.package, "agencies"):
        changed = {c for c in after[key] if after[key][c] != before[key][c]}
        assert changed == {"short_names"}
        assert set(before[key]["short_names"].split("|")) < set(after[key]["short_names"].split("|"))


# ---------------------------------------------------------------------- remove a seed


@pytest.fixture(scope="module")
def without_004(tmp_path_factory, base) -> Release:
    seeds = copy_seeds(tmp_path_factory.mktemp("removed") / "seeds", ["002"])
    return rebuild_later(base, seeds, tmp_path_factory.mktemp("removed-pkg"))


def test_removing_a_seed_is_major_and_removes_only_its_rows(base, without_004):
    assert (without_004.summary.bump, without_004.summary.version) == ("major", "2.0.0")
    for name in resource_names():
        before, after = table(base, name), table(without_004.package, name)
        removed = before.keys() - after.keys()
        assert without_004.counts()[name] == (0, len(removed), 0)
        assert all(before[k] == v for k, v in after.items())
        if name != "agencies":
            assert all(key[0].startswith(DOC_004) for key in removed)
    assert without_004.counts()["documents"] == (0, 1, 0)
    assert without_004.counts()["measures"][1] == sum(1 for k in table(base, "measures") if k[0].startswith(DOC_004))


def test_removing_a_seed_says_why_it_is_major_in_the_changelog(without_004):
    section = without_004.section
    assert section.startswith(f"## 2.0.0 — {LATER_DAY}\n")
    assert "**MAJOR**: changes that can break a script written against the previous version." in section
    assert "documents: 1 row removed" in section
    assert "| documents | 0 | 1 | 0 | — |" in section
    assert f"- documents: removed {DOC_004}" in section


# --------------------------------------------------------------- schema: add, rename a column


@pytest.fixture
def schemas(tmp_path):
    """A copy of schemas/ that the build reads instead of the repository's."""
    folder = tmp_path / "schemas"
    shutil.copytree(ROOT / "schemas", folder)
    cached = (pipeline.schema.record_schema, pipeline.schema.package_metadata, pipeline.schema.record_values,
              pipeline.schema.value_positions, pipeline.schema.arrow_schema, pipeline.schema.validator,
              pipeline.schema.batch_check, pipeline.publish.spelled_columns)
    original = pipeline.schema.SCHEMA_DIR
    pipeline.schema.SCHEMA_DIR = folder
    for function in cached:
        function.cache_clear()
    try:
        yield folder
    finally:
        pipeline.schema.SCHEMA_DIR = original
        for function in cached:
            function.cache_clear()


def edit_schema(folder: Path, name: str, edit) -> None:
    path = folder / f"{name}.schema.json"
    schema = json.loads(path.read_text("utf-8"))
    edit(schema)
    path.write_text(json.dumps(schema, ensure_ascii=False, indent=2), encoding="utf-8")


def patch_amounts(monkeypatch, change) -> None:
    """Classify as before, then apply `change` to each amount record (the new column's value)."""
    classify = pipeline.build.classify_file

    def classify_file(*args):
        records = classify(*args)
        for row in records.rows["amounts"]:
            change(row)
        return records

    monkeypatch.setattr(pipeline.build, "classify_file", classify_file)


def test_adding_a_column_is_minor(base, base_seeds, schemas, tmp_path, monkeypatch):
    def add_source_page(schema):
        schema["properties"]["source_page"] = {"type": "string", "description": "The page of the source."}
        schema["required"].append("source_page")

    edit_schema(schemas, "amounts", add_source_page)
    patch_amounts(monkeypatch, lambda row: row.update(source_page="1"))
    release = rebuild(base, base_seeds, tmp_path)
    assert (release.summary.bump, release.summary.version) == ("minor", "1.1.0")
    assert release.resource("amounts").schema_changes == ["field added: source_page"]
    assert set(release.counts().values()) == {(0, 0, 0)}  # a new column changes no existing value
    assert [r.name for r in release.diff.resources if r.schema_changes] == ["amounts"]
    header = (release.package / "amounts.csv").read_text("utf-8").splitlines()[0]
    assert header.endswith(",line,source_page")
    section = release.section
    assert section.startswith(f"## 1.1.0 — {LATER_DAY}\n")
    assert "**MINOR**: additions only" in section and "amounts: field added: source_page" in section
    assert "| amounts | 0 | 0 | 0 | — |" in section


def test_renaming_a_column_is_major(base, base_seeds, schemas, tmp_path, monkeypatch):
    def rename_per(schema):
        schema["properties"] = {("per_unit" if k == "per" else k): v for k, v in schema["properties"].items()}
        schema["required"] = [("per_unit" if k == "per" else k) for k in schema["required"]]

    edit_schema(schemas, "amounts", rename_per)
    patch_amounts(monkeypatch, lambda row: row.update(per_unit=row.pop("per")))
    release = rebuild(base, base_seeds, tmp_path)
    assert (release.summary.bump, release.summary.version) == ("major", "2.0.0")
    assert release.resource("amounts").schema_changes == ["field renamed: per → per_unit"]
    assert set(release.counts().values()) == {(0, 0, 0)}  # the values moved, none changed
    header = (release.package / "amounts.csv").read_text("utf-8").splitlines()[0].split(",")
    assert "per_unit" in header and "per" not in header
    section = release.section
    assert section.startswith(f"## 2.0.0 — {LATER_DAY}\n")
    assert "**MAJOR**" in section and "amounts: field renamed: per → per_unit" in section


def field(name: str, kind: str = "string", **constraints) -> dict:
    spec = {"name": name, "type": kind, "description": name}
    if constraints:
        spec["constraints"] = constraints
    return spec


ID, A, B = field("id", required=True), field("a"), field("b", enum=["x", "y"])


@pytest.mark.parametrize(("new_fields", "key", "change", "bump"), [
    ([ID, B, A], ["id"], "fields reordered", "major"),
    ([ID, A], ["id"], "field removed: b", "major"),
    ([ID, field("a2"), B], ["id"], "field renamed: a → a2", "major"),
    ([ID, field("a", "integer"), B], ["id"], "field retyped: a string → integer", "major"),
    ([ID, field("a", required=True), B], ["id"], "constraint tightened: a", "major"),
    ([ID, A, field("b", enum=["x"])], ["id"], "constraint tightened: b", "major"),
    ([ID, A, field("b", enum=["x", "y", "z"])], ["id"], "constraint loosened: b", "minor"),
    ([ID, A, field("b")], ["id"], "constraint loosened: b", "minor"),
    ([ID, A, B, field("c")], ["id"], "field added: c", "minor"),
    ([ID, A, B | {"description": "new words"}], ["id"], "field metadata changed: b", "patch"),
    ([ID, A, B], ["id", "a"], "primary key changed: ['id'] → ['id', 'a']", "major"),
])
def test_schema_changes_follow_the_version_recipe(new_fields, key, change, bump):
    old = {"fields": [ID, A, B], "primaryKey": ["id"]}
    assert schema_diff(old, {"fields": new_fields, "primaryKey": key}) == ([change], bump)


def test_a_rename_away_from_its_place_is_a_removal_plus_an_addition():
    old = {"fields": [field("id"), field("a"), field("b")], "primaryKey": ["id"]}
    new = {"fields": [field("id"), field("b"), field("c")], "primaryKey": ["id"]}
    assert schema_diff(old, new) == (["field removed: a", "field added: c"], "major")


def rewrite_package(base: Path, folder: Path, edit) -> Path:
    """A copy of `base` whose descriptor (and files) `edit(folder, descriptor)` changed."""
    shutil.copytree(base, folder)
    meta = descriptor(folder)
    edit(folder, meta)
    (folder / "datapackage.json").write_text(json.dumps(meta, ensure_ascii=False, indent=2), encoding="utf-8")
    return folder


def requote_amounts(folder: Path, meta: dict) -> None:
    """amounts.csv with every cell quoted: other bytes, the same values."""
    import csv
    import hashlib

    path = folder / "amounts.csv"
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, quoting=csv.QUOTE_ALL, lineterminator="\n").writerows(rows)
    resource = next(r for r in meta["resources"] if r["name"] == "amounts")
    resource["hash"] = "sha256:" + hashlib.sha256(path.read_bytes()).hexdigest()
    resource["bytes"] = path.stat().st_size


@pytest.mark.parametrize(("edit", "bump", "where", "change"), [
    (lambda f, m: m["resources"][0].update(title="Documents"), "patch", "documents",
     "resource metadata changed: title"),
    (lambda f, m: m["resources"][5].update(description="Parquet."), "patch", "amounts",
     "resource metadata changed: amounts-parquet"),
    (requote_amounts, "patch", "amounts", "file rewritten: amounts.csv (same values)"),
    (lambda f, m: m.update(description="Better words."), "patch", None, "description"),
    (lambda f, m: m.update(name="another-name"), "major", None, "name"),
    (lambda f, m: m.update(version="9.9.9", created="2030-01-01T00:00:00Z"), "none", None, None),
])
def test_metadata_and_file_changes_are_found_too(base, tmp_path, edit, bump, where, change):
    """Any difference in the files is at least a PATCH: one version, one set of bytes."""
    changed = rewrite_package(base, tmp_path / "datapackage", edit)
    diff = diff_packages(base, changed)
    assert diff.bump == bump
    assert all((r.added, r.removed, r.changed) == (0, 0, 0) for r in diff.resources)
    if where:
        assert next(r for r in diff.resources if r.name == where).other_changes == [change]
    else:
        assert diff.metadata_changes == ([change] if change else [])


# ---------------------------------------------------------------- ids across documents of one file


@pytest.fixture(scope="module")
def multi_document_edit(tmp_path_factory) -> tuple[Path, Release]:
    """Seed 000 holds three documents; one amount of the second (d02) is corrected."""
    folder = tmp_path_factory.mktemp("multi")
    seeds = copy_seeds(folder / "seeds", ["000"])
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", str(EPOCH))
        build(seeds, folder / "base")
        path = next(seeds.iterdir())
        text = path.read_text("utf-8")
        assert text.count("8658 万元") == 1
        path.write_text(text.replace("8658 万元", "8659 万元"), encoding="utf-8")
        patch.setenv("SOURCE_DATE_EPOCH", str(LATER))
        return folder / "base", rebuild(folder / "base", seeds, folder / "edited")


def test_editing_one_document_of_a_file_keeps_every_id_and_value_of_its_siblings(multi_document_edit):
    base, release = multi_document_edit
    assert release.summary.bump == "patch"
    doc = "000_a0bf228895fc49c4-d02"
    for name in resource_names():
        assert table(base, name).keys() == table(release.package, name).keys()
        before, after = table(base, name), table(release.package, name)
        for key in changed_keys(base, release.package, name):
            columns = {c for c in after[key] if before[key][c] != after[key][c]}
            # siblings of the edited document differ only in the hash of the file they share
            assert key[0].startswith(doc) or (name == "documents" and columns == {"source_sha256"})
    assert release.resource("amounts").examples[0]["columns"]["max_cny"] == ["86580000", "86590000"]


def test_sibling_documents_change_only_in_the_file_hash(multi_document_edit):
    """documents.source_sha256 is by contract the hash of the whole seed file: the one value of a
    sibling document that an edit elsewhere in the same file may change."""
    base, release = multi_document_edit
    before, after = table(base, "documents"), table(release.package, "documents")
    for key in changed_keys(base, release.package, "documents") - {("000_a0bf228895fc49c4-d02",)}:
        assert {c for c in after[key] if after[key][c] != before[key][c]} == {"source_sha256"}


# ------------------------------------------------------------------------------ the CLI


def run_cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    env = os.environ | {"PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "pipeline", *args], capture_output=True,
                          text=True, cwd=cwd, env=env, timeout=120)


def test_cli_diff_prints_the_counts_and_the_bump(base, edited):
    shown = run_cli("diff", str(base), str(edited.package))
    assert shown.returncode == 0, shown.stderr
    out = shown.stdout
    assert out.startswith("bump: patch (1.0.0 → 1.0.1)\n")
    assert "| amounts | 0 | 0 | 1 | max_cny (1), max_value (1), min_cny (1), min_value (1), text (1) | — |" in out
    assert "| measure_agencies | 0 | 0 | 0 | — | — |" in out
    assert f"- amounts: changed {DOC_002}-a0001: text '不超过100万元' → '不超过120万元'" in out


def test_cli_diff_json_is_for_scripts(base, edited):
    shown = run_cli("diff", "--json", str(base), str(edited.package))
    assert shown.returncode == 0, shown.stderr
    data = json.loads(shown.stdout)
    assert (data["bump"], data["old_version"], data["new_version"]) == ("patch", "1.0.0", "1.0.1")
    resources = {r["name"]: r for r in data["resources"]}
    assert list(resources) == resource_names()
    amounts = resources["amounts"]
    assert (amounts["added"], amounts["removed"], amounts["changed"]) == (0, 0, 1)
    assert amounts["changed_columns"] == {"max_cny": 1, "min_cny": 1, "max_value": 1, "min_value": 1, "text": 1}
    assert amounts["examples"][0]["columns"]["max_cny"] == ["1000000", "1200000"]
    assert "amounts: 1 row changed (max_cny, max_value, min_cny, min_value, text)" in data["reasons"]
    assert data["metadata_changes"] == ["sources"]


def test_cli_diff_against_a_git_revision(base, edited_seeds, tmp_path):
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    repo = tmp_path / "repo"
    shutil.copytree(base, repo / "datapackage")

    def git(*args: str) -> None:
        subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.org", "-c",
                        "commit.gpgsign=false", *args], cwd=repo, check=True, capture_output=True)

    git("init", "-q")
    git("add", "datapackage")
    git("commit", "-q", "-m", "release 1.0.0")
    summary = build(edited_seeds, repo / "datapackage")
    assert summary.version == "1.0.1"

    shown = run_cli("diff", "--json", "HEAD:datapackage", "datapackage", cwd=repo)
    assert shown.returncode == 0, shown.stderr
    data = json.loads(shown.stdout)
    assert (data["bump"], data["old_version"], data["new_version"]) == ("patch", "1.0.0", "1.0.1")
    counts = {r["name"]: (r["added"], r["removed"], r["changed"]) for r in data["resources"]}
    assert counts["amounts"] == (0, 0, 1) and counts["targets"] == (0, 0, 0)

    text = run_cli("diff", "HEAD:datapackage", "datapackage", cwd=repo)
    assert text.returncode == 0 and text.stdout.startswith("bump: patch (1.0.0 → 1.0.1)")
    same = run_cli("diff", "HEAD:datapackage", "HEAD:datapackage", cwd=repo)
    assert same.returncode == 0 and same.stdout.startswith("bump: none (1.0.0 → 1.0.0)")

    missing = run_cli("diff", "HEAD:nowhere", "datapackage", cwd=repo)
    assert missing.returncode != 0
    assert missing.stderr.startswith("error: git archive") and "Traceback" not in missing.stderr
    not_a_package = run_cli("diff", str(tmp_path / "nothing"), "datapackage", cwd=repo)
    assert not_a_package.returncode != 0 and "no readable datapackage.json" in not_a_package.stderr


# ------------------------------------------------------------------ cells of any length


def long_paragraph(words: int, seed: int) -> str:
    """A paragraph of `words` two-character words, broken into lines of 600 characters."""
    import random

    chance = random.Random(seed)
    text = "".join(chance.choice(["发展", "产业", "支持", "企业", "建设", "项目", "创新", "平台", "服务"])
                   for _ in range(words))
    return "\n".join(text[i:i + 600] for i in range(0, len(text), 600))


def test_a_cell_longer_than_the_csv_modules_limit_is_read_back_everywhere(tmp_path):
    """The csv module stops at 131,072 characters a cell unless told otherwise: the build over
    such a package, `diff`, `explain`, `validate` and --keep-going's carried rows all read it.
    Each runs in a process of its own, where nothing has raised the limit before."""
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    long_text = "关于测试产业发展的实施意见\n一、加强支持。" + long_paragraph(70_000, 1) + "。\n二、强化保障。各地要加强领导。\n"
    (seeds / "long.txt").write_text(long_text, encoding="utf-8")
    out, before = tmp_path / "datapackage", tmp_path / "before"
    assert run_cli("build", "--seeds", str(seeds), "--out", str(out), "--no-progress").returncode == 0
    measures = table(out, "measures")
    assert max(len(row["text"]) for row in measures.values()) > 140_000
    shutil.copytree(out, before)

    (seeds / "long.txt").write_text(long_text.replace("强化保障", "完善保障"), encoding="utf-8")
    rebuilt = run_cli("build", "--seeds", str(seeds), "--out", str(out), "--no-progress")
    assert rebuilt.returncode == 0, rebuilt.stderr
    assert "version 1.0.1, bump: patch" in rebuilt.stdout
    shown = run_cli("diff", str(before), str(out))
    assert shown.returncode == 0, shown.stderr
    assert "| measures | 0 | 0 | 1 | heading (1), text (1) |" in shown.stdout
    edited = table(out, "measures")
    measure_id = next(key[0] for key, row in measures.items() if len(row["text"]) > 140_000)
    explained = run_cli("explain", measure_id, "--package", str(out), "--seeds", str(seeds), "--no-color")
    assert explained.returncode == 0 and explained.stdout.startswith(f"measures {measure_id}\n")
    validated = run_cli("validate", str(out))
    assert validated.returncode == 0 and validated.stdout.endswith(f"{out}: valid\n")

    (seeds / "long.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8)
    carried = run_cli("build", "--seeds", str(seeds), "--out", str(out), "--no-progress", "--keep-going")
    assert carried.returncode == 0, carried.stderr
    assert "long.txt: could not be read this time; its rows of version 1.0.1 are carried forward" in carried.stdout
    assert table(out, "measures") == edited
