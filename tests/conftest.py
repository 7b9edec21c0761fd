"""Shared fixtures: a throw-away copy of the project, and helpers to corrupt its tables.

Every test that changes a file works on a copy in ``tmp_path`` with ``BENTRE_ROOT``
pointing at it, so the real ``data/`` is never touched. Line numbers of corrupted rows
are found here by reading the file's physical lines, not by asking ``bentre``.
"""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
ARTICLE = "data/source/000_d531d1eee48afd99.txt"
METADATA = "data/source/000_d531d1eee48afd99.yml"


def copy_project(target: Path, with_code: bool = False) -> Path:
    """Copy what ``bentre.paths.project_root`` needs (``data/``, ``_config.yml``) into
    ``target``; with ``with_code`` also the inputs the build fingerprints."""
    target.mkdir(parents=True, exist_ok=True)
    shutil.copytree(REPO / "data", target / "data")
    shutil.copy2(REPO / "_config.yml", target / "_config.yml")
    if with_code:
        shutil.copytree(REPO / "bentre", target / "bentre",
                        ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        for name in ("requirements.txt", "pyproject.toml"):
            shutil.copy2(REPO / name, target / name)
    return target


@pytest.fixture(autouse=True)
def _real_project_unless_told(monkeypatch):
    """Tests read this checkout unless they ask for a copy: a ``BENTRE_ROOT`` left in the
    shell must not point them at other data."""
    monkeypatch.delenv("BENTRE_ROOT", raising=False)


@pytest.fixture
def project(tmp_path, monkeypatch) -> Path:
    """A copy of the project's data with ``BENTRE_ROOT`` pointing at it."""
    root = copy_project(tmp_path / "project")
    monkeypatch.setenv("BENTRE_ROOT", str(root))
    return root


@pytest.fixture
def code_project(tmp_path, monkeypatch) -> Path:
    """A copy with data, code and requirements (everything the build fingerprints)."""
    root = copy_project(tmp_path / "project", with_code=True)
    monkeypatch.setenv("BENTRE_ROOT", str(root))
    return root


# --- reading and corrupting tables ---------------------------------------------------------

def read_rows(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def line_of(path: Path, row_id: str) -> int:
    """1-based physical line on which the row with ``row_id`` starts (ids are the first
    column and never quoted)."""
    lines = Path(path).read_text(encoding="utf-8").split("\n")
    found = [n for n, line in enumerate(lines, start=1) if line.startswith(row_id + ",")]
    assert len(found) == 1, f"{row_id!r} starts {len(found)} lines of {path}"
    return found[0]


def _csv_line(cells: list[str]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerow(cells)  # "\n" so that cells with it are quoted
    return out.getvalue().removesuffix("\n")


def set_cell(path: Path, row_id: str, column: str, value: str) -> int:
    """Rewrite one cell of one row (a single physical line), leaving every other byte of
    the file alone; returns the row's line number."""
    path = Path(path)
    text = path.read_text(encoding="utf-8")
    lines = text.split("\n")
    header = next(csv.reader([lines[0]]))
    line = line_of(path, row_id)
    cells = next(csv.reader([lines[line - 1]]))
    assert len(cells) == len(header), "set_cell only handles one-line rows"
    cells[header.index(column)] = value
    lines[line - 1] = _csv_line(cells)
    path.write_text("\n".join(lines), encoding="utf-8")
    return line


def replace_once(path: Path, old: str, new: str) -> None:
    """Replace a fragment that occurs exactly once in the file."""
    path = Path(path)
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times in {path}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def problems_at(error, file: str, line: int | None, field: str | None) -> list:
    """The problems of a ``DataError`` at exactly this file, line and field."""
    return [p for p in error.problems
            if p.file == file and p.line == line and p.field == field]


def assert_problem(error, file: str, line: int | None, field: str | None, *words: str):
    """``error`` holds a problem naming ``file``, ``line`` and ``field`` whose message
    contains every one of ``words``; the problem also reads that way as text."""
    found = problems_at(error, file, line, field)
    listing = "\n".join(f"  {p.file} | {p.line} | {p.field} | {p.message}" for p in error.problems)
    assert found, f"no problem at {file}, line {line}, field {field!r}; got:\n{listing}"
    for word in words:
        assert any(word in p.message for p in found), f"{word!r} not in {found}"
    text = str(error)
    assert file in text
    if line is not None:
        assert f"{file}, line {line}" in text
    if field is not None:
        assert f"field '{field}'" in text
    return found


# --- the book's pages, as the table of contents lists them ----------------------------------

def toc_docnames() -> list[str]:
    """Every document of ``_toc.yml``, root first, in reading order."""
    from sphinx_external_toc.parsing import parse_toc_yaml

    return list(parse_toc_yaml(str(REPO / "_toc.yml")))


def source_of(docname: str) -> Path:
    """The source file (notebook or Markdown) of a document of the table of contents."""
    for suffix in (".ipynb", ".md"):
        path = REPO / (docname + suffix)
        if path.is_file():
            return path
    raise FileNotFoundError(f"no source for {docname!r} in _toc.yml")
