"""Speed and memory work changes no output byte: a fresh build of the seeds and of the perturbed
10× corpus (fifty distinct documents made from them) publishes files whose sha256 are those
recorded in scripts/data/output_digests.json (`python scripts/output_digests.py --write`
records them, for a change meant to change the output; `--corpus ../shared/corpus` checks the
corpus too)."""
from __future__ import annotations

import importlib.util
import json

import pytest
from conftest import ROOT


def digests_script():
    spec = importlib.util.spec_from_file_location("output_digests", ROOT / "scripts" / "output_digests.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("corpus", ["seeds", "perturbed-10x"])
def test_a_fresh_build_publishes_the_recorded_bytes(corpus, tmp_path):
    script = digests_script()
    recorded = json.loads(script.DIGESTS.read_text(encoding="utf-8"))[corpus]
    seeds = script.corpora(None, tmp_path)[corpus]
    built = script.build_digests(seeds, tmp_path / "build", workers=2)
    assert script.differences(recorded, built) == []
    assert any(name.endswith(".parquet") for name in built) and "index.html" in built
