"""The version baseline is the last published package: the committed datapackage/ where git
tracks the folder. Trying a document and taking it out again leaves no trace, and a dry run
shows what a build would do without writing anything."""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import seed_path

from pipeline.build import build
from pipeline.cli import main


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.org", "-c",
                           "commit.gpgsign=false", *args], cwd=repo, check=True, capture_output=True,
                          text=True).stdout


def snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    """Every file under `folder` (hidden ones too) with its bytes and modification time."""
    return {str(p.relative_to(folder)): (p.read_bytes(), p.stat().st_mtime_ns)
            for p in sorted(folder.rglob("*")) if p.is_file() and ".git" not in p.parts}


@pytest.fixture
def repo(tmp_path, monkeypatch) -> Path:
    """A repository holding seeds 002 and 004 and the package built from them, committed."""
    if shutil.which("git") is None:
        pytest.fail("git is not installed")
    repo = tmp_path / "repo"
    (repo / "seeds").mkdir(parents=True)
    for prefix in ("002", "004"):
        shutil.copy(seed_path(prefix), repo / "seeds")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    build(repo / "seeds", repo / "datapackage")
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "release 1.0.0")
    return repo


def test_adding_and_removing_a_document_leaves_git_status_clean(repo, monkeypatch):
    added = repo / "seeds" / seed_path("000").name
    shutil.copy(seed_path("000"), added)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700086400")
    tried = build(repo / "seeds", repo / "datapackage")
    assert (tried.version, tried.bump) == ("1.1.0", "minor")
    assert git(repo, "status", "--porcelain", "datapackage")  # the trial shows
    added.unlink()
    back = build(repo / "seeds", repo / "datapackage")
    # compared with the committed 1.0.0, not with the 1.1.0 on disk: the same version, no entry
    assert (back.version, back.bump, back.changed) == ("1.0.0", "none", False)
    assert git(repo, "status", "--porcelain", "--untracked-files=all") == ""
    assert "1.1.0" not in (repo / "datapackage" / "CHANGELOG.md").read_text("utf-8")


def test_a_change_is_bumped_from_the_committed_version(repo, monkeypatch):
    shutil.copy(seed_path("000"), repo / "seeds")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700086400")
    assert build(repo / "seeds", repo / "datapackage").version == "1.1.0"
    # built again with the trial still in place: still one step from the committed release
    (repo / "seeds" / seed_path("002").name).unlink()
    again = build(repo / "seeds", repo / "datapackage")
    assert (again.version, again.bump) == ("2.0.0", "major")
    changelog = (repo / "datapackage" / "CHANGELOG.md").read_text("utf-8")
    assert changelog.count("\n## ") == 2 and "## 2.0.0" in changelog and "## 1.1.0" not in changelog


@pytest.mark.parametrize("change", [False, True])
def test_dry_run_prints_the_diff_and_writes_nothing(repo, change):
    if change:
        shutil.copy(seed_path("000"), repo / "seeds")
    before = snapshot(repo)
    parent = snapshot(repo.parent)
    run = CliRunner().invoke(main, ["build", "--seeds", str(repo / "seeds"), "--out", str(repo / "datapackage"),
                                    "--dry-run", "--no-progress"])
    assert run.exit_code == 0, run.output
    assert "Dry run: nothing was written" in run.output
    expected = "bump: minor (1.0.0 → 1.1.0)" if change else "bump: none (1.0.0 → 1.0.0)"
    assert expected in run.output
    assert snapshot(repo) == before and snapshot(repo.parent) == parent  # no lock, no staging


def test_dry_run_into_a_new_folder_creates_nothing(tmp_path):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    shutil.copy(seed_path("004"), seeds)
    run = CliRunner().invoke(main, ["build", "--seeds", str(seeds), "--out", str(tmp_path / "new" / "pkg"),
                                    "--dry-run", "--no-progress"])
    assert run.exit_code == 0, run.output
    assert "a first release" in run.output and "version 1.0.0" in run.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["seeds"]
