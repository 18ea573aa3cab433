"""Name normalisation: match keys that merge spellings, and URL-safe slugs."""

from __future__ import annotations

import functools
import re
import unicodedata

from unidecode import unidecode

# Every dash-like character, including the non-breaking hyphen U+2011 and the minus sign.
_DASHES = "\u002d\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"
_DASH_RE = re.compile(f"[{_DASHES}]")
_APOSTROPHES = re.compile("[\u2018\u2019\u02bc\u0060\u00b4']")
_SPACES = re.compile(r"\s+")


def clean_text(text: str) -> str:
    """NFKC-normalise, turn every dash into '-', and fold runs of white space (incl. U+00A0)."""
    text = unicodedata.normalize("NFKC", text)
    text = _DASH_RE.sub("-", text)
    return _SPACES.sub(" ", text).strip()


def strip_accents(text: str) -> str:
    """Drop accents from Latin, Greek and Cyrillic letters; kana voicing marks and Hangul stay whole."""
    kept: list[str] = []
    base = ""
    for ch in unicodedata.normalize("NFD", text):
        if unicodedata.combining(ch) and base and ord(base) < 0x0530:
            continue
        if not unicodedata.combining(ch):
            base = ch
        kept.append(ch)
    return unicodedata.normalize("NFC", "".join(kept))


@functools.lru_cache(maxsize=1 << 17)  # a pure function of the string; a catalogue asks for the same names often
def match_key(name: str) -> str:
    """Key on which spellings of one name agree.

    Case, accents, hyphens (any dash), apostrophes, punctuation and spacing are ignored, so
    `Jeon Jong-Seo`, `Jeon Jong-seo`, `Jeon Jong\u2011seo` and `JEON JONGSEO` share a key, and so do
    `Min-hee` and `Minhee`. Letters of every script are kept (Hangul, kana, CJK, Cyrillic ...).
    """
    text = clean_text(name).lower()
    text = _APOSTROPHES.sub("", text)
    text = strip_accents(text)
    return "".join(ch for ch in text if unicodedata.category(ch)[0] in "LN")


@functools.lru_cache(maxsize=1 << 16)  # pure; a run mints the same people's and films' slugs many times
def slugify(text: str, *, max_length: int = 80) -> str:
    """Human-readable ASCII slug: `Decision to Leave` -> `decision-to-leave`, `발레리나` -> `ballerina`."""
    text = clean_text(text)
    text = _APOSTROPHES.sub("", text)
    ascii_text = unidecode(text).lower()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")
    if len(slug) > max_length:
        slug = slug[:max_length].rsplit("-", 1)[0] or slug[:max_length]
    return slug or "untitled"


def name_tokens(name: str) -> list[str]:
    """Space-separated parts of a personal name, each as a match key (`Bong Joon-ho` -> bong, joonho)."""
    return [key for part in clean_text(name).split(" ") if (key := match_key(part))]


@functools.lru_cache(maxsize=1 << 16)  # pure, and asked for every credited name of every review
def reordered_keys(name: str) -> frozenset[str]:
    """Keys of the same name written in the other order (family name first or last).

    `Joon-ho Bong` -> {`bongjoonho`}; `Park Chan Wook` -> {`wookparkchan`, `chanwookpark`}. A name
    that matches another only this way is the same person only with further evidence.
    """
    tokens = name_tokens(name)
    if len(tokens) < 2:
        return frozenset()
    rotations = {"".join(tokens[-1:] + tokens[:-1]), "".join(tokens[1:] + tokens[:1])}
    return frozenset(rotations - {"".join(tokens)})
