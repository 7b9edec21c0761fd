"""The pure arithmetic behind ``bentre.checks``: no data loading, no formatting.

Every function takes and returns plain numbers (``float``), so that a notebook or a test
can call it on any values. Percentages are in percent (``6.02``), not fractions.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class Bounds:
    """A value and the interval it lies in (``low`` <= ``mid`` <= ``high``)."""

    low: float
    mid: float
    high: float


def printed_decimals(value: Decimal) -> int:
    """How many decimals a parsed number was printed with: ``6.02`` → 2, ``71`` → 0."""
    return max(0, -value.as_tuple().exponent)


def rounding_bounds(value: float, decimals: int) -> Bounds:
    """The interval a number printed to ``decimals`` places stands for: ``71`` printed to a
    whole number is anything in [70.5, 71.5)."""
    exact, half = Decimal(str(value)), Decimal(5).scaleb(-decimals - 1)
    return Bounds(float(exact - half), value, float(exact + half))


def implied_base(level: float, growth_pct: float) -> float:
    """The year-earlier level implied by a level and its growth: level ÷ (1 + g/100)."""
    if growth_pct <= -100:
        raise ValueError(f"a growth of {growth_pct}% leaves no positive base")
    return level / (1 + growth_pct / 100)


def implied_base_bounds(level: float, growth: Bounds) -> Bounds:
    """Base for each end of a growth interval; a higher growth means a lower base."""
    return Bounds(implied_base(level, growth.high), implied_base(level, growth.mid),
                  implied_base(level, growth.low))


def share_pct(part: float, total: float) -> float:
    if total == 0:
        raise ValueError("a share of a zero total is undefined")
    return 100 * part / total


def coincidence_probability(resolution_pp: float, band_width_pp: float, k: int = 2) -> float:
    """Chance that ``k`` independent growth rates, each spread uniformly over a band of
    ``band_width_pp`` percentage points and printed to ``resolution_pp``, all print equal.

    The band holds n = W / r printable values, each with chance 1/n, so for two rates
    P(equal) = n · (1/n)² = r / W, and for k rates (r / W)^(k − 1).
    """
    if band_width_pp <= 0 or resolution_pp <= 0 or k < 2:
        raise ValueError("band width and resolution must be positive, and k at least 2")
    return min(1.0, resolution_pp / band_width_pp) ** (k - 1)


def real_growth(nominal_pct: float, inflation_pct: float) -> float:
    """Growth after removing price change: (1 + g) / (1 + π) − 1, in percent."""
    if inflation_pct <= -100:
        raise ValueError(f"a price change of {inflation_pct}% is impossible")
    return 100 * ((1 + nominal_pct / 100) / (1 + inflation_pct / 100) - 1)


def implied_deflator(nominal_pct: float, real_pct: float) -> float:
    """The price change that turns a nominal growth into a real one: (1 + g) / (1 + r) − 1."""
    return real_growth(nominal_pct, real_pct)


def per_capita_bounds(total: float, population_low: float, population_high: float) -> Bounds:
    """A total per person over a population range: the larger population gives the lower value."""
    if population_low <= 0:
        raise ValueError("a population must be positive")
    mid = total / ((population_low + population_high) / 2)
    return Bounds(total / population_high, mid, total / population_low)


# --- conversions and averages for the economy and infrastructure chapters -----------------

USD_UNITS = {"USD": 1, "thousand USD": 10**3, "million USD": 10**6}


def in_usd(amount: float, vnd_per_usd: float, unit: str = "VND", to: str = "USD") -> float:
    """An amount in a VND unit of ``numbers.UNIT_SCALE`` expressed in a USD unit at one rate:
    ``in_usd(24012, 23208.37, "billion VND", "million USD")`` → about 1,034.6."""
    from .numbers import UNIT_SCALE

    if vnd_per_usd <= 0:
        raise ValueError("an exchange rate must be positive")
    if unit not in UNIT_SCALE or to not in USD_UNITS:
        raise ValueError(f"cannot convert {unit!r} to {to!r}")
    return amount * UNIT_SCALE[unit] / vnd_per_usd / USD_UNITS[to]


def per_unit(total: float, units: float) -> float:
    """A total spread evenly over ``units`` (works, wards): an average, which says nothing
    about how the total is actually distributed."""
    if units <= 0:
        raise ValueError("the number of units must be positive")
    return total / units


# --- a year from its first nine months (the full-year chapter) -----------------------------

QUARTERS_IN_NINE_MONTHS = 3


def corner_bounds(func, *args: Bounds) -> Bounds:
    """``func`` of values known only to intervals: its value at the midpoints, and the lowest
    and highest of its values at every combination of the ends. Exact for a function that is
    monotone in each argument over the intervals, as the ratios and differences of levels and
    growth rates here are over rounding intervals (hundredths of a point, half a billion)."""
    import itertools

    mid = func(*(a.mid for a in args))
    ends = [func(*corner) for corner in itertools.product(*((a.low, a.high) for a in args))]
    return Bounds(min(ends + [mid]), mid, max(ends + [mid]))


def growth_pct(level: float, base: float) -> float:
    """Growth of ``level`` on ``base``, in percent: (level / base − 1) · 100."""
    if base <= 0:
        raise ValueError("a growth on a base that is not positive is undefined")
    return 100 * (level / base - 1)


def last_quarter_uplift_pct(last_quarter: float, nine_months: float) -> float:
    """How much larger the last quarter is than the average quarter of the first nine months,
    in percent: what the outlook's scenarios call the uplift (0 for even quarters)."""
    if nine_months <= 0:
        raise ValueError("nine months that are not positive have no average quarter")
    return 100 * (last_quarter / (nine_months / QUARTERS_IN_NINE_MONTHS) - 1)


def remainder_growth_pct(total: float, total_growth_pct: float, part: float,
                         part_growth_pct: float) -> float:
    """Growth of the rest of a total once a part with its own growth is taken out: both
    year-earlier levels come from the growth rates, (T − P) / (T/(1+t) − P/(1+p)) − 1."""
    base = implied_base(total, total_growth_pct) - implied_base(part, part_growth_pct)
    return growth_pct(total - part, base)
