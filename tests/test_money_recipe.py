"""The data dictionary's recipe for the money a document promises runs on the package and prints
the sums a reader would compute by hand from its rules."""
from __future__ import annotations

import csv
import os
import re
import subprocess
import sys
from collections import defaultdict

RECIPE = "## Recipe: the money a document promises"


def recipe_code(readme: str) -> str:
    section = readme[readme.index(RECIPE) :]
    return re.search(r"```python\n(.*?)```", section, re.S).group(1)


def rows(package, name: str) -> list[dict]:
    with (package / f"{name}.csv").open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_the_recipe_prints_what_each_document_sets_aside(package):
    readme = (package / "README.md").read_text("utf-8")
    assert RECIPE in readme
    for column in ("role", "currency", "min_cny", "credit", "per", "paired_with", "period"):
        assert f"`{column}`" in readme[readme.index(RECIPE) :].split("```")[0], column
    shown = subprocess.run([sys.executable, "-c", recipe_code(readme)], cwd=package, capture_output=True,
                           text=True, env={**os.environ, "LANG": "C.UTF-8"}, timeout=120)
    assert shown.returncode == 0, shown.stderr
    documents = {d["document_id"]: d for d in rows(package, "documents")}
    set_aside: dict[str, float] = defaultdict(float)
    entitlements = 0
    for amount in rows(package, "amounts"):
        document = documents[amount["document_id"]]
        if (amount["role"] not in ("fund", "subsidy", "award") or document["kind"] == "article"
                or not amount["max_cny"] or amount["credit"]):
            continue
        if amount["role"] != "fund":
            entitlements += 1
        elif not amount["per"] and not amount["paired_with"]:
            set_aside[document["title"]] += float(amount["max_cny"])
    assert set_aside and entitlements
    for title, total in set_aside.items():
        assert re.search(rf"{re.escape(title)}\s+{total:.0f}\b", shown.stdout), (title, total)
    # one line per entitlement after the header of the second table
    table = shown.stdout.split("max_cny\n", 2)[-1]
    assert len([line for line in table.splitlines() if line.strip()]) == entitlements
