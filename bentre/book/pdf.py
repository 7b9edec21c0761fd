"""The PDF edition: where it is, the check that runs after LaTeX, and the book's PDF fixes.

The PDF comes from ``jupyter-book build . --builder pdflatex`` (XeLaTeX) into
``_build/latex/``; its name is ``latex.latex_documents.targetname`` in ``_config.yml``, the
one place it is spelled.

As a command (run by ``make pdf``)::

    python -m bentre.book.pdf [--lang vi] check     # fail on any missing or broken character in the LaTeX log
    python -m bentre.book.pdf [--lang vi] publish   # copy the PDF into the edition's html/, which links to it

XeLaTeX does not stop when a font lacks a glyph: it writes "Missing character: There is no
ế in font …" to the log and leaves a hole in the page. Nor when its input holds a broken
UTF-8 sequence ("Invalid UTF-8 byte or sequence … replaced by U+FFFD"). ``check`` turns
every such line into a failure, so a Vietnamese diacritic can never silently vanish.

As a Sphinx extension (``sphinx: extra_extensions`` in ``_config.yml``):

- LaTeX: exercise and solution bodies stay inside their boxes. sphinx-exercise puts a
  directive's body in a title-less ``section`` node; in the root document,
  sphinx-jupyterbook-latex takes every section for a heading level and moves its content to
  the end of the page, after the box. Sections nested in a body element (an admonition) are
  containers, not headings, so they lose the marks that make it move them.
- LaTeX: tables fit the page (``table_layout``): short columns keep their natural width,
  long ones wrap, tall tables break across pages, wide ones are set smaller, and
  identifiers and digests may break.
- LaTeX: the LaTeX build's environment (its own, beside the HTML's: ``bentre.book.build``)
  keeps the configuration's numbering depth, so that a rebuild does not read every page
  again (``_restore_numfig_depth``).
- LaTeX: the index is in Vietnamese alphabetical order, the glossary's own
  (:func:`bentre.glossary.sort_key`), with Vietnamese letter headings (… D, Đ, E, Ê …).
  makeindex compares bytes, so every ``\\index`` entry gets a sort key of plain ASCII
  letters that sorts as the glossary does (``index_sort_key``), and the letter headings
  come from a code that bentre.sty turns back into the letter (``_visit_index``).
- HTML: every page's download menu offers the PDF edition, and the HTML build copies the
  PDF (when built) next to ``index.html``. ``make book`` builds the PDF first; an HTML build
  without a PDF still succeeds (it says so), and ``publish`` fills the gap later.
"""

from __future__ import annotations

import argparse
import re
import shutil
import sys
from pathlib import Path

from ..paths import project_root, relative

# Lines of a XeLaTeX log that mean a character did not reach the page as written.
MISSING_CHARACTER = "Missing character"            # the font has no glyph for it
INVALID_UTF8 = "Invalid UTF-8 byte or sequence"    # the input was cut mid-character (→ U+FFFD)


# --- where the PDF is -----------------------------------------------------------------------


def pdf_name(root: Path | None = None) -> str:
    """``ben-tre-2020.pdf``: the LaTeX target name from ``_config.yml``, as a PDF."""
    import yaml

    root = root or project_root()
    config = yaml.safe_load((root / "_config.yml").read_text(encoding="utf-8"))
    target = config["latex"]["latex_documents"]["targetname"]
    return Path(target).with_suffix(".pdf").name


def latex_dir(root: Path | None = None, lang: str = "en") -> Path:
    """The edition's LaTeX folder: ``_build/latex``, ``_build/vi/latex``."""
    from .build import edition_dir

    return edition_dir(lang, root) / "latex"


def pdf_path(root: Path | None = None, lang: str = "en") -> Path:
    return latex_dir(root, lang) / pdf_name(root)


def log_path(root: Path | None = None, lang: str = "en") -> Path:
    return pdf_path(root, lang).with_suffix(".log")


def html_copy_path(root: Path | None = None, lang: str = "en") -> Path:
    """Where the edition's HTML links to its PDF: next to ``index.html``."""
    from .build import edition_dir

    return edition_dir(lang, root) / "html" / pdf_name(root)


# --- the check after LaTeX ------------------------------------------------------------------


def missing_characters(log_text: str) -> list[str]:
    """Every line of a XeLaTeX log that says a character is missing from the page: "Missing
    character" (no glyph in the font) or "Invalid UTF-8 byte or sequence" (a character cut
    in two on its way, printed as U+FFFD), in order."""
    return [line.strip() for line in log_text.splitlines()
            if MISSING_CHARACTER in line or INVALID_UTF8 in line]


def read_log(path: Path) -> str:
    # TeX writes its log in the bytes it was given; a glyph name may be cut mid-character
    # where TeX wraps lines, so decode leniently.
    return Path(path).read_bytes().decode("utf-8", errors="replace")


def check(root: Path | None = None, lang: str = "en") -> list[str]:
    """Problems with the built PDF: no PDF or no log, or characters missing or broken."""
    pdf, log = pdf_path(root, lang), log_path(root, lang)
    if not pdf.is_file():
        return [f"{relative(pdf)}: not built (run `make pdf`)"]
    if not log.is_file():
        return [f"{relative(log)}: no LaTeX log beside the PDF"]
    return [f"{relative(log)}: {line}" for line in missing_characters(read_log(log))]


def publish(root: Path | None = None, lang: str = "en") -> Path | None:
    """Copy the PDF to where the HTML links to it, if the HTML has been built."""
    pdf, target = pdf_path(root, lang), html_copy_path(root, lang)
    if not pdf.is_file() or not target.parent.is_dir():
        return None
    shutil.copy2(pdf, target)
    return target


# --- the Sphinx extension -------------------------------------------------------------------


def _structural(node) -> bool:
    from docutils import nodes
    from sphinx import addnodes

    return isinstance(node, (nodes.document, nodes.section, nodes.compound,
                             addnodes.start_of_file))


def _keep_nested_sections_in_place(document) -> int:
    """Drop sphinx-jupyterbook-latex's heading marks from sections nested in body elements
    (sphinx-exercise's exercise and solution bodies), so that its root-document pass does not
    move their content out of the box. Returns how many sections it unmarked."""
    from docutils import nodes

    count = 0
    for section in document.findall(nodes.section):
        if "header_level" in section and not _structural(section.parent):
            del section["header_level"]
            count += 1
    return count


# Tables. Our tables are MyST pipe tables (bentre.tables) with no widths. Sphinx sets such a
# table with tabulary, which narrows every column in proportion to its longest cell: short
# columns ("24,012.00", "billion VND") end up narrower than their content and spill into the
# next one; and only a table of more than 30 rows becomes a (page-breaking) longtable, so a
# shorter table of wrapped rows runs off the bottom of the page. So, for the PDF only:
SHORT_COLUMN = 18   # characters: a column whose every cell is at most this long is not wrapped
TALL_TABLE = 15     # body rows: a taller table may not fit on a page, so it may break
DENSE_TABLE = 6     # columns: from this many, one size smaller and narrower gaps
WIDE_COLUMN = 60    # characters: in a long table, no column asks for more than this
CHAR_EM = 0.5       # a FreeSerif character is at most about half an em wide
_BREAK_AFTER = "_/"  # identifiers and paths in cells may break after these
_LONG_WORD = 20      # a word longer than this (and without those) is cut
_CHUNK = 10          # every this many characters
_HYPHENATED = 12     # a longer word can be hyphenated by TeX


def _break_points(text: str) -> list[str]:
    """``text`` cut where a line may break inside a word: after ``_`` or ``/``, and every
    ``_CHUNK`` characters of a word longer than ``_LONG_WORD`` (a digest, a long number),
    which TeX could not hyphenate."""
    pieces, current = [], ""
    for word in re.split(r"(\s+)", text):
        parts = re.split(f"(?<=[{re.escape(_BREAK_AFTER)}])", word)
        for part in parts:
            if len(part) > _LONG_WORD:
                chunks = [part[i:i + _CHUNK] for i in range(0, len(part), _CHUNK)]
            else:
                chunks = [part]
            for chunk in chunks[:-1]:
                pieces.append(current + chunk)
                current = ""
            current += chunks[-1]
            if part and part[-1] in _BREAK_AFTER and part != word[-len(part):]:
                pieces.append(current)
                current = ""
    return pieces + [current]


def _unbreakable(piece: str) -> int:
    """The width, in characters, that a piece of cell text needs on one line: its longest
    word, where a plain word longer than _HYPHENATED counts as that (TeX hyphenates it)."""
    words = piece.split() or [""]
    return max(min(len(w), _HYPHENATED) if w.isalpha() else len(w) for w in words) or 1


def table_layout(columns: list[list[str]], right: list[bool] | None = None,
                 captioned: bool = False, breakable: bool = True) -> tuple[str, str, bool]:
    """How to set a table whose cells (header row first) hold ``columns``' texts.

    Returns (LaTeX column spec, LaTeX setup run at the start of the table, longtable?).
    A table of up to TALL_TABLE body rows stays a tabulary: short columns ``l``/``r``
    (natural width, aligned as in the Markdown), the others ``L`` (wrapped ragged-right,
    sharing what is left). A taller one becomes a longtable, which breaks across pages:
    each column gets the width of its longest unbreakable piece of body text (headings may
    hyphenate), and what is left of the line is shared in proportion to how much more its
    typical (mean) cell needs. A table in a box (an admonition, an exercise) cannot break
    across pages (``breakable=False``): it stays a tabulary however tall.
    """
    right = right or [False] * len(columns)
    n = len(columns)
    setup = r"\footnotesize\setlength{\tabcolsep}{3pt}" if n >= DENSE_TABLE else r"\small"
    if len(columns[0]) - 1 <= TALL_TABLE or not breakable:
        spec = "".join(("r" if r else "l") if max(map(len, col)) <= SHORT_COLUMN else "L"
                       for col, r in zip(columns, right))
        return spec, setup, False
    if not captioned:
        # "continued from previous page" must not name the number of another table.
        setup += r"\let\tablename\bentreGobbleTableNumber"
    # One character of slack: CHAR_EM is an average, and "medium" has two m's.
    floors = [max(_unbreakable(piece) for text in col[1:] for piece in _break_points(text)) + 1
              for col in columns]
    wants = [max(min(sum(map(len, col)) / len(col), WIDE_COLUMN), floor)
             for col, floor in zip(columns, floors)]
    extras = [round(want - floor) + 1 for want, floor in zip(wants, floors)]
    left = rf"(\linewidth-{2 * n}\tabcolsep-{sum(floors) * CHAR_EM:g}em)"
    spec = "".join(rf">{{\raggedright\arraybackslash}}"
                   rf"p{{\dimexpr{floor * CHAR_EM:g}em+{left}*{extra}/{sum(extras)}\relax}}"
                   for floor, extra in zip(floors, extras))
    return spec, setup, True


def _simple(table) -> bool:
    """A table we may lay out: one tgroup, no spans, no given widths, cells of at most one
    paragraph (anything richer keeps Sphinx's own layout)."""
    from docutils import nodes

    if "colwidths-given" in table.get("classes", []):
        return False
    if len(list(table.findall(nodes.tgroup))) != 1:
        return False
    rows = [list(row.findall(nodes.entry)) for row in table.findall(nodes.row)]
    if not rows or len({len(r) for r in rows}) != 1:
        return False
    for entry in table.findall(nodes.entry):
        if entry.get("morecols") or entry.get("morerows"):
            return False
        if len(entry.children) > 1 or any(not isinstance(c, nodes.paragraph)
                                          for c in entry.children):
            return False
    return True


def _allow_breaks(entry) -> None:
    """Give long words in a cell places to break (a zero-width ``\\allowbreak``)."""
    from docutils import nodes

    for text in list(entry.findall(nodes.Text)):
        if isinstance(text.parent, (nodes.math, nodes.raw)):
            continue
        pieces = [p for p in _break_points(str(text)) if p]
        if len(pieces) < 2:
            continue
        new = [pieces[0]]
        for piece in pieces[1:]:
            new += [nodes.raw("", r"\allowbreak{}", format="latex"), piece]
        parent, index = text.parent, text.parent.index(text)
        parent.remove(text)
        for offset, node in enumerate(new):
            parent.insert(index + offset, nodes.Text(node) if isinstance(node, str) else node)


def _ancestors(node):
    while node.parent is not None:
        node = node.parent
        yield node


def _fit_tables(document) -> int:
    """Lay out every simple table of the document for the page; returns how many."""
    from docutils import nodes
    from sphinx import addnodes

    count = 0
    for table in list(document.findall(nodes.table)):
        if not _simple(table):
            continue
        rows = [list(row.findall(nodes.entry)) for row in table.findall(nodes.row)]
        columns = [[entry.astext() for entry in col] for col in zip(*rows)]
        right = ["text-right" in rows[-1][i].get("classes", []) for i in range(len(columns))]
        captioned = any(isinstance(child, nodes.title) for child in table.children)
        boxed = any(isinstance(parent, (nodes.Admonition, nodes.sidebar, nodes.topic,
                                        nodes.table))
                    for parent in _ancestors(table))
        spec, setup, longtable = table_layout(columns, right, captioned, breakable=not boxed)
        for entry in table.findall(nodes.entry):
            _allow_breaks(entry)
        if longtable:
            table["classes"].append("longtable")
        colspec = addnodes.tabular_col_spec()
        colspec["spec"] = spec
        # \bentreTableSetup runs at the start of the next table (latex/bentre.sty).
        setup_node = nodes.raw("", "\n\\gdef\\bentreTableSetup{%s}\n" % setup, format="latex")
        index = table.parent.index(table)
        table.parent.insert(index, colspec)
        table.parent.insert(index, setup_node)
        count += 1
    return count


# The index. makeindex sorts by the key before "@" in \index{key@display}, byte by byte,
# and heads each letter group with the first byte of the key: so chính came before chỉ
# (the bytes of "í" before those of "ỉ"), and Đ and ư after x. Every entry therefore gets a
# key of lowercase ASCII letters that sorts exactly as the glossary page
# (glossary.sort_key: letters first, then tones), and whose first letter codes its group.
_DIGITS = "abcdefghijklmnopqrstuvwxyz"
_SHORT_CODES = 24 * 26          # element values coded in two letters, the first b … y


def _code(value: int) -> str:
    """One element of a sort key as letters: two (b… to y…) below _SHORT_CODES, else "z" and
    five. Prefix-free and in order, so that comparing the concatenations compares the
    elements; "a" starts no code, so it ends a sequence (a shorter word sorts first)."""
    if value < _SHORT_CODES:
        return _DIGITS[1 + value // 26] + _DIGITS[value % 26]
    value -= _SHORT_CODES
    letters = ""
    for _ in range(5):
        value, digit = divmod(value, 26)
        letters = _DIGITS[digit] + letters
    return "z" + letters


def index_sort_key(text: str) -> str:
    """A makeindex sort key for ``text``: lowercase ASCII letters that compare (as strings)
    as :func:`bentre.glossary.sort_key` compares the texts, apart from its last tie-break
    (the text itself, which makeindex replaces with the entry as displayed)."""
    from ..glossary import sort_key

    letters, tones, _ = sort_key(text)
    return "".join(map(_code, letters)) + "a" + "".join(_DIGITS[t] for t in tones)


def index_letter(text: str) -> tuple[int, str]:
    """The letter group of an index entry: (its place, the first element of the glossary's
    sort key; its heading, the entry's first letter with the marks that make it a letter but
    not its tone: "ước" → Ư, "Đảng bộ" → Đ). An entry that starts with anything but a letter
    or digit is a symbol: (0, "")."""
    import unicodedata

    from ..glossary import LETTER_MARKS, sort_key

    letters = sort_key(text)[0]
    if not letters or letters[0] == 0:
        return 0, ""
    first = unicodedata.normalize("NFD", unicodedata.normalize("NFC", text)[0])
    letter = first[0] + "".join(m for m in first[1:] if m in LETTER_MARKS)
    return letters[0], unicodedata.normalize("NFC", letter).upper()


def _index_headings(entries: list[tuple[str, str]]) -> tuple[dict[int, str], str]:
    """For the (type, text) index entries of a document: the code letter of each letter
    group present (by place: a, b, c … in the glossary's order of the groups), and the LaTeX
    that names each group's heading for latex/python.ist (which heads a group with its
    code, upper-cased). makeindex has 26 such codes: groups past the 26th share the last,
    headed by its first and last letters."""
    from sphinx.util.index_entries import split_index_msg

    groups: dict[int, str] = {}
    for kind, text in entries:
        try:
            parts = split_index_msg(kind, text)
        except ValueError:
            continue
        # The texts that can head an entry: both halves of a pair, all three of a triple.
        for part in parts[:1] if kind in {"single", "see", "seealso"} else parts:
            place, heading = index_letter(part)
            groups[place] = heading
    places = sorted(groups)
    codes = {place: _DIGITS[min(rank, 25)] for rank, place in enumerate(places)}
    headings: dict[str, list[str]] = {}
    for place in places:
        headings.setdefault(codes[place], []).append(groups[place] or r"\sphinxsymbolsname")
    latex = "".join(rf"\bentreIndexLetterIs{{{code.upper()}}}{{{names[0]}"
                    + (f"–{names[-1]}" if len(names) > 1 else "") + "}\n"
                    for code, names in headings.items())
    return codes, latex


def _visit_index(self, node) -> None:
    r"""Sphinx's ``LaTeXTranslator.visit_index`` (Sphinx 7.4), with makeindex sort keys of
    the glossary's order: ``\index{<code><key>@<entry>}``, where the code is the entry's
    letter group (``_index_headings``) and the key its ``index_sort_key``. On its first
    call it finds every index entry of the document (the LaTeX builder writes one
    document tree per PDF) and puts the headings' names before ``\printindex``."""
    from docutils import nodes
    from sphinx import addnodes
    from sphinx.util import logging
    from sphinx.util.index_entries import split_index_msg
    from sphinx.writers.latex import CR, EXTRA_RE

    if not hasattr(self, "bentre_index_codes"):
        everything = [(kind, text) for index in self.document.findall(addnodes.index)
                      for kind, text, *_ in index["entries"]]
        self.bentre_index_codes, names = _index_headings(everything)
        self.elements["printindex"] = names + self.elements["printindex"]

    def escape(value: str) -> str:
        value = self.encode(value)
        value = value.replace(r"\{", r"\sphinxleftcurlybrace{}")
        value = value.replace(r"\}", r"\sphinxrightcurlybrace{}")
        value = value.replace('"', '""')
        value = value.replace("@", '"@')
        value = value.replace("!", '"!')
        value = value.replace("|", r"\textbar{}")
        return value

    def style(string: str) -> str:
        match = EXTRA_RE.match(string)
        if match:
            return match.expand(r"\\spxentry{\1}\\spxextra{\2}")
        return r"\spxentry{%s}" % string

    def level(text: str, first: bool) -> str:
        """One level of an entry, ``key@display``; the first level's key leads with its
        letter group's code."""
        code = self.bentre_index_codes.get(index_letter(text)[0], "z") if first else ""
        return f"{code}{index_sort_key(text)}@{style(escape(text))}"

    def entry(*texts: str, encap: str) -> str:
        return r"\index{%s%s}" % ("!".join(level(t, i == 0) for i, t in enumerate(texts)),
                                  encap)

    if not node.get("inline", True):
        self.body.append(CR)
    for kind, string, _tid, ismain, _key in node["entries"]:
        main = "|spxpagem" if ismain else ""
        try:
            parts = split_index_msg(kind, string)
            if kind == "single":
                self.body.append(entry(*parts, encap=main))
            elif kind == "pair":
                p1, p2 = parts
                self.body.append(entry(p1, p2, encap=main) + entry(p2, p1, encap=main))
            elif kind == "triple":
                p1, p2, p3 = parts
                self.body.append(entry(p1, f"{p2} {p3}", encap=main)
                                 + entry(p2, f"{p3}, {p1}", encap=main)
                                 + entry(p3, f"{p1} {p2}", encap=main))
            elif kind in {"see", "seealso"}:
                p1, p2 = parts
                self.body.append(entry(p1, encap=r"|see{%s}" % escape(p2)))
            else:
                logging.getLogger(__name__).warning(f"unknown index entry type {kind} found")
        except ValueError as err:
            logging.getLogger(__name__).warning(str(err))
    if not node.get("inline", True):
        self.body.append(r"\ignorespaces ")
    raise nodes.SkipNode


def _pdf_download_button(app, pagename, templatename, context, doctree) -> None:
    """Add "PDF edition" to sphinx-book-theme's download menu of every page that has one
    (in the edition's language: the build sets it, bentre.book.translate)."""
    from ..i18n import _

    pathto = context.get("pathto")
    for group in context.get("header_buttons") or []:
        if group.get("label") == "download-buttons" and pathto:
            group["buttons"].append({
                "type": "link",
                "url": pathto(_sphinx_pdf_name(app), 1),
                "text": _("PDF edition"),
                "tooltip": _("Download the whole book as a PDF"),
                "icon": "fas fa-file-pdf",
                "label": "download-pdf-edition-button",
            })


def _sphinx_pdf_name(app) -> str:
    # jupyter-book applies `latex.latex_documents` from _config.yml to every builder's config.
    return Path(app.config.latex_documents[0][1]).with_suffix(".pdf").name


def _copy_pdf_into_html(app, exception) -> None:
    from sphinx.util import logging

    if exception is not None or app.builder.format != "html":
        return
    name = _sphinx_pdf_name(app)
    pdf = Path(app.outdir).parent / "latex" / name
    logger = logging.getLogger(__name__)
    if pdf.is_file():
        shutil.copy2(pdf, Path(app.outdir) / name)
        logger.info(f"PDF edition: copied {pdf.name} into the HTML")
    else:
        logger.info(f"PDF edition: {pdf} not built yet; the HTML's link to it works after "
                    "`make pdf` (or `make book`)")


def _remember_numfig_depth(app, config) -> None:
    app.bentre_numfig_secnum_depth = config.numfig_secnum_depth


def _restore_numfig_depth(app) -> None:
    """sphinx-jupyterbook-latex raises ``numfig_secnum_depth`` to 2 for a LaTeX build with
    parts (so that figures are numbered by chapter). The value is saved with the build
    environment, so every later build found the configuration changed and read every page
    again. Put it back; latex/bentre.sty
    numbers figures, tables and code blocks by chapter itself."""
    if app.builder.format == "latex":
        app.config.numfig_secnum_depth = app.bentre_numfig_secnum_depth


def setup(app):
    from sphinx import addnodes
    from sphinx.transforms.post_transforms import SphinxPostTransform

    class KeepExerciseBodiesInBoxes(SphinxPostTransform):
        # Before sphinx-jupyterbook-latex's LatexRootDocPostTransforms (priority 700).
        default_priority = 690
        builders = ("latex",)

        def run(self, **kwargs) -> None:
            _keep_nested_sections_in_place(self.document)

    class FitTablesToPage(SphinxPostTransform):
        default_priority = 900
        builders = ("latex",)

        def run(self, **kwargs) -> None:
            _fit_tables(self.document)

    app.add_post_transform(KeepExerciseBodiesInBoxes)
    # The index in the glossary's order: Sphinx's index node, written with our sort keys.
    app.add_node(addnodes.index, override=True, latex=(_visit_index, None))
    app.add_post_transform(FitTablesToPage)
    app.connect("config-inited", _remember_numfig_depth)
    app.connect("builder-inited", _restore_numfig_depth, priority=900)  # after jblatex (500)
    # After sphinx-book-theme fills the header buttons (priority 501).
    app.connect("html-page-context", _pdf_download_button, priority=600)
    app.connect("build-finished", _copy_pdf_into_html)
    return {"parallel_read_safe": True, "parallel_write_safe": True}


# --- command line ---------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bentre.book.pdf", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--lang", choices=["en", "vi"], default="en",
                        help="the edition (default en: _build/latex; vi: _build/vi/latex)")
    parser.add_argument("command", choices=["check", "publish"])
    args = parser.parse_args(argv)
    if args.command == "check":
        problems = check(lang=args.lang)
        if problems:
            print(f"PDF check failed, {len(problems)} problem(s):", file=sys.stderr)
            for problem in problems:
                print(f"  - {problem}", file=sys.stderr)
            return 1
        print(f"{relative(pdf_path(lang=args.lang))}: ok, no missing or broken characters in "
              f"{relative(log_path(lang=args.lang))}")
        return 0
    target = publish(lang=args.lang)
    print(f"copied to {relative(target)}" if target else "no HTML build to copy the PDF into")
    return 0


if __name__ == "__main__":
    sys.exit(main())
