"""Promises of ``bentre.book.build``: the inputs fingerprint changes exactly when ``data/``,
``bentre/``, ``requirements.txt`` or ``pyproject.toml`` change, and ``cache_guard`` drops a
stale execution cache and keeps a fresh one, for each edition: English in
``_build/.jupyter_cache``, Vietnamese in ``_build/vi/.jupyter_cache``. The two caches are
apart: a notebook executed for one edition (in its language) is not taken as executed for
the other, and a change of data drops both."""

from __future__ import annotations

import os
import re

import pytest

from bentre.book import build

from conftest import copy_project

CACHE_NAME = ".jupyter_cache"
LANGS = ["en", "vi"]
EDITION = {"en": "_build", "vi": "_build/vi"}  # each edition's build folder


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
    # and each edition's build reads the cache its guard watches
    for lang in LANGS:
        folder = REPO / EDITION[lang]
        assert build.edition_dir(lang, REPO) == folder
        settings = build.edition_config(lang, REPO)
        assert settings["language"] == lang
        assert settings["nb_execution_cache_path"] == str(folder / CACHE_NAME)


def test_input_files_are_data_code_and_requirements(code_project):
    expected = set()
    for folder in ("data", "bentre"):
        for dirpath, dirnames, filenames in os.walk(code_project / folder):
            dirnames[:] = [d for d in dirnames if d != "__pycache__"]
            # compiled catalogs (.mo) are made from the .po files, which are inputs; .lock is
            # the catalogs' compile lock
            expected |= {os.path.join(dirpath, f) for f in filenames
                         if not f.endswith((".pyc", ".mo")) and f != ".lock"}
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

def _cache(root, lang="en"):
    folder = root / EDITION[lang] / CACHE_NAME
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "global.db").write_bytes(f"cached outputs ({lang})".encode())
    return folder


def _stamp(root, lang="en") -> str:
    return (root / EDITION[lang] / build.FINGERPRINT).read_text().strip()


@pytest.mark.parametrize("lang", LANGS)
def test_first_guard_drops_a_cache_of_unknown_inputs(code_project, lang):
    cache = _cache(code_project, lang)
    dropped, fp = build.cache_guard(code_project, lang=lang)
    assert dropped is True
    assert not cache.exists()
    assert fp == build.fingerprint(code_project) == _stamp(code_project, lang)


@pytest.mark.parametrize("lang", LANGS)
def test_guard_keeps_the_cache_when_inputs_are_unchanged(code_project, lang):
    build.cache_guard(code_project, lang=lang)
    cache = _cache(code_project, lang)
    dropped, fp = build.cache_guard(code_project, lang=lang)
    assert dropped is False
    assert (cache / "global.db").read_bytes() == f"cached outputs ({lang})".encode()
    assert fp == _stamp(code_project, lang)


def test_guard_keeps_the_cache_when_only_a_non_input_changed(code_project):
    build.cache_guard(code_project)
    cache = _cache(code_project)
    (code_project / "chapters").mkdir(exist_ok=True)
    (code_project / "chapters" / "notes.md").write_text("a notebook's own change is "
                                                         "jupyter-cache's business\n")
    assert build.cache_guard(code_project)[0] is False
    assert cache.is_dir()


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("relpath", ["data/figures.csv", "bentre/numbers.py"])
def test_guard_drops_the_cache_when_an_input_changed(code_project, relpath, lang):
    _, old = build.cache_guard(code_project, lang=lang)
    cache = _cache(code_project, lang)
    _flip(code_project / relpath)
    dropped, new = build.cache_guard(code_project, lang=lang)
    assert dropped is True
    assert not cache.exists()
    assert new != old
    assert _stamp(code_project, lang) == new == build.fingerprint(code_project)
    # and the next run, with nothing changed, keeps the rebuilt cache
    cache = _cache(code_project, lang)
    assert build.cache_guard(code_project, lang=lang)[0] is False
    assert cache.is_dir()


# --- the two editions' caches -----------------------------------------------------------------

def test_each_edition_guards_its_own_cache(code_project):
    """Each guard reads and writes only its edition's cache and stamp: the English guard
    finding its inputs changed leaves the Vietnamese cache alone, and the other way round."""
    for lang in LANGS:
        build.cache_guard(code_project, lang=lang)
    en, vi = _cache(code_project, "en"), _cache(code_project, "vi")
    assert en != vi and vi == code_project / "_build" / "vi" / CACHE_NAME
    (code_project / "_build" / build.FINGERPRINT).write_text("stale\n")  # English only
    assert build.cache_guard(code_project, lang="vi")[0] is False
    assert vi.is_dir() and en.is_dir()
    assert build.cache_guard(code_project, lang="en")[0] is True
    assert not en.exists()
    assert (vi / "global.db").read_bytes() == b"cached outputs (vi)"


def test_changing_data_drops_both_editions_caches(code_project):
    """A change of data makes every notebook run again in both languages: each edition's
    guard (make runs one per edition) drops that edition's cache and its doctrees."""
    for lang in LANGS:
        build.cache_guard(code_project, lang=lang)
        _cache(code_project, lang)
        (code_project / EDITION[lang] / build.DOCTREES).mkdir()
    _flip(code_project / "data/figures.csv")
    for lang in LANGS:
        dropped, fp = build.cache_guard(code_project, lang=lang)
        assert dropped is True, lang
        assert not (code_project / EDITION[lang] / CACHE_NAME).exists()
        assert not (code_project / EDITION[lang] / build.DOCTREES).exists()
        assert _stamp(code_project, lang) == fp == build.fingerprint(code_project)


def test_the_guard_follows_the_language_of_the_process(code_project, monkeypatch):
    """Without ``lang``, the edition is ``BENTRE_LANG``'s (as ``--lang`` is for the CLI)."""
    monkeypatch.setenv("BENTRE_LANG", "vi")
    vi = _cache(code_project, "vi")
    en = _cache(code_project, "en")
    assert build.cache_guard(code_project)[0] is True
    assert not vi.exists() and en.is_dir()
    assert not (code_project / "_build" / build.FINGERPRINT).exists()


LANGUAGE_NOTEBOOK = {
    "cells": [{"cell_type": "code", "execution_count": None, "id": "lang", "metadata": {},
               "outputs": [], "source": "import os\nprint(os.environ.get('BENTRE_LANG'))"}],
    "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3",
                                "language": "python"}},
    "nbformat": 4, "nbformat_minor": 5}


@pytest.mark.slow
def test_executing_for_one_edition_does_not_fill_the_others_cache(code_project):
    """``fill_cache`` for Vietnamese executes the notebook in Vietnamese into
    ``_build/vi/.jupyter_cache``; the English cache still lacks it (the same code, other
    outputs), and is filled, in English, by its own run; neither runs twice."""
    import json

    from jupyter_cache import get_cache

    (code_project / "_toc.yml").write_text("format: jb-book\nroot: intro\n"
                                           "chapters:\n  - file: chapters/lang\n")
    (code_project / "intro.md").write_text("# Intro\n")
    (code_project / "chapters").mkdir()
    (code_project / "chapters" / "lang.ipynb").write_text(json.dumps(LANGUAGE_NOTEBOOK))

    def printed(lang: str) -> list[str]:
        cache = get_cache(str(code_project / EDITION[lang] / CACHE_NAME))
        return [output["text"].strip()
                for record in cache.list_cache_records()
                for cell in cache.get_cache_bundle(record.pk).nb.cells
                for output in cell.get("outputs", []) if output.get("name") == "stdout"]

    executed, failed = build.fill_cache(code_project, lang="vi")
    assert failed == [] and [p.rsplit("/", 1)[-1] for p in executed] == ["lang.ipynb"]
    assert printed("vi") == ["vi"]
    assert not (code_project / "_build" / CACHE_NAME).exists(), "the English cache was made"
    executed, failed = build.fill_cache(code_project, lang="en")
    assert failed == [] and len(executed) == 1, "the Vietnamese run satisfied the English cache"
    assert printed("en") == ["en"] and printed("vi") == ["vi"]
    for lang in LANGS:
        assert build.fill_cache(code_project, lang=lang) == ([], []), f"{lang} ran it again"


@pytest.mark.parametrize("lang", LANGS)
def test_guard_without_a_cache_records_the_fingerprint(code_project, lang):
    assert not (code_project / "_build").exists()
    dropped, fp = build.cache_guard(code_project, lang=lang)
    assert dropped is False  # nothing to drop
    assert _stamp(code_project, lang) == fp


def test_guard_uses_bentre_root_when_no_root_is_given(code_project):
    cache = _cache(code_project)
    dropped, fp = build.cache_guard()
    assert dropped is True and not cache.exists()
    assert fp == build.fingerprint(code_project)


def test_guard_never_touches_the_real_build_folder(code_project):
    from conftest import REPO

    real = [REPO / EDITION[lang] / build.FINGERPRINT for lang in LANGS]
    before = [path.read_bytes() if path.exists() else None for path in real]
    for lang in LANGS:
        _cache(code_project, lang)
        build.cache_guard(code_project, lang=lang)
    assert [path.read_bytes() if path.exists() else None for path in real] == before


def test_clean_removes_the_build_folder(code_project):
    _cache(code_project)
    _cache(code_project, "vi")
    build.clean(code_project)
    assert not (code_project / "_build").exists()
    build.clean(code_project)  # and is harmless when there is nothing to clean
