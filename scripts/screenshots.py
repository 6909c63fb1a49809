"""Screenshots of the package's index.html for the project README: docs/overview.png,
docs/measure.png and docs/agency.png, taken in headless Chromium (Debian's `chromium`, driven by
Playwright; no browser is downloaded).

    python scripts/screenshots.py                      # rebuilds datapackage/ in a temporary copy
    python scripts/screenshots.py --package datapackage --out docs

The measure shown has mentions of the most kinds (amounts, targets, agencies; money and agencies
first) and the most of them, among those whose text still fits on a screen; the agency is the successor body that leads
the most measures, so its page shows the lineage ("formerly …").

`docs/screenshots.json` records the version and content hash of the package they show;
`tests/test_screenshots.py` fails when that is not the committed package any more.
"""
from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
STAMP = "screenshots.json"  # which package the screenshots show
MAX_TEXT = 500  # characters of a measure's text that fit on the screenshot with its tables


def read(package: Path, name: str) -> pd.DataFrame:
    return pd.read_csv(package / f"{name}.csv", keep_default_na=False, dtype=str)


def pick_measure(package: Path) -> str:
    measures = read(package, "measures")
    measures = measures[measures.text.str.len() <= MAX_TEXT]
    counts = {name: read(package, name).groupby("measure_id").size()
              for name in ("amounts", "targets", "measure_agencies")}
    score = pd.DataFrame({name: measures.measure_id.map(c).fillna(0) for name, c in counts.items()})
    ranked = measures.assign(kinds=(score > 0).sum(axis=1), money=score.amounts > 0,
                             named=score.measure_agencies > 0, marks=score.sum(axis=1))
    order = ["kinds", "money", "named", "marks", "measure_id"]
    return ranked.sort_values(order, ascending=[False] * 4 + [True]).measure_id.iloc[0]


def pick_agency(package: Path) -> str:
    agencies, links = read(package, "agencies"), read(package, "measure_agencies")
    successors = set(agencies.successor_id) - {""}
    leads = links[(links.role == "lead") & links.agency_id.isin(successors)]
    if leads.empty:
        leads = links[links.role == "lead"]
    counts = leads.groupby("agency_id").size().reset_index(name="n")
    return counts.sort_values(["n", "agency_id"], ascending=[False, True]).agency_id.iloc[0]


def take(package: Path, out: Path) -> list[Path]:
    from playwright.sync_api import sync_playwright

    url = (package / "index.html").resolve().as_uri()
    views = [
        ("overview.png", "", {"width": 1280, "height": 1500}),
        ("measure.png", f"#/measure/{pick_measure(package)}", {"width": 1280, "height": 1100}),
        ("agency.png", f"#/agency/{pick_agency(package)}", {"width": 1280, "height": 1000}),
    ]
    out.mkdir(parents=True, exist_ok=True)
    written = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for name, fragment, viewport in views:
            page = browser.new_page(viewport=viewport)
            errors: list[str] = []
            page.on("console", lambda m, errors=errors: errors.append(m.text) if m.type == "error" else None)
            page.goto(url + fragment)
            page.wait_for_selector("main section")
            if errors:
                raise SystemExit(f"{name}: console errors: {errors}")
            page.screenshot(path=str(out / name))
            page.close()
            written.append(out / name)
        browser.close()
    descriptor = json.loads((package / "datapackage.json").read_text("utf-8"))
    shown = {"version": descriptor["version"], "contentHash": descriptor["contentHash"],
             "views": {name: fragment for name, fragment, _ in views}}
    (out / STAMP).write_text(json.dumps(shown, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return [*written, out / STAMP]


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--package", type=Path, help="a built package (default: rebuild a copy of datapackage/ from --seeds)")
    parser.add_argument("--seeds", type=Path, default=ROOT / "seeds")
    parser.add_argument("--out", type=Path, default=ROOT / "docs")
    args = parser.parse_args(argv)
    if args.package:
        written = take(args.package, args.out)
    else:
        from pipeline.build import build

        with tempfile.TemporaryDirectory() as tmp:
            package = Path(tmp) / "datapackage"
            if (ROOT / "datapackage" / "datapackage.json").is_file():  # keep its version and dates
                shutil.copytree(ROOT / "datapackage", package)
            build(args.seeds, package)
            written = take(package, args.out)
    for path in written:
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
