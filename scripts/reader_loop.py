"""Readers during rebuilds: does any read of the package mix two versions?

    python scripts/reader_loop.py [--rebuilds 50] [--readers 2] [--seeds seeds]

Builds alternate between two seed sets (the first seed file alone, then the first two) into one
package folder, so that every build publishes a new version of every table. Meanwhile reader
processes loop as a script using the package would: read `datapackage.json`, then open each
file it names and compare its sha256 with the descriptor's `hash`. A read is *mixed* if one of
its files belongs to another version, *missing* if one of them is gone.

The same loop through the root files (`amounts.csv`, what users open by name) is counted too:
those are replaced with the folder, so a reader that opens them one by one across a rebuild can
mix versions; the descriptor's paths are the consistent way in.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import multiprocessing
import shutil
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@dataclass
class Counts:
    reads: int = 0
    mixed: int = 0
    missing: int = 0

    def add(self, other: Counts) -> None:
        self.reads, self.mixed, self.missing = (self.reads + other.reads, self.mixed + other.mixed,
                                                self.missing + other.missing)


def read_once(package: Path, by_root_name: bool) -> str:
    """One read of the whole package: "ok", "mixed" or "missing"."""
    try:
        descriptor = json.loads((package / "datapackage.json").read_bytes())
    except FileNotFoundError:
        return "missing"
    for resource in descriptor["resources"]:
        path = Path(resource["path"])
        if by_root_name:
            path = Path(path.name.split(".")[0] + path.suffix)
        try:
            digest = hashlib.sha256((package / path).read_bytes()).hexdigest()
        except FileNotFoundError:
            return "missing"
        if f"sha256:{digest}" != resource["hash"]:
            return "mixed"
    return "ok"


def reader(package: str, by_root_name: bool, ready, stop, results) -> None:
    counts = Counts()
    ready.release()
    while not stop.is_set():
        outcome = read_once(Path(package), by_root_name)
        counts.reads += 1
        counts.mixed += outcome == "mixed"
        counts.missing += outcome == "missing"
    results.put((by_root_name, counts))


def measure(seeds: Path, rebuilds: int, readers: int, workdir: Path) -> dict[bool, Counts]:
    """Run the readers during `rebuilds` builds; their counts, by descriptor path (False) and
    by root file name (True)."""
    sys.path.insert(0, str(ROOT))  # this checkout's pipeline (the readers do not need it)
    from pipeline.build import build

    first = sorted(seeds.glob("*.txt"))[:2]
    sets = [workdir / "one", workdir / "two"]
    for folder, files in zip(sets, (first[:1], first)):
        folder.mkdir()
        for path in files:
            shutil.copyfile(path, folder / path.name)
    package = workdir / "datapackage"
    build(sets[0], package)
    context = multiprocessing.get_context("spawn")  # readers share nothing with the builds
    ready, stop, results = context.Semaphore(0), context.Event(), context.Queue()
    processes = [context.Process(target=reader, args=(str(package), k % 2 == 1, ready, stop, results))
                 for k in range(2 * readers)]
    for process in processes:
        process.start()
    try:
        for _ in processes:  # every reader reads before the first rebuild
            if not ready.acquire(timeout=60):
                raise RuntimeError("a reader did not start")
        for k in range(rebuilds):
            build(sets[(k + 1) % 2], package)
    finally:
        stop.set()
        for process in processes:
            process.join(timeout=60)
    if any(process.exitcode != 0 for process in processes):
        raise RuntimeError(f"a reader failed: exit statuses {[p.exitcode for p in processes]}")
    totals = {False: Counts(), True: Counts()}
    for _ in processes:
        by_root_name, counts = results.get(timeout=10)
        totals[by_root_name].add(counts)
    return totals


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rebuilds", type=int, default=50)
    parser.add_argument("--readers", type=int, default=2, help="readers of each kind")
    parser.add_argument("--seeds", type=Path, default=ROOT / "seeds")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as workdir:
        totals = measure(args.seeds, args.rebuilds, args.readers, Path(workdir))
    described, by_name = totals[False], totals[True]
    print(f"{args.rebuilds} rebuilds, {args.readers} reader(s) of each kind")
    print(f"through the descriptor's paths: {described.reads:,} reads, {described.mixed} mixed, "
          f"{described.missing} missing a file")
    print(f"through the root files by name: {by_name.reads:,} reads, {by_name.mixed} mixed, "
          f"{by_name.missing} missing a file")
    return 1 if described.mixed or described.missing else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
