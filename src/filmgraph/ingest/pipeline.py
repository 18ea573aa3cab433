"""The pipeline for one input: read -> resolve -> build -> validate -> store, whole or not at all."""

from __future__ import annotations

import logging
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager, nullcontext
from datetime import datetime
from functools import cached_property
from pathlib import Path
from typing import cast

from rdflib import URIRef

from ..config import Settings
from ..discover.queries import load_query, row_reader
from ..errors import ExtractionError, FilmgraphError, InputError, NotFound, StoreError
from ..extract.detect import detect_format
from ..extract.imdb5000 import read_imdb5000
from ..extract.kmdb import read_kmdb
from ..extract.movielens import read_movielens
from ..extract.source import file_digest
from ..graph import validate
from ..graph.build import GraphBuilder, film_summary
from ..link.authority import Authority
from ..link.naming import slugify
from ..link.resolve import Resolver
from ..models import CatalogueRecord
from ..resources import bundled_authority
from ..store import SelectResult, Store, Triple
from ..vocab import IriMinter
from .outcome import IngestOutcome
from .ratings import add_ratings
from .readahead import MIN_REVIEWS, SHARE, ReadAhead, person_keys, read_review_input

log = logging.getLogger(__name__)


CATALOGUE_READERS: dict[str, Callable[[Path], CatalogueRecord]] = {
    "imdb5000": read_imdb5000,
    "kmdb": read_kmdb,
    "movielens": read_movielens,
}
CATALOGUE_FORMATS = frozenset(CATALOGUE_READERS)
#: Write-behind mode (see `ingest_many`) by default only with more cores than this: on 2 cores a batch is
#: bound by CPU (pipeline, read-ahead worker, writer thread), and the mode measured 168 against 176 reviews/s
#: without it (bench/speed.py, 1,000 reviews); it moves the disk writes off the pipeline's core, not away.
WRITE_BEHIND_CORES = 2
BULK_THRESHOLD = 5000  # triples above which a source's graph goes through the store's bulk path
REVIEW_FORMATS = frozenset({"text", "html", "jsonld"})
FORMATS = ("text", "html", "jsonld", *CATALOGUE_READERS)


def expand_paths(paths: Iterable[str | Path]) -> list[Path]:
    """Files named directly, globs, and the files inside named folders (sorted); a MovieLens folder is one input.

    A missing path stays in the list, so that ingesting it reports it as refused without stopping the batch.
    """
    files: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir() and _is_movielens(path):
            files.append(path)
        elif path.is_dir():
            files.extend(sorted(p for p in path.rglob("*") if p.is_file() and not p.name.startswith(".")))
        elif path.exists():
            files.append(path)
        elif any(ch in str(raw) for ch in "*?["):
            pattern = Path(raw)
            anchor = Path(pattern.anchor) if pattern.is_absolute() else Path()
            matches = sorted(anchor.glob(str(pattern.relative_to(anchor)) if pattern.is_absolute() else str(raw)))
            files.extend(matches or [path])  # no match: reported as a missing input
        else:
            files.append(path)  # reported as a missing input, without stopping the batch
    return files


def _is_movielens(folder: Path) -> bool:
    return (folder / "movies.csv").is_file() and (folder / "links.csv").is_file()


class Ingestor:
    """Ingests inputs into one store with one settings table."""

    def __init__(self, store: Store, settings: Settings | None = None,
                 clock: Callable[[], datetime] | None = None, *, ratings: bool = True,
                 read_ahead: bool | None = None, write_behind: bool | None = None) -> None:
        self.store = store
        self.read_ahead = read_ahead  # a worker reads reviews ahead: None when worth it, True always, False never
        self.write_behind = write_behind  # disk writes on a thread (see ingest_many): None when worth it
        self._ahead: ReadAhead | None = None
        self.ratings = ratings  # also import a MovieLens folder's ratings.csv (see ingest/ratings.py)
        self.settings = settings or Settings()
        self.minter = IriMinter(self.settings.base_iri)
        self.builder = GraphBuilder(self.minter)
        self.clock = clock

    @cached_property
    def authority(self) -> Authority:
        paths = [p for p in (bundled_authority(),) if p is not None and p.is_file()]
        if self.settings.authority_file:
            paths.append(Path(self.settings.authority_file))
        return Authority.load(*paths)

    def review_iri(self, path: Path) -> URIRef:
        return self.minter("review", slugify(path.stem))

    def source_iri(self, path: Path) -> URIRef:
        return self.minter("source", slugify(path.stem if path.is_file() else path.name))

    def stored_hash(self, graph: URIRef) -> tuple[str, str] | None:
        """(source, content hash) of a stored review or catalogue graph, or None.

        A store that can tell cheaply whether it holds the named graph (the embedded one: one key look-up) is
        asked that first: a graph it does not hold has no stored hash, and a new review skips the query (1,000
        bench reviews: 0.2 s of queries).
        """
        holds_graph = getattr(self.store, "holds_graph", None)
        if holds_graph is not None and not holds_graph(str(graph)):
            return None
        result = load_query("internal/review-source").run(self.store, {"review": graph})
        assert isinstance(result, SelectResult)
        for row in result:
            return str(row.get("source", "")), str(row.get("hash", ""))
        return None

    def now(self) -> datetime | None:
        """The ingestion time to record (None: the builder's own clock)."""
        return self.clock() if self.clock else None

    def ingest(self, path: Path, *, dry_run: bool = False, fmt: str | None = None) -> IngestOutcome:
        """Ingest one input (review text, HTML page or catalogue) whole or not at all.

        Unchanged content (same hash) is skipped; changed content replaces its named graph.
        """
        if not path.exists():
            raise InputError("no such file or folder", source=str(path))
        fmt = fmt or detect_format(path)
        if fmt not in FORMATS:
            raise InputError(f"unknown input format {fmt!r}; choose one of {', '.join(FORMATS)}", source=str(path))
        if fmt in CATALOGUE_FORMATS:
            return self._ingest_catalogue(path, fmt, dry_run)
        return self._ingest_review(path, fmt, dry_run)

    def prepare(self, path: Path, fmt: str = "text") -> IngestOutcome:
        """Read, resolve, build and validate one review; nothing is written."""
        resolver = Resolver(row_reader(self.store), self.minter, self.authority)
        review = self.review_iri(path)
        read = self._ahead.take(path) if self._ahead is not None else None
        if read is None:
            read = read_review_input(path, fmt, resolver.known_person)
        record, spellings = read.record, read.spellings
        resolution = resolver.resolve(record, spellings)
        graph = self.builder.review_triples(record, resolution, review, source_iri=URIRef(path.resolve().as_uri()),
                                            ingested_at=self.now())
        validate.check(graph, source=str(path))
        return IngestOutcome(str(path), "validated", str(review), film_summary(record.film), len(graph),
                             graph=graph, links=len(resolution.decisions))

    def _ingest_review(self, path: Path, fmt: str, dry_run: bool) -> IngestOutcome:
        review = self.review_iri(path)
        stored = None if dry_run else self.stored_hash(review)
        if stored is not None and stored[1] == file_digest(path):
            return IngestOutcome(str(path), "unchanged", str(review))
        outcome = self.prepare(path, fmt)
        if dry_run:
            return outcome
        assert outcome.graph is not None
        self.store.replace_graph(review, outcome.graph)
        outcome.disk_write = getattr(self.store, "last_write", None)  # in write-behind mode: its transaction
        if self._ahead is not None:
            if stored is not None:
                self._ahead.forget()  # the replaced graph's persons may have gone
            self._ahead.learn(person_keys(outcome.graph))
        outcome.graph = None  # written: a batch's outcomes do not keep every review's triples
        outcome.status = "replaced" if stored is not None else "ingested"
        log.info("%s: %s as %s (%d triples)", path, outcome.status, review, outcome.triples)
        return outcome

    def _ingest_catalogue(self, path: Path, fmt: str, dry_run: bool) -> IngestOutcome:
        if self._ahead is not None and not dry_run:
            self._ahead.forget()  # a catalogue's persons are not followed
        outcome = self._ingest_catalogue_graph(path, fmt, dry_run)
        if fmt == "movielens" and self.ratings and path.is_dir():
            add_ratings(self, path, outcome, dry_run=dry_run)
        return outcome

    def _ingest_catalogue_graph(self, path: Path, fmt: str, dry_run: bool) -> IngestOutcome:
        catalogue = CATALOGUE_READERS[fmt](path)
        graph_iri = self.source_iri(path)
        stored = None if dry_run else self.stored_hash(graph_iri)
        if stored is not None and stored[1] == catalogue.content_hash:
            return IngestOutcome(str(path), "unchanged", str(graph_iri))
        if not catalogue.films:
            raise ExtractionError("the catalogue lists no film", source=str(path))
        resolver = Resolver(row_reader(self.store), self.minter, self.authority)
        resolution = resolver.resolve_films(catalogue.films)
        chunks = self.builder.catalogue_graphs(catalogue.films, resolution)
        for chunk in chunks:
            validate.check(chunk, source=str(path))
        about = self.builder.source_graph(graph_iri, name=f"{catalogue.name} catalogue ({path.name})",
                                          source_iri=URIRef(path.resolve().as_uri()),
                                          content_hash=catalogue.content_hash, decisions=resolution.decisions,
                                          ingested_at=self.now())
        validate.check(about, source=str(path))
        # chunks restate what they share (a person in several, the types of linked nodes): each triple once,
        # so the count reported is what the graph holds; the provenance with its content hash still comes last
        triples = list(dict.fromkeys(t for chunk in chunks for t in chunk if t not in about)) + list(about)
        outcome = IngestOutcome(str(path), "validated", str(graph_iri), f"{len(catalogue.films)} films",
                                len(triples), links=len(resolution.decisions))
        if dry_run:
            return outcome
        self.write_graph(graph_iri, triples)
        outcome.status = "replaced" if stored is not None else "ingested"
        log.info("%s: %s as %s (%d films, %d triples)", path, outcome.status, graph_iri, len(catalogue.films),
                 len(triples))
        return outcome

    @staticmethod
    def is_bulk(triples: int) -> bool:
        """Does a source's graph of this many triples go through the store's bulk path?"""
        return triples > BULK_THRESHOLD

    def write_graph(self, graph_iri: URIRef, triples: list[Triple]) -> None:
        """Write a source's whole graph: one transaction when small, the store's bulk path when large.

        A bulk write is not one transaction; the graph's provenance (with its content hash) comes last, and
        the hash is read from the union view, so an interrupted bulk write is redone by the next run.
        """
        if self.is_bulk(len(triples)):
            self.store.bulk_replace(graph_iri, triples)
        else:
            self.store.replace_graph(graph_iri, triples)

    def resolve_review(self, ref: str) -> URIRef:
        """A review IRI from an IRI, a review id (`000-e60a94f7ba5846fc`) or a file path."""
        if ref.startswith(("http://", "https://")):
            return URIRef(ref)
        path = Path(ref)
        slug = slugify(path.stem) if path.suffix else ref
        return self.minter("review", slug)

    def retract(self, ref: str) -> URIRef:
        """Remove one review's graph: the nodes only it supported go, others keep what other sources say."""
        review = self.resolve_review(ref)
        if review not in set(self.store.graph_names()):
            raise NotFound(f"no stored review {ref!r} (looked for <{review}>); `filmgraph reviews` lists them")
        self.store.drop_graph(review)
        log.info("retracted %s", review)
        return review

    def list_reviews(self) -> list[dict[str, str]]:
        """Stored reviews and sources with their source, hash, ingestion time and film."""
        result = load_query("internal/review-list").run(self.store)
        assert isinstance(result, SelectResult)
        listing: dict[str, dict[str, str]] = {}
        for row in result:
            entry = listing.setdefault(str(row["graph"]), {"graph": str(row["graph"])})
            for key in ("source", "hash", "time", "filmName"):
                if key in row:
                    entry.setdefault(key, str(row[key]))
        return list(listing.values())

    def ingest_many(self, paths: Iterable[str | Path], *, dry_run: bool = False,
                    fmt: str | None = None) -> Iterator[IngestOutcome]:
        """Each input in turn; a refused input is reported and never stops the batch.

        With many reviews among the inputs, a worker process reads them ahead (`readahead`) and, on the
        embedded store, each review's disk transaction runs on a writer thread while the next review is
        linked against an in-memory replica (`OxigraphStore.write_behind`). Each review still gets the
        record, links and outcome it would get alone, in order, and is reported ingested only once its
        transaction is on disk.
        """
        files = expand_paths(paths)
        kinds = self._formats(files, fmt)
        reviews = [(path, kind) for path, kind in kinds.items() if kind in REVIEW_FORMATS and path.is_file()]
        catalogues = any(kind in CATALOGUE_FORMATS for kind in kinds.values())
        behind = self._write_behind(len(reviews), catalogues or dry_run)
        self._ahead = self._read_ahead(reviews, share=SHARE if behind else None)  # forked before the writer starts
        try:
            with behind or nullcontext():
                pending: deque[IngestOutcome] = deque()
                for path in files:
                    try:
                        pending.append(self.ingest(path, dry_run=dry_run, fmt=kinds.get(path)))
                    except FilmgraphError as exc:
                        pending.append(IngestOutcome(str(path), "refused", message=str(exc),
                                                     exit_code=exc.exit_code))
                    while pending and (pending[0].disk_write is None or pending[0].disk_write.finished):
                        yield self._settled(pending.popleft())
                while pending:
                    yield self._settled(pending.popleft())
        finally:
            if self._ahead is not None:
                self._ahead.close()
            self._ahead = None

    def _settled(self, outcome: IngestOutcome) -> IngestOutcome:
        """The outcome once its queued disk transaction (if any) has run: refused if it failed."""
        ticket, outcome.disk_write = outcome.disk_write, None
        error = ticket.wait() if ticket is not None else None
        if error is not None:
            outcome.status, outcome.message, outcome.exit_code = "refused", error, StoreError.exit_code
            outcome.triples = outcome.links = 0
            if self._ahead is not None:
                self._ahead.forget()  # it was told of persons the disk does not hold
        return outcome

    def _write_behind(self, reviews: int, excluded: bool) -> AbstractContextManager[object] | None:
        """The store's write-behind mode for the batch (see `ingest_many`), not yet entered; or None.

        Not for a dry run, nor a batch with catalogues (their ratings are validated in forked processes, and a
        process should not fork beside a running writer thread), nor a store without the mode (a server), nor
        a store too big to copy into memory for the batch (`OxigraphStore.write_behind_pays`).
        """
        pays = getattr(self.store, "write_behind_pays", None)
        mode = getattr(self.store, "write_behind", None)
        if pays is None or mode is None or excluded or self.write_behind is False:
            return None
        wanted = self.write_behind if self.write_behind is not None else (
            reviews >= MIN_REVIEWS and (os.cpu_count() or 1) > WRITE_BEHIND_CORES)
        if not wanted or not pays(reviews):
            return None
        return cast(AbstractContextManager[object], mode(reviews))

    @staticmethod
    def _formats(files: list[Path], fmt: str | None) -> dict[Path, str]:
        """The format of each input that has one (`fmt`, else detected): detected once for the batch."""
        kinds: dict[Path, str] = {}
        for path in files:
            if not path.exists():
                continue  # reported when its turn comes
            try:
                kinds[path] = fmt or detect_format(path)
            except (FilmgraphError, OSError):
                continue  # detected again, and reported, when its turn comes
        return kinds

    def _read_ahead(self, reviews: list[tuple[Path, str]], *, share: int | None) -> ReadAhead | None:
        """A worker reading the review inputs ahead, when there are enough of them (and a second core)."""
        if self.read_ahead is False or (self.read_ahead is None and not ReadAhead.possible()):
            return None
        if len(reviews) < (1 if self.read_ahead else MIN_REVIEWS):
            return None
        rows = load_query("internal/person-keys").strings(self.store)
        return ReadAhead(reviews, {row["key"] for row in rows}, share=share)
