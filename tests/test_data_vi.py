"""Promises of the Vietnamese columns of ``data/``: each column of English text a reader sees
has a ``_vi`` twin, described in the descriptor and filled exactly where the English is;
a broken twin stops the load with a problem naming file, line and field; and
``local_text``/``our_translation`` give the edition's text, so that the Glossary and
Datasets pages show Vietnamese in the Vietnamese edition and what they showed before in
the English one.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections import namedtuple

import pandas as pd
import pytest

from bentre import data, datasets, glossary, i18n
from bentre.data import DataError
from bentre.tables import escape

from conftest import assert_problem, line_of, problems_at, set_cell

FIGURES, CONTEXT, CLAIMS = "data/figures.csv", "data/context.csv", "data/claims.csv"
GLOSSARY, SOURCES, DESCRIPTOR = "data/glossary.csv", "data/sources.csv", "data/datapackage.json"


@pytest.fixture
def edition(monkeypatch):
    """Switch the edition for one test: ``edition("vi")``."""
    monkeypatch.setattr(i18n, "_chosen", None)

    def use(lang: str) -> None:
        monkeypatch.setenv("BENTRE_LANG", lang)
    return use


def _error(name: str) -> DataError:
    with pytest.raises(DataError) as info:
        data.load_table(name)
    return info.value


# =============================================================================================
# The real data
# =============================================================================================

@pytest.mark.parametrize("name", sorted(data.TRANSLATED))
def test_each_translated_column_has_a_described_twin(name):
    fields = {f["name"]: f for f in data.resource(name)["schema"]["fields"]}
    for column in data.TRANSLATED[name]:
        twin = fields[data.vi_twin(column)]
        english = fields[column]
        required = english.get("constraints", {}).get("required", False)
        assert twin.get("constraints", {}).get("required", False) == required, twin["name"]
        assert twin["type"] == "string"
        assert twin["title_vi"] and twin["description_vi"]
    assert "quote_en_vi" not in fields and "quote_vi" not in fields  # quotes have no twin


def test_the_descriptor_has_vietnamese_titles_and_descriptions():
    assert data.descriptor_problems() == []
    for name in data.table_names():
        assert data.descriptor_problems(name) == []


@pytest.mark.parametrize("name", sorted(data.TRANSLATED))
def test_twins_are_filled_exactly_where_the_english_is(name):
    frame = data.load_table(name)
    for column in data.TRANSLATED[name]:
        english, vi = frame[column], frame[data.vi_twin(column)]
        assert ((english == "") == (vi == "")).all(), column
        filled = english != ""
        # Vietnamese, not a copy of the English (names such as "Vietcetera" aside)
        copies = frame.loc[filled & (english == vi), "id"].tolist()
        assert not copies or column == "term_en", (column, copies)


def test_vietnamese_text_writes_numbers_the_vietnamese_way():
    """Inside Vietnamese text a decimal takes a comma (6,02%, 0,1%, 1,66 nghìn tỷ): a dot
    followed by other than three digits is an English decimal left untranslated."""
    english_decimal = re.compile(r"(?<![\w.])\d+\.(?:\d{1,2}|\d{4,})(?![\w.])")
    for name, columns in data.TRANSLATED.items():
        frame = data.load_table(name)
        for column in columns:
            for text in frame[data.vi_twin(column)]:
                assert not english_decimal.search(text), (name, column, text)


def test_geography_and_kind_twins_follow_their_english_codes():
    context = data.load_context()
    pairs = set(zip(context["geography"], context["geography_vi"]))
    assert ("Viet Nam", "Việt Nam") in pairs and ("Bến Tre City", "TP. Bến Tre") in pairs
    assert len(pairs) == context["geography"].nunique()
    sources = data.load_sources().set_index("id")
    assert sources.loc["mekong_asean_bentre_9m2020", "publisher_vi"] == "Tạp chí Mekong ASEAN"


def test_gso_is_tong_cuc_thong_ke():
    context = data.load_context().set_index("id")
    assert context.loc["vn_gdp_growth_9m2020", "source_vi"].startswith(
        "Báo cáo của Tổng cục Thống kê (TCTK)")


# =============================================================================================
# local_text and our_translation
# =============================================================================================

ROW = {"note": "English note", "note_vi": "Ghi chú", "indicator_en": "turnover",
       "indicator_vi": "doanh thu", "quote": "ước đạt", "quote_en": "estimated at"}


@pytest.mark.parametrize("kind", ["dict", "series", "namedtuple"])
def test_local_text_reads_the_edition_column(edition, kind):
    row = {"dict": lambda r: dict(r), "series": pd.Series,
           "namedtuple": lambda r: namedtuple("Row", r)(**r)}[kind](ROW)
    edition("en")
    assert data.local_text(row, "note") == "English note"
    assert data.local_text(row, "indicator_en") == "turnover"
    assert data.our_translation(row) == "estimated at"
    edition("vi")
    assert data.local_text(row, "note") == "Ghi chú"
    assert data.local_text(row, "indicator_en") == "doanh thu"
    assert data.our_translation(row) is None


def test_local_text_of_a_field_without_a_twin_is_a_key_error_that_names_it(edition):
    edition("vi")
    with pytest.raises(KeyError) as info:
        data.local_text(ROW, "quote")
    assert "'quote_vi'" in str(info.value) and "'vi'" in str(info.value)


def test_local_field_is_the_one_column_choice():
    assert data.local_field("note", "en") == "note"
    assert data.local_field("note", "vi") == "note_vi"
    assert data.local_field("term_en", "vi") == "term_vi"
    with pytest.raises(i18n.LanguageError):
        data.local_field("note", "fr")


def test_local_text_on_real_rows(edition):
    figures = data.load_figures().set_index("id", drop=False)
    row = figures.loc["agriculture_value"]
    edition("vi")
    assert data.local_text(row, "note") == "Bài báo không nêu tốc độ tăng của nông nghiệp."
    assert data.local_text(row, "indicator_en") == "tổng giá trị sản xuất nông nghiệp"
    assert data.our_translation(row) is None
    edition("en")
    assert data.local_text(row, "note") == "No growth rate is given for agriculture."


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


def _edit_descriptor(project, change):
    path = project / DESCRIPTOR
    package = json.loads(path.read_text(encoding="utf-8"))
    change(package)
    path.write_text(json.dumps(package, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def _field(package, name, field):
    res = next(r for r in package["resources"] if r["name"] == name)
    return res, next(f for f in res["schema"]["fields"] if f["name"] == field)


def test_missing_vi_column_is_named_on_the_header_line(project):
    _drop_column(project / CONTEXT, "note_vi")
    error = _error("context")
    assert_problem(error, CONTEXT, 1, "note_vi", "missing-label")
    assert {p.field for p in error.problems} == {"note_vi"}


def test_empty_vi_cell_beside_english_text(project):
    line = set_cell(project / FIGURES, "agriculture_value", "note_vi", "")
    assert_problem(_error("figures"), FIGURES, line, "note_vi", "empty", "note is filled",
                   "Vietnamese")


def test_vi_cell_filled_where_the_english_is_empty(project):
    line = set_cell(project / GLOSSARY, "cong_nghiep_xay_dung", "note_vi", "Ghi chú thừa.")
    assert_problem(_error("glossary"), GLOSSARY, line, "note_vi", "filled", "note is empty")


def test_english_emptied_while_its_twin_stays(project):
    line = set_cell(project / SOURCES, "mekong_asean_bentre_9m2020", "note", "")
    assert_problem(_error("sources"), SOURCES, line, "note_vi", "filled", "note is empty")


def test_empty_required_vi_cell(project):
    line = set_cell(project / CLAIMS, "party_morale", "indicator_vi", "")
    assert_problem(_error("claims"), CLAIMS, line, "indicator_vi", "required")


def test_geography_twin_that_names_another_place(project):
    line = set_cell(project / CONTEXT, "vn_cpi_avg_2020", "geography_vi", "TP. Bến Tre")
    assert_problem(_error("context"), CONTEXT, line, "geography_vi", "does not go with",
                   "'Việt Nam'")


def test_vi_column_dropped_from_file_and_descriptor_is_still_missed(project):
    _drop_column(project / FIGURES, "note_vi")

    def drop(package):
        res, field = _field(package, "figures", "note_vi")
        res["schema"]["fields"].remove(field)
    _edit_descriptor(project, drop)
    error = _error("figures")
    assert_problem(error, DESCRIPTOR, None, "note_vi", "'figures'", "no field 'note_vi'")


def test_field_without_a_vietnamese_description(project):
    def strip(package):
        _res, field = _field(package, "context", "confidence")
        del field["description_vi"]
    _edit_descriptor(project, strip)
    assert_problem(_error("context"), DESCRIPTOR, None, "confidence", "description_vi")


def test_validate_lists_twin_problems(project):
    line = set_cell(project / FIGURES, "works_planned", "note_vi", "")
    _counts, problems = data.validate_all()
    assert problems_at(DataError(problems), FIGURES, line, "note_vi")
    assert line == line_of(project / FIGURES, "works_planned")


# =============================================================================================
# The two pages
# =============================================================================================

def _stored_output(notebook: str, code: str) -> str:
    from conftest import REPO

    cells = json.loads((REPO / "chapters" / notebook).read_text(encoding="utf-8"))["cells"]
    cell = next(c for c in cells if c["cell_type"] == "code" and code in "".join(c["source"]))
    return "".join(cell["outputs"][0]["data"]["text/markdown"])


def test_english_glossary_page_is_unchanged(edition):
    edition("en")
    assert glossary.glossary()._repr_markdown_() == _stored_output("glossary.ipynb",
                                                                    "glossary.glossary()")


def test_vietnamese_glossary_page(edition):
    edition("vi")
    page = glossary.glossary()._repr_markdown_()
    terms = data.load_glossary().set_index("id")
    assert escape("Một nghìn triệu (10^9) đồng.") in page
    assert "A thousand million" not in page                    # no English definition left
    assert "Tiếng Anh: **billion dong**" in page               # the English rendering, labelled
    assert "Có trong bài báo." in page and "In the article." not in page
    # Vietnamese alphabetical order: d before đ, o before ô before ơ, tones after letters
    names = [line for line in page.split("\n")[1:] if line and not line.startswith(" ")
             and not line.startswith("`")]
    assert names == sorted(terms["term_vi"], key=glossary.sort_key)
    assert names.index("doanh thu") < names.index("Đại hội") < names.index("đồng")
    assert repr(glossary.glossary()).split("\n")[0] == (
        "an sinh xã hội (tiếng Anh: social security (social protection))")


def test_vietnamese_datasets_page(edition):
    edition("vi")
    summary = datasets.package_summary().data
    assert "TP. Bến Tre 9 tháng đầu năm 2020" in summary and "Giấy phép:" in summary
    article = datasets.article_section().data
    assert "| cơ quan công bố | Tạp chí Mekong ASEAN |" in article
    assert "4.381 byte" in article                              # Vietnamese digit grouping
    section = datasets.table_section("context").data
    assert "**Số liệu bối cảnh từ các nguồn công khai khác**" in section
    assert "| cột | kiểu dữ liệu | ràng buộc | mô tả |" in section
    assert "Nội dung tiếng Việt của cột note" in section


def test_english_datasets_page_keeps_its_labels(edition):
    edition("en")
    article = datasets.article_section().data
    assert article.startswith("| property | value |") and "4,381 bytes" in article
    section = datasets.table_section("figures").data
    assert section.startswith("**Quantitative figures of the article**")
    assert "11 rows, utf\\-8 CSV" in section
    assert "| note\\_vi | string |  | The Vietnamese text of note, for the Vietnamese" in section
