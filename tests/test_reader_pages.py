"""The plain-text reader on page layouts of our own: segmentation, credits shapes, prose roles, refusals."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from filmgraph.errors import ExtractionError
from filmgraph.extract.labels import match_label
from filmgraph.extract.masthead import rating_from_text
from filmgraph.extract.reader import parse_review_text
from filmgraph.extract.roles import actor_cues, crew_cues, pairs
from filmgraph.link.korean import korean_name_key

WORDS = (  # noqa: SIM905
    "the a of and to in is was it this that with for on as at by from cooking pasta garden recipe weather "
         "morning table bread salt water walk river city people friend dinner kitchen slowly always never onion "
         "market lunch tomorrow soup").split()


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(st.sampled_from(WORDS), min_size=4, max_size=18), min_size=1, max_size=6))
def test_prose_without_film_cues_is_never_a_film(sentences: list[list[str]]) -> None:
    text = "\n\n".join(" ".join(words).capitalize() + "." for words in sentences)
    with pytest.raises(ExtractionError):
        parse_review_text(text, "prose.txt")


@pytest.mark.parametrize("text", ["This is not a review of anything.\n",
                                  "Stir the onions slowly until golden, then add the stock and simmer.\n"])
def test_a_text_that_reviews_no_film_is_refused(text: str) -> None:
    with pytest.raises(ExtractionError, match="no film title"):
        parse_review_text(text, "x.txt")


PAGE = """'The Quiet Harbour' Movie Review

Harbour Lights Weekly

Three stars

It opens on Mara Quill (Ines Albrecht), a lighthouse keeper who has not spoken in years, and her brother
Tomas (Pavel Ondrej). Director Ruth Calloway keeps the camera still and lets the weather do the talking.
Ines Albrecht is remarkable as Mara, and Pavel Ondrej's Tomas is all nervous energy. The script by Ruth
Calloway and Sam Ito borrows a little from "The Lighthouse" and from Calloway's earlier "Salt Roads".

Copyright © Harbour Lights Weekly Media Group
"""


def test_a_prose_page_gives_title_people_rating_and_publication() -> None:
    record = parse_review_text(PAGE, "page.txt")
    film = record.film
    assert film.title == "The Quiet Harbour"
    assert film.directors == ["Ruth Calloway"]
    assert set(film.writers) == {"Ruth Calloway", "Sam Ito"}
    assert {(c.actor, c.character) for c in film.cast} == {("Ines Albrecht", "Mara Quill"), ("Pavel Ondrej", "Tomas")}
    assert record.rating is not None and record.rating.value == 3 and record.rating.best is None
    assert record.publisher == "Harbour Lights Weekly"
    assert {m.title for m in record.mentions} >= {"The Lighthouse", "Salt Roads"}
    assert any(e.field == "director" and e.line == 8 for e in record.evidence)


CREDITS = """NORTHERN WATER

NORTHERN WATER (북쪽 물)

(director/writer: Han Seo-yun; cinematographer: Lim Dae-ho; cast: Cho Min-ji (Eun-ha), Baek Tae-won (Jae-sung);
Runtime: 112; MPAA Rating: NR; 2021-S. Korea-in Korean with English subtitles)

A slow, tender film about two swimmers, and Cho Min-ji gives it a quiet centre.
"""


def test_a_parenthesised_credits_block() -> None:
    film = parse_review_text(CREDITS, "credits.txt").film
    assert (film.title, film.year, film.original_title) == ("Northern Water", 2021, "북쪽 물")
    assert film.runtime_minutes == 112
    assert film.directors == ["Han Seo-yun"] and film.writers == ["Han Seo-yun"]
    assert [(c.actor, c.character) for c in film.cast] == [("Cho Min-ji", "Eun-ha"), ("Baek Tae-won", "Jae-sung")]
    assert film.content_rating == "NR"


@pytest.mark.parametrize(("text", "value", "best"), [
    ("Five out of five stars", 5, 5), ("3 1/2 Stars (out of 4)", 3.5, 4), ("4.5/5 dogs", 4.5, 5),
    ("Four stars", 4, None), ("★★★★½", 4.5, None), ("Rated 4.0", 4.0, None), ("We gave it an A", "A", None),
    ("★★★☆☆", 3, 5),
])
def test_ratings_keep_only_the_scale_they_print(text: str, value: float | str, best: float | None) -> None:
    rating = rating_from_text(text)
    assert rating is not None and rating.value == value and rating.best == best


@pytest.mark.parametrize("text", ["0/10 (0 votes)", "15 Certificate", "IMDb Rating: 7.1 (32,877 votes)"])
def test_widgets_and_certificates_are_not_the_review_rating(text: str) -> None:
    assert rating_from_text(text) is None


@pytest.mark.parametrize(("a", "b"), [("Song Kang-ho", "Kang-ho Song"), ("Byun Hee-bong", "Hie-bong Byeon"),
                                      ("Go Ah-sung", "Ah-sung Ko"), ("Cho Yeo-jeong", "Yeo-jeong Jo"),
                                      ("Park No-shik", "No-shik Park"), ("Lee Jung-hyun", "Lee Jeong-hyeon"),
                                      ("Bae Doona", "Doona Bae"), ("Jung Jae-il", "Jaeil Jung"),
                                      ("Kim Min-hee", "Minhee Kim"), ("PARK Hae-il", "Haeil Park")])
def test_korean_name_key_joins_orders_and_romanisations(a: str, b: str) -> None:
    assert korean_name_key(a) == korean_name_key(b) is not None


@pytest.mark.parametrize(("a", "b"), [("Choi Min-sik", "Choi Woo-shik"), ("Celine Song", "Song Kang-ho"),
                                      ("Park So-dam", "Park Chan-wook")])
def test_korean_name_key_keeps_look_alikes_apart(a: str, b: str) -> None:
    assert korean_name_key(a) != korean_name_key(b)


@pytest.mark.parametrize("name", ["Sandra Oh", "John Cho", "Grace Park", "Ken Jeong", "Celine Song", "Kim Min",
                                  "Ang Lee", "Tilda Swinton", "Kim Lee", "Bong Joon Ho"])
def test_names_of_other_shapes_or_doubtful_order_get_no_korean_key(name: str) -> None:
    assert korean_name_key(name) is None


PROSE_CUES_PAGE = """The Lantern Keeper

Northern Screen Notes

Comments: Wenna Holt ("Deep Shale") – no relation to the painter – and a wary Idris Pell ("Brine") play
Ada Marsh and Doctor Fenn, two strangers who share a storm-bound ferry. Comparisons with Night Crossing are
fair, and the film owes a debt to Bram Ostrow, whose 2004 crime drama The Tidewater Line set the template.

Carys Vane is superb as the ferry's captain Orla Quaid, and she also turns up in a wig as the harbour
clerk Mrs. Penhallow. This is a faithful adaptation of Lorna Fairweather's novel, and Tobias Renn shows it
off: by the end of the year Renn should be known everywhere, thanks to his third feature, The Lantern Keeper.
"""


def test_prose_cues_give_paired_roles_second_roles_source_author_director_and_mentions() -> None:
    record = parse_review_text(PROSE_CUES_PAGE, "cues.txt")
    film = record.film
    cast = {(c.actor, c.character) for c in film.cast}
    assert {("Wenna Holt", "Ada Marsh"), ("Idris Pell", "Doctor Fenn"), ("Carys Vane", "Orla Quaid"),
            ("Carys Vane", "Mrs. Penhallow")} <= cast
    assert film.directors == ["Tobias Renn"]
    assert "Lorna Fairweather" in film.writers
    assert {"Night Crossing", "The Tidewater Line", "Deep Shale", "Brine"} <= {m.title for m in record.mentions}
    assert all(c.actor != "Bram Ostrow" for c in film.cast)


@pytest.mark.parametrize(("deck", "publication"), [
    ("Does it earn the Reel North seal of approval? Very nearly.", "Reel North"),
    ("Everyone here at Cinema Lantern has been waiting for this one.", "Cinema Lantern"),
])
def test_a_site_naming_itself_in_its_text_is_the_publication(deck: str, publication: str) -> None:
    page = (f"Film Review: The Salt Orchard\n\nWords: Hal Byrne\n\n{deck}\n\nDirector: Mina Castell\n\n"
            "The Salt Orchard is a patient, handsome drama about two sisters who inherit a failing farm on the coast, "
            "and Mina Castell directs it with a steady hand from the first frame to the last.\n")
    assert parse_review_text(page, "deck.txt").publisher == publication


@pytest.mark.parametrize(("sentence", "actor", "character"), [
    ("Ruth Okafor lends Captain Idle a weary, rumpled grace.", "Ruth Okafor", "Captain Idle"),
    ("Dev Malhotra gives a fierce, funny performance as the cook.", "Dev Malhotra", None),
    ("With his stoop and his mumble, Arlo Stenning looks beaten, and in the last reel he gives a towering "
     "performance.", "Arlo Stenning", None),
    ("Pia Kessler and Jonah Wilde play Greta and Max, siblings with nothing left to lose.", "Jonah Wilde", "Max"),
    ("Ines Albrecht is Mara, the keeper, and Pavel Ondrej is Tomas.", "Pavel Ondrej", "Tomas"),
    ("And Vell is Ada Quint.", "Ada Quint", "Vell"),
    ("He meets Vell, a girl from the next farm, played by Ada Quint, and falls hard.", "Ada Quint", "Vell"),
])
def test_prose_actor_cues(sentence: str, actor: str, character: str | None) -> None:
    assert (actor, character) in {(c.name, c.other) for c in actor_cues(sentence)}


@pytest.mark.parametrize("sentence", ["Greta Lee is American.", "Steven Yeun is Korean-American, and it shows."])
def test_a_nationality_is_not_a_character(sentence: str) -> None:
    assert not actor_cues(sentence)


def test_played_by_is_not_read_as_plays() -> None:
    cues = actor_cues("Vell, played by Ada Quint, runs the farm.")
    assert {(c.name, c.other) for c in cues} == {("Ada Quint", "Vell")}


@pytest.mark.parametrize(("sentence", "writers"), [
    ("Marsh, who wrote it with Ida Kell and Tom Vey, keeps it lean.", ["Marsh", "Ida Kell", "Tom Vey"]),
    ("Okafor wrote the script with her long-time collaborator Ben Ashe.", ["Okafor", "Ben Ashe"]),
    ("Script by Ana Ruiz, Leo Park and Mei Lin.", ["Ana Ruiz", "Leo Park", "Mei Lin"]),
])
def test_prose_writer_cues(sentence: str, writers: list[str]) -> None:
    assert [c.name for c in crew_cues(sentence) if c.kind == "writer"] == writers


@pytest.mark.parametrize(("line", "minutes"), [
    ("Portugal 1999 · 131 min. · colour", 131), ("| Runtime | 96 min |", 96), ("104 min · in cinemas now", 104),
])
def test_runtime_in_a_line_of_facts(line: str, minutes: int) -> None:
    page = f"Review: The Salt Orchard\n\n{line}\n\nThe Salt Orchard is a patient, handsome drama about two sisters " \
           "who inherit a failing farm on the coast, and it takes its time.\n"
    assert parse_review_text(page, "facts.txt").film.runtime_minutes == minutes


FRONT_MATTER_PAGE = """---
layout: post
title: "Past Lives review: twenty-four years and one evening in New York"
date: 2023-06-30
author: Mara Ellison
categories: [reviews, drama]
tags: [celine-song, greta-lee, teo-yoo]
film_year: 2023
rating: 4.5
---

# Past Lives

**Director:** Celine Song
**Starring:** Greta Lee, Teo Yoo, John Magaro
**Runtime:** 106 minutes

Celine Song's debut opens in a bar at four in the morning, with three people and a stranger's voice wondering
how they know one another. Greta Lee plays Nora, a playwright who left Seoul as a child; Teo Yoo is Hae Sung,
the boy she left behind; John Magaro is Arthur, the American husband who understands more than either of them
would like.

The film moves across twenty-four years in three movements, and Song's patience is its great strength. Nothing
is said twice that could be said once, and the final walk to a taxi is as quietly devastating as anything this
year.

*Posted on The Long Take, a blog about slow cinema.*
"""


def test_a_markdown_post_with_front_matter_and_bold_labels() -> None:
    record = parse_review_text(FRONT_MATTER_PAGE, "post.md")
    film = record.film
    assert (film.title, film.year, film.runtime_minutes) == ("Past Lives", 2023, 106)
    assert film.directors == ["Celine Song"]
    assert {c.actor for c in film.cast} == {"Greta Lee", "Teo Yoo", "John Magaro"}
    assert record.author == "Mara Ellison" and record.publisher == "The Long Take"
    assert (record.headline or "").startswith("Past Lives review")
    assert record.rating is not None and record.rating.value == 4.5 and record.rating.best is None


@pytest.mark.parametrize(("line", "field", "value"), [
    ("Réalisation : Agnès Varda", "directors", "Agnès Varda"),
    ("Avec : Sandrine Bonnaire", "cast", "Sandrine Bonnaire"),
    ("Dirección: Pedro Almodóvar", "directors", "Pedro Almodóvar"), ("Reparto: Penélope Cruz", "cast", "Penélope Cruz"),
    ("Regia: Federico Fellini", "directors", "Federico Fellini"), ("Drehbuch: Wim Wenders", "writers", "Wim Wenders"),
    ("Duración: 121 min", "runtime", "121 min"), ("Titre original : Cléo de 5 à 7", "original_title", "Cléo de 5 à 7"),
])
def test_credit_labels_in_french_spanish_italian_and_german(line: str, field: str, value: str) -> None:
    hit = match_label(line)
    assert hit is not None and (hit.field, hit.value) == (field, value)


def test_a_character_described_before_the_actor_in_brackets() -> None:
    text = "He questions Vell, the nervous keeper of the ledger (Ada Quint, superb)."
    assert ("Vell", "Ada Quint") in {(c.name, c.other) for c in pairs(text)}


def test_each_bullet_of_a_list_is_read_as_its_own_sentence() -> None:
    page = ("Review: The Salt Orchard (2024)\n\n"
            "- Ada Quint as Vell, the keeper of a failing orchard who will not sell, and the best thing in the film.\n"
            "- Tom Vey as Hollis, her brother, who wants the money and the city, and says so at every single meal.\n")
    cast = {(c.actor, c.character) for c in parse_review_text(page, "list.txt").film.cast}
    assert cast == {("Ada Quint", "Vell"), ("Tom Vey", "Hollis")}


def test_a_one_word_title_with_its_year_is_a_title_even_when_the_word_is_common() -> None:
    page = ("Golden (1994) – a drama with a long memory\n\nThe film takes its time with a family that keeps a "
            "bakery open through one long winter, and Ada Quint as Vell is the reason to see it.\n")
    film = parse_review_text(page, "golden.txt").film
    assert (film.title, film.year) == ("Golden", 1994)


@pytest.mark.parametrize(("sentence", "titles"), [
    ("She has worked on many films, among them Night Harbour, Glass Rivers and The Long Field.",
     {"Night Harbour", "Glass Rivers", "The Long Field"}),
    ("The keeper is played by Ada Quint (Vell Marsh, SALT ROADS), and she is very good.", {"Salt Roads"}),
])
def test_films_a_review_lists_or_gives_beside_an_actor_are_mentions(sentence: str, titles: set[str]) -> None:
    page = f"Review: The Lantern Keeper (2024)\n\n{sentence}\n\nThe Lantern Keeper is patient and handsome.\n"
    assert titles <= {m.title for m in parse_review_text(page, "mentions.txt").mentions}


def test_a_film_an_award_was_won_for_is_a_mention_and_the_award_is_not() -> None:
    page = ("Review: The Lantern Keeper (2024)\n\nHer director has won two prizes, for Salt Roads and for Best "
            "Director.\n\nThe Lantern Keeper is patient and handsome.\n")
    titles = {m.title for m in parse_review_text(page, "award.txt").mentions}
    assert "Salt Roads" in titles and "Best Director" not in titles
