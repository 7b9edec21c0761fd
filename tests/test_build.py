"""Promises of ``bentre.book.build``: the inputs fingerprint changes exactly when ``data/``,
``bentre/``, ``requirements.txt`` or ``pyproject.toml`` change, and ``cache_guard`` drops a
stale ``_build/.jupyter_cache`` and keeps a fresh one."""

from __future__ import annotations

import os
import re

import pytest

from bentre.book import build

from conftest import copy_project

CACHE_NAME = ".jupyter_cache"


def _flip(path) -> None:
    data = bytearray(path.read_bytes())
    data[-2] ^= 0x01  # one bit of one byte, keeping the size
    path.write_bytes(bytes(data))


def test_cache_folder_matches_the_book_configuration():
    """cache_guard must watch the folder jupyter-book actually uses."""
    from conftest import REPO

    config = (REPO / "_config.yml").read_text(encoding="utf-8")
    assert re.search(r"^\s*cache:\s*_build/\.jupyter_cache\s*$", config, re.M)
    assert build.CACHE == CACHE_NAME


def test_input_files_are_data_code_and_requirements(code_project):
    expected = set()
    for folder in ("data", "bentre"):
        for dirpath, dirnames, filenames in os.walk(code_project / folder):
            dirnames[:] = [d for d in dirnames if d != "__pycache__"]
            expected |= {os.path.join(dirpath, f) for f in filenames if not f.endswith(".pyc")}
    expected |= {str(code_project / "requirements.txt"), str(code_project / "pyproject.toml")}
    assert {str(p) for p in build.input_files(code_project)} == expected
    assert str(code_project / "data/source/000_d531d1eee48afd99.txt") in expected


def test_fingerprint_is_stable_and_hex(code_project):
    first = build.fingerprint(code_project)
    assert re.fullmatch(r"[0-9a-f]{64}", first)
    assert build.fingerprint(code_project) == first
    assert build.fingerprint() == first  # root from BENTRE_ROOT


def test_fingerprint_does_not_depend_on_where_the_project_is(tmp_path, code_project):
    elsewhere = copy_project(tmp_path / "elsewhere" / "deeper", with_code=True)
    assert build.fingerprint(elsewhere) == build.fingerprint(code_project)


@pytest.mark.parametrize("relpath", [
    "data/figures.csv",
    "data/datapackage.json",
    "data/source/000_d531d1eee48afd99.yml",
    "bentre/numbers.py",
    "bentre/data.py",
    "requirements.txt",
    "pyproject.toml",
])
def test_fingerprint_changes_when_an_input_file_changes(code_project, relpath):
    before = build.fingerprint(code_project)
    path = code_project / relpath
    size = path.stat().st_size
    _flip(path)
    assert path.stat().st_size == size
    assert build.fingerprint(code_project) != before


def test_fingerprint_changes_when_an_input_file_is_added(code_project):
    before = build.fingerprint(code_project)
    (code_project / "data" / "new.csv").write_text("id\n")
    assert build.fingerprint(code_project) != before


def test_fingerprint_changes_when_an_input_file_is_renamed(code_project):
    before = build.fingerprint(code_project)
    (code_project / "data/plans.csv").rename(code_project / "data/plans_old.csv")
    assert build.fingerprint(code_project) != before


def test_fingerprint_changes_when_content_moves_between_files(code_project):
    """Swapping two files' contents changes the fingerprint (names are hashed too)."""
    a, b = code_project / "data/claims.csv", code_project / "data/plans.csv"
    before = build.fingerprint(code_project)
    da, db = a.read_bytes(), b.read_bytes()
    a.write_bytes(db)
    b.write_bytes(da)
    assert build.fingerprint(code_project) != before


@pytest.mark.parametrize("relpath", [
    "chapters/new.ipynb",
    "_build/html/index.html",
    "_config.yml",
    "bentre/__pycache__/numbers.cpython-311.pyc",
    "data/__pycache__/stray.pyc",
    "README.md",
])
def test_fingerprint_ignores_files_that_are_not_inputs(code_project, relpath):
    before = build.fingerprint(code_project)
    path = code_project / relpath
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(path.read_bytes() + b"\n" if path.exists() else b"x")
    assert build.fingerprint(code_project) == before


def test_touch_without_change_keeps_the_fingerprint(code_project):
    before = build.fingerprint(code_project)
    path = code_project / "data/figures.csv"
    os.utime(path, ns=(1, 1))
    assert build.fingerprint(code_project) == before


# --- cache_guard ----------------------------------------------------------------------------

def _cache(root):
    folder = root / "_build" / CACHE_NAME
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "global.db").write_bytes(b"cached outputs")
    return folder


def _stamp(root) -> str:
    return (root / "_build" / build.FINGERPRINT).read_text().strip()


def test_first_guard_drops_a_cache_of_unknown_inputs(code_project):
    cache = _cache(code_project)
    dropped, fp = build.cache_guard(code_project)
    assert dropped is True
    assert not cache.exists()
    assert fp == build.fingerprint(code_project) == _stamp(code_project)


def test_guard_keeps_the_cache_when_inputs_are_unchanged(code_project):
    build.cache_guard(code_project)
    cache = _cache(code_project)
    dropped, fp = build.cache_guard(code_project)
    assert dropped is False
    assert (cache / "global.db").read_bytes() == b"cached outputs"
    assert fp == _stamp(code_project)


def test_guard_keeps_the_cache_when_only_a_non_input_changed(code_project):
    build.cache_guard(code_project)
    cache = _cache(code_project)
    (code_project / "chapters").mkdir(exist_ok=True)
    (code_project / "chapters" / "notes.md").write_text("a notebook's own change is "
                                                         "jupyter-cache's business\n")
    assert build.cache_guard(code_project)[0] is False
    assert cache.is_dir()


@pytest.mark.parametrize("relpath", ["data/figures.csv", "bentre/numbers.py"])
def test_guard_drops_the_cache_when_an_input_changed(code_project, relpath):
    _, old = build.cache_guard(code_project)
    cache = _cache(code_project)
    _flip(code_project / relpath)
    dropped, new = build.cache_guard(code_project)
    assert dropped is True
    assert not cache.exists()
    assert new != old
    assert _stamp(code_project) == new == build.fingerprint(code_project)
    # and the next run, with nothing changed, keeps the rebuilt cache
    cache = _cache(code_project)
    assert build.cache_guard(code_project)[0] is False
    assert cache.is_dir()


def test_guard_without_a_cache_records_the_fingerprint(code_project):
    assert not (code_project / "_build").exists()
    dropped, fp = build.cache_guard(code_project)
    assert dropped is False  # nothing to drop
    assert _stamp(code_project) == fp


def test_guard_uses_bentre_root_when_no_root_is_given(code_project):
    cache = _cache(code_project)
    dropped, fp = build.cache_guard()
    assert dropped is True and not cache.exists()
    assert fp == build.fingerprint(code_project)


def test_guard_never_touches_the_real_build_folder(code_project):
    from conftest import REPO

    real = REPO / "_build" / build.FINGERPRINT
    before = real.read_bytes() if real.exists() else None
    _cache(code_project)
    build.cache_guard(code_project)
    assert (real.read_bytes() if real.exists() else None) == before


def test_clean_removes_the_build_folder(code_project):
    _cache(code_project)
    build.clean(code_project)
    assert not (code_project / "_build").exists()
    build.clean(code_project)  # and is harmless when there is nothing to clean
