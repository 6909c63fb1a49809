"""The per-file stages give the same package, byte for byte, however they are run:
in this process, in a pool of worker processes (`--workers 2`) or on a Dask cluster
(`--executor dask`, a local cluster of two worker processes, or one named by `--scheduler`)."""
from __future__ import annotations

import filecmp
import importlib.util
from pathlib import Path

import pytest
from conftest import ROOT, SEEDS

from pipeline.build import build

EPOCH = "1700000000"  # `created` and the changelog date come from it, so runs can be compared


def tree_files(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())


def assert_byte_identical(expected: Path, actual: Path) -> None:
    names = tree_files(expected)
    assert names and tree_files(actual) == names
    match, mismatch, errors = filecmp.cmpfiles(expected, actual, names, shallow=False)
    assert (mismatch, errors) == ([], [])
    assert len(match) == len(names)


@pytest.fixture(scope="module")
def epoch():
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SOURCE_DATE_EPOCH", EPOCH)
        yield


def run(target: Path, **how) -> tuple[Path, list[str]]:
    done: list[str] = []
    summary = build(SEEDS, target, on_done=lambda result: done.append(result.name), **how)
    assert summary.skipped == [] and sum(summary.rows.values()) > 0
    return target, done


@pytest.fixture(scope="module")
def serial(epoch, tmp_path_factory) -> Path:
    target, done = run(tmp_path_factory.mktemp("serial") / "datapackage", workers=1)
    assert sorted(done) == sorted(p.name for p in SEEDS.glob("*.txt"))
    return target


def test_two_worker_processes_write_the_same_bytes(serial, tmp_path):
    target, done = run(tmp_path / "datapackage", workers=2, executor="process")
    assert sorted(done) == sorted(p.name for p in SEEDS.glob("*.txt"))
    assert_byte_identical(serial, target)


def test_dask_local_cluster_writes_the_same_bytes(serial, tmp_path):
    pytest.importorskip("distributed", reason="the optional extra: pip install '.[dask]'")
    # No scheduler given: build() starts a local cluster of two worker processes and stops it.
    target, done = run(tmp_path / "datapackage", workers=2, executor="dask")
    assert sorted(done) == sorted(p.name for p in SEEDS.glob("*.txt"))
    assert_byte_identical(serial, target)


def test_dask_scheduler_address_writes_the_same_bytes(serial, tmp_path):
    """`--scheduler tcp://…`: what a real cluster gets, here a local one reached by address."""
    distributed = pytest.importorskip("distributed", reason="the optional extra: pip install '.[dask]'")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster:
        target, done = run(tmp_path / "datapackage", executor="dask", scheduler=cluster.scheduler_address)
        assert cluster.scheduler_address.startswith("tcp://")
    assert sorted(done) == sorted(p.name for p in SEEDS.glob("*.txt"))
    assert_byte_identical(serial, target)


def load_corpora():
    """scripts/corpora.py, which makes the benchmark's corpora."""
    spec = importlib.util.spec_from_file_location("corpora", ROOT / "scripts" / "corpora.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_dask_local_cluster_on_the_perturbed_10x_corpus(epoch, tmp_path, monkeypatch):
    """Fifty distinct documents (the benchmark's perturbed 10× corpus): the Dask cluster
    returns them in whatever order its workers finish; the package is still byte-identical.
    With one file in flight per worker beyond the one being written (FILES_AHEAD = 1), the
    pool and the cluster refill their window after every file and still hand results on in
    file order."""
    pytest.importorskip("distributed", reason="the optional extra: pip install '.[dask]'")
    import pipeline.build as build_module

    corpus = load_corpora().make_corpus(sorted(SEEDS.glob("*.txt")), tmp_path / "corpus", 10, "perturbed")
    names = sorted(p.name for p in corpus.glob("*.txt"))
    assert len(names) == 50
    serial = build(corpus, tmp_path / "serial", workers=1)
    monkeypatch.setattr(build_module, "FILES_AHEAD", 1)
    for executor in ("dask", "process"):
        done: list[str] = []
        parallel = build(corpus, tmp_path / executor, workers=2, executor=executor,
                         on_done=lambda result, done=done: done.append(result.name))
        assert done == names  # handed on in file order
        assert serial.skipped == parallel.skipped == []
        assert parallel.rows == serial.rows and serial.rows["documents"] > 100
        assert_byte_identical(tmp_path / "serial", tmp_path / executor)
