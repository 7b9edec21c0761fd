"""The classroom kit: one archive that installs and runs the student edition on a computer
with no network. ``make kit`` (``python -m bentre.book.kit build``) writes
``_build/kit/bentre-classroom-kit.zip``; ``python -m bentre.book.kit requirements`` writes
``requirements-runtime.txt``.

What the archive holds (one folder, ``bentre-classroom-kit/``):

- ``notebooks/``: the student notebooks (``bentre.book.student``; no solutions);
- ``book/``: the student edition's HTML (solutions hidden, no teacher's guide, no PDF);
- ``vi/notebooks/`` and ``vi/book/``: the same in Vietnamese (prose from the book's
  catalogs, outputs and glued numbers from the Vietnamese execution; each notebook's first,
  hidden cell sets the package's language, so the checks answer in Vietnamese); each page
  of either book links to itself in the other;
- ``data/`` and a ``_config.yml`` marker: with ``data/datapackage.json`` it is what
  :func:`bentre.paths.project_root` looks for, so a notebook run anywhere under the kit folder
  finds its data (the marker holds no book configuration);
- ``requirements-runtime.txt`` and ``wheelhouse/``: every wheel the runtime set needs, for
  Linux x86_64 and CPython 3.11, and the ``bentre`` wheel built from this project (with
  its message catalogs, ``bentre/locale/<lang>/LC_MESSAGES/bentre.po``);
- ``README.md`` for the teacher (install offline, start the lab, hand out and collect work,
  where the teacher's edition is), ``start-lab.sh``, and the licence files.

The runtime set
===============
``requirements-runtime.txt`` is what running the notebooks and the lab needs, and nothing of
the book's tests: the distributions that ``bentre`` declares (``pyproject.toml``), those the
chapter notebooks import (found by reading their code: ``myst_nb`` for ``glue``, hence
myst-nb and what it requires), the kernel and notebook runner (``ipykernel``, ``nbclient``)
and the lab (``jupyterlab``, ``jupyterlab-myst``); then everything these require, read from
the installed distributions' metadata (markers evaluated for Linux and CPython 3.11, extras
followed). Every version is the one ``requirements.txt`` pins, so the kit runs what the book
was tested with. Regenerate it after changing ``requirements.txt`` (and ``make install``)::

    .venv/bin/python -m bentre.book.kit requirements

``make kit`` refuses to build from a stale file (``requirements --check``).

The wheelhouse is downloaded with ``pip download --no-deps --only-binary=:all:`` for the
manylinux platforms and CPython 3.11, into ``_build/kit/wheelhouse/``, which later builds
reuse: only a pin that changed is downloaded again.
"""

from __future__ import annotations

import argparse
import ast
import html.parser
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import tomllib
import zipfile
from dataclasses import dataclass
from pathlib import Path

from ..paths import project_root

KIT = "bentre-classroom-kit"
ARCHIVE = KIT + ".zip"
RUNTIME = "requirements-runtime.txt"
KERNEL_NAME = "bentre"  # as bentre.book.lab registers it for the project
KERNEL_DISPLAY_NAME = "Python 3 (bentre)"
# What the lab and the notebook runner add to bentre's own dependencies.
LAB = ("ipykernel", "nbclient", "jupyterlab", "jupyterlab-myst")
# Never in the runtime set, whatever imports them: the tests' and the book build's tools.
NOT_RUNTIME = ("pytest", "playwright", "jupyter-book", "nbval", "hypothesis", "coverage",
               "pytest-xdist", "sphinx-book-theme", "sphinx-exercise")
# The wheelhouse's platform: CPython 3.11 on Linux x86_64, glibc 2.5 to 2.28 (manylinux).
PYTHON = "3.11"
ABI = "cp311"
MANYLINUX = [f"manylinux_2_{minor}_x86_64" for minor in range(28, 4, -1)] + [
    "manylinux2014_x86_64", "manylinux2010_x86_64", "manylinux1_x86_64"]
_LEGACY_GLIBC = {"manylinux2014": (2, 17), "manylinux2010": (2, 12), "manylinux1": (2, 5)}
# Files from the project's root that travel with the kit when they exist.
TERMS_FILES = ("LICENSE", "LICENSE-CONTENT.md", "CITATION.cff")
# The student editions in the archive: language -> folder (notebooks/ and book/ inside).
# English stays at the top, where the README and the teacher's habits expect it.
EDITIONS = {"en": "", "vi": "vi/"}


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


# --- the runtime set ------------------------------------------------------------------------

def pins(path: Path) -> dict[str, tuple[str, str]]:
    """``canonical name -> (name, version)`` of every ``name==version`` line of a
    requirements file (comments, options and ``-e`` lines aside)."""
    found = {}
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if not line or line.startswith("-"):
            continue
        name, sep, version = line.partition("==")
        if not sep:
            raise ValueError(f"{path}: {line!r} is not pinned; expected name==version")
        found[canonical(name.strip())] = (name.strip(), version.strip())
    return found


def notebook_imports(notebooks: list[Path]) -> set[str]:
    """The top-level modules that the code cells of ``notebooks`` import (IPython magics and
    shell lines are skipped)."""
    import nbformat

    modules = set()
    for path in notebooks:
        nb = nbformat.read(path, as_version=4)
        for cell in nb.cells:
            if cell.cell_type != "code":
                continue
            code = "\n".join(line for line in cell.source.splitlines()
                             if not line.lstrip().startswith(("%", "!")))
            for node in ast.walk(ast.parse(code)):
                if isinstance(node, ast.Import):
                    modules |= {alias.name.split(".")[0] for alias in node.names}
                elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                    modules.add(node.module.split(".")[0])
    return modules


def runtime_roots(root: Path | None = None) -> list[str]:
    """What the runtime set starts from: bentre's declared dependencies, the distributions
    that provide the modules the chapter notebooks import, and :data:`LAB`."""
    from importlib import metadata

    root = Path(root or project_root())
    project = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))
    roots = list(project["project"]["dependencies"]) + list(LAB)
    providers = metadata.packages_distributions()
    own = canonical(project["project"]["name"])
    for module in sorted(notebook_imports(sorted((root / "chapters").glob("*.ipynb")))):
        if module in sys.stdlib_module_names:
            continue
        dists = providers.get(module)
        if not dists:
            raise RuntimeError(f"a chapter imports {module!r}, which no installed distribution "
                               "provides: run make install")
        roots += [d for d in dists if canonical(d) != own]
    return roots


def closure(roots: list[str]) -> dict[str, tuple[str, str]]:
    """``canonical name -> (name, version)`` of ``roots`` and everything they require, from
    the installed distributions' metadata, for this platform (markers evaluated here,
    requested extras followed)."""
    from importlib import metadata

    from packaging.requirements import Requirement

    installed = {canonical(d.metadata["Name"]): d for d in metadata.distributions()}
    extras_seen: dict[str, set[str]] = {}
    todo = [Requirement(r) for r in roots]
    while todo:
        req = todo.pop()
        name = canonical(req.name)
        dist = installed.get(name)
        if dist is None:
            raise RuntimeError(f"{req.name} is required but not installed: run make install")
        before = extras_seen.get(name)
        if before is not None and set(req.extras) <= before:
            continue
        extras = extras_seen[name] = (before or set()) | set(req.extras)
        for spec in dist.requires or []:
            child = Requirement(spec)
            if child.marker is None or any(child.marker.evaluate({"extra": e})
                                           for e in extras | {""}):
                todo.append(child)
    return {name: (installed[name].metadata["Name"], installed[name].version)
            for name in extras_seen}


HEADER = """\
# The classroom kit's runtime set: what running the student notebooks and JupyterLab needs,
# with the versions requirements.txt pins (a subset of it; no test or book-build tool).
# Made by `python -m bentre.book.kit requirements` from bentre's dependencies
# (pyproject.toml), the modules the chapter notebooks import, ipykernel, nbclient,
# jupyterlab and jupyterlab-myst, and all they require on Linux x86_64, CPython 3.11.
# Regenerate it after changing requirements.txt; do not edit by hand.
"""


def runtime_requirements(root: Path | None = None) -> str:
    """The text of ``requirements-runtime.txt`` for the environment this runs in; every pin
    must equal ``requirements.txt``'s."""
    root = Path(root or project_root())
    found = closure(runtime_roots(root))
    own = canonical(tomllib.loads((root / "pyproject.toml").read_text())["project"]["name"])
    found.pop(own, None)
    pinned = pins(root / "requirements.txt")
    problems = [f"{name}=={version} is installed but requirements.txt pins "
                f"{pinned[key][1] if key in pinned else 'nothing'}"
                for key, (name, version) in found.items()
                if pinned.get(key, (None, None))[1] != version]
    problems += [f"{found[key][0]} is a test or book-build tool; it must not be a runtime need"
                 for key in found if key in {canonical(n) for n in NOT_RUNTIME}]
    if problems:
        raise RuntimeError("the runtime set does not match requirements.txt (run make "
                           "install, or pin these there):\n  " + "\n  ".join(problems))
    lines = [f"{pinned[key][0]}=={pinned[key][1]}" for key in sorted(found)]
    return HEADER + "\n".join(lines) + "\n"


def check_runtime_file(root: Path | None = None) -> list[str]:
    """Why ``requirements-runtime.txt`` is not current (empty when it is)."""
    root = Path(root or project_root())
    path = root / RUNTIME
    if not path.is_file():
        return [f"{RUNTIME} is missing: run python -m bentre.book.kit requirements"]
    if path.read_text(encoding="utf-8") != runtime_requirements(root):
        return [f"{RUNTIME} is not what requirements.txt and the notebooks give now: run "
                ".venv/bin/python -m bentre.book.kit requirements, and commit it"]
    return []


# --- the wheelhouse -------------------------------------------------------------------------

def _wheel_key(filename: str) -> tuple[str, str] | None:
    from packaging.utils import InvalidWheelFilename, parse_wheel_filename

    try:
        name, version, _, _ = parse_wheel_filename(filename)
    except InvalidWheelFilename:
        return None
    return canonical(name), str(version)


def download_command(requirements: Path, dest: Path) -> list[str]:
    """``pip download`` of exactly these pins (no dependency resolution: the set is closed)
    as wheels for CPython 3.11 on Linux x86_64, whatever machine runs it."""
    python = f"{PYTHON}.{sys.version_info.micro}" if sys.version_info[:2] == (3, 11) else PYTHON
    return [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps",
            "--only-binary=:all:", "--implementation", "cp", "--python-version", python,
            "--abi", ABI, *(f"--platform={p}" for p in MANYLINUX),
            "-r", str(requirements), "-d", str(dest)]


def wheelhouse(requirements: Path, cache: Path) -> tuple[Path, int]:
    """``cache`` holding one wheel for every pin of ``requirements`` and nothing else.
    Wheels already there are kept; only missing pins are downloaded. Returns the folder and
    how many wheels were downloaded."""
    wanted = {key: f"{name}=={version}" for key, (name, version) in pins(requirements).items()}
    cache.mkdir(parents=True, exist_ok=True)
    have = {}
    for wheel in cache.glob("*.whl"):
        key = _wheel_key(wheel.name)
        if key and key[0] in wanted and wanted[key[0]].split("==")[1] == key[1]:
            have[key[0]] = wheel
        else:
            wheel.unlink()  # a version no longer pinned
    missing = sorted(set(wanted) - set(have))
    if missing:
        with tempfile.TemporaryDirectory() as tmp:
            listing = Path(tmp) / "missing.txt"
            listing.write_text("\n".join(wanted[k] for k in missing) + "\n", encoding="utf-8")
            print(f"kit: downloading {len(missing)} wheel(s) for Linux x86_64, CPython "
                  f"{PYTHON}", flush=True)
            subprocess.run(download_command(listing, Path(tmp) / "wheels"), check=True)
            for wheel in (Path(tmp) / "wheels").glob("*"):
                shutil.move(str(wheel), cache / wheel.name)
    got = {k[0] for w in cache.glob("*.whl") if (k := _wheel_key(w.name))}
    if got != set(wanted) or len(list(cache.glob("*.whl"))) != len(wanted):
        raise RuntimeError(f"the wheelhouse does not match {requirements.name}: missing "
                           f"{sorted(set(wanted) - got)}")
    return cache, len(missing)


TEACHER_MODULES = ("assessed.py", "grade.py")  # bentre/book/: not in the kit's wheel


def build_wheel(root: Path, dest: Path) -> Path:
    """The ``bentre`` wheel, built from a clean copy of the sources (the tree gets no
    ``build/``), without network: setuptools from this environment."""
    dest.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "src"
        src.mkdir()
        for name in ("pyproject.toml", "README.md", *TERMS_FILES):
            if (root / name).is_file():
                shutil.copy2(root / name, src / name)
        # The assessed variants hold the solutions and compute every assessed answer, and
        # grading is the teacher's: neither goes to students.
        shutil.copytree(root / "bentre", src / "bentre",
                        ignore=shutil.ignore_patterns("__pycache__", "*.pyc", *TEACHER_MODULES))
        out = Path(tmp) / "wheel"
        done = subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps",
                               "--no-build-isolation", "--no-index", str(src), "-w", str(out)],
                              capture_output=True, text=True)
        if done.returncode:
            raise RuntimeError(f"building the bentre wheel failed:\n{done.stdout}{done.stderr}")
        [wheel] = out.glob("bentre-*.whl")
        with zipfile.ZipFile(wheel) as zf:
            inside = set(zf.namelist())
        catalogs = sorted(p.relative_to(root).as_posix()
                          for p in (root / "bentre" / "locale").glob("*/LC_MESSAGES/*.po"))
        lost = [c for c in catalogs if c not in inside]
        if lost:
            raise RuntimeError(f"the bentre wheel lacks its message catalogs {lost}: "
                               "pyproject.toml's package-data must list them")
        target = dest / wheel.name
        shutil.copy2(wheel, target)
    return target


def wheel_metadata(wheel: Path) -> dict[str, str]:
    with zipfile.ZipFile(wheel) as zf:
        name = next(n for n in zf.namelist() if n.endswith(".dist-info/METADATA"))
        text = zf.read(name).decode("utf-8", "replace").split("\n\n", 1)[0]
    meta = {}
    for line in text.splitlines():
        key, _, value = line.partition(": ")
        meta.setdefault(key, value)
    return meta


def platform_needs(wheels: list[Path]) -> dict[str, str]:
    """The oldest CPython 3.11 release and glibc that every wheel accepts."""
    from packaging.specifiers import SpecifierSet
    from packaging.utils import parse_wheel_filename

    micro = 0
    for wheel in wheels:
        spec = SpecifierSet(wheel_metadata(wheel).get("Requires-Python", ""))
        while f"{PYTHON}.{micro}" not in spec:
            micro += 1
            if micro > 50:
                raise RuntimeError(f"{wheel.name} accepts no CPython {PYTHON}")
    glibc = (2, 5)
    for wheel in wheels:
        needs = []
        for tag in parse_wheel_filename(wheel.name)[3]:
            m = re.match(r"manylinux_(\d+)_(\d+)_", tag.platform)
            legacy = tag.platform.split("_x86_64")[0]
            if m:
                needs.append((int(m[1]), int(m[2])))
            elif legacy in _LEGACY_GLIBC:
                needs.append(_LEGACY_GLIBC[legacy])
        if needs:
            glibc = max(glibc, min(needs))
    return {"python": f"{PYTHON}.{micro}", "glibc": f"{glibc[0]}.{glibc[1]}"}


# --- the student edition, made once per change of the sources --------------------------------

def edition_links(lang: str) -> dict[str, str]:
    """Where each other edition's ``book/`` is, relative to the ``book/`` of ``lang``, in
    the archive (:data:`EDITIONS`)."""
    import posixpath

    here = EDITIONS[lang] + "book"
    return {other: posixpath.relpath(folder + "book", here)
            for other, folder in EDITIONS.items() if other != lang}


def student_edition(root: Path, out: Path, lang: str = "en") -> Path:
    """The student edition in ``lang`` in ``out`` (``notebooks/``, ``html/``), made with
    :func:`bentre.book.student.make_edition` unless the sources are those it was made from.
    Its pages link to the other editions where the archive puts them."""
    from . import build, student

    stamp = out / ".sources"
    fingerprint = build.sources_fingerprint(root)
    current = (stamp.is_file() and stamp.read_text().strip() == fingerprint
               and (out / "html" / "index.html").is_file()
               and any((out / "notebooks").glob("*.ipynb")))
    if not current:
        stamp.unlink(missing_ok=True)
        print(f"kit: making the student edition in {lang} (notebooks and HTML)", flush=True)
        student.make_edition(out, lang=lang, editions=edition_links(lang))
        stamp.write_text(fingerprint + "\n")
    else:
        print(f"kit: the student edition in {lang} is current (sources unchanged)", flush=True)
    return out


# --- the teacher's README --------------------------------------------------------------------

MARKER = """\
# This file and data/datapackage.json mark this folder as the home of the data: the bentre
# package looks for both, from the folder a notebook runs in upwards (bentre.paths). It holds
# no settings. Keep it beside data/.
"""

START_LAB = """\
#!/bin/sh
# Start JupyterLab on this computer only (127.0.0.1), on the student notebooks, with the
# kernel "bentre". Stop it with Ctrl-C. Run from anywhere: ./start-lab.sh [FOLDER]
cd "$(dirname "$0")" || exit 1
exec .venv/bin/jupyter lab --ip 127.0.0.1 --notebook-dir "${1:-notebooks}" \\
  --MappingKernelManager.default_kernel_name=bentre \\
  --LabApp.news_url=None --LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate
"""


def readme(version: str, notebooks: list[str], n_wheels: int, needs: dict[str, str],
           cite: str, terms: list[str]) -> str:
    listing = "\n".join(f"  - `notebooks/{name}`" for name in notebooks)
    vi = EDITIONS["vi"]
    terms_lines = "\n".join(f"- {t}" for t in terms)
    return f"""\
# Bến Tre City, 2020: the classroom kit (student edition, version {version})

This folder is everything a computer room needs to read and run the student edition of the
book, with no network: the notebooks, the data, the book as web pages, and every Python
package they need, in English and in Vietnamese. It holds **no solutions**, in either
language: the teacher's edition stays with the teacher (see the end).

| what | where |
| --- | --- |
| the book, student edition (open in any browser, no server needed) | `book/index.html` |
| the student notebooks, one per chapter | `notebooks/` |
| the same in Vietnamese (bản tiếng Việt): the book and the notebooks | `{vi}book/index.html`, `{vi}notebooks/` |
| the data the notebooks read (keep it beside `notebooks/`) | `data/`, `_config.yml` |
| the packages, for an install without network | `wheelhouse/` ({n_wheels} wheels), `requirements-runtime.txt` |
| a launcher for JupyterLab | `start-lab.sh` |
| terms of reuse and how to cite | `LICENSE`, `LICENSE-CONTENT.md`, `CITATION.cff`, and below |

The notebooks (the Vietnamese ones have the same names, in `{vi}notebooks/`):

{listing}

## Which computers

The wheelhouse covers **Linux on x86_64 (64-bit Intel or AMD) with CPython {PYTHON}** only:
Python {needs['python']} or a later {PYTHON}.x release, and glibc {needs['glibc']} or newer
(`ldd --version` prints it; `python3.11 --version` the Python). It was
tested by installing it with the package index disabled and running every notebook, on Linux
x86_64 with CPython {PYTHON}. Windows and macOS rooms are not covered as shipped: see
"Windows and macOS" below.

## Install, once per computer (no network)

Copy this folder to the computer (USB stick or a shared drive), then in a terminal, inside it:

```bash
python3.11 -m venv .venv
.venv/bin/pip install --no-index --find-links wheelhouse -r requirements-runtime.txt bentre
.venv/bin/python -m ipykernel install --sys-prefix --name bentre --display-name "Python 3 (bentre)"
```

The first line makes a virtual environment in `.venv/`; the second installs from `wheelhouse/`
only (`--no-index`: pip never looks for a network); the third registers the notebooks' kernel,
`bentre`, inside `.venv/` (nothing is written to the user's home). It takes one to two minutes.
`.venv/bin/pip check` should then say "No broken requirements found."

## Start the lab

```bash
./start-lab.sh
```

or, the same by hand:

```bash
.venv/bin/jupyter lab --ip 127.0.0.1 --notebook-dir notebooks
```

JupyterLab prints an address with a token (`http://127.0.0.1:8888/lab?token=...`); open it in
the computer's browser. It listens on this computer only. Stop it with Ctrl-C in the terminal.
Open a notebook, choose Run > Run All Cells, and read it from the top. The numbers the text
quotes are written in; exercises appear as boxes (rendered by jupyterlab-myst, installed with
the lab). The book's web pages (`book/index.html`) show the same chapters without running
anything.

## English or Vietnamese

Both editions are the same chapters, with the same exercises and checks. The Vietnamese one is
in `{vi}notebooks/` (web pages: `{vi}book/index.html`; every page links to the same page in
the other language):

```bash
./start-lab.sh {vi}notebooks
```

Its text, tables, figures and numbers are in Vietnamese (`24.012`, `6,02%`), and so are the
check cells' answers: each Vietnamese notebook's first cell, hidden in the web pages, sets the
language (`bentre.i18n.set_language("vi")`) for everything the notebook runs after it. Run it
first (Run All Cells does).

Everything else the `bentre` package writes follows the environment variable
`BENTRE_LANG` (`en`, the default, or `vi`): a kernel started from a lab launched as
`BENTRE_LANG=vi ./start-lab.sh` writes Vietnamese in any notebook, and on the command line
`python -m bentre ... --lang vi` does the same for one command (for example
`.venv/bin/python -m bentre audit --lang vi`). The translations travel inside the `bentre`
package (`bentre/locale/vi/LC_MESSAGES/bentre.po`).

## Hand out and collect work

- **One student per computer.** The student works in `notebooks/` of that computer's copy.
- **Several students on one computer.** Give each a copy of the notebooks inside this folder,
  so that the notebooks still find `data/` (they look for it from their own folder upwards):

  ```bash
  mkdir -p work/an work/binh
  cp notebooks/*.ipynb work/an/
  cp notebooks/*.ipynb work/binh/
  ./start-lab.sh work/an
  ```

- **Exercises.** Each computing exercise has an empty answer cell (with a prompt naming the
  variable to assign) and, below it, a check cell. Running the check says "Correct" or "Not
  yet" with a hint; before an answer it says "No answer yet". The other exercises ask for a
  short written answer in a Markdown cell the student adds.
- **Collect.** Students save (Ctrl-S) and the saved `.ipynb` files are the work: copy each
  student's notebooks to a shared folder or a USB stick, one folder per student (for example
  `collected/an/`). To mark one, put it back under this folder (for example `work/an/`), open
  it in the lab and run all cells: the check cells say which computed answers are right.

Keep every copy of a notebook somewhere inside this folder: a notebook outside it cannot find
`data/` and stops with "no project root found".

## The teacher's edition is not here

The solutions, the model answers and the teacher's guide are in the teacher's edition: the
project itself (its `chapters/` notebooks and the book `make book` builds, with its PDF). The
teacher keeps it on their own computer; this kit is made from it by `make kit` and never
contains it. Do not copy the project's `chapters/` folder to students' computers.

## Windows and macOS

Not tested, so not claimed: the wheels here are for Linux only. On a computer **of the room's
platform** with network and Python {PYTHON} installed, inside this folder, add that platform's
wheels to the wheelhouse (pip picks the wheels for the computer it runs on, and adds the few
packages that only that platform needs):

- Windows (PowerShell or cmd):

  ```
  py -3.11 -m pip download -r requirements-runtime.txt -d wheelhouse
  ```

- macOS (Terminal):

  ```bash
  python3.11 -m pip download -r requirements-runtime.txt -d wheelhouse
  ```

Then install on the room's computers as above, with Windows paths
(`py -3.11 -m venv .venv`, then `.venv\\Scripts\\pip install --no-index --find-links wheelhouse
-r requirements-runtime.txt bentre`, `.venv\\Scripts\\python -m ipykernel install --sys-prefix
--name bentre --display-name "Python 3 (bentre)"` and `.venv\\Scripts\\jupyter lab --ip
127.0.0.1 --notebook-dir notebooks`); on macOS the commands are those for Linux. Try one
computer and run every notebook before the lesson.

## Terms of reuse and how to cite

{terms_lines}

Details: `LICENSE-CONTENT.md`. Cite as: {cite}
"""


# --- the archive ------------------------------------------------------------------------------

@dataclass
class Kit:
    archive: Path
    files: int
    bytes: int
    downloaded: int
    seconds: float


def _date_time() -> tuple[int, int, int, int, int, int]:
    epoch = max(int(os.environ.get("SOURCE_DATE_EPOCH") or 0), 315532800)  # zip: >= 1980
    return time.gmtime(epoch)[:6]


def _files(folder: Path) -> list[Path]:
    skip = {"__pycache__", ".ipynb_checkpoints"}
    return sorted(p for p in folder.rglob("*")
                  if p.is_file() and not skip & set(p.relative_to(folder).parts))


def build(root: Path | None = None, out: Path | None = None) -> Kit:
    """Write ``_build/kit/bentre-classroom-kit.zip`` (see the module docstring)."""
    from . import student

    start = time.monotonic()
    root = Path(root or project_root())
    out = Path(out or root / "_build" / "kit")
    stale = check_runtime_file(root)
    if stale:
        raise RuntimeError("\n".join(stale))
    # _build/kit/student (English: what the accessibility and grading tests read) and
    # _build/kit/vi/student, made for the archive's layout (their links to each other).
    editions = {lang: student_edition(root, out / folder / "student", lang)
                for lang, folder in EDITIONS.items()}
    edition = editions["en"]
    wheels, downloaded = wheelhouse(root / RUNTIME, out / "wheelhouse")
    own = build_wheel(root, out / "package")
    for old in (out / "package").glob("bentre-*.whl"):
        if old != own:
            old.unlink()
    all_wheels = sorted(wheels.glob("*.whl")) + [own]
    needs = platform_needs(all_wheels)
    notebooks = _files(edition / "notebooks")
    from . import terms

    meta = terms.citation(root)
    text = readme(meta["version"], [p.name for p in notebooks], len(all_wheels), needs,
                  terms.how_to_cite(meta).replace("*", ""), terms.terms(meta))

    entries: list[tuple[str, Path | bytes]] = [
        ("README.md", text.encode()),
        ("_config.yml", MARKER.encode()),
        ("start-lab.sh", START_LAB.encode()),
        (RUNTIME, (root / RUNTIME).read_bytes()),
    ]
    entries += [(name, root / name) for name in TERMS_FILES if (root / name).is_file()]
    entries += [(f"data/{p.relative_to(root / 'data').as_posix()}", p)
                for p in _files(root / "data")]
    for lang, folder in EDITIONS.items():
        made = editions[lang]
        entries += [(f"{folder}notebooks/{p.name}", p) for p in _files(made / "notebooks")]
        entries += [(f"{folder}book/{p.relative_to(made / 'html').as_posix()}", p)
                    for p in _files(made / "html")]
    entries += [(f"wheelhouse/{w.name}", w) for w in all_wheels]
    # The assessed exercises as nbgrader released them (no solution, no hidden test): made
    # once by `make assign` (bentre.book.grade), here if they are not there yet.
    from . import grade

    course = root / "_build" / "grading"
    if not grade.release_files(course):
        grade.assign(course)
    entries += grade.release_files(course)
    forbidden = [n for n, _ in entries if any(t.split("/")[-1] in n for t in
                                              student.TEACHER_ONLY) or n.endswith(".pdf")]
    if forbidden:
        raise RuntimeError(f"teacher-only files would enter the kit: {forbidden}")

    target = out / ARCHIVE
    partial = target.with_suffix(".zip.partial")
    stamp = _date_time()
    with zipfile.ZipFile(partial, "w") as zf:
        for name, content in sorted(entries, key=lambda e: e[0]):
            info = zipfile.ZipInfo(f"{KIT}/{name}", date_time=stamp)
            stored = name.endswith((".whl", ".png", ".jpg", ".woff", ".woff2", ".zip"))
            info.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
            info.external_attr = ((0o755 if name.endswith(".sh") else 0o644) << 16)
            data = content if isinstance(content, bytes) else content.read_bytes()
            zf.writestr(info, data)
    found = leaks(partial, root)
    if found:
        partial.unlink()
        raise RuntimeError("the kit would contain the teacher's material:\n  "
                           + "\n  ".join(found[:20]))
    partial.replace(target)
    return Kit(target, len(entries), target.stat().st_size, downloaded,
               time.monotonic() - start)


# --- no solution in the kit ---------------------------------------------------------------------

_ROLE = re.compile(r"\{glue(?::\w+)?\}`[^`]*`")
_OTHER_ROLE = re.compile(r"\{[\w:-]+\}`([^`<]*?)(?:\s*<[^>]*>)?`")
_FENCE = re.compile(r"^\s*(`{3,}|~{3,}|:{3,})\s*(\{[\w:-]+\})?")
MIN_CODE = 20      # shorter code lines are too common to be evidence
MIN_PROSE = 40     # shorter prose fragments too


def normalize(text: str) -> str:
    """Text as a reader sees it, for comparing a notebook, a page and a source: MyST roles
    reduced to their text, emphasis marks dropped, quotes straightened, spaces collapsed."""
    text = _OTHER_ROLE.sub(r"\1", text)
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", text)  # a link: its text
    text = re.sub(r"\*{1,2}|(?<!\w)_|_(?!\w)|`", "", text)
    for curly, plain in (("“", '"'), ("”", '"'), ("‘", "'"), ("’", "'"), ("\u00a0", " ")):
        text = text.replace(curly, plain)
    return re.sub(r"\s+", " ", text).strip()


def _solution_markdown(source: str, gated: bool) -> tuple[list[str], list[str], bool]:
    """A markdown cell split into (solution lines, other lines), and whether it ends inside a
    gated solution. Independent of bentre.book.student: the test must not trust it."""
    lines = source.split("\n")
    secret, public = [], []
    i = 0
    while i < len(lines):
        m = _FENCE.match(lines[i])
        name = m[2] if m else None
        if name in ("{solution-start}", "{solution-end}"):
            fence = m[1]
            end = i + 1
            while end < len(lines) and not lines[end].strip().startswith(fence):
                end += 1
            gated = name == "{solution-start}"
            i = end + 1
            continue
        if name == "{solution}":
            fence = m[1]
            end = i + 1
            while end < len(lines) and lines[end].strip() != fence:
                end += 1
            secret += [line for line in lines[i + 1:end] if not line.startswith(":")]
            i = end + 1
            continue
        (secret if gated else public).append(lines[i])
        i += 1
    return secret, public, gated


def _prose_fragments(lines: list[str]) -> list[str]:
    """Sentences (or pieces between glued values) of solution prose, long enough to be
    evidence."""
    text = _ROLE.sub("\0", "\n".join(lines))
    found = []
    for piece in re.split(r"\0|(?<=[.!?:;])\s|\n\s*\n|\n\s*[-*] ", text):
        piece = normalize(re.sub(r"^\s*(?:[-*+>]|\d+\.|#+)\s+", "", piece))
        if len(piece) >= MIN_PROSE and not piece.startswith(("```", "~~~")):
            found.append(piece)
    return found


def teacher_material(root: Path | None = None) -> dict[str, list[str]]:
    """``source -> fragments`` that only the teacher's edition holds: the distinctive lines of
    every solution cell (its leading comment, the student's prompt, aside), the sentences of
    every ``solution`` directive and gated span, and of the teacher's guide, in English and
    in each other edition's language (their translations in the book's catalogs: the
    Vietnamese student edition must not carry them either). A fragment that also appears in
    the chapters outside their solutions, or in bentre's code (or their translations), is
    not distinctive and is left out."""
    import nbformat

    from .student import SOLUTION_TAG, TEACHER_ONLY

    root = Path(root or project_root())
    secret: dict[str, tuple[list[str], list[str]]] = {}  # source -> (code lines, prose)
    public = []
    shown_markdown: dict[str, list[str]] = {}  # source -> its Markdown outside solutions
    hidden_markdown: dict[str, list[str]] = {}  # source -> its solutions' Markdown, by cell
    for path in sorted((root / "chapters").glob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        code, prose, gated = [], [], False
        for cell in nb.cells:
            if cell.cell_type == "markdown":
                hidden, shown, gated = _solution_markdown(cell.source, gated)
                prose += hidden
                public.append("\n".join(shown))
                hidden_markdown.setdefault(path.relative_to(root).as_posix(), []).append(
                    "\n".join(hidden))
                shown_markdown.setdefault(path.relative_to(root).as_posix(), []).append(
                    "\n".join(shown))
            elif SOLUTION_TAG in cell.metadata.get("tags", []):
                lines = cell.source.split("\n")
                while lines and lines[0].lstrip().startswith("#"):
                    public.append(lines.pop(0))  # the prompt the student sees
                code += lines
            else:
                public.append(cell.source)
        secret[path.relative_to(root).as_posix()] = (code, prose)
    for page in TEACHER_ONLY:
        path = root / (page + ".md")
        if path.is_file():
            secret[path.relative_to(root).as_posix()] = ([], path.read_text("utf-8").split("\n"))
    teacher_pages = {root / (page + ".md") for page in TEACHER_ONLY}
    for path in ([p for p in sorted((root / "bentre").rglob("*.py"))
                  if p.name not in TEACHER_MODULES] + sorted(root.glob("*.md"))
                 + sorted(set((root / "chapters").glob("*.md")) - teacher_pages)):
        public.append(path.read_text(encoding="utf-8"))
    # The assessed questions and their setup are handed out by design (the released
    # notebooks); their solutions and answers (the rest of assessed.py) are not.
    from . import assessed

    public += [assessed.prompt(v) for v in assessed.VARIANTS]
    public += [assessed.setup_code(chapter) for chapter in assessed.chapters()]
    # What this module writes into the kit itself (the README, the marker, the launcher).
    public += [readme("", [], 0, {"python": "", "glibc": ""}, "", []), MARKER, START_LAB]
    for page in TEACHER_ONLY:
        if (root / (page + ".md")).is_file():
            hidden_markdown[page + ".md"] = [(root / (page + ".md")).read_text("utf-8")]
    translated = _translated_material(root, hidden_markdown, shown_markdown)
    for source, prose in translated["secret"].items():
        secret.setdefault(source, ([], []))[1].extend(prose)
    public += translated["public"]
    shown = normalize("\n".join(public))
    material = {}
    for source, (code, prose) in secret.items():
        fragments = [normalize(line) for line in code
                     if len(line.strip()) >= MIN_CODE and not line.strip().startswith("#")]
        fragments += [normalize(line) for line in code if line.strip().startswith("#")
                      and len(line.strip()) >= MIN_PROSE]
        fragments += _prose_fragments(prose)
        material[source] = sorted({f for f in fragments if f not in shown})
    return material


def _translated_material(root: Path, hidden_markdown: dict[str, list[str]],
                         shown_markdown: dict[str, list[str]]) -> dict:
    """The teacher's prose (``hidden_markdown``) and the public Markdown in every other edition's
    language, from the book's catalogs (:mod:`bentre.book.notebook_i18n`; a block without a
    translation stays in English, already searched for), and the package's translated
    messages (public, like its code)."""
    from babel.messages.pofile import read_po

    from .. import i18n
    from . import notebook_i18n

    out: dict = {"secret": {}, "public": []}
    for lang in i18n.LANGUAGES:
        if lang == i18n.SOURCE_LANGUAGE:
            continue
        for source, cells in hidden_markdown.items():
            catalog = notebook_i18n.load_catalog(source.rsplit(".", 1)[0], lang, root)
            if not catalog.messages:
                continue
            text = "\n\n".join(notebook_i18n.translate_markdown(cell, lang, catalog).text
                               for cell in cells)
            if source.endswith(".md"):  # a teacher-only page: every message of it
                text += "\n" + "\n".join(catalog.messages.values())
            out["secret"].setdefault(source, []).extend(text.split("\n"))
        for source, cells in shown_markdown.items():
            catalog = notebook_i18n.load_catalog(source.rsplit(".", 1)[0], lang, root)
            out["public"] += [notebook_i18n.translate_markdown(text, lang, catalog).text
                              for text in cells]
        for page in sorted(root.glob("*.md")):
            catalog = notebook_i18n.load_catalog(page.stem, lang, root)
            out["public"].append(notebook_i18n.translate_markdown(
                page.read_text(encoding="utf-8"), lang, catalog).text)
        package = root / "bentre" / "locale" / lang / "LC_MESSAGES" / "bentre.po"
        if package.is_file():
            with package.open("rb") as handle:
                out["public"] += [m.string for m in read_po(handle, locale=lang)
                                  if isinstance(m.string, str) and m.string]
    return out


def readable_text(name: str, data: bytes) -> str | None:
    """What a file of the archive says, as text (``None`` for binary files): HTML without its
    tags, a notebook's sources and text outputs."""
    if b"\0" in data[:4096]:
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    if name.endswith((".html", ".htm")):
        parts: list[str] = []

        class Parser(html.parser.HTMLParser):
            def handle_data(self, chunk):
                parts.append(chunk)

        Parser(convert_charrefs=True).feed(text)
        text = " ".join(parts) + "\n" + text
    elif name.endswith(".ipynb"):
        try:
            nb = json.loads(text)
        except ValueError:
            return text
        parts = []
        for cell in nb.get("cells", []):
            parts.append("".join(cell.get("source", "")))
            for output in cell.get("outputs", []):
                parts.append("".join(output.get("text", "")))
                for mime, value in output.get("data", {}).items():
                    if mime.startswith("text") or mime.endswith("json"):
                        parts.append(value if isinstance(value, str) else "".join(value)
                                     if isinstance(value, list) else json.dumps(value))
        text = "\n".join(parts)
    return normalize(text)


def archive_texts(archive: Path):
    """``(name, text)`` of every text file in the archive, including those inside the
    ``bentre`` wheel (third-party wheels are other people's code and are not opened)."""
    with zipfile.ZipFile(archive) as zf:
        for name in zf.namelist():
            data = zf.read(name)
            if name.endswith(".whl"):
                if Path(name).name.startswith("bentre-"):
                    with zipfile.ZipFile(io.BytesIO(data)) as inner:
                        for sub in inner.namelist():
                            text = readable_text(sub, inner.read(sub))
                            if text is not None:
                                yield f"{name}!{sub}", text
                continue
            text = readable_text(name, data)
            if text is not None:
                yield name, text


def leaks(archive: Path, root: Path | None = None) -> list[str]:
    """Every place in the archive where the teacher's material appears: a fragment of
    :func:`teacher_material`, a teacher-only page, a PDF."""
    from .student import TEACHER_ONLY

    material = teacher_material(root)
    found = []
    with zipfile.ZipFile(archive) as zf:
        names = zf.namelist()
    for name in names:
        if name.lower().endswith(".pdf") or any(Path(p).name in name for p in TEACHER_ONLY):
            found.append(f"{name}: a teacher-only file")
    for name, text in archive_texts(archive):
        for source, fragments in material.items():
            for fragment in fragments:
                if fragment in text:
                    found.append(f"{name}: from {source}: {fragment[:80]!r}")
    return found


# --- command line ------------------------------------------------------------------------------

def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bentre.book.kit",
                                     description="the offline classroom kit")
    sub = parser.add_subparsers(dest="command", required=True)
    req = sub.add_parser("requirements", help=f"write {RUNTIME} (the runtime set)")
    req.add_argument("--check", action="store_true", help="only say whether it is current")
    sub.add_parser("build", help=f"write _build/kit/{ARCHIVE}")
    scan = sub.add_parser("scan", help="list the teacher's material found in an archive")
    scan.add_argument("archive")
    args = parser.parse_args(argv)
    root = project_root()
    if args.command == "requirements":
        if args.check:
            stale = check_runtime_file(root)
            for line in stale:
                print(line, file=sys.stderr)
            return 1 if stale else 0
        text = runtime_requirements(root)
        (root / RUNTIME).write_text(text, encoding="utf-8")
        print(f"{RUNTIME}: {sum(1 for l in text.splitlines() if '==' in l)} pins")
        return 0
    if args.command == "scan":
        found = leaks(Path(args.archive), root)
        print("\n".join(found) or "no teacher's material found")
        return 1 if found else 0
    kit = build(root)
    print(f"kit: {kit.archive.relative_to(root)} ({kit.bytes / 2**20:.1f} MiB, {kit.files} "
          f"files; {kit.downloaded} wheel(s) downloaded) in {kit.seconds:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
