"""Versions and the changelog: each build is compared with the last published package.

That is the committed package where git tracks the target folder (so that trying a document
and taking it out again leaves `git status` clean), else the package in place.

Nothing changed: same version, same `created`, no changelog entry, byte-identical files.
Something changed: the version is bumped by the Data Package recipe (see `diff`), `created`
is set (from SOURCE_DATE_EPOCH when given) and a section is appended to CHANGELOG.md.
"""
from __future__ import annotations

import datetime as dt
import filecmp
import json
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipeline import __version__
from pipeline.diff import (
    RULES,
    PackageDiff,
    bump_version,
    change_notes,
    changes_table,
    diff_packages,
    export_tree,
    reasons,
)
from pipeline.docs import write_readme
from pipeline.errors import PipelineError, PreviousReleaseError
from pipeline.html import write_index
from pipeline.publish import file_digest, resource_paths, write_descriptor, written_by_us

FIRST_VERSION = "1.0.0"
CHANGELOG_HEADER = (
    "# Changelog\n\nEvery release of this data package, with what changed and why the version "
    "moved as it did (Data Package version recipe: MAJOR breaks scripts, MINOR adds, PATCH corrects).\n"
)
EXAMPLES_IN_CHANGELOG = 3  # per resource
OWN_FILES = {"datapackage.json", "CHANGELOG.md"}
DESCRIPTOR_ORDER = ("$schema", "name", "title", "version", "created", "description")


@dataclass
class PreviousRelease:
    """The release a build continues from: its folder and descriptor, its changelog; none for
    a first release (`reset` says why the history starts again, with --force-initial)."""

    folder: Path | None = None
    descriptor: dict[str, Any] | None = None
    changelog: str = ""
    reset: str | None = None

    @property
    def version(self) -> str | None:
        return self.descriptor["version"] if self.descriptor else None


def version_tuple(version: Any) -> tuple[int, int, int] | None:
    """(MAJOR, MINOR, PATCH) of a version string, None if it is not one."""
    parts = version.split(".") if isinstance(version, str) else []
    if len(parts) != 3 or not all(p.isdigit() for p in parts):
        return None
    major, minor, patch = (int(p) for p in parts)
    return major, minor, patch


def previous_problem(folder: Path) -> tuple[dict[str, Any] | None, str | None]:
    """The folder's descriptor, or why it cannot be continued from."""
    path = folder / "datapackage.json"
    try:
        descriptor = json.loads(path.read_text("utf-8"))
    except FileNotFoundError:
        return None, "has no datapackage.json (deleted?)"
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        return None, f"its datapackage.json cannot be read ({getattr(error, 'strerror', None) or error})"
    if not isinstance(descriptor, dict) or not isinstance(descriptor.get("resources"), list):
        return None, "its datapackage.json is not a package descriptor (no resources)"
    if not written_by_us(descriptor):
        return None, "its datapackage.json does not say this pipeline wrote it"
    if "version" not in descriptor:
        return None, "its datapackage.json has no version"
    if version_tuple(descriptor["version"]) is None:
        return None, f"its version {descriptor['version']!r} is not MAJOR.MINOR.PATCH"
    marker = descriptor.get("pipeline", {})
    if "version" in marker:
        written_with = version_tuple(marker["version"])
        if written_with is None or written_with > version_tuple(__version__):
            return None, f"it was written by pipeline {marker['version']}, newer than this one ({__version__})"
    for resource in descriptor["resources"]:
        problem = data_file_problem(folder, resource)
        if problem:
            return None, problem
    return descriptor, None


def data_file_problem(folder: Path, resource: Any) -> str | None:
    """Why a data file does not match what the descriptor says of it, if it does not."""
    paths = resource_paths({"resources": [resource]})
    if not paths:
        return "its datapackage.json lists a resource without a path"
    path = folder / paths[0]
    if not path.is_file():
        return f"{paths[0]}, named by its datapackage.json, is missing"
    expected = resource.get("hash", "")
    if expected.startswith("sha256:") and file_digest(path)[1] != expected.removeprefix("sha256:"):
        return f"{paths[0]} is not the file its datapackage.json describes (changed since it was published)"
    return None


def previous_release(folder: Path, force_initial: bool = False) -> PreviousRelease:
    """The release in `folder` that a build continues from, checked: a descriptor this pipeline
    wrote (by this or an older version), with a version, whose data files are those it
    describes. An absent or empty folder is a first release. Anything else stops the build
    (PreviousReleaseError), unless `force_initial` starts the history again at 1.0.0."""
    if not folder.is_dir() or not any(folder.iterdir()):
        return PreviousRelease()
    descriptor, problem = previous_problem(folder)
    if problem is None:
        changelog = folder / "CHANGELOG.md"
        return PreviousRelease(folder, descriptor, changelog.read_text("utf-8") if changelog.is_file() else "")
    if force_initial:
        return PreviousRelease(reset=problem)
    if problem.startswith("it was written by pipeline"):
        remedy = (f"Update the pipeline to that version or later, or build again with --force-initial "
                  f"to start a new history at {FIRST_VERSION} (dropping what the newer version added).")
    else:
        remedy = (f"Restore the package (from git: git checkout -- {folder}; or from a backup), or "
                  f"build again with --force-initial to start a new history at {FIRST_VERSION} with "
                  "a new changelog.")
    raise PreviousReleaseError(f"{folder}: {problem}. Versions and the changelog continue from the "
                               f"previous release, so nothing was published. {remedy}")


def committed_path(folder: Path) -> tuple[Path, str] | None:
    """(repository top, the folder's path in it) where the folder's datapackage.json is
    committed at HEAD of the git repository the folder lies in; None otherwise (no git, not in
    a repository, not committed)."""
    if shutil.which("git") is None:
        return None
    resolved = folder.resolve()
    probe = next((p for p in (resolved, *resolved.parents) if p.is_dir()), None)

    def run(*args: str, cwd: Path) -> str | None:
        done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True)
        return done.stdout.strip() if done.returncode == 0 else None

    top = run("rev-parse", "--show-toplevel", cwd=probe) if probe else None
    if not top:
        return None
    relative = resolved.relative_to(Path(top).resolve()).as_posix()
    if run("cat-file", "-e", f"HEAD:{relative}/datapackage.json", cwd=Path(top)) is None:
        return None
    return Path(top), relative


@contextmanager
def baseline_release(target: Path, previous: PreviousRelease) -> Iterator[PreviousRelease]:
    """The release a build's version and changelog continue from: the package committed at
    `target` where git tracks it, else `previous` (the package in place). A new history
    (--force-initial) starts from nothing whatever git holds."""
    committed = None if previous.reset is not None else committed_path(target)
    if committed is None:
        yield previous
        return
    top, relative = committed
    with tempfile.TemporaryDirectory() as scratch:
        folder = export_tree("HEAD", relative, Path(scratch), cwd=top)
        descriptor, problem = previous_problem(folder)
        if problem is not None:  # a committed package this pipeline cannot continue: the one in place
            yield previous
            return
        changelog = folder / "CHANGELOG.md"
        yield PreviousRelease(folder, descriptor, changelog.read_text("utf-8") if changelog.is_file() else "")


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


def changelog_section(version: str, created: str, diff: PackageDiff | None, reset: str | None = None) -> str:
    lines = [f"## {version} — {created[:10]}", ""]
    if diff is None:
        lines += ["First release." + (f" A new history, started with --force-initial: the package it "
                                       f"replaced could not be continued from ({reset})." if reset else ""), ""]
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
        if name not in old or name not in new or not filecmp.cmp(old[name], new[name], shallow=False)
    )


def finish_descriptor(staged: Path, descriptor: dict[str, Any],
                      previous: PreviousRelease) -> tuple[dict[str, Any], dict]:
    """Decide version, `created` and changelog for the staged package; write its docs.

    Unchanged content keeps the previous version, `created`, pipeline marker and changelog, so
    the rebuilt package is byte-identical; changed content gets a bumped version, `created`
    from SOURCE_DATE_EPOCH (or now) and a changelog section.
    """
    before = previous.descriptor
    write_descriptor(staged, descriptor)
    diff = diff_packages(previous.folder, staged) if before else None
    if diff is not None and diff.bump == "none":
        created = before.get("created") or created_timestamp()
        kept = ordered(descriptor | {"version": before["version"], "created": created,
                                     "pipeline": before.get("pipeline", descriptor["pipeline"])})
        write_docs(staged, kept)
        others = changed_files(staged, previous.folder)
        if not others:
            diff.old_version = diff.new_version = before["version"]
            (staged / "CHANGELOG.md").write_text(previous.changelog or CHANGELOG_HEADER, encoding="utf-8")
            return kept, {"bump": "none", "changed": False, "diff": diff}
        diff.docs_changes, diff.bump = others, "patch"
    version = bump_version(before["version"], diff.bump) if diff else FIRST_VERSION
    descriptor["version"], descriptor["created"] = version, created_timestamp()
    if diff is not None:
        diff.old_version, diff.new_version = before["version"], version
    changelog = (previous.changelog or CHANGELOG_HEADER).rstrip("\n") + "\n\n" + changelog_section(
        version, descriptor["created"], diff, previous.reset
    )
    (staged / "CHANGELOG.md").write_text(changelog, encoding="utf-8")
    descriptor = ordered(descriptor)
    write_docs(staged, descriptor)
    return descriptor, {"bump": diff.bump if diff else "initial", "changed": True, "diff": diff}
