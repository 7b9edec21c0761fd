"""Promises of ``bentre.numbers``: Vietnamese strings in (dot between thousands, comma
before decimals), English strings out, exact ``Decimal`` values, half-up rounding.

Expected values are typed from the Vietnamese convention (CLDR ``vi``; accounting law of
2003, art. 12), never obtained by calling the code under test.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bentre.numbers import (
    VietnameseNumberError,
    about,
    about_percent,
    convert,
    english_reading,
    format_en,
    format_en_percent,
    format_vi,
    is_percent,
    parse_vi,
    parse_vi_amount,
    parse_vi_percent,
    parse_vi_raw,
    prose_step,
)


# --- parse_vi: the article's numbers ---------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("24.012", Decimal("24012")),          # dot between thousands: twenty-four thousand
    ("4.243,46", Decimal("4243.46")),      # both separators
    ("121,729", Decimal("121.729")),       # comma before decimals: a little over 121
    ("2,726", Decimal("2.726")),
    ("1,292", Decimal("1.292")),
    ("226,34", Decimal("226.34")),
    ("25", Decimal("25")),
    ("1.000.000", Decimal("1000000")),
    ("3.673,5", Decimal("3673.5")),
    ("-3,6", Decimal("-3.6")),
    ("0,7", Decimal("0.7")),
])
def test_parse_vi_reads_dot_as_thousands_and_comma_as_decimals(text, expected):
    value = parse_vi(text)
    assert isinstance(value, Decimal)
    assert value == expected


def test_parse_vi_is_exact_not_float():
    """4.243,46 is exactly 4243.46, which a float cannot hold."""
    assert parse_vi("4.243,46") - Decimal("4243") == Decimal("0.46")


@pytest.mark.parametrize("text", [
    "1.2.3",      # groups of one digit
    "24.01",      # a group of two digits after the thousands dot
    "1.234.56",   # last group too short
    "1.0000",     # group too long
    "1..2",
    "1,2,3",      # two decimal commas
    "abc",
    "",
    " 12",        # padded
    "12 ",
    "1 234",      # space as group separator is not the vi convention here
    "6,02%",      # a percentage is not a plain number
])
def test_parse_vi_rejects_strings_that_are_not_vietnamese_numbers(text):
    with pytest.raises(VietnameseNumberError) as info:
        parse_vi(text)
    assert repr(text) in str(info.value), "the message quotes the offending string"
    assert info.value.text == text


@pytest.mark.parametrize("text", [
    "NaN", "Infinity", "-Infinity",   # Decimal() accepts these; a printed figure never is one
    "1e3", "2E-2",                    # scientific notation is not the Vietnamese convention
    "١٢",                             # Arabic-Indic digits
    "12,",                            # a decimal comma with no decimals after it
])
def test_parse_vi_rejects_non_numerals_that_decimal_would_accept(text):
    with pytest.raises(VietnameseNumberError) as info:
        parse_vi(text)
    assert repr(text) in str(info.value)


def test_parse_vi_rejects_non_strings_with_its_own_error():
    with pytest.raises(VietnameseNumberError):
        parse_vi(24012)  # type: ignore[arg-type]


def test_vietnamese_number_error_is_a_value_error():
    """Callers that catch ValueError (pandas, argparse) also catch it."""
    assert issubclass(VietnameseNumberError, ValueError)


# --- percentages and raw figures ------------------------------------------------------------

def test_parse_vi_percent_returns_percent_not_fraction():
    assert parse_vi_percent("6,02%") == Decimal("6.02")
    assert parse_vi_percent("71%") == Decimal("71")


def test_parse_vi_percent_requires_the_percent_sign():
    with pytest.raises(VietnameseNumberError) as info:
        parse_vi_percent("6,02")
    assert "'6,02'" in str(info.value)


def test_parse_vi_percent_rejects_bad_number_before_sign():
    with pytest.raises(VietnameseNumberError):
        parse_vi_percent("6.02%")  # a thousands dot followed by two digits


def test_is_percent_detects_trailing_sign_only():
    assert is_percent("71%")
    assert not is_percent("71")
    assert not is_percent("%71")


@pytest.mark.parametrize("raw, expected", [
    ("6,02%", Decimal("6.02")),
    ("71%", Decimal("71")),
    ("24.012", Decimal("24012")),
    ("4.243,46", Decimal("4243.46")),
    ("42", Decimal("42")),
])
def test_parse_vi_raw_accepts_plain_numbers_and_percentages(raw, expected):
    assert parse_vi_raw(raw) == expected


def test_parse_vi_raw_rejects_garbage():
    with pytest.raises(VietnameseNumberError):
        parse_vi_raw("6,0,2%")


# --- amounts with scale words ---------------------------------------------------------------

@pytest.mark.parametrize("text, expected_vnd", [
    ("3.673,5 nghìn tỷ đồng", Decimal("3673500000000000")),   # 3,673.5 × 10^12
    ("3.673,5 ngàn tỷ đồng", Decimal("3673500000000000")),    # southern spelling
    ("24.012 tỷ đồng", Decimal("24012000000000")),            # 24,012 × 10^9
    ("4.243,46 tỷ đồng", Decimal("4243460000000")),
    ("121,729 tỷ đồng", Decimal("121729000000")),
    ("1,66 nghìn tỷ", Decimal("1660000000000")),               # "đồng" may be left out
    ("5 triệu đồng", Decimal("5000000")),                      # 10^6
    ("12 nghìn đồng", Decimal("12000")),                       # 10^3
])
def test_parse_vi_amount_applies_scale_words_exactly(text, expected_vnd):
    value = parse_vi_amount(text)
    assert isinstance(value, Decimal)
    assert value == expected_vnd


def test_parse_vi_amount_prefers_nghin_ty_over_ty():
    """'nghìn tỷ' is 10^12, not 10^3 × something or 10^9."""
    assert parse_vi_amount("1 nghìn tỷ đồng") == Decimal(10) ** 12
    assert parse_vi_amount("1 tỷ đồng") == Decimal(10) ** 9


@pytest.mark.parametrize("text", [
    "24.012",             # no scale word
    "24.012 tỉ đồng",     # unknown spelling
    "24.012 đồng",        # "đồng" alone is not a scale word
])
def test_parse_vi_amount_rejects_unknown_or_missing_scale_words(text):
    with pytest.raises(VietnameseNumberError) as info:
        parse_vi_amount(text)
    assert repr(text) in str(info.value)


def test_parse_vi_amount_rejects_a_bad_number_naming_it():
    with pytest.raises(VietnameseNumberError) as info:
        parse_vi_amount("24.01 tỷ đồng")
    assert "'24.01'" in str(info.value)


# --- convert --------------------------------------------------------------------------------

@pytest.mark.parametrize("value, from_unit, to_unit, expected", [
    (Decimal("24012"), "billion VND", "trillion VND", Decimal("24.012")),
    (Decimal("3673.5"), "trillion VND", "billion VND", Decimal("3673500")),
    (Decimal("2.726"), "billion VND", "million VND", Decimal("2726")),
    (Decimal("1.292"), "billion VND", "VND", Decimal("1292000000")),
    (Decimal("5000000"), "VND", "million VND", Decimal("5")),
    (Decimal("6.02"), "percent", "percent", Decimal("6.02")),
])
def test_convert_between_money_units(value, from_unit, to_unit, expected):
    assert convert(value, from_unit, to_unit) == expected


def test_convert_round_trip_is_exact():
    value = Decimal("4243.46")
    there = convert(value, "billion VND", "trillion VND")
    assert there == Decimal("4.24346")
    assert convert(there, "trillion VND", "billion VND") == value


@pytest.mark.parametrize("from_unit, to_unit", [
    ("percent", "billion VND"),
    ("billion VND", "million USD"),
    ("count", "persons"),
])
def test_convert_refuses_incompatible_units(from_unit, to_unit):
    with pytest.raises(ValueError) as info:
        convert(Decimal(1), from_unit, to_unit)
    assert repr(from_unit) in str(info.value) and repr(to_unit) in str(info.value)


def test_context_retail_sales_quote_parses_to_its_stored_value():
    """The GSO quote '3.673,5 nghìn tỷ đồng' is 3,673.5 trillion VND."""
    vnd = parse_vi_amount("3.673,5 nghìn tỷ đồng")
    assert convert(vnd, "VND", "trillion VND") == Decimal("3673.5")


# --- English output -------------------------------------------------------------------------

@pytest.mark.parametrize("args, expected", [
    ((24012,), "24,012"),
    ((4243.46, 2), "4,243.46"),
    ((Decimal("4243.46"), 2), "4,243.46"),
    ((121.729, 3), "121.729"),
    ((1234567.891, 2), "1,234,567.89"),
    ((0,), "0"),
    ((999,), "999"),
    ((1000,), "1,000"),
    ((-24012,), "-24,012"),
    ((-3.6, 1), "-3.6"),
    ((-1234.5, 1), "-1,234.5"),
])
def test_format_en_uses_comma_for_thousands_and_dot_for_decimals(args, expected):
    assert format_en(*args) == expected


@pytest.mark.parametrize("args, expected", [
    ((2.125, 2), "2.13"),     # half up (half-even would give 2.12)
    ((2.5,), "3"),            # half-even would give 2
    ((0.5,), "1"),            # half-even would give 0
    ((2.675, 2), "2.68"),     # the float 2.675 is 2.67499…; the typed value is rounded
    ((-2.125, 2), "-2.13"),   # half away from zero for negatives
    ((6.024, 1), "6.0"),
    ((6.05, 1), "6.1"),
    ((Decimal("0.045"), 1), "0.0"),
])
def test_format_en_rounds_half_up(args, expected):
    assert format_en(*args) == expected


@pytest.mark.parametrize("args, expected", [
    ((-0.4,), "0"),
    ((-0.001, 2), "0.00"),
    ((Decimal("-0.004"), 2), "0.00"),
])
def test_format_en_never_prints_negative_zero(args, expected):
    """A small negative value that rounds to zero is printed as zero, not '-0'."""
    assert format_en(*args) == expected


@pytest.mark.parametrize("args, kwargs, expected", [
    ((6.02,), {}, "6.02%"),
    ((71, 0), {}, "71%"),
    ((0.7, 1), {"signed": True}, "+0.7%"),
    ((-3.6, 1), {"signed": True}, "-3.6%"),
    ((0, 1), {"signed": True}, "0.0%"),       # zero is neither gain nor loss
    ((2.125, 2), {}, "2.13%"),
    ((-0.001, 2), {"signed": True}, "0.00%"),
])
def test_format_en_percent(args, kwargs, expected):
    assert format_en_percent(*args, **kwargs) == expected


# --- Vietnamese output and the round trip ---------------------------------------------------

@pytest.mark.parametrize("value, decimals, expected", [
    (Decimal("24012"), None, "24.012"),
    (Decimal("4243.46"), None, "4.243,46"),
    (Decimal("121.729"), None, "121,729"),
    (Decimal("4243.46"), 2, "4.243,46"),
    (Decimal("1.5"), 2, "1,50"),
    (Decimal("1234567"), 0, "1.234.567"),
])
def test_format_vi_prints_as_the_article_would(value, decimals, expected):
    assert format_vi(value, decimals) == expected


@settings(max_examples=300, deadline=None, database=None)
@given(st.decimals(min_value=Decimal("-1e12"), max_value=Decimal("1e12"),
                   places=3, allow_nan=False, allow_infinity=False))
def test_format_vi_then_parse_vi_gives_back_the_value(value):
    """Up to three decimals, a value printed the Vietnamese way reads back unchanged."""
    assert parse_vi(format_vi(value)) == value


@settings(max_examples=300, deadline=None, database=None)
@given(st.integers(min_value=-10**15, max_value=10**15))
def test_format_vi_groups_integers_with_dots(n):
    expected = "{:,}".format(n).replace(",", ".")
    assert format_vi(n) == expected
    assert parse_vi(expected) == n


# --- the precision rule for prose (issue: precision that the data do not have) -------------
# Expected values worked by hand: the range's width picks the step (the smallest power of
# ten not below it), and without a range three significant figures are kept.

@pytest.mark.parametrize("args, expected", [
    # the implied 2019 revenue: 24,012 / 1.0602, the rate's rounding gives 22,647.49–22,649.63
    ((22648.56, 22647.49, 22649.63), "22,650"),
    # revenue per person over the census range: 192.77–192.95 million VND
    ((192.86, 192.77, 192.95), "193"),
    # USD per person: 8,306–8,314
    ((8310.0, 8306.0, 8314.0), "8,310"),
    # the implied 2019 infrastructure payments, 70.979–71.395 billion VND
    ((71.187, 70.979, 71.395), "71"),
    # a width that is itself a power of ten is its own step
    ((123.45, 123.0, 124.0), "123"),
    # no range: three significant figures
    ((18.748,), "18.7"),
    ((109.04,), "109"),
    ((64.904,), "64.9"),
    ((24012,), "24,000"),
    ((0.65391,), "0.654"),
    # half up, as everywhere in the book
    ((18.75,), "18.8"),
    # a degenerate range is no range
    ((5.667, 5.667, 5.667), "5.67"),
    # a very narrow range buys at most two figures beyond the three
    ((22648.5612, 22648.5611, 22648.5613), "22,649"),
])
def test_about_rounds_to_what_the_inputs_support(args, expected):
    assert about(*args) == expected


def test_about_keeps_the_sign_and_handles_zero():
    assert about(-4.3812) == "-4.38"
    assert about(0) == "0"


def test_prose_step_is_a_power_of_ten_not_below_the_width():
    for low, high in [(1.0, 3.14), (0.0, 0.018), (100.0, 1100.0), (5.0, 5.5)]:
        step = prose_step((low + high) / 2, low, high)
        width = Decimal(str(high)) - Decimal(str(low))
        assert step >= width and step / 10 < width
        assert step == Decimal(1).scaleb(step.adjusted())


def test_about_percent_keeps_two_significant_figures():
    # real growth 1.0602 / 1.0385 − 1 = 2.0896…% and with the retail deflator 1.49…%
    assert about_percent(2.0896) == "2.1%"
    assert about_percent(1.4947) == "1.5%"
    assert about_percent(11.2, 11.15, 11.25) == "11.2%"


@pytest.mark.parametrize("text, expected", [
    ("24.012", Decimal("24.012")),     # valid English, read a thousandfold apart
    ("121,729", Decimal("121729")),
    ("71%", Decimal("71")),            # valid in both, read the same
    ("25", Decimal("25")),
    ("4.243,46", None),                # a dot before a comma: not English
    ("226,34", None),                  # a comma before two digits: not English
    ("6,02%", None),
])
def test_english_reading_is_strict(text, expected):
    assert english_reading(text) == expected
