"""Executing the notebooks, and keeping the book's execution cache honest.

Jupyter-book's cache re-executes a notebook only when the notebook's code changes. Our
notebooks read ``data/`` and call ``bentre/``, so the cache is keyed here on those too: a
fingerprint of their contents, stored beside the cache; when it differs, the cache goes.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

from ..paths import build_dir, chapters_dir, project_root

CACHE = ".jupyter_cache"  # must match execute.execution_cache_path in _config.yml
FINGERPRINT = ".jupyter_cache.inputs"
# Sphinx's record of which pages are up to date: it knows nothing of data/, so without this
# going too an incremental build would keep every page made from the old data.
DOCTREES = ".doctrees"
# What a notebook's output depends on besides its own code.
INPUTS = ("data", "bentre", "requirements.txt", "pyproject.toml")


def input_files(root: Path | None = None) -> list[Path]:
    root = root or project_root()
    files = []
    for name in INPUTS:
        path = root / name
        if path.is_file():
            files.append(path)
        elif path.is_dir():
            files += [p for p in path.rglob("*")
                      if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc"]
    return sorted(files)


def fingerprint(root: Path | None = None) -> str:
    root = root or project_root()
    digest = hashlib.sha256()
    for path in input_files(root):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def cache_guard(root: Path | None = None) -> tuple[bool, str]:
    """Drop the execution cache, and Sphinx's record of up-to-date pages, if the inputs
    changed since they were made, so that every notebook runs again. Returns (dropped,
    fingerprint)."""
    root = root or project_root()
    build = root / "_build"
    cache, stamp = build / CACHE, build / FINGERPRINT
    current = fingerprint(root)
    previous = stamp.read_text().strip() if stamp.is_file() else None
    dropped = False
    if previous != current:
        if cache.exists():
            shutil.rmtree(cache)
            dropped = True
        shutil.rmtree(build / DOCTREES, ignore_errors=True)
        build.mkdir(parents=True, exist_ok=True)
        stamp.write_text(current + "\n")
    return dropped, current


# --- is the HTML up to date? -----------------------------------------------------------------
# Sphinx finds out that nothing changed only after importing every extension (about 3 s here),
# and `make html` validates the data first (2 s more). A hash of every file the book is made
# from, recorded after a successful build, answers in a tenth of a second.

HTML_STAMP = ".html.sources"
NOT_BOOK_SOURCES = {".git", "_build", ".venv", "tests", "scripts", ".ruff_cache", "node_modules",
                    ".pytest_cache", ".hypothesis"}


def book_sources(root: Path | None = None) -> list[Path]:
    """Every file the HTML may depend on: the whole project but its builds, caches, tools
    and tests (chapters, text, configuration, data, code, requirements, Makefile)."""
    root = root or project_root()
    files = []
    for folder, dirnames, filenames in os.walk(root):
        top = Path(folder) == root
        dirnames[:] = [d for d in dirnames
                       if d not in ("__pycache__", ".ipynb_checkpoints")
                       and not d.endswith(".egg-info")
                       and not (top and d in NOT_BOOK_SOURCES)]
        files += [Path(folder) / f for f in filenames if not f.endswith(".pyc")]
    return sorted(files)


def sources_fingerprint(root: Path | None = None) -> str:
    root = root or project_root()
    digest = hashlib.sha256()
    for path in book_sources(root):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def html_is_current(root: Path | None = None) -> bool:
    """True if the HTML was built successfully from exactly the sources there are now."""
    root = root or project_root()
    stamp = root / "_build" / HTML_STAMP
    return ((root / "_build" / "html" / "index.html").is_file() and stamp.is_file()
            and stamp.read_text().strip() == sources_fingerprint(root))


def record_html_sources(root: Path | None = None) -> None:
    root = root or project_root()
    (root / "_build").mkdir(exist_ok=True)
    (root / "_build" / HTML_STAMP).write_text(sources_fingerprint(root) + "\n")


# A working copy of the project as a fresh clone would have it (plus uncommitted edits), for
# the benchmark and the end-to-end tests: no VCS, builds, venv or caches.
NOT_COPIED = {".git", "_build", ".venv", ".ruff_cache", ".pytest_cache", ".hypothesis",
              "node_modules"}


def copy_project(target: Path, root: Path | None = None) -> Path:
    root = Path(root or project_root())

    def ignore(folder, names):
        skipped = {n for n in names if n in ("__pycache__", ".ipynb_checkpoints")
                   or n.endswith(".egg-info")}
        if Path(folder) == root:
            skipped |= NOT_COPIED & set(names)
        return skipped

    shutil.copytree(root, target, ignore=ignore, symlinks=True)
    return Path(target)


def chapter_notebooks() -> list[Path]:
    return sorted(chapters_dir().glob("*.ipynb"))


def execute_notebook(path: Path, timeout: int = 600) -> None:
    """Run one notebook in its own folder and store its outputs, with no volatile
    metadata (timings), so that an unchanged notebook re-executes to identical bytes."""
    import nbformat
    from nbclient import NotebookClient

    path = Path(path).resolve()
    nb = nbformat.read(path, as_version=4)
    # coalesce_streams: a print reaches the notebook as one output however the kernel
    # happened to split it into messages (under load it may send "text" and "\n" apart).
    # The notebook's own kernel (the project's, `bentre`): the one nbval, the book and the lab run.
    client = NotebookClient(nb, timeout=timeout,
                            kernel_name=nb.metadata.get("kernelspec", {}).get("name", "bentre"),
                            record_timing=False, coalesce_streams=True,
                            resources={"metadata": {"path": str(path.parent)}})
    client.execute()
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
    nbformat.validate(nb)
    text = nbformat.writes(nb) + "\n"
    if not path.is_file() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")


def book_notebooks(root: Path | None = None) -> list[Path]:
    """The notebooks of ``_toc.yml``, in reading order."""
    from sphinx_external_toc.parsing import parse_toc_yaml

    root = root or project_root()
    docs = parse_toc_yaml(str(root / "_toc.yml"))
    return [root / f"{doc}.ipynb" for doc in docs if (root / f"{doc}.ipynb").is_file()]


def fill_cache(root: Path | None = None, timeout: int = 300) -> tuple[list[str], list[str]]:
    """Execute every notebook of the book that the execution cache lacks, one per core at
    once (jupyter-cache's ``local-parallel`` executor, in the notebook's own folder), into
    the cache the build reads. The build then executes nothing: done one after the other
    inside Sphinx, the same work takes about twice as long on two cores. A notebook that
    fails is left out of the cache; the build runs it again and reports why.
    Returns (executed, failed) paths."""
    from jupyter_cache import get_cache
    from jupyter_cache.executors import load_executor

    root = root or project_root()
    cache = get_cache(str(root / "_build" / CACHE))
    for notebook in book_notebooks(root):
        cache.add_nb_to_project(str(notebook))
    result = load_executor("local-parallel", cache=cache).run_and_cache(timeout=timeout)
    return result.succeeded, result.excepted + result.errored


def execute_notebooks(paths: list[Path] | None = None) -> list[Path]:
    done = []
    for path in paths or chapter_notebooks():
        execute_notebook(Path(path))
        done.append(Path(path))
    return done


def clean(root: Path | None = None) -> None:
    shutil.rmtree((root or project_root()) / "_build", ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    """``python -m bentre.book.build html-current`` exits 0 if the HTML is up to date, else 1;
    ``python -m bentre.book.build html-built`` records the sources of a successful build;
    ``python -m bentre.book.build fill-cache`` executes what the execution cache lacks, in parallel.
    (Kept apart from ``python -m bentre``, which imports pandas for every command.)"""
    import sys

    command = (argv if argv is not None else sys.argv[1:]) or [""]
    if command[0] == "html-current":
        return 0 if html_is_current() else 1
    if command[0] == "html-built":
        record_html_sources()
        return 0
    if command[0] == "fill-cache":
        from ..paths import relative

        executed, failed = fill_cache()
        for path in executed:
            print(f"{relative(Path(path))}: executed into the cache")
        for path in failed:
            print(f"{relative(Path(path))}: failed (the build runs it again and shows why)")
        print(f"execution cache: {len(executed)} notebook(s) executed, {len(failed)} failed")
        return 0
    print("usage: python -m bentre.book.build html-current | html-built | fill-cache",
          file=sys.stderr)
    return 2


if __name__ == "__main__":
    raise SystemExit(main())
