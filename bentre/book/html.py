"""The HTML edition's fixes, as a Sphinx extension (``sphinx: extra_extensions``).

The book must read offline, from a server on this machine or straight from disk, and its
pages must run without a script error. Two defaults of the toolchain break that:

- Math. Sphinx renders ``$10^9$`` with MathJax from a CDN, the only off-machine request of
  the book. Here math is converted to MathML when the book is built (``latex2mathml``, pure
  Python) and the browser draws it natively: no script, no font download, no network. A
  formula that cannot be converted is a build warning, so ``-W`` stops the build.
- Duplicated inline scripts. Sphinx 7.4 registers an inline script added after the builder
  started (sphinx-thebe's ``const THEBE_JS_URL = …``, sphinx-togglebutton's selector) twice,
  once as ``None`` and once as ``""``, so every page declared ``THEBE_JS_URL`` twice and
  threw "Identifier 'THEBE_JS_URL' has already been declared". Each page keeps one copy of
  each identical script.
- Printed output that changes from build to build. ``nb_merge_streams`` joins a cell's
  stream outputs with myst-nb's ``coalesce_streams``, which strips each piece before joining
  them with a newline. The kernel splits what a cell prints into messages as its flush timer
  falls; when a split lands between a line and its newline, the page gains a blank line that
  the next build may not have. Here the pieces are first joined exactly as written (the
  rule of nbclient's ``coalesce_streams``), on copies, so the notebook is left as executed.
- A first build unlike the next. myst-nb and sphinx-exercise copy their stylesheets only
  once the pages are written, and Sphinx adds a file's checksum (``?v=…``) to a page's link
  only if the file is already there: a build into an empty folder wrote links without it,
  the next build with it. They are copied before the pages here.
- Accessibility and weight (issue 13; ``tests/test_accessibility.py`` audits every page with
  axe-core). Each rendered page is rewritten by a few exact, commented substitutions
  (``PAGE_FIXES``) and our stylesheet ``_static/bentre.css`` is added: the theme's 1.49 MB
  icon script goes (the theme's own stylesheet already draws the same icons from its webfont,
  here cut after the build to the icons the book shows), the search scripts and index load
  only on the search page, sphinx-design's files only on a page that uses it, the accessible
  names of the code toggles and the search field contain their visible text, and two link
  colours reach 4.5:1. A chapter page went from about 2.6 MB to under 1 MB, uncompressed.

The LaTeX builder is untouched: LaTeX typesets math itself.
"""

from __future__ import annotations

import io
import re

from pathlib import Path

from docutils import nodes

RENDERER = "mathml"


def to_mathml(latex: str, display: str = "inline") -> str:
    """MathML for one LaTeX formula; ``ValueError`` names the formula it cannot convert."""
    from latex2mathml.converter import convert

    try:
        return convert(latex, display=display)
    except Exception as exc:  # latex2mathml raises its own exception classes
        raise ValueError(f"cannot convert math {latex!r} to MathML: {exc}") from exc


def _warn(node, exc: Exception) -> None:
    from sphinx.util import logging

    logging.getLogger(__name__).warning(str(exc), location=node)


def visit_math(self, node: nodes.math) -> None:
    latex = node.astext()
    self.body.append(self.starttag(node, "span", "", CLASS="math notranslate nohighlight"))
    try:
        self.body.append(to_mathml(latex))
    except ValueError as exc:
        _warn(node, exc)
        self.body.append(self.encode(latex))
    self.body.append("</span>")
    raise nodes.SkipNode


def visit_displaymath(self, node: nodes.math_block) -> None:
    from sphinx.locale import _
    from sphinx.util.math import get_node_equation_number

    self.body.append(self.starttag(node, "div", CLASS="math notranslate nohighlight"))
    if node.get("number") and not node.get("nowrap"):
        self.body.append(f'<span class="eqno">({get_node_equation_number(self, node)})')
        self.add_permalink_ref(node, _("Link to this equation"))
        self.body.append("</span>")
    latex = node.astext()
    try:
        self.body.append(to_mathml(latex, display="block"))
    except ValueError as exc:
        _warn(node, exc)
        self.body.append(self.encode(latex))
    self.body.append("</div>\n")
    raise nodes.SkipNode


def _use_mathml(app, config) -> None:
    if not config.html_math_renderer:
        config.html_math_renderer = RENDERER


def _script_key(script) -> tuple:
    return (getattr(script, "filename", script) or "",
            tuple(sorted(getattr(script, "attributes", {}).items())))


def _one_copy_of_each_script(app, pagename, templatename, context, doctree) -> None:
    # Stylesheets too: Sphinx 7.4 also links a stylesheet added by an extension twice.
    for key in ("script_files", "css_files"):
        files = context.get(key)
        if not files:
            continue
        seen, unique = set(), []
        for script in files:
            script_key = _script_key(script)
            if script_key not in seen:
                seen.add(script_key)
                unique.append(script)
        files[:] = unique  # the builder restores its own list after each page


def join_streams_exactly(outputs: list) -> list:
    """Each stream's pieces joined as written into one output (copies; the rest as is)."""
    import copy

    kept, first = [], {}
    for output in outputs:
        if output.get("output_type") == "stream":
            if output["name"] in first:
                first[output["name"]]["text"] += output["text"]
                continue
            output = copy.deepcopy(output)
            first[output["name"]] = output
        kept.append(output)
    return kept


def _patch_myst_nb_stream_merge() -> None:
    from myst_nb.core import render

    merge = render.coalesce_streams
    if getattr(merge, "joins_exactly", False):
        return

    def coalesce_streams(outputs):
        return merge(join_streams_exactly(outputs))

    coalesce_streams.joins_exactly = True
    render.coalesce_streams = coalesce_streams


def _copy_late_assets_early(app) -> None:
    """What myst-nb and sphinx-exercise copy at build-finished, copied at builder-inited."""
    if getattr(app.builder, "format", None) != "html":
        return
    from pathlib import Path

    (Path(app.outdir) / "_static").mkdir(parents=True, exist_ok=True)
    if "myst_nb" in app.extensions:
        from myst_nb.sphinx_ext import add_global_html_resources

        add_global_html_resources(app, None)
    if "sphinx_exercise" in app.extensions:
        import sphinx_exercise

        sphinx_exercise.copy_asset_files(app, None)


# --- accessibility and weight (issue 13) -----------------------------------------------------

# (pattern, replacement, pages it applies to: None for all, else a predicate on the pagename)
PAGE_FIXES = [
    # Weight: pydata-sphinx-theme loads Font Awesome's SVG-with-JS build (fontawesome.js,
    # 1.49 MB, most of a page's bytes) "so that users can add custom icons". This book adds
    # none, and the theme's stylesheet already carries Font Awesome's webfont CSS (the
    # ``.fa-*`` classes and @font-face rules; the solid font is 156 KB): without the script
    # the icons are the font's glyphs.
    (re.compile(r'\s*<script defer src="[^"]*_static/scripts/fontawesome\.js[^"]*"></script>'),
     "", None),
    # Weight: the theme loads Sphinx's search scripts and the whole search index (about
    # 100 KB) on every page for its search-as-you-type, which is off (search_as_you_type is
    # False): only the search page, which loads them itself, uses them.
    (re.compile(r'\s*<script src="[^"]*(?:_static/searchtools\.js|_static/language_data\.js'
                r'|searchindex\.js)"></script>'),
     "", lambda pagename: pagename != "search"),
    # axe label-content-name-mismatch (WCAG 2.5.3 Label in Name): myst-nb's code-cell toggle
    # is named "Toggle hidden content" while it shows "Show code cell source"; without the
    # aria-label its name is the visible text ("Hide …" once open: the other is display:none).
    (re.compile(r'<summary aria-label="Toggle hidden content">'), "<summary>", None),
    # axe label-content-name-mismatch (WCAG 2.5.3): the theme's search field names itself
    # "Search" while it shows "Search Ctrl+K"; named by its content it says what it shows
    # (in every edition: "Tìm kiếm" in Vietnamese).
    (re.compile(r'(<button class="btn search-button-field search-button__button[^"]*" '
                r'title="[^"]*") aria-label="[^"]*"'), r"\1", None),
]


def rewrite_page(html: str, pagename: str) -> str:
    for pattern, replacement, applies in PAGE_FIXES:
        if applies is None or applies(pagename):
            html = pattern.sub(replacement, html)
    return html


def _rewrite_rendered_pages(app) -> None:
    """Each page's HTML, once its template is rendered, goes through ``rewrite_page``."""
    if getattr(app.builder, "format", None) != "html" or not hasattr(app.builder, "templates"):
        return
    templates = app.builder.templates
    render = templates.render
    if getattr(render, "rewrites_pages", False):
        return

    from .translate import template_labels

    def render_and_rewrite(template, context):
        html = render(template, context)
        if not template.endswith(".html"):
            return html
        return template_labels(rewrite_page(html, context.get("pagename", "")),
                               app.config.language)

    render_and_rewrite.rewrites_pages = True
    templates.render = render_and_rewrite


# Weight: the theme's solid icon font (fa-solid-900.woff2, 156 KB, loaded by every page)
# holds some 1,400 icons; the book shows about twenty. After the build, the font is cut to
# the icons the book can show: those of the theme's stylesheets (admonition and other icons
# drawn by CSS) and those of every ``fa-*`` class on a page or in a script. ``bentre.css``
# declares the cut font, under the same family and weight, after the theme's declaration,
# so the browser loads it instead (a few KB). The timestamp is kept: byte-stable builds.
ICON_FONT = "_static/vendor/fontawesome/webfonts/fa-solid-900.ttf"  # woff2 needs brotli
ICON_SUBSET = "_static/bentre-fa-solid.woff"
_ICON_RULE = re.compile(r'((?:\.fa-[a-z0-9-]+:before,?)+)\{content:"(\\[0-9a-f]{4,5}|.)"\}')
_ICON_CLASS = re.compile(r"\bfa-[a-z0-9-]+")


def _codepoint(text: str) -> int:
    return int(text[1:], 16) if text.startswith("\\") else ord(text)


def icon_codepoints(outdir) -> set[int]:
    """Every Font Awesome code point a page of ``outdir`` can show."""
    from pathlib import Path

    outdir = Path(outdir)
    by_class, wanted = {}, set()
    for css in sorted((outdir / "_static").rglob("*.css")):
        text = css.read_text(encoding="utf-8", errors="replace")
        for selectors, content in _ICON_RULE.findall(text):
            for name in re.findall(r"fa-[a-z0-9-]+", selectors):
                by_class[name] = _codepoint(content)
        rest = _ICON_RULE.sub("", text)
        wanted |= {ord(c) for c in rest if 0xE000 <= ord(c) <= 0xF8FF}
        wanted |= {int(h, 16) for h in re.findall(r"\\([ef][0-9a-f]{3})(?![0-9a-f])", rest)}
    sources = [p for p in outdir.rglob("*.html") if "_sources" not in p.parts]
    sources += [p for p in (outdir / "_static").rglob("*.js") if p.name != "fontawesome.js"]
    for path in sources:
        for name in _ICON_CLASS.findall(path.read_text(encoding="utf-8", errors="replace")):
            if name in by_class:
                wanted.add(by_class[name])
    return wanted


def _cut_icon_font(app, exception) -> None:
    if exception or getattr(app.builder, "format", None) != "html":
        return
    from pathlib import Path

    from fontTools import subset
    from fontTools.ttLib import TTFont

    source, target = Path(app.outdir) / ICON_FONT, Path(app.outdir) / ICON_SUBSET
    if not source.is_file():
        return
    font = TTFont(source, recalcTimestamp=False)
    options = subset.Options()
    options.flavor = "woff"  # zlib: woff2 would need the brotli package
    options.layout_features = []
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=sorted(icon_codepoints(app.outdir)))
    subsetter.subset(font)
    font.flavor = "woff"
    out = io.BytesIO()
    font.save(out, reorderTables=False)
    if not target.is_file() or target.read_bytes() != out.getvalue():
        target.write_bytes(out.getvalue())


# Weight: sphinx-design (which jupyter-book always loads) adds its stylesheet and tab script,
# 62 KB, to every page; a page without any of its components (classes ``sd-…``) loses them.
_DESIGN_FILES = ("sphinx-design.min.css", "design-tabs.js")
_DESIGN_CLASS = re.compile(r'class="(?:[^"]*\s)?sd-')


def _drop_unused_design_assets(app, pagename, templatename, context, doctree) -> None:
    if _DESIGN_CLASS.search(context.get("body", "")):
        return
    for key in ("css_files", "script_files"):
        files = context.get(key)
        if files:
            files[:] = [f for f in files
                        if not str(getattr(f, "filename", f) or "").endswith(_DESIGN_FILES)]


def _prune_search_index(app, exception) -> None:
    """Sphinx loads the last build's search index and drops the pages it rebuilds, but keeps
    their words with an empty list of pages: an index that depends on what was built before.
    Dropping those words makes an incremental build's index the one a fresh build writes (the
    two-builds test), and the file smaller."""
    from sphinx.search import js_index

    if exception or app.builder.format != "html":
        return
    path = Path(app.outdir) / "searchindex.js"
    if not path.is_file():
        return
    index = js_index.loads(path.read_text(encoding="utf-8"))
    for key in ("terms", "titleterms"):
        index[key] = {word: pages for word, pages in index.get(key, {}).items() if pages != []}
    path.write_text(js_index.dumps(index), encoding="utf-8")


def setup(app):
    _patch_myst_nb_stream_merge()
    app.connect("build-finished", _prune_search_index)
    app.connect("builder-inited", _copy_late_assets_early)
    app.connect("builder-inited", _rewrite_rendered_pages)
    app.connect("build-finished", _cut_icon_font)
    app.add_html_math_renderer(RENDERER, (visit_math, None), (visit_displaymath, None))
    app.connect("config-inited", _use_mathml)
    app.connect("html-page-context", _one_copy_of_each_script, priority=900)
    app.connect("html-page-context", _drop_unused_design_assets, priority=900)
    # _static/bentre.css: contrast fixes and the cut icon font (each rule says why).
    app.add_css_file("bentre.css", priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
