"""Every fenced code block of the README.md a build writes into the package runs, in the package
folder, and prints what it says it does: Python blocks with this interpreter, R blocks with
Rscript (`nox -s tests` installs Debian's r-base-core). A missing R fails, it does not skip."""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

FENCE = re.compile(r"^```(\w+)\n(.*?)^```", re.MULTILINE | re.DOTALL)
TIMEOUT = 120

# What each snippet must print, found by what it imports: a fragment of its expected output.
EXPECTED = {
    "import pandas": ["role", "subsidy", "fund"],
    "import duckdb": ["measures_led", "四川省"],
    "from frictionless": ["target_id", "[5 rows"],
    "read.csv": ["environment", "supply", "demand"],
    "from pandas import read_csv": ["max_cny", "paired_with"],
    "from pandas import read_parquet": ["indicator", "comparator"],
}


@pytest.fixture(scope="module")
def snippets(package) -> list[tuple[str, str]]:
    return FENCE.findall((package / "README.md").read_text("utf-8"))


def run(language: str, code: str, folder: Path, tmp_path: Path) -> subprocess.CompletedProcess:
    if language == "python":
        command = [sys.executable, "-c", code]
    elif language == "r":
        rscript = shutil.which("Rscript")
        if not rscript:
            pytest.fail("Rscript is not installed: `apt-get install r-base-core`, which `nox -s tests` "
                        "does when run as root")
        script = tmp_path / "snippet.R"
        script.write_text(code, encoding="utf-8")
        command = [rscript, "--vanilla", str(script)]
    else:
        pytest.fail(f"README.md has a ```{language} block that no test knows how to run")
    return subprocess.run(command, cwd=folder, capture_output=True, text=True, timeout=TIMEOUT,
                          env={**os.environ, "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8"})


def test_readme_has_a_snippet_for_every_tool(snippets):
    languages = [language for language, _ in snippets]
    assert languages.count("python") >= 3 and "r" in languages
    for marker in EXPECTED:
        assert sum(marker in code for _, code in snippets) == 1, marker


def test_every_snippet_runs_and_prints_what_it_promises(snippets, package, tmp_path):
    assert snippets
    for language, code in snippets:
        result = run(language, code, package, tmp_path)
        assert result.returncode == 0, f"```{language}\n{code}```\nfailed:\n{result.stderr[-2000:]}"
        markers = [m for m in EXPECTED if m in code]
        assert markers, f"no expectation for this snippet; add one to EXPECTED:\n{code}"
        for fragment in EXPECTED[markers[0]]:
            assert fragment in result.stdout, f"```{language}\n{code}```\nprinted:\n{result.stdout}"


def test_readme_covers_what_a_user_needs(package):
    readme = (package / "README.md").read_text("utf-8")
    descriptor = json.loads((package / "datapackage.json").read_text("utf-8"))
    assert descriptor["version"] in readme
    assert descriptor["licenses"][0]["name"] in readme
    assert "How to cite" in readme and "instrument codebook" in readme
    for source in descriptor["sources"]:
        assert source["sha256"] in readme
    for resource in descriptor["resources"]:
        if resource["format"] != "csv":
            continue
        assert f"### {resource['name']} (" in readme
        for field in resource["schema"]["fields"]:
            assert f"| `{field['name']}` | {field['type']} |" in readme, (resource["name"], field["name"])
