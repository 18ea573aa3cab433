"""Rating reviews spelled straight from the rows (`RatingsBuilder.chunk_text`) are the text of their triples.

Validation and the bulk write read `chunk_text`; `chunk` (the triples) is what other stores get and what a
refused chunk's report is worded from. The two must agree line for line, whatever the ids, names and dates.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib import URIRef

from filmgraph.graph.build_ratings import RatingRow, RatingsBuilder
from filmgraph.graph.triples import ntriples_text
from filmgraph.vocab import IriMinter

FILM = "https://w3id.org/filmgraph/id/film/"
#: Ids as MovieLens writes them, and ids no MovieLens file has (IRI characters outside the plain set,
#: characters no IRI may hold) that must still be spelled, or refused, the same way.
IDS = st.one_of(st.integers(1, 99_999).map(str), st.text("0123456789abXY._~-+%é@# <", min_size=1, max_size=6))
ROWS = st.builds(
    RatingRow,
    user=IDS,
    movie=IDS,
    film=st.integers(1, 40).map(lambda n: URIRef(f"{FILM}film-{n}")),
    value=st.sampled_from([0.5, 1.0, 2.5, 3.0, 4.5, 5.0, 7.25]),
    best=st.sampled_from([5.0, 10.0]),
    worst=st.sampled_from([0.0, 0.5, 1.0]),
    date=st.one_of(st.none(), st.sampled_from(["2015-03-09", "1996-12-31", "2018-09-24"])),
)
NAMES = st.dictionaries(st.integers(1, 40).map(lambda n: URIRef(f"{FILM}film-{n}")),
                        st.text(max_size=12), max_size=40)


def _spelled(spell: object) -> str | type[Exception]:
    try:
        return spell()  # type: ignore[operator]
    except ValueError as exc:  # an id no IRI may hold: both spellings must refuse it
        return type(exc)


@settings(max_examples=300, deadline=None)
@given(st.lists(ROWS, max_size=25), NAMES, st.sampled_from(["https://w3id.org/filmgraph/id/", "http://example.org/kb#"]))
def test_chunk_text_is_the_text_of_the_chunks_triples(rows: list[RatingRow], names: dict[URIRef, str],
                                                      base: str) -> None:
    builder = RatingsBuilder(IriMinter(base), names)
    expected = _spelled(lambda: ntriples_text(RatingsBuilder(IriMinter(base), names).chunk(rows)))
    assert _spelled(lambda: builder.chunk_text(rows)) == expected
    assert _spelled(lambda: builder.chunk_text(rows)) == expected  # and again, from the builder's memo


@settings(max_examples=200, deadline=None)
@given(st.lists(ROWS, max_size=25), NAMES)
def test_triple_counts_are_those_of_the_triples(rows: list[RatingRow], names: dict[URIRef, str]) -> None:
    builder = RatingsBuilder(IriMinter(), names)
    own, linked = builder.chunk_parts(rows)
    assert builder.triple_counts(rows) == (len(own), len(set(linked)))


def test_a_movielens_rating_reads_as_expected() -> None:
    builder = RatingsBuilder(IriMinter(), {URIRef(f"{FILM}heat-1995"): 'Heat "95"'})
    text = builder.chunk_text([RatingRow("17", "6", URIRef(f"{FILM}heat-1995"), 4.5, 5.0, 0.5, "2015-03-09")])
    review = "<https://w3id.org/filmgraph/id/review/movielens-u17-m6>"
    assert f'{review} <http://schema.org/datePublished> "2015-03-09"^^<http://www.w3.org/2001/XMLSchema#date> .\n' \
        in text
    assert ("<https://w3id.org/filmgraph/id/review/movielens-u17-m6#rating> <http://schema.org/ratingValue> "
            '"4.5"^^<http://www.w3.org/2001/XMLSchema#decimal> .\n') in text
    assert f'<{FILM}heat-1995> <http://schema.org/name> "Heat \\"95\\"" .\n' in text
    assert text.count("\n") == 9 + 3 + 3


@pytest.mark.parametrize("user", ["17", "a.b~c-d_e"])
def test_plain_ids_are_spelled_without_pyoxigraph(user: str) -> None:
    builder = RatingsBuilder(IriMinter(), {})
    text = builder.chunk_text([RatingRow(user, "6", URIRef(f"{FILM}x"), 3.0, 5.0, 0.5, None)])
    assert text.startswith(f"<https://w3id.org/filmgraph/id/review/movielens-u{user}-m6> ")
