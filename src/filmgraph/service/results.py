"""SPARQL query results as bytes: the SPARQL 1.1 JSON, XML, CSV and TSV formats, and graphs (run in the workers)."""

from __future__ import annotations

import csv
import io
import json
from xml.sax.saxutils import escape as xml_escape

import pyoxigraph as ox
from rdflib import BNode, URIRef
from rdflib import Literal as RdfLiteral

from ..store.sparql_text import escape_string

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"

Term = tuple[str, str, str | None, str | None]  # (uri|bnode|literal, value, datatype, language)


def ox_term(term: object) -> Term | None:
    """A pyoxigraph term as a plain tuple (None for an unbound variable)."""
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return ("uri", term.value, None, None)
    if isinstance(term, ox.BlankNode):
        return ("bnode", term.value, None, None)
    if isinstance(term, ox.Literal):
        if term.language:
            return ("literal", term.value, None, term.language)
        datatype = term.datatype.value
        return ("literal", term.value, None if datatype == XSD_STRING else datatype, None)
    return ("literal", str(term), None, None)  # an RDF-star triple term: shown as text


def rdflib_term(term: object) -> Term | None:
    """An rdflib term as a plain tuple (None for an unbound variable)."""
    if term is None:
        return None
    if isinstance(term, URIRef):
        return ("uri", str(term), None, None)
    if isinstance(term, BNode):
        return ("bnode", str(term), None, None)
    if isinstance(term, RdfLiteral):
        if term.language:
            return ("literal", str(term), None, term.language)
        datatype = str(term.datatype) if term.datatype else None
        return ("literal", str(term), None if datatype == XSD_STRING else datatype, None)
    return ("literal", str(term), None, None)


def _nt(term: Term) -> str:
    kind, value, datatype, lang = term
    if kind == "uri":
        return f"<{value}>"
    if kind == "bnode":
        return f"_:{value}"
    body = escape_string(value)
    if lang:
        return f'"{body}"@{lang}'
    return f'"{body}"^^<{datatype}>' if datatype else f'"{body}"'


def _json_term(term: Term) -> dict[str, str]:
    kind, value, datatype, lang = term
    out = {"type": kind, "value": value}
    if lang:
        out["xml:lang"] = lang
    elif datatype:
        out["datatype"] = datatype
    return out


def _xml_term(term: Term) -> str:
    kind, value, datatype, lang = term
    if kind == "uri":
        return f"<uri>{xml_escape(value)}</uri>"
    if kind == "bnode":
        return f"<bnode>{xml_escape(value)}</bnode>"
    if lang:
        return f'<literal xml:lang="{xml_escape(lang)}">{xml_escape(value)}</literal>'
    if datatype:
        return f'<literal datatype="{xml_escape(datatype)}">{xml_escape(value)}</literal>'
    return f"<literal>{xml_escape(value)}</literal>"


_XML_HEAD = '<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">\n'


def serialize_solutions(variables: list[str], rows: list[list[Term | None]], fmt: str) -> bytes:
    """SELECT results in the SPARQL 1.1 JSON, XML, CSV or TSV results format."""
    if fmt == "json":
        bindings = [{v: _json_term(t) for v, t in zip(variables, row, strict=True) if t is not None}
                    for row in rows]
        return json.dumps({"head": {"vars": variables}, "results": {"bindings": bindings}},
                          ensure_ascii=False).encode()
    if fmt == "xml":
        parts = [_XML_HEAD, "<head>", *(f'<variable name="{xml_escape(v)}"/>' for v in variables),
                 "</head>\n<results>\n"]
        for row in rows:
            parts.append("<result>")
            parts += [f'<binding name="{xml_escape(v)}">{_xml_term(t)}</binding>'
                      for v, t in zip(variables, row, strict=True) if t is not None]
            parts.append("</result>\n")
        parts.append("</results>\n</sparql>\n")
        return "".join(parts).encode()
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(variables)
        for row in rows:
            writer.writerow(["" if t is None else (f"_:{t[1]}" if t[0] == "bnode" else t[1]) for t in row])
        return buffer.getvalue().encode()
    if fmt == "tsv":
        lines = ["\t".join(f"?{v}" for v in variables)]
        lines += ["\t".join("" if t is None else _nt(t) for t in row) for row in rows]
        return ("\n".join(lines) + "\n").encode()
    raise ValueError(fmt)


def serialize_boolean(value: bool, fmt: str) -> bytes:
    text = "true" if value else "false"
    if fmt == "json":
        return json.dumps({"head": {}, "boolean": value}).encode()
    if fmt == "xml":
        return f"{_XML_HEAD}<head/>\n<boolean>{text}</boolean>\n</sparql>\n".encode()
    if fmt == "csv":
        return f"_askResult\r\n{text}\r\n".encode()
    return f"?_askResult\n{text}\n".encode()


_RDF_FORMATS = {"turtle": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES, "jsonld": ox.RdfFormat.JSON_LD,
                "rdfxml": ox.RdfFormat.RDF_XML}
_PREFIXES = {"schema": "http://schema.org/", "fg": "https://w3id.org/filmgraph/ontology#",
             "skos": "http://www.w3.org/2004/02/skos/core#", "xsd": "http://www.w3.org/2001/XMLSchema#",
             "owl": "http://www.w3.org/2002/07/owl#", "prov": "http://www.w3.org/ns/prov#",
             "wd": "http://www.wikidata.org/entity/"}


def serialize_triples(triples: list[ox.Triple], fmt: str) -> bytes:
    prefixes = None if fmt == "nt" else _PREFIXES
    out = ox.serialize(triples, format=_RDF_FORMATS[fmt], prefixes=prefixes)
    assert isinstance(out, bytes)
    return out


def to_ox(term: Term) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """A plain tuple back as a pyoxigraph term."""
    kind, value, datatype, lang = term
    if kind == "uri":
        return ox.NamedNode(value)
    if kind == "bnode":
        return ox.BlankNode(value)
    if lang:
        return ox.Literal(value, language=lang)
    return ox.Literal(value, datatype=ox.NamedNode(datatype)) if datatype else ox.Literal(value)
