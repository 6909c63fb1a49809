"""What changed between two versions of the package: schemas, and rows by primary key.

The bump follows the Data Package version recipe: MAJOR for changes that can break a script
(a field removed, renamed or retyped, a constraint tightened, a key changed, rows or resources
gone), MINOR for additions (resources, fields, rows), PATCH for corrected values or metadata.
"""
from __future__ import annotations

import csv
import json
import subprocess
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

BUMPS = ("none", "patch", "minor", "major")
EXAMPLES_PER_RESOURCE = 3


@dataclass
class ResourceDiff:
    name: str
    added: int = 0
    removed: int = 0
    changed: int = 0
    changed_columns: dict[str, int] = field(default_factory=dict)
    schema_changes: list[str] = field(default_factory=list)
    bump: str = "none"
    examples: list[str] = field(default_factory=list)


@dataclass
class PackageDiff:
    resources: list[ResourceDiff]
    metadata_changed: bool
    bump: str

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def load_descriptor(folder: Path) -> dict[str, Any] | None:
    path = folder / "datapackage.json"
    if not path.is_file():
        return None
    try:
        return json.loads(path.read_text("utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError):
        return None


def csv_resources(descriptor: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {r["name"]: r for r in descriptor.get("resources", []) if r.get("format") == "csv"}


def read_rows(folder: Path, resource: dict[str, Any]) -> dict[tuple, dict[str, str]]:
    key = resource["schema"].get("primaryKey", [])
    with (folder / resource["path"]).open(encoding="utf-8", newline="") as fh:
        return {tuple(row[k] for k in key): row for row in csv.DictReader(fh)}


def max_bump(*bumps: str) -> str:
    return max(bumps, key=BUMPS.index)


def tightened(old: dict[str, Any], new: dict[str, Any]) -> bool:
    """Does the new field admit fewer values than the old one?"""
    before, after = old.get("constraints", {}), new.get("constraints", {})
    if after.get("required") and not before.get("required"):
        return True
    if "enum" in after and not set(after["enum"]) >= set(before.get("enum", after["enum"])):
        return True
    if "enum" in after and "enum" not in before:
        return True
    for bound, stricter in (("minimum", lambda a, b: a > b), ("maximum", lambda a, b: a < b)):
        if bound in after and (bound not in before or stricter(after[bound], before[bound])):
            return True
    return after.get("pattern") not in (None, before.get("pattern"))


def schema_diff(old: dict[str, Any], new: dict[str, Any]) -> tuple[list[str], str]:
    changes: list[str] = []
    bump = "none"
    old_fields = {f["name"]: f for f in old["fields"]}
    new_fields = {f["name"]: f for f in new["fields"]}
    for name in old_fields.keys() - new_fields.keys():
        changes.append(f"field removed: {name}")
        bump = "major"
    for name in sorted(new_fields.keys() - old_fields.keys()):
        changes.append(f"field added: {name}")
        bump = max_bump(bump, "minor")
    for name in sorted(old_fields.keys() & new_fields.keys()):
        before, after = old_fields[name], new_fields[name]
        if before.get("type") != after.get("type"):
            changes.append(f"field retyped: {name} {before.get('type')} → {after.get('type')}")
            bump = "major"
        elif tightened(before, after):
            changes.append(f"constraint tightened: {name}")
            bump = "major"
        elif before != after:
            changes.append(f"field metadata changed: {name}")
            bump = max_bump(bump, "patch")
    if [f["name"] for f in old["fields"] if f["name"] in new_fields] != [
        f["name"] for f in new["fields"] if f["name"] in old_fields
    ]:
        changes.append("fields reordered")
        bump = "major"
    if old.get("primaryKey") != new.get("primaryKey") or old.get("foreignKeys") != new.get("foreignKeys"):
        changes.append("keys changed")
        bump = "major"
    return sorted(changes), bump


def rows_diff(result: ResourceDiff, old: dict[tuple, dict], new: dict[tuple, dict]) -> None:
    for key in sorted(new.keys() - old.keys()):
        result.added += 1
        if len(result.examples) < EXAMPLES_PER_RESOURCE:
            result.examples.append(f"added {'/'.join(key)}")
    for key in sorted(old.keys() - new.keys()):
        result.removed += 1
        if len(result.examples) < EXAMPLES_PER_RESOURCE * 2:
            result.examples.append(f"removed {'/'.join(key)}")
    for key in sorted(old.keys() & new.keys()):
        before, after = old[key], new[key]
        columns = sorted(c for c in after if c in before and before[c] != after[c])
        if columns:
            result.changed += 1
            for column in columns:
                result.changed_columns[column] = result.changed_columns.get(column, 0) + 1
            if len(result.examples) < EXAMPLES_PER_RESOURCE * 3:
                c = columns[0]
                result.examples.append(f"changed {'/'.join(key)} {c}: {before[c]!r} → {after[c]!r}")


def diff_packages(old_dir: Path, new_dir: Path) -> PackageDiff:
    old = load_descriptor(old_dir) or {"resources": []}
    new = load_descriptor(new_dir)
    if new is None:
        raise FileNotFoundError(f"{new_dir}: no datapackage.json")
    old_res, new_res = csv_resources(old), csv_resources(new)
    results: list[ResourceDiff] = []
    for name in sorted(old_res.keys() | new_res.keys(), key=lambda n: list(new_res).index(n) if n in new_res else 99):
        result = ResourceDiff(name)
        if name not in new_res:
            result.schema_changes.append("resource removed")
            result.bump = "major"
        elif name not in old_res:
            result.schema_changes.append("resource added")
            result.added = len(read_rows(new_dir, new_res[name]))
            result.bump = "minor"
        else:
            result.schema_changes, result.bump = schema_diff(old_res[name]["schema"], new_res[name]["schema"])
            if old_res[name].get("hash") != new_res[name].get("hash"):
                rows_diff(result, read_rows(old_dir, old_res[name]), read_rows(new_dir, new_res[name]))
            row_bump = "major" if result.removed else "minor" if result.added else "patch" if result.changed else "none"
            result.bump = max_bump(result.bump, row_bump)
        results.append(result)
    ignored = {"resources", "version", "created", "contentHash"}
    metadata_changed = {k: v for k, v in old.items() if k not in ignored} != {
        k: v for k, v in new.items() if k not in ignored
    }
    bump = max_bump("none", *(r.bump for r in results))
    if bump == "none" and metadata_changed:
        bump = "patch"
    return PackageDiff(results, metadata_changed, bump)


def bump_version(version: str, bump: str) -> str:
    major, minor, patch = (int(p) for p in version.split("."))
    if bump == "major":
        return f"{major + 1}.0.0"
    if bump == "minor":
        return f"{major}.{minor + 1}.0"
    if bump == "patch":
        return f"{major}.{minor}.{patch + 1}"
    return version


def checkout_package(spec: str, workdir: Path) -> Path:
    """A package folder, or `REV:path/to/datapackage` read from git into a temporary folder."""
    if ":" not in spec or Path(spec).exists():
        return Path(spec)
    revision, folder = spec.split(":", 1)
    folder = folder.rstrip("/") or "datapackage"
    listing = subprocess.run(
        ["git", "ls-tree", "--name-only", f"{revision}:{folder}"],
        capture_output=True, text=True, check=True,
    ).stdout.split()
    for name in listing:
        blob = subprocess.run(["git", "show", f"{revision}:{folder}/{name}"], capture_output=True, check=True).stdout
        (workdir / name).write_bytes(blob)
    return workdir


def diff_specs(old_spec: str, new_spec: str) -> PackageDiff:
    with tempfile.TemporaryDirectory() as old_tmp, tempfile.TemporaryDirectory() as new_tmp:
        return diff_packages(checkout_package(old_spec, Path(old_tmp)), checkout_package(new_spec, Path(new_tmp)))


def format_diff(diff: PackageDiff) -> str:
    lines = [f"bump: {diff.bump}", "", "| resource | added | removed | changed | schema |", "|---|---:|---:|---:|---|"]
    for r in diff.resources:
        lines.append(f"| {r.name} | {r.added} | {r.removed} | {r.changed} | {'; '.join(r.schema_changes) or '—'} |")
    examples = [f"- {r.name}: {e}" for r in diff.resources for e in r.examples]
    if examples:
        lines += ["", "Examples:", *examples]
    if diff.metadata_changed:
        lines += ["", "Package metadata changed."]
    return "\n".join(lines)
