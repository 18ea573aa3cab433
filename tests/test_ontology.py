"""The ontology and the shapes: they parse, our terms are declared and documented, schema.org terms exist."""

from __future__ import annotations

import pyshacl
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS

from filmgraph.resources import ontology_dir
from filmgraph.vocab import FG, SCHEMA
from schema_vocab import schema_terms_missing, schema_terms_used

SH = "http://www.w3.org/ns/shacl#"
SH_PATH = URIRef(SH + "path")
SH_NAME = URIRef(SH + "name")
SH_MESSAGE = URIRef(SH + "message")
SH_SPARQL = URIRef(SH + "sparql")
SH_TARGET_CLASS = URIRef(SH + "targetClass")
SKOS_CONCEPT = URIRef("http://www.w3.org/2004/02/skos/core#Concept")


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return Graph().parse(ontology_dir() / "filmgraph.ttl", format="turtle")


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return Graph().parse(ontology_dir() / "shapes.ttl", format="turtle")


def fg_terms(graph: Graph) -> set[URIRef]:
    return {t for triple in graph for t in triple if isinstance(t, URIRef) and str(t).startswith(str(FG))}


def english(graph: Graph, subject: URIRef, predicate: URIRef) -> list[Literal]:
    return [o for o in graph.objects(subject, predicate)
            if isinstance(o, Literal) and o.language == "en" and str(o).strip()]


def test_ontology_is_an_owl_ontology(ontology: Graph) -> None:
    onto = URIRef("https://w3id.org/filmgraph/ontology")
    assert (onto, RDF.type, OWL.Ontology) in ontology
    assert english(ontology, onto, RDFS.label) and english(ontology, onto, RDFS.comment)


def test_every_fg_term_has_english_label_and_comment(ontology: Graph) -> None:
    terms = fg_terms(ontology)
    assert {FG.Character, FG.portrayedBy, FG.namesakeOf, FG.tagline, FG.matchKey, FG.contentHash,
            FG.characterIn} <= terms
    for term in terms:
        assert set(ontology.objects(term, RDF.type)), f"{term} is not declared"
        assert english(ontology, term, RDFS.label), f"{term} has no English rdfs:label"
        assert english(ontology, term, RDFS.comment), f"{term} has no English rdfs:comment"


def test_every_fg_term_in_shapes_is_declared(ontology: Graph, shapes: Graph) -> None:
    undeclared = {t for t in fg_terms(shapes) if not set(ontology.objects(t, RDF.type))}
    assert not undeclared, f"used in shapes.ttl but not declared in filmgraph.ttl: {sorted(undeclared)}"


def test_modelling_decisions(ontology: Graph) -> None:
    # a character is fictional: a schema:Thing, explicitly not a schema:Person
    assert (FG.Character, RDFS.subClassOf, SCHEMA.Thing) in ontology
    assert (FG.Character, RDFS.subClassOf, SCHEMA.Person) not in ontology
    assert (FG.Character, OWL.disjointWith, SCHEMA.Person) in ontology
    assert (FG.Character, OWL.equivalentClass, URIRef("http://www.wikidata.org/entity/Q95074")) in ontology
    assert (FG.namesakeOf, RDF.type, OWL.SymmetricProperty) in ontology
    assert (FG.namesakeOf, RDFS.domain, SCHEMA.Movie) in ontology
    assert (FG.portrayedBy, RDFS.range, SCHEMA.Person) in ontology
    assert (FG.characterIn, OWL.inverseOf, SCHEMA.character) in ontology
    for datatype_property in (FG.matchKey, FG.contentHash, FG.tagline):
        assert (datatype_property, RDF.type, OWL.DatatypeProperty) in ontology


def test_schema_terms_exist_in_schema_org(ontology: Graph, shapes: Graph) -> None:
    assert schema_terms_missing(ontology) == set()
    assert schema_terms_missing(shapes) == set()


def test_schema_terms_helper_catches_a_made_up_term() -> None:
    graph = Graph()
    graph.add((URIRef("urn:x"), SCHEMA.runtimeMinutes, Literal(93)))
    graph.add((URIRef("urn:x"), RDF.type, SCHEMA.Movie))
    assert schema_terms_used(graph) == {"runtimeMinutes", "Movie"}
    assert schema_terms_missing(graph) == {"runtimeMinutes"}


def test_every_property_shape_has_a_name_and_a_message(shapes: Graph) -> None:
    for shape in set(shapes.subjects(SH_PATH, None)):
        path = shapes.value(shape, SH_PATH)
        assert list(shapes.objects(shape, SH_NAME)), f"property shape on {path} has no sh:name"
        assert list(shapes.objects(shape, SH_MESSAGE)), f"property shape on {path} has no sh:message"
    for constraint in shapes.objects(None, SH_SPARQL):
        assert list(shapes.objects(constraint, SH_MESSAGE)), "a sh:sparql constraint has no sh:message"
        assert list(shapes.objects(constraint, SH_NAME)), "a sh:sparql constraint has no sh:name"


def test_shapes_target_the_contract_classes(shapes: Graph) -> None:
    targets = set(shapes.objects(None, SH_TARGET_CLASS))
    assert {SCHEMA.Movie, SCHEMA.Person, FG.Character, SCHEMA.MovieSeries, SCHEMA.Review, SCHEMA.Rating,
            SCHEMA.Organization, SCHEMA.Country, SKOS_CONCEPT} <= targets


def test_shapes_are_well_formed_shacl(shapes: Graph) -> None:
    # pySHACL's meta-validation checks the shapes graph against the SHACL-for-SHACL shapes.
    conforms, _graph, text = pyshacl.validate(Graph(), shacl_graph=shapes, meta_shacl=True)
    assert conforms, text
