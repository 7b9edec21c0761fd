"""What a check is: its result, its registry, and the small helpers every check shares.

The public entry point is :mod:`bentre.checks`; this module is its plumbing.
"""

from __future__ import annotations

import functools
import math
from dataclasses import asdict, dataclass
from decimal import Decimal
from typing import Callable, NamedTuple

import pandas as pd

from . import numbers
from .i18n import N_, _, pgettext

STATUSES = ("pass", "flag", "fail")
COUNT_UNITS = ("count", "persons")


@dataclass(frozen=True)
class CheckResult:
    """The outcome of one check. ``inputs`` maps each figure or context id used to its value;
    ``values`` holds what was computed. Both hold plain Python values only. ``could_fail`` and
    ``power`` are the check's declared power (see :func:`check`), carried so that a reader of
    the JSON or CSV can tell an informative pass from a bookkeeping one. ``title``, ``power``
    and ``explanation`` are in the reader's language; ``id``, ``topic`` and ``status`` are
    identifiers, the same in every edition (:func:`topic_label` and :func:`status_label` name
    them for the reader)."""

    id: str
    title: str
    topic: str
    inputs: dict
    values: dict
    status: str
    explanation: str
    could_fail: bool
    power: str

    def to_dict(self) -> dict:
        return asdict(self)


class Outcome(NamedTuple):
    """What a check function returns; the registry adds id, title and topic."""

    status: str
    explanation: str
    inputs: dict
    values: dict


@dataclass(frozen=True)
class Check:
    """A registered check. ``title_msgid`` and ``power_msgid`` are the English source texts
    (marked for translation); :attr:`title` and :attr:`power` give them in the reader's
    language, as its results carry them."""

    id: str
    title_msgid: str
    topic: str
    func: Callable[..., CheckResult]
    could_fail: bool
    power_msgid: str
    power_values: Callable[[], dict] | None = None

    @property
    def title(self) -> str:
        return _(self.title_msgid)

    @property
    def power(self) -> str:
        return shown_power(self.power_msgid, self.power_values)


def shown_power(power: str, power_values: Callable[[], dict] | None = None) -> str:
    """A declared power statement in the reader's language, its numbers (``power_values``,
    computed when shown) in the reader's convention."""
    text = _(power)
    if power_values is not None:
        text = text.format(**power_values())
    return " ".join(text.split())


# Topics and statuses are identifiers; these are their names for the reader.
def topic_label(topic: str) -> str:
    """A check's topic as the reader sees it (an unknown topic is shown as it is)."""
    labels = {
        "provenance": pgettext("check topic", "provenance"),
        "parsing": pgettext("check topic", "parsing"),
        "units": pgettext("check topic", "units"),
        "format": pgettext("check topic", "format"),
        "growth": pgettext("check topic", "growth"),
        "parts": pgettext("check topic", "parts"),
        "scale": pgettext("check topic", "scale"),
        "real": pgettext("check topic", "real"),
        "context": pgettext("check topic", "context"),
        "claims": pgettext("check topic", "claims"),
        "outcome": pgettext("check topic", "outcome"),
    }
    return labels.get(topic, topic)


def status_label(status: str) -> str:
    """``pass``, ``flag`` or ``fail`` as the reader sees it."""
    return {"pass": pgettext("check status", "pass"),
            "flag": pgettext("check status", "flag"),
            "fail": pgettext("check status", "fail")}[status]


def power_kind_label(kind: str) -> str:
    """``informative`` or ``bookkeeping`` (see :data:`bentre.checks.POWER_KINDS`) as the
    reader sees it."""
    return {"informative": pgettext("check power", "informative"),
            "bookkeeping": pgettext("check power", "bookkeeping")}[kind]


class MissingInput(KeyError):
    """A check needs a row that the table given to it does not have."""

    def __init__(self, table: str, row_id: str):
        self.table, self.row_id = table, row_id
        super().__init__(f"{table} has no row {row_id!r}")


_REGISTRY: dict[str, Check] = {}


def registry() -> dict[str, Check]:
    """Registered checks by id, in registration order."""
    return dict(_REGISTRY)


def plain(value):
    """Numpy, pandas and Decimal scalars → plain Python (JSON- and glue-safe); NaN and
    infinities → None."""
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if value is None or value is pd.NA:
        return None
    if type(value).__module__ == "numpy" and hasattr(value, "item"):
        value = value.item()
    if isinstance(value, Decimal):
        value = float(value)
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, (bool, int, str)):
        return value
    raise TypeError(f"{value!r} ({type(value).__name__}) is not a plain value")


def _declared_power(check_id: str, could_fail, power) -> str:
    """The power arguments of :func:`check`, refused unless stated: a pass only means something
    if wrong data could have stopped it, so every check must say whether that is so, and why."""
    if not isinstance(could_fail, bool):
        raise TypeError(f"check {check_id!r}: could_fail must be True or False, "
                        f"not {could_fail!r}")
    if not isinstance(power, str):
        raise TypeError(f"check {check_id!r}: power must be a string, not {power!r}")
    power = " ".join(power.split())
    if not power:
        raise ValueError(f"check {check_id!r}: power must give a reason, not an empty string")
    return power


def check(check_id: str, topic: str, title: str, *, could_fail: bool, power: str,
          power_values: Callable[[], dict] | None = None):
    """Register a function returning an :class:`Outcome` as the check ``check_id``. A missing
    row or an unreadable number becomes a ``fail`` result, not an exception.

    ``could_fail`` says whether plausible wrong data (a mistyped digit, a misread number, a row
    of the wrong period) could have made the check fail or flag; ``power`` is the one-line
    reason. A check that passes whatever the data (a positive base whenever growth exceeds
    −100 %) is bookkeeping: it computes something, but its pass is no evidence.

    ``title`` and ``power`` are English marked with ``N_()``, translated when a result is
    made; ``power_values``, if given, returns the named numbers of ``power``'s ``{placeholders}``
    formatted for the reader (called when shown, so that they follow the edition)."""
    power = _declared_power(check_id, could_fail, power)

    def register(func):
        known = _REGISTRY.get(check_id)
        if known and (known.func.__module__, known.func.__qualname__) != (
                func.__module__, func.__qualname__):  # a reloaded module may re-register
            raise ValueError(f"check {check_id!r} is registered twice")

        @functools.wraps(func)
        def run_check(*args, **kwargs) -> CheckResult:
            try:
                out = func(*args, **kwargs)
            except MissingInput as exc:
                reason = _("{table} has no row {row_id}").format(
                    table=table_label(exc.table), row_id=repr(exc.row_id))
                out = Outcome("fail", _("The check cannot run: {reason}.").format(reason=reason),
                              {}, {"missing": exc.row_id})
            except numbers.VietnameseNumberError as exc:
                out = Outcome("fail", _("The check cannot run: {reason}.").format(reason=exc), {},
                              {"unreadable": exc.text})
            # An explanation may open on an indicator's name, which a translation can put
            # first: the sentence starts with a capital in every language.
            if out.status not in STATUSES:
                raise ValueError(f"check {check_id!r} returned status {out.status!r}")
            return CheckResult(check_id, _(title), topic, plain(out.inputs), plain(out.values),
                               out.status, sentence_case(out.explanation), could_fail,
                               shown_power(power, power_values))

        run_check.check_id = check_id
        _REGISTRY[check_id] = Check(check_id, title, topic, run_check, could_fail, power,
                                    power_values)
        return run_check

    return register


# --- data ---------------------------------------------------------------------------------

def figures_or_default(figures: pd.DataFrame | None) -> pd.DataFrame:
    from . import data
    return data.load_figures() if figures is None else figures


def references_or_default(references: pd.DataFrame | None) -> pd.DataFrame:
    from . import data
    return data.load_references() if references is None else references


def context_or_default(context: pd.DataFrame | None) -> pd.DataFrame:
    from . import data
    return data.load_context() if context is None else context


def text_or_default(text: str | None) -> str:
    from . import source
    return source.article_text() if text is None else text


def row(frame: pd.DataFrame, row_id: str, table: str = "figures") -> dict:
    """One row as a dict of plain values; a missing or repeated id raises MissingInput.
    Whole counts (units ``count`` and ``persons``) come back as ``int``."""
    rows = frame[frame["id"] == row_id]
    if len(rows) != 1:
        raise MissingInput(table, row_id)
    out = {k: plain(v) for k, v in rows.iloc[0].to_dict().items()}
    if out.get("unit") in COUNT_UNITS:
        for key in ("value", "value_low", "value_high"):
            if isinstance(out.get(key), float) and out[key].is_integer():
                out[key] = int(out[key])
    return out


def table_label(table: str) -> str:
    """A data table's name for the reader (``figures``, ``references``, ``context``, ...)."""
    return {"figures": pgettext("data table", "figures"),
            "references": pgettext("data table", "references"),
            "context": pgettext("data table", "context"),
            "outcomes": pgettext("data table", "outcomes"),
            "claims": pgettext("data table", "claims")}.get(table, table)


def local_text(r: dict, field: str) -> str:
    """A text field of a data row in the reader's language (:func:`bentre.data.local_text`).
    ``field="indicator"`` names the indicator whichever table the row comes from: the figures
    and outcomes tables hold it as ``indicator_en`` (ours) and ``indicator_vi`` (the source's
    own words), the context table as ``indicator`` and ``indicator_vi``."""
    from . import data

    if field == "indicator" and "indicator_en" in r:
        field = "indicator_en"
    return data.local_text(r, field)


def lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def text_field(value) -> str:
    """A string cell that may be empty, NA or None → ``""``."""
    missing = value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))
    return "" if missing else str(value)


def printed_value(figure: dict) -> Decimal:
    """The figure's raw string read the Vietnamese way, keeping its printed precision."""
    return numbers.parse_vi_raw(figure["raw"])


# --- formatting for explanations ----------------------------------------------------------
# Numbers in the reader's convention (bentre.numbers.local: 4,243.46 in English, 4.243,46 in
# Vietnamese), units in the reader's words.

def unit_label(unit: str) -> str:
    """A unit of the tables as the reader writes it: ``billion VND`` → *tỷ đồng*."""
    return {"VND": pgettext("unit", "VND"),
            "million VND": pgettext("unit", "million VND"),
            "billion VND": pgettext("unit", "billion VND"),
            "trillion VND": pgettext("unit", "trillion VND"),
            "USD": pgettext("unit", "USD"),
            "million USD": pgettext("unit", "million USD"),
            "percent": pgettext("unit", "percent"),
            "count": pgettext("unit", "count"),
            "persons": pgettext("unit", "persons"),
            "VND per USD": pgettext("unit", "VND per USD")}.get(unit, unit)


def amount(number: str, unit: str) -> str:
    """A formatted number and its unit: ``"4,243.46 billion VND"``."""
    return _("{number} {unit}").format(number=number, unit=unit_label(unit))


def money(value: float, unit: str = "billion VND") -> str:
    """A computed amount, two decimals; billions below 100 get three, as the article prints
    them (1.292, 121.729 → 71.187)."""
    decimals = 3 if unit == "billion VND" and abs(value) < 100 else 2
    return amount(numbers.local(value, decimals), unit)


def as_printed(figure: dict) -> str:
    """A figure with the decimals the article printed, in the reader's convention:
    4,243.46 billion VND (4.243,46 tỷ đồng)."""
    from .estimates import printed_decimals

    decimals = printed_decimals(printed_value(figure))
    if figure["unit"] == "percent":
        return numbers.local_percent(figure["value"], decimals)
    if figure["unit"] == "count":
        return numbers.local(figure["value"], decimals)
    return amount(numbers.local(figure["value"], decimals), figure["unit"])


def exact(value: Decimal, unit: str = "billion VND") -> str:
    """A parsed number with exactly its own decimals: 121.729 → "121.729 billion VND"."""
    from .estimates import printed_decimals

    return amount(numbers.local(value, printed_decimals(value)), unit)


def span(low: float, high: float, decimals: int = 0) -> str:
    """A range in the reader's convention, ``"124,449–124,560"``; one number when both ends
    print alike."""
    a, b = numbers.local(low, decimals), numbers.local(high, decimals)
    return a if a == b else f"{a}–{b}"


def pct(value: float, decimals: int = 2) -> str:
    return numbers.local_percent(value, decimals)


def sentence_case(text: str) -> str:
    return text[:1].upper() + text[1:]


# --- combinations of figures with context figures ------------------------------------------

@dataclass(frozen=True)
class Combination:
    """A figure of the article combined with a context figure by some check. ``allowed`` is
    the reason a difference of period is acceptable, or ``None`` if periods must match."""

    figure_id: str
    context_id: str  # ``allowed``: English, marked N_(), translated where shown
    used_by: str
    allowed: str | None = None


COMBINATIONS: tuple[Combination, ...] = (
    Combination("revenue_goods_services", "bentre_city_population_2019", "revenue_per_person",
                N_("a population stock, and the 2019 census is the nearest count")),
    Combination("revenue_goods_services", "vnd_per_usd_2020", "revenue_per_person",
                N_("a currency conversion at the 2020 annual average rate")),
    Combination("revenue_goods_services", "vn_retail_sales_9m2020", "revenue_vs_national_retail"),
    Combination("revenue_goods_services_growth", "vn_cpi_avg_9m2020", "real_revenue_growth"),
    Combination("revenue_goods_services_growth", "vn_retail_sales_growth_nominal_9m2020",
                "real_revenue_growth"),
    Combination("revenue_goods_services_growth", "vn_retail_sales_growth_real_9m2020",
                "real_revenue_growth"),
)
