"""Checks that the tables say what the article says: provenance, parsing, number format,
and the structure of units and periods. Registered in :mod:`bentre.checks`."""

from __future__ import annotations

from decimal import Decimal

from babel import numbers as babel_numbers

from . import numbers, provenance
from .checkbase import (COMBINATIONS, Combination, Outcome, as_printed, check,
                        context_or_default, exact, figures_or_default, local_text, plain,
                        references_or_default, row, table_label, text_field, text_or_default,
                        unit_label)
from .i18n import N_, _


def _locate(text: str, quote: str, raw: str) -> tuple[tuple[int, int] | None, str | None]:
    """Where ``raw`` sits in the article, found through its quote, or why it cannot be found."""
    n = text.count(quote)
    if n != 1:
        return None, _("its quote occurs {n} times in the article (expected once)").format(
            n=numbers.local(n))
    m = quote.count(raw)
    if m != 1:
        return None, _("{raw} occurs {n} times in its quote (expected once)").format(
            raw=repr(raw), n=numbers.local(m))
    start = text.find(quote) + quote.find(raw)
    return (start, start + len(raw)), None


def _quoted_rows(figures, references) -> list[tuple[str, dict]]:
    return ([("figures", r) for r in figures.to_dict("records")]
            + [("references", r) for r in references.to_dict("records")])


@check("quotes_in_article", "provenance",
       N_("Every raw string sits once inside its quote, and every quote occurs once in the "
          "article"),
       could_fail=True,
       power=N_("A raw string, quote or position mistyped by one character (24.021 for 24.012) "
                "is not found in the checksummed article and fails it; the loader runs the same "
                "test first."))
def quotes_in_article(figures=None, references=None, text=None) -> Outcome:
    figures, references = figures_or_default(figures), references_or_default(references)
    text = text_or_default(text)
    rows = _quoted_rows(figures, references)
    problems = []
    for table, r in rows:
        span, problem = _locate(text, r["quote"], r["raw"])
        if problem is None and "start" in r and (plain(r["start"]), plain(r["end"])) != span:
            problem = _("stored at {start}–{end}, found at {found_start}–{found_end}").format(
                start=r["start"], end=r["end"], found_start=span[0], found_end=span[1])
        if problem is None and text[span[0]:span[1]] != r["raw"]:
            problem = _("the article reads {text} there").format(
                text=repr(text[span[0]:span[1]]))
        if problem:
            problems.append(f"{table_label(table)} {r['id']}: {problem}")
    inputs = {r["id"]: r["raw"] for _table, r in rows}
    values = {"rows": len(rows), "figures": len(figures), "references": len(references),
              "located": len(rows) - len(problems), "problems": "; ".join(problems)}
    if problems:
        return Outcome("fail", _("{n} of {total} raw strings cannot be placed in the article; "
                                 "first: {first}.").format(
            n=numbers.local(len(problems)), total=numbers.local(len(rows)), first=problems[0]),
            inputs, values)
    return Outcome("pass", _("All {n} raw strings ({figures} figures, {references} references) "
                             "occur once inside a quote that occurs once in the article, at the "
                             "stored positions.").format(
        n=numbers.local(len(rows)), figures=numbers.local(len(figures)),
        references=numbers.local(len(references))), inputs, values)


@check("tokens_accounted", "provenance",
       N_("Every numeric token of the article is claimed by exactly one figure or reference"),
       could_fail=True,
       power=N_("A number of the article left out of the tables, or claimed by two rows, fails "
                "it; the loader runs the same test first."))
def tokens_accounted(figures=None, references=None, text=None) -> Outcome:
    figures, references = figures_or_default(figures), references_or_default(references)
    text = text_or_default(text)
    claims = []
    for table, r in _quoted_rows(figures, references):
        span, _problem = _locate(text, r["quote"], r["raw"])
        if span:
            claims.append(provenance.Claim(table, r["id"], span[0], span[1], r["raw"]))
    cov = provenance.coverage(text, claims)
    unclaimed = [_("{text} at character {position}").format(text=repr(t.text), position=t.start)
                 for t in cov.unclaimed]
    values = {"tokens": len(cov.tokens),
              "claimed_by_figures": sum(c.table == "figures" for c in claims),
              "claimed_by_references": sum(c.table == "references" for c in claims),
              "unclaimed": len(cov.unclaimed), "misaligned": len(cov.misaligned),
              "claimed_twice": len(cov.double), "unclaimed_tokens": "; ".join(unclaimed),
              "misaligned_rows": "; ".join(c.row_id for c in cov.misaligned)}
    inputs = {c.row_id: c.raw for c in claims}
    if not cov.ok:
        first = _(" (first: {first})").format(first=unclaimed[0]) if unclaimed else ""
        return Outcome("fail", _("Of {tokens} numeric tokens, unaccounted for: {unclaimed}{first}; "
                                 "claims that are not whole tokens: {misaligned}; tokens claimed "
                                 "twice: {double}.").format(
            tokens=numbers.local(len(cov.tokens)), unclaimed=numbers.local(len(cov.unclaimed)),
            first=first, misaligned=numbers.local(len(cov.misaligned)),
            double=numbers.local(len(cov.double))), inputs, values)
    return Outcome("pass", _("All {tokens} numeric tokens of the article are claimed exactly "
                             "once: {figures} by figures, {references} by references.").format(
        tokens=numbers.local(len(cov.tokens)),
        figures=numbers.local(values["claimed_by_figures"]),
        references=numbers.local(values["claimed_by_references"])), inputs, values)


@check("vietnamese_parsing", "parsing",
       N_("Each raw string read with the Vietnamese convention equals the stored value"),
       could_fail=True,
       power=N_("A stored value mistyped or read the English way (24.012 for 24,012 billion "
                "VND) differs from its raw string and fails it; the loader runs the same test "
                "first."))
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
            mismatches.append(_("{id}: {raw} reads {parsed}, stored {stored}").format(
                id=f["id"], raw=repr(f["raw"]), parsed=parsed, stored=f["value"]))
        elif example is None and "." in f["raw"] and "," in f["raw"]:
            example = f
    inputs = {f["id"]: f["raw"] for f in figures.to_dict("records")}
    values = {"figures": len(figures), "matching": len(figures) - len(mismatches),
              "mismatches": "; ".join(mismatches)}
    if mismatches:
        return Outcome("fail", _("{n} of {total} stored values differ from their raw string read "
                                 "the Vietnamese way; first: {first}.").format(
            n=numbers.local(len(mismatches)), total=numbers.local(len(figures)),
            first=mismatches[0]), inputs, values)
    shown = (_(', e.g. "{raw}" → {value}').format(raw=example["raw"], value=as_printed(example))
             if example else "")
    return Outcome("pass", _("All {n} raw strings, read the Vietnamese way (dot between "
                             "thousands, comma before decimals), equal their stored "
                             "values{example}.").format(n=numbers.local(len(figures)),
                                                        example=shown), inputs, values)


@check("units_and_periods", "units",
       N_("Growth rates sit on levels of their period; parts share unit and period with their "
          "totals; figures meet context figures of their own period unless allowed"),
       could_fail=True,
       power=N_("A context figure of another period (a full-year CPI against nine-month growth) "
                "or a rate tied to the wrong level fails it; it tests the tables' labels, not "
                "the article's numbers."))
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
            problems.append(_("{id} names no existing base ({base})").format(
                id=f["id"], base=repr(text_field(f["base_id"]))))
            continue
        if f["kind"] == "yoy_growth" and (base["kind"] != "level" or f["unit"] != "percent"):
            problems.append(_("{id} is a growth in {unit} of a {kind}; expected a percentage of "
                              "a level").format(id=f["id"], unit=unit_label(f["unit"]),
                                                kind=base["kind"]))
        if f["kind"] == "part_of_total" and f["unit"] != base["unit"]:
            problems.append(_("{id} is in {unit}, its total {total} in {total_unit}").format(
                id=f["id"], unit=unit_label(f["unit"]), total=base["id"],
                total_unit=unit_label(base["unit"])))
        if f["period"] != base["period"]:
            problems.append(_("{id} covers {period}, its base {base} {base_period}").format(
                id=f["id"], period=f["period"], base=base["id"], base_period=base["period"]))
    for c in combinations:
        if c.figure_id not in by_id or c.context_id not in ctx:
            problems.append(_("{check} combines {figure} with {context}, but one of them is "
                              "missing").format(check=c.used_by, figure=c.figure_id,
                                                context=c.context_id))
            continue
        p_fig, p_ctx = by_id[c.figure_id]["period"], ctx[c.context_id]["period"]
        if p_fig != p_ctx and c.allowed is None:
            problems.append(_("{check} combines {figure} ({figure_period}) with {context} "
                              "({context_period}) without saying why").format(
                check=c.used_by, figure=c.figure_id, figure_period=p_fig,
                context=c.context_id, context_period=p_ctx))
        elif p_fig != p_ctx:
            exceptions.append(f"{c.context_id} ({p_ctx}: {_(c.allowed)})")
    inputs = {f["id"]: f["period"] for f in growth + parts}
    values = {"growth_rates": len(growth), "parts": len(parts), "combinations": len(combinations),
              "allowed_exceptions": len(exceptions), "exceptions": "; ".join(exceptions),
              "problems": "; ".join(problems)}
    if problems:
        return Outcome("fail", _("{n} unit or period mismatch(es); first: {first}.").format(
            n=numbers.local(len(problems)), first=problems[0]), inputs, values)
    allowed = (_(", except {n} explicitly allowed: {exceptions}").format(
        n=numbers.local(len(exceptions)), exceptions="; ".join(exceptions))
        if exceptions else "")
    return Outcome("pass", _("All {growth} growth rates sit on levels of the same period, all "
                             "{parts} parts share unit and period with their totals, and the "
                             "{combinations} combinations with context figures match "
                             "periods{allowed}.").format(
        growth=numbers.local(len(growth)), parts=numbers.local(len(parts)),
        combinations=numbers.local(len(combinations)), allowed=allowed), inputs, values)


# --- number format: the English reading of a Vietnamese number -----------------------------

def english_reading(raw: str) -> Decimal | None:
    """``raw`` read with the English convention (Babel, ``en``), or None if it is not a valid
    English number (``"4.243,46"``)."""
    try:
        return babel_numbers.parse_decimal(raw.removesuffix("%"), locale="en", strict=True)
    except babel_numbers.NumberFormatError:
        return None


@check("number_format_ambiguity", "format",
       N_("Which printed numbers are valid in both the Vietnamese and the English convention"),
       could_fail=False,
       power=N_("It describes the printed strings: it flags whenever a number like 24.012 is "
                "printed, right or wrong, and cannot fail, so it says nothing about whether a "
                "figure is right."))
def number_format_ambiguity(figures=None) -> Outcome:
    figures = figures_or_default(figures)
    ambiguous = []
    for f in figures.to_dict("records"):
        vi, en = numbers.parse_vi_raw(f["raw"]), english_reading(f["raw"])
        if en is not None and en != vi:
            ambiguous.append((f, vi, en))
    shown = [_('"{raw}" ({vietnamese} or {english})').format(
        raw=f["raw"], vietnamese=numbers.local(vi, 3 if vi % 1 else 0),
        english=numbers.local(en, 3 if en % 1 else 0)) for f, vi, en in ambiguous]
    inputs = {f["id"]: f["raw"] for f in figures.to_dict("records")}
    values = {"figures": len(figures), "ambiguous": len(ambiguous),
              "ambiguous_ids": ", ".join(f["id"] for f, _vi, _en in ambiguous),
              "readings": "; ".join(shown)}
    if not ambiguous:
        return Outcome("pass", _("None of the {n} printed numbers is valid in both conventions, "
                                 "so none can be misread.").format(n=numbers.local(len(figures))),
                       inputs, values)
    return Outcome("flag", _("{n} of {total} printed numbers are valid in both conventions with "
                             "readings a thousandfold apart (Vietnamese or English): {readings}; "
                             "the Vietnamese reading is used throughout, and the format_* checks "
                             "test the English reading of several against the city's own "
                             "totals.").format(
        n=numbers.local(len(ambiguous)), total=numbers.local(len(figures)),
        readings=", ".join(shown)), inputs, values)


# Why the format_* checks are informative: the stored value is tested against both readings,
# and the benchmark is one a wrong reading of either number would move. (Written out for each
# check, so that each is one translatable sentence.)


def _english_plausibility(figures, figure_id: str, benchmark_id: str) -> Outcome:
    f, bench = row(figures, figure_id), row(figures, benchmark_id)
    vi, en = numbers.parse_vi_raw(f["raw"]), english_reading(f["raw"])
    stored = Decimal(str(float(f["value"])))
    inputs = {figure_id: f["value"], benchmark_id: bench["value"]}
    values = {"raw": f["raw"], "unit": f["unit"], "vietnamese_reading": vi,
              "english_reading": en, "stored": f["value"], "benchmark": bench["value"],
              "english_to_benchmark": None if en is None else float(en) / bench["value"]}
    name, bench_name = local_text(f, "indicator"), local_text(bench, "indicator")
    if en is None or en == vi:
        return Outcome("pass", _('"{raw}" has a single reading, {value}; no misreading is '
                                 "possible.").format(raw=f["raw"], value=as_printed(f)),
                       inputs, values)
    if f["unit"] != bench["unit"]:
        return Outcome("fail", _("The {name} ({unit}) cannot be compared with the {benchmark} "
                                 "({benchmark_unit}).").format(
            name=name, unit=unit_label(f["unit"]), benchmark=bench_name,
            benchmark_unit=unit_label(bench["unit"])), inputs, values)
    if stored == en:
        return Outcome("fail", _('The stored {name}, {english}, is "{raw}" read the English way; '
                                 "the article uses the Vietnamese convention, "
                                 "{vietnamese}.").format(
            name=name, english=exact(en, f["unit"]), raw=f["raw"],
            vietnamese=exact(vi, f["unit"])), inputs, values)
    if stored != vi:
        return Outcome("fail", _('The stored {name}, {stored}, is neither reading of '
                                 '"{raw}".').format(name=name, stored=f["value"], raw=f["raw"]),
                       inputs, values)
    ratio = numbers.local(values["english_to_benchmark"], 2)
    if en > Decimal(str(bench["value"])):
        return Outcome("pass", _('Read the English way, "{raw}" would make the {name} '
                                 "{english}, {ratio} times the city's {benchmark} "
                                 "({benchmark_value}), which is not credible; only the "
                                 "Vietnamese reading, {vietnamese}, is plausible.").format(
            raw=f["raw"], name=name, english=exact(en, f["unit"]), ratio=ratio,
            benchmark=bench_name, benchmark_value=as_printed(bench),
            vietnamese=exact(vi, f["unit"])), inputs, values)
    return Outcome("flag", _('Read the English way, "{raw}" would make the {name} {english}, '
                             "still below the {benchmark} ({benchmark_value}); this comparison "
                             "cannot rule that reading out.").format(
        raw=f["raw"], name=name, english=exact(en, f["unit"]), benchmark=bench_name,
        benchmark_value=as_printed(bench)), inputs, values)


@check("format_infrastructure_payments", "format",
       N_('Reading "121,729" the English way is impossible against the city\'s own revenue'),
       could_fail=True,
       power=N_("Storing the English reading fails it, and an English reading below the city's "
                "whole revenue of goods and services would flag: the benchmark separates the two "
                "readings."))
def format_infrastructure_payments(figures=None, figure_id="infrastructure_payments",
                                   benchmark_id="revenue_goods_services") -> Outcome:
    return _english_plausibility(figures_or_default(figures), figure_id, benchmark_id)


@check("format_works_total_cost", "format",
       N_('Reading "2,726" the English way is impossible against the city\'s infrastructure '
          'payments'),
       could_fail=True,
       power=N_("Storing the English reading fails it, and an English reading below the city's "
                "infrastructure payments would flag: the benchmark separates the two readings."))
def format_works_total_cost(figures=None, figure_id="works_total_cost",
                            benchmark_id="infrastructure_payments") -> Outcome:
    return _english_plausibility(figures_or_default(figures), figure_id, benchmark_id)


@check("format_people_contribution", "format",
       N_('Reading "1,292" the English way is impossible against the city\'s infrastructure '
          'payments'),
       could_fail=True,
       power=N_("Storing the English reading fails it, and an English reading below the city's "
                "infrastructure payments would flag: the benchmark separates the two readings."))
def format_people_contribution(figures=None, figure_id="works_people_contribution",
                               benchmark_id="infrastructure_payments") -> Outcome:
    return _english_plausibility(figures_or_default(figures), figure_id, benchmark_id)


__all__ = ["english_reading", "quotes_in_article", "tokens_accounted", "vietnamese_parsing",
           "units_and_periods", "number_format_ambiguity", "format_infrastructure_payments",
           "format_works_total_cost", "format_people_contribution"]
