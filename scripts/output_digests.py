"""The sha256 of every file a fresh build publishes, for the corpora whose output must not change
when the code is made faster or leaner: the seeds, the perturbed 10× corpus made from them, and
(when `--corpus` is given) a folder of other documents such as `../shared/corpus`.

usage: python scripts/output_digests.py [--check | --write] [--corpus FOLDER] [--workers 2]

Each corpus is built with `SOURCE_DATE_EPOCH` fixed into a fresh folder; every file of the
package (data files, descriptor, README, CHANGELOG, page) is hashed. `--write` records the
digests in `scripts/data/output_digests.json`; `--check` (the default) compares and names every
file that differs, exiting 1 if any does. A change that is meant to change the output is
followed by `--write`, and the diff of that file shows which corpora and files it changed.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpora import make_corpus  # noqa: E402

DIGESTS = ROOT / "scripts" / "data" / "output_digests.json"
SOURCE_DATE_EPOCH = "1700000000"
PERTURBED_COPIES = 10


def package_digests(package: Path) -> dict[str, str]:
    """Relative path → sha256 of every file in the package folder."""
    return {
        path.relative_to(package).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(package.rglob("*"))
        if path.is_file()
    }


def build_digests(seeds: Path, scratch: Path, workers: int) -> dict[str, str]:
    out = scratch / "package"
    env = {**os.environ, "SOURCE_DATE_EPOCH": SOURCE_DATE_EPOCH}
    subprocess.run([sys.executable, "-m", "pipeline", "build", "--seeds", str(seeds), "--out", str(out),
                    "--workers", str(workers), "--no-progress"],
                   cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
    return package_digests(out)


def corpora(corpus: Path | None, scratch: Path) -> dict[str, Path]:
    """Name → seed folder of each corpus to hash."""
    perturbed = make_corpus(sorted((ROOT / "seeds").glob("*.txt")), scratch / "perturbed",
                            PERTURBED_COPIES, "perturbed")
    found = {"seeds": ROOT / "seeds", f"perturbed-{PERTURBED_COPIES}x": perturbed}
    if corpus is not None:
        found["corpus"] = corpus.resolve()
    return found


def differences(expected: dict[str, str], actual: dict[str, str]) -> list[str]:
    return [f"{name}: {'missing' if name not in actual else 'new' if name not in expected else 'differs'}"
            for name in sorted(expected.keys() | actual.keys()) if expected.get(name) != actual.get(name)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    action = parser.add_mutually_exclusive_group()
    action.add_argument("--check", action="store_true", help="compare with the recorded digests (default)")
    action.add_argument("--write", action="store_true", help="record the digests")
    parser.add_argument("--corpus", type=Path, help="also a folder of other documents (../shared/corpus)")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    recorded = json.loads(DIGESTS.read_text(encoding="utf-8")) if DIGESTS.exists() else {}
    failed = False
    with tempfile.TemporaryDirectory() as scratch:
        for name, seeds in corpora(args.corpus, Path(scratch)).items():
            digests = build_digests(seeds, Path(scratch) / name, args.workers)
            if args.write:
                recorded[name] = digests
                print(f"{name}: {len(digests)} files recorded")
                continue
            if name not in recorded:
                print(f"{name}: no digests recorded (run with --write)")
                failed = True
                continue
            changed = differences(recorded[name], digests)
            failed |= bool(changed)
            print(f"{name}: {len(digests)} files, " + ("all identical" if not changed else
                  f"{len(changed)} differ:\n  " + "\n  ".join(changed)))
    if args.write:
        DIGESTS.write_text(json.dumps(recorded, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
