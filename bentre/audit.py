"""The audit as a file: every check's result as CSV, and a self-contained download link.

The CSV has one row per check, in the order of :func:`bentre.checks.run_all`, with the
columns of :func:`bentre.checks.results_frame` plus ``inputs`` and ``values`` (each a JSON
object), so that nothing the JSON audit holds is lost. ``could_fail`` is ``true`` or ``false``
(as JSON writes it) and ``power`` its reason, so that a spreadsheet can separate informative
checks from bookkeeping ones. It is UTF-8 without a byte-order mark. Column names, ids, topics and statuses are identifiers,
the same in both editions; ``title``, ``power`` and ``explanation`` are in the edition's
language.

``python -m bentre audit --csv PATH`` writes it; the audit chapter offers the same bytes as a
link whose address is a ``data:`` URI, so the page carries its own file: nothing is written
into the project or the build while a notebook runs, and the link works offline.
"""

from __future__ import annotations

import base64
import csv
import html
import io
import json
from pathlib import Path

from .checkbase import CheckResult
from .i18n import _, ngettext

COLUMNS = ("id", "topic", "title", "status", "could_fail", "power", "explanation", "inputs",
           "values")
FILENAME = "bentre-audit.csv"


def to_csv(results: list[CheckResult]) -> str:
    """Every result as CSV text (``\\n`` line ends; cells quoted where needed)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for r in results:
        writer.writerow([r.id, r.topic, r.title, r.status, json.dumps(r.could_fail), r.power,
                         r.explanation,
                         json.dumps(r.inputs, ensure_ascii=False, allow_nan=False),
                         json.dumps(r.values, ensure_ascii=False, allow_nan=False)])
    return out.getvalue()


def write_csv(results: list[CheckResult], path: str | Path) -> Path:
    """Write :func:`to_csv` to ``path`` as UTF-8; returns the path."""
    path = Path(path)
    path.write_bytes(to_csv(results).encode("utf-8"))
    return path


class CsvDownload:
    """A CSV offered as a download: an HTML link with the file inside it (``data:`` URI);
    in Markdown (the PDF) and plain text, a note saying how to get the same file."""

    def __init__(self, text: str, filename: str = FILENAME, rows: int | None = None):
        self.text, self.filename = text, filename
        self.size = len(text.encode("utf-8"))
        self.rows = rows if rows is not None else max(0, text.count("\n") - 1)

    @property
    def href(self) -> str:
        payload = base64.b64encode(self.text.encode("utf-8")).decode("ascii")
        return f"data:text/csv;charset=utf-8;base64,{payload}"

    def _describe(self) -> str:
        from .numbers import local

        rows = ngettext("{n} row", "{n} rows", self.rows).format(n=local(self.rows))
        size = ngettext("{n} byte", "{n} bytes", self.size).format(n=local(self.size))
        return _("{rows}, {size}, UTF-8").format(rows=rows, size=size)

    def _repr_html_(self) -> str:
        name = html.escape(self.filename)
        link = _("Download {name}").format(name=name)
        return (f'<p class="bentre-download"><a download="{name}" href="{self.href}" '
                f'type="text/csv">{link}</a> ({html.escape(self._describe())})</p>')

    def _repr_markdown_(self) -> str:
        return _("The file `{filename}` ({description}) is a download in the HTML edition; "
                 "`python -m bentre audit --csv {filename}` writes the same file.").format(
            filename=self.filename, description=self._describe())

    def __repr__(self) -> str:
        return f"{self.filename}: {self._describe()}"


def download(results: list[CheckResult], filename: str = FILENAME) -> CsvDownload:
    """The audit CSV of ``results`` as a download link."""
    return CsvDownload(to_csv(results), filename, rows=len(results))
