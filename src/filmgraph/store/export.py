"""Deterministic exports: the same graph gives byte-identical output, so exports diff cleanly.

N-Triples and N-Quads are pyoxigraph's writers, their lines sorted; Turtle, TriG and JSON-LD are rdflib's
(its Turtle sorts subjects and predicates and groups them, which pyoxigraph's writer leaves to its input).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import IO

import pyoxigraph as ox
from rdflib import Dataset, Graph, URIRef
from rdflib.term import Node

from ..errors import FilmgraphError
from ..vocab import DEFAULT_BASE, SCHEMA, bind_prefixes
from .base import Store
from .embedded import to_ox

FORMATS = ("turtle", "nt", "nquads", "trig", "jsonld")


def _sorted_lines(statements: Iterable[tuple[Node, ...]], fmt: ox.RdfFormat) -> list[bytes]:
    """Triples or quads in pyoxigraph's N-Triples / N-Quads, one line each, sorted, without repeats."""
    make = ox.Triple if fmt == ox.RdfFormat.N_TRIPLES else ox.Quad
    out = ox.serialize((make(*(to_ox(t) for t in st)) for st in statements), format=fmt)  # type: ignore[arg-type]
    assert isinstance(out, bytes)
    return sorted(set(out.splitlines(keepends=True)))


def _sorted_json(value: object) -> object:
    """JSON with every list in a stable order."""
    if isinstance(value, dict):
        return {k: _sorted_json(v) for k, v in value.items()}
    if isinstance(value, list):
        items = [_sorted_json(v) for v in value]
        return sorted(items, key=lambda v: json.dumps(v, sort_keys=True, ensure_ascii=False))
    return value


def merged_graph(store: Store, base: str = DEFAULT_BASE) -> Graph:
    """Every triple of every named graph, merged (the union view)."""
    graph = bind_prefixes(Graph(), base)
    for s, p, o, _ in store.quads():
        graph.add((s, p, o))
    return graph


def export(store: Store, fmt: str, out: IO[bytes], base: str = DEFAULT_BASE) -> int:
    """Write the whole store to `out` in `fmt`; returns the number of statements written."""
    if fmt not in FORMATS:
        raise FilmgraphError(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}")
    if fmt == "nquads":
        lines = _sorted_lines(store.quads(), ox.RdfFormat.N_QUADS)
        out.write(b"".join(lines))
        return len(lines)
    if fmt == "trig":
        dataset = Dataset()
        bind_prefixes(dataset, base)
        for s, p, o, g in store.quads():
            dataset.graph(URIRef(g)).add((s, p, o))
        out.write(dataset.serialize(format="trig").encode("utf-8"))
        return sum(1 for _ in store.quads())
    graph = merged_graph(store, base)
    if fmt == "nt":
        out.write(b"".join(_sorted_lines(graph, ox.RdfFormat.N_TRIPLES)))
    elif fmt == "turtle":
        out.write(graph.serialize(format="turtle").encode("utf-8"))
    else:
        context = {prefix: str(ns) for prefix, ns in graph.namespaces()
                   if prefix in {"schema", "fg", "skos", "prov", "owl", "xsd", "wd", "rdfs"}}
        context["schema"] = str(SCHEMA)
        data = json.loads(graph.serialize(format="json-ld", context=context, auto_compact=True))
        nodes = data.get("@graph", [data] if "@id" in data else [])
        nodes = sorted((_sorted_json(n) for n in nodes), key=lambda n: str(n.get("@id", "")))
        out.write(json.dumps({"@context": context, "@graph": nodes}, ensure_ascii=False, indent=2,
                             sort_keys=True).encode("utf-8") + b"\n")
    return len(graph)
