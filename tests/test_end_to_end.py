"""Promises of the whole pipeline, proved on throw-away copies of the project.

- Bad data stops the book, both editions: ``make html`` (English, then Vietnamese) and
  ``make html-vi`` refuse to build with the same file/line/field message the loaders give,
  and even the build run on its own (``jupyter-book build``; the Vietnamese edition's
  ``python -m bentre.book.build --lang vi sphinx html``) stops at the first notebook that
  meets the bad table, writes no page, and shows the same message.
- The suite can fail: a changed figure fails validation (provenance), and a changed context
  value that still loads fails nbval against the stored outputs.
- Determinism: the book's own execution of every notebook gives the stored outputs byte for
  byte (figures included); two fresh executions give identical files; two builds of each
  edition give identical HTML text.
- Incremental: each edition's HTML is current only for the sources it was built from, and
  ``make html`` says "up to date" for each edition when nothing changed.
- Text from data stays text: a label with ``<script>`` is escaped in the Markdown table and
  in the HTML the book's parser makes of it.

Each copy holds everything but ``.git``, ``_build`` and ``.venv``; subprocesses run with this
venv and ``PYTHONPATH`` on the copy, so the copy's ``bentre`` and data are the ones used.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import nbformat
import pytest

from bentre.book import build
from conftest import REPO, line_of, set_cell

BIN = Path(sys.executable).parent
FIGURES, CONTEXT = "data/figures.csv", "data/context.csv"
ARTICLE = "data/source/000_d531d1eee48afd99.txt"
ANSI = re.compile(r"\x1b\[[0-9;]*m")


# --- copies of the project and commands run in them -------------------------------------------

def whole_copy(target: Path) -> Path:
    """The project as a fresh clone would have it (plus uncommitted edits), without builds."""
    return build.copy_project(target, REPO)


def missing(what: str) -> None:
    """A test that reads the built book: fails under ``make test`` (BENTRE_REQUIRE_BOOK=1,
    after the build), skips when run alone before any build."""
    if os.environ.get("BENTRE_REQUIRE_BOOK"):
        pytest.fail(what)
    pytest.skip(what)


def env_for(root: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "BENTRE_ROOT"}
    env["PYTHONPATH"] = str(root)  # the copy's bentre, before the editable install's
    env["PYTHONHASHSEED"] = "0"
    return env


def run(root: Path, *args: str, timeout: int = 600) -> subprocess.CompletedProcess:
    result = subprocess.run(args, cwd=root, env=env_for(root), capture_output=True, text=True,
                            timeout=timeout)
    result.output = ANSI.sub("", result.stdout + result.stderr)
    return result


def make(root: Path, target: str) -> subprocess.CompletedProcess:
    """``make TARGET`` in the copy with this venv (never creating one there)."""
    venv = BIN.parent
    return run(root, "make", "--no-print-directory", target, f"VENV={venv}",
               "-o", f"{venv}/.installed")


def jupyter_book_build(root: Path) -> subprocess.CompletedProcess:
    return run(root, str(BIN / "jupyter-book"), "build", ".", "--all", "-W", "-n",
               "--keep-going")


def edition_build(root: Path, lang: str) -> subprocess.CompletedProcess:
    """The build of one edition on its own, as make runs it (no validation first): plain
    jupyter-book for English, ``bentre.book.build`` for another language (its catalogs,
    its own execution cache)."""
    if lang == "en":
        return jupyter_book_build(root)
    return run(root, str(BIN / "python"), "-m", "bentre.book.build", "--lang", lang,
               "sphinx", "html", "--all")


LANGS = ["en", "vi"]


def drop_column(path: Path, column: str) -> None:
    with open(path, encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    index = rows[0].index(column)
    for cells in rows:
        del cells[index]
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")


def flip_article_digit(root: Path) -> None:
    path = root / ARTICLE
    data = bytearray(path.read_bytes())
    data[data.index(b"24.012")] = ord("3")
    path.write_bytes(bytes(data))


# Each corruption of the loader tests (tests/test_data.py), and the message it must produce:
# "file, line N, field 'x'" exactly as bentre.data.Problem prints it.
def _wrong_value(root):
    line = set_cell(root / FIGURES, "agriculture_value", "value", "226.43")
    return f"{FIGURES}, line {line}, field 'value': 226.43 is not what '226,34' says"


def _not_a_number(root):
    line = set_cell(root / FIGURES, "industry_construction_value", "value", "4243.x6")
    return f"{FIGURES}, line {line}, field 'value'"


def _missing_column(root):
    drop_column(root / FIGURES, "unit")
    return f"{FIGURES}, line 1, field 'unit'"


def _low_above_high(root):
    line = set_cell(root / CONTEXT, "bentre_province_drought_loss_vnd", "value_low", "1.7")
    return f"{CONTEXT}, line {line}, field 'value_low'"


def _missing_table(root):
    (root / CONTEXT).unlink()
    return f"{CONTEXT}: "


def _article_changed(root):
    flip_article_digit(root)
    return "the article is not the text the figures were read from"


CORRUPTIONS = {
    "figure differs from the article": _wrong_value,
    "figure is not a number": _not_a_number,
    "column missing": _missing_column,
    "context range reversed": _low_above_high,
    "table file missing": _missing_table,
    "article changed by one byte": _article_changed,
}


@pytest.fixture(scope="module")
def shared_copy(tmp_path_factory) -> Path:
    """One pristine copy, cloned again (cheaply) by tests that change it."""
    return whole_copy(tmp_path_factory.mktemp("pristine") / "project")


@pytest.fixture
def copy(shared_copy, tmp_path) -> Path:
    return Path(shutil.copytree(shared_copy, tmp_path / "project", symlinks=True))


# --- bad data stops the book ------------------------------------------------------------------

def no_edition_built(root: Path) -> None:
    for lang in LANGS:
        html = build.edition_dir(lang, root) / "html"
        assert not html.exists(), f"{html.relative_to(root)} was built from bad data"
        assert not (build.edition_dir(lang, root) / build.CACHE).exists(), \
            f"a notebook ran for the {lang} edition on bad data"


@pytest.mark.parametrize("corruption", list(CORRUPTIONS))
def test_make_html_stops_on_bad_data_with_file_line_field(copy, corruption):
    """``make html`` builds English then Vietnamese: it stops at the first, so neither is
    built."""
    message = CORRUPTIONS[corruption](copy)
    result = make(copy, "html")
    assert result.returncode != 0, result.output
    assert message in result.output, result.output
    assert "Running Jupyter-Book" not in result.output, "the build started on bad data"
    assert "--lang vi" not in result.output, "the Vietnamese build started after a failure"
    no_edition_built(copy)


@pytest.mark.parametrize("corruption", ["figure differs from the article",
                                        "article changed by one byte"])
def test_make_html_vi_alone_stops_on_bad_data_with_file_line_field(copy, corruption):
    message = CORRUPTIONS[corruption](copy)
    result = make(copy, "html-vi")
    assert result.returncode != 0, result.output
    assert message in result.output, result.output
    assert "Running Jupyter-Book" not in result.output, "the build started on bad data"
    no_edition_built(copy)


@pytest.mark.slow
@pytest.mark.parametrize("lang", LANGS)
def test_jupyter_book_alone_stops_on_bad_data_and_writes_no_page(copy, lang):
    """Even without ``make``'s validation step, the build itself stops, in either edition:
    the first notebook that loads the table fails, the build aborts (``raise_on_error``),
    and the log carries the loader's message (the same words in both editions: a data
    error is for the maintainer, in English)."""
    message = _wrong_value(copy)
    result = edition_build(copy, lang)
    assert result.returncode != 0, result.output[-3000:]
    assert message in result.output, result.output[-3000:]
    pages = list((build.edition_dir(lang, copy) / "html").rglob("*.html"))
    assert pages == [], f"pages written from a failed build: {pages}"


def test_config_makes_a_failed_notebook_abort_the_build():
    import yaml

    execute = yaml.safe_load((REPO / "_config.yml").read_text(encoding="utf-8"))["execute"]
    assert execute["allow_errors"] is False
    assert execute["raise_on_error"] is True
    assert execute["show_tb"] is True


# --- the suite can fail -----------------------------------------------------------------------

def test_a_changed_figure_fails_validation_and_the_audit(copy):
    line = set_cell(copy / FIGURES, "infrastructure_payments", "value", "121.792")
    validate = run(copy, str(BIN / "python"), "-m", "bentre", "validate")
    assert validate.returncode == 1
    assert f"{FIGURES}, line {line}, field 'value': 121.792 is not what '121,729' says" \
        in validate.output
    audit = run(copy, str(BIN / "python"), "-m", "bentre", "audit")
    assert audit.returncode != 0, audit.output


@pytest.mark.slow
def test_a_changed_value_that_still_loads_fails_nbval(copy):
    """A context figure changed within its own constraints passes validation, but the
    chapters no longer give their stored outputs: nbval fails."""
    path = copy / CONTEXT
    line = set_cell(path, "bentre_city_population_2019", "value_low", "124494")
    assert line == line_of(path, "bentre_city_population_2019")
    assert run(copy, str(BIN / "python"), "-m", "bentre", "validate").returncode == 0
    result = run(copy, str(BIN / "pytest"), "-p", "no:cacheprovider", "-q", "--nbval",
                 "--nbval-sanitize-with", "tests/nbval_sanitize.cfg",
                 "chapters/datasets.ipynb")
    assert result.returncode == 1, result.output[-3000:]
    assert "124,494" in result.output or "124494" in result.output, result.output[-3000:]


# --- determinism ------------------------------------------------------------------------------

def chapters() -> list[Path]:
    return sorted((REPO / "chapters").glob("*.ipynb"))


GLUE_PREFIX = "application/papermill.record/"


def outputs_of(path: Path, nb=None) -> tuple[list, dict]:
    """(every output but glued values, per code cell; glued values by name, without the
    papermill MIME prefix), of the notebook at ``path`` (or ``nb``, read from elsewhere).
    myst-nb moves glued values out of the notebooks it executes, into ``NAME.glue.json``
    beside them, which is read here too when it exists."""
    nb = nb if nb is not None else nbformat.read(path, as_version=4)
    cells, glued = [], {}
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        kept = []
        for output in cell.outputs:
            name = output.get("metadata", {}).get("scrapbook", {}).get("name")
            if name:
                glued[name] = {k.removeprefix(GLUE_PREFIX): v
                               for k, v in output.get("data", {}).items()}
            else:
                kept.append({k: v for k, v in output.items() if k != "execution_count"})
        cells.append(kept)
    side = path.with_suffix(".glue.json")
    if side.is_file():
        glued.update({name: record.get("data", {})
                      for name, record in json.loads(side.read_text(encoding="utf-8")).items()})
    return cells, glued


def joined_streams(outputs: list) -> list:
    """One output per stream, its pieces joined as written: how the kernel happened to
    split a print into messages is not part of the output."""
    kept, first = [], {}
    for output in outputs:
        if output.get("output_type") == "stream":
            if output["name"] in first:
                first[output["name"]]["text"] += output["text"]
                continue
            output = dict(output)
            first[output["name"]] = output
        kept.append(output)
    return kept


def executed_by_the_build(notebook: Path, lang: str = "en"):
    """The notebook as the edition's build executed it: its record in the edition's
    execution cache (what the pages show). myst-nb's copy in ``jupyter_execute/`` is not
    that: it keeps the notebook's stored outputs, and only its ``.glue.json`` is the
    execution's."""
    from jupyter_cache import get_cache

    folder = build.edition_dir(lang, REPO) / build.CACHE
    if not (folder / "global.db").is_file():
        missing(f"{folder} is missing: build the {lang} edition first (make test does)")
    cache = get_cache(str(folder))
    try:
        record = cache.match_cache_file(str(notebook))
    except KeyError:
        missing(f"{notebook.name} is not in {folder}: build the {lang} edition (make test does)")
    return cache.get_cache_bundle(record.pk).nb


@pytest.mark.book
@pytest.mark.parametrize("notebook", chapters(), ids=lambda p: p.stem)
def test_the_builds_execution_gives_the_stored_outputs_byte_for_byte(notebook):
    """The book build executed each notebook (now, or into its input-guarded cache); its
    outputs equal the stored ones, made by ``make execute``, in every MIME type, the SVG,
    PDF and PNG bytes of every figure and every glued value included."""
    copy = REPO / "_build" / "jupyter_execute" / "chapters" / notebook.name
    built_cells, built_glue = outputs_of(notebook, executed_by_the_build(notebook))
    stored_cells, stored_glue = outputs_of(notebook)
    assert built_glue == stored_glue
    if copy.is_file():  # the glue the pages were made with
        assert outputs_of(copy)[1] == stored_glue
    assert [joined_streams(c) for c in built_cells] == [joined_streams(c) for c in stored_cells], \
        f"{notebook.name}: the build's outputs differ from the stored ones: run `make execute`"


@pytest.mark.book
def test_each_edition_executed_the_chapters_into_its_own_cache():
    """Both editions' builds executed every chapter, each into its own cache and in its own
    language: the same code cells and the same glued names, not the same outputs (the
    Vietnamese edition writes its numbers the Vietnamese way: 24.012, 6,02%)."""
    differ = []
    for notebook in chapters():
        en, vi = (executed_by_the_build(notebook, lang) for lang in LANGS)
        code = [[c.source for c in nb.cells if c.cell_type == "code"] for nb in (en, vi)]
        assert code[0] == code[1], notebook.name
        (en_cells, en_glue), (vi_cells, vi_glue) = (outputs_of(notebook, en),
                                                    outputs_of(notebook, vi))
        assert set(en_glue) == set(vi_glue), notebook.name
        if (en_glue, en_cells) != (vi_glue, vi_cells):
            differ.append(notebook.name)
    assert differ, "the Vietnamese execution printed exactly the English outputs everywhere"


def _figure_count(path: Path) -> int:
    cells, glued = outputs_of(path)
    return (sum("image/svg+xml" in o.get("data", {}) for cell in cells for o in cell)
            + sum("image/svg+xml" in data for data in glued.values()))


@pytest.mark.slow
def test_two_fresh_executions_give_identical_files(shared_copy, tmp_path):
    """``bentre.book.build.execute_notebook`` run twice, at the same time, on two copies of the
    notebook with the most figures: the two files are identical, byte for byte."""
    notebook = max(chapters(), key=_figure_count)
    assert _figure_count(notebook) > 0 or len(chapters()) == 1
    runs = [Path(shutil.copytree(shared_copy, tmp_path / f"run{i}", symlinks=True))
            for i in (1, 2)]
    code = ("import sys; from bentre.book.build import execute_notebook; "
            "execute_notebook(sys.argv[1])")
    rel = notebook.relative_to(REPO).as_posix()
    with ThreadPoolExecutor(2) as pool:
        results = list(pool.map(
            lambda root: run(root, str(BIN / "python"), "-c", code, rel), runs))
    for result in results:
        assert result.returncode == 0, result.output[-3000:]
    first, second = (root / rel for root in runs)
    assert first.read_bytes() == second.read_bytes()
    assert first.read_bytes() == notebook.read_bytes(), \
        f"{rel}: a fresh execution differs from the stored file: run `make execute`"


def html_texts(html: Path) -> dict[str, str]:
    from bs4 import BeautifulSoup

    texts = {}
    for page in sorted(html.rglob("*.html")):
        rel = page.relative_to(html).as_posix()
        if rel.startswith(("_", "reports/")):
            continue
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        texts[rel] = str(soup)
    texts["searchindex.js"] = (html / "searchindex.js").read_text(encoding="utf-8")
    return texts


@pytest.mark.book
@pytest.mark.slow
@pytest.mark.parametrize("lang", LANGS)
def test_two_builds_give_the_same_html(shared_copy, tmp_path, lang):
    """A second build of an edition, in another folder, of the same sources with the same
    execution cache, writes the same HTML (markup and text) and the same search index."""
    main = build.edition_dir(lang, REPO)
    if not (main / "html" / "index.html").is_file() or not (main / build.CACHE).is_dir():
        missing(f"build the {lang} edition first (make test does)")
    other = Path(shutil.copytree(shared_copy, tmp_path / "other", symlinks=True))
    folder = build.edition_dir(lang, other)
    folder.mkdir(parents=True)
    shutil.copytree(main / build.CACHE, folder / build.CACHE)
    pdf = main / "html" / "ben-tre-2020.pdf"
    if pdf.is_file():  # the published PDF, when the PDF was built first
        (folder / "html").mkdir(parents=True, exist_ok=True)
        shutil.copy2(pdf, folder / "html" / pdf.name)
    result = edition_build(other, lang)
    assert result.returncode == 0, result.output[-3000:]
    assert "Executing notebook" not in result.output, "the cache was not used"
    first, second = html_texts(main / "html"), html_texts(folder / "html")
    assert sorted(first) == sorted(second)
    different = [name for name in first if first[name] != second[name]]
    if different:  # the first lines that differ, of the first page that does
        import difflib

        diff = list(difflib.unified_diff(first[different[0]].splitlines(),
                                         second[different[0]].splitlines(), lineterm="", n=0))
        pytest.fail(f"pages that differ between two builds: {different}\n"
                    + "\n".join(line[:300] for line in diff[:12]))


# --- what an incremental build rebuilds ------------------------------------------------------

def fake_html(root: Path, lang: str) -> Path:
    html = build.edition_dir(lang, root) / "html"
    html.mkdir(parents=True)
    (html / "index.html").write_text("built")
    return html


@pytest.mark.parametrize("lang", LANGS)
def test_html_is_current_only_for_the_sources_it_was_built_from(copy, lang):
    """``make html-<lang>`` skips the build only while no file the book is made from changed
    (the catalogs of the translations included)."""
    html = fake_html(copy, lang)
    assert not build.html_is_current(copy, lang=lang)
    build.record_html_sources(copy, lang=lang)
    assert build.html_is_current(copy, lang=lang)
    for not_a_source in ("tests/test_new.py", "scripts/tool.py",
                         f"{html.relative_to(copy).as_posix()}/extra.html",
                         "_build/html/extra.html", "_build/vi/html/extra.html",
                         "bentre/__pycache__/x.cpython-311.pyc"):
        path = copy / not_a_source
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("x")
        assert build.html_is_current(copy, lang=lang), not_a_source
    for source in ("chapters/01_source.ipynb", "data/figures.csv", "bentre/plots.py",
                   "_config.yml", "_config.vi.yml", "_toc.yml", "intro.md", "requirements.txt",
                   "locale/vi/LC_MESSAGES/chapters/01_source.po",
                   "bentre/locale/vi/LC_MESSAGES/bentre.po"):
        path = copy / source
        original = path.read_bytes()
        path.write_bytes(original + b" ")
        assert not build.html_is_current(copy, lang=lang), source
        path.write_bytes(original)
        assert build.html_is_current(copy, lang=lang), source
    (copy / "chapters" / "07_new.ipynb").write_text("{}")
    assert not build.html_is_current(copy, lang=lang)


def test_each_edition_is_current_on_its_own(copy):
    """A record of one edition's build says nothing of the other's."""
    for lang in LANGS:
        fake_html(copy, lang)
    build.record_html_sources(copy, lang="vi")
    assert build.html_is_current(copy, lang="vi")
    assert not build.html_is_current(copy, lang="en")
    build.record_html_sources(copy, lang="en")
    assert all(build.html_is_current(copy, lang=lang) for lang in LANGS)
    (copy / "_build" / "vi" / "html" / "index.html").unlink()  # the edition is gone
    assert not build.html_is_current(copy, lang="vi") and build.html_is_current(copy, lang="en")


def test_make_html_does_nothing_when_nothing_changed(copy):
    """Both editions up to date: ``make html`` says so for each, and builds nothing."""
    for lang in LANGS:
        fake_html(copy, lang)
        build.record_html_sources(copy, lang=lang)
    result = make(copy, "html")
    assert result.returncode == 0, result.output
    assert "_build/html is up to date" in result.output, result.output
    assert "_build/vi/html is up to date" in result.output, result.output
    for step in ("validate", "cache-guard", "fill-cache", "sphinx", "jupyter-book"):
        assert step not in result.output, result.output


@pytest.mark.parametrize("lang", LANGS)
def test_cache_guard_makes_sphinx_read_every_page_again_when_data_change(copy, lang):
    """Sphinx does not know that the pages depend on data/: when the inputs change, its
    record of up-to-date pages goes with the execution cache, or an incremental build would
    keep pages made from the old data; in each edition."""
    build.cache_guard(copy, lang=lang)
    doctrees = build.edition_dir(lang, copy) / build.DOCTREES
    doctrees.mkdir()
    (doctrees / "environment.pickle").write_bytes(b"env")
    assert build.cache_guard(copy, lang=lang)[0] is False
    assert doctrees.is_dir(), "kept while the inputs are unchanged"
    set_cell(copy / FIGURES, "agriculture_value", "note", "changed")
    build.cache_guard(copy, lang=lang)
    assert not doctrees.exists()


# --- text from data stays text ----------------------------------------------------------------

def test_a_script_label_is_escaped_in_markdown_and_html():
    import pandas as pd
    from docutils.core import publish_string
    from myst_parser.parsers.docutils_ import Parser

    from bentre.tables import Table, escape

    label = "<script>alert('x')</script> & [link](javascript:alert(1)) *bold* | pipe"
    assert escape("<script>") == r"\<script\>"
    markdown = Table(pd.DataFrame({"label": [label]}))._repr_markdown_()
    assert "<script>" not in markdown
    html = publish_string(markdown, parser=Parser(), writer_name="html5",
                          settings_overrides={"output_encoding": "unicode",
                                              "report_level": 5})
    body = html.split("<body>", 1)[1]
    assert "<script" not in body and "<a " not in body and "<em>" not in body
    assert "&lt;script&gt;alert('x')&lt;/script&gt; &amp; [link](javascript:alert(1))" \
        " *bold* | pipe" in body.replace("&#x27;", "'")
