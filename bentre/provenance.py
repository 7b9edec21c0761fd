"""Where each number sits in the article, and proof that every number is accounted for.

A *token* is a run of digits (with the Vietnamese dot and comma inside it) or a Roman
ordinal after "thứ" (congress numbers). Finding tokens is the only regular expression
here: it locates text and never computes a value; parsing is Babel's job (``numbers``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .i18n import _

TOKEN = re.compile(r"\d+(?:[.,]\d+)*|(?<=thứ )[IVXLCDM]+\b")


@dataclass(frozen=True)
class Token:
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Claim:
    """A table row's claim to one token: ``raw`` found inside ``quote``."""

    table: str
    row_id: str
    start: int
    end: int
    raw: str


def numeric_tokens(text: str) -> list[Token]:
    return [Token(m.start(), m.end(), m.group()) for m in TOKEN.finditer(text)]


def raw_span(raw: str, quote: str, quote_start: int) -> tuple[int, int]:
    """Span of ``raw`` in the article, given where its quote starts; ``raw`` must be unique
    in the quote so that the claim is unambiguous."""
    count = quote.count(raw)
    if count == 0:
        raise ValueError(_("raw {raw} is not inside its quote {quote}").format(
            raw=repr(raw), quote=repr(quote)))
    if count != 1:
        raise ValueError(_("raw {raw} occurs {count} times in its quote {quote}").format(
            raw=repr(raw), count=count, quote=repr(quote)))
    start = quote_start + quote.index(raw)
    return start, start + len(raw)


@dataclass(frozen=True)
class Coverage:
    tokens: list[Token]
    claims: list[Claim]
    unclaimed: list[Token]
    misaligned: list[Claim]  # claims that are not exactly one token (e.g. "02" inside "6,02")
    double: list[tuple[Claim, Claim]]  # two rows claiming the same token

    @property
    def ok(self) -> bool:
        return not (self.unclaimed or self.misaligned or self.double)


def coverage(text: str, claims: list[Claim]) -> Coverage:
    tokens = numeric_tokens(text)
    by_span = {(t.start, t.end): t for t in tokens}
    claimed: dict[tuple[int, int], Claim] = {}
    misaligned, double = [], []
    for claim in claims:
        # A printed percentage carries its sign; the token is the number before it.
        end = claim.end - 1 if claim.raw.endswith("%") else claim.end
        key = (claim.start, end)
        if key not in by_span:
            misaligned.append(claim)
        elif key in claimed:
            double.append((claimed[key], claim))
        else:
            claimed[key] = claim
    unclaimed = [t for t in tokens if (t.start, t.end) not in claimed]
    return Coverage(tokens, claims, unclaimed, misaligned, double)
