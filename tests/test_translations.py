"""One translation per Vietnamese string and per term, across the tables (issue 9).

The tables translate the article in three kinds of pairs: ``quote``/``quote_en`` (figures,
references, claims, plans), ``indicator_vi``/``indicator_en`` (figures) and
``term_vi``/``term_en`` (glossary). Three rules, each stated on frames so that each is shown
to fail on a deliberately changed copy:

1. The same Vietnamese string (NFC, case and runs of whitespace ignored) has one English
   translation wherever it is translated.
2. A Vietnamese string that lies wholly inside another (a reference's quote inside a figure's,
   an indicator inside a quote) is translated inside the other's translation: its English
   occurs in the longer English, either or both read with or without their bracketed
   insertions ("[National]", "(sales)").
3. A glossary term that occurs in a quote or an indicator (whole words, as ``data.occurs``
   reads them) is rendered there by the glossary's ``term_en``: one of its comma-separated
   forms, without the parenthesised gloss (``drought and salinity intrusion``,
   ``market surveillance``, ``communication``), as whole words with an optional plural ending.
   Where the rule cannot be stated it says so explicitly (``OTHER_WORDS``, ``EXEMPT``), and
   a test proves each exception is still needed.

Only the tables that translate the article are read (``TABLES``); a new table that does
should be added there.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

import pytest

from bentre import data

TABLES = ("figures", "references", "claims", "plans", "glossary", "outcomes")
PAIRS = {"figures": (("quote", "quote_en"), ("indicator_vi", "indicator_en")),
         "references": (("quote", "quote_en"),),
         "claims": (("quote", "quote_en"),),
         "plans": (("quote", "quote_en"),),
         "glossary": (("term_vi", "term_en"),),
         "outcomes": (("indicator_vi", "indicator_en"),)}

# A term's syllables inside another word are not the term: xã (commune) in xã hội (society),
# đồng (dong) in Đồng khởi (the programme's name, "concerted uprising").
OTHER_WORDS = {"xã": ("xã hội",), "đồng": ("Đồng khởi",)}
# Terms whose English depends on the grammar of the sentence, so no one rendering can be
# required: tăng is "up 6.02%", "growth", "raise" (revenue), and part of tăng cường.
EXEMPT = {"tăng": "rendered by its grammatical role: up, growth, increase, raise",
          "thực hiện": "a verb in the article's sentences (implement, carry out, given focus); "
                       "the glossary's 'result' is its sense beside a figure, which no cell has"}


@dataclass(frozen=True)
class Pair:
    table: str
    row_id: str
    column: str
    vi: str
    en: str

    def __str__(self) -> str:
        return f"{self.table}/{self.row_id}/{self.column}: {self.vi!r} -> {self.en!r}"


def norm(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


def frames() -> dict:
    return {name: data.load_table(name) for name in TABLES}


def pairs(tables: dict, names=TABLES) -> list[Pair]:
    out = []
    for name in names:
        for row in tables[name].to_dict("records"):
            for vi, en in PAIRS[name]:
                out.append(Pair(name, row["id"], vi, row[vi], row[en]))
    return out


def with_cell(tables: dict, name: str, row_id: str, column: str, value: str) -> dict:
    """A copy of ``tables`` with one cell of one table changed (the frames are not touched)."""
    changed = dict(tables)
    frame = tables[name].copy()
    index = frame.index[frame["id"] == row_id]
    assert len(index) == 1, row_id
    frame.loc[index[0], column] = value
    changed[name] = frame
    return changed


# --- rule 1: one translation per Vietnamese string ------------------------------------------

def conflicts(tables: dict) -> dict[str, list[Pair]]:
    """Vietnamese strings translated in two different ways, with every pair that translates
    them."""
    by_vi: dict[str, list[Pair]] = {}
    for pair in pairs(tables):
        by_vi.setdefault(norm(pair.vi), []).append(pair)
    return {vi: found for vi, found in by_vi.items()
            if len({norm(p.en) for p in found}) > 1}


def test_each_vietnamese_string_has_one_translation():
    found = conflicts(frames())
    assert found == {}, "\n".join(str(p) for group in found.values() for p in group)


def test_shared_quotes_exist_so_rule_one_is_exercised():
    """The rule compares something: some strings are translated more than once."""
    counts: dict[str, int] = {}
    for pair in pairs(frames()):
        counts[norm(pair.vi)] = counts.get(norm(pair.vi), 0) + 1
    assert sum(n > 1 for n in counts.values()) >= 3


def test_two_translations_of_one_quote_are_found():
    """works_in_use and works_planned quote the same words: translated apart, they conflict."""
    tables = frames()
    changed = with_cell(tables, "figures", "works_planned", "quote_en",
                        "25 of the 42 works are in use")
    found = conflicts(changed)
    assert list(found) == [norm("đã được đưa vào sử dụng 25/42 công trình")]
    assert {p.row_id for p in next(iter(found.values()))} == {"works_in_use", "works_planned"}


def test_a_glossary_term_translated_otherwise_in_an_indicator_is_found():
    """Across tables: the glossary's entry for a string the figures also translate."""
    tables = frames()
    changed = with_cell(tables, "glossary", "doanh_thu", "term_vi",
                        "tổng doanh thu hàng hóa, dịch vụ")
    changed = with_cell(changed, "glossary", "doanh_thu", "term_en",
                        "total revenue of goods and services")
    found = conflicts(changed)
    assert list(found) == [norm("tổng doanh thu hàng hóa, dịch vụ")]
    assert {p.table for p in found[norm("tổng doanh thu hàng hóa, dịch vụ")]} == \
        {"figures", "glossary"}


# --- rule 2: a string inside another is translated inside its translation ------------------

BRACKETED = re.compile(r"\s*(\[[^\]]*\]|\([^)]*\))")


def nested_mismatches(tables: dict) -> list[tuple[Pair, Pair]]:
    """(inner, outer) where inner's Vietnamese lies inside outer's but inner's English does
    not lie inside outer's, each read as written or without its bracketed insertions.
    Glossary terms are rule 3's (they are words, not cells of the article)."""
    cells = pairs(tables, [n for n in TABLES if n != "glossary"])
    out = []
    for inner in cells:
        for outer in cells:
            vi_in, vi_out = norm(inner.vi), norm(outer.vi)
            if vi_in == vi_out or vi_in not in vi_out:
                continue
            readings = lambda en: {norm(en), norm(BRACKETED.sub("", en))}  # noqa: E731
            if not any(a in b for a in readings(inner.en) for b in readings(outer.en)):
                out.append((inner, outer))
    return out


def test_a_string_inside_another_is_translated_inside_its_translation():
    found = nested_mismatches(frames())
    assert found == [], "\n".join(f"{a}\n  inside {b}" for a, b in found)


def test_nested_strings_exist_so_rule_two_is_exercised():
    tables = frames()
    cells = pairs(tables, [n for n in TABLES if n != "glossary"])
    nested = [(a, b) for a in cells for b in cells
              if norm(a.vi) != norm(b.vi) and norm(a.vi) in norm(b.vi)]
    assert len(nested) >= 5
    assert any(a.table == "references" and b.table == "figures" for a, b in nested)


def test_a_reference_translated_apart_from_its_figure_is_found():
    """ước khối lượng thanh toán 9 tháng (a reference) lies inside the figure's quote: the
    old "volume paid" in the figure would no longer contain the reference's English."""
    tables = frames()
    changed = with_cell(tables, "figures", "infrastructure_payments", "quote_en",
                        "the volume paid in the nine months is estimated at 121.729 billion dong")
    found = nested_mismatches(changed)
    assert [(a.row_id, b.row_id) for a, b in found] == [("months_9_payments",
                                                         "infrastructure_payments")]


# --- rule 3: a glossary term keeps the glossary's translation --------------------------------

def renderings(term_en: str) -> list[str]:
    """The forms a quote may use: comma-separated, without parenthesised glosses."""
    bare = re.sub(r"\s*\([^)]*\)", "", term_en)
    forms = [form.strip() for form in bare.split(",") if form.strip()]
    if "," not in term_en and bare != term_en:
        forms.append(term_en.strip())  # or the whole rendering, gloss and all
    return forms


def rendered(form: str, english: str) -> bool:
    pattern = r"(?<!\w)" + re.escape(form) + r"(?:e?s)?(?!\w)"
    return re.search(pattern, unicodedata.normalize("NFC", english), re.IGNORECASE) is not None


def without_other_words(term: str, text: str, other_words=OTHER_WORDS) -> str:
    """``text`` with the longer words that contain ``term``'s syllables blanked out."""
    for word in other_words.get(term, ()):
        text = re.sub(re.escape(word), " ", text, flags=re.IGNORECASE)
    return text


def term_mismatches(tables: dict, exempt=EXEMPT, other_words=OTHER_WORDS) -> list[tuple[str, Pair]]:
    """(term, pair) where the glossary term occurs in the pair's Vietnamese but none of its
    renderings occurs in the pair's English."""
    out = []
    cells = pairs(tables, [n for n in TABLES if n != "glossary"])
    for term in tables["glossary"].to_dict("records"):
        if term["term_vi"] in exempt:
            continue
        forms = renderings(term["term_en"])
        for pair in cells:
            text = without_other_words(term["term_vi"], pair.vi, other_words)
            if data.occurs(term["term_vi"], text) and not any(rendered(f, pair.en) for f in forms):
                out.append((term["term_vi"], pair))
    return out


def test_glossary_terms_keep_the_glossary_translation():
    found = term_mismatches(frames())
    assert found == [], "\n".join(f"[{term}] {pair}" for term, pair in found)


def test_the_rule_covers_the_terms_the_review_named():
    """quản lý thị trường, tuyên truyền and hạn mặn each occur in a quote, so the rule reads
    them; each has one rendering in the glossary."""
    tables = frames()
    glossary = tables["glossary"].set_index("term_vi")
    cells = pairs(tables, [n for n in TABLES if n != "glossary"])
    for term in ("quản lý thị trường", "tuyên truyền", "hạn mặn", "khối lượng thanh toán"):
        # one rendering (with or without its parenthesised gloss)
        assert len({re.sub(r"\s*\([^)]*\)", "", form)
                    for form in renderings(glossary.loc[term, "term_en"])}) == 1, term
        assert any(data.occurs(term, p.vi) for p in cells), term


@pytest.mark.parametrize("table, row_id, column, value, term", [
    ("plans", "market_management", "quote_en",
     "Strengthen market management and keep prices stable", "quản lý thị trường"),
    ("claims", "salinity_support", "quote_en",
     "Coordinated many active and effective measures to help the people overcome the effects "
     "of drought and salinity", "hạn mặn"),
    ("glossary", "tuyen_truyen", "term_en", "propaganda", "tuyên truyền"),
    ("figures", "infrastructure_payments", "indicator_en",
     "volume of payments for technical infrastructure development", "khối lượng thanh toán"),
])
def test_a_term_translated_otherwise_is_found(table, row_id, column, value, term):
    found = term_mismatches(with_cell(frames(), table, row_id, column, value))
    assert found and {t for t, _ in found} == {term}


def test_plural_and_case_are_allowed_but_not_other_words():
    assert rendered("congress", "the Party congresses")
    assert rendered("People's Committee", "the People's Committees at all levels")
    assert rendered("start-up", "The Đồng khởi Start-up and Enterprise Development Programme")
    assert not rendered("work", "the network")  # inside another word
    assert not rendered("market surveillance", "market management")
    assert not rendered("term", "terminal")


@pytest.mark.parametrize("kind", ["exempt", "other_words"])
def test_each_exception_is_still_needed(kind):
    """Without each exception the rule would fail on the real tables: none is dead."""
    tables = frames()
    items = EXEMPT if kind == "exempt" else OTHER_WORDS
    for term in items:
        exempt = {k: v for k, v in EXEMPT.items() if not (kind == "exempt" and k == term)}
        other = {k: v for k, v in OTHER_WORDS.items()
                 if not (kind == "other_words" and k == term)}
        found = term_mismatches(tables, exempt=exempt, other_words=other)
        assert any(t == term for t, _ in found), f"{term!r} no longer needs its exception"
