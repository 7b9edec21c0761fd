"""Assessed work, graded offline on one machine with nbgrader: ``python -m bentre.book.grade``.

``assign``
    writes an nbgrader course under ``_build/grading/`` (``nbgrader_config.py``, and
    ``source/<chapter>/<chapter>_assessed.ipynb`` made from :mod:`bentre.book.assessed`: one
    assignment per chapter 02–06), then runs ``nbgrader generate_assignment`` for each: the
    notebooks to hand out are in ``_build/grading/release/<chapter>/``, with no solution and no
    hidden test.
``grade FOLDER``
    takes the collected work, ``FOLDER/<student>/<chapter>/*.ipynb`` (copied from USB sticks or
    a shared drive; ``FOLDER`` may also be a folder holding ``submitted/``), copies it into the
    course's ``submitted/``, and runs ``nbgrader autograde`` (every notebook executed on the
    kernel ``bentre``), ``nbgrader export`` (the gradebook: ``_build/grading/grades.csv``, a
    row per student and assignment) and ``nbgrader generate_feedback`` (an HTML page per student
    and assignment: ``_build/grading/feedback/<student>/<chapter>/``). A notebook that cannot
    be graded (not valid JSON, say) scores zero in the gradebook, as work not handed in does,
    and is listed with the reason in ``_build/grading/not_graded.csv`` and on the terminal;
    the others are graded all the same.
``list``
    the assessed variants: chapter, id, the exercise each varies, answers and points.

Each assessed notebook starts with a locked setup cell (the imports and the three tables);
then, per variant, a locked question, an answer cell (an nbgrader solution cell: the teacher's
code between ``### BEGIN SOLUTION`` and ``### END SOLUTION``, replaced by a prompt in the
release) and, per answer, an autograded test cell worth the answer's points. Its visible part
only says "No answer yet" when the name is missing; its hidden part (``### BEGIN HIDDEN
TESTS``) computes the expected value with bentre at grading time
(:func:`bentre.book.assessed.expected`) and calls :func:`bentre.exercises.check` with the
likely mistakes, so the message a wrong answer gets (:class:`bentre.exercises.NotYet`) is the
feedback the student reads.

nbgrader runs ``alembic`` by name when it creates the gradebook: every nbgrader command runs
with this environment's ``bin`` first on ``PATH``. Jupyter's configuration, data and runtime
folders and IPython's go under ``_build/grading/.jupyter`` (nothing from the user's home is
read or written), with the environment's own kernels first on the search path.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from ..i18n import _
from ..paths import build_dir, chapters_dir, project_root

COURSE_ID = "bentre-2020"
KERNEL_NAME = "bentre"
KERNEL_DISPLAY_NAME = "Python 3 (bentre)"
SCHEMA_VERSION = 3
CODE_STUB = ("# Your code here: assign the name(s) the question asks for, then run this "
             "cell and the one below it.")
CELL_TIMEOUT = 120  # seconds for one cell, when grading

CONFIG = '''\
# nbgrader's configuration for the assessed exercises (written by
# `python -m bentre.book.grade assign`; regenerated each time). Run nbgrader from this folder,
# with the project's .venv/bin first on PATH (nbgrader calls `alembic` by name).
c = get_config()  # noqa: F821

c.CourseDirectory.course_id = {course!r}
# The gradebook is gradebook.db beside this file; submissions come from folders
# (submitted/<student>/<assignment>/), never from an exchange.
c.CourseDirectory.submitted_directory = "submitted"
c.ClearSolutions.code_stub = {{"python": {stub!r}}}
c.ClearSolutions.text_stub = "Your answer here."
c.Execute.timeout = {timeout}
c.Execute.kernel_name = {kernel!r}
c.Autograde.create_student = True
c.GenerateAssignment.create_assignment = True
# The feedback shows the student's answers and each check's message, not the hidden tests'
# code (which names how bentre computes the answers).
from nbconvert.preprocessors import CSSHTMLHeaderPreprocessor  # noqa: E402
from nbgrader.preprocessors import ClearHiddenTests, GetGrades  # noqa: E402
c.GenerateFeedback.preprocessors = [GetGrades, ClearHiddenTests, CSSHTMLHeaderPreprocessor]
'''

INTRO = """\
# Assessed exercises: {title}

Each question below asks for one or two numbers, computed from the book's data with the same
method as an exercise of the chapter. Write your code in the cell under the question, assign
the name(s) the question asks for, and run the cell. The cell under it is checked when your
teacher grades the notebook; run now, it only says "No answer yet" if a name is missing. Run
the first cell before any other, and save (Ctrl-S) before handing in.

Numbers are written the English way in Python: a decimal **point**, no thousands separator
(`1234.5`, not `1.234,5`)."""


def grading_dir() -> Path:
    return build_dir() / "grading"


def notebook_name(chapter: str) -> str:
    return f"{chapter}_assessed.ipynb"


def chapter_title(chapter: str) -> str:
    """The chapter's own title: the first Markdown heading of its notebook."""
    import nbformat

    path = chapters_dir() / f"{chapter}.ipynb"
    if path.is_file():
        for cell in nbformat.read(path, as_version=4).cells:
            if cell.cell_type == "markdown":
                for line in cell.source.splitlines():
                    if line.startswith("# "):
                        return line[2:].strip()
    return chapter


# --- the source notebooks ------------------------------------------------------------------

def _meta(grade_id: str, *, solution: bool = False, grade: bool = False, locked: bool = False,
          points: int | None = None) -> dict:
    meta = {"grade": grade, "grade_id": grade_id, "locked": locked,
            "schema_version": SCHEMA_VERSION, "solution": solution, "task": False}
    if grade:
        meta["points"] = points
    return {"nbgrader": meta}


def test_code(variant, target) -> str:
    """An autograded test cell: a visible presence check, and the hidden check by bentre."""
    name = target.name
    return "\n".join([
        f"# Checks `{name}` ({target.points} point{'s' if target.points != 1 else ''}) when "
        "your teacher grades the notebook.",
        f'if "{name}" not in globals():',
        f'    raise exercises.NotYet(exercises.not_assigned("{name}"))',
        "### BEGIN HIDDEN TESTS",
        "from bentre import exercises",
        "from bentre.book import assessed",
        f'_expected = assessed.expected("{variant.id}", "{name}")  # bentre\'s own result, now',
        f'exercises.check("{name}", _expected.value, tolerance={target.tolerance!r}, '
        f'percent={target.percent!r},',
        f'                unit={target.unit!r}, mistakes=_expected.mistakes)',
        "### END HIDDEN TESTS",
    ])


def source_notebook(chapter: str):
    """The nbgrader source notebook of one chapter's assessed variants."""
    import nbformat

    from . import assessed

    v4 = nbformat.v4
    cells = [v4.new_markdown_cell(INTRO.format(title=chapter_title(chapter)),
                                  metadata=_meta("intro", locked=True)),
             v4.new_code_cell(assessed.setup_code(chapter), metadata=_meta("setup", locked=True))]
    for number, variant in enumerate(assessed.for_chapter(chapter), 1):
        points = variant.points
        names = ", ".join(f"`{t.name}`" for t in variant.targets)
        cells.append(v4.new_markdown_cell(
            f"## {number}. {variant.title}\n\n{assessed.prompt(variant)}\n\n"
            f"*{points} point{'s' if points != 1 else ''}; assign {names}.*",
            metadata=_meta(f"{variant.id}-question", locked=True)))
        cells.append(v4.new_code_cell(
            f"# {variant.title}: assign {names}.\n### BEGIN SOLUTION\n{variant.solution}\n"
            "### END SOLUTION",
            metadata=_meta(f"{variant.id}-answer", solution=True)))
        for target in variant.targets:
            cells.append(v4.new_code_cell(
                test_code(variant, target),
                metadata=_meta(f"{variant.id}-{target.name}", grade=True, locked=True,
                               points=target.points)))
    for i, cell in enumerate(cells):
        cell.id = cell.metadata["nbgrader"]["grade_id"].replace("_", "-")[:64] or f"cell-{i}"
    nb = v4.new_notebook(cells=cells, metadata={
        "kernelspec": {"name": KERNEL_NAME, "display_name": KERNEL_DISPLAY_NAME,
                       "language": "python"},
        "language_info": {"name": "python"}})
    nbformat.validate(nb)
    return nb


# --- running nbgrader ----------------------------------------------------------------------

def nbgrader_env(course: Path, base: dict | None = None) -> dict[str, str]:
    """nbgrader's environment: this environment's bin first on PATH (``alembic``), Jupyter's
    and IPython's folders under the course, the environment's kernels first, and
    ``BENTRE_ROOT`` naming this project (the data the hidden tests read)."""
    env = dict(os.environ if base is None else base)
    state = course / ".jupyter"
    env.update({
        "PATH": str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", ""),
        "JUPYTER_CONFIG_DIR": str(state / "config"),
        "JUPYTER_DATA_DIR": str(state / "data"),
        "JUPYTER_RUNTIME_DIR": str(state / "runtime"),
        "JUPYTER_PREFER_ENV_PATH": "1",
        "IPYTHONDIR": str(state / "ipython"),
        "PYTHONDONTWRITEBYTECODE": "1",
        # The kernels read this project's data wherever the course folder is.
        "BENTRE_ROOT": str(project_root()),
    })
    env.pop("JUPYTER_PATH", None)
    env.pop("JUPYTER_CONFIG_PATH", None)
    return env


def nbgrader(course: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    """One nbgrader command, run in the course folder (which holds nbgrader_config.py)."""
    exe = Path(sys.executable).parent / "nbgrader"
    command = [str(exe) if exe.exists() else "nbgrader", *args]
    done = subprocess.run(command, cwd=course, env=nbgrader_env(course), text=True,
                          capture_output=True)
    log = course / "nbgrader.log"
    with log.open("a", encoding="utf-8") as f:
        f.write(f"$ nbgrader {' '.join(args)}\n{done.stdout}{done.stderr}\n")
    if check and done.returncode:
        raise RuntimeError(_("nbgrader {command} failed ({code}); see {log}:").format(
            command=" ".join(args), code=done.returncode, log=log) + "\n"
                           + (done.stdout + done.stderr)[-3000:])
    return done


def ensure_kernel() -> None:
    """The notebooks run on the kernel ``bentre`` (``make install`` registers it in the
    environment); registered here if it is missing."""
    from . import lab

    if not (lab.kernel_dir() / "kernel.json").is_file():
        lab.install_kernel()


# --- assign ---------------------------------------------------------------------------------

def assign(course: Path | None = None, chapters: list[str] | None = None) -> dict[str, Path]:
    """Write the course and release every assignment. Returns ``chapter -> released
    notebook``."""
    import nbformat

    from . import assessed

    course = Path(course or grading_dir())
    course.mkdir(parents=True, exist_ok=True)
    (course / "nbgrader_config.py").write_text(
        CONFIG.format(course=COURSE_ID, stub=CODE_STUB, timeout=CELL_TIMEOUT, kernel=KERNEL_NAME),
        encoding="utf-8")
    chapters = chapters or assessed.chapters()
    for folder in ("source", "release"):
        shutil.rmtree(course / folder, ignore_errors=True)
    released = {}
    for chapter in chapters:
        target = course / "source" / chapter / notebook_name(chapter)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(nbformat.writes(source_notebook(chapter)) + "\n", encoding="utf-8")
    nbgrader(course, "generate_assignment", "*", "--force")  # one run: every assignment
    for chapter in chapters:
        released[chapter] = course / "release" / chapter / notebook_name(chapter)
        if not released[chapter].is_file():
            raise RuntimeError(_("nbgrader released no {path}").format(path=released[chapter]))
    return released


def release_files(course: Path | None = None) -> list[tuple[str, Path]]:
    """``(name in the kit, file)`` of every released notebook: ``assessed/<chapter>/<nb>``.
    What the classroom kit should carry (students open them in the lab, inside the kit's
    folder, so that they find ``data/``)."""
    release = Path(course or grading_dir()) / "release"
    return [(f"assessed/{p.relative_to(release).as_posix()}", p)
            for p in sorted(release.glob("*/*.ipynb"))]


# --- grade ----------------------------------------------------------------------------------

@dataclass
class Graded:
    rows: list[dict]             # grades.csv, as dicts
    failed: list[tuple[str, str, str]]  # (student, assignment, why) not graded
    feedback: list[Path]
    csv: Path
    seconds: float


def _submissions_root(folder: Path) -> Path:
    folder = Path(folder)
    return folder / "submitted" if (folder / "submitted").is_dir() else folder


def collect(folder: Path, course: Path, chapters: list[str]) -> dict[tuple[str, str], Path]:
    """Copy ``folder/<student>/<assignment>/`` into the course's ``submitted/``. A single
    notebook under another name (a student renamed it, a copy says "(1)") takes the released
    name. Returns ``(student, assignment) -> submitted folder``."""
    root = _submissions_root(folder)
    if not root.is_dir():
        raise FileNotFoundError(_("{folder}: no such folder of submissions").format(
            folder=folder))
    found = {}
    for student_dir in sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith(".")):
        for work in sorted(p for p in student_dir.iterdir() if p.is_dir()):
            if work.name not in chapters:
                print(_("grade: {student}/{work}: not an assignment ({assignments}); "
                        "skipped").format(student=student_dir.name, work=work.name,
                                          assignments=", ".join(chapters)), file=sys.stderr)
                continue
            dest = course / "submitted" / student_dir.name / work.name
            if dest.resolve() != work.resolve():
                shutil.rmtree(dest, ignore_errors=True)
                shutil.copytree(work, dest, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
            notebooks = sorted(dest.glob("*.ipynb"))
            expected = notebook_name(work.name)
            if len(notebooks) == 1 and notebooks[0].name != expected:
                notebooks[0].rename(dest / expected)
            found[(student_dir.name, work.name)] = dest
    return found


def grade(folder: Path, course: Path | None = None) -> Graded:
    """Autograde every collected notebook, export the gradebook and write the feedback."""
    start = time.monotonic()
    course = Path(course or grading_dir())
    if not (course / "nbgrader_config.py").is_file() or not (course / "release").is_dir():
        raise FileNotFoundError(_("{course}: no course; run python -m bentre.book.grade assign "
                                  "first").format(course=course))
    ensure_kernel()
    chapters = sorted(p.name for p in (course / "source").iterdir() if p.is_dir())
    work = collect(folder, course, chapters)
    failed = []
    # What was collected now is graded anew; work graded before (an earlier folder) is kept as
    # it is: nbgrader skips a submission whose autograded copy exists. One run for every
    # assignment and student; a notebook that fails is reported by nbgrader (exit status 1)
    # and the others are graded all the same.
    for student, chapter in work:
        for done in ("autograded", "feedback"):
            shutil.rmtree(course / done / student / chapter, ignore_errors=True)
    if work:
        nbgrader(course, "autograde", "*", check=False)
    for (student, chapter) in sorted(work):
        graded = course / "autograded" / student / chapter / notebook_name(chapter)
        if not graded.is_file():
            submitted = work[(student, chapter)] / notebook_name(chapter)
            failed.append((student, chapter, _why(submitted)))
    problems = course / "not_graded.csv"
    with problems.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["student_id", "assignment", "reason"])
        writer.writerows(failed)
    out = course / "grades.csv"
    nbgrader(course, "export", "--to", str(out))
    feedback = []
    if work:
        nbgrader(course, "generate_feedback", "*", check=False)
    for student, chapter in sorted(work):
        feedback += sorted((course / "feedback" / student / chapter).glob("*.html"))
    with out.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    return Graded(rows, failed, feedback, out, time.monotonic() - start)


def _why(notebook: Path) -> str:
    if not notebook.is_file():
        return _("no {notebook} in the submission").format(notebook=notebook.name)
    try:
        json.loads(notebook.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        return _("{notebook} is not a readable notebook ({error})").format(
            notebook=notebook.name, error=f"{type(exc).__name__}: {exc}")
    return _("nbgrader could not grade it; see _build/grading/nbgrader.log")


# --- command line ---------------------------------------------------------------------------

def listing() -> str:
    from . import assessed

    lines = []
    for v in assessed.VARIANTS:
        answers = ", ".join(f"{t.name} (±{t.tolerance:g}{' pp' if t.percent else ''}, "
                            f"{t.points} pt)" for t in v.targets)
        lines.append(f"{v.chapter}  {v.id}  [{v.exercise}]  {v.varies}: {answers}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bentre.book.grade",
                                     description="assessed exercises, graded with nbgrader")
    sub = parser.add_subparsers(dest="command", required=True)
    a = sub.add_parser("assign", help="write the nbgrader course and release the assignments")
    a.add_argument("--course", type=Path, help="the course folder (default _build/grading)")
    g = sub.add_parser("grade", help="grade a folder of collected work: <student>/<chapter>/*.ipynb")
    g.add_argument("folder", type=Path)
    g.add_argument("--course", type=Path, help="the course folder (default _build/grading)")
    sub.add_parser("list", help="the assessed variants")
    args = parser.parse_args(argv)
    if args.command == "list":
        print(listing())
        return 0
    if args.command == "assign":
        from ..numbers import local

        start = time.monotonic()
        released = assign(args.course)
        course = Path(args.course or grading_dir())
        for path in released.values():
            print(_("grade: released {path}").format(path=path))
        print(_("grade: {n} assignments in {course} ({seconds} s); hand out "
                "release/<chapter>/*.ipynb").format(n=len(released), course=course,
                                                   seconds=local(time.monotonic() - start, 1)))
        return 0
    from ..numbers import local

    result = grade(args.folder, args.course)
    course = Path(args.course or grading_dir())
    for row in result.rows:
        print(f"{row['student_id']:>16}  {row['assignment']:<18} {float(row['score']):g} / "
              f"{float(row['max_score']):g}")
    for student, chapter, why in result.failed:
        print(_("grade: NOT GRADED {student}/{chapter}: {why}").format(
            student=student, chapter=chapter, why=why), file=sys.stderr)
    print(_("grade: gradebook {csv}; feedback for {n} notebook(s) in {folder} ({seconds} s)")
          .format(csv=result.csv, n=len(result.feedback), folder=course / "feedback",
                  seconds=local(result.seconds, 1)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
