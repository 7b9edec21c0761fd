"""Checks of the context figures and of the article's claims without numbers.

Registered in :mod:`bentre.checks`. The context figures come from other sources; they are
checked for internal consistency (parts that must sum, a conversion that must match the
year's exchange rate), and the qualitative claims for how many could be checked at all.
"""

from __future__ import annotations

from decimal import Decimal

from . import estimates, numbers
from .checkbase import Outcome, check, context_or_default, pct, row
from .i18n import N_, _

# A source's own currency conversion may use a rate of another day; within this margin of
# the year's average rate it is consistent.
CONVERSION_TOLERANCE_PCT = 2.0


def _single(context, context_id: str) -> float:
    c = row(context, context_id, "context")
    if c["value_low"] != c["value_high"]:
        raise ValueError(f"context {context_id!r} is a range; this check needs one value")
    return c["value_low"]


@check("admin_units_sum", "context",
       N_("Bến Tre City's wards and communes add up to its administrative units"),
       could_fail=False,
       power=N_("One source states the wards, the communes and their total, and small counts "
                "like these add up in any source: only our own typo could fail it."))
def admin_units_sum(context=None, units_id="bentre_city_admin_units_2020",
                    wards_id="bentre_city_wards_2020",
                    communes_id="bentre_city_communes_2020") -> Outcome:
    context = context_or_default(context)
    units, wards, communes = (_single(context, i) for i in (units_id, wards_id, communes_id))
    inputs = {units_id: units, wards_id: wards, communes_id: communes}
    values = {"units": units, "wards": wards, "communes": communes, "sum": wards + communes}
    counts = {"wards": numbers.local(wards), "communes": numbers.local(communes),
              "sum": numbers.local(wards + communes)}
    if wards + communes != units:
        return Outcome("fail", _("{wards} wards and {communes} communes make {sum}, not the "
                                 "{units} units reported.").format(
            **counts, units=numbers.local(units)), inputs, values)
    return Outcome("pass", _("{wards} wards and {communes} communes make {sum} administrative "
                             "units, as reported.").format(**counts), inputs, values)


@check("salinity_loss_conversion", "context",
       N_("The source's USD figure for the provincial drought losses matches the 2020 exchange "
          "rate"),
       could_fail=True,
       power=N_("A mistyped amount, a USD figure that converts another amount, or a wrong "
                "exchange-rate row (the one revenue_per_person uses) moves the implied rate past "
                "the tolerance: it flags."))
def salinity_loss_conversion(context=None, vnd_id="bentre_province_drought_loss_vnd",
                             usd_id="bentre_province_drought_loss_usd",
                             rate_id="vnd_per_usd_2020",
                             tolerance_pct: float = CONVERSION_TOLERANCE_PCT) -> Outcome:
    context = context_or_default(context)
    loss, usd, rate = (row(context, i, "context") for i in (vnd_id, usd_id, rate_id))
    # The USD figure is the source's conversion of its own VND figure, the high end.
    loss_vnd = float(numbers.convert(Decimal(str(loss["value_high"])), loss["unit"], "VND"))
    usd_value = usd["value_high"] * 10**6  # million USD → USD
    implied = loss_vnd / usd_value
    gap = 100 * (implied / rate["value_low"] - 1)
    inputs = {vnd_id: [loss["value_low"], loss["value_high"]], usd_id: usd["value_high"],
              rate_id: rate["value_low"]}
    values = {"implied_vnd_per_usd": implied, "average_vnd_per_usd": rate["value_low"],
              "gap_pct": gap, "tolerance_pct": tolerance_pct}
    if gap < 0:
        template = _("{vnd} trillion VND for {usd} million USD implies {implied} VND per USD, "
                     "{gap} below the 2020 average of {average}")
    else:
        template = _("{vnd} trillion VND for {usd} million USD implies {implied} VND per USD, "
                     "{gap} above the 2020 average of {average}")
    text = template.format(vnd=numbers.local(loss["value_high"], 2),
                           usd=numbers.local(usd["value_high"], 2),
                           implied=numbers.local(implied, 2), gap=pct(abs(gap)),
                           average=numbers.local(rate["value_low"], 2))
    if abs(gap) > tolerance_pct:
        return Outcome("flag", text + _(": more than {tolerance} apart, so one of the two "
                                        "figures is not the other's conversion.").format(
            tolerance=pct(tolerance_pct, 0)), inputs, values)
    return Outcome("pass", text + _(": the two figures are one amount in two currencies."),
                   inputs, values)


@check("congress_targets_share", "context",
       N_("Targets of the 2015–2020 resolution met, as a share of all its targets"),
       could_fail=False,
       power=N_("It fails only if more targets were met than set: any wrong count up to the "
                "total passes, and it computes a share."))
def congress_targets_share(context=None, met_id="bentre_city_congress_targets_met",
                           total_id="bentre_city_congress_targets_total") -> Outcome:
    context = context_or_default(context)
    met, total = _single(context, met_id), _single(context, total_id)
    inputs = {met_id: met, total_id: total}
    if total <= 0 or met > total:
        return Outcome("fail", _("{met} targets met out of {total} is impossible.").format(
            met=numbers.local(met), total=numbers.local(total)), inputs,
            {"met": met, "total": total})
    share = estimates.share_pct(met, total)
    values = {"met": met, "total": total, "not_met": total - met, "share_pct": share}
    return Outcome("pass", _("{met} of {total} targets ({share}) were met or exceeded; "
                             "{not_met} were not, as reported at the city's 2020 party "
                             "congress.").format(
        met=numbers.local(met), total=numbers.local(total), share=pct(share, 1),
        not_met=numbers.local(total - met)), inputs, values)


@check("claims_checkable", "claims",
       N_("How many of the article's claims without numbers could be checked at all"),
       could_fail=False,
       power=N_("A tally of the project's own classification of the claims: it flags while any "
                "claim is uncheckable, and holds no value that could be wrong."))
def claims_checkable(claims=None) -> Outcome:
    if claims is None:
        from . import data

        claims = data.load_claims()
    by_kind = {k: int((claims["checkability"] == k).sum())
               for k in ("partly_checkable", "checkable_in_principle", "not_checkable")}
    total = len(claims)
    values = {"claims": total, **by_kind,
              "not_checkable_share_pct": estimates.share_pct(by_kind["not_checkable"], total)
              if total else 0.0}
    text = _("Of {total} claims made without a number, {partly} can be partly checked against a "
             "public figure, {in_principle} could be checked if an indicator were published, "
             "and {not_checkable} name nothing measurable").format(
        total=numbers.local(total), partly=numbers.local(by_kind["partly_checkable"]),
        in_principle=numbers.local(by_kind["checkable_in_principle"]),
        not_checkable=numbers.local(by_kind["not_checkable"]))
    if by_kind["not_checkable"] or by_kind["checkable_in_principle"]:
        return Outcome("flag", text + ".", {}, values)
    return Outcome("pass", text + ".", {}, values)
