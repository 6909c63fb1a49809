"""The screenshots in docs/ (shown by the project README) are of the committed package: taken by
`python scripts/screenshots.py`, which records the version and content hash they show."""
from __future__ import annotations

import json

from conftest import ROOT


def test_screenshots_show_the_committed_package():
    stamp = json.loads((ROOT / "docs" / "screenshots.json").read_text("utf-8"))
    descriptor = json.loads((ROOT / "datapackage" / "datapackage.json").read_text("utf-8"))
    stale = "the screenshots in docs/ are stale: run `python scripts/screenshots.py` and commit docs/"
    assert (stamp["version"], stamp["contentHash"]) == (descriptor["version"], descriptor["contentHash"]), stale
    for name in stamp["views"]:
        assert (ROOT / "docs" / name).stat().st_size > 10_000, name
