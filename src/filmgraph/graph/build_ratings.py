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
directly (no resolver, no rdflib parsing): 100k ratings make about 650k triples. What validation and the
bulk write read is a chunk's N-Triples text, which `chunk_text` spells straight from the rows (the text
`ntriples_text(chunk(rows))` gives, at a fifth of its cost: no rdflib term per triple).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

import pyoxigraph as ox
from rdflib import Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node

from ..link.naming import match_key
from ..vocab import FG, RDF, SCHEMA, IriMinter
from .build import number_literal
from .triples import to_ox

Triple = tuple[Node, Node, Node]  # what a store writes (`store.Triple`)

__all__ = ["RatingRow", "RatingsBuilder", "rater_name"]

#: An id that can stand in an IRI as it is (MovieLens' ids are numbers); others are spelled through pyoxigraph.
_PLAIN_ID = re.compile(r"[A-Za-z0-9._~-]+")


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
        self._spellings: dict[URIRef | Literal, str] = {}  # chunk_text's terms, spelled once per builder
        self._person_texts: dict[str, str] = {}  # the lines restating each rater (by id), each film (by IRI)
        self._film_texts: dict[URIRef, str] = {}
        #: A review IRI can be spelled by joining plain ids to its namespace unless the namespace already has
        #: a fragment (a `#` base), which the rating's `#rating` would make a second one, no IRI at all.
        self._joins_plain_ids = "#" not in minter.namespace("review")

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

    # -- N-Triples text, spelled directly ----------------------------------------------------------------

    def triple_counts(self, rows: Iterable[RatingRow]) -> tuple[int, int]:
        """(the ratings' own triples, the distinct triples stating the persons and films they link to):
        what `chunk_parts` of all the rows would give, without building them."""
        own = 0
        users: dict[str, None] = {}
        films: dict[URIRef, None] = {}
        for row in rows:
            own += 9 if row.date else 8
            users[row.user] = None
            films[row.film] = None
        return own, 3 * len(users) + sum(3 if self.film_names.get(film) else 1 for film in films)

    def _spell(self, term: URIRef | Literal) -> str:
        text = self._spellings.get(term)
        if text is None:
            text = self._spellings[term] = str(to_ox(term))
        return text

    def _review_spellings(self, row: RatingRow, namespace: str) -> tuple[str, str]:
        """The review's and its rating's `<IRI>`, without either ever becoming a term (they differ in every
        rating); `namespace` is the review namespace's spelling without its closing `>`."""
        if self._joins_plain_ids and _PLAIN_ID.fullmatch(row.user) and _PLAIN_ID.fullmatch(row.movie):
            review = f"{namespace}movielens-u{row.user}-m{row.movie}"
            return f"{review}>", f"{review}#rating>"
        iri = str(self.review_iri(row))
        return str(ox.NamedNode(iri)), str(ox.NamedNode(f"{iri}#rating"))

    def _person_lines(self, user: str) -> str:
        text = self._person_texts.get(user)
        if text is None:
            text = self._person_texts[user] = "".join(self._lines(self.person_triples(user)))
        return text

    def _film_lines(self, film: URIRef) -> str:
        text = self._film_texts.get(film)
        if text is None:
            text = self._film_texts[film] = "".join(self._lines(self.film_triples(film)))
        return text

    def _lines(self, triples: Iterable[Triple]) -> Iterator[str]:
        for s, p, o in triples:
            yield f"{self._spell(s)} {self._spell(p)} {self._spell(o)} .\n"  # type: ignore[arg-type]

    def chunk_text(self, rows: Sequence[RatingRow]) -> str:
        """`ntriples_text(chunk(rows))`, spelled from the rows: the same text, line for line."""
        spell = self._spell
        a, review_type, rating_type = spell(RDF.type), spell(SCHEMA.Review), spell(SCHEMA.Rating)
        item, author, rated = spell(SCHEMA.itemReviewed), spell(SCHEMA.author), spell(SCHEMA.reviewRating)
        published, value_p = spell(SCHEMA.datePublished), spell(SCHEMA.ratingValue)
        best_p, worst_p = spell(SCHEMA.bestRating), spell(SCHEMA.worstRating)
        namespace = spell(self.minter("review", "x"))[:-2]
        people: dict[str, str] = {}
        numbers: dict[float, str] = {}
        dates: dict[str, str] = {}
        lines: list[str] = []
        films: dict[URIRef, None] = {}
        for row in rows:
            review, rating = self._review_spellings(row, namespace)
            person = people.get(row.user)
            if person is None:
                person = people[row.user] = spell(self.person_iri(row.user))
            film = spell(row.film)
            films[row.film] = None
            lines.append(f"{review} {a} {review_type} .\n{review} {item} {film} .\n"
                         f"{review} {author} {person} .\n{review} {rated} {rating} .\n")
            if row.date:
                date = dates.get(row.date)
                if date is None:
                    date = dates[row.date] = spell(self._date(row.date))
                lines.append(f"{review} {published} {date} .\n")
            value, best, worst = (numbers.get(n) or numbers.setdefault(n, spell(number_literal(n)))
                                  for n in (row.value, row.best, row.worst))
            lines.append(f"{rating} {a} {rating_type} .\n{rating} {value_p} {value} .\n"
                         f"{rating} {best_p} {best} .\n{rating} {worst_p} {worst} .\n")
        lines.extend(self._person_lines(user) for user in people)
        lines.extend(self._film_lines(film) for film in films)
        return "".join(lines)
