"""Promises of ``bentre.paths``: the project root is found the same way from anywhere —
``BENTRE_ROOT`` first, then the nearest folder at or above the working directory holding
``data/datapackage.json`` and ``_config.yml``, then the folder holding the package."""

from __future__ import annotations

from pathlib import Path

import pytest

from bentre import paths

from conftest import REPO, copy_project


@pytest.fixture
def no_env(monkeypatch):
    monkeypatch.delenv("BENTRE_ROOT", raising=False)


@pytest.mark.parametrize("where", [".", "chapters", "tests", "data", "data/source", "bentre"])
def test_root_found_from_inside_the_repository(no_env, monkeypatch, where):
    monkeypatch.chdir(REPO / where)
    assert paths.project_root() == REPO


def test_root_found_from_an_unrelated_folder(no_env, monkeypatch, tmp_path):
    """Outside any project (e.g. /tmp) the folder holding the package is the root."""
    monkeypatch.chdir(tmp_path)
    assert paths.project_root() == REPO


def test_root_found_from_the_filesystem_root(no_env, monkeypatch):
    monkeypatch.chdir("/")
    assert paths.project_root() == REPO


def test_nearest_project_above_the_working_directory_wins(no_env, monkeypatch, tmp_path):
    """A copy of the project is its own root when worked in, not the package's folder."""
    copy = copy_project(tmp_path / "copy")
    deep = copy / "chapters" / "sub" / "deeper"
    deep.mkdir(parents=True)
    monkeypatch.chdir(deep)
    assert paths.project_root() == copy.resolve()
    assert paths.data_dir() == copy.resolve() / "data"


def test_a_folder_with_only_one_marker_is_not_a_root(no_env, monkeypatch, tmp_path):
    (tmp_path / "_config.yml").write_text("title: other\n")
    (tmp_path / "data").mkdir()  # but no datapackage.json
    monkeypatch.chdir(tmp_path)
    assert paths.project_root() == REPO


def test_bentre_root_is_honoured_over_the_working_directory(monkeypatch, tmp_path):
    copy = copy_project(tmp_path / "copy")
    monkeypatch.setenv("BENTRE_ROOT", str(copy))
    monkeypatch.chdir(REPO)
    assert paths.project_root() == copy.resolve()
    assert paths.data_dir() == copy.resolve() / "data"
    assert paths.chapters_dir() == copy.resolve() / "chapters"
    assert paths.build_dir() == copy.resolve() / "_build"


def test_relative_bentre_root_is_resolved_against_the_working_directory(monkeypatch, tmp_path):
    copy = copy_project(tmp_path / "copy")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("BENTRE_ROOT", "copy")
    assert paths.project_root() == copy.resolve()


def test_empty_bentre_root_counts_as_unset(monkeypatch):
    monkeypatch.setenv("BENTRE_ROOT", "")
    monkeypatch.chdir(REPO / "chapters")
    assert paths.project_root() == REPO


@pytest.mark.parametrize("keep", [[], ["_config.yml"], ["data/datapackage.json"]])
def test_bentre_root_that_is_not_a_project_root_raises(monkeypatch, tmp_path, keep):
    for marker in keep:
        (tmp_path / marker).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / marker).write_text("{}")
    monkeypatch.setenv("BENTRE_ROOT", str(tmp_path))
    with pytest.raises(FileNotFoundError) as info:
        paths.project_root()
    message = str(info.value)
    assert "BENTRE_ROOT" in message and str(tmp_path) in message
    assert "_config.yml" in message and "data/datapackage.json" in message


def test_bentre_root_that_does_not_exist_raises(monkeypatch, tmp_path):
    monkeypatch.setenv("BENTRE_ROOT", str(tmp_path / "nowhere"))
    with pytest.raises(FileNotFoundError):
        paths.project_root()


def test_folders_of_the_real_project(no_env, monkeypatch):
    monkeypatch.chdir(REPO / "tests")
    assert paths.data_dir() == REPO / "data"
    assert paths.chapters_dir() == REPO / "chapters"
    assert paths.build_dir() == REPO / "_build"
    assert (paths.data_dir() / "datapackage.json").is_file()


def test_relative_shows_paths_inside_the_root_relative_and_posix(no_env, monkeypatch):
    monkeypatch.chdir(REPO / "chapters")
    assert paths.relative(REPO / "data" / "figures.csv") == "data/figures.csv"
    assert paths.relative(Path("../data/source/x.txt")) == "data/source/x.txt"


def test_relative_leaves_paths_outside_the_root_absolute(no_env, monkeypatch, tmp_path):
    monkeypatch.chdir(REPO)
    outside = tmp_path / "elsewhere.csv"
    assert paths.relative(outside) == str(outside.resolve())


def test_relative_follows_bentre_root(project):
    assert paths.relative(project / "data" / "figures.csv") == "data/figures.csv"
    assert paths.relative(REPO / "data" / "figures.csv") == str(REPO / "data" / "figures.csv")
