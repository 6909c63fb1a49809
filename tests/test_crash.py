"""Killed, interrupted and concurrent builds: the previous package stays complete,
byte-identical and valid; the next build succeeds and cleans up; a second build at the same
time is refused (exit 5). SIGINT and SIGTERM stop the build and every worker (exit 130, 143);
readers during rebuilds never see two versions at once."""
from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import ROOT
from leftovers import assert_no_process_left, marked_environment, processes_with

from pipeline.build import build
from pipeline.errors import EXIT_LOCKED
from pipeline.schema import resource_names

NOTICE = """四川省人民政府办公厅
关于支持{what}产业高质量发展的若干措施
川办发〔2024〕{number}号

各市（州）人民政府，省政府各部门：
一、加大财政支持
（一）设立专项资金。省级财政每年安排5亿元，支持重点项目建设。（责任单位：财政厅、经济和信息化厅）
（二）奖励龙头企业。对营业收入首次突破100亿元的企业，给予最高不超过500万元奖励。（责任单位：经济和信息化厅）
二、发展目标
到2025年，{what}产业营业收入达到1000亿元，研发投入强度达到2.5%。（责任单位：经济和信息化厅，省发展改革委配合）

四川省人民政府办公厅
2024年3月1日
"""
DATA_FILES = [f"{name}.{fmt}" for name in resource_names() for fmt in ("csv", "parquet")]
STAGING = ".datapackage.staging-*"

# Runs a build and SIGKILLs it at a chosen moment: argv = moment, seeds, out.
KILLER = """
import os, signal, sys
from pathlib import Path
import pipeline.build as build
import pipeline.publish as publish
import pipeline.release as release

moment = sys.argv[1]


def die(*args, **kwargs):
    os.kill(os.getpid(), signal.SIGKILL)


if moment == "processing":        # holding the lock, nothing written yet
    build.classify_file = die
elif moment == "writing":         # the staging folder half written
    real_write, calls = publish.PackageWriter.write_group, []

    def write_group(*args, **kwargs):
        calls.append(1)
        if len(calls) == 3:
            die()
        return real_write(*args, **kwargs)

    publish.PackageWriter.write_group = write_group
elif moment == "describing":      # data written, no descriptor yet
    release.finish_descriptor = die
elif moment == "swapped":         # the new package in place, the old one not yet removed
    real_exchange = publish.exchange

    def exchange(a, b):
        real_exchange(a, b)
        die()

    publish.exchange = exchange
elif moment == "renamed":         # no atomic exchange: old package moved away, new not yet in
    import pathlib

    publish.exchange = lambda a, b: False
    real_rename = pathlib.Path.rename

    def rename(self, target):
        moved = real_rename(self, target)
        if str(target).endswith(".previous"):
            die()
        return moved

    pathlib.Path.rename = rename
build.build(Path(sys.argv[2]), Path(sys.argv[3]), before_swap=die if moment == "before-swap" else None)
"""

# Holds the lock inside publish until told to go on: argv = seeds, out, ready file, go file.
HOLDER = """
import sys, time
from pathlib import Path
from pipeline.build import build

ready, go = Path(sys.argv[3]), Path(sys.argv[4])


def hold(staged):
    ready.touch()
    deadline = time.monotonic() + 60
    while not go.exists() and time.monotonic() < deadline:
        time.sleep(0.01)


build(Path(sys.argv[1]), Path(sys.argv[2]), before_swap=hold)
"""


def cli_args(seeds: Path, out: Path) -> list[str]:
    return [sys.executable, "-m", "pipeline", "build", "--seeds", str(seeds), "--out", str(out), "--no-progress"]


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def data_of(folder: Path) -> dict[str, bytes]:
    return {name: (folder / name).read_bytes() for name in DATA_FILES}


def assert_valid(folder: Path) -> None:
    from frictionless import Package

    report = Package(str(folder / "datapackage.json")).validate()
    assert report.valid, report.flatten(["type", "message"])[:5]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """Seeds of the previous package (one notice) and of the next build (two), and both packages."""
    root = tmp_path_factory.mktemp("corpus")
    old_seeds, new_seeds = root / "old-seeds", root / "new-seeds"
    for folder, count in ((old_seeds, 1), (new_seeds, 2)):
        folder.mkdir()
        for k, what in enumerate(["测试", "样例"][:count]):
            (folder / f"notice_{k}.txt").write_text(NOTICE.format(what=what, number=12 + k), encoding="utf-8")
    build(old_seeds, root / "previous" / "datapackage")
    assert_valid(root / "previous" / "datapackage")
    build(new_seeds, root / "expected" / "datapackage")
    assert_valid(root / "expected" / "datapackage")
    return {"old": old_seeds, "new": new_seeds, "previous": root / "previous" / "datapackage",
            "expected": root / "expected" / "datapackage"}


@pytest.fixture
def out(tmp_path, corpus) -> Path:
    """A copy of the previous package, where the build under test writes."""
    target = tmp_path / "datapackage"
    subprocess.run(["cp", "-a", str(corpus["previous"]), str(target)], check=True)
    return target


def assert_previous_intact(out: Path, corpus) -> None:
    assert snapshot(out) == snapshot(corpus["previous"])  # byte-identical, so still valid


def resources_of(folder: Path) -> list[dict]:
    return json.loads((folder / "datapackage.json").read_text("utf-8"))["resources"]


def assert_new_package(out: Path, corpus) -> None:
    """The new package, whole: the data and their description (hashes, schemas) are those of
    the package the same seeds give, which frictionless found valid."""
    assert data_of(out) == data_of(corpus["expected"])
    assert resources_of(out) == resources_of(corpus["expected"])


def assert_next_build_recovers(out: Path, corpus) -> None:
    """The next build takes the lock, clears what the killed one left, and publishes."""
    build(corpus["new"], out)
    assert not list(out.parent.glob(STAGING)) and not (out.parent / ".datapackage.previous").exists()
    assert_new_package(out, corpus)


# ---------------------------------------------------------------- crashes


def test_a_crash_injected_during_publish_leaves_the_previous_package(out, corpus):
    def crash(staged: Path) -> None:
        assert (staged / "datapackage.json").is_file()  # the new package was complete, aside
        raise OSError("disk full (injected)")

    with pytest.raises(OSError, match="injected"):
        build(corpus["new"], out, before_swap=crash)
    assert_previous_intact(out, corpus)
    assert not list(out.parent.glob(STAGING))
    assert_next_build_recovers(out, corpus)


@pytest.mark.parametrize("moment", ["processing", "writing", "describing", "before-swap", "swapped"])
def test_kill_9_at_each_moment_of_a_build(out, corpus, moment):
    run = subprocess.run([sys.executable, "-c", KILLER, moment, str(corpus["new"]), str(out)],
                         cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert run.returncode == -signal.SIGKILL, run.stderr
    if moment == "swapped":  # killed after the swap: the new package is there, whole
        assert_new_package(out, corpus)
        assert_valid(out)
    else:
        assert_previous_intact(out, corpus)
    if moment in ("writing", "describing", "before-swap"):
        assert list(out.parent.glob(STAGING))  # the killed build's leftovers, for the next one
    assert_next_build_recovers(out, corpus)


@pytest.mark.parametrize("delay", [0.0, 0.1])
def test_kill_9_of_a_cli_build_once_its_staging_folder_appears(out, corpus, delay):
    process = subprocess.Popen(cli_args(corpus["new"], out), cwd=ROOT,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while not list(out.parent.glob(STAGING)):
        assert process.poll() is None, "the build ended before its staging folder was seen"
        assert time.monotonic() < deadline
        time.sleep(0.001)
    time.sleep(delay)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=60)
    if process.returncode == -signal.SIGKILL and (out / "datapackage.json").read_bytes() == (
        corpus["previous"] / "datapackage.json"
    ).read_bytes():
        assert_previous_intact(out, corpus)
    else:  # it got as far as the swap: then the new package is in place, whole
        assert_new_package(out, corpus)
    assert_next_build_recovers(out, corpus)


def test_a_crash_between_the_renames_of_the_fallback_swap_leaves_the_previous_package(out, corpus, monkeypatch):
    import pathlib

    import pipeline.publish

    real_rename = pathlib.Path.rename

    def rename(self, target):
        moved = real_rename(self, target)
        if str(target).endswith(".previous"):
            raise KeyboardInterrupt("injected between the two renames")
        return moved

    monkeypatch.setattr(pipeline.publish, "exchange", lambda a, b: False)
    monkeypatch.setattr(pathlib.Path, "rename", rename)
    with pytest.raises(KeyboardInterrupt):
        build(corpus["new"], out)
    monkeypatch.undo()
    assert_previous_intact(out, corpus)


def test_the_next_build_restores_a_package_moved_away_by_a_killed_fallback_swap(out, corpus):
    run = subprocess.run([sys.executable, "-c", KILLER, "renamed", str(corpus["new"]), str(out)],
                         cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert run.returncode == -signal.SIGKILL, run.stderr
    assert snapshot(out.parent / ".datapackage.previous") == snapshot(corpus["previous"])
    assert_next_build_recovers(out, corpus)


# ---------------------------------------------------------------- two builds at once


def test_a_second_build_while_one_runs_is_refused_with_exit_5(tmp_path, out, corpus):
    ready, go = tmp_path / "ready", tmp_path / "go"
    first = subprocess.Popen([sys.executable, "-c", HOLDER, str(corpus["new"]), str(out), str(ready), str(go)],
                             cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60
        while not ready.exists():
            assert first.poll() is None, first.stderr.read()
            assert time.monotonic() < deadline
            time.sleep(0.01)
        second = subprocess.run(cli_args(corpus["old"], out), cwd=ROOT, capture_output=True, text=True, timeout=120)
        assert second.returncode == EXIT_LOCKED
        assert "Traceback" not in second.stderr
        assert second.stderr.strip() == (
            f"error: {out}: another build is running (pid {first.pid}); try again when it ends"
        )
        assert_previous_intact(out, corpus)  # the second build touched nothing
    finally:
        go.touch()
        first.wait(timeout=60)
    assert first.returncode == 0
    assert_new_package(out, corpus)
    assert not list(out.parent.glob(STAGING))


def test_two_builds_started_at_once_leave_one_valid_package(out, corpus):
    processes = [subprocess.Popen(cli_args(corpus["new"], out), cwd=ROOT, stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, text=True) for _ in range(2)]
    results = [(p.wait(timeout=120), p.stderr.read()) for p in processes]
    for process in processes:
        process.stdout.close()
        process.stderr.close()
    statuses = sorted(status for status, _ in results)
    # Usually one waits on the other's lock; if one finished before the other began, both succeed.
    assert statuses in ([0, EXIT_LOCKED], [0, 0]), results
    for status, stderr in results:
        assert "Traceback" not in stderr
        if status == EXIT_LOCKED:  # "(pid N)", or "(another process)" if it has not written its pid yet
            assert f"error: {out}: another build is running (" in stderr and "try again when it ends" in stderr
    assert_new_package(out, corpus)
    assert not list(out.parent.glob(STAGING))
    assert_valid(out)
    assert sorted(os.listdir(out.parent)) == [".datapackage.lock", "datapackage"]


# ---------------------------------------------------------------- signals

# The CLI, with the classify stage held until the test has sent its signal: a worker (or the
# main process, without --workers) writes `ready` once it is inside, then sleeps. With workers,
# the main process does the first file itself before it starts them: that one goes through.
HELD_CLI = """
import multiprocessing, os, sys, time
from pathlib import Path
import pipeline.build as build

ready = Path(os.environ["HELD_READY"])
classify_file = build.classify_file


def held(*args, **kwargs):
    if "--workers" in sys.argv and multiprocessing.parent_process() is None:
        return classify_file(*args, **kwargs)
    ready.touch()
    time.sleep(120)


build.classify_file = held
from pipeline.cli import main
main(prog_name="pipeline")
"""

# The CLI, sending itself a signal between the atomic exchange and its return.
SIGNAL_AT_SWAP = """
import os, signal, sys
import pipeline.publish as publish

real_exchange = publish.exchange


def exchange(a, b):
    os.kill(os.getpid(), getattr(signal, os.environ["SIGNAL_AT_SWAP"]))
    return real_exchange(a, b)


publish.exchange = exchange
from pipeline.cli import main
main(prog_name="pipeline")
"""


def start_held(tmp_path: Path, seeds: Path, out: Path, *options: str) -> tuple[subprocess.Popen, str]:
    ready = tmp_path / "ready"
    env, token = marked_environment(HELD_READY=str(ready), PYTHONPATH=str(ROOT))
    process = subprocess.Popen([sys.executable, "-c", HELD_CLI, *cli_args(seeds, out)[3:], *options],
                               cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while not ready.exists():
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline
        time.sleep(0.01)
    return process, token


@pytest.mark.parametrize(("signum", "options"), [
    (signal.SIGTERM, ["--workers", "2"]),
    (signal.SIGINT, ["--workers", "2"]),
    (signal.SIGTERM, []),
    (signal.SIGINT, []),
])
def test_a_signal_stops_the_build_and_its_workers_and_keeps_the_previous_package(
        tmp_path, out, corpus, signum, options):
    seeds_before = snapshot(corpus["new"])
    process, token = start_held(tmp_path, corpus["new"], out, *options)
    workers = processes_with(token)
    assert len(workers) == (3 if options else 1)  # the build and its two workers
    process.send_signal(signum)
    stdout, stderr = process.communicate(timeout=60)
    assert process.returncode == 128 + signum
    assert stdout == "" and "Aborted" not in stderr and "Traceback" not in stderr
    assert stderr == f"error: stopped by {signal.Signals(signum).name} before publishing: {out} is as it was\n"
    assert_no_process_left(token)
    assert_previous_intact(out, corpus)
    assert snapshot(corpus["new"]) == seeds_before
    assert not list(out.parent.glob(STAGING))
    assert_next_build_recovers(out, corpus)  # the lock was released


def test_a_second_signal_does_not_cut_the_cleanup_short(tmp_path, out, corpus):
    process, token = start_held(tmp_path, corpus["new"], out, "--workers", "2")
    for _ in range(3):
        process.send_signal(signal.SIGINT)
    process.send_signal(signal.SIGTERM)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 130, stderr
    assert stderr == f"error: stopped by SIGINT before publishing: {out} is as it was\n"
    assert_no_process_left(token)
    assert_previous_intact(out, corpus)
    assert not list(out.parent.glob(STAGING))


def test_sigterm_stops_a_dask_cluster_and_its_workers(tmp_path, out, corpus):
    pytest.importorskip("distributed", reason="the optional extra: pip install '.[dask]'")
    seeds = tmp_path / "many"
    seeds.mkdir()
    for k in range(40):  # several seconds of work for two workers
        for path in sorted(ROOT.joinpath("seeds").glob("*.txt"))[:3]:
            (seeds / f"{path.stem}_{k:02d}.txt").write_bytes(path.read_bytes())
    env, token = marked_environment(PYTHONPATH=str(ROOT))
    process = subprocess.Popen([*cli_args(seeds, out), "--executor", "dask", "--workers", "2"], cwd=ROOT,
                               env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    # the build, and at least a worker of the cluster; its staging folder once files arrive
    while len(processes_with(token)) < 3 or not list(out.parent.glob(STAGING)):
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline
        time.sleep(0.02)
    process.send_signal(signal.SIGTERM)
    stdout, stderr = process.communicate(timeout=120)
    assert process.returncode == 143, stderr
    assert stderr.endswith(f"error: stopped by SIGTERM before publishing: {out} is as it was\n")
    assert "Traceback" not in stderr
    assert_no_process_left(token, grace=30)
    assert_previous_intact(out, corpus)
    assert not list(out.parent.glob(STAGING))


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_a_signal_during_the_swap_is_acted_on_once_the_new_package_is_in_place(out, corpus, signum):
    name = signal.Signals(signum).name
    env, token = marked_environment(SIGNAL_AT_SWAP=name, PYTHONPATH=str(ROOT))
    run = subprocess.run([sys.executable, "-c", SIGNAL_AT_SWAP, *cli_args(corpus["new"], out)[3:]],
                         cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert run.returncode == 128 + signum
    assert run.stderr == f"error: stopped by {name} once the new package was in place in {out}\n"
    assert_no_process_left(token)
    assert_new_package(out, corpus)
    assert_valid(out)
    assert not list(out.parent.glob(STAGING))


def test_a_signal_whose_exception_was_swallowed_still_stops_the_build(out, corpus):
    """Library code with a bare `except:` may swallow the first `Interrupted`: the build then
    raises it again where it next waits, instead of ignoring every later signal."""
    from pipeline.errors import Interrupted
    from pipeline.signals import stop_on_signals

    swallowed = []

    def on_done(result) -> None:
        try:
            os.kill(os.getpid(), signal.SIGTERM)
            time.sleep(1)
        except BaseException as error:  # what such a library does
            swallowed.append(error)

    with stop_on_signals(), pytest.raises(Interrupted) as stopped:
        build(corpus["new"], out, on_done=on_done)
    assert [type(e) for e in swallowed] == [Interrupted] and stopped.value.signum == signal.SIGTERM
    assert not stopped.value.published
    assert_previous_intact(out, corpus)
    assert not list(out.parent.glob(STAGING))


def test_kill_9_of_a_build_takes_its_workers_with_it(tmp_path, out, corpus):
    process, token = start_held(tmp_path, corpus["new"], out, "--workers", "2")
    process.send_signal(signal.SIGKILL)
    process.communicate(timeout=60)
    assert_no_process_left(token)  # the kernel ends them (PR_SET_PDEATHSIG)
    assert_previous_intact(out, corpus)
    assert_next_build_recovers(out, corpus)


def test_a_reader_that_went_away_ends_the_build_output_with_141(out, corpus):
    """`pipeline build | head -1`: the package is published; the rest of the summary, which
    nobody reads any more, is dropped without a traceback."""
    read_end, write_end = os.pipe()
    os.close(read_end)
    env, token = marked_environment(PYTHONPATH=str(ROOT))
    try:
        run = subprocess.run(cli_args(corpus["new"], out), cwd=ROOT, env=env, stdout=write_end,
                             stderr=subprocess.PIPE, text=True, timeout=120)
    finally:
        os.close(write_end)
    assert run.returncode == 141 and run.stderr == ""
    assert_no_process_left(token)
    assert_new_package(out, corpus)


def test_ctrl_c_outside_a_build_exits_130_without_click_aborting(monkeypatch, out):
    from click.testing import CliRunner

    import pipeline.diff
    from pipeline.cli import main

    def interrupted(old, new):
        raise KeyboardInterrupt

    monkeypatch.setattr(pipeline.diff, "diff_specs", interrupted)
    result = CliRunner().invoke(main, ["diff", str(out), str(out)])
    assert result.exit_code == 130
    assert "Aborted" not in result.output and result.output.endswith("error: interrupted (SIGINT)\n")


# ---------------------------------------------------------------- readers during rebuilds


def test_a_reader_holding_the_previous_descriptor_finds_every_file_it_names(out, corpus):
    """The descriptor names each data file by its content; the files of the release being
    replaced stay in data/ for such a reader until the next build."""
    held = json.loads((out / "datapackage.json").read_bytes())
    build(corpus["new"], out)
    assert json.loads((out / "datapackage.json").read_bytes())["version"] != held["version"]
    for resource in held["resources"]:
        digest = hashlib.sha256((out / resource["path"]).read_bytes()).hexdigest()
        assert resource["hash"] == f"sha256:{digest}"
    lines = (out / "data" / ".gitignore").read_text("utf-8").splitlines()
    assert lines[0].startswith("# Files of the previous release")
    assert ".gitignore" in lines  # the list leaves itself out of git too
    kept = [line for line in lines if not line.startswith("#") and line != ".gitignore"]
    assert sorted(kept) == sorted({Path(r["path"]).name for r in held["resources"]}
                                  - {Path(r["path"]).name for r in resources_of(out)})
    # a second build drops them: they belonged to a descriptor two releases back
    build(corpus["old"], out)
    named = {Path(r["path"]).name for r in resources_of(out)}
    assert not set(kept) & named - {p.name for p in (out / "data").iterdir()}
    assert all((out / "data" / name).is_file() for name in named)


def test_an_unchanged_rebuild_leaves_the_package_folder_as_it_is(out, corpus):
    inode, before = out.stat().st_ino, snapshot(out)
    build(corpus["old"], out)
    assert out.stat().st_ino == inode and snapshot(out) == before


def test_readers_during_rebuilds_never_see_a_mixed_package(tmp_path, monkeypatch):
    """scripts/reader_loop.py, shortened: readers loop over the descriptor and the files it
    names while the package is rebuilt; none may see two versions or miss a file."""
    monkeypatch.syspath_prepend(str(ROOT / "scripts"))  # the readers, spawned, import it too
    import reader_loop

    totals = reader_loop.measure(ROOT / "seeds", rebuilds=4, readers=1, workdir=tmp_path)
    described = totals[False]
    assert described.reads > 0
    assert (described.mixed, described.missing) == (0, 0)
