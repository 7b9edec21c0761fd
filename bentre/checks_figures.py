"""Checks of what the figures imply: growth bases, parts of totals, scale against context,
real growth. Registered in :mod:`bentre.checks`; the arithmetic is in :mod:`bentre.estimates`."""

from __future__ import annotations

from decimal import Decimal

from . import estimates, numbers
from .checkbase import (Outcome, as_printed, check, context_or_default, exact,
                        figures_or_default, local_text, lower_first, money, pct, printed_value,
                        row, sentence_case, span, text_field)
from .i18n import N_, _, pgettext

# Default width W of the band of plausible growth rates in ``identical_growth_rates``: the
# nominal nine-month growth of a city's aggregates in 2020 could plausibly be anywhere from
# about −5 % to +15 %. A narrower band makes a coincidence likelier (W = 5 gives 1 in 500),
# and so do rates that move together, so the result is an order of magnitude, not a test.
BAND_WIDTH_PP = 20.0


# --- growth -------------------------------------------------------------------------------

# Why the implied-base checks are bookkeeping: they compute, but no plausible data fail them.
BASE_POWER = N_("Any positive level with a growth above −100 % implies a positive base, so "
                "only impossible data fail it: it computes the base, and its pass is no "
                "evidence.")

def _implied_base(figures, growth_id: str) -> Outcome:
    g_row = row(figures, growth_id)
    level_row = row(figures, text_field(g_row["base_id"]))
    level, g = level_row["value"], g_row["value"]
    decimals = estimates.printed_decimals(printed_value(g_row))
    g_bounds = estimates.rounding_bounds(g, decimals)
    inputs = {level_row["id"]: level, growth_id: g}
    values = {"level": level, "unit": level_row["unit"], "growth_pct": g,
              "growth_printed_decimals": decimals, "growth_low_pct": g_bounds.low,
              "growth_high_pct": g_bounds.high}
    if level <= 0 or g_bounds.low <= -100:
        return Outcome("fail", _("A level of {level} with a growth of {growth} implies no "
                                 "positive year-earlier base: the figures cannot both be "
                                 "right.").format(level=as_printed(level_row),
                                                  growth=as_printed(g_row)), inputs, values)
    base = estimates.implied_base_bounds(level, g_bounds)
    values.update(base=base.mid, base_low=base.low, base_high=base.high,
                  increase=level - base.mid, increase_low=level - base.high,
                  increase_high=level - base.low)
    width = (_("a whole percent") if decimals == 0
             else _("{step} pp").format(step=numbers.local(10.0 ** -decimals, decimals)))
    unit = level_row["unit"]
    low = numbers.local(base.low, 3 if unit == "billion VND" and abs(base.low) < 100 else 2)
    name = sentence_case(local_text(level_row, "indicator"))
    if g >= 0:
        template = _("{name} of {level}, up {growth}, implies a base of {base} in the same "
                     "period a year earlier and an increase of {change}; as the rate is printed "
                     "to {width}, the base lies between {low} and {high}.")
    else:
        template = _("{name} of {level}, down {growth}, implies a base of {base} in the same "
                     "period a year earlier and a decrease of {change}; as the rate is printed "
                     "to {width}, the base lies between {low} and {high}.")
    return Outcome("pass", template.format(
        name=name, level=as_printed(level_row), growth=as_printed(g_row).lstrip("-"),
        base=money(base.mid, unit), change=money(abs(level - base.mid), unit), width=width,
        low=low, high=money(base.high, unit)), inputs, values)


@check("implied_base_revenue", "growth",
       N_("Nine-month 2019 base and increase implied by the revenue of goods and services"),
       could_fail=False, power=BASE_POWER)
def implied_base_revenue(figures=None, growth_id="revenue_goods_services_growth") -> Outcome:
    return _implied_base(figures_or_default(figures), growth_id)


@check("implied_base_industry_construction", "growth",
       N_("Nine-month 2019 base and increase implied by the industry–construction production "
          "value"),
       could_fail=False, power=BASE_POWER)
def implied_base_industry_construction(figures=None,
                                       growth_id="industry_construction_value_growth") -> Outcome:
    return _implied_base(figures_or_default(figures), growth_id)


@check("implied_base_infrastructure_payments", "growth",
       N_("Nine-month 2019 base and increase implied by the infrastructure payments (rate "
          "rounded)"),
       could_fail=False, power=BASE_POWER)
def implied_base_infrastructure_payments(figures=None,
                                         growth_id="infrastructure_payments_growth") -> Outcome:
    return _implied_base(figures_or_default(figures), growth_id)


@check("identical_growth_rates", "growth",
       N_("Unrelated aggregates reported with exactly the same growth rate"),
       could_fail=True,
       power=N_("A rate copied onto a second aggregate, a plausible copying error, is exactly "
                "what makes it flag, and distinct rates pass; it never fails, as a match is not "
                "proof."))
def identical_growth_rates(figures=None, band_width_pp: float = BAND_WIDTH_PP) -> Outcome:
    """Flag growth rates of different aggregates that are equal as printed, with the chance
    of that under a stated assumption: two independent rates spread uniformly over a band of
    ``band_width_pp`` points and printed to r points are equal with probability r / W."""
    figures = figures_or_default(figures)
    groups: dict[Decimal, list[dict]] = {}
    for f in figures[figures["kind"] == "yoy_growth"].to_dict("records"):
        groups.setdefault(printed_value(f), []).append(f)
    inputs = {f["id"]: f["value"] for rates in groups.values() for f in rates}
    same = [rates for rates in groups.values()
            if len({text_field(f["base_id"]) for f in rates}) > 1]
    if not same:
        shown = ", ".join(as_printed(rates[0]) for rates in groups.values())
        return Outcome("pass", _("No two of the {n} growth rates ({rates}) are equal.").format(
                           n=numbers.local(len(inputs)), rates=shown),
                       inputs, {"growth_rates": len(inputs), "coincidences": 0,
                                "band_width_pp": band_width_pp})
    rates = same[0]
    bases = [row(figures, text_field(f["base_id"])) for f in rates]
    decimals = estimates.printed_decimals(printed_value(rates[0]))
    resolution = 10.0 ** -decimals
    p = estimates.coincidence_probability(resolution, band_width_pp, k=len(rates))
    all_estimates = all(bool(x["estimate"]) for x in bases + rates)
    values = {"growth_rates": len(inputs), "coincidences": len(same),
              "rate_pct": rates[0]["value"], "figures": ", ".join(f["id"] for f in rates),
              "levels": ", ".join(b["id"] for b in bases), "resolution_pp": resolution,
              "band_width_pp": band_width_pp, "p_equal": p, "one_in": round(1 / p),
              "all_marked_estimates": all_estimates,
              "assumption": f"{len(rates)} independent growth rates, printed to "
                            f"{resolution:g} pp, spread uniformly over a band {band_width_pp:g} "
                            "pp wide; P(all equal) = (resolution / width)^(rates - 1)"}
    names = _(" and ").join(local_text(b, "indicator") for b in bases)
    if len(rates) == 2:
        both = pgettext("two rates", "both")
        marked = _(" (both are marked as estimates, “ước”)") if all_estimates else ""
    else:
        both = pgettext("more than two rates", "all")
        marked = _(" (all are marked as estimates, “ước”)") if all_estimates else ""
    return Outcome("flag", _("{names}, distinct aggregates, {both} grew by exactly {rate}; if "
                             "independent rates, printed to {step} pp, were spread evenly over a "
                             "band {band} points wide, they would match about once in {one_in} "
                             "(p ≈ {p}), so it may be a copying error, one rate applied to "
                             "{both} as a planning estimate{marked}, or a genuine "
                             "coincidence.").format(
        names=sentence_case(names), both=both, rate=as_printed(rates[0]),
        step=numbers.local(resolution, decimals), band=numbers.local(band_width_pp, 0),
        one_in=numbers.local(1 / p), p=pct(100 * p), marked=marked), inputs, values)


# --- parts of totals -----------------------------------------------------------------------

def _part_of_total(figures, part_id: str, remainder: str) -> Outcome:
    part = row(figures, part_id)
    total = row(figures, text_field(part["base_id"]))
    inputs = {part_id: part["value"], total["id"]: total["value"]}
    values = {"part": part["value"], "total": total["value"], "unit": part["unit"]}
    if total["value"] <= 0 or part["value"] < 0 or part["value"] > total["value"]:
        return Outcome("fail", _("The {part} ({value}) cannot be part of a total of "
                                 "{total}.").format(part=local_text(part, "indicator"),
                                                    value=as_printed(part),
                                                    total=as_printed(total)), inputs, values)
    rest = total["value"] - part["value"]
    values.update(share_pct=estimates.share_pct(part["value"], total["value"]), remainder=rest,
                  remainder_share_pct=estimates.share_pct(rest, total["value"]))
    shown = money(rest) if part["unit"] == "billion VND" else numbers.local(rest)
    return Outcome("pass", _("{part}: {value} of {total} ({share}); {rest} ({rest_share}) "
                             "{remainder}.").format(
        part=sentence_case(local_text(part, "indicator")), value=as_printed(part),
        total=as_printed(total), share=pct(values["share_pct"]), rest=shown,
        rest_share=pct(values["remainder_share_pct"]), remainder=_(remainder)), inputs, values)


@check("residents_contribution_share", "parts",
       N_("Residents' contribution as a share of the ward and commune works' total cost"),
       could_fail=False,
       power=N_("It fails only if the contribution exceeds the works' total cost: any smaller "
                "wrong value, or one misreading applied to both numbers, passes."))
def residents_contribution_share(figures=None, part_id="works_people_contribution") -> Outcome:
    return _part_of_total(figures_or_default(figures), part_id, N_("came from other sources"))


@check("works_in_use_share", "parts", N_("Works put into use as a share of the works listed"),
       could_fail=False,
       power=N_("It fails only if more works are in use than are listed: any wrong count up to "
                "the total passes."))
def works_in_use_share(figures=None, part_id="works_in_use") -> Outcome:
    return _part_of_total(figures_or_default(figures), part_id, N_("were not yet in use"))


@check("cost_per_work", "parts",
       N_("Cost per work, with the total cost read as covering the works in use or all works"),
       could_fail=False,
       power=N_("It flags whenever the works in use differ from the works listed, which the "
                "article's wording decides, not the values; the division works for any positive "
                "counts."))
def cost_per_work(figures=None, cost_id="works_total_cost", in_use_id="works_in_use",
                  all_id="works_planned") -> Outcome:
    figures = figures_or_default(figures)
    cost, in_use, every = row(figures, cost_id), row(figures, in_use_id), row(figures, all_id)
    n_use, n_all = in_use["value"], every["value"]
    inputs = {cost_id: cost["value"], in_use_id: n_use, all_id: n_all}
    values = {"cost": cost["value"], "unit": cost["unit"], "works_in_use": n_use,
              "works_all": n_all}
    if n_use <= 0 or n_all <= 0 or n_use > n_all:
        return Outcome("fail", _("{in_use} works in use of {all} cannot be right.").format(
            in_use=numbers.local(n_use), all=numbers.local(n_all)), inputs, values)
    total_m = numbers.convert(Decimal(str(cost["value"])), cost["unit"], "million VND")
    per_use, per_all = float(total_m) / n_use, float(total_m) / n_all
    values.update(per_work_in_use_million_vnd=per_use, per_work_all_million_vnd=per_all)
    if n_use == n_all:
        return Outcome("pass", _("All {all} works are in use, so the total cost of {cost} is "
                                 "{per_work} per work either way.").format(
            all=numbers.local(n_all), cost=as_printed(cost),
            per_work=money(per_all, "million VND")), inputs, values)
    return Outcome("flag", _("The article does not say whether the total cost of {cost} covers "
                             "the {in_use} works in use or all {all}, so a work cost either "
                             "{per_use} or {per_all} on average.").format(
        cost=as_printed(cost), in_use=numbers.local(n_use), all=numbers.local(n_all),
        per_use=money(per_use, "million VND"), per_all=money(per_all, "million VND")),
        inputs, values)


# --- scale and scope -----------------------------------------------------------------------

MEASURES = {
    "turnover": N_("a turnover, which counts goods bought in and sold on at their full price"),
    "gross output": N_("gross output, which counts intermediate inputs as well as value added"),
    "unknown": N_("a measure the article does not define"),
}


def _measure(figure: dict) -> str:
    """What kind of measure a money figure is, from the article's own Vietnamese name."""
    name = figure["indicator_vi"].lower()
    if "doanh thu" in name:
        return "turnover"
    if "giá trị sản xuất" in name:
        return "gross output"
    return "unknown"


@check("turnover_vs_output", "scale",
       N_("Turnover and production value are different measures and must not be added or "
          "divided"),
       could_fail=False,
       power=N_("Its outcome follows from the indicators' Vietnamese names (doanh thu, giá trị "
                "sản xuất), not from their values: wrong numbers would flag the same."))
def turnover_vs_output(figures=None, turnover_id="revenue_goods_services",
                       output_id="industry_construction_value") -> Outcome:
    figures = figures_or_default(figures)
    a, b = row(figures, turnover_id), row(figures, output_id)
    kinds = (_measure(a), _measure(b))
    inputs = {turnover_id: a["value"], output_id: b["value"]}
    values = {"measure_" + turnover_id: kinds[0], "measure_" + output_id: kinds[1],
              "ratio_illustration_only": a["value"] / b["value"]}
    names = (local_text(a, "indicator"), local_text(b, "indicator"))
    if kinds[0] == kinds[1] != "unknown":
        measure = {"turnover": pgettext("measure", "turnover"),
                   "gross output": pgettext("measure", "gross output")}[kinds[0]]
        return Outcome("pass", _("The {first} and the {second} are both {measure}, so they can "
                                 "be compared: the first is {ratio} times the second.").format(
            first=names[0], second=names[1], measure=measure,
            ratio=numbers.local(values["ratio_illustration_only"], 2)), inputs, values)
    return Outcome("flag", _("The {first} ({first_value}) is {first_measure}, while the {second} "
                             "({second_value}) is {second_measure}, so their sum or one as a "
                             "share of the other means nothing; the ratio of {ratio} only "
                             "illustrates scale.").format(
        first=names[0], first_value=as_printed(a), first_measure=_(MEASURES[kinds[0]]),
        second=names[1], second_value=as_printed(b), second_measure=_(MEASURES[kinds[1]]),
        ratio=numbers.local(values["ratio_illustration_only"], 2)), inputs, values)


def _context_bounds(context, context_id: str) -> dict:
    return row(context, context_id, "context")


def _as_input(c: dict):
    """A context value as an input: the value, or [low, high] where sources disagree."""
    low, high = c["value_low"], c["value_high"]
    return low if low == high else [low, high]


@check("revenue_per_person", "scale",
       N_("City revenue of goods and services per person over nine months, in VND and USD"),
       could_fail=False,
       power=N_("Any positive revenue gives an amount per person and no plausible range is "
                "tested; the flag comes from the population rows (two counts, of 2019), not "
                "from the figure."))
def revenue_per_person(figures=None, context=None, revenue_id="revenue_goods_services",
                       population_id="bentre_city_population_2019",
                       rate_id="vnd_per_usd_2020") -> Outcome:
    figures, context = figures_or_default(figures), context_or_default(context)
    rev, pop, rate = (row(figures, revenue_id), _context_bounds(context, population_id),
                      _context_bounds(context, rate_id))
    inputs = {revenue_id: rev["value"], population_id: _as_input(pop), rate_id: _as_input(rate)}
    if pop["value_low"] <= 0 or rate["value_low"] <= 0:
        return Outcome("fail", _("A population or an exchange rate that is not positive "
                                 "cannot divide anything."), inputs,
                       {"population_low": pop["value_low"], "vnd_per_usd": rate["value_low"]})
    vnd = float(numbers.convert(Decimal(str(rev["value"])), rev["unit"], "VND"))
    each = estimates.per_capita_bounds(vnd, pop["value_low"], pop["value_high"])
    values = {"population_low": pop["value_low"], "population_high": pop["value_high"],
              "vnd_per_person_low": each.low, "vnd_per_person_high": each.high,
              "vnd_per_usd": rate["value_low"],
              "usd_per_person_low": each.low / rate["value_high"],
              "usd_per_person_high": each.high / rate["value_low"]}
    million = [float(numbers.convert(Decimal(str(v)), "VND", "million VND"))
               for v in (each.low, each.high)]
    reasons = [text for cond, text in (
        (pop["value_low"] != pop["value_high"], _("the sources' population counts differ")),
        (pop["period"] != rev["period"],
         _("the population is counted in {period}").format(period=pop["period"])),
    ) if cond]
    text = _("{name}, {revenue}, over {population} residents is {million} million VND per "
             "person in nine months, or {usd} USD at {rate} VND per USD").format(
        name=sentence_case(local_text(rev, "indicator")), revenue=as_printed(rev),
        population=span(pop["value_low"], pop["value_high"]),
        million=span(million[0], million[1], 2),
        usd=span(values["usd_per_person_low"], values["usd_per_person_high"]),
        rate=span(rate["value_low"], rate["value_high"], 2))
    if reasons:
        return Outcome("flag", text + _("; {reasons}, and the indicator's scope is not defined, "
                                        "so read it as an order of magnitude.").format(
            reasons=_(" and ").join(reasons)), inputs, values)
    return Outcome("pass", text + ".", inputs, values)


@check("revenue_vs_national_retail", "scale",
       N_("City revenue of goods and services against Viet Nam's retail sales in the same "
          "period"),
       could_fail=False,
       power=N_("It fails only if the city outsold the whole country or the periods differ; the "
                "flag is a fixed statement that the scopes differ, whatever the values."))
def revenue_vs_national_retail(figures=None, context=None, revenue_id="revenue_goods_services",
                               retail_id="vn_retail_sales_9m2020",
                               comparable: bool = False) -> Outcome:
    """``comparable`` says the two indicators have the same scope; by default they do not:
    the article does not define the city's "tổng doanh thu hàng hóa, dịch vụ"; it may be GSO's
    retail indicator under a local name, or wider."""
    figures, context = figures_or_default(figures), context_or_default(context)
    rev, retail = row(figures, revenue_id), _context_bounds(context, retail_id)
    retail_same_unit = [float(numbers.convert(Decimal(str(retail[k])), retail["unit"], rev["unit"]))
                        for k in ("value_low", "value_high")]
    share_low = estimates.share_pct(rev["value"], retail_same_unit[1])
    share_high = estimates.share_pct(rev["value"], retail_same_unit[0])
    inputs = {revenue_id: rev["value"], retail_id: _as_input(retail)}
    values = {"revenue": rev["value"], "retail_low": retail_same_unit[0],
              "retail_high": retail_same_unit[1], "unit": rev["unit"],
              "share_low_pct": share_low, "share_high_pct": share_high, "comparable": comparable}
    name = local_text(rev, "indicator")
    if retail["period"] != rev["period"]:
        return Outcome("fail", _("The city's {name} covers {period} and the national figure "
                                 "{national_period}: they cannot be compared.").format(
            name=name, period=rev["period"], national_period=retail["period"]), inputs, values)
    if share_high > 100:
        return Outcome("fail", _("The city's {name} would be {share} of the national figure, "
                                 "which is impossible.").format(name=name, share=pct(share_high)),
                       inputs, values)
    shown = pct(share_low) if share_low == share_high else f"{pct(share_low)}–{pct(share_high)}"
    text = _("The city's {name}, {revenue}, equals {share} of Viet Nam's {national} in the same "
             "nine months ({national_value})").format(
        name=name, revenue=as_printed(rev), share=shown,
        national=lower_first(local_text(retail, "indicator")),
        national_value=exact(Decimal(str(retail["value_low"])), retail["unit"]))
    if comparable:
        return Outcome("pass", text + ".", inputs, values)
    return Outcome("flag", text + _(", but the article does not define the city's indicator, "
                                    "which may be wider in scope than GSO's retail sales, so "
                                    "this shows scale, not a market share."), inputs, values)


# The city the article is about (an identifier of the context table's ``geography`` column,
# English, translated where shown).
LOCAL_GEOGRAPHY = N_("Bến Tre City")


@check("real_revenue_growth", "real",
       N_("The city's revenue growth with price change removed, if it is at current prices"),
       could_fail=False,
       power=N_("Any growth rate deflates to some real rate and no plausible range is tested; "
                "the flag comes from the CPI being national, not from the values."))
def real_revenue_growth(figures=None, context=None, growth_id="revenue_goods_services_growth",
                        cpi_id="vn_cpi_avg_9m2020",
                        retail_nominal_id="vn_retail_sales_growth_nominal_9m2020",
                        retail_real_id="vn_retail_sales_growth_real_9m2020",
                        local_geography=LOCAL_GEOGRAPHY) -> Outcome:
    figures, context = figures_or_default(figures), context_or_default(context)
    g_row, cpi = row(figures, growth_id), _context_bounds(context, cpi_id)
    g = g_row["value"]
    inputs = {growth_id: g, cpi_id: _as_input(cpi)}
    values = {"nominal_pct": g, "cpi_low_pct": cpi["value_low"], "cpi_high_pct": cpi["value_high"],
              "cpi_geography": cpi["geography"]}
    if cpi["period"] != g_row["period"] or cpi["value_low"] <= -100:
        return Outcome("fail", _("A price change for {cpi_period} ({cpi}) cannot deflate a "
                                 "growth rate for {period}.").format(
            cpi_period=cpi["period"], cpi=pct(cpi["value_low"]), period=g_row["period"]),
            inputs, values)
    values.update(real_low_pct=estimates.real_growth(g, cpi["value_high"]),
                  real_high_pct=estimates.real_growth(g, cpi["value_low"]))
    real = pct(values["real_low_pct"]) if cpi["value_low"] == cpi["value_high"] else \
        f"{pct(values['real_low_pct'])}–{pct(values['real_high_pct'])}"
    also = ""
    if retail_nominal_id and retail_real_id:
        nom = _context_bounds(context, retail_nominal_id)["value_low"]
        rea = _context_bounds(context, retail_real_id)["value_low"]
        inputs.update({retail_nominal_id: nom, retail_real_id: rea})
        deflator = estimates.implied_deflator(nom, rea)
        values.update(retail_deflator_pct=deflator,
                      real_with_retail_deflator_pct=estimates.real_growth(g, deflator))
        also = _(" ({real} with the {deflator} price effect implied by national retail "
                 "sales)").format(real=pct(values["real_with_retail_deflator_pct"]),
                                  deflator=pct(deflator))
    # The article states no price basis: the deflation holds only if the rate is nominal.
    geography = local_text(cpi, "geography")
    text = _("If the city's growth of {growth} is at current prices (the article does not say), "
             "then deflated by the {cpi} rise of the average CPI of {geography} over the same "
             "period it is about {real} in real terms{also}").format(
        growth=as_printed(g_row), cpi=pct(cpi["value_low"]), geography=geography, real=real,
        also=also)
    if cpi["geography"] == local_geography:
        return Outcome("pass", text + ".", inputs, values)
    return Outcome("flag", text + _("; a price index for {geography} is only a proxy for prices "
                                    "in {local}.").format(geography=geography,
                                                          local=_(local_geography)),
                   inputs, values)
