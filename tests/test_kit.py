"""Promises of the classroom kit (``make kit``, :mod:`bentre.book.kit`).

- The runtime set (``requirements-runtime.txt``) is current, pins exactly what
  ``requirements.txt`` pins, and holds no test or book-build tool.
- The archive holds the student edition in English (``notebooks/``, ``book/``) and in
  Vietnamese (``vi/``), the data, the package with its message catalog and a wheel for
  every pin, and none of the teacher's material in either language: no solution code, no
  model answer, no sentence of the teacher's guide, no PDF (and the search that says so
  does find them where they are, in English and in Vietnamese).
- Installed from the archive, outside the project, with the package index disabled, into a
  fresh virtual environment by the README's own commands: ``pip check`` is clean, the kernel
  ``bentre`` is the environment's, every student notebook runs (nbclient) with every answer
  cell filled with the teacher's solution and no error allowed, and as shipped fails only in
  its check cells, with "No answer yet"; the Vietnamese notebooks do the same and answer in
  Vietnamese; and JupyterLab starts there on 127.0.0.1.

``make test`` builds the kit before it runs this file (``BENTRE_REQUIRE_KIT=1`` turns the
"not built" skips into failures); alone, run ``make kit`` first.
"""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
import zipfile
from pathlib import Path

import nbformat
import pytest

from bentre.book import kit, student

from conftest import REPO

ARCHIVE = REPO / "_build" / "kit" / kit.ARCHIVE
RUNTIME = REPO / kit.RUNTIME


def missing(what: str) -> None:
    """Without a built kit these tests cannot run: under ``make test`` (after ``make kit``)
    that is a failure; alone, a skip that says what to do."""
    if os.environ.get("BENTRE_REQUIRE_KIT"):
        pytest.fail(what)
    pytest.skip(what)


@pytest.fixture(scope="module")
def archive() -> Path:
    if not ARCHIVE.is_file():
        missing(f"no kit at {ARCHIVE.relative_to(REPO)}: run make kit first")
    return ARCHIVE


def names(archive: Path) -> list[str]:
    with zipfile.ZipFile(archive) as zf:
        return [n.removeprefix(kit.KIT + "/") for n in zf.namelist()]


def read(archive: Path, name: str) -> bytes:
    with zipfile.ZipFile(archive) as zf:
        return zf.read(f"{kit.KIT}/{name}")


def teacher_solutions() -> dict[str, dict[str, str]]:
    """``notebook name -> {cell id: solution code}`` from the teacher's chapters."""
    found = {}
    for path in sorted((REPO / "chapters").glob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        cells = {c.id: c.source for c in nb.cells
                 if c.cell_type == "code" and student.SOLUTION_TAG in c.metadata.get("tags", [])}
        if cells:
            found[path.name] = cells
    return found


# --- the runtime set -----------------------------------------------------------------------------

def test_the_runtime_set_is_current():
    assert kit.check_runtime_file(REPO) == []


def test_the_runtime_set_pins_what_requirements_txt_pins():
    runtime, full = kit.pins(RUNTIME), kit.pins(REPO / "requirements.txt")
    assert runtime
    differ = {name: (version, full.get(name, (None, None))[1])
              for name, (_, version) in runtime.items() if full.get(name, (None, None))[1] != version}
    assert not differ, f"runtime pins that requirements.txt pins otherwise: {differ}"


def test_the_runtime_set_is_the_lab_and_the_notebooks_not_the_tools():
    runtime = kit.pins(RUNTIME)
    for name, version in (("jupyterlab", "4.6.6"), ("jupyterlab-myst", "2.7.0")):
        assert runtime[name][1] == version
    for name in ("ipykernel", "nbclient", "frictionless", "babel", "pandas", "matplotlib",
                 "pyyaml", "nbformat", "myst-nb"):  # myst-nb: the notebooks call its glue
        assert name in runtime, name
    for name in ("pytest", "pytest-xdist", "playwright", "jupyter-book", "nbval", "hypothesis",
                 "coverage", "sphinx-book-theme", "sphinx-exercise",
                 "sphinx-jupyterbook-latex", "greenlet"):
        assert name not in runtime, f"{name} is a test or book-build tool"
    assert "bentre" not in runtime  # it comes as the kit's own wheel


def test_every_module_the_chapters_import_comes_with_the_runtime_set():
    from importlib import metadata

    runtime = set(kit.pins(RUNTIME)) | {"bentre"}
    providers = metadata.packages_distributions()
    imported = kit.notebook_imports(sorted((REPO / "chapters").glob("*.ipynb")))
    for module in sorted(imported - set(sys.stdlib_module_names)):
        assert {kit.canonical(d) for d in providers[module]} & runtime, module


# --- what the archive holds ----------------------------------------------------------------------

def test_the_archive_is_one_folder_with_the_student_edition_data_and_wheels(archive):
    listed = names(archive)
    with zipfile.ZipFile(archive) as zf:
        assert all(n.startswith(kit.KIT + "/") for n in zf.namelist())
    for name in ("README.md", "_config.yml", "start-lab.sh", kit.RUNTIME, "book/index.html",
                 "LICENSE", "LICENSE-CONTENT.md", "CITATION.cff"):
        assert name in listed, name
    chapters = sorted(p.name for p in (REPO / "chapters").glob("*.ipynb"))
    assert sorted(n.split("/", 1)[1] for n in listed if n.startswith("notebooks/")) == chapters
    data = sorted(p.relative_to(REPO).as_posix() for p in (REPO / "data").rglob("*")
                  if p.is_file() and "__pycache__" not in p.parts)
    assert sorted(n for n in listed if n.startswith("data/")) == data
    for name in data:
        assert read(archive, name) == (REPO / name).read_bytes(), name
    assert read(archive, kit.RUNTIME) == RUNTIME.read_bytes()


def test_the_wheelhouse_is_exactly_the_runtime_set_for_linux_cpython_311(archive):
    from packaging.utils import parse_wheel_filename

    wheels = [n.split("/", 1)[1] for n in names(archive) if n.startswith("wheelhouse/")]
    assert all(w.endswith(".whl") for w in wheels)
    parsed = {kit.canonical(str(name)): (str(version), tags)
              for name, version, _, tags in map(parse_wheel_filename, wheels)}
    assert len(parsed) == len(wheels), "two wheels of one distribution"
    expected = {name: version for name, (_, version) in kit.pins(RUNTIME).items()}
    expected["bentre"] = kit.tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["version"]
    assert {name: v for name, (v, _) in parsed.items()} == expected
    from packaging.tags import compatible_tags, cpython_tags

    target = set(cpython_tags((3, 11), abis=[kit.ABI], platforms=kit.MANYLINUX)) | set(
        compatible_tags((3, 11), interpreter=kit.ABI, platforms=kit.MANYLINUX))
    for name, (_, tags) in parsed.items():
        assert tags & target, f"{name}: no wheel for Linux x86_64, CPython 3.11 ({tags})"


def test_the_data_finds_its_root_from_the_kit_folder(archive):
    marker = read(archive, "_config.yml").decode()
    assert "bentre" in marker and "datapackage.json" in marker
    assert {"data/datapackage.json", "_config.yml"} <= set(names(archive))


def test_the_readme_tells_a_teacher_what_to_do(archive):
    text = read(archive, "README.md").decode()
    for needed in (
        "python3.11 -m venv .venv",
        ".venv/bin/pip install --no-index --find-links wheelhouse -r requirements-runtime.txt bentre",
        '.venv/bin/python -m ipykernel install --sys-prefix --name bentre --display-name "Python 3 (bentre)"',
        ".venv/bin/jupyter lab --ip 127.0.0.1 --notebook-dir notebooks",
        "Linux on x86_64", "CPython 3.11", "glibc",
        "py -3.11 -m pip download -r requirements-runtime.txt -d wheelhouse",
        "python3.11 -m pip download -r requirements-runtime.txt -d wheelhouse",
        "Not tested, so not claimed",
        "Hand out and collect work", "The teacher's edition is not here",
        "CC BY 4.0", "MIT",
    ):
        assert needed in text, needed
    glibc = re.search(r"glibc (\d+\.\d+) or newer", text)
    assert glibc, "the README names the oldest glibc the wheels accept"


def test_the_archive_holds_both_student_editions(archive):
    """English at the top (notebooks/, book/), Vietnamese in vi/: the same chapters, each
    Vietnamese notebook opening with its hidden language cell, and each book's pages linking
    to the same page of the other."""
    listed = set(names(archive))
    chapters = sorted(p.name for p in (REPO / "chapters").glob("*.ipynb"))
    for lang, folder in kit.EDITIONS.items():
        assert sorted(n.rsplit("/", 1)[1] for n in listed
                      if n.startswith(f"{folder}notebooks/")) == chapters, lang
        assert f"{folder}book/index.html" in listed, lang
        assert f"{folder}book/chapters/02_economy.html" in listed, lang
    for name in chapters:
        nb = nbformat.reads(read(archive, f"{kit.EDITIONS['vi']}notebooks/{name}").decode(), 4)
        assert nb.cells[0].id == student.LANGUAGE_CELL_ID, name
        assert 'set_language("vi")' in nb.cells[0].source, name
        english = nbformat.reads(read(archive, f"notebooks/{name}").decode(), 4)
        assert not any(c.id == student.LANGUAGE_CELL_ID for c in english.cells), name
    page = read(archive, f"{kit.EDITIONS['vi']}book/chapters/02_economy.html").decode()
    assert '<html lang="vi"' in page.replace("  ", " ")
    assert 'href="../../../book/chapters/02_economy.html"' in page
    page = read(archive, "book/chapters/02_economy.html").decode()
    assert 'href="../../vi/book/chapters/02_economy.html"' in page


def test_the_vietnamese_notebooks_read_in_vietnamese(archive):
    """No English paragraph in the Vietnamese notebooks' Markdown, and the glued figures in
    the Vietnamese convention."""
    english = re.compile(r"\b(the|and|of|is|are|which|this|that|with|from|by|its|it)\b")
    for path in sorted((REPO / "chapters").glob("*.ipynb")):
        nb = nbformat.reads(read(archive, f"{kit.EDITIONS['vi']}notebooks/{path.name}").decode(), 4)
        for cell in nb.cells:
            if cell.cell_type != "markdown":
                continue
            for block in re.split(r"\n\s*\n", cell.source):
                prose = re.sub(r"`[^`]*`|\{[\w:-]+\}`[^`]*`|\$[^$]*\$", " ", block)
                assert len(english.findall(prose)) <= 2, (path.name, cell.id, block[:200])
    economy = nbformat.reads(read(archive, f"{kit.EDITIONS['vi']}notebooks/02_economy.ipynb")
                             .decode(), 4)
    text = student.unescape_markdown("\n".join(c.source for c in economy.cells
                                                if c.cell_type == "markdown"))
    assert "24.012" in text and "6,02%" in text and "6.02%" not in text


def test_the_wheel_carries_the_package_catalog(archive):
    [wheel] = [n for n in names(archive) if n.startswith("wheelhouse/bentre-")]
    import io

    with zipfile.ZipFile(io.BytesIO(read(archive, wheel))) as zf:
        inside = set(zf.namelist())
    assert "bentre/locale/vi/LC_MESSAGES/bentre.po" in inside


def test_the_readme_says_how_to_switch_language(archive):
    text = read(archive, "README.md").decode()
    vi = kit.EDITIONS["vi"]
    for needed in (f"{vi}notebooks/", f"{vi}book/index.html", f"./start-lab.sh {vi}notebooks",
                   "BENTRE_LANG=vi", "--lang vi", 'set_language("vi")'):
        assert needed in text, needed


# --- no teacher's material ------------------------------------------------------------------------

def test_the_kit_holds_no_solution_model_answer_or_teachers_page(archive):
    listed = names(archive)
    assert not [n for n in listed if n.lower().endswith(".pdf")]
    assert not [n for n in listed if "teacher_guide" in n]
    assert kit.leaks(archive, REPO) == []


def test_the_search_for_teachers_material_has_something_to_find():
    material = kit.teacher_material(REPO)
    with_solutions = teacher_solutions()
    assert set(with_solutions) <= {Path(s).name for s, f in material.items() if f}
    assert material["chapters/teacher_guide.md"]
    assert sum(len(f) for f in material.values()) > 100


def _vietnamese(fragment: str) -> bool:
    return len(re.findall("[ạảấầẩẫậắằẳẵặẹẻẽếềểễệịọỏốồổỗộớờởỡợụủứừửữựđ]", fragment)) > 3


def test_the_search_looks_for_the_solutions_in_vietnamese_too():
    """The model answers and the teacher's guide as the catalogs translate them: the
    Vietnamese student edition must not carry them either."""
    material = kit.teacher_material(REPO)
    assert sum(map(_vietnamese, material["chapters/02_economy.ipynb"])) >= 5
    assert sum(map(_vietnamese, material["chapters/teacher_guide.md"])) >= 20


def teachers_chapter_pages(folder: str, how: str) -> list:
    """The built chapters with exercises (02 to 06) of the teacher's edition in ``folder``,
    or a skip (a failure under make test) that says how to build them."""
    pages = sorted((REPO / folder / "chapters").glob("0[2-6]_*.html"))
    if not pages:
        if os.environ.get("BENTRE_REQUIRE_BOOK"):
            pytest.fail(f"no teacher's HTML in {folder}: make test builds it first")
        pytest.skip(f"no teacher's HTML in {folder}: run {how} first")
    return pages


def test_the_search_finds_solutions_in_the_teachers_vietnamese_html(tmp_path):
    pages = teachers_chapter_pages("_build/vi/html", "make html-vi")
    fake = tmp_path / "leaky.zip"
    with zipfile.ZipFile(fake, "w") as zf:
        for page in pages:
            zf.write(page, f"{kit.KIT}/vi/book/chapters/{page.name}")
    found = kit.leaks(fake, REPO)
    for page in pages:
        hits = [m for m in found if m.startswith(f"{kit.KIT}/vi/book/chapters/{page.name}: from ")
                and _vietnamese(m.split(": ", 2)[-1])]
        assert hits, f"no Vietnamese solution found in the teacher's Vietnamese {page.name}"


def test_the_search_finds_the_teachers_notebooks_and_guide(tmp_path):
    """The same search, on an archive into which the teacher's chapters and guide were
    copied: every source with material is found, in the notebooks and in the guide."""
    fake = tmp_path / "leaky.zip"
    with zipfile.ZipFile(fake, "w") as zf:
        for path in sorted((REPO / "chapters").glob("*")):
            if path.suffix in (".ipynb", ".md"):
                zf.write(path, f"{kit.KIT}/notebooks/{path.name.replace('teacher_guide', 'x')}")
    found = kit.leaks(fake, REPO)
    sources = {m.split(": from ")[1].split(":")[0] for m in found if ": from " in m}
    assert sources == {s for s, f in kit.teacher_material(REPO).items() if f}


def test_the_search_finds_solutions_in_the_teachers_html(tmp_path):
    """And in the rendered HTML of the teacher's edition (tags stripped, glued values
    between the fragments), so the student HTML is searched the way it is read."""
    pages = teachers_chapter_pages("_build/html", "make html")
    fake = tmp_path / "leaky.zip"
    with zipfile.ZipFile(fake, "w") as zf:
        for page in pages:
            zf.write(page, f"{kit.KIT}/book/chapters/{page.name}")
    found = kit.leaks(fake, REPO)
    for page in pages:
        source = f"chapters/{page.stem}.ipynb"
        hits = [m for m in found
                if m.startswith(f"{kit.KIT}/book/chapters/{page.name}: from {source}:")]
        assert hits, f"no solution found in the teacher's {page.name}"


# --- installed offline, outside the project ----------------------------------------------------------

RUNNER = r'''
"""Run in the kit's environment: execute student notebooks with nbclient on kernel "bentre"."""
import json, sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient

mode, solutions_file, out_file, *paths = sys.argv[1:]
solutions = json.loads(Path(solutions_file).read_text(encoding="utf-8"))
report = {}
for path in map(Path, paths):
    nb = nbformat.read(path, as_version=4)
    filled = []
    if mode == "filled":
        for cell in nb.cells:
            if "answer" in cell.metadata.get("tags", []):
                cell.source = solutions[path.name][cell.id]
                filled.append(cell.id)
    client = NotebookClient(nb, kernel_name="bentre", timeout=300,
                            allow_errors=(mode == "shipped"),
                            resources={"metadata": {"path": str(path.parent)}})
    client.execute()
    errors, checks = [], []
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        tags = cell.metadata.get("tags", [])
        text = "".join(o.get("text", "") for o in cell.outputs if o.output_type == "stream")
        for o in cell.outputs:
            if o.output_type == "error":
                errors.append({"id": cell.id, "tags": tags, "ename": o.ename,
                               "evalue": o.evalue})
        if "exercise-check" in tags:
            checks.append({"id": cell.id, "correct": "Correct" in text, "text": text})
    report[path.name] = {"filled": filled, "errors": errors, "checks": checks}
Path(out_file).write_text(json.dumps(report), encoding="utf-8")
'''


def clean_env(home: Path, bin_dir: Path) -> dict[str, str]:
    """No network index, none of this machine's pip settings or find-links, no project
    environment: only what a teacher's fresh shell would have, plus ``PIP_NO_INDEX``."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("PIP_", "PYTHON", "VIRTUAL_ENV", "JUPYTER", "BENTRE_",
                                "CONDA", "PYENV", "IPYTHON", "MPL"))}
    env.update({"HOME": str(home), "PATH": f"{bin_dir}:/usr/bin:/bin",
                "PIP_CONFIG_FILE": os.devnull, "PIP_NO_INDEX": "1",
                "PIP_DISABLE_PIP_VERSION_CHECK": "1", "PYTHONNOUSERSITE": "1"})
    return env


def readme_block(text: str, heading: str) -> str:
    section = text.split(heading, 1)[1]
    return re.search(r"```bash\n(.*?)```", section, re.S)[1]


@pytest.fixture(scope="module")
def installed(archive, tmp_path_factory):
    """The kit extracted into a temporary folder (outside the project) and installed there by
    the README's commands, offline."""
    base = tmp_path_factory.mktemp("kit-install")
    assert REPO not in base.parents
    with zipfile.ZipFile(archive) as zf:
        zf.extractall(base)
    folder = base / kit.KIT
    (folder / "start-lab.sh").chmod(0o755)
    bin_dir, home = base / "bin", base / "home"
    bin_dir.mkdir()
    home.mkdir()
    python = Path(getattr(sys, "_base_executable", sys.executable)).resolve()
    (bin_dir / "python3.11").symlink_to(python)
    env = clean_env(home, bin_dir)
    commands = readme_block((folder / "README.md").read_text(), "## Install")
    started = time.monotonic()
    done = subprocess.run(["bash", "-euxc", commands], cwd=folder, env=env,
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    print(f"kit installed offline in {time.monotonic() - started:.1f} s")
    return folder, env


@pytest.mark.slow
def test_the_kit_installs_offline_and_pip_check_is_clean(installed):
    folder, env = installed
    venv = folder / ".venv"
    check = subprocess.run([venv / "bin" / "pip", "check"], env=env, capture_output=True,
                           text=True)
    assert check.returncode == 0, check.stdout + check.stderr
    frozen = subprocess.run([venv / "bin" / "pip", "freeze", "--all"], env=env,
                            capture_output=True, text=True, check=True).stdout
    have = {kit.canonical(line.split("==")[0]): line.split("==")[1]
            for line in frozen.splitlines() if "==" in line}
    for name, (_, version) in kit.pins(RUNTIME).items():
        assert have.get(name) == version, name
    assert "pytest" not in have and "jupyter-book" not in have and "playwright" not in have
    where = subprocess.run([venv / "bin" / "python", "-c",
                            "import bentre, bentre.paths; print(bentre.__file__); "
                            "print(bentre.paths.project_root())"],
                           cwd=folder / "notebooks", env=env, capture_output=True, text=True)
    assert where.returncode == 0, where.stderr
    module, root = where.stdout.split("\n")[:2]
    assert Path(module).is_relative_to(venv) and Path(root) == folder
    # The README's hand-out: a copy in a folder of its own inside the kit finds the data; a
    # copy outside the kit does not, and says so.
    (folder / "work" / "an").mkdir(parents=True)
    code = "from bentre import data, paths; print(paths.project_root()); data.load_figures()"
    inside = subprocess.run([venv / "bin" / "python", "-c", code], cwd=folder / "work" / "an",
                            env=env, capture_output=True, text=True)
    assert inside.returncode == 0 and Path(inside.stdout.split("\n")[0]) == folder, inside.stderr
    outside = subprocess.run([venv / "bin" / "python", "-c", code], cwd=folder.parent,
                             env=env, capture_output=True, text=True)
    assert outside.returncode != 0 and "no project root found" in outside.stderr


@pytest.mark.slow
def test_the_kernel_bentre_is_the_kits_own(installed):
    folder, env = installed
    listing = subprocess.run([folder / ".venv" / "bin" / "jupyter", "kernelspec", "list",
                              "--json"], env=env, capture_output=True, text=True, check=True)
    spec = json.loads(listing.stdout)["kernelspecs"][kit.KERNEL_NAME]
    assert Path(spec["resource_dir"]).is_relative_to(folder / ".venv")
    assert spec["spec"]["display_name"] == kit.KERNEL_DISPLAY_NAME
    assert Path(spec["spec"]["argv"][0]).parent == folder / ".venv" / "bin"


@pytest.mark.slow
def test_every_student_notebook_runs_in_the_kit(installed, tmp_path):
    """Twice, at once: with every answer cell holding the teacher's solution (no error
    allowed, every check "Correct"), and as shipped (only the check cells fail, each with
    "No answer yet")."""
    folder, env = installed
    notebooks = sorted((folder / "notebooks").glob("*.ipynb"))
    solutions = tmp_path / "solutions.json"
    solutions.write_text(json.dumps(teacher_solutions()), encoding="utf-8")
    runner = tmp_path / "run.py"
    runner.write_text(RUNNER, encoding="utf-8")
    python = folder / ".venv" / "bin" / "python"
    runs = {}
    for mode in ("filled", "shipped"):
        report = tmp_path / f"{mode}.json"
        runs[mode] = (report, subprocess.Popen(
            [python, runner, mode, solutions, report, *notebooks], cwd=folder / "notebooks",
            env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True))
    results = {}
    for mode, (report, process) in runs.items():
        log, _ = process.communicate(timeout=900)
        assert process.returncode == 0, f"{mode}: {log[-4000:]}"
        results[mode] = json.loads(report.read_text())
    assert sorted(results["filled"]) == [p.name for p in notebooks]
    solutions_by_nb = teacher_solutions()
    for name, run in results["filled"].items():
        assert run["errors"] == [], (name, run["errors"])
        assert sorted(run["filled"]) == sorted(solutions_by_nb.get(name, {})), name
        assert all(c["correct"] for c in run["checks"]), (name, run["checks"])
        assert len(run["checks"]) == len(run["filled"]) or not run["filled"]
    n_checks = 0
    for name, run in results["shipped"].items():
        checks = {c["id"] for c in run["checks"]}
        n_checks += len(checks)
        assert {e["id"] for e in run["errors"]} == checks, (name, run["errors"])
        for error in run["errors"]:
            assert error["ename"] in ("AssertionError", "NotYet"), error  # NotYet: an AssertionError
            assert "No answer yet" in error["evalue"], error
    assert n_checks == sum(len(s) for s in solutions_by_nb.values())


@pytest.mark.slow
def test_the_vietnamese_notebooks_run_in_the_kit_and_answer_in_vietnamese(installed, tmp_path):
    """The Vietnamese notebooks, run in the kit's kernel started without BENTRE_LANG: the
    solutions pass with Vietnamese feedback ("Đúng"), and as shipped each check asks for an
    answer in Vietnamese."""
    folder, env = installed
    env = {k: v for k, v in env.items() if k != "BENTRE_LANG"}
    notebooks = sorted((folder / kit.EDITIONS["vi"] / "notebooks").glob("*.ipynb"))
    assert notebooks
    solutions = tmp_path / "solutions.json"
    solutions.write_text(json.dumps(teacher_solutions()), encoding="utf-8")
    runner = tmp_path / "run.py"
    runner.write_text(RUNNER, encoding="utf-8")
    python = folder / ".venv" / "bin" / "python"
    runs = {}
    for mode in ("filled", "shipped"):
        report = tmp_path / f"{mode}.json"
        runs[mode] = (report, subprocess.Popen(
            [python, runner, mode, solutions, report, *notebooks], cwd=notebooks[0].parent,
            env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True))
    results = {}
    for mode, (report, process) in runs.items():
        log, _ = process.communicate(timeout=900)
        assert process.returncode == 0, f"{mode}: {log[-4000:]}"
        results[mode] = json.loads(report.read_text())
    for name, run in results["filled"].items():
        assert run["errors"] == [], (name, run["errors"])
        for check in run["checks"]:
            assert check["text"].startswith("Đúng"), (name, check)
    for name, run in results["shipped"].items():
        assert {e["id"] for e in run["errors"]} == {c["id"] for c in run["checks"]}, name
        for error in run["errors"]:
            assert "Chưa có đáp án" in error["evalue"], error
            assert "No answer yet" not in error["evalue"], error


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.slow
def test_jupyterlab_starts_from_the_kit(installed, tmp_path):
    """``start-lab.sh`` serves the student notebooks on 127.0.0.1 with the kernel bentre and
    jupyterlab-myst; root (as here) needs allow_root, set in a config file of the test's."""
    folder, env = installed
    port, token = free_port(), "kit-test-token"
    config = tmp_path / "jupyter-config"
    config.mkdir()
    (config / "jupyter_server_config.json").write_text(json.dumps({"ServerApp": {
        "allow_root": True, "port": port, "port_retries": 0, "open_browser": False}}))
    env = {**env, "JUPYTER_CONFIG_DIR": str(config), "JUPYTER_TOKEN": token}
    server = subprocess.Popen([folder / "start-lab.sh"], cwd=tmp_path, env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}"

    def get(path: str) -> str:
        with urllib.request.urlopen(f"{base}{path}?token={token}", timeout=5) as r:
            return r.read().decode("utf-8")

    try:
        deadline = time.monotonic() + 120
        while True:
            assert server.poll() is None, server.stdout.read()[-3000:]
            try:
                get("/api/status")
                break
            except OSError:
                assert time.monotonic() < deadline, "JupyterLab did not answer in 120 s"
                time.sleep(0.3)
        specs = json.loads(get("/api/kernelspecs"))
        assert specs["default"] == kit.KERNEL_NAME and kit.KERNEL_NAME in specs["kernelspecs"]
        contents = json.loads(get("/api/contents"))
        assert {c["name"] for c in contents["content"]} == {
            p.name for p in (folder / "notebooks").glob("*.ipynb")}
        assert "jupyterlab-myst" in get("/lab")
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
