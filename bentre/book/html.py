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

The LaTeX builder is untouched: LaTeX typesets math itself.
"""

from __future__ import annotations

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
    scripts = context.get("script_files")
    if not scripts:
        return
    seen, unique = set(), []
    for script in scripts:
        key = _script_key(script)
        if key not in seen:
            seen.add(key)
            unique.append(script)
    scripts[:] = unique  # the builder restores its own list after each page


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


def setup(app):
    _patch_myst_nb_stream_merge()
    app.connect("builder-inited", _copy_late_assets_early)
    app.add_html_math_renderer(RENDERER, (visit_math, None), (visit_displaymath, None))
    app.connect("config-inited", _use_mathml)
    app.connect("html-page-context", _one_copy_of_each_script, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
