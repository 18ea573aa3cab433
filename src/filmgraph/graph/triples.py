"""One source's triples as the builder adds them: each once, in order, without an rdflib graph's indexes.

A review's graph is built, validated and written once, and its rdflib `Graph` was a fifth of the pipeline's
time (adding a triple to rdflib's SimpleMemory store costs 40 times an append). `Triples` keeps the triples
in a dict; validation reads them as N-Triples text (`ntriples`) and the store writes them as N-Quads, both
spelled by `spelled`, which pyoxigraph's own term syntax backs. `graph()` gives the rdflib graph when one is
wanted (a report on a refused review, a dry run's outcome, tests).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Protocol

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

__all__ = ["TripleSink", "Triples", "has_blank_nodes", "ntriples_text", "spelled", "statements", "to_ox"]

Triple = tuple[Node, Node, Node]

_SPELLINGS: dict[Node, str] = {}
_SPELLINGS_SIZE = 200_000


def to_ox(term: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """rdflib term -> pyoxigraph term."""
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"cannot store term {term!r}")


def has_blank_nodes(triples: Iterable[Triple]) -> bool:
    """Is a subject or an object of `triples` a blank node? (`type`, not `isinstance`: rdflib's terms are
    abstract-base-class instances, which made the check a tenth of validating a review)"""
    return any(type(s) is BNode or type(o) is BNode for s, _, o in triples)


def statements(triples: Iterable[Triple]) -> list[str]:
    """Each triple as `subject predicate object` in N-Triples syntax (a `Triples`' own, spelled once)."""
    if isinstance(triples, Triples):
        return triples.statements()
    return _spell(triples)


def _spell(triples: Iterable[Triple]) -> list[str]:
    return [f"{spelled(s)} {spelled(p)} {spelled(o)}" for s, p, o in triples]


def ntriples_text(triples: Iterable[Triple]) -> str:
    """N-Triples text of a bulk source's triples, each term spelled once a call: a rating's review is in five
    triples, a rater in a hundred, but few terms recur across the chunks of a catalogue or a ratings file
    (they would only crowd `spelled`'s memo)."""
    spellings: dict[Node, str] = {}
    lines = []
    for triple in triples:
        terms = []
        for term in triple:
            text = spellings.get(term)
            if text is None:
                text = spellings[term] = str(to_ox(term))
            terms.append(text)
        lines.append(f"{terms[0]} {terms[1]} {terms[2]} .\n")
    return "".join(lines)


def spelled(term: Node) -> str:
    """A term in N-Triples syntax, memoised across sources (a film, a person, a predicate recur)."""
    text = _SPELLINGS.get(term)
    if text is None:
        if len(_SPELLINGS) >= _SPELLINGS_SIZE:
            _SPELLINGS.clear()
        text = _SPELLINGS[term] = str(to_ox(term))
    return text


class TripleSink(Protocol):
    """What the builder writes to: an rdflib `Graph` or `Triples`."""

    def add(self, triple: Triple, /) -> object: ...


class Triples:
    """An ordered set of triples with `add` (what the builder calls) and the views its users need."""

    def __init__(self) -> None:
        self._triples: dict[Triple, None] = {}
        self._graph: Graph | None = None
        self._statements: list[str] | None = None

    def add(self, triple: Triple) -> None:
        self._triples[triple] = None
        self._graph = self._statements = None

    def __iter__(self) -> Iterator[Triple]:
        return iter(self._triples)

    def __len__(self) -> int:
        return len(self._triples)

    def __contains__(self, triple: object) -> bool:
        return triple in self._triples

    @property
    def has_blank_nodes(self) -> bool:
        return has_blank_nodes(self._triples)

    def statements(self) -> list[str]:
        """Each triple as `subject predicate object` in N-Triples syntax (spelled once: validation reads them
        and the store writes them)."""
        if self._statements is None:
            self._statements = _spell(self._triples)
        return self._statements

    def ntriples(self) -> str:
        """The triples as N-Triples text, one statement a line."""
        return "".join(statement + " .\n" for statement in self.statements())

    def graph(self) -> Graph:
        """The triples as an rdflib graph (built on first use, then kept until a triple is added)."""
        if self._graph is None:
            graph = Graph(store="SimpleMemory", bind_namespaces="none")
            for triple in self._triples:
                graph.add(triple)
            self._graph = graph
        return self._graph
