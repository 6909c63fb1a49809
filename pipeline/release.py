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

from pipeline.diff import PackageDiff, bump_version, diff_packages, load_descriptor
from pipeline.docs import write_docs
from pipeline.publish import write_descriptor

FIRST_VERSION = "1.0.0"
CHANGELOG_HEADER = (
    "# Changelog\n\nEvery release of this data package, with what changed and why the version "
    "moved as it did (Data Package version recipe: MAJOR breaks scripts, MINOR adds, PATCH corrects).\n"
)
DESCRIPTOR_ORDER = ("$schema", "name", "title", "version", "created", "description")


def created_timestamp() -> str:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    moment = dt.datetime.fromtimestamp(int(epoch), dt.UTC) if epoch else dt.datetime.now(dt.UTC)
    return moment.replace(microsecond=0).isoformat().replace("+00:00", "Z")


def ordered(descriptor: dict[str, Any]) -> dict[str, Any]:
    head = {k: descriptor[k] for k in DESCRIPTOR_ORDER if k in descriptor}
    return head | {k: v for k, v in descriptor.items() if k not in head}


def bump_reason(diff: PackageDiff) -> str:
    reasons = []
    for r in diff.resources:
        if r.bump == diff.bump:
            parts = r.schema_changes + [
                f"{n} rows {what}" for n, what in ((r.added, "added"), (r.removed, "removed"), (r.changed, "changed")) if n
            ]
            reasons.append(f"{r.name}: {', '.join(parts)}")
    if not reasons and diff.metadata_changed:
        reasons.append("package metadata changed")
    return "; ".join(reasons)


def changelog_section(version: str, created: str, diff: PackageDiff | None) -> str:
    lines = [f"## {version} — {created[:10]}", ""]
    if diff is None:
        lines += ["First release.", ""]
        return "\n".join(lines)
    lines += [f"**{diff.bump.upper()}**: {bump_reason(diff)}", ""]
    lines += ["| resource | added | removed | changed | changed columns |", "|---|---:|---:|---:|---|"]
    for r in diff.resources:
        columns = ", ".join(f"{c} ({n})" for c, n in sorted(r.changed_columns.items())) or "—"
        lines.append(f"| {r.name} | {r.added} | {r.removed} | {r.changed} | {columns} |")
    schema = [f"- {r.name}: {c}" for r in diff.resources for c in r.schema_changes]
    if schema:
        lines += ["", "Schema changes:", *schema]
    examples = [f"- {r.name}: {e}" for r in diff.resources for e in r.examples[:3]]
    if examples:
        lines += ["", "Examples:", *examples]
    lines.append("")
    return "\n".join(lines)


def finish_descriptor(staged: Path, descriptor: dict[str, Any], target: Path) -> tuple[dict[str, Any], dict]:
    """Decide version, `created` and changelog for the staged package; write its docs."""
    previous = load_descriptor(target)
    old_changelog = (target / "CHANGELOG.md").read_text("utf-8") if (target / "CHANGELOG.md").is_file() else ""
    write_descriptor(staged, descriptor)
    diff = diff_packages(target, staged) if previous else None
    if previous and diff.bump == "none" and "version" in previous:
        descriptor["version"], descriptor["created"] = previous["version"], previous["created"]
        changelog, info = old_changelog, {"bump": "none", "changed": False}
    else:
        version = bump_version(previous["version"], diff.bump) if previous and "version" in previous else FIRST_VERSION
        descriptor["version"], descriptor["created"] = version, created_timestamp()
        changelog = (old_changelog or CHANGELOG_HEADER).rstrip("\n") + "\n\n" + changelog_section(
            version, descriptor["created"], diff if previous else None
        )
        info = {"bump": diff.bump if diff else "initial", "changed": True, "diff": diff}
    (staged / "CHANGELOG.md").write_text(changelog, encoding="utf-8")
    descriptor = ordered(descriptor)
    write_docs(staged, descriptor)
    return descriptor, info
