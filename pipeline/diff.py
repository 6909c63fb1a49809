"""What changed between two versions of the package: schemas, and rows by primary key.

The bump follows the Data Package version recipe: MAJOR for changes that can break a script
(a field removed, renamed or retyped, a constraint tightened, a key changed, rows or resources
gone), MINOR for additions (resources, fields, rows, looser constraints), PATCH for corrected
values or metadata. Any difference in the bytes of a published file is at least a PATCH, so one
version always names one set of files.
"""
from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import tarfile
import tempfile
import zlib
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from pipeline import csvfiles
from pipeline.errors import PipelineError

BUMPS = ("none", "patch", "minor", "major")
EXAMPLES_PER_KIND = 3  # kept per resource for each of added, removed, changed
EXCERPT = 40  # characters of a value shown around a change in the text output

# Each kind of change, by the text before its first colon, and the bump it calls for.
CHANGE_LEVELS = {
    "resource removed": "major",
    "field removed": "major",
    "field renamed": "major",
    "field retyped": "major",
    "constraint tightened": "major",
    "fields reordered": "major",
    "primary key changed": "major",
    "foreign keys changed": "major",
    "resource added": "minor",
    "field added": "minor",
    "constraint loosened": "minor",
    "field metadata changed": "patch",
    "resource metadata changed": "patch",
    "file rewritten": "patch",
}
RULES = {
    "major": "changes that can break a script written against the previous version",
    "minor": "additions only: scripts written against the previous version keep working",
    "patch": "corrected values or metadata: no row, field or resource added or removed",
}


@dataclass
class ResourceDiff:
    name: str
    added: int = 0
    removed: int = 0
    changed: int = 0
    changed_columns: dict[str, int] = field(default_factory=dict)
    schema_changes: list[str] = field(default_factory=list)
    # resource metadata and files whose bytes changed without a change of values or schema
    other_changes: list[str] = field(default_factory=list)
    bump: str = "none"
    # {"change": "added"|"removed"|"changed", "key": "a/b", "columns": {column: [old, new]}}
    examples: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class PackageDiff:
    resources: list[ResourceDiff]
    metadata_changed: bool
    bump: str
    metadata_changes: list[str] = field(default_factory=list)  # top-level properties that differ
    # documentation files rendered differently from the same data (found by the build only)
    docs_changes: list[str] = field(default_factory=list)
    old_version: str | None = None
    new_version: str | None = None

    def to_json(self) -> dict[str, Any]:
        return asdict(self) | {"reasons": reasons(self)}


def change_level(change: str) -> str:
    return CHANGE_LEVELS[change.split(":", 1)[0]]


def load_descriptor(folder: Path) -> dict[str, Any] | None:
    path = folder / "datapackage.json"
    if not path.is_file():
        return None
    try:
        descriptor = json.loads(path.read_text("utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError):
        return None
    return descriptor if isinstance(descriptor, dict) else None


def csv_resources(descriptor: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {r["name"]: r for r in descriptor.get("resources", []) if r.get("format") == "csv"}


def other_resources(descriptor: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The Parquet copies (and any non-CSV resource), by name."""
    return {r["name"]: r for r in descriptor.get("resources", []) if r.get("format") != "csv"}


def read_rows(folder: Path, resource: dict[str, Any]) -> dict[tuple, dict[str, str]]:
    key = resource["schema"].get("primaryKey", [])
    with (folder / resource["path"]).open(encoding="utf-8", newline="") as fh:
        return {tuple(row[k] for k in key): row for row in csvfiles.dict_reader(fh)}


def count_rows(folder: Path, resource: dict[str, Any]) -> int:
    with (folder / resource["path"]).open(encoding="utf-8", newline="") as fh:
        return max(sum(1 for _ in csvfiles.reader(fh)) - 1, 0)


def max_bump(*bumps: str) -> str:
    return max(bumps, key=BUMPS.index)


LOWER_BOUNDS, UPPER_BOUNDS = ("minimum", "minLength", "exclusiveMinimum"), ("maximum", "maxLength", "exclusiveMaximum")


def constraint_change(old: dict[str, Any], new: dict[str, Any]) -> str:
    """"tightened" if the new field refuses a value the old one took, else "loosened" if it
    takes more, else "" (same constraints)."""
    before, after = old.get("constraints", {}), new.get("constraints", {})
    tighter = looser = False
    for flag in ("required", "unique"):
        tighter |= bool(after.get(flag)) and not before.get(flag)
        looser |= bool(before.get(flag)) and not after.get(flag)
    if "enum" in after:
        tighter |= "enum" not in before or not set(after["enum"]) >= set(before["enum"])
        looser |= "enum" in before and set(after["enum"]) > set(before["enum"])
    else:
        looser |= "enum" in before
    for bounds, stricter in ((LOWER_BOUNDS, lambda a, b: a > b), (UPPER_BOUNDS, lambda a, b: a < b)):
        for bound in bounds:
            if bound in after:
                tighter |= bound not in before or stricter(after[bound], before[bound])
                looser |= bound in before and stricter(before[bound], after[bound])
            else:
                looser |= bound in before
    if after.get("pattern") != before.get("pattern"):
        # a changed pattern may refuse values the old one took: count it as tighter
        tighter |= "pattern" in after
        looser |= "pattern" not in after
    return "tightened" if tighter else "loosened" if looser else ""


def field_kind(spec: dict[str, Any]) -> tuple:
    return spec.get("type"), spec.get("format")


def schema_diff(old: dict[str, Any], new: dict[str, Any]) -> tuple[list[str], str]:
    """The changes between two Table Schemas, and the bump they call for."""
    changes: list[str] = []
    old_names, new_names = [f["name"] for f in old["fields"]], [f["name"] for f in new["fields"]]
    old_fields = {f["name"]: f for f in old["fields"]}
    new_fields = {f["name"]: f for f in new["fields"]}
    removed = [n for n in old_names if n not in new_fields]
    added = [n for n in new_names if n not in old_fields]
    renamed: dict[str, str] = {}
    for name in removed:
        # a field gone and another of the same kind in its place: most likely a rename
        position = old_names.index(name)
        if position < len(new_names) and new_names[position] in added and new_names[position] not in renamed.values():
            if field_kind(old_fields[name]) == field_kind(new_fields[new_names[position]]):
                renamed[name] = new_names[position]
    for name in removed:
        if name in renamed:
            changes.append(f"field renamed: {name} → {renamed[name]}")
        else:
            changes.append(f"field removed: {name}")
    for name in added:
        if name not in renamed.values():
            changes.append(f"field added: {name}")
    for name in sorted(old_fields.keys() & new_fields.keys()):
        before, after = old_fields[name], new_fields[name]
        if field_kind(before) != field_kind(after):
            changes.append(f"field retyped: {name} {before.get('type')} → {after.get('type')}")
        elif how := constraint_change(before, after):
            changes.append(f"constraint {how}: {name}")
        elif before != after:
            changes.append(f"field metadata changed: {name}")
    if [n for n in old_names if n in new_fields] != [n for n in new_names if n in old_fields]:
        changes.append("fields reordered")
    if old.get("primaryKey") != new.get("primaryKey"):
        changes.append(f"primary key changed: {old.get('primaryKey')} → {new.get('primaryKey')}")
    if old.get("foreignKeys") != new.get("foreignKeys"):
        changes.append("foreign keys changed")
    return changes, max_bump("none", *(change_level(c) for c in changes))


def interleave(*groups: list) -> list:
    """a1 b1 c1 a2 b2 …: the first examples show every kind of change."""
    out = []
    for i in range(max((len(g) for g in groups), default=0)):
        out += [g[i] for g in groups if i < len(g)]
    return out


# Rows of both versions of a table held in memory at a time, in CSV bytes: larger tables are
# split by key into partitions on disk first, so a comparison needs the same memory at any size.
PARTITION_BYTES = 8 * 2**20


@dataclass
class Table:
    """A version of a table as a CSV file: where it is and its primary key."""

    path: Path
    key: list[str]


def partitions(tables: tuple[Table, Table], scratch: Path) -> Iterator[tuple[list[list[str]], ...]]:
    """Both versions' header and rows, split by a stable hash of the key into partitions small
    enough to compare in memory: one partition (no copy) for tables of up to PARTITION_BYTES.

    Yields, per partition, (old header, old rows, new header, new rows); a key's rows are
    always in the same partition, in file order."""
    count = -(-sum(t.path.stat().st_size for t in tables) // PARTITION_BYTES)
    headers, readers = [], []
    for table in tables:
        fh = table.path.open(encoding="utf-8", newline="")
        rows = csvfiles.reader(fh)
        headers.append(next(rows, []))
        readers.append((fh, rows))
    try:
        if count <= 1:
            yield headers[0], list(readers[0][1]), headers[1], list(readers[1][1])
            return
        parts = [[scratch / f"{side}.{i}.csv" for i in range(count)] for side in range(2)]
        for side, ((_, rows), table) in enumerate(zip(readers, tables)):
            positions = [headers[side].index(k) for k in table.key]
            files = [path.open("w", encoding="utf-8", newline="") for path in parts[side]]
            writers = [csv.writer(fh, lineterminator="\n") for fh in files]
            for row in rows:
                key = "\x1f".join(row[i] for i in positions).encode("utf-8")
                writers[zlib.crc32(key) % count].writerow(row)
            for fh in files:
                fh.close()
        for i in range(count):
            yield headers[0], read_part(parts[0][i]), headers[1], read_part(parts[1][i])
            parts[0][i].unlink()
            parts[1][i].unlink()
    finally:
        for fh, _ in readers:
            fh.close()


def read_part(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csvfiles.reader(fh))


def keyed(header: list[str], rows: list[list[str]], key: list[str]) -> dict[tuple, list]:
    """Rows by primary key; of two rows with one key, the later (as a dict of the file would).
    A short row is padded with None, as csv.DictReader reads it."""
    positions = [header.index(k) for k in key]
    width = len(header)
    return {tuple(row[i] for i in positions): row + [None] * (width - len(row)) for row in rows}


def first_examples(kept: list[dict], more: list[dict]) -> list[dict]:
    """The first EXAMPLES_PER_KIND examples, by key (a tuple), of those kept so far and more."""
    return sorted(kept + more, key=lambda example: example["key"])[:EXAMPLES_PER_KIND]


def rows_diff(result: ResourceDiff, old: Table, new: Table) -> None:
    """Rows added, removed and changed, by primary key; columns only on one side are schema
    changes, not changed values. The examples are the first of each kind in key order."""
    added, removed, changed = [], [], []  # the first few of each kind, by key, so far
    counts: dict[str, int] = {}
    with tempfile.TemporaryDirectory(prefix="pipeline-diff-") as scratch:
        for old_header, old_rows, new_header, new_rows in partitions((old, new), Path(scratch)):
            before, after = keyed(old_header, old_rows, old.key), keyed(new_header, new_rows, new.key)
            del old_rows, new_rows
            shared = [(c, old_header.index(c), i) for i, c in enumerate(new_header) if c in old_header]
            keys = sorted(after.keys() - before.keys())
            result.added += len(keys)
            added = first_examples(added, [{"change": "added", "key": k} for k in keys[:EXAMPLES_PER_KIND]])
            keys = sorted(before.keys() - after.keys())
            result.removed += len(keys)
            removed = first_examples(removed, [{"change": "removed", "key": k} for k in keys[:EXAMPLES_PER_KIND]])
            found = []
            for key in sorted(before.keys() & after.keys()):
                was, now = before[key], after[key]
                columns = [(c, i, j) for c, i, j in shared if was[i] != now[j]]
                if columns:
                    result.changed += 1
                    for column, _, _ in columns:
                        counts[column] = counts.get(column, 0) + 1
                    if len(found) < EXAMPLES_PER_KIND:
                        found.append({"change": "changed", "key": key,
                                      "columns": {c: [was[i], now[j]] for c, i, j in columns}})
            changed = first_examples(changed, found)
    result.changed_columns = dict(sorted(counts.items()))
    for example in changed + added + removed:
        example["key"] = "/".join(example["key"])
    result.examples = interleave(changed, added, removed)


def resource_order(old_res: dict, new_res: dict) -> list[str]:
    """Resources in the new package's order, then the removed ones in the old order."""
    return list(new_res) + [name for name in old_res if name not in new_res]


# The content hash in a data file's name (`data/amounts.<16 hex>.csv`) changes with its bytes,
# which `hash` already tells: as resource metadata, the path is compared without it.
CONTENT_HASH_IN_NAME = re.compile(r"\.[0-9a-f]{16}(?=\.[A-Za-z0-9]+$)")


def shown_path(path: str) -> str:
    """A data file as users know it: `data/amounts.<hash>.csv` is `amounts.csv`."""
    return CONTENT_HASH_IN_NAME.sub("", Path(path).name)


def describe_without(resource: dict[str, Any], *keys: str) -> dict[str, Any]:
    described = {k: v for k, v in resource.items() if k not in keys}
    if isinstance(described.get("path"), str):
        described["path"] = CONTENT_HASH_IN_NAME.sub("", described["path"])
    return described


def diff_resource(name: str, old_dir: Path, new_dir: Path, old_res: dict, new_res: dict,
                  old_other: dict, new_other: dict) -> ResourceDiff:
    result = ResourceDiff(name)
    if name not in new_res:
        result.schema_changes.append("resource removed")
        result.removed = count_rows(old_dir, old_res[name])
    elif name not in old_res:
        result.schema_changes.append("resource added")
        result.added = count_rows(new_dir, new_res[name])
    else:
        before, after = old_res[name], new_res[name]
        result.schema_changes, _ = schema_diff(before["schema"], after["schema"])
        if before.get("hash") != after.get("hash"):
            rows_diff(result, Table(old_dir / before["path"], before["schema"].get("primaryKey", [])),
                      Table(new_dir / after["path"], after["schema"].get("primaryKey", [])))
            if not (result.added or result.removed or result.changed or result.schema_changes):
                result.other_changes.append(f"file rewritten: {shown_path(after['path'])} (same values)")
        described_before = describe_without(before, "hash", "bytes", "schema")
        described_after = describe_without(after, "hash", "bytes", "schema")
        changed_keys = sorted(
            k for k in described_before.keys() | described_after.keys()
            if described_before.get(k) != described_after.get(k)
        )
        if changed_keys:
            result.other_changes.append(f"resource metadata changed: {', '.join(changed_keys)}")
    # The Parquet copy carries the same rows and schema; only a change of its own counts here.
    for other in sorted(old_other.keys() | new_other.keys()):
        if other.removesuffix("-parquet") != name or name not in old_res or name not in new_res:
            continue
        before, after = old_other.get(other), new_other.get(other)
        if before is None or after is None:
            result.other_changes.append(f"resource {'added' if before is None else 'removed'}: {other}")
            continue
        if before.get("hash") != after.get("hash") and before["schema"] == after["schema"] and not (
            result.added or result.removed or result.changed
        ):
            result.other_changes.append(f"file rewritten: {shown_path(after['path'])} (same values)")
        if describe_without(before, "hash", "bytes", "schema") != describe_without(after, "hash", "bytes", "schema"):
            result.other_changes.append(f"resource metadata changed: {other}")
    row_bump = "major" if result.removed else "minor" if result.added else "patch" if result.changed else "none"
    result.bump = max_bump(row_bump, *(change_level(c) for c in result.schema_changes + result.other_changes))
    return result


# Set by each release, or a summary of the resources (compared one by one); `pipeline` names
# the code that wrote the package, not its content.
IGNORED_METADATA = {"resources", "version", "created", "contentHash", "pipeline"}


def diff_packages(old_dir: Path, new_dir: Path) -> PackageDiff:
    old = load_descriptor(old_dir) or {"resources": []}
    new = load_descriptor(new_dir)
    if new is None:
        raise FileNotFoundError(f"{new_dir}: no datapackage.json")
    old_res, new_res = csv_resources(old), csv_resources(new)
    old_other, new_other = other_resources(old), other_resources(new)
    results = [
        diff_resource(name, old_dir, new_dir, old_res, new_res, old_other, new_other)
        for name in resource_order(old_res, new_res)
    ]
    metadata_changes = sorted(
        k for k in (old.keys() | new.keys()) - IGNORED_METADATA if old.get(k) != new.get(k)
    ) if "name" in old else []
    bump = max_bump("none", *(r.bump for r in results))
    if metadata_changes:
        # a renamed package is a new package for every script that fetches it by name
        bump = max_bump(bump, "major" if "name" in metadata_changes else "patch")
    return PackageDiff(
        results, bool(metadata_changes), bump, metadata_changes=metadata_changes,
        old_version=old.get("version"), new_version=new.get("version"),
    )


def reasons(diff: PackageDiff) -> list[str]:
    """What made the bump what it is: the changes at its level, resource by resource."""
    out = []
    if diff.bump == "none":
        return out
    for r in diff.resources:
        parts = [c for c in r.schema_changes + r.other_changes if change_level(c) == diff.bump]
        rows = {"major": (r.removed, "removed"), "minor": (r.added, "added"), "patch": (r.changed, "changed")}
        count, what = rows[diff.bump]
        if count and not any(c.startswith("resource ") for c in r.schema_changes):
            detail = f" ({', '.join(r.changed_columns)})" if what == "changed" else ""
            parts.append(f"{count} row{'s' if count != 1 else ''} {what}{detail}")
        if parts:
            out.append(f"{r.name}: {'; '.join(parts)}")
    if diff.metadata_changes and (diff.bump == "patch" or "name" in diff.metadata_changes):
        out.append(f"package metadata changed: {', '.join(diff.metadata_changes)}")
    if diff.docs_changes and diff.bump == "patch":
        out.append(f"documentation changed: {', '.join(diff.docs_changes)}")
    return out


def bump_version(version: str, bump: str) -> str:
    try:
        major, minor, patch = (int(p) for p in version.split("."))
    except ValueError:
        raise PipelineError(f"version {version!r} is not MAJOR.MINOR.PATCH: cannot bump it") from None
    if bump == "major":
        return f"{major + 1}.0.0"
    if bump == "minor":
        return f"{major}.{minor + 1}.0"
    if bump == "patch":
        return f"{major}.{minor}.{patch + 1}"
    return version


def git(*args: str, cwd: Path | None = None) -> bytes:
    try:
        return subprocess.run(["git", *args], capture_output=True, check=True, cwd=cwd).stdout
    except FileNotFoundError:
        raise PipelineError("git is not installed: cannot read a package from a revision") from None
    except subprocess.CalledProcessError as error:
        message = error.stderr.decode("utf-8", "replace").strip()
        raise PipelineError(f"git {' '.join(args)}: {message}") from None


def export_tree(revision: str, folder: str, workdir: Path, cwd: Path | None = None) -> Path:
    """The files of `folder` (a path in the repository of `cwd`) at `revision`, written into
    `workdir` (one `git archive`, subfolders included); returns where they are."""
    archive = git("archive", "--format=tar", revision, "--", folder, cwd=cwd)
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(workdir, filter="data")
    return workdir / folder


def checkout_package(spec: str, workdir: Path) -> Path:
    """A package folder, or `REV:path/to/datapackage` read from git into a temporary folder."""
    if ":" not in spec or Path(spec).exists():
        return Path(spec)
    revision, folder = spec.split(":", 1)
    folder = folder.rstrip("/") or "datapackage"
    prefix = git("rev-parse", "--show-prefix").decode("utf-8").strip()  # folder is relative to here
    return export_tree(revision, prefix + folder, workdir)


def diff_specs(old_spec: str, new_spec: str) -> PackageDiff:
    """The diff between two packages, each a folder or `REV:folder` in the current git repo."""
    with tempfile.TemporaryDirectory() as old_tmp, tempfile.TemporaryDirectory() as new_tmp:
        old_dir, new_dir = checkout_package(old_spec, Path(old_tmp)), checkout_package(new_spec, Path(new_tmp))
        for spec, folder in ((old_spec, old_dir), (new_spec, new_dir)):
            if load_descriptor(folder) is None:
                raise PipelineError(f"{spec}: no readable datapackage.json there")
        return diff_packages(old_dir, new_dir)


def excerpt(old: str, new: str, width: int = EXCERPT, context: int = 12) -> tuple[str, str]:
    """The two values cut to the part around their difference, when they are long."""
    if len(old) <= width and len(new) <= width:
        return old, new
    shortest = min(len(old), len(new))
    start = next((i for i in range(shortest) if old[i] != new[i]), shortest)
    end = next((i for i in range(shortest - start) if old[-1 - i] != new[-1 - i]), shortest - start)
    cut = max(start - context, 0)

    def window(value: str) -> str:
        stop = min(len(value) - end + context, len(value), cut + width)
        return ("…" if cut else "") + value[cut:stop] + ("…" if stop < len(value) else "")

    return window(old), window(new)


def format_example(example: dict[str, Any]) -> str:
    text = f"{example['change']} {example['key']}"
    if columns := example.get("columns"):
        text += ": " + "; ".join(f"{c} {a!r} → {b!r}" for c, (a, b) in ((c, excerpt(*v)) for c, v in columns.items()))
    return text


def changes_table(diff: PackageDiff, schema_column: bool) -> list[str]:
    """Markdown table of rows added, removed and changed per resource."""
    head = "| resource | added | removed | changed | changed columns |" + (" schema |" if schema_column else "")
    lines = [head, "|---|---:|---:|---:|---|" + ("---|" if schema_column else "")]
    for r in diff.resources:
        columns = ", ".join(f"{c} ({n})" for c, n in r.changed_columns.items()) or "—"
        schema = f" {'; '.join(r.schema_changes) or '—'} |" if schema_column else ""
        lines.append(f"| {r.name} | {r.added} | {r.removed} | {r.changed} | {columns} |{schema}")
    return lines


def change_notes(diff: PackageDiff, changes: list[str], title: str, examples_per_resource: int) -> list[str]:
    """The lines under the table: other changes, metadata, documentation, examples."""
    lines = []
    if changes:
        lines += ["", title, *changes]
    if diff.metadata_changes:
        lines += ["", f"Package metadata changed: {', '.join(diff.metadata_changes)}."]
    if diff.docs_changes:
        lines += ["", f"Documentation changed: {', '.join(diff.docs_changes)}."]
    examples = [f"- {r.name}: {format_example(e)}" for r in diff.resources for e in r.examples[:examples_per_resource]]
    if examples:
        lines += ["", "Examples:", *examples]
    return lines


def format_diff(diff: PackageDiff) -> str:
    versions = f" ({diff.old_version} → {diff.new_version})" if diff.old_version or diff.new_version else ""
    lines = [f"bump: {diff.bump}{versions}"]
    if why := reasons(diff):
        lines += [f"why: {RULES[diff.bump]}", *(f"  {r}" for r in why)]
    lines += ["", *changes_table(diff, schema_column=True)]
    others = [f"- {r.name}: {c}" for r in diff.resources for c in r.other_changes]
    lines += change_notes(diff, others, "Other changes:", EXAMPLES_PER_KIND * 3)
    if diff.bump == "none" and diff.old_version != diff.new_version:
        lines += ["", "Same data, schemas and descriptor under another version: only the "
                  "documentation files (README.md, index.html) can differ; see CHANGELOG.md."]
    return "\n".join(lines)
