"""The pipeline for one input: read -> resolve -> build -> validate -> store, whole or not at all."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from pathlib import Path

from rdflib import Graph, URIRef

from . import validate
from .authority import Authority
from .build import GraphBuilder, film_summary
from .config import Settings
from .errors import FilmgraphError, InputError, NotFound
from .extract import read_review_file, read_text_file
from .naming import slugify
from .queries import load_query
from .resolve import Resolver
from .resources import bundled_authority
from .spellings import find_spellings
from .store import SelectResult, Store
from .vocab import IriMinter

log = logging.getLogger(__name__)


@dataclass
class IngestOutcome:
    """What happened to one input."""

    source: str
    status: str  # ingested | replaced | unchanged | validated | refused
    review: str = ""
    film: str = ""
    triples: int = 0
    message: str = ""
    exit_code: int = 0
    graph: Graph | None = field(default=None, repr=False)


def expand_paths(paths: Iterable[str | Path]) -> list[Path]:
    """Files named directly, and the files inside named folders (sorted); a missing path is an error."""
    files: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            files.extend(sorted(p for p in path.rglob("*") if p.is_file() and not p.name.startswith(".")))
        elif path.exists():
            files.append(path)
        elif any(ch in str(raw) for ch in "*?["):
            matches = sorted(Path().glob(str(raw)))
            if not matches:
                raise InputError("no file matches this pattern", source=str(raw))
            files.extend(matches)
        else:
            raise InputError("no such file or folder", source=str(raw))
    return files


class Ingestor:
    """Ingests inputs into one store with one settings table."""

    def __init__(self, store: Store, settings: Settings | None = None,
                 clock: Callable[[], datetime] | None = None) -> None:
        self.store = store
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

    def stored_hash(self, review: URIRef) -> tuple[str, str] | None:
        """(source, content hash) of a stored review, or None."""
        result = load_query("internal/review-source").run(self.store, {"review": review})
        assert isinstance(result, SelectResult)
        for row in result:
            return str(row.get("source", "")), str(row.get("hash", ""))
        return None

    def prepare(self, path: Path) -> IngestOutcome:
        """Read, resolve, build and validate one review; nothing is written."""
        resolver = Resolver(self.store, self.minter, self.authority)
        record, text = read_review_file(path, is_known_person=resolver.known_person)
        review = self.review_iri(path)
        source_iri = URIRef(path.resolve().as_uri())
        names = [c.character or "" for c in record.film.cast] + [c.actor for c in record.film.cast]
        resolution = resolver.resolve(record, find_spellings(text, [n for n in names if n]))
        graph = self.builder.review_graph(record, resolution, review, source_iri=source_iri,
                                          ingested_at=self.clock() if self.clock else None)
        validate.check(graph, source=str(path))
        return IngestOutcome(str(path), "validated", str(review), film_summary(record.film), len(graph),
                             graph=graph)

    def ingest(self, path: Path, *, dry_run: bool = False) -> IngestOutcome:
        """Ingest one review file; unchanged content is skipped, changed content replaces its graph."""
        review = self.review_iri(path)
        stored = None if dry_run else self.stored_hash(review)
        if stored is not None:
            _, digest = read_text_file(path)
            if stored[1] == digest:
                return IngestOutcome(str(path), "unchanged", str(review))
        outcome = self.prepare(path)
        if dry_run:
            return outcome
        assert outcome.graph is not None
        self.store.replace_graph(review, outcome.graph)
        outcome.status = "replaced" if stored is not None else "ingested"
        log.info("%s: %s as %s (%d triples)", path, outcome.status, review, outcome.triples)
        return outcome

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

    def ingest_many(self, paths: Iterable[str | Path], *, dry_run: bool = False) -> Iterator[IngestOutcome]:
        """Each input in turn; a refused input is reported and never stops the batch."""
        for path in expand_paths(paths):
            try:
                yield self.ingest(path, dry_run=dry_run)
            except FilmgraphError as exc:
                yield IngestOutcome(str(path), "refused", message=str(exc), exit_code=exc.exit_code)
