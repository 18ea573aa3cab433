"""The title scan finds exactly the spans the title regex finds, case folding and backtracking included."""

from __future__ import annotations

import re
import string

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from filmgraph.extract.title_match import ASCII_CASE_PARTNERS, Occurrence, find_title, title_pattern


def regex_spans(title: str, text: str) -> list[tuple[int, int, str]]:
    """The definition: what the compiled title regex finds."""
    if not re.search(r"\w", title):
        return []
    return [(m.start(), m.end(), m.group(0)) for m in title_pattern(title).finditer(text)]


def scan_spans(title: str, text: str) -> list[tuple[int, int, str]]:
    return [(o.start(), o.end(), o.group(0)) for o in find_title(title, text)]


@pytest.mark.parametrize(("title", "text", "expected"), [
    ("John Wick: Chapter 4", "JOHN WICK: CHAPTER 4 beat john wick chapter 4", ["JOHN WICK: CHAPTER 4",
                                                                            "john wick chapter 4"]),
    ("John Wick", "JohnWick and John -- Wick", ["JohnWick"]),  # no gap is a gap; four characters are too many
    ("Ballerina", "Ballerinas, 'Ballerina', _Ballerina_", ["Ballerina"]),  # an underscore is a word character
    ("Schindler’s List", "Schindler’s List, not Schindler's List", ["Schindler’s List"]),
    ("Rock 'n' Roll", "rock 'n' roll, Rock ''n'' Roll", ["rock 'n' roll", "Rock ''n'' Roll"]),
    ("Kill Bill", "KILL BILL, \u212aill Bill", ["KILL BILL", "\u212aill Bill"]),  # the Kelvin sign folds to k
    ("Amélie", "AMÉLIE and amélie", ["AMÉLIE", "amélie"]),
    ("Rock '", "Rock '' roll", ["Rock ''"]),  # the longest gap first, as the regex engine backtracks
    ("...", "... and ...", []),
])
def test_finds_what_the_regex_finds(title: str, text: str, expected: list[str]) -> None:
    assert [o.group(0) for o in find_title(title, text)] == expected
    assert scan_spans(title, text) == regex_spans(title, text)


_LETTERS = string.ascii_letters[:6] + "KkIiSs" + ASCII_CASE_PARTNERS + "éÉ"
_TEXT_CHARS = _LETTERS + "0 _-:'’‘.,\n"
_TITLE_CHARS = "abcdAB' ’-:0"


@settings(max_examples=600, deadline=None)
@given(st.text(_TITLE_CHARS + "ſé", min_size=1, max_size=12), st.text(_TEXT_CHARS, max_size=80))
def test_scan_agrees_with_the_regex_on_any_text(title: str, text: str) -> None:
    assert scan_spans(title, text) == regex_spans(title, text)


@settings(max_examples=400, deadline=None)
@given(st.text(_TITLE_CHARS, min_size=1, max_size=12), st.data())
def test_scan_agrees_with_the_regex_where_the_title_is_printed(title: str, data: st.DataObject) -> None:
    """Texts built around the title, recased and respaced, so that most cases match somewhere."""
    gaps = st.text(" _-:.'’", max_size=4)
    words = re.findall(r"[\w'’]+", title)
    printed = "".join(data.draw(st.sampled_from([w, w.upper(), w.lower()])) + data.draw(gaps) for w in words)
    text = data.draw(st.text(_TEXT_CHARS, max_size=10)) + printed + data.draw(st.text(_TEXT_CHARS, max_size=10))
    assert scan_spans(title, text) == regex_spans(title, text)


def test_the_case_partners_are_every_non_ascii_letter_that_folds_onto_ascii() -> None:
    every = "".join(chr(c) for c in range(0x80, 0x110000) if not 0xD800 <= c < 0xE000)
    partners = {ch for letter in string.ascii_lowercase for ch in re.findall(letter, every, re.I)}
    assert partners == set(ASCII_CASE_PARTNERS)


def test_an_occurrence_answers_like_a_match() -> None:
    occurrence = find_title("Broker", "I liked BROKER.")[0]
    assert occurrence == Occurrence(8, 14, "BROKER")
    assert (occurrence.start(), occurrence.end(), occurrence.group()) == (8, 14, "BROKER")
    with pytest.raises(IndexError):
        occurrence.group(1)
