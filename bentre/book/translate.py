"""Translating the book's prose with Sphinx's gettext, as a Sphinx extension.

Both editions are made from the same notebooks. Prose (Markdown cells, ``intro.md``, the
teacher's guide) is translated by Sphinx's standard i18n: message catalogs under
``locale/vi/LC_MESSAGES/`` (one per page, kept with sphinx-intl). What the code prints is
already in the reader's language, because each edition executes the notebooks itself
(``BENTRE_LANG``; :mod:`bentre.i18n`). Three things make those two meet:

- Outputs are not prose. A cell's output (our tables are Markdown outputs, parsed as MyST)
  would otherwise be extracted into the catalogs in English and looked up there in the
  Vietnamese build. Every node inside a cell output is marked not translatable, before
  Sphinx extracts or translates anything (Sphinx's ``Locale`` transform runs at 20).
- Glued values inside a translated paragraph. Sphinx parses a translation on its own, in a
  new document, where myst-nb's ``{glue:text}`` role no longer finds the notebook's glue data
  ("No key … found in glue data for this document"). myst-nb writes each notebook's glue
  data beside its executed copy (``jupyter_execute/<page>.glue.json``) before transforms run;
  a role in a translated paragraph reads the value from there, so translators write
  ``{glue:text}`key``` exactly as the English does. Only the text role needs this: the prose
  glues nothing else.
- English-only text. Our English translation of a quotation is for English readers: the
  Vietnamese edition drops it rather than translating it back. Such text sits in
  ``:::{only} lang_en`` blocks; each build has the tag ``lang_<language>``, and text of a
  block for another language is neither extracted nor looked up.
- Each page links to the same page in the other edition (``html-page-context``), and the
  Vietnamese pages say ``lang="vi"`` (Sphinx's ``language``).
"""

from __future__ import annotations

from docutils import nodes

from ..i18n import N_

TRANSLATED_SUFFIX = ":<translated>"  # sphinx.transforms.i18n.publish_msgstr's source path


LANGUAGE_TAG = "lang_{}"


def _in_caption(node: nodes.Node) -> bool:
    while node is not None:
        if isinstance(node, nodes.caption):
            return True
        node = node.parent
    return False


def _untranslatable(container: nodes.Element, keep_captions: bool = False) -> None:
    for node in container.findall(nodes.Element):
        if keep_captions and _in_caption(node):
            continue  # a figure's caption is prose (cell metadata), translated like the rest
        if isinstance(node, nodes.Inline):
            # Inline nodes are never translated on their own, and Sphinx takes an inline that
            # carries the attribute for a translation placeholder: it would move a glued
            # value (an inline) to the end of its paragraph (RemoveTranslatableInline).
            continue
        node["translatable"] = False


def _mark_exercise_subtitles(document: nodes.document) -> None:
    """sphinx-exercise builds an exercise's title from its argument without a source or a
    raw source, which Sphinx then neither extracts nor translates: give it both."""
    try:
        from sphinx_exercise.nodes import exercise_subtitle
    except ImportError:  # pragma: no cover - sphinx-exercise is a dependency of the book
        return
    for node in document.findall(exercise_subtitle):
        if not node.rawsource:
            node.rawsource = node.astext()
        parent = node
        while parent is not None and not parent.source:
            parent = parent.parent
        if parent is not None and not node.source:
            node.source, node.line = parent.source, parent.line


def _mark_untranslatable(document: nodes.document) -> None:
    from sphinx import addnodes

    for container in document.findall(nodes.container):
        if "cell_output" in container.get("classes", []):
            # outputs come from the code, in the edition's language
            _untranslatable(container, keep_captions=True)
    for math in document.findall(nodes.math_block):
        math["translatable"] = False  # a formula is not prose (a translated one is re-parsed)
    for only in document.findall(addnodes.only):
        if only["expr"].strip().startswith(LANGUAGE_TAG.format("")):
            _untranslatable(only)  # English-only (or Vietnamese-only) text: never translated


def _patch_glue_roles() -> None:
    from myst_nb.ext.glue import roles
    from myst_nb.ext.glue.crossref import read_glue_cache
    from myst_nb.ext.glue.utils import RetrievalError, VariableOutput

    original = roles.retrieve_glue_data
    if getattr(original, "_bentre", False):
        return

    def retrieve_glue_data(document, key):
        try:
            return original(document, key)
        except RetrievalError:
            source = str(document.get("source", ""))
            env = getattr(document.settings, "env", None)
            if not source.endswith(TRANSLATED_SUFFIX) or env is None:
                raise
            # A translated paragraph: the page's glue data as myst-nb stored it. Read
            # afresh (not read_glue_cache's lru_cache): an incremental build rewrites it.
            data = read_glue_cache.__wrapped__(env.mystnb_config.output_folder, env.docname)
            if key not in data:
                raise
            return VariableOutput(data=data[key]["data"],
                                  metadata=data[key].get("metadata", {}),
                                  nb_renderer=None, vtype="glue")

    retrieve_glue_data._bentre = True
    roles.retrieve_glue_data = retrieve_glue_data


# --- the link to the other edition -----------------------------------------------------------
# ``bentre_editions`` (Sphinx config) maps each other edition's language to its HTML root,
# relative to this edition's: _build/html and _build/vi/html link to each other from disk.
# The link's text is in the language it leads to, and says so (``lang``, ``hreflang``).
EDITION_NAMES = {"en": "English edition", "vi": "Bản tiếng Việt"}


def _edition_links(app, pagename, templatename, context, doctree) -> None:
    import posixpath
    from html import escape

    editions = app.config.bentre_editions or {}
    if not editions or app.builder.format != "html":
        return
    to_root = posixpath.dirname(context["pathto"]("index"))  # "" or "..", page to HTML root
    links, alternates = [], []
    for lang, root in sorted(editions.items()):
        if lang == app.config.language:
            continue  # _config.<lang>.yml's links are merged over _config.yml's
        href = posixpath.join(to_root, root, pagename + app.builder.out_suffix)
        name = escape(EDITION_NAMES.get(lang, lang))
        links.append(f'<a class="bentre-edition" href="{escape(href)}" hreflang="{lang}" '
                     f'lang="{lang}">{name}</a>')
        alternates.append(f'<link rel="alternate" hreflang="{lang}" href="{escape(href)}">')
    context["body"] = ('<p class="bentre-editions">' + " ".join(links) + "</p>\n"
                       + context.get("body", ""))
    context["metatags"] = context.get("metatags", "") + "\n".join(alternates) + "\n"


def _title_of_edition(app, env) -> None:
    """jupyter-book writes ``_config.yml``'s title into ``latex_documents`` after Sphinx has
    read the configuration; an edition's own title (``bentre_book_title``) and author go in
    after."""
    title = app.config.bentre_book_title
    if title and app.config.latex_documents:
        first = list(app.config.latex_documents[0])
        first[2], first[3] = title, app.config.author
        app.config.latex_documents = [tuple(first), *app.config.latex_documents[1:]]


# Labels that the themes' templates write in English without gettext (so no catalog reaches
# them): replaced in each rendered page of another edition (bentre.book.html calls this).
TEMPLATE_LABELS = (
    ('aria-label="Main"', "aria-label", N_("Main")),
    ('aria-label="Page"', "aria-label", N_("Page")),
    ('title="Toggle primary sidebar"', "title", N_("Toggle primary sidebar")),
    ('title="Toggle secondary sidebar"', "title", N_("Toggle secondary sidebar")),
)


def template_labels(html: str, language: str) -> str:
    from html import escape

    from ..i18n import _

    if language == "en":
        return html
    for written, attribute, english in TEMPLATE_LABELS:
        translated = escape(_(english), quote=True)
        html = html.replace(written, f'{attribute}="{translated}"')
    return html


def _page_catalog(app, docname: str):
    """The gettext function of a page's catalog, as Sphinx's Locale transform finds it."""
    from os import path

    from sphinx.locale import init as init_locale
    from sphinx.util.i18n import docname_to_domain

    dirs = [path.join(app.srcdir, d) for d in app.config.locale_dirs]
    domain = docname_to_domain(docname, app.config.gettext_compact)
    catalog, has_catalog = init_locale(dirs, app.config.language, domain)
    return catalog.gettext if has_catalog else (lambda text: text)


def setup(app):
    from sphinx.transforms import SphinxTransform
    from sphinx.transforms.post_transforms import SphinxPostTransform

    app.add_config_value("bentre_editions", {}, "html", types=[dict])
    app.add_config_value("bentre_book_title", "", "env", types=[str])
    app.connect("html-page-context", _edition_links)
    app.connect("env-updated", _title_of_edition)

    class OutputsAreNotProse(SphinxTransform):
        default_priority = 15  # before sphinx.transforms.i18n.Locale (20)

        def apply(self, **kwargs) -> None:
            _mark_untranslatable(self.document)
            _mark_exercise_subtitles(self.document)

    class TranslateFigureAltText(SphinxPostTransform):
        """A figure's alt text is cell metadata that myst-nb turns into an image only after
        Sphinx has translated the page (its mime-type selection runs at 4): looked up here
        in the page's catalog. (The gettext builder extracts it: _config.yml gives myst-nb
        an image type to render for that builder.)"""

        default_priority = 5

        def run(self, **kwargs) -> None:
            if self.config.language == "en" or not self.config.locale_dirs:
                return
            translate = _page_catalog(self.app, self.env.docname)
            for image in self.document.findall(nodes.image):
                if image.get("alt"):
                    image["alt"] = translate(" ".join(image["alt"].split()))

    class ExtractExerciseTitles(SphinxPostTransform):
        """sphinx-exercise folds an exercise's title into a plain title after the pages are
        read (its post-transform at 20), before the gettext builder collects messages:
        collected here, before that (Sphinx translates them when it reads the page)."""

        default_priority = 19
        builders = ("gettext",)

        def run(self, **kwargs) -> None:
            from sphinx.util.i18n import docname_to_domain
            from sphinx_exercise.nodes import exercise_subtitle

            domain = docname_to_domain(self.env.docname, self.config.gettext_compact)
            for node in self.document.findall(exercise_subtitle):
                self.app.builder.catalogs[domain].add(node.rawsource or node.astext(), node)

    class SolutionsNameTheTranslatedExercise(SphinxPostTransform):
        """A solution's title repeats its exercise's ("Solution to Exercise 2.1 (title)"),
        read from sphinx-exercise's registry, which holds the exercise as the directive made
        it, before Sphinx translated the page. The registry is given the page's own
        (translated) exercise, as it stands before sphinx-exercise rewrites its title (20)."""

        default_priority = 19

        def run(self, **kwargs) -> None:
            registry = getattr(self.env, "sphinx_exercise_registry", None)
            if not registry:
                return
            from sphinx_exercise.nodes import exercise_enumerable_node, exercise_node

            for node in self.document.findall(
                    lambda n: isinstance(n, (exercise_node, exercise_enumerable_node))):
                label = node.get("label")
                if label in registry:  # (a LaTeX build holds every page in one document)
                    registry[label]["node"] = node.deepcopy()

    app.add_post_transform(TranslateFigureAltText)
    app.add_post_transform(ExtractExerciseTitles)
    app.add_post_transform(SolutionsNameTheTranslatedExercise)

    def tag_language(app, config) -> None:
        from ..i18n import set_language

        # The edition is the configuration's language: the package's text (bentre.i18n), the
        # footers made from CITATION.cff and the kernels that execute the notebooks follow it.
        set_language(config.language)
        app.tags.add(LANGUAGE_TAG.format(config.language))

    class TranslateTocCaptions(SphinxTransform):
        """The table of contents' part captions (_toc.yml) are put into the root page by
        sphinx-external-toc (at 100), after Sphinx translated the page: translated here from
        the root page's catalog, where the gettext builder finds them."""

        default_priority = 101

        def apply(self, **kwargs) -> None:
            from sphinx import addnodes

            if self.config.language == "en" or not self.config.locale_dirs:
                return
            translate = None
            for toctree in self.document.findall(addnodes.toctree):
                if toctree.get("caption"):
                    translate = translate or _page_catalog(self.app, self.env.docname)
                    toctree["caption"] = translate(toctree["caption"])
                    if toctree.get("rawcaption"):
                        toctree["rawcaption"] = toctree["caption"]

    app.add_transform(OutputsAreNotProse)
    app.add_transform(TranslateTocCaptions)
    app.connect("config-inited", tag_language, priority=100)  # before bentre.book.terms
    _patch_glue_roles()
    return {"parallel_read_safe": True, "parallel_write_safe": True}
