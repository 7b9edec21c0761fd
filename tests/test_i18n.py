"""The Vietnamese edition's gates: complete translations, glued values in both editions in
each one's number format, the glossary's terms, and no English prose on a Vietnamese page.

- Coverage. Every message of every catalog is translated and none is fuzzy: the prose's
  (Sphinx gettext, ``locale/vi/LC_MESSAGES/**.po``) and the package's (Babel,
  ``bentre/locale/vi/LC_MESSAGES/bentre.po``). The catalogs hold exactly the messages of the
  sources as they are now (extracted afresh here), so an edited English paragraph, whose
  old translation no longer matches, fails here instead of showing English on the page.
- Shape. A translation is parsed on its own and only its first paragraph is kept: one
  paragraph per msgstr. It keeps the glue keys of its English (the values come from the
  edition's execution) and the package's ``{placeholders}``.
- Glued values (``{glue:text}``) appear on both editions' pages and in both PDFs, and a number
  glued in English reads as the same number in the Vietnamese edition, in its convention
  (``22,650`` / ``22.650``, ``6.02%`` / ``6,02%``): parsed with Babel, not compared as text.
- Terms. An English paragraph that uses a glossary term (``term_en``) is translated with the
  glossary's Vietnamese (``term_vi``).
- No English paragraph on a Vietnamese page, HTML or PDF (quotations of English sources, code
  and text marked ``lang="en"`` aside).
"""

from __future__ import annotations

import csv
import json
import os
import re
import subprocess
import unicodedata
from decimal import Decimal
from functools import cache
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from babel.numbers import NumberFormatError, parse_decimal

from bentre.book import build, catalogs, pdf

REPO = Path(__file__).resolve().parent.parent
LOCALE = REPO / "locale" / "vi" / "LC_MESSAGES"
REQUIRED = os.environ.get("BENTRE_REQUIRE_BOOK") == "1"
GLUE = re.compile(r"\{glue:text\}`([^`]+)`")
PLACEHOLDER = re.compile(r"(?<!\{)\{([a-z_][a-z0-9_]*)(?:![rsa])?(?::[^{}]*)?\}(?!\})")


def prose_catalogs() -> list[Path]:
    return sorted(LOCALE.rglob("*.po"))


@cache
def read(path: Path):
    with path.open("rb") as handle:
        return read_po(handle, locale="vi")


def entries(path: Path):
    return [m for m in read(path) if m.id]


def all_prose_entries():
    return [(p.relative_to(LOCALE).as_posix(), m) for p in prose_catalogs() for m in entries(p)]


# --- coverage ---------------------------------------------------------------------------------

def test_there_is_a_catalog_for_every_page():
    from sphinx_external_toc.parsing import parse_toc_yaml

    docs = list(parse_toc_yaml(str(REPO / "_toc.yml")))
    missing = [d for d in docs if not (LOCALE / f"{d}.po").is_file()]
    assert not missing, f"pages without a Vietnamese catalog (run `make catalogs`): {missing}"


@pytest.mark.parametrize("catalog", [p.relative_to(LOCALE).as_posix() for p in prose_catalogs()]
                         + ["bentre.po (package)"])
def test_every_message_is_translated_and_none_is_fuzzy(catalog):
    path = (catalogs.po_path(REPO) if catalog.startswith("bentre.po") else LOCALE / catalog)
    empty = [m.id for m in entries(path) if not m.string]
    fuzzy = [m.id for m in entries(path) if m.fuzzy]
    assert not empty, f"{catalog}: {len(empty)} untranslated, first: {empty[:3]}"
    assert not fuzzy, f"{catalog}: {len(fuzzy)} fuzzy (English changed), first: {fuzzy[:3]}"


def test_the_package_catalog_holds_exactly_the_marked_strings():
    extracted = {(m.id if isinstance(m.id, str) else m.id[0], m.context)
                 for m in catalogs.extract(REPO) if m.id}
    held = {(m.id if isinstance(m.id, str) else m.id[0], m.context)
            for m in entries(catalogs.po_path(REPO))}
    assert extracted - held == set(), f"not in bentre.po (make catalogs): {extracted - held}"
    assert held - extracted == set(), f"no longer in the code (make catalogs): {held - extracted}"


@pytest.fixture(scope="module")
def extracted_prose(tmp_path_factory) -> Path:
    """The prose's messages as the sources are now: Sphinx's gettext builder on a copy."""
    copy = build.copy_project(tmp_path_factory.mktemp("gettext") / "book")
    env = {**os.environ, "BENTRE_ROOT": str(copy), "PYTHONPATH": str(copy)}
    subprocess.run([str(Path(os.sys.executable)), "-m", "bentre.book.build", "sphinx",
                    "gettext"], cwd=copy, env=env, check=True, capture_output=True)
    return copy / "_build" / "gettext"


def test_the_prose_catalogs_hold_exactly_the_current_messages(extracted_prose):
    problems = []
    for pot in sorted(extracted_prose.rglob("*.pot")):
        name = pot.relative_to(extracted_prose).with_suffix(".po")
        with pot.open("rb") as handle:
            current = {m.id for m in read_po(handle) if m.id}
        held = {m.id for m in entries(LOCALE / name)} if (LOCALE / name).is_file() else set()
        if current - held:
            problems.append(f"{name}: {len(current - held)} new or changed, e.g. "
                            f"{sorted(current - held)[0][:80]!r}")
        if held - current:
            problems.append(f"{name}: {len(held - current)} no longer in the page, e.g. "
                            f"{sorted(held - current)[0][:80]!r}")
    assert not problems, "run `make catalogs` and translate:\n" + "\n".join(problems)


# --- shape of a translation -------------------------------------------------------------------

def test_a_translation_is_one_paragraph():
    bad = [(name, m.id[:60]) for name, m in all_prose_entries()
           if m.string and re.search(r"\n\s*\n", m.string)]
    assert not bad, f"a blank line in a msgstr drops the rest of it: {bad}"


def test_a_translation_keeps_the_glue_keys_of_its_english():
    # The same keys (a sentence may name a value once where the English repeats it).
    bad = [(name, sorted(set(GLUE.findall(m.id)) ^ set(GLUE.findall(m.string))))
           for name, m in all_prose_entries()
           if m.string and set(GLUE.findall(m.id)) != set(GLUE.findall(m.string))]
    assert not bad, f"glue keys lost or added in translation: {bad}"


def test_the_package_translations_keep_their_placeholders():
    bad = []
    for m in entries(catalogs.po_path(REPO)):
        ids = m.id if isinstance(m.id, (list, tuple)) else [m.id]
        strings = m.string if isinstance(m.string, (list, tuple)) else [m.string]
        for english in ids:
            for vietnamese in strings:
                if vietnamese and set(PLACEHOLDER.findall(english)) != set(
                        PLACEHOLDER.findall(vietnamese)):
                    bad.append(english[:60])
    assert not bad, f"placeholders changed in translation: {bad}"


def test_shape_rules_catch_what_they_should():
    assert re.search(r"\n\s*\n", "một đoạn\n\nđoạn hai")
    assert set(GLUE.findall("{glue:text}`a` và {glue:text}`b`")) == {"a", "b"}
    assert PLACEHOLDER.findall("{n} checks, {{literal}}, {value:.2f}") == ["n", "value"]


# --- glossary terms ---------------------------------------------------------------------------

def glossary_rows() -> list[dict]:
    with (REPO / "data" / "glossary.csv").open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def english_forms(term_en: str) -> list[str]:
    """A term's English forms: comma- or semicolon-separated, the parenthesised gloss left
    out (``consumer price index (CPI)`` → ``consumer price index``)."""
    forms = []
    for part in re.split(r"[,;]", re.sub(r"\([^)]*\)", "", term_en)):
        part = " ".join(part.split())
        if part:
            forms.append(part)
    return forms


def fold(text: str) -> str:
    return unicodedata.normalize("NFC", text).casefold()


def contains_words(text: str, phrase: str) -> bool:
    return re.search(r"(?<!\w)" + re.escape(fold(phrase)) + r"(?!\w)", fold(text)) is not None


# Terms whose English form is also an everyday word used in another sense by the prose; the
# test cannot tell the senses apart, so it checks only the distinctive ones.
CHECKED_ROWS_MIN_WORDS = 2


def checked_terms() -> list[tuple[str, str]]:
    """(English form, Vietnamese term) for every glossary form of two words or more: the
    technical terms (constant prices, value added, same period...)."""
    pairs = []
    for row in glossary_rows():
        for form in english_forms(row["term_en"]):
            if len(form.split()) >= CHECKED_ROWS_MIN_WORDS:
                pairs.append((form, row["term_vi"]))
    return pairs


def term_violations(pairs, messages) -> list[str]:
    """Longer forms first; a form found inside a longer one already matched is that one's
    (Party committee in City Party Committee is Thành ủy, not cấp ủy)."""
    found = []
    pairs = sorted(pairs, key=lambda p: -len(p[0]))
    for name, msgid, msgstr in messages:
        if not msgstr:
            continue
        english = fold(GLUE.sub("", msgid))
        for form, vietnamese in pairs:
            pattern = r"(?<!\w)" + re.escape(fold(form)) + r"(?!\w)"
            if re.search(pattern, english):
                if not contains_words(msgstr, vietnamese):
                    found.append(f"{name}: {form!r} → {vietnamese!r} missing in {msgstr[:80]!r}")
                english = re.sub(pattern, " ", english)
    return found


def test_the_term_rule_finds_a_term_translated_otherwise():
    pairs = [("constant prices", "giá so sánh")]
    assert term_violations(pairs, [("x", "at constant prices", "theo giá cố định")])
    assert not term_violations(pairs, [("x", "at constant prices", "theo giá so sánh")])
    nested = [("Party committee", "cấp ủy"), ("City Party Committee", "Thành ủy")]
    assert not term_violations(nested, [("x", "the City Party Committee", "Thành ủy")])
    assert term_violations(nested, [("x", "the Party committee", "Đảng")])


def test_every_glossary_term_is_translated_as_the_glossary_gives_it():
    messages = [(name, m.id, m.string) for name, m in all_prose_entries()]
    found = term_violations(checked_terms(), messages)
    assert not found, "\n".join(found)


# --- glued values in both editions ------------------------------------------------------------

def book_file(path: Path, how: str = "make book") -> Path:
    if not path.is_file():
        message = f"{path.relative_to(REPO)} is not built: run `{how}` first"
        if REQUIRED:
            pytest.fail(message + " (BENTRE_REQUIRE_BOOK=1: make test builds it)")
        pytest.skip(message)
    return path


@cache
def glue_values(lang: str, docname: str) -> dict[str, str]:
    """The glue data of a page as the edition executed it (myst-nb's jupyter_execute)."""
    from myst_nb.core.variables import format_plain_text

    path = build.edition_dir(lang, REPO) / "jupyter_execute" / f"{docname}.glue.json"
    data = json.loads(book_file(path).read_text(encoding="utf-8"))
    return {k: format_plain_text(v["data"]["text/plain"], "s") for k, v in data.items()
            if "text/plain" in v.get("data", {})}


ONLY = re.compile(r"^:::\{only\} lang_(?P<lang>\w+)\n.*?^:::$", re.M | re.S)


def glue_references(lang: str = "en") -> list[tuple[str, str, str]]:
    """(page, notebook docname, key) of every ``{glue:text}`` in the prose of the edition in
    ``lang`` (the English Markdown without the blocks only another edition shows)."""
    from sphinx_external_toc.parsing import parse_toc_yaml

    import nbformat

    found = []
    for docname in parse_toc_yaml(str(REPO / "_toc.yml")):
        source = next((REPO / f"{docname}{s}" for s in (".ipynb", ".md")
                       if (REPO / f"{docname}{s}").is_file()), None)
        if source.suffix == ".ipynb":
            texts = [c.source for c in nbformat.read(source, as_version=4).cells
                     if c.cell_type == "markdown"]
        else:
            texts = [source.read_text(encoding="utf-8")]
        for text in texts:
            text = ONLY.sub(lambda m: m.group(0) if m.group("lang") == lang else "", text)
            for ref in GLUE.findall(text):
                key = ref.rsplit(":", 1)[0] if ref.count(":") in (1, 3) else ref
                notebook = docname
                if "::" in key:
                    other, key = key.split("::", 1)
                    notebook = (Path(docname).parent / other).with_suffix("").as_posix()
                    notebook = os.path.normpath(notebook)
                found.append((docname, notebook, key))
    return found


def squash(text: str) -> str:
    """Text as comparable across HTML, glue data and PDF: Unicode-normalised, typographic
    quotes straightened, spaces, hyphens and dashes gone (TeX breaks and hyphenates)."""
    text = unicodedata.normalize("NFKC", text).replace("\u00ad", "")
    text = text.translate(str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"'}))
    return re.sub(r"[\s\-–—]+", "", text)


@cache
def page_text(lang: str, docname: str) -> str:
    from bs4 import BeautifulSoup

    path = build.edition_dir(lang, REPO) / "html" / f"{docname}.html"
    soup = BeautifulSoup(book_file(path).read_text(encoding="utf-8"), "html.parser")
    main = soup.find("main") or soup
    return squash(main.get_text(" "))


@cache
def pdf_text(lang: str) -> str:
    path = book_file(pdf.pdf_path(REPO, lang), "make pdf")
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], check=True,
                         capture_output=True, text=True).stdout
    return squash(out)


def as_number(text: str, locale: str) -> tuple[Decimal, bool] | None:
    """``(value, is_percent)`` if ``text`` is one number in ``locale``'s convention, else None.
    Strict: the grouping must be where the locale puts it."""
    text = text.strip().replace("\u2212", "-")
    percent = text.endswith("%")
    body = text[:-1].strip() if percent else text
    if body.startswith("+"):
        body = body[1:]
    if not re.fullmatch(r"-?[\d.,]+", body):
        return None
    try:
        return parse_decimal(body, locale=locale, strict=True), percent
    except NumberFormatError:
        return None


def test_number_reading_is_strict():
    assert as_number("22,650", "en") == (Decimal("22650"), False)
    assert as_number("22.650", "vi") == (Decimal("22650"), False)
    assert as_number("6,02%", "vi") == (Decimal("6.02"), True)
    assert as_number("6.02%", "vi") is None or as_number("6.02%", "vi")[0] != Decimal("6.02")
    assert as_number("Bến Tre", "vi") is None


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_every_glued_value_is_on_its_page_and_in_the_pdf(lang):
    text = pdf_text(lang)
    missing_html, missing_pdf = [], []
    for page, notebook, key in glue_references(lang):
        value = glue_values(lang, notebook).get(key)
        assert value is not None, f"{lang}: {page}: no glued value {key!r}"
        if squash(value) not in page_text(lang, page):
            missing_html.append((page, key, value))
        if page != "chapters/glossary" and squash(value) not in text:
            missing_pdf.append((page, key, value))
    assert not missing_html, f"{lang}: glued values not on their pages: {missing_html[:10]}"
    assert not missing_pdf, f"{lang}: glued values not in the PDF: {missing_pdf[:10]}"


# A value glued to show one convention on purpose, the same in both editions: the article's
# raw string (raw_...) or a figure written the English way (en_...), in chapter 1's argument.
FIXED_CONVENTION = re.compile(r"(^|_)(raw|en)_")


def test_a_number_glued_in_english_is_the_same_number_in_vietnamese_format():
    wrong = []
    numbers = 0
    shared = set(glue_references("en")) & set(glue_references("vi"))
    for page, notebook, key in sorted(shared):
        if FIXED_CONVENTION.search(key):
            continue
        english, vietnamese = glue_values("en", notebook)[key], glue_values("vi", notebook)[key]
        en_number = as_number(english, "en")
        if en_number is None:
            continue
        numbers += 1
        vi_number = as_number(vietnamese, "vi")
        if vi_number != en_number:
            wrong.append(f"{page} {key}: en {english!r}, vi {vietnamese!r}")
        elif english != vietnamese and as_number(vietnamese, "en") == en_number:
            wrong.append(f"{page} {key}: vi {vietnamese!r} is written the English way")
    assert numbers > 50, f"only {numbers} numeric glued values found"
    assert not wrong, "\n".join(wrong)


# --- no English on a Vietnamese page ----------------------------------------------------------

ENGLISH_WORDS = frozenset("""
the of and to in is are was were for with that this by on as from which it be not or at an
its their each what we our these those has have had but if than then into only also one two
would could should can may there they them who when where how
""".split())


def english_share(text: str) -> tuple[int, int]:
    words = re.findall(r"[A-Za-zÀ-ỹĐđ]+", text)
    return sum(w.lower() in ENGLISH_WORDS for w in words), len(words)


def looks_english(text: str) -> bool:
    """A run of text is English if at least four of its words, and a fifth of all, are English
    function words (the, of, and, is...). Vietnamese has none of them; a name or a term
    (Mekong ASEAN, GRDP, CC BY) has too few."""
    english, words = english_share(text)
    return english >= 4 and english * 5 >= words


def test_the_english_detector():
    assert looks_english("The article gives eleven figures; seven of them are estimates.")
    assert not looks_english("Bài báo đưa ra 11 số liệu; 7 trong số đó là số ước tính.")
    assert not looks_english("Nguồn: Mekong ASEAN, CC BY 4.0, GRDP, The Bến Tre figures project")


def vietnamese_pages() -> list[str]:
    from sphinx_external_toc.parsing import parse_toc_yaml

    return list(parse_toc_yaml(str(REPO / "_toc.yml")))


SKIPPED = "pre, code, script, style, .highlight, [lang=en], blockquote[lang=en]"


@pytest.mark.parametrize("docname", vietnamese_pages())
def test_a_vietnamese_page_has_no_english_paragraph(docname):
    from bs4 import BeautifulSoup

    path = build.edition_dir("vi", REPO) / "html" / f"{docname}.html"
    soup = BeautifulSoup(book_file(path).read_text(encoding="utf-8"), "html.parser")
    main = soup.find("main") or soup
    for node in main.select(SKIPPED):
        node.decompose()
    blocks = [" ".join(el.get_text(" ").split())
              for el in main.select("p, li, h1, h2, h3, h4, th, td, figcaption, caption, dt, dd")]
    english = sorted({b for b in blocks if looks_english(b)})
    assert not english, f"{docname}: English on the Vietnamese page: {english[:5]}"
    for img in main.select("img[alt]"):
        assert not looks_english(img["alt"]), f"{docname}: English alt text: {img['alt'][:80]}"


# Code in the PDF (the cells that teach) is Python, whose keywords (for, in, if, not, and)
# are English function words: a block with Python's marks is code, not prose.
CODE = re.compile(r"↪|\b(def|import|return|lambda|print)\b|\w\(|[=\[\]{}]|^\s*#")


def test_the_vietnamese_pdf_has_no_english_paragraph():
    paragraphs = [" ".join(p.split()) for p in re.split(r"\n\s*\n", vi_pdf_text())]
    english = [p for p in paragraphs if looks_english(p) and not CODE.search(p)]
    assert not english, f"English in the Vietnamese PDF: {english[:5]}"


# --- the Vietnamese PDF -----------------------------------------------------------------------

@cache
def vi_pdf_text() -> str:
    path = book_file(pdf.pdf_path(REPO, "vi"), "make pdf")
    return subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], check=True,
                          capture_output=True, text=True).stdout


def test_the_vietnamese_pdf_has_vietnamese_headings_and_captions():
    text = vi_pdf_text()
    assert "Mục lục" in text, "the contents are headed Mục lục"
    assert re.search(r"CHƯƠNG\s+1\b", text, re.I), "chapters are headed Chương N"
    assert not re.search(r"\bCHAPTER\b", text)  # (fncychap writes the heading in capitals)
    assert re.search(r"Hình 2\.1:", text), "figures are captioned Hình N.M, with a space"
    assert not re.search(r"\b(Fig\.|Figure|Table|Chapter|Contents) \d", text)


def test_the_vietnamese_pdf_declares_its_language_and_title():
    path = book_file(pdf.pdf_path(REPO, "vi"), "make pdf")
    info = subprocess.run(["pdfinfo", "-enc", "UTF-8", str(path)], check=True,
                          capture_output=True, text=True).stdout
    assert "Title:" in info and "Thành phố Bến Tre" in info
    log = pdf.read_log(book_file(pdf.log_path(REPO, "vi"), "make pdf"))
    assert "gloss-vietnamese.ldf" in log, "polyglossia's Vietnamese is the main language"


def test_the_vietnamese_pdf_never_breaks_a_syllable():
    """Vietnamese words are syllables separated by spaces; TeX Live has no Vietnamese
    patterns, and polyglossia then breaks lines only at spaces, which is the rule. A line
    that ends in a hyphen glued to a Vietnamese letter would be a syllable cut in two."""
    vietnamese = "ăâđêôơưáàảãạắằẳẵặấầẩẫậéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ"
    cut = [line for line in vi_pdf_text().splitlines()
           if re.search(rf"[{vietnamese}]\w*-$", line, re.I)]
    assert not cut, f"syllables broken at line ends: {cut[:5]}"


# --- the page around the text: navigation, buttons, labels ------------------------------------

# Words of the themes' interface and of the book's part captions: any of them, alone or in a
# phrase, in the Vietnamese edition's navigation or labels is English left on the page.
INTERFACE_WORDS = frozenset("""
page search mode content main top back next previous toggle sidebar light dark settings system
link heading image term equation navigation site warning index download edition source
figures audit classroom datasets later came beyond skip print fullscreen contents home
breadcrumb announcement version show hide code cell
""".split())


def english_labels(html: str) -> list[str]:
    from bs4 import BeautifulSoup, Comment

    soup = BeautifulSoup(html, "html.parser")
    for node in soup.select("script, style, [lang=en], main pre, main code, .highlight"):
        node.decompose()
    found = []
    for element in soup.find_all(True):
        for attribute in ("aria-label", "title", "placeholder", "alt"):
            if element.get(attribute):
                found.append(element[attribute])
    main = soup.find("main")
    for text in soup.find_all(string=True):
        if isinstance(text, Comment) or (main and text.find_parent("main") is main
                                         and not text.find_parent(["button", "summary"])):
            continue
        found.append(str(text))
    english = []
    for value in found:
        words = re.findall(r"[A-Za-zÀ-ỹĐđ]+", value)
        known = sum(w.lower() in INTERFACE_WORDS | ENGLISH_WORDS for w in words)
        # (Vietnamese written without diacritics, "In sang PDF", has few such words.)
        if words and all(w.isascii() for w in words) and known * 2 >= len(words):
            english.append(" ".join(value.split()))
    return sorted(set(english))


def test_the_interface_detector():
    assert english_labels('<nav aria-label="Main"><a title="next page">x</a></nav>') == [
        "Main", "next page"]
    assert english_labels('<nav aria-label="Điều hướng chính"><a lang="en" href="#">'
                          'English edition</a></nav><main><p>The text</p></main>') == []
    assert english_labels('<button title="In sang PDF">x</button>') == []


@pytest.mark.parametrize("docname", vietnamese_pages())
def test_a_vietnamese_page_has_a_vietnamese_interface(docname):
    """Navigation, part captions, buttons, tooltips, the search field and alt texts."""
    path = build.edition_dir("vi", REPO) / "html" / f"{docname}.html"
    english = english_labels(book_file(path).read_text(encoding="utf-8"))
    assert not english, f"{docname}: English in the Vietnamese page's interface: {english}"


def test_the_vietnamese_title_is_the_first_pages_translated_title():
    """The book's title in _config.vi.yml (HTML, PDF) is intro.po's translation of the
    English title, which is also the first page's heading: one title per edition."""
    import yaml

    english = yaml.safe_load((REPO / "_config.yml").read_text(encoding="utf-8"))["title"]
    vietnamese = yaml.safe_load((REPO / "_config.vi.yml").read_text(encoding="utf-8"))
    translated = read(LOCALE / "intro.po").get(english)
    assert translated is not None and translated.string, "intro.po translates the title"
    assert vietnamese["html_title"] == vietnamese["bentre_book_title"] == translated.string
