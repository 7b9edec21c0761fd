"""Promises of ``bentre.exercises``: a right answer is confirmed without its value; a wrong one
gets one message that names the mistake, with no traceback; a cell checking several answers
reports each. The wrong answers below are made here by hand from the right one."""

from __future__ import annotations

import pandas as pd
import pytest

from bentre import exercises as ex

RIGHT = 22648.56          # a level in billion VND (the implied 2019 turnover)
RATE = 2.0896             # a rate in percent (real growth)


def feedback(value, expected=RIGHT, **kw) -> str:
    """The message a student reads for ``value`` (empty if right)."""
    try:
        ex.verify(ex.Answer("x", expected, **kw), namespace={"x": value})
    except ex.NotYet as wrong:
        return str(wrong)
    return ""


def test_a_right_answer_is_confirmed_without_its_value(capsys):
    assert feedback(22648.561, tolerance=0.01) == ""
    out = capsys.readouterr().out
    assert "Correct: `x`" in out and "22648" not in out and "±0.01" in out


def test_a_missing_answer_asks_for_one():
    message = ""
    try:
        ex.verify(ex.Answer("x", 1.0), namespace={})
    except ex.NotYet as wrong:
        message = str(wrong)
    assert "No answer yet" in message and "`x`" in message


@pytest.mark.parametrize("value, expected, kw, words", [
    # a Vietnamese decimal comma typed into Python: the pair (22648, 56)
    ((22648, 56), RIGHT, {"tolerance": 0.01}, ["pair (22648, 56)", "decimal point",
                                                "22648.56", "which is right"]),
    # a fraction where a percentage was asked, and the reverse
    (RATE / 100, RATE, {"tolerance": 0.005, "percent": True}, ["fraction", "multiply by 100"]),
    (RATE, RATE / 100, {"tolerance": 0.00005}, ["percentage where a plain number"]),
    # dong where billion dong was asked, and million where billion
    (RIGHT * 1e9, RIGHT, {"tolerance": 0.01}, ["a billion times bigger", "unit"]),
    (RIGHT * 1e3, RIGHT, {"tolerance": 0.01}, ["a thousand times bigger"]),
    (RIGHT / 1e3, RIGHT, {"tolerance": 0.01}, ["a thousand times smaller"]),
    # a pandas column where a number was asked
    (pd.Series([RIGHT]), RIGHT, {"tolerance": 0.01}, ["Series", ".iloc[0]", "is right"]),
    (pd.DataFrame({"v": [1.0]}), RIGHT, {"tolerance": 0.01}, ["DataFrame", ".iloc[0]"]),
    # text
    ("22.648,56", RIGHT, {"tolerance": 0.01}, ["text, not a number", "parse_vi"]),
    # rounded too early, for the precision the exercise asks
    (2.1, RATE, {"tolerance": 0.005, "percent": True}, ["close but not within ±0.005",
                                                        "do not round"]),
    # a range with its ends swapped
    ((71.395, 70.979), (70.979, 71.395), {"tolerance": 0.001}, ["ends are swapped"]),
])
def test_each_kind_of_mistake_is_named(value, expected, kw, words):
    message = feedback(value, expected, **kw)
    assert message.startswith("Not yet.")
    for word in words:
        assert word in message, (word, message)


def test_an_exercises_own_mistake_is_named():
    shortcut = 6.02 - 3.85  # nominal minus inflation, the approximation
    named = ex.Mistake(shortcut, "that is nominal growth minus inflation, the approximation")
    message = feedback(shortcut, RATE, tolerance=0.005, percent=True, mistakes=(named,))
    assert "nominal growth minus inflation, the approximation" in message
    # without the declared mistake, the same value gets the generic message
    assert "approximation" not in feedback(shortcut, RATE, tolerance=0.005, percent=True)


def test_the_tolerance_is_stated_in_the_feedback():
    assert "within ±0.005 percentage points" in feedback(3.0, RATE, tolerance=0.005,
                                                          percent=True)
    assert "within ±0.5 billion VND" in feedback(1.0, RIGHT, tolerance=0.5, unit="billion VND")


def test_several_answers_are_each_reported(capsys):
    with pytest.raises(ex.NotYet) as wrong:
        ex.verify(ex.Answer("a", 1.0, tolerance=0.01), ex.Answer("b", 2.0, tolerance=0.01),
                  ex.Answer("c", 3.0, tolerance=0.01), namespace={"a": 1.0, "b": 20.0})
    out = capsys.readouterr().out
    assert "Correct: `a`" in out
    lines = str(wrong.value).splitlines()
    assert lines[0] == "Not yet."
    assert any(line.startswith("- `b` = 20.0:") for line in lines)
    assert any("No answer yet" in line and "`c`" in line for line in lines)


def test_a_wrong_answer_shows_no_traceback_in_a_notebook():
    """IPython renders an exception with ``_render_traceback_`` as those lines alone."""
    error = ex.NotYet("Not yet.\n- `x` = 1: it is not the expected answer")
    assert error._render_traceback_() == ["Not yet.", "- `x` = 1: it is not the expected answer"]
    assert isinstance(error, AssertionError)  # a graded test cell still fails on it


def test_check_reads_the_callers_variables(capsys):
    namespace = {"answer": 5.0}
    exec("from bentre import exercises\nexercises.check('answer', 5.0)", namespace)
    assert "Correct: `answer`" in capsys.readouterr().out


# --- the Vietnamese edition: the feedback in the student's language ----------------------

@pytest.fixture
def vi(monkeypatch):
    """This test writes the Vietnamese edition (as a kernel started with BENTRE_LANG=vi)."""
    from bentre import i18n

    monkeypatch.setattr(i18n, "_chosen", None)
    monkeypatch.setenv("BENTRE_LANG", "vi")


def test_a_named_mistake_is_explained_in_vietnamese(vi):
    from babel.numbers import format_decimal

    message = feedback(RIGHT * 10**9, tolerance=0.01, unit="billion VND")
    assert message.splitlines()[0] == "Chưa đạt."
    assert "lớn gấp một tỷ lần đáp án: hãy kiểm tra lại đơn vị" in message
    # the tolerance in the Vietnamese convention (Babel's, a decimal comma), its unit in
    # Vietnamese
    assert f"±{format_decimal(0.01, locale='vi')} tỷ đồng" in message
    assert "±0,01 tỷ đồng" in message and "billion" not in message
    assert "phần trăm" in feedback(0.020896, RATE, tolerance=0.005, percent=True)
    # a Vietnamese decimal comma typed in Python: named, and the fix written the Python way
    message = feedback((22648, 56), tolerance=0.01)
    assert "dấu phẩy thập phân" in message and "22648.56 là đáp án đúng" in message


def test_a_missing_and_a_right_answer_in_vietnamese(vi, capsys):
    with pytest.raises(ex.NotYet) as wrong:
        ex.verify(ex.Answer("x", RIGHT, tolerance=0.01), namespace={})
    assert "Chưa có đáp án: hãy gán đáp án của bạn cho `x`" in str(wrong.value)
    assert feedback(22648.561, tolerance=0.01, unit="billion VND") == ""
    out = capsys.readouterr().out
    assert out.startswith("Đúng: `x` khớp với kết quả do bentre tự tính") and "±0,01 tỷ đồng" in out


def test_an_exercise_mistake_marked_for_translation_is_shown_translated(vi):
    """A Mistake's message marked N_() where it is defined is translated when shown."""
    message = feedback(1.0, 5.0, tolerance=0.1, mistakes=(ex.Mistake(
        1.0, "the sign is reversed: the error is scenario minus outcome, and B fell short"),))
    assert "ngược dấu: sai số bằng kịch bản trừ kết quả thực tế" in message
