"""Load the hand-made fixture graph (tests/data/graph/*.trig, *.ttl) into a store, one named graph at a time."""

from __future__ import annotations

import warnings
from collections.abc import Callable
from pathlib import Path

from rdflib import Dataset, Graph, URIRef

from filmgraph.store import Store, Triple

GRAPH_DIR = Path(__file__).resolve().parent / "data" / "graph"
ID = "https://w3id.org/filmgraph/id/"


def load_fixture(store: Store, keep: Callable[[Triple], bool] = lambda triple: True) -> Store:
    """Every graph of every fixture file (the triples `keep` accepts), each replaced whole into its own graph."""
    for path in sorted(GRAPH_DIR.glob("*.trig")):
        dataset = Dataset()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)  # rdflib's TriG parser uses ConjunctiveGraph
            dataset.parse(path, format="trig")
        for graph in dataset.graphs():
            if isinstance(graph.identifier, URIRef) and len(graph) and "default" not in str(graph.identifier):
                store.replace_graph(graph.identifier, [t for t in graph if keep(t)])
    for path in sorted(GRAPH_DIR.glob("*.ttl")):
        graph = Graph().parse(path, format="turtle")
        store.replace_graph(URIRef(f"{ID}source/{path.stem}"), [t for t in graph if keep(t)])
    return store
