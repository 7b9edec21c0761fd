"""The one way to find the project root and its folders.

A notebook, a test or a script may run from ``chapters/``, ``tests/``, the root or a copy of
the project elsewhere; none of them spells a relative path. The root is, in order:
the ``BENTRE_ROOT`` environment variable; the nearest folder at or above the current
directory that holds ``data/datapackage.json`` and ``_config.yml``; the folder that holds
this package.
"""

from __future__ import annotations

import os
from pathlib import Path

_MARKERS = ("data/datapackage.json", "_config.yml")


def _is_root(folder: Path) -> bool:
    return all((folder / m).is_file() for m in _MARKERS)


def project_root() -> Path:
    env = os.environ.get("BENTRE_ROOT")
    if env:
        root = Path(env).resolve()
        if not _is_root(root):
            raise FileNotFoundError(
                f"BENTRE_ROOT={env!r} is not a project root (needs {', '.join(_MARKERS)})"
            )
        return root
    here = Path.cwd().resolve()
    for folder in (here, *here.parents):
        if _is_root(folder):
            return folder
    package_parent = Path(__file__).resolve().parent.parent
    if _is_root(package_parent):
        return package_parent
    raise FileNotFoundError(
        f"no project root found from {here} or {package_parent} (needs {', '.join(_MARKERS)})"
    )


def data_dir() -> Path:
    return project_root() / "data"


def chapters_dir() -> Path:
    return project_root() / "chapters"


def build_dir() -> Path:
    return project_root() / "_build"


def relative(path: Path) -> str:
    """A path as the reader should see it in a message: relative to the root if inside it."""
    path = Path(path).resolve()
    try:
        return path.relative_to(project_root()).as_posix()
    except ValueError:
        return str(path)
