"""The student edition: the chapter notebooks without their solutions, and an HTML edition
with solutions hidden. ``python -m bentre student`` (``make student``) writes both under
``_build/student/``: ``notebooks/`` and ``html/``.

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
"""

from __future__ import annotations

import copy
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from ..paths import build_dir, chapters_dir, project_root, relative

SOLUTION_TAG = "solution"
CHECK_TAG = "exercise-check"
ANSWER_TAG = "answer"  # the student's empty cell, where a solution was
RAISES_TAG = "raises-exception"  # on a student's check cell: Run All goes on past it
SOLUTION_DIRECTIVES = ("solution", "solution-start", "solution-end")
# Directives whose body is literal text, never markup (a code example may show a solution).
LITERAL_DIRECTIVES = ("code-block", "code", "code-cell", "sourcecode")
DEFAULT_PROMPT = "# Your answer here."
PROMPT_TAIL = "# Write your code here, run it, then run the check cell below."
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
    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        lines = "\n".join(f"  - {p}" for p in self.problems)
        super().__init__(f"{len(self.problems)} problem(s) with the exercises:\n{lines}")


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
                     cell_index: int) -> tuple[str, list[str]]:
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
        words = "the figure " + ("above" if figures[label] < cell_index else "below")
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


def prompt(solution_source: str) -> str:
    """The student's cell for a solution: its leading comment lines, then a standard line."""
    lead = []
    for line in solution_source.split("\n"):
        if not line.lstrip().startswith("#"):
            break
        lead.append(line.rstrip())
    return "\n".join((lead or [DEFAULT_PROMPT]) + [PROMPT_TAIL])


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


def student_notebook(nb, name: str = "notebook", path: Path | None = None):
    """A copy of ``nb`` for students: solution cells replaced by prompts, solution
    directives and gated solutions removed, check cells kept with their outputs cleared,
    and the Markdown made readable outside the book (:func:`resolve_markdown`: glued values
    written in, figure references in words). ``path`` is the notebook's file, for glue
    pasted from another notebook beside it. Raises :class:`StudentEditionError` if the
    notebook breaks the convention or cites a value it does not glue."""
    import nbformat

    found = problems(nb, name)
    if found:
        raise StudentEditionError(found)
    values = GlueValues(nb, path)
    out = copy.deepcopy(nb)
    cells, gated = [], False
    for cell in out.cells:
        tags = _tags(cell)
        if cell.cell_type == "markdown":
            text, gated, _ = strip_solutions(cell.source, gated)
            if text != cell.source:
                cell.source = text.strip("\n")
            if cell.source.strip():
                cells.append(cell)
        elif cell.cell_type == "code" and SOLUTION_TAG in tags:
            answer = nbformat.v4.new_code_cell(prompt(cell.source))
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
            cells.append(cell)
    figures = _figure_cells(nbformat.v4.new_notebook(cells=cells))
    for index, cell in enumerate(cells):
        if cell.cell_type != "markdown":
            continue
        cell.source, errors = resolve_markdown(cell.source, values, figures, index)
        found += [Problem(f"{name}, cell {cell.get('id', '?')}", e) for e in errors]
    if found:
        raise StudentEditionError(found)
    out.cells = cells
    nbformat.validate(out)
    return out


def write_notebooks(out_dir: Path, sources: list[Path] | None = None) -> list[Path]:
    """The student version of every chapter notebook, written into ``out_dir``."""
    import nbformat

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    sources = sorted(chapters_dir().glob("*.ipynb")) if sources is None else sources
    notebooks, found = {}, []
    for path in sources:
        nb = nbformat.read(path, as_version=4)
        try:
            notebooks[path] = student_notebook(nb, relative(path), Path(path))
        except StudentEditionError as exc:
            found += exc.problems
    if found:
        raise StudentEditionError(found)
    written = []
    for path, nb in notebooks.items():
        target = out_dir / Path(path).name
        target.write_text(nbformat.writes(nb) + "\n", encoding="utf-8")
        written.append(target)
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


def prepare_book(dest: Path, root: Path | None = None) -> Path:
    """A copy of the book in ``dest`` for the student HTML: student notebooks, markdown
    pages without solutions, no teacher-only pages, ``hide_solutions`` on and execution off
    (the notebooks keep their stored outputs)."""
    import yaml

    root = Path(root or project_root())
    dest = Path(dest)
    if dest.exists():
        shutil.rmtree(dest)
    shutil.copytree(root, dest, ignore=shutil.ignore_patterns(*_NOT_COPIED))
    for page in TEACHER_ONLY:
        for suffix in (".md", ".ipynb"):
            (dest / (page + suffix)).unlink(missing_ok=True)
    write_notebooks(dest / "chapters", sorted((root / "chapters").glob("*.ipynb")))
    found = []
    for page in sorted(dest.rglob("*.md")):
        text, gated, errors = strip_solutions(page.read_text(encoding="utf-8"))
        found += [Problem(page.relative_to(dest).as_posix(), e) for e in errors]
        if gated:
            found.append(Problem(page.relative_to(dest).as_posix(),
                                 "solution-start is never closed"))
        page.write_text(text, encoding="utf-8")
    if found:
        raise StudentEditionError(found)
    config_path, toc_path = dest / "_config.yml", dest / "_toc.yml"
    config = yaml.safe_load(config_path.read_text(encoding="utf-8"))
    config["title"] = f"{config.get('title', '')} (student edition)".strip()
    config.setdefault("execute", {})["execute_notebooks"] = "off"
    config.setdefault("sphinx", {}).setdefault("config", {})["hide_solutions"] = True
    # The PDF edition is the teacher's, with the solutions: no link to it from here.
    config["sphinx"]["extra_extensions"] = [
        e for e in config["sphinx"].get("extra_extensions") or [] if e not in TEACHER_EXTENSIONS]
    config_path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False),
                           encoding="utf-8")
    toc = _drop_teacher_pages(yaml.safe_load(toc_path.read_text(encoding="utf-8")))
    toc_path.write_text(yaml.safe_dump(toc, allow_unicode=True, sort_keys=False),
                        encoding="utf-8")
    return dest


def build_html(book: Path, out: Path, flags: tuple[str, ...] = ("-W", "-n", "--keep-going")) -> Path:
    """Build ``book`` with jupyter-book (the one beside this Python) and put its HTML in
    ``out``."""
    jb = Path(sys.executable).parent / "jupyter-book"
    command = [str(jb) if jb.exists() else "jupyter-book", "build", str(book), "--all", *flags]
    # jupyter-book ends by naming its own output folder, a staging copy that is deleted: the
    # caller names the real one. Its log is shown only when the build fails.
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode:
        sys.stdout.write(done.stdout)
        sys.stderr.write(done.stderr)
        raise subprocess.CalledProcessError(done.returncode, command)
    out = Path(out)
    if out.exists():
        shutil.rmtree(out)
    shutil.copytree(Path(book) / "_build" / "html", out)
    return out


def make_edition(out: Path | None = None, html: bool = True) -> dict[str, object]:
    """Write ``notebooks/`` and (with ``html``) ``html/`` under ``out``
    (default ``_build/student``)."""
    out = Path(out or build_dir() / "student")
    if (out / "notebooks").exists():
        shutil.rmtree(out / "notebooks")  # no notebook of a chapter that is gone
    made: dict[str, object] = {"notebooks": write_notebooks(out / "notebooks")}
    if html:
        import tempfile

        # The book is staged in a temporary folder that is gone afterwards: the one output
        # folder is ``out`` (an interrupted run leaves nothing hidden in it either).
        shutil.rmtree(out / ".book", ignore_errors=True)  # left by versions before 1.1
        with tempfile.TemporaryDirectory(prefix="bentre-student-") as staging:
            book = prepare_book(Path(staging) / "book")
            made["html"] = build_html(book, out / "html")
    return made
