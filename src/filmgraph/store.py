"""Where the graph lives: one interface, backends chosen by name.

`open_store("memory")` and `open_store(path)` give an Oxigraph store (in memory / on disk);
`open_store("http://host/sparql")` gives a SPARQL 1.1 protocol client (see `store_remote`).
Every query sees the union of all named graphs as its default graph. Each review is written as
one named graph, replaced in a single transaction: a review is stored whole or not at all.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from .errors import QueryError, StoreError, StoreLocked
from .sparql_text import bind

log = logging.getLogger(__name__)

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

    def replace_graph(self, graph_iri: URIRef, triples: Iterable[Triple]) -> None:
        """Replace one named graph's content in one transaction (drop then insert)."""
        ...

    def drop_graph(self, graph_iri: URIRef) -> None:
        """Remove one named graph."""
        ...

    def graph_names(self) -> list[URIRef]:
        """All named graphs."""
        ...

    def quads(self) -> Iterator[tuple[Node, Node, Node, URIRef]]:
        """Every quad (subject, predicate, object, graph)."""
        ...

    def __len__(self) -> int: ...

    def close(self) -> None: ...


# --- term conversion between rdflib and pyoxigraph -------------------------------------------------

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


_DECIMAL = "http://www.w3.org/2001/XMLSchema#decimal"


def from_ox(term: object) -> Term:
    """pyoxigraph term -> rdflib term."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        if datatype == "http://www.w3.org/2001/XMLSchema#string":
            return Literal(term.value)
        if datatype == _DECIMAL and "." not in term.value:
            # Oxigraph writes decimals in XSD 1.1 form ("8"); keep the XSD 1.0 form Turtle reads back ("8.0")
            return Literal(term.value + ".0", datatype=URIRef(datatype))
        return Literal(term.value, datatype=URIRef(datatype))
    raise TypeError(f"unexpected term {term!r}")


class OxigraphStore:
    """Embedded Oxigraph: on disk when given a directory, in memory otherwise."""

    def __init__(self, path: str | Path | None = None, *, read_only: bool = False) -> None:
        self.path = Path(path) if path is not None else None
        self.name = str(self.path) if self.path is not None else "memory"
        try:
            if self.path is None:
                self._store = ox.Store()
            elif read_only:
                self._store = ox.Store.read_only(str(self.path))
            else:
                self.path.mkdir(parents=True, exist_ok=True)
                self._store = ox.Store(str(self.path))
        except OSError as exc:
            text = str(exc)
            if "lock" in text.lower():
                raise StoreLocked(
                    "store is locked by another filmgraph process; wait for it to finish and retry",
                    source=self.name,
                ) from exc
            raise StoreError(f"cannot open the store: {text}", source=self.name) from exc

    # reading -------------------------------------------------------------------------------------
    def query(self, sparql: str, bindings: Bindings | None = None) -> QueryOutcome:
        text = bind(sparql, bindings)
        try:
            result = self._store.query(text, use_default_graph_as_union=True)
        except SyntaxError as exc:
            raise QueryError(f"malformed SPARQL: {exc}") from exc
        except OSError as exc:
            raise StoreError(f"query failed: {exc}", source=self.name) from exc
        if isinstance(result, ox.QueryBoolean):
            return bool(result)
        if isinstance(result, ox.QuerySolutions):
            variables = [v.value for v in result.variables]
            rows: list[Row] = []
            for solution in result:
                row: Row = {}
                for name in variables:
                    value = solution[name]
                    if value is not None:
                        row[name] = from_ox(value)
                rows.append(row)
            return SelectResult(variables, rows)
        graph = Graph()
        for triple in result:
            graph.add((from_ox(triple.subject), from_ox(triple.predicate), from_ox(triple.object)))
        return graph

    def graph_names(self) -> list[URIRef]:
        return sorted(URIRef(g.value) for g in self._store.named_graphs() if isinstance(g, ox.NamedNode))

    def quads(self) -> Iterator[tuple[Node, Node, Node, URIRef]]:
        for quad in self._store.quads_for_pattern(None, None, None, None):
            graph = quad.graph_name
            if isinstance(graph, ox.NamedNode):
                yield from_ox(quad.subject), from_ox(quad.predicate), from_ox(quad.object), URIRef(graph.value)

    def __len__(self) -> int:
        return len(self._store)

    # writing -------------------------------------------------------------------------------------
    def replace_graph(self, graph_iri: URIRef, triples: Iterable[Triple]) -> None:
        graph = ox.NamedNode(str(graph_iri))
        body = "\n".join(
            f"{to_ox(s)} {to_ox(p)} {to_ox(o)} ." for s, p, o in triples
        )
        update = f"DROP SILENT GRAPH {graph} ;\nINSERT DATA {{ GRAPH {graph} {{\n{body}\n}} }}"
        self._update(update)

    def drop_graph(self, graph_iri: URIRef) -> None:
        self._update(f"DROP SILENT GRAPH {ox.NamedNode(str(graph_iri))}")

    def bulk_replace(self, graph_iri: URIRef, triples: Iterable[Triple]) -> None:
        """Load a large graph (a catalogue) fast; not one transaction, used for bulk sources."""
        graph = ox.NamedNode(str(graph_iri))
        if self._store.contains_named_graph(graph):
            self._store.remove_graph(graph)
        self._store.bulk_extend(
            ox.Quad(to_ox(s), ox.NamedNode(str(p)), to_ox(o), graph)  # type: ignore[arg-type]
            for s, p, o in triples)

    def _update(self, update: str) -> None:
        try:
            self._store.update(update)
        except OSError as exc:
            raise StoreError(f"write failed, nothing was written: {exc}", source=self.name) from exc

    def flush(self) -> None:
        if self.path is not None:
            self._store.flush()

    def close(self) -> None:
        self.flush()
        del self._store


def open_store(spec: str, **options: object) -> Store:
    """Open the store named by `spec`: 'memory', an http(s) SPARQL endpoint, or a directory."""
    if spec == "memory":
        return OxigraphStore(None)
    if spec.startswith(("http://", "https://")):
        from .store_remote import RemoteStore

        return RemoteStore(spec, **options)  # type: ignore[arg-type]
    return OxigraphStore(spec, read_only=bool(options.get("read_only", False)))
