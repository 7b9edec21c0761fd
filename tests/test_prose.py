"""Promises of the book's own prose (the chapters' Markdown, the intro, the teacher's guide):

- a quotation of the article stays exactly as the article wrote it;
- one Vietnamese sentence gets one translation, wherever it is quoted; where the sentence is a
  row of a table (claims, plans, figures), the translation is that row's, glued from the data;
- our prose writes "TP. Bến Tre"; "TP.Bến Tre" (no space) stays inside quotations only.

The rules are functions over text, tested on small made-up pages first (so that each is seen
to fail), then applied to every page of the book.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

from bentre import data, source

REPO = Path(__file__).resolve().parent.parent
PAGES = sorted((REPO / "chapters").glob("*.ipynb")) + [REPO / "intro.md",
                                                       REPO / "chapters" / "teacher_guide.md"]

# A quotation: "> text" lines, then (after at most one blank line) "*(translation)*", the
# translation possibly opening with 'Our translation: "' and spanning several lines, and
# possibly in an English-only block (":::{only} lang_en": the Vietnamese edition drops it).
QUOTE = re.compile(r"^> (?P<vi>[^\n]+)\n\n?(?::::\{only\} lang_en\n)?\*\((?P<en>.+?)\)\*",
                   re.M | re.S)
OUR = re.compile(r'^Our translation: "(?P<en>.*)"$', re.S)


def markdown_of(path: Path) -> str:
    """The Markdown a reader sees on a page: a notebook's Markdown cells, or the file."""
    if path.suffix == ".md":
        return path.read_text(encoding="utf-8")
    nb = nbformat.read(path, as_version=4)
    return "\n\n".join(c.source for c in nb.cells if c.cell_type == "markdown")


def quotations(text: str) -> list[tuple[str, str]]:
    """(Vietnamese, translation) pairs of a page, whitespace folded."""
    pairs = []
    for m in QUOTE.finditer(text):
        en = " ".join(m.group("en").split())
        inner = OUR.match(en)
        pairs.append((m.group("vi").strip(), inner.group("en") if inner else en))
    return pairs


def translation_conflicts(pairs: list[tuple[str, str, str]]) -> list[str]:
    """Vietnamese sentences given two different translations: (page, vi, en) in."""
    seen: dict[str, tuple[str, str]] = {}
    problems = []
    for page, vi, en in pairs:
        key = vi.rstrip(".…")
        if key in seen and seen[key][1] != en:
            problems.append(f"{vi!r}: {seen[key][0]} has {seen[key][1]!r}, {page} has {en!r}")
        seen.setdefault(key, (page, en))
    return problems


def not_from_the_data(pairs: list[tuple[str, str, str]], rows: dict[str, str]) -> list[str]:
    """Quotations of a table's row whose translation is typed instead of glued from it."""
    return [f"{page}: {vi!r} is the quote of {rows[vi.rstrip('.…')]} but its translation is "
            f"typed ({en!r}); glue the row's quote_en"
            for page, vi, en in pairs
            if vi.rstrip(".…") in rows and "{glue:text}" not in en]


def unspaced_tp(text: str) -> list[str]:
    """Lines of prose (not quotations) that write "TP.Bến Tre" without the space."""
    return [line for line in text.splitlines()
            if "TP.Bến" in line and not line.lstrip().startswith(">")]


# --- the rules, seen to fail ----------------------------------------------------------------

def test_quotations_are_read_with_their_translation():
    page = ('> Tăng cường quản lý thị trường, ổn định giá cả.\n\n'
            '*(Our translation: "Strengthen market\nsurveillance.")*\n\n'
            '> đạt một số kết quả nhất định\n\n*({glue:text}`x`)*\n')
    assert quotations(page) == [
        ("Tăng cường quản lý thị trường, ổn định giá cả.", "Strengthen market surveillance."),
        ("đạt một số kết quả nhất định", "{glue:text}`x`")]


def test_two_translations_of_one_sentence_are_found():
    pairs = [("a.ipynb", "quản lý thị trường.", "market management"),
             ("b.ipynb", "quản lý thị trường", "market surveillance"),
             ("c.ipynb", "ổn định giá cả", "stable prices")]
    [problem] = translation_conflicts(pairs)
    assert "a.ipynb" in problem and "b.ipynb" in problem


def test_a_typed_translation_of_a_table_row_is_found():
    rows = {"đạt một số kết quả nhất định": "claims.overall_results"}
    pairs = [("a.ipynb", "đạt một số kết quả nhất định", "achieved certain results"),
             ("b.ipynb", "đạt một số kết quả nhất định", "{glue:text}`gov_en_overall_results`")]
    assert len(not_from_the_data(pairs, rows)) == 1


def test_unspaced_tp_is_found_in_prose_only():
    text = "> các cấp ủy, chính quyền TP.Bến Tre đã\n\nThe city (TP.Bến Tre) is ...\nTP. Bến Tre"
    assert unspaced_tp(text) == ["The city (TP.Bến Tre) is ..."]


# --- the rules, on the book -------------------------------------------------------------------

@pytest.fixture(scope="module")
def all_quotations() -> list[tuple[str, str, str]]:
    return [(p.name, vi, en) for p in PAGES for vi, en in quotations(markdown_of(p))]


def test_the_book_quotes_the_article(all_quotations):
    assert len(all_quotations) >= 10  # the rule reads the pages: it has something to check


def test_every_quotation_is_the_article_as_written(all_quotations):
    article = " ".join(source.article_text().split())
    wrong = [f"{page}: {vi!r}" for page, vi, _ in all_quotations
             if " ".join(vi.rstrip("…").split()) not in article]
    assert not wrong, "quotations that are not in the article as written:\n" + "\n".join(wrong)


def test_one_translation_per_quoted_sentence(all_quotations):
    problems = translation_conflicts(all_quotations)
    assert not problems, "\n".join(problems)


def test_quoted_table_rows_take_their_translation_from_the_data(all_quotations):
    rows = {}
    for name, frame in (("claims", data.load_claims()), ("plans", data.load_plans()),
                        ("figures", data.load_figures())):
        for row in frame.itertuples():
            rows[row.quote.rstrip(".…")] = f"{name}.{row.id}"
    problems = not_from_the_data(all_quotations, rows)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_prose_writes_tp_with_a_space(page):
    assert not unspaced_tp(markdown_of(page))
