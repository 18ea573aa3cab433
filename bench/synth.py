"""Deterministic synthetic film graphs in the shape filmgraph's builder writes (see src/filmgraph/build.py).

    from synth import generate, write_nquads, pick_films
    for s, p, o, g in generate(10_000): ...          # rdflib terms, graph last
    write_nquads("films.nq", 100_000)                 # the fast path: N-Quads text, 2.22 M quads
    pick_films(50, seed=11, films=10_000)             # film IRIs to query

    .venv/bin/python bench/synth.py --films 100000 -o /tmp/films-100k.nq   # prints counts and hubs

Shape (schema.org, `fg:` for our own terms, IRIs under https://w3id.org/filmgraph/id/):

* films ``film/<title-slug>-<year>`` ``a schema:Movie`` with ``schema:name``, ``fg:matchKey``,
  ``schema:datePublished`` (``xsd:gYear``), ``schema:inLanguage``, ``schema:duration``, one to three
  ``schema:genre`` (``genre/<slug>``, a ``skos:Concept`` with an English ``skos:prefLabel``), a
  ``schema:director``, usually a ``schema:author``, three to seven ``schema:actor``; the first one or two
  actors play a named character ``character/<film-slug>--<name-slug>`` (``a fg:Character``, ``schema:name``,
  ``fg:matchKey``, ``fg:portrayedBy`` the actor, ``fg:characterIn`` the film, and the film
  ``schema:character`` it); 8 % of films belong to a ``series/<slug>`` (``a schema:MovieSeries``,
  ``schema:isPartOf`` / ``schema:hasPart``); every 200th film shares its title with the one before (a
  namesake pair, ``fg:namesakeOf`` both ways).
* persons ``person/<slug>`` ``a schema:Person`` with ``schema:name`` and ``fg:matchKey``. Popularity is
  Zipf-like (weight 1/(rank + 50)): at 100k films the busiest actor has about 1,450 films, the 100th about
  480, the 1,000th about 70, and the median actor three (at 10k films: 220, 75, 11 and five). Directors and
  writers come from their own pool with the same skew.
* reviews for 12 % of films: ``review/synth-<n>-<k>`` ``a schema:Review``, ``schema:itemReviewed``,
  ``schema:publisher`` (one of 25 ``org/`` publications, ``a schema:Organization``) and
  ``schema:reviewRating <review#rating>`` (``a schema:Rating``, ``schema:ratingValue``, ``schema:bestRating``,
  ``schema:worstRating`` as ``xsd:decimal``).
* named graphs: one per 1,000 films, ``source/synth-<k>``, as a catalogue source would write them; a person,
  genre, series or publication is typed and named in the graph that first links to it.

The same (films, seed) always gives the same quads in the same order.
"""

from __future__ import annotations

import argparse
import bisect
import itertools
import random
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from rdflib.term import Literal as RdfLiteral
    from rdflib.term import URIRef as RdfIRI

BASE = "https://w3id.org/filmgraph/id/"
SCHEMA = "http://schema.org/"
FG = "https://w3id.org/filmgraph/ontology#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
XSD = "http://www.w3.org/2001/XMLSchema#"
FILMS_PER_GRAPH = 1000

GENRES = ["Drama", "Comedy", "Thriller", "Action", "Romance", "Horror", "Crime", "Documentary", "Adventure",
          "Science Fiction", "Fantasy", "Mystery", "Animation", "Family", "War", "History", "Music",
          "Western", "Biography", "Sport"]
LANGUAGES = ["en", "en", "en", "en", "ko", "fr", "ja", "de", "es", "hi", "it", "zh"]
WORDS = ["night", "river", "last", "city", "silent", "red", "house", "summer", "wolf", "secret", "blue",
         "road", "winter", "garden", "storm", "king", "little", "dark", "paper", "moon", "glass", "iron",
         "lost", "golden", "shadow", "heart", "empire", "train", "island", "mirror", "fire", "long"]
GIVEN = ["Ann", "Bora", "Chen", "Dara", "Elif", "Femi", "Goran", "Hana", "Ivo", "Jun", "Kofi", "Lena", "Mina",
         "Nico", "Oren", "Park", "Quinn", "Rosa", "Sami", "Tae", "Uma", "Vera", "Wim", "Xiu", "Yara", "Zeno"]
FAMILY = ["Abe", "Berg", "Cho", "Diaz", "Eze", "Fox", "Gil", "Han", "Ito", "Jung", "Kim", "Lund", "Moreau",
          "Nair", "Ortiz", "Petrov", "Quint", "Rossi", "Sato", "Tan", "Ueda", "Voss", "Wong", "Yilmaz", "Zhou"]
ZIPF_OFFSET = 50


class Lit(NamedTuple):
    """A literal: lexical form, datatype IRI (None for a plain string), language tag."""

    value: str
    datatype: str | None = None
    lang: str | None = None


Obj = str | Lit  # an IRI (str) or a literal
RawQuad = tuple[str, str, Obj, str]


def _slug(text: str) -> str:
    return "-".join("".join(ch if ch.isalnum() else " " for ch in text.lower()).split())


def _key(text: str) -> str:
    return "".join(ch for ch in text.lower() if ch.isalnum())


class _Zipf:
    """Draw ranks in [0, n) with weight 1 / (rank + offset)."""

    def __init__(self, n: int, offset: int = ZIPF_OFFSET) -> None:
        self.cumulative = list(itertools.accumulate(1.0 / (k + offset) for k in range(n)))
        self.total = self.cumulative[-1]

    def draw(self, rng: random.Random) -> int:
        return min(len(self.cumulative) - 1, bisect.bisect_left(self.cumulative, rng.random() * self.total))


def _person_name(index: int) -> str:
    given = GIVEN[index % len(GIVEN)]
    family = FAMILY[(index // len(GIVEN)) % len(FAMILY)]
    return f"{given} {family} {index // (len(GIVEN) * len(FAMILY)) + 1}"


def _title(rng: random.Random, index: int) -> str:
    words = [rng.choice(WORDS).capitalize() for _ in range(1 + rng.randrange(3))]
    return f"{' '.join(words)} {index}"


def raw_quads(films: int, seed: int = 7) -> Iterator[RawQuad]:
    """The graph as plain strings and `Lit`s; `generate` and `write_nquads` format it."""
    rng = random.Random(seed)
    actors = max(50, films // 2)
    crew = max(20, films // 5)
    actor_pick = _Zipf(actors)
    crew_pick = _Zipf(crew)
    series_count = max(1, films // 40)
    publications = [(f"{BASE}org/synth-publication-{i}", f"Synth Publication {i}") for i in range(25)]
    genres = [(f"{BASE}genre/{_slug(g)}", g) for g in GENRES]
    a, n_, key = RDF_TYPE, SCHEMA + "name", FG + "matchKey"
    previous_title, previous_year = "", 0
    described: set[str] = set()
    graph = ""

    def person(index: int) -> tuple[str, str]:
        name = _person_name(index)
        return f"{BASE}person/{_slug(name)}", name

    def describe(iri: str, type_: str, name: str, *, label: str = "") -> Iterator[RawQuad]:
        if iri in described:
            return
        described.add(iri)
        yield iri, a, type_, graph
        if label:
            yield iri, SKOS + "prefLabel", Lit(name, lang="en"), graph
            return
        yield iri, n_, Lit(name), graph
        yield iri, key, Lit(_key(name)), graph

    for i in range(films):
        if i % FILMS_PER_GRAPH == 0:
            graph = f"{BASE}source/synth-{i // FILMS_PER_GRAPH}"
        title = previous_title if i % 200 == 1 else _title(rng, i)
        year = 1930 + rng.randrange(95)
        if i % 200 == 1 and year == previous_year:
            year += 1  # a namesake: same title, another year
        film_slug = f"{_slug(title)}-{year}"
        film = f"{BASE}film/{film_slug}"
        yield film, a, SCHEMA + "Movie", graph
        yield film, n_, Lit(title), graph
        yield film, key, Lit(_key(title)), graph
        yield film, SCHEMA + "datePublished", Lit(str(year), XSD + "gYear"), graph
        yield film, SCHEMA + "inLanguage", Lit(rng.choice(LANGUAGES)), graph
        minutes = 75 + rng.randrange(90)
        yield film, SCHEMA + "duration", Lit(f"PT{minutes // 60}H{minutes % 60}M", XSD + "duration"), graph
        picks = {min(len(genres) - 1, int(len(genres) * rng.random() ** 2)) for _ in range(1 + rng.randrange(3))}
        for g in sorted(picks):
            yield film, SCHEMA + "genre", genres[g][0], graph
            yield from describe(genres[g][0], SKOS + "Concept", genres[g][1], label="en")
        director = person(actors + crew_pick.draw(rng))
        yield film, SCHEMA + "director", director[0], graph
        yield from describe(director[0], SCHEMA + "Person", director[1])
        if rng.random() < 0.8:
            writer = director if rng.random() < 0.3 else person(actors + crew_pick.draw(rng))
            yield film, SCHEMA + "author", writer[0], graph
            yield from describe(writer[0], SCHEMA + "Person", writer[1])
        cast: list[int] = []
        for _ in range(3 + rng.randrange(5)):
            pick = actor_pick.draw(rng)
            if pick not in cast:
                cast.append(pick)
        for position, index in enumerate(cast):
            actor = person(index)
            yield film, SCHEMA + "actor", actor[0], graph
            yield from describe(actor[0], SCHEMA + "Person", actor[1])
            if position < 2 and rng.random() < (0.5, 0.15)[position]:
                role = f"{rng.choice(GIVEN)} {rng.choice(WORDS).capitalize()}"
                character = f"{BASE}character/{film_slug}--{_slug(role)}"
                yield film, SCHEMA + "character", character, graph
                yield character, a, FG + "Character", graph
                yield character, n_, Lit(role), graph
                yield character, key, Lit(_key(role)), graph
                yield character, FG + "portrayedBy", actor[0], graph
                yield character, FG + "characterIn", film, graph
        if rng.random() < 0.08:
            s = rng.randrange(series_count)
            series = f"{BASE}series/synth-series-{s}"
            yield film, SCHEMA + "isPartOf", series, graph
            yield series, SCHEMA + "hasPart", film, graph
            yield from describe(series, SCHEMA + "MovieSeries", f"Synth Series {s}")
        if i % 200 == 1:
            other = f"{BASE}film/{_slug(previous_title)}-{previous_year}"
            yield film, FG + "namesakeOf", other, graph
            yield other, FG + "namesakeOf", film, graph
        if rng.random() < 0.12:
            for k in range(1 + rng.randrange(2)):
                review = f"{BASE}review/synth-{i}-{k}"
                rating = f"{review}#rating"
                publisher = publications[rng.randrange(len(publications))]
                yield review, a, SCHEMA + "Review", graph
                yield review, SCHEMA + "itemReviewed", film, graph
                yield review, SCHEMA + "publisher", publisher[0], graph
                yield from describe(publisher[0], SCHEMA + "Organization", publisher[1])
                yield review, SCHEMA + "reviewRating", rating, graph
                yield rating, a, SCHEMA + "Rating", graph
                value = f"{0.5 + 0.5 * rng.randrange(10):.1f}"
                yield rating, SCHEMA + "ratingValue", Lit(value, XSD + "decimal"), graph
                yield rating, SCHEMA + "bestRating", Lit("5.0", XSD + "decimal"), graph
                yield rating, SCHEMA + "worstRating", Lit("0.5", XSD + "decimal"), graph
        previous_title, previous_year = title, year


def generate(films: int, seed: int = 7) -> Iterator[tuple[RdfIRI, RdfIRI, RdfIRI | RdfLiteral, RdfIRI]]:
    """The graph as rdflib quads `(subject, predicate, object, graph)`."""
    from rdflib import Literal, URIRef

    iris: dict[str, URIRef] = {}

    def iri(text: str) -> URIRef:
        term = iris.get(text)
        if term is None:
            term = iris[text] = URIRef(text)
        return term

    for s, p, o, g in raw_quads(films, seed):
        if isinstance(o, Lit):
            obj: URIRef | Literal = Literal(o.value, lang=o.lang, datatype=iri(o.datatype) if o.datatype else None)
        else:
            obj = iri(o)
        yield iri(s), iri(p), obj, iri(g)


def _nt_literal(o: Lit) -> str:
    body = o.value.replace("\\", "\\\\").replace('"', '\\"')
    if o.lang:
        return f'"{body}"@{o.lang}'
    if o.datatype:
        return f'"{body}"^^<{o.datatype}>'
    return f'"{body}"'


def nquad_lines(films: int, seed: int = 7) -> Iterator[str]:
    for s, p, o, g in raw_quads(films, seed):
        obj = _nt_literal(o) if isinstance(o, Lit) else f"<{o}>"
        yield f"<{s}> <{p}> {obj} <{g}> .\n"


def write_nquads(path: str | Path, films: int, seed: int = 7) -> int:
    """Write the graph as N-Quads; returns the number of quads."""
    count = 0
    with open(path, "w", encoding="utf-8") as out:
        batch: list[str] = []
        for line in nquad_lines(films, seed):
            batch.append(line)
            if len(batch) >= 50_000:
                out.writelines(batch)
                count += len(batch)
                batch.clear()
        out.writelines(batch)
        count += len(batch)
    return count


def film_iris(films: int, seed: int = 7) -> list[str]:
    """Every film IRI of the graph, in order."""
    return [s for s, p, o, _ in raw_quads(films, seed) if p == RDF_TYPE and o == SCHEMA + "Movie"
            and s.startswith(BASE + "film/")]


def pick_films(n: int, seed: int = 11, *, films: int = 10_000, graph_seed: int = 7) -> list[str]:
    """`n` distinct film IRIs of the (films, graph_seed) graph, chosen uniformly with `seed`."""
    every = sorted(set(film_iris(films, graph_seed)))
    return random.Random(seed).sample(every, min(n, len(every)))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--films", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("-o", "--output", help="N-Quads file to write")
    args = parser.parse_args()
    if args.output:
        count = write_nquads(args.output, args.films, args.seed)
        print(f"wrote {count:,} quads for {args.films:,} films to {args.output}")
        return 0
    quads = 0
    triples: set[tuple[str, str, Obj]] = set()
    roles: Counter[str] = Counter()
    for s, p, o, _ in raw_quads(args.films, args.seed):
        quads += 1
        triples.add((s, p, o))
        if p == SCHEMA + "actor" and isinstance(o, str):
            roles[o] += 1
    ranked = roles.most_common()
    print(f"{args.films:,} films: {quads:,} quads, {len(triples):,} distinct triples, {len(roles):,} actors")
    for rank in (1, 10, 100, 1000):
        if rank <= len(ranked):
            print(f"  actor #{rank}: {ranked[rank - 1][1]} films")
    print(f"  median actor: {ranked[len(ranked) // 2][1]} films")
    return 0


if __name__ == "__main__":
    sys.exit(main())
