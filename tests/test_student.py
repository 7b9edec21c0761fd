"""Promises of the student edition (``bentre.book.student``): no solution reaches a student, the
checks stay and still judge an answer, a notebook that breaks the convention is refused
with the cell named; and of the classroom pages: the teacher's guide names only real
checks, and every notebook page offers its notebook for download."""

from __future__ import annotations

import re

import nbformat
import pytest
import yaml

from bentre import checks, exercises
from bentre.book import student

from conftest import REPO

SECRET = "SECRET_FORMULA"
MODEL_ANSWER = "MODEL_ANSWER_TEXT"


def md(source, **meta):
    cell = nbformat.v4.new_markdown_cell(source)
    cell.metadata.update(meta)
    return cell


def code(source, *tags, outputs=(), id=None):
    cell = nbformat.v4.new_code_cell(source)
    if id:
        cell.id = id
    if tags:
        cell.metadata["tags"] = list(tags)
    cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text=t) for t in outputs]
    return cell


def teacher_notebook(answer: str = "base = revenue / (1 + growth / 100)") -> nbformat.NotebookNode:
    """A chapter in miniature: one computing exercise (gated solution, check) and one
    discussion exercise (model answer), plus a code example that shows a solution directive."""
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [
        md("# A chapter\n\n```{exercise} The base\n:label: ex-base\n\n"
           "What was the revenue a year earlier?\n```"),
        code("revenue = 100.0\ngrowth = 25.0"),
        md("```{solution-start} ex-base\n:class: dropdown\n```"),
        code(f"# Compute the earlier revenue as `base`.\n{answer}  # {SECRET}", "solution",
             outputs=["80.0\n"]),
        md("```{solution-end}\n```"),
        code("from bentre import exercises\n\nexercises.check(\"base\", 80.0, tolerance=0.01)",
             "exercise-check", outputs=["Correct: `base` agrees with bentre's own result.\n"]),
        md("````{exercise} Why\n:label: ex-why\n\nWhy might both rates be equal?\n````\n\n"
           f"````{{solution}} ex-why\n:class: dropdown\n\n{MODEL_ANSWER}\n\n"
           f"```python\nprint('{SECRET}')\n```\n````\n\nText after the answer stays."),
        md("The convention, as an example:\n\n````md\n```{solution} ex-x\nshown, not removed\n```\n````"),
        code("print('after the exercises')", outputs=["after the exercises\n"]),
    ]
    for i, cell in enumerate(nb.cells):
        cell.id = f"cell-{i:02d}"
    nbformat.validate(nb)
    return nb


def solution_lines(nb) -> list[str]:
    """Every line of solution code (comments aside) in a teacher notebook."""
    return [line.strip() for cell in nb.cells
            if cell.cell_type == "code" and student.SOLUTION_TAG in cell.metadata.get("tags", [])
            for line in cell.source.splitlines()
            if line.strip() and not line.strip().startswith("#")]


def code_text(nb) -> str:
    """The code of every code cell and every output, as one text."""
    return "\n".join([c.source for c in nb.cells if c.cell_type == "code"]
                     + [nbformat.writes(nbformat.v4.new_notebook(cells=[c])) for c in nb.cells
                        if c.cell_type == "code"])


def markdown_outside_code_blocks(nb) -> str:
    text = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    return re.sub(r"````md\n.*?\n````", "", text, flags=re.S)


# --- the transformation, on a synthetic notebook ----------------------------------------------

def test_no_solution_code_reaches_the_student_notebook():
    teacher = teacher_notebook()
    pupil = student.student_notebook(teacher, "synthetic")
    text = nbformat.writes(pupil)
    assert solution_lines(teacher)
    for line in solution_lines(teacher):
        assert line not in text
    assert SECRET not in text
    assert not any(student.SOLUTION_TAG in c.metadata.get("tags", []) for c in pupil.cells)


def test_the_solution_becomes_an_empty_cell_with_its_prompt():
    pupil = student.student_notebook(teacher_notebook(), "synthetic")
    [answer] = [c for c in pupil.cells if student.ANSWER_TAG in c.metadata.get("tags", [])]
    assert answer.id == "cell-03"
    assert answer.source.splitlines() == ["# Compute the earlier revenue as `base`.",
                                          student.PROMPT_TAIL]
    assert answer.outputs == [] and answer.execution_count is None


def test_a_solution_without_a_leading_comment_gets_the_standard_prompt():
    assert student.prompt("x = 1\n# not a prompt") == f"{student.DEFAULT_PROMPT}\n{student.PROMPT_TAIL}"


def test_the_check_cell_is_kept_with_its_outputs_cleared():
    teacher = teacher_notebook()
    pupil = student.student_notebook(teacher, "synthetic")
    [check] = [c for c in pupil.cells if student.CHECK_TAG in c.metadata.get("tags", [])]
    assert check.id == "cell-05"
    assert check.source == teacher.cells[5].source
    assert check.outputs == [] and check.execution_count is None
    ids = [c.id for c in pupil.cells]
    assert ids.index("cell-03") + 1 == ids.index("cell-05")  # the check follows the answer


def test_markdown_solutions_are_removed_and_the_rest_kept():
    pupil = student.student_notebook(teacher_notebook(), "synthetic")
    ids = [c.id for c in pupil.cells]
    assert "cell-02" not in ids and "cell-04" not in ids  # the gated markers, now empty
    prose = markdown_outside_code_blocks(pupil)
    assert "{solution" not in prose
    assert MODEL_ANSWER not in nbformat.writes(pupil)
    assert "What was the revenue a year earlier?" in prose
    assert "Why might both rates be equal?" in prose
    assert "Text after the answer stays." in prose
    # A directive shown inside a code block is an example, not a solution.
    example = next(c for c in pupil.cells if c.id == "cell-07")
    assert "```{solution} ex-x\nshown, not removed\n```" in example.source


def test_other_cells_keep_their_outputs():
    pupil = student.student_notebook(teacher_notebook(), "synthetic")
    last = next(c for c in pupil.cells if c.id == "cell-08")
    assert last.outputs[0]["text"] == "after the exercises\n"


def test_the_teacher_notebook_is_not_changed():
    teacher = teacher_notebook()
    before = nbformat.writes(teacher)
    student.student_notebook(teacher, "synthetic")
    assert nbformat.writes(teacher) == before


def test_everything_inside_a_gated_solution_goes_even_across_cells():
    text, gated, errors = student.strip_solutions(
        "Before.\n\n```{solution-start} ex\n```\n\nExplanation of the solution.")
    assert (text.strip(), gated, errors) == ("Before.", True, [])
    text, gated, errors = student.strip_solutions(
        "More explanation.\n\n```{solution-end}\n```\nAfter.", gated=True)
    assert (text.strip(), gated, errors) == ("After.", False, [])


def test_colon_fenced_and_nested_solutions_are_removed():
    text, _, _ = student.strip_solutions(
        ":::{solution} ex\nanswer one\n:::\n\n"
        "::::{note}\nKept.\n:::{solution} ex2\nanswer two\n:::\n::::")
    assert "answer" not in text
    assert "Kept." in text and text.count("::::") == 2


# --- the checks judge an answer in a real kernel ----------------------------------------------

def _run(nb, tmp_path):
    from nbclient import NotebookClient

    client = NotebookClient(nb, timeout=120, kernel_name="python3", allow_errors=True,
                            resources={"metadata": {"path": str(tmp_path)}})
    client.execute()
    return nb


def _check_output(nb) -> str:
    [check] = [c for c in nb.cells if student.CHECK_TAG in c.metadata.get("tags", [])]
    return "".join(o.get("text", "") + o.get("evalue", "") for o in check.outputs)


def test_checks_pass_on_the_teacher_notebook_and_ask_for_an_answer_in_the_student_one(tmp_path):
    teacher = _run(teacher_notebook(), tmp_path)
    assert "Correct: `base`" in _check_output(teacher)
    assert not any(o.output_type == "error" for c in teacher.cells for o in c.get("outputs", []))

    pupil = _run(student.student_notebook(teacher_notebook(), "synthetic"), tmp_path)
    assert "No answer yet: assign your answer to `base`" in _check_output(pupil)
    last = next(c for c in pupil.cells if c.id == "cell-08")
    assert last.outputs[0]["text"] == "after the exercises\n"  # the rest still runs

    answered = student.student_notebook(teacher_notebook(), "synthetic")
    answer = next(c for c in answered.cells if student.ANSWER_TAG in c.metadata.get("tags", []))
    answer.source += "\nbase = revenue * 0.75"
    assert "- `base` = 75.0: it is not the expected answer" in _check_output(_run(answered, tmp_path))


def _in_notebook(call: str, **names) -> None:
    """Run ``call`` as a notebook cell would: with the notebook's names as its globals."""
    exec(call, {"exercises": exercises, **names})


def test_check_compares_numbers_within_the_tolerance_and_other_values_exactly(capsys):
    _in_notebook('exercises.check("base", 80.0, tolerance=0.01)', base=80.004)
    _in_notebook('exercises.check("label", "flag")', label="flag")
    assert capsys.readouterr().out.count("Correct") == 2
    assert "80.004" not in capsys.readouterr().out  # the value is not printed
    with pytest.raises(AssertionError, match="Not yet"):
        _in_notebook('exercises.check("base", 80.0)', base=80.004)
    with pytest.raises(AssertionError, match="Not yet"):
        _in_notebook('exercises.check("label", "pass")', label="flag")
    with pytest.raises(AssertionError, match="Not yet"):
        _in_notebook('exercises.check("flag", 1)', flag=True)
    with pytest.raises(AssertionError, match="No answer yet"):
        _in_notebook('exercises.check("base", 1)')
    with pytest.raises(AssertionError, match="No answer yet"):
        _in_notebook('exercises.check("base", 1)', base=...)


def test_check_takes_a_decimal_as_a_number(capsys):
    # bentre.numbers parses to Decimal: an answer made with it is judged like a float.
    from decimal import Decimal

    _in_notebook('exercises.check("vnd", 24012 * 10**9)', vnd=Decimal("24012000000000"))
    _in_notebook('exercises.check("vnd", Decimal("2.5"), tolerance=0.01)', vnd=2.501,
                 Decimal=Decimal)
    assert capsys.readouterr().out.count("Correct") == 2
    with pytest.raises(AssertionError, match="Not yet"):
        _in_notebook('exercises.check("vnd", 24012 * 10**9)', vnd=Decimal("24.012"))


# --- notebooks that break the convention -------------------------------------------------------

def _broken(change) -> nbformat.NotebookNode:
    nb = teacher_notebook()
    change(nb.cells)
    return nb


@pytest.mark.parametrize("change, cell, words", [
    (lambda cells: cells[5].metadata.update(tags=[]), "cell-03",
     "not followed by a cell tagged 'exercise-check'"),
    (lambda cells: cells.insert(1, code("x = 1", "exercise-check", id="early-check")), "early-check",
     "does not follow a solution"),
    (lambda cells: cells[3].metadata.update(tags=[]), "cell-03",
     "code inside a gated solution is not tagged 'solution'"),
    (lambda cells: cells.__delitem__(4), "cell-02", "never closed"),
    (lambda cells: cells.__delitem__(2), "cell-03", "outside a gated solution"),
    (lambda cells: cells.__delitem__(2), "cell-04", "solution-end without a solution-start"),
    (lambda cells: cells[3].metadata.update(tags=["solution", "exercise-check"]), "cell-03",
     "tagged both"),
])
def test_a_broken_convention_is_refused_with_the_cell_named(change, cell, words):
    nb = _broken(change)
    with pytest.raises(student.StudentEditionError) as err:
        student.student_notebook(nb, "chapters/x.ipynb")
    assert any(p.where == f"chapters/x.ipynb, cell {cell}" and words in p.message
               for p in err.value.problems), err.value


# --- the real chapters ------------------------------------------------------------------------

CHAPTERS = sorted((REPO / "chapters").glob("*.ipynb"))


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_no_solution_survives_in_any_real_chapter(path):
    teacher = nbformat.read(path, as_version=4)
    pupil = student.student_notebook(teacher, path.name)
    assert not any(student.SOLUTION_TAG in c.metadata.get("tags", []) for c in pupil.cells)
    text = code_text(pupil)
    for line in solution_lines(teacher):
        assert line not in text, f"solution code {line!r} reached the student notebook"
    prose = "\n".join(c.source for c in pupil.cells if c.cell_type == "markdown")
    assert not re.search(r"^ {0,3}(`{3,}|:{3,})\{solution(-start|-end)?\}", prose, re.M)
    checks_kept = [c.id for c in pupil.cells if student.CHECK_TAG in c.metadata.get("tags", [])]
    assert checks_kept == [c.id for c in teacher.cells
                           if student.CHECK_TAG in c.metadata.get("tags", [])]


def test_write_notebooks_writes_every_chapter(tmp_path):
    written = student.write_notebooks(tmp_path)
    assert sorted(p.name for p in written) == [p.name for p in CHAPTERS]
    for path in written:
        nbformat.validate(nbformat.read(path, as_version=4))


def test_the_student_book_hides_solutions_runs_nothing_and_has_no_teacher_pages(tmp_path):
    book = student.prepare_book(tmp_path / "book", REPO)
    config = yaml.safe_load((book / "_config.yml").read_text(encoding="utf-8"))
    assert config["sphinx"]["config"]["hide_solutions"] is True
    assert config["execute"]["execute_notebooks"] == "off"
    assert config["sphinx"]["config"]["language"] == "en"  # the rest is kept
    assert "bentre.book.pdf" not in config["sphinx"]["extra_extensions"]  # no link to the teacher's PDF
    assert "sphinx_exercise" in config["sphinx"]["extra_extensions"]
    toc = (book / "_toc.yml").read_text(encoding="utf-8")
    for page in student.TEACHER_ONLY:
        assert page not in toc
        assert not (book / f"{page}.md").exists()
    assert not (book / "_build").exists() and not (book / ".git").exists()
    for path in (book / "chapters").glob("*.ipynb"):
        nb = nbformat.read(path, as_version=4)
        assert not any(student.SOLUTION_TAG in c.metadata.get("tags", []) for c in nb.cells)


# --- the classroom pages ----------------------------------------------------------------------

GUIDE = REPO / "chapters" / "teacher_guide.md"
# Snake_case names in the guide's code spans that are settings or columns, not checks.
NOT_CHECKS = {"hide_solutions", "in_article", "execute_notebooks", "term_vi"}


def test_the_teachers_guide_names_only_checks_that_exist():
    spans = set(re.findall(r"`([a-z][a-z0-9]*(?:_[a-z0-9]+)+)`", GUIDE.read_text(encoding="utf-8")))
    named = spans - NOT_CHECKS
    assert len(named) >= 10
    assert named <= set(checks.check_ids()), named - set(checks.check_ids())


def test_the_teachers_guide_documents_the_tags():
    text = GUIDE.read_text(encoding="utf-8")
    for word in (student.SOLUTION_TAG, student.CHECK_TAG, "solution-start", "solution-end",
                 "make student", "hide_solutions"):
        assert f"`{word}`" in text or word in text


@pytest.mark.book
def test_every_notebook_page_offers_its_notebook_for_download():
    html = REPO / "_build" / "html"
    if not (html / "index.html").is_file():
        pytest.skip("the book is not built (make html)")
    toc = yaml.safe_load((REPO / "_toc.yml").read_text(encoding="utf-8"))
    files = [c["file"] for part in toc["parts"] for c in part["chapters"]]
    notebooks = [f for f in files if (REPO / f"{f}.ipynb").is_file()]
    assert notebooks
    for name in notebooks:
        page = (html / f"{name}.html").read_text(encoding="utf-8")
        links = re.findall(r'href="([^"]*_sources/[^"]*\.ipynb)"', page)
        assert links, f"{name}.html has no notebook download link"
        target = (html / name).parent / links[0]
        assert target.resolve().is_file(), target
        assert nbformat.read(target, as_version=4).cells  # the notebook itself, not a page


# --- the command -------------------------------------------------------------------------------

def test_the_command_writes_the_notebooks(project, tmp_path, capsys):
    from bentre.cli import main

    (project / "chapters").mkdir()
    nbformat.write(teacher_notebook(), project / "chapters" / "07_lesson.ipynb")
    assert main(["student", "--no-html", "--out", str(tmp_path / "out")]) == 0
    written = tmp_path / "out" / "notebooks" / "07_lesson.ipynb"
    assert SECRET not in written.read_text(encoding="utf-8")
    assert "07_lesson.ipynb" in capsys.readouterr().out


def test_the_command_refuses_a_broken_notebook_naming_the_cell(project, tmp_path, capsys):
    from bentre.cli import main

    (project / "chapters").mkdir()
    nb = teacher_notebook()
    nb.cells[5].metadata["tags"] = []  # the check cell loses its tag
    nbformat.write(nb, project / "chapters" / "07_lesson.ipynb")
    assert main(["student", "--no-html", "--out", str(tmp_path / "out")]) == 1
    err = capsys.readouterr().err
    assert "chapters/07_lesson.ipynb, cell cell-03" in err and "exercise-check" in err
    assert not (tmp_path / "out" / "notebooks" / "07_lesson.ipynb").exists()


# --- read outside the book: glue written in, figure references in words -----------------------

def _glued(key: str, text: str, cell_id: str):
    """A code cell as myst-nb's glue stores it: the value's repr, named by scrapbook."""
    cell = code(f"glue({key!r}, ...)", id=cell_id)
    cell.outputs = [nbformat.v4.new_output(
        "display_data", data={"application/papermill.record/text/plain": text},
        metadata={"scrapbook": {"name": key, "mime_prefix": "application/papermill.record/"}})]
    return cell


def glue_notebook(*markdown: str) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    nb.cells = [_glued("revenue", "'24,012'", "g1"), _glued("share", "0.6234", "g2"),
                _glued("label", "'a *starred* <b>label</b> | $5'", "g3")]
    figure = code("plot()", id="fig")
    figure.metadata["mystnb"] = {"figure": {"name": "fig-x", "caption": "A figure"}}
    nb.cells.append(figure)
    for i, text in enumerate(markdown):
        nb.cells.append(md(text))
        nb.cells[-1].id = f"m{i}"
    return nb


def _markdown(nb) -> list[str]:
    return [c.source for c in nb.cells if c.cell_type == "markdown"]


def test_glued_values_are_written_in_as_myst_nb_formats_them():
    nb = glue_notebook("Turnover {glue:text}`revenue` billion, a share of {glue:text}`share:.1%`"
                       " ({glue:text}`share:.2f`).")
    text = _markdown(student.student_notebook(nb, "x.ipynb"))[0]
    assert text == "Turnover 24,012 billion, a share of 62.3% (0.62)."


def test_a_glued_text_with_markdown_in_it_reads_as_written():
    from myst_parser.parsers.docutils_ import Parser
    from docutils.core import publish_string

    nb = glue_notebook("Label: {glue:text}`label`.")
    text = _markdown(student.student_notebook(nb, "x.ipynb"))[0]
    assert "{glue" not in text
    html = publish_string(text, parser=Parser(), writer_name="html5",
                          settings_overrides={"output_encoding": "unicode", "report_level": 5})
    assert "a *starred* &lt;b&gt;label&lt;/b&gt; | $5" in html  # literal, not markup


def test_glue_from_another_notebook_is_read_from_its_stored_outputs(tmp_path):
    other = glue_notebook()
    nbformat.write(other, tmp_path / "other.ipynb")
    nb = nbformat.v4.new_notebook(cells=[md("From there: {glue:text}`other.ipynb::share:.0%`.")])
    path = tmp_path / "this.ipynb"
    assert _markdown(student.student_notebook(nb, "this.ipynb", path))[0] == "From there: 62%."


def test_a_value_that_is_not_glued_is_refused_with_the_cell_named():
    nb = glue_notebook("Missing: {glue:text}`nowhere`.")
    with pytest.raises(student.StudentEditionError) as err:
        student.student_notebook(nb, "chapters/x.ipynb")
    assert any(p.where == "chapters/x.ipynb, cell m0" and "'nowhere' is not glued" in p.message
               for p in err.value.problems), err.value


def test_figure_references_become_words_and_roles_stay_on_one_line():
    nb = glue_notebook("{numref}`fig-x` shows it; see also ({numref}`fig-x`), the "
                       "{ref}`last table <audit-power>` and {term}`a term\n<thuật ngữ>`.")
    nb.cells.insert(0, md("Before: {numref}`fig-x` below."))
    before, after = _markdown(student.student_notebook(nb, "x.ipynb"))
    assert before == "Before: the figure below below."
    assert after == ("The figure above shows it; see also (the figure above), the last table "
                     "and {term}`a term <thuật ngữ>`.")


def test_a_students_check_cell_lets_run_all_go_on():
    pupil = student.student_notebook(teacher_notebook(), "synthetic")
    check = next(c for c in pupil.cells if student.CHECK_TAG in c.metadata.get("tags", []))
    assert student.RAISES_TAG in check.metadata["tags"]


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_every_glued_value_of_a_chapter_is_written_in_as_stored(path):
    """No glue role, figure reference or ref is left in a student notebook's Markdown, and
    each glued value reads as the teacher notebook stores it (computed here from the stored
    outputs with myst-nb's formatter, not by bentre.book.student)."""
    from myst_nb.core.variables import format_plain_text

    teacher = nbformat.read(path, as_version=4)
    pupil = student.student_notebook(teacher, path.name, path)
    glued = {}
    for cell in teacher.cells:
        for output in cell.get("outputs", []):
            name = output.get("metadata", {}).get("scrapbook", {}).get("name")
            if name:
                glued[name] = output["data"]["application/papermill.record/text/plain"]
    kept = {c.id: c.source for c in pupil.cells if c.cell_type == "markdown"}
    for source in kept.values():
        assert not re.search(r"\{(glue|numref|ref)[:\w]*\}`", source), source[:200]
    checked = roles = 0
    gated = False
    for cell in teacher.cells:
        if cell.cell_type != "markdown":
            continue
        # The roles a student keeps: those outside solutions (which the edition drops).
        outside, gated, _ = student.strip_solutions(cell.source, gated)
        if cell.id not in kept:
            continue
        written, at = student.unescape_markdown(kept[cell.id]), 0
        roles += len(re.findall(r"\{glue:text\}`", outside))
        for content in re.findall(r"\{glue:text\}`([^`]+)`", outside):
            key, fmt = content.rsplit(":", 1) if ":" in content else (content, "s")
            value = format_plain_text(glued[key], fmt)
            found = written.find(value, at)
            assert found >= 0, f"{path.name}, cell {cell.id}: {key} = {value!r} not written in"
            at, checked = found + len(value), checked + 1
    assert checked == roles


@pytest.mark.slow
def test_the_edition_writes_one_folder_with_nothing_hidden(tmp_path, capsys):
    """`make student` names one output folder (jupyter-book's own "your book is here" line
    would name a staging copy) and leaves no hidden staging book behind (issue 12)."""
    from bentre.cli import main

    assert main(["student", "--out", str(tmp_path / "out")]) == 0
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["html", "notebooks"]
    out = capsys.readouterr().out
    assert "_build/html" not in out and ".book" not in out
    assert (tmp_path / "out" / "html" / "index.html").is_file()


# --- the Vietnamese edition ----------------------------------------------------------------------

from bentre.book import notebook_i18n  # noqa: E402

# Words that only English prose is made of: a Vietnamese paragraph has none of them (quoted
# English terms aside, hence a count, not a single hit).
ENGLISH = re.compile(r"\b(the|and|of|is|are|which|this|that|with|from|by|its|it)\b")


def english_words(text: str) -> int:
    text = re.sub(r"`[^`]*`|\{[\w:-]+\}`[^`]*`|\$[^$]*\$", " ", text)  # code, roles, math
    return len(ENGLISH.findall(text))


def fake_catalog(**messages: str) -> notebook_i18n.Catalog:
    catalog = notebook_i18n.Catalog(REPO / "locale" / "vi" / "x.po", "vi")
    catalog.messages = dict(messages)
    catalog.known = set(messages)
    return catalog


CATALOG = {
    "A chapter": "Một chương",
    "The base": "Mức gốc",
    "What was the revenue a year earlier?": "Doanh thu một năm trước là bao nhiêu?",
    "Why": "Vì sao",
    "Why might both rates be equal?": "Vì sao hai tốc độ có thể bằng nhau?",
    "Text after the answer stays.": "Phần chữ sau đáp án được giữ lại.",
    "The convention, as an example:": "Quy ước, qua một ví dụ:",
}


def test_markdown_blocks_are_replaced_by_their_translations():
    text = ("# A title\n\nA paragraph on\ntwo lines, with {term}`tỷ đồng`.\n\n"
            "1. first item\n   continued\n2. second item\n\n> A quotation.\n\n"
            "| Head | Other |\n| --- | --- |\n| a cell | kept |\n\n"
            "```python\nprint('code is not prose')\n```\n\n$$x = 1$$")
    catalog = fake_catalog(**{
        "A title": "Một tiêu đề",
        "A paragraph on two lines, with {term}`tỷ đồng`.": "Một đoạn, có {term}`tỷ đồng`.",
        "first item continued": "mục thứ nhất", "second item": "2020. mục thứ hai",
        "A quotation.": "Một trích dẫn.", "Head": "Cột", "Other": "Khác | nữa",
        "a cell": "một ô", "kept": "giữ"})
    done = notebook_i18n.translate_markdown(text, "vi", catalog)
    assert done.missing == []
    assert done.text == ("# Một tiêu đề\n\nMột đoạn, có {term}`tỷ đồng`.\n\n"
                         "1. mục thứ nhất\n2. \\2020. mục thứ hai\n\n> Một trích dẫn.\n\n"
                         "| Cột | Khác \\| nữa |\n| --- | --- |\n| một ô | giữ |\n\n"
                         "```python\nprint('code is not prose')\n```\n\n$$x = 1$$")


def test_directives_are_read_through_and_their_titles_translated():
    text = (":::{admonition} Learning objectives\n:class: tip\n\nAfter this chapter:\n\n"
            "- one thing.\n:::\n\n```{exercise} The base\n:label: ex-base\n\nWhat?\n```\n\n"
            ":::{note} The places today\nSince 2025, two levels.\n:::")
    catalog = fake_catalog(**{
        "Learning objectives": "Mục tiêu học tập", "After this chapter:": "Học xong chương này:",
        "one thing.": "một điều.", "The base": "Mức gốc", "What?": "Gì?",
        "The places today Since 2025, two levels.": "Hiện nay: từ năm 2025, hai cấp."})
    done = notebook_i18n.translate_markdown(text, "vi", catalog)
    assert done.missing == []
    assert done.text == (":::{admonition} Mục tiêu học tập\n:class: tip\n\nHọc xong chương này:"
                         "\n\n- một điều.\n:::\n\n```{exercise} Mức gốc\n:label: ex-base\n\n"
                         "Gì?\n```\n\n:::{note}\nHiện nay: từ năm 2025, hai cấp.\n:::")


def test_language_blocks_are_kept_in_their_edition_and_dropped_in_the_other():
    text = ("> Trích dẫn.\n\n:::{only} lang_en\n*(Our translation: a quote.)*\n:::\n\n"
            ":::{only} lang_vi\nChỉ cho bạn đọc tiếng Việt.\n:::\n\nAfter.")
    catalog = fake_catalog(**{"Trích dẫn.": "Trích dẫn.", "After.": "Sau."})
    vi = notebook_i18n.translate_markdown(text, "vi", catalog)
    assert vi.missing == []
    assert "Our translation" not in vi.text and "{only}" not in vi.text
    assert "Chỉ cho bạn đọc tiếng Việt." in vi.text and vi.text.endswith("Sau.")
    en = notebook_i18n.translate_markdown(text, "en")
    assert "*(Our translation: a quote.)*" in en.text and "{only}" not in en.text
    assert "Chỉ cho bạn đọc" not in en.text and en.text.endswith("After.")


def test_a_block_without_translation_is_reported_with_its_text():
    done = notebook_i18n.translate_markdown("# Kept\n\nNot translated yet.", "vi",
                                            fake_catalog(Kept="Giữ"))
    assert [(kind, text) for kind, text, _ in done.missing] == [("paragraph",
                                                                 "Not translated yet.")]
    assert "locale/vi/x.po" in done.missing[0][2] and "make catalogs" in done.missing[0][2]


def test_the_vietnamese_student_notebook_is_translated_with_a_language_cell():
    pupil = student.student_notebook(teacher_notebook(), "synthetic", lang="vi",
                                     catalog=fake_catalog(**CATALOG))
    first = pupil.cells[0]
    assert first.id == student.LANGUAGE_CELL_ID and first.cell_type == "code"
    assert 'set_language("vi")' in first.source
    assert student.HIDDEN_TAG in first.metadata["tags"]  # not shown in the HTML
    markdown = markdown_outside_code_blocks(pupil)
    assert "Doanh thu một năm trước là bao nhiêu?" in markdown
    assert english_words(markdown) == 0, markdown
    assert MODEL_ANSWER not in nbformat.writes(pupil) and SECRET not in nbformat.writes(pupil)
    english = student.student_notebook(teacher_notebook(), "synthetic", lang="en")
    assert not any(c.id == student.LANGUAGE_CELL_ID for c in english.cells)


def test_an_untranslated_block_stops_the_vietnamese_edition_naming_page_and_text():
    catalog = dict(CATALOG)
    del catalog["Text after the answer stays."]
    with pytest.raises(student.UntranslatedError) as err:
        student.student_notebook(teacher_notebook(), "chapters/x.ipynb", lang="vi",
                                 catalog=fake_catalog(**catalog))
    [problem] = err.value.problems
    assert problem.where == "chapters/x.ipynb, cell cell-06"
    assert "'Text after the answer stays.'" in problem.message


def test_the_vietnamese_students_checks_answer_in_vietnamese(tmp_path):
    pupil = _run(student.student_notebook(teacher_notebook(), "synthetic", lang="vi",
                                          catalog=fake_catalog(**CATALOG)), tmp_path)
    said = _check_output(pupil)
    assert "Chưa có đáp án" in said and "`base`" in said, said
    assert "No answer yet" not in said


def test_glue_in_a_translation_is_written_in_from_the_vietnamese_outputs():
    nb = glue_notebook("Turnover {glue:text}`revenue` billion.")
    nb.cells[0].outputs[0]["data"]["application/papermill.record/text/plain"] = "'24.012'"
    catalog = fake_catalog(**{"Turnover {glue:text}`revenue` billion.":
                              "Doanh thu {glue:text}`revenue` tỷ đồng.", "A figure": "Một hình"})
    pupil = student.student_notebook(nb, "x.ipynb", lang="vi", catalog=catalog)
    assert _markdown(pupil) == ["Doanh thu 24.012 tỷ đồng."]


def test_each_student_book_links_to_the_other_edition(tmp_path):
    book = student.prepare_book(tmp_path / "book", REPO, lang="en",
                                notebooks=[], editions={"vi": "../vi/book"})
    config = yaml.safe_load((book / "_config.yml").read_text(encoding="utf-8"))
    assert config["sphinx"]["config"]["bentre_editions"] == {"vi": "../vi/book"}
    assert student.edition_links("en") == {"vi": "../../vi/student/html"}
    assert student.edition_links("vi") == {"en": "../../../student/html"}


CATALOGS = REPO / "locale" / "vi" / "LC_MESSAGES"


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_every_block_a_student_reads_has_a_vietnamese_translation(path):
    """The Vietnamese student notebooks show no English prose: every block of Markdown
    outside the solutions, and every figure caption, is translated in the page's catalog."""
    teacher = nbformat.read(path, as_version=4)
    catalog = notebook_i18n.load_catalog(f"chapters/{path.stem}", "vi", REPO)
    missing, gated = [], False
    for cell in teacher.cells:
        if cell.cell_type == "markdown":
            text, gated, _ = student.strip_solutions(cell.source, gated)
            missing += [f"cell {cell.id}: {kind}: {msgid[:100]!r}"
                        for kind, msgid, _ in notebook_i18n.translate_markdown(
                            text, "vi", catalog).missing]
        caption = cell.get("metadata", {}).get("mystnb", {}).get("figure", {}).get("caption")
        if caption and catalog.lookup(notebook_i18n.fold(caption)) is None:
            missing.append(f"cell {cell.id}: figure caption {caption[:100]!r}")
    assert not missing, f"untranslated in {catalog.path.relative_to(REPO)}:\n" + "\n".join(missing)


@pytest.fixture(scope="module")
def vietnamese_notebooks(tmp_path_factory):
    """The Vietnamese student notebooks, made here from the Vietnamese execution cache
    (filled first if it lacks a chapter, as make html-vi does)."""
    out = tmp_path_factory.mktemp("vi-student")
    return {p.name: nbformat.read(p, as_version=4)
            for p in student.write_notebooks(out, lang="vi")}


@pytest.mark.slow
def test_the_vietnamese_student_notebooks_read_in_vietnamese(vietnamese_notebooks):
    assert sorted(vietnamese_notebooks) == [p.name for p in CHAPTERS]
    for name, nb in vietnamese_notebooks.items():
        assert nb.cells[0].id == student.LANGUAGE_CELL_ID, name
        for cell in nb.cells:
            if cell.cell_type != "markdown":
                continue
            assert not re.search(r"\{(glue|numref|ref)[:\w]*\}`", cell.source), (name, cell.id)
            assert "{only}" not in cell.source, (name, cell.id)
            for block in re.split(r"\n\s*\n", cell.source):
                assert english_words(block) <= 2, f"{name}, cell {cell.id}: English? {block[:200]!r}"


@pytest.mark.slow
def test_the_vietnamese_student_notebooks_hold_no_solution(vietnamese_notebooks):
    for path in CHAPTERS:
        teacher = nbformat.read(path, as_version=4)
        pupil = vietnamese_notebooks[path.name]
        assert not any(student.SOLUTION_TAG in c.metadata.get("tags", []) for c in pupil.cells)
        text = code_text(pupil)
        for line in solution_lines(teacher):
            assert line not in text, f"{path.name}: solution code {line!r}"


@pytest.mark.slow
def test_the_vietnamese_glued_numbers_are_in_the_vietnamese_format(vietnamese_notebooks):
    """The economy chapter's figures as the Vietnamese book writes them (24.012 tỷ đồng, up
    6,02%), never in the English convention; every value is the Vietnamese execution's."""
    from myst_nb.core.variables import format_plain_text

    nb = vietnamese_notebooks["02_economy.ipynb"]
    markdown = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    plain = student.unescape_markdown(markdown)
    assert "24.012" in plain and "6,02%" in plain
    assert "24,012" not in plain and "6.02%" not in plain
    glued = student.stored_glue(nb)
    for key in ("eco_revenue", "eco_revenue_growth", "eco_base_revenue"):
        assert format_plain_text(glued[key], "s") in plain, key
