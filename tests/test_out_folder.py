"""What `--out` may replace, and what a build may continue from.

`--out` is replaced only when it is absent, empty or a package this pipeline wrote; the seed
folder, a folder holding it or inside it, a file, another tool's package or a folder holding
someone's files are refused with exit 9 and a message saying why, and nothing is created or
changed anywhere. A symbolic link is followed. A previous package that cannot be continued
from (descriptor truncated, `{}`, deleted, without a version, from a newer pipeline, or data
files that are not the ones it describes) stops the build with exit 10 and a way forward,
never a silent new 1.0.0; `--force-initial` takes that way on purpose.

Every case runs the command line in a workspace of its own: a seed folder, a user's files and,
where the case needs one, a package built before; after the run every file of the workspace is
compared byte for byte with what it held before, and no process of the run may be left.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT
from leftovers import assert_no_process_left, marked_environment, snapshot

from pipeline import __version__
from pipeline.build import build
from pipeline.errors import EXIT_OUT_REFUSED, EXIT_PREVIOUS

NOTICE = """四川省人民政府办公厅
关于支持{what}产业发展的若干措施
川办发〔2024〕{number}号

各市（州）人民政府，省政府各部门：
一、加大财政支持
（一）设立专项资金。省级财政每年安排5亿元，支持重点项目建设。（责任单位：财政厅）
（二）奖励龙头企业。对营业收入首次突破100亿元的企业，给予最高不超过500万元奖励。（责任单位：经济和信息化厅）

四川省人民政府办公厅
2024年3月1日
"""
EPOCH = "1700000000"


def write_seeds(folder: Path, *whats: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for k, what in enumerate(whats):
        (folder / f"notice_{k}.txt").write_text(NOTICE.format(what=what, number=10 + k), encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def previous(tmp_path_factory) -> Path:
    """Version 1.0.0 of a package built from one notice."""
    root = tmp_path_factory.mktemp("previous")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", EPOCH)
        build(write_seeds(root / "seeds", "测试"), root / "datapackage")
    return root / "datapackage"


class Workspace:
    """A folder holding the seeds (two notices), a user's own files and anything a case adds;
    the command line runs in it."""

    def __init__(self, root: Path):
        self.root = root
        self.seeds = write_seeds(root / "seeds", "测试", "样例")
        (root / "thesis.docx").write_bytes(b"PK\x03\x04 a thesis")
        self.run: subprocess.CompletedProcess | None = None
        self.before: dict[str, bytes] = {}

    def package(self, previous: Path, name: str = "datapackage") -> Path:
        shutil.copytree(previous, self.root / name)
        return self.root / name

    def build(self, *args: str, out: str = "datapackage", seeds: str = "seeds") -> subprocess.CompletedProcess:
        """The CLI, in the workspace; the workspace is snapshotted just before."""
        self.before = snapshot(self.root)
        env, token = marked_environment(PYTHONPATH=str(ROOT), SOURCE_DATE_EPOCH=str(int(EPOCH) + 86400))
        self.run = subprocess.run(
            [sys.executable, "-m", "pipeline", "build", "--seeds", seeds, "--out", out, "--no-progress", *args],
            cwd=self.root, env=env, capture_output=True, text=True, timeout=300)
        assert "Traceback" not in self.run.stderr + self.run.stdout
        assert_no_process_left(token)
        return self.run

    def assert_refused(self, status: int) -> str:
        """Exit `status`, one message, and not a byte changed or added in the workspace."""
        assert self.run.returncode == status, (self.run.returncode, self.run.stdout, self.run.stderr)
        assert self.run.stdout == ""
        assert snapshot(self.root) == self.before
        message = self.run.stderr
        assert message.startswith("error: ") and message.count("\n") == 1, message
        return message.strip()


@pytest.fixture
def ws(tmp_path) -> Workspace:
    return Workspace(tmp_path / "work")


def descriptor(folder: Path) -> dict:
    return json.loads((folder / "datapackage.json").read_text("utf-8"))


# ---------------------------------------------------------------- folders that are not ours


def test_out_being_the_seed_folder_is_refused(ws):
    ws.build(out="seeds")
    assert ws.assert_refused(EXIT_OUT_REFUSED) == (
        "error: --out seeds: is the seed folder: the package needs a folder of its own, "
        "e.g. --out datapackage; nothing was changed")


def test_out_holding_the_seed_folder_is_refused(ws):
    ws.build(out=".")
    assert ws.assert_refused(EXIT_OUT_REFUSED) == (
        "error: --out .: holds the seed folder seeds: replacing it would delete the seed texts; "
        "choose a folder of its own, e.g. --out datapackage; nothing was changed")


def test_out_inside_the_seed_folder_is_refused(ws):
    ws.build(out="seeds/package")
    message = ws.assert_refused(EXIT_OUT_REFUSED)
    assert message.startswith("error: --out seeds/package: is inside the seed folder seeds")


def test_out_holding_a_users_files_is_refused(ws):
    (ws.root / "mine").mkdir()
    (ws.root / "mine" / "thesis.docx").write_bytes(b"PK\x03\x04 my thesis")
    (ws.root / "mine" / "sub").mkdir()
    (ws.root / "mine" / "sub" / "notes.txt").write_text("笔记", encoding="utf-8")
    ws.build(out="mine")
    assert ws.assert_refused(EXIT_OUT_REFUSED) == (
        "error: --out mine: holds files this pipeline did not write (sub/, thesis.docx); it replaces "
        "only an empty folder or a package it wrote: move them elsewhere or choose another folder; "
        "nothing was changed")


def test_a_package_of_ours_holding_a_users_file_is_refused(ws, previous):
    package = ws.package(previous)
    (package / "my analysis.R").write_text("read.csv('amounts.csv')\n", encoding="utf-8")
    (package / "data" / "extra.csv").write_text("a\n1\n", encoding="utf-8")
    ws.build()
    message = ws.assert_refused(EXIT_OUT_REFUSED)
    assert "(data/extra.csv, my analysis.R)" in message


def test_another_tools_data_package_is_refused(ws):
    other = ws.root / "theirs"
    other.mkdir()
    (other / "datapackage.json").write_text(json.dumps(
        {"name": "their-package", "resources": [{"name": "amounts", "path": "amounts.csv"}]}), encoding="utf-8")
    (other / "amounts.csv").write_text("a\n1\n", encoding="utf-8")
    ws.build(out="theirs")
    message = ws.assert_refused(EXIT_OUT_REFUSED)
    assert "holds a data package this pipeline did not write" in message


def test_out_being_a_file_is_refused(ws):
    ws.build(out="thesis.docx")
    assert "is a file, not a folder" in ws.assert_refused(EXIT_OUT_REFUSED)


def test_a_link_to_a_users_folder_is_refused_and_the_folder_kept(ws):
    (ws.root / "mine").mkdir()
    (ws.root / "mine" / "notes.txt").write_text("笔记", encoding="utf-8")
    (ws.root / "link").symlink_to("mine")
    ws.build(out="link")
    message = ws.assert_refused(EXIT_OUT_REFUSED)
    assert message.startswith(f"error: --out link (→ {ws.root.resolve() / 'mine'}): holds files this pipeline did not write")


# ---------------------------------------------------------------- folders that may be replaced


def test_an_empty_current_folder_is_a_valid_out(ws, tmp_path):
    """`--out .` in an empty folder publishes there, in that very folder: a shell whose current
    folder it is still sees the package."""
    here = tmp_path / "empty"
    here.mkdir()
    inode = here.stat().st_ino
    env, token = marked_environment(PYTHONPATH=str(ROOT))
    run = subprocess.run([sys.executable, "-m", "pipeline", "build", "--seeds", str(ws.seeds), "--out", ".",
                          "--no-progress"], cwd=here, env=env, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    assert_no_process_left(token)
    assert f"Package written to {here}/ — version 1.0.0" in run.stdout
    assert descriptor(here)["version"] == "1.0.0" and here.stat().st_ino == inode


def test_a_link_to_a_package_publishes_at_its_target_and_stays_a_link(ws, previous):
    ws.package(previous, "real")
    (ws.root / "datapackage").symlink_to("real")
    ws.build()
    assert ws.run.returncode == 0, ws.run.stderr
    target = ws.root.resolve() / "real"
    assert f"Package written to {target}/ (--out datapackage links there) — version 1.1.0, bump: minor" in ws.run.stdout
    assert os.readlink(ws.root / "datapackage") == "real"
    assert descriptor(target)["version"] == "1.1.0"
    after = snapshot(ws.root)
    # only the package changed, and the lock file beside it appeared; the seeds and the user's files did not
    changed = {k for k in after.keys() | ws.before.keys() if after.get(k) != ws.before.get(k)}
    assert all(k.startswith("real/") or k == ".real.lock" for k in changed), changed


def test_a_dangling_link_publishes_at_its_target(ws):
    (ws.root / "datapackage").symlink_to("published/pkg")
    ws.build()
    assert ws.run.returncode == 0, ws.run.stderr
    assert descriptor(ws.root / "published" / "pkg")["version"] == "1.0.0"
    assert (ws.root / "datapackage").is_symlink()


def test_a_package_written_before_the_pipeline_recorded_itself_is_continued(ws, previous):
    """The descriptors of earlier versions of this pipeline carry no `pipeline` marker and
    name their files at the root: such a package is ours, and its history goes on."""
    package = ws.package(previous)
    old = descriptor(package)
    del old["pipeline"]
    for resource in old["resources"]:
        resource["path"] = Path(resource["path"]).name.split(".")[0] + Path(resource["path"]).suffix
    (package / "datapackage.json").write_text(json.dumps(old, ensure_ascii=False, indent=2), encoding="utf-8")
    shutil.rmtree(package / "data")
    ws.build()
    assert ws.run.returncode == 0, ws.run.stderr
    new = descriptor(package)
    assert new["version"] == "1.1.0" and new["pipeline"] == {"name": "policy-pipeline", "version": __version__}
    assert (package / "CHANGELOG.md").read_text("utf-8").count("\n## ") == 2


# ---------------------------------------------------------------- previous releases that cannot be continued


def truncate(package: Path) -> None:
    """Cut off inside a string, as a write stopped half-way leaves it."""
    path = package / "datapackage.json"
    data = path.read_bytes()
    path.write_bytes(data[: data.index(b'"description": "') + 30])


def empty_object(package: Path) -> None:
    (package / "datapackage.json").write_text("{}", encoding="utf-8")


def delete(package: Path) -> None:
    (package / "datapackage.json").unlink()


def rewrite(package: Path, change) -> None:
    meta = descriptor(package)
    change(meta)
    (package / "datapackage.json").write_text(json.dumps(meta, ensure_ascii=False, indent=2), encoding="utf-8")


def without_version(package: Path) -> None:
    rewrite(package, lambda meta: meta.pop("version"))


def damage_data(package: Path) -> None:
    """The file the descriptor names for amounts: a diff against it would count wrong rows."""
    path = next(r["path"] for r in descriptor(package)["resources"] if r["name"] == "amounts")
    with (package / path).open("a", encoding="utf-8") as fh:
        fh.write("x\n")


BROKEN = {
    truncate: "its datapackage.json cannot be read (Unterminated string",
    empty_object: "its datapackage.json is not a package descriptor (no resources)",
    delete: "has no datapackage.json (deleted?)",
    without_version: "its datapackage.json has no version",
    damage_data: "is not the file its datapackage.json describes (changed since it was published)",
}


@pytest.mark.parametrize("damage", list(BROKEN), ids=lambda f: f.__name__)
def test_a_previous_package_that_cannot_be_continued_stops_the_build(ws, previous, damage):
    damage(ws.package(previous))
    ws.build()
    message = ws.assert_refused(EXIT_PREVIOUS)
    assert message.startswith(f"error: {ws.root.resolve() / 'datapackage'}: ")
    assert BROKEN[damage] in message
    assert "nothing was published" in message
    assert "git checkout -- " in message and "--force-initial" in message


def test_a_package_from_a_newer_pipeline_is_not_overwritten(ws, previous):
    def newer(meta):
        meta["pipeline"]["version"] = "99.0.0"
        meta["futureField"] = {"kept": True}
        meta["resources"].append({"name": "future", "path": "future.csv", "format": "csv"})

    package = ws.package(previous)
    (package / "future.csv").write_text("a\n1\n", encoding="utf-8")
    rewrite(package, newer)
    ws.build()
    message = ws.assert_refused(EXIT_PREVIOUS)
    assert f"it was written by pipeline 99.0.0, newer than this one ({__version__})" in message
    assert "Update the pipeline to that version or later, or build again with --force-initial" in message


@pytest.mark.parametrize("damage", [truncate, empty_object, delete, without_version], ids=lambda f: f.__name__)
def test_force_initial_starts_a_new_history(ws, previous, damage):
    package = ws.package(previous)
    damage(package)
    ws.build("--force-initial")
    assert ws.run.returncode == 0, ws.run.stderr
    assert "version 1.0.0, bump: initial" in ws.run.stdout
    changelog = (package / "CHANGELOG.md").read_text("utf-8")
    assert changelog.count("\n## ") == 1 and "\n## 1.0.0 — " in changelog
    assert "A new history, started with --force-initial" in changelog
    assert BROKEN[damage].split(" (")[0] in changelog


def test_force_initial_still_refuses_a_folder_of_someone_elses_files(ws):
    (ws.root / "mine").mkdir()
    (ws.root / "mine" / "notes.txt").write_text("笔记", encoding="utf-8")
    ws.build("--force-initial", out="mine")
    ws.assert_refused(EXIT_OUT_REFUSED)
