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

from ..i18n import ENV as LANGUAGE_ENV
from ..i18n import LANGUAGES, SOURCE_LANGUAGE, check_language, language
from ..paths import build_dir, chapters_dir, project_root

CACHE = ".jupyter_cache"  # must match execute.execution_cache_path in _config.yml
FINGERPRINT = ".jupyter_cache.inputs"
# Sphinx's record of which pages are up to date: it knows nothing of data/, so without this
# going too an incremental build would keep every page made from the old data.
DOCTREES = ".doctrees"
DOCTREES_LATEX = ".doctrees-latex"  # the LaTeX build's own (bentre.book.build.sphinx_build)
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
                      if p.is_file() and "__pycache__" not in p.parts
                      and p.suffix not in (".pyc", ".mo") and p.name != ".lock"]
    return sorted(files)


def fingerprint(root: Path | None = None) -> str:
    root = root or project_root()
    digest = hashlib.sha256()
    for path in input_files(root):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


# --- the editions ----------------------------------------------------------------------------
# One set of sources, one build folder per language: the English edition in _build/ (html/,
# latex/, its execution cache and doctrees), each other in _build/<lang>/, with its own
# execution cache, since the notebooks print in the language they are executed in.


def edition_dir(lang: str | None = None, root: Path | None = None) -> Path:
    lang = check_language(lang or language(), "language")
    build = (root or project_root()) / "_build"
    return build if lang == SOURCE_LANGUAGE else build / lang


def edition_config(lang: str, root: Path | None = None) -> dict:
    """Sphinx settings of the edition in ``lang`` beyond ``_config.yml``: its language, its
    execution cache and ``_config.<lang>.yml`` (the translated title, LaTeX language...)."""
    import yaml

    root = root or project_root()
    folder = edition_dir(lang, root)
    config = {"language": lang, "nb_execution_cache_path": str(folder / CACHE),
              "nitpicky": True, "latex_individualpages": False}
    extra = root / f"_config.{lang}.yml"
    if extra.is_file():
        config.update(yaml.safe_load(extra.read_text(encoding="utf-8")) or {})
    return config


SPHINX_BUILDERS = {"html": "html", "pdflatex": "latex", "latex": "latex", "gettext": "gettext"}


def sphinx_build(lang: str, builder: str = "html", force_all: bool = False,
                 root: Path | None = None, strict: bool = True) -> int:
    """jupyter-book's build (its Sphinx configuration from ``_config.yml`` and ``_toc.yml``)
    of one edition into ``edition_dir(lang)/<builder>``, with warnings as errors and
    ``--keep-going`` (``-W -n --keep-going``); ``pdflatex`` then runs LaTeX (latexmk, as
    jupyter-book does). The kernels inherit ``BENTRE_LANG``. Returns the exit status."""
    import subprocess

    from jupyter_book.sphinx import build_sphinx

    root = Path(root or project_root())
    lang = check_language(lang, "language")
    folder = edition_dir(lang, root)
    outdir = folder / ("latex" if SPHINX_BUILDERS[builder] == "latex" else builder)
    overrides = edition_config(lang, root)
    # Each builder its own environment: an HTML build must not depend on whether the LaTeX
    # build read the pages before it (a translation or a title read for LaTeX would leave
    # the HTML of those pages unwritten or different).
    doctrees = folder / (DOCTREES if SPHINX_BUILDERS[builder] == "html" else DOCTREES_LATEX)
    if builder == "gettext":
        # The catalogs' templates: no execution (outputs are not prose), its own doctrees
        # (an environment is tied to one builder).
        overrides["nb_execution_mode"] = "off"
        outdir, doctrees = root / "_build" / "gettext", root / "_build" / "gettext" / DOCTREES
    if builder == "pdflatex":
        # latexmk runs on every .tex of the folder: stale ones go (Sphinx writes ours anew).
        for stale in outdir.glob("*.tex"):
            stale.unlink()
    previous = os.environ.get(LANGUAGE_ENV)
    os.environ[LANGUAGE_ENV] = lang
    try:
        result = build_sphinx(str(root), str(outdir), doctreedir=str(doctrees), noconfig=True,
                              path_config=str(root / "_config.yml"), confoverrides=overrides,
                              builder=SPHINX_BUILDERS[builder], force_all=force_all,
                              warningiserror=strict, keep_going=strict)
        status = result if isinstance(result, int) else 1
        if status == 0 and builder == "pdflatex":
            status = subprocess.run(["make", "all-pdf"], cwd=outdir).returncode
        return status
    finally:
        if previous is None:
            os.environ.pop(LANGUAGE_ENV, None)
        else:
            os.environ[LANGUAGE_ENV] = previous


def cache_guard(root: Path | None = None, lang: str | None = None) -> tuple[bool, str]:
    """Drop the execution cache of the edition in ``lang``, and Sphinx's record of
    up-to-date pages, if the inputs changed since they were made, so that every notebook
    runs again. Returns (dropped, fingerprint)."""
    root = root or project_root()
    build = edition_dir(lang, root)
    cache, stamp = build / CACHE, build / FINGERPRINT
    current = fingerprint(root)
    previous = stamp.read_text().strip() if stamp.is_file() else None
    dropped = False
    if previous != current:
        if cache.exists():
            shutil.rmtree(cache)
            dropped = True
        for doctrees in (DOCTREES, DOCTREES_LATEX):
            shutil.rmtree(build / doctrees, ignore_errors=True)
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
        # Compiled catalogs (.mo) are made by the build itself from the .po files it reads.
        files += [Path(folder) / f for f in filenames if not f.endswith((".pyc", ".mo"))]
    return sorted(files)


def sources_fingerprint(root: Path | None = None) -> str:
    root = root or project_root()
    digest = hashlib.sha256()
    for path in book_sources(root):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


PDF_STAMP = ".pdf.sources"


def html_is_current(root: Path | None = None, lang: str | None = None) -> bool:
    """True if the edition's HTML was built successfully (warnings as errors) from exactly
    the sources there are now."""
    root = root or project_root()
    folder = edition_dir(lang, root)
    stamp = folder / HTML_STAMP
    return ((folder / "html" / "index.html").is_file() and stamp.is_file()
            and stamp.read_text().strip() == sources_fingerprint(root))


def record_html_sources(root: Path | None = None, lang: str | None = None) -> None:
    root = root or project_root()
    folder = edition_dir(lang, root)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / HTML_STAMP).write_text(sources_fingerprint(root) + "\n")


def pdf_is_current(root: Path | None = None, lang: str | None = None) -> bool:
    """True if the edition's PDF was built and checked from exactly the sources there are
    now (the PDF file itself, too, is as that build left it)."""
    from .pdf import pdf_path

    root = root or project_root()
    stamp = edition_dir(lang, root) / PDF_STAMP
    pdf = pdf_path(root, check_language(lang or language(), "language"))
    return (pdf.is_file() and stamp.is_file()
            and stamp.read_text().strip() == _pdf_fingerprint(root, pdf))


def record_pdf_sources(root: Path | None = None, lang: str | None = None) -> None:
    from .pdf import pdf_path

    root = root or project_root()
    pdf = pdf_path(root, check_language(lang or language(), "language"))
    (edition_dir(lang, root) / PDF_STAMP).write_text(_pdf_fingerprint(root, pdf) + "\n")


def _pdf_fingerprint(root: Path, pdf: Path) -> str:
    return sources_fingerprint(root) + ":" + hashlib.sha256(pdf.read_bytes()).hexdigest()


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


def fill_cache(root: Path | None = None, timeout: int = 300,
               lang: str | None = None) -> tuple[list[str], list[str]]:
    """Execute every notebook of the book that the execution cache lacks, one per core at
    once (jupyter-cache's ``local-parallel`` executor, in the notebook's own folder), into
    the cache the build reads. The build then executes nothing: done one after the other
    inside Sphinx, the same work takes about twice as long on two cores. A notebook that
    fails is left out of the cache; the build runs it again and reports why.
    Returns (executed, failed) paths."""
    from jupyter_cache import get_cache
    from jupyter_cache.executors import load_executor

    root = root or project_root()
    lang = check_language(lang or language(), "language")
    cache = get_cache(str(edition_dir(lang, root) / CACHE))
    for notebook in book_notebooks(root):
        cache.add_nb_to_project(str(notebook))
    previous = os.environ.get(LANGUAGE_ENV)
    os.environ[LANGUAGE_ENV] = lang  # the kernels execute in the edition's language
    try:
        result = load_executor("local-parallel", cache=cache).run_and_cache(timeout=timeout)
    finally:
        if previous is None:
            os.environ.pop(LANGUAGE_ENV, None)
        else:
            os.environ[LANGUAGE_ENV] = previous
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
    """``python -m bentre.book.build [--lang L] VERB`` for the edition in ``L`` (default
    ``BENTRE_LANG``, else English):

    - ``html-current`` exits 0 if the edition's HTML is up to date, else 1;
    - ``html-built`` records the sources of a successful build;
    - ``pdf-current`` and ``pdf-built``: the same for the edition's PDF (built and checked);
    - ``cache-guard`` drops the edition's execution cache if ``data/`` or ``bentre/`` changed;
    - ``fill-cache`` executes what the edition's execution cache lacks, in parallel;
    - ``sphinx BUILDER [--all]`` builds the edition (``html``, ``pdflatex``; ``gettext``
      writes the prose catalogs' templates into ``_build/gettext``).

    (Kept apart from ``python -m bentre``, which imports pandas for every command.)"""
    import argparse

    parser = argparse.ArgumentParser(prog="python -m bentre.book.build")
    parser.add_argument("--lang", choices=LANGUAGES, default=None)
    parser.add_argument("verb", choices=["html-current", "html-built", "pdf-current",
                                         "pdf-built", "cache-guard", "fill-cache", "sphinx"])
    parser.add_argument("builder", nargs="?", choices=sorted(SPHINX_BUILDERS), default="html")
    parser.add_argument("--all", action="store_true", help="write every page, not only changed ones")
    args = parser.parse_args(argv)
    lang = check_language(args.lang or language(), "language")
    if args.verb == "html-current":
        return 0 if html_is_current(lang=lang) else 1
    if args.verb == "html-built":
        record_html_sources(lang=lang)
        return 0
    if args.verb == "pdf-current":
        return 0 if pdf_is_current(lang=lang) else 1
    if args.verb == "pdf-built":
        record_pdf_sources(lang=lang)
        return 0
    if args.verb == "sphinx":
        return sphinx_build(lang, args.builder, force_all=args.all)
    if args.verb == "cache-guard":
        dropped, _ = cache_guard(lang=lang)
        print(f"execution cache ({lang}): "
              + ("inputs changed, dropped" if dropped else "kept (inputs unchanged)"))
        return 0
    from ..paths import relative

    executed, failed = fill_cache(lang=lang)
    for path in executed:
        print(f"{relative(Path(path))}: executed into the {lang} cache")
    for path in failed:
        print(f"{relative(Path(path))}: failed (the build runs it again and shows why)")
    print(f"execution cache ({lang}): {len(executed)} notebook(s) executed, {len(failed)} failed")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
