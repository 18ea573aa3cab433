"""Time `related.find_related` over 100 films of a synthetic graph in an embedded on-disk store.

    .venv/bin/python bench/related_speed.py                 # 10k films
    .venv/bin/python bench/related_speed.py --films 100000  # the target: median < 30 ms, p99 < 150 ms
    .venv/bin/python bench/related_speed.py --films 100000 --graph synth   # bench/synth.py's graph (issue 5):
                                                     # here median 11.5-14.2 ms, p99 86-94 ms

The graph is deterministic and has the schema.org shape the builder writes, with skewed popularity: a few
actors have hundreds of films, genres have thousands, and audience ratings (MovieLens-like) make co-liked
links. By default this script keeps its own small generator (it has keywords and audience ratings, which
related discovery uses), so the figures stay comparable; `--graph synth` uses bench/synth.py's graph instead,
the one bench/store_bench.py measures.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from rdflib import Literal, URIRef
from rdflib.namespace import XSD

from filmgraph.discover.queries import load_query
from filmgraph.discover.related import find_related
from filmgraph.store import OxigraphStore, Triple
from filmgraph.vocab import FG, RDF, SCHEMA, SKOS, IriMinter

GENRES = ["Drama", "Comedy", "Thriller", "Action", "Romance", "Horror", "Crime", "Documentary", "Adventure",
          "Science Fiction", "Fantasy", "Mystery", "Animation", "Family", "War", "History", "Music",
          "Western", "Biography", "Sport"]


def skewed(rng: random.Random, n: int, power: float = 1.6) -> int:
    """An index in [0, n) where small indices are much more likely (a long-tailed popularity)."""
    return min(n - 1, int(n * rng.random() ** power))


def synth(films: int, seed: int = 7) -> Iterator[Triple]:
    rng = random.Random(seed)
    iri = IriMinter()
    persons = max(100, films * 2)
    users = max(50, films // 10)
    keywords = max(50, films // 50)
    person_iri = [iri("person", f"p{i}") for i in range(persons)]
    for i, p in enumerate(person_iri):
        yield p, RDF.type, SCHEMA.Person
        yield p, SCHEMA.name, Literal(f"Person {i}")
    genre_iri = []
    for label in GENRES:
        g = iri("genre", label.lower().replace(" ", "-"))
        genre_iri.append(g)
        yield g, RDF.type, SKOS.Concept
        yield g, SKOS.prefLabel, Literal(label, lang="en")
    series_of: dict[int, URIRef] = {}
    film_iri = [iri("film", f"f{i}") for i in range(films)]
    for i, f in enumerate(film_iri):
        title = f"Title {i // 50 if i % 50 == 1 else i}"  # every 50th film shares a title with its neighbour
        year = 1950 + rng.randrange(75)
        yield f, RDF.type, SCHEMA.Movie
        yield f, SCHEMA.name, Literal(title)
        yield f, FG.matchKey, Literal(title.lower().replace(" ", ""))
        yield f, SCHEMA.datePublished, Literal(str(year), datatype=XSD.gYear)
        yield f, SCHEMA.inLanguage, Literal(rng.choice(["en", "en", "en", "ko", "fr", "ja"]))
        yield f, SCHEMA.duration, Literal(f"PT{80 + rng.randrange(80)}M", datatype=XSD.duration)
        for g in {genre_iri[skewed(rng, len(GENRES), 1.5)] for _ in range(1 + rng.randrange(3))}:
            yield f, SCHEMA.genre, g
        for k in {skewed(rng, keywords, 2.0) for _ in range(rng.randrange(3))}:
            yield f, SCHEMA.keywords, Literal(f"keyword {k}")
        director = person_iri[skewed(rng, persons, 2.0)]
        yield f, SCHEMA.director, director
        yield f, SCHEMA.author, director if rng.random() < 0.3 else person_iri[skewed(rng, persons, 2.0)]
        for n, actor in enumerate(sorted({person_iri[skewed(rng, persons)] for _ in range(6)})):
            yield f, SCHEMA.actor, actor
            if n < 3:
                c = iri("character", f"f{i}/c{n}")
                yield f, SCHEMA.character, c
                yield c, RDF.type, FG.Character
                yield c, SCHEMA.name, Literal(f"Character {i}-{n}")
                yield c, FG.portrayedBy, actor
                yield c, FG.characterIn, f
        if rng.random() < 0.1:
            key = rng.randrange(max(1, films // 40))
            s = series_of.setdefault(key, iri("series", f"s{key}"))
            yield f, SCHEMA.isPartOf, s
            yield s, SCHEMA.hasPart, f
            yield s, RDF.type, SCHEMA.MovieSeries
            yield s, SCHEMA.name, Literal(f"Series {key}")
        if i % 50 == 1:
            yield f, FG.namesakeOf, film_iri[i - 1]
            yield film_iri[i - 1], FG.namesakeOf, f
        if rng.random() < 0.05:  # a critic's review that mentions two other films
            r = iri("review", f"critic-{i}")
            yield r, RDF.type, SCHEMA.Review
            yield r, SCHEMA.itemReviewed, f
            for _ in range(2):
                yield r, SCHEMA.mentions, film_iri[skewed(rng, films, 2.0)]
    for u in range(users):  # audience ratings: 20 films a user, popular films more often
        user = iri("person", f"user-{u}")
        yield user, RDF.type, SCHEMA.Person
        for f_index in {skewed(rng, films, 2.0) for _ in range(20)}:
            r = iri("review", f"ml-{u}-{f_index}")
            rating = URIRef(f"{r}#rating")
            yield r, RDF.type, SCHEMA.Review
            yield r, SCHEMA.itemReviewed, film_iri[f_index]
            yield r, SCHEMA.author, user
            yield r, SCHEMA.reviewRating, rating
            yield rating, SCHEMA.ratingValue, Literal(f"{0.5 + 0.5 * rng.randrange(10)}", datatype=XSD.decimal)
            yield rating, SCHEMA.bestRating, Literal("5", datatype=XSD.decimal)
            yield rating, SCHEMA.worstRating, Literal("0.5", datatype=XSD.decimal)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--films", type=int, default=10_000)
    parser.add_argument("--queries", type=int, default=100, help="How many films to time.")
    parser.add_argument("--store", default=None, help="Store directory (reused if it already holds the graph).")
    parser.add_argument("--top", type=int, default=10)
    parser.add_argument("--compare-union", type=int, default=0, metavar="N",
                        help="Also time the one-query related-candidates (a UNION) on N films; slow.")
    parser.add_argument("--graph", choices=("own", "synth"), default="own",
                        help="own: this script's generator; synth: bench/synth.py (as bench/store_bench.py).")
    args = parser.parse_args()

    folder = Path(args.store) if args.store else Path(tempfile.mkdtemp(prefix="fg-related-bench-"))
    store = OxigraphStore(folder)
    if len(store) == 0:
        started = time.perf_counter()
        if args.graph == "synth":
            import synth as shared_synth  # bench/synth.py, beside this script

            shared_synth.write_nquads(folder.parent / f"{folder.name}.nq", args.films)
            store.bulk_load_file(folder.parent / f"{folder.name}.nq", "nquads")
            (folder.parent / f"{folder.name}.nq").unlink()
        else:
            store.bulk_replace(URIRef("https://w3id.org/filmgraph/id/source/synthetic"), synth(args.films))
        store.flush()
        print(f"loaded {len(store):,} triples for {args.films:,} films in {time.perf_counter() - started:.1f} s "
              f"into {folder}")
    rng = random.Random(11)
    films = [URIRef(f"https://w3id.org/filmgraph/id/film/f{rng.randrange(args.films)}") for _ in range(args.queries)]
    if args.graph == "synth":
        import synth as shared_synth

        films = [URIRef(f) for f in shared_synth.pick_films(args.queries, 11, films=args.films)]
    find_related(store, films[0], args.top)  # warm the query catalogue and caches once
    timings, sizes = [], []
    for film in films:
        started = time.perf_counter()
        result = find_related(store, film, args.top)
        timings.append((time.perf_counter() - started) * 1000)
        sizes.append(len(result.suggestions))
    print(f"related_films over {len(films)} films (top {args.top}, {args.films:,}-film graph, on disk): "
          f"median {statistics.median(timings):.1f} ms, p90 {percentile(timings, 0.9):.1f} ms, "
          f"p99 {percentile(timings, 0.99):.1f} ms, max {max(timings):.1f} ms; "
          f"mean {statistics.mean(sizes):.1f} suggestions")
    one_shot = load_query("related-candidates")
    union_times = []
    if not args.compare_union:
        store.close()
        return 0
    for film in films[:args.compare_union]:
        started = time.perf_counter()
        one_shot.run(store, {"film": film})
        union_times.append((time.perf_counter() - started) * 1000)
    print(f"for comparison, the one-query related-candidates (UNION, hub sizes) on {len(union_times)} films: "
          f"median {statistics.median(union_times):.1f} ms, max {max(union_times):.1f} ms")
    store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
