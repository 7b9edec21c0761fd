"""Accessibility of the built HTML, checked in Chromium with the network cut (issue 13).

- axe-core (the release pinned in ``package.json``, installed by ``make test`` with ``npm ci``
  into ``node_modules/``, injected into each page: nothing is fetched) audits **every page of
  every edition** the build writes, in the light and the dark colour mode, with the rule tags
  of WCAG 2.0 and 2.1, levels A and AA, and no rule disabled. A page passes with zero
  violations; it prints each violation's rule and the selector of each offending element.
- Keyboard: from the top of a chapter, Tab reaches the skip link, the navigation, every
  toggle and every download link, and each toggle opens with Enter or Space.
- Every image has alt text; every table has header cells.
- The functions a reader uses still work without the theme's icon script: search, the
  colour-mode switch, the download menu, the toggles, the copy buttons.

The editions: the book (``_build/html``, or ``BENTRE_HTML``), its Vietnamese edition
(``_build/vi/html``, or ``BENTRE_VI_HTML``), the student edition of ``make student``
(``_build/student/html``, or ``BENTRE_STUDENT_HTML``) and the one in the classroom kit
(``_build/kit/student/html``). The audit and the image and table test run on all four; the
keyboard, the icons and the reader's functions on the book in both languages. An edition not
built is skipped with the reason; under ``make test`` (``BENTRE_REQUIRE_BOOK=1``) the book in
both languages, and a student edition, must be there.
"""

from __future__ import annotations

import functools
import http.server
import os
import threading
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from conftest import REPO, toc_docnames
from test_browser import CHROMIUM, CHROMIUM_ARGS, HOST, HTML, VI_HTML, StaticHost

pytestmark = pytest.mark.book

AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
MODES = ["light", "dark"]
BOOKS = ("book", "vi")  # the book in English and in Vietnamese
EDITIONS = {
    "book": HTML,
    # the Vietnamese edition, built by make book and make test beside the English one
    "vi": VI_HTML,
    # `make student`'s copy is audited when asked for (it may be older than the sources); the
    # kit's copy of the same edition is remade by `make test` whenever a source changes.
    "student": Path(os.environ.get("BENTRE_STUDENT_HTML", REPO / "_build" / "no-student-given")),
    "kit": REPO / "_build" / "kit" / "student" / "html",
}


def missing(what: str) -> None:
    if os.environ.get("BENTRE_REQUIRE_BOOK"):
        pytest.fail(what)
    pytest.skip(what)


def pages_of(root: Path) -> list[str]:
    """Every page the build wrote into an edition's folder (not the copied sources)."""
    skip = {"_sources", "_static", "_downloads", "_images"}
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*.html")
                  if not skip & set(p.relative_to(root).parts))


def audit_cases() -> list:
    cases = []
    for edition, root in EDITIONS.items():
        pages = pages_of(root) if (root / "index.html").is_file() else []
        if not pages:
            cases.append(pytest.param(edition, None, None, id=f"{edition}-not-built"))
        for page in pages:
            for mode in MODES:
                cases.append(pytest.param(edition, page, mode, id=f"{edition}-{page}-{mode}"))
    return cases


# --- a server per edition, a browser with the network cut ------------------------------------

_servers: dict[Path, http.server.ThreadingHTTPServer] = {}


def origin_of(root: Path) -> str:
    if root not in _servers:
        handler = functools.partial(StaticHost, directory=str(root))
        server = http.server.ThreadingHTTPServer((HOST, 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        _servers[root] = server
    return f"http://{HOST}:{_servers[root].server_address[1]}"


@pytest.fixture(scope="module", autouse=True)
def _stop_servers():
    yield
    for server in _servers.values():
        server.shutdown()
        server.server_close()
    _servers.clear()


@pytest.fixture(scope="module")
def chromium():
    if not Path(CHROMIUM).is_file():
        missing(f"{CHROMIUM} is missing: `make browser` installs it (Debian's chromium)")
    if not AXE.is_file():
        missing(f"{AXE} is missing: `make browser` installs it (npm ci, package-lock.json)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def new_context(chromium, mode: str = "light"):
    """A context whose pages open in ``mode`` (the theme reads localStorage ``mode`` and
    ``theme`` before it paints) and can reach nothing but 127.0.0.1."""
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    context.add_init_script(f"localStorage.setItem('mode', '{mode}');"
                            f"localStorage.setItem('theme', '{mode}');")

    def only_here(route):
        parts = urlsplit(route.request.url)
        if parts.scheme in ("http", "https") and parts.hostname != HOST:
            route.abort()
        else:
            route.continue_()

    context.route("**/*", only_here)
    return context


def open_page(context, url: str):
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(url, wait_until="load")
    page.wait_for_load_state("networkidle")
    return page, errors


# --- axe-core ----------------------------------------------------------------------------------

RUN_AXE = """async (tags) => {
  const results = await axe.run(document, {runOnly: {type: "tag", values: tags},
                                           resultTypes: ["violations"]});
  return results.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map(n => ({target: n.target.join(" "), summary: n.failureSummary}))}));
}"""


def report(name: str, violations: list[dict]) -> str:
    lines = [f"{name}: {sum(len(v['nodes']) for v in violations)} violation(s)"]
    for v in violations:
        for node in v["nodes"]:
            lines.append(f"  {v['id']} ({v['impact']}): {node['target']}")
    return "\n".join(lines)


@pytest.mark.parametrize("edition, page, mode", audit_cases())
def test_axe_finds_no_wcag_violation(chromium, edition, page, mode):
    root = EDITIONS[edition]
    if page is None:
        if edition in BOOKS or (edition == "kit" and not any(
                (EDITIONS[e] / "index.html").is_file() for e in ("student", "kit"))):
            missing(f"{edition}: no edition built in {root}")
        pytest.skip(f"{edition}: not built in {root} (make student / make kit)")
    context = new_context(chromium, mode)
    try:
        tab, errors = open_page(context, f"{origin_of(root)}/{page}")
        assert tab.evaluate("document.documentElement.dataset.theme") == mode
        tab.add_script_tag(content=AXE.read_text(encoding="utf-8"))
        violations = tab.evaluate(RUN_AXE, WCAG_TAGS)
        text = report(f"{edition} {page} ({mode})", violations)
        print(text)
        assert not violations, text
        assert not errors, errors
    finally:
        context.close()


# --- keyboard ----------------------------------------------------------------------------------

FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  return {tag: el.tagName, id: el.id, cls: String(el.className), href: el.getAttribute("href"),
          text: (el.innerText || el.getAttribute("aria-label") || "").trim().slice(0, 60),
          key: el.dataset.a11yKey || null};
}"""

MARK = """() => {
  // Number the elements the test wants to reach, so the focused one can be recognised.
  const want = {
    skip: document.querySelectorAll(".skip-link a"),
    nav: document.querySelectorAll("#pst-primary-sidebar nav a"),
    toggle: document.querySelectorAll("details.hide > summary, button.toggle-button"),
    download: document.querySelectorAll(".dropdown-download-buttons a"),
  };
  const out = {};
  for (const [kind, els] of Object.entries(want)) {
    out[kind] = els.length;
    els.forEach((el, i) => { el.dataset.a11yKey = `${kind}-${i}`; });
  }
  return out;
}"""


def chapters_with_toggles() -> list[str]:
    return [d for d in toc_docnames() if d.startswith("chapters/")]


def book_cases(docnames: list[str]) -> list:
    return [pytest.param(edition, docname, id=f"{edition}-{docname}")
            for edition in BOOKS for docname in docnames]


def served(edition: str) -> str:
    """The origin of a server of the book in that language (``book``: English, ``vi``)."""
    root = EDITIONS[edition]
    if not (root / "index.html").is_file():
        missing(f"no built book in {root}: run `make html` (make test builds it first)")
    return origin_of(root)


@pytest.mark.parametrize("edition, docname", book_cases(chapters_with_toggles()))
def test_tab_reaches_every_control_and_toggles_open_from_the_keyboard(chromium, edition, docname):
    book = served(edition)
    context = new_context(chromium)
    try:
        tab, errors = open_page(context, f"{book}/{docname}.html")
        wanted = tab.evaluate(MARK)
        assert wanted["skip"] and wanted["nav"], f"{docname}: {wanted}"
        reached, first = set(), None
        # Tab through the page once from its top (the download menu's links are focusable
        # only while it is open: its button opens it with Enter, as a keyboard user does).
        for _ in range(3000):
            tab.keyboard.press("Tab")
            focused = tab.evaluate(FOCUSED)
            if focused is None:
                continue
            key = focused["key"]
            if first is None:
                first = key
            if key in reached and key == first:
                break  # back at the start
            if key:
                reached.add(key)
            if "dropdown-toggle" in focused["cls"] and tab.evaluate(
                    "!!document.activeElement.closest('.dropdown-download-buttons')") and \
                    tab.evaluate("document.activeElement.getAttribute('aria-expanded')") != "true":
                tab.keyboard.press("Enter")
        assert first == "skip-0", f"{docname}: the first Tab reaches {first}, not the skip link"
        for kind, count in wanted.items():
            missed = [f"{kind}-{i}" for i in range(count) if f"{kind}-{i}" not in reached]
            assert not missed, f"{docname}: Tab never reaches {missed}"

        # Each toggle opens with Enter or Space.
        toggles = tab.locator("[data-a11y-key^='toggle-']")
        for i in range(toggles.count()):
            toggle = toggles.nth(i)
            for key in ("Enter", " "):
                is_open = ("(el) => el.tagName === 'SUMMARY' ? el.parentElement.open"
                           " : !el.classList.contains('toggle-button-hidden')")
                before = toggle.evaluate(is_open)
                toggle.focus()
                tab.keyboard.press(key)
                after = toggle.evaluate(is_open)
                assert after != before, f"{docname}: toggle {i} ignores {key!r}"
                if after:  # close it again for the other key
                    tab.keyboard.press(key)
        assert not errors, errors
    finally:
        context.close()


# --- images and tables -------------------------------------------------------------------------

@pytest.mark.parametrize("edition", list(EDITIONS))
def test_every_image_has_alt_text_and_every_table_header_cells(edition):
    from bs4 import BeautifulSoup

    root = EDITIONS[edition]
    if not (root / "index.html").is_file():
        if edition in BOOKS:
            missing(f"no built book in {root}")
        pytest.skip(f"{edition}: not built in {root}")
    problems = []
    for page in pages_of(root):
        soup = BeautifulSoup((root / page).read_text(encoding="utf-8"), "html.parser")
        for img in soup.find_all("img"):
            alt = (img.get("alt") or "").strip()
            if not alt and img.get("role") != "presentation":
                problems.append(f"{page}: <img src={img.get('src')!r}> has no alt text")
        for table in soup.find_all("table"):
            # Sphinx's general index lays its columns of terms out with a table (no data).
            if "indextable" in table.get("class", []):
                continue
            if not table.find("th"):
                problems.append(f"{page}: a table without header cells: "
                                f"{table.get_text(' ', strip=True)[:60]!r}")
    assert not problems, "\n".join(problems)


# --- what a reader uses still works ------------------------------------------------------------

ICONS_SHOWN = """() => Array.from(document.querySelectorAll("*"))
  .filter(el => getComputedStyle(el, "::before").fontFamily.includes("Font Awesome 6 Free"))
  .map(el => getComputedStyle(el, "::before").content)
  .filter(c => c && c !== "none" && c !== "normal")"""


@pytest.mark.parametrize("edition, docname", book_cases(toc_docnames()))
def test_every_icon_shown_is_in_the_cut_icon_font(chromium, edition, docname):
    """The icons come from the theme's icon font cut to what the book shows
    (``bentre.book.html``): every icon a page draws must be in it."""
    from fontTools.ttLib import TTFont

    from bentre.book.html import ICON_SUBSET

    book = served(edition)
    cmap = TTFont(EDITIONS[edition] / ICON_SUBSET).getBestCmap()
    context = new_context(chromium)
    try:
        page, errors = open_page(context, f"{book}/{docname}.html")
        shown = {ch for content in page.evaluate(ICONS_SHOWN) for ch in content
                 if 0xE000 <= ord(ch) <= 0xF8FF}
        assert shown, f"{docname}: no icon drawn"
        absent = sorted(f"U+{ord(ch):04X}" for ch in shown if ord(ch) not in cmap)
        assert not absent, f"{docname}: icons missing from {ICON_SUBSET}: {absent}"
        fonts = page.evaluate("performance.getEntriesByType('resource').map(r => r.name)"
                              ".filter(n => /\\.(woff2?|ttf)/.test(n))")
        assert all("bentre-fa-solid.woff" in f for f in fonts), fonts
        assert not errors, errors
    finally:
        context.close()


@pytest.mark.parametrize("edition", BOOKS)
def test_the_readers_functions_still_work(chromium, edition):
    book = served(edition)
    context = new_context(chromium)
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    try:
        page, errors = open_page(context, f"{book}/chapters/02_economy.html")
        # icons are drawn (by the icon font: no script needed)
        family = page.evaluate("getComputedStyle(document.querySelector('.fa-solid, .fas'),"
                               " '::before').fontFamily")
        assert "Font Awesome" in family, family

        # colour-mode switch: cycles through every mode, and shows its icon for each
        modes = []
        for _ in range(3):
            page.locator("button.theme-switch-button").first.click()
            modes.append(page.evaluate("document.documentElement.dataset.mode"))
            icon = page.locator(f"button.theme-switch-button i[data-mode='{modes[-1]}']").first
            assert icon.is_visible(), f"no icon for mode {modes[-1]}"
        assert sorted(modes) == ["auto", "dark", "light"], modes

        # download menu: opens and offers the source, the notebook and the PDF
        page.locator(".dropdown-download-buttons button").first.click()
        links = page.locator(".dropdown-download-buttons .dropdown-menu a")
        assert links.first.is_visible()
        hrefs = links.evaluate_all("els => els.map(a => a.getAttribute('href'))")
        assert any(h.endswith(".ipynb") for h in hrefs) and any(h.endswith(".pdf") for h in hrefs)
        page.keyboard.press("Escape")

        # a code toggle shows its code, a copy button copies it
        summary = page.locator("details.hide > summary").first
        summary.click()
        assert page.evaluate("document.querySelector('details.hide').open")
        block = page.locator("details.hide div.highlight").first
        block.hover()
        block.locator("button.copybtn").click()
        copied = page.evaluate("navigator.clipboard.readText()")
        assert copied.strip() and copied.strip().splitlines()[0] in block.inner_text()

        # search: the dialog opens from its button and its query lands on the search page
        page.locator("button.search-button-field, button.search-button").first.click()
        field = page.locator("#pst-search-dialog input[name=q], .search-button__wrapper input")
        field.first.fill("Bến Tre")
        field.first.press("Enter")
        page.wait_for_selector("#search-results ul.search li a", timeout=15_000)
        assert not errors, errors
    finally:
        context.close()
