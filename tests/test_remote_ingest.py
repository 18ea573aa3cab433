"""Every review and catalogue write gives the same triples on every backend: the samples, the seed review
and a slice of the IMDb 5000 catalogue (through the bulk path) ingested into memory, the embedded store, an
Oxigraph server and Virtuoso 7 (each film's xsd:duration runtime included), compared graph by graph and in
the union view."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic, to_isomorphic
from rdflib.namespace import Namespace
from rdflib.term import Node

from conftest import FIXED_TIME, SAMPLES, shared_path
from filmgraph.config import Settings
from filmgraph.ingest import Ingestor
from filmgraph.ingest.pipeline import BULK_THRESHOLD
from filmgraph.store import Store, open_store

XSD = Namespace("http://www.w3.org/2001/XMLSchema#")  # a plain Namespace: pytest probes ClosedNamespace attributes
NUMERIC = {XSD.decimal, XSD.integer, XSD.double, XSD.float, XSD.boolean}
CATALOGUE_ROWS = 220


def inputs(tmp_path: Path) -> list[Path]:
    """Every sample, the seed, and the first rows of the IMDb 5000 CSV (enough for the bulk path)."""
    seed = shared_path("seeds/000_e60a94f7ba5846fc.txt")
    csv = shared_path("data/imdb5000_movie_metadata.csv")
    lines = csv.read_text(encoding="utf-8").splitlines(keepends=True)
    head = tmp_path / "catalogue" / "imdb5000_movie_metadata.csv"
    head.parent.mkdir()
    head.write_text("".join(lines[:CATALOGUE_ROWS + 1]), encoding="utf-8")
    return [*sorted(SAMPLES.iterdir()), seed, head]


def same_value(term: Node) -> Node:
    """Servers may write a number's canonical form ("4.0"^^xsd:decimal as "4", true as 1): compare values."""
    if isinstance(term, Literal) and term.datatype in NUMERIC:
        value = term.toPython()
        return Literal(str(Decimal(str(float(value))).normalize()), datatype=term.datatype)
    return term


def normalised(triples: object) -> Graph:
    graph = Graph()
    for s, p, o in triples:  # type: ignore[attr-defined]
        graph.add((s, p, same_value(o)))
    return graph


def graphs_of(store: Store) -> dict[URIRef, Graph]:
    graphs: dict[URIRef, Graph] = {}
    for s, p, o, g in store.quads():
        graphs.setdefault(g, Graph()).add((s, p, same_value(o)))
    return graphs


def ingest_all(store: Store, paths: list[Path]) -> None:
    ingestor = Ingestor(store, Settings(store="memory"), clock=lambda: FIXED_TIME)
    outcomes = list(ingestor.ingest_many(paths))
    refused = [(o.source, o.message) for o in outcomes if o.status == "refused"]
    assert not refused
    assert len(outcomes) == len(paths)


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[Path], dict[URIRef, Graph], Graph]:
    paths = inputs(tmp_path_factory.mktemp("inputs"))
    store = open_store("memory")
    ingest_all(store, paths)
    view = store.query("CONSTRUCT WHERE { ?s ?p ?o }")
    assert isinstance(view, Graph)
    return paths, graphs_of(store), view


def test_every_write_gives_the_same_triples_on_every_backend(
        any_store: Store, reference: tuple[list[Path], dict[URIRef, Graph], Graph]) -> None:
    paths, expected, expected_view = reference
    catalogue = max(expected.values(), key=len)
    assert len(catalogue) > BULK_THRESHOLD  # the catalogue goes through the bulk path (a Graph Store PUT)
    durations = [o for g in expected.values() for o in g.objects(None, URIRef("http://schema.org/duration"))]
    assert len(durations) > CATALOGUE_ROWS / 2
    assert all(isinstance(o, Literal) and o.datatype == XSD.duration for o in durations)

    ingest_all(any_store, paths)
    got = graphs_of(any_store)
    assert sorted(got) == sorted(expected)
    for name, graph in expected.items():
        difference = set(to_isomorphic(got[name])) ^ set(to_isomorphic(graph))
        assert isomorphic(got[name], graph), f"{name}: {sorted(difference)[:10]}"
    view = any_store.query("CONSTRUCT WHERE { ?s ?p ?o }")
    assert isinstance(view, Graph)
    assert isomorphic(normalised(view), normalised(expected_view))


def test_a_stored_hash_is_found_on_every_backend_and_none_before(any_store: Store, tmp_path: Path) -> None:
    """The embedded store answers "no such graph" from its graph names, the others by query: same answers."""
    from filmgraph.extract.source import file_digest

    sample = sorted(p for p in SAMPLES.iterdir() if p.suffix == ".txt")[0]
    ingestor = Ingestor(any_store, Settings(store="memory"), clock=lambda: FIXED_TIME)
    review = ingestor.review_iri(sample)
    assert ingestor.stored_hash(review) is None
    assert ingestor.ingest(sample).status == "ingested"
    assert ingestor.stored_hash(review) == (sample.resolve().as_uri(), file_digest(sample))
    assert ingestor.stored_hash(URIRef(f"{review}-other")) is None
    assert ingestor.ingest(sample).status == "unchanged"
