"""Checks of the article's figures: provenance, parsing, arithmetic, scale and scope.

A check is a function over the loaded tables that returns a :class:`CheckResult`. Its data
arguments (``figures``, ``references``, ``context``, ``text``) default to the project's
tables, so a test can pass a synthetic frame instead. Status is ``pass``, ``flag`` (not
wrong, but a reader should look) or ``fail`` (impossible or broken).

    from bentre import checks
    results = checks.run_all()            # every check, in a stable order
    checks.results_frame(results)         # id, topic, title, status, could_fail, power, ...
    checks.power_counts(results)          # statuses of informative and bookkeeping checks
    checks.run("implied_base_revenue")    # one check
    checks.to_json(results)               # everything, as JSON
    checks.display_frame(results)         # the audit table for the reader, in their language

The checks themselves are in :mod:`bentre.checks_source` (provenance, parsing, number
format, units and periods) and :mod:`bentre.checks_figures` (growth, parts, scale, real
growth) and :mod:`bentre.checks_context` (context figures, claims without numbers); their
arithmetic is in :mod:`bentre.estimates`. Importing this module registers them all.

Every check declares its power: ``could_fail`` is True when plausible wrong data (a mistyped
digit, a misread number, a row of the wrong period) could have made it fail or flag, and
``power`` says why or why not. A check that only computes (an implied base is positive
whenever growth exceeds −100 %) is *bookkeeping*: useful arithmetic, but its pass is no
evidence. :func:`power_counts` keeps the two kinds apart so that no summary adds them up.
"""

from __future__ import annotations

import inspect
import json

import pandas as pd

# Registration order is the order of run_all: the source first, then what figures imply.
from . import checks_source  # noqa: F401  (registers its checks)
from . import checks_figures  # noqa: F401,I001
from . import checks_context  # noqa: F401,I001
from . import checks_outcomes  # noqa: F401,I001  (the full year 2020, reported later)
from .checkbase import (COMBINATIONS, STATUSES, CheckResult, Combination, power_kind_label,
                        registry, status_label, topic_label)
from .i18n import _, ngettext, pgettext
from .checks_figures import (cost_per_work, identical_growth_rates,
                             implied_base_industry_construction,
                             implied_base_infrastructure_payments, implied_base_revenue,
                             real_revenue_growth, residents_contribution_share,
                             revenue_per_person, revenue_vs_national_retail,
                             turnover_vs_output, works_in_use_share)
from .checks_source import (format_infrastructure_payments, format_people_contribution,
                            format_works_total_cost, number_format_ambiguity,
                            quotes_in_article, tokens_accounted, units_and_periods,
                            vietnamese_parsing)
from .checks_outcomes import (full_year_base_2019, growth_consistency, indicator_wording,
                              last_quarter_2020, last_quarter_share,
                              national_retail_comparison_rescored, outlook_scenarios_scored,
                              retail_share_of_revenue)

__all__ = [
    "CheckResult", "Combination", "COMBINATIONS", "STATUSES", "check_ids", "run", "run_all",
    "results_frame", "to_json", "counts", "power_counts", "POWER_KINDS", "exit_code",
    "quotes_in_article", "tokens_accounted", "vietnamese_parsing", "units_and_periods",
    "number_format_ambiguity", "format_infrastructure_payments", "format_works_total_cost",
    "format_people_contribution", "implied_base_revenue", "implied_base_industry_construction",
    "implied_base_infrastructure_payments", "identical_growth_rates",
    "residents_contribution_share", "works_in_use_share", "cost_per_work", "turnover_vs_output",
    "revenue_per_person", "revenue_vs_national_retail", "real_revenue_growth",
    "indicator_wording", "full_year_base_2019", "last_quarter_2020", "last_quarter_share",
    "growth_consistency", "retail_share_of_revenue", "national_retail_comparison_rescored",
    "outlook_scenarios_scored", "display_frame", "power_legend", "summary_line",
    "status_counts_text", "status_label", "topic_label", "power_kind_label",
]

DATA_ARGS = ("figures", "references", "context", "text", "claims")

# The two kinds of check by power, in the order summaries name them; True is ``could_fail``.
POWER_KINDS = {"informative": True, "bookkeeping": False}


def check_ids() -> list[str]:
    """Every registered check, in the order ``run_all`` runs them."""
    return list(registry())


def _data_kwargs(func, supplied: dict) -> dict:
    params = inspect.signature(func).parameters
    return {k: v for k, v in supplied.items() if k in params and v is not None}


def run(check_id: str, **data) -> CheckResult:
    """One check by id; ``data`` may hold ``figures``, ``references``, ``context``, ``text``."""
    checks = registry()
    if check_id not in checks:
        raise KeyError(f"no check {check_id!r}; known: {', '.join(checks)}")
    unknown = set(data) - set(DATA_ARGS)
    if unknown:
        raise TypeError(f"unknown data argument(s) {sorted(unknown)}; expected {DATA_ARGS}")
    func = checks[check_id].func
    return func(**_data_kwargs(func, data))


def run_all(figures: pd.DataFrame | None = None, references: pd.DataFrame | None = None,
            context: pd.DataFrame | None = None, text: str | None = None,
            claims: pd.DataFrame | None = None) -> list[CheckResult]:
    """Every check, in registration order, on the given tables (default: the project's)."""
    from . import data, source

    supplied = {
        "figures": data.load_figures() if figures is None else figures,
        "references": data.load_references() if references is None else references,
        "context": data.load_context() if context is None else context,
        "text": source.article_text() if text is None else text,
        "claims": data.load_claims() if claims is None else claims,
    }
    return [c.func(**_data_kwargs(c.func, supplied)) for c in registry().values()]


def results_frame(results: list[CheckResult]) -> pd.DataFrame:
    """One row per result: id, topic, title, status, could_fail, power, explanation."""
    cols = ["id", "topic", "title", "status", "could_fail", "power", "explanation"]
    return pd.DataFrame([{c: getattr(r, c) for c in cols} for r in results], columns=cols)


def to_json(results: list[CheckResult], indent: int | None = 2) -> str:
    """Every field of every result, as a JSON list (non-ASCII kept readable)."""
    return json.dumps([r.to_dict() for r in results], ensure_ascii=False, indent=indent,
                      allow_nan=False)


def counts(results: list[CheckResult]) -> dict[str, int]:
    """How many results have each status, every status listed."""
    return {s: sum(r.status == s for r in results) for s in STATUSES}


def power_counts(results: list[CheckResult]) -> dict[str, dict[str, int]]:
    """:func:`counts` split by power: ``{"informative": {"pass": n, "flag": n, "fail": n},
    "bookkeeping": {...}}``. Only informative passes are evidence that the figures hold."""
    return {kind: counts([r for r in results if r.could_fail is could_fail])
            for kind, could_fail in POWER_KINDS.items()}


def exit_code(results: list[CheckResult]) -> int:
    """0 unless some check failed."""
    return 1 if any(r.status == "fail" for r in results) else 0


# --- for the reader: labels and summaries in the reader's language ---------------------------
# Results keep identifiers (id, topic, status) that code compares; these name them for the
# reader. English output is what the audit chapter and the CLI have always printed.

def power_kind(result: CheckResult) -> str:
    """``informative`` or ``bookkeeping``: the key of :data:`POWER_KINDS` for ``result``."""
    return next(k for k, could_fail in POWER_KINDS.items() if could_fail is result.could_fail)


def display_frame(results: list[CheckResult]) -> pd.DataFrame:
    """The audit table as the reader sees it: the check's id, its power (informative or
    bookkeeping), its status and what it found, with headers and labels in the reader's
    language (ids stay as they are)."""
    return pd.DataFrame(
        [[r.id, power_kind_label(power_kind(r)), status_label(r.status), r.explanation]
         for r in results],
        columns=[pgettext("audit table", "check"), pgettext("audit table", "power"),
                 pgettext("audit table", "status"), pgettext("audit table", "what it found")])


def status_counts_text(status_counts: dict[str, int]) -> str:
    """``{"pass": 27, "flag": 12, "fail": 0}`` → ``"27 pass, 12 flag, 0 fail"``."""
    from .numbers import local

    return ", ".join(_("{n} {status}").format(n=local(n), status=status_label(status))
                     for status, n in status_counts.items())


def power_legend() -> str:
    """What the two kinds of power mean, in one sentence (the CLI's audit prints it)."""
    return _("{informative}: plausible wrong data could have made the check fail or flag; "
             "{bookkeeping}: they could not. --json and --csv give each check's reason.").format(
        informative=power_kind_label("informative"), bookkeeping=power_kind_label("bookkeeping"))


def summary_line(results: list[CheckResult]) -> str:
    """The closing line of the audit: how many checks, and their statuses by power, e.g.
    ``"31 checks: informative 14 (11 pass, 3 flag, 0 fail); bookkeeping 17 (...)"``."""
    from .numbers import local

    kinds = "; ".join(
        _("{kind} {n} ({statuses})").format(kind=power_kind_label(kind), n=local(sum(n.values())),
                                            statuses=status_counts_text(n))
        for kind, n in power_counts(results).items())
    return ngettext("{n} check: {kinds}", "{n} checks: {kinds}", len(results)).format(
        n=local(len(results)), kinds=kinds)
