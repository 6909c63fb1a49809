from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"


def seed_path(prefix: str) -> Path:
    return next(SEEDS.glob(f"{prefix}_*.txt"))


def seed_text(prefix: str) -> str:
    return seed_path(prefix).read_text("utf-8")


@pytest.fixture(scope="session")
def segmented():
    """Documents of every seed, segmented once for the whole session."""
    from pipeline.clean import clean_lines
    from pipeline.segment import segment_file

    out = {}
    for prefix in ("000", "001", "002", "003", "004"):
        text = seed_text(prefix)
        out[prefix] = segment_file(clean_lines(text), text.split("\n"))
    return out


@pytest.fixture(scope="session")
def package(tmp_path_factory) -> Path:
    """A package built once from seeds/ for every test that only reads it."""
    from pipeline.build import build

    target = tmp_path_factory.mktemp("built") / "datapackage"
    build(SEEDS, target)
    return target


@pytest.fixture(scope="session")
def tables(package):
    """Every CSV of the built package as strings, empty cells kept as ""."""
    import pandas as pd

    from pipeline.schema import resource_names

    return {name: pd.read_csv(package / f"{name}.csv", keep_default_na=False, dtype=str)
            for name in resource_names()}
