"""Numbers in, numbers out: Vietnamese strings parsed with Babel's ``vi`` locale; numbers
for the reader formatted in the reader's locale (:func:`bentre.i18n.babel_locale`: ``en``
in the English edition, ``vi`` in the Vietnamese one) by :func:`local`, :func:`local_percent`,
:func:`about` and :func:`about_percent`.

In Vietnamese a dot separates thousands and a comma precedes decimals (CLDR ``vi``), so
``24.012`` is twenty-four thousand and twelve and ``121,729`` is a little over 121.
Values are ``Decimal`` so that a parsed figure equals its stored value exactly.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from babel import Locale
from babel import numbers as babel_numbers

from .i18n import babel_locale

VI = "vi"
EN = "en"

# Scale words of Vietnamese amounts, longest first so that "nghìn tỷ" wins over "tỷ".
SCALE_WORDS: dict[str, int] = {
    "nghìn tỷ": 10**12,
    "ngàn tỷ": 10**12,
    "tỷ": 10**9,
    "triệu": 10**6,
    "nghìn": 10**3,
    "ngàn": 10**3,
}

# How many VND one unit of each stored money unit is.
UNIT_SCALE: dict[str, int] = {
    "VND": 1,
    "million VND": 10**6,
    "billion VND": 10**9,
    "trillion VND": 10**12,
}


class VietnameseNumberError(ValueError):
    """A string that is not a number in the Vietnamese convention."""

    def __init__(self, text: str, reason: str):
        self.text = text
        super().__init__(f"{text!r} is not a valid Vietnamese number: {reason}")


def _symbols(locale: str) -> dict:
    return Locale.parse(locale).number_symbols["latn"]


def _percent_sign(locale: str) -> str:
    return _symbols(locale)["percentSign"]


def parse_vi(text: str) -> Decimal:
    """``"4.243,46"`` → ``Decimal("4243.46")``; strict: misplaced separators raise."""
    if not isinstance(text, str) or text != text.strip() or not text:
        raise VietnameseNumberError(str(text), "empty or padded with spaces")
    # Babel hands the digits to Decimal(), which also takes "NaN", "1e3", "12," and
    # non-ASCII digits; a printed Vietnamese number is ASCII digits and separators only.
    sym = _symbols(VI)
    body = text[1:] if text[0] in (sym["minusSign"], sym["plusSign"]) else text
    allowed = set("0123456789") | {sym["group"], sym["decimal"]}
    if not (body and body[0] in "0123456789" and body[-1] in "0123456789"
            and set(body) <= allowed):
        raise VietnameseNumberError(
            text, "expected ASCII digits with '.' between thousands and ',' before decimals")
    try:
        return babel_numbers.parse_decimal(text, locale=VI, strict=True)
    except babel_numbers.NumberFormatError as exc:
        raise VietnameseNumberError(text, str(exc)) from None


def is_percent(text: str) -> bool:
    return text.endswith(_percent_sign(VI))


def parse_vi_percent(text: str) -> Decimal:
    """``"6,02%"`` → ``Decimal("6.02")`` (in percent, not a fraction)."""
    sign = _percent_sign(VI)
    if not text.endswith(sign):
        raise VietnameseNumberError(text, f"a percentage must end with {sign!r}")
    return parse_vi(text[: -len(sign)])


def parse_vi_raw(text: str) -> Decimal:
    """A raw figure as printed: a plain number, or a percentage."""
    return parse_vi_percent(text) if is_percent(text) else parse_vi(text)


def misread_en(text: str) -> Decimal:
    """How a reader applying the English convention would read a Vietnamese string
    (Babel, ``en``, lenient as a hurried reader is): ``"121,729"`` → 121729,
    ``"4.243,46"`` → 4.24346. For teaching and plausibility checks, never for data."""
    sign = _percent_sign(VI)
    return babel_numbers.parse_decimal(text.removesuffix(sign), locale=EN, strict=False)


def english_reading(text: str) -> Decimal | None:
    """``text`` read strictly with the English convention (Babel, ``en``), or None if it is
    not a valid English number: ``"121,729"`` → 121729, ``"4.243,46"`` and ``"6,02%"`` →
    None. Whether a Vietnamese string *can* be misread, unlike :func:`misread_en`, which
    shows how a hurried reader takes even an invalid one."""
    try:
        return babel_numbers.parse_decimal(text.removesuffix(_percent_sign(VI)), locale=EN,
                                           strict=True)
    except babel_numbers.NumberFormatError:
        return None


def parse_vi_amount(text: str) -> Decimal:
    """``"24.012 tỷ đồng"`` → ``Decimal(24012 * 10**9)`` VND; the scale word is required."""
    words = text.split(maxsplit=1)
    if len(words) != 2:
        raise VietnameseNumberError(text, "expected a number followed by a scale word")
    number, rest = words
    rest = rest.removesuffix("đồng").strip()
    if rest not in SCALE_WORDS:
        raise VietnameseNumberError(
            text, f"unknown scale word {rest!r}; expected one of {sorted(SCALE_WORDS)}"
        )
    return parse_vi(number) * SCALE_WORDS[rest]


def convert(value: Decimal, from_unit: str, to_unit: str) -> Decimal:
    """Convert between money units of ``UNIT_SCALE``; other units must match exactly."""
    if from_unit == to_unit:
        return value
    if from_unit in UNIT_SCALE and to_unit in UNIT_SCALE:
        return value * UNIT_SCALE[from_unit] / UNIT_SCALE[to_unit]
    raise ValueError(f"cannot convert {from_unit!r} to {to_unit!r}")


def format_vi(value, decimals: int | None = None) -> str:
    """Vietnamese format, for showing a reader how the article would print a value."""
    pattern = "#,##0" if decimals == 0 else "#,##0." + ("0" * decimals if decimals else "###")
    return babel_numbers.format_decimal(value, format=pattern, locale=VI)


def format_in(locale: str, value, decimals: int = 0) -> str:
    """``value`` with ``decimals`` fixed decimals in ``locale``'s convention, rounded half up
    as statistical offices do (Babel alone would round half to even)."""
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    rounded = Decimal(str(value)).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    if rounded.is_zero():
        rounded = rounded.copy_abs()  # -0.4 prints as "0", not "-0"
    return babel_numbers.format_decimal(rounded, format=pattern, locale=locale)


def percent_in(locale: str, value, decimals: int = 2, signed: bool = False) -> str:
    """A value already in percent, in ``locale``'s convention: ``6.02`` → ``"6.02%"`` (en),
    ``"6,02%"`` (vi); ``signed`` adds ``+`` to gains."""
    text = format_in(locale, value, decimals) + _percent_sign(locale)
    if signed and Decimal(str(value)) > 0:
        text = "+" + text
    return text


def format_en(value, decimals: int = 0) -> str:
    """English format whatever the edition (to show how an English reader would read a
    figure): ``24012`` → ``"24,012"``, ``(4243.46, 2)`` → ``"4,243.46"``."""
    return format_in(EN, value, decimals)


def format_en_percent(value, decimals: int = 2, signed: bool = False) -> str:
    """English percent whatever the edition: ``6.02`` → ``"6.02%"``."""
    return percent_in(EN, value, decimals, signed)


def local(value, decimals: int = 0) -> str:
    """For the reader, in the edition's convention: ``24012`` → ``"24,012"`` in English,
    ``"24.012"`` in Vietnamese; ``(4243.46, 2)`` → ``"4,243.46"`` / ``"4.243,46"``."""
    return format_in(babel_locale(), value, decimals)


def local_percent(value, decimals: int = 2, signed: bool = False) -> str:
    """A value already in percent for the reader: ``6.02`` → ``"6.02%"`` / ``"6,02%"``."""
    return percent_in(babel_locale(), value, decimals, signed)


# --- precision of derived values in prose --------------------------------------------------
# The article's inputs are estimates printed to the nearest billion or to 0.01 point, so a
# value derived from them (an implied 2019 base, an amount per person) is not known to the
# hundredth. The prose rounds such a value to what the inputs support; tables, the audit and
# the Datasets page keep full values, so that a reader can check the arithmetic.

PROSE_SIGNIFICANT = 3
"""Significant figures of a derived value when no range is known: the article's growth
rates, its least precise inputs, carry three (6,02%)."""


def prose_step(value, low=None, high=None, sig: int = PROSE_SIGNIFICANT) -> Decimal:
    """The rounding step (a power of ten) that the inputs support for ``value``.

    With the range ``[low, high]`` that the inputs' printed precision leaves: the smallest
    power of ten not below the range's width, so that both ends round to the printed value
    or to a neighbour of it (22,647.49–22,649.63 → 10). Without a range: ``sig``
    significant figures. A very narrow range never buys more than two figures beyond ``sig``.
    """
    value = Decimal(str(value))
    if value.is_zero():
        return Decimal(1)
    magnitude = value.copy_abs().adjusted()               # 22648.56 → 4
    if low is None or high is None or Decimal(str(high)) == Decimal(str(low)):
        return Decimal(1).scaleb(magnitude - sig + 1)     # sig 3: 22648.56 → 100
    width = abs(Decimal(str(high)) - Decimal(str(low)))
    step = Decimal(1).scaleb(width.adjusted())            # 2.14 → 1, 0.18 → 0.1
    if step < width:
        step = step.scaleb(1)                             # not below the width: 10, 1
    return max(step, Decimal(1).scaleb(magnitude - sig - 1))


def _step_decimals(step: Decimal) -> int:
    return max(0, -step.adjusted())


def round_to_step(value, step: Decimal) -> Decimal:
    """``value`` rounded half up to a multiple of ``step`` (a power of ten)."""
    return (Decimal(str(value)) / step).quantize(Decimal(1), rounding=ROUND_HALF_UP) * step


def about(value, low=None, high=None, sig: int = PROSE_SIGNIFICANT) -> str:
    """A derived value for prose, rounded to what its inputs support (:func:`prose_step`),
    in the reader's convention: ``about(22648.56, 22647.49, 22649.63)`` → ``"22,650"``
    (``"22.650"`` in Vietnamese), ``about(192.86, 192.77, 192.95)`` → ``"193"``,
    ``about(18.748)`` → ``"18.7"`` (``"18,7"``).
    The caller writes "about" in the sentence: the function only rounds."""
    step = prose_step(value, low, high, sig)
    return local(round_to_step(value, step), _step_decimals(step))


def about_percent(value, low=None, high=None, sig: int = 2) -> str:
    """A derived rate in percent for prose: two significant figures unless a range says
    otherwise (``2.0916`` → ``"2.1%"``, ``"2,1%"``): derived rates carry less than their
    inputs."""
    return about(value, low, high, sig) + _percent_sign(babel_locale())
