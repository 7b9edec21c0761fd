"""Load the tables of ``data/`` into typed DataFrames, or stop with every problem named.

Each table is checked twice: against ``data/datapackage.json`` by the Frictionless
library (types, required fields, enums, patterns, unique ids, references), and against
the article itself (each quote occurs once, each raw string sits in its quote and parses
to the stored value, every numeric token of the article is accounted for). A problem
names the file, the CSV line, the field and what was expected; nothing is dropped or
coerced.

The two editions: text that lives in the tables is not translated by gettext. Each column
of English text a reader sees has a Vietnamese twin named ``<column>_vi`` (``note`` →
``note_vi``), filled exactly where the English is; a column already named ``<stem>_en``
has its twin in ``<stem>_vi`` (``indicator_en`` → ``indicator_vi``, the article's own
wording). :func:`local_text` reads the one the edition needs, :func:`our_translation` the
English translation of a quote (English edition only). The descriptor carries
``title_vi``/``description_vi`` beside each ``title``/``description`` for the Datasets page.
"""

from __future__ import annotations

import csv
import io
import math
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path

import pandas as pd

from . import i18n, numbers, provenance, source
from .paths import data_dir, relative

DESCRIPTOR = "datapackage.json"
# Units as the article prints them, and the stored unit each must be expressed in.
RAW_UNITS = {"tỷ đồng": "billion VND", "%": "percent", "công trình": "count"}
# Tables whose rows quote the article; the first two also claim its numeric tokens.
QUOTED = ("figures", "references", "claims", "plans")
TOKEN_TABLES = ("figures", "references")
# Tables whose terms are checked against the article's words; their cache keys on its text.
TERM_TABLES = ("glossary",)
# The columns of English text a reader sees, by table: each must have its Vietnamese twin
# (``_vi``) in the descriptor and in the file. Ids, codes, units, quotes, raw strings and
# URLs have none; nor has ``quote_en``, our translation of a Vietnamese quote.
TRANSLATED = {
    "figures": ("indicator_en", "note"),
    "references": ("reason",),
    "claims": ("indicator",),
    "plans": ("indicator",),
    "context": ("indicator", "geography", "source", "note"),
    "glossary": ("term_en", "definition", "note"),
    "sources": ("kind", "publisher", "published_note", "held", "not_seen", "note"),
    "outcomes": ("indicator_en", "geography", "comparability", "note"),
}
# How each edition names the column of a text field: English is the source language, so the
# English edition reads the column as named; the Vietnamese edition reads its "_vi" twin.
EDITION_SUFFIX = {"en": "", "vi": "_vi"}
# The column holding "our translation" of a quote, by edition: the Vietnamese edition drops
# those lines (the quote is Vietnamese already) rather than translating them back.
TRANSLATION_COLUMN = {"en": "quote_en", "vi": None}


@dataclass(frozen=True)
class Problem:
    file: str
    line: int | None
    field: str | None
    message: str

    def __str__(self) -> str:
        where = f"{self.file}, line {self.line}" if self.line else self.file
        field = f", field '{self.field}'" if self.field else ""
        return f"{where}{field}: {self.message}"


class DataError(ValueError):
    """One error carrying every problem found, each naming file, line and field."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        lines = "\n".join(f"  - {p}" for p in self.problems)
        super().__init__(f"{len(self.problems)} data problem(s):\n{lines}")


# --- the descriptor ---------------------------------------------------------------------

def descriptor_path() -> Path:
    return data_dir() / DESCRIPTOR


def descriptor() -> dict:
    import json

    with open(descriptor_path(), encoding="utf-8") as fh:
        return json.load(fh)


def table_names() -> list[str]:
    return [r["name"] for r in descriptor()["resources"]]


def resource(name: str) -> dict:
    for res in descriptor()["resources"]:
        if res["name"] == name:
            return res
    raise KeyError(f"{relative(descriptor_path())} describes no table {name!r}")


def table_path(name: str) -> Path:
    return data_dir() / resource(name)["path"]


# --- the two editions --------------------------------------------------------------------

def vi_twin(field: str) -> str:
    """The Vietnamese twin of an English text column: ``note`` → ``note_vi``,
    ``indicator_en`` → ``indicator_vi``."""
    return field.removesuffix("_en") + "_vi"


def local_field(field: str, lang: str | None = None) -> str:
    """The column that holds ``field`` in the edition ``lang`` (default: the reader's)."""
    suffix = EDITION_SUFFIX[i18n.check_language(lang or i18n.language(), "language")]
    return field.removesuffix("_en") + suffix if suffix else field


def _cell(row, column: str, field: str):
    """``row[column]`` for a dict or a pandas Series, ``row.column`` for a named tuple
    (``DataFrame.itertuples``); a missing column is a ``KeyError`` that says which."""
    try:
        if isinstance(row, tuple) and hasattr(row, "_fields"):
            return getattr(row, column)
        return row[column]
    except (KeyError, AttributeError):
        raise KeyError(f"the row has no column {column!r}, which holds {field!r} in the "
                       f"{i18n.language()!r} edition") from None


def local_text(row, field: str):
    """The text of ``field`` in the reader's edition: ``row[field]`` in English,
    ``row[field + "_vi"]`` in Vietnamese; a field named ``<stem>_en`` (``indicator_en``,
    ``term_en``) gives ``<stem>_vi`` in Vietnamese. ``row`` is a dict (a row, or the
    article's metadata), a pandas Series or a named tuple. Quotes (``quote``) have no twin:
    they stay as the article prints them; see :func:`our_translation` for ``quote_en``."""
    return _cell(row, local_field(field), field)


def our_translation(row) -> str | None:
    """Our English translation of the row's quote (``quote_en``) in the English edition;
    ``None`` in the Vietnamese one, where the "our translation" line is left out."""
    column = TRANSLATION_COLUMN[i18n.language()]
    return None if column is None else _cell(row, column, "quote_en")


def _twins(schema: dict) -> list[tuple[dict, dict]]:
    """(English field, Vietnamese twin) pairs of a schema: each ``X_vi`` with ``X`` (or,
    when there is no ``X``, with ``X_en``)."""
    by_name = {f["name"]: f for f in schema["fields"]}
    pairs = []
    for f in schema["fields"]:
        if not f["name"].endswith("_vi"):
            continue
        stem = f["name"].removesuffix("_vi")
        english = by_name.get(stem) or by_name.get(stem + "_en")
        if english is not None:
            pairs.append((english, f))
    return pairs


def _twin_problems(frame: pd.DataFrame, file: str, schema: dict) -> list[Problem]:
    """Each Vietnamese twin filled exactly where its English is; an enumerated twin gives
    the value at the same place in its enum as the English value in the English enum."""
    problems = []
    for english, vi in _twins(schema):
        en_name, vi_name = english["name"], vi["name"]
        en_enum = english.get("constraints", {}).get("enum")
        vi_enum = vi.get("constraints", {}).get("enum")
        paired = en_enum and vi_enum and len(en_enum) == len(vi_enum)
        for line, row in zip(frame.attrs["lines"], frame.to_dict("records")):
            en_text, vi_text = row[en_name], row[vi_name]
            if en_text and not vi_text:
                problems.append(Problem(file, line, vi_name,
                                        f"empty, but {en_name} is filled; expected the "
                                        f"Vietnamese text of {en_name} for the Vietnamese "
                                        "edition"))
            elif vi_text and not en_text:
                problems.append(Problem(file, line, vi_name,
                                        f"filled, but {en_name} is empty; expected empty, as "
                                        f"{en_name} is"))
            elif paired and en_text in en_enum and vi_text != vi_enum[en_enum.index(en_text)]:
                problems.append(Problem(file, line, vi_name,
                                        f"{vi_text!r} does not go with {en_name} {en_text!r}; "
                                        f"expected {vi_enum[en_enum.index(en_text)]!r}"))
    return problems


def _described_vi(where: str, node: dict) -> list[str]:
    return [f"{where} has {key} but no {key}_vi; expected its Vietnamese text for the "
            "Vietnamese edition" for key in ("title", "description")
            if node.get(key) and not node.get(f"{key}_vi")]


def descriptor_problems(name: str | None = None) -> list[Problem]:
    """What the descriptor lacks for the Vietnamese edition: a ``_vi`` twin of each
    translated column (``TRANSLATED``), and ``title_vi``/``description_vi`` beside each
    title and description of the package (``name`` None) or of the table ``name``."""
    file = relative(descriptor_path())
    pkg = descriptor()
    messages: list[tuple[str | None, str]] = []
    if name is None:
        messages += [(None, m) for m in _described_vi("the package", pkg)]
        for i, node in enumerate(pkg.get("sources", []) + pkg.get("licenses", [])):
            messages += [(None, m) for m in _described_vi(f"the package's source or licence {i + 1}", node)]
        return [Problem(file, None, f, m) for f, m in messages]
    res = resource(name)
    messages += [(None, m) for m in _described_vi(f"table {name!r}", res)]
    for i, node in enumerate(res.get("sources", []), start=1):
        messages += [(None, m) for m in _described_vi(f"table {name!r}, source {i}", node)]
    fields = {f["name"]: f for f in res["schema"]["fields"]}
    for f in res["schema"]["fields"]:
        messages += [(f["name"], m) for m in _described_vi(f"table {name!r}, field {f['name']!r}", f)]
    for column in TRANSLATED.get(name, ()):
        if column in fields and vi_twin(column) not in fields:
            messages.append((vi_twin(column),
                             f"table {name!r} has no field {vi_twin(column)!r}; expected the "
                             f"Vietnamese text of {column!r} for the Vietnamese edition"))
    return [Problem(file, None, f, m) for f, m in messages]


# --- step 1: bytes and encoding ----------------------------------------------------------

def _decode(path: Path, header_fields: list[str]) -> tuple[str | None, list[Problem]]:
    file = relative(path)
    data = path.read_bytes()
    if not data.strip():
        return None, [Problem(file, 1, "(header)",
                              f"file is empty; expected a header row: {','.join(header_fields)}")]
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError as exc:
        line_no = data[: exc.start].count(b"\n") + 1
        line_start = data.rfind(b"\n", 0, exc.start) + 1
        before = data[line_start: exc.start].decode("utf-8", errors="replace")
        column = len(next(csv.reader([before]), [""])) - 1
        header = data.split(b"\n", 1)[0].decode("utf-8", errors="replace")
        names = next(csv.reader([header]), [])
        field = names[column] if 0 <= column < len(names) else f"(column {column + 1})"
        return None, [Problem(file, line_no, field,
                              f"byte {data[exc.start]:#04x} is not UTF-8; "
                              "expected UTF-8 text (save the file as UTF-8)")]


# --- step 2: the descriptor, checked by Frictionless -------------------------------------

def _record_lines(text: str) -> list[int]:
    """The physical line on which each CSV record starts (record 1 is the header): a
    quoted cell that holds a newline must not shift the lines of the rows after it."""
    reader = csv.reader(io.StringIO(text, newline=""))
    starts, previous = [], 0
    for _ in reader:
        starts.append(previous + 1)
        previous = reader.line_num
    return starts


def _header_problems(file: str, text: str, schema: dict) -> list[Problem]:
    """Missing and extra columns by name (Frictionless compares headers by position, so
    one missing column would be reported as every later column being wrong)."""
    labels = next(csv.reader(io.StringIO(text, newline="")), [])
    names = [f["name"] for f in schema["fields"]]
    expected = f"expected the header {','.join(names)}"
    return ([Problem(file, 1, n, f"missing-label: there is no column {n!r}; {expected}")
             for n in names if n not in labels]
            + [Problem(file, 1, label or f"(column {i})",
                       f"extra-label: column {label!r} is not in the schema; {expected}")
               for i, label in enumerate(labels, start=1) if label not in names])


def _frictionless_problems(name: str, text: str | None = None) -> list[Problem]:
    from frictionless import Package

    res_desc = resource(name)
    file = relative(table_path(name))
    package = Package(str(descriptor_path()))
    report = package.get_resource(name).validate()
    errors = [e for task in report.tasks for e in task.errors] + list(report.errors)
    header = [e for e in errors if e.type in ("extra-label", "missing-label",
                                               "duplicate-label", "blank-label",
                                               "incorrect-label", "blank-header")]
    schema = res_desc["schema"]
    if header:
        errors = header  # row errors after a broken header only repeat it
        by_name = _header_problems(file, text, schema) if text is not None else []
        if by_name:
            return by_name
    starts = _record_lines(text) if text is not None else []
    problems = []
    for e in errors:
        line = getattr(e, "row_number", None)
        if line and line <= len(starts):
            line = starts[line - 1]  # Frictionless counts records; the reader wants lines
        field = getattr(e, "field_name", None) or getattr(e, "label", None)
        if e.type == "primary-key":
            if any(x.type == "unique-error" and x.row_number == line for x in errors):
                continue  # the unique error on the same row already names the field
            field = ",".join(schema["primaryKey"])
        elif e.type == "foreign-key":
            fks = [fk for fk in schema.get("foreignKeys", [])
                   if ",".join(fk["fields"]) in (e.note or e.message)] or schema.get("foreignKeys", [])
            field = ",".join(fks[0]["fields"])
            target = fks[0]["reference"]["resource"] or name
            problems.append(Problem(file, line, field,
                                    f"{e.type}: {e.note}; expected an id of {target} "
                                    "(or empty)"))
            continue
        elif e.type in ("extra-cell", "missing-cell") and not field:
            field = f"(column {getattr(e, 'field_number', '?')})"
        if e.type in ("extra-label", "missing-label", "duplicate-label", "blank-label",
                      "incorrect-label", "blank-header"):
            line = 1
        expected = _expected(schema, field)
        message = f"{e.type}: {e.note or e.message}"
        if expected:
            message += f"; expected {expected}"
        problems.append(Problem(file, line, field, message))
    return problems


def _expected(schema: dict, field: str | None) -> str:
    for f in schema["fields"]:
        if f["name"] == field:
            parts = [f.get("type", "string")]
            c = f.get("constraints", {})
            if c.get("required"):
                parts.append("required")
            if c.get("unique"):
                parts.append("unique")
            if "enum" in c:
                parts.append("one of " + ", ".join(map(repr, c["enum"])))
            if "pattern" in c:
                parts.append(f"matching {c['pattern']}")
            return " ".join(parts)
    return ""


# --- step 3: typed frame ------------------------------------------------------------------

def _typed_frame(text: str, schema: dict) -> pd.DataFrame:
    frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    for f in schema["fields"]:
        col, kind = f["name"], f.get("type", "string")
        if kind == "number":
            frame[col] = frame[col].map(lambda s: float(s) if s != "" else math.nan).astype("float64")
        elif kind == "integer":
            frame[col] = frame[col].map(lambda s: int(s) if s != "" else pd.NA).astype("Int64")
        elif kind == "boolean":
            frame[col] = frame[col].map({"true": True, "false": False}).astype("bool")
        else:
            frame[col] = frame[col].astype("string")
    frame.attrs["lines"] = _record_lines(text)[1:len(frame) + 1]  # CSV line of each row
    return frame


# --- step 4: the article -------------------------------------------------------------------

def _source_problems(name: str, frame: pd.DataFrame, text: str) -> tuple[list[Problem], list[provenance.Claim]]:
    file = relative(table_path(name))
    problems, claims = [], []
    for line, row in zip(frame.attrs["lines"], frame.to_dict("records")):
        quote, raw = row["quote"], row.get("raw")
        count = text.count(quote)
        if count != 1:
            where = "does not occur" if count == 0 else f"occurs {count} times"
            problems.append(Problem(file, line, "quote",
                                    f"{quote!r} {where} in the article; expected exactly once"))
            continue
        quote_start = text.index(quote)
        if "paragraph" in row:
            paragraph = source.paragraph_of(quote_start, text)
            if row["paragraph"] != paragraph:
                problems.append(Problem(file, line, "paragraph",
                                        f"{row['paragraph']} does not hold the quote; expected {paragraph}"))
        if name not in TOKEN_TABLES:
            continue
        try:
            start, end = provenance.raw_span(raw, quote, quote_start)
        except ValueError as exc:
            problems.append(Problem(file, line, "raw", f"{exc}; expected once inside the quote"))
            continue
        claims.append(provenance.Claim(name, row["id"], start, end, raw))
        if name == "figures":
            problems += _figure_problems(file, line, row)
    return problems, claims


def _figure_problems(file: str, line: int, row: dict) -> list[Problem]:
    problems = []
    raw, raw_unit, unit = row["raw"], row["raw_unit"], row["unit"]
    if RAW_UNITS.get(raw_unit) != unit:
        problems.append(Problem(file, line, "unit",
                                f"{unit!r} does not go with the printed unit {raw_unit!r}; "
                                f"expected {RAW_UNITS.get(raw_unit)!r}"))
        return problems
    if (raw_unit == "%") != numbers.is_percent(raw):
        problems.append(Problem(file, line, "raw",
                                f"{raw!r}: a percentage must carry '%' exactly when raw_unit is '%'"))
        return problems
    try:
        parsed = numbers.parse_vi_raw(raw)
    except numbers.VietnameseNumberError as exc:
        return [Problem(file, line, "raw", f"{exc}; expected the Vietnamese convention")]
    try:
        stored = Decimal(repr(row["value"]))
    except InvalidOperation:
        stored = None
    if stored is None or not stored.is_finite() or stored != parsed:
        problems.append(Problem(file, line, "value",
                                f"{row['value']!r} is not what {raw!r} says; expected {parsed} "
                                f"({unit}), read with the Vietnamese convention"))
    return problems


def _relation_problems(frame: pd.DataFrame, file: str) -> list[Problem]:
    """Growth rates point at levels, parts at totals of the same unit."""
    problems = []
    by_id = {r["id"]: r for r in frame.to_dict("records")}
    for line, row in zip(frame.attrs["lines"], frame.to_dict("records")):
        base = row["base_id"]
        if row["kind"] in ("yoy_growth", "part_of_total") and not base:
            problems.append(Problem(file, line, "base_id",
                                    f"a {row['kind']} figure must name the figure it describes"))
        elif row["kind"] in ("level", "count") and base:
            problems.append(Problem(file, line, "base_id",
                                    f"a {row['kind']} figure has no base; expected empty"))
        elif base and base in by_id:
            target = by_id[base]
            if row["kind"] == "yoy_growth" and target["kind"] != "level":
                problems.append(Problem(file, line, "base_id",
                                        f"{base!r} is a {target['kind']}; expected a level"))
            if row["kind"] == "part_of_total" and target["unit"] != row["unit"]:
                problems.append(Problem(file, line, "base_id",
                                        f"{base!r} is in {target['unit']}; expected {row['unit']}"))
            if row["period"] != target["period"]:
                problems.append(Problem(file, line, "period",
                                        f"{row['period']} differs from {base!r}; expected {target['period']}"))
    return problems


def _context_problems(frame: pd.DataFrame, file: str) -> list[Problem]:
    problems = []
    for line, row in zip(frame.attrs["lines"], frame.to_dict("records")):
        if row["value_low"] > row["value_high"]:
            problems.append(Problem(file, line, "value_low",
                                    f"{row['value_low']} is above value_high {row['value_high']}; "
                                    "expected low <= high"))
    return problems


def _article_figures() -> dict[str, dict]:
    """The article's figures by id, read as text (kind, unit, period): enough to check what a
    later figure is set beside, without tying that table's load to the article's checks."""
    try:
        with open(table_path("figures"), encoding="utf-8", newline="") as fh:
            reader = csv.DictReader(fh)
            rows = list(reader)
    except (OSError, UnicodeDecodeError, csv.Error):
        return {}  # a missing or unreadable figures.csv is reported by its own load
    # A figures.csv without these columns is broken, and says so when it loads itself: the
    # later figures are then compared with nothing rather than failing with a KeyError.
    if not {"id", "kind", "unit", "period"} <= set(reader.fieldnames or ()):
        return {}
    return {r["id"]: r for r in rows}


def _outcome_problems(frame: pd.DataFrame, file: str) -> list[Problem]:
    """Later figures (``outcomes``): each raw string read the Vietnamese way is its value, as
    for the article's figures; growth rates describe levels of the same period; a part is a
    smaller level of the same unit and period; and each is set beside an article figure of
    the same kind and unit, for a period inside its own."""
    problems = _relation_problems(frame, file)
    by_id = {r["id"]: r for r in frame.to_dict("records")}
    figures = _article_figures()
    for line, row in zip(frame.attrs["lines"], frame.to_dict("records")):
        problems += _figure_problems(file, line, row)
        total = by_id.get(row["part_of"]) if row["part_of"] else None
        if row["part_of"] and row["kind"] != "level":
            problems.append(Problem(file, line, "part_of",
                                    f"a {row['kind']} figure is part of nothing; expected empty"))
        elif total is not None:
            if total["kind"] != "level" or total["unit"] != row["unit"]:
                problems.append(Problem(file, line, "part_of",
                                        f"{row['part_of']!r} is a {total['kind']} in "
                                        f"{total['unit']}; expected a level in {row['unit']}"))
            elif row["value"] > total["value"]:
                problems.append(Problem(file, line, "value",
                                        f"{row['value']:g} is larger than {row['part_of']!r} "
                                        f"({total['value']:g}), of which it is a part; expected "
                                        "a part no larger than its total"))
            if total["period"] != row["period"]:
                problems.append(Problem(file, line, "period",
                                        f"{row['period']} differs from {row['part_of']!r}; "
                                        f"expected {total['period']}"))
        article = figures.get(row["figure_id"])
        if article is None:
            continue  # a dangling id is the descriptor's foreign-key problem
        if (article["kind"], article["unit"]) != (row["kind"], row["unit"]):
            problems.append(Problem(file, line, "figure_id",
                                    f"{row['figure_id']!r} is a {article['kind']} in "
                                    f"{article['unit']}; expected a {row['kind']} in {row['unit']}"))
        if not article["period"].startswith(row["period"]):
            problems.append(Problem(file, line, "figure_id",
                                    f"{row['figure_id']!r} covers {article['period']}, not inside "
                                    f"{row['period']}; expected an article figure of this period"))
    return problems


def _sources_problems(frame: pd.DataFrame, file: str) -> list[Problem]:
    """Sources: a date or a note on the date; a local copy that exists; and the article's row
    saying what the article's own metadata says (id, publisher, byline, language)."""
    problems = []
    article = relative(source.source_path()).removeprefix(relative(data_dir()) + "/")
    for line, row in zip(frame.attrs["lines"], frame.to_dict("records")):
        if not row["published"] and not row["published_note"]:
            problems.append(Problem(file, line, "published_note",
                                    "empty, and so is published; expected a date or what is "
                                    "known of it"))
        copy = row["local_copy"]
        if copy and not (data_dir() / copy).is_file():
            problems.append(Problem(file, line, "local_copy",
                                    f"{copy!r} is not a file under data/; expected a copy we hold"))
        if copy != article:
            continue
        meta = source.metadata()
        for field in ("id", "publisher", "byline", "language"):
            if row[field] != str(meta.get(field, "")):
                problems.append(Problem(file, line, field,
                                        f"{row[field]!r} differs from the article's metadata; "
                                        f"expected {meta.get(field)!r} "
                                        f"({relative(source.metadata_path())})"))
    return problems


def occurs(term: str, text: str) -> bool:
    """Whether ``term`` occurs in ``text`` as whole words, case-insensitively: "ước" occurs
    in "ước đạt" but not inside "trước"; spaces in the term match any run of whitespace."""
    words = unicodedata.normalize("NFC", term).split()
    pattern = r"(?<!\w)" + r"\s+".join(map(re.escape, words)) + r"(?!\w)"
    return re.search(pattern, unicodedata.normalize("NFC", text), re.IGNORECASE) is not None


def _term_problems(frame: pd.DataFrame, file: str, text: str) -> list[Problem]:
    """Glossary terms: NFC, unique without regard to case (Sphinx's glossary ignores case),
    and ``in_article`` true exactly when the term occurs in the cleaned article."""
    problems, seen = [], {}
    for line, row in zip(frame.attrs["lines"], frame.to_dict("records")):
        term = row["term_vi"]
        if term != unicodedata.normalize("NFC", term):
            problems.append(Problem(file, line, "term_vi",
                                    f"{term!r} is not in Unicode NFC; expected the composed form"))
        key = term.casefold()
        if key in seen:
            problems.append(Problem(file, line, "term_vi",
                                    f"{term!r} repeats the term on line {seen[key]} (case ignored); "
                                    "expected each term once"))
        seen.setdefault(key, line)
        found = occurs(term, text)
        if row["in_article"] and not found:
            problems.append(Problem(file, line, "in_article",
                                    f"true, but {term!r} does not occur in the article as whole "
                                    "words (case ignored); expected false, or the term as printed"))
        elif found and not row["in_article"]:
            problems.append(Problem(file, line, "in_article",
                                    f"false, but {term!r} occurs in the article; expected true"))
    return problems


# --- public loaders -----------------------------------------------------------------------

def _load(name: str) -> tuple[pd.DataFrame, list[Problem]]:
    res = resource(name)
    path = table_path(name)
    file = relative(path)
    if not path.is_file():
        return pd.DataFrame(), [Problem(file, None, None, "file not found; expected the CSV the descriptor names")]
    names = [f["name"] for f in res["schema"]["fields"]]
    text, problems = _decode(path, names)
    if problems:
        return pd.DataFrame(), problems
    problems = _frictionless_problems(name, text)
    if problems:
        return pd.DataFrame(), problems
    frame = _typed_frame(text, res["schema"])
    if frame.empty:
        return frame, [Problem(file, 2, "(row)", "no data rows; expected at least one")]
    problems += descriptor_problems(name)
    problems += _twin_problems(frame, file, res["schema"])
    if name == "figures":
        problems += _relation_problems(frame, file)
    if name == "context":
        problems += _context_problems(frame, file)
    if name == "outcomes":
        problems += _outcome_problems(frame, file)
    if name == "sources":
        problems += _sources_problems(frame, file)
    if name in TERM_TABLES:
        problems += _term_problems(frame, file, source.article_text())
    return frame, problems


def _stamp(path: Path) -> tuple:
    """A file's identity for the caches: its content, not its mtime and size (a same-size
    edit within the clock's resolution, or a copy that keeps the mtime, must be seen)."""
    try:
        return (str(path), source.sha256(path.read_bytes()))
    except FileNotFoundError:
        return (str(path), None)


def _inputs() -> tuple:
    """Every table and the descriptor: a table's checks may read another (foreign keys)."""
    return tuple(_stamp(table_path(n)) for n in table_names()) + (_stamp(descriptor_path()),)


def load_table(name: str) -> pd.DataFrame:
    """Any table of the descriptor, validated. Quoted tables are checked against the article."""
    if name in QUOTED:
        frames = _load_quoted()
        return frames[name].copy()
    if name in TERM_TABLES:
        digest = source.sha256(source.article_text().encode())
        return _load_cached(name, _inputs(), digest).copy()
    return _load_cached(name, _inputs()).copy()


@lru_cache(maxsize=16)
def _load_cached(name: str, *_stamps) -> pd.DataFrame:
    frame, problems = _load(name)
    if problems:
        raise DataError(problems)
    return frame


def _load_quoted() -> dict[str, pd.DataFrame]:
    # Keyed on the cleaned text: it changes with the article and with its cleaning rules.
    return _load_quoted_cached(_inputs(), source.sha256(source.article_text().encode()))


@lru_cache(maxsize=4)
def _load_quoted_cached(_stamps, _digest) -> dict[str, pd.DataFrame]:
    frames, problems = _check_quoted()
    if problems:
        raise DataError(problems)
    return frames


def _check_quoted() -> tuple[dict[str, pd.DataFrame], list[Problem]]:
    """The quoted tables and every problem found in them (empty frames where unreadable)."""
    text = source.article_text()
    frames, problems, claims = {}, [], []
    for name in QUOTED:
        frame, found = _load(name)
        problems += found
        if not found:
            more, table_claims = _source_problems(name, frame, text)
            problems += more
            claims += table_claims
        frames[name] = frame
    if problems:
        return frames, problems
    problems += coverage_problems(text, claims)
    if problems:
        return frames, problems
    for name in TOKEN_TABLES:
        frame = frames[name]
        spans = {c.row_id: (c.start, c.end) for c in claims if c.table == name}
        frame["start"] = [spans[i][0] for i in frame["id"]]
        frame["end"] = [spans[i][1] for i in frame["id"]]
    return frames, problems


def coverage_problems(text: str, claims: list[provenance.Claim]) -> list[Problem]:
    cov = provenance.coverage(text, claims)
    files = {n: relative(table_path(n)) for n in TOKEN_TABLES}
    problems = []
    for token in cov.unclaimed:
        context = text[max(0, token.start - 25): token.end + 25].replace("\n", " ")
        problems.append(Problem(f"{files['figures']} + {files['references']}", None, "raw",
                                f"the article's numeric token {token.text!r} at character "
                                f"{token.start} (…{context}…) is neither a figure nor a listed "
                                "reference; expected every token accounted for"))
    for claim in cov.misaligned:
        problems.append(Problem(files[claim.table], None, "raw",
                                f"row {claim.row_id!r}: {claim.raw!r} is not a whole number token "
                                "of the article; expected the complete number as printed"))
    for first, second in cov.double:
        problems.append(Problem(files[second.table], None, "id",
                                f"row {second.row_id!r} claims the same token as {first.row_id!r} "
                                f"in {files[first.table]}; expected each token claimed once"))
    return problems


def load_figures() -> pd.DataFrame:
    """The article's figures, indexed by position: columns as in ``datapackage.json``, plus
    ``start``/``end`` (where the raw string sits in the cleaned article)."""
    return load_table("figures")


def load_references() -> pd.DataFrame:
    return load_table("references")


def load_context() -> pd.DataFrame:
    return load_table("context")


def load_claims() -> pd.DataFrame:
    return load_table("claims")


def load_plans() -> pd.DataFrame:
    return load_table("plans")


def load_glossary() -> pd.DataFrame:
    """The glossary (``data/glossary.csv``), each ``in_article`` flag checked against the
    article's text."""
    return load_table("glossary")


def load_sources() -> pd.DataFrame:
    """The documents the book takes figures from (``data/sources.csv``): the article and the
    later newspaper report, each with what is known and what is not."""
    return load_table("sources")


def load_outcomes() -> pd.DataFrame:
    """Figures for the whole of 2020 reported after the article (``data/outcomes.csv``), each
    checked: raw string against value, references to sources, to the article's figures and
    within the table."""
    return load_table("outcomes")


def validate_all() -> tuple[dict[str, int], list[Problem]]:
    """Row counts of the tables that loaded, and every problem found (no duplicates).
    Used by ``python -m bentre validate``."""
    counts: dict[str, int] = {}
    problems: list[Problem] = []
    try:
        frames, problems = _check_quoted()
        counts = {name: len(frame) for name, frame in frames.items()}
    except source.SourceError as exc:
        problems = [Problem(relative(source.source_path()), None, None, str(exc))]
    for name in table_names():
        if name in QUOTED:
            continue
        try:
            counts[name] = len(load_table(name))
        except DataError as exc:
            problems += exc.problems
        except source.SourceError:
            pass  # a table checked against the article; the article's problem is listed above
    problems += descriptor_problems()
    return counts, problems


def figure(frame: pd.DataFrame, figure_id: str) -> dict:
    """One row as a dict; a missing id is an error, not ``None``."""
    rows = frame[frame["id"] == figure_id]
    if len(rows) != 1:
        raise KeyError(f"no figure {figure_id!r}")
    return rows.iloc[0].to_dict()
