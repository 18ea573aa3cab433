"""Bind parameters into SPARQL text as a VALUES block, never by splicing values into the query.

Values are serialised as RDF terms (IRIs and escaped literals), so a parameter can never change the
shape of a query. The block goes at the start of the query's WHERE group, so it binds before any
aggregation, ordering or LIMIT.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping, Sequence

from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from ..errors import QueryError

_NOT_IN_IRI = re.compile(r'[<>"{}|^`\\ \n\t]')
_VAR_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_FORM = re.compile(r"\b(SELECT|CONSTRUCT|ASK|DESCRIBE)\b", re.IGNORECASE)
_CONSTRUCT_WHERE = re.compile(r"\bCONSTRUCT\s+WHERE\b", re.IGNORECASE)


_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"}


_NEEDS_ESCAPE = re.compile(r'[\\"\x00-\x1f\x7f]')


def escape_string(text: str) -> str:
    """The body of an N-Triples / SPARQL string literal: quotes, backslashes and control characters escaped."""
    if _NEEDS_ESCAPE.search(text) is None:
        return text
    out = []
    for ch in text:
        escaped = _ESCAPES.get(ch)
        if escaped is not None:
            out.append(escaped)
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\u{ord(ch):04X}")
        else:
            out.append(ch)
    return "".join(out)


def literal_to_nt(literal: Literal) -> str:
    """A literal in N-Triples form, on one line, with every special character escaped."""
    body = escape_string(str(literal))
    if literal.language:
        return f'"{body}"@{literal.language}'
    if literal.datatype is not None and str(literal.datatype) != "http://www.w3.org/2001/XMLSchema#string":
        return f'"{body}"^^<{literal.datatype}>'
    return f'"{body}"'


def is_valid_iri(text: str) -> bool:
    """True when `text` has none of the characters an IRI may not hold (so it can be written as ``<text>``)."""
    return _NOT_IN_IRI.search(text) is None


def term_to_sparql(term: Node) -> str:
    """One RDF term as SPARQL/N-Triples text, escaped."""
    if isinstance(term, URIRef):
        text = str(term)
        if not is_valid_iri(text):
            raise QueryError(f"not a valid IRI: {text!r}")
        return f"<{text}>"
    if isinstance(term, Literal):
        return literal_to_nt(term)
    if isinstance(term, BNode):
        raise QueryError("blank nodes cannot be bound as query parameters")
    raise QueryError(f"cannot bind {term!r} as a query parameter")


def values_block(bindings: Mapping[str, Node | Sequence[Node]]) -> str:
    """`VALUES (?a ?b) { (<x> "y") }`; a sequence value gives one row per item (single variable only)."""
    names = list(bindings)
    for name in names:
        if not _VAR_NAME.match(name):
            raise QueryError(f"not a valid SPARQL variable name: {name!r}")
    if len(names) == 1 and not isinstance(bindings[names[0]], Node):
        items = bindings[names[0]]
        assert not isinstance(items, Node)
        rows = " ".join(f"({term_to_sparql(t)})" for t in items)
        return f"VALUES (?{names[0]}) {{ {rows} }}"
    cells = []
    for name in names:
        value = bindings[name]
        if not isinstance(value, Node):
            raise QueryError(f"parameter {name!r}: several values bind only one variable at a time")
        cells.append(term_to_sparql(value))
    return f"VALUES ({' '.join('?' + n for n in names)}) {{ ({' '.join(cells)}) }}"


def _body_braces(query: str) -> list[int]:
    """Offsets of top-level '{' characters, skipping IRIs, strings and comments."""
    offsets: list[int] = []
    depth = 0
    i, n = 0, len(query)
    while i < n:
        ch = query[i]
        if ch == "#":
            end = query.find("\n", i)
            i = n if end < 0 else end
            continue
        if ch in "\"'":
            triple = query[i:i + 3] in ('"""', "'''")
            quote = query[i:i + 3] if triple else ch
            j = i + len(quote)
            while j < n:
                if query[j] == "\\":
                    j += 2
                    continue
                if query.startswith(quote, j):
                    break
                j += 1
            i = j + len(quote)
            continue
        if ch == "<":
            close = query.find(">", i)
            if close > 0 and not any(c in query[i + 1:close] for c in " \n\t{}"):
                i = close + 1
                continue
        if ch == "{":
            if depth == 0:
                offsets.append(i)
            depth += 1
        elif ch == "}":
            depth -= 1
        i += 1
    return offsets


def bind(query: str, bindings: Mapping[str, Node | Sequence[Node]] | None) -> str:
    """Return `query` with `bindings` as a VALUES block at the start of its WHERE group."""
    if not bindings:
        return query
    where = _where_brace(query)
    return f"{query[:where + 1]} {values_block(bindings)} {query[where + 1:]}"


@functools.lru_cache(maxsize=256)
def _where_brace(query: str) -> int:
    """The offset of the '{' that opens the WHERE group (remembered: a named query is bound again and again,
    and scanning its text costs ~50 µs)."""
    braces = _body_braces(query)
    form = _FORM.search(query)
    if not braces or form is None:
        raise QueryError("cannot bind parameters: the query has no WHERE group")
    if form.group(1).upper() == "CONSTRUCT" and not _CONSTRUCT_WHERE.search(query):
        if len(braces) < 2:
            raise QueryError("cannot bind parameters: CONSTRUCT without a WHERE group")
        return braces[1]
    return braces[0]
