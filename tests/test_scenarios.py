"""The scenario arithmetic of the outlook chapter: each promise checked on round numbers whose
expected results are worked out here by hand, not by calling the module."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from bentre import data, scenarios
from bentre.scenarios import Scenario

# A level of 300 grown by 20 % has a year-earlier base of 250. With a last quarter 20 %
# above the average quarter, the year before ended with 250 / 3 · 1.2 = 100.
LEVEL, GROWTH, UPLIFT = 300.0, 20.0, 20.0


def test_even_quarters_add_a_third_of_the_nine_months():
    fy = scenarios.full_year(LEVEL)
    assert fy.last_quarter == pytest.approx(100.0)
    assert fy.full_year == pytest.approx(400.0)
    assert fy.base_full_year is None and fy.full_year_growth_pct is None


def test_an_uplift_scales_the_average_quarter():
    assert scenarios.last_quarter(LEVEL, 20.0) == pytest.approx(120.0)
    assert scenarios.full_year(LEVEL, q4_uplift_pct=-10.0).full_year == pytest.approx(390.0)


def test_growth_that_holds_reproduces_the_nine_month_rate_for_the_year():
    fy = scenarios.full_year(LEVEL, GROWTH, q4_uplift_pct=UPLIFT)
    assert fy.base_nine_months == pytest.approx(250.0)
    assert fy.base_last_quarter == pytest.approx(100.0)
    assert fy.last_quarter == pytest.approx(120.0)          # 100 · 1.2
    assert fy.full_year == pytest.approx(420.0)
    assert fy.base_full_year == pytest.approx(350.0)
    assert fy.full_year_growth_pct == pytest.approx(20.0)   # 420 / 350 − 1
    assert fy.last_quarter_growth_pct == pytest.approx(GROWTH)


def test_a_flat_last_quarter_dilutes_the_years_growth():
    fy = scenarios.full_year(LEVEL, GROWTH, q4_uplift_pct=UPLIFT, q4_growth_pct=0.0)
    assert fy.last_quarter == pytest.approx(100.0)
    assert fy.full_year == pytest.approx(400.0)
    assert fy.full_year_growth_pct == pytest.approx(100 * (400 / 350 - 1))  # 14.29 %


def test_the_last_quarter_growth_needed_for_a_given_year():
    # For the year to grow 10 %: 1.1 · 350 = 385, so the last quarter is 85, 15 % below 100.
    assert scenarios.q4_growth_for_full_year(GROWTH, 10.0, UPLIFT) == pytest.approx(-15.0)
    # The nine-month rate is its own answer, whatever the shape.
    for uplift in (-30.0, 0.0, 25.0):
        assert scenarios.q4_growth_for_full_year(GROWTH, GROWTH, uplift) == pytest.approx(GROWTH)


def test_the_inverse_agrees_with_the_forward_calculation():
    q = scenarios.q4_growth_for_full_year(6.02, 3.23, 10.0)
    fy = scenarios.full_year(24012.0, 6.02, q4_uplift_pct=10.0, q4_growth_pct=q)
    assert fy.full_year_growth_pct == pytest.approx(3.23)


def test_impossible_inputs_are_refused():
    with pytest.raises(ValueError, match="uplift"):
        scenarios.last_quarter(LEVEL, -100.0)
    with pytest.raises(ValueError, match="base"):
        scenarios.full_year(LEVEL, None, q4_growth_pct=0.0)
    with pytest.raises(ValueError):
        scenarios.full_year(LEVEL, GROWTH, q4_growth_pct=-120.0)


def _frame() -> pd.DataFrame:
    return pd.DataFrame([
        {"id": "a", "indicator_en": "level a", "unit": "billion VND", "value": LEVEL,
         "kind": "level", "base_id": ""},
        {"id": "a_growth", "indicator_en": "growth of a", "unit": "percent", "value": GROWTH,
         "kind": "yoy_growth", "base_id": "a"},
        {"id": "b", "indicator_en": "level b", "unit": "billion VND", "value": 30.0,
         "kind": "level", "base_id": ""},
    ])


def test_project_gives_one_row_per_level_and_scenario():
    sc = [Scenario("even", "Even"), Scenario("flat", "Flat", UPLIFT, 0.0)]
    out = scenarios.project(_frame(), ["a", "b"], sc)
    assert list(out["id"]) == ["a", "a", "b", "b"]
    assert list(out["scenario"]) == ["even", "flat", "even", "flat"]
    a_flat = out.iloc[1]
    assert a_flat["growth_pct"] == GROWTH
    assert a_flat["full_year"] == pytest.approx(400.0)
    assert a_flat["base_full_year"] == pytest.approx(350.0)
    b_even, b_flat = out.iloc[2], out.iloc[3]
    assert b_even["full_year"] == pytest.approx(40.0)          # 30 + 30 / 3
    assert math.isnan(b_even["full_year_growth_pct"])
    # b has no growth rate, so a scenario that needs its base has no result, not a guess.
    assert b_flat["nine_months"] == 30.0 and math.isnan(b_flat["full_year"])


def test_project_refuses_an_unknown_level():
    with pytest.raises(KeyError, match="nope"):
        scenarios.project(_frame(), ["nope"], [Scenario("even", "Even")])


def test_project_on_the_articles_figures():
    out = scenarios.project(data.load_figures(), ["revenue_goods_services"],
                            [Scenario("even", "Even")])
    assert out.loc[0, "full_year"] == pytest.approx(24012 * 4 / 3)
    assert out.loc[0, "full_year_growth_pct"] == pytest.approx(6.02)
