"""Terms of reuse and how to cite (issue 11): one place, ``CITATION.cff``, and everything that
says the same made from it: the intro's line, the HTML footer, the PDF footer, the data
package's licence, the package's version. Values are read here from the files themselves
(YAML, TOML, JSON), not from ``bentre.book.terms``."""

from __future__ import annotations

import json
import os
import re
import subprocess
import tomllib

import pytest
import yaml

from bentre.book import terms
from conftest import REPO

CFF = yaml.safe_load((REPO / "CITATION.cff").read_text(encoding="utf-8"))
HTML = REPO / "_build" / "html"
# Both editions carry the terms, each in its language (the package's catalog).
LANGS = ["en", "vi"]
EDITION_HTML = {"en": HTML, "vi": REPO / "_build" / "vi" / "html"}


@pytest.fixture
def in_language(monkeypatch):
    """``in_language(lang)``: the package writes in ``lang`` for the rest of the test."""
    from bentre import i18n

    def switch(lang: str) -> None:
        monkeypatch.setattr(i18n, "_chosen", None)
        monkeypatch.setenv("BENTRE_LANG", lang)

    return switch


def test_citation_file_has_what_a_citation_needs():
    assert CFF["cff-version"] == "1.2.0"
    assert CFF["title"] == yaml.safe_load((REPO / "_config.yml").read_text())["title"]
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(CFF["date-released"]))
    assert set(CFF["license"]) == {"MIT", "CC-BY-4.0"}
    assert [a["name"] for a in CFF["authors"]] == ["The Bến Tre figures project"]


def test_one_version_everywhere():
    pyproject = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    package = json.loads((REPO / "data/datapackage.json").read_text(encoding="utf-8"))
    assert CFF["version"] == pyproject["project"]["version"] == package["version"]


def test_the_data_package_licence_is_one_of_the_citations():
    package = json.loads((REPO / "data/datapackage.json").read_text(encoding="utf-8"))
    licences = {lic["name"]: lic for lic in package["licenses"]}
    assert set(licences) <= set(CFF["license"])
    assert licences["CC-BY-4.0"]["path"] == "https://creativecommons.org/licenses/by/4.0/"


def test_the_licence_files_say_what_they_cover():
    mit = (REPO / "LICENSE").read_text(encoding="utf-8")
    assert mit.startswith("MIT License") and "The Bến Tre figures project" in mit
    content = (REPO / "LICENSE-CONTENT.md").read_text(encoding="utf-8")
    assert "CC BY 4.0" in content and "data/source/" in content and "third-party" in content


def test_how_to_cite_is_made_of_the_citation_file():
    line = terms.how_to_cite()
    for part in (CFF["title"], str(CFF["version"]), str(CFF["date-released"]),
                 CFF["authors"][0]["name"], str(CFF["date-released"])[:4]):
        assert part in line


def test_the_terms_name_each_licence_and_the_articles_rights():
    said = terms.terms(article_rights="Unknown.")
    assert said[0] == "Code: the MIT License"
    assert said[1] == "Text, figures and data tables: CC BY 4.0"
    assert "third-party" in said[2] and said[2].endswith("Rights: Unknown.")


def test_a_citation_file_without_a_field_or_with_an_unknown_licence_is_refused(tmp_path):
    broken = dict(CFF, version="")
    (tmp_path / "CITATION.cff").write_text(yaml.safe_dump(broken, allow_unicode=True))
    with pytest.raises(ValueError, match="no version"):
        terms.citation(tmp_path)
    other = dict(CFF, license=["MIT", "GPL-3.0"])
    (tmp_path / "CITATION.cff").write_text(yaml.safe_dump(other, allow_unicode=True))
    with pytest.raises(ValueError, match="GPL-3.0"):
        terms.citation(tmp_path)


def test_the_latex_footer_is_escaped():
    line = terms.footer_latex(dict(CFF, license=["MIT"]))
    assert line.startswith(r"\bentreSetTerms{Code: the MIT License · ")
    assert "_" not in line.replace(r"\_", "") and "%" not in line.replace(r"\%", "")


# --- in the built book ---------------------------------------------------------------------

def _missing(what: str) -> None:
    """As in the browser and PDF tests: under ``make test`` a missing build fails."""
    if os.environ.get("BENTRE_REQUIRE_BOOK") or os.environ.get("BENTRE_REQUIRE_PDF"):
        pytest.fail(what)
    pytest.skip(what)


def _page(name: str, lang: str = "en") -> str:
    path = EDITION_HTML[lang] / name
    if not path.is_file():
        _missing(f"no built book in {EDITION_HTML[lang]}: run `make html`")
    return path.read_text(encoding="utf-8")


@pytest.mark.book
@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("page", ["intro.html", "chapters/02_economy.html",
                                  "chapters/datasets.html"])
def test_every_page_carries_the_terms_in_its_footer(page, lang, in_language):
    import html

    text = _page(page, lang)
    footer = text[text.index('class="bentre-terms"'):]
    assert "https://creativecommons.org/licenses/by/4.0/" in footer
    assert "https://opensource.org/licenses/MIT" in footer
    in_language(lang)
    article = terms.terms()[-1]  # the article's terms, in the edition's language
    assert ("third-party" if lang == "en" else "bên thứ ba") in article
    assert html.escape(article, quote=False) in footer[:footer.index("</p>")]


@pytest.mark.book
@pytest.mark.parametrize("lang", LANGS)
def test_the_intro_prints_the_citation(lang, in_language):
    text = re.sub(r"<[^>]+>", "", _page("intro.html", lang))
    if lang == "en":
        assert f"Version {CFF['version']}, released {CFF['date-released']}." in text
    in_language(lang)
    version = terms.how_to_cite().rsplit("*. ", 1)[1]  # "Version …, released …." translated
    assert str(CFF["version"]) in version and version in text
    assert CFF["title"] in text  # a citation gives the registered title, in every edition


@pytest.mark.book
@pytest.mark.parametrize("lang", LANGS)
def test_every_pdf_page_carries_the_terms_under_its_footer(lang, in_language):
    from bentre.book import pdf

    path = pdf.pdf_path(REPO, lang)
    if not path.is_file():
        _missing(f"{path} is not built: run `make pdf`")
    pages = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], check=True,
                           capture_output=True, text=True).stdout.split("\f")
    body = [p for p in pages[2:] if p.strip()]  # after the title and the contents' first page
    assert len(body) > 50
    # a footer line is the last text of the page; a long one wraps onto two lines
    in_language(lang)
    first = terms.terms()[0]  # "Code: the MIT License", in the edition's language
    if lang == "en":
        assert first == "Code: the MIT License"
    with_terms = [p for p in body if first in " ".join(p.split())]
    assert len(with_terms) >= 0.9 * len(body), f"{len(with_terms)} of {len(body)} pages"
