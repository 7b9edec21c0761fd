"""The assessed variants of the computing exercises: for every computing exercise of chapters
02–06 (a ``solution`` cell and its ``exercise-check`` cell), the same method applied to other
real inputs from ``data/`` (the article's figures, the context table, the full-year outcomes),
chosen so that the answer is printed nowhere in the student edition. ``tests/test_grade.py``
searches the student notebooks, the student HTML and the classroom kit for every answer, in
English and Vietnamese format, to 0, 1 and 2 decimals.

Each :class:`Variant` declares the exercise it varies (its label), a prompt (Markdown; every
number in it comes from the data, formatted with :mod:`bentre.numbers`), the teacher's
solution code and, for every answer variable (:class:`Target`), a callable that computes the
expected value with bentre's own code at grading time, the tolerance the prompt states, the
likely wrong answers (:class:`bentre.exercises.Mistake`, named in the feedback) and the points.

:mod:`bentre.book.grade` turns them into an nbgrader course: one assignment per chapter, a
question, an answer cell and one autograded test cell per answer; the test's hidden part calls
:func:`expected` and :func:`bentre.exercises.check`, so a wrong answer's feedback is the
message a student reads in the chapters.

A teacher's tool: this module holds solutions. It is not part of the student edition, and the
classroom kit must not ship it (see ``python -m bentre.book.grade``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property
from typing import Callable

from .. import data, estimates, exercises, scenarios
from .. import numbers as num
from ..exercises import Mistake
from ..i18n import _


class Inputs:
    """The three tables the variants read, loaded (and validated) once by bentre's loaders."""

    @cached_property
    def figures(self):
        return data.load_figures()

    @cached_property
    def context(self):
        return data.load_context()

    @cached_property
    def outcomes(self):
        return data.load_outcomes()

    def row(self, table: str, figure_id: str) -> dict:
        return data.figure(getattr(self, table), figure_id)

    def value(self, table: str, figure_id: str, column: str | None = None) -> float:
        column = column or ("value_low" if table == "context" else "value")
        return float(self.row(table, figure_id)[column])

    def printed(self, table: str, figure_id: str) -> str:
        """A figure as the source printed it, with its unit: ``15.092 tỷ đồng``, ``11,2%``."""
        row = self.row(table, figure_id)
        unit = row["raw_unit"]
        return row["raw"] if unit == "%" or row["raw"].endswith("%") else f"{row['raw']} {unit}"


@dataclass(frozen=True)
class Target:
    """One answer variable of a variant."""

    name: str
    expected: Callable[[Inputs], float]
    tolerance: float
    unit: str = ""
    percent: bool = False
    mistakes: Callable[[Inputs], tuple[Mistake, ...]] = lambda d: ()
    points: int = 1


@dataclass(frozen=True)
class Variant:
    id: str
    chapter: str            # the chapter notebook's stem: "02_economy"
    exercise: str           # the label of the exercise it varies
    title: str
    varies: str             # what changes, in a few words (for the teacher's list)
    prompt: Callable[[Inputs], str]
    solution: str           # the teacher's code: assigns every target
    targets: tuple[Target, ...] = field(default_factory=tuple)

    @property
    def points(self) -> int:
        return sum(t.points for t in self.targets)


def en(value, decimals: int = 0) -> str:
    return num.format_en(value, decimals)


def pct(value, decimals: int = 2) -> str:
    return num.format_en_percent(value, decimals)


def _bn(value: float) -> str:
    """A level in billion VND as the prose prints a stored value: every decimal it has."""
    text = format(Decimal(str(value)).normalize(), "f")
    return en(value, len(text.split(".")[1]) if "." in text else 0)


# --- the inputs of each variant, by bentre's own code -------------------------------------

def _retail(d: Inputs) -> tuple[float, float]:
    return d.value("outcomes", "retail_sales_2020"), d.value("outcomes", "retail_sales_growth_2020")


def _total(d: Inputs) -> tuple[float, float]:
    return (d.value("outcomes", "revenue_commerce_services_2020"),
            d.value("outcomes", "revenue_commerce_services_growth_2020"))


def _retail_bounds(d: Inputs) -> estimates.Bounds:
    from ..checks_outcomes import printed_bounds

    level = d.value("outcomes", "retail_sales_2020")
    return estimates.implied_base_bounds(level, printed_bounds(d.row("outcomes",
                                                                     "retail_sales_growth_2020")))


def _year():
    from ..checks_outcomes import split_year

    return split_year()


def _outlook():
    from ..checks_outcomes import OUTLOOK_Q4_GROWTH_ALT_PCT, OUTLOOK_Q4_UPLIFT_PCT

    return OUTLOOK_Q4_UPLIFT_PCT, OUTLOOK_Q4_GROWTH_ALT_PCT


def _million(billion: float) -> float:
    return float(num.convert(Decimal(str(billion)), "billion VND", "million VND"))


def _implied_rate(d: Inputs, column: str) -> float:
    vnd = num.convert(Decimal(str(d.value("context", "bentre_province_drought_loss_vnd", column))),
                      "trillion VND", "VND")
    usd = d.value("context", "bentre_province_drought_loss_usd", "value_high")
    return float(vnd) / (usd * estimates.USD_UNITS["million USD"])


ROUNDED_TOO_EARLY = "keep every decimal until the end"


# --- the variants, in the order of the chapters ---------------------------------------------

VARIANTS: tuple[Variant, ...] = (
    Variant(
        "economy-read-retail", "02_economy", "ex-economy-read",
        "Reading another Vietnamese amount",
        "the full year's retail sales (outcomes) instead of the nine months' turnover",
        lambda d: f"""\
The newspaper's report on the whole of 2020 prints the city's retail sales of goods and services as
`{d.printed("outcomes", "retail_sales_2020")}`: the `raw` and `raw_unit` of
`data.figure(outcomes, "retail_sales_2020")`. Turn that string into an amount in **dong** with
`num.parse_vi_amount` and assign it to `retail_vnd`. The check accepts the exact amount.""",
        """\
sales = data.figure(outcomes, "retail_sales_2020")
as_printed = sales["raw"] + " " + sales["raw_unit"]  # "15.092 tỷ đồng"
retail_vnd = num.parse_vi_amount(as_printed)
print(num.format_en(retail_vnd), "dong")""",
        (Target("retail_vnd",
                lambda d: float(num.parse_vi_amount(d.printed("outcomes", "retail_sales_2020"))),
                0.0, "dong",
                mistakes=lambda d: (
                    Mistake(float(num.misread_en(d.row("outcomes", "retail_sales_2020")["raw"]))
                            * num.SCALE_WORDS["tỷ"],
                            _("the dot was read as a decimal point, the English way: in Vietnamese "
                              "the dot separates thousands, so the number before `tỷ` is above "
                              "fifteen thousand")),
                    Mistake(d.value("outcomes", "retail_sales_2020"),
                            _("that is the number of billions (tỷ) as printed: the exercise asks "
                              "for dong, a billion times more")))),),
    ),
    Variant(
        "economy-base-retail", "02_economy", "ex-economy-base",
        "What retail's growth implies about 2019",
        "retail sales of 2020 and their growth (outcomes) instead of the nine months' turnover",
        lambda d: f"""\
In 2020 the city's retail sales of goods and services were {_bn(_retail(d)[0])} billion VND, up
{pct(_retail(d)[1], 1)} on 2019: `data.figure(outcomes, "retail_sales_2020")["value"]` and
`data.figure(outcomes, "retail_sales_growth_2020")["value"]` (in percent). Compute the retail
sales of 2019 that these two figures imply, in billion VND, as `retail_2019`, and the increase
from 2019 to 2020 as `retail_increase`. The check accepts each within ±0.01 billion VND: keep
every decimal until the end.""",
        """\
sales_2020 = data.figure(outcomes, "retail_sales_2020")["value"]
rate = data.figure(outcomes, "retail_sales_growth_2020")["value"] / 100
retail_2019 = sales_2020 / (1 + rate)  # 2020 is 2019 times (1 + rate)
retail_increase = sales_2020 - retail_2019
print(num.format_en(retail_2019, 2), num.format_en(retail_increase, 2))""",
        (Target("retail_2019", lambda d: estimates.implied_base(*_retail(d)), 0.01, "billion VND",
                mistakes=lambda d: (
                    Mistake(_retail(d)[0] * (1 - _retail(d)[1] / 100),
                            _("the rate was taken off the 2020 level: the growth is a share of "
                              "2019, not of 2020, so divide the 2020 level by one plus the rate")),
                    Mistake(_retail(d)[0] / (1 + _retail(d)[1]),
                            _("the rate was used as a whole number: 11.2 % is 0.112 in the formula "
                              "(divide the percentage by 100)")))),
         Target("retail_increase",
                lambda d: _retail(d)[0] - estimates.implied_base(*_retail(d)), 0.01, "billion VND",
                mistakes=lambda d: (
                    Mistake(_retail(d)[0] * _retail(d)[1] / 100,
                            _("that is the rate applied to the 2020 level: the increase is the rate "
                              "times the 2019 level (or 2020 minus the 2019 you found)")),))),
    ),
    Variant(
        "economy-real-year", "02_economy", "ex-economy-real",
        "How much of the year's growth is prices?",
        "the full year's growth (outcomes) deflated by the CPI of 2020 instead of the nine months'",
        lambda d: f"""\
The newspaper reports the city's total turnover of commerce and services for 2020 up
{pct(_total(d)[1])} on 2019 (`data.figure(outcomes, "revenue_commerce_services_growth_2020")["value"]`);
suppose that growth is at current prices. Viet Nam's average consumer price index rose by
{pct(d.value("context", "vn_cpi_avg_2020"))} in 2020
(`data.figure(context, "vn_cpi_avg_2020")["value_low"]`). Deflate the growth by that index with
the exact formula and assign the real growth, in percent, to `real_growth_2020_pct`. The check
accepts it within ±0.01 percentage points.""",
        """\
nominal = data.figure(outcomes, "revenue_commerce_services_growth_2020")["value"]
prices = data.figure(context, "vn_cpi_avg_2020")["value_low"]
real_growth_2020_pct = ((100 + nominal) / (100 + prices) - 1) * 100
print(num.format_en_percent(real_growth_2020_pct, 2))""",
        (Target("real_growth_2020_pct",
                lambda d: estimates.real_growth(_total(d)[1], d.value("context", "vn_cpi_avg_2020")),
                0.01, percent=True,
                mistakes=lambda d: (
                    Mistake(_total(d)[1] - d.value("context", "vn_cpi_avg_2020"),
                            _("that is nominal growth minus inflation, the approximation: the "
                              "exercise asks for the exact formula, (1 + g) / (1 + π) − 1")),
                    Mistake(estimates.real_growth(_total(d)[1],
                                                  d.value("context", "vn_cpi_avg_9m2020")),
                            _("that uses the CPI of January–September: a growth of the whole year "
                              "needs the price change of the whole year")),
                    Mistake(100 * (1 + _total(d)[1] / 100) / (1 + d.value("context", "vn_cpi_avg_2020") / 100),
                            _("that is the ratio (1 + g) / (1 + π) in percent: subtract 1 before "
                              "multiplying by 100")))),),
    ),
    Variant(
        "infrastructure-residents-per-work", "03_infrastructure", "ex-infrastructure-parts",
        "What did the residents give per work?",
        "the residents' contribution per work instead of the cost per work and the share",
        lambda d: f"""\
Residents contributed {_bn(d.value("figures", "works_people_contribution"))} billion VND to the
works with a ward or commune as project owner: {en(d.value("figures", "works_in_use"))} of the
{en(d.value("figures", "works_planned"))} works were in use. Compute the residents' contribution
per work in **million** VND on both readings of the article's sentence: over the works in use as
`residents_per_work_in_use`, and over all the works as `residents_per_work_all`. The ids are
`works_people_contribution`, `works_in_use` and `works_planned`;
`data.figure(figures, id)["value"]` gives each. The check accepts each within ±0.01 million VND.""",
        """\
given_m = data.figure(figures, "works_people_contribution")["value"] * 1000  # million
in_use = data.figure(figures, "works_in_use")["value"]
planned = data.figure(figures, "works_planned")["value"]
residents_per_work_in_use = given_m / in_use
residents_per_work_all = given_m / planned
print(residents_per_work_in_use, residents_per_work_all)""",
        (Target("residents_per_work_in_use",
                lambda d: estimates.per_unit(_million(d.value("figures", "works_people_contribution")),
                                             d.value("figures", "works_in_use")),
                0.01, "million VND",
                mistakes=lambda d: (
                    Mistake(estimates.per_unit(_million(d.value("figures", "works_people_contribution")),
                                               d.value("figures", "works_planned")),
                            _("that is the average over all the works: this answer is over the "
                              "works in use only")),)),
         Target("residents_per_work_all",
                lambda d: estimates.per_unit(_million(d.value("figures", "works_people_contribution")),
                                             d.value("figures", "works_planned")),
                0.01, "million VND",
                mistakes=lambda d: (
                    Mistake(estimates.per_unit(_million(d.value("figures", "works_people_contribution")),
                                               d.value("figures", "works_in_use")),
                            _("that is the average over the works in use: this answer is over all "
                              "the works")),))),
    ),
    Variant(
        "infrastructure-range-retail", "03_infrastructure", "ex-infrastructure-range",
        "A rate rounded to one decimal, a range of bases",
        "retail's growth printed to one decimal (outcomes) instead of a whole-number rate",
        lambda d: f"""\
The city's retail sales grew by `{d.printed("outcomes", "retail_sales_growth_2020")}` in 2020
(`data.figure(outcomes, "retail_sales_growth_2020")["value"]`), a rate printed to **one
decimal**: any rate from 0.05 point below it to just under 0.05 point above it is printed the
same way. With the level of 2020, {_bn(_retail(d)[0])} billion VND
(`data.figure(outcomes, "retail_sales_2020")["value"]`), compute the smallest and the largest
retail sales of 2019 that the two figures allow, in billion VND, as `retail_2019_low` and
`retail_2019_high`. The check accepts each within ±0.001 billion VND.""",
        """\
sales_2020 = data.figure(outcomes, "retail_sales_2020")["value"]
printed = data.figure(outcomes, "retail_sales_growth_2020")["value"]
retail_2019_low = sales_2020 / (1 + (printed + 0.05) / 100)  # highest rate, lowest base
retail_2019_high = sales_2020 / (1 + (printed - 0.05) / 100)
print(retail_2019_low, retail_2019_high)""",
        (Target("retail_2019_low", lambda d: _retail_bounds(d).low, 0.001, "billion VND",
                mistakes=lambda d: (
                    Mistake(_retail(d)[0] / (1 + (_retail(d)[1] + 0.5) / 100),
                            _("that moves the rate by half a whole point: a rate printed to one "
                              "decimal stands for ±0.05 point")),
                    Mistake(_retail_bounds(d).high,
                            _("that is the largest base: the highest rate gives the lowest base")))),
         Target("retail_2019_high", lambda d: _retail_bounds(d).high, 0.001, "billion VND",
                mistakes=lambda d: (
                    Mistake(_retail(d)[0] / (1 + (_retail(d)[1] - 0.5) / 100),
                            _("that moves the rate by half a whole point: a rate printed to one "
                              "decimal stands for ±0.05 point")),
                    Mistake(_retail_bounds(d).low,
                            _("that is the smallest base: the lowest rate gives the highest base"))))),
    ),
    Variant(
        "infrastructure-english-agriculture", "03_infrastructure", "ex-infrastructure-english",
        "The English reading of agriculture, tested",
        "agriculture's `226,34` against industry instead of the payments against the turnover",
        lambda d: f"""\
A hurried reader who takes every comma for a thousands separator reads the article's
`{d.printed("figures", "agriculture_value")}` (the production value of agriculture,
`data.figure(figures, "agriculture_value")["raw"]`) as a number of billion VND. Get that
reading with `num.misread_en`, and compute how many times the production value of industry and
construction in the same nine months ({_bn(d.value("figures", "industry_construction_value"))}
billion VND, `data.figure(figures, "industry_construction_value")["value"]`) it would be, as
`english_agri_ratio`. The check accepts it within ±0.01.""",
        """\
agri_printed = data.figure(figures, "agriculture_value")["raw"]
agri_english = float(num.misread_en(agri_printed))  # billion VND
industry = data.figure(figures, "industry_construction_value")["value"]
english_agri_ratio = agri_english / industry
print(num.format_en(english_agri_ratio, 2))""",
        (Target("english_agri_ratio",
                lambda d: float(num.misread_en(d.row("figures", "agriculture_value")["raw"]))
                / d.value("figures", "industry_construction_value"), 0.01,
                mistakes=lambda d: (
                    Mistake(d.value("figures", "agriculture_value")
                            / d.value("figures", "industry_construction_value"),
                            _("that is the Vietnamese reading (the comma as a decimal point): the "
                              "exercise asks what the English reading would mean")),
                    Mistake(d.value("figures", "industry_construction_value")
                            / float(num.misread_en(d.row("figures", "agriculture_value")["raw"])),
                            _("the ratio is upside down: agriculture's English reading divided by "
                              "industry, not the reverse")))),),
    ),
    Variant(
        "governance-wards-share", "04_governance", "ex-governance-targets",
        "Wards among the city's units",
        "the wards among the administrative units instead of the congress's targets met",
        lambda d: f"""\
Since February 2020 Bến Tre City has had {en(d.value("context", "bentre_city_admin_units_2020"))}
administrative units, of which {en(d.value("context", "bentre_city_wards_2020"))} wards (phường).
Both are context figures: `data.figure(context, "bentre_city_admin_units_2020")["value_low"]` and
`data.figure(context, "bentre_city_wards_2020")["value_low"]`. Compute the wards' share of the
units, in percent, as `wards_share_pct`. The check accepts it within ±0.05 percentage points
(one decimal).""",
        """\
units = data.figure(context, "bentre_city_admin_units_2020")["value_low"]
wards = data.figure(context, "bentre_city_wards_2020")["value_low"]
wards_share_pct = wards / units * 100
print(num.format_en_percent(wards_share_pct, 1))""",
        (Target("wards_share_pct",
                lambda d: estimates.share_pct(d.value("context", "bentre_city_wards_2020"),
                                              d.value("context", "bentre_city_admin_units_2020")),
                0.05, percent=True,
                mistakes=lambda d: (
                    Mistake(estimates.share_pct(d.value("context", "bentre_city_communes_2020"),
                                                d.value("context", "bentre_city_admin_units_2020")),
                            _("that is the communes' share (xã): the exercise asks for the wards "
                              "(phường)")),)),),
    ),
    Variant(
        "governance-rate-lower-loss", "04_governance", "ex-governance-rate",
        "The dollar figure against the lower amount",
        "the lower estimate of the losses (1.6 trillion) instead of the higher",
        lambda d: f"""\
One newspaper put the province's losses from drought and salinity at about
{en(d.value("context", "bentre_province_drought_loss_vnd"), 1)} trillion VND
(`data.figure(context, "bentre_province_drought_loss_vnd")["value_low"]`), another at
{en(d.value("context", "bentre_province_drought_loss_usd", "value_high"), 2)} million USD
(`data.figure(context, "bentre_province_drought_loss_usd")["value_high"]`). If the dollar figure
were a conversion of the lower amount, what exchange rate would it imply? Compute it in VND per
USD as `implied_rate_low`, and its gap from the average rate of 2020
({en(d.value("context", "vnd_per_usd_2020"), 2)}, `data.figure(context, "vnd_per_usd_2020")["value_low"]`),
in percent of that average and negative if below it, as `gap_low_pct`. Mind the units: trillion
and million. The check accepts each within ±0.01 (VND per USD; percentage points).""",
        """\
low_vnd = data.figure(context, "bentre_province_drought_loss_vnd")["value_low"] * 10**12
in_usd = data.figure(context, "bentre_province_drought_loss_usd")["value_high"] * 10**6
implied_rate_low = low_vnd / in_usd
average = data.figure(context, "vnd_per_usd_2020")["value_low"]
gap_low_pct = (implied_rate_low - average) / average * 100
print(implied_rate_low, gap_low_pct)""",
        (Target("implied_rate_low", lambda d: _implied_rate(d, "value_low"), 0.01, "VND per USD",
                mistakes=lambda d: (
                    Mistake(_implied_rate(d, "value_high"),
                            _("that is the rate for the higher amount: this exercise takes the "
                              "lower estimate of the losses")),)),
         Target("gap_low_pct",
                lambda d: estimates.growth_pct(_implied_rate(d, "value_low"),
                                               d.value("context", "vnd_per_usd_2020")),
                0.01, percent=True,
                mistakes=lambda d: (
                    Mistake(-estimates.growth_pct(_implied_rate(d, "value_low"),
                                                  d.value("context", "vnd_per_usd_2020")),
                            _("the sign is reversed: the implied rate is below the average, so the "
                              "gap is negative")),
                    Mistake(100 * (_implied_rate(d, "value_low") - d.value("context", "vnd_per_usd_2020"))
                            / _implied_rate(d, "value_low"),
                            _("that is in percent of the implied rate: the gap is asked in percent "
                              "of the 2020 average"))))),
    ),
    Variant(
        "outlook-even-national", "05_outlook", "ex-outlook-even",
        "Four quarters from three, for Viet Nam",
        "the national retail sales of nine months (context) instead of the city's turnover",
        lambda d: f"""\
Viet Nam's retail sales of goods and consumer services were
{en(d.value("context", "vn_retail_sales_9m2020"), 1)} trillion VND in January–September 2020
(`data.figure(context, "vn_retail_sales_9m2020")["value_low"]`). Suppose the last quarter of 2020
was exactly an average quarter of the first nine months: compute the year's retail sales, in
trillion VND, as `national_year_even`. The check accepts it within ±0.05 trillion VND.""",
        """\
jan_sep = data.figure(context, "vn_retail_sales_9m2020")["value_low"]
one_quarter = jan_sep / 3  # nine months are three quarters
national_year_even = jan_sep + one_quarter
print(num.format_en(national_year_even, 1), "trillion VND")""",
        (Target("national_year_even",
                lambda d: scenarios.full_year(d.value("context", "vn_retail_sales_9m2020")).full_year,
                0.05, "trillion VND",
                mistakes=lambda d: (
                    Mistake(d.value("context", "vn_retail_sales_9m2020") * 1.25,
                            _("that adds a quarter of the nine months: the nine months are three "
                              "quarters, so one more quarter is a third of them")),
                    Mistake(d.value("context", "vn_retail_sales_9m2020") * 4,
                            _("that is four times the nine months: an average quarter is a third "
                              "of the nine months")))),),
    ),
    Variant(
        "outlook-c-infrastructure", "05_outlook", "ex-outlook-c",
        "Scenario C for the infrastructure payments",
        "the infrastructure payments (+71 %) instead of the turnover (+6.02 %)",
        lambda d: f"""\
Apply scenario C of the outlook to the city's payments for technical infrastructure:
{_bn(d.value("figures", "infrastructure_payments"))} billion VND in January–September 2020, up
{pct(d.value("figures", "infrastructure_payments_growth"), 0)} on the same months of 2019
(`data.figure(figures, "infrastructure_payments")["value"]` and
`data.figure(figures, "infrastructure_payments_growth")["value"]`). The last quarter of 2019 was
`q4_uplift_pct` per cent ({en(_outlook()[0])} %) larger than the average quarter of January–September
2019, and the last quarter of 2020 grew by `q4_growth_alt_pct` per cent ({en(_outlook()[1])} %) on it
(both are set in the first cell). Without `bentre.scenarios`, compute the growth of the whole
year's payments on 2019, in percent, as `growth_c_infra_pct`. The check accepts it within ±0.01
percentage points.""",
        """\
paid_9m = data.figure(figures, "infrastructure_payments")["value"]
up_9m = data.figure(figures, "infrastructure_payments_growth")["value"]
paid_9m_2019 = paid_9m / (1 + up_9m / 100)
last_q_2019 = paid_9m_2019 / 3 * (1 + q4_uplift_pct / 100)
last_q_2020 = last_q_2019 * (1 + q4_growth_alt_pct / 100)
growth_c_infra_pct = ((paid_9m + last_q_2020) / (paid_9m_2019 + last_q_2019) - 1) * 100
print(num.format_en_percent(growth_c_infra_pct, 2))""",
        (Target("growth_c_infra_pct",
                lambda d: scenarios.full_year(d.value("figures", "infrastructure_payments"),
                                              d.value("figures", "infrastructure_payments_growth"),
                                              *_outlook()).full_year_growth_pct,
                0.01, percent=True,
                mistakes=lambda d: (
                    Mistake(scenarios.full_year(d.value("figures", "infrastructure_payments"),
                                                d.value("figures", "infrastructure_payments_growth"),
                                                0.0, _outlook()[1]).full_year_growth_pct,
                            _("that leaves out the uplift: the last quarter of 2019 is "
                              "q4_uplift_pct per cent larger than an average quarter (or the "
                              "quarters were weighted three to one)")),
                    Mistake(d.value("figures", "infrastructure_payments_growth"),
                            _("that is the nine months' growth: the last quarter grows by "
                              "q4_growth_alt_pct per cent, so the year grows at another rate")))),),
    ),
    Variant(
        "outlook-breakeven-retail", "05_outlook", "ex-outlook-breakeven",
        "The last quarter that matches retail",
        "the year's target set to retail's growth in 2020 (outcomes) instead of the CPI",
        lambda d: f"""\
How fast would the last quarter's turnover of goods and services have had to grow on the same
quarter of 2019 for the whole year's turnover to grow as fast as the city's retail sales did in
2020, {pct(_retail(d)[1], 1)} (`data.figure(outcomes, "retail_sales_growth_2020")["value"]`)? The
first nine months grew by {pct(d.value("figures", "revenue_goods_services_growth"))}
(`data.figure(figures, "revenue_goods_services_growth")["value"]`), and the last quarter of 2019
was `q4_uplift_pct` per cent ({en(_outlook()[0])} %) larger than the average quarter of
January–September 2019. Write the year's growth as a formula in the nine months' growth, the
last quarter's growth and its size, solve it for the last quarter's growth, and compute that
in percent as `q4_needed_retail_pct` (without `bentre.scenarios`). The check accepts it within
±0.01 percentage points.""",
        """\
nine = data.figure(figures, "revenue_goods_services_growth")["value"] / 100
target = data.figure(outcomes, "retail_sales_growth_2020")["value"] / 100
size = (1 + q4_uplift_pct / 100) / 3  # Oct–Dec 2019 per unit of Jan–Sep 2019
# (1 + nine + size * (1 + q)) / (1 + size) = 1 + target, for q:
q4_needed_retail_pct = ((1 + target) * (1 + size) - (1 + nine) - size) / size * 100
print(num.format_en_percent(q4_needed_retail_pct, 2))""",
        (Target("q4_needed_retail_pct",
                lambda d: scenarios.q4_growth_for_full_year(
                    d.value("figures", "revenue_goods_services_growth"), _retail(d)[1], _outlook()[0]),
                0.01, percent=True,
                mistakes=lambda d: (
                    Mistake(scenarios.q4_growth_for_full_year(
                        d.value("figures", "revenue_goods_services_growth"), _retail(d)[1], 0.0),
                            _("that leaves out the uplift: the last quarter of 2019 is "
                              "q4_uplift_pct per cent larger than an average quarter")),
                    Mistake(scenarios.q4_growth_for_full_year(
                        d.value("figures", "revenue_goods_services_growth"),
                        d.value("context", "vn_cpi_avg_2020"), _outlook()[0]),
                            _("that is the answer for the CPI of 2020: here the year must grow as "
                              "fast as retail sales did")))),),
    ),
    Variant(
        "fullyear-last-quarter-range", "06_full_year", "ex-fullyear-quarters",
        "How uncertain is the last quarter of 2019?",
        "the range the printed figures allow for the last quarter of 2019 instead of its value",
        lambda d: f"""\
The last quarter of 2019 is the year 2019 minus its first nine months, each found from a printed
level and a printed rate: the year 2020, `{d.printed("outcomes", "revenue_commerce_services_2020")}`
up `{d.printed("outcomes", "revenue_commerce_services_growth_2020")}`
(`data.figure(outcomes, "revenue_commerce_services_2020")` and
`"revenue_commerce_services_growth_2020"`), and its first nine months,
`{d.printed("figures", "revenue_goods_services")}` up `{d.printed("figures", "revenue_goods_services_growth")}`
(`data.figure(figures, "revenue_goods_services")` and `"revenue_goods_services_growth"`). The
levels are printed to the billion (each stands for anything within ±0.5 billion VND) and the
rates to 0.01 point (within ±0.005 point). Compute the smallest and the largest last quarter of
2019 that the printed figures allow, in billion VND, as `q4_2019_low` and `q4_2019_high`. Which
end of each figure gives which end? The check accepts each within ±0.01 billion VND.""",
        """\
y20 = data.figure(outcomes, "revenue_commerce_services_2020")["value"]
y_up = data.figure(outcomes, "revenue_commerce_services_growth_2020")["value"]
n20 = data.figure(figures, "revenue_goods_services")["value"]
n_up = data.figure(figures, "revenue_goods_services_growth")["value"]

def q4_of_2019(y, gy, n, gn):
    return y / (1 + gy / 100) - n / (1 + gn / 100)

# Smallest: a small year, a fast year's growth, large nine months growing slowly.
q4_2019_low = q4_of_2019(y20 - 0.5, y_up + 0.005, n20 + 0.5, n_up - 0.005)
q4_2019_high = q4_of_2019(y20 + 0.5, y_up - 0.005, n20 - 0.5, n_up + 0.005)
print(q4_2019_low, q4_2019_high)""",
        (Target("q4_2019_low", lambda d: _year().last_quarter_2019.low, 0.01, "billion VND",
                mistakes=lambda d: (
                    Mistake(_year().last_quarter_2019.high,
                            _("that is the largest value: the smallest comes from the smallest "
                              "year and the largest nine months of 2019")),
                    Mistake(estimates.implied_base(_total(d)[0], _total(d)[1] + 0.005)
                            - estimates.implied_base(d.value("figures", "revenue_goods_services"),
                                                     d.value("figures", "revenue_goods_services_growth") - 0.005),
                            _("only the rates were moved: the levels are rounded too, to the "
                              "billion (±0.5)")))),
         Target("q4_2019_high", lambda d: _year().last_quarter_2019.high, 0.01, "billion VND",
                mistakes=lambda d: (
                    Mistake(_year().last_quarter_2019.low,
                            _("that is the smallest value: the largest comes from the largest "
                              "year and the smallest nine months of 2019")),
                    Mistake(estimates.implied_base(_total(d)[0], _total(d)[1] - 0.005)
                            - estimates.implied_base(d.value("figures", "revenue_goods_services"),
                                                     d.value("figures", "revenue_goods_services_growth") + 0.005),
                            _("only the rates were moved: the levels are rounded too, to the "
                              "billion (±0.5)"))))),
    ),
    Variant(
        "fullyear-error-last-quarter", "06_full_year", "ex-fullyear-error",
        "Scoring scenario B's last quarter",
        "scenario B's last quarter scored instead of its year",
        lambda d: f"""\
Scenario B of the outlook made the last quarter of 2020 `OUTLOOK_Q4_UPLIFT_PCT` per cent
({en(_outlook()[0])} %) larger than the average quarter of the nine months. Score its last quarter
rather than its year: compute B's last quarter from the nine months
({_bn(d.value("figures", "revenue_goods_services"))} billion VND,
`data.figure(figures, "revenue_goods_services")["value"]`), the last quarter that the two reports
imply (the year, {_bn(_total(d)[0])} billion VND,
`data.figure(outcomes, "revenue_commerce_services_2020")["value"]`, minus the nine months), and
B's error as a percentage of that reported last quarter, as `error_b_q4_pct` (scenario minus
outcome: negative if the scenario fell short). The check accepts it within ±0.01 percentage
points.""",
        """\
jan_sep = data.figure(figures, "revenue_goods_services")["value"]
whole_2020 = data.figure(outcomes, "revenue_commerce_services_2020")["value"]
b_q4 = jan_sep / 3 * (1 + OUTLOOK_Q4_UPLIFT_PCT / 100)
reported_q4 = whole_2020 - jan_sep
error_b_q4_pct = (b_q4 - reported_q4) / reported_q4 * 100
print(num.format_en_percent(error_b_q4_pct, 2))""",
        (Target("error_b_q4_pct",
                lambda d: estimates.growth_pct(
                    scenarios.last_quarter(d.value("figures", "revenue_goods_services"), _outlook()[0]),
                    _year().last_quarter_2020.mid),
                0.01, percent=True,
                mistakes=lambda d: (
                    Mistake(-estimates.growth_pct(
                        scenarios.last_quarter(d.value("figures", "revenue_goods_services"), _outlook()[0]),
                        _year().last_quarter_2020.mid),
                            _("the sign is reversed: the error is scenario minus outcome, and B fell "
                              "short")),
                    Mistake(100 * (scenarios.last_quarter(d.value("figures", "revenue_goods_services"),
                                                          _outlook()[0]) - _year().last_quarter_2020.mid)
                            / scenarios.last_quarter(d.value("figures", "revenue_goods_services"),
                                                     _outlook()[0]),
                            _("that is in percent of the scenario: the error is measured against "
                              "the reported last quarter")),
                    Mistake(estimates.growth_pct(
                        scenarios.full_year(d.value("figures", "revenue_goods_services"),
                                            q4_uplift_pct=_outlook()[0]).full_year, _total(d)[0]),
                            _("that is the error of the whole year: this exercise scores the last "
                              "quarter alone")))),),
    ),
    Variant(
        "fullyear-retail-share-2019", "06_full_year", "ex-fullyear-rest",
        "Retail's share in 2019, and the rest's increase",
        "retail's share of 2019 and the rest's increase instead of the rest's growth",
        lambda d: f"""\
Retail sales were {_bn(_retail(d)[0])} billion VND in 2020, up {pct(_retail(d)[1], 1)}, within a
total of {_bn(_total(d)[0])} billion VND, up {pct(_total(d)[1])}
(`data.figure(outcomes, "retail_sales_2020")`, `"retail_sales_growth_2020"` and the two total rows,
`"revenue_commerce_services_2020"` and `"revenue_commerce_services_growth_2020"`). Find both 2019
levels from the growth rates; then compute retail's share of the total **in 2019**, in percent,
as `retail_share_2019_pct`, and the increase of the non-retail rest of the total from 2019 to
2020, in billion VND, as `rest_increase`. The check accepts the share within ±0.01 percentage
points and the increase within ±0.01 billion VND.""",
        """\
all_2020 = data.figure(outcomes, "revenue_commerce_services_2020")["value"]
up_total = data.figure(outcomes, "revenue_commerce_services_growth_2020")["value"]
retail = data.figure(outcomes, "retail_sales_2020")["value"]
up_retail = data.figure(outcomes, "retail_sales_growth_2020")["value"]
total_before = all_2020 / (1 + up_total / 100)
retail_before = retail / (1 + up_retail / 100)
retail_share_2019_pct = retail_before / total_before * 100
rest_increase = (all_2020 - retail) - (total_before - retail_before)
print(retail_share_2019_pct, rest_increase)""",
        (Target("retail_share_2019_pct",
                lambda d: estimates.share_pct(estimates.implied_base(*_retail(d)),
                                              estimates.implied_base(*_total(d))),
                0.01, percent=True,
                mistakes=lambda d: (
                    Mistake(estimates.share_pct(_retail(d)[0], _total(d)[0]),
                            _("that is retail's share in 2020: the exercise asks for 2019")),)),
         Target("rest_increase",
                lambda d: (_total(d)[0] - _retail(d)[0])
                - (estimates.implied_base(*_total(d)) - estimates.implied_base(*_retail(d))),
                0.01, "billion VND",
                mistakes=lambda d: (
                    Mistake((_total(d)[0] - _retail(d)[0])
                            - estimates.implied_base(_total(d)[0] - _retail(d)[0], _total(d)[1]),
                            _("that applies the total's growth to the rest: the rest grew at its "
                              "own rate, found from both 2019 levels")),
                    Mistake(_total(d)[0] - estimates.implied_base(*_total(d)),
                            _("that is the increase of the whole total: take retail's increase "
                              "out of it"))))),
    ),
)

BY_ID = {v.id: v for v in VARIANTS}


@dataclass(frozen=True)
class Expected:
    """One target's expected value and likely mistakes, computed now, and how it is checked."""

    name: str
    value: float
    tolerance: float
    percent: bool
    unit: str
    mistakes: tuple[Mistake, ...]

    def answer(self) -> exercises.Answer:
        return exercises.Answer(self.name, self.value, self.tolerance, self.percent, self.unit,
                                self.mistakes)


_INPUTS: Inputs | None = None


def inputs() -> Inputs:
    global _INPUTS
    if _INPUTS is None:
        _INPUTS = Inputs()
    return _INPUTS


def target(variant_id: str, name: str) -> Target:
    variant = BY_ID[variant_id]
    for t in variant.targets:
        if t.name == name:
            return t
    raise KeyError(f"{variant_id} has no answer {name!r}")


def expected(variant_id: str, name: str, d: Inputs | None = None) -> Expected:
    """What the answer ``name`` of a variant should be, computed by bentre from the data now
    (the hidden test of a graded notebook calls this)."""
    d = d or inputs()
    t = target(variant_id, name)
    return Expected(t.name, float(t.expected(d)), t.tolerance, t.percent, t.unit,
                    tuple(t.mistakes(d)))


def prompt(variant: Variant, d: Inputs | None = None) -> str:
    return variant.prompt(d or inputs())


def chapters() -> list[str]:
    """The chapters with assessed variants, in order."""
    return sorted({v.chapter for v in VARIANTS})


def for_chapter(chapter: str) -> list[Variant]:
    return [v for v in VARIANTS if v.chapter == chapter]


def setup_code(chapter: str) -> str:
    """The locked first cell of a chapter's assessed notebook."""
    from ..checks_outcomes import OUTLOOK_Q4_GROWTH_ALT_PCT, OUTLOOK_Q4_UPLIFT_PCT

    lines = ["# Run this cell first: it loads the data and the tools. Do not change it.",
             "from bentre import data, exercises, numbers as num",
             "",
             "figures = data.load_figures()    # the article's figures",
             "context = data.load_context()    # figures from other sources",
             "outcomes = data.load_outcomes()  # the full year 2020, reported later"]
    names = {n for v in for_chapter(chapter) for n in ("q4_uplift_pct", "q4_growth_alt_pct",
                                                       "OUTLOOK_Q4_UPLIFT_PCT")
             if n in v.solution}
    if names & {"q4_uplift_pct", "q4_growth_alt_pct"}:
        lines += ["",
                  "# The outlook's parameters (scenario C):",
                  f"q4_uplift_pct = {OUTLOOK_Q4_UPLIFT_PCT!r}      # last quarter of 2019 against the "
                  "average quarter of its first nine months (%)",
                  f"q4_growth_alt_pct = {OUTLOOK_Q4_GROWTH_ALT_PCT!r}   # the last quarter's growth on "
                  "the same quarter of 2019 (%)"]
    if "OUTLOOK_Q4_UPLIFT_PCT" in names:
        lines += ["",
                  f"OUTLOOK_Q4_UPLIFT_PCT = {OUTLOOK_Q4_UPLIFT_PCT!r}  # scenario B's last quarter "
                  "against the average quarter (%)"]
    return "\n".join(lines)
