"""The reader's language: which edition this process writes, and the package's translations.

One process writes one edition. The language comes from ``BENTRE_LANG`` (``en``, the
default, or ``vi``), which the book's builds set for each edition so that the notebooks'
kernels inherit it, or from :func:`set_language` (the CLI's ``--lang``). Text that the
package produces is marked ``_("...")`` and translated through Python's gettext with the
catalog ``bentre/locale/vi/LC_MESSAGES/bentre.po`` (kept with Babel: ``make catalogs``).
English is the source language: it has no catalog.

Call ``_()`` where the text is used, never at import: a module-level ``_()`` would fix the
language of whichever process imported it first. Mark module-level text with ``N_()``
(extracted, not translated) and translate it where it is shown.
"""

from __future__ import annotations

import gettext
import io
import os
from functools import lru_cache
from pathlib import Path

ENV = "BENTRE_LANG"
LANGUAGES = ("en", "vi")
SOURCE_LANGUAGE = "en"
DOMAIN = "bentre"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"

_chosen: str | None = None


class LanguageError(ValueError):
    """A language the book has no edition in."""


def check_language(lang: str, where: str = ENV) -> str:
    if lang not in LANGUAGES:
        raise LanguageError(
            f"{where}={lang!r}: the book has editions in {', '.join(LANGUAGES)} only"
        )
    return lang


def language() -> str:
    """The edition this process writes: :func:`set_language`'s choice, else ``BENTRE_LANG``,
    else English. An unknown language is an error, not a silent English edition."""
    if _chosen is not None:
        return _chosen
    return check_language(os.environ.get(ENV) or SOURCE_LANGUAGE)


def set_language(lang: str | None) -> None:
    """Write in ``lang`` from now on in this process (``None``: back to ``BENTRE_LANG``).
    Sets ``BENTRE_LANG`` too, so that kernels and subprocesses started later follow."""
    global _chosen
    if lang is None:
        _chosen = None
        return
    _chosen = check_language(lang, "language")
    os.environ[ENV] = lang


def catalog_path(lang: str, suffix: str = ".po") -> Path:
    return LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}{suffix}"


@lru_cache(maxsize=None)
def _translations(lang: str, stamp: tuple) -> gettext.NullTranslations:
    if lang == SOURCE_LANGUAGE:
        return gettext.NullTranslations()
    po, mo = catalog_path(lang), catalog_path(lang, ".mo")
    if mo.is_file() and (not po.is_file() or mo.stat().st_mtime >= po.stat().st_mtime):
        with mo.open("rb") as handle:
            return gettext.GNUTranslations(handle)
    if not po.is_file():
        raise FileNotFoundError(f"no catalog for {lang!r}: {po} is missing")
    # No compiled catalog (a fresh clone before `make catalogs`) or an older one: compile
    # the .po in memory, with Babel, as `pybabel compile` would.
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with po.open("rb") as handle:
        catalog = read_po(handle, locale=lang, domain=DOMAIN)
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


def translations(lang: str | None = None) -> gettext.NullTranslations:
    lang = check_language(lang or language(), "language")
    files = (catalog_path(lang), catalog_path(lang, ".mo"))
    stamp = tuple(f.stat().st_mtime_ns if f.is_file() else 0 for f in files)
    return _translations(lang, stamp)


def _(message: str) -> str:
    """``message`` in the reader's language."""
    return translations().gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return translations().ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    """``message`` in the reader's language, disambiguated by ``context`` (one English word,
    two Vietnamese ones: *chỉ tiêu* is both indicator and target)."""
    return translations().pgettext(context, message)


def N_(message: str) -> str:
    """Mark text for extraction without translating it (module-level constants)."""
    return message


def babel_locale() -> str:
    """The Babel locale that numbers and dates are written in for the reader."""
    return language()
