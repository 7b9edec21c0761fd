"""Promises of ``bentre.data``: the tables load as typed frames whose rows point at the
article; bad data stops the load with a ``DataError`` whose problems name the file, the
CSV line and the field. Every corruption is made on a copy (the ``project`` fixture).

Line numbers are found by scanning the file's physical lines (``conftest.line_of``).
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import unicodedata

import pytest

from bentre import data, source
from bentre.data import DataError

from conftest import (
    REPO,
    assert_problem,
    line_of,
    problems_at,
    read_rows,
    replace_once,
    set_cell,
)

FIGURES, REFERENCES, CONTEXT = "data/figures.csv", "data/references.csv", "data/context.csv"
CLAIMS, PLANS, GLOSSARY = "data/claims.csv", "data/plans.csv", "data/glossary.csv"
TABLE_FILES = {"figures": FIGURES, "references": REFERENCES, "claims": CLAIMS,
               "plans": PLANS, "context": CONTEXT, "glossary": GLOSSARY}
ROWS = {"figures": 11, "references": 15, "claims": 13, "plans": 10, "context": 22,
        "glossary": 62}
LOADERS = {"figures": data.load_figures, "references": data.load_references,
           "claims": data.load_claims, "plans": data.load_plans, "context": data.load_context,
           "glossary": data.load_glossary}

# The article's figures, typed from the Vietnamese convention (dot = thousands,
# comma = decimals), not read from the CSV.
EXPECTED_VALUES = {
    "revenue_goods_services": 24012,             # 24.012 tỷ đồng
    "revenue_goods_services_growth": 6.02,       # 6,02%
    "industry_construction_value": 4243.46,      # 4.243,46 tỷ đồng
    "industry_construction_value_growth": 6.02,
    "agriculture_value": 226.34,                 # 226,34 tỷ đồng
    "infrastructure_payments": 121.729,          # 121,729 tỷ đồng
    "infrastructure_payments_growth": 71,        # 71%
    "works_in_use": 25,                          # 25/42
    "works_planned": 42,
    "works_total_cost": 2.726,                   # 2,726 tỷ đồng
    "works_people_contribution": 1.292,          # 1,292 tỷ đồng
}


def load(name: str):
    return data.load_table(name)


def raises_data_error(name: str) -> DataError:
    with pytest.raises(DataError) as info:
        load(name)
    return info.value


# =============================================================================================
# Happy path on the real data
# =============================================================================================

def test_descriptor_lists_the_tables():
    """The tables of this file come first, in this order; tables added after them (the
    later sources and their figures) are tested with their own loaders."""
    assert data.table_names()[:6] == ["figures", "references", "claims", "plans", "context",
                                      "glossary"]
    with pytest.raises(KeyError) as info:
        data.resource("nope")
    assert "'nope'" in str(info.value)


@pytest.mark.parametrize("name, rows", sorted(ROWS.items()))
def test_loaders_return_every_row(name, rows):
    """Row counts match both a hand count and the csv module's count of the file."""
    path = REPO / TABLE_FILES[name]
    assert len(read_rows(path)) == rows
    frame = LOADERS[name]()
    assert len(frame) == rows
    assert list(frame["id"]) == [r["id"] for r in read_rows(path)]


@pytest.mark.parametrize("name", sorted(TABLE_FILES))
def test_columns_are_typed_as_the_descriptor_says(name):
    descriptor = json.loads((REPO / "data/datapackage.json").read_text(encoding="utf-8"))
    schema = next(r["schema"] for r in descriptor["resources"] if r["name"] == name)
    expected_dtype = {"number": "float64", "integer": "Int64", "boolean": "bool",
                      "string": "string"}
    frame = load(name)
    for field in schema["fields"]:
        assert str(frame[field["name"]].dtype) == expected_dtype[field.get("type", "string")], \
            field["name"]
    extra = {"start", "end"} if name in ("figures", "references") else set()
    assert set(frame.columns) == {f["name"] for f in schema["fields"]} | extra
    for column in extra:
        assert str(frame[column].dtype) == "int64"


def test_figure_values_are_the_article_numbers():
    frame = data.load_figures()
    assert dict(zip(frame["id"], frame["value"])) == EXPECTED_VALUES  # exact, not approx


def test_figure_types_and_units():
    frame = data.load_figures().set_index("id")
    assert frame.loc["works_planned", "paragraph"] == 3
    assert bool(frame.loc["revenue_goods_services", "estimate"]) is True
    assert bool(frame.loc["works_total_cost", "estimate"]) is False
    assert frame.loc["revenue_goods_services", "unit"] == "billion VND"
    assert frame.loc["infrastructure_payments_growth", "unit"] == "percent"
    assert frame.loc["revenue_goods_services_growth", "base_id"] == "revenue_goods_services"
    assert frame.loc["revenue_goods_services", "base_id"] == ""


@pytest.mark.parametrize("name", ["figures", "references"])
def test_start_end_point_at_the_raw_string_in_the_cleaned_article(name):
    text = source.article_text()
    frame = load(name)
    for row in frame.to_dict("records"):
        assert text[row["start"]:row["end"]] == row["raw"], row["id"]
        # ... and inside the row's own quote
        quote_at = text.index(row["quote"])
        assert quote_at <= row["start"] and row["end"] <= quote_at + len(row["quote"])


def test_known_span_of_the_first_figure():
    text = source.article_text()
    match = re.search(r"24\.012", text)
    row = data.figure(data.load_figures(), "revenue_goods_services")
    assert (row["start"], row["end"]) == match.span()


def test_paragraph_column_names_the_paragraph_holding_the_quote():
    paragraphs = source.paragraphs()
    for row in data.load_figures().to_dict("records"):
        assert row["quote"] in paragraphs[row["paragraph"] - 1], row["id"]


def test_every_numeric_token_of_the_article_is_a_figure_or_a_reference():
    """26 tokens (digits, and Roman ordinals XI, XIII, XIII), 26 rows claiming them."""
    text = source.article_text()
    tokens = re.findall(r"\d[\d.,]*\d|\d|\b[XVI]+\b", text)
    assert len(tokens) == 26
    figures, references = data.load_figures(), data.load_references()
    assert len(figures) + len(references) == len(tokens)
    spans = sorted(zip(figures["start"], figures["end"])) + sorted(
        zip(references["start"], references["end"]))
    assert len(set(spans)) == len(spans)


def test_context_ranges_and_known_values():
    frame = data.load_context().set_index("id")
    assert (frame["value_low"] <= frame["value_high"]).all()
    assert frame.loc["bentre_city_population_2019", "value_low"] == 124449
    assert frame.loc["bentre_city_population_2019", "value_high"] == 124560
    assert frame.loc["vn_retail_sales_9m2020", "value_low"] == 3673.5
    assert frame.loc["vn_retail_sales_growth_real_9m2020", "value_low"] == -3.6
    assert frame.loc["vnd_per_usd_2020", "value_low"] == 23208.37


def test_context_the_places_today():
    """Issue 9: the reform of 1 July 2025, with the sources the shared README names; the
    Wikipedia rows are secondary, so not of high confidence."""
    frame = data.load_context().set_index("id")
    expected = {"vn_provinces_2025": (34, "count", "2025-07-01", "Viet Nam"),
                "vn_local_government_levels_2025": (2, "count", "2025-07-01", "Viet Nam"),
                "bentre_ward_area_2025": (31.99, "km2", "2025-07-01",
                                          "Bến Tre ward (Vĩnh Long province)"),
                "bentre_ward_population_2024": (35917, "persons", "2024-12-31",
                                                "Bến Tre ward (Vĩnh Long province)")}
    for row_id, (value, unit, period, geography) in expected.items():
        row = frame.loc[row_id]
        assert row["value_low"] == row["value_high"] == value, row_id
        assert (row["unit"], row["period"], row["geography"]) == (unit, period, geography)
    for row_id in ("vn_provinces_2025", "vn_local_government_levels_2025"):
        assert "vietnamnews.vn, article 1720781" in frame.loc[row_id, "source"]
        assert frame.loc[row_id, "confidence"] == "high"
    for row_id in ("bentre_ward_area_2025", "bentre_ward_population_2024"):
        assert "1687/NQ-UBTVQH15" in frame.loc[row_id, "source"]
        assert "(secondary)" in frame.loc[row_id, "source"]
        assert frame.loc[row_id, "confidence"] == "medium"
    assert "63 before" in frame.loc["vn_provinces_2025", "note"]
    assert "Bến Tre City" in frame.loc["vn_local_government_levels_2025", "note"]


def test_statements_of_mood_are_not_checkable():
    """Enthusiasm about the congresses is a mood, like the party's morale: no indicator, and
    no link to the previous term's targets (they measure the term, not the congresses)."""
    claims = data.load_claims().set_index("id")
    for claim_id in ("party_morale", "congress_success"):
        assert claims.loc[claim_id, "checkability"] == "not_checkable"
    assert claims.loc["congress_success", "context_id"] == ""


@pytest.mark.parametrize("name, row_id, ending", [
    ("claims", "skilful_mass_mobilisation",
     "và các nội dung giám sát, phản biện xã hội của Mặt trận và các đoàn thể"),
    ("plans", "congress_propaganda", "và Đại hội đại biểu toàn quốc lần thứ XIII của Đảng"),
])
def test_quotes_keep_the_whole_clause(name, row_id, ending):
    """A quote cut before the end of its clause changed what it says (issue 9)."""
    quote = data.load_table(name).set_index("id").loc[row_id, "quote"]
    assert quote.endswith(ending)


def test_residents_contributed_they_did_not_pay():
    """đóng góp may be money, labour or land: the translation says contributed."""
    row = data.figure(data.load_figures(), "works_people_contribution")
    for column in ("indicator_en", "quote_en", "note"):
        assert "paid" not in row[column] and "pay " not in row[column], column
    assert "contributed" in row["quote_en"]


def test_growth_rates_claim_no_price_basis():
    """The article states the price basis of neither growth rate: no note calls one nominal
    or real as a fact."""
    figures = data.load_figures()
    for row in figures[figures["kind"] == "yoy_growth"].to_dict("records"):
        note = row["note"].lower()
        assert not note.startswith(("nominal", "real")), row["id"]
    notes = figures.set_index("id")["note"]
    assert "Price basis not stated" in notes["revenue_goods_services_growth"]
    assert "Price basis not stated" in notes["industry_construction_value_growth"]


def test_loaded_frames_are_copies():
    """Changing a returned frame does not change what the next caller gets."""
    first = data.load_figures()
    first.loc[0, "value"] = -1.0
    first["extra"] = 1
    second = data.load_figures()
    assert second.loc[0, "value"] == 24012
    assert "extra" not in second.columns


def test_figure_returns_one_row_and_refuses_unknown_ids():
    frame = data.load_figures()
    assert data.figure(frame, "works_planned")["value"] == 42
    with pytest.raises(KeyError):
        data.figure(frame, "works_unplanned")


def test_validate_all_on_real_data():
    counts, problems = data.validate_all()
    assert problems == []
    assert {name: counts[name] for name in ROWS} == ROWS


def test_project_copy_loads_like_the_original(project):
    assert len(data.load_figures()) == ROWS["figures"]
    assert len(data.load_context()) == ROWS["context"]


def test_problem_reads_as_file_line_field_message():
    problem = data.Problem("data/figures.csv", 6, "value", "wrong")
    assert str(problem) == "data/figures.csv, line 6, field 'value': wrong"
    assert str(data.Problem("data/x.csv", None, None, "gone")) == "data/x.csv: gone"


# =============================================================================================
# Bad data: each problem names file, line and field
# =============================================================================================

def _drop_column(path, column):
    with open(path, encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    index = rows[0].index(column)
    for cells in rows:
        del cells[index]
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")


@pytest.mark.parametrize("name, column", [("figures", "unit"), ("context", "source"),
                                          ("references", "kind")])
def test_missing_column_is_named_on_the_header_line(project, name, column):
    _drop_column(project / TABLE_FILES[name], column)
    error = raises_data_error(name)
    assert_problem(error, TABLE_FILES[name], 1, column)
    # ... and no other column is said to be missing (they are all there)
    named = {p.field for p in error.problems}
    assert named == {column}, f"only {column!r} is missing, but problems name {named}"


def test_extra_unknown_column_is_named_on_the_header_line(project):
    path = project / CONTEXT
    lines = path.read_text(encoding="utf-8").split("\n")
    lines = [line + (",extra" if n == 0 else ",x") if line else line
             for n, line in enumerate(lines)]
    path.write_text("\n".join(lines), encoding="utf-8")
    error = raises_data_error("context")
    assert_problem(error, CONTEXT, 1, "extra", "extra")


def test_non_numeric_value(project):
    line = set_cell(project / FIGURES, "industry_construction_value", "value", "4243.x6")
    assert line == 4
    assert_problem(raises_data_error("figures"), FIGURES, line, "value", "number")


def test_missing_required_value(project):
    line = set_cell(project / FIGURES, "agriculture_value", "value", "")
    assert_problem(raises_data_error("figures"), FIGURES, line, "value", "required")


def test_duplicate_id_names_the_second_row(project):
    path = project / FIGURES
    line = line_of(path, "agriculture_value")
    set_cell(path, "agriculture_value", "id", "revenue_goods_services")
    error = raises_data_error("figures")
    assert_problem(error, FIGURES, line, "id", "unique")
    assert line == 6


@pytest.mark.parametrize("name, row_id", [("figures", "agriculture_value"),
                                          ("references", "months_9_payments")])
def test_raw_not_inside_its_quote(project, name, row_id):
    new_raw = "226,35" if name == "figures" else "8"
    line = set_cell(project / TABLE_FILES[name], row_id, "raw", new_raw)
    assert_problem(raises_data_error(name), TABLE_FILES[name], line, "raw",
                   repr(new_raw), "not inside")


@pytest.mark.parametrize("name, row_id, quote", [
    ("figures", "agriculture_value", "Tổng giá trị sản xuất nông nghiệp ước 226,34 tỷ đồng!"),
    ("references", "congress_xi_province", "Đảng bộ tỉnh lần thứ XI của"),
])
def test_quote_not_in_the_article(project, name, row_id, quote):
    line = set_cell(project / TABLE_FILES[name], row_id, "quote", quote)
    assert_problem(raises_data_error(name), TABLE_FILES[name], line, "quote",
                   "does not occur")


def test_quote_in_nfd_form_is_not_found(project):
    """The article is NFC; a quote typed with combining marks is a different string."""
    row = next(r for r in read_rows(project / FIGURES) if r["id"] == "agriculture_value")
    quote = unicodedata.normalize("NFD", row["quote"])
    assert quote != row["quote"]
    line = set_cell(project / FIGURES, "agriculture_value", "quote", quote)
    assert_problem(raises_data_error("figures"), FIGURES, line, "quote", "does not occur")


def test_quote_occurring_more_than_once(project):
    line = set_cell(project / FIGURES, "agriculture_value", "quote", "226,34 tỷ đồng")
    replace_once(project / FIGURES, ',"226,34 tỷ đồng",', ',"ước",')  # 6 times in the text
    assert_problem(raises_data_error("figures"), FIGURES, line, "quote", "6 times")


def test_value_not_equal_to_the_parsed_raw(project):
    line = set_cell(project / FIGURES, "agriculture_value", "value", "226.43")
    assert_problem(raises_data_error("figures"), FIGURES, line, "value", "226.34")


def test_value_read_the_english_way_is_caught(project):
    """'24.012' stored as 24.012 (reading the dot as a decimal point) is wrong."""
    line = set_cell(project / FIGURES, "revenue_goods_services", "value", "24.012")
    assert line == 2
    assert_problem(raises_data_error("figures"), FIGURES, line, "value", "24012")


def test_unknown_unit(project):
    line = set_cell(project / FIGURES, "agriculture_value", "unit", "million VND")
    assert_problem(raises_data_error("figures"), FIGURES, line, "unit", "enum")


def test_unit_that_does_not_go_with_the_printed_unit(project):
    line = set_cell(project / FIGURES, "agriculture_value", "unit", "percent")
    assert_problem(raises_data_error("figures"), FIGURES, line, "unit", "billion VND")


def test_unknown_printed_unit(project):
    line = set_cell(project / FIGURES, "agriculture_value", "raw_unit", "tỉ đồng")
    assert_problem(raises_data_error("figures"), FIGURES, line, "raw_unit", "enum")


def test_percentage_without_percent_sign(project):
    line = set_cell(project / FIGURES, "infrastructure_payments_growth", "raw", "71")
    assert_problem(raises_data_error("figures"), FIGURES, line, "raw", "'%'")


@pytest.mark.parametrize("name", sorted(TABLE_FILES))
def test_empty_file(project, name):
    (project / TABLE_FILES[name]).write_bytes(b"")
    assert_problem(raises_data_error(name), TABLE_FILES[name], 1, "(header)", "empty")


def test_header_only_file(project):
    path = project / CONTEXT
    path.write_text(path.read_text(encoding="utf-8").split("\n")[0] + "\n", encoding="utf-8")
    assert_problem(raises_data_error("context"), CONTEXT, 2, "(row)", "no data rows")


def _to_cp1258(text: str) -> bytes:
    """Windows-1258, the legacy Vietnamese code page: letters with circumflex, breve or
    horn are single bytes, tone marks are combining bytes after them."""
    out = b""
    for char in text:
        try:
            out += char.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        base, *marks = unicodedata.normalize("NFD", char)
        for mark in marks:
            letter = unicodedata.normalize("NFC", base + mark)
            rest = [m for m in marks if m != mark]
            if len(letter) == 1:
                try:
                    out += (letter + "".join(rest)).encode("cp1258")
                    break
                except UnicodeEncodeError:
                    continue
        else:
            out += (base + "".join(marks)).encode("cp1258")
    return out


def test_row_in_cp1258_is_reported_at_its_line_and_field(project):
    path = project / FIGURES
    line = line_of(path, "agriculture_value")
    phrase = "Tổng giá trị sản xuất nông nghiệp ước"
    raw = path.read_bytes()
    lines = raw.split(b"\n")
    # the phrase occurs in indicator_vi's row too ("tổng" in lower case): only this row
    target = lines[line - 1]
    assert phrase.encode() in target
    legacy = _to_cp1258(phrase)
    assert unicodedata.normalize("NFC", legacy.decode("cp1258")) == phrase
    lines[line - 1] = target.replace(phrase.encode(), legacy)
    path.write_bytes(b"\n".join(lines))
    # The first non-UTF-8 byte is in the quote column (indicator_vi starts in lower case).
    assert_problem(raises_data_error("figures"), FIGURES, line, "quote", "UTF-8")


def test_row_in_latin1_is_reported_at_its_line_and_field(project):
    path = project / CONTEXT
    line = line_of(path, "bentre_city_area")
    raw = path.read_bytes()
    fragment = "70.62 km²)".encode()
    assert raw.count(fragment) == 1
    path.write_bytes(raw.replace(fragment, "70.62 km²)".encode("latin-1")))
    assert_problem(raises_data_error("context"), CONTEXT, line, "source", "0xb2", "UTF-8")


def test_unlisted_numeric_token_is_named(project):
    """Deleting the reference for the year in '9 tháng đầu năm 2020' leaves that '2020'
    unaccounted for; the problem names the token and where it is."""
    path = project / REFERENCES
    lines = path.read_text(encoding="utf-8").split("\n")
    del lines[line_of(path, "year_2020_period") - 1]
    path.write_text("\n".join(lines), encoding="utf-8")
    text = source.article_text()
    position = text.index("9 tháng đầu năm 2020") + len("9 tháng đầu năm ")
    error = raises_data_error("figures")
    found = assert_problem(error, f"{FIGURES} + {REFERENCES}", None, "raw", "'2020'")
    assert any(f"character {position}" in p.message for p in found)
    assert len(error.problems) == 1


def test_raw_that_is_part_of_a_token(project):
    """'26,34' sits inside '226,34': a claim must be a whole printed number."""
    path = project / FIGURES
    set_cell(path, "agriculture_value", "raw", "26,34")
    set_cell(path, "agriculture_value", "value", "26.34")
    error = raises_data_error("figures")
    assert_problem(error, FIGURES, None, "raw", "'agriculture_value'", "'26,34'")
    assert_problem(error, f"{FIGURES} + {REFERENCES}", None, "raw", "'226,34'")


def test_growth_rate_without_base_id(project):
    line = set_cell(project / FIGURES, "revenue_goods_services_growth", "base_id", "")
    assert line == 3
    assert_problem(raises_data_error("figures"), FIGURES, line, "base_id", "yoy_growth")


def test_base_id_pointing_at_no_figure(project):
    line = set_cell(project / FIGURES, "revenue_goods_services_growth", "base_id",
                    "revenue_goods")
    assert_problem(raises_data_error("figures"), FIGURES, line, "base_id", "revenue_goods")


def test_level_with_a_base(project):
    line = set_cell(project / FIGURES, "agriculture_value", "base_id", "revenue_goods_services")
    assert_problem(raises_data_error("figures"), FIGURES, line, "base_id", "no base")


def test_growth_of_a_growth_rate(project):
    line = set_cell(project / FIGURES, "industry_construction_value_growth", "base_id",
                    "revenue_goods_services_growth")
    assert_problem(raises_data_error("figures"), FIGURES, line, "base_id", "expected a level")


def test_growth_in_a_different_period_from_its_base(project):
    line = set_cell(project / FIGURES, "revenue_goods_services_growth", "period", "2020")
    assert_problem(raises_data_error("figures"), FIGURES, line, "period", "2020-01/2020-09")


def test_boolean_yes_is_not_true(project):
    line = set_cell(project / FIGURES, "works_people_contribution", "estimate", "yes")
    assert line == 12
    assert_problem(raises_data_error("figures"), FIGURES, line, "estimate", "boolean")


def test_paragraph_that_does_not_hold_the_quote(project):
    line = set_cell(project / FIGURES, "agriculture_value", "paragraph", "3")
    assert_problem(raises_data_error("figures"), FIGURES, line, "paragraph", "expected 2")


def test_context_low_above_high(project):
    path = project / CONTEXT
    line = set_cell(path, "bentre_province_drought_loss_vnd", "value_low", "1.7")
    assert_problem(raises_data_error("context"), CONTEXT, line, "value_low", "1.7", "1.66")


@pytest.mark.parametrize("period", ["2019-2020", "2020-9", "Q3 2020", "20201"])
def test_context_bad_period_pattern(project, period):
    line = set_cell(project / CONTEXT, "bentre_province_drought_loss_vnd", "period", period)
    assert_problem(raises_data_error("context"), CONTEXT, line, "period", "pattern")


def test_context_bad_id_pattern(project):
    line = set_cell(project / CONTEXT, "vn_cpi_avg_2020", "id", "VN-CPI")
    assert line == 5
    assert_problem(raises_data_error("context"), CONTEXT, line, "id", "pattern")


def test_context_unknown_geography(project):
    line = set_cell(project / CONTEXT, "bentre_city_admin_units_2020", "geography",
                    "Bến Tre town")
    assert_problem(raises_data_error("context"), CONTEXT, line, "geography", "enum")


def test_every_problem_is_reported_at_once(project):
    path = project / FIGURES
    first = set_cell(path, "agriculture_value", "value", "226.43")
    second = set_cell(path, "works_total_cost", "value", "2.762")
    error = raises_data_error("figures")
    assert problems_at(error, FIGURES, first, "value")
    assert problems_at(error, FIGURES, second, "value")


def test_problems_in_both_quoted_tables_are_reported_together(project):
    figures_line = set_cell(project / FIGURES, "agriculture_value", "value", "226.43")
    references_line = set_cell(project / REFERENCES, "months_3_outlook", "raw", "4")
    error = raises_data_error("references")
    assert problems_at(error, FIGURES, figures_line, "value")
    assert problems_at(error, REFERENCES, references_line, "raw")


def test_missing_table_file(project):
    (project / CONTEXT).unlink()
    error = raises_data_error("context")
    assert [p.file for p in error.problems] == [CONTEXT]
    assert "not found" in error.problems[0].message


# --- physical lines when a cell spans lines -------------------------------------------------

def _multiline_note(project) -> None:
    """Give the first figure a two-line note (valid CSV: a quoted cell with a newline)."""
    row = next(r for r in read_rows(project / FIGURES) if r["id"] == "revenue_goods_services")
    set_cell(project / FIGURES, "revenue_goods_services", "note",
             row["note"].replace("; ", ";\n", 1))


def test_multiline_cell_is_valid(project):
    _multiline_note(project)
    frame = data.load_figures()
    assert "\n" in frame.loc[0, "note"]
    assert len(frame) == 11


def test_line_after_a_multiline_cell_is_the_physical_line_descriptor_check(project):
    _multiline_note(project)
    line = set_cell(project / FIGURES, "agriculture_value", "value", "226.x")
    assert line == 7  # one more than without the two-line note
    assert_problem(raises_data_error("figures"), FIGURES, line, "value")


def test_line_after_a_multiline_cell_is_the_physical_line_article_check(project):
    _multiline_note(project)
    line = set_cell(project / FIGURES, "agriculture_value", "value", "226.43")
    assert line == 7
    assert_problem(raises_data_error("figures"), FIGURES, line, "value", "226.34")


# --- caching --------------------------------------------------------------------------------

def _same_size_edit(path, old: str, new: str, keep_mtime: bool) -> None:
    before = path.stat()
    replace_once(path, old, new)
    assert path.stat().st_size == before.st_size
    if keep_mtime:  # as `cp -p`, `rsync -t`, a coarse-clock file system or a restore would
        os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))


def test_context_unknown_geography_for_the_new_ward(project):
    """The new ward has its own geography; its name without the province is not one."""
    line = set_cell(project / CONTEXT, "bentre_ward_area_2025", "geography", "Bến Tre ward")
    assert_problem(raises_data_error("context"), CONTEXT, line, "geography", "enum")


@pytest.mark.parametrize("keep_mtime", [False, True])
def test_same_size_change_after_a_good_load_is_noticed_context(project, keep_mtime):
    path = project / CONTEXT
    assert data.load_context().set_index("id").loc[
        "bentre_province_drought_loss_vnd", "value_low"] == 1.6
    _same_size_edit(path, "1.6,1.66", "1.7,1.66", keep_mtime)
    line = line_of(path, "bentre_province_drought_loss_vnd")
    assert_problem(raises_data_error("context"), CONTEXT, line, "value_low")


@pytest.mark.parametrize("keep_mtime", [False, True])
def test_same_size_change_after_a_good_load_is_noticed_figures(project, keep_mtime):
    path = project / FIGURES
    assert data.figure(data.load_figures(), "agriculture_value")["value"] == 226.34
    _same_size_edit(path, ",226.34,", ",226.43,", keep_mtime)
    line = line_of(path, "agriculture_value")
    assert_problem(raises_data_error("figures"), FIGURES, line, "value")


def test_a_fixed_file_loads_again(project):
    """Errors are not cached: correcting the file makes the load succeed."""
    path = project / FIGURES
    original = path.read_bytes()
    set_cell(path, "agriculture_value", "value", "226.43")
    raises_data_error("figures")
    path.write_bytes(original)
    assert data.figure(data.load_figures(), "agriculture_value")["value"] == 226.34


def test_changed_cleaning_rules_reach_the_loaded_spans(project):
    """The spans depend on the cleaned text, so a changed cleaning rule must not be
    served from the cache (here: NFD normalisation makes the NFC quotes vanish)."""
    import yaml

    assert len(data.load_figures()) == 11
    meta_path = project / "data/source/000_d531d1eee48afd99.yml"
    meta = yaml.safe_load(meta_path.read_text(encoding="utf-8"))
    meta["cleaning"]["unicode_normalization"] = "NFD"
    meta_path.write_text(yaml.safe_dump(meta, allow_unicode=True), encoding="utf-8")
    error = raises_data_error("figures")
    assert problems_at(error, FIGURES, line_of(project / FIGURES, "agriculture_value"),
                       "quote")


# --- the qualitative tables (claims, plans) -------------------------------------------------

def test_claim_pointing_at_an_unknown_context_row(project):
    line = set_cell(project / CLAIMS, "salinity_support", "context_id",
                    "bentre_province_drought_loss")
    assert_problem(raises_data_error("claims"), CLAIMS, line, "context_id", "context")


def test_claim_paragraph_that_does_not_hold_the_quote(project):
    line = set_cell(project / CLAIMS, "economy_recovery", "paragraph", "3")
    assert line == 3
    assert_problem(raises_data_error("claims"), CLAIMS, line, "paragraph", "expected 2")


def test_plan_quote_not_in_the_article(project):
    line = set_cell(project / PLANS, "market_management", "quote",
                    "Tăng cường quản lý thị trường, bình ổn giá cả")
    assert_problem(raises_data_error("plans"), PLANS, line, "quote", "does not occur")


def test_plan_unknown_area(project):
    line = set_cell(project / PLANS, "rural_security", "area", "safety")
    assert_problem(raises_data_error("plans"), PLANS, line, "area", "enum")


def test_renamed_context_row_is_seen_by_claims_after_a_good_load(project):
    """claims.context_id refers to context.csv: a change there must not be hidden by the
    cache of the quoted tables."""
    assert len(data.load_claims()) == 13
    set_cell(project / CONTEXT, "bentre_province_drought_loss_vnd", "id",
             "bentre_province_drought_loss_dong")
    line = line_of(project / CLAIMS, "salinity_support")
    assert_problem(raises_data_error("claims"), CLAIMS, line, "context_id")
