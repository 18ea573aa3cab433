"""The jobs a worker runs against its store (lookups, SPARQL, updates), and the errors they answer with.

Each job is a plain function of a `Backend` (the store as one worker sees it); `execute` runs one by name and
never raises, so a worker process or thread can always answer.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import pyoxigraph as ox
from rdflib import URIRef

from ..config import Settings
from ..discover.lookup import resolve_film, run_named
from ..discover.queries import load_query
from ..discover.related import find_related
from ..errors import FilmgraphError, NotFound, StoreError
from ..graph import union
from ..link.naming import match_key
from ..store import OxigraphStore, SelectResult, Store, open_store
from ..vocab import IriMinter
from . import sparql_guard
from .models import Film, FilmMatch, FilmRef, FilmSearch, Person, ReasonOut, RelatedOut, SuggestionOut
from .negotiation import GRAPH_TYPES, SOLUTION_TYPES
from .pages.jobs import JOBS as PAGE_JOBS
from .results import (
    TooManyRows,
    rdflib_triples,
    serialize_boolean,
    serialize_rows,
    serialize_solutions,
    serialize_triples,
)

log = logging.getLogger(__name__)


class ServiceError(Exception):
    """An error to send as JSON: HTTP status, message, extra fields."""

    def __init__(self, status: int, message: str, **extra: Any) -> None:
        super().__init__(message)
        self.status, self.message, self.extra = status, message, extra

    @classmethod
    def from_error(cls, exc: FilmgraphError) -> ServiceError:
        extra: dict[str, Any] = {}
        if hasattr(exc, "candidates"):
            extra["candidates"] = [{"iri": c["film"], "slug": c.get("slug"), "name": c.get("name", ""),
                                    "year": _year(c.get("year"))} for c in exc.candidates]
        if hasattr(exc, "limit"):
            extra["limit"] = exc.limit
        return cls(exc.http_status, exc.message, **extra)

    def payload(self) -> tuple[int, str, dict[str, Any]]:
        return self.status, self.message, self.extra


def _year(value: object) -> int | None:
    text = str(value or "")[:4]
    return int(text) if len(text) == 4 and text.isdigit() else None


class Backend:
    """The store as one worker sees it."""

    def __init__(self, spec: str, settings: Settings, *, read_only: bool) -> None:
        self.spec, self.settings, self.read_only = spec, settings, read_only
        self.minter = IriMinter(settings.base_iri)
        self.store: Store | None = None
        self.triples: int | None = None
        self.open()

    @property
    def kind(self) -> str:
        return backend_kind(self.spec)

    def open(self) -> None:
        if self.kind == "disk":
            self.store = OxigraphStore(self.spec, read_only=self.read_only)
        elif self.store is None:
            self.store = open_store(self.spec)
        self.triples = None

    def close(self) -> None:
        if self.kind == "disk":
            self.store = None  # dropping the last reference closes RocksDB

    @property
    def embedded(self) -> OxigraphStore | None:
        """The store when it is embedded Oxigraph (whose own results pyoxigraph serialises), else None."""
        return self.store if isinstance(self.store, OxigraphStore) else None

    def get(self) -> Store:
        if self.store is None:
            raise ServiceError(503, "the store is closed for an update; try again")
        return self.store

    # -- identifiers -------------------------------------------------------------------------------------
    def ref(self, iri: object, name: object, year: object = None) -> dict[str, Any]:
        text = str(iri)
        split = self.minter.split(text)
        return {"iri": text, "slug": split[1] if split else None, "name": str(name or ""), "year": _year(year)}


def backend_kind(spec: str) -> str:
    if spec == "memory":
        return "memory"
    if spec.startswith(("http://", "https://")):
        return "remote"
    return "disk"


def _rows(result: object) -> SelectResult:
    assert isinstance(result, SelectResult)
    return result


def job_health(backend: Backend) -> dict[str, Any]:
    store = backend.get()
    if backend.triples is None:
        backend.triples = len(store)
    return {"triples": backend.triples}


def job_search(backend: Backend, title: str) -> bytes:
    store = backend.get()
    matches: dict[str, dict[str, Any]] = {}
    if match_key(title):
        for row in _rows(run_named(store, "film-by-title", title=title)):
            film = matches.setdefault(str(row["film"]), {
                **backend.ref(row["film"], row.get("name"), row.get("year")),
                "language": str(row["language"]) if "language" in row else None, "namesakes": []})
            if "namesake" in row:
                film["namesakes"].append(backend.ref(row["namesake"], row.get("namesakeName"),
                                                     row.get("namesakeYear")))
    ordered = sorted(matches.values(), key=lambda m: (m["year"] or 9999, m["iri"]))
    return FilmSearch(title=title, matches=[FilmMatch(**m) for m in ordered]).model_dump_json().encode()


def _resolve(backend: Backend, slug: str) -> URIRef:
    return resolve_film(backend.get(), slug, backend.settings.base_iri)


def job_film(backend: Backend, slug: str) -> bytes:
    store = backend.get()
    film = _resolve(backend, slug)
    facts: dict[str, list[tuple[Any, Any]]] = {}
    for row in _rows(load_query("internal/http-film").run(store, {"film": film})):
        facts.setdefault(str(row["kind"]), []).append((row["value"], row.get("label")))

    def first(kind: str) -> str | None:
        values = sorted(str(v) for v, _ in facts.get(kind, []))
        return values[0] if values else None

    def people(kind: str) -> list[dict[str, Any]]:
        out = [backend.ref(v, label or str(v).rsplit("/", 1)[-1]) for v, label in facts.get(kind, [])]
        return [{k: p[k] for k in ("iri", "slug", "name")} for p in sorted(out, key=lambda p: p["name"])]

    def labelled(kind: str) -> list[dict[str, str]]:
        return sorted(({"iri": str(v), "label": str(label or str(v).rsplit("/", 1)[-1])}
                       for v, label in facts.get(kind, [])), key=lambda x: x["label"])

    date = first("date")
    cast: dict[str, dict[str, Any]] = {}
    for row in _rows(load_query("film-cast").run(store, {"film": film})):
        member = cast.setdefault(str(row["person"]), {
            "person": {k: v for k, v in backend.ref(row["person"], row.get("personName")).items() if k != "year"},
            "characters": []})
        if "character" in row:
            character = {"iri": str(row["character"]), "name": str(row.get("characterName", ""))}
            if character not in member["characters"]:
                member["characters"].append(character)
    namesakes = [{"film": backend.ref(r["namesake"], r.get("name"), r.get("year")),
                  "directors": [d for d in str(r.get("directors", "")).split(", ") if d]}
                 for r in _rows(load_query("film-namesakes").run(store, {"film": film}))]
    reviews, average = [], None
    for row in _rows(load_query("film-reviews").run(store, {"film": film})):
        rating = None
        if "normalised" in row:
            rating = {"value": float(row["value"]), "best": float(row["best"]), "worst": float(row["worst"]),
                      "normalised": round(float(row["normalised"]), 4)}
        reviews.append({"iri": str(row["review"]), "publisher": _opt(row.get("publisherName")),
                        "author": _opt(row.get("authorName")), "rating": rating})
        if "average" in row:
            average = round(float(row["average"]), 4)
    own = backend.ref(film, first("name") or "", date)
    model = Film.model_validate(dict(
        iri=own["iri"], slug=own["slug"], name=own["name"], year=own["year"], date=date,
        alternate_names=sorted(({"value": str(v), "lang": getattr(v, "language", None)}
                                for kind in ("alternateName", "altLabel") for v, _ in facts.get(kind, [])),
                               key=lambda a: (a["value"], a["lang"] or "")),
        languages=sorted(str(v) for v, _ in facts.get("language", [])),
        duration=first("duration"), content_rating=first("contentRating"),
        genres=labelled("genre"), keywords=sorted(str(v) for v, _ in facts.get("keyword", [])),
        directors=people("director"), writers=people("writer"),
        cast=sorted(cast.values(), key=lambda m: m["person"]["name"]),
        franchise=labelled("franchise"), namesakes=namesakes, reviews=reviews, average_rating=average,
        same_as=sorted(str(v) for v, _ in facts.get("sameAs", [])),
    ))
    return model.model_dump_json().encode()


def _opt(value: object) -> str | None:
    return None if value is None else str(value)


def job_related(backend: Backend, slug: str, top: int) -> bytes:
    store = backend.get()
    film = _resolve(backend, slug)
    result = find_related(store, film, top)
    model = RelatedOut(
        film=FilmRef(**backend.ref(result.film, result.name, result.year)), top=top,
        suggestions=[SuggestionOut(
            film=FilmRef(**backend.ref(s.film, s.name, s.year)), score=round(s.score, 4), namesake=s.namesake,
            languages=s.languages, genres=s.genres,
            reasons=[ReasonOut(kind=r.kind, via=r.via, via_name=r.via_name, text=r.text, weight=round(r.weight, 4))
                     for r in s.reasons]) for s in result.suggestions],
        namesakes=[FilmRef(**backend.ref(n.film, n.name, n.year)) for n in result.namesakes])
    return model.model_dump_json().encode()


def job_person(backend: Backend, slug: str) -> bytes:
    store = backend.get()
    person = backend.minter("person", slug)
    facts: dict[str, list[str]] = {}
    for row in _rows(load_query("internal/http-person").run(store, {"person": person})):
        facts.setdefault(str(row["kind"]), []).append(str(row["value"]))
    names = sorted(facts.get("name", []))
    if not names or "http://schema.org/Person" not in facts.get("type", []):
        raise NotFound(f"no person with slug {slug!r} in the store")
    credits = []
    for row in _rows(load_query("person-filmography").run(store, {"person": person})):
        credits.append({"film": backend.ref(row["film"], row.get("filmName"), row.get("year")),
                        "role": str(row["role"]), "character": _opt(row.get("characterName"))})
    model = Person.model_validate({
        "iri": str(person), "slug": slug, "name": names[0],
        "alternate_names": sorted(set(facts.get("altLabel", [])) - {names[0]}),
        "same_as": sorted(set(facts.get("sameAs", []))), "filmography": credits})
    return model.model_dump_json().encode()


@dataclass(frozen=True)
class SparqlJob:
    """One /sparql query, as the worker runs it."""

    text: str
    solution_format: str | None  # negotiated for SELECT/ASK results (None: not acceptable)
    graph_format: str | None  # negotiated for CONSTRUCT/DESCRIBE results
    dataset_graphs: tuple[str, ...] = ()  # FROM / FROM NAMED in the query
    query_has_dataset: bool = False
    default_graphs: tuple[str, ...] | None = None  # default-graph-uri (protocol)
    named_graphs: tuple[str, ...] | None = None  # named-graph-uri (protocol)
    base_iri: str | None = None  # what relative IRIs resolve against: the endpoint's URL


def _check_graphs(backend: Backend, graphs: Iterable[str]) -> None:
    if backend.settings.allow_remote_from:
        return
    store = backend.embedded
    missing = []
    for g in graphs:
        held = store.holds_graph(g) if store is not None else URIRef(g) in set(backend.get().graph_names())
        if not held:
            missing.append(g)
    if missing:
        raise sparql_guard.QueryRefused(
            f"graph(s) {', '.join('<' + g + '>' for g in missing)} are not in the store; this endpoint does not "
            "load graphs from elsewhere (FROM, FROM NAMED, default-graph-uri and named-graph-uri may only name "
            "graphs the store holds)")


def job_sparql(backend: Backend, job: SparqlJob) -> tuple[str, bytes]:
    """Run a query, stop at the result limit, serialize in the negotiated format: (format key, body)."""
    limit = backend.settings.query_result_limit
    _check_graphs(backend, [*job.dataset_graphs, *(job.default_graphs or ()), *(job.named_graphs or ())])
    store = backend.embedded
    if store is None:  # a remote store: its client already reads the whole result
        return _sparql_via_store(backend, job, limit)
    kwargs: dict[str, Any] = {"base_iri": job.base_iri}
    if job.default_graphs is not None or job.named_graphs is not None:
        kwargs["default_graph"] = [ox.NamedNode(g) for g in job.default_graphs or ()]
        if job.named_graphs is not None:
            kwargs["named_graphs"] = [ox.NamedNode(g) for g in job.named_graphs]
    try:
        result = store.query_oxigraph(job.text, **kwargs)
        if isinstance(result, ox.QueryBoolean):
            return _boolean(result, job)
        if isinstance(result, ox.QuerySolutions):
            fmt = _solution_format(job)
            try:
                return fmt, serialize_solutions(result, fmt, limit)
            except TooManyRows:
                raise _too_many(limit, "rows") from None
        triples: list[ox.Triple] = []
        for triple in result:
            if len(triples) >= limit:
                raise _too_many(limit, "triples")
            triples.append(triple)
        if job.graph_format is None:
            raise not_acceptable("graph")
        return job.graph_format, serialize_triples(triples, job.graph_format)
    except SyntaxError as exc:
        raise sparql_guard.QueryRefused(f"malformed SPARQL: {exc}") from exc
    except OSError as exc:
        raise ServiceError(400 if "SERVICE" in str(exc) or "HTTP" in str(exc) else 503,
                           f"the query failed: {exc}") from exc


def _too_many(limit: int, what: str) -> sparql_guard.LimitExceeded:
    return sparql_guard.LimitExceeded(
        f"the query returns more than {limit:,} {what}, the most this endpoint serves; add a LIMIT "
        f"(at most {limit:,}) or narrow the query", limit=limit)


def not_acceptable(kind: str) -> ServiceError:
    """A 406 naming the media types a result of this kind ("solutions" or "graph") can be served in."""
    offers = SOLUTION_TYPES if kind == "solutions" else GRAPH_TYPES
    return ServiceError(406, f"this query returns {kind}, which cannot be served in the requested media type(s)",
                        acceptable=[m for m, _ in offers])


def _solution_format(job: SparqlJob) -> str:
    if job.solution_format is None:
        raise not_acceptable("solutions")
    return job.solution_format


def _boolean(value: bool | ox.QueryBoolean, job: SparqlJob) -> tuple[str, bytes]:
    fmt = _solution_format(job)
    return fmt, serialize_boolean(value, fmt)


def _sparql_via_store(backend: Backend, job: SparqlJob, limit: int) -> tuple[str, bytes]:
    from rdflib import Graph

    outcome = backend.get().query(f"BASE <{job.base_iri}> {job.text}" if job.base_iri else job.text)
    if isinstance(outcome, bool):
        return _boolean(outcome, job)
    if isinstance(outcome, SelectResult):
        if len(outcome.rows) > limit:
            raise _too_many(limit, "rows")
        fmt = _solution_format(job)
        return fmt, serialize_rows(outcome.variables, ([row.get(v) for v in outcome.variables]
                                                       for row in outcome.rows), fmt)
    assert isinstance(outcome, Graph)
    if len(outcome) > limit:
        raise _too_many(limit, "triples")
    if job.graph_format is None:
        raise not_acceptable("graph")
    return job.graph_format, serialize_triples(rdflib_triples(outcome), job.graph_format)


def job_update(backend: Backend, text: str) -> dict[str, Any]:
    """Run a SPARQL Update. On disk: open the store read-write just for it (the server lent us its lock).

    Updates write named graphs; the default graph is filmgraph's union view of them, rebuilt in the same
    transaction (so a direct write to the default graph does not survive: name a graph).
    """
    text = f"{text} ;\n{union.rebuild(None)}"
    try:
        if backend.kind == "disk":
            backend.close()
            writer = ox.Store(backend.spec)
            try:
                writer.update(text)
                writer.flush()
            finally:
                del writer
            backend.open()
        elif backend.kind == "memory":
            memory = backend.get()
            assert isinstance(memory, OxigraphStore)
            memory.sparql_update(text)
            backend.triples = None
        else:
            raise sparql_guard.Forbidden("updates through this service are not available for a remote store; "
                                         "send them to the store's own update endpoint")
    except SyntaxError as exc:
        raise sparql_guard.QueryRefused(f"malformed SPARQL Update: {exc}") from exc
    except (OSError, StoreError) as exc:
        raise ServiceError(503, f"the update failed, nothing was written: {exc}") from exc
    return {"updated": True}


def job_close(backend: Backend) -> None:
    backend.close()


def job_open(backend: Backend) -> None:
    backend.open()


def job_ping(backend: Backend) -> str:
    return "pong"


def job_sleep(backend: Backend, seconds: float) -> None:
    time.sleep(seconds)


JOBS: dict[str, Callable[..., Any]] = {
    "health": job_health, "search": job_search, "film": job_film, "related": job_related,
    "person": job_person, "sparql": job_sparql, "update": job_update, "close": job_close, "open": job_open,
    "ping": job_ping, "sleep": job_sleep, **PAGE_JOBS,
}


def execute(backend: Backend, op: str, args: tuple[Any, ...]) -> tuple[str, Any]:
    """Run one job; ('ok', value) or ('error', (status, message, extra)). Never raises."""
    try:
        return "ok", JOBS[op](backend, *args)
    except ServiceError as exc:
        return "error", exc.payload()
    except FilmgraphError as exc:
        return "error", ServiceError.from_error(exc).payload()
    except Exception as exc:  # a bug: keep the worker, report a 500
        log.exception("job %s failed", op)
        return "error", (500, f"internal error in {op}: {type(exc).__name__}", {})
