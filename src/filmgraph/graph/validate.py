"""SHACL validation of one review's graph against `ontology/shapes.ttl`, with a report a person can act on.

Validate the review's own small graph (its named graph: the review, its rating, the nodes it describes and
the type and name of every node it links to), not the whole store: pyshacl's cost grows with the data
graph, and `focus_nodes` on a big graph misses errors in nested `sh:node` shapes. Triples the store already
holds about linked nodes (their `rdf:type`, say) can be passed as `context`: they take part in `sh:class`
checks, but only nodes that are subjects in `data` are reported on.

No inference is run: every node states its `rdf:type`.

Two engines run the same shapes: pySHACL, the reference, and pyshacl-turbo (a Rust engine with pySHACL's
API), 5-10x faster on our graphs. `engine()` picks turbo when it is installed, unless the `shacl_engine`
setting (FILMGRAPH_SHACL_ENGINE) names one; tests/test_validate_engines.py runs both on every shape's
passing and failing cases and requires the same violations, so reports do not depend on the engine.
"""

from __future__ import annotations

import functools
import logging
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import NamespaceManager
from rdflib.query import Result
from rdflib.term import Node

from filmgraph.config import Settings
from filmgraph.errors import ValidationFailed
from filmgraph.graph.triples import Triples
from filmgraph.resources import ontology_dir
from filmgraph.vocab import DEFAULT_BASE, FG, RDF, SCHEMA, SKOS, IriMinter, bind_prefixes

if TYPE_CHECKING:
    from pyshacl.shapes_graph import ShapesGraph

__all__ = [
    "ENGINES",
    "ValidationOutcome",
    "Violation",
    "check",
    "engine",
    "ntriples_conform",
    "shapes_graph",
    "turbo_available",
    "validate_graph",
]

log = logging.getLogger(__name__)

SH = "http://www.w3.org/ns/shacl#"
_SH_RESULT = URIRef(SH + "ValidationResult")
_SH_FOCUS = URIRef(SH + "focusNode")
_SH_PATH = URIRef(SH + "resultPath")
_SH_VALUE = URIRef(SH + "value")
_SH_COMPONENT = URIRef(SH + "sourceConstraintComponent")
_SH_SEVERITY = URIRef(SH + "resultSeverity")
_SH_MESSAGE = URIRef(SH + "resultMessage")
_SH_SOURCE_SHAPE = URIRef(SH + "sourceShape")

_OPTIONS: dict[str, Any] = {
    "inference": "none",
    "inplace": True,  # the graph we validate is our own private copy
    "allow_warnings": True,  # warnings are reported but do not refuse the data
    "advanced": False,  # sh:sparql constraints are core SHACL; SHACL-AF is not needed
    "abort_on_first": False,
}

#: The word a report uses for a node of each class.
_KIND_OF_CLASS: dict[Node, str] = {
    SCHEMA.Movie: "film",
    SCHEMA.Person: "person",
    FG.Character: "character",
    SCHEMA.MovieSeries: "series",
    SCHEMA.Organization: "organisation",
    SCHEMA.Review: "review",
    SCHEMA.Rating: "rating",
    SKOS.Concept: "genre",
    SCHEMA.Country: "country",
}

# pyshacl shares shape objects between runs; validations take turns (they are CPU-bound anyway).
_LOCK = threading.Lock()

ENGINES = ("auto", "turbo", "pyshacl")


@functools.cache
def turbo_available() -> bool:
    """Is pyshacl-turbo installed (and importable on this platform)?"""
    try:
        import pyshacl_turbo  # noqa: F401
    except ImportError:
        return False
    return True


def engine(name: str | None = None) -> str:
    """The engine a validation uses: `name`, else the `shacl_engine` setting; 'auto' is turbo when installed."""
    wanted = name or _configured_engine()
    if wanted not in ENGINES:
        raise ValueError(f"unknown SHACL engine {wanted!r}; choose one of {', '.join(ENGINES)}")
    if wanted == "auto":
        return "turbo" if turbo_available() else "pyshacl"
    if wanted == "turbo" and not turbo_available():
        raise ValueError("the SHACL engine 'turbo' needs pyshacl-turbo (pip install pyshacl-turbo)")
    return wanted


@functools.cache
def _configured_engine() -> str:
    return Settings.from_env().shacl_engine


@dataclass(frozen=True)
class Violation:
    """One SHACL validation result, in terms of the data."""

    focus_node: Node
    path: Node | None
    value: Node | None
    component: str  # short name of the constraint component: "sh:pattern", "sh:minCount", "sh:sparql" ...
    severity: str  # "Violation", "Warning" or "Info"
    message: str
    source_shape: Node

    @property
    def is_violation(self) -> bool:
        return self.severity == "Violation"


@dataclass
class ValidationOutcome:
    """What validation found: `conforms` is False when any result has severity Violation."""

    conforms: bool
    violations: list[Violation] = field(default_factory=list)
    text: str = ""
    source: str = ""
    seconds: float = 0.0


@functools.cache
def shapes_graph() -> Graph:
    """The shapes an input is checked against, parsed once and shared: do not modify it.

    `ontology/shapes.ttl` (what the union of all sources conforms to) and `ontology/shapes-per-source.ttl`
    (what holds within one source only, such as one release date per film).
    """
    graph = Graph(store="SimpleMemory")  # no context bookkeeping: pyshacl reads the shapes a lot
    bind_prefixes(graph)
    for name in ("shapes.ttl", "shapes-per-source.ttl"):
        graph.parse(ontology_dir() / name, format="turtle")
    return graph


@functools.cache
def _fast_constraint_lookup() -> None:
    """Let pyshacl find constraint parameters in a set rather than a list.

    For every shape it checks, pyshacl tests each predicate of the shape for membership in its list of
    constraint parameters; with rdflib's term comparison that list scan was a quarter of the time of
    validating one review. pyshacl reads the pair from `pyshacl.shape.CONSTRAINT_PARAMS` when it is set; the
    set holds the same parameters, so the checks and their order (taken from the shapes graph) are unchanged.
    """
    from pyshacl import shape
    from pyshacl.constraints import ALL_CONSTRAINT_PARAMETERS, CONSTRAINT_PARAMETERS_MAP

    if not _OPTIONS["advanced"]:  # with SHACL-AF pyshacl copies the list and appends to it
        shape.CONSTRAINT_PARAMS = (frozenset(ALL_CONSTRAINT_PARAMETERS), CONSTRAINT_PARAMETERS_MAP)  # type: ignore[attr-defined]


@functools.cache
def _compiled_shapes() -> ShapesGraph:
    """pyshacl's view of the shapes, harvested once and reused by every validation."""
    from pyshacl.shapes_graph import ShapesGraph  # pyshacl and rdflib's SPARQL engine load when first used

    _fast_constraint_lookup()
    shapes = ShapesGraph(shapes_graph())
    _ = shapes.shapes  # harvest now, not during the first validation
    return shapes


@functools.cache
def _turbo_program() -> Any:
    """pyshacl-turbo's compiled shapes, built once and reused by every validation (it is thread-safe)."""
    import pyshacl_turbo

    # the shapes without prefix bindings: turbo binds each of the shapes graph's prefixes into every report
    # it returns (40 binds, 40% of validating one review); reports are worded here, not by turbo, and the
    # SPARQL constraints declare their own prefixes (sh:prefixes)
    bare = Graph(bind_namespaces="none")
    for triple in shapes_graph():
        bare.add(triple)
    return pyshacl_turbo.compile_shapes(bare)


@functools.lru_cache(maxsize=256)
def _prepared(query: str) -> Any:
    from rdflib.plugins.sparql import prepareQuery

    return prepareQuery(query)


class _PreparedQueryGraph(Graph):
    """A graph that parses each distinct SPARQL text once.

    pyshacl sends the same `sh:sparql` query text for every focus node; parsing it dominated the time of
    validating a small graph (about 90 of 100 ms). rdflib runs a prepared query with the same bindings.
    """

    def query(self, query_object: Any, *args: Any, **kwargs: Any) -> Result:
        if isinstance(query_object, str):
            query_object = _prepared(query_object)
        return super().query(query_object, *args, **kwargs)


@functools.cache
def _namespaces() -> NamespaceManager:
    graph = Graph(bind_namespaces="core")
    bind_prefixes(graph)
    return graph.namespace_manager


def validate_graph(
    data: Graph | Triples,
    *,
    source: str,
    context: Graph | None = None,
    base: str = DEFAULT_BASE,
    engine_name: str | None = None,
) -> ValidationOutcome:
    """Validate `data` (one review's graph) against the shapes, without inference.

    `context` triples (e.g. the `rdf:type` of linked nodes, as the store holds them) are merged in for the
    checks, but only nodes that are subjects in `data` are reported on. `source` names the input in the
    report ("review 000-e60a94f7ba5846fc", a file path). `engine_name` overrides `engine()`'s choice.
    `Triples` go to turbo as N-Triples text; an rdflib graph of them is built only to word a report.
    """
    started = time.perf_counter()
    use = engine(engine_name)
    merged: Graph | Triples
    if use == "turbo" and context is None and isinstance(data, Triples) and not data.has_blank_nodes:
        merged = data
        report = _run_turbo(_text_input(data))
    else:
        graph = data.graph() if isinstance(data, Triples) else data
        if use == "turbo" and context is None and type(graph) is Graph:
            merged = graph  # turbo copies its input: no private copy needed
        else:
            merged = _PreparedQueryGraph(bind_namespaces="none")
            for triple in graph.triples((None, None, None)):  # a Dataset gives its default (or union) graph
                merged.add(triple)
            if context is not None:
                for triple in context.triples((None, None, None)):
                    merged.add(triple)
        report = _run_turbo(merged) if use == "turbo" else _run_pyshacl(merged)
    subjects = {s for s, _, _ in _triples_of(data)}
    violations = sorted(
        {v for v in _read_report(report) if isinstance(v.focus_node, BNode) or v.focus_node in subjects},
        key=_sort_key,
    )
    text = _render(violations, source=source, data=_graph_of(merged), base=base) if violations else ""
    seconds = time.perf_counter() - started
    log.debug("validated %s (%d triples) in %.1f ms: %d results", source, len(merged), seconds * 1000,
              len(violations))
    return ValidationOutcome(
        conforms=not any(v.is_violation for v in violations),
        violations=violations,
        text=text,
        source=source,
        seconds=seconds,
    )


def ntriples_conform(text: str, *, engine_name: str | None = None) -> bool:
    """Does N-Triples `text` (no blank nodes, no context) have no result of severity Violation?

    The quick verdict of a bulk source's chunk, given as text to a worker process: it reports on every focus
    node, where `check` reports only on the data's subjects, so it is never more lenient. A chunk it refuses
    goes through `check` on its triples, which words the report (or, for a focus node outside the data,
    passes it).
    """
    if engine(engine_name) == "turbo":
        from pyshacl_turbo.rdf import Input

        report = _run_turbo(Input(text, "nt", None, {}, {}))
    else:
        graph = _PreparedQueryGraph(bind_namespaces="none")
        graph.parse(data=text, format="nt")
        report = _run_pyshacl(graph)
    return not any(v.is_violation for v in _read_report(report))


def _triples_of(data: Graph | Triples) -> Iterable[tuple[Node, Node, Node]]:
    return data if isinstance(data, Triples) else data.triples((None, None, None))


def _graph_of(data: Graph | Triples) -> Graph:
    return data.graph() if isinstance(data, Triples) else data


def _text_input(data: Triples) -> Any:
    """Triples as pyshacl-turbo's input: N-Triples text, which its Rust parser reads (turbo's own conversion
    of an rdflib graph walks every triple in Python)."""
    from pyshacl_turbo.rdf import Input

    return Input(data.ntriples(), "nt", None, {}, {})


def _run_pyshacl(merged: Graph) -> Graph:
    from pyshacl import Validator
    from pyshacl.graph_abstraction import DataGraph

    shapes = _compiled_shapes()
    with _LOCK:
        validator = Validator(DataGraph.from_rdflib(merged), shacl_graph=Graph(bind_namespaces="none"),
                              options=dict(_OPTIONS))
        validator.shacl_graph = shapes  # reuse the harvested shapes instead of re-reading them per call
        _conforms, report, _text = validator.run()
    return report


def _run_turbo(merged: Any) -> Graph:
    _conforms, report, _text = _turbo_program().validate(
        merged, inference="none", allow_warnings=_OPTIONS["allow_warnings"], abort_on_first=_OPTIONS["abort_on_first"])
    if not isinstance(report, Graph):  # a failure of the engine itself, not of the data
        raise RuntimeError(f"pyshacl-turbo could not validate: {report}")
    return report


def check(data: Graph | Triples, *, source: str, context: Graph | None = None, base: str = DEFAULT_BASE,
          engine_name: str | None = None) -> None:
    """Raise `ValidationFailed` (with the report) unless `data` conforms to the shapes."""
    outcome = validate_graph(data, source=source, context=context, base=base, engine_name=engine_name)
    if outcome.conforms:
        return
    errors = [v for v in outcome.violations if v.is_violation]
    noun = "violation" if len(errors) == 1 else "violations"
    first = _describe(errors[0], data=_graph_of(data), base=base)
    raise ValidationFailed(
        f"does not conform to the filmgraph shapes ({len(errors)} {noun}; first: {first}); "
        "nothing was written",
        source=source,
        report=outcome.text,
    )


def _read_report(report: Graph) -> list[Violation]:
    found = []
    for result in report.subjects(RDF.type, _SH_RESULT):
        focus = report.value(result, _SH_FOCUS)
        if focus is None:
            continue
        component = report.value(result, _SH_COMPONENT)
        severity = report.value(result, _SH_SEVERITY)
        messages = [m for m in report.objects(result, _SH_MESSAGE) if isinstance(m, Literal)]
        english = [m for m in messages if m.language in (None, "en")]
        found.append(
            Violation(
                focus_node=focus,
                path=report.value(result, _SH_PATH),
                value=report.value(result, _SH_VALUE),
                component=_component_name(component),
                severity=str(severity).rpartition("#")[2] if severity is not None else "Violation",
                message=str(sorted(english or messages)[0]) if messages else "does not conform",
                source_shape=report.value(result, _SH_SOURCE_SHAPE) or BNode(),
            )
        )
    return found


def _component_name(component: Node | None) -> str:
    if component is None:
        return "sh:constraint"
    local = str(component).rpartition("#")[2].removesuffix("ConstraintComponent")
    if local.upper() == "SPARQL":
        return "sh:sparql"
    return "sh:" + local[:1].lower() + local[1:]


def _sort_key(v: Violation) -> tuple[str, ...]:
    return (str(v.focus_node), str(v.path or ""), v.component, str(v.value or ""), v.message, v.severity)


def _render(violations: list[Violation], *, source: str, data: Graph, base: str) -> str:
    lines = {f"{source}: {_describe(v, data=data, base=base)}" for v in violations}
    return "\n".join(sorted(lines))


def _describe(v: Violation, *, data: Graph, base: str) -> str:
    """`film <film/x> schema:duration "-PT5M"^^xsd:duration: must be a positive xsd:duration (sh:pattern)`"""
    parts = [f"{_kind(v.focus_node, data, base)} {_term(v.focus_node, base)}"]
    if v.path is not None:
        parts.append(_term(v.path, base))
    if v.value is not None:
        parts.append(_term(v.value, base))
    level = "" if v.is_violation else f"{v.severity.lower()}: "
    return f"{' '.join(parts)}: {level}{v.message} ({v.component})"


def _kind(node: Node, data: Graph, base: str) -> str:
    for cls in sorted(data.objects(node, RDF.type), key=str):
        if cls in _KIND_OF_CLASS:
            return _KIND_OF_CLASS[cls]
    split = IriMinter(base).split(str(node)) if isinstance(node, URIRef) else None
    return split[0] if split else "node"


def _term(term: Node, base: str) -> str:
    """A node as a reader wants it: `<film/ballerina-2023>`, `schema:duration`, `"-PT5M"^^xsd:duration`."""
    if isinstance(term, URIRef):
        iri = str(term)
        if iri.startswith(base):
            return f"<{iri[len(base):]}>"
        return term.n3(_namespaces())
    if isinstance(term, Literal):
        return term.n3(_namespaces())
    if isinstance(term, BNode):
        return "[]"
    return str(term)
