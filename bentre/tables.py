"""Tables for the page: a DataFrame shown as a MyST pipe table.

A Markdown table renders as a real table in the HTML and in the PDF (a DataFrame's HTML
does not reach LaTeX), and its plain-text form is what a notebook reader and nbval see.
Text that comes from data is escaped, so a label such as ``<script>`` stays text.
"""

from __future__ import annotations

import pandas as pd

# CommonMark lets a backslash escape any ASCII punctuation; these would otherwise be markup.
_SPECIAL = set("\\`*_{}[]<>()#+-!|$&~^:")


def _cell(value) -> str:
    """Numbers in the reader's convention (Babel: ``22,648.56`` in English, ``22.648,56`` in
    Vietnamese), as many decimals as the value has; text as is."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    if isinstance(value, float):
        from .numbers import local

        decimals = 0 if value.is_integer() else len(repr(value).split(".")[1])
        return local(value, decimals)
    return str(value)


def escape(text) -> str:
    text = _cell(text)
    out = "".join("\\" + ch if ch in _SPECIAL else ch for ch in text)
    return out.replace("\n", " ")


class Table:
    """``Table(df)`` displays as a pipe table; ``align`` maps column → "left"/"right"."""

    def __init__(self, frame: pd.DataFrame, align: dict[str, str] | None = None):
        self.frame = frame.reset_index(drop=True)
        self.align = align or {}

    def _repr_markdown_(self) -> str:
        cols = list(self.frame.columns)
        rule = {"left": ":---", "right": "---:", "center": ":---:"}
        lines = ["| " + " | ".join(escape(c) for c in cols) + " |",
                 "| " + " | ".join(rule.get(self.align.get(c, "left"), "---") for c in cols) + " |"]
        for row in self.frame.itertuples(index=False):
            lines.append("| " + " | ".join(escape(v) for v in row) + " |")
        return "\n".join(lines)

    def __repr__(self) -> str:
        with pd.option_context("display.max_colwidth", 60, "display.width", 120,
                               "display.max_columns", 20):
            return self.frame.to_string(index=False)
