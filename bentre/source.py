"""The article: raw bytes → checksum verified against its metadata → cleaned text.

The file in ``data/source/`` is never edited; every cleaning step is declared in the
metadata YAML beside it and applied here, so the reader can see what was changed.
"""

from __future__ import annotations

import hashlib
import json
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from .i18n import _
from .paths import data_dir, relative

METADATA = "source/000_d531d1eee48afd99.yml"


class SourceError(ValueError):
    """The article or its metadata is not what the project recorded."""


@dataclass(frozen=True)
class Cleaning:
    raw_text: str
    text: str
    dropped_lines: tuple[str, ...]

    @property
    def chars_removed(self) -> int:
        return len(self.raw_text) - len(self.text)


def metadata_path() -> Path:
    return data_dir() / METADATA


def metadata() -> dict:
    path = metadata_path()
    with open(path, encoding="utf-8") as fh:
        meta = yaml.safe_load(fh)
    for key in ("file", "sha256", "encoding", "cleaning"):
        if key not in meta:
            raise SourceError(_("{file}: field '{key}' is missing").format(
                file=relative(path), key=key))
    return meta


def source_path() -> Path:
    return metadata_path().parent / metadata()["file"]


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def read_bytes() -> bytes:
    """The article's bytes, after checking them against the recorded SHA-256."""
    meta, path = metadata(), source_path()
    data = path.read_bytes()
    digest = sha256(data)
    if digest != meta["sha256"]:
        raise SourceError(
            _("{file}: SHA-256 is {digest}, but {metadata} records {recorded}; the article is "
              "not the text the figures were read from").format(
                file=relative(path), digest=digest, metadata=relative(metadata_path()),
                recorded=meta["sha256"]))
    return data


def clean(raw_text: str, rules: dict) -> Cleaning:
    """Apply the declared cleaning rules; report what was dropped."""
    text = unicodedata.normalize(rules.get("unicode_normalization", "NFC"), raw_text)
    lines = text.split("\n")
    dropped: list[str] = []
    marker = rules.get("drop_from_line_starting")
    if marker:
        starts = [i for i, line in enumerate(lines) if line.startswith(marker)]
        if not starts:
            raise SourceError(_("cleaning rule: no line starts with {marker}").format(
                marker=repr(marker)))
        dropped = [line for line in lines[starts[0]:] if line.strip()]
        lines = lines[: starts[0]]
    if rules.get("strip_trailing_whitespace"):
        lines = [line.rstrip() for line in lines]
    if rules.get("collapse_blank_lines"):
        kept: list[str] = []
        for line in lines:
            if line or (kept and kept[-1]):
                kept.append(line)
        lines = kept
    return Cleaning(raw_text, "\n".join(lines).strip("\n") + "\n", tuple(dropped))


@lru_cache(maxsize=4)
def _cleaning_for(path: str, digest: str, encoding: str, rules: str) -> Cleaning:
    return clean(Path(path).read_bytes().decode(encoding), json.loads(rules))


def cleaning() -> Cleaning:
    data = read_bytes()  # verifies the checksum every time
    meta = metadata()
    # Keyed on the rules too: a rule changed in the YAML must not be served from cache.
    return _cleaning_for(str(source_path()), sha256(data), meta["encoding"],
                         json.dumps(meta["cleaning"], sort_keys=True))


def article_text() -> str:
    """The cleaned article text: the one every quote is located in."""
    return cleaning().text


def paragraphs(text: str | None = None) -> list[str]:
    text = article_text() if text is None else text
    return [p.strip() for p in text.split("\n\n") if p.strip()]


def locate(fragment: str, text: str | None = None) -> tuple[int, int]:
    """Span of ``fragment`` in the article; it must occur exactly once."""
    text = article_text() if text is None else text
    count = text.count(fragment)
    if count == 0:
        raise SourceError(_("{fragment} does not occur in the article").format(
            fragment=repr(fragment)))
    if count != 1:
        raise SourceError(_("{fragment} occurs {count} times (must be unique) in the "
                            "article").format(fragment=repr(fragment), count=count))
    start = text.index(fragment)
    return start, start + len(fragment)


def paragraph_of(position: int, text: str | None = None) -> int:
    """1-based number of the paragraph holding character ``position`` of the cleaned text."""
    text = article_text() if text is None else text
    return text[:position].count("\n\n") + 1
