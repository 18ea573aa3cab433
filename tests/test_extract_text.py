"""The plain-text review reader end to end: layouts, headlines, prose cues, the seed, the samples, bad input."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from filmgraph.errors import ExtractionError, InputError
from filmgraph.extract.source import read_text_file
from filmgraph.extract.text import parse_review_text
from filmgraph.models import Rating, ReviewRecord

REPO = Path(__file__).parents[1]
SAMPLES = REPO / "data" / "samples"
SEED = Path(__file__).parents[1].parent / "shared" / "seeds" / "000_e60a94f7ba5846fc.txt"


def parse(text: str, **kwargs: object) -> ReviewRecord:
    return parse_review_text(text, "test.txt", **kwargs)  # type: ignore[arg-type]


def cast_pairs(record: ReviewRecord) -> list[tuple[str, str | None]]:
    return [(c.actor, c.character) for c in record.film.cast]


# --- headlines ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("headline", "title", "year"),
    [
        ("Ballerina (2023) Korean Film: Revenge Action K-Drama Led By Female Ex-bodyguard", "Ballerina", 2023),
        ("Review: Decision to Leave (2022)", "Decision to Leave", 2022),
        ("Oldboy review – Spike Lee's remake keeps the hammer", "Oldboy", None),
        ("Film review: The Handmaiden (2016) – a con in three acts", "The Handmaiden", 2016),
        ("John Wick (2014) – a quiet man and a stolen car", "John Wick", 2014),
        ("“Burning” review: a slow fire", "Burning", None),
        ("# Burning (2018)", "Burning", 2018),
    ],
)
def test_headline_forms(headline: str, title: str, year: int | None) -> None:
    record = parse(f"{headline}\n\nSome words about the film.\n")
    assert (record.film.title, record.film.year) == (title, year)
    assert record.headline == headline


def test_title_label_beats_headline() -> None:
    record = parse("A strange week at the pictures\n\nTitle: Oldboy\nYear: 2003\n")
    assert (record.film.title, record.film.year) == ("Oldboy", 2003)


def test_infobox_page_titled_by_a_bare_headline() -> None:
    record = parse("The Handmaiden\n\nDirected by\tPark Chan-wook\nRelease date\t1 June 2016\n")
    assert (record.film.title, record.film.year, record.film.release_date) == ("The Handmaiden", 2016, "2016-06-01")
    assert record.film.directors == ["Park Chan-wook"]


# --- layouts -----------------------------------------------------------------------------------------------

GLUED = """Ballerina (2023) Korean Film

GenreAction, Mystery, Thriller
Original title발레리나 in Korean
Original languageKorean
Released inOctober, 2023
Age-restrictionsA (18+)
Duration1 hour 33 minutes
Writer & DirectorLee Chung-Hyeon
CastJeon Jong-Seo (Ok-ju), Kim Ji-hoon (Pro Choi), etc.
"""

COLON = """Review: Decision to Leave (2022)

Director: Park Chan-Wook
Writers: Park Chan-Wook, Chung Seo-kyung
Cast: Hae-jun (Park Hae-il), Seo-rae (Tang Wei)
Runtime: 138 minutes
Premiere date: May 23, 2022
Country: South Korea
Language: Korean
"""

INFOBOX = """The Handmaiden

Directed by\tPark Chan-wook
Starring
Kim Min-hee
Kim Tae-ri
Running time\t145 minutes
Country\tSouth Korea
Language\tKorean
Release date\t1 June 2016

Lady Hideko (Kim Min-hee) hires a maid, Sook-hee (Kim Tae-ri).
"""

DASH = """Oldboy review – a remake

- Title: Oldboy
- Directed by: Spike Lee
- Cast: Josh Brolin as Joe Doucett; Elizabeth Olsen as Marie Sebastian
- Running time: 104 min
- Release date: November 27, 2013
"""


@pytest.mark.parametrize(
    ("text", "title", "year", "runtime", "directors", "cast", "languages", "countries"),
    [
        (GLUED, "Ballerina", 2023, 93, ["Lee Chung-Hyeon"],
         [("Jeon Jong-Seo", "Ok-ju"), ("Kim Ji-hoon", "Pro Choi")], ["ko"], ["KR"]),
        (COLON, "Decision to Leave", 2022, 138, ["Park Chan-Wook"],
         [("Park Hae-il", "Hae-jun"), ("Tang Wei", "Seo-rae")], ["ko"], ["KR"]),
        (INFOBOX, "The Handmaiden", 2016, 145, ["Park Chan-wook"],
         [("Kim Min-hee", "Lady Hideko"), ("Kim Tae-ri", "Sook-hee")], ["ko"], ["KR"]),
        (DASH, "Oldboy", 2013, 104, ["Spike Lee"],
         [("Josh Brolin", "Joe Doucett"), ("Elizabeth Olsen", "Marie Sebastian")], [], []),
    ],
    ids=["glued", "colon", "infobox", "dash-list"],
)
def test_layouts(text: str, title: str, year: int, runtime: int, directors: list[str],
                 cast: list[tuple[str, str]], languages: list[str], countries: list[str]) -> None:
    record = parse(text)
    film = record.film
    assert (film.title, film.year, film.runtime_minutes) == (title, year, runtime)
    assert film.directors == directors
    assert cast_pairs(record) == cast
    assert film.languages == languages
    assert film.countries == countries


def test_glued_block_details() -> None:
    film = parse(GLUED).film
    assert film.genres == ["Action", "Mystery", "Thriller"]
    assert (film.original_title, film.original_title_lang) == ("발레리나", "ko")
    assert film.release_date == "2023-10"
    assert film.content_rating == "18+"
    assert film.writers == ["Lee Chung-Hyeon"]


@pytest.mark.parametrize(
    ("line", "title", "lang"),
    [("Original title: 헤어질 결심", "헤어질 결심", "ko"), ("Original title: お嬢さん", "お嬢さん", "ja"),
     ("Original title: 小姐 (Chinese)", "小姐", "zh"), ("Original title: Agassi in Korean", "Agassi", "ko")],
)
def test_original_title_language(line: str, title: str, lang: str) -> None:
    film = parse(f"Review: X (2020)\n\n{line}\n").film
    assert (film.original_title, film.original_title_lang) == (title, lang)


def test_written_and_directed_in_prose() -> None:
    film = parse("Oldboy (2003)\n\nWritten and directed by Park Chan-wook, it is a fever dream.\n").film
    assert film.directors == ["Park Chan-wook"] and film.writers == ["Park Chan-wook"]


def test_origin_from_prose() -> None:
    film = parse("Ballerina (2023)\n\nBallerina is a 2023 Korean movie from South Korea. It is loud.\n").film
    assert (film.languages, film.countries, film.year) == (["ko"], ["KR"], 2023)


# --- ratings, publication, author, summary -------------------------------------------------------------------

@pytest.mark.parametrize(
    ("line", "rating"),
    [
        ("FM’s rating3.50/5", Rating(3.5, 5)),
        ("Our rating: 7/10", Rating(7, 10)),
        ("Verdict: ★★★★", Rating(4, None, None)),
        ("★★★½", Rating(3.5, None, None)),
        ("★★★☆", Rating(3, 4)),
        ("Rating: 4 stars", Rating(4, None, None)),
        ("Rating: 3 out of 4", Rating(3, 4)),
        ("Grade: B+", Rating("B+", None, None)),
        ("We give it 8 out of 10.", Rating(8, 10)),
    ],
)
def test_rating_lines(line: str, rating: Rating) -> None:
    assert parse(f"Review: Oldboy (2003)\n\nA strong film.\n\n{line}\n").rating == rating


def test_labelled_rating_outside_its_scale_is_reported_as_written() -> None:
    record = parse("Review: Oldboy (2003)\n\nOur rating: 7/5\n")
    assert record.rating == Rating(7, 5)
    assert any("outside its own scale" in w for w in record.warnings)


def test_unlabelled_rating_outside_its_scale_is_ignored() -> None:
    assert parse("Review: Oldboy (2003)\n\nWe give it 12/3.\n").rating is None


def test_verdict_with_text_is_rating_and_summary() -> None:
    record = parse("Review: Oldboy (2003)\n\nVerdict: ★★★★ – a brutal, operatic revenge story\n")
    assert record.rating == Rating(4, None, None)  # four stars, no scale printed
    assert record.summary == "a brutal, operatic revenge story"


@pytest.mark.parametrize(
    ("body", "publisher"),
    [
        ("Discover more from Focus Magazine\n", "Focus Magazine"),
        ("Read our article on it in our Focus Magazine, too.\n", "Focus Magazine"),
        ("FM’s rating3.50/5\n\nWe write for the Focus Magazine team every week.\n", "Focus Magazine"),
        ("Published in Hanji Screen Quarterly\n", "Hanji Screen Quarterly"),
        ("— Reel Harbour magazine\n", "Reel Harbour magazine"),
        ("Publication: Stage Left Screen Weekly\n", "Stage Left Screen Weekly"),
        ("Source: The Late Show Ledger\n", "The Late Show Ledger"),
        ("SR’s rating4/5\n\nDiscover more from Silver Reel Magazine\n", "Silver Reel Magazine"),
    ],
)
def test_publication_cues(body: str, publisher: str) -> None:
    assert parse(f"Review: Oldboy (2003)\n\nA film.\n\n{body}").publisher == publisher


@pytest.mark.parametrize(
    ("body", "author"),
    [("By Mara Lindqvist\n", "Mara Lindqvist"), ("Author: Dev Okafor\n", "Dev Okafor"),
     ("Posted by Theo Marsh on the blog\n", "Theo Marsh"), ("By the end, nobody is safe.\n", None)],
)
def test_author(body: str, author: str | None) -> None:
    assert parse(f"Review: Oldboy (2003)\n\n{body}").author == author


def test_short_comment_is_the_summary() -> None:
    record = parse("Ballerina (2023)\n\nFM’s short commentA female action heroine takes centre stage.\n")
    assert record.summary == "A female action heroine takes centre stage."


def test_taglines() -> None:
    text = "Ballerina (2023)\n\nTaglinesOne Thing I Had to Protect.\nMerciless.\nAbout – Ballerina (2023).\n"
    assert parse(text).film.taglines == ["One Thing I Had to Protect.", "Merciless."]


# --- franchises, namesakes, mentions --------------------------------------------------------------------------

SEED_LIKE = """Ballerina (2023) Korean Film: Revenge

Ballerina is a 2023 Korean movie from South Korea.

In fact, another Hollywood movie with the same title is likely to be released in 2024. Thus, this film has a
Ballerina name too and it belongs to the John Wick film franchisee.
"""


def test_franchise_sentence_about_the_namesake() -> None:
    record = parse(SEED_LIKE)
    assert record.film.franchise is None
    [namesake] = record.namesakes
    assert (namesake.title, namesake.year, namesake.franchise) == ("Ballerina", None, "John Wick")
    assert (namesake.countries, namesake.languages) == (["US"], ["en"])


@pytest.mark.parametrize(
    "sentence",
    [
        "Ballerina (2025) is the latest film of the John Wick franchise.",
        "It is part of the John Wick series.",
        "This is the fourth film in the John Wick saga.",
    ],
)
def test_franchise_of_the_reviewed_film(sentence: str) -> None:
    record = parse(f"Ballerina (2025) review\n\n{sentence}\n")
    assert record.film.franchise == "John Wick"


def test_franchise_of_reviewed_film_next_to_a_namesake() -> None:
    text = ("Ballerina (2025) review\n\nIt shares its title with the 2023 Korean film Ballerina. "
            "Ballerina (2025) is the latest film of the John Wick franchise.\n")
    record = parse(text)
    assert record.film.franchise == "John Wick"
    assert [(n.year, n.countries, n.languages, n.franchise) for n in record.namesakes] == [
        (2023, ["KR"], ["ko"], None)]


@pytest.mark.parametrize(
    ("sentence", "year"),
    [
        ("A 2013 Hollywood remake by Spike Lee carries the same title.", 2013),
        ("Another Hollywood movie with the same title is likely to be released in 2024.", None),
        ("A film of the same name was released in 2013.", 2013),
        ("A namesake will be released in 2026.", None),
    ],
)
def test_namesake_year_only_when_stated_as_released(sentence: str, year: int | None) -> None:
    record = parse(f"Oldboy (2003) Korean Film\n\n{sentence}\n")
    assert [n.year for n in record.namesakes] == [year]
    assert record.namesakes[0].title == "Oldboy"


def test_remake_statement_gives_a_namesake_with_its_director() -> None:
    record = parse("Oldboy review\n\nRelease date: 2013\n\nIt is a remake of the 2003 Korean film of the same "
                   "name by Park Chan-wook.\n")
    [namesake] = record.namesakes
    assert (namesake.year, namesake.countries, namesake.directors) == (2003, ["KR"], ["Park Chan-wook"])


@pytest.mark.parametrize(
    ("sentence", "mentions"),
    [
        ("Go ahead and read our article on “Kill Boksoon” film in our magazine.", [("Kill Boksoon", None)]),
        ("Also read our review of Decision to Leave (2022).", [("Decision to Leave", 2022)]),
        ("Fans of *Lady Vengeance* will like this film.", [("Lady Vengeance", None)]),
        ("Park Chan-wook's Oldboy (2003) is the obvious comparison.", [("Oldboy", 2003)]),
        ("Fans of Korean Cinema and Big Action will like it.", []),
        ("She said “I will hunt you down, all the way to hell.” in the film.", []),
        ("The film is rated “18+” and runs “PT1H33M”, released “2023-10”.", []),
        ("The film stars “Jeon Jong-seo” as Ok-ju, as *Kim Ji-hoon* never could.", []),  # names, not films
    ],
)
def test_mentions(sentence: str, mentions: list[tuple[str, int | None]]) -> None:
    record = parse(f"Ballerina (2023) Korean Film\n\nCast: Jeon Jong-seo\n\n{sentence}\n")
    assert [(m.title, m.year) for m in record.mentions] == mentions


@given(st.one_of(
    st.dates().map(lambda d: d.isoformat()[:7]), st.dates().map(lambda d: d.isoformat()),
    st.builds(lambda h, m: f"PT{h}H{m}M", st.integers(0, 9), st.integers(0, 59)),
    st.integers(1, 240).map(lambda m: f"PT{m}M"), st.integers(7, 19).map(lambda a: f"{a}+")))
def test_quoted_dates_durations_and_ratings_are_no_films(value: str) -> None:
    record = parse(f"Ballerina (2023) Korean Film\n\nThe film's listing says “{value}”.\n")
    assert record.mentions == []


def test_reviewed_film_is_not_a_mention() -> None:
    record = parse("Ballerina (2023) Korean Film\n\nFeatured Image and Poster from the Ballerina (2023) Korean Film.\n")
    assert record.mentions == []


def test_same_title_other_year_is_a_namesake_not_a_mention() -> None:
    record = parse("Oldboy review\n\nRelease date: 2013\n\nSee Oldboy (2003) first.\n")
    assert record.mentions == []
    assert [n.year for n in record.namesakes] == [2003]


def test_known_person_hook_is_used() -> None:
    text = "Review: Burning (2018)\n\nCast: Ben (Yeun), Hae-mi (Jeon)\n"
    known = {"Yeun", "Jeon"}.__contains__
    record = parse_review_text(text, "t.txt", is_known_person=known)
    assert cast_pairs(record) == [("Yeun", "Ben"), ("Jeon", "Hae-mi")]


# --- the seed ------------------------------------------------------------------------------------------------

def test_seed_review() -> None:
    if not SEED.exists():
        pytest.skip(f"{SEED} is not available")
    text, digest = read_text_file(SEED)
    record = parse_review_text(text, str(SEED), content_hash=digest)
    film = record.film
    assert record.source == str(SEED) and record.content_hash == digest and len(digest) == 64
    assert record.headline == "Ballerina (2023) Korean Film: Revenge Action K-Drama Led By Female Ex-bodyguard"
    assert (film.title, film.year, film.release_date) == ("Ballerina", 2023, "2023-10")
    assert (film.original_title, film.original_title_lang) == ("발레리나", "ko")
    assert (film.languages, film.countries) == (["ko"], ["KR"])
    assert film.runtime_minutes == 93
    assert film.genres == ["Action", "Mystery", "Thriller"]
    assert film.content_rating == "18+"
    assert film.directors == film.writers == ["Lee Chung-Hyeon"]
    assert cast_pairs(record) == [("Jeon Jong-Seo", "Ok-ju"), ("Kim Ji-hoon", "Pro Choi"),
                                  ("Park Yu-rim", "Min-hee")]
    assert film.taglines == ["One Thing I Had to Protect.", "Merciless and Ruthless, To Hell.",
                             "I will hunt you down, all the way to hell.", "Does it look like, I am joking to you?"]
    assert film.franchise is None
    assert record.publisher == "Focus Magazine"
    assert record.rating == Rating(3.5, 5, 0)
    assert record.summary is not None and record.summary.startswith("A female action heroine takes centre stage")
    assert record.summary.endswith("it’s wild and thrilling.")
    assert [(m.title, m.year) for m in record.mentions] == [("Kill Boksoon", None)]
    [namesake] = record.namesakes
    assert (namesake.title, namesake.year, namesake.franchise) == ("Ballerina", None, "John Wick")
    assert (namesake.countries, namesake.languages) == (["US"], ["en"])
    assert record.warnings == []


# --- the samples ----------------------------------------------------------------------------------------------

SAMPLE_EXPECTATIONS = {
    "handmaiden_2016_infobox.txt": dict(
        title="The Handmaiden", year=2016, directors=["Park Chan-wook"], runtime=145,
        cast=[("Kim Min-hee", "Lady Hideko"), ("Kim Tae-ri", "Sook-hee"), ("Ha Jung-woo", "Count Fujiwara"),
              ("Cho Jin-woong", "Kouzuki")],
        rating=Rating("A-", None, None), publisher="Hanji Screen Quarterly"),
    "decision_to_leave_2022_colon.txt": dict(
        title="Decision to Leave", year=2022, directors=["Park Chan-Wook"], runtime=138,
        cast=[("Park Hae-il", "Hae-jun"), ("Tang Wei", "Seo-rae")],
        rating=Rating(8, 10), publisher="Reel Harbour magazine"),
    "oldboy_2003_glued.txt": dict(
        title="Oldboy", year=2003, directors=["Park Chan-wook"], runtime=120,
        cast=[("Choi Min-sik", "Oh Dae-su"), ("Yoo Ji-tae", "Lee Woo-jin"), ("Kang Hye-jung", "Mi-do")],
        rating=Rating(4.5, 5), publisher="Silver Reel Magazine"),
    "oldboy_2013_dashlist.txt": dict(
        title="Oldboy", year=2013, directors=["Spike Lee"], runtime=104,
        cast=[("Josh Brolin", "Joe Doucett"), ("Elizabeth Olsen", "Marie Sebastian"),
              ("Sharlto Copley", "Adrian Pryce"), ("Samuel L. Jackson", "Chaney")],
        rating=Rating(2, 4), publisher="The Late Show Ledger"),
    "john_wick_2014_stars.txt": dict(
        title="John Wick", year=2014, directors=["Chad Stahelski"], runtime=101,
        cast=[("Keanu Reeves", "John Wick"), ("Alfie Allen", "Iosef Tarasov"), ("Michael Nyqvist", "Viggo Tarasov"),
              ("Willem Dafoe", "Marcus")],
        rating=Rating(4.5, None, None), publisher="Midnight Popcorn Blog"),
    "ballerina_2025_played_by.txt": dict(
        title="Ballerina", year=2025, directors=["Len Wiseman"], runtime=125,
        cast=[("Ana de Armas", "Eve Macarro"), ("Keanu Reeves", "John Wick"), ("Ian McShane", "Winston"),
              ("Anjelica Huston", "The Director")],
        rating=Rating(3.5, None, None), publisher="Stage Left Screen Weekly"),
    "burning_2018_dash_credits.txt": dict(
        title="Burning", year=2018, directors=["Lee Chang-dong"], runtime=148,
        cast=[("Yoo Ah-in", "Jong-su"), ("Steven Yeun", "Ben"), ("Jeon Jong-Seo", "Hae-mi")],
        rating=Rating(9, 10), publisher="The Quiet Frame Film Journal"),
}


def test_every_sample_has_expectations() -> None:
    assert sorted(p.name for p in SAMPLES.glob("*.txt")) == sorted(SAMPLE_EXPECTATIONS)


@pytest.mark.parametrize("name", sorted(SAMPLE_EXPECTATIONS))
def test_sample(name: str) -> None:
    expected = SAMPLE_EXPECTATIONS[name]
    text, digest = read_text_file(SAMPLES / name)
    assert 150 <= len(text.split()) <= 400
    record = parse_review_text(text, name, content_hash=digest)
    film = record.film
    assert film.title == expected["title"]
    assert film.year == expected["year"]
    assert film.directors == expected["directors"]
    assert film.runtime_minutes == expected["runtime"]
    assert cast_pairs(record) == expected["cast"]
    assert record.rating == expected["rating"]
    assert record.publisher == expected["publisher"]


def test_sample_links() -> None:
    """What the samples say about one another: remakes, franchises, namesakes, mentions."""
    def read(name: str) -> ReviewRecord:
        text, _ = read_text_file(SAMPLES / name)
        return parse_review_text(text, name)

    oldboy_2013 = read("oldboy_2013_dashlist.txt")
    assert [(n.title, n.year, n.countries) for n in oldboy_2013.namesakes] == [("Oldboy", 2003, ["KR"])]
    oldboy_2003 = read("oldboy_2003_glued.txt")
    assert [(n.title, n.year, n.countries) for n in oldboy_2003.namesakes] == [("Oldboy", 2013, ["US"])]
    assert [(m.title, m.year) for m in oldboy_2003.mentions] == [("Decision to Leave", 2022)]
    ballerina = read("ballerina_2025_played_by.txt")
    assert ballerina.film.franchise == "John Wick"
    assert [(n.year, n.countries) for n in ballerina.namesakes] == [(2023, ["KR"])]
    assert read("john_wick_2014_stars.txt").film.franchise == "John Wick"
    dtl = read("decision_to_leave_2022_colon.txt")
    assert [(m.title, m.year) for m in dtl.mentions] == [("Oldboy", 2003), ("The Handmaiden", None)]
    assert dtl.film.writers == ["Park Chan-Wook", "Chung Seo-kyung"]


# --- bad input ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "is empty"),
        (b"   \n\t\n  ", "only white space"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
        ("Caf\u00e9 review of Oldboy (2003)".encode("latin-1"), "is not UTF-8 (byte 0xe9 at offset 3)"),
    ],
    ids=["empty", "whitespace", "binary", "latin-1"],
)
def test_bad_files(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "bad_review.txt"
    path.write_bytes(content)
    with pytest.raises(InputError) as info:
        read_text_file(path)
    assert "bad_review.txt" in str(info.value)
    assert message in str(info.value)


def test_missing_path(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"nowhere\.txt: no such file"):
        read_text_file(tmp_path / "nowhere.txt")


def test_directory(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="is a directory"):
        read_text_file(tmp_path)


def test_utf8_bom_and_crlf(tmp_path: Path) -> None:
    path = tmp_path / "bom.txt"
    path.write_bytes("\ufeffOldboy (2003)\r\nA film.\r\n".encode())
    text, digest = read_text_file(path)
    assert text == "Oldboy (2003)\nA film.\n"
    assert len(digest) == 64


@pytest.mark.parametrize(
    "text",
    ["My shopping list\n\nEggs, milk and bread.\n", "Meeting notes\n\nWe talked about the budget for 2024.\n"],
)
def test_text_with_no_film(text: str) -> None:
    with pytest.raises(ExtractionError, match=r"notes\.txt: no film title found"):
        parse_review_text(text, "notes.txt")
