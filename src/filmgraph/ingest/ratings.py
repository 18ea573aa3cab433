"""Audience ratings (MovieLens `ratings.csv`) as reviews, imported in bulk like a catalogue.

A MovieLens folder is one input: `Ingestor` imports its catalogue (movies + links) into
`source/<folder>` first, then this module imports `ratings.csv` into its own named graph
`source/<folder>-ratings` (see `build_ratings` for the triples of one rating).

- Films: each rated movie is found through its identifiers (IMDb first, then TMDb) among the films the
  store holds (`internal/films-by-id`; the catalogue was just ingested), never through the per-name
  resolver. In a dry run the catalogue is not stored, so the films the store lacks are resolved the way
  the catalogue ingestion would resolve them.
- Unchanged detection: the graph records a hash of `ratings.csv` together with the catalogue's own hash
  (film IRIs follow the catalogue); the same hash again is a no-op, a new one replaces the graph.
- Validation: every triple goes through `validate.check` (the real shapes, pyshacl) in chunks of
  `CHUNK` ratings, each self-contained (it restates the persons and films it links to). pyshacl's cost is
  per focus node, so chunks do not amortise much; chunks are validated in parallel (`workers`, default:
  one per core, at most `MAX_WORKERS`) in forked worker processes (either engine holds the GIL). The
  outcome's message reports the time and throughput. One failing chunk refuses the whole ratings graph
  (nothing is written).
- Bad rows (a rating outside 0.5-5, an unknown movie id, an unreadable line) are skipped and reported in
  the outcome's warnings; they never stop the import.
"""

from __future__ import annotations

import hashlib
import logging
import multiprocessing
import os
import time
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Protocol

from rdflib import Graph, URIRef

from ..discover.queries import load_query, row_reader
from ..errors import ValidationFailed
from ..extract.movielens import read_movielens_films, read_movielens_ratings
from ..extract.source import file_digest
from ..graph import validate
from ..graph.build import GraphBuilder
from ..graph.build_ratings import RatingRow, RatingsBuilder
from ..link.authority import Authority
from ..link.naming import slugify
from ..link.resolve import Resolver
from ..models import FilmRecord
from ..store import SelectResult, Store, Triple
from ..vocab import IMDB_TITLE, IriMinter, bind_prefixes
from .outcome import IngestOutcome

log = logging.getLogger(__name__)

__all__ = ["CHUNK", "RatingsOutcome", "add_ratings", "ingest_movielens_ratings", "ratings_graph_iri",
           "stored_films_by_id", "validate_chunks"]

#: Ratings per validated chunk (about 6.5 triples each).
CHUNK = 5000
#: Most worker processes validation uses.
MAX_WORKERS = 4
#: Identifiers bound per films-by-id look-up. Oxigraph's time grows faster than the VALUES block: on the 9,125
#: MovieLens films, 10 ids took 0.01 s, 500 took 0.09 s and 2,000 took 4.6 s (the 18k ids: 37 s in 2,000s).
_ID_BATCH = 250


class CatalogueIngestor(Protocol):
    """What the ratings import uses of the `pipeline.Ingestor` that has just imported the folder's catalogue."""

    store: Store
    minter: IriMinter
    builder: GraphBuilder

    @property
    def authority(self) -> Authority: ...

    def stored_hash(self, graph: URIRef) -> tuple[str, str] | None: ...

    def now(self) -> datetime | None: ...

    def write_graph(self, graph_iri: URIRef, triples: list[Triple]) -> None: ...


@dataclass
class RatingsOutcome:
    """What happened to one ratings.csv."""

    source: str
    graph: str
    status: str  # ingested | replaced | unchanged | validated | absent
    ratings: int = 0
    triples: int = 0
    validation_seconds: float = 0.0
    warnings: list[str] = field(default_factory=list)

    @property
    def summary(self) -> str:
        if self.status == "unchanged":
            return "ratings unchanged"
        if not self.validation_seconds:
            return f"{self.ratings} ratings, {self.triples} triples (not validated)"
        rate = self.triples / self.validation_seconds
        return (f"{self.ratings} ratings, {self.triples} triples validated in {self.validation_seconds:.1f} s "
                f"({rate:,.0f} triples/s)")


def ratings_graph_iri(ingestor: CatalogueIngestor, folder: Path) -> URIRef:
    """`source/<folder>-ratings`, beside the catalogue's `source/<folder>`."""
    return ingestor.minter("source", f"{slugify(folder.name)}-ratings")


def _content_hash(ratings_path: Path, catalogue_hash: str) -> str:
    return hashlib.sha256(f"{file_digest(ratings_path)}{catalogue_hash}".encode()).hexdigest()


def _identifier_order(film: FilmRecord) -> list[str]:
    return sorted(film.identifiers, key=lambda i: (not i.startswith(IMDB_TITLE), i))


def stored_films_by_id(store: Store, identifiers: Sequence[str]) -> dict[str, URIRef]:
    """Identifier IRI -> the stored film it names (the smallest IRI when, unexpectedly, several)."""
    found: dict[str, URIRef] = {}
    unique = sorted(set(identifiers))
    query = load_query("internal/films-by-id")
    for start in range(0, len(unique), _ID_BATCH):
        batch = [URIRef(i) for i in unique[start:start + _ID_BATCH]]
        result = query.run(store, {"id": batch})
        assert isinstance(result, SelectResult)
        for row in result:
            key, film = str(row["id"]), URIRef(row["film"])
            if key not in found or str(film) < str(found[key]):
                found[key] = film
    return found


def _film_names(store: Store, films: Sequence[URIRef]) -> dict[URIRef, str]:
    from ..discover.related import film_details  # the same name a related-films lookup shows

    names: dict[URIRef, str] = {}
    unique = sorted(set(films))
    for start in range(0, len(unique), _ID_BATCH):
        for film, details in film_details(store, unique[start:start + _ID_BATCH]).items():
            names[film] = details.name
    return names


# -- parallel validation -----------------------------------------------------------------------------
# Worker processes are forked after the chunks are built: they read them from this module global
# (no pickling of 600k triples) and answer None or the failure's message and report.
_PENDING: list[tuple[str, list[Triple]]] = []


def _chunk_graph(triples: list[Triple]) -> Graph:
    graph = bind_prefixes(Graph(store="SimpleMemory"))  # a private graph: no per-triple context bookkeeping
    for triple in triples:
        graph.add(triple)
    return graph


def _validate_one(index: int, source: str, triples: list[Triple]) -> tuple[int, str, str] | None:
    try:
        validate.check(_chunk_graph(triples), source=source)
    except ValidationFailed as exc:
        return index, exc.message, str(getattr(exc, "report", ""))
    return None


def _validate_pending(index: int) -> tuple[int, str, str] | None:
    source, triples = _PENDING[index]
    return _validate_one(index, source, triples)


def _default_workers() -> int:
    return max(1, min(MAX_WORKERS, os.cpu_count() or 1))


def validate_chunks(chunks: list[tuple[str, list[Triple]]], workers: int | None = None) -> float:
    """Validate every chunk with the real shapes; raise the first failure. Returns the seconds taken."""
    global _PENDING
    started = time.perf_counter()
    workers = _default_workers() if workers is None else max(1, workers)
    failures: list[tuple[int, str, str]] = []
    can_fork = "fork" in multiprocessing.get_all_start_methods()
    if workers == 1 or len(chunks) == 1 or not can_fork:
        for source, triples in chunks:
            validate.check(_chunk_graph(triples), source=source)
    else:
        # processes for either engine: pyshacl-turbo holds the GIL while it validates (a thread beside it ran at
        # an eighth of its speed), so threads validated one chunk at a time
        _PENDING = chunks
        try:
            context = multiprocessing.get_context("fork")
            with ProcessPoolExecutor(max_workers=min(workers, len(chunks)), mp_context=context) as pool:
                failures = [f for f in pool.map(_validate_pending, range(len(chunks))) if f is not None]
        finally:
            _PENDING = []
    if failures:
        index, message, report = min(failures)
        raise ValidationFailed(message, source=chunks[index][0], report=report)
    return time.perf_counter() - started


# -- the import ----------------------------------------------------------------------------------------

def _film_iris(ingestor: CatalogueIngestor, films: Sequence[FilmRecord], dry_run: bool) -> dict[int, URIRef]:
    """id(FilmRecord) -> film IRI, through identifiers against the store (and, in a dry run, the resolver)."""
    stored = stored_films_by_id(ingestor.store, [i for f in films for i in f.identifiers])
    iris: dict[int, URIRef] = {}
    missing: list[FilmRecord] = []
    for film in films:
        hit = next((stored[i] for i in _identifier_order(film) if i in stored), None)
        if hit is not None:
            iris[id(film)] = hit
        else:
            missing.append(film)
    if dry_run and missing:
        resolution = Resolver(row_reader(ingestor.store), ingestor.minter, ingestor.authority).resolve_films(missing)
        for film in missing:
            iris[id(film)] = resolution.film_for(film).iri
    return iris


def ingest_movielens_ratings(ingestor: CatalogueIngestor, folder: Path, *, dry_run: bool = False,
                             workers: int | None = None, validate: bool = True) -> RatingsOutcome:
    """Import `folder/ratings.csv` as rating reviews into `source/<folder>-ratings` (see the module doc).

    `validate=False` skips the SHACL validation (the triples written are the same); only for callers that
    rebuild the same data many times, such as the evaluation (`bench/eval_related.py`). `filmgraph ingest`
    always validates.
    """
    ratings_path = folder / "ratings.csv"
    graph_iri = ratings_graph_iri(ingestor, folder)
    outcome = RatingsOutcome(str(ratings_path), str(graph_iri), "absent")
    if not ratings_path.is_file():
        return outcome
    warnings = outcome.warnings
    films_by_movie, catalogue_hash = read_movielens_films(folder, [])
    content_hash = _content_hash(ratings_path, catalogue_hash)
    stored = None if dry_run else ingestor.stored_hash(graph_iri)
    if stored is not None and stored[1] == content_hash:
        outcome.status = "unchanged"
        return outcome

    reviews = read_movielens_ratings(folder, films_by_movie, warnings)
    films = list(films_by_movie.values())
    movie_of = {id(film): movie for movie, film in films_by_movie.items()}
    iris = _film_iris(ingestor, films, dry_run)
    names = _film_names(ingestor.store, list(set(iris.values())))
    if dry_run:
        for film in films:
            names.setdefault(iris[id(film)], film.title)
    rows: list[RatingRow] = []
    unresolved: set[str] = set()
    for review in reviews:
        film_iri = iris.get(id(review.film))
        movie = movie_of[id(review.film)]
        if film_iri is None:
            unresolved.add(movie)
            continue
        assert review.rating is not None and review.author is not None
        assert isinstance(review.rating.value, float | int) and review.rating.best is not None
        rows.append(RatingRow(review.author.removeprefix("movielens-user-"), movie, film_iri, review.rating.value,
                              review.rating.best, review.rating.worst or 0.0, review.date_published))
    if unresolved:
        skipped = len(reviews) - len(rows)
        warnings.append(f"{ratings_path.name}: {skipped} rating(s) of {len(unresolved)} film(s) the store does not "
                        "hold (no IMDb or TMDb id it knows); skipped")
    if not rows:
        warnings.append(f"{ratings_path.name}: no rating could be imported")

    builder = RatingsBuilder(ingestor.minter, names)
    chunks = []
    for start in range(0, len(rows), CHUNK):
        part = rows[start:start + CHUNK]
        chunks.append((f"{ratings_path} (ratings {start + 1}-{start + len(part)})", builder.chunk(part)))
    about = ingestor.builder.source_graph(
        graph_iri, name=f"MovieLens ratings ({folder.name}/ratings.csv)",
        source_iri=URIRef(ratings_path.resolve().as_uri()), content_hash=content_hash, decisions=[],
        ingested_at=ingestor.now())
    chunks.append((f"{ratings_path} (provenance)", list(about)))
    if validate:
        outcome.validation_seconds = validate_chunks(chunks, workers)

    triples = list(dict.fromkeys(t for _, chunk in chunks[:-1] for t in chunk)) + list(about)
    outcome.ratings, outcome.triples = len(rows), len(triples)
    log.info("%s: %s", ratings_path, outcome.summary)
    for warning in warnings:
        log.warning("%s", warning)
    if dry_run:
        outcome.status = "validated"
        return outcome
    ingestor.write_graph(graph_iri, triples)
    outcome.status = "replaced" if stored is not None else "ingested"
    return outcome


def add_ratings(ingestor: CatalogueIngestor, folder: Path, outcome: IngestOutcome, *,
                dry_run: bool = False) -> RatingsOutcome:
    """Import the folder's ratings (when it has a ratings.csv) and fold the result into the catalogue's outcome.

    The input counts as unchanged only when both the catalogue and the ratings are; the triples add up, the
    summary names the ratings, and the ratings' warnings join the outcome's.
    """
    ratings = ingest_movielens_ratings(ingestor, folder, dry_run=dry_run)
    if ratings.status == "absent":
        return ratings
    outcome.warnings.extend(ratings.warnings)
    if ratings.status == "unchanged":
        return ratings
    if outcome.status == "unchanged":
        outcome.status = ratings.status
    outcome.triples += ratings.triples
    outcome.film = f"{outcome.film}, {ratings.ratings} ratings" if outcome.film else f"{ratings.ratings} ratings"
    outcome.message = "; ".join(m for m in (outcome.message, ratings.summary, *ratings.warnings) if m)
    return ratings
