"""Deterministic exports: the same graph gives byte-identical output, so exports diff cleanly."""

from __future__ import annotations

import json
from typing import IO

from rdflib import Dataset, Graph, Literal, URIRef

from ..errors import FilmgraphError
from ..vocab import DEFAULT_BASE, SCHEMA, bind_prefixes
from .base import Store
from .sparql_text import literal_to_nt

FORMATS = ("turtle", "nt", "nquads", "trig", "jsonld")


def _term(node: object) -> str:
    if isinstance(node, Literal):
        return literal_to_nt(node)
    return node.n3()  # type: ignore[attr-defined]


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
        lines = sorted({f"{_term(s)} {_term(p)} {_term(o)} {_term(g)} .\n" for s, p, o, g in store.quads()})
        out.write("".join(lines).encode("utf-8"))
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
        lines = sorted(f"{_term(s)} {_term(p)} {_term(o)} .\n" for s, p, o in graph)
        out.write("".join(lines).encode("utf-8"))
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
