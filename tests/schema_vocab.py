"""Check that the schema.org terms a graph uses exist in schema.org (v30.0, from ../shared/data/).

Reusable on any graph (ontology, shapes, built review graphs):

    from schema_vocab import schema_terms_missing
    assert schema_terms_missing(graph) == set()

The vocabulary file uses the https form of schema.org and our data the http form, so terms are compared
by local name. When the file is absent, `schema_vocabulary()` returns None and `require_schema_vocabulary()`
skips the calling test.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

import pytest
from rdflib import Graph, URIRef

SCHEMA_VOCAB_FILE = (
    Path(__file__).resolve().parents[2] / "shared" / "data" / "schemaorg-current-https_v30.0.ttl"
)
SCHEMA_NAMESPACES = ("http://schema.org/", "https://schema.org/")

# In the distributed Turtle every term is declared as a subject at the start of a line: `schema:Movie a ...`.
_DECLARATION = re.compile(r"^schema:([A-Za-z0-9_]+)\s+a\s", re.MULTILINE)
# schema: terms named inside SPARQL text (sh:select) of a shapes graph.
_PREFIXED = re.compile(r"\bschema:([A-Za-z][A-Za-z0-9_]*)")


@functools.cache
def schema_vocabulary(path: Path = SCHEMA_VOCAB_FILE) -> frozenset[str] | None:
    """Local names of every class, property and enumeration member schema.org declares; None if absent."""
    if not path.is_file():
        return None
    names = frozenset(_DECLARATION.findall(path.read_text(encoding="utf-8")))
    if len(names) < 1000:  # the format changed: fall back to a real parse
        graph = Graph().parse(path, format="turtle")
        names = frozenset(
            str(s)[len(ns):] for s in graph.subjects() if isinstance(s, URIRef)
            for ns in SCHEMA_NAMESPACES if str(s).startswith(ns)
        )
    return names


def require_schema_vocabulary() -> frozenset[str]:
    """The vocabulary, or skip the calling test when ../shared/data does not hold it."""
    names = schema_vocabulary()
    if names is None:
        pytest.skip(f"schema.org vocabulary not found at {SCHEMA_VOCAB_FILE}")
    return names


def schema_terms_used(graph: Graph) -> set[str]:
    """Local names of every schema.org IRI in any position of `graph`, and in SPARQL text it holds."""
    used: set[str] = set()
    for triple in graph:
        for term in triple:
            if isinstance(term, URIRef):
                for ns in SCHEMA_NAMESPACES:
                    if str(term).startswith(ns):
                        used.add(str(term)[len(ns):])
            elif "schema:" in str(term):
                used.update(_PREFIXED.findall(str(term)))
    return used


def schema_terms_missing(graph: Graph) -> set[str]:
    """schema.org terms `graph` uses that schema.org does not declare (skips if the file is absent)."""
    vocabulary = require_schema_vocabulary()
    return {name for name in schema_terms_used(graph) if name and name not in vocabulary}
