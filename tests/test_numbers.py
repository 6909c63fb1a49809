from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.extract.numbers import parse_number, scaled

FULL_WIDTH = str.maketrans("0123456789.", "０１２３４５６７８９．")


@pytest.mark.parametrize(
    ("printed", "value"),
    [
        ("30", 30),
        ("8.1", 8.1),
        ("2. 4", 2.4),  # 002 line 47: a space left inside the number by PDF extraction
        ("１０７００", 10700),
        ("五十", 50),
        ("一千万", 10_000_000),
        ("两千", 2000),
        ("千万", 10_000_000),  # as in 近千万元
        ("十万", 100_000),
        ("二〇二五", 2025),
        ("2万亿", 2_000_000_000_000),
        ("1.5万", 15_000),
        ("3亿", 300_000_000),
        ("3千万", 30_000_000),
        ("51284.4亿", 5_128_440_000_000),
    ],
)
def test_parse_number(printed, value):
    assert parse_number(printed) == value


@pytest.mark.parametrize("printed", ["", "abc", "3.5.6", "万元", "2万G"])
def test_not_a_number(printed):
    assert parse_number(printed) is None


def test_scaled_is_exact():
    # 134.2 × 1e8 in floats is 13419999999.999998
    assert scaled("134.2", "亿") == 13_420_000_000
    assert scaled("7898.7", "", "100000000") == 789_870_000_000


@settings(max_examples=200)
@given(
    whole=st.integers(min_value=0, max_value=10**9),
    decimals=st.integers(min_value=0, max_value=999),
    multiplier=st.sampled_from(["", "万", "亿", "万亿"]),
    full_width=st.booleans(),
)
def test_arabic_with_multipliers(whole, decimals, multiplier, full_width):
    digits = f"{whole}.{decimals}" if decimals else str(whole)
    factor = {"": 1, "万": 10**4, "亿": 10**8, "万亿": 10**12}[multiplier]
    printed = digits.translate(FULL_WIDTH) if full_width else digits
    assert parse_number(printed + multiplier) == float(Decimal(digits) * factor)
