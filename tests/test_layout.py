"""The package's two rooms: the analysis (``bentre/*.py``) never imports the tools that build
and publish the book (``bentre/book/``), so that a reader who reruns a chapter needs none of
them, and a change to the build cannot change a number."""

from __future__ import annotations

import ast
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
ANALYSIS = sorted((REPO / "bentre").glob("*.py"))


def book_imports(source: str) -> list[str]:
    """The imports of ``bentre.book`` (absolute or relative) in one module's source."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom):
            module = ("." * node.level) + (node.module or "")
            names = [a.name for a in node.names]
            if module in ("bentre.book", ".book") or module.startswith(("bentre.book.", ".book.")) \
                    or (module in ("bentre", ".") and "book" in names):
                found.append(module)
        elif isinstance(node, ast.Import):
            found += [a.name for a in node.names if a.name.startswith("bentre.book")]
    return found


def test_the_rule_finds_every_form_of_import():
    for line in ("from .book import build", "from bentre.book.pdf import x",
                 "from . import book", "import bentre.book.student",
                 "def f():\n    from .book import student"):
        assert book_imports(line), line
    assert not book_imports("from . import data\nfrom .paths import build_dir")


def test_the_analysis_never_imports_the_book_tools():
    assert len(ANALYSIS) > 10  # the rule reads the package
    # The command line is the one exception: it is the project's entry point, and its verbs
    # `execute`, `cache-guard` and `student` are book tools it starts on request.
    offenders = {p.name: book_imports(p.read_text(encoding="utf-8")) for p in ANALYSIS
                 if p.name != "cli.py"}
    assert not {name: found for name, found in offenders.items() if found}
