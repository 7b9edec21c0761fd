"""Promises of the conversions the economy and infrastructure chapters use
(``bentre.estimates.in_usd`` and ``per_unit``), with expected values by plain arithmetic."""

from __future__ import annotations

import pytest

from bentre import estimates


def test_in_usd_converts_billions_of_dong_to_millions_of_dollars():
    # 24,012 billion VND = 24,012e9 VND; at 23,208.37 VND per USD, in millions of USD
    expected = 24012e9 / 23208.37 / 1e6
    assert estimates.in_usd(24012, 23208.37, "billion VND", "million USD") == pytest.approx(expected)


def test_in_usd_defaults_to_dong_and_dollars():
    assert estimates.in_usd(23208.37, 23208.37) == pytest.approx(1.0)
    assert estimates.in_usd(2.726, 23208.37, "billion VND", "thousand USD") == pytest.approx(
        2.726e9 / 23208.37 / 1e3)


@pytest.mark.parametrize("rate", [0, -1.0])
def test_in_usd_rejects_a_rate_that_is_not_positive(rate):
    with pytest.raises(ValueError, match="positive"):
        estimates.in_usd(1.0, rate)


@pytest.mark.parametrize("unit, to", [("USD", "USD"), ("billion VND", "EUR"), ("tỷ", "USD")])
def test_in_usd_rejects_unknown_units(unit, to):
    with pytest.raises(ValueError, match="cannot convert"):
        estimates.in_usd(1.0, 23208.37, unit, to)


def test_per_unit_is_an_even_spread():
    assert estimates.per_unit(42, 14) == 3
    assert estimates.per_unit(2726.0, 25) == pytest.approx(109.04)


@pytest.mark.parametrize("units", [0, -3])
def test_per_unit_rejects_no_units(units):
    with pytest.raises(ValueError, match="positive"):
        estimates.per_unit(1.0, units)
