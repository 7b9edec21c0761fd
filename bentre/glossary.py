"""The glossary page, generated from ``data/glossary.csv`` so that no term is typed twice.

``chapters/glossary.ipynb`` displays :func:`glossary`: a MyST ``{glossary}`` directive, one
entry per row, in Vietnamese alphabetical order (in both editions: the entries are the
Vietnamese terms). Any page links a term to its entry with ``{term}`tỷ đồng``` (Sphinx
matches terms without regard to case). The English edition explains each term with the
``definition`` and ``note`` columns, the Vietnamese edition with ``definition_vi`` and
``note_vi`` (:func:`bentre.data.local_text`); both give the English rendering ``term_en``.
"""

from __future__ import annotations

import unicodedata

import pandas as pd

from . import data
from .i18n import _
from .tables import escape

# The Vietnamese alphabet: ă, â after a; đ after d; ê after e; ô, ơ after o; ư after u.
ALPHABET = "aăâbcdđeêghiklmnoôơpqrstuưvxy"
# Marks that make a letter (breve, circumflex, horn) and the five tone marks, in the
# dictionary order of tones: none, huyền, hỏi, ngã, sắc, nặng.
LETTER_MARKS = "\u0306\u0302\u031b"
TONES = ("", "\u0300", "\u0309", "\u0303", "\u0301", "\u0323")


def sort_key(term: str) -> tuple:
    """Vietnamese dictionary order: letters first (đ after d, ơ after ô …), tones only to
    break ties; case is ignored, and spaces and punctuation sort before any letter."""
    letters, tones = [], []
    for char in unicodedata.normalize("NFC", term.lower()):
        parts = unicodedata.normalize("NFD", char)
        base = unicodedata.normalize("NFC", parts[0] + "".join(m for m in parts[1:] if m in LETTER_MARKS))
        tone = next((m for m in parts[1:] if m in TONES[1:]), "")
        letters.append(ALPHABET.index(base) + 1 if base in ALPHABET
                       else 100 + ord(base) if base.isalnum() else 0)
        tones.append(TONES.index(tone))
    return tuple(letters), tuple(tones), term


class Glossary:
    """Displays as a MyST ``{glossary}`` directive (HTML and PDF); its plain-text form,
    which a notebook reader and nbval see, lists the terms."""

    def __init__(self, frame: pd.DataFrame):
        self.frame = frame.iloc[sorted(range(len(frame)),
                                       key=lambda i: sort_key(frame["term_vi"].iloc[i]))]

    def _entry(self, row) -> list[str]:
        where = (_("In the article.") if row.in_article
                 else _("Not in the article: a term of this report."))
        note = data.local_text(row, "note")
        note = f"*{escape(note)}* " if note else ""
        # The English rendering leads the entry in both editions (the Vietnamese one labels it).
        lead = _("**{english}.** {definition}").format(
            english=escape(row.term_en), definition=escape(data.local_text(row, "definition")))
        return [row.term_vi,
                f"  {lead}",
                "",
                f"  {note}{where}",
                ""]

    def _repr_markdown_(self) -> str:
        lines = ["````{glossary}"]
        for row in self.frame.itertuples(index=False):
            lines += self._entry(row)
        return "\n".join(lines).rstrip("\n") + "\n````"

    def __repr__(self) -> str:
        return "\n".join(_("{term}: {english}").format(term=row.term_vi, english=row.term_en)
                         for row in self.frame.itertuples(index=False))


def glossary() -> Glossary:
    return Glossary(data.load_glossary())
