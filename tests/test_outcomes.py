"""Promises of the full-year chapter: the later figures (``data/outcomes.csv``) and their
sources (``data/sources.csv``) load only when right, naming file, line and field otherwise;
every check of ``bentre.checks_outcomes`` gives what plain arithmetic on the printed figures
gives (worked out here, not by calling the package); and the outlook's scenarios are scored
exactly as the outlook stored them, with no hindsight.
"""

from __future__ import annotations

import ast
import json

import pytest

from bentre import checks, checks_outcomes as co, data
from bentre.data import DataError
from bentre.numbers import format_en, format_en_percent

from conftest import REPO, assert_problem, line_of, set_cell

OUTCOMES, SOURCES = "data/outcomes.csv", "data/sources.csv"
OUTLOOK = REPO / "chapters" / "05_outlook.ipynb"

# The printed figures, by hand: the article's nine months and the newspaper's year.
L9, G9 = 24012.0, 6.02          # "24.012 tỷ đồng", "6,02%"
Y, T = 37067.0, 6.32            # "37.067 tỷ đồng", "6,32%"
R, RG = 15092.0, 11.2           # "15.092 tỷ đồng", "11,2%"
B9 = L9 / 1.0602                # January–September 2019
Y19 = Y / 1.0632                # the whole of 2019
Q4_20, Q4_19 = Y - L9, Y19 - B9

OUTCOME_CHECKS = ["indicator_wording", "full_year_base_2019", "last_quarter_2020",
                  "last_quarter_share", "growth_consistency", "retail_share_of_revenue",
                  "national_retail_comparison_rescored", "outlook_scenarios_scored"]


def raises(loader) -> DataError:
    with pytest.raises(DataError) as info:
        loader()
    return info.value


# =============================================================================================
# The tables
# =============================================================================================

def test_the_new_tables_load_with_their_rows():
    outcomes = data.load_outcomes()
    assert list(outcomes["id"]) == ["revenue_commerce_services_2020",
                                    "revenue_commerce_services_growth_2020",
                                    "retail_sales_2020", "retail_sales_growth_2020"]
    assert list(outcomes["value"]) == [Y, T, R, RG]
    assert set(outcomes["source_id"]) == {"baodongkhoi_tp_bentre_2020"}
    sources = data.load_sources().set_index("id")
    assert set(sources.index) == {"mekong_asean_bentre_9m2020", "baodongkhoi_tp_bentre_2020"}
    paper = sources.loc["baodongkhoi_tp_bentre_2020"]
    assert paper["published"] == "2021-01-08"
    assert paper["url"].startswith("https://amp.baodongkhoi.vn/")
    assert "full text" in paper["not_seen"]


def test_validate_lists_the_new_tables_without_problems():
    counts, problems = data.validate_all()
    assert problems == []
    assert counts["outcomes"] == 4 and counts["sources"] == 2


def test_a_raw_string_that_does_not_parse(project):
    line = set_cell(project / OUTCOMES, "revenue_commerce_services_2020", "raw", "37.06.7")
    assert_problem(raises(data.load_outcomes), OUTCOMES, line, "raw", "Vietnamese")


def test_a_value_that_is_not_what_its_raw_says(project):
    # 37.067 read the English way: a thousand times too small
    line = set_cell(project / OUTCOMES, "revenue_commerce_services_2020", "value", "37.067")
    assert_problem(raises(data.load_outcomes), OUTCOMES, line, "value", "37067")


def test_a_percentage_without_its_sign(project):
    line = set_cell(project / OUTCOMES, "retail_sales_growth_2020", "raw", "11,2")
    assert_problem(raises(data.load_outcomes), OUTCOMES, line, "raw", "%")


def test_a_dangling_reference_to_an_article_figure(project):
    line = set_cell(project / OUTCOMES, "retail_sales_2020", "figure_id", "retail_sales")
    assert_problem(raises(data.load_outcomes), OUTCOMES, line, "figure_id", "foreign-key",
                   "figures")


def test_a_dangling_reference_to_a_source(project):
    line = set_cell(project / OUTCOMES, "retail_sales_2020", "source_id", "bao_dong_khoi")
    assert_problem(raises(data.load_outcomes), OUTCOMES, line, "source_id", "foreign-key",
                   "sources")


def test_an_unknown_unit(project):
    line = set_cell(project / OUTCOMES, "retail_sales_2020", "unit", "billion dong")
    assert_problem(raises(data.load_outcomes), OUTCOMES, line, "unit", "billion VND")


def test_an_unknown_printed_unit(project):
    line = set_cell(project / OUTCOMES, "retail_sales_2020", "raw_unit", "nghìn tỷ đồng")
    assert_problem(raises(data.load_outcomes), OUTCOMES, line, "raw_unit", "tỷ đồng")


def test_a_unit_that_does_not_go_with_the_printed_unit(project):
    line = set_cell(project / OUTCOMES, "retail_sales_2020", "unit", "percent")
    assert_problem(raises(data.load_outcomes), OUTCOMES, line, "unit", "billion VND")


def test_a_growth_rate_set_beside_a_level_of_the_article(project):
    line = set_cell(project / OUTCOMES, "retail_sales_growth_2020", "figure_id",
                    "revenue_goods_services")
    assert_problem(raises(data.load_outcomes), OUTCOMES, line, "figure_id", "yoy_growth")


def test_a_growth_rate_with_a_dangling_base(project):
    line = set_cell(project / OUTCOMES, "retail_sales_growth_2020", "base_id", "retail_2020")
    assert_problem(raises(data.load_outcomes), OUTCOMES, line, "base_id", "foreign-key")


def test_a_part_larger_than_its_total(project):
    line = set_cell(project / OUTCOMES, "retail_sales_2020", "raw", "38.000")
    set_cell(project / OUTCOMES, "retail_sales_2020", "value", "38000")
    assert_problem(raises(data.load_outcomes), OUTCOMES, line, "value", "part")


def test_the_articles_source_row_must_say_what_its_metadata_says(project):
    line = set_cell(project / SOURCES, "mekong_asean_bentre_9m2020", "publisher", "Mekong Asia")
    assert_problem(raises(data.load_sources), SOURCES, line, "publisher", "Mekong ASEAN")


def test_a_local_copy_that_is_not_there(project):
    line = set_cell(project / SOURCES, "baodongkhoi_tp_bentre_2020", "local_copy",
                    "source/baodongkhoi.html")
    assert_problem(raises(data.load_sources), SOURCES, line, "local_copy", "not a file")


def test_a_source_with_neither_date_nor_note(project):
    line = set_cell(project / SOURCES, "mekong_asean_bentre_9m2020", "published_note", "")
    assert_problem(raises(data.load_sources), SOURCES, line, "published_note", "date")


def test_a_bad_outcome_stops_the_validation_of_everything(project):
    set_cell(project / OUTCOMES, "retail_sales_2020", "unit", "billion dong")
    _, problems = data.validate_all()
    assert [p.file for p in problems] == [OUTCOMES]


def test_a_broken_figures_table_is_reported_by_itself_not_by_the_outcomes(project):
    """The outcomes compare with the article's figures: a figures.csv without its unit column
    is that table's problem (file, line 1, field), not a KeyError in the outcomes' checks."""
    import csv

    path = project / "data/figures.csv"
    rows = list(csv.reader(path.open(encoding="utf-8", newline="")))
    at = rows[0].index("unit")
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerows(r[:at] + r[at + 1:] for r in rows)
    _, problems = data.validate_all()
    assert [(p.file, p.line, p.field) for p in problems] == [("data/figures.csv", 1, "unit")]


# =============================================================================================
# The checks, against hand arithmetic
# =============================================================================================

def test_the_outcome_checks_are_registered_with_their_power():
    ids = checks.check_ids()
    assert all(i in ids for i in OUTCOME_CHECKS)
    results = {r.id: r for r in checks.run_all() if r.id in OUTCOME_CHECKS}
    assert list(results) == OUTCOME_CHECKS
    for r in results.values():
        assert isinstance(r.could_fail, bool) and r.power
    json.loads(checks.to_json(list(results.values())))


def test_indicator_wording_flags_the_different_names():
    r = co.indicator_wording()
    assert r.status == "flag"
    assert r.values["article_indicator_vi"] == "tổng doanh thu hàng hóa, dịch vụ"
    assert r.values["outcome_indicator_vi"] == "tổng doanh thu thương mại, dịch vụ"
    # the year's aggregate would have to be this much wider for an even last quarter
    assert r.values["wider_by_pct_for_even_quarters"] == pytest.approx(100 * (Y / (L9 * 4 / 3) - 1))


def test_indicator_wording_passes_when_the_names_agree():
    outcomes = data.load_outcomes()
    outcomes.loc[0, "indicator_vi"] = "tổng doanh thu hàng hóa, dịch vụ"
    assert co.indicator_wording(outcomes=outcomes).status == "pass"


def test_full_year_base_2019():
    v = co.full_year_base_2019().values
    assert v["year_2019"] == pytest.approx(Y19)
    # 6,32% stands for [6.315, 6.325); 37.067 for [37,066.5, 37,067.5)
    assert v["year_2019_low"] == pytest.approx(37066.5 / 1.06325)
    assert v["year_2019_high"] == pytest.approx(37067.5 / 1.06315)


def test_last_quarters_and_their_growth():
    r = co.last_quarter_2020()
    v = r.values
    assert r.status == "pass"
    assert v["last_quarter_2020"] == pytest.approx(13055.0)
    assert v["last_quarter_2019"] == pytest.approx(Q4_19)
    assert v["last_quarter_growth_pct"] == pytest.approx(100 * (Q4_20 / Q4_19 - 1))
    # the widest 2019 quarter: the largest year and the smallest nine months
    assert v["last_quarter_2019_high"] == pytest.approx(37067.5 / 1.06315 - 24011.5 / 1.06025)
    assert v["last_quarter_2019_low"] == pytest.approx(37066.5 / 1.06325 - 24012.5 / 1.06015)
    assert v["last_quarter_growth_pct_low"] < v["last_quarter_growth_pct"] \
        < v["last_quarter_growth_pct_high"]


def test_a_year_smaller_than_its_nine_months_fails():
    outcomes = data.load_outcomes()
    outcomes.loc[outcomes["id"] == "revenue_commerce_services_2020", ["raw", "value"]] = \
        ["15.092", 15092.0]  # the retail figure in the total's place
    for check in (co.last_quarter_2020, co.last_quarter_share, co.growth_consistency,
                  co.outlook_scenarios_scored):
        assert check(outcomes=outcomes).status == "fail", check.check_id


def test_last_quarter_share_and_uplift():
    r = co.last_quarter_share()
    v = r.values
    assert v["share_2020_pct"] == pytest.approx(100 * Q4_20 / Y)
    assert v["share_2019_pct"] == pytest.approx(100 * Q4_19 / Y19)
    assert v["uplift_2020_pct"] == pytest.approx(100 * (Q4_20 / (L9 / 3) - 1))
    assert v["uplift_2019_pct"] == pytest.approx(100 * (Q4_19 / (B9 / 3) - 1))
    assert r.status == "flag"  # far above the threshold
    assert co.last_quarter_share(uplift_flag_pct=100.0).status == "pass"


def test_growth_consistency():
    r = co.growth_consistency()
    v = r.values
    assert r.status == "pass"
    # With even quarters (s = 1/3): 1 + q = ((1 + t)(1 + s) − (1 + g)) / s
    s = 1 / 3
    assert v["implied_q4_growth_even_pct"] == pytest.approx(
        100 * ((1.0632 * (1 + s) - 1.0602) / s - 1))
    assert v["implied_q4_growth_observed_shape_pct"] == pytest.approx(
        100 * (Q4_20 / Q4_19 - 1))
    assert co.growth_consistency(band_pp=0.5).status == "flag"


def test_retail_share_and_the_rest():
    r = co.retail_share_of_revenue()
    v = r.values
    assert r.status == "pass"
    assert v["share_pct"] == pytest.approx(100 * R / Y)
    rest_2019 = Y19 - R / 1.112
    assert v["rest_2019"] == pytest.approx(rest_2019)
    assert v["rest_growth_pct"] == pytest.approx(100 * ((Y - R) / rest_2019 - 1))
    # 11,2% stands for [11.15, 11.25): a slower retail, with the fastest total, leaves the
    # fastest rest (the levels' half-billions move it by less than 1e-3 of itself)
    assert v["rest_growth_pct_high"] == pytest.approx(
        100 * ((Y - R) / (Y / 1.06325 - R / 1.1115) - 1), rel=1e-3)
    assert v["rest_growth_pct_low"] == pytest.approx(
        100 * ((Y - R) / (Y / 1.06315 - R / 1.1125) - 1), rel=1e-3)


def test_retail_above_the_total_fails():
    outcomes = data.load_outcomes()
    outcomes.loc[outcomes["id"] == "retail_sales_2020", ["raw", "value"]] = ["38.000", 38000.0]
    assert co.retail_share_of_revenue(outcomes=outcomes).status == "fail"


def test_national_retail_comparison_rescored():
    v = co.national_retail_comparison_rescored().values
    national = 3673.5 * 1000  # billion VND
    assert v["share_whole_revenue_pct"] == pytest.approx(100 * L9 / national)
    assert v["share_retail_only_pct"] == pytest.approx(100 * L9 * (R / Y) / national)
    assert v["overstatement_factor"] == pytest.approx(Y / R)


# =============================================================================================
# No hindsight: the outlook's scenarios as stored
# =============================================================================================

# The outlook's scenarios by hand, from its parameters (a 10 % year-end uplift; 0 % growth of
# the last quarter in C): A adds an average quarter; B a quarter 10 % above it; C a 2019
# last quarter 10 % above 2019's average quarter, not grown.
FROZEN_UPLIFT, FROZEN_Q4_GROWTH = 10.0, 0.0
FROZEN = {"A": L9 * 4 / 3, "B": L9 + L9 / 3 * 1.1, "C": L9 + B9 / 3 * 1.1}
FROZEN_GROWTH = {"A": G9, "B": G9, "C": 100 * (FROZEN["C"] / (B9 * (1 + 1.1 / 3)) - 1)}
FROZEN_SCENARIOS_CELL = '''SCENARIOS = [
    scenarios.Scenario("A", "A: even quarters"),
    scenarios.Scenario("B", "B: year-end uplift", q4_uplift_pct),
    scenarios.Scenario("C", f"C: uplift, Q4 growth {q4_growth_alt_pct:g}%", q4_uplift_pct,
                       q4_growth_alt_pct),
]'''


def _outlook_cells():
    return json.loads(OUTLOOK.read_text(encoding="utf-8"))["cells"]


def _outlook_glue() -> dict[str, str]:
    glued = {}
    for cell in _outlook_cells():
        for out in cell.get("outputs", []):
            name = out.get("metadata", {}).get("scrapbook", {}).get("name")
            if name:
                glued[name] = ast.literal_eval(
                    out["data"]["application/papermill.record/text/plain"])
    return glued


def test_the_outlooks_parameters_are_the_frozen_ones():
    cell = next(c for c in _outlook_cells() if "parameters" in c["metadata"].get("tags", []))
    assigned = {t.id: ast.literal_eval(n.value) for n in ast.parse("".join(cell["source"])).body
                for t in n.targets}
    assert assigned == {"q4_uplift_pct": FROZEN_UPLIFT, "q4_growth_alt_pct": FROZEN_Q4_GROWTH}
    assert (co.OUTLOOK_Q4_UPLIFT_PCT, co.OUTLOOK_Q4_GROWTH_ALT_PCT) == (FROZEN_UPLIFT,
                                                                        FROZEN_Q4_GROWTH)


def test_the_outlooks_scenarios_are_built_as_they_were():
    sources = ["".join(c["source"]) for c in _outlook_cells() if c["cell_type"] == "code"]
    assert any(s.startswith(FROZEN_SCENARIOS_CELL) for s in sources)
    assert [(s.key, s.label, s.q4_uplift_pct, s.q4_growth_pct) for s in co.OUTLOOK_SCENARIOS] \
        == [("A", "A: even quarters", 0.0, None),
            ("B", "B: year-end uplift", FROZEN_UPLIFT, None),
            ("C", "C: uplift, Q4 growth 0%", FROZEN_UPLIFT, FROZEN_Q4_GROWTH)]


def test_the_outlooks_stored_values_are_the_frozen_scenarios():
    """The values the outlook glued (and a reader saw) are the hand-computed scenarios; so are
    the ones this chapter scores. A change to bentre.scenarios or to the outlook fails here."""
    glued = _outlook_glue()
    projection = co.outlook_projection().set_index("scenario")
    for key, level in FROZEN.items():
        assert glued[f"out_rev_fy_{key.lower()}"] == format_en(level, 0)
        assert glued[f"out_rev_growth_{key.lower()}"] == format_en_percent(FROZEN_GROWTH[key], 2)
        assert projection.loc[key, "full_year"] == pytest.approx(level)
        assert projection.loc[key, "full_year_growth_pct"] == pytest.approx(FROZEN_GROWTH[key])


def test_every_scenario_is_scored_against_the_outcome():
    r = co.outlook_scenarios_scored()
    v = r.values
    for key, level in FROZEN.items():
        k = key.lower()
        assert v[f"{k}_error"] == pytest.approx(level - Y)
        assert v[f"{k}_error_pct"] == pytest.approx(100 * (level / Y - 1))
        assert v[f"{k}_growth_error_pp"] == pytest.approx(FROZEN_GROWTH[key] - T)
        assert v[f"{k}_error_from_shape"] + v[f"{k}_error_from_growth"] == \
            pytest.approx(level - Y)
    assert v["range_low"] == pytest.approx(min(FROZEN.values()))
    assert v["range_high"] == pytest.approx(max(FROZEN.values()))
    assert v["inside_range"] is False and r.status == "flag"
    assert v["main_cause"] == "shape"
    # In A the shape alone: with 2019's real shape and growth at the nine-month rate, the
    # year would have been 24,012 + Q4 2019 × 1.0602.
    assert v["a_error_from_growth"] == pytest.approx(L9 + Q4_19 * 1.0602 - Y)


def test_an_outcome_inside_the_range_passes():
    outcomes = data.load_outcomes()
    outcomes.loc[outcomes["id"] == "revenue_commerce_services_2020", ["raw", "value"]] = \
        ["32.500", 32500.0]
    r = co.outlook_scenarios_scored(outcomes=outcomes)
    assert r.status == "pass" and r.values["inside_range"] is True
