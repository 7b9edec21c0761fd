"""Checks of the article's nine-month estimates, and of the outlook's scenarios, against what
was later reported for the whole of 2020 (``data/outcomes.csv``). Registered in
:mod:`bentre.checks`; the arithmetic is in :mod:`bentre.estimates` and :mod:`bentre.scenarios`.

Every check here rests on one stated assumption, which :func:`indicator_wording` flags: the
newspaper's *tổng doanh thu thương mại, dịch vụ* for the year is the article's *tổng doanh thu
hàng hóa, dịch vụ* for nine months. Rates printed to 0,01 or 0,1 point and levels printed to
the billion are intervals, not points: each derived value carries its ``_low`` and ``_high``.

No hindsight: the outlook's scenarios are scored as the outlook built them, from the
nine-month figures alone (:data:`OUTLOOK_SCENARIOS`); the outcome never changes them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from . import estimates, numbers, scenarios
from .checkbase import (Outcome, as_printed, check, context_or_default, figures_or_default,
                        money, pct, printed_value, row, sentence_case)
from .estimates import Bounds

# --- the outlook's scenarios, frozen -----------------------------------------------------
# Exactly as chapters/05_outlook.ipynb built them in late 2020 from the nine-month figures
# alone: its parameters cell sets q4_uplift_pct = 10.0 and q4_growth_alt_pct = 0.0, and its
# SCENARIOS cell builds A, B and C from them. They are copied here, not read back, so that the
# outcome is scored against what the outlook said; tests/test_outcomes.py fails if the
# outlook's parameters, its stored (glued) values or this copy ever differ.
OUTLOOK_Q4_UPLIFT_PCT = 10.0
OUTLOOK_Q4_GROWTH_ALT_PCT = 0.0
OUTLOOK_SCENARIOS = (
    scenarios.Scenario("A", "A: even quarters"),
    scenarios.Scenario("B", "B: year-end uplift", OUTLOOK_Q4_UPLIFT_PCT),
    scenarios.Scenario("C", f"C: uplift, Q4 growth {OUTLOOK_Q4_GROWTH_ALT_PCT:g}%",
                       OUTLOOK_Q4_UPLIFT_PCT, OUTLOOK_Q4_GROWTH_ALT_PCT),
)

# Judgements, not measurements (no seasonal pattern of the city's trade was found): a last
# quarter more than this much above the average quarter of the first nine months is more than
# an ordinary year-end peak (the outlook allowed for 10 %), and a last-quarter growth more
# than this many points from the nine-month rate is a break in the year's trend.
UPLIFT_FLAG_PCT = 25.0
Q4_GROWTH_BAND_PP = 10.0

NINE_MONTHS = ("revenue_goods_services", "revenue_goods_services_growth")
YEAR = ("revenue_commerce_services_2020", "revenue_commerce_services_growth_2020")
RETAIL = ("retail_sales_2020", "retail_sales_growth_2020")

ASSUMPTION = ("assuming the newspaper's total turnover of commerce and services is the "
              "article's total turnover of goods and services")


def outcomes_or_default(outcomes: pd.DataFrame | None) -> pd.DataFrame:
    from . import data
    return data.load_outcomes() if outcomes is None else outcomes


def printed_bounds(figure: dict) -> Bounds:
    """The interval a figure stands for at the precision it was printed with: ``6,32%`` is
    [6.315, 6.325), ``37.067`` (billion) is [37,066.5, 37,067.5)."""
    return estimates.rounding_bounds(figure["value"],
                                     estimates.printed_decimals(printed_value(figure)))


def _bounds_values(name: str, b: Bounds) -> dict:
    return {name: b.mid, f"{name}_low": b.low, f"{name}_high": b.high}


@dataclass(frozen=True)
class Year:
    """The two years, each split into its first nine months and its last quarter, from the
    article's nine months and the newspaper's year (billion VND; rates in percent)."""

    nine_months: dict
    nine_months_growth: dict
    year: dict
    year_growth: dict
    nine_months_2020: Bounds
    nine_months_2019: Bounds
    year_2020: Bounds
    year_2019: Bounds
    last_quarter_2020: Bounds
    last_quarter_2019: Bounds
    last_quarter_growth: Bounds

    @property
    def inputs(self) -> dict:
        return {f["id"]: f["value"] for f in (self.nine_months, self.nine_months_growth,
                                              self.year, self.year_growth)}


def split_year(figures=None, outcomes=None) -> Year:
    """The nine months and the last quarter of 2020 and 2019: 2019's nine months from the
    article's nine-month rate, 2019's year from the newspaper's full-year rate, each last
    quarter as the year minus its nine months."""
    figures, outcomes = figures_or_default(figures), outcomes_or_default(outcomes)
    l9, g9 = (row(figures, i) for i in NINE_MONTHS)
    y, t = (row(outcomes, i, "outcomes") for i in YEAR)
    L, G, Y, T = (printed_bounds(f) for f in (l9, g9, y, t))
    base = estimates.implied_base
    return Year(
        l9, g9, y, t, L, estimates.corner_bounds(base, L, G), Y,
        estimates.corner_bounds(base, Y, T),
        estimates.corner_bounds(lambda y_, l_: y_ - l_, Y, L),
        estimates.corner_bounds(lambda y_, t_, l_, g_: base(y_, t_) - base(l_, g_), Y, T, L, G),
        estimates.corner_bounds(_last_quarter_growth, Y, T, L, G))


def _last_quarter_growth(year: float, year_growth: float, nine: float, nine_growth: float) -> float:
    """The last quarter's growth, or NaN where 2019 leaves no positive last quarter (a check
    then fails; it is not an exception)."""
    base = estimates.implied_base(year, year_growth) - estimates.implied_base(nine, nine_growth)
    return estimates.growth_pct(year - nine, base) if base > 0 else math.nan


def _no_last_quarter(s: Year) -> Outcome | None:
    """A failing outcome if either year leaves no positive last quarter after its nine months:
    then the two figures cannot describe one aggregate, and nothing that follows means anything."""
    if s.last_quarter_2020.low > 0 and s.last_quarter_2019.low > 0:
        return None
    return Outcome("fail", f"The year ({as_printed(s.year)}) leaves no positive last quarter "
                   f"after the nine months ({as_printed(s.nine_months)}) in 2020, or after the "
                   f"nine months its growth implies in 2019 ({money(s.nine_months_2019.mid)}): "
                   "the two figures cannot describe one aggregate.", s.inputs,
                   {"last_quarter_2020": s.last_quarter_2020.mid,
                    "last_quarter_2019": s.last_quarter_2019.mid})


def _billions(b: Bounds) -> str:
    return (f"{money(b.mid)} ({numbers.format_en(b.low, 2)}–{numbers.format_en(b.high, 2)} for "
            "any values that round to the printed ones)")


# --- the assumption everything rests on ------------------------------------------------------

@check("indicator_wording", "outcome",
       "The nine-month and the full-year turnover are named differently: one aggregate or two?",
       could_fail=False,
       power=("It compares the two indicators' names, not their values: it flags whenever the "
              "wording differs, whatever the numbers, so its flag is a caveat, not evidence."))
def indicator_wording(figures=None, outcomes=None) -> Outcome:
    figures, outcomes = figures_or_default(figures), outcomes_or_default(outcomes)
    nine, year = row(figures, NINE_MONTHS[0]), row(outcomes, YEAR[0], "outcomes")
    names = (nine["indicator_vi"], year["indicator_vi"])
    even_year = scenarios.full_year(nine["value"]).full_year
    ratio = even_year / year["value"]
    inputs = {nine["id"]: nine["value"], year["id"]: year["value"]}
    values = {"article_indicator_vi": names[0], "outcome_indicator_vi": names[1],
              "same_name": names[0] == names[1], "even_quarters_year": even_year,
              "scope_ratio_for_even_quarters": ratio,
              "wider_by_pct_for_even_quarters": 100 * (1 / ratio - 1)}
    if names[0] == names[1]:
        return Outcome("pass", f"Both sources name the indicator “{names[0]}”.", inputs, values)
    return Outcome("flag", f"The article's nine months are “{names[0]}”, the newspaper's year "
                   f"“{names[1]}”: probably one aggregate, but that is an assumption. If the "
                   "year's aggregate were wider, the year minus the nine months would not be "
                   "the last quarter: were it "
                   f"{pct(values['wider_by_pct_for_even_quarters'])} wider, the article's own "
                   f"aggregate would have made {money(even_year)} in the year, the nine months "
                   "plus an average quarter, and there would be no year-end surge at all.",
                   inputs, values)


# --- the year split into quarters ----------------------------------------------------------

@check("full_year_base_2019", "outcome",
       "Full-year 2019 turnover implied by the full-year level and growth rate",
       could_fail=False,
       power=("Any positive level with a growth above −100 % implies a positive base: it "
              "computes the 2019 year that the later checks need, and its pass is no evidence."))
def full_year_base_2019(figures=None, outcomes=None) -> Outcome:
    outcomes = outcomes_or_default(outcomes)
    y, t = (row(outcomes, i, "outcomes") for i in YEAR)
    inputs = {y["id"]: y["value"], t["id"]: t["value"]}
    Y, T = printed_bounds(y), printed_bounds(t)
    if y["value"] <= 0 or T.low <= -100:
        return Outcome("fail", f"A year of {as_printed(y)} up {as_printed(t)} implies no "
                       "positive 2019 level.", inputs, {})
    base = estimates.corner_bounds(estimates.implied_base, Y, T)
    values = {**_bounds_values("year_2019", base), "year_2020": y["value"],
              "growth_pct": t["value"], "growth_low_pct": T.low, "growth_high_pct": T.high,
              "increase": y["value"] - base.mid, "unit": y["unit"]}
    return Outcome("pass", f"{sentence_case(y['indicator_en'])} of {as_printed(y)} in 2020, up "
                   f"{as_printed(t)}, implies {_billions(base)} in 2019.", inputs, values)


@check("last_quarter_2020", "outcome",
       "The last quarter of 2020 and of 2019 (the year minus its first nine months), and its growth",
       could_fail=True,
       power=("A full-year figure below the nine-month estimate, such as a narrower aggregate "
              "or a misread number, leaves no last quarter in one year or the other and fails it."))
def last_quarter_2020(figures=None, outcomes=None) -> Outcome:
    s = split_year(figures, outcomes)
    values = {**_bounds_values("last_quarter_2020", s.last_quarter_2020),
              **_bounds_values("last_quarter_2019", s.last_quarter_2019),
              **_bounds_values("nine_months_2019", s.nine_months_2019),
              **_bounds_values("year_2019", s.year_2019), "unit": s.year["unit"]}
    if (failed := _no_last_quarter(s)) is not None:
        return failed
    values.update(_bounds_values("last_quarter_growth_pct", s.last_quarter_growth))
    q = s.last_quarter_growth
    return Outcome("pass", f"{ASSUMPTION.capitalize()}, the last quarter of 2020 was "
                   f"{money(s.last_quarter_2020.mid)} (the year {as_printed(s.year)} less the "
                   f"nine months {as_printed(s.nine_months)}) and the last quarter of 2019 "
                   f"{money(s.last_quarter_2019.mid)} (the year {money(s.year_2019.mid)} less the "
                   f"nine months {money(s.nine_months_2019.mid)}), a growth of {pct(q.mid)} "
                   f"({pct(q.low, 3)}–{pct(q.high, 3)} for any inputs that round to the "
                   "printed ones).", s.inputs, values)


@check("last_quarter_share", "outcome",
       "The last quarter's share of the year, and its size against the average quarter (uplift)",
       could_fail=True,
       power=(f"A last quarter more than {numbers.format_en(UPLIFT_FLAG_PCT)} % above the "
              "average quarter flags it: a wider full-year aggregate or a nine-month estimate "
              "made too low would do that, and an ordinary year-end peak would pass."))
def last_quarter_share(figures=None, outcomes=None,
                       uplift_flag_pct: float = UPLIFT_FLAG_PCT) -> Outcome:
    s = split_year(figures, outcomes)
    share = estimates.share_pct
    uplift = estimates.last_quarter_uplift_pct
    values = {
        **_bounds_values("share_2020_pct", estimates.corner_bounds(
            lambda y_, l_: share(y_ - l_, y_), s.year_2020, s.nine_months_2020)),
        **_bounds_values("share_2019_pct", Bounds(
            share(s.last_quarter_2019.low, s.last_quarter_2019.low + s.nine_months_2019.high),
            share(s.last_quarter_2019.mid, s.year_2019.mid),
            share(s.last_quarter_2019.high, s.last_quarter_2019.high + s.nine_months_2019.low))),
        **_bounds_values("uplift_2020_pct", estimates.corner_bounds(
            lambda y_, l_: uplift(y_ - l_, l_), s.year_2020, s.nine_months_2020)),
        **_bounds_values("uplift_2019_pct", Bounds(
            uplift(s.last_quarter_2019.low, s.nine_months_2019.high),
            uplift(s.last_quarter_2019.mid, s.nine_months_2019.mid),
            uplift(s.last_quarter_2019.high, s.nine_months_2019.low))),
        "even_share_pct": share(1, 1 + estimates.QUARTERS_IN_NINE_MONTHS),
        "outlook_uplift_pct": OUTLOOK_Q4_UPLIFT_PCT, "uplift_flag_pct": uplift_flag_pct,
    }
    if (failed := _no_last_quarter(s)) is not None:
        return failed
    text = (f"The last quarter was {pct(values['share_2020_pct'])} of 2020 and "
            f"{pct(values['share_2019_pct'])} of 2019 (an even year gives "
            f"{pct(values['even_share_pct'])}); it was {pct(values['uplift_2020_pct'])} above the "
            f"average quarter of the first nine months in 2020 and "
            f"{pct(values['uplift_2019_pct'])} in 2019, against the outlook's "
            f"{pct(OUTLOOK_Q4_UPLIFT_PCT, 0)}")
    if max(values["uplift_2020_pct"], values["uplift_2019_pct"]) > uplift_flag_pct:
        return Outcome("flag", text + f": more than {pct(uplift_flag_pct, 0)}, far beyond an "
                       "ordinary year-end peak, so either trade really was concentrated at the "
                       "year's end (in both years alike), or the nine-month estimate and the "
                       "year do not measure the same thing in the same way.", s.inputs, values)
    return Outcome("pass", text + ".", s.inputs, values)


@check("growth_consistency", "outcome",
       "Nine-month and full-year growth: the last-quarter growth they imply, and whether it is plausible",
       could_fail=True,
       power=(f"A full-year rate far from the nine-month one (say 1 % or 15 % against 6 %) "
              f"implies a last quarter growing more than {numbers.format_en(Q4_GROWTH_BAND_PP)} "
              "points away from the nine months, and flags it; a typo in either rate would."))
def growth_consistency(figures=None, outcomes=None,
                       band_pp: float = Q4_GROWTH_BAND_PP) -> Outcome:
    s = split_year(figures, outcomes)
    if (failed := _no_last_quarter(s)) is not None:
        return failed
    g, t = s.nine_months_growth["value"], s.year_growth["value"]
    observed_uplift = estimates.last_quarter_uplift_pct(s.last_quarter_2019.mid,
                                                        s.nine_months_2019.mid)
    implied = {key: scenarios.q4_growth_for_full_year(g, t, u) for key, u in
               (("even", 0.0), ("outlook_uplift", OUTLOOK_Q4_UPLIFT_PCT),
                ("observed_shape", observed_uplift))}
    q = s.last_quarter_growth
    values = {"nine_months_growth_pct": g, "year_growth_pct": t,
              "implied_q4_growth_even_pct": implied["even"],
              "implied_q4_growth_outlook_uplift_pct": implied["outlook_uplift"],
              "implied_q4_growth_observed_shape_pct": implied["observed_shape"],
              **_bounds_values("last_quarter_growth_pct", q),
              "gap_pp": q.mid - g, "band_pp": band_pp}
    text = (f"The nine months grew {as_printed(s.nine_months_growth)} and the year "
            f"{as_printed(s.year_growth)}, so the last quarter grew {pct(q.mid)} "
            f"({pct(q.low, 3)}–{pct(q.high, 3)}) with the shape the two years' levels imply "
            f"({pct(implied['even'])} had the quarters been even, {pct(implied['outlook_uplift'])} "
            f"with the outlook's year-end uplift): {numbers.format_en(abs(q.mid - g), 2)} points "
            f"{'faster' if q.mid >= g else 'slower'} than the nine months")
    if abs(q.mid - g) > band_pp:
        return Outcome("flag", text + f", more than {numbers.format_en(band_pp)} points: a "
                       "break in the year's trend, or rates that do not belong together.",
                       s.inputs, values)
    return Outcome("pass", text + f", within {numbers.format_en(band_pp)} points: the two "
                   "rates are consistent with one steady year.", s.inputs, values)


# --- retail inside the total ----------------------------------------------------------------

@check("retail_share_of_revenue", "outcome",
       "Retail's share of the full-year turnover, and the growth of the non-retail rest",
       could_fail=True,
       power=("A retail figure above the total (two figures swapped or misread), or rates that "
              "leave the non-retail rest of 2019 no positive level, fail it."))
def retail_share_of_revenue(figures=None, outcomes=None) -> Outcome:
    outcomes = outcomes_or_default(outcomes)
    y, t = (row(outcomes, i, "outcomes") for i in YEAR)
    r, rg = (row(outcomes, i, "outcomes") for i in RETAIL)
    Y, T, R, RG = (printed_bounds(f) for f in (y, t, r, rg))
    inputs = {f["id"]: f["value"] for f in (y, t, r, rg)}
    base = estimates.implied_base
    values = {"unit": y["unit"], "retail": r["value"], "total": y["value"],
              "rest": y["value"] - r["value"]}
    rest_2019 = estimates.corner_bounds(lambda *a: base(a[0], a[1]) - base(a[2], a[3]),
                                        Y, T, R, RG)
    if r["value"] > y["value"] or rest_2019.low <= 0:
        return Outcome("fail", f"Retail sales of {as_printed(r)} up {as_printed(rg)} cannot be "
                       f"part of a total of {as_printed(y)} up {as_printed(t)}: the rest would "
                       "be negative in one year.", inputs, values)
    share = estimates.corner_bounds(lambda a, b: estimates.share_pct(b, a), Y, R)
    rest_growth = estimates.corner_bounds(estimates.remainder_growth_pct, Y, T, R, RG)
    values.update({**_bounds_values("share_pct", share),
                   **_bounds_values("retail_2019", estimates.corner_bounds(base, R, RG)),
                   **_bounds_values("rest_2019", rest_2019),
                   **_bounds_values("rest_growth_pct", rest_growth),
                   "retail_growth_pct": rg["value"], "total_growth_pct": t["value"]})
    return Outcome("pass", f"Retail sales of goods and services, {as_printed(r)}, were "
                   f"{pct(share.mid)} of the total turnover of commerce and services "
                   f"({as_printed(y)}) in 2020. With retail up {as_printed(rg)} and the total "
                   f"up {as_printed(t)}, the rest ({money(values['rest'])}) grew "
                   f"{pct(rest_growth.mid)} on {money(rest_2019.mid)} in 2019 "
                   f"({pct(rest_growth.low)}–{pct(rest_growth.high)}, as retail's rate is "
                   "printed to a tenth of a point).", inputs, values)


@check("national_retail_comparison_rescored", "outcome",
       "The economy chapter's comparison with national retail sales, rescored with the city's own retail share",
       could_fail=False,
       power=("It re-expresses a comparison that only shows scale: no plausible figure could "
              "make it fail; it measures how much the scope caveat matters."))
def national_retail_comparison_rescored(figures=None, outcomes=None, context=None,
                                        retail_id="vn_retail_sales_9m2020") -> Outcome:
    from .checks_figures import revenue_vs_national_retail

    figures, outcomes = figures_or_default(figures), outcomes_or_default(outcomes)
    context = context_or_default(context)
    before = revenue_vs_national_retail(figures, context, NINE_MONTHS[0], retail_id)
    y, r = row(outcomes, YEAR[0], "outcomes"), row(outcomes, RETAIL[0], "outcomes")
    nine = row(figures, NINE_MONTHS[0])
    ratio = r["value"] / y["value"]
    v = before.values
    retail_9m = nine["value"] * ratio
    values = {"share_whole_revenue_pct": v["share_low_pct"], "retail_ratio": ratio,
              "city_retail_9m_if_same_mix": retail_9m,
              "share_retail_only_pct": estimates.share_pct(retail_9m, v["retail_high"]),
              "overstatement_factor": 1 / ratio, "national_retail_9m": v["retail_low"],
              "unit": nine["unit"]}
    inputs = {**before.inputs, y["id"]: y["value"], r["id"]: r["value"]}
    return Outcome("flag", f"The economy chapter set the city's whole turnover, "
                   f"{as_printed(nine)}, against Viet Nam's retail sales: "
                   f"{pct(values['share_whole_revenue_pct'])}. The city's own retail sales were "
                   f"{pct(100 * ratio)} of its total in 2020; if the nine months had the same "
                   f"mix (an assumption), the city's retail in them was about "
                   f"{money(retail_9m)}, or {pct(values['share_retail_only_pct'])} of national "
                   f"retail: the whole-turnover comparison overstated the city's weight about "
                   f"{numbers.format_en(values['overstatement_factor'], 2)} times. No national "
                   "retail figure for the full year is in this book's sources, so the city's "
                   "retail growth for the year is compared with nothing national.",
                   inputs, values)


# --- the outlook's scenarios against the outcome ------------------------------------------------

def outlook_projection(figures=None) -> pd.DataFrame:
    """The outlook's scenarios for the turnover, recomputed by :func:`bentre.scenarios.project`
    from the nine-month figures and :data:`OUTLOOK_SCENARIOS`, as the outlook built them."""
    return scenarios.project(figures_or_default(figures), [NINE_MONTHS[0]],
                             list(OUTLOOK_SCENARIOS))


@check("outlook_scenarios_scored", "outcome",
       "The outlook's scenarios for the year against the reported year: errors, range, cause",
       could_fail=True,
       power=("An outcome inside the range of the scenarios, fixed before the outcome was "
              "known, passes; one outside flags, and the check says which assumption missed."))
def outlook_scenarios_scored(figures=None, outcomes=None) -> Outcome:
    figures = figures_or_default(figures)
    s = split_year(figures, outcomes)
    if (failed := _no_last_quarter(s)) is not None:
        return failed
    Y, t = s.year["value"], s.year_growth["value"]
    nine, growth = s.nine_months["value"], s.nine_months_growth["value"]
    observed_uplift = estimates.last_quarter_uplift_pct(s.last_quarter_2019.mid,
                                                        s.nine_months_2019.mid)
    projection = outlook_projection(figures)
    values = {"outcome": Y, "outcome_growth_pct": t, "observed_uplift_2019_pct": observed_uplift,
              "unit": s.year["unit"]}
    lines = []
    for sc, p in zip(OUTLOOK_SCENARIOS, projection.itertuples()):
        # The same scenario with the shape the outcome implies: the level it misses by then
        # is the growth assumption's; the rest is the shape's.
        shaped = scenarios.full_year(nine, growth, observed_uplift, sc.q4_growth_pct).full_year
        k = sc.key.lower()
        values.update({f"{k}_full_year": p.full_year, f"{k}_growth_pct": p.full_year_growth_pct,
                       f"{k}_error": p.full_year - Y,
                       f"{k}_error_pct": 100 * (p.full_year / Y - 1),
                       f"{k}_growth_error_pp": p.full_year_growth_pct - t,
                       f"{k}_error_from_shape": p.full_year - shaped,
                       f"{k}_error_from_growth": shaped - Y,
                       f"{k}_main_cause": ("shape" if abs(p.full_year - shaped) >= abs(shaped - Y)
                                           else "growth")})
        lines.append(f"{sc.label} {money(p.full_year)} ({numbers.format_en(p.full_year - Y, 2)}, "
                     f"{pct(values[f'{k}_error_pct'])}; growth {pct(p.full_year_growth_pct)}, "
                     f"{numbers.format_en(values[f'{k}_growth_error_pp'], 2)} points)")
    low, high = projection["full_year"].min(), projection["full_year"].max()
    g_low, g_high = (projection["full_year_growth_pct"].min(),
                     projection["full_year_growth_pct"].max())
    causes = {values[f"{sc.key.lower()}_main_cause"] for sc in OUTLOOK_SCENARIOS}
    values.update(range_low=low, range_high=high, growth_range_low_pct=g_low,
                  growth_range_high_pct=g_high, inside_range=bool(low <= Y <= high),
                  growth_inside_range=bool(g_low <= t <= g_high),
                  main_cause=causes.pop() if len(causes) == 1 else "mixed")
    text = (f"Against the reported {as_printed(s.year)} (up {as_printed(s.year_growth)}), the "
            f"outlook's scenarios gave: {'; '.join(lines)}. ")
    if values["inside_range"]:
        return Outcome("pass", text + "The outcome lies inside the range of the scenarios.",
                       s.inputs, values)
    where = "above" if Y > high else "below"
    cause = {"shape": "the shape: the last quarter was far larger than the scenarios assumed "
                      f"(the two years imply {pct(observed_uplift)} above the average quarter), "
                      "while their growth assumptions missed by less",
             "growth": "the last quarter's growth rather than its size",
             "mixed": "the shape for some scenarios and the growth for others"}[values["main_cause"]]
    return Outcome("flag", text + f"The outcome lies {where} the whole range "
                   f"({money(low)} to {money(high)}); most of the miss comes from {cause}.",
                   s.inputs, values)
