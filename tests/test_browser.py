"""Promises of the built book, both editions, checked in a real browser with the network cut.

The editions: English (``_build/html``, or ``BENTRE_HTML``) and Vietnamese
(``_build/vi/html``, or ``BENTRE_VI_HTML``); every test of a page runs on both (ids
``en-…``, ``vi-…``). Debian's Chromium (``/usr/bin/chromium``, driven by Playwright) opens
every page of the table of contents from a server on 127.0.0.1 that serves the edition as a
static host would (gzip for text). On every page: no console error, no uncaught script
error, no failed request, no request to any other host, every image decoded, every internal
link and anchor resolves, every glued value is on the page (the English edition's read from
the notebooks' stored outputs, the Vietnamese edition's from its own execution, beside its
build in ``jupyter_execute/``), the page says its language (``<html lang>``), and it weighs
at most 1.5 MB on the wire and 1 MB uncompressed. Search finds the chapter for a Vietnamese
query in both editions, and each edition reads from disk (``file://``) without a server.
Every page of the table of contents links to the same page in the other edition, and the
link opens it from disk; a translated paragraph may order, repeat or choose its glued values
as its translation says (the catalogs, ``locale/vi/``).
A screenshot of each page goes to ``_build/screenshots/`` (``vi/`` for the Vietnamese
edition) for review; page weights to ``_build/page-weights.json``.

``make test`` builds both editions before it runs this file; alone, run ``make html`` first.
"""

from __future__ import annotations

import functools
import gzip
import http.server
import json
import mimetypes
import os
import re
import threading
from collections import Counter
from pathlib import Path
from urllib.parse import unquote, urlsplit

import nbformat
import pytest

from conftest import REPO, source_of, toc_docnames

pytestmark = pytest.mark.book


def missing(what: str) -> None:
    """Without a built book (or a browser) these tests cannot run: under ``make test``
    (``BENTRE_REQUIRE_BOOK=1``, after the build) that is a failure; alone, a skip that says
    what to do."""
    if os.environ.get("BENTRE_REQUIRE_BOOK"):
        pytest.fail(what)
    pytest.skip(what)

# BENTRE_HTML, BENTRE_VI_HTML: another build to check (a copy of the project, say); by
# default this one's.
HTML = Path(os.environ.get("BENTRE_HTML", REPO / "_build" / "html"))
VI_HTML = Path(os.environ.get("BENTRE_VI_HTML", REPO / "_build" / "vi" / "html"))
EDITIONS = {"en": HTML, "vi": VI_HTML}
OTHER = {"en": "vi", "vi": "en"}
# The link to the other edition (bentre.book.translate), in the language it leads to.
EDITION_LINK_TEXT = {"en": "English edition", "vi": "Bản tiếng Việt"}
# A query in the Vietnamese edition's own prose (the audit chapter's title: "rà soát số
# liệu", the review of the figures), and the chapter it must find.
VI_QUERY, VI_QUERY_CHAPTER = "rà soát số liệu", "chapters/07_audit"
SCREENSHOTS = REPO / "_build" / "screenshots"
WEIGHTS = REPO / "_build" / "page-weights.json"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-quic", "--no-first-run",
                 "--disable-sync"]
MAX_PAGE_BYTES = 1_500_000
# Issue 13: opened from disk (a computer room) nothing is compressed: every page, with all
# it loads (HTML, CSS, JS, fonts, images), at most 1 MB as the files are.
MAX_PAGE_UNCOMPRESSED = 1_000_000
HOST = "127.0.0.1"
GLUE_TEXT = re.compile(r"\{glue:text\}`([^`]+)`")


def built_edition(edition: str) -> Path:
    root = EDITIONS[edition]
    if not (root / "index.html").is_file():
        missing(f"no built {edition} edition in {root}: run `make html` "
                "(make test builds it first)")
    return root


def edition_cases(docnames: list[str]) -> list:
    return [pytest.param(edition, docname, id=f"{edition}-{docname}")
            for edition in EDITIONS for docname in docnames]


# --- what the book should contain ------------------------------------------------------------

# Text for one edition only (``:::{only} lang_en``, bentre.book.translate): the other
# edition neither shows it nor its glued values.
ONLY_BLOCK = re.compile(r"^:::\{only\} lang_(\w+)[ \t]*\n.*?^:::[ \t]*$", re.M | re.S)


def markdown_of(path: Path, edition: str = "en") -> str:
    if path.suffix == ".ipynb":
        nb = nbformat.read(path, as_version=4)
        text = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    else:
        text = path.read_text(encoding="utf-8")
    return ONLY_BLOCK.sub(lambda m: m.group(0) if m.group(1) == edition else "", text)


@functools.cache
def stored_glue(notebook: Path) -> dict[str, str]:
    """``key -> text/plain`` of every value glued in a notebook's stored outputs."""
    nb = nbformat.read(notebook, as_version=4)
    found = {}
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            name = output.get("metadata", {}).get("scrapbook", {}).get("name")
            text = output.get("data", {}).get("application/papermill.record/text/plain")
            if name and text is not None:
                found[name] = text
    return found


# Sphinx's SmartQuotes curls the quotes of a glued text on the page ("x" → “x”, it's →
# it’s); the value is the same, so quotes are compared straightened on both sides.
STRAIGHT_QUOTES = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'"})


def straight(text: str) -> str:
    return text.translate(STRAIGHT_QUOTES)


def executed_glue(notebook: Path, edition: str) -> dict[str, str]:
    """``key -> text/plain`` of every value a notebook glued when the edition's build
    executed it: myst-nb keeps them beside the executed copy (``jupyter_execute/``,
    ``<page>.glue.json``). The Vietnamese edition has no stored outputs of its own."""
    relative = notebook.resolve().relative_to(REPO.resolve()).with_suffix(".glue.json")
    path = EDITIONS[edition].parent / "jupyter_execute" / relative
    if not path.is_file():
        missing(f"{path} is missing: build the {edition} edition (make html)")
    records = json.loads(path.read_text(encoding="utf-8"))
    return {name: record["data"]["text/plain"] for name, record in records.items()
            if "text/plain" in record.get("data", {})}


LOCALE = REPO / "locale"


def translated_messages(docname: str, edition: str) -> list[tuple[str, str]]:
    """(msgid, msgstr) of every message the page's catalog translates (not fuzzy)."""
    from babel.messages.pofile import read_po

    path = LOCALE / edition / "LC_MESSAGES" / f"{docname}.po"
    if not path.is_file():
        return []
    with path.open("rb") as handle:
        catalog = read_po(handle)
    return [(m.id, m.string) for m in catalog
            if m.id and isinstance(m.id, str) and m.string and not m.fuzzy]


def glue_roles(docname: str, edition: str = "en") -> list[str]:
    """The content (``[path::]key[:format]``) of each ``{glue:text}`` role of a page in an
    edition. English: in the order of the source. Another language: a paragraph its catalog
    translates has the roles of its translation (a translator may reorder them, repeat one
    or use another), so the roles come sorted."""
    text = markdown_of(source_of(docname), edition)
    roles = GLUE_TEXT.findall(text)
    if edition == "en":
        return roles
    flat = " ".join(text.split())
    counts = Counter(roles)
    for msgid, msgstr in translated_messages(docname, edition):
        before, after = Counter(GLUE_TEXT.findall(msgid)), Counter(GLUE_TEXT.findall(msgstr))
        if before == after:
            continue
        times = flat.count(" ".join(msgid.split()))
        for _ in range(times):
            counts.subtract(before)
            counts.update(after)
    assert all(n >= 0 for n in counts.values()), f"{docname}: {counts}"
    return sorted(counts.elements())


def glued_value(docname: str, content: str, edition: str = "en") -> tuple[str, str]:
    """(key, text) of one role, formatted as myst-nb formats it: in English from the
    stored outputs of the notebook the role names, in another language from the edition's
    execution of it."""
    from myst_nb.core.variables import format_plain_text

    path = source_of(docname)
    key, fmt = content.rsplit(":", 1) if ":" in content else (content, "s")
    notebook = path
    if "::" in key:
        other, key = key.split("::", 1)
        notebook = (path.parent / other).resolve()
    glued = stored_glue(notebook) if edition == "en" else executed_glue(notebook, edition)
    assert key in glued, f"{docname}: {key!r} is not glued in {notebook.name} ({edition})"
    return key, format_plain_text(glued[key], fmt)


def expected_glued_text(docname: str, edition: str = "en") -> list[str]:
    """The text of each ``{glue:text}`` role of a page in an edition (``glue_roles``)."""
    return [glued_value(docname, content, edition)[1]
            for content in glue_roles(docname, edition)]


# --- a local static host ----------------------------------------------------------------------

COMPRESSIBLE = (".html", ".js", ".css", ".svg", ".json", ".txt", ".map", ".inv")


@functools.lru_cache(maxsize=256)
def _gzipped(path: Path, mtime_ns: int) -> bytes:
    return gzip.compress(path.read_bytes(), compresslevel=6, mtime=0)


class StaticHost(http.server.SimpleHTTPRequestHandler):
    """Serves a folder; text goes out gzip-compressed when the client accepts it, as a
    static host (GitHub Pages, nginx) would send it."""

    def log_message(self, *args) -> None:  # quiet
        pass

    def do_GET(self) -> None:
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        accepts = "gzip" in self.headers.get("Accept-Encoding", "")
        if accepts and path.is_file() and path.suffix in COMPRESSIBLE:
            body = _gzipped(path, path.stat().st_mtime_ns)
            self.send_response(200)
            self.send_header("Content-Type", mimetypes.guess_type(path.name)[0] or "text/plain")
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        super().do_GET()


@pytest.fixture(scope="module")
def sites():
    """``sites(edition)``: the origin of a server of that edition (started on first use,
    one per edition for the module)."""
    servers: dict[str, http.server.ThreadingHTTPServer] = {}

    def origin(edition: str) -> str:
        root = built_edition(edition)
        if edition not in servers:
            handler = functools.partial(StaticHost, directory=str(root))
            servers[edition] = http.server.ThreadingHTTPServer((HOST, 0), handler)
            threading.Thread(target=servers[edition].serve_forever, daemon=True).start()
        return f"http://{HOST}:{servers[edition].server_address[1]}"

    yield origin
    for server in servers.values():
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).is_file():
        missing(f"{CHROMIUM} is missing: `make browser` installs it (Debian's chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = chromium.new_context(viewport={"width": 1280, "height": 900})
        yield context
        context.close()
        chromium.close()


class Visit:
    """One page opened in a new tab with the browser cache off (so every page is weighed as
    a first visit), with everything that happened on the way: console errors, script
    errors, requests, failures."""

    def __init__(self, context, url: str, local_origin: str | None, root: Path = HTML):
        self.url = url
        self.root = root
        self.local_origin = local_origin
        self.console_errors: list[str] = []
        self.page_errors: list[str] = []
        self.failed: list[str] = []
        self.bad_status: list[str] = []
        self.foreign: list[str] = []
        self.finished = []
        page = self.page = context.new_page()
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
        page.on("console", lambda m: m.type == "error" and self.console_errors.append(
            f"{m.text} @ {m.location.get('url', '')}"))
        page.on("pageerror", lambda e: self.page_errors.append(str(e)))
        page.on("requestfailed", lambda r: self.failed.append(f"{r.url} ({r.failure})"))
        page.on("requestfinished", lambda r: self.finished.append(r))
        page.on("response", lambda r: r.status >= 400 and self.bad_status.append(
            f"{r.status} {r.url}"))
        page.on("request", self._request)

    def _request(self, request) -> None:
        parts = urlsplit(request.url)
        if parts.scheme in ("data", "blob", "about"):
            return
        if self.local_origin is None:
            if parts.scheme != "file":
                self.foreign.append(request.url)
        elif f"{parts.scheme}://{parts.netloc}" != self.local_origin:
            self.foreign.append(request.url)

    def open(self):
        self.page.goto(self.url, wait_until="load")
        if self.local_origin is not None:  # from disk there is no network to wait for
            self.page.wait_for_load_state("networkidle")
        return self.page

    def problems(self) -> list[str]:
        return ([f"console error: {m}" for m in self.console_errors]
                + [f"script error: {m}" for m in self.page_errors]
                + [f"failed request: {m}" for m in self.failed]
                + [f"HTTP {m}" for m in self.bad_status]
                + [f"request off this machine: {m}" for m in self.foreign])

    def transferred(self) -> tuple[int, int]:
        """(bytes on the wire, bytes of the files served) of every finished request."""
        wire = files = 0
        for request in self.finished:
            sizes = request.sizes()
            wire += sizes["responseBodySize"] + sizes["responseHeadersSize"]
            served = self.root / unquote(urlsplit(request.url).path).lstrip("/")
            files += served.stat().st_size if served.is_file() else 0
        return wire, files

    def close(self) -> None:
        self.page.close()


IMAGES_DECODED = """async () => {
  const out = [];
  for (const img of Array.from(document.images)) {
    img.loading = "eager";
    try { await img.decode(); } catch (e) {}
    out.push({src: img.currentSrc || img.src, width: img.naturalWidth, alt: img.alt});
  }
  return out;
}"""


@functools.cache
def anchors_of(path: Path) -> frozenset[str]:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
    ids = {el["id"] for el in soup.find_all(id=True)}
    names = {el["name"] for el in soup.find_all("a", attrs={"name": True})}
    return frozenset(ids | names)


def broken_internal_links(page, origin: str, root: Path = HTML) -> list[str]:
    """Every link of the page to this site whose file or anchor does not exist. (The link
    to the other edition leads out of this one's folder: checked on its own, from disk.)"""
    broken = []
    hrefs = page.eval_on_selector_all("a[href]:not(.bentre-edition)",
                                      "els => els.map(a => a.href)")
    for href in sorted(set(hrefs)):
        parts = urlsplit(href)
        if f"{parts.scheme}://{parts.netloc}" != origin:
            continue
        target = root / unquote(parts.path).lstrip("/")
        if target.is_dir():
            target = target / "index.html"
        if not target.is_file():
            broken.append(f"{href}: no file {target.relative_to(root)}")
        elif parts.fragment and target.suffix == ".html":
            if unquote(parts.fragment) not in anchors_of(target):
                broken.append(f"{href}: no anchor #{parts.fragment}")
    return broken


# --- every page -------------------------------------------------------------------------------

_weights: dict[str, dict[str, int]] = {}


@pytest.mark.parametrize("edition, docname", edition_cases(toc_docnames()))
def test_page_is_whole_offline_and_light(sites, browser, edition, docname):
    site, root = sites(edition), EDITIONS[edition]
    visit = Visit(browser, f"{site}/{docname}.html", site, root)
    try:
        page = visit.open()
        images = page.evaluate(IMAGES_DECODED)
        shots = SCREENSHOTS if edition == "en" else SCREENSHOTS / edition
        shots.mkdir(parents=True, exist_ok=True)  # as a reader first sees the page
        page.screenshot(path=str(shots / (docname.replace("/", "__") + ".png")),
                        full_page=True)

        title = page.title()
        assert title and "404" not in title, f"{docname}: page title {title!r}"
        lang = page.evaluate("document.documentElement.lang")
        assert lang == edition, f"{docname}: <html lang={lang!r}> in the {edition} edition"
        undecoded = [i["src"] for i in images if i["width"] <= 0]
        assert not undecoded, f"{docname}: images not decoded: {undecoded}"
        assert all(i["alt"] for i in images if "/_images/" in i["src"] or
                   i["src"].startswith("data:")), f"{docname}: a figure without alt text"

        broken = broken_internal_links(page, site, root)
        assert not broken, f"{docname}: broken links:\n" + "\n".join(broken)

        page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
        # Exercise solutions are sphinx-togglebutton dropdowns: open those that are closed.
        page.evaluate("document.querySelectorAll('button.toggle-button.toggle-button-hidden')"
                      ".forEach(b => b.click())")
        pasted = page.locator("span.pasted-text")
        expected = [straight(t) for t in expected_glued_text(docname, edition)]
        shown = [pasted.nth(i).inner_text() for i in range(pasted.count())]
        # A translation may put a sentence's values in another order: the same values, then.
        order = (lambda texts: texts) if edition == "en" else sorted
        assert order([straight(t) for t in shown]) == order(expected), (
            f"{docname} ({edition}): glued values on the page differ from the notebook's "
            f"outputs:\n  shown    {shown}\n  expected {expected}")
        for i in range(pasted.count()):
            assert pasted.nth(i).is_visible(), f"{docname}: glued value {shown[i]!r} hidden"

        wire, files = visit.transferred()
        _weights[docname if edition == "en" else f"{edition}/{docname}"] = {
            "transferred_bytes": wire, "uncompressed_bytes": files}
        WEIGHTS.write_text(json.dumps(_weights, indent=2) + "\n", encoding="utf-8")
        assert wire <= MAX_PAGE_BYTES, f"{docname}: {wire:,} bytes transferred"
        assert files <= MAX_PAGE_UNCOMPRESSED, f"{docname}: {files:,} bytes uncompressed"

        problems = visit.problems()
        assert not problems, f"{docname}:\n" + "\n".join(problems)
    finally:
        visit.close()


@pytest.mark.parametrize("edition", EDITIONS)
def test_every_toc_page_was_built(edition):
    root = built_edition(edition)
    absent = [d for d in toc_docnames() if not (root / f"{d}.html").is_file()]
    assert not absent, f"pages of _toc.yml missing from {root}: {absent}"


# --- the two editions -----------------------------------------------------------------------------

def pages_of(root: Path) -> list[str]:
    """Every page the build wrote into an edition's folder (not the copied sources), but
    ``index.html``, jupyter-book's redirect to the root page."""
    skip = {"_sources", "_static", "_downloads", "_images"}
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*.html")
                  if not skip & set(p.relative_to(root).parts)
                  and p.relative_to(root).as_posix() != "index.html")


def both_built() -> None:
    for edition in EDITIONS:
        built_edition(edition)


@pytest.mark.parametrize("edition", EDITIONS)
def test_every_page_says_its_language(edition):
    """``<html lang="vi">`` on every Vietnamese page, ``lang="en"`` on every English one:
    screen readers, hyphenation and search engines go by it."""
    from bs4 import BeautifulSoup

    root = built_edition(edition)
    pages = pages_of(root)
    assert {f"{d}.html" for d in toc_docnames()} <= set(pages)
    wrong = []
    for name in pages:
        html = BeautifulSoup((root / name).read_text(encoding="utf-8"), "html.parser").html
        if html is None or html.get("lang") != edition:
            wrong.append(f"{name}: {None if html is None else html.get('lang')!r}")
    assert not wrong, f"pages of the {edition} edition not in lang={edition!r}: {wrong}"


@pytest.mark.parametrize("edition", EDITIONS)
def test_every_page_links_to_itself_in_the_other_edition(edition):
    """One link on each page of the book, to the same page of the other edition, in that
    edition's language (``hreflang``, ``lang``), and the same address as ``<link
    rel="alternate">``; relative, so it resolves from disk to the other edition's file."""
    from bs4 import BeautifulSoup

    both_built()
    root, other = EDITIONS[edition], OTHER[edition]
    problems = []
    for name in [f"{docname}.html" for docname in toc_docnames()]:
        soup = BeautifulSoup((root / name).read_text(encoding="utf-8"), "html.parser")
        links = soup.select("a.bentre-edition")
        if len(links) != 1:
            problems.append(f"{name}: {len(links)} links to another edition")
            continue
        link = links[0]
        href = link.get("href", "")
        if urlsplit(href).scheme or href.startswith("/"):
            problems.append(f"{name}: {href!r} is not relative (it would not open from disk)")
        target = ((root / name).parent / unquote(urlsplit(href).path)).resolve()
        if target != (EDITIONS[other] / name).resolve() or not target.is_file():
            problems.append(f"{name}: {href!r} leads to {target}, not {other}'s {name}")
        if (link.get("hreflang"), link.get("lang")) != (other, other):
            problems.append(f"{name}: hreflang={link.get('hreflang')!r} lang={link.get('lang')!r}")
        if link.get_text(strip=True) != EDITION_LINK_TEXT[other]:
            problems.append(f"{name}: the link says {link.get_text(strip=True)!r}")
        alternates = [a.get("href") for a in soup.select("link[rel=alternate][hreflang]")]
        if alternates != [href]:
            problems.append(f"{name}: <link rel=alternate> {alternates}, the link {href!r}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("edition", EDITIONS)
def test_the_other_editions_link_opens_the_same_page_from_disk(browser, edition):
    """A reader on a chapter, opened from disk, follows the link and reads the same chapter
    in the other language."""
    both_built()
    docname, other = "chapters/02_economy", OTHER[edition]
    visit = Visit(browser, (EDITIONS[edition] / f"{docname}.html").as_uri(), None)
    try:
        page = visit.open()
        assert page.evaluate("document.documentElement.lang") == edition
        link = page.locator("a.bentre-edition").first
        assert link.is_visible() and link.inner_text().strip() == EDITION_LINK_TEXT[other]
        with page.expect_navigation(wait_until="load"):
            link.click()
        arrived = Path(unquote(urlsplit(page.url).path)).resolve()
        assert arrived == (EDITIONS[other] / f"{docname}.html").resolve(), page.url
        assert page.evaluate("document.documentElement.lang") == other
        assert len(page.locator("main").inner_text()) > 500
        back = page.locator("a.bentre-edition").first
        assert back.inner_text().strip() == EDITION_LINK_TEXT[edition]
        assert not visit.page_errors, visit.page_errors
        assert not visit.foreign, visit.foreign
    finally:
        visit.close()


# --- search -------------------------------------------------------------------------------------

@pytest.mark.parametrize("edition, query, chapter", [
    pytest.param("en", "Bến Tre", "chapters/01_source", id="en-Bến Tre"),
    pytest.param("en", "tỷ đồng", "chapters/01_source", id="en-tỷ đồng"),
    pytest.param("vi", "Bến Tre", "chapters/01_source", id="vi-Bến Tre"),
    pytest.param("vi", "tỷ đồng", "chapters/01_source", id="vi-tỷ đồng"),
    pytest.param("vi", VI_QUERY, VI_QUERY_CHAPTER, id=f"vi-{VI_QUERY}"),
])
def test_search_finds_the_chapter_for_a_vietnamese_query(sites, browser, edition, query, chapter):
    site = sites(edition)
    visit = Visit(browser, f"{site}/search.html?q={query}", site, EDITIONS[edition])
    try:
        page = visit.open()
        page.wait_for_selector("#search-results ul.search li a", timeout=15_000)
        hits = page.eval_on_selector_all("#search-results ul.search li a",
                                         "els => els.map(a => a.href)")
        assert any(urlsplit(h).path.endswith(f"/{chapter}.html") for h in hits), hits
        assert not visit.problems(), visit.problems()
    finally:
        visit.close()


# --- from disk, without a server ---------------------------------------------------------------

@pytest.mark.parametrize("edition, docname", edition_cases(toc_docnames()))
def test_book_reads_from_disk(browser, edition, docname):
    """Opened as a file, each page shows its text, its glued values and its figures."""
    root = built_edition(edition)
    visit = Visit(browser, (root / f"{docname}.html").as_uri(), None, root)
    try:
        page = visit.open()
        text = page.locator("main").inner_text()
        heading = page.locator("main h1").first.inner_text()
        assert heading.strip() and heading.strip("#¶ \n") in text
        assert len(text) > 500, f"{docname}: only {len(text)} characters of text"
        for value in expected_glued_text(docname, edition):
            assert straight(value) in straight(text), f"{docname}: glued {value!r} not on the page"
        images = page.evaluate(IMAGES_DECODED)
        assert all(i["width"] > 0 for i in images), images
        unstyled = page.evaluate("Array.from(document.querySelectorAll('link[rel=stylesheet]'))"
                                 ".filter(l => !l.sheet).map(l => l.href)")
        assert not unstyled, f"{docname}: stylesheets not loaded from disk: {unstyled}"
        assert not visit.page_errors, visit.page_errors
        assert not visit.foreign, visit.foreign
    finally:
        visit.close()


# --- text from data stays text ------------------------------------------------------------------

def test_a_script_label_renders_as_text(browser):
    """A data label holding markup goes through ``bentre.tables.Table`` and the MyST parser
    the book uses, and the browser shows it as text without running it."""
    import pandas as pd
    from docutils.core import publish_string
    from myst_parser.parsers.docutils_ import Parser

    from bentre.tables import Table

    label = "<script>window.pwned = 1</script><img src=x onerror=\"window.pwned = 2\">"
    markdown = Table(pd.DataFrame({"figure": [label], "value": [1.5]}))._repr_markdown_()
    html = publish_string(markdown, parser=Parser(), writer_name="html5",
                          settings_overrides={"output_encoding": "unicode",
                                              "report_level": 5}).strip()
    page = browser.new_page()
    try:
        errors = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.set_content(html)
        assert page.locator("table td").first.inner_text() == label
        assert page.evaluate("window.pwned") is None
        assert page.locator("body script, body img").count() == 0
        assert not errors
    finally:
        page.close()
