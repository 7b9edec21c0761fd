"""Illustrative full-year scenarios built from nine-month figures: arithmetic, not forecasts.

A year is the first nine months (three quarters) plus the last quarter. Every scenario here
makes two stated assumptions and nothing else:

1. **Shape.** The last quarter is ``1 + u/100`` times the average quarter of the first nine
   months, and the year before had the same shape. With the nine-month level ``L`` and the
   year-earlier nine-month base ``B = L / (1 + g/100)`` (``g``: the nine-month growth rate),
   the last quarter of the year before was ``B / 3 · (1 + u/100)``.
2. **Last-quarter growth.** The last quarter grows on the same quarter a year earlier by
   ``q``; if ``q`` is not given, by the nine-month rate ``g`` (the year then grows by ``g``
   too, whatever the shape).

Without a growth rate (no base) only the shape can be applied, and only when ``q`` is not
given. Levels may be in any unit; rates are in percent (``6.02``), not fractions. No data
loading and no formatting happen here; :func:`project` only reads the frame it is given.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from .estimates import implied_base

QUARTERS_IN_NINE_MONTHS = 3


@dataclass(frozen=True)
class Scenario:
    """One set of assumptions: the last quarter's size relative to the average quarter
    (``q4_uplift_pct``) and its growth on a year earlier (``None``: the nine-month rate)."""

    key: str
    label: str
    q4_uplift_pct: float = 0.0
    q4_growth_pct: float | None = None


@dataclass(frozen=True)
class FullYear:
    """A full year under one scenario. The ``base_*`` fields (the year before) and the growth
    rates are ``None`` when no nine-month growth rate was given."""

    nine_months: float
    last_quarter: float
    full_year: float
    base_nine_months: float | None = None
    base_last_quarter: float | None = None
    base_full_year: float | None = None
    last_quarter_growth_pct: float | None = None
    full_year_growth_pct: float | None = None


def _ratio(pct: float, what: str) -> float:
    if pct <= -100:
        raise ValueError(f"{what} of {pct}% leaves nothing")
    return 1 + pct / 100


def last_quarter(nine_months: float, q4_uplift_pct: float = 0.0) -> float:
    """The last quarter when it is ``q4_uplift_pct`` larger than the average quarter of the
    first nine months: ``L / 3 · (1 + u/100)``."""
    return nine_months / QUARTERS_IN_NINE_MONTHS * _ratio(q4_uplift_pct, "an uplift")


def full_year(nine_months: float, growth_pct: float | None = None,
              q4_uplift_pct: float = 0.0, q4_growth_pct: float | None = None) -> FullYear:
    """The full year from a nine-month level, its growth rate (optional) and a scenario."""
    if growth_pct is None:
        if q4_growth_pct is not None:
            raise ValueError("a last-quarter growth rate needs a year-earlier base, "
                             "and a level without a growth rate has none")
        q4 = last_quarter(nine_months, q4_uplift_pct)
        return FullYear(nine_months, q4, nine_months + q4)
    base = implied_base(nine_months, growth_pct)
    base_q4 = last_quarter(base, q4_uplift_pct)
    q4_growth = growth_pct if q4_growth_pct is None else q4_growth_pct
    q4 = base_q4 * _ratio(q4_growth, "a last-quarter growth")
    year, base_year = nine_months + q4, base + base_q4
    return FullYear(nine_months, q4, year, base, base_q4, base_year, q4_growth,
                    100 * (year / base_year - 1))


def q4_growth_for_full_year(growth_pct: float, full_year_growth_pct: float,
                            q4_uplift_pct: float = 0.0) -> float:
    """The last quarter's growth on a year earlier at which the whole year grows by
    ``full_year_growth_pct``, given the nine-month rate and the shape. It does not depend on
    the level: with ``s = (1 + u/100) / 3``, ``1 + q = ((1 + t)(1 + s) − (1 + g)) / s``."""
    share = _ratio(q4_uplift_pct, "an uplift") / QUARTERS_IN_NINE_MONTHS
    g = _ratio(growth_pct, "a growth")
    t = _ratio(full_year_growth_pct, "a full-year growth")
    return 100 * ((t * (1 + share) - g) / share - 1)


COLUMNS = ["id", "indicator_en", "unit", "growth_pct", "scenario", "label", "nine_months",
           "last_quarter", "full_year", "base_full_year", "last_quarter_growth_pct",
           "full_year_growth_pct"]


def project(figures: pd.DataFrame, level_ids: list[str],
            scenarios: list[Scenario]) -> pd.DataFrame:
    """One row per level and scenario (levels in the order given, then scenarios). A
    level's growth rate is the ``yoy_growth`` figure whose ``base_id`` names it, if any; a
    scenario that needs a base the level lacks gives empty (NaN) results, not a guess."""
    rows = []
    for level_id in level_ids:
        level = figures[figures["id"] == level_id]
        if len(level) != 1:
            raise KeyError(f"no single figure {level_id!r}")
        level = level.iloc[0]
        rates = figures[(figures["kind"] == "yoy_growth") & (figures["base_id"] == level_id)]
        growth = float(rates.iloc[0]["value"]) if len(rates) == 1 else None
        for sc in scenarios:
            out = {"id": level_id, "indicator_en": str(level["indicator_en"]),
                   "unit": str(level["unit"]),
                   "growth_pct": math.nan if growth is None else growth,
                   "scenario": sc.key, "label": sc.label, "nine_months": None}
            if growth is None and sc.q4_growth_pct is not None:
                fy = None
            else:
                fy = full_year(float(level["value"]), growth, sc.q4_uplift_pct, sc.q4_growth_pct)
            for col in COLUMNS[7:]:
                value = None if fy is None else getattr(fy, col)
                out[col] = math.nan if value is None else float(value)
            out["nine_months"] = float(level["value"])
            rows.append(out)
    return pd.DataFrame(rows, columns=COLUMNS)
