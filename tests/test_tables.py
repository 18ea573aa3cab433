"""Language and country names from langcodes and pycountry, with the few names they do not give (extract/_tables)."""

from __future__ import annotations

import pycountry
import pytest

from filmgraph.extract import _tables, imdb5000, values


@pytest.mark.parametrize(("name", "tag"), [
    ("Korean", "ko"), ("korean", "ko"), ("KOREAN", "ko"), ("Japanese", "ja"), ("English.", "en"),
    ("Farsi", "fa"), ("Persian", "fa"), ("Panjabi", "pa"), ("Punjabi", "pa"), ("Tagalog", "tl"),
    ("Swahili", "sw"), ("Yoruba", "yo"), ("Norwegian", "no"), ("Hebrew", "he"),
    # the kept names: tagged otherwise by langcodes, or not ISO 639-1
    ("Mandarin", "zh"), ("Flemish", "nl"), ("Dari", "prs"), ("Maya", "myn"), ("Cantonese", "yue"),
    ("Filipino", "fil"), ("Aramaic", "arc"),
    # tags pass through: current ISO 639-1 codes and the kept tags, not withdrawn codes
    ("ko", "ko"), ("tl", "tl"), ("yue", "yue"), ("in", None), ("iw", None),
    # langcodes knows these, but they are not ISO 639-1 languages (or are words): not read as languages
    ("Klingon", None), ("Even", None), ("the", None), ("Georgia", None), ("", None),
])
def test_language_tag(name: str, tag: str | None) -> None:
    assert _tables.language_tag(name) == tag
    assert values.language_code(name) == tag


@pytest.mark.parametrize(("name", "code"), [
    ("South Korea", "KR"), ("Korea, Republic of", "KR"), ("Republic of Korea", "KR"), ("Korea", "KR"),
    ("North Korea", "KP"), ("the Netherlands", "NL"), ("Vietnam", "VN"), ("Viet Nam", "VN"), ("Iran", "IR"),
    ("Czech Republic", "CZ"), ("Czechia", "CZ"), ("Turkey", "TR"), ("Türkiye", "TR"), ("USA", "US"),
    ("United States of America", "US"), ("England", "GB"), ("UK", "GB"), ("Hong Kong", "HK"), ("Taiwan", "TW"),
    ("Peru", "PE"), ("Bosnia and Herzegovina", "BA"), ("Georgia", "GE"), ("kr", "KR"), ("Narnia", None),
])
def test_country_code_of_a_country_field(name: str, code: str | None) -> None:
    """A catalogue's country column always holds a country: every ISO 3166 name counts."""
    assert _tables.country_code(name) == code
    assert imdb5000.country_code(name) == code


@pytest.mark.parametrize(("text", "code"), [
    ("South Korea", "KR"), ("the United Kingdom", "GB"), ("KR", "KR"), ("USA", "US"),
    # in prose and headlines only the reader's countries: these are also words and names
    ("Georgia", None), ("Jersey", None), ("Chad", None), ("ME", None), ("TO", None),
])
def test_country_code_in_prose(text: str, code: str | None) -> None:
    assert values.country_code(text) == code


def test_every_prose_country_has_its_iso_code() -> None:
    assert set(_tables.COUNTRIES) == set(_tables.PROSE_COUNTRIES)
    for name, code in _tables.COUNTRIES.items():
        assert pycountry.countries.get(alpha_2=code), name


@pytest.mark.parametrize(("word", "origin"), sorted(_tables.DEMONYMS.items()))
def test_demonyms_hold_real_codes(word: str, origin: tuple[str | None, str | None]) -> None:
    language, country = origin
    assert language is None or _tables.language_tag(language) == language, word
    assert country is None or _tables.country_code(country) == country, word
