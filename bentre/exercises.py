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

REL_TOL = 1e-9  # on top of an exercise's tolerance: floating-point rounding only
# Powers of ten that a slip of unit produces: thousand (million/billion, nghìn), million,
# billion (tỷ), trillion (nghìn tỷ), each way.
SCALES = {3: "a thousand", 6: "a million", 9: "a billion", 12: "a trillion"}


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


def _within(answer: Answer) -> str:
    if not answer.tolerance:
        return "exactly"
    unit = "percentage points" if answer.percent else answer.unit
    return f"within ±{answer.tolerance:g}" + (f" {unit}" if unit else "")


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
            return mistake.message
    if e and answer.percent and _close(a * 100, e, tol):
        return ("it looks like a fraction: the exercise asks for a percentage, so multiply "
                f"by 100 ({a:g} → {a * 100:g})")
    if e and not answer.percent and _close(a / 100, e, tol):
        return "it looks like a percentage where a plain number (a fraction) was asked"
    if e and a:
        for power, word in SCALES.items():
            for sign in (1, -1):
                if _close(a, e * 10.0 ** (sign * power), abs(e) * 10.0 ** (sign * power) * 1e-6 + tol):
                    bigger = "bigger" if sign > 0 else "smaller"
                    return (f"it is {word} times {bigger} than the answer: check the unit "
                            "(dong against billion dong is a billion, million against billion "
                            "a thousand)")
    if e and abs(a - e) <= max(10 * tol, 0.01 * abs(e)):
        return (f"it is close but not {_within(answer)}: keep every decimal until the end "
                "(do not round the inputs), and check which figure you started from")
    return ("it is not the expected answer; read the exercise again: which figure, which "
            "level, which unit?")


def _diagnose(value, answer: Answer) -> str | None:
    """None if ``value`` is right, else a sentence on what is wrong."""
    expected = answer.expected
    if isinstance(expected, tuple):  # a range: (low, high)
        if not (isinstance(value, (tuple, list)) and len(value) == len(expected)
                and all(_is_number(v) for v in value)):
            return f"it should be a pair (low, high) of numbers, not {type(value).__name__}"
        pairs = list(zip(map(float, value), map(float, expected)))
        if all(_close(a, e, answer.tolerance) for a, e in pairs):
            return None
        if all(_close(a, e, answer.tolerance) for a, e in zip(map(float, value),
                                                               map(float, expected[::-1]))):
            return "the ends are swapped: write the range as (low, high)"
        return "it is not the expected range (low, high); read the exercise again"
    if _is_number(expected):
        if isinstance(value, tuple) and len(value) == 2 and all(isinstance(v, int) for v in value):
            joined = float(f"{value[0]}.{value[1]}")
            right = _close(joined, float(expected), answer.tolerance)
            return (f"it is the pair {value!r}: Python reads a comma as a separator, so a "
                    f"Vietnamese decimal comma makes two numbers. Write a decimal point "
                    f"({value[0]}.{value[1]})" + (", which is right." if right else "."))
        single = _single_value(value)
        if single is not None and not _is_number(value):
            kind = type(value).__name__
            ok = _is_number(single) and _close(float(single), float(expected), answer.tolerance)
            return (f"it is a {kind}, not a number: take the value out with `.iloc[0]` or "
                    f"`float(...)`" + (" (the value in it is right)." if ok else "."))
        if isinstance(value, str):
            return ("it is text, not a number: parse it (for a Vietnamese string, "
                    "`num.parse_vi`) or compute it")
        if not _is_number(value):
            return f"it should be a number, not {type(value).__name__}"
        if _close(float(value), float(expected), answer.tolerance):
            return None
        return _diagnose_number(float(value), answer)
    return None if value == expected else "it is not the expected answer"


def _shown(value) -> str:
    """The student's own value, short (a DataFrame is not printed whole)."""
    text = repr(value)
    return text if len(text) <= 40 and "\n" not in text else f"a {type(value).__name__}"


def verify(*answers: Answer, namespace: dict | None = None) -> None:
    """Check every answer of one exercise and report each: a line per right answer, and
    one :class:`NotYet` naming every wrong or missing one."""
    if namespace is None:
        namespace = inspect.currentframe().f_back.f_globals
    problems = []
    for answer in answers:
        if namespace.get(answer.name, ...) is ...:
            problems.append(f"No answer yet: assign your answer to `{answer.name}` in the "
                            "cell above, run that cell, then run this one again.")
            continue
        why = _diagnose(namespace[answer.name], answer)
        if why is None:
            print(f"Correct: `{answer.name}` agrees with bentre's own result "
                  f"({_within(answer)}).")
        else:
            problems.append(f"`{answer.name}` = {_shown(namespace[answer.name])}: "
                            f"{why.rstrip('.')} (the check accepts answers "
                            f"{_within(answer)}).")
    if problems:
        raise NotYet("Not yet.\n" + "\n".join(f"- {p}" for p in problems))


def check(name: str, expected, *, tolerance: float = 0.0, percent: bool = False,
          unit: str = "", mistakes: tuple[Mistake, ...] = ()) -> None:
    """:func:`verify` for one answer: ``check("base", 22648.56, tolerance=0.01)``."""
    verify(Answer(name, expected, tolerance, percent, unit, tuple(mistakes)),
           namespace=inspect.currentframe().f_back.f_globals)
