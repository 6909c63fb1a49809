"""Write pipeline/lexicons/t2s_changes.csv from the installed OpenCC's t2s dictionaries.

    python scripts/t2s_changes.py [--check]

`normalise` converts a text to simplified characters only when OpenCC would change it; OpenCC
replaces a dictionary key it finds by the key's first value and leaves every other character
as it is, so a text holding none of the keys whose first value differs from the key is left
unchanged. Those keys (and their values) are the lexicon; `may_convert` looks for them before
running the converter. The dictionaries are dumped with the `opencc_dict` tool the OpenCC wheel
ships; rerun this script when the pinned OpenCC changes (`--check` says whether the lexicon
is what the installed OpenCC makes; tests/test_normalise_fast_paths.py runs it).
"""
from __future__ import annotations

import argparse
import csv
import io
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LEXICON = ROOT / "pipeline" / "lexicons" / "t2s_changes.csv"


def dictionary_files(config: dict) -> list[str]:
    """Every ocd2 file a t2s.json-like config names, in the normalisation and the chain."""
    files: list[str] = []

    def visit(node: object) -> None:
        if isinstance(node, dict):
            if node.get("type") == "ocd2":
                files.append(node["file"])
            for value in node.values():
                visit(value)
        elif isinstance(node, list):
            for value in node:
                visit(value)

    visit(config)
    return files


def changes() -> list[tuple[str, str]]:
    """(key, first value) of every entry of the t2s dictionaries whose first value differs."""
    import opencc

    clib = Path(opencc.__file__).parent / "clib"
    share = clib / "share" / "opencc"
    tool = clib / "bin" / "opencc_dict"
    env = {**os.environ, "LD_LIBRARY_PATH": str(clib / "lib64")}
    found: set[tuple[str, str]] = set()
    config = json.loads((share / "t2s.json").read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory() as folder:
        for name in dictionary_files(config):
            out = Path(folder) / (name + ".txt")
            subprocess.run([str(tool), "-i", str(share / name), "-o", str(out), "-f", "ocd2", "-t", "text"],
                           check=True, env=env, capture_output=True)
            for line in out.read_text(encoding="utf-8").splitlines():
                key, values = line.split("\t")
                first = values.split(" ")[0]
                if first != key:
                    found.add((key, first))
    return sorted(found)


def lexicon_text(rows: list[tuple[str, str]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["traditional", "simplified"])
    writer.writerows(rows)
    return out.getvalue()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare, do not write")
    args = parser.parse_args()
    text = lexicon_text(changes())
    if args.check:
        same = LEXICON.read_text(encoding="utf-8") == text
        print("t2s_changes.csv is what the installed OpenCC makes" if same else
              "t2s_changes.csv differs from the installed OpenCC: rerun scripts/t2s_changes.py")
        return 0 if same else 1
    LEXICON.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
