"""The student edition: the chapter notebooks without their solutions, and an HTML edition
with solutions hidden. ``python -m bentre student`` writes both under ``_build/student/``:
``notebooks/`` and ``html/``; ``python -m bentre student --lang vi`` the Vietnamese edition
under ``_build/vi/student/`` (``make student`` makes both; see "In Vietnamese" below).

The convention
==============
The notebooks in ``chapters/`` are the teacher's edition: exercises with their solutions,
executed, and proved by nbval. The student edition is derived from them by rules that only
look at cell tags and sphinx-exercise directives:

An exercise is a sphinx-exercise ``exercise`` directive with a label, in a markdown cell. It
stays in the student edition. Its solution is one of two kinds:

- **A computing exercise** has a *gated* solution around one or more code cells, then a
  check cell::

      markdown                 ```{solution-start} ex-economy-base
                               :class: dropdown
                               ```
      code, tag "solution"     # Compute the revenue of January-September 2019 as `base`.
                               base = revenue / (1 + growth / 100)
      markdown                 ```{solution-end}
                               ```
      code, tag "exercise-check"
                               exercises.check("base", implied.values["base"], tolerance=0.5)

  In the student notebook each ``solution`` cell becomes an empty code cell (tag
  ``answer``) holding only a prompt: the solution's leading comment lines, or a standard
  prompt if it has none. Put in that comment only what a student may see: the task and
  the name the check reads. The ``exercise-check`` cell stays, with its outputs cleared, so
  a student sees whether the answer is right. It compares the answer with bentre's own
  result (a check's ``values``, a loader's column), never with a typed number, so nbval
  proves the solution in the teacher's notebook. :func:`bentre.exercises.check` does this with a readable
  message; a plain ``assert`` is fine too.

- **A discussion exercise** has a model answer in a ``solution`` directive (no code). The
  student edition drops the directive.

Everything between ``solution-start`` and ``solution-end`` is removed, whatever the cells
hold. Rules, enforced when the edition is made (a broken rule stops it, naming notebook
and cell):

1. every code cell inside a gated solution is tagged ``solution``, and every ``solution``
   cell is inside one;
2. the first code cell after a run of ``solution`` cells is tagged ``exercise-check``, and
   every ``exercise-check`` cell comes right after one (markdown between them is fine);
3. gated solutions are closed in the notebook that opens them and never nested.

A solution cell must not define anything a later cell other than its check uses, nor glue
a value that text outside its solution cites: the student edition runs and builds without
it. ``make student`` builds the student HTML with ``-W``, which catches a missing glue.

Read outside the book
=====================
The student notebooks are also read in JupyterLab (``make lab EDITION=student``, the
classroom kit), whose MyST renderer (jupyterlab-myst) draws exercises and admonitions as
boxes but shows a ``{glue:text}`` role as its bare key and a ``{numref}`` as "Cross Reference
Not Found". So the edition writes each glued value in place of its role, formatted as
myst-nb formats it (``myst_nb.core.variables.format_plain_text``) from the teacher
notebook's stored outputs (``other.ipynb::key:fmt`` from the notebook beside it), escaped
for Markdown; a figure reference becomes "the figure above/below" and a ``{ref}`` its own
text. A cited value that is not glued stops the edition, naming the cell. ``{term}`` roles
stay (both renderers show their text). Check cells get the tag ``raises-exception``, so an
unanswered check ("No answer yet") does not stop Run All.

All other cells keep their stored outputs (tables, figures, glue), so the HTML edition is
built from the student notebooks without executing them, with sphinx-exercise's
``hide_solutions`` set. Markdown pages (``.md``) lose their solution directives the same
way; the teacher's guide is left out of the student edition, and so is the link to the PDF
edition (which holds the solutions).

In Vietnamese
=============
The Vietnamese edition is made by the same rules from the same teacher's notebooks, with:

- the outputs (tables, figures, glue) of the Vietnamese execution: the chapters' code cells
  as the Vietnamese book's execution cache (``_build/vi/.jupyter_cache``) holds them, after
  the same cache guard and parallel fill as ``make html-vi`` (:func:`executed_notebooks`);
  so every glued number is written in as the Vietnamese book shows it (``24.012``, ``6,02%``);
- the Markdown translated with the page's Sphinx catalog
  (``locale/vi/LC_MESSAGES/<page>.po``) by :mod:`bentre.book.notebook_i18n`: paragraphs,
  headings, list items, table cells, directive titles and figure captions; ``{only}
  lang_en`` blocks dropped and ``{only} lang_vi`` ones unwrapped (in English the other way
  round). A block with no translation stops the edition, naming the page, the cell and the
  text; the solution prompts (code comments) come from the package's catalog when it has
  them, else stay in English with a warning;
- a first code cell, hidden in the HTML, that sets the package's language
  (``bentre.i18n.set_language("vi")``): the checks' feedback and whatever a student reruns
  is in Vietnamese however the kernel was started;
- the HTML built as the Vietnamese book is (``edition_config("vi")``: language, title,
  catalogs for what Sphinx writes itself), from the translated notebooks and pages. Each
  edition's pages link to the same page in the other (``_build/student/html`` and
  ``_build/vi/student/html``; the classroom kit passes its own layout).
"""

from __future__ import annotations

import copy
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from .. import i18n
from ..i18n import N_, SOURCE_LANGUAGE
from ..paths import project_root, relative
from . import notebook_i18n

SOLUTION_TAG = "solution"
CHECK_TAG = "exercise-check"
ANSWER_TAG = "answer"  # the student's empty cell, where a solution was
RAISES_TAG = "raises-exception"  # on a student's check cell: Run All goes on past it
SOLUTION_DIRECTIVES = ("solution", "solution-start", "solution-end")
# Directives whose body is literal text, never markup (a code example may show a solution).
LITERAL_DIRECTIVES = ("code-block", "code", "code-cell", "sourcecode")
DEFAULT_PROMPT = N_("# Your answer here.")
PROMPT_TAIL = N_("# Write your code here, run it, then run the check cell below.")
# The first cell of a student notebook in another language than English: the package's
# messages (the checks' feedback, what the code prints) follow it, however the kernel was
# started. Hidden in the HTML; the teacher's notebooks, shared by every edition, have none.
LANGUAGE_CELL_ID = "bentre-language"
LANGUAGE_CELL = 'import bentre.i18n\n\nbentre.i18n.set_language("{lang}")'
HIDDEN_TAG = "remove-cell"
# Pages only a teacher needs (toc entries, without suffix).
TEACHER_ONLY = ("chapters/teacher_guide",)
# Sphinx extensions of the teacher's edition only: bentre.book.pdf links every page to the PDF.
TEACHER_EXTENSIONS = ("bentre.book.pdf",)
# Not copied into the student book: builds, environments, caches, tests.
_NOT_COPIED = ("_build", ".venv", ".git", ".hypothesis", ".ruff_cache", ".pytest_cache",
               "__pycache__", "*.egg-info", ".ipynb_checkpoints", "tests", "node_modules")

_FENCE = re.compile(r"^ {0,3}(?P<fence>`{3,}|~{3,}|:{3,})\s*(?P<info>.*)$")
_DIRECTIVE = re.compile(r"^\{(?P<name>[\w.:-]+)\}")


@dataclass(frozen=True)
class Problem:
    where: str      # notebook (or page) and cell id
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


class StudentEditionError(ValueError):
    heading = "problem(s) with the exercises"

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        lines = "\n".join(f"  - {p}" for p in self.problems)
        super().__init__(f"{len(self.problems)} {self.heading}:\n{lines}")


class UntranslatedError(StudentEditionError):
    """Markdown of a student notebook (or page) that its edition's catalog does not
    translate: the edition would show it in English."""

    heading = ("block(s) of Markdown without a translation (the student edition in another "
               "language shows no English prose; translate them in the catalogs named)")


def _in(lang: str, message: str) -> str:
    """``message`` in ``lang`` (the package's catalog), whatever this process writes."""
    return i18n.translations(lang).gettext(message)


# --- markdown: solution directives out ----------------------------------------------------

def _closes(line: str, fence: str) -> bool:
    m = re.match(r"^ {0,3}(`{3,}|~{3,}|:{3,})\s*$", line)
    return bool(m) and m.group(1)[0] == fence[0] and len(m.group(1)) >= len(fence)


def strip_solutions(text: str, gated: bool = False) -> tuple[str, bool, list[str]]:
    """``text`` without its ``solution`` directives and without whatever lies inside a gated
    ``solution-start`` … ``solution-end`` (which may span cells: ``gated`` says whether
    ``text`` starts inside one). Returns the text, whether it ends inside a gated solution,
    and structural errors. Code blocks are literal: a directive shown in one is kept."""
    lines = text.split("\n")
    out: list[str] = []
    errors: list[str] = []
    open_fences: list[str] = []  # directives being read through (their bodies are markup)
    i = 0
    while i < len(lines):
        line = lines[i]
        if open_fences and _closes(line, open_fences[-1]):
            open_fences.pop()
            if not gated:
                out.append(line)
            i += 1
            continue
        m = _FENCE.match(line)
        if not m:
            if not gated:
                out.append(line)
            i += 1
            continue
        fence, info = m["fence"], m["info"].strip()
        directive = _DIRECTIVE.match(info)
        name = directive["name"] if directive else None
        end = i + 1
        while end < len(lines) and not _closes(lines[end], fence):
            end += 1
        if name in SOLUTION_DIRECTIVES:
            if name == "solution-start":
                if gated:
                    errors.append("solution-start inside another gated solution; "
                                  "expected solution-end first")
                gated = True
            elif name == "solution-end":
                if not gated:
                    errors.append("solution-end without a solution-start before it")
                gated = False
            i = end + 1  # the whole directive goes, body and all
        elif name is None or name in LITERAL_DIRECTIVES or fence[0] == "~":
            if not gated:
                out += lines[i:end + 1]
            i = end + 1
        else:
            open_fences.append(fence)
            if not gated:
                out.append(line)
            i += 1
    return "\n".join(out), gated, errors


# --- markdown that reads outside the book: glue and references resolved ------------------

# The student notebooks are read in JupyterLab (jupyterlab-myst renders their Markdown) as
# well as in the student HTML. jupyterlab-myst draws exercises and admonitions as boxes but
# knows nothing of myst-nb's glue (a {glue:text} role shows its key, not its value) nor of
# the book's figure numbers (a {numref} shows "Cross Reference Not Found"). So the student
# edition writes every glued value in place of its role, formatted exactly as myst-nb does,
# from the teacher notebook's stored outputs, and a figure reference becomes "the figure
# above" or "the figure below" (the figure is a code cell of the same notebook). {term}
# roles stay: both renderers show their text (the HTML links it to the glossary).
GLUE_ROLE = re.compile(r"\{glue(?::(?P<kind>[\w-]*))?\}`(?P<content>[^`]+)`")
GLUE_DIRECTIVE = re.compile(r"^ {0,3}(`{3,}|:{3,})\s*\{glue(:\w+)?\}", re.M)
ANY_ROLE = re.compile(r"\{[\w:.-]+\}`[^`]+`")
NUMREF_ROLE = re.compile(r"\{numref\}`(?P<content>[^`]+)`")
REF_ROLE = re.compile(r"\{ref\}`(?P<content>[^`]+)`")
_EXPLICIT = re.compile(r"^(?P<text>.*?)\s*<(?P<target>[^<>]+)>$", re.S)
# Markdown punctuation a glued text could hold; escaped so that it reads as written.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>$|~&{}])")
GLUE_MIME = "application/papermill.record/text/plain"


def markdown_literal(text: str) -> str:
    """``text`` escaped for Markdown (CommonMark backslash escapes): it renders as written."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


def unescape_markdown(text: str) -> str:
    return re.sub(r"\\([\\`*_\[\]<>$|~&{}])", r"\1", text)


def stored_glue(nb) -> dict[str, str]:
    """``key -> text/plain`` of every value glued in a notebook's stored outputs (the last
    glue of a key wins, as in myst-nb)."""
    found = {}
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            name = output.get("metadata", {}).get("scrapbook", {}).get("name")
            text = output.get("data", {}).get(GLUE_MIME)
            if name and text is not None:
                found[name] = "".join(text) if isinstance(text, list) else text
    return found


class GlueValues:
    """Glued values of one notebook and, on demand, of the notebooks it pastes from
    (``other.ipynb::key``, relative to its folder)."""

    def __init__(self, nb, path: Path | None = None):
        self.own = stored_glue(nb)
        self.folder = Path(path).parent if path else None
        self._others: dict[Path, dict[str, str]] = {}

    def get(self, document: str | None, key: str) -> str:
        if document is None:
            glued = self.own
        else:
            import nbformat

            if self.folder is None:
                raise KeyError(f"{document}::{key}: the notebook's folder is unknown")
            target = self.folder / document
            if not target.suffix:
                target = target.with_suffix(".ipynb")
            target = target.resolve()
            if target not in self._others:
                if not target.is_file():
                    raise KeyError(f"{document}::{key}: no notebook {target.name}")
                self._others[target] = stored_glue(nbformat.read(target, as_version=4))
            glued = self._others[target]
        if key not in glued:
            where = f" in {document}" if document else ""
            raise KeyError(f"{key!r} is not glued{where} (no stored output names it)")
        return glued[key]


def glued_text(content: str, values: GlueValues) -> str:
    """What myst-nb shows for ``{glue:text}`content```: ``[doc::]key[:format]``, parsed as
    myst-nb parses it (the format is what follows the last colon) and formatted with its
    own function."""
    from myst_nb.core.variables import format_plain_text

    key, fmt = content.rsplit(":", 1) if ":" in content else (content, "s")
    document, _, key = key.rpartition("::")
    return format_plain_text(values.get(document or None, key), fmt)


def _figure_cells(nb) -> dict[str, int]:
    """Figure label -> index of its cell (myst-nb's ``mystnb.figure.name``, or a
    ``figure`` directive's ``:name:``)."""
    found = {}
    for i, cell in enumerate(nb.cells):
        name = cell.get("metadata", {}).get("mystnb", {}).get("figure", {}).get("name")
        if name:
            found[name] = i
        if cell.cell_type == "markdown":
            for m in re.finditer(r"\{figure\}[^\n]*\n(?:[^\n]*\n)*?\s*:name:\s*(\S+)", cell.source):
                found[m.group(1)] = i
    return found


def _starts_sentence(text: str, at: int) -> bool:
    before = text[:at].rstrip(" ")
    return not before or before.endswith(("\n", ". ", ".", "!", "?", ":\n"))


def resolve_markdown(text: str, values: GlueValues, figures: dict[str, int],
                     cell_index: int, lang: str | None = None) -> tuple[str, list[str]]:
    """``text`` with every glue role replaced by its value, and every figure reference
    (``numref``) and ``ref`` replaced by plain words. Returns the text and the problems (a
    value or target that does not exist)."""
    errors: list[str] = []
    for m in GLUE_DIRECTIVE.finditer(text):
        errors.append(f"a glue directive ({m.group(0).strip()}) cannot be written in the "
                      "student notebook; expected only glue roles")

    def glue(m: re.Match) -> str:
        if m["kind"] != "text":
            errors.append(f"{m.group(0)}: only {{glue:text}} roles are written out in the "
                          "student notebook; expected {glue:text}`key`")
            return m.group(0)
        try:
            return markdown_literal(glued_text(m["content"], values))
        except (KeyError, ValueError, TypeError) as exc:
            errors.append(f"{m.group(0)}: {exc.args[0] if exc.args else exc}")
            return m.group(0)

    def numref(m: re.Match) -> str:
        explicit = _EXPLICIT.match(m["content"])
        label = (explicit["target"] if explicit else m["content"]).strip()
        if label not in figures:
            errors.append(f"{m.group(0)}: no figure labelled {label!r} in this notebook")
            return m.group(0)
        lang_ = lang or i18n.language()
        words = (_in(lang_, "the figure above") if figures[label] < cell_index
                 else _in(lang_, "the figure below"))
        if explicit and explicit["text"] and "%s" not in explicit["text"] \
                and "{number}" not in explicit["text"]:
            words = explicit["text"]
        if _starts_sentence(text, m.start()):
            words = words[0].upper() + words[1:]
        return words

    def ref(m: re.Match) -> str:
        explicit = _EXPLICIT.match(m["content"])
        if not explicit or not explicit["text"]:
            errors.append(f"{m.group(0)}: a reference without its own text cannot be "
                          "written out; expected {ref}`text <label>`")
            return m.group(0)
        return explicit["text"]

    # A role's content broken over two lines reads in Sphinx, not in jupyterlab-myst.
    text = ANY_ROLE.sub(lambda m: re.sub(r"\s*\n\s*", " ", m.group(0)), text)
    text = GLUE_ROLE.sub(glue, text)
    text = NUMREF_ROLE.sub(numref, text)
    text = REF_ROLE.sub(ref, text)
    return text, errors


# --- notebooks ----------------------------------------------------------------------------

def _tags(cell) -> list[str]:
    return list(cell.get("metadata", {}).get("tags", []))


def prompt_message(solution_source: str) -> str | None:
    """The task a solution's leading comment states, as one line without its ``#`` marks
    (the message the package's catalog translates), or ``None`` if it has none."""
    lead = []
    for line in solution_source.split("\n"):
        if not line.lstrip().startswith("#"):
            break
        lead.append(line.strip().lstrip("#").strip())
    return " ".join(part for part in lead if part) or None


def prompt(solution_source: str, lang: str | None = None) -> str:
    """The student's cell for a solution: its leading comment lines, then a standard line.
    In another language the comment is the catalog's translation of :func:`prompt_message`
    (rewrapped), if it has one; the English comment stays otherwise."""
    import textwrap

    lang = lang or i18n.language()
    lead = []
    for line in solution_source.split("\n"):
        if not line.lstrip().startswith("#"):
            break
        lead.append(line.rstrip())
    message = prompt_message(solution_source)
    if lead and message and lang != SOURCE_LANGUAGE:
        translated = _in(lang, message)
        if translated != message:
            lead = ["# " + line for line in textwrap.wrap(translated, width=76)]
    return "\n".join((lead or [_in(lang, DEFAULT_PROMPT)]) + [_in(lang, PROMPT_TAIL)])


def untranslated_prompts(nb, lang: str) -> list[str]:
    """The solution prompts of ``nb`` that the package's catalog does not translate into
    ``lang`` (they stay in English in the student notebook)."""
    found = []
    for cell in nb.cells:
        if cell.cell_type == "code" and SOLUTION_TAG in _tags(cell):
            message = prompt_message(cell.source)
            if message and lang != SOURCE_LANGUAGE and _in(lang, message) == message:
                found.append(message)
    return found


def problems(nb, name: str) -> list[Problem]:
    """Every broken rule of the convention in one notebook (see the module docstring)."""
    found: list[Problem] = []
    gated, gate_opened = False, None
    previous_code = None  # tags of the last code cell
    pending_check = None  # id of a solution run waiting for its check
    for cell in nb.cells:
        where = f"{name}, cell {cell.get('id', '?')}"
        tags = _tags(cell)
        if cell.cell_type == "markdown":
            was_gated = gated
            _, gated, errors = strip_solutions(cell.source, gated)
            found += [Problem(where, e) for e in errors]
            if gated and not was_gated:
                gate_opened = where
            continue
        if cell.cell_type != "code":
            continue
        is_solution, is_check = SOLUTION_TAG in tags, CHECK_TAG in tags
        if is_solution and is_check:
            found.append(Problem(where, f"tagged both {SOLUTION_TAG!r} and {CHECK_TAG!r}; "
                                        "expected a solution cell, then a check cell"))
        if gated and not is_solution:
            found.append(Problem(where, f"code inside a gated solution is not tagged "
                                        f"{SOLUTION_TAG!r}; expected every solution cell tagged"))
        if is_solution and not gated:
            found.append(Problem(where, f"tagged {SOLUTION_TAG!r} outside a gated solution; "
                                        "expected it between solution-start and solution-end"))
        if pending_check and not is_solution and not is_check:
            found.append(Problem(pending_check, f"the solution is not followed by a cell tagged "
                                                f"{CHECK_TAG!r}; expected its check next"))
        if is_check and not (previous_code and SOLUTION_TAG in previous_code):
            found.append(Problem(where, f"tagged {CHECK_TAG!r} but does not follow a solution "
                                        "cell; expected it right after the solution"))
        pending_check = where if is_solution else None
        previous_code = tags
    if pending_check:
        found.append(Problem(pending_check, f"the solution is not followed by a cell tagged "
                                            f"{CHECK_TAG!r}; expected its check next"))
    if gated:
        found.append(Problem(gate_opened or name, "solution-start is never closed; expected a "
                                                  "solution-end later in the notebook"))
    return found


def _translate_caption(cell, lang: str, catalog, where: str) -> list[Problem]:
    """A figure's caption (myst-nb's cell metadata, prose of the page's catalog) in
    ``lang``."""
    figure = cell.get("metadata", {}).get("mystnb", {}).get("figure", {})
    caption = figure.get("caption")
    if not caption or lang == SOURCE_LANGUAGE:
        return []
    msgid = notebook_i18n.fold(caption)
    found = catalog.lookup(msgid) if catalog is not None else None
    if found is None:
        why = catalog.why_missing(msgid) if catalog is not None else "no catalog"
        shown = msgid if len(msgid) <= 160 else msgid[:157] + "..."
        return [Problem(where, f"no translation of the figure caption {shown!r}: {why}")]
    figure["caption"] = found
    return []


def student_notebook(nb, name: str = "notebook", path: Path | None = None,
                     lang: str | None = None, catalog=None):
    """A copy of ``nb`` for students: solution cells replaced by prompts, solution
    directives and gated solutions removed, check cells kept with their outputs cleared,
    and the Markdown made readable outside the book (:func:`resolve_markdown`: glued values
    written in, figure references in words). ``path`` is the notebook's file, for glue
    pasted from another notebook beside it.

    ``lang`` (default: the process's, :func:`bentre.i18n.language`) is the edition's
    language. In English only the ``{only} lang_*`` blocks are resolved. In another language
    ``nb`` must hold that edition's outputs (executed with ``BENTRE_LANG``): its Markdown and
    figure captions are translated with ``catalog`` (default: the page's Sphinx catalog,
    :mod:`bentre.book.notebook_i18n`) before the glued values are written in, and a first,
    hidden cell sets the package's language for the kernel.

    Raises :class:`StudentEditionError` if the notebook breaks the convention or cites a
    value it does not glue, :class:`UntranslatedError` if a block has no translation."""
    import nbformat

    lang = i18n.check_language(lang or i18n.language(), "language")
    found = problems(nb, name)
    if found:
        raise StudentEditionError(found)
    if catalog is None and lang != SOURCE_LANGUAGE:
        page = Path(path) if path is not None else Path(name)
        catalog = notebook_i18n.load_catalog(notebook_i18n.docname(page.with_suffix("")), lang)
    values = GlueValues(nb, path)
    out = copy.deepcopy(nb)
    cells, gated, untranslated = [], False, []
    for cell in out.cells:
        tags = _tags(cell)
        where = f"{name}, cell {cell.get('id', '?')}"
        if cell.cell_type == "markdown":
            text, gated, _ = strip_solutions(cell.source, gated)
            translation = notebook_i18n.translate_markdown(text, lang, catalog)
            untranslated += [Problem(where, notebook_i18n._describe(*m))
                             for m in translation.missing]
            if translation.text != cell.source:
                cell.source = translation.text.strip("\n")
            if cell.source.strip():
                cells.append(cell)
        elif cell.cell_type == "code" and SOLUTION_TAG in tags:
            answer = nbformat.v4.new_code_cell(prompt(cell.source, lang))
            answer.id = cell.get("id", answer.id)
            answer.metadata["tags"] = [ANSWER_TAG]
            cells.append(answer)
        elif gated:
            continue  # (raw cells inside a gated solution)
        else:
            if cell.cell_type == "code" and CHECK_TAG in tags:
                cell.outputs, cell.execution_count = [], None
                # An unanswered check raises ("No answer yet"): the tag lets JupyterLab's
                # Run All (and nbclient) go on to the next cell instead of stopping there.
                if RAISES_TAG not in tags:
                    cell.metadata["tags"] = tags + [RAISES_TAG]
            if cell.cell_type == "code":
                untranslated += _translate_caption(cell, lang, catalog, where)
            cells.append(cell)
    if untranslated:
        raise UntranslatedError(untranslated)
    figures = _figure_cells(nbformat.v4.new_notebook(cells=cells))
    for index, cell in enumerate(cells):
        if cell.cell_type != "markdown":
            continue
        cell.source, errors = resolve_markdown(cell.source, values, figures, index, lang)
        found += [Problem(f"{name}, cell {cell.get('id', '?')}", e) for e in errors]
    if found:
        raise StudentEditionError(found)
    if lang != SOURCE_LANGUAGE:
        setting = nbformat.v4.new_code_cell(LANGUAGE_CELL.format(lang=lang))
        setting.id = LANGUAGE_CELL_ID
        setting.metadata.update({"tags": [HIDDEN_TAG], "editable": False, "deletable": False})
        cells.insert(0, setting)
    out.cells = cells
    nbformat.validate(out)
    return out


def _page_name(path: Path) -> str:
    """How a message names a notebook: relative to the project, or ``chapters/<name>`` for
    a copy elsewhere (an executed copy of a chapter)."""
    shown = relative(path)
    return shown if not Path(shown).is_absolute() else f"{Path(path).parent.name}/{Path(path).name}"


def write_notebooks(out_dir: Path, sources: list[Path] | None = None,
                    lang: str | None = None) -> list[Path]:
    """The student version of every chapter notebook, written into ``out_dir``, in ``lang``
    (default: the process's). ``sources`` default to the chapters as executed in ``lang``
    (:func:`executed_notebooks`)."""
    import nbformat
    import tempfile

    lang = i18n.check_language(lang or i18n.language(), "language")
    out_dir = Path(out_dir)
    with tempfile.TemporaryDirectory(prefix="bentre-executed-") as tmp:
        if sources is None:
            sources = executed_notebooks(lang, Path(tmp))
        notebooks, found, untranslated, prompts = {}, [], [], []
        for path in sources:
            nb = nbformat.read(path, as_version=4)
            name = _page_name(Path(path))
            try:
                notebooks[path] = student_notebook(nb, name, Path(path), lang)
            except UntranslatedError as exc:
                untranslated += exc.problems
            except StudentEditionError as exc:
                found += exc.problems
            prompts += [f"{name}: {m!r}" for m in untranslated_prompts(nb, lang)]
    if found:
        raise StudentEditionError(found)
    if untranslated:
        raise UntranslatedError(untranslated)
    if prompts:
        # Code, not prose: the edition is made, with these prompts in English.
        print(f"warning: {len(prompts)} exercise prompt(s) have no {lang} translation in "
              f"{i18n.catalog_path(lang).name} and stay in English:\n  "
              + "\n  ".join(prompts), file=sys.stderr)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for path, nb in notebooks.items():
        target = out_dir / Path(path).name
        target.write_text(nbformat.writes(nb) + "\n", encoding="utf-8")
        written.append(target)
    return written


def executed_notebooks(lang: str, folder: Path, root: Path | None = None) -> list[Path]:
    """The chapter notebooks with the outputs of an execution in ``lang``. English: the
    chapters themselves (their stored outputs, which nbval proves). Another language: copies
    in ``folder/chapters/`` with the outputs of that edition's execution cache
    (``_build/<lang>/.jupyter_cache``, shared with its book build), which is checked against
    the inputs and filled first (:func:`bentre.book.build.cache_guard`,
    :func:`~bentre.book.build.fill_cache`): a notebook runs only if the cache lacks it."""
    import nbformat

    from . import build

    root = Path(root or project_root())
    sources = sorted((root / "chapters").glob("*.ipynb"))
    if lang == SOURCE_LANGUAGE:
        return sources
    from jupyter_cache import get_cache

    build.cache_guard(root, lang)
    executed, _ = build.fill_cache(root, lang=lang)
    if executed:
        print(f"student: {len(executed)} chapter(s) executed in {lang} into "
              f"{relative(build.edition_dir(lang, root) / build.CACHE)}", flush=True)
    cache = get_cache(str(build.edition_dir(lang, root) / build.CACHE))
    target = Path(folder) / "chapters"
    target.mkdir(parents=True, exist_ok=True)
    written, failed = [], []
    for path in sources:
        nb = nbformat.read(path, as_version=4)
        try:
            _, merged = cache.merge_match_into_notebook(nb)
        except KeyError:
            failed.append(Problem(relative(path), f"no execution in {lang} (the notebook fails "
                                                  f"with BENTRE_LANG={lang}: build the "
                                                  f"{lang} book to see why)"))
            continue
        for cell in merged.cells:
            cell.metadata.pop("execution", None)
        (target / path.name).write_text(nbformat.writes(merged) + "\n", encoding="utf-8")
        written.append(target / path.name)
    if failed:
        raise StudentEditionError(failed)
    return written


# --- the student book and its HTML ---------------------------------------------------------

def _drop_teacher_pages(toc: dict) -> dict:
    def keep(entry) -> bool:
        return not (isinstance(entry, dict) and entry.get("file") in TEACHER_ONLY)

    for part in toc.get("parts", []):
        part["chapters"] = [c for c in part.get("chapters", []) if keep(c)]
    toc["parts"] = [p for p in toc.get("parts", []) if p.get("chapters")]
    if "chapters" in toc:
        toc["chapters"] = [c for c in toc["chapters"] if keep(c)]
    return toc


def edition_links(lang: str) -> dict[str, str]:
    """Where each other edition's student HTML is, relative to this one's, in ``_build/``
    (``_build/student/html``, ``_build/<lang>/student/html``): each page links to itself
    there (``bentre_editions``, :mod:`bentre.book.translate`)."""
    import posixpath

    from .build import edition_dir

    root = project_root()
    here = (edition_dir(lang, root) / "student" / "html").relative_to(root).as_posix()
    return {other: posixpath.relpath(
                (edition_dir(other, root) / "student" / "html").relative_to(root).as_posix(), here)
            for other in i18n.LANGUAGES if other != lang}


def _toc_pages(book: Path) -> list[str]:
    from sphinx_external_toc.parsing import parse_toc_yaml

    return list(parse_toc_yaml(str(book / "_toc.yml")))


def prepare_book(dest: Path, root: Path | None = None, lang: str | None = None,
                 notebooks: list[Path] | None = None,
                 editions: dict[str, str] | None = None) -> Path:
    """A copy of the book in ``dest`` for the student HTML in ``lang`` (default: the
    process's): student notebooks (``notebooks``, already written, or written here),
    markdown pages without solutions, no teacher-only pages, ``hide_solutions`` on and
    execution off (the notebooks keep their stored outputs). In another language than
    English the book is that edition's (``edition_config``: its language, title and
    catalogs) and its Markdown pages are translated like the notebooks. ``editions`` maps
    the other editions' languages to their student HTML, relative to this one's (default:
    :func:`edition_links`)."""
    import yaml

    from .build import edition_config

    lang = i18n.check_language(lang or i18n.language(), "language")
    root = Path(root or project_root())
    dest = Path(dest)
    if dest.exists():
        shutil.rmtree(dest)
    shutil.copytree(root, dest, ignore=shutil.ignore_patterns(*_NOT_COPIED))
    for page in TEACHER_ONLY:
        for suffix in (".md", ".ipynb"):
            (dest / (page + suffix)).unlink(missing_ok=True)
    if notebooks is None:
        sources = (sorted((root / "chapters").glob("*.ipynb"))
                   if lang == SOURCE_LANGUAGE else None)
        write_notebooks(dest / "chapters", sources, lang)
    else:
        for path in notebooks:
            shutil.copy2(path, dest / "chapters" / Path(path).name)
    pages = {f"{doc}.md" for doc in _toc_pages(dest)}
    found, untranslated = [], []
    for page in sorted(dest.rglob("*.md")):
        name = page.relative_to(dest).as_posix()
        text, gated, errors = strip_solutions(page.read_text(encoding="utf-8"))
        found += [Problem(name, e) for e in errors]
        if gated:
            found.append(Problem(name, "solution-start is never closed"))
        if lang != SOURCE_LANGUAGE and name in pages:
            catalog = notebook_i18n.load_catalog(name[:-len(".md")], lang, root)
            translation = notebook_i18n.translate_markdown(text, lang, catalog)
            untranslated += [Problem(name, notebook_i18n._describe(*m))
                             for m in translation.missing]
            text = translation.text
        page.write_text(text, encoding="utf-8")
    if found:
        raise StudentEditionError(found)
    if untranslated:
        raise UntranslatedError(untranslated)
    config_path, toc_path = dest / "_config.yml", dest / "_toc.yml"
    config = yaml.safe_load(config_path.read_text(encoding="utf-8"))
    sphinx = config.setdefault("sphinx", {}).setdefault("config", {})
    if lang != SOURCE_LANGUAGE:
        # The edition's own settings (language, title, numbering words) over _config.yml's;
        # its catalogs (locale/) still translate what only Sphinx writes (part captions).
        edition = edition_config(lang, root)
        for key in ("nb_execution_cache_path", "latex_elements", "latex_individualpages",
                    "bentre_book_title"):
            edition.pop(key, None)
        sphinx.update(edition)
    title = sphinx.pop("html_title", None) or config.get("title", "")
    config["title"] = _in(lang, "{title} (student edition)").format(title=title).strip()
    config.setdefault("execute", {})["execute_notebooks"] = "off"
    sphinx["hide_solutions"] = True
    sphinx["bentre_editions"] = edition_links(lang) if editions is None else dict(editions)
    # The PDF edition is the teacher's, with the solutions: no link to it from here.
    config["sphinx"]["extra_extensions"] = [
        e for e in config["sphinx"].get("extra_extensions") or [] if e not in TEACHER_EXTENSIONS]
    config_path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False),
                           encoding="utf-8")
    toc = _drop_teacher_pages(yaml.safe_load(toc_path.read_text(encoding="utf-8")))
    if lang != SOURCE_LANGUAGE:
        # The parts' captions are messages of the root page's catalog; the sidebar takes
        # them from _toc.yml as written, so they are written in translated.
        catalog = notebook_i18n.load_catalog(toc.get("root", "intro"), lang, root)
        for part in toc.get("parts", []):
            caption = part.get("caption")
            found = catalog.lookup(notebook_i18n.fold(caption)) if caption else None
            if caption and found is None:
                untranslated.append(Problem("_toc.yml", notebook_i18n._describe(
                    "part caption", caption, catalog.why_missing(caption))))
            elif found is not None:
                part["caption"] = found
        if untranslated:
            raise UntranslatedError(untranslated)
    toc_path.write_text(yaml.safe_dump(toc, allow_unicode=True, sort_keys=False),
                        encoding="utf-8")
    return dest


def build_html(book: Path, out: Path, flags: tuple[str, ...] = ("-W", "-n", "--keep-going"),
               lang: str | None = None) -> Path:
    """Build ``book`` with jupyter-book (the one beside this Python) and put its HTML in
    ``out``. The build runs in ``lang`` (``BENTRE_LANG``; default: the process's)."""
    import os

    lang = i18n.check_language(lang or i18n.language(), "language")
    jb = Path(sys.executable).parent / "jupyter-book"
    command = [str(jb) if jb.exists() else "jupyter-book", "build", str(book), "--all", *flags]
    # jupyter-book ends by naming its own output folder, a staging copy that is deleted: the
    # caller names the real one. Its log is shown only when the build fails.
    done = subprocess.run(command, capture_output=True, text=True,
                          env={**os.environ, i18n.ENV: lang})
    if done.returncode:
        sys.stdout.write(done.stdout)
        sys.stderr.write(done.stderr)
        raise subprocess.CalledProcessError(done.returncode, command)
    out = Path(out)
    if out.exists():
        shutil.rmtree(out)
    shutil.copytree(Path(book) / "_build" / "html", out)
    return out


def edition_folder(lang: str | None = None) -> Path:
    """Where ``python -m bentre student`` writes the edition in ``lang``:
    ``_build/student`` (English), ``_build/<lang>/student``."""
    from .build import edition_dir

    return edition_dir(lang or i18n.language()) / "student"


def make_edition(out: Path | None = None, html: bool = True, lang: str | None = None,
                 editions: dict[str, str] | None = None) -> dict[str, object]:
    """Write ``notebooks/`` and (with ``html``) ``html/`` under ``out`` (default
    :func:`edition_folder`), in ``lang`` (default: the process's, ``--lang``)."""
    import tempfile

    lang = i18n.check_language(lang or i18n.language(), "language")
    out = Path(out or edition_folder(lang))
    if (out / "notebooks").exists():
        shutil.rmtree(out / "notebooks")  # no notebook of a chapter that is gone
    made: dict[str, object] = {"notebooks": write_notebooks(out / "notebooks", lang=lang)}
    if html:
        # The book is staged in a temporary folder that is gone afterwards: the one output
        # folder is ``out`` (an interrupted run leaves nothing hidden in it either).
        shutil.rmtree(out / ".book", ignore_errors=True)  # left by versions before 1.1
        with tempfile.TemporaryDirectory(prefix="bentre-student-") as staging:
            book = prepare_book(Path(staging) / "book", lang=lang, notebooks=made["notebooks"],
                                editions=editions)
            made["html"] = build_html(book, out / "html", lang=lang)
    return made
