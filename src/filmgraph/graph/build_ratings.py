"""Triples for audience ratings (MovieLens `ratings.csv`): one `schema:Review` per rating, in bulk.

Each rating becomes

    <review/movielens-u<user>-m<movie>> a schema:Review ;
        schema:itemReviewed <the film the catalogue resolved> ;
        schema:author <person/movielens-user-<user>> ;
        schema:reviewRating <review/movielens-u<user>-m<movie>#rating> ;
        schema:datePublished "2015-03-09"^^xsd:date .
    <...#rating> a schema:Rating ; schema:ratingValue 4.5 ; schema:bestRating 5.0 ; schema:worstRating 0.5 .
    <person/movielens-user-<user>> a schema:Person ; schema:name "MovieLens user <user>" ; fg:matchKey "...".

The rater is an opaque pseudonymous id, never more. Like a review's graph, a chunk restates the type, name
and match key of every film and person it links to, so each chunk validates on its own. Terms are built
directly (no resolver, no rdflib parsing): 100k ratings make about 650k triples.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from rdflib import Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node

from ..link.naming import match_key
from ..vocab import FG, RDF, SCHEMA, IriMinter
from .build import number_literal

Triple = tuple[Node, Node, Node]  # what a store writes (`store.Triple`)

__all__ = ["RatingRow", "RatingsBuilder", "rater_name"]


@dataclass(frozen=True)
class RatingRow:
    """One rating ready to be written: who (MovieLens user id), which film (IRI), how much, when."""

    user: str
    movie: str
    film: URIRef
    value: float
    best: float
    worst: float
    date: str | None  # YYYY-MM-DD (UTC)


def rater_name(user: str) -> str:
    """The name an opaque rater gets: `MovieLens user 17`."""
    return f"MovieLens user {user}"


class RatingsBuilder:
    """Builds rating reviews; film names come from the store (`film_names`: film IRI -> name)."""

    def __init__(self, minter: IriMinter, film_names: dict[URIRef, str]) -> None:
        self.minter = minter
        self.film_names = film_names
        self._dates: dict[str, Literal] = {}

    def review_iri(self, row: RatingRow) -> URIRef:
        return self.minter("review", f"movielens-u{row.user}-m{row.movie}")

    def person_iri(self, user: str) -> URIRef:
        return self.minter("person", f"movielens-user-{user}")

    def _date(self, text: str) -> Literal:
        found = self._dates.get(text)
        if found is None:
            found = self._dates[text] = Literal(text, datatype=XSD.date)
        return found

    def review_triples(self, row: RatingRow) -> Iterator[Triple]:
        review = self.review_iri(row)
        rating = URIRef(f"{review}#rating")
        yield review, RDF.type, SCHEMA.Review
        yield review, SCHEMA.itemReviewed, row.film
        yield review, SCHEMA.author, self.person_iri(row.user)
        yield review, SCHEMA.reviewRating, rating
        if row.date:
            yield review, SCHEMA.datePublished, self._date(row.date)
        yield rating, RDF.type, SCHEMA.Rating
        yield rating, SCHEMA.ratingValue, number_literal(row.value)
        yield rating, SCHEMA.bestRating, number_literal(row.best)
        yield rating, SCHEMA.worstRating, number_literal(row.worst)

    def person_triples(self, user: str) -> Iterator[Triple]:
        person = self.person_iri(user)
        name = rater_name(user)
        yield person, RDF.type, SCHEMA.Person
        yield person, SCHEMA.name, Literal(name)
        yield person, FG.matchKey, Literal(match_key(name))

    def film_triples(self, film: URIRef) -> Iterator[Triple]:
        name = self.film_names.get(film)
        yield film, RDF.type, SCHEMA.Movie
        if name:
            yield film, SCHEMA.name, Literal(name)
            yield film, FG.matchKey, Literal(match_key(name))

    def chunk(self, rows: Iterable[RatingRow]) -> list[Triple]:
        """The triples of some ratings, with every person and film they link to stated once."""
        own, linked = self.chunk_parts(rows)
        return own + linked

    def chunk_parts(self, rows: Iterable[RatingRow]) -> tuple[list[Triple], list[Triple]]:
        """`chunk` in two parts: the ratings' own triples, and those stating the persons and films they link to
        (which other chunks restate)."""
        own: list[Triple] = []
        users: dict[str, None] = {}
        films: dict[URIRef, None] = {}
        for row in rows:
            own.extend(self.review_triples(row))
            users[row.user] = None
            films[row.film] = None
        linked: list[Triple] = []
        for user in users:
            linked.extend(self.person_triples(user))
        for film in films:
            linked.extend(self.film_triples(film))
        return own, linked
