"""Tests of bentre.checks: every check on data built to pass and on data built to flag or
fail, with expected values computed here by plain arithmetic; and the ``audit`` command."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from bentre import checkbase, checks, cli, data, source
from bentre.checks import Combination

# --- data -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def figures():
    return data.load_figures()


@pytest.fixture(scope="module")
def references():
    return data.load_references()


@pytest.fixture(scope="module")
def context():
    return data.load_context()


@pytest.fixture(scope="module")
def text():
    return source.article_text()


def changed(frame, row_id, **cols):
    """A copy of ``frame`` with some cells of row ``row_id`` changed."""
    out = frame.copy()
    mask = out["id"] == row_id
    assert mask.sum() == 1, row_id
    for col, value in cols.items():
        out.loc[mask, col] = value
    return out


def without(frame, row_id):
    out = frame[frame["id"] != row_id].copy()
    assert len(out) == len(frame) - 1, row_id
    return out


def is_plain(value) -> bool:
    if isinstance(value, dict):
        return all(isinstance(k, str) and is_plain(v) for k, v in value.items())
    if isinstance(value, list):
        return all(is_plain(v) for v in value)
    return value is None or type(value) in (bool, int, float, str)


# --- the registry and the API ----------------------------------------------------------------


def test_run_all_gives_every_check_once_in_a_stable_order():
    first, second = checks.run_all(), checks.run_all()
    ids = [r.id for r in first]
    assert len(ids) >= 12
    assert len(set(ids)) == len(ids)
    assert ids == [r.id for r in second] == checks.check_ids()


def test_every_result_is_well_formed_on_the_real_data():
    for r in checks.run_all():
        assert r.id.replace("_", "").isalnum() and r.id == r.id.lower()
        assert r.status in ("pass", "flag", "fail")
        assert r.topic and r.title and "\n" not in r.title
        assert r.explanation.endswith(".") and "\n" not in r.explanation
        assert r.values, r.id
        assert is_plain(r.values) and is_plain(r.inputs), r.id
        with pytest.raises(AttributeError):
            r.status = "pass"  # frozen


def test_no_check_fails_on_the_real_data():
    assert [r.id for r in checks.run_all() if r.status == "fail"] == []


def test_results_frame_and_json():
    results = checks.run_all()
    frame = checks.results_frame(results)
    assert list(frame.columns) == ["id", "topic", "title", "status", "could_fail", "power",
                                   "explanation"]
    assert list(frame["id"]) == [r.id for r in results]
    assert list(frame["could_fail"]) == [r.could_fail for r in results]
    loaded = json.loads(checks.to_json(results))
    assert [d["id"] for d in loaded] == [r.id for r in results]
    assert loaded[0] == results[0].to_dict()


def test_run_one_check_by_id_with_synthetic_data(figures):
    bad = changed(figures, "revenue_goods_services", value=24.012)
    assert checks.run("vietnamese_parsing").status == "pass"
    assert checks.run("vietnamese_parsing", figures=bad).status == "fail"
    with pytest.raises(KeyError):
        checks.run("no_such_check")
    with pytest.raises(TypeError):
        checks.run("vietnamese_parsing", tables=bad)


def test_run_all_on_synthetic_data_reports_the_fail(figures):
    results = checks.run_all(figures=changed(figures, "works_in_use", value=50.0, raw="50"))
    failed = {r.id for r in results if r.status == "fail"}
    assert "works_in_use_share" in failed
    assert checks.exit_code(results) == 1
    assert checks.counts(results)["fail"] == len(failed)


def test_a_missing_row_is_a_fail_not_an_exception(figures):
    result = checks.implied_base_revenue(figures=without(figures, "revenue_goods_services"))
    assert result.status == "fail"
    assert result.values == {"missing": "revenue_goods_services"}


# --- power: could plausible wrong data have changed the outcome? ------------------------------


def test_every_registered_check_declares_its_power():
    registered = checkbase.registry()
    assert registered
    for check_id, c in registered.items():
        assert type(c.could_fail) is bool, check_id
        assert isinstance(c.power, str) and c.power.strip(), check_id
        assert "\n" not in c.power and c.power.endswith("."), check_id
    for r in checks.run_all():  # and every result carries what its check declared
        assert (r.could_fail, r.power) == (registered[r.id].could_fail, registered[r.id].power)


@pytest.mark.parametrize("kwargs, error", [
    ({}, TypeError),                                        # neither declared
    ({"could_fail": True}, TypeError),                      # no reason
    ({"power": "Some reason."}, TypeError),                 # no verdict
    ({"could_fail": "yes", "power": "Some reason."}, TypeError),
    ({"could_fail": 1, "power": "Some reason."}, TypeError),
    ({"could_fail": False, "power": None}, TypeError),
    ({"could_fail": False, "power": "  "}, ValueError),
])
def test_a_check_cannot_register_without_stating_its_power(kwargs, error):
    before = checkbase.registry()
    with pytest.raises(error):
        checkbase.check("power_test_check", "test", "A title", **kwargs)(lambda: None)
    assert checkbase.registry() == before  # nothing was registered


def test_the_checks_the_review_named_are_bookkeeping():
    """Issue 9: a positive base whenever growth exceeds −100 %, 8 + 6 = 14 from one source, and
    a part smaller than its total could hardly fail on any plausible data."""
    registered = checkbase.registry()
    for check_id in ("implied_base_revenue", "implied_base_industry_construction",
                     "implied_base_infrastructure_payments", "admin_units_sum",
                     "residents_contribution_share", "works_in_use_share",
                     "congress_targets_share"):
        assert registered[check_id].could_fail is False, check_id


def _typo_in_revenue(figures, references, context):
    """24.012 → 24.021 in both the raw string and its quote: a transcription typo."""
    quote = figures.loc[figures["id"] == "revenue_goods_services", "quote"].iloc[0]
    return {"figures": changed(figures, "revenue_goods_services", raw="24.021",
                               quote=quote.replace("24.012", "24.021"))}


# For each informative check: the project's data (or a clean variant) and a plausible error in
# them, which must change the outcome. This is what could_fail=True promises.
PLAUSIBLE_ERRORS = {
    "quotes_in_article": (None, _typo_in_revenue),
    "tokens_accounted": (None, lambda f, r, c: {"references": without(r, "term_start_2015")}),
    "vietnamese_parsing": (None, lambda f, r, c: {
        "figures": changed(f, "revenue_goods_services", value=24.012)}),
    "units_and_periods": (None, lambda f, r, c: {
        "context": changed(c, "vn_cpi_avg_9m2020", period="2020")}),
    "format_infrastructure_payments": (None, lambda f, r, c: {
        "figures": changed(f, "infrastructure_payments", value=121729.0)}),
    "format_works_total_cost": (None, lambda f, r, c: {
        "figures": changed(f, "works_total_cost", value=2726.0)}),
    # the benchmark read the English way no longer rules the English reading out
    "format_people_contribution": (None, lambda f, r, c: {
        "figures": changed(f, "infrastructure_payments", value=121729.0)}),
    # clean: distinct rates; error: one rate copied onto the second aggregate (the real data)
    "identical_growth_rates": (lambda f, r, c: {"figures": changed(
        f, "industry_construction_value_growth", value=5.87, raw="5,87%")},
        lambda f, r, c: {"figures": f}),
    # 71.65 → 76.15 million USD: two digits swapped
    "salinity_loss_conversion": (None, lambda f, r, c: {
        "context": changed(c, "bentre_province_drought_loss_usd", value_low=76.15,
                           value_high=76.15)}),
}


# The modules whose checks this file tests; checks_outcomes has its own tests.
MODULES = ("bentre.checks_source", "bentre.checks_figures", "bentre.checks_context")


def test_every_informative_check_has_a_plausible_error_to_show_it():
    informative = {i for i, c in checkbase.registry().items()
                   if c.could_fail and c.func.__module__ in MODULES}
    assert informative == set(PLAUSIBLE_ERRORS)


@pytest.mark.parametrize("check_id", sorted(PLAUSIBLE_ERRORS))
def test_an_informative_check_changes_its_outcome_on_plausible_wrong_data(
        check_id, figures, references, context):
    clean, wrong = PLAUSIBLE_ERRORS[check_id]
    tables = {"figures": figures, "references": references, "context": context}
    before = checks.run(check_id, **{**tables, **(clean(figures, references, context)
                                                  if clean else {})})
    after = checks.run(check_id, **{**tables, **wrong(figures, references, context)})
    assert before.status == "pass"
    assert after.status in ("flag", "fail"), after.explanation


@pytest.mark.parametrize("factor", [0.5, 0.9, 1.1, 2.0, 1000.0])
@pytest.mark.parametrize("growth", [-50.0, -5.0, 0.0, 15.0, 100.0])
def test_bookkeeping_checks_pass_whatever_plausible_values(figures, factor, growth):
    """Why they are bookkeeping: wrong levels and wrong growth rates still pass."""
    f = changed(figures, "revenue_goods_services", value=24012 * factor)
    f = changed(f, "revenue_goods_services_growth", value=growth,
                raw=f"{growth:g}".replace(".", ",") + "%")
    assert checks.implied_base_revenue(f).status == "pass"
    # any contribution up to the works' total cost passes
    part = changed(figures, "works_people_contribution", value=min(1.292 * factor, 2.726))
    assert checks.residents_contribution_share(part).status == "pass"


def test_power_counts_split_counts_by_power():
    results = checks.run_all()
    split = checks.power_counts(results)
    assert list(split) == ["informative", "bookkeeping"]
    for kind, could_fail in (("informative", True), ("bookkeeping", False)):
        statuses = [r.status for r in results if r.could_fail is could_fail]
        assert split[kind] == {s: statuses.count(s) for s in ("pass", "flag", "fail")}
    # the split adds up to counts(), status by status
    total = checks.counts(results)
    for s in ("pass", "flag", "fail"):
        assert split["informative"][s] + split["bookkeeping"][s] == total[s]
    assert sum(sum(n.values()) for n in split.values()) == len(results)


def test_power_counts_report_a_failing_informative_check(figures):
    bad = changed(figures, "revenue_goods_services", value=24.012)  # read the English way
    results = checks.run_all(figures=bad)
    failed = [r for r in results if r.status == "fail"]
    assert "vietnamese_parsing" in {r.id for r in failed}
    split = checks.power_counts(results)
    assert split["informative"]["fail"] == sum(r.could_fail for r in failed) >= 1
    assert split["bookkeeping"]["fail"] == sum(not r.could_fail for r in failed)


# --- provenance ---------------------------------------------------------------------------


def test_quotes_in_article_pass(figures, references, text):
    r = checks.quotes_in_article(figures, references, text)
    assert r.status == "pass"
    assert r.values["rows"] == len(figures) + len(references)
    assert r.values["located"] == r.values["rows"]


def test_quotes_in_article_fails_on_a_raw_string_not_in_its_quote(figures, references, text):
    bad = changed(figures, "revenue_goods_services", raw="24.013")
    r = checks.quotes_in_article(bad, references, text)
    assert r.status == "fail"
    assert "revenue_goods_services" in r.values["problems"]


def test_quotes_in_article_fails_on_a_wrong_stored_position(figures, references, text):
    row = figures[figures["id"] == "agriculture_value"].iloc[0]
    bad = changed(figures, "agriculture_value",
                  start=int(row["start"]) + 1, end=int(row["end"]) + 1)
    r = checks.quotes_in_article(bad, references, text)
    assert r.status == "fail"
    assert r.values["located"] == r.values["rows"] - 1


def test_tokens_accounted_pass(figures, references, text):
    r = checks.tokens_accounted(figures, references, text)
    assert r.status == "pass"
    assert r.values["tokens"] == len(figures) + len(references)
    assert r.values["claimed_by_figures"] == len(figures)


def test_tokens_accounted_fails_on_an_unlisted_token(figures, references, text):
    r = checks.tokens_accounted(figures, without(references, "term_start_2015"), text)
    assert r.status == "fail"
    assert r.values["unclaimed"] == 1 and "'2015'" in r.values["unclaimed_tokens"]
    r = checks.tokens_accounted(figures, references, text + "\nThêm 99 công trình.\n")
    assert r.status == "fail" and "'99'" in r.values["unclaimed_tokens"]


# --- parsing and structure -------------------------------------------------------------------


def test_vietnamese_parsing_pass(figures):
    r = checks.vietnamese_parsing(figures)
    assert r.status == "pass"
    assert r.values["matching"] == len(figures)
    assert '"4.243,46" → 4,243.46 billion VND' in r.explanation


def test_vietnamese_parsing_fails_on_an_english_reading(figures):
    r = checks.vietnamese_parsing(changed(figures, "industry_construction_value", value=4.24346))
    assert r.status == "fail"
    assert r.values["matching"] == len(figures) - 1
    assert "industry_construction_value" in r.values["mismatches"]


def test_units_and_periods_pass(figures, context):
    r = checks.units_and_periods(figures, context)
    assert r.status == "pass"
    assert r.values["growth_rates"] == (figures["kind"] == "yoy_growth").sum()
    assert r.values["parts"] == (figures["kind"] == "part_of_total").sum()
    assert r.values["allowed_exceptions"] == 2  # population 2019, exchange rate 2020


def test_units_and_periods_fails_on_a_growth_of_another_period(figures, context):
    r = checks.units_and_periods(changed(figures, "revenue_goods_services_growth", period="2020"),
                                 context)
    assert r.status == "fail" and "revenue_goods_services_growth" in r.values["problems"]


def test_units_and_periods_fails_on_a_part_in_another_unit(figures, context):
    r = checks.units_and_periods(changed(figures, "works_people_contribution", unit="count"),
                                 context)
    assert r.status == "fail" and "works_people_contribution" in r.values["problems"]


def test_units_and_periods_fails_on_an_unexplained_full_year_context(figures, context):
    mixed = (Combination("revenue_goods_services_growth", "vn_cpi_avg_2020", "test"),)
    r = checks.units_and_periods(figures, context, combinations=mixed)
    assert r.status == "fail" and "vn_cpi_avg_2020" in r.values["problems"]
    allowed = (Combination("revenue_goods_services_growth", "vn_cpi_avg_2020", "test", "said why"),)
    r = checks.units_and_periods(figures, context, combinations=allowed)
    assert r.status == "pass" and r.values["allowed_exceptions"] == 1


# --- number format ---------------------------------------------------------------------------


def test_number_format_ambiguity_flags_the_four_ambiguous_strings(figures):
    r = checks.number_format_ambiguity(figures)
    assert r.status == "flag"
    assert set(r.values["ambiguous_ids"].split(", ")) == {
        "revenue_goods_services", "infrastructure_payments", "works_total_cost",
        "works_people_contribution"}
    assert '"121,729" (121.729 or 121,729)' in r.explanation


def test_number_format_ambiguity_pass_without_ambiguous_strings(figures):
    plain = figures[figures["id"].isin(["industry_construction_value", "agriculture_value",
                                        "revenue_goods_services_growth", "works_in_use"])]
    assert checks.number_format_ambiguity(plain).status == "pass"


def test_format_infrastructure_payments_pass(figures):
    r = checks.format_infrastructure_payments(figures)
    assert r.status == "pass"
    assert r.values["english_reading"] == 121729
    assert r.values["vietnamese_reading"] == pytest.approx(121.729)
    assert r.values["english_to_benchmark"] == pytest.approx(121729 / 24012)
    assert "121,729 billion VND, 5.07 times" in r.explanation


def test_format_infrastructure_payments_fails_on_the_english_reading(figures):
    r = checks.format_infrastructure_payments(changed(figures, "infrastructure_payments",
                                                      value=121729.0))
    assert r.status == "fail"


def test_format_infrastructure_payments_flags_when_the_benchmark_cannot_rule_it_out(figures):
    r = checks.format_infrastructure_payments(changed(figures, "revenue_goods_services",
                                                      value=500000.0))
    assert r.status == "flag"


def test_format_works_total_cost_pass_and_fail(figures):
    r = checks.format_works_total_cost(figures)
    assert r.status == "pass"
    assert r.values["english_to_benchmark"] == pytest.approx(2726 / 121.729)
    assert checks.format_works_total_cost(
        changed(figures, "works_total_cost", value=2726.0)).status == "fail"


def test_format_people_contribution_pass_and_flag(figures):
    r = checks.format_people_contribution(figures)
    assert r.status == "pass"
    assert r.values["english_to_benchmark"] == pytest.approx(1292 / 121.729)
    bigger = changed(figures, "infrastructure_payments", value=5000.0)
    assert checks.format_people_contribution(bigger).status == "flag"


# --- growth ---------------------------------------------------------------------------------


def test_implied_base_revenue(figures):
    r = checks.implied_base_revenue(figures)
    assert r.status == "pass"
    assert r.values["base"] == pytest.approx(24012 / 1.0602)
    assert r.values["base_low"] == pytest.approx(24012 / 1.06025)
    assert r.values["base_high"] == pytest.approx(24012 / 1.06015)
    assert r.values["increase"] == pytest.approx(24012 - 24012 / 1.0602)
    assert r.inputs == {"revenue_goods_services": 24012.0, "revenue_goods_services_growth": 6.02}
    assert "22,648.56 billion VND" in r.explanation


def test_implied_base_industry_construction(figures):
    r = checks.implied_base_industry_construction(figures)
    assert r.status == "pass"
    assert r.values["base"] == pytest.approx(4243.46 / 1.0602)
    assert r.values["increase"] == pytest.approx(4243.46 - 4243.46 / 1.0602)


def test_implied_base_infrastructure_payments_is_a_range_for_a_whole_percent(figures):
    r = checks.implied_base_infrastructure_payments(figures)
    assert r.status == "pass"
    assert r.values["growth_low_pct"] == pytest.approx(70.5)
    assert r.values["growth_high_pct"] == pytest.approx(71.5)
    assert r.values["base"] == pytest.approx(121.729 / 1.71)
    assert r.values["base_low"] == pytest.approx(121.729 / 1.715)
    assert r.values["base_high"] == pytest.approx(121.729 / 1.705)
    assert r.values["increase_low"] == pytest.approx(121.729 - 121.729 / 1.705)


@pytest.mark.parametrize("check, growth_id", [
    (checks.implied_base_revenue, "revenue_goods_services_growth"),
    (checks.implied_base_industry_construction, "industry_construction_value_growth"),
    (checks.implied_base_infrastructure_payments, "infrastructure_payments_growth"),
])
def test_implied_base_fails_when_growth_is_minus_100_or_less(figures, check, growth_id):
    r = check(changed(figures, growth_id, value=-100.0, raw="-100%"))
    assert r.status == "fail"
    assert "base" not in r.values


def test_identical_growth_rates_flag(figures):
    r = checks.identical_growth_rates(figures)
    assert r.status == "flag"
    assert r.values["rate_pct"] == 6.02
    assert r.values["band_width_pp"] == 20
    assert r.values["p_equal"] == pytest.approx(0.01 / 20)
    assert r.values["one_in"] == 2000
    for words in ("copying error", "planning estimate", "coincidence"):
        assert words in r.explanation
    narrow = checks.identical_growth_rates(figures, band_width_pp=5)
    assert narrow.values["p_equal"] == pytest.approx(0.01 / 5) and narrow.values["one_in"] == 500


def test_identical_growth_rates_pass_when_rates_differ(figures):
    r = checks.identical_growth_rates(changed(figures, "industry_construction_value_growth",
                                              value=5.87, raw="5,87%"))
    assert r.status == "pass" and r.values["coincidences"] == 0


# --- parts ------------------------------------------------------------------------------------


def test_residents_contribution_share(figures):
    r = checks.residents_contribution_share(figures)
    assert r.status == "pass"
    assert r.values["share_pct"] == pytest.approx(100 * 1.292 / 2.726)
    assert r.values["remainder"] == pytest.approx(2.726 - 1.292)
    assert "(47.40%)" in r.explanation


def test_residents_contribution_fails_when_part_exceeds_total(figures):
    r = checks.residents_contribution_share(changed(figures, "works_people_contribution",
                                                    value=3.0, raw="3"))
    assert r.status == "fail"


def test_works_in_use_share(figures):
    r = checks.works_in_use_share(figures)
    assert r.status == "pass"
    assert r.values["share_pct"] == pytest.approx(100 * 25 / 42)
    assert r.values["remainder"] == 17
    assert checks.works_in_use_share(
        changed(figures, "works_in_use", value=50.0, raw="50")).status == "fail"


def test_cost_per_work_flags_the_two_readings(figures):
    r = checks.cost_per_work(figures)
    assert r.status == "flag"
    assert r.values["per_work_in_use_million_vnd"] == pytest.approx(2726 / 25)
    assert r.values["per_work_all_million_vnd"] == pytest.approx(2726 / 42)
    assert "109.04 million VND or 64.90 million VND" in r.explanation


def test_cost_per_work_pass_when_all_works_are_in_use_and_fail_on_zero(figures):
    r = checks.cost_per_work(changed(figures, "works_planned", value=25.0, raw="25"))
    assert r.status == "pass"
    assert r.values["per_work_all_million_vnd"] == pytest.approx(2726 / 25)
    none_in_use = changed(figures, "works_in_use", value=0.0, raw="0")
    assert checks.cost_per_work(none_in_use).status == "fail"


# --- scale, scope and real growth -------------------------------------------------------------


def test_turnover_vs_output_flag(figures):
    r = checks.turnover_vs_output(figures)
    assert r.status == "flag"
    assert r.values["ratio_illustration_only"] == pytest.approx(24012 / 4243.46)


def test_turnover_vs_output_pass_for_two_gross_outputs(figures):
    r = checks.turnover_vs_output(figures, turnover_id="agriculture_value")
    assert r.status == "pass"
    same = changed(figures, "industry_construction_value", indicator_vi="doanh thu công nghiệp")
    assert checks.turnover_vs_output(same).status == "pass"


def test_revenue_per_person_flag(figures, context):
    r = checks.revenue_per_person(figures, context)
    assert r.status == "flag"
    assert r.values["vnd_per_person_low"] == pytest.approx(24012e9 / 124560)
    assert r.values["vnd_per_person_high"] == pytest.approx(24012e9 / 124449)
    assert r.values["usd_per_person_low"] == pytest.approx(24012e9 / 124560 / 23208.37)
    assert r.values["usd_per_person_high"] == pytest.approx(24012e9 / 124449 / 23208.37)
    assert r.inputs["bentre_city_population_2019"] == [124449, 124560]


def test_revenue_per_person_pass_and_fail(figures, context):
    one = changed(context, "bentre_city_population_2019", value_low=120000.0,
                  value_high=120000.0, period="2020-01/2020-09")
    r = checks.revenue_per_person(figures, one)
    assert r.status == "pass"
    assert r.values["vnd_per_person_low"] == pytest.approx(24012e9 / 120000)
    zero = changed(context, "bentre_city_population_2019", value_low=0.0)
    assert checks.revenue_per_person(figures, zero).status == "fail"


def test_revenue_vs_national_retail(figures, context):
    r = checks.revenue_vs_national_retail(figures, context)
    assert r.status == "flag"
    assert r.values["retail_low"] == pytest.approx(3673.5 * 1000)  # trillion → billion
    assert r.values["share_low_pct"] == pytest.approx(100 * 24012 / 3673500)
    assert "0.65%" in r.explanation and "scope" in r.explanation
    assert checks.revenue_vs_national_retail(figures, context, comparable=True).status == "pass"


def test_revenue_vs_national_retail_fails_on_mismatched_period_or_share(figures, context):
    year = changed(context, "vn_retail_sales_9m2020", period="2020")
    assert checks.revenue_vs_national_retail(figures, year).status == "fail"
    small = changed(context, "vn_retail_sales_9m2020", value_low=10.0, value_high=10.0)
    assert checks.revenue_vs_national_retail(figures, small).status == "fail"


def test_real_revenue_growth_flag(figures, context):
    r = checks.real_revenue_growth(figures, context)
    assert r.status == "flag"
    assert r.values["real_low_pct"] == pytest.approx(100 * (1.0602 / 1.0385 - 1))
    deflator = 1.007 / 0.964 - 1
    assert r.values["retail_deflator_pct"] == pytest.approx(100 * deflator)
    assert r.values["real_with_retail_deflator_pct"] == pytest.approx(
        100 * (1.0602 / (1 + deflator) - 1))
    assert "2.09%" in r.explanation and "proxy" in r.explanation


def test_real_revenue_growth_pass_with_a_local_cpi_and_fail_with_a_full_year_one(figures, context):
    local = changed(context, "vn_cpi_avg_9m2020", geography="Bến Tre City")
    assert checks.real_revenue_growth(figures, local).status == "pass"
    r = checks.real_revenue_growth(figures, context, cpi_id="vn_cpi_avg_2020")
    assert r.status == "fail"


# --- the command line ----------------------------------------------------------------------


def test_audit_json_lists_every_check_with_values(capsys):
    code = cli.main(["audit", "--json"])
    listed = json.loads(capsys.readouterr().out)
    assert code == 0
    assert len(listed) >= 12
    for item in listed:
        assert set(item) == {"id", "title", "topic", "inputs", "values", "status", "explanation",
                             "could_fail", "power"}
        declared = checkbase.registry()[item["id"]]
        assert (item["could_fail"], item["power"]) == (declared.could_fail, declared.power)
        assert item["values"], item["id"]


def test_audit_table_shows_every_check_and_the_counts(capsys):
    code = cli.main(["audit"])
    out = capsys.readouterr().out
    assert code == 0
    results = checks.run_all()
    kinds = {r.id: "informative" if r.could_fail else "bookkeeping" for r in results}
    for check_id in checks.check_ids():
        # each check's row names its power in the column after the id
        row = next(line for line in out.splitlines() if line.startswith(check_id + " "))
        assert row.split()[1:3] == [kinds[check_id], by_id_status(results)[check_id]]
    # the closing line, counted here from the results themselves
    parts = []
    for kind, could_fail in (("informative", True), ("bookkeeping", False)):
        mine = [r.status for r in results if r.could_fail == could_fail]
        parts.append(f"{kind} {len(mine)} ({mine.count('pass')} pass, {mine.count('flag')} "
                     f"flag, {mine.count('fail')} fail)")
    assert out.rstrip().splitlines()[-1] == f"{len(results)} checks: " + "; ".join(parts)


def by_id_status(results) -> dict[str, str]:
    return {r.id: r.status for r in results}


@pytest.mark.parametrize("argv", [["audit"], ["audit", "--json"]])
def test_audit_exits_1_when_a_check_fails(monkeypatch, capsys, figures, argv):
    failing = changed(figures, "works_in_use", value=50.0, raw="50")
    monkeypatch.setattr(checks, "run_all", lambda: [checks.works_in_use_share(failing),
                                                    checks.cost_per_work()])
    assert cli.main(argv) == 1
    assert "works_in_use_share" in capsys.readouterr().out


def test_python_m_bentre_audit_json_runs():
    done = subprocess.run([sys.executable, "-m", "bentre", "audit", "--json"],
                          capture_output=True, text=True, check=False,
                          cwd=Path(__file__).resolve().parent.parent)
    assert done.returncode == 0, done.stderr
    assert len(json.loads(done.stdout)) >= 12


# --- the arithmetic and the plumbing ------------------------------------------------------


def test_estimates_arithmetic():
    from bentre import estimates

    b = estimates.rounding_bounds(71.0, 0)
    assert (b.low, b.mid, b.high) == (70.5, 71.0, 71.5)
    assert estimates.rounding_bounds(6.02, 2).high == 6.025
    assert estimates.coincidence_probability(0.01, 20) == pytest.approx(0.0005)
    assert estimates.coincidence_probability(0.01, 20, k=3) == pytest.approx(0.0005 ** 2)
    assert estimates.real_growth(10, 10) == pytest.approx(0)
    with pytest.raises(ValueError):
        estimates.implied_base(100, -100)


def test_plain_turns_numpy_and_decimal_into_python():
    from decimal import Decimal

    import numpy as np

    from bentre.checkbase import plain

    out = plain({"a": np.float64(1.5), "b": np.int64(2), "c": np.bool_(True),
                 "d": Decimal("0.1"), "e": [np.float64("nan")], "f": float("inf")})
    assert out == {"a": 1.5, "b": 2, "c": True, "d": 0.1, "e": [None], "f": None}
    assert [type(v) for v in (out["a"], out["b"], out["c"], out["d"])] == [float, int, bool, float]


# --- the Vietnamese edition ------------------------------------------------------------------


@pytest.fixture
def vietnamese(monkeypatch):
    """Write in Vietnamese for one test (set_language also sets BENTRE_LANG, which
    monkeypatch restores)."""
    from bentre import i18n

    monkeypatch.setenv("BENTRE_LANG", "en")
    i18n.set_language("vi")
    yield
    i18n.set_language(None)


def vi_catalog() -> dict:
    """The Vietnamese catalog read with Babel, (context, msgid) → msgstr: independent of
    the compiled .mo that gettext reads."""
    from babel.messages.pofile import read_po

    from bentre import i18n

    with i18n.catalog_path("vi").open("rb") as handle:
        catalog = read_po(handle, locale="vi")
    return {(m.context, m.id): m.string for m in catalog if m.id and not m.fuzzy}


def test_every_check_title_and_power_is_translated(vietnamese):
    catalog = vi_catalog()
    english = {c.id: (c.title_msgid, c.power_msgid) for c in checkbase.registry().values()}
    results = checks.run_all()
    assert [r.id for r in results] == list(english)  # ids stay English
    for r in results:
        title, power = english[r.id]
        assert catalog.get((None, title)), f"{r.id}: title not in the catalog"
        assert catalog.get((None, power)), f"{r.id}: power not in the catalog"
        assert r.title == catalog[(None, title)] != title, r.id
        assert r.power != power and r.power.split()[:2] == catalog[(None, power)].split()[:2]
        # the registry says the same in the reader's language
        assert checkbase.registry()[r.id].title == r.title
        assert checkbase.registry()[r.id].power == r.power


def test_vietnamese_audit_has_no_english_left(vietnamese):
    """No check's English title, power or explanation sentence survives in Vietnamese: the
    English words that open or join its sentences are gone, identifiers stay."""
    results = checks.run_all()
    english_words = re.compile(r"\b(the|of|and|is|are|with|from|which|that|would|checks?|"
                               r"growth|billion|million|percent|points?|quarter|year)\b")
    for r in results:
        assert r.status in checks.STATUSES and r.topic.isascii()  # codes, not words
        for text in (r.title, r.power, r.explanation):
            # identifiers (check ids, format_*) and the acronyms CPI, USD, GSO may remain
            stripped = re.sub(r"\b[a-z]+_[a-z0-9_*]+\b", "", text)
            assert not english_words.search(stripped), (r.id, text)
        assert r.explanation[:1].isupper() or r.explanation[:1] in "0123456789“", r.id
    labels = ([checks.status_label(s) for s in checks.STATUSES]
              + [checks.power_kind_label(k) for k in checks.POWER_KINDS]
              + [checks.topic_label(r.topic) for r in results])
    assert "đạt" in labels and "cần lưu ý" in labels and "không đạt" in labels
    assert not any(label in {"pass", "flag", "fail", "informative", "bookkeeping"}
                   | {r.topic for r in results} for label in labels)
    frame = checks.display_frame(results)
    assert list(frame.columns) == ["phép kiểm tra", "sức kiểm chứng", "kết quả", "phát hiện"]
    assert list(frame.iloc[:, 0]) == [r.id for r in results]
    assert checks.summary_line(results).startswith(f"{len(results)} phép kiểm tra: ")
    assert "kiểm toán" not in checks.to_json(results)  # audit is rà soát, never kiểm toán


def vi_number(value, decimals: int) -> str:
    """``value`` written the Vietnamese way by Babel directly, rounded half up."""
    from decimal import ROUND_HALF_UP, Decimal

    from babel.numbers import format_decimal

    rounded = Decimal(str(value)).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    return format_decimal(rounded, format="#,##0" + ("." + "0" * decimals if decimals else ""),
                          locale="vi")


def test_numbers_in_vietnamese_explanations_follow_the_vietnamese_convention(vietnamese):
    by_id = {r.id: r for r in checks.run_all()}
    base = by_id["implied_base_revenue"]
    v = base.values
    for number in (vi_number(v["level"], 0) + " tỷ đồng",          # 24.012 tỷ đồng
                   vi_number(v["growth_pct"], 2) + "%",             # 6,02%
                   vi_number(v["base"], 2) + " tỷ đồng",            # 22.648,56 tỷ đồng
                   vi_number(v["base_low"], 2), "0,01 điểm phần trăm"):
        assert number in base.explanation, (number, base.explanation)
    assert vi_number(v["level"], 0) == "24.012" and vi_number(v["growth_pct"], 2) == "6,02"
    assert "24,012" not in base.explanation and "22,648.56" not in base.explanation
    cost = by_id["cost_per_work"]
    for key in ("per_work_in_use_million_vnd", "per_work_all_million_vnd"):
        assert vi_number(cost.values[key], 2) + " triệu đồng" in cost.explanation
    person = by_id["revenue_per_person"]
    assert f"{vi_number(person.values['population_low'], 0)}–" in person.explanation
    assert f"{vi_number(person.values['vnd_per_usd'], 2)} đồng/USD" in person.explanation
    share = by_id["last_quarter_share"]
    assert f"{vi_number(share.values['share_2020_pct'], 2)}%" in share.explanation
    assert "25%" in share.power  # the flag threshold, written into the power statement
    ambiguous = by_id["number_format_ambiguity"]
    # the Vietnamese reading of "121,729" is 121,729 (a little over 121), the English one
    # 121.729 in the Vietnamese convention (a hundred and twenty-one thousand)
    assert "“121,729” (121,729 hoặc 121.729)" in ambiguous.explanation
    # no number in any explanation is written the English way (a comma between thousands
    # followed by a decimal point)
    for r in by_id.values():
        assert not re.search(r"\d,\d{3}\.\d", r.explanation), (r.id, r.explanation)


def test_the_english_edition_is_unchanged_by_the_catalog():
    """English is the source: titles and powers are the marked English strings as they were."""
    for c in checkbase.registry().values():
        assert c.title == c.title_msgid
        assert c.power == " ".join(c.power.split())
    r = checks.run("last_quarter_share")
    assert r.power.startswith("A last quarter more than 25 % above the average quarter")
    assert checks.summary_line([r]) == "1 check: informative 1 (0 pass, 1 flag, 0 fail); " \
        "bookkeeping 0 (0 pass, 0 flag, 0 fail)"
