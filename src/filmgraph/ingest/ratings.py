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
- Validation: every triple goes through the real shapes in chunks of `CHUNK` ratings, each self-contained
  (it restates the persons and films it links to). A chunk's N-Triples text goes to a worker process as soon
  as it is built (`ChunkChecks`: one per core, at most `MAX_WORKERS`, forked), so building and validating
  overlap; a chunk the workers doubt is checked with `validate.check` here, which words the report. One failing
  chunk refuses the whole ratings graph (nothing is written). The outcome's message reports the time (building
  included) and throughput.
- Writing: the chunks' texts are what a store with an N-Triples bulk path (`bulk_replace_ntriples`, the
  embedded store) loads, the provenance last; other stores get the triples.
- Bad rows (a rating outside 0.5-5, an unknown movie id, an unreadable line) are skipped and reported in
  the outcome's warnings; they never stop the import.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import multiprocessing
import os
import time
from collections.abc import Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Protocol

from rdflib import Graph, URIRef

from ..discover.queries import load_query, row_reader
from ..extract.movielens import read_movielens_films, read_movielens_ratings
from ..extract.source import file_digest
from ..graph import validate
from ..graph.build import GraphBuilder
from ..graph.build_ratings import RatingRow, RatingsBuilder
from ..graph.triples import ntriples_text
from ..link.authority import Authority
from ..link.naming import slugify
from ..link.resolve import Resolver
from ..models import FilmRecord
from ..store import SelectResult, Store, Triple
from ..vocab import IMDB_TITLE, IriMinter, bind_prefixes
from .outcome import IngestOutcome

log = logging.getLogger(__name__)

__all__ = ["CHUNK", "ChunkChecks", "RatingsOutcome", "add_ratings", "ingest_movielens_ratings", "ratings_graph_iri",
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

    def is_bulk(self, triples: int) -> bool: ...

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

def _chunk_graph(triples: list[Triple]) -> Graph:
    graph = bind_prefixes(Graph(store="SimpleMemory"))  # a private graph: no per-triple context bookkeeping
    for triple in triples:
        graph.add(triple)
    return graph


def _check(triples: list[Triple], source: str) -> None:
    """`validate.check` of a chunk's triples: raises `ValidationFailed` with the report unless they conform."""
    validate.check(_chunk_graph(triples), source=source)


def _default_workers() -> int:
    return max(1, min(MAX_WORKERS, os.cpu_count() or 1))


class ChunkChecks:
    """Validates chunks as they are built: each chunk's N-Triples text goes to a worker process at once.

    Processes for either engine: pyshacl-turbo holds the GIL while it validates (a thread beside it ran at an
    eighth of its speed). Workers are forked when the first chunk is submitted and answer only a verdict
    (`validate.ntriples_conform`), which reports on every focus node and so is never more lenient than
    `validate.check`; the caller checks a doubtful chunk's triples, which words the report.
    """

    def __init__(self, workers: int | None = None) -> None:
        workers = _default_workers() if workers is None else max(1, workers)
        can_fork = "fork" in multiprocessing.get_all_start_methods()
        self._pool = (ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("fork"))
                      if workers > 1 and can_fork else None)
        self._verdicts: list[Future[bool] | bool] = []

    def submit(self, ntriples: str) -> None:
        if self._pool is None:
            self._verdicts.append(validate.ntriples_conform(ntriples))
        else:
            self._verdicts.append(self._pool.submit(validate.ntriples_conform, ntriples))

    def doubtful(self) -> list[int]:
        """Wait for every verdict: the indices (in submission order) of the chunks that may not conform."""
        verdicts = [v if isinstance(v, bool) else v.result() for v in self._verdicts]
        return [index for index, conforms in enumerate(verdicts) if not conforms]

    def __enter__(self) -> ChunkChecks:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)


def validate_chunks(chunks: list[tuple[str, list[Triple]]], workers: int | None = None) -> float:
    """Validate every chunk with the real shapes; raise the first failure. Returns the seconds taken."""
    started = time.perf_counter()
    with ChunkChecks(workers) as checks:
        for _source, triples in chunks:
            checks.submit(ntriples_text(triples))
        doubtful = checks.doubtful()
    for index in doubtful:
        source, triples = chunks[index]
        _check(triples, source)
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
    about = list(ingestor.builder.source_graph(
        graph_iri, name=f"MovieLens ratings ({folder.name}/ratings.csv)",
        source_iri=URIRef(ratings_path.resolve().as_uri()), content_hash=content_hash, decisions=[],
        ingested_at=ingestor.now()))
    bulk_text = getattr(ingestor.store, "bulk_replace_ntriples", None)
    started = time.perf_counter()
    spans: list[tuple[str, int, int]] = []  # each chunk's source and rows
    texts: list[str] = []
    own, linked = builder.triple_counts(rows)
    # the triples themselves only when the store is to get them rather than the texts
    kept: list[Triple] | None = None if bulk_text is not None and ingestor.is_bulk(own + linked) else []
    with ChunkChecks(workers) if validate else contextlib.nullcontext() as checks:
        for start in range(0, len(rows), CHUNK):
            part = rows[start:start + CHUNK]
            text = builder.chunk_text(part)
            spans.append((f"{ratings_path} (ratings {start + 1}-{start + len(part)})", start, start + len(part)))
            if checks is not None:
                checks.submit(text)
            texts.append(text)
            if kept is not None:
                kept += builder.chunk(part)
        texts.append(ntriples_text(about))
        spans.append((f"{ratings_path} (provenance)", len(rows), len(rows)))
        if checks is not None:
            checks.submit(texts[-1])
            for index in checks.doubtful():
                source, begin, end = spans[index]
                chunk = builder.chunk(rows[begin:end]) if begin < end else about
                _check(chunk, source)  # raises with the report
            outcome.validation_seconds = time.perf_counter() - started

    count = own + linked + len(about)
    outcome.ratings, outcome.triples = len(rows), count
    log.info("%s: %s", ratings_path, outcome.summary)
    for warning in warnings:
        log.warning("%s", warning)
    if dry_run:
        outcome.status = "validated"
        return outcome
    if kept is None and bulk_text is not None:
        bulk_text(graph_iri, texts)
    else:
        ingestor.write_graph(graph_iri, list(dict.fromkeys(kept or [])) + about)
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
