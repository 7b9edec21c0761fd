"""Promises of ``make lab`` (``bentre.book.lab``): the project's kernel, and JupyterLab on
127.0.0.1 reading and running a student notebook, checked in a real browser with the network
cut.

The launcher starts JupyterLab (the venv's, with jupyterlab-myst) on a free port of
127.0.0.1 over a student edition written into a temporary folder, with its state in another;
Debian's Chromium (Playwright) opens ``02_economy.ipynb`` there, every request off this
machine refused. It must show the glued numbers as numbers (no ``{glue:`` text, no glue key),
the exercises as boxes, run every cell through the menu (Run → Run All Cells) on the
kernel ``bentre``, and judge a right answer typed into an answer cell "Correct". Nothing may
land beside the notebooks but what was saved. Screenshots: ``_build/screenshots/lab-*.png``;
timings: ``_build/lab-timings.json``.

Needs JupyterLab and the kernel (``make install``) and Chromium (``make browser``): without
them, run alone, the browser tests skip and say so; under ``make test``
(``BENTRE_REQUIRE_LAB=1``) that is a failure.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

import nbformat
import pytest

from bentre.book import lab, student

from conftest import REPO

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-quic", "--no-first-run",
                 "--disable-sync"]
SCREENSHOTS = REPO / "_build" / "screenshots"
TIMINGS = REPO / "_build" / "lab-timings.json"
CHAPTERS = sorted((REPO / "chapters").glob("*.ipynb"))
NOTEBOOK = "02_economy.ipynb"
START_TIMEOUT = 180  # s: the launcher's own start, on a loaded machine
RUN_TIMEOUT = 300_000  # ms: Run All Cells of one chapter
UI_TIMEOUT = 90_000  # ms
STRAIGHT_QUOTES = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'"})


def missing(what: str) -> None:
    """Under ``make test`` (``BENTRE_REQUIRE_LAB=1``) a missing piece is a failure; run
    alone, a skip that says what to do."""
    if os.environ.get("BENTRE_REQUIRE_LAB"):
        pytest.fail(what)
    pytest.skip(what)


def straight(text: str) -> str:
    return text.translate(STRAIGHT_QUOTES)


# --- the project's kernel ------------------------------------------------------------------------

@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_every_chapter_names_the_project_kernel(path):
    spec = nbformat.read(path, as_version=4).metadata.get("kernelspec", {})
    assert spec.get("name") == lab.KERNEL_NAME, f"{path.name}: kernelspec {spec}"
    assert spec.get("display_name") == lab.KERNEL_DISPLAY_NAME
    assert spec.get("language") == "python"


def test_the_kernel_is_registered_inside_the_environment():
    from jupyter_client.kernelspec import KernelSpecManager

    path = lab.kernel_dir() / "kernel.json"
    if not path.is_file():
        missing(f"no kernel {lab.KERNEL_NAME!r} in {path.parent}: run `make install`")
    spec = json.loads(path.read_text(encoding="utf-8"))
    assert Path(spec["argv"][0]).resolve() == Path(sys.executable).resolve(), spec["argv"]
    assert spec["argv"][1:] == ["-Xfrozen_modules=off", "-m", "ipykernel_launcher", "-f",
                                "{connection_file}"] or "ipykernel_launcher" in spec["argv"]
    assert spec["display_name"] == lab.KERNEL_DISPLAY_NAME
    assert path.parent.resolve().is_relative_to(Path(sys.prefix).resolve())
    # What nbval, jupyter-book (nbclient) and the lab find by that name is this one.
    found = KernelSpecManager().find_kernel_specs()
    assert Path(found[lab.KERNEL_NAME]).resolve() == path.parent.resolve()


def test_the_lab_keeps_its_state_under_build(tmp_path):
    env = lab.lab_environment(tmp_path / "state", base={"PATH": "/usr/bin"})
    for name in ("JUPYTER_CONFIG_DIR", "JUPYTER_DATA_DIR", "JUPYTER_RUNTIME_DIR",
                 "JUPYTERLAB_SETTINGS_DIR", "JUPYTERLAB_WORKSPACES_DIR", "IPYTHONDIR"):
        assert Path(env[name]).is_relative_to(tmp_path / "state"), name
    assert env["PATH"].split(os.pathsep)[0] == str(Path(sys.executable).parent)
    command = lab.server_command(tmp_path, 8888, tmp_path / "state")
    assert not any("token" in part.lower() for part in command)  # not in the process list
    assert "--ServerApp.ip=127.0.0.1" in command and "--no-browser" in command
    assert "--FileContentsManager.checkpoints_class=bentre.book.lab.BuildCheckpoints" in command
    assert lab.state_dir(REPO) == REPO / "_build" / "lab"


# --- the lab in a browser ------------------------------------------------------------------------

def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def teacher():
    return nbformat.read(REPO / "chapters" / NOTEBOOK, as_version=4)


@pytest.fixture(scope="module")
def notebooks(tmp_path_factory):
    """A student edition of every chapter, written where no other test or person works."""
    folder = tmp_path_factory.mktemp("student") / "notebooks"
    student.write_notebooks(folder)
    return folder


@pytest.fixture(scope="module")
def timings():
    found: dict[str, float] = {}
    yield found
    if found:
        TIMINGS.parent.mkdir(parents=True, exist_ok=True)
        TIMINGS.write_text(json.dumps(found, indent=2) + "\n", encoding="utf-8")


@pytest.fixture(scope="module")
def server(notebooks, tmp_path_factory, timings):
    """The launcher (``python -m bentre.book.lab``), as ``make lab EDITION=student`` runs
    it, on a free port; yields (base URL, token, state folder)."""
    if importlib.util.find_spec("jupyterlab") is None:
        missing("JupyterLab is not installed in this environment: run `make install`")
    if not (lab.kernel_dir() / "kernel.json").is_file():
        missing(f"no kernel {lab.KERNEL_NAME!r}: run `make install`")
    state = tmp_path_factory.mktemp("lab-state")
    log = (tmp_path_factory.mktemp("lab-log") / "lab.log").open("w+", encoding="utf-8")
    started = time.monotonic()
    process = subprocess.Popen(
        [sys.executable, "-m", "bentre.book.lab", "--edition", "student", "--notebooks",
         str(notebooks), "--state-dir", str(state), "--port", str(_free_port())],
        cwd=str(REPO), stdout=subprocess.PIPE, stderr=log, text=True, encoding="utf-8")
    url, lines = None, []
    deadline = time.monotonic() + START_TIMEOUT
    while url is None and time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:
            break
        lines.append(line)
        m = re.search(r"Open:\s+(http://127\.0\.0\.1:\d+/\S*token=(\w+))", line)
        if m:
            url = m.group(1)
    timings["lab_start_seconds"] = round(time.monotonic() - started, 2)
    try:
        if url is None:
            log.seek(0)
            pytest.fail("the launcher printed no address:\n" + "".join(lines) + log.read()[-3000:])
        assert "Ctrl-C" in "".join(lines) + process.stdout.readline() + process.stdout.readline()
        parts = urlsplit(url)
        yield f"{parts.scheme}://{parts.netloc}", re.search(r"token=(\w+)", url).group(1), state
    finally:
        process.send_signal(signal.SIGINT)  # Ctrl-C, as a person stops it
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).is_file():
        missing(f"{CHROMIUM} is missing: `make browser` installs it (Debian's chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


class Lab:
    """One JupyterLab tab, with every request off 127.0.0.1 refused and recorded."""

    def __init__(self, browser, base: str, token: str):
        self.base, self.token = base, token
        self.foreign: list[str] = []
        self.page_errors: list[str] = []
        self.context = browser.new_context(viewport={"width": 1400, "height": 1000})
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()
        self.page.on("pageerror", lambda e: self.page_errors.append(str(e)))

    def _route(self, route) -> None:
        url = route.request.url
        if url.startswith(self.base) or urlsplit(url).scheme in ("data", "blob"):
            route.continue_()
        else:
            self.foreign.append(url)
            route.abort()

    def api(self, path: str):
        response = self.context.request.get(f"{self.base}/api/{path}?token={self.token}")
        assert response.ok, f"{path}: HTTP {response.status}"
        return response.json()

    def open(self, notebook: str):
        # A fresh workspace: no tab of an earlier session comes back.
        self.page.goto(f"{self.base}/lab/workspaces/test-{os.getpid()}/tree/{notebook}"
                       f"?reset&token={self.token}")
        self.panel = self.page.locator(".jp-NotebookPanel:not(.lm-mod-hidden)").first
        self.panel.locator(".jp-Notebook .jp-Cell").first.wait_for(timeout=UI_TIMEOUT)
        # The kernel is started and named in the notebook's toolbar, then idle.
        self.page.wait_for_function(
            """name => { const p = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden)');
                         const k = p && p.querySelector('[data-jp-item-name="kernelName"]');
                         return k && k.textContent.trim() === name; }""",
            arg=lab.KERNEL_DISPLAY_NAME, timeout=UI_TIMEOUT)
        self.wait_idle()
        return self.panel

    def session(self, notebook: str) -> dict:
        sessions = [s for s in self.api("sessions") if s["path"].endswith(notebook)]
        assert len(sessions) == 1, sessions
        return sessions[0]

    def wait_idle(self, timeout_ms: int = UI_TIMEOUT) -> None:
        """The notebook's kernel is up and idle (its status in the notebook's toolbar)."""
        self.page.wait_for_function(
            """() => { const p = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden)');
                       const i = p && p.querySelector('.jp-Notebook-ExecutionIndicator');
                       return i && i.getAttribute('data-status') === 'idle'; }""",
            timeout=timeout_ms)

    def markdown_text(self) -> str:
        return self.panel.evaluate(
            "p => Array.from(p.querySelectorAll('.jp-MarkdownCell .myst'))"
            ".map(e => e.textContent).join('\\n')")

    def screenshot(self, name: str) -> None:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(SCREENSHOTS / f"lab-{name}.png"))

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def session(browser, server, request):
    base, token, _ = server
    visit = Lab(browser, base, token)
    yield visit
    visit.close()


def expected_values(teacher, pupil) -> list[str]:
    """The text myst-nb shows for each {glue:text} role of the teacher's Markdown cells that
    the student notebook keeps, from the teacher's stored outputs (read here, not through
    bentre.book.student)."""
    from myst_nb.core.variables import format_plain_text

    glued = {}
    for cell in teacher.cells:
        for output in cell.get("outputs", []):
            name = output.get("metadata", {}).get("scrapbook", {}).get("name")
            text = output.get("data", {}).get("application/papermill.record/text/plain")
            if name and text is not None:
                glued[name] = text
    kept = {c.id for c in pupil.cells if c.cell_type == "markdown"}
    values = []
    for cell in teacher.cells:
        if cell.cell_type == "markdown" and cell.id in kept:
            for content in re.findall(r"\{glue:text\}`([^`]+)`", cell.source):
                key, fmt = content.rsplit(":", 1) if ":" in content else (content, "s")
                values.append(format_plain_text(glued[key], fmt))
    return values


def test_a_student_notebook_reads_and_runs_in_the_lab(session, server, notebooks, teacher,
                                                      timings):
    try:
        _read_and_run(session, server, notebooks, teacher, timings)
    except BaseException:
        session.screenshot("failure")  # what the browser showed when it went wrong
        raise


def _read_and_run(session, server, notebooks, teacher, timings):
    pupil = nbformat.read(notebooks / NOTEBOOK, as_version=4)
    panel = session.open(NOTEBOOK)

    # The project's kernel, by its toolbar name and by the server's own record.
    assert session.session(NOTEBOOK)["kernel"]["name"] == lab.KERNEL_NAME
    kernel_name = panel.locator('[data-jp-item-name="kernelName"]').first.inner_text()
    assert kernel_name.strip() == lab.KERNEL_DISPLAY_NAME

    # Glued numbers as numbers: the turnover, and every value the chapter's text cites.
    markdown_cells = sum(1 for c in pupil.cells if c.cell_type == "markdown")
    session.page.wait_for_function(  # every Markdown cell rendered (MyST), none as source
        """n => { const p = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden)');
                  return p.querySelectorAll('.jp-MarkdownCell .myst').length === n; }""",
        arg=markdown_cells, timeout=UI_TIMEOUT)
    turnover = panel.locator(".jp-MarkdownCell .myst", has_text="estimated at 24,012 billion").first
    turnover.scroll_into_view_if_needed()
    assert turnover.is_visible()
    session.screenshot("glued-numbers")
    shown = straight(session.markdown_text())
    assert "{glue" not in shown and "{numref" not in shown
    keys = {o["metadata"]["scrapbook"]["name"] for c in teacher.cells for o in c.get("outputs", [])
            if o.get("metadata", {}).get("scrapbook")}
    assert not [k for k in keys if "_" in k and re.search(rf"\b{re.escape(k)}\b", shown)], \
        "a glue key is shown instead of its value"
    expected = expected_values(teacher, pupil)
    assert len(expected) > 40
    absent = [v for v in expected if straight(v) not in shown]
    assert not absent, f"glued values not shown: {absent}"

    # Exercises as boxes, one per exercise directive, numbered.
    exercises = sum(len(re.findall(r"^ {0,3}(?:`{3,}|:{3,})\{exercise\}", c.source, re.M))
                    for c in pupil.cells if c.cell_type == "markdown")
    boxes = panel.locator("aside.myst-exercise")
    assert exercises >= 3 and boxes.count() == exercises
    first = boxes.first
    first.scroll_into_view_if_needed()
    assert first.is_visible() and "Exercise 1" in first.inner_text()
    assert first.locator(".myst-exercise-body").inner_text().strip()
    session.screenshot("exercise-box")

    # Run → Run All Cells, through the menu.
    started = time.monotonic()
    session.page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(r"^Run$")).click()
    session.page.locator(".lm-Menu-itemLabel", has_text=re.compile(r"^Run All Cells$")).click()
    code_cells = sum(1 for c in pupil.cells if c.cell_type == "code")
    session.page.wait_for_function(
        """n => { const p = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden)');
                  const prompts = Array.from(p.querySelectorAll('.jp-CodeCell .jp-InputPrompt'))
                      .map(e => e.textContent.trim());
                  return prompts.length === n && prompts.every(t => /^\\[\\d+\\]:$/.test(t)); }""",
        arg=code_cells, timeout=RUN_TIMEOUT)
    session.wait_idle(RUN_TIMEOUT)
    timings["run_all_seconds"] = round(time.monotonic() - started, 2)
    timings["code_cells"] = code_cells
    session.screenshot("run-all")
    # Every cell ran; the only errors are the checks of unanswered exercises, which say so.
    errors = panel.locator(".jp-CodeCell:has(.jp-OutputArea-output[data-mime-type="
                           "'application/vnd.jupyter.stderr'])")
    checks = [c for c in pupil.cells if student.CHECK_TAG in c.metadata.get("tags", [])]
    assert errors.count() <= len(checks)
    for i in range(errors.count()):
        text = errors.nth(i).locator(".jp-OutputArea").inner_text()
        assert "No answer yet" in text, text
    figures = panel.locator(".jp-OutputArea-output img")
    assert figures.count() >= 3  # the chapter's charts, drawn again in the lab

    # A right answer, typed into the first answer cell, judged "Correct" by its check.
    answer_at = next(i for i, c in enumerate(pupil.cells)
                     if student.ANSWER_TAG in c.metadata.get("tags", []))
    solution_id = pupil.cells[answer_at].id
    solution = next(c for c in teacher.cells if c.id == solution_id).source
    answer = "\n".join(line for line in solution.splitlines()
                       if line.strip() and not line.lstrip().startswith("#"))
    cell = panel.locator(".jp-Notebook .jp-Cell").nth(answer_at)
    cell.scroll_into_view_if_needed()
    editor = cell.locator(".cm-content")
    editor.click()
    session.page.keyboard.press("Control+End")  # under the prompt's comments
    session.page.keyboard.insert_text("\n" + answer)  # as pasted: no auto-closed brackets
    session.page.keyboard.press("Shift+Enter")  # runs the answer, moves to the check
    session.page.keyboard.press("Shift+Enter")  # runs the check
    check = panel.locator(".jp-Notebook .jp-Cell").nth(answer_at + 1)
    assert student.CHECK_TAG in pupil.cells[answer_at + 1].metadata["tags"]
    check.locator(".jp-OutputArea-output", has_text="Correct").first.wait_for(timeout=UI_TIMEOUT)
    check.scroll_into_view_if_needed()
    session.screenshot("answer-correct")
    assert "No answer yet" not in check.locator(".jp-OutputArea").inner_text()

    # Saved: the notebook is written, its checkpoint kept under the lab's state.
    session.page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(r"^File$")).click()
    session.page.locator(".lm-Menu-itemLabel",
                         has_text=re.compile(r"^Save( Notebook)?$")).first.click()
    _, _, state = server
    def saved() -> str:
        return nbformat.read(notebooks / NOTEBOOK, as_version=4).cells[answer_at].source

    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and answer not in saved():
        session.page.wait_for_timeout(500)  # (Playwright serves the routed requests meanwhile)
    assert answer in saved()
    beside = sorted(p.name for p in notebooks.iterdir() if not p.name.endswith(".ipynb"))
    assert not beside, f"JupyterLab wrote beside the notebooks: {beside}"
    assert list((state / "checkpoints").rglob(f"{Path(NOTEBOOK).stem}-checkpoint.ipynb"))
    assert list((state / "runtime").glob("jpserver-*.json"))
    assert not (REPO / "chapters" / ".ipynb_checkpoints").exists()

    assert not session.foreign, f"requests off this machine: {session.foreign}"
    assert not session.page_errors, session.page_errors


def test_the_book_edition_opens_the_chapters_on_the_project_kernel(tmp_path):
    """``make lab`` (the chapters): ``--check`` starts it, reads the kernels and the notebook
    list through the server, and stops it."""
    if importlib.util.find_spec("jupyterlab") is None:
        missing("JupyterLab is not installed in this environment: run `make install`")
    result = subprocess.run(
        [sys.executable, "-m", "bentre.book.lab", "--check", "--state-dir",
         str(tmp_path / "state"), "--port", str(_free_port())],
        cwd=str(REPO), capture_output=True, text=True, timeout=START_TIMEOUT)
    assert result.returncode == 0, result.stdout + result.stderr[-3000:]
    assert "default kernel 'bentre'" in result.stdout
    assert f"{len(CHAPTERS)} notebooks in {REPO / 'chapters'}" in result.stdout
