"""Parameters are bound as RDF terms: hostile values cannot change a query's shape."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rdflib import Graph, Literal, URIRef

from filmgraph.errors import QueryError
from filmgraph.store import SelectResult, Store
from filmgraph.store.sparql_text import bind

EX = "http://example.org/"


@pytest.fixture
def titled(store: Store) -> Store:
    store.replace_graph(URIRef(EX + "g"), [
        (URIRef(EX + "a"), URIRef(EX + "title"), Literal("Oldboy")),
        (URIRef(EX + "b"), URIRef(EX + "title"), Literal('Quote " } # SELECT')),
    ])
    return store


QUERY = f"SELECT ?film WHERE {{ ?film <{EX}title> ?title }} ORDER BY ?film"


@pytest.mark.parametrize("hostile", [
    '" } ?s ?p ?o . { "', "Oldboy\" . ?x ?y ?z #", "}", "#", "UNION { ?a ?b ?c }", "x" * 10_000,
    "발레리나\u2011\u0000", "\\\"", "'''", '"""',
])
def test_hostile_titles_match_nothing_or_only_themselves(titled: Store, hostile: str) -> None:
    result = titled.query(QUERY, {"title": Literal(hostile)})
    assert isinstance(result, SelectResult)
    assert result.rows == []


def test_a_title_with_sparql_syntax_is_found_literally(titled: Store) -> None:
    result = titled.query(QUERY, {"title": Literal('Quote " } # SELECT')})
    assert isinstance(result, SelectResult)
    assert [str(r["film"]) for r in result] == [EX + "b"]


def test_several_values_bind_one_variable(titled: Store) -> None:
    result = titled.query(QUERY, {"title": [Literal("Oldboy"), Literal('Quote " } # SELECT')]})
    assert isinstance(result, SelectResult)
    assert len(result) == 2


def test_binding_happens_before_limit_and_aggregates(titled: Store) -> None:
    q = f"SELECT (COUNT(?film) AS ?n) WHERE {{ ?film <{EX}title> ?title }}"
    result = titled.query(q, {"title": Literal("Oldboy")})
    assert isinstance(result, SelectResult)
    assert int(result.rows[0]["n"]) == 1


def test_construct_binds_in_its_where_group(titled: Store) -> None:
    q = f"CONSTRUCT {{ ?film a <{EX}Film> }} WHERE {{ ?film <{EX}title> ?title }}"
    graph = titled.query(q, {"title": Literal("Oldboy")})
    assert isinstance(graph, Graph)
    assert set(graph) == {(URIRef(EX + "a"), URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
                           URIRef(EX + "Film"))}


@pytest.mark.parametrize("bad_iri", ["http://e/> } <x", "http://e/a b", 'http://e/"'])
def test_iris_that_could_escape_are_refused(bad_iri: str) -> None:
    with pytest.raises(QueryError):
        bind(QUERY, {"film": URIRef(bad_iri)})


@pytest.mark.parametrize("bad_name", ["a b", "x}", "1abc", ""])
def test_variable_names_are_checked(bad_name: str) -> None:
    with pytest.raises(QueryError):
        bind(QUERY, {bad_name: Literal("x")})


def test_braces_inside_strings_iris_and_comments_are_skipped() -> None:
    q = '# { comment\nSELECT ?s WHERE { ?s <http://e/p{> "}{" }'
    bound = bind(q, {"s": URIRef("http://e/x")})
    assert bound.index("VALUES") > bound.index("WHERE")


@given(st.text(max_size=200))
def test_any_text_binds_to_a_query_that_parses_and_finds_nothing(text: str) -> None:
    from filmgraph.store import open_store

    store = open_store("memory")
    result = store.query(QUERY, {"title": Literal(text)})
    assert isinstance(result, SelectResult) and result.rows == []
