"""Checks that the tables say what the article says: provenance, parsing, number format,
and the structure of units and periods. Registered in :mod:`bentre.checks`."""

from __future__ import annotations

from decimal import Decimal

from babel import numbers as babel_numbers

from . import numbers, provenance
from .checkbase import (COMBINATIONS, Combination, Outcome, as_printed, check,
                        context_or_default, exact, figures_or_default, plain,
                        references_or_default, row, text_field, text_or_default)


def _locate(text: str, quote: str, raw: str) -> tuple[tuple[int, int] | None, str | None]:
    """Where ``raw`` sits in the article, found through its quote, or why it cannot be found."""
    n = text.count(quote)
    if n != 1:
        return None, f"its quote occurs {n} times in the article (expected once)"
    m = quote.count(raw)
    if m != 1:
        return None, f"{raw!r} occurs {m} times in its quote (expected once)"
    start = text.find(quote) + quote.find(raw)
    return (start, start + len(raw)), None


def _quoted_rows(figures, references) -> list[tuple[str, dict]]:
    return ([("figures", r) for r in figures.to_dict("records")]
            + [("references", r) for r in references.to_dict("records")])


@check("quotes_in_article", "provenance",
       "Every raw string sits once inside its quote, and every quote occurs once in the article",
       could_fail=True,
       power=("A raw string, quote or position mistyped by one character (24.021 for 24.012) is "
              "not found in the checksummed article and fails it; the loader runs the same test "
              "first."))
def quotes_in_article(figures=None, references=None, text=None) -> Outcome:
    figures, references = figures_or_default(figures), references_or_default(references)
    text = text_or_default(text)
    rows = _quoted_rows(figures, references)
    problems = []
    for table, r in rows:
        span, problem = _locate(text, r["quote"], r["raw"])
        if problem is None and "start" in r and (plain(r["start"]), plain(r["end"])) != span:
            problem = f"stored at {r['start']}–{r['end']}, found at {span[0]}–{span[1]}"
        if problem is None and text[span[0]:span[1]] != r["raw"]:
            problem = f"the article reads {text[span[0]:span[1]]!r} there"
        if problem:
            problems.append(f"{table} {r['id']}: {problem}")
    inputs = {r["id"]: r["raw"] for _, r in rows}
    values = {"rows": len(rows), "figures": len(figures), "references": len(references),
              "located": len(rows) - len(problems), "problems": "; ".join(problems)}
    if problems:
        return Outcome("fail", f"{len(problems)} of {len(rows)} raw strings cannot be placed in "
                       f"the article; first: {problems[0]}.", inputs, values)
    return Outcome("pass", f"All {len(rows)} raw strings ({len(figures)} figures, "
                   f"{len(references)} references) occur once inside a quote that occurs once "
                   "in the article, at the stored positions.", inputs, values)


@check("tokens_accounted", "provenance",
       "Every numeric token of the article is claimed by exactly one figure or reference",
       could_fail=True,
       power=("A number of the article left out of the tables, or claimed by two rows, fails "
              "it; the loader runs the same test first."))
def tokens_accounted(figures=None, references=None, text=None) -> Outcome:
    figures, references = figures_or_default(figures), references_or_default(references)
    text = text_or_default(text)
    claims = []
    for table, r in _quoted_rows(figures, references):
        span, _ = _locate(text, r["quote"], r["raw"])
        if span:
            claims.append(provenance.Claim(table, r["id"], span[0], span[1], r["raw"]))
    cov = provenance.coverage(text, claims)
    unclaimed = [f"{t.text!r} at character {t.start}" for t in cov.unclaimed]
    values = {"tokens": len(cov.tokens),
              "claimed_by_figures": sum(c.table == "figures" for c in claims),
              "claimed_by_references": sum(c.table == "references" for c in claims),
              "unclaimed": len(cov.unclaimed), "misaligned": len(cov.misaligned),
              "claimed_twice": len(cov.double), "unclaimed_tokens": "; ".join(unclaimed),
              "misaligned_rows": "; ".join(c.row_id for c in cov.misaligned)}
    inputs = {c.row_id: c.raw for c in claims}
    if not cov.ok:
        first = f" (first: {unclaimed[0]})" if unclaimed else ""
        return Outcome("fail", f"Of {len(cov.tokens)} numeric tokens, unaccounted for: "
                       f"{len(cov.unclaimed)}{first}; claims that are not whole tokens: "
                       f"{len(cov.misaligned)}; tokens claimed twice: {len(cov.double)}.",
                       inputs, values)
    return Outcome("pass", f"All {len(cov.tokens)} numeric tokens of the article are claimed "
                   f"exactly once: {values['claimed_by_figures']} by figures, "
                   f"{values['claimed_by_references']} by references.", inputs, values)


@check("vietnamese_parsing", "parsing",
       "Each raw string read with the Vietnamese convention equals the stored value",
       could_fail=True,
       power=("A stored value mistyped or read the English way (24.012 for 24,012 billion VND) "
              "differs from its raw string and fails it; the loader runs the same test first."))
def vietnamese_parsing(figures=None) -> Outcome:
    figures = figures_or_default(figures)
    mismatches, example = [], None
    for f in figures.to_dict("records"):
        try:
            parsed = numbers.parse_vi_raw(f["raw"])
            if f["unit"] in numbers.UNIT_SCALE:  # amounts: through VND and back, with scale word
                vnd = numbers.parse_vi_amount(f"{f['raw']} {f['raw_unit']}")
                parsed = numbers.convert(vnd, "VND", f["unit"])
        except (numbers.VietnameseNumberError, ValueError) as exc:
            mismatches.append(f"{f['id']}: {exc}")
            continue
        if parsed != Decimal(str(float(f["value"]))):
            mismatches.append(f"{f['id']}: {f['raw']!r} reads {parsed}, stored {f['value']}")
        elif example is None and "." in f["raw"] and "," in f["raw"]:
            example = f
    inputs = {f["id"]: f["raw"] for f in figures.to_dict("records")}
    values = {"figures": len(figures), "matching": len(figures) - len(mismatches),
              "mismatches": "; ".join(mismatches)}
    if mismatches:
        return Outcome("fail", f"{len(mismatches)} of {len(figures)} stored values differ from "
                       f"their raw string read the Vietnamese way; first: {mismatches[0]}.",
                       inputs, values)
    shown = f', e.g. "{example["raw"]}" → {as_printed(example)}' if example else ""
    return Outcome("pass", f"All {len(figures)} raw strings, read the Vietnamese way (dot between "
                   f"thousands, comma before decimals), equal their stored values{shown}.",
                   inputs, values)


@check("units_and_periods", "units",
       "Growth rates sit on levels of their period; parts share unit and period with their "
       "totals; figures meet context figures of their own period unless allowed",
       could_fail=True,
       power=("A context figure of another period (a full-year CPI against nine-month growth) "
              "or a rate tied to the wrong level fails it; it tests the tables' labels, not the "
              "article's numbers."))
def units_and_periods(figures=None, context=None,
                      combinations: tuple[Combination, ...] = COMBINATIONS) -> Outcome:
    figures, context = figures_or_default(figures), context_or_default(context)
    by_id = {f["id"]: f for f in figures.to_dict("records")}
    ctx = {c["id"]: c for c in context.to_dict("records")}
    problems, exceptions = [], []
    growth = [f for f in by_id.values() if f["kind"] == "yoy_growth"]
    parts = [f for f in by_id.values() if f["kind"] == "part_of_total"]
    for f in growth + parts:
        base = by_id.get(text_field(f["base_id"]))
        if base is None:
            problems.append(f"{f['id']} names no existing base ({text_field(f['base_id'])!r})")
            continue
        if f["kind"] == "yoy_growth" and (base["kind"] != "level" or f["unit"] != "percent"):
            problems.append(f"{f['id']} is a growth in {f['unit']} of a {base['kind']}; "
                            "expected a percentage of a level")
        if f["kind"] == "part_of_total" and f["unit"] != base["unit"]:
            problems.append(f"{f['id']} is in {f['unit']}, "
                            f"its total {base['id']} in {base['unit']}")
        if f["period"] != base["period"]:
            problems.append(f"{f['id']} covers {f['period']}, "
                            f"its base {base['id']} {base['period']}")
    for c in combinations:
        if c.figure_id not in by_id or c.context_id not in ctx:
            problems.append(f"{c.used_by} combines {c.figure_id} with {c.context_id}, "
                            "but one of them is missing")
            continue
        p_fig, p_ctx = by_id[c.figure_id]["period"], ctx[c.context_id]["period"]
        if p_fig != p_ctx and c.allowed is None:
            problems.append(f"{c.used_by} combines {c.figure_id} ({p_fig}) with "
                            f"{c.context_id} ({p_ctx}) without saying why")
        elif p_fig != p_ctx:
            exceptions.append(f"{c.context_id} ({p_ctx}: {c.allowed})")
    inputs = {f["id"]: f["period"] for f in growth + parts}
    values = {"growth_rates": len(growth), "parts": len(parts), "combinations": len(combinations),
              "allowed_exceptions": len(exceptions), "exceptions": "; ".join(exceptions),
              "problems": "; ".join(problems)}
    if problems:
        return Outcome("fail", f"{len(problems)} unit or period mismatch(es); first: "
                       f"{problems[0]}.", inputs, values)
    allowed = (f", except {len(exceptions)} explicitly allowed: " + "; ".join(exceptions)
               if exceptions else "")
    return Outcome("pass", f"All {len(growth)} growth rates sit on levels of the same period, all "
                   f"{len(parts)} parts share unit and period with their totals, and the "
                   f"{len(combinations)} combinations with context figures match periods"
                   f"{allowed}.", inputs, values)


# --- number format: the English reading of a Vietnamese number -----------------------------

def english_reading(raw: str) -> Decimal | None:
    """``raw`` read with the English convention (Babel, ``en``), or None if it is not a valid
    English number (``"4.243,46"``)."""
    try:
        return babel_numbers.parse_decimal(raw.removesuffix("%"), locale="en", strict=True)
    except babel_numbers.NumberFormatError:
        return None


@check("number_format_ambiguity", "format",
       "Which printed numbers are valid in both the Vietnamese and the English convention",
       could_fail=False,
       power=("It describes the printed strings: it flags whenever a number like 24.012 is "
              "printed, right or wrong, and cannot fail, so it says nothing about whether a "
              "figure is right."))
def number_format_ambiguity(figures=None) -> Outcome:
    figures = figures_or_default(figures)
    ambiguous = []
    for f in figures.to_dict("records"):
        vi, en = numbers.parse_vi_raw(f["raw"]), english_reading(f["raw"])
        if en is not None and en != vi:
            ambiguous.append((f, vi, en))
    shown = [f'"{f["raw"]}" ({numbers.format_en(vi, 3 if vi % 1 else 0)} or '
             f'{numbers.format_en(en, 3 if en % 1 else 0)})' for f, vi, en in ambiguous]
    inputs = {f["id"]: f["raw"] for f in figures.to_dict("records")}
    values = {"figures": len(figures), "ambiguous": len(ambiguous),
              "ambiguous_ids": ", ".join(f["id"] for f, _, _ in ambiguous),
              "readings": "; ".join(shown)}
    if not ambiguous:
        return Outcome("pass", f"None of the {len(figures)} printed numbers is valid in both "
                       "conventions, so none can be misread.", inputs, values)
    return Outcome("flag", f"{len(ambiguous)} of {len(figures)} printed numbers are valid in both "
                   f"conventions with readings a thousandfold apart (Vietnamese or English): "
                   f"{', '.join(shown)}; the Vietnamese reading is used throughout, and the "
                   "format_* checks test the English reading of several against the city's own "
                   "totals.", inputs, values)


# Why the format_* checks are informative: the stored value is tested against both readings,
# and the benchmark is one a wrong reading of either number would move.
ENGLISH_POWER = ("Storing the English reading fails it, and an English reading below the city's "
                 "{} would flag: the benchmark separates the two readings.")


def _english_plausibility(figures, figure_id: str, benchmark_id: str) -> Outcome:
    f, bench = row(figures, figure_id), row(figures, benchmark_id)
    vi, en = numbers.parse_vi_raw(f["raw"]), english_reading(f["raw"])
    stored = Decimal(str(float(f["value"])))
    inputs = {figure_id: f["value"], benchmark_id: bench["value"]}
    values = {"raw": f["raw"], "unit": f["unit"], "vietnamese_reading": vi,
              "english_reading": en, "stored": f["value"], "benchmark": bench["value"],
              "english_to_benchmark": None if en is None else float(en) / bench["value"]}
    name, bench_name = f["indicator_en"], bench["indicator_en"]
    if en is None or en == vi:
        return Outcome("pass", f'"{f["raw"]}" has a single reading, {as_printed(f)}; no '
                       "misreading is possible.", inputs, values)
    if f["unit"] != bench["unit"]:
        return Outcome("fail", f"The {name} ({f['unit']}) cannot be compared with the "
                       f"{bench_name} ({bench['unit']}).", inputs, values)
    if stored == en:
        return Outcome("fail", f'The stored {name}, {exact(en, f["unit"])}, is "{f["raw"]}" read '
                       f"the English way; the article uses the Vietnamese convention, "
                       f"{exact(vi, f['unit'])}.", inputs, values)
    if stored != vi:
        return Outcome("fail", f'The stored {name}, {f["value"]}, is neither reading of '
                       f'"{f["raw"]}".', inputs, values)
    ratio = numbers.format_en(values["english_to_benchmark"], 2)
    if en > Decimal(str(bench["value"])):
        return Outcome("pass", f'Read the English way, "{f["raw"]}" would make the {name} '
                       f"{exact(en, f['unit'])}, {ratio} times the city's {bench_name} "
                       f"({as_printed(bench)}), which is not credible; only the Vietnamese "
                       f"reading, {exact(vi, f['unit'])}, is plausible.", inputs, values)
    return Outcome("flag", f'Read the English way, "{f["raw"]}" would make the {name} '
                   f"{exact(en, f['unit'])}, still below the {bench_name} "
                   f"({as_printed(bench)}); this comparison cannot rule that reading out.",
                   inputs, values)


@check("format_infrastructure_payments", "format",
       'Reading "121,729" the English way is impossible against the city\'s own revenue',
       could_fail=True, power=ENGLISH_POWER.format("whole revenue of goods and services"))
def format_infrastructure_payments(figures=None, figure_id="infrastructure_payments",
                                   benchmark_id="revenue_goods_services") -> Outcome:
    return _english_plausibility(figures_or_default(figures), figure_id, benchmark_id)


@check("format_works_total_cost", "format",
       'Reading "2,726" the English way is impossible against the city\'s infrastructure payments',
       could_fail=True, power=ENGLISH_POWER.format("infrastructure payments"))
def format_works_total_cost(figures=None, figure_id="works_total_cost",
                            benchmark_id="infrastructure_payments") -> Outcome:
    return _english_plausibility(figures_or_default(figures), figure_id, benchmark_id)


@check("format_people_contribution", "format",
       'Reading "1,292" the English way is impossible against the city\'s infrastructure payments',
       could_fail=True, power=ENGLISH_POWER.format("infrastructure payments"))
def format_people_contribution(figures=None, figure_id="works_people_contribution",
                               benchmark_id="infrastructure_payments") -> Outcome:
    return _english_plausibility(figures_or_default(figures), figure_id, benchmark_id)


__all__ = ["english_reading", "quotes_in_article", "tokens_accounted", "vietnamese_parsing",
           "units_and_periods", "number_format_ambiguity", "format_infrastructure_payments",
           "format_works_total_cost", "format_people_contribution"]
