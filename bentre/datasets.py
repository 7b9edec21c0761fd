"""The "Datasets" page, generated from ``data/datapackage.json`` and the article's metadata,
so that what the book says about its data is never typed twice.

The page follows the edition: labels go through gettext (:func:`bentre.i18n._`), numbers
through :func:`bentre.numbers.local`, and the descriptor's and the metadata's own text
through :func:`bentre.data.local_text` (``title``/``title_vi``, ``description``/
``description_vi``, ``publisher``/``publisher_vi`` ...). Field names, types, enumerated
codes and patterns are the data's own and stay as they are.
"""

from __future__ import annotations

import pandas as pd
from IPython.display import Markdown

from . import data, numbers, source
from .i18n import _, ngettext, pgettext
from .paths import relative
from .tables import Table, escape


def _download(path) -> str:
    # Paths are relative to chapters/, where the page lives.
    rel = relative(path)
    return f"{{download}}`{rel.rsplit('/', 1)[-1]} <../{rel}>`"


# One-word labels of the page's tables are translated in the context "datasets page" ("value"
# there is a column heading, not a figure's value).

def _constraints(field: dict) -> str:
    c = field.get("constraints", {})
    parts = []
    if c.get("required"):
        parts.append(pgettext("datasets page", "required"))
    if c.get("unique"):
        parts.append(pgettext("datasets page", "unique"))
    if "enum" in c:
        parts.append(_("one of: {values}").format(values=", ".join(c["enum"])))
    if "pattern" in c:
        parts.append(_("pattern {pattern}").format(pattern=c["pattern"]))
    if "minimum" in c:
        parts.append(f"≥ {numbers.local(c['minimum'])}")
    return "; ".join(parts)


def fields_table(name: str) -> Table:
    schema = data.resource(name)["schema"]
    rows = [(f["name"], f.get("type", "string"), _constraints(f),
             data.local_text(f, "description") if f.get("description") else "")
            for f in schema["fields"]]
    columns = [pgettext("datasets page", "field"), pgettext("datasets page", "type"),
               pgettext("datasets page", "constraints"), pgettext("datasets page", "description")]
    return Table(pd.DataFrame(rows, columns=columns))


def article_section() -> Markdown:
    meta = source.metadata()
    raw = source.read_bytes()
    text = {key: data.local_text(meta, key)  # publisher_vi ... in the Vietnamese edition
            for key in ("publisher", "subject", "published", "unknown", "rights")}
    rows = [
        (pgettext("datasets page", "file"), _download(source.source_path())),
        (pgettext("datasets page", "publisher"), escape(text["publisher"])),
        (pgettext("datasets page", "byline"), escape(meta["byline"])),
        (pgettext("datasets page", "language"), escape(meta["language"])),
        (pgettext("datasets page", "subject"), escape(text["subject"])),
        (pgettext("datasets page", "period covered"), escape(meta["period_covered"])),
        (pgettext("datasets page", "published"), escape(text["published"])),
        (pgettext("datasets page", "not known"), escape("; ".join(text["unknown"]))),
        (pgettext("datasets page", "size"), _("{n} bytes").format(n=numbers.local(len(raw)))),
        ("SHA-256", f"`{meta['sha256']}`"),
        (pgettext("datasets page", "rights"), escape(text["rights"])),
        (pgettext("datasets page", "metadata"), _download(source.metadata_path())),
    ]
    head = (pgettext("datasets page", "property"), pgettext("datasets page", "value"))
    lines = ["| {} | {} |".format(*head), "| --- | --- |"]
    lines += [f"| {k} | {v} |" for k, v in rows]
    return Markdown("\n".join(lines))


def table_section(name: str) -> Markdown:
    res = data.resource(name)
    frame = data.load_table(name)
    count = ngettext("{n} row", "{n} rows", len(frame)).format(n=numbers.local(len(frame)))
    lines = [
        _("**{title}** ({file}, {rows}, {encoding} CSV)").format(
            title=escape(data.local_text(res, "title")), file=_download(data.table_path(name)),
            rows=count, encoding=escape(res["encoding"])),
        "",
        escape(data.local_text(res, "description")),
    ]
    for src in res.get("sources", []):
        lines += ["", _("Origin: {title}").format(title=escape(data.local_text(src, "title")))]
    lines += ["", fields_table(name)._repr_markdown_()]
    return Markdown("\n".join(lines))


def package_summary() -> Markdown:
    pkg = data.descriptor()
    licences = "; ".join(escape(data.local_text(lic, "title") if lic.get("title") else lic["name"])
                         for lic in pkg.get("licenses", []))
    return Markdown("\n".join([
        _("**{title}** (version {version}; descriptor {file})").format(
            title=escape(data.local_text(pkg, "title")), version=escape(pkg["version"]),
            file=_download(data.descriptor_path())),
        "",
        escape(data.local_text(pkg, "description")),
        "",
        _("Licence: {licences}").format(licences=licences),
    ]))
