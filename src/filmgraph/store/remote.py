"""A SPARQL 1.1 server as the store: the Query, Update and Graph Store HTTP protocols over httpx.

`RemoteStore(url)` offers the same interface as `embedded.OxigraphStore`. `url` is the query endpoint. What
kind of server it is comes from `server=` (CLI ``--server``, setting ``FILMGRAPH_SERVER``), or else from the
server itself: one ``GET url?query=ASK {}`` before the first request that needs to know, whose ``Server``
response header names it (cached per URL for the process). A server that does not name itself is
``generic``: standard SPARQL 1.1 Query and Update at the one URL, no Graph Store endpoint, the default graph
read as it is. The update and Graph Store endpoints follow the kind's conventions unless given (options, or
the settings `FILMGRAPH_UPDATE_URL` / `FILMGRAPH_STORE_URL`):

=============  =======================  ====================  ======================================
kind           query URL                update URL            Graph Store URL
=============  =======================  ====================  ======================================
``oxigraph``   ``/query``               ``/update``           ``/store``
``fuseki``     ``/ds/query|sparql``     ``/ds/update``        ``/ds/data``
``virtuoso``   ``/sparql``              ``/sparql``           ``/sparql-graph-crud``
``virtuoso``   ``/sparql-auth`` (login) ``/sparql-auth``      ``/sparql-graph-crud-auth``
``graphdb``    ``/repositories/R``      ``/repositories/R/statements``  ``/repositories/R/rdf-graphs/service``
``generic``    the URL                  the URL               none (bulk loads use updates)
=============  =======================  ====================  ======================================

An endpoint that refuses updates (HTTP 403, 404, 405, 501; a read-only ``/sparql`` such as filmgraph's own
``serve``) can be read as a store; a write to it fails with a StoreError saying that it is read-only.

All server-specific knowledge lives in this module (`_conventions`).

**The union view.** filmgraph writes every review into its own named graph and keeps every triple of every
named graph, once, in a union view that its queries read (see `filmgraph.graph.union`). On Oxigraph server and
Fuseki the view is the server's own default graph: run them WITHOUT a union-default-graph option. Virtuoso's
default graph is already everything it holds, so there the view is the named graph ``urn:filmgraph:union``
and every query names it as its default graph (``default-graph-uri``). Virtuoso's own system graphs
(``virtrdf#`` and friends) and the view are hidden from `graph_names`, `quads` and `len`.

**Authentication**: `auth` may be an `httpx.Auth`, a bearer token (str) or a ``(user, password)`` pair.
By default it comes from the settings ``FILMGRAPH_SPARQL_TOKEN`` (bearer) or ``FILMGRAPH_SPARQL_USER`` /
``FILMGRAPH_SPARQL_PASSWORD``. A user and password are sent as HTTP basic auth; if the server answers with a
Digest challenge (Virtuoso's ``/sparql-auth``), the client switches to digest for the rest of the session.

**Writes are whole or absent.** `replace_graph` is ONE SPARQL Update request (the view forgets the old graph,
``DROP SILENT GRAPH <g> ; INSERT DATA { GRAPH <g> { ... } }``, the view copies the new one), which the server
runs as one transaction. Only when the graph is larger than `max_update_triples` (a server that limits the
size of one update) is it written in several requests: the chunks go to a fresh staging graph
``urn:filmgraph:staging:<uuid>`` and a final single request ``MOVE GRAPH <staging> TO GRAPH <g>`` (with the
view's updates) swaps it in. A failure between requests leaves the target graph untouched plus an orphan
staging graph, which is hidden from `graph_names`/`quads`/`len` and dropped by `repair()`, run automatically
before the first write of every `RemoteStore` (i.e. by the next run). Triples sharing a blank node are kept in
the same chunk, since blank-node labels are scoped to one request. Only one writer at a time should use a
server (as with the embedded store's lock).

`bulk_replace` PUTs the whole graph as N-Triples to the Graph Store endpoint (the server's bulk path).

Known Virtuoso 7.2 limits (handled here where possible): blank nodes are refused in ``INSERT DATA`` (so graphs
with blank nodes are written with ``INSERT { ... } WHERE {}``), an empty ``INSERT DATA`` is a syntax error,
one update of some thousands of triples exhausts its SPARQL compiler (so updates are staged above 1000
triples), ``ORDER BY`` with ``OFFSET + LIMIT`` above ``ResultSetMaxRows`` (10000) is refused (so `quads`
sorts in a subquery), and every result set is silently cut at ``ResultSetMaxRows``. A literal
``"PT1H33M"^^xsd:duration`` in SPARQL text is refused (SQ200 "No column PT1H33MD"), and STRDT and its
loaders (Graph Store, Turtle) store seconds ("5580.0"); so writes to Virtuoso make each duration literal with
``sql:RDF_MAKE_OBJ_OF_TYPEDSQLVAL(lexical form, datatype, NULL)`` in the INSERT's WHERE (see `insert`),
which stores it as written, and `bulk_replace` PUTs the rest and adds the durations that way. Reads give
the same triples as Oxigraph; a query that spells out a duration literal (or binds one as a parameter) is
still refused by Virtuoso 7.2 (compare ``STR(?d)`` instead). Writing needs a user allowed to call that
procedure (``dba``, as through ``/sparql-auth``).
Servers may also canonicalise lexical forms (Oxigraph server and Virtuoso return ``"4.0"^^xsd:decimal``
as ``"4"``).

Requests time out after `timeout` seconds; 429 and 503 answers are retried `retries` times with exponential
back-off (honouring a numeric ``Retry-After``); connection failures are retried for idempotent requests
(every request this module sends, except the chunk inserts of a staged write).
"""

from __future__ import annotations

import base64
import functools
import json
import logging
import re
import time
import uuid
from collections.abc import Callable, Generator, Iterable, Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import httpx
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from ..config import SERVER_KINDS, Settings
from ..errors import QueryError, StoreError
from ..graph import union
from .base import Bindings, QueryOutcome, Row, SelectResult, Term, Triple
from .sparql_text import bind, escape_string, term_to_sparql

log = logging.getLogger(__name__)

XSD = "http://www.w3.org/2001/XMLSchema#"
XSD_STRING = XSD + "string"
STAGING_PREFIX = "urn:filmgraph:staging:"
Auth = httpx.Auth | str | tuple[str, str] | None

_SELECT_ACCEPT = "application/sparql-results+json, application/json;q=0.9"
_GRAPH_ACCEPT = "application/n-triples, text/turtle;q=0.9, application/rdf+xml;q=0.5"
_GRAPH_FORMATS = {
    "application/n-triples": "nt",
    "text/plain": "nt",
    "text/turtle": "turtle",
    "application/x-turtle": "turtle",
    "application/rdf+xml": "xml",
    "application/ld+json": "json-ld",
}
_QUERY_FORM = re.compile(r"\b(SELECT|CONSTRUCT|ASK|DESCRIBE)\b", re.IGNORECASE)
_NOISE = re.compile(r"<[^<>\s]*>|#[^\n]*|\"(?:[^\"\\]|\\.)*\"|'(?:[^'\\]|\\.)*'")
_BNODE_SAFE = re.compile(r"[^A-Za-z0-9_]")
_DURATIONS_PER_UPDATE = 250  # duration literals per Virtuoso update after a Graph Store PUT (one BIND each)


# --- server conventions -----------------------------------------------------------------------------

@dataclass(frozen=True)
class Endpoints:
    """Where to send queries, updates and Graph Store requests, and which graphs are the server's own."""

    query: str
    update: str
    store: str | None
    system_graphs: tuple[str, ...] = ()
    max_update_triples: int | None = None  # the server's limit on one INSERT DATA
    sort_in_subquery: bool = False  # page with ORDER BY inside a subquery (Virtuoso's "scrollable cursor")
    union_graph: str | None = None  # where the union view lives when the default graph is not the server's own
    virtuoso: bool = False  # Virtuoso 7's ways around its limits (xsd:duration literals)


#: Virtuoso's default graph is every graph it holds, so filmgraph's union view lives in a named graph there,
#: and queries name it as their default graph (`default-graph-uri`).
VIRTUOSO_UNION = "urn:filmgraph:union"

_VIRTUOSO_SYSTEM_GRAPHS = (
    "http://www.openlinksw.com/schemas/virtrdf#",
    "http://www.w3.org/ns/ldp#",
    "http://www.w3.org/2002/07/owl#",
    "http://localhost:8890/sparql",
    "http://localhost:8890/DAV/",
)


#: What each kind of server puts in its ``Server`` response header (lower case).
_SERVER_HEADERS = (("virtuoso", "virtuoso"), ("oxigraph", "oxigraph"), ("fuseki", "fuseki"),
                   ("graphdb", "graphdb"), ("rdf4j", "graphdb"))

#: Probed kinds, per query URL, for this process (one cheap request per server, however many stores).
_PROBED: dict[str, str] = {}


def server_kind_of(headers: httpx.Headers) -> str:
    """The kind of server that sent a response with these headers (``generic`` when unknown)."""
    server = headers.get("server", "").lower()
    for marker, kind in _SERVER_HEADERS:
        if marker in server:
            return kind
    if "fuseki-request-id" in headers:
        return "fuseki"
    return "generic"


def _conventions(kind: str, url: str) -> Endpoints:
    """Update and Graph Store URLs a server of `kind` offers beside the query URL `url`.

    Only the kind of server decides which conventions apply (a query URL ending in ``/sparql`` is not
    Virtuoso unless the server says it is); the URL's path only places the other endpoints beside it.
    """
    if kind not in SERVER_KINDS:
        raise StoreError(f"unknown kind of SPARQL server {kind!r}; expected one of {', '.join(SERVER_KINDS)}",
                         source=url)
    parts = urlsplit(url)
    path = parts.path.rstrip("/")
    parent = path.rsplit("/", 1)[0] if "/" in path else ""

    def at(new_path: str) -> str:
        return urlunsplit((parts.scheme, parts.netloc, new_path, "", ""))

    if kind == "oxigraph":  # /query, /update, /store
        return Endpoints(url, at(parent + "/update"), at(parent + "/store"))
    if kind == "virtuoso":  # /sparql, or /sparql-auth with a login
        store = "/sparql-graph-crud-auth" if path.endswith("-auth") else "/sparql-graph-crud"
        # Virtuoso's SPARQL compiler runs out of memory on an INSERT DATA of some thousands of triples
        # (SP030 "memory exhausted"), and refuses ORDER BY with OFFSET + LIMIT above ResultSetMaxRows (SR353).
        return Endpoints(url, url, at(parent + store), (*_VIRTUOSO_SYSTEM_GRAPHS, VIRTUOSO_UNION), 1000,
                         sort_in_subquery=True, union_graph=VIRTUOSO_UNION, virtuoso=True)
    if kind == "fuseki":  # /dataset/query or /dataset/sparql, /dataset/update, /dataset/data
        dataset = parent if path.endswith(("/query", "/sparql")) else path
        return Endpoints(url, at(dataset + "/update"), at(dataset + "/data"))
    if kind == "graphdb":  # RDF4J protocol: /repositories/<id>, its /statements and /rdf-graphs/service
        return Endpoints(url, at(path + "/statements"), at(path + "/rdf-graphs/service"))
    return Endpoints(url, url, None)


# --- authentication ---------------------------------------------------------------------------------

class UserPasswordAuth(httpx.Auth):
    """HTTP basic auth that switches to digest when the server asks for it (Virtuoso's -auth endpoints).

    Basic credentials go with the first request; a 401 carrying a Digest challenge, or no challenge at all,
    switches this session to digest auth.
    """

    def __init__(self, user: str, password: str) -> None:
        token = base64.b64encode(f"{user}:{password}".encode()).decode("ascii")
        self._basic = f"Basic {token}"
        self._digest = httpx.DigestAuth(user, password)
        self._use_digest = False

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        if not self._use_digest:
            request.headers["Authorization"] = self._basic
            response = yield request
            challenge = " ".join(response.headers.get_list("www-authenticate")).lower()
            if response.status_code != 401 or (challenge and "digest" not in challenge):
                return
            # A digest challenge, or none at all (Virtuoso answers a Basic header with a bare 401).
            self._use_digest = True
            del request.headers["Authorization"]
        yield from self._digest.auth_flow(request)


class BearerAuth(httpx.Auth):
    """`Authorization: Bearer <token>`."""

    def __init__(self, token: str) -> None:
        self._header = f"Bearer {token}"

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.headers["Authorization"] = self._header
        yield request


def _make_auth(auth: Auth, settings: Settings) -> httpx.Auth | None:
    if isinstance(auth, httpx.Auth):
        return auth
    if isinstance(auth, str):
        return BearerAuth(auth)
    if isinstance(auth, tuple):
        return UserPasswordAuth(*auth)
    if settings.sparql_token:
        return BearerAuth(settings.sparql_token)
    if settings.sparql_user:
        return UserPasswordAuth(settings.sparql_user, settings.sparql_password)
    return None


# --- terms ------------------------------------------------------------------------------------------

def nt_term(term: Node) -> str:
    """One rdflib term as N-Triples text (also valid in SPARQL Update)."""
    if isinstance(term, BNode):
        return f"_:{_BNODE_SAFE.sub('_', str(term)) or 'b'}"
    if isinstance(term, Literal):
        body = f'"{escape_string(str(term))}"'
        if term.language:
            return f"{body}@{term.language}"
        if term.datatype is not None and str(term.datatype) != XSD_STRING:
            return f"{body}^^{term_to_sparql(URIRef(str(term.datatype)))}"
        return body
    return term_to_sparql(term)


def nt_line(triple: Triple) -> str:
    s, p, o = triple
    return f"{nt_term(s)} {nt_term(p)} {nt_term(o)} ."


#: Datatypes whose literals Virtuoso 7.2 cannot take in SPARQL (SQ200 "No column PT1H33MD") and whose
#: lexical form its loaders and STRDT turn into a number of seconds or months ("5580.0"^^xsd:duration).
VIRTUOSO_DURATIONS = frozenset(XSD + name for name in ("duration", "dayTimeDuration", "yearMonthDuration"))


def is_virtuoso_duration(term: Node) -> bool:
    return isinstance(term, Literal) and term.datatype is not None and str(term.datatype) in VIRTUOSO_DURATIONS


def insert(graph: str, triples: list[Triple], *, virtuoso: bool = False) -> str:
    """An update adding `triples` to `graph` (an IRI in SPARQL syntax).

    ``INSERT DATA`` when there are no blank nodes; otherwise ``INSERT { ... } WHERE {}``, which makes one
    fresh blank node per label, since Virtuoso refuses blank nodes in INSERT DATA (SP031).

    With `virtuoso`, each duration literal is a variable of the template, bound in WHERE to the RDF object
    Virtuoso's own ``DB.DBA.RDF_MAKE_OBJ_OF_TYPEDSQLVAL`` makes of its lexical form and datatype: the one
    form that stores ``"PT1H33M"^^xsd:duration`` as written (a literal in the text is refused, STRDT and the
    loaders store seconds), in the same single operation as the graph's other triples.
    """
    if virtuoso and any(is_virtuoso_duration(o) for _, _, o in triples):
        lines: list[str] = []
        binds: list[str] = []
        for s, p, o in triples:
            if is_virtuoso_duration(o):
                assert isinstance(o, Literal) and o.datatype is not None
                var = f"?fg_duration_{len(binds)}"
                binds.append(f"BIND(sql:RDF_MAKE_OBJ_OF_TYPEDSQLVAL({nt_term(Literal(str(o)))}, "
                             f"{term_to_sparql(URIRef(str(o.datatype)))}, ?fg_no_language) AS {var})")
                lines.append(f"{nt_term(s)} {nt_term(p)} {var} .")
            else:
                lines.append(nt_line((s, p, o)))
        body = "\n".join(lines)
        return f"INSERT {{ GRAPH {graph} {{\n{body}\n}} }} WHERE {{\n{chr(10).join(binds)}\n}}"
    body = "\n".join(nt_line(t) for t in triples)
    if any(isinstance(term, BNode) for triple in triples for term in triple):
        return f"INSERT {{ GRAPH {graph} {{\n{body}\n}} }} WHERE {{}}"
    return f"INSERT DATA {{ GRAPH {graph} {{\n{body}\n}} }}"


def _bnode(label: str) -> BNode:
    return BNode(_BNODE_SAFE.sub("_", label.removeprefix("nodeID://")) or "b")


def from_json(term: dict[str, Any]) -> Term:
    """A SPARQL JSON results term -> rdflib term, as `embedded.from_ox` would give it."""
    kind = term.get("type")
    value = term.get("value", "")
    if kind == "uri":
        return _iri(value)
    if kind == "bnode":
        return _bnode(value)
    if kind in ("literal", "typed-literal"):
        lang = term.get("xml:lang")
        if lang:
            return Literal(value, lang=lang)
        datatype = term.get("datatype")
        if datatype and datatype != XSD_STRING:
            return Literal(value, datatype=URIRef(datatype))
        return Literal(value)
    raise StoreError(f"unexpected term in SPARQL results: {term!r}")


@functools.lru_cache(maxsize=200_000)
def _iri(value: str) -> URIRef:
    """IRIs repeat across results (films, people, predicates): build each rdflib term once."""
    return URIRef(value)


def _normalise(term: Node) -> Node:
    if isinstance(term, Literal) and term.datatype is not None and str(term.datatype) == XSD_STRING:
        return Literal(str(term))
    return term


def query_form(sparql: str) -> str:
    """SELECT, CONSTRUCT, ASK or DESCRIBE (IRIs, strings and comments ignored)."""
    match = _QUERY_FORM.search(_NOISE.sub(" ", sparql))
    return match.group(1).upper() if match else "SELECT"


def _chunks(triples: list[Triple], size: int) -> list[list[Triple]]:
    """Split into chunks of about `size` triples, keeping triples that share a blank node together."""
    parent: dict[BNode, BNode] = {}

    def root(node: BNode) -> BNode:
        while parent.setdefault(node, node) != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for s, _, o in triples:
        if isinstance(s, BNode) and isinstance(o, BNode):
            parent[root(s)] = root(o)
    groups: dict[object, list[Triple]] = {}
    for index, (s, p, o) in enumerate(triples):
        node = s if isinstance(s, BNode) else o if isinstance(o, BNode) else None
        key: object = root(node) if node is not None else index
        groups.setdefault(key, []).append((s, p, o))
    chunks: list[list[Triple]] = [[]]
    for group in groups.values():
        if chunks[-1] and len(chunks[-1]) + len(group) > size:
            chunks.append([])
        chunks[-1].extend(group)
    return chunks


# --- the store --------------------------------------------------------------------------------------

class RemoteStore:
    """A SPARQL 1.1 Query/Update/Graph Store server as a filmgraph store."""

    sleep: Callable[[float], None] = staticmethod(time.sleep)

    def __init__(
        self,
        url: str,
        *,
        update_url: str | None = None,
        store_url: str | None = None,
        timeout: float | None = None,
        retries: int = 3,
        auth: Auth = None,
        backoff: float = 0.5,
        max_update_triples: int | None = None,
        page_size: int = 10_000,
        read_only: bool = False,
        server: str | None = None,
        settings: Settings | None = None,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        settings = settings if settings is not None else Settings.from_env()
        self.name = url
        self.query_url = url
        self._server = (server or settings.server or "").strip().lower() or None
        if self._server is not None and self._server not in SERVER_KINDS:
            raise StoreError(f"unknown kind of SPARQL server {self._server!r} (--server, FILMGRAPH_SERVER); "
                             f"expected one of {', '.join(SERVER_KINDS)}", source=url)
        self._given_update_url = update_url or settings.update_url or None
        self._given_store_url = store_url or settings.store_url or None
        self._given_max_update_triples = max_update_triples
        self._endpoints: Endpoints | None = None
        self.retries = max(0, retries)
        self.backoff = backoff
        self.page_size = page_size
        self.read_only = read_only
        self._repaired = False
        self._client = httpx.Client(
            timeout=timeout if timeout is not None else settings.http_timeout_s,
            auth=_make_auth(auth, settings),
            transport=transport,
            headers={"User-Agent": "filmgraph"},
        )

    def __repr__(self) -> str:
        return f"RemoteStore({self.query_url!r}, server={self._server!r})"

    # what kind of server -------------------------------------------------------------------------
    @property
    def server(self) -> str:
        """The kind of server (one of `SERVER_KINDS`): as given, else asked once (see `probe`)."""
        if self._server is None:
            self._server = self.probe()
        return self._server

    def probe(self) -> str:
        """Ask the server what it is: one ``ASK {}`` whose ``Server`` header names it, cached per URL."""
        known = _PROBED.get(self.query_url)
        if known is not None:
            return known
        try:
            response = self._client.get(self.query_url, params={"query": "ASK {}"},
                                        headers={"Accept": _SELECT_ACCEPT})
        except httpx.HTTPError as exc:
            raise StoreError(f"cannot reach the SPARQL server: {exc or type(exc).__name__}",
                             source=self.query_url) from exc
        kind = server_kind_of(response.headers)
        log.info("%s is a %s SPARQL server (Server: %s)", self.query_url, kind, response.headers.get("server"))
        _PROBED[self.query_url] = kind
        return kind

    @property
    def endpoints(self) -> Endpoints:
        if self._endpoints is None:
            self._endpoints = _conventions(self.server, self.query_url)
        return self._endpoints

    @property
    def update_url(self) -> str:
        return self._given_update_url or self.endpoints.update

    @property
    def store_url(self) -> str | None:
        return self._given_store_url or self.endpoints.store

    @property
    def system_graphs(self) -> tuple[str, ...]:
        return (*self.endpoints.system_graphs, STAGING_PREFIX)

    @property
    def max_update_triples(self) -> int | None:
        return self._given_max_update_triples or self.endpoints.max_update_triples

    @max_update_triples.setter
    def max_update_triples(self, value: int | None) -> None:
        self._given_max_update_triples = value

    @property
    def sort_in_subquery(self) -> bool:
        return self.endpoints.sort_in_subquery

    @property
    def union_graph(self) -> str | None:
        return self.endpoints.union_graph

    @property
    def _view(self) -> str | None:
        return term_to_sparql(URIRef(self.union_graph)) if self.union_graph else None

    # HTTP ----------------------------------------------------------------------------------------
    def _send(self, what: str, method: str, url: str, *, idempotent: bool = True, **kwargs: Any) -> httpx.Response:
        """One request with retries; a StoreError naming the endpoint when it finally fails."""
        attempt = 0
        while True:
            try:
                response = self._client.request(method, url, **kwargs)
            except httpx.TimeoutException as exc:
                if isinstance(exc, httpx.ConnectTimeout) and attempt < self.retries:
                    attempt = self._wait(attempt, None, what, url, exc)
                    continue
                raise StoreError(
                    f"{what} timed out after {self._client.timeout.read} s "
                    f"({type(exc).__name__}){self._nothing_written(what)}", source=url,
                ) from exc
            except httpx.TransportError as exc:
                retryable = isinstance(exc, httpx.ConnectError) or (
                    idempotent and isinstance(exc, (httpx.RemoteProtocolError, httpx.ReadError))
                )
                if retryable and attempt < self.retries:
                    attempt = self._wait(attempt, None, what, url, exc)
                    continue
                tries = f" after {attempt + 1} attempts" if attempt else ""
                raise StoreError(
                    f"cannot reach the SPARQL server{tries}: {exc or type(exc).__name__}"
                    f"{self._nothing_written(what)}", source=url,
                ) from exc
            if response.status_code in (429, 503) and attempt < self.retries:
                attempt = self._wait(attempt, response.headers.get("Retry-After"), what, url, None)
                continue
            if response.is_success:
                return response
            raise self._http_error(what, url, response)

    def _wait(self, attempt: int, retry_after: str | None, what: str, url: str, exc: Exception | None) -> int:
        delay = self.backoff * (2**attempt)
        if retry_after and retry_after.strip().isdigit():
            delay = min(float(retry_after), 60.0)
        log.warning("%s at %s: %s; retrying in %.1f s", what, url, exc or "server busy", delay)
        self.sleep(delay)
        return attempt + 1

    @staticmethod
    def _nothing_written(what: str) -> str:
        return "" if what == "query" else "; nothing was written by this request"

    def _http_error(self, what: str, url: str, response: httpx.Response) -> StoreError | QueryError:
        text = " ".join(response.text.split())
        if len(text) > 1000:
            text = text[:1000] + " ..."
        status = f"HTTP {response.status_code} {response.reason_phrase}".rstrip()
        if what == "query" and response.status_code == 400:
            return QueryError(f"the server refused the query ({status}): {text}", source=url)
        hint = " (set FILMGRAPH_SPARQL_USER/FILMGRAPH_SPARQL_PASSWORD or FILMGRAPH_SPARQL_TOKEN)"
        refused = response.status_code in (403, 404, 405, 501) or "SR186" in text  # SR186: Virtuoso's "No permission"
        if what != "query" and refused:
            return StoreError(
                f"the SPARQL server takes no writes here: {what} refused ({status}): {text}. The endpoint is "
                f"read-only to filmgraph (it can be read as a store); to write, name the server's update "
                f"endpoint (FILMGRAPH_UPDATE_URL) or its kind (--server), or give credentials{hint}; "
                f"nothing was written", source=url)
        if response.status_code in (401, 403):
            return StoreError(f"{what} not authorised ({status}){hint}: {text}", source=url)
        return StoreError(f"{what} failed ({status}): {text}{self._nothing_written(what)}", source=url)

    # reading -------------------------------------------------------------------------------------
    @property
    def content_version(self) -> None:
        """Other clients may write to the server at any time: no answer of it is memoised."""
        return None

    def query(self, sparql: str, bindings: Bindings | None = None) -> QueryOutcome:
        text = bind(sparql, bindings)
        accept = _GRAPH_ACCEPT if query_form(text) in ("CONSTRUCT", "DESCRIBE") else _SELECT_ACCEPT
        return self._parse(self._post_query(text, accept))

    def _post_query(self, text: str, accept: str) -> httpx.Response:
        """POST a bound query to the query endpoint, over the union view where the server needs naming it."""
        data = {"query": text}
        if self.union_graph:
            data["default-graph-uri"] = self.union_graph
        return self._send("query", "POST", self.query_url, data=data, headers={"Accept": accept})

    def _parse(self, response: httpx.Response) -> QueryOutcome:
        ctype = response.headers.get("content-type", "").split(";")[0].strip().lower()
        if "json" in ctype and ctype != "application/ld+json":
            try:
                data = json.loads(response.content)
            except ValueError as exc:
                raise StoreError(f"unreadable SPARQL JSON results: {exc}", source=self.query_url) from exc
            if "boolean" in data:
                return bool(data["boolean"])
            variables = list(data.get("head", {}).get("vars", []))
            rows: list[Row] = []
            for binding in data.get("results", {}).get("bindings", []):
                rows.append({name: from_json(value) for name, value in binding.items() if name in variables})
            return SelectResult(variables, rows)
        fmt = _GRAPH_FORMATS.get(ctype)
        if fmt is None:
            raise StoreError(f"unexpected response type {ctype!r} to a query", source=self.query_url)
        parsed = Graph()
        try:
            parsed.parse(data=response.content.decode(response.encoding or "utf-8"), format=fmt)
        except Exception as exc:  # rdflib raises many kinds
            raise StoreError(f"unreadable {ctype} graph from the server: {exc}", source=self.query_url) from exc
        graph = Graph()
        for s, p, o in parsed:
            graph.add((s, p, _normalise(o)))
        return graph

    def select_strings(self, sparql: str, bindings: Bindings | None = None) -> list[dict[str, str]]:
        text = bind(sparql, bindings)
        if query_form(text) != "SELECT":
            raise QueryError("select_strings needs a SELECT query")
        response = self._post_query(text, _SELECT_ACCEPT)
        ctype = response.headers.get("content-type", "").split(";")[0].strip().lower()
        try:
            parsed = json.loads(response.content) if "json" in ctype else None
        except ValueError as exc:
            raise StoreError(f"unreadable SPARQL JSON results: {exc}", source=self.query_url) from exc
        if not isinstance(parsed, dict):
            raise StoreError(f"expected SPARQL JSON results, got {ctype!r}", source=self.query_url)
        variables = set(parsed.get("head", {}).get("vars", []))
        return [{name: str(value.get("value", "")) for name, value in binding.items() if name in variables}
                for binding in parsed.get("results", {}).get("bindings", [])]

    def _select(self, sparql: str, bindings: Bindings | None = None) -> SelectResult:
        result = self.query(sparql, bindings)
        if not isinstance(result, SelectResult):
            raise StoreError("expected SELECT results from the server", source=self.query_url)
        return result

    def _graph_filter(self) -> str:
        tests = [f"!STRSTARTS(STR(?g), {term_to_sparql(Literal(prefix))})" for prefix in self.system_graphs]
        return f"FILTER({' && '.join(tests)})"

    def graph_names(self) -> list[URIRef]:
        result = self._select(f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?s ?p ?o }} {self._graph_filter()} }}")
        return sorted(row["g"] for row in result if isinstance(row.get("g"), URIRef))  # type: ignore[misc]

    def quads(self) -> Iterator[tuple[Node, Node, Node, URIRef]]:
        """Every quad, fetched 100 graphs at a time and paged within them (ORDER BY/LIMIT/OFFSET)."""
        names = self.graph_names()
        for start in range(0, len(names), 100):
            batch = names[start:start + 100]
            offset = 0
            while True:
                window = f"LIMIT {self.page_size} OFFSET {offset}"
                ordered = bind("SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY ?g ?s ?p ?o", {"g": batch})
                if self.sort_in_subquery:
                    page = self._select(f"SELECT ?s ?p ?o ?g WHERE {{ {{ {ordered} }} }} {window}")
                else:
                    page = self._select(f"{ordered} {window}")
                for row in page:
                    graph = row.get("g")
                    if isinstance(graph, URIRef):
                        yield row["s"], row["p"], row["o"], graph
                if len(page) < self.page_size:
                    break
                offset += self.page_size

    def __len__(self) -> int:
        result = self._select(
            f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?s ?p ?o }} {self._graph_filter()} }}"
        )
        return int(result.rows[0]["n"]) if result.rows else 0

    # writing -------------------------------------------------------------------------------------
    def _update(self, update: str, *, idempotent: bool = True) -> None:
        if self.read_only:
            raise StoreError("the store was opened read-only; nothing was written", source=self.update_url)
        self._send(
            "update", "POST", self.update_url, idempotent=idempotent,
            data={"update": update}, headers={"Accept": "*/*"},
        )

    def _before_write(self) -> None:
        if not self._repaired:
            self._repaired = True
            self.repair()

    def repair(self) -> list[URIRef]:
        """Drop staging graphs a failed multi-request write left behind; returns their names."""
        result = self._select(
            "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } "
            f"FILTER(STRSTARTS(STR(?g), {term_to_sparql(Literal(STAGING_PREFIX))})) }}"
        )
        orphans = [row["g"] for row in result if isinstance(row.get("g"), URIRef)]
        for graph in orphans:
            log.warning("dropping %s, left by an interrupted write", graph)
            self._update(f"DROP SILENT GRAPH {term_to_sparql(graph)}")
        return orphans  # type: ignore[return-value]

    def replace_graph(self, graph_iri: URIRef, triples: Iterable[Triple]) -> None:
        """Replace one named graph in one SPARQL Update request (staged only above `max_update_triples`)."""
        self._before_write()
        items = list(triples)
        target = term_to_sparql(graph_iri)
        if self.max_update_triples is None or len(items) <= self.max_update_triples:
            # Virtuoso refuses an empty INSERT DATA
            self._update(union.replace(target, self._insert(target, items) if items else "", self._view))
            return
        staging = term_to_sparql(URIRef(f"{STAGING_PREFIX}{uuid.uuid4().hex}"))
        for chunk in _chunks(items, self.max_update_triples):
            self._update(self._insert(staging, chunk), idempotent=False)
        self._update(" ;\n".join([union.forget(target, self._view), f"MOVE GRAPH {staging} TO GRAPH {target}",
                                  union.copy_in(target, self._view)]))

    def drop_graph(self, graph_iri: URIRef) -> None:
        self._before_write()
        self._update(union.drop(term_to_sparql(graph_iri), self._view))

    def rebuild_view(self) -> None:
        """Rebuild the union view from the named graphs."""
        self._update(union.rebuild(self._view))

    def bulk_replace(self, graph_iri: URIRef, triples: Iterable[Triple]) -> None:
        """Replace a large graph through the Graph Store protocol: one PUT of the graph as N-Triples."""
        self._before_write()
        if self.store_url is None:
            self.replace_graph(graph_iri, triples)
            return
        if self.read_only:
            raise StoreError("the store was opened read-only; nothing was written", source=self.store_url)
        items = list(triples)
        durations: list[Triple] = []
        if self.endpoints.virtuoso:  # its loader would store durations as seconds: they follow as updates
            durations = [t for t in items if is_virtuoso_duration(t[2])]
            if any(isinstance(t[0], BNode) for t in durations):  # a blank node's label lives in one request
                self.replace_graph(graph_iri, items)
                return
            items = [t for t in items if not is_virtuoso_duration(t[2])]
        body = "".join(nt_line(t) + "\n" for t in items).encode("utf-8")
        target = term_to_sparql(graph_iri)
        # Three requests: the view first forgets the old graph, the PUT swaps it, the view copies it in. An
        # interruption leaves the graph's content hash out of the view, so the next run writes it again.
        self._update(union.forget(target, self._view))
        self._send(
            "Graph Store PUT", "PUT", self.store_url, params={"graph": str(graph_iri)}, content=body,
            headers={"Content-Type": "application/n-triples; charset=utf-8"},
        )
        for start in range(0, len(durations), _DURATIONS_PER_UPDATE):
            self._update(self._insert(target, durations[start:start + _DURATIONS_PER_UPDATE]), idempotent=False)
        self._update(union.copy_in(target, self._view))

    def _insert(self, graph: str, triples: list[Triple]) -> str:
        return insert(graph, triples, virtuoso=self.endpoints.virtuoso)

    def flush(self) -> None:
        """Nothing to do: the server commits each request."""

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> RemoteStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

