"""Every computing exercise of every chapter names its likely wrong answers (issue 12).

Each chapter is run (its code cells, in order, in one namespace) up to each
``exercise-check`` cell. The check cell is run once to learn its answers (``Answer``: name,
expected value, tolerance, declared mistakes), then again with wrong answers generated here
from the right one: each declared mistake, a Vietnamese decimal comma, a fraction for a
percentage, a value a thousand times off, a pandas column. Each must get its own message,
and the right answer must pass; no message may be a traceback.
"""

from __future__ import annotations

import contextlib
import io
import os
from pathlib import Path

import matplotlib
import nbformat
import pandas as pd
import pytest

from bentre import exercises

matplotlib.use("Agg")
REPO = Path(__file__).resolve().parent.parent
CHAPTERS = sorted((REPO / "chapters").glob("0[2-6]_*.ipynb"))


def _tags(cell) -> list[str]:
    return cell.get("metadata", {}).get("tags", [])


def _run(source: str, namespace: dict) -> str:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(source, "<cell>", "exec"), namespace)
    return out.getvalue()


def exercise_checks(path: Path) -> list[tuple[str, list[exercises.Answer], dict]]:
    """(check cell id, its answers, the chapter's namespace just after the solution)."""
    nb = nbformat.read(path, as_version=4)
    namespace: dict = {"__name__": "__main__"}
    found = []
    cwd = os.getcwd()
    os.chdir(path.parent)  # as the kernel runs it
    try:
        for cell in nb.cells:
            if cell.cell_type != "code":
                continue
            if "exercise-check" in _tags(cell):
                seen: list[exercises.Answer] = []
                real_verify = exercises.verify
                exercises.verify = lambda *answers, namespace=None: seen.extend(answers)
                try:
                    _run(cell.source, namespace)
                finally:
                    exercises.verify = real_verify
                found.append((cell.get("id"), seen, dict(namespace), cell.source))
            else:
                _run(cell.source, namespace)
    finally:
        os.chdir(cwd)
    return found


def feedback(check_source: str, namespace: dict, name: str, value) -> str:
    """What a student reads after running the check cell with ``name = value``."""
    space = dict(namespace, **{name: value})
    try:
        return _run(check_source, space)
    except exercises.NotYet as wrong:
        assert wrong._render_traceback_() == str(wrong).splitlines()  # no traceback
        return str(wrong)


def wrong_answers(answer: exercises.Answer) -> list[tuple[object, str]]:
    """(wrong value, words its message must hold), made from the right answer."""
    right = float(answer.expected)
    cases = [(m.value, m.message) for m in answer.mistakes]
    whole, _, decimals = f"{right:.2f}".partition(".")
    if right > 0 and decimals.strip("0"):  # a decimal comma: 22648,56 -> (22648, 56)
        cases.append(((int(whole), int(decimals)), "decimal point"))
    if answer.percent and abs(right) > 0.05:
        cases.append((right / 100, "fraction"))
    if right:
        cases.append((right * 1000, "a thousand times bigger"))
    cases.append((pd.Series([right]), "Series"))
    return cases


@pytest.mark.slow
@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda p: p.stem)
def test_every_exercise_names_its_likely_mistakes(chapter):
    checks = exercise_checks(chapter)
    assert checks, f"{chapter.name} has no exercise-check cell"
    for cell_id, answers, namespace, source in checks:
        assert answers, f"{cell_id}: the check cell checks nothing"
        for answer in answers:
            assert answer.tolerance > 0 or not isinstance(answer.expected, float) \
                or float(answer.expected).is_integer(), f"{cell_id}: {answer.name} has no tolerance"
            # the right answer passes, and says so
            assert "Correct: `" + answer.name in feedback(source, namespace, answer.name,
                                                          answer.expected)
            for value, words in wrong_answers(answer):
                message = feedback(source, namespace, answer.name, value)
                line = next((l for l in message.splitlines()
                             if l.startswith(f"- `{answer.name}` =")), "")
                assert words in line, (cell_id, answer.name, value, words, message)
                assert "Traceback" not in message
    # an exercise with several answers reports each of them
    several = [(cid, a, ns, src) for cid, a, ns, src in checks if len(a) > 1]
    for cell_id, answers, namespace, source in several:
        space = {**namespace, **{a.name: ... for a in answers}}
        message = feedback(source, {k: v for k, v in space.items() if v is not ...},
                           answers[0].name, 0.0)
        for answer in answers[1:]:
            assert f"`{answer.name}`" in message, (cell_id, message)
