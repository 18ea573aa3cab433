"""SPARQL results as the W3C result-format specs spell them, from pyoxigraph's serialisers (service/results.py).

The expectations are written from the specs, not from pyoxigraph's output: "SPARQL 1.1 Query Results JSON
Format" (head.vars, results.bindings, type uri/bnode/literal, xml:lang, datatype, unbound variables left out),
"SPARQL Query Results XML Format" (head/variable, results/result/binding with uri, bnode, literal), and
"SPARQL 1.1 Query Results CSV and TSV Formats" (CSV: plain values, blank nodes as _:label, RFC 4180 quoting,
CRLF line ends; TSV: ?-prefixed header, terms in SPARQL/Turtle syntax, LF line ends, the abbreviated forms
for numbers and booleans allowed).
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pyoxigraph as ox
import pytest
from rdflib import BNode, Literal, URIRef

from filmgraph.service.results import (
    TooManyRows,
    serialize_boolean,
    serialize_rows,
    serialize_solutions,
    serialize_triples,
)

EX = "http://example.org/"
INTEGER = "http://www.w3.org/2001/XMLSchema#integer"
RES = "{http://www.w3.org/2005/sparql-results#}"
# One row of every kind of term: an IRI, a blank node, a plain string with the characters each format must
# escape (comma, quote, tab, line break), a language-tagged string, an integer, and an unbound variable.
VARIABLES = ["iri", "blank", "text", "tagged", "number", "unbound"]
ROW = [URIRef(f"{EX}film/oldboy"), BNode("b0"), Literal('say "hi",\tthen\nleave'), Literal("올드보이", lang="ko"),
       Literal(120, datatype=URIRef(INTEGER)), None]
QUERY = f"""SELECT ?iri ?blank ?text ?tagged ?number ?unbound WHERE {{
    <{EX}film/oldboy> <{EX}p> ?blank . ?blank <{EX}text> ?text ; <{EX}tagged> ?tagged ; <{EX}number> ?number .
    BIND(<{EX}film/oldboy> AS ?iri) }}"""


@pytest.fixture
def store() -> ox.Store:
    s = ox.Store()
    film, blank, p = ox.NamedNode(f"{EX}film/oldboy"), ox.BlankNode("b0"), ox.NamedNode
    s.extend([ox.Quad(film, p(f"{EX}p"), blank),
              ox.Quad(blank, p(f"{EX}text"), ox.Literal('say "hi",\tthen\nleave')),
              ox.Quad(blank, p(f"{EX}tagged"), ox.Literal("올드보이", language="ko")),
              ox.Quad(blank, p(f"{EX}number"), ox.Literal("120", datatype=p(INTEGER)))])
    return s


def _select(store: ox.Store, query: str) -> ox.QuerySolutions:
    result = store.query(query)
    assert isinstance(result, ox.QuerySolutions)
    return result


def _both(store: ox.Store, fmt: str) -> tuple[bytes, bytes]:
    """The same results from the embedded path (a pyoxigraph query) and the remote path (rdflib terms)."""
    return serialize_solutions(_select(store, QUERY), fmt, 10), serialize_rows(VARIABLES, [ROW], fmt)


def test_json_as_the_spec_spells_it(store: ox.Store) -> None:
    for body in _both(store, "json"):
        assert json.loads(body) == {
            "head": {"vars": VARIABLES},
            "results": {"bindings": [{
                "iri": {"type": "uri", "value": f"{EX}film/oldboy"},
                "blank": {"type": "bnode", "value": "b0"},
                "text": {"type": "literal", "value": 'say "hi",\tthen\nleave'},
                "tagged": {"type": "literal", "value": "올드보이", "xml:lang": "ko"},
                "number": {"type": "literal", "value": "120", "datatype": INTEGER},
            }]},
        }


def test_xml_as_the_spec_spells_it(store: ox.Store) -> None:
    for body in _both(store, "xml"):
        assert body.startswith(b"<?xml")
        root = ET.fromstring(body)
        assert root.tag == f"{RES}sparql"
        assert [v.get("name") for v in root.iter(f"{RES}variable")] == VARIABLES
        (result,) = root.iter(f"{RES}result")
        bindings = {b.get("name"): b[0] for b in result.iter(f"{RES}binding")}
        assert set(bindings) == set(VARIABLES) - {"unbound"}
        assert (bindings["iri"].tag, bindings["iri"].text) == (f"{RES}uri", f"{EX}film/oldboy")
        assert (bindings["blank"].tag, bindings["blank"].text) == (f"{RES}bnode", "b0")
        assert (bindings["text"].tag, bindings["text"].text) == (f"{RES}literal", 'say "hi",\tthen\nleave')
        assert bindings["tagged"].get("{http://www.w3.org/XML/1998/namespace}lang") == "ko"
        assert bindings["number"].get("datatype") == INTEGER and bindings["number"].text == "120"


def test_csv_as_the_spec_spells_it(store: ox.Store) -> None:
    expected = (b"iri,blank,text,tagged,number,unbound\r\n"
                + f'{EX}film/oldboy,_:b0,"say ""hi"",\tthen\nleave",올드보이,120,\r\n'.encode())
    assert _both(store, "csv") == (expected, expected)


def test_tsv_as_the_spec_spells_it(store: ox.Store) -> None:
    expected = ("?iri\t?blank\t?text\t?tagged\t?number\t?unbound\n"
                f'<{EX}film/oldboy>\t_:b0\t"say \\"hi\\",\\tthen\\nleave"\t"올드보이"@ko\t120\t\n').encode()
    assert _both(store, "tsv") == (expected, expected)


@pytest.mark.parametrize("fmt", ["json", "xml", "csv", "tsv"])
def test_no_rows_keeps_the_header(fmt: str) -> None:
    body = serialize_solutions(_select(ox.Store(), "SELECT ?x WHERE { ?x ?p ?o }"), fmt, 10)
    assert body == serialize_rows(["x"], [], fmt)
    assert {"json": b'"vars":["x"]', "xml": b'<variable name="x"/>', "csv": b"x\r\n", "tsv": b"?x\n"}[fmt] in body


@pytest.mark.parametrize("fmt", ["json", "tsv"])
def test_the_row_limit_counts_rows(fmt: str) -> None:
    store = ox.Store()
    store.extend([ox.Quad(ox.NamedNode(f"{EX}s{i}"), ox.NamedNode(f"{EX}p"), ox.Literal(f"line\n{i}"))
                  for i in range(5)])
    select = "SELECT ?s ?o WHERE { ?s ?p ?o }"
    assert len(json.loads(serialize_solutions(_select(store, select), "json", 5))["results"]["bindings"]) == 5
    with pytest.raises(TooManyRows):
        serialize_solutions(_select(store, select), fmt, 4)


@pytest.mark.parametrize("value", [True, False])
def test_booleans_as_the_specs_spell_them(value: bool) -> None:
    ask = ox.Store().query("ASK {}" if value else "ASK { FILTER(false) }")
    assert isinstance(ask, ox.QueryBoolean)
    for source in (ask, value):
        assert json.loads(serialize_boolean(source, "json")) == {"head": {}, "boolean": value}
        root = ET.fromstring(serialize_boolean(source, "xml"))
        assert root.find(f"{RES}head") is not None
        assert root.find(f"{RES}boolean").text == ("true" if value else "false")  # type: ignore[union-attr]


def test_graphs_use_our_prefixes() -> None:
    triple = ox.Triple(ox.NamedNode(f"{EX}f"), ox.NamedNode("http://schema.org/name"), ox.Literal("Oldboy"))
    assert b"@prefix schema: <http://schema.org/>" in serialize_triples([triple], "turtle")
    assert serialize_triples([triple], "nt") == f'<{EX}f> <http://schema.org/name> "Oldboy" .\n'.encode()


@pytest.mark.parametrize(("text", "fmt"), [
    ("SELECT ?s ?o WHERE { ?s ?p ?o } ORDER BY ?s ?o", "json"),
    ("SELECT ?s ?o WHERE { ?s ?p ?o } ORDER BY ?s ?o", "xml"),
    ("SELECT ?s ?o WHERE { ?s ?p ?o } ORDER BY ?s ?o", "csv"),
    ("SELECT ?s ?o WHERE { ?s ?p ?o } ORDER BY ?s ?o", "tsv"),
    ("ASK { ?s ?p ?o }", "json"),
    ("ASK { ?s ?p ?o }", "xml"),
    ("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", "nt"),
])
def test_a_remote_store_gets_the_same_bytes(text: str, fmt: str) -> None:
    """The worker's two paths: pyoxigraph's own results (embedded) and rdflib terms (what a remote store's
    client gives) are written by the same serialisers, so they give the same bytes (a graph's in any order)."""
    from filmgraph.config import Settings
    from filmgraph.service.jobs import Backend, SparqlJob, _sparql_via_store, job_sparql

    backend = Backend("memory", Settings(), read_only=False)
    store = backend.get()
    store.replace_graph(URIRef(f"{EX}g"), [(URIRef(f"{EX}s{i}"), URIRef(f"{EX}p"), value) for i, value in
                                            enumerate([Literal("a,b"), Literal("x", lang="en"), Literal(3)])])
    graph_format = fmt if text.startswith("CONSTRUCT") else None
    job = SparqlJob(text=text, solution_format=None if graph_format else fmt, graph_format=graph_format)
    embedded, remote = job_sparql(backend, job), _sparql_via_store(backend, job, 100)
    if graph_format:  # a graph has no order
        assert sorted(embedded[1].splitlines()) == sorted(remote[1].splitlines())
    else:
        assert embedded == remote
