"""Single-value parsers: dates, runtimes, age ratings, review ratings, languages, countries, scripts."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from filmgraph.extract.values import (
    country_code,
    language_code,
    parse_content_rating,
    parse_countries,
    parse_date,
    parse_languages,
    parse_rating,
    parse_runtime,
    script_language,
)
from filmgraph.models import Rating


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("October, 2023", "2023-10"),
        ("Oct 2023", "2023-10"),
        ("March 30, 2023", "2023-03-30"),
        ("30 March 2023", "2023-03-30"),
        ("2023-03-30", "2023-03-30"),
        ("2023", "2023"),
        ("1 June 2016 (South Korea)", "2016-06-01"),
        ("29 May 2016 (Cannes)\n1 June 2016 (South Korea)", "2016-05-29"),
        ("June 6th, 2025", "2025-06-06"),
        ("November 27, 2013 (United States)", "2013-11-27"),
        ("no date here", None),
    ],
)
def test_parse_date_keeps_the_precision_given(text: str, expected: str | None) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    ("text", "minutes"),
    [
        ("1 hour 33 minutes", 93),
        ("1h 33m", 93),
        ("1h33", 93),
        ("93 min", 93),
        ("137 minutes", 137),
        ("2 hrs 17 mins", 137),
        ("2 h 03", 123),
        ("2 hours", 120),
        ("PT2H17M", 137),
        ("PT93M", 93),
        ("2:17", 137),
        ("about two hours", None),
    ],
)
def test_parse_runtime_forms(text: str, minutes: int | None) -> None:
    assert parse_runtime(text) == minutes


@given(st.integers(min_value=0, max_value=5), st.integers(min_value=0, max_value=59))
def test_runtime_hours_minutes_round_trip(hours: int, minutes: int) -> None:
    total = hours * 60 + minutes
    if total == 0:
        return
    forms = [f"PT{hours}H{minutes}M", f"{hours}h {minutes}m", f"{hours} hours {minutes} minutes",
             f"{hours} hrs {minutes} mins", f"{total} min"]
    for form in forms:
        assert parse_runtime(form) == total, form


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("A (18+)", "18+"),
        ("15+", "15+"),
        ("R", "R"),
        ("Rated R", "R"),
        ("PG-13", "PG-13"),
        ("NC-17", "NC-17"),
        ("청소년 관람불가", "18+"),
        ("15세 관람가", "15+"),
        ("Certificate 15", "15"),
        ("unknown", None),
    ],
)
def test_parse_content_rating(text: str, expected: str | None) -> None:
    assert parse_content_rating(text) == expected


@pytest.mark.parametrize(
    ("text", "value", "best"),
    [
        ("3.50/5", 3.5, 5),
        ("7/10", 7, 10),
        ("3 out of 4", 3, 4),
        ("2.5 out of four", 2.5, 4),
        ("★★★½", 3.5, 5),
        ("★★★★", 4, 5),
        ("★★★☆☆", 3, 5),
        ("★★★☆", 3, 4),
        ("★★½☆", 2.5, 4),
        ("★★★ out of 4", 3, 4),
        ("Rating: 4 stars", 4, 5),
        ("3.5 stars", 3.5, 5),
        ("4 stars out of 5", 4, 5),
        ("B+", 9, 12),
        ("A-", 10, 12),
        ("F", 0, 12),
        ("85/100", 85, 100),
    ],
)
def test_parse_rating_scales(text: str, value: float, best: float) -> None:
    assert parse_rating(text) == Rating(value=value, best=best, worst=0)


@pytest.mark.parametrize("text", ["", "A female action heroine takes centre stage", "of this 2023 film", "12/3"])
def test_parse_rating_refuses_non_ratings(text: str) -> None:
    assert parse_rating(text) is None


@given(st.sampled_from([4, 5, 10, 100]), st.data())
def test_rating_slash_and_out_of_round_trip(best: int, data: st.DataObject) -> None:
    halves = data.draw(st.integers(min_value=0, max_value=best * 2))
    value = halves / 2
    text = f"{value:g}"
    for form in (f"{text}/{best}", f"{text} out of {best}", f"{text} / {best}"):
        assert parse_rating(form) == Rating(value=value, best=best, worst=0), form


@given(st.integers(min_value=0, max_value=5), st.booleans())
def test_star_strings(full: int, half: bool) -> None:
    if full == 5 and half:
        return
    stars = "★" * full + ("½" if half else "")
    if not stars:
        return
    assert parse_rating(stars) == Rating(value=full + (0.5 if half else 0), best=5, worst=0)
    empty = 5 - full - (1 if half else 0)
    padded = stars + "☆" * empty
    if empty:
        assert parse_rating(padded) == Rating(value=full + (0.5 if half else 0), best=5, worst=0)


@pytest.mark.parametrize(
    ("name", "code"),
    [("Korean", "ko"), ("English", "en"), ("Japanese", "ja"), ("Mandarin", "zh"), ("ko", "ko"), ("Klingon", None)],
)
def test_language_code(name: str, code: str | None) -> None:
    assert language_code(name) == code


@pytest.mark.parametrize(
    ("name", "code"),
    [("South Korea", "KR"), ("United States", "US"), ("the United Kingdom", "GB"), ("KR", "KR"), ("Narnia", None)],
)
def test_country_code(name: str, code: str | None) -> None:
    assert country_code(name) == code


def test_lists_of_languages_and_countries() -> None:
    assert parse_languages("Korean, Japanese") == ["ko", "ja"]
    assert parse_countries("South Korea / United States") == ["KR", "US"]


@pytest.mark.parametrize(
    ("text", "lang"),
    [("발레리나", "ko"), ("ヘアー", "ja"), ("お嬢さん", "ja"), ("小姐", "zh"), ("Ballerina", None)],
)
def test_script_language(text: str, lang: str | None) -> None:
    assert script_language(text) == lang
