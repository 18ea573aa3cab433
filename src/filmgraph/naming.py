"""Name normalisation: match keys that merge spellings, and URL-safe slugs."""

from __future__ import annotations

import re
import unicodedata

from unidecode import unidecode

# Every dash-like character, including the non-breaking hyphen U+2011 and the minus sign.
_DASHES = "\u002d\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"
_DASH_RE = re.compile(f"[{_DASHES}]")
_APOSTROPHES = re.compile("[\u2018\u2019\u02bc\u0060\u00b4']")
_NON_WORD = re.compile(r"[^0-9a-z\u3131-\u318e\uac00-\ud7a3\u3040-\u30ff\u4e00-\u9fff]+")
_SPACES = re.compile(r"\s+")


def clean_text(text: str) -> str:
    """NFKC-normalise, turn every dash into '-', and fold runs of white space (incl. U+00A0)."""
    text = unicodedata.normalize("NFKC", text)
    text = _DASH_RE.sub("-", text)
    return _SPACES.sub(" ", text).strip()


def strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def match_key(name: str) -> str:
    """Key on which spellings of one name agree.

    Case, accents, hyphens (any dash), apostrophes, punctuation and spacing are ignored, so
    `Jeon Jong-Seo`, `Jeon Jong-seo`, `Jeon Jong\u2011seo` and `JEON JONGSEO` share a key, and so do
    `Min-hee` and `Minhee`. Hangul and other CJK letters are kept as they are.
    """
    text = clean_text(name).lower()
    text = _APOSTROPHES.sub("", text)
    text = strip_accents(text)
    text = text.replace("-", "")
    return _NON_WORD.sub("", text)


def slugify(text: str, *, max_length: int = 80) -> str:
    """Human-readable ASCII slug: `Decision to Leave` -> `decision-to-leave`, `발레리나` -> `ballerina`."""
    text = clean_text(text)
    text = _APOSTROPHES.sub("", text)
    ascii_text = unidecode(text).lower()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")
    if len(slug) > max_length:
        slug = slug[:max_length].rsplit("-", 1)[0] or slug[:max_length]
    return slug or "untitled"
