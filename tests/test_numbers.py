from decimal import Decimal

import cn2an
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.extract.numbers import chinese_value, parse_number, scaled, small_numeral, spelled

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
        # thousands separators, and a decimal after them
        ("1,000", 1000),
        ("12,000,000", 12_000_000),
        ("12，000", 12_000),
        ("2 000", 2000),
        ("1,000.5万", 10_005_000),
        # mixed numbers: the parts add up, each with its own multiplier
        ("1亿2千万", 120_000_000),
        ("1亿2000万", 120_000_000),
        ("3万5千", 35_000),
        ("1亿零500万", 105_000_000),
        # financial numerals (大写)
        ("壹佰万", 1_000_000),
        ("贰拾万", 200_000),
        ("壹亿贰仟万", 120_000_000),
        ("伍佰", 500),
    ],
)
def test_parse_number(printed, value):
    assert parse_number(printed) == value


@pytest.mark.parametrize("printed", ["", "abc", "3.5.6", "万元", "2万G", "1,00", "1万2万", "2亿3亿"])
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


def grouped(n: int, separator: str) -> str:
    return f"{n:,}".replace(",", separator)


@settings(max_examples=200)
@given(
    n=st.integers(min_value=0, max_value=10**12),
    separator=st.sampled_from([",", "，", " "]),
    multiplier=st.sampled_from(["", "万", "亿"]),
)
def test_a_number_with_separators_is_its_arabic_value(n, separator, multiplier):
    assert parse_number(grouped(n, separator) + multiplier) == parse_number(str(n) + multiplier)


@settings(max_examples=200)
@given(n=st.integers(min_value=1, max_value=10**12 - 1), case=st.sampled_from(["low", "up"]))
def test_chinese_and_financial_numerals_are_their_arabic_value(n, case):
    # cn2an writes the numeral (`一千二百万`, `壹仟贰佰万`); parse_number must read it back
    assert parse_number(cn2an.an2cn(n, case)) == n


@settings(max_examples=200)
@given(
    high=st.integers(min_value=1, max_value=9999),
    low=st.integers(min_value=1, max_value=9999),
    units=st.sampled_from([("亿", "万", 10**8, 10**4), ("万", "", 10**4, 1), ("万", "千", 10**4, 10**3)]),
)
def test_a_mixed_number_is_the_sum_of_its_parts(high, low, units):
    big, small, big_value, small_value = units
    if low * small_value >= big_value:
        low = big_value // small_value - 1 or 1
    assert parse_number(f"{high}{big}{low}{small}") == high * big_value + low * small_value


def test_the_numerals_read_without_cn2an_are_read_as_cn2an_reads_them():
    """Every n below 10000 as cn2an spells it (`一千零一十`, `十二`) is read here, to n, as cn2an
    reads it; so is 两. Loading cn2an costs a tenth of a second a build would otherwise pay."""
    for n in range(10000):
        text = spelled(n)
        assert text == cn2an.an2cn(n)
        assert small_numeral(text) == n == cn2an.cn2an(text, "smart")
    assert small_numeral("两") == 2 == cn2an.cn2an("两", "smart")


@given(st.text(alphabet="零〇一二两三四五六七八九十百千万亿壹佰", min_size=1, max_size=6))
@settings(max_examples=300, deadline=None)
def test_a_numeral_outside_the_small_ones_goes_to_cn2an(text):
    """Any other text, a numeral or not (`一十二`, `千五`, `二〇二四`), is not read here; chinese_value
    gives cn2an's reading or its error."""
    value = small_numeral(text)
    assert value is None or value == cn2an.cn2an(text, "smart")
    try:
        expected = cn2an.cn2an(text, "smart")
    except (ValueError, KeyError, TypeError, IndexError) as error:
        with pytest.raises(type(error)):
            chinese_value(text)
    else:
        assert chinese_value(text) == expected and type(chinese_value(text)) is type(expected)
