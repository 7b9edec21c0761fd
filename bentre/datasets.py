"""The "Datasets" page, generated from ``data/datapackage.json`` and the article's metadata,
so that what the book says about its data is never typed twice."""

from __future__ import annotations

import pandas as pd
from IPython.display import Markdown

from . import data, numbers, source
from .paths import data_dir, relative
from .tables import Table, escape


def _download(path) -> str:
    # Paths are relative to chapters/, where the page lives.
    rel = relative(path)
    return f"{{download}}`{rel.rsplit('/', 1)[-1]} <../{rel}>`"


def _constraints(field: dict) -> str:
    c = field.get("constraints", {})
    parts = []
    if c.get("required"):
        parts.append("required")
    if c.get("unique"):
        parts.append("unique")
    if "enum" in c:
        parts.append("one of: " + ", ".join(c["enum"]))
    if "pattern" in c:
        parts.append(f"pattern {c['pattern']}")
    if "minimum" in c:
        parts.append(f"≥ {c['minimum']}")
    return "; ".join(parts)


def fields_table(name: str) -> Table:
    schema = data.resource(name)["schema"]
    rows = [(f["name"], f.get("type", "string"), _constraints(f), f.get("description", ""))
            for f in schema["fields"]]
    return Table(pd.DataFrame(rows, columns=["field", "type", "constraints", "description"]))


def article_section() -> Markdown:
    meta = source.metadata()
    raw = source.read_bytes()
    rows = [
        ("file", _download(source.source_path())),
        ("publisher", escape(meta["publisher"])),
        ("byline", escape(meta["byline"])),
        ("language", escape(meta["language"])),
        ("subject", escape(meta["subject"])),
        ("period covered", escape(meta["period_covered"])),
        ("published", escape(meta["published"])),
        ("not known", escape("; ".join(meta["unknown"]))),
        ("size", f"{numbers.format_en(len(raw))} bytes"),
        ("SHA-256", f"`{meta['sha256']}`"),
        ("rights", escape(meta["rights"])),
        ("metadata", _download(source.metadata_path())),
    ]
    lines = ["| property | value |", "| --- | --- |"] + [f"| {k} | {v} |" for k, v in rows]
    return Markdown("\n".join(lines))


def table_section(name: str) -> Markdown:
    res = data.resource(name)
    frame = data.load_table(name)
    lines = [
        f"**{escape(res['title'])}** ({_download(data.table_path(name))}, "
        f"{numbers.format_en(len(frame))} rows, {escape(res['encoding'])} CSV)",
        "",
        escape(res["description"]),
    ]
    for src in res.get("sources", []):
        lines += ["", "Origin: " + escape(src["title"])]
    lines += ["", fields_table(name)._repr_markdown_()]
    return Markdown("\n".join(lines))


def package_summary() -> Markdown:
    pkg = data.descriptor()
    licences = "; ".join(escape(lic.get("title", lic["name"])) for lic in pkg.get("licenses", []))
    return Markdown("\n".join([
        f"**{escape(pkg['title'])}** (version {escape(pkg['version'])}; "
        f"descriptor {_download(data.descriptor_path())})",
        "",
        escape(pkg["description"]),
        "",
        f"Licence: {licences}",
    ]))
