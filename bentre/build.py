"""Executing the notebooks, and keeping the book's execution cache honest.

Jupyter-book's cache re-executes a notebook only when the notebook's code changes. Our
notebooks read ``data/`` and call ``bentre/``, so the cache is keyed here on those too: a
fingerprint of their contents, stored beside the cache; when it differs, the cache goes.
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

from .paths import build_dir, chapters_dir, project_root

CACHE = ".jupyter_cache"  # must match execute.execution_cache_path in _config.yml
FINGERPRINT = ".jupyter_cache.inputs"
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
    """Drop the execution cache if the inputs changed since it was filled.
    Returns (dropped, fingerprint)."""
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
        build.mkdir(parents=True, exist_ok=True)
        stamp.write_text(current + "\n")
    return dropped, current


def chapter_notebooks() -> list[Path]:
    return sorted(chapters_dir().glob("*.ipynb"))


def execute_notebook(path: Path, timeout: int = 600) -> None:
    """Run one notebook in its own folder and store its outputs, with no volatile
    metadata (timings), so that an unchanged notebook re-executes to identical bytes."""
    import nbformat
    from nbclient import NotebookClient

    path = Path(path).resolve()
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, timeout=timeout, kernel_name="python3",
                            record_timing=False,
                            resources={"metadata": {"path": str(path.parent)}})
    client.execute()
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
    nbformat.validate(nb)
    text = nbformat.writes(nb) + "\n"
    if not path.is_file() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")


def execute_notebooks(paths: list[Path] | None = None) -> list[Path]:
    done = []
    for path in paths or chapter_notebooks():
        execute_notebook(Path(path))
        done.append(Path(path))
    return done


def clean(root: Path | None = None) -> None:
    shutil.rmtree((root or project_root()) / "_build", ignore_errors=True)
