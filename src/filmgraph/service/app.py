"""The HTTP service: a SPARQL 1.1 Protocol endpoint and JSON lookups, as a mountable router.

`router(settings)` is an `APIRouter` you can include in your own FastAPI app (it starts its workers on its
lifespan, or on the first request); `create_app(settings)` wraps it in a finished app with JSON error
handlers, CORS and OpenAPI at ``/docs``; `filmgraph serve` runs that app with uvicorn.

Endpoints
---------
``/sparql``  GET ``query=``; POST form-encoded (``query=`` or ``update=``), ``application/sparql-query`` and
    ``application/sparql-update``; ``default-graph-uri`` / ``named-graph-uri`` honoured (graphs the store does
    not hold are refused). Results by ``Accept`` (q-values respected): SPARQL JSON / XML / CSV / TSV for
    SELECT and ASK, Turtle / N-Triples / JSON-LD / RDF/XML for CONSTRUCT and DESCRIBE; ``*/*`` gives JSON or
    Turtle; anything else is a 406 listing what can be served. A malformed query is a 400 carrying the
    parser's message. Updates: 403 unless the server runs with ``allow_update`` and the request carries
    ``Authorization: Bearer <update_token>``. ``SERVICE``, ``LOAD`` and FROM / FROM NAMED graphs outside the
    store are refused (400) by default; see `sparql_guard`, which inspects the tokenized query (strings,
    IRIs and comments are never mistaken for keywords).
``/films?title=``, ``/films/{slug}``, ``/films/{slug}/related?top=N``, ``/people/{slug}``, ``/health``:
    JSON with pydantic response models. A slug must match ``^[a-z0-9]+(-[a-z0-9]+)*$`` (at most 120
    characters) before it reaches a query, and every value is bound as a term (`NamedQuery.run`), never
    spliced. A slug that is not a film's slug is tried as a title: one match is served, several give 409 with
    the candidates. Lookups carry an ETag (the store generation, see below) and Cache-Control;
    ``If-None-Match`` gives 304 without touching the store. Errors are always JSON: ``{"error": "..."}`` plus
    ``candidates``, ``limit`` or ``acceptable`` where they help.

Time and size limits (the design)
---------------------------------
pyoxigraph cannot interrupt a running query, and it releases the GIL while it evaluates. So the service
never runs store work on the event loop, and it can always abandon or kill what runs too long:

* **Embedded on-disk store** (the default): two pools of worker processes (``http_workers`` each, default
  2): one for JSON lookups and one for ``/sparql``, so a runaway SPARQL query can never take the lookups'
  workers. Each worker opens the store with ``pyoxigraph.Store.read_only`` and answers jobs over a pipe; the
  event loop waits on the pipe (``loop.add_reader``), so waiting costs no thread. A job that passes the time
  limit (``query_timeout_s``, default 10 s) has its worker killed (SIGKILL) and replaced in the background;
  the client gets 503 ``{"error": ..., "limit": seconds}``. A request that cannot get a worker within the time
  limit (all busy) gets 503 too, so nobody waits longer than the limit for a worker. Workers also do the
  result serialization, so the event loop only relays bytes and lookups use both cores.
  The server process holds the store's RocksDB ``LOCK`` (an fcntl lock, as RocksDB takes it) for its whole
  life: read-only openers must not share the files with a writer, so a concurrent ``filmgraph ingest`` is
  refused ("store is locked") instead of corrupting what readers see. Updates (``allow_update``) drain both
  pools, have the workers close their stores, run in one worker that opens the store read-write (and is
  killed at the time limit: an Oxigraph update is one transaction, so a killed one writes nothing), then the
  workers reopen and the store generation moves on.
* **Memory store** (and a remote SPARQL store): one shared store and two thread pools. A query past the limit
  is abandoned: the client gets the same 503 at once, the thread finishes on its own and keeps its slot until
  then, so at most ``http_workers`` runaway queries burn CPU and further ones wait (at most the limit) for a
  slot. Updates on a remote store are refused: send them to that store.

Results are read lazily and the worker stops at ``query_result_limit`` + 1 rows (or triples): more gives 413
``{"error": ..., "limit": n}``; nothing unbounded is built in memory.

Measured on this 2-core machine (bench/http_load.py, 100k-film graph on disk, 1,000 distinct films a
level): ``/films/{slug}/related`` at concurrency 8 answers 204-249 requests/s, p50 31-38 ms, p99 53-67 ms;
``/sparql`` (a cast SELECT) about 2,600 requests/s. A spawned worker starts in about a second, a pipe round
trip costs well under a millisecond. Workers freeze what they loaded at start out of the garbage
collector's sight (`gc.freeze`), and uvicorn runs on uvloop and httptools.

ETag: a hash of the store's file listing (names, sizes, modification times) when the service starts, a
counter bumped by every update through the service, and the request's path and query string. While the
service holds the store's lock nothing else can change it, so the tag is exact and costs nothing per request.
"""

from __future__ import annotations

import asyncio
import contextlib
import csv
import fcntl
import gc
import hashlib
import hmac
import io
import json
import logging
import multiprocessing
import os
import re
import secrets
import time
from collections.abc import AsyncIterator, Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any, Literal
from urllib.parse import parse_qs
from xml.sax.saxutils import escape as xml_escape

import pyoxigraph as ox
from fastapi import APIRouter, FastAPI, Query, Request
from fastapi import Path as PathParam
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field
from rdflib import BNode, URIRef
from rdflib import Literal as RdfLiteral
from starlette.exceptions import HTTPException as StarletteHTTPException

from ..config import Settings
from ..discover.lookup import resolve_film, run_named
from ..discover.queries import load_query
from ..discover.related import find_related
from ..errors import FilmgraphError, NotFound, StoreError
from ..graph import union
from ..link.naming import match_key
from ..store import OxigraphStore, SelectResult, Store, open_store
from ..store.sparql_text import escape_string
from ..vocab import IriMinter
from . import sparql_guard

log = logging.getLogger(__name__)

SLUG_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
SLUG_MAX = 120
TITLE_MAX = 300
_SLUG = re.compile(SLUG_PATTERN)
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"

# --- content negotiation ---------------------------------------------------------------------------------

#: (media type served, format key), in the server's order of preference; aliases are matched, not served.
SOLUTION_TYPES: tuple[tuple[str, str], ...] = (
    ("application/sparql-results+json", "json"),
    ("application/sparql-results+xml", "xml"),
    ("text/csv", "csv"),
    ("text/tab-separated-values", "tsv"),
)
GRAPH_TYPES: tuple[tuple[str, str], ...] = (
    ("text/turtle", "turtle"),
    ("application/n-triples", "nt"),
    ("application/ld+json", "jsonld"),
    ("application/rdf+xml", "rdfxml"),
)
_ALIASES: dict[str, str] = {
    "application/json": "application/sparql-results+json",
    "application/xml": "application/sparql-results+xml",
    "text/xml": "application/sparql-results+xml",
    "application/x-turtle": "text/turtle",
    "application/turtle": "text/turtle",
    "text/plain": "application/n-triples",
    "application/json+ld": "application/ld+json",
}
_GRAPH_ALIASES = {"application/json": "application/ld+json", "application/xml": "application/rdf+xml",
                  "text/xml": "application/rdf+xml"}


def _accept_ranges(accept: str) -> list[tuple[str, float]]:
    ranges = []
    for part in accept.split(","):
        fields = [f.strip() for f in part.split(";")]
        media = fields[0].lower()
        if not media:
            continue
        if "/" not in media:
            media = "*/*" if media == "*" else media + "/*"
        q = 1.0
        for param in fields[1:]:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    q = max(0.0, min(1.0, float(value)))
                except ValueError:
                    q = 0.0
        ranges.append((media, q))
    return ranges


def negotiate(accept: str | None, offers: Sequence[tuple[str, str]],
              aliases: dict[str, str] | None = None) -> tuple[str, str] | None:
    """The offer the client prefers (highest q, then the server's order), or None when nothing is acceptable."""
    if not accept or not accept.strip():
        return offers[0]
    table = {**_ALIASES, **(aliases or {})}
    ranges = _accept_ranges(accept)
    best: tuple[float, int, tuple[str, str]] | None = None
    for order, (media, key) in enumerate(offers):
        quality, specificity = -1.0, -1
        for rng, q in ranges:
            rng = table.get(rng, rng)
            main, _, sub = rng.partition("/")
            if rng == media:
                spec = 2
            elif sub == "*" and (main == "*" or media.startswith(main + "/")):
                spec = 0 if main == "*" else 1
            else:
                continue
            if spec > specificity:
                quality, specificity = q, spec
        if quality > 0 and (best is None or quality > best[0]):
            best = (quality, order, (media, key))
    return None if best is None else best[2]


# --- result serialization (runs in the workers) -------------------------------------------------------------

Term = tuple[str, str, str | None, str | None]  # (uri|bnode|literal, value, datatype, language)


def _ox_term(term: object) -> Term | None:
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return ("uri", term.value, None, None)
    if isinstance(term, ox.BlankNode):
        return ("bnode", term.value, None, None)
    if isinstance(term, ox.Literal):
        if term.language:
            return ("literal", term.value, None, term.language)
        datatype = term.datatype.value
        return ("literal", term.value, None if datatype == XSD_STRING else datatype, None)
    return ("literal", str(term), None, None)  # an RDF-star triple term: shown as text


def _rdflib_term(term: object) -> Term | None:
    if term is None:
        return None
    if isinstance(term, URIRef):
        return ("uri", str(term), None, None)
    if isinstance(term, BNode):
        return ("bnode", str(term), None, None)
    if isinstance(term, RdfLiteral):
        if term.language:
            return ("literal", str(term), None, term.language)
        datatype = str(term.datatype) if term.datatype else None
        return ("literal", str(term), None if datatype == XSD_STRING else datatype, None)
    return ("literal", str(term), None, None)


def _nt(term: Term) -> str:
    kind, value, datatype, lang = term
    if kind == "uri":
        return f"<{value}>"
    if kind == "bnode":
        return f"_:{value}"
    body = escape_string(value)
    if lang:
        return f'"{body}"@{lang}'
    return f'"{body}"^^<{datatype}>' if datatype else f'"{body}"'


def _json_term(term: Term) -> dict[str, str]:
    kind, value, datatype, lang = term
    out = {"type": kind, "value": value}
    if lang:
        out["xml:lang"] = lang
    elif datatype:
        out["datatype"] = datatype
    return out


def _xml_term(term: Term) -> str:
    kind, value, datatype, lang = term
    if kind == "uri":
        return f"<uri>{xml_escape(value)}</uri>"
    if kind == "bnode":
        return f"<bnode>{xml_escape(value)}</bnode>"
    if lang:
        return f'<literal xml:lang="{xml_escape(lang)}">{xml_escape(value)}</literal>'
    if datatype:
        return f'<literal datatype="{xml_escape(datatype)}">{xml_escape(value)}</literal>'
    return f"<literal>{xml_escape(value)}</literal>"


_XML_HEAD = '<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">\n'


def serialize_solutions(variables: list[str], rows: list[list[Term | None]], fmt: str) -> bytes:
    """SELECT results in the SPARQL 1.1 JSON, XML, CSV or TSV results format."""
    if fmt == "json":
        bindings = [{v: _json_term(t) for v, t in zip(variables, row, strict=True) if t is not None}
                    for row in rows]
        return json.dumps({"head": {"vars": variables}, "results": {"bindings": bindings}},
                          ensure_ascii=False).encode()
    if fmt == "xml":
        parts = [_XML_HEAD, "<head>", *(f'<variable name="{xml_escape(v)}"/>' for v in variables),
                 "</head>\n<results>\n"]
        for row in rows:
            parts.append("<result>")
            parts += [f'<binding name="{xml_escape(v)}">{_xml_term(t)}</binding>'
                      for v, t in zip(variables, row, strict=True) if t is not None]
            parts.append("</result>\n")
        parts.append("</results>\n</sparql>\n")
        return "".join(parts).encode()
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(variables)
        for row in rows:
            writer.writerow(["" if t is None else (f"_:{t[1]}" if t[0] == "bnode" else t[1]) for t in row])
        return buffer.getvalue().encode()
    if fmt == "tsv":
        lines = ["\t".join(f"?{v}" for v in variables)]
        lines += ["\t".join("" if t is None else _nt(t) for t in row) for row in rows]
        return ("\n".join(lines) + "\n").encode()
    raise ValueError(fmt)


def serialize_boolean(value: bool, fmt: str) -> bytes:
    text = "true" if value else "false"
    if fmt == "json":
        return json.dumps({"head": {}, "boolean": value}).encode()
    if fmt == "xml":
        return f"{_XML_HEAD}<head/>\n<boolean>{text}</boolean>\n</sparql>\n".encode()
    if fmt == "csv":
        return f"_askResult\r\n{text}\r\n".encode()
    return f"?_askResult\n{text}\n".encode()


_RDF_FORMATS = {"turtle": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES, "jsonld": ox.RdfFormat.JSON_LD,
                "rdfxml": ox.RdfFormat.RDF_XML}
_PREFIXES = {"schema": "http://schema.org/", "fg": "https://w3id.org/filmgraph/ontology#",
             "skos": "http://www.w3.org/2004/02/skos/core#", "xsd": "http://www.w3.org/2001/XMLSchema#",
             "owl": "http://www.w3.org/2002/07/owl#", "prov": "http://www.w3.org/ns/prov#",
             "wd": "http://www.wikidata.org/entity/"}


def serialize_triples(triples: list[ox.Triple], fmt: str) -> bytes:
    prefixes = None if fmt == "nt" else _PREFIXES
    out = ox.serialize(triples, format=_RDF_FORMATS[fmt], prefixes=prefixes)
    assert isinstance(out, bytes)
    return out


def _to_ox(term: Term) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    kind, value, datatype, lang = term
    if kind == "uri":
        return ox.NamedNode(value)
    if kind == "bnode":
        return ox.BlankNode(value)
    if lang:
        return ox.Literal(value, language=lang)
    return ox.Literal(value, datatype=ox.NamedNode(datatype)) if datatype else ox.Literal(value)


# --- pydantic response models -----------------------------------------------------------------------------

class ErrorBody(BaseModel):
    error: str = Field(description="What went wrong, in words.")
    candidates: list[FilmRef] | None = Field(None, description="The films an ambiguous title names (409).")
    limit: float | None = Field(None, description="The limit that was exceeded (seconds or rows).")
    acceptable: list[str] | None = Field(None, description="Media types this request can be answered in (406).")


class FilmRef(BaseModel):
    iri: str
    slug: str | None = Field(None, description="Use it in /films/{slug}; absent for a film outside the base.")
    name: str
    year: int | None = None


class PersonRef(BaseModel):
    iri: str
    slug: str | None = None
    name: str


class Labelled(BaseModel):
    iri: str
    label: str


class LangString(BaseModel):
    value: str
    lang: str | None = None


class FilmMatch(FilmRef):
    language: str | None = None
    namesakes: list[FilmRef] = Field(default_factory=list, description="Different films with the same title.")


class FilmSearch(BaseModel):
    title: str
    matches: list[FilmMatch]


class Character(BaseModel):
    iri: str
    name: str


class CastMember(BaseModel):
    person: PersonRef
    characters: list[Character]


class Namesake(BaseModel):
    film: FilmRef
    directors: list[str]


class Rating(BaseModel):
    value: float
    best: float
    worst: float
    normalised: float = Field(description="(value - worst) / (best - worst), 0..1")


class ReviewOut(BaseModel):
    iri: str
    publisher: str | None = None
    author: str | None = None
    rating: Rating | None = None


class Film(BaseModel):
    iri: str
    slug: str | None
    name: str
    year: int | None = None
    date: str | None = None
    alternate_names: list[LangString] = Field(default_factory=list)
    languages: list[str] = Field(default_factory=list)
    duration: str | None = None
    content_rating: str | None = None
    genres: list[Labelled] = Field(default_factory=list)
    keywords: list[str] = Field(default_factory=list)
    directors: list[PersonRef] = Field(default_factory=list)
    writers: list[PersonRef] = Field(default_factory=list)
    cast: list[CastMember] = Field(default_factory=list)
    franchise: list[Labelled] = Field(default_factory=list)
    namesakes: list[Namesake] = Field(default_factory=list)
    reviews: list[ReviewOut] = Field(default_factory=list)
    average_rating: float | None = Field(None, description="Mean normalised rating (0..1) of the rated reviews.")
    same_as: list[str] = Field(default_factory=list)


class ReasonOut(BaseModel):
    kind: str = Field(description="director, author, franchise, lead-actor, actor, co-liked, genre, ...")
    via: str = Field(description="The IRI (or value) the two films share.")
    via_name: str
    text: str
    weight: float


class SuggestionOut(BaseModel):
    film: FilmRef
    score: float
    namesake: bool
    languages: list[str]
    genres: list[str]
    reasons: list[ReasonOut]


class RelatedOut(BaseModel):
    film: FilmRef
    top: int
    suggestions: list[SuggestionOut]
    namesakes: list[FilmRef]


class Credit(BaseModel):
    film: FilmRef
    role: Literal["director", "writer", "actor"] | str
    character: str | None = None


class Person(BaseModel):
    iri: str
    slug: str
    name: str
    alternate_names: list[str] = Field(default_factory=list)
    same_as: list[str] = Field(default_factory=list)
    filmography: list[Credit] = Field(default_factory=list)


class Health(BaseModel):
    status: str
    store: str
    backend: str
    triples: int | None = None
    generation: str
    query_timeout_s: float
    query_result_limit: int
    updates: bool


ErrorBody.model_rebuild()

# --- the jobs (run in a worker process, or a thread for memory / remote stores) ----------------------------


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
    def ox(self) -> ox.Store | None:
        inner = getattr(self.store, "_store", None)
        return inner if isinstance(inner, ox.Store) else None

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


def _check_graphs(backend: Backend, graphs: Iterable[str]) -> None:
    if backend.settings.allow_remote_from:
        return
    store = backend.ox
    missing = []
    for g in graphs:
        if store is not None:
            try:
                held = store.contains_named_graph(ox.NamedNode(g))
            except ValueError:
                held = False
        else:
            held = URIRef(g) in set(backend.get().graph_names())
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
    store = backend.ox
    if store is None:  # a remote store: its client already reads the whole result
        return _sparql_via_store(backend, job, limit)
    kwargs: dict[str, Any] = {}
    if job.default_graphs is not None or job.named_graphs is not None:
        kwargs["default_graph"] = [ox.NamedNode(g) for g in job.default_graphs or ()]
        if job.named_graphs is not None:
            kwargs["named_graphs"] = [ox.NamedNode(g) for g in job.named_graphs]
    try:
        result = store.query(job.text, **kwargs)
        if isinstance(result, ox.QueryBoolean):
            return _boolean(bool(result), job)
        if isinstance(result, ox.QuerySolutions):
            variables = [v.value for v in result.variables]
            rows: list[list[Term | None]] = []
            for solution in result:
                if len(rows) >= limit:
                    raise _too_many(limit, "rows")
                rows.append([_ox_term(solution[i]) for i in range(len(variables))])
            return _solutions(variables, rows, job)
        triples: list[ox.Triple] = []
        for triple in result:
            if len(triples) >= limit:
                raise _too_many(limit, "triples")
            triples.append(triple)
        if job.graph_format is None:
            raise _not_acceptable("graph")
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


def _not_acceptable(kind: str) -> ServiceError:
    offers = SOLUTION_TYPES if kind == "solutions" else GRAPH_TYPES
    return ServiceError(406, f"this query returns {kind}, which cannot be served in the requested media type(s)",
                        acceptable=[m for m, _ in offers])


def _boolean(value: bool, job: SparqlJob) -> tuple[str, bytes]:
    if job.solution_format is None:
        raise _not_acceptable("solutions")
    return job.solution_format, serialize_boolean(value, job.solution_format)


def _solutions(variables: list[str], rows: list[list[Term | None]], job: SparqlJob) -> tuple[str, bytes]:
    if job.solution_format is None:
        raise _not_acceptable("solutions")
    return job.solution_format, serialize_solutions(variables, rows, job.solution_format)


def _sparql_via_store(backend: Backend, job: SparqlJob, limit: int) -> tuple[str, bytes]:
    from rdflib import Graph

    outcome = backend.get().query(job.text)
    if isinstance(outcome, bool):
        return _boolean(outcome, job)
    if isinstance(outcome, SelectResult):
        if len(outcome.rows) > limit:
            raise _too_many(limit, "rows")
        rows = [[_rdflib_term(row.get(v)) for v in outcome.variables] for row in outcome.rows]
        return _solutions(outcome.variables, rows, job)
    assert isinstance(outcome, Graph)
    if len(outcome) > limit:
        raise _too_many(limit, "triples")
    if job.graph_format is None:
        raise _not_acceptable("graph")
    triples = []
    for s, p, o in outcome:
        ts, tp, to = _rdflib_term(s), _rdflib_term(p), _rdflib_term(o)
        assert ts is not None and tp is not None and to is not None
        triples.append(ox.Triple(_to_ox(ts), _to_ox(tp), _to_ox(to)))  # type: ignore[arg-type]
    return job.graph_format, serialize_triples(triples, job.graph_format)


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
    "ping": job_ping, "sleep": job_sleep,
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


def _worker_main(conn: Connection, spec: str, settings: Settings) -> None:
    """A worker process: open the store read-only, then answer jobs until the pipe closes."""
    try:
        backend = Backend(spec, settings, read_only=True)
    except Exception as exc:
        conn.send(("error", (503, f"cannot open the store: {exc}", {})))
        return
    gc.freeze()  # what the worker has loaded so far lives as long as it does: full collections skip it
    conn.send(("ok", "ready"))
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError, KeyboardInterrupt):
            return
        if message is None:
            return
        op, args = message
        try:
            conn.send(execute(backend, op, args))
        except (BrokenPipeError, OSError):
            return


# --- executors: where jobs run, and how they are cut off -----------------------------------------------------


class Busy(ServiceError):
    def __init__(self, message: str, limit: float) -> None:
        super().__init__(503, message, limit=limit)


def _timeout_error(what: str, limit: float) -> ServiceError:
    return ServiceError(503, f"the {what} ran longer than the time limit of {limit:g} s and was stopped; "
                             "narrow it (fewer joins, a LIMIT) and retry", limit=limit)


def _unpack(reply: tuple[str, Any]) -> Any:
    status, value = reply
    if status == "ok":
        return value
    code, message, extra = value
    raise ServiceError(code, message, **extra)


@dataclass(eq=False)
class _Worker:
    process: multiprocessing.process.BaseProcess
    conn: Connection
    started: float


class ProcessExecutor:
    """A pool of worker processes over a read-only on-disk store; a job past its limit kills its worker."""

    def __init__(self, name: str, size: int, spec: str, settings: Settings) -> None:
        self.name, self.size, self.spec, self.settings = name, max(1, size), spec, settings
        self._ctx = multiprocessing.get_context("spawn")
        self._idle: asyncio.Queue[_Worker] = asyncio.Queue()
        self._workers: set[_Worker] = set()
        self._tasks: set[asyncio.Task[Any]] = set()
        self.killed = 0
        self._closing = False

    async def start(self) -> None:
        await asyncio.gather(*(self._spawn() for _ in range(self.size)))

    async def _spawn(self, attempts: int = 3) -> None:
        for attempt in range(attempts):
            parent, child = self._ctx.Pipe()
            process = self._ctx.Process(target=_worker_main, args=(child, self.spec, self.settings), daemon=True,
                                        name=f"filmgraph-{self.name}")
            process.start()
            child.close()
            worker = _Worker(process, parent, time.monotonic())
            try:
                _unpack(await self._receive(parent, 120.0))
            except (ServiceError, asyncio.TimeoutError, EOFError, OSError) as exc:
                log.error("%s worker could not start (attempt %d): %s", self.name, attempt + 1, exc)
                self._stop(worker)
                if attempt + 1 == attempts:
                    raise
                await asyncio.sleep(1.0)
                continue
            if self._closing:
                self._stop(worker)
                return
            self._workers.add(worker)
            self._idle.put_nowait(worker)
            return

    @staticmethod
    async def _receive(conn: Connection, timeout: float) -> Any:
        loop = asyncio.get_running_loop()
        future: asyncio.Future[Any] = loop.create_future()
        fd = conn.fileno()

        def readable() -> None:
            loop.remove_reader(fd)
            if future.done():
                return
            try:
                # the reply has begun to arrive; read all of it (uvloop leaves the pipe non-blocking, and a
                # large reply would then stop at EAGAIN half-read)
                os.set_blocking(fd, True)
                future.set_result(conn.recv())
            except BaseException as exc:  # EOF: the worker died
                future.set_exception(exc)

        loop.add_reader(fd, readable)
        try:
            return await asyncio.wait_for(future, timeout)
        finally:
            loop.remove_reader(fd)

    def _stop(self, worker: _Worker) -> None:
        self._workers.discard(worker)
        with contextlib.suppress(Exception):
            worker.process.kill()
        with contextlib.suppress(Exception):
            worker.conn.close()
        self._background(asyncio.to_thread(worker.process.join, 10))

    def _background(self, coro: Any) -> None:
        task = asyncio.ensure_future(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        task.add_done_callback(lambda t: t.cancelled() or t.exception())

    def _replace(self, worker: _Worker) -> None:
        self._stop(worker)
        self.killed += 1
        if not self._closing:
            self._background(self._spawn())

    async def acquire(self, timeout: float) -> _Worker:
        try:
            return await asyncio.wait_for(self._idle.get(), timeout)
        except asyncio.TimeoutError:
            raise Busy(f"all {self.size} {self.name} workers stayed busy for the time limit of {timeout:g} s "
                       "(other long requests are running); try again", timeout) from None

    def release(self, worker: _Worker) -> None:
        if worker in self._workers:
            self._idle.put_nowait(worker)

    async def call(self, worker: _Worker, op: str, args: tuple[Any, ...], timeout: float, what: str) -> Any:
        """Run a job on an acquired worker; past `timeout` the worker is killed and replaced."""
        try:
            worker.conn.send((op, args))
            reply = await self._receive(worker.conn, timeout)
        except asyncio.TimeoutError:
            log.warning("%s worker killed: %s ran past %g s", self.name, what, timeout)
            self._replace(worker)
            raise _timeout_error(what, timeout) from None
        except (EOFError, OSError) as exc:
            self._replace(worker)
            raise ServiceError(503, f"the {self.name} worker stopped unexpectedly ({exc}); try again") from exc
        return _unpack(reply)

    async def run(self, op: str, args: tuple[Any, ...], timeout: float, what: str = "request") -> Any:
        worker = await self.acquire(timeout)

        async def job() -> Any:
            try:
                return await self.call(worker, op, args, timeout, what)
            finally:
                self.release(worker)  # a killed worker is no longer in the pool: not released

        task = asyncio.ensure_future(job())
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        task.add_done_callback(lambda t: t.cancelled() or t.exception())
        return await asyncio.shield(task)  # a client that goes away does not strand the worker

    async def acquire_all(self, timeout: float) -> list[_Worker]:
        got: list[_Worker] = []
        try:
            while len(got) < self.size:
                got.append(await self.acquire(timeout))
        except ServiceError:
            for worker in got:
                self.release(worker)
            raise
        return got

    def stats(self) -> dict[str, int]:
        return {"workers": len(self._workers), "idle": self._idle.qsize(), "killed": self.killed}

    async def close(self) -> None:
        self._closing = True
        for worker in list(self._workers):
            with contextlib.suppress(Exception):
                worker.conn.send(None)
            self._stop(worker)
        for task in list(self._tasks):
            task.cancel()


class ThreadExecutor:
    """Threads over one shared store (memory, remote): a job past its limit is abandoned, not killed."""

    def __init__(self, name: str, size: int, backend: Backend) -> None:
        self.name, self.size, self.backend = name, max(1, size), backend
        self._pool = ThreadPoolExecutor(max_workers=self.size, thread_name_prefix=f"filmgraph-{name}")
        self._slots = asyncio.Semaphore(self.size)
        self.abandoned = 0

    async def start(self) -> None:
        return None

    async def run(self, op: str, args: tuple[Any, ...], timeout: float, what: str = "request") -> Any:
        try:
            await asyncio.wait_for(self._slots.acquire(), timeout)
        except asyncio.TimeoutError:
            raise Busy(f"all {self.size} {self.name} threads stayed busy for the time limit of {timeout:g} s "
                       "(runaway queries still running); try again", timeout) from None
        loop = asyncio.get_running_loop()
        future = loop.run_in_executor(self._pool, execute, self.backend, op, args)
        future.add_done_callback(lambda _: self._slots.release())  # the slot is held until the thread is done
        try:
            reply = await asyncio.wait_for(asyncio.shield(future), timeout)
        except asyncio.TimeoutError:
            self.abandoned += 1
            raise _timeout_error(what, timeout) from None
        return _unpack(reply)

    def stats(self) -> dict[str, int]:
        return {"workers": self.size, "abandoned": self.abandoned}

    async def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)


Executor = ProcessExecutor | ThreadExecutor


def _fingerprint(spec: str) -> str:
    path = Path(spec)
    entries = []
    if path.is_dir():
        for entry in sorted(os.scandir(path), key=lambda e: e.name):
            if entry.is_file() and entry.name != "LOCK" and not entry.name.startswith("LOG"):
                info = entry.stat()
                entries.append(f"{entry.name}:{info.st_size}:{info.st_mtime_ns}")
    return hashlib.sha256("\n".join(entries).encode()).hexdigest()


class Service:
    """The store behind the routes: executors, the store lock, the generation that makes ETags."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.kind = backend_kind(settings.store)
        self.lookups: Executor | None = None
        self.sparql: Executor | None = None
        self._lock_fd: int | None = None
        self._start_lock = asyncio.Lock()
        self._write_lock = asyncio.Lock()
        self._base_tag = secrets.token_hex(8)
        self.generation = 0
        self.started = False

    # -- life -------------------------------------------------------------------------------------------
    async def ensure_started(self) -> None:
        if self.started:
            return
        async with self._start_lock:
            if not self.started:
                await self.start()

    async def start(self) -> None:
        size = max(1, int(self.settings.http_workers))
        if self.kind == "disk":
            path = Path(self.settings.store)
            if not (path / "CURRENT").exists():  # a new store: create it so read-only workers can open it
                OxigraphStore(path).close()
            self._take_lock()
            self._base_tag = _fingerprint(self.settings.store)[:16]
            self.lookups = ProcessExecutor("lookup", size, self.settings.store, self.settings)
            self.sparql = ProcessExecutor("sparql", size, self.settings.store, self.settings)
            await asyncio.gather(self.lookups.start(), self.sparql.start())
        else:
            backend = await asyncio.to_thread(Backend, self.settings.store, self.settings, read_only=False)
            self.lookups = ThreadExecutor("lookup", size, backend)
            self.sparql = ThreadExecutor("sparql", size, backend)
        self.started = True
        log.info("filmgraph service started on %s (%s store)", self.settings.store, self.kind)

    async def close(self) -> None:
        for executor in (self.lookups, self.sparql):
            if executor is not None:
                await executor.close()
        self._release_lock()
        self.started = False

    def _take_lock(self) -> None:
        path = Path(self.settings.store) / "LOCK"
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            os.close(fd)
            from ..errors import StoreLocked

            raise StoreLocked("store is locked by another filmgraph process; stop it before serving",
                              source=self.settings.store) from exc
        self._lock_fd = fd

    def _release_lock(self) -> None:
        if self._lock_fd is not None:
            with contextlib.suppress(OSError):
                fcntl.lockf(self._lock_fd, fcntl.LOCK_UN)
            os.close(self._lock_fd)
            self._lock_fd = None

    # -- state ------------------------------------------------------------------------------------------
    @property
    def tag(self) -> str:
        return f"{self._base_tag}.{self.generation}"

    def etag(self, request: Request) -> str:
        digest = hashlib.sha256(f"{self.tag} {request.url.path}?{request.url.query}".encode()).hexdigest()[:20]
        return f'W/"{digest}"'

    @property
    def timeout(self) -> float:
        return float(self.settings.query_timeout_s)

    async def lookup(self, op: str, *args: Any) -> Any:
        await self.ensure_started()
        assert self.lookups is not None
        return await self.lookups.run(op, args, self.timeout, what="lookup")

    async def query(self, job: SparqlJob) -> tuple[str, bytes]:
        await self.ensure_started()
        assert self.sparql is not None
        result: tuple[str, bytes] = await self.sparql.run("sparql", (job,), self.timeout, what="query")
        return result

    async def update(self, text: str) -> None:
        await self.ensure_started()
        async with self._write_lock:
            if isinstance(self.lookups, ProcessExecutor) and isinstance(self.sparql, ProcessExecutor):
                await self._update_on_disk(self.lookups, self.sparql, text)
            else:
                assert self.sparql is not None
                await self.sparql.run("update", (text,), self.timeout, what="update")
            self.generation += 1

    async def _update_on_disk(self, lookups: ProcessExecutor, sparql: ProcessExecutor, text: str) -> None:
        wait = self.timeout + 30.0  # running jobs end within the limit; replacements take seconds to start
        held = [(lookups, w) for w in await lookups.acquire_all(wait)]
        try:
            held += [(sparql, w) for w in await sparql.acquire_all(wait)]
            for pool, worker in held:
                await pool.call(worker, "close", (), 30.0, "close")
            self._release_lock()
            try:
                pool, worker = held[-1]
                await pool.call(worker, "update", (text,), self.timeout, "update")
            finally:
                try:
                    self._take_lock()
                except FilmgraphError:
                    log.warning("could not retake the store lock after an update")
                for pool, worker in held:
                    with contextlib.suppress(ServiceError):
                        await pool.call(worker, "open", (), 30.0, "reopen")
        finally:
            for pool, worker in held:
                pool.release(worker)

    async def health(self) -> dict[str, Any]:
        try:
            info = await self.lookup("health")
        except ServiceError as exc:
            return {"status": "unavailable", "error": exc.message}
        return {"status": "ok", **info}


# --- the router ---------------------------------------------------------------------------------------------

_ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorBody, "description": "Bad request"},
    404: {"model": ErrorBody, "description": "Not found"},
    409: {"model": ErrorBody, "description": "An ambiguous title: the candidates are listed"},
    503: {"model": ErrorBody, "description": "Time limit exceeded or no worker free"},
}

Slug = PathParam(min_length=1, max_length=SLUG_MAX, pattern=SLUG_PATTERN,
                 description="A slug (lowercase letters, digits, single dashes), e.g. oldboy-2003")


def error_response(status: int, message: str, **extra: Any) -> JSONResponse:
    body = {"error": message, **{k: v for k, v in extra.items() if v is not None}}
    headers = {"Retry-After": "1"} if status == 503 else None
    return JSONResponse(body, status_code=status, headers=headers)


def _json(body: bytes, request: Request, service: Service, etag: str) -> Response:
    return Response(body, media_type="application/json", headers={
        "ETag": etag, "Cache-Control": f"public, max-age={int(service.settings.cache_max_age_s)}"})


def _not_modified(request: Request, etag: str) -> bool:
    header = request.headers.get("if-none-match")
    if not header:
        return False
    tags = {t.strip() for t in header.split(",")}
    return etag in tags or etag.removeprefix("W/") in tags


class FilmgraphRouter(APIRouter):
    """The service's routes, with the `Service` they share."""

    service: Service


def router(settings: Settings | None = None) -> FilmgraphRouter:
    """The filmgraph routes (``/sparql``, ``/films``, ``/people``, ``/health``) as a mountable APIRouter."""
    settings = settings or Settings.from_env()
    service = Service(settings)

    @contextlib.asynccontextmanager
    async def lifespan(_app: Any) -> AsyncIterator[None]:
        await service.ensure_started()
        try:
            yield
        finally:
            await service.close()

    r = FilmgraphRouter(lifespan=lifespan)
    r.service = service

    async def lookup(request: Request, op: str, *args: Any) -> Response:
        etag = service.etag(request)
        if _not_modified(request, etag) and "*" not in request.headers.get("if-none-match", ""):
            return Response(status_code=304, headers={"ETag": etag})
        try:
            body = await service.lookup(op, *args)
        except ServiceError as exc:
            return error_response(exc.status, exc.message, **exc.extra)
        if request.headers.get("if-none-match", "").strip() == "*":
            return Response(status_code=304, headers={"ETag": etag})
        return _json(body, request, service, etag)

    @r.get("/films", response_model=FilmSearch, responses=_ERRORS, tags=["films"],
           summary="Films by title (any stored spelling), each with its namesakes")
    async def films(request: Request, title: str = Query(min_length=1, max_length=TITLE_MAX,
                                                         description="A title; case, spacing and dashes do not "
                                                                     "matter")) -> Response:
        return await lookup(request, "search", title)

    @r.get("/films/{slug}", response_model=Film, responses=_ERRORS, tags=["films"],
           summary="A film with cast, characters, crew, franchise, namesakes, reviews and average rating")
    async def film(request: Request, slug: str = Slug) -> Response:
        return await lookup(request, "film", slug)

    @r.get("/films/{slug}/related", response_model=RelatedOut, responses=_ERRORS, tags=["films"],
           summary="Related films, best first, each with its score and the reasons it is related")
    async def related(request: Request, slug: str = Slug,
                      top: int = Query(10, ge=1, le=100, description="How many suggestions (1..100)")) -> Response:
        return await lookup(request, "related", slug, top)

    @r.get("/people/{slug}", response_model=Person, responses=_ERRORS, tags=["people"],
           summary="A person with their filmography (directed, wrote, acted)")
    async def person(request: Request, slug: str = Slug) -> Response:
        return await lookup(request, "person", slug)

    @r.get("/health", response_model=Health, responses={503: {"model": Health}}, tags=["service"],
           summary="Whether the store answers, and how many triples it holds")
    async def health() -> JSONResponse:
        info = await service.health()
        body = {"store": settings.store, "backend": service.kind, "generation": service.tag,
                "query_timeout_s": service.timeout, "query_result_limit": settings.query_result_limit,
                "updates": bool(settings.allow_update and settings.update_token), **info}
        body.pop("error", None)
        return JSONResponse(body, status_code=200 if info["status"] == "ok" else 503,
                            headers={"Cache-Control": "no-store"})

    sparql_doc = ("SPARQL 1.1 Protocol. GET with `query`; POST form-encoded (`query` or `update`), "
                  "`application/sparql-query` or `application/sparql-update`. Results by `Accept`.")
    sparql_responses: dict[int | str, dict[str, Any]] = {
        200: {"description": "Query results", "content": {m: {} for m, _ in (*SOLUTION_TYPES, *GRAPH_TYPES)}},
        **_ERRORS, 403: {"model": ErrorBody, "description": "Updates refused"},
        406: {"model": ErrorBody, "description": "No acceptable media type"},
        413: {"model": ErrorBody, "description": "Result or request too large"},
        415: {"model": ErrorBody, "description": "Unsupported request body type"}}

    @r.get("/sparql", tags=["sparql"], summary="SPARQL query (GET)", description=sparql_doc,
           responses=sparql_responses, response_class=Response)
    async def sparql_get(request: Request,
                         query: str | None = Query(None, description="The SPARQL query"),
                         default_graph_uri: list[str] = Query([], alias="default-graph-uri"),  # noqa: B008
                         named_graph_uri: list[str] = Query([], alias="named-graph-uri"),  # noqa: B008
                         ) -> Response:
        if "update" in request.query_params:
            return error_response(400, "SPARQL Update must be sent with POST (form-encoded 'update' or "
                                       "application/sparql-update), never with GET")
        if query is None:
            return error_response(400, "missing the 'query' parameter (SPARQL 1.1 Protocol: GET /sparql?query=...)")
        return await _run_query(request, query, default_graph_uri, named_graph_uri)

    @r.post("/sparql", tags=["sparql"], summary="SPARQL query or update (POST)", description=sparql_doc,
            responses=sparql_responses, response_class=Response, openapi_extra={"requestBody": {"content": {
                "application/x-www-form-urlencoded": {"schema": {"type": "object", "properties": {
                    "query": {"type": "string"}, "update": {"type": "string"},
                    "default-graph-uri": {"type": "array", "items": {"type": "string"}},
                    "named-graph-uri": {"type": "array", "items": {"type": "string"}}}}},
                "application/sparql-query": {"schema": {"type": "string"}},
                "application/sparql-update": {"schema": {"type": "string"}}}}})
    async def sparql_post(request: Request) -> Response:
        content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
        declared = request.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > 4 * sparql_guard.MAX_QUERY_LENGTH:
            return error_response(413, "the request body is too large",
                                  limit=float(sparql_guard.MAX_QUERY_LENGTH))
        params = request.query_params
        try:
            if content_type == "application/x-www-form-urlencoded":
                # parsed here (no python-multipart needed); a form body carries every parameter
                form = parse_qs((await request.body()).decode("utf-8", errors="strict"), keep_blank_values=True,
                                errors="strict", max_num_fields=100)
                fields = {**{k: params.getlist(k) for k in params}, **form}
            elif content_type in ("application/sparql-query", "application/sparql-update"):
                body = (await request.body()).decode("utf-8")
                fields = {k: params.getlist(k) for k in params}
                fields["query" if content_type.endswith("query") else "update"] = [body]
            else:
                return error_response(415, f"unsupported content type {content_type or '(none)'!r}: send "
                                           "application/x-www-form-urlencoded, application/sparql-query or "
                                           "application/sparql-update")
        except UnicodeDecodeError:
            return error_response(400, "the request body is not UTF-8")
        except ValueError as exc:  # too many fields
            return error_response(400, f"the form body cannot be read: {exc}")
        queries, updates = fields.get("query", []), fields.get("update", [])
        if len(queries) + len(updates) != 1:
            return error_response(400, "send exactly one 'query' or one 'update'")
        if updates:
            return await _run_update(request, updates[0], fields)
        return await _run_query(request, queries[0], fields.get("default-graph-uri", []),
                                fields.get("named-graph-uri", []))

    async def _run_query(request: Request, text: str, default_graphs: list[str],
                         named_graphs: list[str]) -> Response:
        try:
            sparql_guard.check_length(text)
            inspection = sparql_guard.inspect(text)
            sparql_guard.check(inspection, update=False, allow_service=settings.allow_service,
                               allow_remote_from=settings.allow_remote_from)
        except FilmgraphError as exc:
            error = ServiceError.from_error(exc)
            return error_response(error.status, error.message, **error.extra)
        accept = request.headers.get("accept")
        solution = negotiate(accept, SOLUTION_TYPES)
        graph = negotiate(accept, GRAPH_TYPES, _GRAPH_ALIASES)
        wanted = graph if inspection.returns_graph else solution
        if inspection.form is not None and wanted is None:
            kind = "graph" if inspection.returns_graph else "solutions"
            error = _not_acceptable(kind)
            error.message = (f"a {inspection.form} query gives {'an RDF graph' if kind == 'graph' else 'results'}"
                             f", which cannot be served as {accept!r}")
            return error_response(error.status, error.message, **error.extra)
        for graph_iri in [*default_graphs, *named_graphs]:
            if not graph_iri.startswith(("http://", "https://", "urn:")) or any(c in graph_iri for c in '<>" {}'):
                return error_response(400, f"not a graph IRI: {graph_iri!r}")
        job = SparqlJob(text=text, solution_format=solution[1] if solution else None,
                        graph_format=graph[1] if graph else None,
                        dataset_graphs=tuple(inspection.dataset_graphs),
                        query_has_dataset=bool(inspection.dataset_graphs),
                        default_graphs=tuple(default_graphs) if default_graphs or named_graphs else None,
                        named_graphs=tuple(named_graphs) if named_graphs else None)
        try:
            key, body = await service.query(job)
        except ServiceError as exc:
            return error_response(exc.status, exc.message, **exc.extra)
        media = next(m for m, k in (*SOLUTION_TYPES, *GRAPH_TYPES) if k == key)
        if media.startswith("text/"):
            media += "; charset=utf-8"
        return Response(body, media_type=media, headers={"Vary": "Accept", "Cache-Control": "no-cache"})

    async def _run_update(request: Request, text: str, fields: dict[str, list[str]]) -> Response:
        if not (settings.allow_update and settings.update_token):
            return error_response(403, "SPARQL Update is disabled on this server (start it with --allow-update "
                                       "and FILMGRAPH_UPDATE_TOKEN set)")
        auth = request.headers.get("authorization", "")
        scheme, _, token = auth.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            return JSONResponse({"error": "SPARQL Update needs 'Authorization: Bearer <token>'"}, status_code=401,
                                headers={"WWW-Authenticate": 'Bearer realm="filmgraph"'})
        if not hmac.compare_digest(token.strip().encode(), settings.update_token.encode()):
            return error_response(403, "the bearer token is not the one configured for updates")
        if fields.get("using-graph-uri") or fields.get("using-named-graph-uri"):
            return error_response(400, "using-graph-uri and using-named-graph-uri are not supported; "
                                       "put USING / WITH in the update itself")
        try:
            sparql_guard.check_length(text, "update")
            inspection = sparql_guard.inspect(text)
            sparql_guard.check(inspection, update=True, allow_service=settings.allow_service,
                               allow_remote_from=settings.allow_remote_from)
            await service.update(text)
        except FilmgraphError as exc:
            error = ServiceError.from_error(exc)
            return error_response(error.status, error.message, **error.extra)
        except ServiceError as exc:
            return error_response(exc.status, exc.message, **exc.extra)
        return Response(status_code=204)

    return r


def create_app(settings: Settings | None = None) -> FastAPI:
    """A finished app: the router, JSON errors for everything, CORS when configured, OpenAPI at /docs."""
    settings = settings or Settings.from_env()
    routes = router(settings)
    app = FastAPI(title="filmgraph", version=_version(), lifespan=routes.lifespan_context,
                  description="Film knowledge graph: a SPARQL 1.1 endpoint and JSON lookups with explained "
                              "related-film suggestions. Errors are JSON: {\"error\": \"...\"}.")
    app.include_router(routes)
    app.state.filmgraph = routes.service
    origins = [o.strip() for o in settings.cors_origins.split(",") if o.strip()]
    if origins:
        app.add_middleware(CORSMiddleware, allow_origins=origins, allow_methods=["GET", "POST", "OPTIONS"],
                           allow_headers=["Authorization", "Content-Type", "If-None-Match", "Accept"],
                           expose_headers=["ETag"], max_age=600)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        problems = "; ".join(f"{'.'.join(str(p) for p in e.get('loc', ()))}: {e.get('msg', '')}"
                             for e in exc.errors())
        detail = json.loads(json.dumps(exc.errors(), default=str))
        return JSONResponse({"error": f"invalid parameters: {problems}", "detail": detail}, status_code=422)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        return JSONResponse({"error": str(exc.detail)}, status_code=exc.status_code, headers=exc.headers)

    @app.exception_handler(Exception)
    async def crash(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error on %s", request.url.path)
        return JSONResponse({"error": "internal server error"}, status_code=500)

    return app


def _version() -> str:
    try:
        from importlib.metadata import version

        return version("filmgraph")
    except Exception:
        return "0"


__all__ = ["GRAPH_TYPES", "SOLUTION_TYPES", "Service", "ServiceError", "create_app", "negotiate", "router"]
