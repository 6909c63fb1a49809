"""Where a build spends CPU and where its memory grows: for the work of issue 19.

usage: python scripts/profile_build.py CORPUS [--previous FOLDER] [--workers 2] [--top 25]
                                       [--no-cpu] [--no-memory]

CPU: the per-file stages (`process_file`: read, clean, segment, classify, validate) of every
file of CORPUS in this process under cProfile, after one untimed file (lazy imports); prints
the functions with the most time of their own and the pipeline functions with the most time
in all they call. cProfile roughly doubles the time; the shares are what to read.

Memory: one build of CORPUS in this process (`--workers` processes for the per-file stages)
into a fresh folder, its resident set sampled every 10 ms and labelled with the phase the
build is in: the per-file results (rows written as they arrive, keys collected), the agency
table, the foreign-key check, the comparison with the previous release and the browsing page.
With `--previous FOLDER` (a package of other rows, for example a build of the plain corpus of
the same size: `scripts/corpora.py` names the files alike), the build starts from a copy of it,
so the comparison reads both releases' rows, as a release after a change does.

Corpora: `python scripts/bench.py` leaves them in `bench/corpus-<kind>-<N>x/`.
"""
from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import shutil
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# Arrow's allocator as the command line chooses it, before pyarrow is loaded.
os.environ.setdefault("ARROW_DEFAULT_MEMORY_POOL", "jemalloc")

import psutil  # noqa: E402

import pipeline.build as build_module  # noqa: E402
import pipeline.release as release_module  # noqa: E402
import pipeline.validate as validate_module  # noqa: E402
from pipeline.imports import without_pandas  # noqa: E402


def profile_cpu(corpus: Path, top: int) -> None:
    paths = sorted(str(p) for p in corpus.rglob("*.txt"))
    build_module.process_file(paths[0], seeds_dir=str(corpus))
    profile = cProfile.Profile()
    started = time.process_time()
    profile.enable()
    for path in paths:
        build_module.process_file(path, seeds_dir=str(corpus))
    profile.disable()
    print(f"per-file stages of {len(paths)} files: {time.process_time() - started:.1f} CPU s under cProfile")
    stats = pstats.Stats(profile, stream=sys.stdout)
    stats.sort_stats("tottime").print_stats(top)
    stats.sort_stats("cumulative").print_stats(r"/pipeline/", top)


class Phases:
    """The build's resident set, sampled in a thread, its peak kept per phase."""

    def __init__(self) -> None:
        self.process = psutil.Process()
        self.phase = "per-file results (rows written as they arrive, keys collected)"
        self.peaks: dict[str, float] = {}
        self.order: list[str] = []
        self.running = True
        self.thread = threading.Thread(target=self.sample, daemon=True)

    def sample(self) -> None:
        while self.running:
            self.note(self.process.memory_info().rss / 2**20)
            time.sleep(0.01)

    def note(self, rss: float) -> None:
        if self.phase not in self.peaks:
            self.order.append(self.phase)
        self.peaks[self.phase] = max(self.peaks.get(self.phase, 0.0), rss)

    @contextmanager
    def during(self, label: str):
        self.phase = label
        self.note(self.process.memory_info().rss / 2**20)
        try:
            yield
        finally:
            self.note(self.process.memory_info().rss / 2**20)
            self.phase = f"after the {label} (writing, checking what is written, docs)"


def labelled(phases: Phases, owner, name: str, label: str) -> None:
    """Run owner.name under the label (the build looks these names up when it calls them)."""
    original = getattr(owner, name)

    def run(*args, **kwargs):
        with phases.during(label):
            return original(*args, **kwargs)

    setattr(owner, name, run)


def profile_memory(corpus: Path, workers: int, previous: Path | None) -> None:
    phases = Phases()
    labelled(phases, build_module.AgencyTable, "rows", "agency table")
    labelled(phases, validate_module.KeyIndex, "check", "foreign-key check")
    labelled(phases, release_module, "diff_packages", "comparison with the previous release")
    labelled(phases, release_module, "write_index", "browsing page")
    with tempfile.TemporaryDirectory(prefix="profile-build-") as tmp:
        target = Path(tmp) / "datapackage"
        if previous is not None:
            shutil.copytree(previous, target)
        phases.thread.start()
        with without_pandas():  # as the command line builds
            summary = build_module.build(corpus, target, workers=workers)
        phases.running = False
        phases.thread.join()
    rows = sum(summary.rows.values())
    print(f"\nbuild of {corpus} ({summary.input_bytes / 1e6:.1f} MB, {rows} rows, --workers {workers}"
          f"{', over ' + str(previous) if previous else ''}): peak resident set of this process by phase")
    for phase in phases.order:
        print(f"  {phases.peaks[phase]:7.0f} MB  {phase}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpus", type=Path)
    ap.add_argument("--previous", type=Path, default=None, help="a package to build over")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--top", type=int, default=25)
    ap.add_argument("--no-cpu", action="store_true")
    ap.add_argument("--no-memory", action="store_true")
    args = ap.parse_args(argv)
    if not args.no_cpu:
        profile_cpu(args.corpus.resolve(), args.top)
    if not args.no_memory:
        profile_memory(args.corpus.resolve(), args.workers,
                       args.previous.resolve() if args.previous else None)
    return 0


if __name__ == "__main__":
    sys.exit(main())
