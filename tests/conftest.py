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
