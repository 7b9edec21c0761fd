"""The context and claims checks: each on the real tables and on tables built to fail or
flag, with expected values computed here by plain arithmetic."""

from __future__ import annotations

import pandas as pd
import pytest

from bentre import checks, data


@pytest.fixture(scope="module")
def context():
    return data.load_context()


def with_values(frame, row_id, low, high=None):
    out = frame.copy()
    mask = out["id"] == row_id
    out.loc[mask, "value_low"] = low
    out.loc[mask, "value_high"] = low if high is None else high
    return out


def test_context_and_claims_checks_are_registered_and_run_in_the_audit():
    ids = [r.id for r in checks.run_all()]
    for check_id in ("admin_units_sum", "salinity_loss_conversion", "congress_targets_share",
                     "claims_checkable"):
        assert check_id in ids


def test_wards_and_communes_add_up_to_the_units(context):
    result = checks.run("admin_units_sum", context=context)
    assert result.status == "pass"
    assert result.values["sum"] == 8 + 6 == result.values["units"]


def test_a_unit_count_that_does_not_add_up_fails(context):
    result = checks.run("admin_units_sum", context=with_values(context, "bentre_city_wards_2020", 9))
    assert result.status == "fail"
    assert result.values["sum"] == 15


def test_the_sources_usd_loss_is_its_vnd_loss_at_the_2020_rate(context):
    result = checks.run("salinity_loss_conversion", context=context)
    assert result.status == "pass"
    assert result.values["implied_vnd_per_usd"] == pytest.approx(1.66e12 / 71.65e6)
    assert result.values["gap_pct"] == pytest.approx(100 * (1.66e12 / 71.65e6 / 23208.37 - 1))


def test_a_usd_figure_at_another_rate_is_flagged(context):
    changed = with_values(context, "bentre_province_drought_loss_usd", 60.0)
    result = checks.run("salinity_loss_conversion", context=changed)
    assert result.status == "flag"
    assert result.values["implied_vnd_per_usd"] == pytest.approx(1.66e12 / 60e6)


def test_targets_met_share(context):
    result = checks.run("congress_targets_share", context=context)
    assert result.status == "pass"
    assert result.values["share_pct"] == pytest.approx(100 * 41 / 46)
    assert result.values["not_met"] == 5


def test_more_targets_met_than_set_fails(context):
    changed = with_values(context, "bentre_city_congress_targets_met", 47)
    assert checks.run("congress_targets_share", context=changed).status == "fail"


def test_claims_without_an_indicator_are_flagged():
    claims = data.load_claims()
    result = checks.run("claims_checkable", claims=claims)
    assert result.status == "flag"
    assert result.values["claims"] == len(claims)
    assert result.values["not_checkable"] == int((claims["checkability"] == "not_checkable").sum())


def test_claims_that_are_all_partly_checkable_pass():
    claims = pd.DataFrame({"id": ["a", "b"], "checkability": ["partly_checkable"] * 2})
    result = checks.run("claims_checkable", claims=claims)
    assert result.status == "pass"
    assert result.values["not_checkable_share_pct"] == 0


def test_context_checks_declare_their_power(context):
    """The wards-and-communes sum and the targets share are bookkeeping (one source's small
    counts; a part below its total); the currency conversion meets three rows of two sources."""
    declared = {r.id: r.could_fail for r in checks.run_all()}
    assert {i: declared[i] for i in ("admin_units_sum", "salinity_loss_conversion",
                                     "congress_targets_share", "claims_checkable")} == {"admin_units_sum": False, "salinity_loss_conversion": True,
                        "congress_targets_share": False, "claims_checkable": False}


@pytest.mark.parametrize("usd, status", [(71.65, "pass"), (71.56, "pass"), (76.15, "flag"),
                                         (17.65, "flag"), (7.165, "flag")])
def test_the_conversion_flags_a_mistyped_usd_amount_beyond_the_tolerance(context, usd, status):
    """Its power: a swap of the last two digits stays within 2 %; larger typos flag."""
    result = checks.run("salinity_loss_conversion",
                        context=with_values(context, "bentre_province_drought_loss_usd", usd))
    gap = 100 * (1.66e12 / (usd * 1e6) / 23208.37 - 1)
    assert result.values["gap_pct"] == pytest.approx(gap)
    assert result.status == ("flag" if abs(gap) > 2.0 else "pass") == status


def test_context_checks_speak_vietnamese_with_vietnamese_numbers(monkeypatch, context):
    from babel.numbers import format_decimal

    from bentre import i18n

    monkeypatch.setenv("BENTRE_LANG", "en")
    i18n.set_language("vi")
    try:
        units = checks.run("admin_units_sum", context=context)
        salinity = checks.run("salinity_loss_conversion", context=context)
        targets = checks.run("congress_targets_share", context=context)
    finally:
        i18n.set_language(None)
    assert units.explanation.endswith("đơn vị hành chính, đúng như báo cáo.")
    assert "phường" in units.explanation and "xã" in units.explanation
    rate = salinity.values["average_vnd_per_usd"]
    assert format_decimal(round(rate, 2), format="#,##0.00", locale="vi") in salinity.explanation
    assert "nghìn tỷ đồng" in salinity.explanation and "đồng/USD" in salinity.explanation
    share = format_decimal(round(targets.values["share_pct"], 1), format="#,##0.0", locale="vi")
    assert f"({share}%)" in targets.explanation and "chỉ tiêu Nghị quyết" in targets.explanation
    assert targets.title.startswith("Tỷ lệ chỉ tiêu Nghị quyết")
