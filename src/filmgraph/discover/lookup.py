"""Turn what a person types into RDF terms: a FILM reference into a film IRI, `key=value` into query values.

A FILM reference is an IRI, a slug under the configured base (`ballerina-2023`), or a title (`Ballerina`,
`Oldboy (2003)`) matched on `fg:matchKey` through the `film-by-title` named query. A title that names more
than one film raises `AmbiguousReference` listing the candidates; nothing found raises `NotFound`. Every
value reaches the store as a bound, escaped term, so a reference can never change a query's shape.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from rdflib import Literal, URIRef
from rdflib.term import Node

from ..errors import AmbiguousReference, NotFound, QueryError
from ..link.naming import match_key
from ..store import QueryOutcome, SelectResult, Store
from ..store.sparql_text import is_valid_iri
from ..vocab import DEFAULT_BASE, IriMinter
from .queries import NamedQuery, load_query

_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_TITLE_YEAR = re.compile(r"^(?P<title>.*\S)\s*\((?P<year>\d{4})\)\s*$")
_INTEGER = re.compile(r"^[+-]?\d+$")

ParamValue = str | int | Node | Sequence[str | int | Node]


def film_exists(store: Store, iri: URIRef) -> bool:
    """Is `iri` a film with a name in the store?"""
    try:
        result = load_query("related/films").run(store, {"film": [iri]})
    except QueryError:
        return False
    assert isinstance(result, SelectResult)
    return any("name" in row for row in result)


def film_candidates(store: Store, title: str) -> list[dict[str, str]]:
    """Films whose title (any stored spelling) has the match key of `title`: film, name, year, slug."""
    key = match_key(title)
    if not key:
        return []
    result = load_query("film-by-title").run(store, {"title": Literal(key)})
    assert isinstance(result, SelectResult)
    found: dict[str, dict[str, str]] = {}
    for row in result:
        iri = str(row["film"])
        found.setdefault(iri, {
            "film": iri,
            "name": str(row.get("name", "")),
            "year": str(row.get("year", "")),
            "slug": iri.rstrip("/").rsplit("/", 1)[-1],
        })
    return sorted(found.values(), key=lambda c: (c["year"] or "9999", c["film"]))


def resolve_film(store: Store, ref: str, base: str = DEFAULT_BASE) -> URIRef:
    """The film IRI that `ref` (an IRI, a slug, or a title with an optional `(year)`) names."""
    text = ref.strip()
    if not text:
        raise NotFound("empty film reference: give an IRI, a slug like 'ballerina-2023', or a title")
    if text.startswith(("http://", "https://")):
        if not is_valid_iri(text):
            raise NotFound(f"no film with IRI <{text}>: not a valid IRI")
        iri = URIRef(text)
        if film_exists(store, iri):
            return iri
        raise NotFound(f"no film with IRI <{text}> in the store")
    if _SLUG.match(text):
        iri = IriMinter(base)("film", text)
        if film_exists(store, iri):
            return iri
    title, year = text, None
    match = _TITLE_YEAR.match(text)
    if match:
        title, year = match.group("title"), match.group("year")
    candidates = film_candidates(store, title)
    if year is not None:
        same_year = [c for c in candidates if c["year"] == year]
        if not same_year:
            years = ", ".join(sorted({c["year"] or "?" for c in candidates}))
            hint = f" (the store has it from {years})" if candidates else ""
            raise NotFound(f"no film titled {title!r} from {year}{hint}")
        candidates = same_year
    if not candidates:
        raise NotFound(f"no film titled or slugged {text!r} in the store "
                       "(a FILM is an IRI, a slug like 'ballerina-2023', or a title)")
    if len(candidates) > 1:
        listing = "; ".join(f"{c['name']} ({c['year'] or 'year unknown'}, slug {c['slug']})" for c in candidates)
        raise AmbiguousReference(
            f"{text!r} names {len(candidates)} films: {listing}; give the slug or the title with its year",
            candidates=candidates)
    return URIRef(candidates[0]["film"])


# -- query parameters --------------------------------------------------------------------------------

def _documents_key(query: NamedQuery, name: str) -> bool:
    doc = query.params.get(name, "").lower()
    return name in ("key", "title") and ("match key" in doc or "matchkey" in doc or "match_key" in doc)


def param_value(query: NamedQuery, name: str, value: str | int | Node) -> Node:
    """One parameter value as an RDF term.

    An RDF term is kept; an `http(s)://` text becomes an IRI; for a `key` or `title` parameter whose
    documentation says it is bound as a match key, the text's `naming.match_key`; an integer (or integer
    text) becomes xsd:integer; anything else a plain string.
    """
    if isinstance(value, (URIRef, Literal)):
        return value
    if isinstance(value, bool):
        return Literal(value)
    if isinstance(value, int):
        return Literal(value)
    text = str(value)
    if text.startswith(("http://", "https://")):
        return URIRef(text)
    if _documents_key(query, name):
        return Literal(match_key(text))
    if _INTEGER.match(text.strip()):
        return Literal(int(text))
    return Literal(text)


def query_bindings(query: NamedQuery, params: dict[str, ParamValue]) -> dict[str, Node | list[Node]]:
    """Typed bindings for `query` from plain values; a list binds several values to one variable."""
    unknown = sorted(set(params) - set(query.params))
    if unknown:
        known = ", ".join(f"{k} ({doc})" if doc else k for k, doc in sorted(query.params.items())) or "none"
        raise QueryError(f"query {query.name!r} has no parameter(s) {', '.join(unknown)}; it takes: {known}")
    bindings: dict[str, Node | list[Node]] = {}
    for name, value in params.items():
        if isinstance(value, (list, tuple)):
            bindings[name] = [param_value(query, name, v) for v in value]
        else:
            bindings[name] = param_value(query, name, value)  # type: ignore[arg-type]
    return bindings


def run_named(store: Store, name: str, **params: ParamValue) -> QueryOutcome:
    """Run the named query `name` with `params` typed by `param_value` and bound as values."""
    query = load_query(name)
    return query.run(store, query_bindings(query, params))
