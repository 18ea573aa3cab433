"""A bulk write stores exactly the quads a transactional write stores (the N-Quads text path included), and
keeps the union view exact."""

from __future__ import annotations

from decimal import Decimal

from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD

from filmgraph.store import open_store
from filmgraph.store.base import Triple

EX = "https://w3id.org/filmgraph/id/"


def awkward_triples(n: int) -> list[Triple]:
    """Literals of every kind: language tags, datatypes, quotes, backslashes, new lines, Hangul, emoji."""
    values = [Literal("발레리나", lang="ko"), Literal('say "hi"\\ now\nand\tthen'), Literal(Decimal("3.5")),
              Literal("PT1H33M", datatype=XSD.duration), Literal("2023-10", datatype=XSD.gYearMonth),
              Literal("🎬 Ok-ju"), Literal(""), Literal(7)]
    return [(URIRef(f"{EX}film/f{i}"), URIRef(f"{EX}p{i % 5}"), values[i % len(values)]) for i in range(n)]


def stored(store: object) -> set[tuple[str, str, str, str]]:
    return {(str(s), str(p), str(o), str(g)) for s, p, o, g in store.quads()}  # type: ignore[attr-defined]


def test_bulk_replace_stores_what_replace_graph_stores() -> None:
    triples = awkward_triples(12_000)
    graph = URIRef(f"{EX}source/bulk")
    bulk, plain = open_store("memory"), open_store("memory")
    bulk.bulk_replace(graph, triples)
    plain.replace_graph(graph, triples)
    assert stored(bulk) == stored(plain)
    assert len(bulk) == len(plain) == 12_000
    # the view: every triple once in the default graph
    assert bulk.query("ASK { <https://w3id.org/filmgraph/id/film/f1> ?p ?o }") is True
    bulk.bulk_replace(graph, triples[:100])  # replacing shrinks the graph and the view with it
    assert len(bulk) == 100
    assert bulk.query("ASK { <https://w3id.org/filmgraph/id/film/f500> ?p ?o }") is False


def test_bulk_replace_with_blank_nodes_keeps_them() -> None:
    node = BNode("rating1")
    triples = [*awkward_triples(10), (URIRef(f"{EX}review/r"), URIRef(f"{EX}rating"), node),
               (node, URIRef(f"{EX}value"), Literal(Decimal("4.0")))]
    store = open_store("memory")
    store.bulk_replace(URIRef(f"{EX}source/b"), triples)
    assert len(store) == len(triples)
    assert store.query(f"ASK {{ ?r <{EX}rating> ?x . ?x <{EX}value> ?v }}")
