"""SPARQL query results and graphs as bytes, written by pyoxigraph's own serialisers (run in the workers).

SELECT results go out in the SPARQL 1.1 JSON, XML, CSV or TSV results format, ASK results in JSON or XML,
graphs in Turtle, N-Triples, JSON-LD or RDF/XML. pyoxigraph can serialise only results it made (a query's
or a parser's), and the endpoint must stop a query at its result limit, so SELECT results are first written
as TSV, one line a row, into a buffer that refuses the row past the limit, then read back and written in the
format asked for. Rows from another store (a remote server, read through rdflib) are given to pyoxigraph the
same way, as TSV lines of pyoxigraph terms.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterable, Sequence

import pyoxigraph as ox
from rdflib.term import Node

from ..store.embedded import to_ox

#: Format keys (as negotiation names them) -> pyoxigraph's SPARQL results formats.
RESULTS_FORMATS = {"json": ox.QueryResultsFormat.JSON, "xml": ox.QueryResultsFormat.XML,
                   "csv": ox.QueryResultsFormat.CSV, "tsv": ox.QueryResultsFormat.TSV}
#: Format keys -> pyoxigraph's RDF formats (for CONSTRUCT and DESCRIBE).
RDF_FORMATS = {"turtle": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES, "jsonld": ox.RdfFormat.JSON_LD,
               "rdfxml": ox.RdfFormat.RDF_XML}
_PREFIXES = {"schema": "http://schema.org/", "fg": "https://w3id.org/filmgraph/ontology#",
             "skos": "http://www.w3.org/2004/02/skos/core#", "xsd": "http://www.w3.org/2001/XMLSchema#",
             "owl": "http://www.w3.org/2002/07/owl#", "prov": "http://www.w3.org/ns/prov#",
             "wd": "http://www.wikidata.org/entity/"}


class TooManyRows(Exception):
    """A SELECT result has more rows than the limit allows."""


class _RowCap(io.BytesIO):
    """A buffer for TSV results that refuses to hold more than `rows` rows (the header line aside)."""

    def __init__(self, rows: int) -> None:
        super().__init__()
        self.lines_left = rows + 1

    def write(self, data: bytes) -> int:  # type: ignore[override]
        self.lines_left -= bytes(data).count(b"\n")
        if self.lines_left < 0:
            raise TooManyRows
        return super().write(data)


def serialize_solutions(solutions: ox.QuerySolutions, fmt: str, limit: int) -> bytes:
    """SELECT results in the SPARQL results format `fmt`; raises TooManyRows past `limit` rows.

    TSV escapes line breaks inside terms, so its lines count the rows."""
    capped = _RowCap(limit)
    solutions.serialize(capped, format=ox.QueryResultsFormat.TSV)
    tsv = capped.getvalue()
    if fmt == "tsv":
        return tsv
    return _reserialize(tsv, fmt)


def serialize_rows(variables: Sequence[str], rows: Iterable[Sequence[Node | None]], fmt: str) -> bytes:
    """SELECT results held as rdflib terms (from another store) in the SPARQL results format `fmt`."""
    lines = ["\t".join(f"?{v}" for v in variables)]
    lines += ["\t".join("" if term is None else str(to_ox(term)) for term in row) for row in rows]
    return _reserialize(("\n".join(lines) + "\n").encode(), fmt)


def _reserialize(tsv: bytes, fmt: str) -> bytes:
    solutions = ox.parse_query_results(tsv, format=ox.QueryResultsFormat.TSV)
    assert isinstance(solutions, ox.QuerySolutions)
    out = solutions.serialize(format=RESULTS_FORMATS[fmt])
    assert isinstance(out, bytes)
    return out


def serialize_boolean(value: bool | ox.QueryBoolean, fmt: str) -> bytes:
    """An ASK result in the SPARQL results format `fmt` (JSON or XML: CSV and TSV are for SELECT only)."""
    if not isinstance(value, ox.QueryBoolean):  # from another store: pyoxigraph reads it from its JSON form
        parsed = ox.parse_query_results(json.dumps({"head": {}, "boolean": value}),
                                        format=ox.QueryResultsFormat.JSON)
        assert isinstance(parsed, ox.QueryBoolean)
        value = parsed
    out = value.serialize(format=RESULTS_FORMATS[fmt])
    assert isinstance(out, bytes)
    return out


def serialize_triples(triples: Iterable[ox.Triple], fmt: str) -> bytes:
    """Triples (a CONSTRUCT or DESCRIBE result) in the RDF format `fmt`, with our prefixes where it has them."""
    prefixes = None if fmt == "nt" else _PREFIXES
    out = ox.serialize(triples, format=RDF_FORMATS[fmt], prefixes=prefixes)
    assert isinstance(out, bytes)
    return out


def rdflib_triples(triples: Iterable[tuple[Node, Node, Node]]) -> list[ox.Triple]:
    """rdflib triples (from another store) as pyoxigraph triples."""
    return [ox.Triple(to_ox(s), to_ox(p), to_ox(o)) for s, p, o in triples]  # type: ignore[arg-type]
