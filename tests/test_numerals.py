"""Numeral parsing: exact values, rejection of non-numbers, and round trips against cn2an."""

from __future__ import annotations

import math

import cn2an
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lawgov_analysis.core.numerals import (
    is_chinese_numeral,
    parse_arabic,
    parse_chinese,
    parse_mixed,
    parse_number,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("两", 2),
        ("十", 10),
        ("十五", 15),
        ("二十", 20),
        ("一百二十", 120),
        ("一百零五", 105),
        ("一千零一十", 1010),
        ("三千", 3000),
        ("一万二千", 12000),
        ("十万", 100000),
        ("一亿二千万", 120000000),
        ("一亿零一万零一", 100010001),
        ("两万五", 25000),          # colloquial: 两万五 = 25000
        ("一百二", 120),
        ("壹佰零伍", 105),
        ("贰拾伍亿", 2500000000),
        ("九十一点八七", 91.87),
        ("零点零五", 0.05),
        ("二〇二一", 2021),         # digit-by-digit with a zero sign
    ],
)
def test_parse_chinese_values(text, expected):
    assert parse_chinese(text) == expected


@pytest.mark.parametrize("text", ["", "三四", "一一", "十十", "百十", "万", "百万", "千", "〇二", "一点", "点五", "三x"])
def test_parse_chinese_rejects_non_numbers(text):
    assert parse_chinese(text) is None


def test_digit_sequence_can_be_disallowed():
    assert parse_chinese("二〇二一", allow_digit_sequence=False) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [("4860", 4860), ("97.46", 97.46), ("4,860", 4860), ("1,234,567", 1234567), ("１２３", 123), ("０．５", 0.5)],
)
def test_parse_arabic(text, expected):
    assert parse_arabic(text) == expected


@pytest.mark.parametrize("text", ["1,23", "12,34,567", "1.2.3", ".5", "5.", "", "12a"])
def test_parse_arabic_rejects(text):
    assert parse_arabic(text) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [("34万", 340000), ("2.5万", 25000), ("1.1万", 11000), ("2亿", 200000000), ("1.2亿", 120000000),
     ("3千", 3000), ("三千", 3000), ("1万亿", 10**12), ("九十一点八七", 91.87), ("abc", None), ("", None)],
)
def test_parse_number(text, expected):
    assert parse_number(text) == expected


def test_values_are_exact_not_binary_floats():
    assert parse_number("1.1万") == 11000 and isinstance(parse_number("1.1万"), int)
    assert parse_number("0.7万") == 7000


def test_is_chinese_numeral():
    assert is_chinese_numeral("一百二十") and not is_chinese_numeral("一百二十件") and not is_chinese_numeral("")


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=0, max_value=10**16 - 1))
def test_round_trip_integers_against_cn2an(n):
    assert parse_chinese(cn2an.an2cn(n, "low")) == n
    assert parse_chinese(cn2an.an2cn(n, "up")) == n


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=0, max_value=10**8), st.integers(min_value=1, max_value=99))
def test_round_trip_decimals_against_cn2an(whole, frac):
    text = f"{whole}.{frac:02d}".rstrip("0")
    cn = cn2an.an2cn(text, "low")
    assert math.isclose(parse_chinese(cn), float(text), rel_tol=1e-12)
    assert math.isclose(parse_chinese(cn), cn2an.cn2an(cn, "strict"), rel_tol=1e-12)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="零〇一二两三四五六七八九十百千万亿点壹贰拾佰仟", max_size=12))
def test_any_numeral_string_parses_or_returns_none(text):
    value = parse_chinese(text)
    assert value is None or (isinstance(value, (int, float)) and math.isfinite(value) and value >= 0)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=30))
def test_parse_number_never_raises(text):
    value = parse_number(text)
    assert value is None or math.isfinite(value)


# ------------------------------------------------------------------- forms a peer's test suite expects


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("５，２３６", 5236),            # full-width digits and separator
        ("５,２３６", 5236),
        ("１２．５", 12.5),
        ("１２３", 123),
        ("壹万贰仟", 12000),             # formal numerals
        ("肆佰陸拾", 460),               # traditional 陸
        ("貳拾", 20),
        ("壹萬貳仟參佰", 12300),
        ("5万4千6百", 54600),            # digits mixed with 万/千/百
        ("3万5千", 35000),
        ("12万3千", 123000),
        ("1亿2千万", 120000000),
        ("2亿3456万", 234560000),
        ("3百2十5", 325),
        ("３万５千", 35000),
        ("3千", 3000),
        ("1.5万", 15000),
    ],
)
def test_parse_number_peer_forms(text, expected):
    assert parse_number(text) == expected


@pytest.mark.parametrize("text", ["4千5千", "45百", "5万1.5千", "万4千", "5万4", "5千6", "3万5千20", "3千余", "5万万"])
def test_parse_mixed_rejects_malformed(text):
    assert parse_mixed(text) is None
    assert parse_number(text) is None
