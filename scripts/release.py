"""Write dist/<name>-<version>.zip (descriptor, CSV, Parquet, data dictionary, changelog) and
dist/<name>-<version>.zip.sha256. The zip is reproducible: fixed member order and timestamps."""
from __future__ import annotations

import hashlib
import json
import sys
import zipfile
from pathlib import Path

PACKAGE = Path("datapackage")
DIST = Path("dist")
# Zip entries need a timestamp; a fixed one keeps the archive byte-identical between runs.
FIXED_TIME = (1980, 1, 1, 0, 0, 0)


def members(package: Path) -> list[Path]:
    descriptor = json.loads((package / "datapackage.json").read_text("utf-8"))
    data = [package / r["path"] for r in descriptor["resources"]]
    docs = [package / n for n in ("datapackage.json", "README.md", "CHANGELOG.md", "index.html")]
    return [p for p in docs if p.is_file()] + data


def write_zip(package: Path, dist: Path) -> Path:
    descriptor = json.loads((package / "datapackage.json").read_text("utf-8"))
    dist.mkdir(exist_ok=True)
    target = dist / f"{descriptor['name']}-{descriptor['version']}.zip"
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path in members(package):
            info = zipfile.ZipInfo(path.name, FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, path.read_bytes())
    digest = hashlib.sha256(target.read_bytes()).hexdigest()
    target.with_name(target.name + ".sha256").write_text(f"{digest}  {target.name}\n", encoding="utf-8")
    return target


def main(argv: list[str]) -> int:
    package = Path(argv[0]) if argv else PACKAGE
    target = write_zip(package, DIST)
    print(f"wrote {target} and {target.name}.sha256")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
