"""Versions and the changelog: each build is compared with the package it replaces.

Nothing changed: same version, same `created`, no changelog entry, byte-identical files.
Something changed: the version is bumped by the Data Package recipe (see `diff`), `created`
is set (from SOURCE_DATE_EPOCH when given) and a section is appended to CHANGELOG.md.
"""
from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any

from pipeline.diff import (
    RULES,
    PackageDiff,
    bump_version,
    change_notes,
    changes_table,
    diff_packages,
    load_descriptor,
    reasons,
)
from pipeline.docs import write_readme
from pipeline.errors import PipelineError
from pipeline.html import write_index
from pipeline.publish import write_descriptor

FIRST_VERSION = "1.0.0"
CHANGELOG_HEADER = (
    "# Changelog\n\nEvery release of this data package, with what changed and why the version "
    "moved as it did (Data Package version recipe: MAJOR breaks scripts, MINOR adds, PATCH corrects).\n"
)
EXAMPLES_IN_CHANGELOG = 3  # per resource
OWN_FILES = {"datapackage.json", "CHANGELOG.md"}
DESCRIPTOR_ORDER = ("$schema", "name", "title", "version", "created", "description")


def created_timestamp() -> str:
    """Now, or SOURCE_DATE_EPOCH (reproducible builds: https://reproducible-builds.org/specs/source-date-epoch/)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not epoch:
        moment = dt.datetime.now(dt.UTC)
    elif epoch.isdigit():
        moment = dt.datetime.fromtimestamp(int(epoch), dt.UTC)
    else:
        raise PipelineError(f"SOURCE_DATE_EPOCH={epoch!r}: not a number of seconds since 1970")
    return moment.replace(microsecond=0).isoformat().replace("+00:00", "Z")


def ordered(descriptor: dict[str, Any]) -> dict[str, Any]:
    head = {k: descriptor[k] for k in DESCRIPTOR_ORDER if k in descriptor}
    return head | {k: v for k, v in descriptor.items() if k not in head}


def bump_reason(diff: PackageDiff) -> str:
    """The rule of the recipe that decided the bump, and the changes that met it."""
    return f"{RULES[diff.bump]}. " + "; ".join(reasons(diff))


def changelog_section(version: str, created: str, diff: PackageDiff | None) -> str:
    lines = [f"## {version} — {created[:10]}", ""]
    if diff is None:
        lines += ["First release.", ""]
        return "\n".join(lines)
    lines += [f"**{diff.bump.upper()}**: {bump_reason(diff)}", ""]
    lines += changes_table(diff, schema_column=False)
    changes = [f"- {r.name}: {c}" for r in diff.resources for c in r.schema_changes + r.other_changes]
    lines += change_notes(diff, changes, "Schema and file changes:", EXAMPLES_IN_CHANGELOG)
    lines.append("")
    return "\n".join(lines)


def write_docs(folder: Path, descriptor: dict[str, Any]) -> None:
    """The package's data dictionary and browsing page, from its descriptor and data files."""
    write_readme(folder, descriptor)
    write_index(folder, descriptor)


def changed_files(staged: Path, target: Path) -> list[str]:
    """Files that differ between the two folders, besides the descriptor and the changelog
    (compared on their own): a data dictionary or browsing page rendered differently, with the
    same data and descriptor, is still a new release."""
    def files(folder: Path) -> dict[str, Path]:
        return {p.name: p for p in folder.iterdir() if p.is_file() and p.name not in OWN_FILES}

    old, new = files(target), files(staged)
    return sorted(
        name for name in old.keys() | new.keys()
        if name not in old or name not in new or old[name].read_bytes() != new[name].read_bytes()
    )


def finish_descriptor(staged: Path, descriptor: dict[str, Any], target: Path) -> tuple[dict[str, Any], dict]:
    """Decide version, `created` and changelog for the staged package; write its docs.

    Unchanged content keeps the previous version, `created` and changelog, so the rebuilt
    package is byte-identical; changed content gets a bumped version, `created` from
    SOURCE_DATE_EPOCH (or now) and a changelog section.
    """
    previous = load_descriptor(target)
    old_changelog = (target / "CHANGELOG.md").read_text("utf-8") if (target / "CHANGELOG.md").is_file() else ""
    write_descriptor(staged, descriptor)
    diff = diff_packages(target, staged) if previous else None
    if diff is not None and diff.bump == "none" and "version" in previous:
        created = previous.get("created") or created_timestamp()
        kept = ordered(descriptor | {"version": previous["version"], "created": created})
        write_docs(staged, kept)
        others = changed_files(staged, target)
        if not others:
            (staged / "CHANGELOG.md").write_text(old_changelog or CHANGELOG_HEADER, encoding="utf-8")
            return kept, {"bump": "none", "changed": False, "diff": diff}
        diff.docs_changes, diff.bump = others, "patch"
    version = bump_version(previous["version"], diff.bump) if diff and "version" in previous else FIRST_VERSION
    descriptor["version"], descriptor["created"] = version, created_timestamp()
    if diff is not None:
        diff.old_version, diff.new_version = previous.get("version"), version
    changelog = (old_changelog or CHANGELOG_HEADER).rstrip("\n") + "\n\n" + changelog_section(
        version, descriptor["created"], diff
    )
    (staged / "CHANGELOG.md").write_text(changelog, encoding="utf-8")
    descriptor = ordered(descriptor)
    write_docs(staged, descriptor)
    return descriptor, {"bump": diff.bump if diff else "initial", "changed": True, "diff": diff}
