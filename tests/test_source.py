"""Promises of ``bentre.source``: the article is the bytes whose SHA-256 was recorded;
its cleaning is the declared one (comment form dropped, blank lines collapsed, NFC);
quotes are located only when they are unique."""

from __future__ import annotations

import hashlib
import re
import unicodedata

import pytest
import yaml

from bentre import source
from bentre.source import SourceError, clean, locate, paragraph_of

from conftest import ARTICLE, METADATA, REPO

RECORDED_SHA256 = "f6718027a235f0aa01692bf11df63399b9740e20012ee90e7ba96c2a6127f21c"
COMMENT_FORM = ("Leave a Reply",
                "Your email address will not be published. Required fields are marked *")
RULES = {"unicode_normalization": "NFC", "drop_from_line_starting": "Leave a Reply",
         "strip_trailing_whitespace": True, "collapse_blank_lines": True}


# --- checksum --------------------------------------------------------------------------------

def test_recorded_checksum_is_the_one_in_the_metadata_file():
    meta = yaml.safe_load((REPO / METADATA).read_text(encoding="utf-8"))
    assert meta["sha256"] == RECORDED_SHA256
    assert meta["bytes"] == len((REPO / ARTICLE).read_bytes())


def test_read_bytes_returns_the_verified_article_unchanged():
    data = source.read_bytes()
    assert data == (REPO / ARTICLE).read_bytes()
    assert hashlib.sha256(data).hexdigest() == RECORDED_SHA256


def _flip_one_byte(project) -> tuple[str, str]:
    """Change '24.012' to '24.013' in the copy's article; return the new digest."""
    path = project / ARTICLE
    data = path.read_bytes()
    assert data.count(b"24.012") == 1
    changed = data.replace(b"24.012", b"24.013")
    assert len(changed) == len(data)
    path.write_bytes(changed)
    return hashlib.sha256(changed).hexdigest()


def test_changed_article_byte_raises_naming_file_and_both_digests(project):
    new_digest = _flip_one_byte(project)
    with pytest.raises(SourceError) as info:
        source.read_bytes()
    message = str(info.value)
    assert ARTICLE in message
    assert new_digest in message
    assert RECORDED_SHA256 in message
    assert METADATA in message


def test_checksum_is_verified_again_after_text_was_cached(project):
    """A warm cache must not hide a changed article."""
    assert "24.012" in source.article_text()
    _flip_one_byte(project)
    with pytest.raises(SourceError):
        source.article_text()
    with pytest.raises(SourceError):
        source.cleaning()


def test_metadata_missing_a_required_field_is_named(project):
    path = project / METADATA
    meta = yaml.safe_load(path.read_text(encoding="utf-8"))
    del meta["sha256"]
    path.write_text(yaml.safe_dump(meta, allow_unicode=True), encoding="utf-8")
    with pytest.raises(SourceError) as info:
        source.read_bytes()
    assert METADATA in str(info.value) and "'sha256'" in str(info.value)


# --- cleaning the real article ---------------------------------------------------------------

def test_cleaning_drops_exactly_the_two_comment_form_lines():
    assert source.cleaning().dropped_lines == COMMENT_FORM
    text = source.article_text()
    assert "Leave a Reply" not in text
    assert "Your email address" not in text


def test_cleaned_article_is_the_raw_text_up_to_the_comment_form():
    """The raw article is already NFC with single blank lines, so cleaning must only cut
    the comment form and end the text with one newline."""
    raw = (REPO / ARTICLE).read_bytes().decode("utf-8")
    cut = raw.index("\n\nLeave a Reply")
    assert source.article_text() == raw[:cut] + "\n"
    removed = len("\n\nLeave a Reply\n\n" + COMMENT_FORM[1]) - len("\n")
    assert source.cleaning().chars_removed == removed


def test_cleaned_article_is_nfc_with_no_runs_of_blank_lines():
    text = source.article_text()
    assert unicodedata.is_normalized("NFC", text)
    assert "\n\n\n" not in text
    assert text.endswith("…\n") and not text.endswith("\n\n")
    assert all(line == line.rstrip() for line in text.split("\n"))


def test_article_has_nine_paragraphs():
    paragraphs = source.paragraphs()
    assert len(paragraphs) == 9
    assert paragraphs[0].startswith("(MK - ASEAN) - Năm 2020")
    assert paragraphs[1].startswith("9 tháng đầu năm 2020")
    assert paragraphs[-1].endswith("đảng viên…")


# --- clean() on synthetic input -------------------------------------------------------------

def test_clean_normalises_to_nfc():
    decomposed = "Be\u0302\u0301n Tre\n"  # "Bến" written with combining marks
    assert len(decomposed) == 10
    result = clean(decomposed, {"unicode_normalization": "NFC"})
    assert result.text == "Bến Tre\n"
    assert len(result.text) == 8


def test_clean_collapses_blank_lines_and_strips_edges():
    raw = "\n\nfirst  \n\n\n\nsecond\t\n\n\n"
    result = clean(raw, {"strip_trailing_whitespace": True, "collapse_blank_lines": True})
    assert result.text == "first\n\nsecond\n"


def test_clean_keeps_blank_lines_when_not_asked_to_collapse():
    result = clean("a\n\n\nb", {})
    assert result.text == "a\n\n\nb\n"


def test_clean_drops_from_the_marker_line_and_reports_non_blank_dropped_lines():
    raw = "body\n\nLeave a Reply\n\nYour email\n\nmore\n"
    result = clean(raw, RULES)
    assert result.text == "body\n"
    assert result.dropped_lines == ("Leave a Reply", "Your email", "more")


def test_clean_marker_must_start_a_line():
    raw = "body says Leave a Reply\n\nLeave a Reply\nform"
    result = clean(raw, RULES)
    assert result.text == "body says Leave a Reply\n"


def test_clean_raises_when_declared_marker_is_absent():
    with pytest.raises(SourceError) as info:
        clean("no comment form here\n", RULES)
    assert "'Leave a Reply'" in str(info.value)


def test_cleaning_rules_come_from_the_metadata(project):
    """A changed rule in the YAML changes the cleaned text (the cleaning is declared,
    not hidden in code)."""
    path = project / METADATA
    meta = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert "Leave a Reply" not in source.article_text()  # warm the cache first
    meta["cleaning"]["drop_from_line_starting"] = "Your email"
    path.write_text(yaml.safe_dump(meta, allow_unicode=True), encoding="utf-8")
    text = source.article_text()
    assert text.endswith("Leave a Reply\n")
    assert source.cleaning().dropped_lines == (COMMENT_FORM[1],)


# --- locating quotes ------------------------------------------------------------------------

@pytest.mark.parametrize("fragment", [
    "24.012 tỷ đồng",
    "4.243,46",
    "121,729 tỷ đồng, tăng 71% so với cùng kỳ",
    "25/42 công trình",
])
def test_locate_returns_the_span_of_a_unique_fragment(fragment):
    text = source.article_text()
    matches = [m.span() for m in re.finditer(re.escape(fragment), text)]
    assert len(matches) == 1
    assert locate(fragment) == matches[0]
    start, end = locate(fragment)
    assert text[start:end] == fragment


def test_locate_known_offset_in_a_small_text():
    assert locate("c", "abcd") == (2, 3)
    assert locate("tỷ", "24.012 tỷ đồng") == (7, 9)


def test_locate_raises_on_absent_fragment():
    with pytest.raises(SourceError) as info:
        locate("25.000 tỷ đồng")
    assert "'25.000 tỷ đồng'" in str(info.value)
    assert "does not occur" in str(info.value)


def test_locate_raises_on_repeated_fragment():
    fragment = "tăng 6,02% so với cùng kỳ"  # printed for two different figures
    with pytest.raises(SourceError) as info:
        locate(fragment)
    assert "occurs 2 times" in str(info.value)
    assert repr(fragment) in str(info.value)


def test_locate_does_not_find_text_of_the_dropped_comment_form():
    with pytest.raises(SourceError):
        locate("Leave a Reply")


# --- paragraphs -----------------------------------------------------------------------------

def test_paragraph_of_counts_blank_line_separators():
    text = "one\n\ntwo\n\nthree\n"
    assert paragraph_of(0, text) == 1
    assert paragraph_of(3, text) == 1      # the first "\n" still belongs to paragraph 1
    assert paragraph_of(5, text) == 2      # "t" of "two"
    assert paragraph_of(10, text) == 3     # "t" of "three"


@pytest.mark.parametrize("fragment, paragraph", [
    ("(MK - ASEAN)", 1),
    ("24.012", 2),
    ("226,34", 2),
    ("121,729", 3),
    ("1,292", 3),
    ("3 tháng cuối năm 2020", 8),
    ("lần thứ XI,", 9),
])
def test_paragraph_of_real_article(fragment, paragraph):
    start, _ = locate(fragment)
    assert paragraph_of(start) == paragraph
    assert fragment in source.paragraphs()[paragraph - 1]


def test_source_errors_speak_the_readers_language(monkeypatch):
    from bentre import i18n

    monkeypatch.setattr(i18n, "_chosen", None)
    monkeypatch.setenv("BENTRE_LANG", "vi")
    with pytest.raises(SourceError) as info:
        locate("không có đoạn này", "một văn bản")
    assert str(info.value) == "'không có đoạn này' không có trong bài báo"
    with pytest.raises(SourceError) as info:
        locate("a", "a a")
    assert "xuất hiện 2 lần trong bài báo (phải là duy nhất)" in str(info.value)
