"""Checking a reader's answer to a computing exercise against bentre's own result, with
feedback that names the mistake.

An ``exercise-check`` cell of a chapter calls :func:`check` (one answer) or :func:`verify`
(several :class:`Answer`) with the name of the variable the exercise asks for and the result
that the book's own code computes (a check's ``values``, a loader's column), never a typed
number. A right answer prints a confirmation without its value. A wrong one raises
:class:`NotYet`, whose message says what is wrong in words a student can act on: a
Vietnamese decimal comma (``22648,56`` is a pair in Python), a fraction where a percentage
was asked, a value a thousand or a billion times off (dong against billion dong), swapped
ends of a range, a pandas column where a number was asked, or one of the exercise's own
likely mistakes (:class:`Mistake`: the rate taken off the wrong level, nominal growth minus
inflation instead of the exact formula). In a notebook the message shows without a
traceback; in a graded notebook it is the feedback the student reads.

It lives with the analysis because every chapter, and every student's copy of it, runs it;
the student edition itself is made by :mod:`bentre.book.student`.
"""

from __future__ import annotations

import inspect
import math
import numbers as _numbers
from dataclasses import dataclass, field
from decimal import Decimal

from .i18n import N_, _

REL_TOL = 1e-9  # on top of an exercise's tolerance: floating-point rounding only
# Powers of ten that a slip of unit produces: thousand (million/billion, nghìn), million,
# billion (tỷ), trillion (nghìn tỷ), each way.
SCALES = {3: N_("a thousand"), 6: N_("a million"), 9: N_("a billion"), 12: N_("a trillion")}
# The units that exercises name (``Answer.unit``), translated where the feedback shows them.
UNITS = (N_("dong"), N_("million VND"), N_("billion VND"), N_("trillion VND"),
         N_("VND per USD"))


class NotYet(AssertionError):
    """A wrong or missing answer. Shown in a notebook as its message alone (IPython asks an
    exception for ``_render_traceback_``): a student needs the words, not the stack."""

    def _render_traceback_(self) -> list[str]:
        return str(self).splitlines()


@dataclass(frozen=True)
class Mistake:
    """A likely wrong method of one exercise: what it gives, and how to name it."""

    value: float
    message: str


@dataclass(frozen=True)
class Answer:
    """What one variable of an exercise should hold. ``tolerance`` is absolute and is the
    precision the exercise asks for (its text says it); ``percent`` says the answer is in
    percent (6.02 for 6.02 %); ``unit`` is named in the feedback."""

    name: str
    expected: object
    tolerance: float = 0.0
    percent: bool = False
    unit: str = ""
    mistakes: tuple[Mistake, ...] = field(default_factory=tuple)


def _is_number(value) -> bool:
    """A real number, ``Decimal`` included (``bentre.numbers`` parses to ``Decimal``, which
    is not a ``numbers.Real``); a ``bool`` is not a number here."""
    return isinstance(value, (_numbers.Real, Decimal)) and not isinstance(value, bool)


def _close(a: float, b: float, tolerance: float) -> bool:
    return math.isclose(a, b, rel_tol=REL_TOL, abs_tol=tolerance)


def _tolerance(answer: Answer) -> str:
    """``±0.01 billion VND``: the tolerance in the reader's convention, with its unit."""
    from .numbers import local

    text = f"{answer.tolerance:g}"
    decimals = len(text.split(".")[1]) if "." in text and "e" not in text else 0
    shown = "±" + (local(answer.tolerance, decimals) if "e" not in text else text)
    unit = _("percentage points") if answer.percent else _(answer.unit) if answer.unit else ""
    return shown + (f" {unit}" if unit else "")


def _single_value(value):
    """The one number inside a pandas Series or DataFrame or a numpy array, else None."""
    size = getattr(value, "size", None)
    if size == 1 and hasattr(value, "to_numpy"):
        return value.to_numpy().reshape(-1)[0].item()
    if size == 1 and hasattr(value, "item"):
        return value.item()
    return None


def _diagnose_number(a: float, answer: Answer) -> str:
    """Why a number ``a`` is not ``answer.expected``: the first mistake that explains it."""
    e, tol = float(answer.expected), answer.tolerance
    for mistake in answer.mistakes:
        if _close(a, float(mistake.value), max(tol, abs(float(mistake.value)) * 1e-6)):
            return _(mistake.message)
    if e and answer.percent and _close(a * 100, e, tol):
        # The student's values are shown as Python writes them (a decimal point).
        return _("it looks like a fraction: the exercise asks for a percentage, so multiply "
                 "by 100 ({fraction} → {percent})").format(fraction=f"{a:g}",
                                                           percent=f"{a * 100:g}")
    if e and not answer.percent and _close(a / 100, e, tol):
        return _("it looks like a percentage where a plain number (a fraction) was asked")
    if e and a:
        for power, word in SCALES.items():
            for sign in (1, -1):
                if _close(a, e * 10.0 ** (sign * power), abs(e) * 10.0 ** (sign * power) * 1e-6 + tol):
                    if sign > 0:
                        text = _("it is {scale} times bigger than the answer: check the unit "
                                 "(dong against billion dong is a billion, million against "
                                 "billion a thousand)")
                    else:
                        text = _("it is {scale} times smaller than the answer: check the unit "
                                 "(dong against billion dong is a billion, million against "
                                 "billion a thousand)")
                    return text.format(scale=_(word))
    if e and abs(a - e) <= max(10 * tol, 0.01 * abs(e)):
        if not answer.tolerance:
            return _("it is close but not exactly: keep every decimal until the end (do not "
                     "round the inputs), and check which figure you started from")
        return _("it is close but not within {tolerance}: keep every decimal until the end "
                 "(do not round the inputs), and check which figure you started from").format(
                     tolerance=_tolerance(answer))
    return _("it is not the expected answer; read the exercise again: which figure, which "
             "level, which unit?")


def _diagnose(value, answer: Answer) -> str | None:
    """None if ``value`` is right, else a sentence on what is wrong."""
    expected = answer.expected
    if isinstance(expected, tuple):  # a range: (low, high)
        if not (isinstance(value, (tuple, list)) and len(value) == len(expected)
                and all(_is_number(v) for v in value)):
            return _("it should be a pair (low, high) of numbers, not {kind}").format(
                kind=type(value).__name__)
        pairs = list(zip(map(float, value), map(float, expected)))
        if all(_close(a, e, answer.tolerance) for a, e in pairs):
            return None
        if all(_close(a, e, answer.tolerance) for a, e in zip(map(float, value),
                                                               map(float, expected[::-1]))):
            return _("the ends are swapped: write the range as (low, high)")
        return _("it is not the expected range (low, high); read the exercise again")
    if _is_number(expected):
        if isinstance(value, tuple) and len(value) == 2 and all(isinstance(v, int) for v in value):
            joined = float(f"{value[0]}.{value[1]}")
            right = _close(joined, float(expected), answer.tolerance)
            if right:
                text = _("it is the pair {pair}: Python reads a comma as a separator, so a "
                         "Vietnamese decimal comma makes two numbers. Write a decimal point "
                         "({number}), which is right.")
            else:
                text = _("it is the pair {pair}: Python reads a comma as a separator, so a "
                         "Vietnamese decimal comma makes two numbers. Write a decimal point "
                         "({number}).")
            return text.format(pair=repr(value), number=f"{value[0]}.{value[1]}")
        single = _single_value(value)
        if single is not None and not _is_number(value):
            kind = type(value).__name__
            ok = _is_number(single) and _close(float(single), float(expected), answer.tolerance)
            if ok:
                text = _("it is a {kind}, not a number: take the value out with `.iloc[0]` or "
                         "`float(...)` (the value in it is right).")
            else:
                text = _("it is a {kind}, not a number: take the value out with `.iloc[0]` or "
                         "`float(...)`.")
            return text.format(kind=kind)
        if isinstance(value, str):
            return _("it is text, not a number: parse it (for a Vietnamese string, "
                     "`num.parse_vi`) or compute it")
        if not _is_number(value):
            return _("it should be a number, not {kind}").format(kind=type(value).__name__)
        if _close(float(value), float(expected), answer.tolerance):
            return None
        return _diagnose_number(float(value), answer)
    return None if value == expected else _("it is not the expected answer")


def _shown(value) -> str:
    """The student's own value, short (a DataFrame is not printed whole)."""
    text = repr(value)
    return text if len(text) <= 40 and "\n" not in text else _("a {kind}").format(
        kind=type(value).__name__)


def no_answer(name: str) -> str:
    """The message for a name the student has not assigned yet."""
    return _("No answer yet: assign your answer to `{name}` in the cell above, run that cell, "
             "then run this one again.").format(name=name)


def not_assigned(name: str) -> str:
    """The message of a graded notebook's visible test when ``name`` is not assigned."""
    return _("No answer yet: assign your answer to `{name}` in the cell above, and run "
             "it.").format(name=name)


def verify(*answers: Answer, namespace: dict | None = None) -> None:
    """Check every answer of one exercise and report each: a line per right answer, and
    one :class:`NotYet` naming every wrong or missing one. The feedback is in the reader's
    language (:mod:`bentre.i18n`)."""
    if namespace is None:
        namespace = inspect.currentframe().f_back.f_globals
    problems = []
    for answer in answers:
        if namespace.get(answer.name, ...) is ...:
            problems.append(no_answer(answer.name))
            continue
        why = _diagnose(namespace[answer.name], answer)
        if why is None:
            if answer.tolerance:
                text = _("Correct: `{name}` agrees with bentre's own result (within "
                         "{tolerance}).")
            else:
                text = _("Correct: `{name}` agrees with bentre's own result (exactly).")
            print(text.format(name=answer.name, tolerance=_tolerance(answer)))
        else:
            if answer.tolerance:
                text = _("`{name}` = {value}: {why} (the check accepts answers within "
                         "{tolerance}).")
            else:
                text = _("`{name}` = {value}: {why} (the check accepts answers exactly).")
            problems.append(text.format(name=answer.name, value=_shown(namespace[answer.name]),
                                        why=why.rstrip("."), tolerance=_tolerance(answer)))
    if problems:
        raise NotYet(_("Not yet.") + "\n" + "\n".join(f"- {p}" for p in problems))


def check(name: str, expected, *, tolerance: float = 0.0, percent: bool = False,
          unit: str = "", mistakes: tuple[Mistake, ...] = ()) -> None:
    """:func:`verify` for one answer: ``check("base", 22648.56, tolerance=0.01)``."""
    verify(Answer(name, expected, tolerance, percent, unit, tuple(mistakes)),
           namespace=inspect.currentframe().f_back.f_globals)
