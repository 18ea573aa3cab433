"""pySHACL is the reference: pyshacl-turbo must report the same violations, word for word, on every shape's
passing and failing cases (the broken variants of tests/test_validate.py, a bare node of every shape's
class, rating scales, the golden graphs, a catalogue chunk and a ratings chunk)."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import RDF

from filmgraph.graph import validate
from filmgraph.graph.triples import Triples
from filmgraph.graph.validate import ValidationOutcome, ntriples_conform, shapes_graph, validate_graph
from filmgraph.vocab import DEFAULT_BASE
from test_validate import BROKEN, rating_graph, valid_graph

pytestmark = pytest.mark.skipif(not validate.turbo_available(), reason="pyshacl-turbo is not installed")

SH = "http://www.w3.org/ns/shacl#"
GOLDEN = Path(__file__).parent / "golden"
GRAPHS = Path(__file__).parent / "data" / "graph"


def target_classes() -> dict[URIRef, URIRef]:
    """Node shape -> the class it targets."""
    shapes = shapes_graph()
    return {URIRef(str(s)): URIRef(str(c)) for s, c in shapes.subject_objects(URIRef(SH + "targetClass"))}


def failing_cases() -> Iterator[tuple[str, Graph]]:
    for name, (breaker, *_rest) in sorted(BROKEN.items()):
        graph = valid_graph()
        breaker(graph)
        yield name, graph
    everything = valid_graph()
    for breaker, *_rest in BROKEN.values():
        breaker(everything)
    yield "every break at once", everything
    for shape, cls in sorted(target_classes().items()):
        bare = Graph()
        bare.add((URIRef(DEFAULT_BASE + "thing/bare"), RDF.type, cls))
        yield f"bare {shape.rsplit('#', 1)[-1]}", bare


def passing_cases() -> Iterator[tuple[str, Graph]]:
    yield "valid review", valid_graph()
    for expected in sorted(GOLDEN.glob("*/expected.ttl")):
        yield f"golden {expected.parent.name}", Graph().parse(expected, format="turtle")
    for path in sorted(GRAPHS.glob("*.trig")):
        whole = Dataset()
        whole.parse(path, format="trig")
        graph = Graph()
        for s, p, o, _g in whole.quads((None, None, None, None)):
            graph.add((s, p, o))
        yield f"graph {path.name}", graph


def rating_cases() -> Iterator[tuple[str, Graph]]:
    values = [Decimal(n) / 2 for n in (-2, 0, 1, 7, 10, 14)]
    for value in values:
        for best in (None, Decimal(5), Decimal(10)):
            for worst in (None, Decimal(0), Decimal("0.5"), Decimal(6)):
                yield f"rating {value} of {worst}-{best}", rating_graph(value, best, worst)


def keys(outcome: ValidationOutcome) -> set[tuple[str, ...]]:
    return {(str(v.focus_node), str(v.path), repr(v.value), v.component, v.severity, v.message)
            for v in outcome.violations}


def same_report(name: str, graph: Graph) -> ValidationOutcome:
    reference = validate_graph(graph, source=name, engine_name="pyshacl")
    turbo = validate_graph(graph, source=name, engine_name="turbo")
    assert keys(turbo) == keys(reference), f"{name}: the engines disagree"
    assert turbo.text == reference.text
    assert turbo.conforms == reference.conforms
    return reference


@pytest.mark.parametrize("name, graph", list(failing_cases()), ids=lambda v: v if isinstance(v, str) else "")
def test_turbo_fails_what_pyshacl_fails_with_the_same_report(name: str, graph: Graph) -> None:
    outcome = same_report(name, graph)
    assert not outcome.conforms, f"{name}: expected a violation"


@pytest.mark.parametrize("name, graph", list(passing_cases()), ids=lambda v: v if isinstance(v, str) else "")
def test_turbo_passes_what_pyshacl_passes(name: str, graph: Graph) -> None:
    same_report(name, graph)


def test_rating_scales_agree() -> None:
    verdicts = {same_report(name, graph).conforms for name, graph in rating_cases()}
    assert verdicts == {True, False}


def test_a_warning_is_the_same_warning() -> None:
    graph = valid_graph()
    film = next(graph.subjects(RDF.type, URIRef("http://schema.org/Movie")))
    graph.add((film, URIRef("http://schema.org/name"), Literal("Ballerina (2023)")))
    outcome = same_report("warning", graph)
    assert outcome.conforms and [v.severity for v in outcome.violations] == ["Warning"]


def test_every_shape_has_a_failing_case_that_names_it() -> None:
    """The failing cases reach every node shape's class: each engine refuses a node of each."""
    failed_classes: set[URIRef] = set()
    for _name, graph in failing_cases():
        for v in validate_graph(graph, source="x", engine_name="turbo").violations:
            failed_classes |= {URIRef(str(c)) for c in graph.objects(v.focus_node, RDF.type)}
    assert set(target_classes().values()) <= failed_classes


def test_the_engine_is_chosen_by_the_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    assert validate.engine("pyshacl") == "pyshacl"
    assert validate.engine("turbo") == "turbo"
    assert validate.engine("auto") == "turbo"
    with pytest.raises(ValueError, match="unknown SHACL engine"):
        validate.engine("fast")
    monkeypatch.setattr(validate, "turbo_available", lambda: False)
    assert validate.engine("auto") == "pyshacl"  # the fallback where turbo is not installed
    with pytest.raises(ValueError, match="needs pyshacl-turbo"):
        validate.engine("turbo")


def test_the_graphs_an_ingest_validates_get_the_same_reports(monkeypatch: pytest.MonkeyPatch) -> None:
    """Sample reviews, a catalogue's chunks and a ratings chunk, as the pipeline builds them."""
    from filmgraph.ingest import Ingestor
    from filmgraph.ingest import ratings as ratings_module
    from filmgraph.store import open_store

    seen: list[Graph] = []
    original = validate.check

    def recording(data: Graph, **kwargs: object) -> None:
        copy = Graph()
        for triple in data:
            copy.add(triple)
        seen.append(copy)
        original(data, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(validate, "check", recording)
    monkeypatch.setattr(ratings_module, "_default_workers", lambda: 1)
    repo = Path(__file__).resolve().parents[1]
    inputs = [*sorted((repo / "data" / "samples").glob("*.txt")),
              Path(__file__).parent / "data" / "readers" / "imdb5000_small.csv",
              Path(__file__).parent / "data" / "movielens"]
    outcomes = list(Ingestor(open_store("memory")).ingest_many(inputs))
    assert all(o.status == "ingested" for o in outcomes), [o.message for o in outcomes]
    assert len(seen) > len(inputs)
    for n, graph in enumerate(seen):
        assert same_report(f"graph {n}", graph).conforms


def _as_triples(graph: Graph) -> Triples:
    triples = Triples()
    for triple in graph:
        triples.add(triple)
    return triples


@pytest.mark.parametrize("name, graph", [*failing_cases(), *passing_cases()],
                         ids=lambda v: v if isinstance(v, str) else "")
def test_triples_read_as_text_get_the_reports_their_graph_gets(name: str, graph: Graph) -> None:
    """The pipeline hands turbo a review's `Triples` as N-Triples text: the same report as pySHACL's."""
    reference = validate_graph(graph, source=name, engine_name="pyshacl")
    for engine_name in ("turbo", "pyshacl"):
        outcome = validate_graph(_as_triples(graph), source=name, engine_name=engine_name)
        assert (keys(outcome), outcome.text, outcome.conforms) == (keys(reference), reference.text,
                                                                   reference.conforms), engine_name


@pytest.mark.parametrize("name, graph", [*failing_cases(), *passing_cases()],
                         ids=lambda v: v if isinstance(v, str) else "")
def test_the_quick_verdict_on_text_is_never_more_lenient(name: str, graph: Graph) -> None:
    """A bulk chunk's verdict (`ntriples_conform`, in a worker) refuses whatever pySHACL's report refuses, with
    either engine; on these cases, whose focus nodes are all subjects, it agrees exactly."""
    triples = _as_triples(graph)
    if triples.has_blank_nodes:
        pytest.skip("bulk chunks have no blank nodes")
    reference = validate_graph(graph, source=name, engine_name="pyshacl")
    for engine_name in ("turbo", "pyshacl"):
        assert ntriples_conform(triples.ntriples(), engine_name=engine_name) == reference.conforms, engine_name
