"""The package's message catalog (Python gettext, made with Babel), and Babel's extractor for
the strings marked in the notebooks' code cells.

``make catalogs`` runs ``python -m bentre.book.catalogs update``: extract every marked string
of ``bentre/`` and ``chapters/*.ipynb`` into ``bentre/locale/bentre.pot`` (``babel.cfg``),
bring ``bentre/locale/vi/LC_MESSAGES/bentre.po`` up to date with it (new strings empty,
changed ones fuzzy) and compile ``bentre.mo``. The tests fail while any entry is empty or fuzzy.
"""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

from babel.messages.extract import DEFAULT_KEYWORDS, extract_python

# Dates in the catalogs' headers are fixed: a rebuild must not rewrite a file it did not change.
FIXED_DATE = __import__("datetime").datetime(2026, 12, 1, tzinfo=__import__("datetime").timezone.utc)
HEADER = ("# Strings of the bentre package and of the chapters' code cells (Python gettext).\n"
          "# Made by `python -m bentre.book.catalogs update` (make catalogs); see babel.cfg.")
KEYWORDS = {**DEFAULT_KEYWORDS, "N_": None, "pgettext": ((1, "c"), 2)}


def extract_notebook(fileobj, keywords, comment_tags, options):
    """Babel extraction method for a notebook: the Python extractor over each code cell, and
    the task stated by each solution cell's leading comment. Line numbers are the cell's
    number times 1000 plus the line in the cell."""
    from .student import SOLUTION_TAG, prompt_message

    notebook = json.load(io.TextIOWrapper(fileobj, encoding="utf-8"))
    for index, cell in enumerate(notebook.get("cells", [])):
        if cell.get("cell_type") != "code":
            continue
        source = "".join(cell.get("source", ""))
        if SOLUTION_TAG in cell.get("metadata", {}).get("tags", []):
            # The task a solution's leading comment states: the student edition shows it,
            # translated (bentre.book.student.prompt), in the solution's place.
            task = prompt_message(source)
            if task:
                yield (index + 1) * 1000, None, task, ["task of an exercise's solution cell"]
        # IPython magics are not Python: blank them out, keeping line numbers.
        lines = ["" if line.lstrip().startswith(("%", "!")) else line
                 for line in source.splitlines()]
        code = io.BytesIO("\n".join(lines).encode("utf-8"))
        for lineno, funcname, messages, comments in extract_python(
                code, keywords, comment_tags, options):
            yield (index + 1) * 1000 + lineno, funcname, messages, comments


def _root() -> Path:
    from ..paths import project_root

    return project_root()


def pot_path(root: Path) -> Path:
    return root / "bentre" / "locale" / "bentre.pot"


def po_path(root: Path, lang: str = "vi") -> Path:
    return root / "bentre" / "locale" / lang / "LC_MESSAGES" / "bentre.po"


def extract(root: Path):
    """Every marked string of the package and the notebooks, as a Babel catalog."""
    from babel.messages.catalog import Catalog
    from babel.messages.extract import extract_from_dir

    with (root / "babel.cfg").open() as handle:
        from babel.messages.frontend import parse_mapping_cfg

        method_map, options_map = parse_mapping_cfg(handle)
    catalog = Catalog(project="bentre", version=None, msgid_bugs_address=None, charset="utf-8",
                      creation_date=FIXED_DATE, revision_date=FIXED_DATE,
                      copyright_holder="The Bến Tre figures project",
                      language_team="The Bến Tre figures project",
                      last_translator="The Bến Tre figures project")
    catalog.header_comment = HEADER
    for filename, lineno, message, comments, context in extract_from_dir(
            root, method_map, options_map, keywords=KEYWORDS, strip_comment_tags=True):
        catalog.add(message, None, [(filename, lineno)], auto_comments=comments,
                    context=context)
    return catalog


def _read(path: Path, lang: str | None = None):
    from babel.messages.pofile import read_po

    with path.open("rb") as handle:
        return read_po(handle, locale=lang)


def _write(path: Path, catalog) -> None:
    from babel.messages.pofile import write_po

    buffer = io.BytesIO()
    write_po(buffer, catalog, width=100, sort_output=False, include_previous=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.is_file() or path.read_bytes() != buffer.getvalue():
        path.write_bytes(buffer.getvalue())


def compile_catalog(root: Path, lang: str = "vi") -> Path:
    from babel.messages.mofile import write_mo

    po = po_path(root, lang)
    mo = po.with_suffix(".mo")
    buffer = io.BytesIO()
    write_mo(buffer, _read(po, lang), use_fuzzy=False)
    if not mo.is_file() or mo.read_bytes() != buffer.getvalue():
        mo.write_bytes(buffer.getvalue())
    return mo


def update(root: Path | None = None, lang: str = "vi", fill: list[Path] = ()) -> dict:
    """Extract, update the catalog of ``lang`` (kept translations stay; a changed English
    string becomes fuzzy), fill empty entries from ``fill`` catalogs, compile. Returns counts."""
    import fcntl

    root = root or _root()
    lock = root / "bentre" / "locale" / ".lock"
    with lock.open("w") as handle:  # two translators updating at once must not mix files
        fcntl.flock(handle, fcntl.LOCK_EX)
        return _update(root, lang, fill)


def _update(root: Path, lang: str, fill) -> dict:
    from babel.messages.catalog import Catalog

    template = extract(root)
    _write(pot_path(root), template)
    po = po_path(root, lang)
    catalog = _read(po, lang) if po.is_file() else Catalog(locale=lang, project="bentre")
    catalog.header_comment = HEADER
    for field in ("creation_date", "revision_date"):
        setattr(catalog, field, FIXED_DATE)
    catalog.language_team = catalog.last_translator = "The Bến Tre figures project"
    catalog.fuzzy = False
    catalog.update(template, no_fuzzy_matching=False)
    catalog.obsolete.clear()
    for extra in fill:
        for message in _read(Path(extra), lang):
            if not message.id or not message.string:
                continue
            mine = catalog.get(message.id, message.context)
            if mine is not None and (not _filled(mine.string) or mine.fuzzy):
                mine.string = message.string
                mine.flags.discard("fuzzy")
    _write(po, catalog)
    compile_catalog(root, lang)
    return status(root, lang)


def _filled(string) -> bool:
    """A translation is there: a string, or every form of a plural (a tuple)."""
    return all(string) if isinstance(string, (list, tuple)) else bool(string)


def status(root: Path | None = None, lang: str = "vi") -> dict:
    root = root or _root()
    catalog = _read(po_path(root, lang), lang)
    messages = [m for m in catalog if m.id]
    return {
        "messages": len(messages),
        "untranslated": [m.id for m in messages if not _filled(m.string)],
        "fuzzy": [m.id for m in messages if m.fuzzy],
    }


def prune_prose(root: Path | None = None, lang: str = "vi") -> list[Path]:
    """Drop the obsolete entries (text no longer in any page) that sphinx-intl keeps at the
    end of the prose catalogs; returns the catalogs changed."""
    from sphinx_intl.catalog import dump_po, load_po

    root = root or _root()
    changed = []
    for path in sorted((root / "locale" / lang / "LC_MESSAGES").rglob("*.po")):
        catalog = load_po(str(path))
        if catalog.obsolete:
            catalog.obsolete.clear()
            dump_po(str(path), catalog, width=0)
            changed.append(path)
    return changed


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    verb, rest = (argv[0], argv[1:]) if argv else ("update", [])
    if verb == "update":
        counts = update(fill=[Path(p) for p in rest])
    elif verb == "compile":
        compile_catalog(_root())
        counts = status()
    elif verb == "status":
        counts = status()
    elif verb == "prune-prose":
        for path in prune_prose():
            print(f"{path.relative_to(_root())}: obsolete entries dropped")
        return 0
    else:
        print("usage: python -m bentre.book.catalogs update [FILL.po ...] | compile | status"
              " | prune-prose",
              file=sys.stderr)
        return 2
    print(f"bentre.po: {counts['messages']} messages, {len(counts['untranslated'])} "
          f"untranslated, {len(counts['fuzzy'])} fuzzy")
    for kind in ("untranslated", "fuzzy"):
        for message in counts[kind]:
            print(f"  {kind}: {message if isinstance(message, str) else message[0]!r}")
    return 0 if not counts["untranslated"] and not counts["fuzzy"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
