"""scripts/compare_money.py runs from a fresh clone: its hand-checked sample of the seeds is in
the repository, and the gold of ../shared is scored only where it is there."""
from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pytest

from pipeline.extract.amounts import extract_amounts

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def compare_money():
    spec = importlib.util.spec_from_file_location("compare_money", ROOT / "scripts" / "compare_money.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["compare_money"] = module  # its dataclass looks its module up there
    spec.loader.exec_module(module)
    return module


def test_the_sample_says_what_its_seed_lines_print(compare_money):
    sample = compare_money.load_sample()
    assert len(sample.amounts) >= 30
    for amount in sample.amounts:
        raw = (ROOT / "seeds" / amount["seed"]).read_text("utf-8").split("\n")
        # the mention starts on its line and may run on to the next lines
        printed = "".join("".join(raw[amount["line"] - 1 : amount["line"] + 3]).split())
        assert amount["quote"] in printed, amount
        assert amount["quote"][0] in raw[amount["line"] - 1], amount  # it starts on its line
        assert compare_money.covered(sample.coverage, amount["seed"], amount["line"])
        [read] = extract_amounts(amount["quote"])
        assert (read["min_cny"], read["max_cny"], read["qualifier"]) == (
            amount["min_cny"], amount["max_cny"], amount["qualifier"]), amount


def test_without_shared_the_sample_alone_is_scored(compare_money, tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(compare_money, "load_jionlp", lambda: None)
    results = tmp_path / "results.json"
    absent = tmp_path / "no-shared"
    assert compare_money.main(["--shared", str(absent), "--min-seconds", "0", "--json", str(results)]) == 0
    shown = capsys.readouterr().out
    assert "sample (seeds outside the dev gold)" in shown
    assert "not scored: dev gold" in shown and "not scored: corpus gold" in shown
    assert "JioNLP is not installed" in shown
    [ours] = json.loads(results.read_text("utf-8"))
    assert (ours["precision"], ours["recall"], ours["qualifier"]["accuracy"]) == (1.0, 1.0, 1.0)
    assert ours["gold"] == len(compare_money.load_sample().amounts) and ours["mb_per_s"] > 0


def test_matching_is_one_to_one_by_value_as_score_py(compare_money):
    gold = [{"seed": "a", "line": 10, "min_cny": 1e6, "max_cny": 1e6},
            {"seed": "a", "line": 30, "min_cny": 1e6, "max_cny": 1e6},
            {"seed": "a", "line": 50, "min_cny": 2e6, "max_cny": 2e6, "ambiguous": True}]
    pred = [{"seed": "a", "line": 29, "min_cny": 1e6, "max_cny": 1e6},
            {"seed": "a", "line": 50, "min_cny": 2e6, "max_cny": 2e6},
            {"seed": "a", "line": 11, "min_cny": None, "max_cny": None}]  # a foreign amount
    pairs, n_gold, n_pred = compare_money.pair(gold, pred)
    # gold amounts in line order, each taking the nearest prediction of its value still free
    assert [(g["line"], p["line"]) for g, p in pairs] == [(10, 29)]
    assert (n_gold, n_pred) == (2, 2)  # the ambiguous one absorbs its match and counts nowhere
