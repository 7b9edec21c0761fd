"""The audit as CSV: `python -m bentre audit --csv PATH` and the download link of the audit
chapter hold the same bytes, one row per check, with nothing of the JSON audit lost."""

from __future__ import annotations

import base64
import csv
import io
import json
import re

import pytest

from bentre import audit, checks, cli


@pytest.fixture(scope="module")
def results():
    return checks.run_all()


def parse(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text, newline="")))


def test_one_row_per_check_with_every_field(results):
    text = audit.to_csv(results)
    assert text.splitlines()[0] == ("id,topic,title,status,could_fail,power,explanation,"
                                    "inputs,values")
    rows = parse(text)
    assert [r["id"] for r in rows] == [r.id for r in results]
    for row, result in zip(rows, results):
        assert row["status"] == result.status
        # the power, written as JSON writes a boolean, and its reason as declared
        assert row["could_fail"] == ("true" if result.could_fail else "false")
        assert json.loads(row["could_fail"]) is result.could_fail
        assert row["power"] == result.power and row["power"]
        assert row["title"] == result.title
        assert row["explanation"] == result.explanation
        assert json.loads(row["inputs"]) == result.inputs
        assert json.loads(row["values"]) == result.values


def test_the_csv_separates_informative_from_bookkeeping_checks(results):
    rows = parse(audit.to_csv(results))
    informative = [r["status"] for r in rows if r["could_fail"] == "true"]
    bookkeeping = [r["status"] for r in rows if r["could_fail"] == "false"]
    assert len(informative) + len(bookkeeping) == len(results)
    split = checks.power_counts(results)
    assert split["informative"] == {s: informative.count(s) for s in checks.STATUSES}
    assert split["bookkeeping"] == {s: bookkeeping.count(s) for s in checks.STATUSES}


def test_the_csv_is_the_same_on_every_run(results):
    assert audit.to_csv(results) == audit.to_csv(checks.run_all())


def test_cli_writes_the_csv_and_keeps_its_exit_code(results, tmp_path, capsys):
    path = tmp_path / "audit.csv"
    code = cli.main(["audit", "--csv", str(path)])
    assert code == checks.exit_code(results)
    assert path.read_bytes() == audit.to_csv(results).encode("utf-8")
    out, err = capsys.readouterr()
    assert str(path) in err
    assert "checks:" in out  # the table is still printed


def test_cli_csv_and_json_together(tmp_path, capsys):
    path = tmp_path / "audit.csv"
    cli.main(["audit", "--json", "--csv", str(path)])
    listed = json.loads(capsys.readouterr().out)
    assert [r["id"] for r in parse(path.read_text(encoding="utf-8"))] == [r["id"] for r in listed]


def test_the_download_link_carries_the_same_bytes(results):
    link = audit.download(results)
    page = link._repr_html_()
    found = re.search(r'download="([^"]+)" href="data:text/csv;charset=utf-8;base64,([^"]+)"',
                      page)
    assert found, page
    assert found.group(1) == audit.FILENAME
    assert base64.b64decode(found.group(2)) == audit.to_csv(results).encode("utf-8")
    # Where HTML is not shown (the PDF, a terminal), the note says how to get the file.
    assert f"--csv {audit.FILENAME}" in link._repr_markdown_()
    assert repr(link).startswith(audit.FILENAME)


def test_text_from_the_checks_cannot_break_the_link():
    link = audit.CsvDownload('a,b\n"<x>",1\n', filename='a"b<.csv')
    page = link._repr_html_()
    assert 'download="a&quot;b&lt;.csv"' in page
    assert "<x>" not in page


@pytest.fixture
def vietnamese(monkeypatch):
    from bentre import i18n

    monkeypatch.setenv("BENTRE_LANG", "en")
    i18n.set_language("vi")
    yield
    i18n.set_language(None)


def test_the_vietnamese_csv_keeps_identifiers_and_translates_the_text(results, vietnamese):
    """Column names, ids, topics, statuses and could_fail are identifiers, the same in both
    editions, so that a spreadsheet reads either; title, power and explanation are Vietnamese."""
    vi_results = checks.run_all()
    text = audit.to_csv(vi_results)
    assert text.splitlines()[0] == ",".join(audit.COLUMNS)
    en_rows, vi_rows = parse(audit.to_csv(results)), parse(text)
    for en, vi in zip(en_rows, vi_rows):
        for column in ("id", "topic", "status", "could_fail", "inputs"):
            assert vi[column] == en[column], (en["id"], column)
        for column in ("title", "power", "explanation"):
            assert vi[column] != en[column], (en["id"], column)
    link = audit.download(vi_results)
    assert f">Tải xuống {audit.FILENAME}</a>" in link._repr_html_()
    assert link._repr_markdown_().startswith(f"Tệp `{audit.FILENAME}`")
    # the size in the Vietnamese convention: a dot between thousands
    from babel.numbers import format_decimal

    assert format_decimal(link.size, locale="vi") in repr(link)
