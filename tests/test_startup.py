"""What a build on a small folder does not load: pandas (pyarrow would load it for nothing) and
cn2an (the numerals of the seeds are read without it). Each costs a build a tenth of a second
or more of fixed start-up; neither changes a byte of the package (the output tests show that)."""
from __future__ import annotations

import json
import subprocess
import sys

from conftest import ROOT, SEEDS

PROBE = """
import json, sys
from pipeline.cli import main
main(["build", "--seeds", sys.argv[1], "--out", sys.argv[2], "--no-progress"], standalone_mode=False)
loaded = {name: name in sys.modules for name in ("pandas", "cn2an", "pyarrow")}
import pyarrow.parquet as pq
frame = pq.read_table(sys.argv[2] + "/documents.parquet").to_pandas()  # pandas, now it is asked for
print(json.dumps({"loaded": loaded, "rows": len(frame)}))
"""


def test_a_build_of_the_seeds_loads_neither_pandas_nor_cn2an(tmp_path):
    out = subprocess.run([sys.executable, "-c", PROBE, str(SEEDS), str(tmp_path / "datapackage")],
                         cwd=ROOT, capture_output=True, text=True, check=True)
    report = json.loads(out.stdout.splitlines()[-1])
    assert report["loaded"] == {"pandas": False, "cn2an": False, "pyarrow": True}
    assert report["rows"] > 0


def test_the_command_line_gives_arrow_an_allocator_that_returns_memory(tmp_path):
    """jemalloc, chosen before pyarrow loads (it fixes its allocator then), unless the user chose."""
    import os

    probe = "import pipeline.cli, pyarrow as pa; print(pa.default_memory_pool().backend_name)"
    env = {k: v for k, v in os.environ.items() if k != "ARROW_DEFAULT_MEMORY_POOL"}
    chosen = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    assert chosen.stdout.strip() == "jemalloc"
    env["ARROW_DEFAULT_MEMORY_POOL"] = "system"
    kept = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    assert kept.stdout.strip() == "system"
