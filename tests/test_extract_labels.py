"""The label table: glued labels, colon labels, infobox lines, dash credit lists, multi-line values."""

from __future__ import annotations

import pytest

from filmgraph.extract.labels import LABELS, match_label, parse_label_lines


@pytest.mark.parametrize(
    ("line", "field", "value"),
    [
        # glued to the value, as magazine pages print them
        ("GenreAction, Mystery, Thriller", "genres", "Action, Mystery, Thriller"),
        ("Duration1 hour 33 minutes", "runtime", "1 hour 33 minutes"),
        ("Writer & DirectorLee Chung-Hyeon", "writer_director", "Lee Chung-Hyeon"),
        ("Original title발레리나 in Korean", "original_title", "발레리나 in Korean"),
        ("Original languageKorean", "languages", "Korean"),
        ("Released inOctober, 2023", "release_date", "October, 2023"),
        ("Age-restrictionsA (18+)", "content_rating", "A (18+)"),
        ("CastJeon Jong-Seo (Ok-ju), Kim Ji-hoon (Pro Choi)", "cast", "Jeon Jong-Seo (Ok-ju), Kim Ji-hoon (Pro Choi)"),
        ("TaglinesOne Thing I Had to Protect.", "taglines", "One Thing I Had to Protect."),
        # colon labels
        ("Director: Park Chan-wook", "directors", "Park Chan-wook"),
        ("Cast: Hae-jun (Park Hae-il)", "cast", "Hae-jun (Park Hae-il)"),
        ("Runtime: 137 minutes", "runtime", "137 minutes"),
        ("Premiere date: March 30, 2023", "release_date", "March 30, 2023"),
        ("Original title: 헤어질 결심", "original_title", "헤어질 결심"),
        ("Title: Oldboy", "title", "Oldboy"),
        # infobox lines, space or tab separated
        ("Directed by Park Chan-wook", "directors", "Park Chan-wook"),
        ("Directed by\tPark Chan-wook", "directors", "Park Chan-wook"),
        ("Written by Derek Kolstad", "writers", "Derek Kolstad"),
        ("Running time 145 minutes", "runtime", "145 minutes"),
        ("Release date 1 June 2016", "release_date", "1 June 2016"),
        ("Country South Korea", "countries", "South Korea"),
        ("Language Korean", "languages", "Korean"),
        # dash credit lists
        ("- Directed by: Spike Lee", "directors", "Spike Lee"),
        ("- Cast: Josh Brolin as Joe Doucett", "cast", "Josh Brolin as Joe Doucett"),
        ("* Running time: 104 min", "runtime", "104 min"),
        # possessive owners and rating labels
        ("FM’s rating3.50/5", "rating", "3.50/5"),
        ("Our rating: 7/10", "rating", "7/10"),
        ("Verdict: ★★★★", "verdict", "★★★★"),
        ("FM’s short commentA female action heroine.", "summary", "A female action heroine."),
        ("Publication: Focus Magazine", "publisher", "Focus Magazine"),
        ("Written and directed by Lee Chung-Hyeon", "writer_director", "Lee Chung-Hyeon"),
    ],
)
def test_label_layouts(line: str, field: str, value: str) -> None:
    hit = match_label(line)
    assert hit is not None, line
    assert (hit.field, hit.value) == (field, value)


def test_longest_label_wins() -> None:
    hit = match_label("Original titleOldboy")
    assert hit is not None and hit.field == "original_title"
    hit = match_label("Original languageKorean")
    assert hit is not None and hit.field == "languages"


def test_owner_of_a_possessive_label() -> None:
    hit = match_label("FM’s rating3.50/5")
    assert hit is not None and hit.owner == "FM"


@pytest.mark.parametrize(
    "line",
    [
        "Casting the film took two years.",
        "Castle Rock is where it happens",
        "Director Park Chan-wook returns. He is in top form and the film shows it everywhere.",
        "By the end of the film, nobody is safe.",
        "Generally speaking, it works.",
        "FM’s rating of this 2023 Korean Revenge-Drama Film",
        "Country music plays over the credits",
        "Key details of this 2023 Korean Revenge-Drama Film",
    ],
)
def test_prose_is_not_a_label(line: str) -> None:
    assert match_label(line) is None


def test_one_table_with_unique_spellings() -> None:
    seen: dict[str, str] = {}
    for name, spellings in LABELS.items():
        for spelling in spellings:
            assert spelling == spelling.lower()
            assert spelling not in seen, f"{spelling!r} in both {seen.get(spelling)} and {name}"
            seen[spelling] = name


def test_multi_line_values_one_name_per_line() -> None:
    lines = ["Starring", "Kim Min-hee", "Kim Tae-ri", "Ha Jung-woo", "Running time 145 minutes", "", "Prose."]
    hits = parse_label_lines(lines)
    assert [(h.field, h.values) for h in hits] == [
        ("cast", ["Kim Min-hee", "Kim Tae-ri", "Ha Jung-woo"]),
        ("runtime", ["145 minutes"]),
    ]


def test_taglines_continue_until_a_caption_line() -> None:
    lines = [
        "TaglinesOne Thing I Had to Protect.",
        "Merciless and Ruthless, To Hell.",
        "Does it look like, I am joking to you?",
        "About – Ballerina (2023) Korean Film.",
    ]
    hits = parse_label_lines(lines)
    assert len(hits) == 1
    assert hits[0].values == ["One Thing I Had to Protect.", *lines[1:3]]


def test_list_value_continues_on_following_lines() -> None:
    lines = ["Screenplay by", "Chung Seo-kyung", "Park Chan-wook", "Based on\tFingersmith by Sarah Waters"]
    hits = parse_label_lines(lines)
    assert hits[0].field == "writers" and hits[0].values == ["Chung Seo-kyung", "Park Chan-wook"]
    assert hits[1].field == "other"
