"""The notebooks' Markdown in another language, from the book's Sphinx catalogs.

The Vietnamese book is translated by Sphinx while it builds: each paragraph, heading, list
item, table cell and directive title of a page is a message of the page's catalog
(``locale/<lang>/LC_MESSAGES/<docname>.po``, made by ``make catalogs``), whose ``msgid`` is
the block's MyST source with its newlines folded to spaces. A notebook read outside the book
(the student edition in JupyterLab) gets no such help, so :func:`translate_markdown` applies
the same catalog to the Markdown itself:

- the text is parsed with MyST's own Markdown parser (markdown-it with the book's
  extensions); the token line maps locate every paragraph, heading, list item and table
  cell, and a block whose folded source (markdown-it's inline content, as MyST hands it to
  Sphinx) is a translated ``msgid`` is replaced by its ``msgstr``;
- directives (``:::{name}`` and ```` ```{name} ````) are read through: their options stay,
  their content is translated the same way, and a title argument (``{exercise} Title``,
  ``{admonition} Title``) is a message too; a directive that takes no argument
  (``{note} Text``) reads its first line as the start of its content, as MyST does. Code,
  math and other literal blocks are left alone;
- ``{only} lang_<l>`` blocks (text for one edition's readers, e.g. our English translation
  of a quotation) are kept without their fence in the edition in ``l`` and dropped in the
  others, as the book's tag ``lang_<language>`` does.

A block with no translation (not in the catalog, empty or fuzzy there, as Sphinx would skip
it) is reported, not passed on in English: the caller stops with the page and the text.
English, the source language, needs no catalog: only its ``{only}`` blocks are resolved.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from ..i18n import SOURCE_LANGUAGE
from ..paths import project_root

LANGUAGE_TAG = "lang_"  # bentre.book.translate.LANGUAGE_TAG without its language
# Directives whose body is not Markdown prose.
LITERAL = {"code-block", "code", "code-cell", "sourcecode", "math", "eval-rst", "raw",
           "literalinclude", "include", "glue", "glue:any", "glue:text", "glue:figure",
           "glue:math", "csv-table", "list-table", "mermaid", "graphviz", "toctree",
           "tableofcontents", "bibliography", "glossary"}
# Directives that take no argument: MyST reads ``{note} Some text`` as content.
NO_ARGUMENT = {"note", "tip", "hint", "important", "warning", "caution", "attention",
               "danger", "error", "seealso"}
# Directives whose argument is a title, hence prose (a message of the catalog).
TITLE_ARGUMENT = {"admonition", "exercise", "solution", "topic", "sidebar", "dropdown",
                  "card", "epigraph"}
_DIRECTIVE_INFO = re.compile(r"^\{(?P<name>[\w.:-]+)\}\s*(?P<argument>.*)$")
_OPTION = re.compile(r"^:[\w-]+:")
# A line that starts a block of its own (list item, heading, quote): a translation that
# happens to start this way is escaped, so that it stays the paragraph it translates.
_BLOCK_START = re.compile(r"^(\d{1,9}[.)]|[-+*]|#{1,6}|>)(\s|$)")


# --- the catalogs -----------------------------------------------------------------------------

@dataclass
class Catalog:
    """One page's translations: ``messages`` (msgid -> msgstr, only those Sphinx would use:
    not empty, not fuzzy) and ``known`` (every msgid of the file)."""

    path: Path
    lang: str
    messages: dict[str, str] = field(default_factory=dict)
    known: set[str] = field(default_factory=set)

    def lookup(self, msgid: str) -> str | None:
        return self.messages.get(msgid)

    def why_missing(self, msgid: str) -> str:
        try:
            where = self.path.relative_to(project_root()).as_posix()
        except ValueError:
            where = self.path.as_posix()
        if msgid in self.known:
            return f"not translated yet in {where} (empty or fuzzy)"
        if not self.path.is_file():
            return f"{where} does not exist (make catalogs, then translate it)"
        return f"not in {where} (make catalogs, then translate it)"


def catalog_path(docname: str, lang: str, root: Path | None = None) -> Path:
    """``locale/<lang>/LC_MESSAGES/<docname>.po`` (``docname``: ``chapters/02_economy``)."""
    return Path(root or project_root()) / "locale" / lang / "LC_MESSAGES" / f"{docname}.po"


@lru_cache(maxsize=64)
def _read(path: Path, lang: str, stamp: int) -> Catalog:
    from babel.messages.pofile import read_po

    catalog = Catalog(path, lang)
    if not path.is_file():
        return catalog
    with path.open("rb") as handle:
        po = read_po(handle, locale=lang)
    for message in po:
        if not message.id or not isinstance(message.id, str):
            continue
        catalog.known.add(message.id)
        if message.string and not message.fuzzy:
            catalog.messages[message.id] = message.string
    return catalog


def load_catalog(docname: str, lang: str, root: Path | None = None) -> Catalog:
    path = catalog_path(docname, lang, root)
    return _read(path, lang, path.stat().st_mtime_ns if path.is_file() else 0)


def docname(path: Path, root: Path | None = None) -> str:
    """The Sphinx document name of a page: ``chapters/02_economy`` for
    ``chapters/02_economy.ipynb`` (relative to ``root``, else its folder's name and stem)."""
    path = Path(path)
    if root is not None:
        try:
            return path.resolve().relative_to(Path(root).resolve()).with_suffix("").as_posix()
        except ValueError:
            pass
    return f"{path.parent.name}/{path.stem}" if path.parent.name else path.stem


# --- the Markdown -----------------------------------------------------------------------------

def _extensions() -> list[str]:
    """The book's MyST extensions (``_config.yml``'s ``parse.myst_enable_extensions``)."""
    import yaml

    try:
        config = yaml.safe_load((project_root() / "_config.yml").read_text(encoding="utf-8"))
        found = (config or {}).get("parse", {}).get("myst_enable_extensions")
    except (OSError, LookupError):
        found = None
    return list(found or ["colon_fence", "dollarmath", "substitution", "tasklist"])


@lru_cache(maxsize=4)
def _parser(extensions: tuple[str, ...]):
    from markdown_it.renderer import RendererHTML
    from myst_parser.config.main import MdParserConfig
    from myst_parser.parsers.mdit import create_md_parser

    return create_md_parser(MdParserConfig(enable_extensions=set(extensions)), RendererHTML)


def parser():
    return _parser(tuple(sorted(_extensions())))


def fold(text: str) -> str:
    """A block's source as Sphinx's gettext builder writes it as a ``msgid``."""
    return text.replace("\n", " ").strip()


def _one_line(text: str) -> str:
    return re.sub(r"\s*\n\s*", " ", text).strip()


def _split_options(body: list[str]) -> tuple[list[str], list[str]]:
    """A directive's body as (option lines, content lines), as MyST reads it: a ``---`` YAML
    block or leading ``:name: value`` lines."""
    if body and body[0].strip() == "---":
        for end in range(1, len(body)):
            if body[end].strip() == "---":
                return body[:end + 1], body[end + 1:]
        return [], body
    n = 0
    while n < len(body) and _OPTION.match(body[n]):
        n += 1
    return body[:n], body[n:]


@dataclass
class Translation:
    """What :func:`translate_markdown` made: the text, and every block it could not
    translate (``kind``, the block's folded source, why)."""

    text: str
    missing: list[tuple[str, str, str]] = field(default_factory=list)


def _describe(kind: str, msgid: str, why: str) -> str:
    shown = msgid if len(msgid) <= 160 else msgid[:157] + "..."
    return f"no translation of the {kind} {shown!r}: {why}"


def translate_markdown(text: str, lang: str, catalog: Catalog | None = None) -> Translation:
    """``text`` (MyST Markdown) in ``lang``: every block replaced by its translation from
    ``catalog`` (see the module docstring), ``{only} lang_*`` blocks resolved. With the
    source language, only the ``{only}`` blocks change."""
    result = Translation(text)
    lines = text.split("\n")
    tokens = parser().parse(text)
    edits: list[tuple[int, int, list[str]]] = []  # (first line, end line, new lines)
    row_cells: dict[int, list[tuple[str, str]]] = {}  # table row line -> (source, translation)
    row_line = None
    translating = lang != SOURCE_LANGUAGE

    def translate(kind: str, source: str) -> str | None:
        msgid = fold(source)
        if not msgid or not translating:
            return None
        found = catalog.lookup(msgid) if catalog is not None else None
        if found is None:
            why = catalog.why_missing(msgid) if catalog is not None else "no catalog"
            result.missing.append((kind, msgid, why))
        return found

    i = 0
    while i < len(tokens):
        token = tokens[i]
        kind = token.type
        if kind == "tr_open":
            row_line = token.map[0] if token.map else None
        elif kind in ("paragraph_open", "heading_open") and token.map:
            inline = tokens[i + 1]
            name = "heading" if kind == "heading_open" else "paragraph"
            found = translate(name, inline.content)
            if found is not None:
                first, end = token.map
                if kind == "heading_open" and token.markup in ("=", "-"):
                    end -= 1  # a setext heading keeps its underline
                edits.append((first, end, [_place(lines[first], inline.content, found,
                                                  paragraph=name == "paragraph")]))
        elif kind in ("th_open", "td_open") and row_line is not None:
            inline = tokens[i + 1]
            if inline.type == "inline" and inline.content.strip():
                found = translate("table cell", inline.content)
                if found is not None:
                    row_cells.setdefault(row_line, []).append((inline.content, found))
        elif kind in ("fence", "colon_fence") and token.map:
            new = _directive(token, lines, lang, catalog, result)
            if new is not None:
                edits.append((token.map[0], token.map[1], new))
        i += 1

    for line, cells in row_cells.items():
        text_line, at, out = lines[line], 0, []
        for source, found in cells:
            where = text_line.find(source, at)
            if where < 0:
                continue
            out.append(text_line[at:where] + _one_line(found).replace("|", "\\|"))
            at = where + len(source)
        edits.append((line, line + 1, ["".join(out) + text_line[at:]]))
    for first, end, new in sorted(edits, key=lambda e: e[0], reverse=True):
        lines[first:end] = new
    result.text = "\n".join(lines)
    return result


def _place(line: str, source: str, translation: str, paragraph: bool = True) -> str:
    """The block's first line with its text replaced by ``translation`` on one line: what
    comes before the text (indentation, list marker, ``>``, ``#``) stays."""
    first = source.split("\n", 1)[0]
    where = line.find(first)
    prefix = line[:where] if where >= 0 else line[:len(line) - len(line.lstrip())]
    text = _one_line(translation)
    if paragraph and _BLOCK_START.match(text):
        text = "\\" + text  # still a paragraph: "2020. Something" is no list item
    return prefix + text


def _directive(token, lines: list[str], lang: str, catalog: Catalog | None,
               result: Translation) -> list[str] | None:
    """The lines that replace a fenced block in ``lang``, or ``None`` to keep it."""
    info = _DIRECTIVE_INFO.match(token.info.strip())
    if not info:
        return None  # a code block
    name, argument = info["name"], info["argument"].strip()
    if name in LITERAL:
        return None
    first, end = token.map
    opening = lines[first]
    indent = opening[:len(opening) - len(opening.lstrip())]
    closed = end - first >= 2 and lines[end - 1].strip().startswith(token.markup) \
        and not lines[end - 1].strip().strip(token.markup[0])
    body = token.content.split("\n")
    if body and body[-1] == "":
        body.pop()
    if name == "only" and argument.startswith(LANGUAGE_TAG):
        if argument != LANGUAGE_TAG + lang:
            return []  # another edition's text
        return [indent + line if line else line for line in body]  # this edition's: unwrapped
    if lang == SOURCE_LANGUAGE:
        inner = translate_markdown("\n".join(body), lang, catalog)
        if inner.text == "\n".join(body):
            return None
        return [opening] + [indent + l if l else l for l in inner.text.split("\n")] \
            + ([lines[end - 1]] if closed else [])
    options, content = _split_options(body)
    if name in NO_ARGUMENT and argument:
        # MyST: the argument line is the content's first line.
        content = [argument] + content
        opening = opening[:opening.index("}") + 1]
        argument = ""
    elif argument and (name in TITLE_ARGUMENT
                       or (catalog is not None and fold(argument) in catalog.known)):
        msgid = fold(argument)
        found = catalog.lookup(msgid) if catalog is not None else None
        if found is None:
            why = catalog.why_missing(msgid) if catalog is not None else "no catalog"
            result.missing.append((f"title of the {name} directive", msgid, why))
        else:
            opening = opening[:opening.index("}") + 1] + " " + _one_line(found)
    inner = translate_markdown("\n".join(content), lang, catalog)
    result.missing += inner.missing
    new_body = options + inner.text.split("\n")
    return [opening] + [indent + l if l else l for l in new_body] \
        + ([lines[end - 1]] if closed else [])
