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
               "__pycache__", "*.egg-info", ".ipynb_checkpoints", "tests")

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


def student_notebook(nb, name: str = "notebook"):
    """A copy of ``nb`` for students: solution cells replaced by prompts, solution
    directives and gated solutions removed, check cells kept with their outputs cleared.
    Raises :class:`StudentEditionError` if the notebook breaks the convention."""
    import nbformat

    found = problems(nb, name)
    if found:
        raise StudentEditionError(found)
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
            cells.append(cell)
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
            notebooks[path] = student_notebook(nb, relative(path))
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
    subprocess.run(command, check=True)
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
        book = prepare_book(out / ".book")
        made["html"] = build_html(book, out / "html")
    return made
