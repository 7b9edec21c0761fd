"""Promises of the PDF editions, read with poppler's tools: English
(``_build/latex/ben-tre-2020.pdf``) and Vietnamese (``_build/vi/latex/ben-tre-2020.pdf``).

Each PDF exists under its stable name and says what it is (metadata, bookmarks); its text
holds every chapter title (the Vietnamese edition's as its HTML shows them), "Bến Tre" and
every glued value the prose shows (the Vietnamese edition's from its own execution); the
LaTeX log has no "Missing character" line and nothing sticks out of the text block; every
figure and caption of the edition's HTML is in it; code that only serves rerunning
(``hide-input``) is not, code that teaches is; the edition's HTML offers it for download.
The English edition's index lists every glossary term in Vietnamese alphabetical order under
Vietnamese letter headings (checked against the alphabet written out here). Plus the
helpers of ``bentre.book.pdf`` on their own, and the exercise fix on a scratch book.

``make test`` builds the PDFs and the HTML before it runs this file and sets
``BENTRE_REQUIRE_PDF=1``, so a missing PDF fails. Run alone, build first (``make book``, or
one edition: ``make pdf-vi html-vi``); without a PDF the tests that read it skip and say why.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import textwrap
import unicodedata
from functools import cache
from pathlib import Path

import nbformat
import pytest
import yaml

from bentre.book import build, pdf
from conftest import REPO, source_of, toc_docnames

pytestmark = pytest.mark.book

LANGS = ["en", "vi"]
# Each edition's HTML (the Vietnamese beside its PDF, in _build/vi/).
EDITION_HTML = {lang: build.edition_dir(lang, REPO) / "html" for lang in LANGS}
# How LaTeX (polyglossia for Vietnamese) names the contents and numbers a figure.
CONTENTS = {"en": "contents", "vi": "mục lục"}
FIGURE_NUMBER = {"en": r"Fig\. ?\d+\.\d+:", "vi": r"Hình ?\d+\.\d+:"}
REQUIRED = os.environ.get("BENTRE_REQUIRE_PDF") == "1"
# Lines of the LaTeX log where something sticks out of the text block by more than this.
OVERFULL = re.compile(r"^Overfull \\hbox \((?P<pt>[\d.]+)pt too wide\) (?P<where>.*)$", re.M)
MAX_OVERFULL_PT = 10.0


# --- what to read ------------------------------------------------------------------------------

def built(path: Path, how: str = "make pdf") -> Path:
    """``path``, or a skip (a failure under ``make test``) that says how to build it."""
    if not path.is_file():
        message = f"{path.relative_to(REPO)} is not built: run `{how}` first"
        if REQUIRED:
            pytest.fail(message + " (BENTRE_REQUIRE_PDF=1: make test builds it)")
        pytest.skip(message)
    return path


def run(*command: str) -> str:
    return subprocess.run(command, check=True, capture_output=True, text=True).stdout


def pdf_of(lang: str = "en") -> Path:
    return built(pdf.pdf_path(REPO, lang), "make pdf" if lang == "en" else f"make pdf-{lang}")


@cache
def pdf_text(lang: str = "en") -> str:
    return run("pdftotext", "-enc", "UTF-8", str(pdf_of(lang)), "-")


def pdf_page_text(first: int, last: int, lang: str = "en") -> str:
    return run("pdftotext", "-enc", "UTF-8", "-f", str(first), "-l", str(last),
               str(pdf_of(lang)), "-")


@cache
def pdf_info(lang: str = "en") -> dict[str, str]:
    out = run("pdfinfo", "-enc", "UTF-8", str(pdf_of(lang)))
    return {k.strip(): v.strip() for k, _, v in (line.partition(":") for line in out.splitlines())}


def squash(text: str) -> str:
    """Text as comparable across HTML, notebook and PDF: Unicode-normalised (ligatures
    undone), TeX's typographic quotes and dashes made plain, and every space, line break and
    hyphen gone (TeX breaks lines and hyphenates words where it likes)."""
    text = unicodedata.normalize("NFKC", text)
    text = text.translate(str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"',
                                         "–": "-", "—": "-", "\u00ad": "-"}))
    return re.sub(r"[\s\-]+", "", text)


@cache
def squashed_pdf(lang: str = "en") -> str:
    return squash(pdf_text(lang))


def markdown_of(path: Path) -> list[str]:
    """The Markdown of a page: each Markdown cell of a notebook, or a .md file whole."""
    if path.suffix == ".ipynb":
        return [c.source for c in nbformat.read(path, as_version=4).cells
                if c.cell_type == "markdown"]
    return [path.read_text(encoding="utf-8")]


def first_heading(path: Path) -> str:
    """A page's title: its first level-1 heading, without inline markup."""
    for text in markdown_of(path):
        for line in text.splitlines():
            if line.startswith("# "):
                return re.sub(r"[*`]", "", line[2:]).strip()
    raise AssertionError(f"{path.relative_to(REPO)} has no level-1 heading")


def html_heading(lang: str, name: str) -> str:
    """A page's title as the edition's HTML shows it: its ``<h1>``, without the link mark."""
    from bs4 import BeautifulSoup

    page = built(EDITION_HTML[lang] / f"{name}.html", f"make html-{lang}")
    h1 = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").find("h1")
    assert h1 is not None, f"{page} has no <h1>"
    for extra in h1.select("a.headerlink, .section-number"):
        extra.extract()
    return h1.get_text(" ", strip=True)


@cache
def chapters(lang: str = "en") -> list[tuple[str, str]]:
    """(docname, title) of every page after the root, which is the book's front matter: in
    English from the Markdown, in another edition from its HTML (the translated title)."""
    if lang == "en":
        return [(name, first_heading(source_of(name))) for name in toc_docnames()[1:]]
    return [(name, html_heading(lang, name)) for name in toc_docnames()[1:]]


def glue_references(lang: str = "en") -> list[tuple[str, str, str, str]]:
    """(page, key, format spec, text) of every ``{glue:text}`` in the edition's prose, the
    text read from the notebook that glued it (the page itself or ``path::key``): its stored
    outputs for English, the edition's own execution for another language, whose
    translations may use other roles (``test_browser.glue_roles``)."""
    from test_browser import glue_roles, glued_value

    found = []
    for name in toc_docnames():
        for ref in glue_roles(name, lang):
            key, text = glued_value(name, ref, lang)
            spec = ref.rsplit(":", 1)[1] if ":" in ref.replace("::", "") else "s"
            found.append((source_of(name).name, key, spec, text))
    return found


# --- the file and what it says about itself ---------------------------------------------------

STABLE_NAMES = {"en": "_build/latex/ben-tre-2020.pdf", "vi": "_build/vi/latex/ben-tre-2020.pdf"}


def title_and_author(lang: str) -> tuple[str, str]:
    """The edition's title and author: ``_config.yml``'s, or ``_config.<lang>.yml``'s."""
    config = yaml.safe_load((REPO / "_config.yml").read_text(encoding="utf-8"))
    if lang == "en":
        return config["title"], config["author"]
    extra = yaml.safe_load((REPO / f"_config.{lang}.yml").read_text(encoding="utf-8"))
    return extra["bentre_book_title"], extra.get("author", config["author"])


@pytest.mark.parametrize("lang", LANGS)
def test_the_pdf_is_built_under_its_stable_name(lang):
    path = pdf_of(lang)
    assert path == REPO / STABLE_NAMES[lang]
    assert path.read_bytes()[:5] == b"%PDF-"
    assert int(pdf_info(lang)["Pages"]) > 5


@pytest.mark.parametrize("lang", LANGS)
def test_metadata_names_title_author_and_subject(lang):
    title, author = title_and_author(lang)
    info = pdf_info(lang)
    assert info.get("Title") == title
    assert info.get("Author") == author
    assert "Bến Tre" in info.get("Subject", "")
    assert info.get("Page size", "").endswith("(A4)")


def test_the_editions_are_two_books():
    """Not one PDF twice: the Vietnamese edition has its own title and its own text."""
    assert title_and_author("vi")[0] != title_and_author("en")[0]
    assert pdf_info("vi").get("Title") != pdf_info("en").get("Title")
    assert pdf_of("vi").read_bytes() != pdf_of("en").read_bytes()


@pytest.mark.parametrize("lang", LANGS)
def test_bookmarks_list_every_chapter_with_its_number(lang):
    out = built(pdf_of(lang).with_suffix(".out"))
    marks = [_pdf_string(m) for m in re.findall(r"\\BOOKMARK \[[^]]*\]\[[^]]*\]\{[^}]*\}\{(.*)\}\{[^}]*\}%",
                                                out.read_text(encoding="latin-1"))]
    numbered = {squash(m.split(" ", 1)[1]) for m in marks if re.match(r"\d+ ", m)}
    for name, title in chapters(lang):
        assert squash(title) in numbered, f"no numbered bookmark for {title!r} ({name}): {marks}"


def _pdf_string(text: str) -> str:
    """A hyperref bookmark string: octal escapes, UTF-16 when it starts with a BOM."""
    raw = re.sub(rb"\\([0-7]{3})", lambda m: bytes([int(m.group(1), 8)]), text.encode("latin-1"))
    raw = raw.replace(b"\\(", b"(").replace(b"\\)", b")").replace(b"\\\\", b"\\")
    return raw[2:].decode("utf-16-be") if raw[:2] == b"\xfe\xff" else raw.decode("latin-1")


# --- its text ---------------------------------------------------------------------------------

@pytest.mark.parametrize("lang", LANGS)
def test_title_page_then_contents_listing_every_chapter(lang):
    title, _ = title_and_author(lang)
    assert squash(title) in squash(pdf_page_text(1, 1, lang))
    front = squash(pdf_page_text(2, 4, lang)).casefold()
    assert squash(CONTENTS[lang]) in front
    for name, heading in chapters(lang):
        assert squash(heading).casefold() in front, f"{heading!r} ({name}) not in the contents"


@pytest.mark.parametrize("lang", LANGS)
def test_every_chapter_title_and_ben_tre_are_in_the_text(lang):
    text = squashed_pdf(lang).casefold()  # chapter heads are set in capitals
    assert "Bến Tre" in pdf_text(lang)
    for name, title in chapters(lang):
        assert squash(title).casefold() in text, f"{title!r} ({name}) not in the PDF"


@pytest.mark.parametrize("lang", LANGS)
def test_every_glued_value_of_the_prose_is_in_the_text(lang):
    refs = glue_references(lang)
    names = {key for _, key, _, _ in refs}
    assert {"n_figures", "sha256"} <= names, "the source chapter's key values are glued"
    text = squashed_pdf(lang)
    missing = [(page, key, value) for page, key, _, value in refs if squash(value) not in text]
    assert not missing, f"glued values not in the {lang} PDF: {missing}"


@pytest.mark.parametrize("lang", LANGS)
def test_vietnamese_keeps_every_diacritic(lang):
    """A sentence of the article quoted in the source chapter, character for character
    (quotations of the article stay as written in both editions)."""
    quote = "Năm 2020 là năm cuối thực hiện Nghị quyết số 07 của Tỉnh ủy Bến Tre"
    assert squash(quote) in squashed_pdf(lang)


# --- the LaTeX log ----------------------------------------------------------------------------

@pytest.mark.parametrize("lang", LANGS)
def test_the_latex_log_has_no_missing_character(lang):
    log = built(pdf.log_path(REPO, lang))
    assert pdf.missing_characters(pdf.read_log(log)) == []
    assert pdf.check(REPO, lang) == []


@pytest.mark.parametrize("lang", LANGS)
def test_nothing_sticks_out_of_the_text_block(lang):
    """Tables fit the page: no line (a table row, a cell, a paragraph) wider than the text by
    more than MAX_OVERFULL_PT."""
    log = pdf.read_log(built(pdf.log_path(REPO, lang)))
    wide = [m.group(0) for m in OVERFULL.finditer(log) if float(m.group("pt")) > MAX_OVERFULL_PT]
    assert not wide, "\n".join(wide)


# --- the index -------------------------------------------------------------------------------

# Vietnamese alphabetical order, written out here rather than taken from bentre: the 29
# letters, and the tones in dictionary order (none, huyền, hỏi, ngã, sắc, nặng).
VIETNAMESE_LETTERS = "a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư v x y".split()
TONE_ORDER = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}
INDEX_ENTRY = re.compile(r"^(?P<term>\S.*?), (?P<pages>\d+(?:, \d+)*)$")


def vietnamese_order(text: str) -> tuple:
    """Dictionary order: the letters (spaces and punctuation first), then the tones, then
    the text itself; case aside."""
    letters, tones = [], []
    for char in unicodedata.normalize("NFD", text.lower()):
        if char in TONE_ORDER:
            tones[-1] = TONE_ORDER[char]
        elif unicodedata.combining(char):       # breve, circumflex, horn: part of the letter
            letters[-1] = unicodedata.normalize("NFC", letters[-1] + char)
        else:
            letters.append(char)
            tones.append(0)
    ranks = [VIETNAMESE_LETTERS.index(c) + 1 if c in VIETNAMESE_LETTERS
             else 100 + ord(c) if c.isalnum() else 0 for c in letters]
    return ranks, tones, text


def first_letter(text: str) -> str:
    """A word's letter in the alphabet (its tone dropped), upper-cased: ước → Ư."""
    nfd = unicodedata.normalize("NFD", text[0])
    return unicodedata.normalize("NFC", nfd[0] + "".join(
        c for c in nfd[1:] if c not in TONE_ORDER)).upper()


@cache
def pdf_index() -> list[tuple[str, str]]:
    """The PDF's index, in reading order: ("heading", letter) and ("entry", term), read column
    by column from the pages after the "INDEX" title (the book's last part)."""
    path = str(built(pdf.pdf_path(REPO)))
    pages = int(pdf_info()["Pages"])
    first = next((p for p in range(pages, 0, -1)
                  if "INDEX" in pdf_page_text(p, p).splitlines()), None)
    assert first, "no page of the PDF has the INDEX title"
    width, height = (float(v) for v in re.findall(r"[\d.]+", pdf_info()["Page size"])[:2])
    items = []
    for page in range(first, pages + 1):
        for left in (0, width / 2):
            text = run("pdftotext", "-enc", "UTF-8", "-f", str(page), "-l", str(page),
                       "-x", str(int(left)), "-y", "0", "-W", str(int(width / 2)),
                       "-H", str(int(height)), path, "-")
            pending = ""  # a long entry wraps: "tổng … dịch" then "vụ, 94"
            for line in map(str.strip, text.splitlines()):
                joined = f"{pending} {line}" if pending else line
                pending = ""
                if (match := INDEX_ENTRY.match(joined)):
                    items.append(("entry", match["term"]))
                elif len(line) == 1 and line.isalpha() or line == "Symbols":
                    items.append(("heading", line))
                elif line:
                    pending = joined
    return items


def test_the_index_holds_every_glossary_term_in_vietnamese_alphabetical_order():
    from bentre import data

    entries = [term for kind, term in pdf_index() if kind == "entry"]
    terms = set(data.load_glossary()["term_vi"])
    assert terms <= set(entries), f"glossary terms not in the index: {terms - set(entries)}"
    assert entries == sorted(entries, key=vietnamese_order)
    # The review's examples (issue 9): chỉ before chính, cải before cùng, ước before xã.
    at = entries.index
    assert at("chỉ số giá tiêu dùng") < at("chính quyền")
    assert at("cải cách hành chính") < at("cùng kỳ")
    assert at("ước") < at("ước đạt") < at("xã")
    d = [at(t) for t in entries if first_letter(t) == "D"]
    dd = [at(t) for t in entries if first_letter(t) == "Đ"]
    later = [at(t) for t in entries if first_letter(t) in {"E", "Ê", "G"}]
    assert d and dd and later and max(d) < min(dd) and max(dd) < min(later)


def test_the_index_letter_headings_are_vietnamese_letters_in_order():
    """Each group is headed by the letter its entries start with (Đ, Ư: not D, U or a
    broken byte), and the headings follow the alphabet: … D, Đ, …, U, Ư, V, X."""
    index = pdf_index()
    headings = [letter for kind, letter in index if kind == "heading"]
    assert headings == sorted(headings, key=lambda h: VIETNAMESE_LETTERS.index(h.lower()))
    assert len(headings) == len(set(headings))
    assert {"D", "Đ", "U", "Ư"} <= set(headings)
    assert headings.index("Đ") == headings.index("D") + 1
    assert index[0][0] == "heading"
    current = None
    for kind, text in index:
        if kind == "heading":
            current = text
        else:
            assert first_letter(text) == current, f"{text!r} under the heading {current!r}"


# --- figures and code --------------------------------------------------------------------------

def html_figures(lang: str = "en") -> list[tuple[str, list[str]]]:
    """(page, [figure images]) for every page of the edition's HTML: ``<img>`` of the book's
    own images (``_images/``), outside cells whose output the PDF hides by design."""
    from bs4 import BeautifulSoup

    hidden = {"tag_hide-output", "tag_hide-cell", "tag_remove-output", "tag_remove-cell"}
    pages = []
    for name in toc_docnames():
        page = built(EDITION_HTML[lang] / f"{name}.html", f"make html-{lang}")
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        images = [img["src"] for img in soup.find_all("img")
                  if "_images/" in img.get("src", "")
                  and not any(hidden & set(parent.get("class") or [])
                              for parent in img.parents)]
        pages.append((name, images))
    return pages


def pdf_images(lang: str = "en") -> list[str]:
    """One line of ``pdfimages -list`` per raster image drawn (masks of transparent PNGs aside)."""
    lines = run("pdfimages", "-list", str(pdf_of(lang))).splitlines()[2:]
    return [line for line in lines if line.split()[2] == "image"]


def executed_notebooks(lang: str) -> list[tuple[str, nbformat.NotebookNode]]:
    """(name, notebook) of every chapter with the outputs the edition shows: the stored
    outputs for English; for another language, the edition's own execution, read from its
    execution cache (myst-nb's copy in ``jupyter_execute/`` keeps the stored outputs: only
    its ``.glue.json`` is the edition's)."""
    paths = sorted((REPO / "chapters").glob("*.ipynb"))
    if lang == "en":
        return [(path.name, nbformat.read(path, as_version=4)) for path in paths]
    from jupyter_cache import get_cache

    folder = build.edition_dir(lang, REPO) / build.CACHE
    cache = get_cache(str(built(folder / "global.db", f"make pdf-{lang}").parent))
    found = []
    for path in paths:
        try:
            record = cache.match_cache_file(str(path))
        except KeyError:
            built(folder / path.name, f"make pdf-{lang}")  # not executed: skip, or fail
        found.append((path.name, cache.get_cache_bundle(record.pk).nb))
    return found


@cache
def stored_figures(lang: str = "en") -> dict[str, dict]:
    """Every figure of the chapters (``bentre.plots.show``: SVG, PDF and PNG), stored or as
    the edition executed them, by the name myst-nb gives its SVG in the HTML: the SHA-256 of
    the bytes it writes."""
    import base64
    import hashlib

    figures = {}
    for name, notebook in executed_notebooks(lang):
        for cell in notebook.cells:
            for output in cell.get("outputs", []):
                data = output.get("data", {})
                if "image/svg+xml" in data:
                    svg = os.linesep.join(data["image/svg+xml"].splitlines()).encode("utf-8")
                    figures[hashlib.sha256(svg).hexdigest() + ".svg"] = {
                        "notebook": name,
                        "pdf": base64.b64decode(data.get("application/pdf", ""))}
    return figures


def latex_figures(lang: str = "en") -> list[str]:
    """The files the PDF edition's LaTeX source includes as figures, in order."""
    tex = built(pdf_of(lang).with_suffix(".tex"))
    return re.findall(r"\\sphinxincludegraphics(?:\[[^\]]*\])?\{\{([^}]+)\}(\.\w+)\}",
                      tex.read_text(encoding="utf-8"))


@pytest.mark.parametrize("lang", LANGS)
def test_every_figure_of_the_html_is_in_the_pdf(lang):
    """The same figures, in the same order: each SVG of the edition's HTML is a figure of
    the chapters as that edition executed them, and the LaTeX source includes exactly those
    figures' vector PDFs; the PDF has no raster image."""
    import hashlib

    html = html_figures(lang)
    shown = [src.rsplit("/", 1)[-1] for _, images in html for src in images]
    stored = stored_figures(lang)
    assert shown, "no figure in the HTML"
    assert all(name in stored for name in shown), (
        f"HTML figures that are not the stored SVG of a chapter: "
        f"{[n for n in shown if n not in stored]} ({html})")
    included = latex_figures(lang)
    assert [ext for _, ext in included] == [".pdf"] * len(included), included
    expected = [hashlib.sha256(stored[name]["pdf"]).hexdigest() for name in shown]
    assert [stem for stem, _ in included] == expected, (
        f"{len(shown)} figure(s) in the HTML, {len(included)} in the PDF, or not the same "
        f"ones in the same order: {html}")
    assert pdf_images(lang) == [], "raster images in the PDF: every figure should be vector"


@pytest.mark.parametrize("lang", LANGS)
def test_the_figures_text_is_text_in_the_pdf(lang):
    """Vector, not a picture of text: every word of every figure (its title, axis labels,
    values) can be found in the PDF's text, as in the figure's own PDF."""
    import tempfile

    text = squashed_pdf(lang)
    with tempfile.TemporaryDirectory() as tmp:
        for name, figure in stored_figures(lang).items():
            path = Path(tmp) / "figure.pdf"
            path.write_bytes(figure["pdf"])
            words = {w for w in run("pdftotext", "-enc", "UTF-8", str(path), "-").split()
                     if len(w) >= 4}
            missing = sorted(w for w in words if squash(w) not in text)
            assert words and not missing, f"{figure['notebook']}, {name}: {missing}"


@pytest.mark.parametrize("lang", LANGS)
def test_every_figure_caption_of_the_html_is_in_the_pdf_numbered(lang):
    from bs4 import BeautifulSoup

    captions = []
    for name in toc_docnames():
        page = built(EDITION_HTML[lang] / f"{name}.html", f"make html-{lang}")
        soup = BeautifulSoup(page.read_text("utf-8"), "html.parser")
        for caption in soup.select("figure figcaption"):
            for extra in caption.select(".caption-number, a.headerlink"):
                extra.extract()
            captions.append(caption.get_text(" ", strip=True))
    text = squashed_pdf(lang)
    for caption in captions:
        assert squash(caption) in text, f"caption {caption!r} not in the {lang} PDF"
    numbered = re.findall(FIGURE_NUMBER[lang], pdf_text(lang))
    assert captions and len(numbered) >= len(captions)


def code_lines(cell) -> list[str]:
    """Lines of a code cell worth looking for: 12 to 60 characters (a longer one wraps in
    the PDF), comments left off (pdftotext may set them apart)."""
    lines = (re.sub(r"\s+#.*$", "", line).strip() for line in cell.source.splitlines())
    return [line for line in lines if 12 <= len(line) <= 60 and not line.startswith("#")]


@pytest.mark.parametrize("lang", LANGS)
def test_code_for_rerunning_is_left_out_and_code_that_teaches_stays(lang):
    hidden, shown, elsewhere = set(), [], set()
    for name in toc_docnames():
        path = source_of(name)
        if path.suffix != ".ipynb":
            continue
        for cell in nbformat.read(path, as_version=4).cells:
            if cell.cell_type != "code":
                elsewhere.update(line.strip() for line in cell.source.splitlines())
                continue
            tags = set(cell.metadata.get("tags", []))
            if tags & {"hide-input", "remove-input", "remove-cell", "hide-cell"}:
                hidden.update(code_lines(cell))
            else:
                elsewhere.update(line.strip() for line in cell.source.splitlines())
                if code_lines(cell):
                    shown.append((name, code_lines(cell)[0]))
    # A hidden line that also appears in prose or in a shown cell proves nothing.
    hidden = {line for line in hidden
              if not any(line in other for other in elsewhere)}
    assert hidden and shown, "the chapters have both kinds of code cell"
    text = squashed_pdf(lang)
    leaked = sorted(line for line in hidden if squash(line) in text)
    assert not leaked, f"code of hide-input cells in the PDF: {leaked}"
    lost = [(name, line) for name, line in shown if squash(line) not in text]
    assert not lost, f"code of teaching cells missing from the PDF: {lost}"


# --- the HTML offers it ----------------------------------------------------------------------

@pytest.mark.parametrize("lang", LANGS)
def test_the_html_offers_the_pdf_for_download(lang):
    """Each edition's pages offer that edition's PDF, copied beside them."""
    from bs4 import BeautifulSoup

    copy = built(pdf.html_copy_path(REPO, lang), "make book")
    assert copy == EDITION_HTML[lang] / pdf.pdf_name(REPO)
    assert copy.read_bytes() == pdf_of(lang).read_bytes()
    for docname in toc_docnames():
        page = built(EDITION_HTML[lang] / f"{docname}.html", f"make html-{lang}")
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        links = [a["href"] for a in soup.select("a.btn-download-pdf-edition-button")]
        assert links, f"{docname}.html: no PDF edition in the download menu"
        assert (page.parent / links[0]).resolve() == copy.resolve(), (docname, links)


# --- bentre.book.pdf on its own (no build needed) ---------------------------------------------------

def test_missing_character_lines_are_found():
    log = textwrap.dedent("""\
        (./ben-tre-2020.aux)
        Missing character: There is no ế (U+1EBF) in font FreeMono/OT:script=latn;language=dflt;!
        [12] [13]
        Missing character: There is no 字 (U+5B57) in font FreeSerif/OT:script=latn;language=dflt;!
        Invalid UTF-8 byte or sequence at line 102 replaced by U+FFFD.
        Output written on ben-tre-2020.xdv (18 pages, 1 bytes).""")
    found = pdf.missing_characters(log)
    assert len(found) == 3 and "U+1EBF" in found[0] and "U+5B57" in found[1]
    assert "U+FFFD" in found[2]
    assert pdf.missing_characters("Output written on x.xdv (1 page).") == []


def test_check_fails_on_a_missing_character_and_on_a_missing_pdf(tmp_path):
    shutil.copy2(REPO / "_config.yml", tmp_path / "_config.yml")
    assert "not built" in pdf.check(tmp_path)[0]
    latex = tmp_path / "_build" / "latex"
    latex.mkdir(parents=True)
    pdf.pdf_path(tmp_path).write_bytes(b"%PDF-1.5\n")
    pdf.log_path(tmp_path).write_text("Missing character: There is no ữ (U+1EEF) in font X!\n",
                                      encoding="utf-8")
    problems = pdf.check(tmp_path)
    assert len(problems) == 1 and "U+1EEF" in problems[0]
    pdf.log_path(tmp_path).write_text("Output written on ben-tre-2020.xdv\n", encoding="utf-8")
    assert pdf.check(tmp_path) == []


def test_long_words_in_cells_may_break_and_nothing_is_lost():
    digest = "f6718027a235f0aa01692bf11df63399b9740e20012ee90e7ba96c2a6127f21c"
    for text in ["total_revenue_goods_services", "2020-01/2020-09", digest,
                 "The number exactly as printed, in the Vietnamese convention"]:
        assert "".join(pdf._break_points(text)) == text
    assert pdf._break_points("total_revenue_goods") == ["total_", "revenue_", "goods"]
    assert pdf._break_points("2020-01/2020-09") == ["2020-01/", "2020-09"]
    assert max(map(len, pdf._break_points(digest))) == pdf._CHUNK
    assert pdf._break_points("Vietnamese convention") == ["Vietnamese convention"]


def test_table_layout():
    short = [["as printed", "24.012", "4.243,46"], ["read as Vietnamese", "24,012.000", "4,243.460"]]
    assert pdf.table_layout(short, right=[False, True]) == ("lr", r"\small", False)
    prose = [["id", "rev"], ["our translation", "Total revenue of goods and services is "
                             "estimated at 24,012 billion dong, up 2.726% on the same period"]]
    assert pdf.table_layout(prose)[0] == "lL"
    tall = [["id"] + [f"row_{i}" for i in range(20)],
            ["source"] + ["General Statistics Office (GSO) report of 29/9/2020"] * 20]
    spec, setup, longtable = pdf.table_layout(tall)
    assert longtable and spec.count("p{") == 2
    assert r"\bentreGobbleTableNumber" in setup      # no "Table N" of another table
    assert r"\bentreGobbleTableNumber" not in pdf.table_layout(tall, captioned=True)[1]
    assert pdf.table_layout(tall, breakable=False) == ("lL", r"\small", False)  # in a box
    dense = [[f"c{i}", "x"] for i in range(pdf.DENSE_TABLE)]
    assert pdf.table_layout(dense)[1].startswith(r"\footnotesize")


def test_index_sort_keys_sort_as_the_glossary():
    """makeindex compares keys byte by byte: plain ASCII letters, in the glossary's order."""
    from bentre import data, glossary

    pairs = [("chỉ số giá tiêu dùng", "chính quyền"), ("cải cách hành chính", "cùng kỳ"),
             ("doanh thu", "Đại hội"), ("đồng", "giá hiện hành"),
             ("dân vận", "doanh nghiệp"), ("đồng", "ê"), ("e", "ê"), ("UBND", "ước"),
             ("ước", "ước đạt"), ("ước", "xã"),
             ("tăng", "thành phố"), ("a", "ă"), ("ă", "â"), ("o", "ô"), ("ô", "ơ"),
             ("ma", "mà"), ("mà", "mả"), ("mả", "mã"), ("mã", "má"), ("má", "mạ")]
    for earlier, later in pairs:
        assert pdf.index_sort_key(earlier) < pdf.index_sort_key(later), (earlier, later)
        assert glossary.sort_key(earlier) < glossary.sort_key(later), (earlier, later)
        assert vietnamese_order(earlier) < vietnamese_order(later), (earlier, later)
    terms = list(data.load_glossary()["term_vi"])
    assert sorted(terms, key=pdf.index_sort_key) == sorted(terms, key=glossary.sort_key)
    assert sorted(terms, key=pdf.index_sort_key) == sorted(terms, key=vietnamese_order)
    for term in terms + ["UBND x", "ꙮ 字 z", "2020", "(state) budget"]:
        assert re.fullmatch(r"[a-z]+", pdf.index_sort_key(term)), term
    # Beyond the alphabet (digits, other scripts) the order is still the glossary's.
    odd = ["zebra", "ꙮ", "字", "2020", "y", "(state) budget", "ab", "a b", "a-b"]
    assert sorted(odd, key=pdf.index_sort_key) == sorted(odd, key=glossary.sort_key)


def test_index_letter_groups_and_their_headings():
    assert pdf.index_letter("ước đạt")[1] == "Ư" and pdf.index_letter("Đảng bộ")[1] == "Đ"
    assert pdf.index_letter("ổn định")[1] == "Ô" and pdf.index_letter("(state)") == (0, "")
    singles = ["xã", "ước", "Đại hội", "doanh thu", "cùng kỳ"]
    codes, latex = pdf._index_headings([("single", t) for t in singles]
                                       + [("see", "ăn; x"), ("pair", "ba; ơn")])
    assert sorted(codes.values()) == list("abcdefgh")
    assert re.findall(r"\\bentreIndexLetterIs\{(.)\}\{(.)\}", latex) == [
        ("A", "Ă"), ("B", "B"), ("C", "C"), ("D", "D"), ("E", "Đ"), ("F", "Ơ"),
        ("G", "Ư"), ("H", "X")]
    many = [("single", chr(c)) for c in range(ord("a"), ord("z") + 1)] + [
        ("single", t) for t in "ă â đ ê ô ơ ư".split()]
    codes, latex = pdf._index_headings(many)
    assert max(codes.values()) == "z" and r"\bentreIndexLetterIs{Z}{Ư–Z}" in latex


def test_nested_sections_lose_their_heading_marks_but_real_sections_keep_them():
    from docutils import nodes
    from docutils.utils import new_document
    from sphinx_exercise.nodes import exercise_enumerable_node

    doc = new_document("intro")
    top = nodes.section(header_level=1)
    box = exercise_enumerable_node()
    body = nodes.section(header_level=2)
    sub = nodes.section(header_level=2)
    box += body
    top += [box, sub]
    doc += top
    assert pdf._keep_nested_sections_in_place(doc) == 1
    assert "header_level" not in body and sub["header_level"] == 2 and top["header_level"] == 1


# --- the exercise fix, on a scratch book -------------------------------------------------------

SCRATCH_CONFIG = """\
title: Scratch
author: Tests
only_build_toc_files: true
execute: {execute_notebooks: "off"}
latex: {use_jupyterbook_latex: true, latex_documents: {targetname: scratch.tex}}
sphinx:
  extra_extensions: [sphinx_exercise, bentre.book.pdf]
"""
SCRATCH_PAGE = """\
# {title}

Before the box.

```{{exercise}} Read a number
:label: ex-{name}

Body of the {name} exercise, first paragraph.

Second paragraph of the {name} exercise.
```

```{{solution}} ex-{name}
Body of the {name} solution.
```

After the box.
"""


def test_exercise_and_solution_bodies_stay_inside_their_boxes_in_latex(tmp_path):
    """sphinx-jupyterbook-latex moves a section's content out of its box in the root
    document; bentre.book.pdf keeps it in. Checked in the LaTeX source (no TeX needed)."""
    (tmp_path / "_config.yml").write_text(SCRATCH_CONFIG, encoding="utf-8")
    (tmp_path / "_toc.yml").write_text(
        "format: jb-book\nroot: intro\nchapters:\n  - file: chapter\n", encoding="utf-8")
    (tmp_path / "intro.md").write_text(SCRATCH_PAGE.format(title="Root", name="root"))
    (tmp_path / "chapter.md").write_text(SCRATCH_PAGE.format(title="Chapter", name="chapter"))
    jb = Path(sys.executable).with_name("jupyter-book")
    result = subprocess.run([str(jb), "build", ".", "--builder", "latex", "-W", "-n"],
                            cwd=tmp_path, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    tex = (tmp_path / "_build" / "latex" / "scratch.tex").read_text(encoding="utf-8")
    boxes = re.findall(r"\\begin\{sphinxadmonition\}\{note\}\{(.*?)\}(.*?)\\end\{sphinxadmonition\}",
                       tex, re.S)
    assert [title.split()[0] for title, _ in boxes] == ["Exercise", "Solution"] * 2, boxes
    for (_, exercise), (_, solution), name in zip(boxes[::2], boxes[1::2], ["root", "chapter"]):
        assert f"Body of the {name} exercise, first paragraph" in exercise
        assert f"Second paragraph of the {name} exercise" in exercise
        assert f"Body of the {name} solution" in solution
    assert tex.index("Second paragraph of the root exercise") < tex.index("After the box.")
