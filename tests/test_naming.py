"""Name keys merge spellings of one name and nothing else; slugs are stable and URL-safe."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from filmgraph.link.korean import KOREAN_FAMILY_NAMES, korean_name_key
from filmgraph.link.naming import clean_text, match_key, slugify

SAME = [
    ("Jeon Jong-Seo", "Jeon Jong-seo"),
    ("Jeon Jong-Seo", "Jeon Jong\u2011seo"),
    ("Jeon Jong-Seo", "JEON  JONG SEO"),
    ("Min-hee", "Minhee"),
    ("Ok-ju", "Ok-Ju"),
    ("Park Chan-wook", "Park Chan Wook"),
    ("Park Chan-wook", "Park Chan\u2013Wook"),
    ("Penélope Cruz", "Penelope Cruz"),
    ("Ｂａｌｌｅｒｉｎａ", "Ballerina"),
    ("Ballerina\u00a0", "Ballerina"),
    ("발레리나", " 발레리나 "),
]
DIFFERENT = [
    ("Kim Min-hee", "Min-hee"),
    ("Park Chan-wook", "Park Hae-il"),
    ("Oldboy", "Old Boy 2"),
    ("발레리나", "Ballerina"),
]


@pytest.mark.parametrize(("a", "b"), SAME)
def test_spellings_of_one_name_share_a_key(a: str, b: str) -> None:
    assert match_key(a) == match_key(b)


@pytest.mark.parametrize(("a", "b"), DIFFERENT)
def test_different_names_keep_different_keys(a: str, b: str) -> None:
    assert match_key(a) != match_key(b)


NAME = st.text(alphabet=st.characters(whitelist_categories=("Lu", "Ll", "Nd", "Zs", "Pd", "Lo")), max_size=40)


@given(NAME)
def test_key_is_idempotent_and_ignores_case_and_dashes(name: str) -> None:
    key = match_key(name)
    assert match_key(key) == key
    assert match_key(name.upper()) == match_key(name.lower()) or not name.isascii()
    assert match_key(name.replace("-", "\u2011")) == key
    assert match_key(f"  {name}  ") == key


@given(NAME)
def test_slug_is_url_safe_and_stable(name: str) -> None:
    slug = slugify(name)
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", slug)
    assert slugify(name) == slug
    assert len(slug) <= 80


@given(st.text(max_size=60))
def test_clean_text_folds_space_and_is_idempotent(text: str) -> None:
    cleaned = clean_text(text)
    assert clean_text(cleaned) == cleaned
    assert "  " not in cleaned
    assert cleaned == cleaned.strip()


@pytest.mark.parametrize(("name", "key"), [
    ("발레리나", "발레리나"), ("봉준호", "봉준호"), ("オールド・ボーイ", "オールドボーイ"), ("Брат", "брат")])
def test_hangul_and_kana_survive_in_keys(name: str, key: str) -> None:
    assert match_key(name) == key


@pytest.mark.parametrize(("a", "b"), [("Bong Joon-ho", "Joon-ho Bong"), ("Park Chan Wook", "Chan-wook Park"),
                                      ("Park Chan-wook", "Chan-wook Park")])
def test_reordered_names_are_found_by_their_other_order(a: str, b: str) -> None:
    from filmgraph.link.naming import reordered_keys

    assert match_key(b) in reordered_keys(a) or match_key(a) in reordered_keys(b)


_FAMILIES = ["Kim", "Lee", "Park", "Choi", "Jung", "Kang", "Yoon", "Bae", "Song", "Jeon"]
_SYLLABLES = ["ji", "min", "hee", "soo", "jae", "il", "hyun", "woo", "yeon", "na", "ho", "seo", "doo", "ra"]


@given(st.sampled_from(_FAMILIES), st.sampled_from(_SYLLABLES), st.sampled_from(_SYLLABLES))
def test_a_korean_name_keeps_its_key_in_either_order_with_or_without_the_hyphen(family: str, first: str,
                                                                                 second: str) -> None:
    hyphenated = f"{first.title()}-{second}"
    joined = (first + second).title()
    if joined.lower() in KOREAN_FAMILY_NAMES:
        return  # `Yo-on` written `Yoon` reads as a family name: the order is in doubt
    key = korean_name_key(f"{family} {hyphenated}")
    assert key is not None
    assert korean_name_key(f"{hyphenated} {family}") == key
    assert korean_name_key(f"{family.upper()} {hyphenated}") == key
    assert korean_name_key(f"{joined} {family}") == key
    assert korean_name_key(f"{family} {joined}") == key
