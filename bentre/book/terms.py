"""How to cite the report and the terms of its reuse, made from one place: ``CITATION.cff``.

The intro's "How to cite" line and terms (MyST substitutions, ``{{ how_to_cite }}`` and
``{{ terms_of_reuse }}``), the footer of
every HTML page, the footer line of every PDF page and the classroom kit's README all come
from :func:`citation` and :func:`terms`, so none of them can disagree with the file.

As a Sphinx extension (``_config.yml``) it fills those in when the configuration is read.
"""

from __future__ import annotations

import html
from pathlib import Path

import yaml

from ..i18n import N_, _
from ..paths import project_root

CITATION = "CITATION.cff"

# What each licence of CITATION.cff covers here, and its official text. The article's own
# terms come from its metadata (data/source/*.yml), not from here.
LICENCES = {
    "MIT": (N_("the MIT License"), "https://opensource.org/licenses/MIT", N_("code")),
    "CC-BY-4.0": ("CC BY 4.0", "https://creativecommons.org/licenses/by/4.0/",
                  N_("text, figures and data tables")),
}


def citation(root: Path | None = None) -> dict:
    """``CITATION.cff`` as a dict; every field the book prints must be there."""
    path = Path(root or project_root()) / CITATION
    meta = yaml.safe_load(path.read_text(encoding="utf-8"))
    missing = [k for k in ("title", "authors", "version", "date-released", "license")
               if not meta.get(k)]
    if missing:
        raise ValueError(f"{CITATION}: no {', '.join(missing)}; expected every field the "
                         "book prints")
    unknown = [lic for lic in _licences(meta) if lic not in LICENCES]
    if unknown:
        raise ValueError(f"{CITATION}: licence {unknown[0]!r} is not one the book describes; "
                         f"expected one of {sorted(LICENCES)}")
    return meta


def _licences(meta: dict) -> list[str]:
    lic = meta["license"]
    return [lic] if isinstance(lic, str) else list(lic)


def _authors(meta: dict) -> str:
    names = [a.get("name") or " ".join(filter(None, (a.get("given-names"),
                                                      a.get("family-names"))))
             for a in meta["authors"]]
    return ", ".join(names)


def how_to_cite(meta: dict | None = None) -> str:
    """One line: authors (year). Title. Version, date. (Markdown: the title in italics.)"""
    meta = meta or citation()
    released = str(meta["date-released"])
    # The authors and the title stay as CITATION.cff registers them: a citation is exact.
    return _("{authors} ({year}). *{title}*. Version {version}, released {date}.").format(
        authors=_authors(meta), year=released[:4], title=meta["title"],
        version=meta["version"], date=released)


def terms(meta: dict | None = None, article_rights: str | None = None) -> list[str]:
    """The terms of reuse, one sentence per kind of material."""
    meta = meta or citation()
    if article_rights is None:
        from .. import source
        from ..data import local_text

        article_rights = local_text(source.metadata(), "rights")
    parts = [f"{_kind(lic)}: {_(LICENCES[lic][0])}" for lic in _licences(meta)]
    return parts + [_("The article: third-party material, not under these licences. "
                      "Rights: {rights}").format(rights=article_rights)]


def _kind(lic: str) -> str:
    text = _(LICENCES[lic][2])
    return text[:1].upper() + text[1:]


def footer_html(meta: dict | None = None) -> str:
    """The HTML footer: the terms, with a link to each licence's text."""
    meta = meta or citation()
    links = [f'{html.escape(_kind(lic))}: <a href="{LICENCES[lic][1]}">'
             f"{html.escape(_(LICENCES[lic][0]))}</a>" for lic in _licences(meta)]
    article = html.escape(terms(meta)[-1])
    return f'<p class="bentre-terms">{" · ".join(links)} · {article}</p>'


def _latex_escape(text: str) -> str:
    for char, escaped in (("\\", r"\textbackslash{}"), ("&", r"\&"), ("%", r"\%"),
                          ("$", r"\$"), ("#", r"\#"), ("_", r"\_"), ("{", r"\{"),
                          ("}", r"\}"), ("~", r"\textasciitilde{}"), ("^", r"\^{}")):
        text = text.replace(char, escaped)
    return text


def footer_latex(meta: dict | None = None) -> str:
    """The PDF's footer line (``\\bentreSetTerms`` of latex/bentre.sty)."""
    return r"\bentreSetTerms{" + _latex_escape(" · ".join(terms(meta))) + "}"


def _configure(app, config) -> None:
    meta = citation(Path(app.srcdir))
    config.myst_substitutions = {**(config.myst_substitutions or {}),
                                 "how_to_cite": how_to_cite(meta),
                                 "terms_of_reuse": ". ".join(terms(meta)).rstrip(".") + "."}
    config.html_theme_options = {**(config.html_theme_options or {}),
                                 "extra_footer": footer_html(meta)}
    elements = dict(config.latex_elements or {})
    elements["preamble"] = elements.get("preamble", "") + "\n" + footer_latex(meta) + "\n"
    config.latex_elements = elements


def setup(app):
    app.connect("config-inited", _configure)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
