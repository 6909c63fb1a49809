"""Write dist/<name>-<version>.zip (descriptor, CSV, Parquet, data dictionary, changelog, browsing
page and an Excel workbook of every table, `<name>.xlsx`) and dist/<name>-<version>.zip.sha256,
then validate the zip itself with frictionless.

    python scripts/release.py [PACKAGE] [--dist DIR] [--no-validate]

The zip is reproducible: fixed member order, timestamps and permissions, so the same package
always gives the same bytes and the same sha256. A zip that fails validation is not left behind.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
import tempfile
import zipfile
from pathlib import Path

from pipeline.workbook import write_workbook

PACKAGE = Path("datapackage")
DIST = Path("dist")
# Zip entries need a timestamp; a fixed one keeps the archive byte-identical between runs.
FIXED_TIME = (1980, 1, 1, 0, 0, 0)
DOCS = ("datapackage.json", "README.md", "CHANGELOG.md", "index.html")
REQUIRED = ("datapackage.json", "README.md", "CHANGELOG.md")


class ReleaseError(Exception):
    pass


def read_descriptor(package: Path) -> dict:
    path = package / "datapackage.json"
    if not path.is_file():
        raise ReleaseError(f"{path}: no such file (build the package first: python -m pipeline build)")
    return json.loads(path.read_text("utf-8"))


def members(package: Path) -> list[Path]:
    """Descriptor and documentation first, then every resource's file as users open it by name
    (`amounts.csv`), then as the descriptor names it (`data/amounts.<hash>.csv`)."""
    descriptor = read_descriptor(package)
    missing = [n for n in REQUIRED if not (package / n).is_file()]
    named = [package / r["path"] for r in descriptor["resources"]]
    by_name = [package / f"{p.name.split('.')[0]}{p.suffix}" for p in named]
    data = list(dict.fromkeys(by_name + named))
    missing += [str(p.relative_to(package)) for p in data if not p.is_file()]
    if missing:
        raise ReleaseError(f"{package}: missing {', '.join(missing)}")
    for copy, original in zip(by_name, named):
        if copy != original and copy.read_bytes() != original.read_bytes():
            raise ReleaseError(f"{package}: {copy.name} is not the file {original.relative_to(package)} "
                               "the descriptor names (edited by hand?): rebuild the package")
    return [package / n for n in DOCS if (package / n).is_file()] + data


def write_zip(package: Path, dist: Path) -> Path:
    descriptor = read_descriptor(package)
    files = members(package)  # checked before anything is written
    dist.mkdir(parents=True, exist_ok=True)
    target = dist / f"{descriptor['name']}-{descriptor['version']}.zip"
    partial = target.with_name(f".{target.name}.partial")
    with tempfile.TemporaryDirectory() as scratch:
        workbook = write_workbook(package, descriptor, Path(scratch) / f"{descriptor['name']}.xlsx")
        named = [(path.relative_to(package).as_posix(), path) for path in files]
        named.append((workbook.name, workbook))
        with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for name, path in named:
                info = zipfile.ZipInfo(name, FIXED_TIME)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = 0o644 << 16
                info.create_system = 3  # Unix, whatever the machine: the same bytes everywhere
                archive.writestr(info, path.read_bytes())
    os.replace(partial, target)
    digest = hashlib.sha256(target.read_bytes()).hexdigest()
    target.with_name(target.name + ".sha256").write_text(f"{digest}  {target.name}\n", encoding="utf-8")
    return target


def validate_zip(target: Path) -> list[str]:
    """frictionless on the zip itself: types, constraints, keys, foreign keys; [] if valid."""
    from frictionless import validate

    report = validate(str(target))
    return [] if report.valid else [
        f"{name}: {kind}: {message}" for name, kind, message in report.flatten(["taskName", "type", "message"])
    ]


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("package", nargs="?", type=Path, default=PACKAGE, help="package folder (default: datapackage)")
    parser.add_argument("--dist", type=Path, default=DIST, help="output folder (default: dist)")
    parser.add_argument("--no-validate", action="store_true", help="skip frictionless validation of the zip")
    args = parser.parse_args(argv)
    try:
        target = write_zip(args.package, args.dist)
    except ReleaseError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    if not args.no_validate:
        errors = validate_zip(target)
        if errors:
            target.unlink()
            target.with_name(target.name + ".sha256").unlink()
            print(f"error: {target} is not a valid data package; removed it:", file=sys.stderr)
            for line in errors[:20]:
                print(f"  {line}", file=sys.stderr)
            return 1
    digest = target.with_name(target.name + ".sha256").read_text("utf-8").split()[0]
    print(f"wrote {target} ({target.stat().st_size} bytes{'' if args.no_validate else ', valid'})")
    print(f"sha256 {digest}  ({target.name}.sha256)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
