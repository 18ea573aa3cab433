"""The store interface every backend offers, and the shapes of what it answers (rdflib terms)."""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

Term = URIRef | Literal | BNode
Row = dict[str, Term]
Triple = tuple[Node, Node, Node]
Bindings = Mapping[str, Node | Sequence[Node]]


@dataclass
class SelectResult:
    """Variables and rows of a SELECT query (rdflib terms; an unbound variable is absent)."""

    variables: list[str]
    rows: list[Row]

    def __iter__(self) -> Iterator[Row]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)


QueryOutcome = SelectResult | bool | Graph


class Store(Protocol):
    """What every backend offers."""

    name: str

    def query(self, sparql: str, bindings: Bindings | None = None) -> QueryOutcome:
        """Run a SELECT/ASK/CONSTRUCT/DESCRIBE with variables pre-bound to `bindings`."""
        ...

    @property
    def content_version(self) -> Hashable | None:
        """A value that changes whenever the store's content may have changed, so answers can be memoised
        (`discover.memo.Memo`); None when the backend cannot tell (others may write to it): then nothing is."""
        ...

    def select_strings(self, sparql: str, bindings: Bindings | None = None) -> list[dict[str, str]]:
        """Rows of a SELECT as plain strings (an IRI, a literal's lexical form, a blank node's label).

        The fast read path for callers that only need text: no rdflib terms are built.
        """
        ...

    def replace_graph(self, graph_iri: URIRef, triples: Iterable[Triple]) -> None:
        """Replace one named graph's content in one transaction (drop then insert)."""
        ...

    def drop_graph(self, graph_iri: URIRef) -> None:
        """Remove one named graph."""
        ...

    def bulk_replace(self, graph_iri: URIRef, triples: Iterable[Triple]) -> None:
        """Replace a large graph (a catalogue) through the backend's bulk path; not one transaction."""
        ...

    def graph_names(self) -> list[URIRef]:
        """All named graphs."""
        ...

    def quads(self) -> Iterator[tuple[Node, Node, Node, URIRef]]:
        """Every quad (subject, predicate, object, graph)."""
        ...

    def __len__(self) -> int: ...

    def close(self) -> None: ...
