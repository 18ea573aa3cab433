"""HTML reader (JSON-LD, microdata, RDFa) and the lenient JSON-LD parser.

The official schema.org examples are read from ../shared/data/ (skipped when absent), split into examples
and wrapped into a minimal page at test time; the other fixtures are small hand-made pages.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from filmgraph.errors import ExtractionError, InputError
from filmgraph.extract.html import normalise_date, parse_duration, read_html, read_jsonld
from filmgraph.extract.jsonld_repair import parse_jsonld, repair_json
from filmgraph.models import ReviewRecord

DATA = Path(__file__).resolve().parent / "data" / "readers"
EXAMPLES = Path(__file__).resolve().parents[2] / "shared" / "data" / "schemaorg_v30_examples_movie_review.txt"


def schema_examples() -> dict[str, str]:
    """eg-id -> a minimal HTML page holding the example's JSON-LD (and its plain markup as the body)."""
    if not EXAMPLES.exists():
        pytest.skip(f"{EXAMPLES} is not available (../shared/ only exists beside developer and CI checkouts)")
    pages: dict[str, str] = {}
    for block in EXAMPLES.read_text(encoding="utf-8").split("=========="):
        m = re.search(r"TYPES: #(eg-\d+)", block)
        if not m or "--- JSON-LD ---" not in block:
            continue
        pre = block.split("--- PRE-MARKUP ---", 1)[-1].split("--- JSON-LD ---", 1)[0]
        jsonld = block.split("--- JSON-LD ---", 1)[1]
        pages[m.group(1)] = (f"<!DOCTYPE html>\n<html><head><title>{m.group(1)}</title>\n{jsonld}\n</head>"
                             f"<body>\n{pre}\n</body></html>")
    return pages


def read_example(eg: str) -> ReviewRecord:
    return read_html(schema_examples()[eg], eg, use_text=False)


# ------------------------------------------------------------------------------ schema.org examples

@pytest.mark.shared
def test_examples_all_present() -> None:
    assert set(schema_examples()) == {"eg-0017", "eg-0026", "eg-0166", "eg-0187", "eg-0205", "eg-0419",
                                      "eg-0420", "eg-0460", "eg-0467", "eg-0248"}


@pytest.mark.shared
def test_example_movie_with_credits() -> None:
    record = read_example("eg-0017")
    film = record.film
    assert (film.title, film.year) == ("Pirates of the Carribean: On Stranger Tides", 2011)
    assert film.directors == ["Rob Marshall"]
    assert film.writers == ["Ted Elliott", "Terry Rossio"]
    assert [c.actor for c in film.cast] == ["Johnny Depp", "Penelope Cruz", "Ian McShane"]
    assert film.description is not None and film.description.startswith("Jack Sparrow")
    assert record.rating is None  # an aggregateRating is not the review's rating
    assert record.warnings == []


@pytest.mark.shared
def test_example_performance_role() -> None:
    film = read_example("eg-0205").film
    assert film.title == "Ghostbusters"
    assert [(c.actor, c.character) for c in film.cast] == [("Bill Murray", "Dr. Peter Venkman")]
    assert film.identifiers == ["http://en.wikipedia.org/wiki/Ghostbusters"]


@pytest.mark.shared
@pytest.mark.parametrize(("eg", "title"), [("eg-0187", "Footloose"), ("eg-0419", "Jaws 3-D"),
                                           ("eg-0420", "Ghostbusters"),
                                           ("eg-0460", "The Hitchhiker's Guide to the Galaxy")])
def test_example_movies(eg: str, title: str) -> None:
    assert read_example(eg).film.title == title


@pytest.mark.shared
def test_example_identifiers_and_country() -> None:
    assert read_example("eg-0419").film.identifiers == ["https://www.imdb.com/title/tt0085750/"]
    assert read_example("eg-0420").film.countries == ["US"]
    assert read_example("eg-0460").film.identifiers == ["https://doi.org/10.5240/B752-5B47-DBBE-E5D4-5A3F-N",
                                                        "http://www.wikidata.org/entity/Q836821"]


@pytest.mark.shared
def test_example_review_rating_and_item() -> None:
    record = read_example("eg-0248")
    assert record.film.title == "Fine Dining Establishment"
    assert record.rating is not None
    assert (record.rating.value, record.rating.best, record.rating.worst) == (5, 5, 1)
    assert record.summary == "The restaurant has great ambiance."
    assert record.warnings == ["itemReviewed is a Restaurant, not a Movie"]


@pytest.mark.shared
@pytest.mark.parametrize("eg", ["eg-0026", "eg-0166", "eg-0467"])
def test_examples_without_a_film(eg: str) -> None:
    with pytest.raises(ExtractionError) as info:
        read_example(eg)
    assert eg in str(info.value)


# ------------------------------------------------------------------------------------ own fixtures

def test_microdata_review() -> None:
    record = read_html(DATA / "microdata_review.html")
    film = record.film
    assert (film.title, film.year, film.release_date) == ("The Handmaiden", 2016, "2016-06-01")
    assert (film.original_title, film.original_title_lang) == ("아가씨", "ko")
    assert film.directors == ["Park Chan-wook"]
    assert [c.actor for c in film.cast] == ["Kim Min-hee", "Kim Tae-ri", "Ha Jung-woo"]
    assert (film.runtime_minutes, film.languages) == (145, ["ko"])
    assert (record.author, record.publisher, record.date_published) == ("Mira Stone", "The Lantern Weekly",
                                                                        "2016-10-21")
    assert record.headline == "A con game folded inside a love story"
    assert record.rating is not None and (record.rating.value, record.rating.best, record.rating.worst) == (4, 5, 0)
    assert len(record.content_hash) == 64
    assert record.source.endswith("microdata_review.html")


def test_rdfa_review() -> None:
    record = read_html(DATA / "rdfa_movie.html")
    film = record.film
    assert (film.title, film.year, film.runtime_minutes, film.languages) == ("Burning", 2018, 148, ["ko"])
    assert film.directors == ["Lee Chang-dong"]
    assert {c.actor for c in film.cast} == {"Yoo Ah-in", "Steven Yeun", "Jeon Jong-seo"}
    assert film.identifiers == ["https://www.imdb.com/title/tt7282468/"]
    assert record.rating is not None and (record.rating.value, record.rating.best) == (3.5, 4)
    assert (record.author, record.date_published) == ("Tomas Reyes", "2018-05-17")


def test_broken_jsonld_blocks_are_reported_and_the_rest_read() -> None:
    record = read_html(DATA / "broken_jsonld.html", use_text=False)
    film = record.film
    assert (film.title, film.year, film.release_date) == ("Mother", 2009, "2009-05-28")
    assert film.directors == ["Bong Joon-ho"]  # a string where a Person was expected
    assert [c.actor for c in film.cast] == ["Kim Hye-ja", "Won Bin"]
    assert (film.runtime_minutes, film.genres) == (128, ["Crime", "Drama"])
    assert len(record.warnings) == 2
    assert record.warnings[0].startswith("JSON-LD block 1: invalid JSON") and "repair failed" in record.warnings[0]
    assert record.warnings[1].startswith("JSON-LD block 2: repaired")


def test_imdb_style_unescaped_quotes() -> None:
    record = read_html(DATA / "imdb_quotes.html")
    film = record.film
    assert (film.title, film.year, film.release_date) == ("The Host", 2006, "2006-07-27")
    assert film.description is not None and '"Gang-du"' in film.description
    assert film.identifiers == ["https://www.imdb.com/title/tt0468492/"]  # relative /title/ link
    assert film.directors == ["Bong Joon Ho"]
    assert film.writers == ["Bong Joon Ho"]  # the Organization creator is not a writer
    assert film.person_identifiers == {"Bong Joon Ho": ["https://www.imdb.com/name/nm0094435/"]}
    assert (film.runtime_minutes, film.content_rating) == (120, "R")
    assert film.keywords == ["monster", "river", "seoul"]
    assert (film.original_title, film.original_title_lang) == ("Gwoemul", None)
    assert record.rating is None  # only an aggregateRating on the page
    assert len(record.warnings) == 1 and "repaired" in record.warnings[0]


def test_graph_with_id_references() -> None:
    record = read_html(DATA / "graph_refs.html", use_text=False)
    film = record.film
    assert (film.title, film.year, film.runtime_minutes) == ("John Wick: Chapter 4", 2023, 169)
    assert film.directors == ["Chad Stahelski"]
    assert [(c.actor, c.character) for c in film.cast] == [("Keanu Reeves", "John Wick"), ("Donnie Yen", None)]
    assert film.franchise == "John Wick"
    assert film.identifiers == ["http://www.wikidata.org/entity/Q87767524"]  # the page-local @id is not one
    assert film.person_identifiers == {"Keanu Reeves": ["https://www.imdb.com/name/nm0000206/"]}
    assert (record.author, record.publisher) == ("Dana Holt", "The Reel Ledger")
    assert record.headline == "Four chapters in, the suit still fits"
    assert record.date_published == "2023-03-24"
    assert record.rating is not None and (record.rating.value, record.rating.best, record.rating.worst) == (4, 5, 0)
    assert [(m.title, m.year) for m in record.mentions] == [("John Wick", 2014)]


def test_html_given_as_text_and_http_context() -> None:
    page = ('<html><head><script type="application/ld+json">{"@context": "http://schema.org/", '
            '"@type": "schema:Movie", "name": "Oldboy", "datePublished": "2003-11-21T00:00:00+09:00", '
            '"director": {"@type": "Person", "name": "Park Chan-wook"}, "duration": "PT2H", '
            '"inLanguage": {"@type": "Language", "name": "Korean"}}</script></head><body></body></html>')
    record = read_html(page, "inline")
    assert (record.source, record.film.title, record.film.release_date) == ("inline", "Oldboy", "2003-11-21")
    assert (record.film.runtime_minutes, record.film.languages) == (120, ["ko"])


def test_no_film_names_the_file() -> None:
    path = DATA / "no_film.html"
    with pytest.raises(ExtractionError) as info:
        read_html(path)
    assert str(path) in str(info.value)


def test_empty_and_missing_input(tmp_path: Path) -> None:
    empty = tmp_path / "empty.html"
    empty.write_text("  \n", encoding="utf-8")
    with pytest.raises(InputError, match="empty"):
        read_html(empty)
    with pytest.raises(InputError, match="no such file"):
        read_html(tmp_path / "missing.html")


BURNING_REVIEW = {
    "@context": "https://schema.org",
    "@graph": [
        {"@type": "Review", "@id": "#review", "itemReviewed": {"@id": "#film"},
         "author": {"@type": "Person", "name": "Mina Cho"},
         "publisher": {"@type": "Organization", "name": "Reel Notes"},
         "datePublished": "2018-06-02", "reviewRating": {"@type": "Rating", "ratingValue": "4", "bestRating": "5"},
         "reviewBody": "Patient, unsettling, and precise."},
        {"@type": "Movie", "@id": "#film", "name": "Burning", "dateCreated": "2018",
         "director": "Lee Chang-dong", "sameAs": "https://www.imdb.com/title/tt7282468/",
         "actor": [{"@type": "Person", "name": "Yoo Ah-in"}, {"@type": "Person", "name": "Steven Yeun"}]},
        {"@type": "Movie", "name": "Poetry", "dateCreated": "2010"},
    ]}


def test_a_json_ld_document_reads_like_a_pages_markup(tmp_path: Path) -> None:
    path = tmp_path / "burning.jsonld"
    path.write_text(json.dumps(BURNING_REVIEW), encoding="utf-8")
    record = read_jsonld(path)
    film = record.film
    assert (film.title, film.year, film.directors) == ("Burning", 2018, ["Lee Chang-dong"])
    assert [c.actor for c in film.cast] == ["Yoo Ah-in", "Steven Yeun"]
    assert any("imdb.com/title/tt7282468" in iri for iri in film.identifiers)
    assert (record.author, record.publisher, record.date_published) == ("Mina Cho", "Reel Notes", "2018-06-02")
    assert record.rating is not None and (record.rating.value, record.rating.best) == (4, 5)
    assert [(m.title, m.year) for m in record.mentions] == [("Poetry", 2010)]
    assert len(record.content_hash) == 64 and record.source == str(path)


@pytest.mark.parametrize(("content", "error", "message"), [
    (b"", InputError, "is empty"),
    (b"{\"@context\": \"https://schema.org\", \"name\": \"Burning\"", InputError, "invalid JSON-LD"),
    (b"[1, 2", InputError, "invalid JSON-LD"),
    (b"{\"@context\": \"https://schema.org\", \"@type\": \"Person\", \"name\": \"Lee\"}",
     ExtractionError, "no film found"),
    ("{\"@context\": \"https://schema.org\", \"name\": \"Caf\u00e9\"}".encode("latin-1"), InputError, "not UTF-8"),
])
def test_bad_json_ld_names_the_file_and_the_problem(tmp_path: Path, content: bytes, error: type[Exception],
                                                     message: str) -> None:
    path = tmp_path / "bad.jsonld"
    path.write_bytes(content)
    with pytest.raises(error, match=message) as info:
        read_jsonld(path)
    assert "bad.jsonld" in str(info.value)


def test_text_fills_thin_markup() -> None:
    pytest.importorskip("filmgraph.extract.text")
    record = read_html(DATA / "text_only.html")
    assert record.film.title == "Oldboy"
    assert record.film.directors == ["Park Chan-wook"]
    assert record.rating is not None and record.rating.normalised == pytest.approx(0.8)


def test_markup_wins_over_text() -> None:
    pytest.importorskip("filmgraph.extract.text")
    page = ('<html><head><script type="application/ld+json">{"@context": "https://schema.org", "@type": "Movie",'
            ' "name": "Oldboy", "dateCreated": "2003"}</script></head>'
            "<body><h1>Oldboy (2003)</h1><p>Director: Park Chan-wook</p><p>Runtime: 2 hours</p></body></html>")
    record = read_html(page, "merged")
    assert (record.film.title, record.film.year) == ("Oldboy", 2003)
    assert record.film.directors == ["Park Chan-wook"]  # from the text: the markup had none


# --------------------------------------------------------------------------------------- values

@pytest.mark.parametrize(("value", "minutes"), [
    ("PT2H17M", 137), ("P0DT2H17M0S", 137), ("PT137M", 137), ("137", 137), ("137 min", 137), (137, 137),
    ("2h 17m", 137), ("2 hours 17 minutes", 137), ("PT1H", 60), ("", None), ("soon", None), ("PT", None),
])
def test_parse_duration(value: Any, minutes: int | None) -> None:
    assert parse_duration(value) == minutes


@pytest.mark.parametrize(("value", "date"), [
    ("2006-07-27", "2006-07-27"), ("2006-07-27T10:00:00Z", "2006-07-27"), ("2006-07", "2006-07"),
    ("2006", "2006"), (2006, "2006"), ("20060727", "2006-07-27"), ("July 27, 2006", "2006-07-27"),
    ("27 Jul 2006", "2006-07-27"), ("Jul 2006", "2006-07"), ("2006/07/27", "2006-07-27"),
    ("07/08/2006", None), ("2006-13-01", None), ("yesterday", None),
])
def test_normalise_date(value: Any, date: str | None) -> None:
    assert normalise_date(value) == date


# ------------------------------------------------------------------------------------- JSON repair

_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=20)


@given(value=_JSON, indent=st.sampled_from([None, 1]), ascii_only=st.booleans())
def test_repair_leaves_valid_json_unchanged(value: Any, indent: int | None, ascii_only: bool) -> None:
    text = json.dumps(value, indent=indent, ensure_ascii=ascii_only)
    assert repair_json(text) == text
    parsed, notes = parse_jsonld(text)
    assert parsed == value and notes == []


@given(inner=st.text(alphabet="abc XYZ,:-'", min_size=1, max_size=12))
def test_repair_escapes_quotes_inside_values(inner: str) -> None:
    broken = '{"name": "The "' + inner + '" Cut", "year": 2003}'
    parsed, notes = parse_jsonld(broken)
    assert parsed == {"name": f'The "{inner}" Cut', "year": 2003}
    assert notes and notes[0].startswith("repaired")


@pytest.mark.parametrize(("text", "value"), [
    ('<!-- {"a": 1} -->', {"a": 1}),
    ('//<![CDATA[\n{"a": [1, 2,]}\n//]]>', {"a": [1, 2]}),
    ('{"a": "x",};', {"a": "x"}),
    ('{"a": "line\nbreak"}', {"a": "line\nbreak"}),
    ('["He said "hi, there" ok", "b"]', ['He said "hi, there" ok', "b"]),
    ('{"path": "C:\\dir"}', {"path": "C:\\dir"}),
])
def test_repairs(text: str, value: Any) -> None:
    assert parse_jsonld(text)[0] == value


def test_unrepairable_json_gives_up_with_the_position() -> None:
    parsed, notes = parse_jsonld('{"a": "unterminated')
    assert parsed is None
    assert len(notes) == 1 and "line 1 column" in notes[0] and "repair failed" in notes[0]


def test_messy_inputs_do_not_crash() -> None:
    declared = ('<?xml version="1.0" encoding="utf-8"?><html><body><div itemscope itemtype="http://schema.org/Movie">'
                '<span itemprop="name">Poetry</span></div></body></html>')
    record = read_html(declared, "declared", use_text=False)
    assert (record.film.title, record.warnings) == ("Poetry", [])
    odd = ('<html><script type="application/ld+json">42</script><script type="application/ld+json">'
           '{"@type": "Review", "itemReviewed": "Oldboy", "author": "Ann", '
           '"reviewRating": {"ratingValue": "8", "bestRating": "10"}}</script></html>')
    record = read_html(odd, "odd", use_text=False)
    assert (record.film.title, record.author) == ("Oldboy", "Ann")
    assert record.rating is not None and (record.rating.value, record.rating.best) == (8, 10)
