"""SHACL validation: a valid review graph conforms, each broken variant fails with a report naming the node,
the property and the rule, and validating one review's graph finds what validating everything finds."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, SKOS
from rdflib.term import Node

from filmgraph.errors import ValidationFailed
from filmgraph.graph.validate import ValidationOutcome, Violation, check, shapes_graph, validate_graph
from filmgraph.vocab import DEFAULT_BASE, FG, SCHEMA
from schema_vocab import schema_terms_missing

VALID = Path(__file__).parent / "data" / "valid_review.ttl"
REVIEW_ID = "000-e60a94f7ba5846fc"
# (rdflib.namespace.XSD as a module global makes pytest warn while collecting)
XSD_GYEAR = URIRef("http://www.w3.org/2001/XMLSchema#gYear")
XSD_DURATION = URIRef("http://www.w3.org/2001/XMLSchema#duration")


def iri(relative: str) -> URIRef:
    return URIRef(DEFAULT_BASE + relative)


FILM = iri("film/ballerina-2023")
NAMESAKE = iri("film/ballerina-2025")
REVIEW = iri(f"review/{REVIEW_ID}")
RATING = iri(f"review/{REVIEW_ID}#rating")
CHARACTER = iri("character/ballerina-2023/ok-ju")
ACTOR = iri("person/jeon-jong-seo")
CRITIC = iri("person/jane-critic")
GENRE = iri("genre/action")


def valid_graph() -> Graph:
    return Graph().parse(VALID, format="turtle")


def test_valid_review_conforms() -> None:
    outcome = validate_graph(valid_graph(), source=f"review {REVIEW_ID}")
    assert isinstance(outcome, ValidationOutcome)
    assert outcome.conforms, outcome.text
    assert outcome.violations == []
    assert outcome.text == ""
    check(valid_graph(), source="valid_review.ttl")  # does not raise


def test_valid_review_uses_only_real_schema_terms() -> None:
    assert schema_terms_missing(valid_graph()) == set()


def test_shapes_are_parsed_once() -> None:
    assert shapes_graph() is shapes_graph()


# Each case: how to break the valid graph, and what the report must name: the node (as the report writes it),
# the property, and the rule (constraint component).
Breaker = Callable[[Graph], object]
F = "film <film/ballerina-2023>"
C = "character <character/ballerina-2023/ok-ju>"
P = "person <person/jeon-jong-seo>"


def _remove(s: URIRef, p: URIRef) -> Breaker:
    return lambda g: g.remove((s, p, None))


def _set(s: URIRef, p: URIRef, o: URIRef | Literal) -> Breaker:
    return lambda g: g.set((s, p, o))


def _add(s: URIRef, p: URIRef, o: URIRef | Literal) -> Breaker:
    return lambda g: g.add((s, p, o))


BROKEN: dict[str, tuple[Breaker, str, str, str]] = {
    "film without name": (_remove(FILM, SCHEMA.name), F, "schema:name", "sh:minCount"),
    "empty film name": (_set(FILM, SCHEMA.name, Literal("")), F, "schema:name",
                        "sh:minLength"),
    "datePublished as plain string": (_set(FILM, SCHEMA.datePublished, Literal("2023-10")),
                                      F, "schema:datePublished", "sh:or"),
    "two datePublished": (_add(FILM, SCHEMA.datePublished, Literal("2023", datatype=XSD_GYEAR)),
                          F, "schema:datePublished", "sh:maxCount"),
    "two durations": (_add(FILM, SCHEMA.duration, Literal("PT95M", datatype=XSD_DURATION)),
                      F, "schema:duration", "sh:maxCount"),
    "negative duration": (_set(FILM, SCHEMA.duration, Literal("-PT5M", datatype=XSD_DURATION)),
                          F, 'schema:duration "-PT5M"^^xsd:duration', "sh:pattern"),
    "zero duration": (_set(FILM, SCHEMA.duration, Literal("PT0M", datatype=XSD_DURATION)),
                      F, "schema:duration", "sh:pattern"),
    "duration as string": (_set(FILM, SCHEMA.duration, Literal("93 min")),
                           F, "schema:duration", "sh:datatype"),
    "language not BCP 47": (_set(FILM, SCHEMA.inLanguage, Literal("Korean language")),
                            F, "schema:inLanguage", "sh:pattern"),
    "original title without language": (_set(FILM, SCHEMA.alternateName, Literal("발레리나")),
                                        F, "schema:alternateName", "sh:datatype"),
    "actor that is not a Person": (_set(FILM, SCHEMA.actor, CHARACTER), F,
                                   "schema:actor <character/ballerina-2023/ok-ju>", "sh:class"),
    "genre that is not a Concept": (_set(FILM, SCHEMA.genre, ACTOR), F,
                                    "schema:genre", "sh:class"),
    "namesake of itself": (_add(FILM, FG.namesakeOf, FILM), F,
                           "fg:namesakeOf <film/ballerina-2023>", "sh:sparql"),
    "namesake that is sameAs": (_add(FILM, OWL.sameAs, NAMESAKE), F,
                                "fg:namesakeOf", "sh:disjoint"),
    "rating 7 of 5": (_set(RATING, SCHEMA.ratingValue, Literal(Decimal("7"))),
                      f"rating <review/{REVIEW_ID}#rating>", "schema:ratingValue", "sh:lessThanOrEquals"),
    "rating below worst": (_set(RATING, SCHEMA.ratingValue, Literal(Decimal("-0.5"))),
                           f"rating <review/{REVIEW_ID}#rating>", "schema:worstRating", "sh:lessThanOrEquals"),
    "rating value as string": (_set(RATING, SCHEMA.ratingValue, Literal("3.5")),
                               f"rating <review/{REVIEW_ID}#rating>", "schema:ratingValue", "sh:or"),
    "rating without value": (_remove(RATING, SCHEMA.ratingValue),
                             f"rating <review/{REVIEW_ID}#rating>", "schema:ratingValue", "sh:minCount"),
    "review without itemReviewed": (_remove(REVIEW, SCHEMA.itemReviewed), f"review <review/{REVIEW_ID}>",
                                    "schema:itemReviewed", "sh:minCount"),
    "review of two films": (_add(REVIEW, SCHEMA.itemReviewed, NAMESAKE), f"review <review/{REVIEW_ID}>",
                            "schema:itemReviewed", "sh:maxCount"),
    "publisher not an Organization": (_set(REVIEW, SCHEMA.publisher, CRITIC), f"review <review/{REVIEW_ID}>",
                                      "schema:publisher <person/jane-critic>", "sh:class"),
    "url as a string": (_set(REVIEW, SCHEMA.url, Literal("https://example.org/r")),
                        f"review <review/{REVIEW_ID}>", "schema:url", "sh:nodeKind"),
    "content hash not sha256": (_set(REVIEW, FG.contentHash, Literal("md5:abc")),
                                f"review <review/{REVIEW_ID}>", "fg:contentHash", "sh:pattern"),
    "character without name": (_remove(CHARACTER, SCHEMA.name), C,
                               "schema:name", "sh:minCount"),
    "character with two names": (_add(CHARACTER, SCHEMA.name, Literal("Okju")),
                                 C, "schema:name", "sh:maxCount"),
    "character played by a film": (_set(CHARACTER, FG.portrayedBy, FILM),
                                   C, "fg:portrayedBy", "sh:class"),
    "character that is a Person": (_add(CHARACTER, RDF.type, SCHEMA.Person),
                                   "<character/ballerina-2023/ok-ju>", "", "sh:not"),
    "person sameAs a literal": (_add(ACTOR, SCHEMA.sameAs, Literal("Q20001234")), P,
                                "schema:sameAs", "sh:nodeKind"),
    "genre without label": (_remove(GENRE, SKOS.prefLabel), "genre <genre/action>", "skos:prefLabel",
                            "sh:minCount"),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_broken_variant_fails_with_a_report_naming_node_property_and_rule(case: str) -> None:
    breaker, node, prop, rule = BROKEN[case]
    graph = valid_graph()
    breaker(graph)
    source = f"review {REVIEW_ID}"
    outcome = validate_graph(graph, source=source)
    assert not outcome.conforms, f"{case}: expected a violation"
    lines = outcome.text.splitlines()
    wanted = [ln for ln in lines if ln.startswith(f"{source}: ") and node in ln and prop in ln
              and ln.endswith(f"({rule})")]
    assert wanted, f"{case}: no line names {node!r}, {prop!r} and ({rule}) in:\n{outcome.text}"
    with pytest.raises(ValidationFailed) as raised:
        check(graph, source=source)
    assert raised.value.report == outcome.text
    assert raised.value.source == source
    assert str(raised.value).startswith(f"{source}: does not conform")
    assert raised.value.exit_code == 4


def test_report_lines_are_sorted_and_unique() -> None:
    graph = valid_graph()
    for breaker, *_ in BROKEN.values():
        breaker(graph)
    outcome = validate_graph(graph, source="many")
    lines = outcome.text.splitlines()
    assert lines == sorted(set(lines))
    assert len(lines) >= 15
    assert all(isinstance(v, Violation) and v.component.startswith("sh:") for v in outcome.violations)
    assert {v.severity for v in outcome.violations} <= {"Violation", "Warning", "Info"}


def test_a_second_title_is_a_warning_that_does_not_refuse_the_data() -> None:
    graph = valid_graph()
    graph.add((FILM, SCHEMA.name, Literal("Ballerina (2023)")))
    outcome = validate_graph(graph, source="r")
    assert outcome.conforms
    assert [v.severity for v in outcome.violations] == ["Warning"]
    assert "warning: a film should have one title" in outcome.text
    check(graph, source="r")  # warnings do not raise


# --- one review's graph versus the whole store -----------------------------------------------------------

def review_graph(n: int) -> Graph:
    """A copy of the valid review graph for review n: its own film, review and rating; shared people."""
    text = VALID.read_text(encoding="utf-8")
    text = text.replace("ballerina-2023", f"film-{n}").replace(REVIEW_ID, f"{n:03d}-review")
    return Graph().parse(data=text, format="turtle")


def focus_nodes_of(graph: Graph) -> set[URIRef]:
    return {s for s in graph.subjects() if isinstance(s, URIRef)}


def key(v: Violation) -> tuple[str, str, str, str]:
    return (str(v.focus_node), str(v.path), str(v.value), v.component)


def test_delta_validation_finds_what_full_validation_finds() -> None:
    reviews = [review_graph(n) for n in range(4)]
    broken = reviews[2]
    film = iri("film/film-2")
    rating = iri("review/002-review#rating")
    broken.set((film, SCHEMA.duration, Literal("-PT5M", datatype=XSD_DURATION)))
    broken.set((rating, SCHEMA.ratingValue, Literal(Decimal("7.5"))))
    broken.remove((iri("character/film-2/ok-ju"), SCHEMA.name, None))
    broken.add((film, SCHEMA.actor, iri("genre/action")))

    full = Graph()
    for graph in reviews:
        for triple in graph:
            full.add(triple)
    # The delta leaves out what it links to but does not describe (the namesake film); the store's
    # rdf:type triples for linked nodes come in as context.
    delta = Graph()
    for triple in broken:
        delta.add(triple)
    delta.remove((NAMESAKE, None, None))
    linked = {o for o in delta.objects() if isinstance(o, URIRef)}
    context = Graph()
    for node in linked:
        for t in full.objects(node, RDF.type):
            context.add((node, RDF.type, t))

    whole = validate_graph(full, source="store")
    alone = validate_graph(delta, source="review 002-review", context=context)
    mine = focus_nodes_of(delta)
    expected = {key(v) for v in whole.violations if v.focus_node in mine}
    assert {key(v) for v in alone.violations} == expected
    assert len(expected) >= 5  # pattern, sparql, node (rating), minCount, class
    assert not alone.conforms and not whole.conforms

    # Without the context, the mention of the namesake film cannot be checked and fails sh:class.
    bare = validate_graph(delta, source="review 002-review")
    extra = {key(v) for v in bare.violations} - expected
    assert extra and all(k[3] == "sh:class" for k in extra)


def test_context_nodes_are_not_reported_on() -> None:
    # The store knows only the type of a linked person: that must not make the review fail for the
    # person's missing name.
    graph = valid_graph()
    graph.remove((CRITIC, None, None))
    context = Graph()
    context.add((CRITIC, RDF.type, SCHEMA.Person))
    outcome = validate_graph(graph, source="r", context=context)
    assert outcome.conforms, outcome.text


# --- rating scales --------------------------------------------------------------------------------------

def rating_graph(value: Decimal, best: Decimal | None, worst: Decimal | None) -> Graph:
    graph = Graph()
    graph.add((RATING, RDF.type, SCHEMA.Rating))
    graph.add((RATING, SCHEMA.ratingValue, Literal(value)))
    if best is not None:
        graph.add((RATING, SCHEMA.bestRating, Literal(best)))
    if worst is not None:
        graph.add((RATING, SCHEMA.worstRating, Literal(worst)))
    return graph


halves = st.integers(min_value=-4, max_value=24).map(lambda n: Decimal(n) / 2)


@settings(max_examples=60, deadline=None)
@given(value=halves, best=st.one_of(st.none(), halves), worst=st.one_of(st.none(), halves))
def test_rating_conforms_iff_value_within_scale(value: Decimal, best: Decimal | None,
                                                worst: Decimal | None) -> None:
    # filmgraph states both bounds of a printed scale, and neither when the source printed none
    outcome = validate_graph(rating_graph(value, best, worst), source="rating")
    unscaled = best is None and worst is None
    expected = unscaled or (best is not None and worst is not None and worst <= value <= best and worst < best)
    assert outcome.conforms == expected, outcome.text


def test_rating_numbers_are_decimals() -> None:
    graph = rating_graph(Decimal(3), Decimal(10), Decimal(0))
    assert validate_graph(graph, source="r").conforms
    for other in (Literal(7), Literal(7.5)):  # the builder writes every rating number as xsd:decimal
        graph.set((RATING, SCHEMA.ratingValue, other))
        outcome = validate_graph(graph, source="r")
        assert not outcome.conforms and "sh:or" in outcome.text and "xsd:decimal" in outcome.text


# --- the result objects and speed ------------------------------------------------------------------------

def test_violation_carries_the_terms_of_the_result() -> None:
    graph = valid_graph()
    graph.set((FILM, SCHEMA.duration, Literal("-PT5M", datatype=XSD_DURATION)))
    (violation,) = validate_graph(graph, source="r").violations
    assert violation.focus_node == FILM
    assert violation.path == SCHEMA.duration
    assert violation.value == Literal("-PT5M", datatype=XSD_DURATION)
    assert violation.component == "sh:pattern"
    assert violation.severity == "Violation"
    assert violation.message == "must be a positive xsd:duration"
    assert isinstance(violation.source_shape, Node)
