"""The pages a person opens in a browser, mounted on the service's app by `install`.

* ``/docs``: Swagger UI from the files of the ``fastapi-offline`` package, served under ``/vendor/docs/``; its
  start-up script is a package file too, so the API documentation loads nothing from elsewhere (and the
  Content-Security-Policy tells the browser so). There is no ``/redoc``: ReDoc's page loads its logo from a
  CDN, and one offline documentation page is enough.
* ``/``: the explorer's front page (a search box and the films by title); ``/query``: a SPARQL box with the
  named queries as examples; it sends the query to ``/sparql``, so the limits and the read-only rules are
  the endpoint's own.
* ``/films?title=``, ``/films/{slug}``, ``/films/{slug}/related``, ``/people/{slug}``: the same addresses as the
  JSON lookups. A request that prefers ``text/html`` to ``application/json`` (a browser following a link)
  gets the page; anything else (no ``Accept``, ``*/*``, JSON) gets the JSON as before. `HtmlNegotiation`
  makes that choice before routing, so the JSON routes stay as they are; both carry ``Vary: Accept``.

The pages are rendered on the server from the same jobs the JSON lookups run (`Service.lookup`), so they are
readable without JavaScript; only ``/query`` uses a little (``static/query.js``).
"""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import Awaitable, Callable, MutableMapping
from importlib import resources
from pathlib import Path
from typing import Any

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import HTMLResponse, Response
from fastapi.staticfiles import StaticFiles

from ...discover.queries import named_queries
from ...vocab import IriMinter
from ..jobs import ServiceError
from ..negotiation import accept_ranges
from ..workers import Service
from . import html
from .jobs import FRONT_PAGE_FILMS

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

PAGES_PREFIX = "/_pages"  # where the negotiated pages are routed; not an address anyone links to
SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
SLUG_MAX = 120
TITLE_MAX = 300
#: the addresses that serve a page or JSON by Accept
NEGOTIATED = re.compile(r"^/(films|films/[^/]+|films/[^/]+/related|people/[^/]+)$")
#: Swagger UI sets inline styles and draws some icons from data: URLs
CSP = ("default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
       "font-src 'self' data:; connect-src 'self'; frame-ancestors 'self'; base-uri 'self'; form-action 'self'")


def static_dir() -> Path:
    return Path(str(resources.files(__package__))) / "static"


def vendor_docs_dir() -> Path:
    """Swagger UI (and ReDoc, unused), as the fastapi-offline package ships them."""
    return Path(str(resources.files("fastapi_offline"))) / "static"


# --- choosing a page or JSON --------------------------------------------------------------------------------

def _quality(accept: str, media: str) -> float:
    """The q-value `accept` gives `media` (the most specific range that matches it)."""
    main = media.split("/", 1)[0]
    best, specificity = 0.0, -1
    for rng, q in accept_ranges(accept):
        spec = 2 if rng == media else 1 if rng == f"{main}/*" else 0 if rng == "*/*" else -1
        if spec > specificity:
            best, specificity = q, spec
    return best


def wants_html(accept: str | None) -> bool:
    """True when the client prefers HTML to JSON; a tie, no header or ``*/*`` keeps JSON."""
    if not accept:
        return False
    return _quality(accept, "text/html") > _quality(accept, "application/json")


class HtmlNegotiation:
    """ASGI middleware: a GET that prefers HTML on a negotiated address is routed to its page."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not NEGOTIATED.match(scope.get("path", "")):
            await self.app(scope, receive, send)
            return
        if scope.get("method") in ("GET", "HEAD"):
            accept = next((v.decode("latin-1") for k, v in scope.get("headers", []) if k == b"accept"), None)
            if wants_html(accept):
                scope = {**scope, "path": PAGES_PREFIX + scope["path"],
                         "raw_path": PAGES_PREFIX.encode() + scope.get("raw_path", scope["path"].encode())}

        async def vary(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                if not any(k.lower() == b"vary" for k, _ in headers):
                    headers.append((b"vary", b"Accept"))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, vary)


# --- the routes -----------------------------------------------------------------------------------------------

def _root(request: Request) -> str:
    return str(request.scope.get("root_path", "")).rstrip("/")


def _page(request: Request, title: str, body: str, *, status: int = 200, search: str = "",
          scripts: tuple[str, ...] = ()) -> HTMLResponse:
    text = html.page(title, body, root=_root(request), search=search, scripts=scripts)
    return HTMLResponse(text, status_code=status, headers={
        "Cache-Control": "no-cache", "Vary": "Accept", "Content-Security-Policy": CSP,
        "X-Content-Type-Options": "nosniff", "Referrer-Policy": "same-origin"})


def pages_router(service: Service, *, openapi_url: str = "/openapi.json", title: str = "filmgraph") -> APIRouter:
    """The page routes over the service's `Service` (its lookup jobs, its settings)."""
    r = APIRouter(include_in_schema=False)

    async def lookup(op: str, *args: Any) -> Any:
        value = await service.lookup(op, *args)
        return json.loads(value) if isinstance(value, bytes | str) else value

    def failure(request: Request, failed: ServiceError, search: str = "") -> HTMLResponse:
        body = html.error(failed.status, failed.message, candidates=failed.extra.get("candidates") or (),
                          root=_root(request))
        return _page(request, "Not found" if failed.status == 404 else "Error", body, status=failed.status,
                     search=search)

    def bad_slug(request: Request, slug: str, kind: str) -> HTMLResponse | None:
        if SLUG.match(slug) and len(slug) <= SLUG_MAX:
            return None
        if kind == "film" and len(slug) <= TITLE_MAX:
            return None  # a film address may carry a title; the lookup resolves it
        message = (f"{slug[:80]!r} is not a {kind} slug: lowercase letters, digits and single dashes, at most "
                   f"{SLUG_MAX} characters (e.g. {'oldboy-2003' if kind == 'film' else 'park-chan-wook'})")
        return _page(request, "Not a valid address", html.error(422, message, root=_root(request)), status=422)

    @r.get("/")
    async def home(request: Request) -> Response:
        try:
            films, health = await asyncio.gather(lookup("page-film-list"), service.health())
        except ServiceError as failed:
            return failure(request, failed)
        return _page(request, "Films", html.home(films, health, root=_root(request), limit=FRONT_PAGE_FILMS))

    @r.get(PAGES_PREFIX + "/films")
    async def search(request: Request) -> Response:
        title = request.query_params.get("title", "").strip()
        if not title:
            return _page(request, "Search", '<h1>Search a film</h1><p>Type a title in the box above.</p>')
        if len(title) > TITLE_MAX:
            return _page(request, "Search", html.error(422, f"a title has at most {TITLE_MAX} characters"),
                         status=422, search=title[:TITLE_MAX])
        try:
            found = await lookup("search", title)
            matches = found["matches"][:20]
            films = await asyncio.gather(*(lookup("film", m["slug"]) for m in matches if m.get("slug")))
        except ServiceError as failed:
            return failure(request, failed, search=title)
        details = {f["iri"]: f for f in films}
        return _page(request, f"Films titled {title}", html.search(title, matches, details, root=_root(request)),
                     search=title)

    @r.get(PAGES_PREFIX + "/films/{slug}")
    async def film(request: Request, slug: str) -> Response:
        if (bad := bad_slug(request, slug, "film")) is not None:
            return bad
        try:
            data = await lookup("film", slug)
        except ServiceError as failed:
            return failure(request, failed)
        own = data.get("slug") or slug
        related_data, related_error, provenance = None, None, None
        results = await asyncio.gather(lookup("related", own, 10), lookup("page-film-provenance", data["iri"]),
                                       return_exceptions=True)
        if isinstance(results[0], ServiceError):
            related_error = results[0].message
        elif isinstance(results[0], BaseException):
            raise results[0]
        else:
            related_data = results[0]
        if isinstance(results[1], BaseException):
            if not isinstance(results[1], ServiceError):
                raise results[1]
        else:
            provenance = results[1]
        body = html.film(data, related_data, provenance, root=_root(request), related_error=related_error)
        return _page(request, str(data["name"]), body)

    @r.get(PAGES_PREFIX + "/films/{slug}/related")
    async def related(request: Request, slug: str) -> Response:
        if (bad := bad_slug(request, slug, "film")) is not None:
            return bad
        raw = request.query_params.get("top", "10")
        top = int(raw) if raw.isdigit() and 1 <= int(raw) <= 100 else None
        if top is None:
            return _page(request, "Not a valid address",
                         html.error(422, f"top must be a whole number from 1 to 100, not {raw[:20]!r}"), status=422)
        try:
            data = await lookup("related", slug, top)
        except ServiceError as failed:
            return failure(request, failed)
        return _page(request, f"Related to {data['film']['name']}", html.related(data, root=_root(request)))

    @r.get(PAGES_PREFIX + "/people/{slug}")
    async def person(request: Request, slug: str) -> Response:
        if (bad := bad_slug(request, slug, "person")) is not None:
            return bad
        try:
            data = await lookup("person", slug)
            links = await lookup("page-person-links", data["iri"])
        except ServiceError as failed:
            return failure(request, failed)
        body = html.person(data, links, root=_root(request), base=IriMinter(service.settings.base_iri).base)
        return _page(request, str(data["name"]), body)

    @r.get("/query")
    async def query(request: Request) -> Response:
        examples = [{"name": name, "answers": q.answers, "params": q.params, "text": q.text}
                    for name, q in sorted(named_queries().items())]
        initial = request.query_params.get("query") or next(
            (e["text"] for e in examples if e["name"] == "stats"), "SELECT * WHERE { ?s ?p ?o } LIMIT 10")
        limits = {"rows": service.settings.query_result_limit, "seconds": service.settings.query_timeout_s}
        body = html.query(examples, limits, str(initial), root=_root(request),
                          base_iri=IriMinter(service.settings.base_iri).base)
        return _page(request, "SPARQL query", body, scripts=("query.js",))

    # -- the API documentation, offline ------------------------------------------------------------------
    def docs_page(request: Request, template: str, page_title: str) -> HTMLResponse:
        text = (Path(str(resources.files(__package__))) / "templates" / template).read_text(encoding="utf-8")
        root = _root(request)
        for key, value in (("title", page_title), ("openapi", root + openapi_url), ("root", root)):
            text = text.replace("{{" + key + "}}", html.esc(value))
        return HTMLResponse(text, headers={"Cache-Control": "no-cache", "Content-Security-Policy": CSP,
                                           "X-Content-Type-Options": "nosniff"})

    @r.get("/docs")
    async def docs(request: Request) -> HTMLResponse:
        return docs_page(request, "docs.html", f"{title} API")

    return r


def install(app: FastAPI, service: Service) -> None:
    """Mount the pages, their static files and the offline API docs on `app` (built with docs_url=None)."""
    app.include_router(pages_router(service, openapi_url=app.openapi_url or "/openapi.json", title=app.title))
    app.mount("/static", StaticFiles(directory=static_dir()), name="filmgraph-static")
    app.mount("/vendor/docs", StaticFiles(directory=vendor_docs_dir()), name="filmgraph-docs-vendor")
    app.add_middleware(HtmlNegotiation)
