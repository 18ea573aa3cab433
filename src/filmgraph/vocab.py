"""The only place IRIs are spelled out: namespaces, our terms, and minting of resource IRIs."""

from __future__ import annotations

import functools

from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import OWL, PROV, RDFS, XSD
from rdflib.namespace import RDF as _RDF
from rdflib.namespace import SKOS as _SKOS


class _Terms(Namespace):
    """A namespace that builds each term once: rdflib's builds a new, re-checked URIRef on every attribute
    access (`SCHEMA.name`), which was a tenth of importing 100k ratings. The terms are the same URIRefs."""

    def __getattr__(self, name: str) -> URIRef:
        if name.startswith("__"):
            raise AttributeError(name)
        term = self.term(name)
        self.__dict__[name] = term
        return term


SCHEMA = _Terms("http://schema.org/")
SCHEMA_HTTPS = Namespace("https://schema.org/")
FG = _Terms("https://w3id.org/filmgraph/ontology#")
RDF = _Terms(str(_RDF))
SKOS = _Terms(str(_SKOS))
WD = Namespace("http://www.wikidata.org/entity/")
IMDB_TITLE = "https://www.imdb.com/title/"
IMDB_NAME = "https://www.imdb.com/name/"
DEFAULT_BASE = "https://w3id.org/filmgraph/id/"

#: The kinds of resource we mint, each a folder under the base IRI.
KINDS = ("film", "person", "character", "series", "org", "review", "genre", "country", "source")

__all__ = [
    "DEFAULT_BASE",
    "FG",
    "IMDB_NAME",
    "IMDB_TITLE",
    "KINDS",
    "OWL",
    "PROV",
    "RDF",
    "RDFS",
    "SCHEMA",
    "SKOS",
    "WD",
    "XSD",
    "IriMinter",
    "bind_prefixes",
    "string_literal",
]


@functools.lru_cache(maxsize=1 << 16)
def string_literal(text: str) -> Literal:
    """`Literal(text)`, built once per text: names and match keys recur across reviews and catalogue rows, and
    rdflib's Literal checks its arguments on every build (8 us; 60k built for 1,000 bench reviews)."""
    return Literal(text)


class IriMinter:
    """Mints resource IRIs `<base><kind>/<slug>` and reads them back."""

    def __init__(self, base: str = DEFAULT_BASE) -> None:
        self.base = base if base.endswith(("/", "#")) else base + "/"

    def __call__(self, kind: str, slug: str) -> URIRef:
        if kind not in KINDS:
            raise ValueError(f"unknown resource kind {kind!r}")
        return URIRef(f"{self.base}{kind}/{slug}")

    def namespace(self, kind: str) -> str:
        return f"{self.base}{kind}/"

    def split(self, iri: str) -> tuple[str, str] | None:
        """Return (kind, slug) for an IRI minted under this base, else None."""
        if not iri.startswith(self.base):
            return None
        kind, _, slug = iri[len(self.base):].partition("/")
        return (kind, slug) if kind in KINDS and slug else None


def bind_prefixes(graph: Graph, base: str = DEFAULT_BASE) -> Graph:
    """Bind our prefixes, replacing rdflib's pre-bound https form of schema:."""
    graph.bind("schema", SCHEMA, override=True, replace=True)
    for prefix, ns in (("fg", FG), ("wd", WD), ("prov", PROV), ("xsd", XSD), ("owl", OWL),
                       ("skos", SKOS), ("rdfs", RDFS)):
        graph.bind(prefix, ns, override=True)
    minter = IriMinter(base)
    for kind in KINDS:
        graph.bind(kind, Namespace(minter.namespace(kind)), override=True, replace=True)
    return graph
