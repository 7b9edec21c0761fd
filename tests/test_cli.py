"""Promises of ``python -m bentre``: ``validate`` prints one line per table and exits 0 on
good data; on bad data it exits non-zero and names the file, the line and the field."""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import sys

import nbformat
import pytest

from bentre import cli
from bentre.book import build

from conftest import ARTICLE, REPO, copy_project, read_rows, set_cell

TABLES = ["figures", "references", "claims", "plans", "context", "glossary", "sources",
          "outcomes"]

# One corruption per table: (table, row id, column, bad value, field, words in the message).
CORRUPTIONS = {
    "figures": ("agriculture_value", "value", "226.43", "value", "226.34"),
    "references": ("months_3_outlook", "raw", "4", "raw", "not inside"),
    "claims": ("economy_recovery", "paragraph", "3", "paragraph", "expected 2"),
    "plans": ("rural_security", "area", "safety", "area", "enum"),
    "context": ("bentre_province_drought_loss_vnd", "value_low", "1.7", "value_low",
                "1.66"),
    "glossary": ("gia_so_sanh", "in_article", "true", "in_article", "does not occur"),
    "sources": ("baodongkhoi_tp_bentre_2020", "kind", "blog", "kind", "enum"),
    "outcomes": ("retail_sales_2020", "value", "15029", "value", "15.092"),
}


def _row_count(root, name) -> int:
    return len(read_rows(root / "data" / f"{name}.csv"))


def _python_env(**extra) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "BENTRE_ROOT"}
    env.update(extra)
    return env


def test_validate_on_real_data_exits_0_with_one_ok_line_per_table(monkeypatch, capsys):
    monkeypatch.delenv("BENTRE_ROOT", raising=False)
    monkeypatch.chdir(REPO)
    assert cli.main(["validate"]) == 0
    out, err = capsys.readouterr()
    expected = [f"data/{name}.csv: ok, {_row_count(REPO, name)} rows" for name in TABLES]
    assert out.splitlines() == expected
    assert err == ""


@pytest.mark.parametrize("table", TABLES)
def test_validate_fails_on_a_corrupted_copy_of_each_table(project, capsys, table):
    row_id, column, bad, field, word = CORRUPTIONS[table]
    line = set_cell(project / "data" / f"{table}.csv", row_id, column, bad)
    assert cli.main(["validate"]) != 0
    out, err = capsys.readouterr()
    file = f"data/{table}.csv"
    assert f"{file}: 1 problem(s)" in out.splitlines()
    others = [n for n in TABLES if n != table]
    # every other table gets its own line, and none of them is blamed
    for name in others:
        assert sum(l.startswith(f"data/{name}.csv: ") for l in out.splitlines()) == 1
        assert f"data/{name}.csv: 1 problem(s)" not in out
    reported = [l for l in err.splitlines() if l.startswith("  - ")]
    assert len(reported) == 1
    assert reported[0].startswith(f"  - {file}, line {line}, field '{field}': ")
    assert word in reported[0]


def test_validate_reports_every_problem_of_several_tables(project, capsys):
    lines = {t: set_cell(project / "data" / f"{t}.csv", *CORRUPTIONS[t][:3])
             for t in ("figures", "context")}
    assert cli.main(["validate"]) == 1
    out, err = capsys.readouterr()
    assert "data/figures.csv: 1 problem(s)" in out
    assert "data/context.csv: 1 problem(s)" in out
    assert "2 problem(s):" in err
    assert f"data/figures.csv, line {lines['figures']}, field 'value'" in err
    assert f"data/context.csv, line {lines['context']}, field 'value_low'" in err


def test_validate_names_a_changed_article(project, capsys):
    path = project / ARTICLE
    changed = path.read_bytes().replace(b"24.012", b"24.013")
    path.write_bytes(changed)
    assert cli.main(["validate"]) == 1
    _, err = capsys.readouterr()
    assert ARTICLE in err
    assert hashlib.sha256(changed).hexdigest() in err


def test_python_m_bentre_validate_from_a_project_copy(tmp_path):
    """The real entry point, in a fresh interpreter, finding the root from the cwd."""
    root = copy_project(tmp_path / "copy")
    (root / "chapters").mkdir()
    line = set_cell(root / "data/figures.csv", *CORRUPTIONS["figures"][:3])
    result = subprocess.run([sys.executable, "-m", "bentre", "validate"],
                            cwd=root / "chapters", env=_python_env(),
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 1, result.stderr
    assert len(result.stdout.splitlines()) == len(TABLES)
    assert f"data/figures.csv, line {line}, field 'value'" in result.stderr


def test_python_m_bentre_validate_on_the_real_data():
    result = subprocess.run([sys.executable, "-m", "bentre", "validate"],
                            cwd=REPO / "chapters", env=_python_env(),
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        f"data/{name}.csv: ok, {_row_count(REPO, name)} rows" for name in TABLES]


def test_unknown_or_missing_command_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as info:
        cli.main([])
    assert info.value.code == 2
    with pytest.raises(SystemExit) as info:
        cli.main(["frobnicate"])
    assert info.value.code == 2
    assert "frobnicate" in capsys.readouterr().err


def test_cache_guard_command_reports_drop_then_keep(code_project, capsys):
    cache = code_project / "_build" / build.CACHE
    cache.mkdir(parents=True)
    assert cli.main(["cache-guard"]) == 0
    first = capsys.readouterr().out
    assert "dropped (inputs changed)" in first
    assert build.fingerprint(code_project)[:12] in first
    assert not cache.exists()
    cache.mkdir()
    assert cli.main(["cache-guard"]) == 0
    assert "kept (inputs unchanged)" in capsys.readouterr().out
    assert cache.is_dir()



def test_python_m_bentre_audit_counts_informative_and_bookkeeping_checks_apart():
    """The text report's closing line agrees with the JSON audit's own could_fail fields, and
    each row names its check's power."""
    def audit(*args):
        done = subprocess.run([sys.executable, "-m", "bentre", "audit", *args], cwd=REPO,
                              env=_python_env(COLUMNS="100"), capture_output=True, text=True,
                              timeout=120)
        assert done.returncode == 0, done.stderr
        return done.stdout

    listed = json.loads(audit("--json"))
    assert all(type(r["could_fail"]) is bool and r["power"].strip() for r in listed)
    lines = audit().splitlines()
    assert lines[0].split()[:3] == ["check", "power", "status"]
    for r in listed:
        row = next(line for line in lines if line.startswith(r["id"] + " "))
        assert row.split()[1] == ("informative" if r["could_fail"] else "bookkeeping")
    summary = []
    for kind, could_fail in (("informative", True), ("bookkeeping", False)):
        statuses = [r["status"] for r in listed if r["could_fail"] is could_fail]
        summary.append(f"{kind} {len(statuses)} (" + ", ".join(
            f"{statuses.count(s)} {s}" for s in ("pass", "flag", "fail")) + ")")
    assert lines[-1] == f"{len(listed)} checks: " + "; ".join(summary)


# --- the reader's language: --lang {en,vi} on every verb ---------------------------------

def _bentre(*args, **env):
    return subprocess.run([sys.executable, "-m", "bentre", *args], cwd=REPO,
                          env=_python_env(COLUMNS="100", **env), capture_output=True, text=True,
                          timeout=300)


@pytest.mark.parametrize("argv", [["--lang", "xx", "validate"], ["validate", "--lang", "xx"],
                                  ["audit", "--lang", "xx"]])
def test_an_unknown_language_is_a_usage_error_naming_it(argv, capsys):
    with pytest.raises(SystemExit) as info:
        cli.main(argv)
    assert info.value.code == 2
    err = capsys.readouterr().err
    assert "unknown language 'xx' (--lang)" in err and "en, vi" in err


def test_the_language_defaults_to_bentre_lang():
    done = _bentre("validate", BENTRE_LANG="vi")
    assert done.returncode == 0 and done.stdout.splitlines()[0].startswith("data/figures.csv: hợp lệ, ")
    assert _bentre("validate", "--lang", "en", BENTRE_LANG="vi").stdout.splitlines()[0].endswith(" rows")


def test_an_unknown_bentre_lang_is_a_usage_error_too():
    done = _bentre("validate", BENTRE_LANG="fr")
    assert done.returncode == 2 and done.stdout == ""
    assert "unknown language 'fr' (BENTRE_LANG)" in done.stderr and "en, vi" in done.stderr


def test_validate_in_vietnamese(monkeypatch, capsys):
    monkeypatch.delenv("BENTRE_ROOT", raising=False)
    monkeypatch.chdir(REPO)
    assert cli.main(["validate", "--lang", "vi"]) == 0
    expected = [f"data/{name}.csv: hợp lệ, {_row_count(REPO, name)} dòng" for name in TABLES]
    assert capsys.readouterr().out.splitlines() == expected
    # main() run in-process leaves the language as it found it
    assert cli.main(["validate"]) == 0
    assert capsys.readouterr().out.splitlines()[0].endswith(" rows")


def test_audit_in_vietnamese_speaks_vietnamese_with_vietnamese_numbers():
    """``audit --lang vi`` (and ``--lang vi audit``): Vietnamese headers,
    and every number that the English audit writes with both separators (``12,215.06``),
    written the Vietnamese way (``12.215,06``, by Babel here) and never the English way."""
    from babel.numbers import format_decimal, parse_decimal

    english = _bentre("audit", BENTRE_LANG="en")
    vietnamese = _bentre("audit", "--lang", "vi", BENTRE_LANG="en")
    assert english.returncode == vietnamese.returncode == 0, vietnamese.stderr
    assert _bentre("--lang", "vi", "audit").stdout == vietnamese.stdout
    lines = vietnamese.stdout.splitlines()
    assert lines[0].rstrip().endswith("giải thích")
    assert "phép kiểm tra" in lines[-1]
    numbers = set(re.findall(r"(?<![\d.,])\d{1,3}(?:,\d{3})+\.\d+(?![\d.,])", english.stdout))
    assert numbers, "the English audit writes no number with both separators"
    for text in numbers:
        decimals = len(text.split(".")[1])
        value = parse_decimal(text, locale="en")
        in_vietnamese = format_decimal(value, format="#,##0." + "0" * decimals, locale="vi")
        assert in_vietnamese in vietnamese.stdout, (text, in_vietnamese)
        assert text not in vietnamese.stdout, text


def test_execute_runs_the_kernels_in_the_chosen_language(tmp_path):
    """``execute --lang vi``: the kernels inherit BENTRE_LANG, so the notebook's outputs are
    the Vietnamese edition's, and what execute prints is Vietnamese."""
    notebook = tmp_path / "lang.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(
        "import os\nfrom bentre import exercises, i18n\n"
        "print(os.environ['BENTRE_LANG'], i18n.language())\nprint(exercises.no_answer('x'))")]),
        notebook)
    done = _bentre("execute", "--lang", "vi", str(notebook), BENTRE_LANG="en")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("đã chạy ")
    text = nbformat.read(notebook, as_version=4).cells[0].outputs[0]["text"]
    assert text.splitlines() == ["vi vi", "Chưa có đáp án: hãy gán đáp án của bạn cho `x` ở ô "
                                 "phía trên, chạy ô đó, rồi chạy lại ô này."]


def test_execute_refuses_to_store_another_editions_outputs_in_the_chapters():
    """The chapters' stored outputs are the English edition's (nbval compares them):
    ``execute --lang vi`` on them stops, and says where the Vietnamese edition executes."""
    done = _bentre("execute", "--lang", "vi", BENTRE_LANG="en")
    assert done.returncode == 2
    assert "make html-vi" in done.stderr
