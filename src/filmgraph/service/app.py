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

The pieces: `negotiation` (Accept -> format), `results` (SPARQL result formats), `models` (pydantic
response models), `jobs` (what a worker runs), `workers` (worker pools, time limits, the store lock).
"""

from __future__ import annotations

import contextlib
import hmac
import json
import logging
import re
from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import parse_qs

from fastapi import APIRouter, FastAPI, Query, Request
from fastapi import Path as PathParam
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from ..config import Settings
from ..errors import FilmgraphError
from . import sparql_guard
from .jobs import ServiceError, SparqlJob, not_acceptable
from .models import ErrorBody, Film, FilmSearch, Health, Person, RelatedOut
from .negotiation import BOOLEAN_TYPES, GRAPH_ALIASES, GRAPH_TYPES, SOLUTION_TYPES, negotiate
from .pages.routes import install as install_pages
from .workers import Service

log = logging.getLogger(__name__)

SLUG_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
SLUG_MAX = 120
TITLE_MAX = 300
_SLUG = re.compile(SLUG_PATTERN)

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
        if len(request.query_params.getlist("query")) > 1:
            return error_response(400, "send exactly one 'query' parameter")
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

    def endpoint_of(request: Request) -> str:
        """Relative IRIs in a request resolve against the endpoint's own URL (SPARQL 1.1 Protocol)."""
        return str(request.url.replace(query="", fragment=""))

    def with_base(request: Request, text: str) -> str:
        """The text with the endpoint as its base (a BASE in the text still wins), on the first line so the
        parser's line numbers stay those of the text."""
        return f"BASE <{endpoint_of(request)}> {text}"

    async def _run_query(request: Request, text: str, default_graphs: list[str],
                         named_graphs: list[str]) -> Response:
        try:
            sparql_guard.check_length(text)
            inspection = sparql_guard.inspect(text, base=endpoint_of(request))
            sparql_guard.check(inspection, update=False, allow_service=settings.allow_service,
                               allow_remote_from=settings.allow_remote_from)
        except FilmgraphError as exc:
            error = ServiceError.from_error(exc)
            return error_response(error.status, error.message, **error.extra)
        accept = request.headers.get("accept")
        # the CSV and TSV results formats are defined for SELECT results only: an ASK answer is JSON or XML
        offers = BOOLEAN_TYPES if inspection.form == "ASK" else SOLUTION_TYPES
        solution = negotiate(accept, offers)
        graph = negotiate(accept, GRAPH_TYPES, GRAPH_ALIASES)
        wanted = graph if inspection.returns_graph else solution
        if inspection.form is not None and wanted is None:
            kind = "graph" if inspection.returns_graph else "solutions"
            error = not_acceptable(kind)
            if inspection.form == "ASK":
                error.extra["acceptable"] = [m for m, _ in BOOLEAN_TYPES]
            error.message = (f"a {inspection.form} query gives {'an RDF graph' if kind == 'graph' else 'results'}"
                             f", which cannot be served as {accept!r}")
            return error_response(error.status, error.message, **error.extra)
        for graph_iri in [*default_graphs, *named_graphs]:
            if not graph_iri.startswith(("http://", "https://", "urn:")) or any(c in graph_iri for c in '<>" {}'):
                return error_response(400, f"not a graph IRI: {graph_iri!r}")
        job = SparqlJob(text=text, base_iri=endpoint_of(request), solution_format=solution[1] if solution else None,
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
            text = with_base(request, text)
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
                  docs_url=None, redoc_url=None,  # /docs is served by pages.routes from package files
                  description="Film knowledge graph: a SPARQL 1.1 endpoint and JSON lookups with explained "
                              "related-film suggestions. Errors are JSON: {\"error\": \"...\"}.")
    app.include_router(routes)
    app.state.filmgraph = routes.service
    install_pages(app, routes.service)  # the browser pages (/, /query, HTML by Accept) and offline /docs
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
