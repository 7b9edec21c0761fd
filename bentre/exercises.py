"""Checking a reader's answer to a computing exercise against bentre's own result.

An ``exercise-check`` cell of a chapter calls :func:`check` with the name of the variable the
exercise asks for and the result that the book's own code computes (a check's ``values``, a
loader's column), never a typed number. It lives with the analysis because every chapter,
and every student's copy of it, runs it; the student edition itself is made by
:mod:`bentre.book.student`.
"""

from __future__ import annotations

import inspect
import math
import numbers as _numbers
from decimal import Decimal


def _is_number(value) -> bool:
    """A real number, ``Decimal`` included (``bentre.numbers`` parses to ``Decimal``, which
    is not a ``numbers.Real``); a ``bool`` is not a number here."""
    return isinstance(value, (_numbers.Real, Decimal)) and not isinstance(value, bool)


def check(name: str, expected, *, tolerance: float = 0.0) -> None:
    """For an ``exercise-check`` cell: compare the notebook's variable ``name`` with
    ``expected``, bentre's own result. Numbers match within ``tolerance`` (absolute, plus
    a relative 1e-9 for rounding); anything else must be equal. Prints a confirmation
    without the value; raises ``AssertionError`` with a hint otherwise."""
    namespace = inspect.currentframe().f_back.f_globals
    if namespace.get(name, ...) is ...:
        raise AssertionError(f"No answer yet: assign your answer to `{name}` in the cell "
                             "above, run that cell, then run this one again.")
    answer = namespace[name]
    if _is_number(expected):
        right = _is_number(answer) and math.isclose(float(answer), float(expected),
                                                    rel_tol=1e-9, abs_tol=tolerance)
    else:
        right = answer == expected
    if not right:
        within = f" (within {tolerance:g})" if tolerance else ""
        raise AssertionError(f"Not yet: `{name}` = {answer!r} is not the expected "
                             f"answer{within}. Read the exercise again and check your units.")
    print(f"Correct: `{name}` agrees with bentre's own result.")
