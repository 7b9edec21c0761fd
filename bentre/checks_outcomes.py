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
                        money, pct, printed_value, row, sentence_case, local_text)
from .estimates import Bounds
from .i18n import N_, _

# --- the outlook's scenarios, frozen -----------------------------------------------------
# Exactly as chapters/05_outlook.ipynb built them in late 2020 from the nine-month figures
# alone: its parameters cell sets q4_uplift_pct = 10.0 and q4_growth_alt_pct = 0.0, and its
# SCENARIOS cell builds A, B and C from them. They are copied here, not read back, so that the
# outcome is scored against what the outlook said; tests/test_outcomes.py fails if the
# outlook's parameters, its stored (glued) values or this copy ever differ.
OUTLOOK_Q4_UPLIFT_PCT = 10.0
OUTLOOK_Q4_GROWTH_ALT_PCT = 0.0
# The labels are English, as the outlook wrote them (the tests compare them); shown to the
# reader through :func:`scenario_label`.
SCENARIO_LABELS = {"A": N_("A: even quarters"), "B": N_("B: year-end uplift"),
                   "C": N_("C: uplift, Q4 growth {growth}%")}
OUTLOOK_SCENARIOS = (
    scenarios.Scenario("A", SCENARIO_LABELS["A"]),
    scenarios.Scenario("B", SCENARIO_LABELS["B"], OUTLOOK_Q4_UPLIFT_PCT),
    scenarios.Scenario("C", SCENARIO_LABELS["C"].format(growth=f"{OUTLOOK_Q4_GROWTH_ALT_PCT:g}"),
                       OUTLOOK_Q4_UPLIFT_PCT, OUTLOOK_Q4_GROWTH_ALT_PCT),
)


def scenario_label(sc: scenarios.Scenario) -> str:
    """An outlook scenario's label in the reader's language (its numbers in the reader's
    convention); a label this module did not make is shown as it is, translated if it can be."""
    template = SCENARIO_LABELS.get(sc.key)
    if template is None or sc.label not in (
            template, template.format(growth=f"{sc.q4_growth_pct:g}")
            if sc.q4_growth_pct is not None else template):
        return _(sc.label)
    if sc.q4_growth_pct is None:
        return _(template)
    shown = f"{sc.q4_growth_pct:g}"
    decimals = len(shown.partition(".")[2]) if "e" not in shown else 2
    return _(template).format(growth=numbers.local(sc.q4_growth_pct, decimals))

# Judgements, not measurements (no seasonal pattern of the city's trade was found): a last
# quarter more than this much above the average quarter of the first nine months is more than
# an ordinary year-end peak (the outlook allowed for 10 %), and a last-quarter growth more
# than this many points from the nine-month rate is a break in the year's trend.
UPLIFT_FLAG_PCT = 25.0
Q4_GROWTH_BAND_PP = 10.0

NINE_MONTHS = ("revenue_goods_services", "revenue_goods_services_growth")
YEAR = ("revenue_commerce_services_2020", "revenue_commerce_services_growth_2020")
RETAIL = ("retail_sales_2020", "retail_sales_growth_2020")

ASSUMPTION = N_("assuming the newspaper's total turnover of commerce and services is the "
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
    return Outcome("fail", _("The year ({year}) leaves no positive last quarter after the nine "
                             "months ({nine_months}) in 2020, or after the nine months its "
                             "growth implies in 2019 ({nine_months_2019}): the two figures "
                             "cannot describe one aggregate.").format(
        year=as_printed(s.year), nine_months=as_printed(s.nine_months),
        nine_months_2019=money(s.nine_months_2019.mid)), s.inputs,
                   {"last_quarter_2020": s.last_quarter_2020.mid,
                    "last_quarter_2019": s.last_quarter_2019.mid})


def _billions(b: Bounds) -> str:
    return _("{value} ({low}–{high} for any values that round to the printed ones)").format(
        value=money(b.mid), low=numbers.local(b.low, 2), high=numbers.local(b.high, 2))


# --- the assumption everything rests on ------------------------------------------------------

@check("indicator_wording", "outcome",
       N_("The nine-month and the full-year turnover are named differently: one aggregate or "
          "two?"),
       could_fail=False,
       power=N_("It compares the two indicators' names, not their values: it flags whenever the "
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
        return Outcome("pass", _("Both sources name the indicator “{name}”.").format(
            name=names[0]), inputs, values)
    return Outcome("flag", _("The article's nine months are “{article}”, the newspaper's year "
                             "“{newspaper}”: probably one aggregate, but that is an assumption. "
                             "If the year's aggregate were wider, the year minus the nine months "
                             "would not be the last quarter: were it {wider} wider, the "
                             "article's own aggregate would have made {even_year} in the year, "
                             "the nine months plus an average quarter, and there would be no "
                             "year-end surge at all.").format(
        article=names[0], newspaper=names[1],
        wider=pct(values["wider_by_pct_for_even_quarters"]), even_year=money(even_year)),
        inputs, values)


# --- the year split into quarters ----------------------------------------------------------

@check("full_year_base_2019", "outcome",
       N_("Full-year 2019 turnover implied by the full-year level and growth rate"),
       could_fail=False,
       power=N_("Any positive level with a growth above −100 % implies a positive base: it "
                "computes the 2019 year that the later checks need, and its pass is no "
                "evidence."))
def full_year_base_2019(figures=None, outcomes=None) -> Outcome:
    outcomes = outcomes_or_default(outcomes)
    y, t = (row(outcomes, i, "outcomes") for i in YEAR)
    inputs = {y["id"]: y["value"], t["id"]: t["value"]}
    Y, T = printed_bounds(y), printed_bounds(t)
    if y["value"] <= 0 or T.low <= -100:
        return Outcome("fail", _("A year of {year} up {growth} implies no positive 2019 "
                                 "level.").format(year=as_printed(y), growth=as_printed(t)),
                       inputs, {})
    base = estimates.corner_bounds(estimates.implied_base, Y, T)
    values = {**_bounds_values("year_2019", base), "year_2020": y["value"],
              "growth_pct": t["value"], "growth_low_pct": T.low, "growth_high_pct": T.high,
              "increase": y["value"] - base.mid, "unit": y["unit"]}
    return Outcome("pass", _("{name} of {year} in 2020, up {growth}, implies {base} in "
                             "2019.").format(name=sentence_case(local_text(y, "indicator")),
                                             year=as_printed(y), growth=as_printed(t),
                                             base=_billions(base)), inputs, values)


@check("last_quarter_2020", "outcome",
       N_("The last quarter of 2020 and of 2019 (the year minus its first nine months), and its "
          "growth"),
       could_fail=True,
       power=N_("A full-year figure below the nine-month estimate, such as a narrower aggregate "
                "or a misread number, leaves no last quarter in one year or the other and fails "
                "it."))
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
    return Outcome("pass", _("{assumption}, the last quarter of 2020 was {q2020} (the year "
                             "{year} less the nine months {nine_months}) and the last quarter of "
                             "2019 {q2019} (the year {year_2019} less the nine months "
                             "{nine_months_2019}), a growth of {growth} ({low}–{high} for any "
                             "inputs that round to the printed ones).").format(
        assumption=sentence_case(_(ASSUMPTION)), q2020=money(s.last_quarter_2020.mid),
        year=as_printed(s.year), nine_months=as_printed(s.nine_months),
        q2019=money(s.last_quarter_2019.mid), year_2019=money(s.year_2019.mid),
        nine_months_2019=money(s.nine_months_2019.mid), growth=pct(q.mid), low=pct(q.low, 3),
        high=pct(q.high, 3)), s.inputs, values)


@check("last_quarter_share", "outcome",
       N_("The last quarter's share of the year, and its size against the average quarter "
          "(uplift)"),
       could_fail=True,
       power=N_("A last quarter more than {uplift} % above the average quarter flags it: a "
                "wider full-year aggregate or a nine-month estimate made too low would do that, "
                "and an ordinary year-end peak would pass."),
       power_values=lambda: {"uplift": numbers.local(UPLIFT_FLAG_PCT)})
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
    text = _("The last quarter was {share_2020} of 2020 and {share_2019} of 2019 (an even year "
             "gives {even_share}); it was {uplift_2020} above the average quarter of the first "
             "nine months in 2020 and {uplift_2019} in 2019, against the outlook's "
             "{outlook}").format(
        share_2020=pct(values["share_2020_pct"]), share_2019=pct(values["share_2019_pct"]),
        even_share=pct(values["even_share_pct"]), uplift_2020=pct(values["uplift_2020_pct"]),
        uplift_2019=pct(values["uplift_2019_pct"]), outlook=pct(OUTLOOK_Q4_UPLIFT_PCT, 0))
    if max(values["uplift_2020_pct"], values["uplift_2019_pct"]) > uplift_flag_pct:
        return Outcome("flag", text + _(": more than {limit}, far beyond an ordinary year-end "
                                        "peak, so either trade really was concentrated at the "
                                        "year's end (in both years alike), or the nine-month "
                                        "estimate and the year do not measure the same thing in "
                                        "the same way.").format(limit=pct(uplift_flag_pct, 0)),
                       s.inputs, values)
    return Outcome("pass", text + ".", s.inputs, values)


@check("growth_consistency", "outcome",
       N_("Nine-month and full-year growth: the last-quarter growth they imply, and whether it "
          "is plausible"),
       could_fail=True,
       power=N_("A full-year rate far from the nine-month one (say 1 % or 15 % against 6 %) "
                "implies a last quarter growing more than {band} points away from the nine "
                "months, and flags it; a typo in either rate would."),
       power_values=lambda: {"band": numbers.local(Q4_GROWTH_BAND_PP)})
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
    if q.mid >= g:
        template = _("The nine months grew {nine_months} and the year {year}, so the last "
                     "quarter grew {growth} ({low}–{high}) with the shape the two years' levels "
                     "imply ({even} had the quarters been even, {uplift} with the outlook's "
                     "year-end uplift): {gap} points faster than the nine months")
    else:
        template = _("The nine months grew {nine_months} and the year {year}, so the last "
                     "quarter grew {growth} ({low}–{high}) with the shape the two years' levels "
                     "imply ({even} had the quarters been even, {uplift} with the outlook's "
                     "year-end uplift): {gap} points slower than the nine months")
    text = template.format(
        nine_months=as_printed(s.nine_months_growth), year=as_printed(s.year_growth),
        growth=pct(q.mid), low=pct(q.low, 3), high=pct(q.high, 3), even=pct(implied["even"]),
        uplift=pct(implied["outlook_uplift"]), gap=numbers.local(abs(q.mid - g), 2))
    if abs(q.mid - g) > band_pp:
        return Outcome("flag", text + _(", more than {band} points: a break in the year's "
                                        "trend, or rates that do not belong together.").format(
            band=numbers.local(band_pp)), s.inputs, values)
    return Outcome("pass", text + _(", within {band} points: the two rates are consistent with "
                                    "one steady year.").format(band=numbers.local(band_pp)),
                   s.inputs, values)


# --- retail inside the total ----------------------------------------------------------------

@check("retail_share_of_revenue", "outcome",
       N_("Retail's share of the full-year turnover, and the growth of the non-retail rest"),
       could_fail=True,
       power=N_("A retail figure above the total (two figures swapped or misread), or rates "
                "that leave the non-retail rest of 2019 no positive level, fail it."))
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
        return Outcome("fail", _("Retail sales of {retail} up {retail_growth} cannot be part of a "
                                 "total of {total} up {total_growth}: the rest would be negative "
                                 "in one year.").format(
            retail=as_printed(r), retail_growth=as_printed(rg), total=as_printed(y),
            total_growth=as_printed(t)), inputs, values)
    share = estimates.corner_bounds(lambda a, b: estimates.share_pct(b, a), Y, R)
    rest_growth = estimates.corner_bounds(estimates.remainder_growth_pct, Y, T, R, RG)
    values.update({**_bounds_values("share_pct", share),
                   **_bounds_values("retail_2019", estimates.corner_bounds(base, R, RG)),
                   **_bounds_values("rest_2019", rest_2019),
                   **_bounds_values("rest_growth_pct", rest_growth),
                   "retail_growth_pct": rg["value"], "total_growth_pct": t["value"]})
    return Outcome("pass", _("Retail sales of goods and services, {retail}, were {share} of the "
                             "total turnover of commerce and services ({total}) in 2020. With "
                             "retail up {retail_growth} and the total up {total_growth}, the "
                             "rest ({rest}) grew {rest_growth} on {rest_2019} in 2019 "
                             "({low}–{high}, as retail's rate is printed to a tenth of a "
                             "point).").format(
        retail=as_printed(r), share=pct(share.mid), total=as_printed(y),
        retail_growth=as_printed(rg), total_growth=as_printed(t), rest=money(values["rest"]),
        rest_growth=pct(rest_growth.mid), rest_2019=money(rest_2019.mid),
        low=pct(rest_growth.low), high=pct(rest_growth.high)), inputs, values)


@check("national_retail_comparison_rescored", "outcome",
       N_("The economy chapter's comparison with national retail sales, rescored with the "
          "city's own retail share"),
       could_fail=False,
       power=N_("It re-expresses a comparison that only shows scale: no plausible figure could "
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
    return Outcome("flag", _("The economy chapter set the city's whole turnover, {nine_months}, "
                             "against Viet Nam's retail sales: {share_whole}. The city's own "
                             "retail sales were {retail_share} of its total in 2020; if the nine "
                             "months had the same mix (an assumption), the city's retail in them "
                             "was about {retail_9m}, or {share_retail} of national retail: the "
                             "whole-turnover comparison overstated the city's weight about "
                             "{factor} times. No national retail figure for the full year is in "
                             "this book's sources, so the city's retail growth for the year is "
                             "compared with nothing national.").format(
        nine_months=as_printed(nine), share_whole=pct(values["share_whole_revenue_pct"]),
        retail_share=pct(100 * ratio), retail_9m=money(retail_9m),
        share_retail=pct(values["share_retail_only_pct"]),
        factor=numbers.local(values["overstatement_factor"], 2)), inputs, values)


# --- the outlook's scenarios against the outcome ------------------------------------------------

def outlook_projection(figures=None) -> pd.DataFrame:
    """The outlook's scenarios for the turnover, recomputed by :func:`bentre.scenarios.project`
    from the nine-month figures and :data:`OUTLOOK_SCENARIOS`, as the outlook built them."""
    return scenarios.project(figures_or_default(figures), [NINE_MONTHS[0]],
                             list(OUTLOOK_SCENARIOS))


@check("outlook_scenarios_scored", "outcome",
       N_("The outlook's scenarios for the year against the reported year: errors, range, "
          "cause"),
       could_fail=True,
       power=N_("An outcome inside the range of the scenarios, fixed before the outcome was "
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
        lines.append(_("{label} {level} ({error}, {error_pct}; growth {growth}, {growth_error} "
                       "points)").format(
            label=scenario_label(sc), level=money(p.full_year),
            error=numbers.local(p.full_year - Y, 2), error_pct=pct(values[f"{k}_error_pct"]),
            growth=pct(p.full_year_growth_pct),
            growth_error=numbers.local(values[f"{k}_growth_error_pp"], 2)))
    low, high = projection["full_year"].min(), projection["full_year"].max()
    g_low, g_high = (projection["full_year_growth_pct"].min(),
                     projection["full_year_growth_pct"].max())
    causes = {values[f"{sc.key.lower()}_main_cause"] for sc in OUTLOOK_SCENARIOS}
    values.update(range_low=low, range_high=high, growth_range_low_pct=g_low,
                  growth_range_high_pct=g_high, inside_range=bool(low <= Y <= high),
                  growth_inside_range=bool(g_low <= t <= g_high),
                  main_cause=causes.pop() if len(causes) == 1 else "mixed")
    text = _("Against the reported {year} (up {growth}), the outlook's scenarios gave: "
             "{scenarios}. ").format(year=as_printed(s.year), growth=as_printed(s.year_growth),
                                     scenarios="; ".join(lines))
    if values["inside_range"]:
        return Outcome("pass", text + _("The outcome lies inside the range of the scenarios."),
                       s.inputs, values)
    cause = {"shape": _("the shape: the last quarter was far larger than the scenarios assumed "
                        "(the two years imply {uplift} above the average quarter), while their "
                        "growth assumptions missed by less").format(uplift=pct(observed_uplift)),
             "growth": _("the last quarter's growth rather than its size"),
             "mixed": _("the shape for some scenarios and the growth for others"),
             }[values["main_cause"]]
    if Y > high:
        template = _("The outcome lies above the whole range ({low} to {high}); most of the "
                     "miss comes from {cause}.")
    else:
        template = _("The outcome lies below the whole range ({low} to {high}); most of the "
                     "miss comes from {cause}.")
    return Outcome("flag", text + template.format(low=money(low), high=money(high), cause=cause),
                   s.inputs, values)
