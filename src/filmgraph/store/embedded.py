"""Embedded Oxigraph: the default store, on disk (a directory) or in memory.

Each review or catalogue is one named graph; queries read the default graph, which holds every triple of
every named graph once (see `graph.union`). A review's graph and the view are updated in a single transaction:
a review is stored whole or not at all.
"""

from __future__ import annotations

import contextlib
import fcntl
import functools
import io
import itertools
import logging
import os
import time
from collections.abc import Hashable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from ..errors import QueryError, StoreError, StoreLocked
from ..graph import union
from ..graph.triples import Triples, has_blank_nodes, ntriples_text, statements, to_ox
from . import nquads
from .base import Bindings, QueryOutcome, Row, SelectResult, Term, Triple
from .flusher import BackgroundFlush
from .sparql_text import bind
from .write_behind import Ticket, WriteBehind

log = logging.getLogger(__name__)

# --- term conversion between rdflib and pyoxigraph -------------------------------------------------

@functools.lru_cache(maxsize=4096)
def _predicate(term: Node) -> ox.NamedNode:
    """A predicate as an Oxigraph term (a vocabulary's few predicates, converted once)."""
    return ox.NamedNode(str(term))


_DECIMAL = "http://www.w3.org/2001/XMLSchema#decimal"
_TERM_CACHE: dict[object, Term] = {}
_TERM_CACHE_SIZE = 200_000


def from_ox(term: object) -> Term:
    """pyoxigraph term -> rdflib term (memoised: building rdflib terms was 2/3 of a query's time)."""
    cached = _TERM_CACHE.get(term)
    if cached is None:
        cached = _from_ox(term)
        if len(_TERM_CACHE) >= _TERM_CACHE_SIZE:
            _TERM_CACHE.clear()
        _TERM_CACHE[term] = cached
    return cached


def _from_ox(term: object) -> Term:
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


def _loaded_with_copies(store: ox.Store, path: str | Path) -> bool:
    """Bulk-load an N-Quads file and the union view's copies in one pass (`nquads`); False, with whatever was
    loaded left in place, when a line is not in the simple one-statement-per-line form (the caller then loads
    it the slow way: quads are a set, so loading a quad again changes nothing)."""
    reader = nquads.WithDefaultCopies(path)
    try:
        store.bulk_load(io.BufferedReader(reader, reader.CHUNK), format=ox.RdfFormat.N_QUADS)
    except Exception:
        if reader.not_simple is not None:  # the loader reports what the reader raised in its own way
            return False
        raise
    finally:
        reader.close()
    return True


LOCK_FILE = "filmgraph.lock"
#: Triples per N-Quads text handed to the bulk loader (200k made loads 20% faster, but the IMDb 5000 import
#: then peaked at 657 MB, not 406).
_TEXT_BATCH = 50_000
_STORE_TOKENS = itertools.count(1)
#: Write-behind mode (`OxigraphStore.write_behind`) copies a store of at most this many quads per new graph.
REPLICA_QUADS_PER_GRAPH = 100
LOCK_WAIT_S = 5.0


class OxigraphStore:
    """Embedded Oxigraph: on disk when given a directory, in memory otherwise.

    **One process at a time.** Opening a directory takes an advisory lock on ``<dir>/filmgraph.lock``
    (`fcntl.flock`): exclusive for a read-write store, shared for ``read_only=True``. A second opener waits up
    to `lock_timeout` seconds (default `LOCK_WAIT_S`) and then gets `StoreLocked` (CLI exit code 5) naming
    the store and the holder's pid. So two ingests serialize when the first finishes within the wait, and
    otherwise the second stops before touching anything; several read-only openers may share the store, but
    never while a writer holds it (a RocksDB read-only open beside a writer is undefined behaviour). The kernel
    drops the lock when the holder dies, so a killed ingest never leaves a stale lock. RocksDB's own ``LOCK``
    file stays as a second guard (an ``oxigraph serve`` on the same directory gives the same `StoreLocked`).

    **Reads.** Oxigraph on disk keeps terms' strings in RocksDB and decodes them on demand, so whatever
    compares or returns strings costs more than in memory; an ORDER BY on an IRI decodes both terms at every
    comparison. Figures from bench/store_bench.py (synthetic graph, 100k films, 2.22 M quads; "films sharing
    people with film X", median / p99 of 50 films after a warm-up; 2 cores, load average about 2):

    * query shape: ordered by count and then film IRI, raw pyoxigraph took 8.4 ms in memory and 57 ms on
      disk; ordered by count alone (queries/bench/films-sharing-people.rq), 5.9 ms and 8.1 ms. In memory,
      roles as VALUES took 7.4 ms, a UNION 7.1 ms, a property path 13.6 ms (IRI-ordered, a busier machine).
    * term conversion: building rdflib terms for every result was two thirds of a query's time through this
      class; `from_ox` memoises it (on disk 20 -> 9 ms, in memory 12 -> 5 ms, same run).
    * result: this class on disk 8.3 / 38.9 ms, in memory 7.6 / 36.3 ms (1.09x); at 10k films 1.1 / 3.0 ms
      both.
    * ``cache="memory"`` keeps an in-memory replica of the whole store for reads, kept consistent because
      every write goes through this object, to disk first, then to the replica. It makes the IRI-ordered
      shape as fast as memory (35 -> 9.6 ms) but costs 2.6 s at open for 10k films and 31 s (+0.3 GB) for
      100k, so it is off by default: for long-running, read-mostly processes (a server).
    * measured and dropped: a `default_graph` list of every named graph instead of the union default graph
      (13.6 -> 27.6 ms in memory, 31 -> 70 ms on disk, for the property-path shape).
    """

    def __init__(self, path: str | Path | None = None, *, read_only: bool = False, cache: str | None = None,
                 lock_timeout: float = LOCK_WAIT_S) -> None:
        self._token = next(_STORE_TOKENS)
        self._writes = 0
        self._behind: WriteBehind | None = None  # write-behind mode (`write_behind`)
        self.last_write: Ticket | None = None  # the disk transaction of the last graph added in that mode
        self.path = Path(path) if path is not None else None
        self.name = str(self.path) if self.path is not None else "memory"
        self._lock_fd: int | None = None
        self.read_only = read_only
        self._flusher: BackgroundFlush | None = None
        if cache not in (None, "memory"):
            raise StoreError(f"unknown cache {cache!r}; use 'memory' or none", source=self.name)
        if self.path is None:
            self._store = ox.Store()
            self._reader = self._store
            return
        if not read_only:
            self.path.mkdir(parents=True, exist_ok=True)
        elif not self.path.is_dir():
            raise StoreError("cannot open the store read-only: no such directory", source=self.name)
        self._store = self._open_locked(read_only, lock_timeout)
        self._reader = self._store
        if not read_only:
            self._flusher = BackgroundFlush(self._store)
        if cache == "memory":
            self._reader = self._replica()

    def _open_locked(self, read_only: bool, timeout: float) -> ox.Store:
        """Take the lock file, then open RocksDB; both retried until `timeout` has passed."""
        assert self.path is not None
        deadline = time.monotonic() + max(0.0, timeout)
        lock_path = self.path / LOCK_FILE
        while True:
            problem = ""
            fd = _open_lock_file(lock_path, read_only)
            try:
                if fd is not None:
                    fcntl.flock(fd, (fcntl.LOCK_SH if read_only else fcntl.LOCK_EX) | fcntl.LOCK_NB)
                    if not read_only:
                        os.ftruncate(fd, 0)
                        os.write(fd, f"{os.getpid()}\n".encode())
                store = ox.Store.read_only(str(self.path)) if read_only else ox.Store(str(self.path))
                self._lock_fd = fd
                return store
            except BlockingIOError:
                problem = f"held by {_lock_holder(lock_path)}"
            except OSError as exc:
                if "lock" not in str(exc).lower():
                    if fd is not None:
                        os.close(fd)
                    raise StoreError(f"cannot open the store: {exc}", source=self.name) from exc
                problem = f"RocksDB: {exc}"
            if fd is not None:
                os.close(fd)
            if time.monotonic() >= deadline:
                raise StoreLocked(
                    f"store is locked by another process ({problem}); waited {timeout:g} s. Wait for it to "
                    "finish (an ingest holds the store until its batch ends) and retry",
                    source=self.name,
                )
            time.sleep(0.05)

    def _replica(self) -> ox.Store:
        started = time.perf_counter()
        replica = ox.Store()
        replica.bulk_extend(self._store.quads_for_pattern(None, None, None, None))
        log.info("%s: in-memory replica of %d quads in %.1f s", self.name, len(replica),
                 time.perf_counter() - started)
        return replica

    @property
    def replicated(self) -> bool:
        """True when reads go to an in-memory replica (``cache="memory"``)."""
        return self._reader is not self._store

    # reading -------------------------------------------------------------------------------------
    @property
    def content_version(self) -> Hashable:
        """This object and the number of writes through it: every write goes through this object (the store's
        lock keeps other processes out), so equal versions mean equal content."""
        return (self._token, self._writes)

    def _run(self, sparql: str, bindings: Bindings | None) -> ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples:
        """Bind and evaluate a query on the read path, store errors in our words."""
        try:
            return self._reader.query(bind(sparql, bindings))
        except SyntaxError as exc:
            raise QueryError(f"malformed SPARQL: {exc}") from exc
        except OSError as exc:
            raise StoreError(f"query failed: {exc}", source=self.name) from exc

    def query(self, sparql: str, bindings: Bindings | None = None) -> QueryOutcome:
        result = self._run(sparql, bindings)
        if isinstance(result, ox.QueryBoolean):
            return bool(result)
        if isinstance(result, ox.QuerySolutions):
            variables = [v.value for v in result.variables]
            rows: list[Row] = []
            for solution in result:
                rows.append({name: from_ox(value) for name, value in zip(variables, solution, strict=True)
                             if value is not None})
            return SelectResult(variables, rows)
        graph = Graph()
        for triple in result:
            graph.add((from_ox(triple.subject), from_ox(triple.predicate), from_ox(triple.object)))
        return graph

    def query_oxigraph(self, sparql: str, **options: Any) -> ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples:
        """Evaluate SPARQL text as it is on the read path and return pyoxigraph's own results (so a caller can
        use pyoxigraph's serialisers). `options` are `pyoxigraph.Store.query`'s (`base_iri`, `default_graph`,
        `named_graphs`, ...); errors are pyoxigraph's (SyntaxError, OSError)."""
        return self._reader.query(sparql, **options)

    def holds_graph(self, graph_iri: str) -> bool:
        """True when the store has a named graph `graph_iri` (False for text that is not an IRI)."""
        try:
            return self._reader.contains_named_graph(ox.NamedNode(graph_iri))
        except ValueError:
            return False

    def select_strings(self, sparql: str, bindings: Bindings | None = None) -> list[dict[str, str]]:
        result = self._run(sparql, bindings)
        if not isinstance(result, ox.QuerySolutions):
            raise QueryError("select_strings needs a SELECT query")
        variables = [v.value for v in result.variables]
        return [{name: value.value for name, value in zip(variables, solution, strict=True) if value is not None}
                for solution in result]

    def graph_names(self) -> list[URIRef]:
        return sorted(URIRef(g.value) for g in self._reader.named_graphs() if isinstance(g, ox.NamedNode))

    def quads(self) -> Iterator[tuple[Node, Node, Node, URIRef]]:
        for quad in self._reader.quads_for_pattern(None, None, None, None):
            graph = quad.graph_name
            if isinstance(graph, ox.NamedNode):
                yield from_ox(quad.subject), from_ox(quad.predicate), from_ox(quad.object), URIRef(graph.value)

    def __len__(self) -> int:
        """Quads in the named graphs (the union view in the default graph is not counted)."""
        result = self._reader.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
        assert isinstance(result, ox.QuerySolutions)
        view = next(result)["n"]
        assert isinstance(view, ox.Literal)
        return len(self._reader) - int(view.value)

    # writing -------------------------------------------------------------------------------------
    def replace_graph(self, graph_iri: URIRef, triples: Iterable[Triple]) -> None:
        self.last_write = None
        named = ox.NamedNode(str(graph_iri))
        if not any(store.contains_named_graph(named) for store in self._stores()):
            self._add_graph(named, triples)
            return
        graph = str(named)
        body = "\n".join(statement + " ." for statement in statements(triples))
        self._update(union.replace(graph, f"INSERT DATA {{ GRAPH {graph} {{\n{body}\n}} }}" if body else "", None))

    def _add_graph(self, graph: ox.NamedNode, triples: Iterable[Triple]) -> None:
        """A graph the store does not hold yet: its quads and their union-view copies in one atomic `load`
        (one transaction, like the update it replaces, which also parsed the triples as SPARQL text).

        The quads go as N-Quads text, each term spelled once per run (`spelled`: a review's people, films and
        vocabulary recur across reviews): 15% faster than building `Quad` objects for `extend` (1,000 bench
        reviews: 1.5 against 1.75 ms a review). A graph with blank nodes takes the quads path, which keeps
        their labels.
        """
        if not isinstance(triples, Triples):
            triples = list(triples)
        if not triples:
            return
        if has_blank_nodes(triples):
            self._add_quads(graph, triples)
            return
        suffix = f" {graph} .\n"
        lines = []
        for statement in statements(triples):
            lines.append(statement + suffix)
            lines.append(statement + " .\n")
        data = "".join(lines)
        if self._behind is not None and (self._behind.failure is not None or not self.replicated):
            self._end_write_behind()  # the replica holds what the disk refused (or was dropped): the disk alone
        behind = self._behind
        with self._writing(settle=False):
            for store in [self._reader] if behind is not None else self._stores():
                try:
                    store.load(data, format=ox.RdfFormat.N_QUADS)
                except (SyntaxError, ValueError, OSError) as exc:
                    raise StoreError(f"write failed, nothing was written: {exc}", source=self.name) from exc
            if behind is None and self._flusher is not None:
                self._flusher.wrote(len(lines))
            if behind is not None:
                self.last_write = behind.submit(data)

    def _add_quads(self, graph: ox.NamedNode, triples: Iterable[Triple]) -> None:
        quads: list[ox.Quad] = []
        view = ox.DefaultGraph()
        for s, p, o in triples:
            subject, predicate, object_ = to_ox(s), _predicate(p), to_ox(o)
            quads.append(ox.Quad(subject, predicate, object_, graph))  # type: ignore[arg-type]
            quads.append(ox.Quad(subject, predicate, object_, view))  # type: ignore[arg-type]
        with self._writing():
            for store in self._stores():
                try:
                    store.extend(quads)
                except OSError as exc:
                    raise StoreError(f"write failed, nothing was written: {exc}", source=self.name) from exc

    def drop_graph(self, graph_iri: URIRef) -> None:
        self._update(union.drop(str(ox.NamedNode(str(graph_iri))), None))

    def rebuild_view(self) -> None:
        """Rebuild the default-graph view from the named graphs."""
        self._update(union.rebuild(None))

    def sparql_update(self, text: str) -> None:
        """Run a SPARQL Update exactly as given (one transaction; the union view is the caller's business)."""
        self._update(text)

    def bulk_replace(self, graph_iri: URIRef, triples: Iterable[Triple]) -> None:
        """Load a large graph (a catalogue) fast; not one transaction, used for bulk sources.

        Without blank nodes the graph goes to Oxigraph's loader as N-Quads text, each statement followed by its
        union-view copy (as `bulk_load_file` does): 30% faster than building quads for `bulk_extend` (200k
        triples: 2.7 s against 3.9 s). Blank nodes take the quads path, which keeps their labels.
        """
        graph = ox.NamedNode(str(graph_iri))
        triples = list(triples)
        if not has_blank_nodes(triples):
            with self._writing():
                self._bulk_replace_text(graph, triples)
            return
        quads: Iterable[ox.Quad] = (
            ox.Quad(to_ox(s), ox.NamedNode(str(p)), to_ox(o), graph)  # type: ignore[arg-type]
            for s, p, o in triples)
        quads = list(quads)
        with self._writing():
            self._bulk_replace(graph, quads)

    def _bulk_replace(self, graph: ox.NamedNode, quads: list[ox.Quad]) -> None:
        self._apply(union.forget(str(graph), None))
        for store in self._stores():
            if store.contains_named_graph(graph):
                store.remove_graph(graph)
            store.bulk_extend(quads)
            store.bulk_extend(ox.Quad(q.subject, q.predicate, q.object, ox.DefaultGraph()) for q in quads)

    def _bulk_replace_text(self, graph: ox.NamedNode, triples: list[Triple]) -> None:
        # in slices: the text of a million triples is 0.3 GB
        slices = (ntriples_text(triples[start:start + _TEXT_BATCH]) for start in range(0, len(triples), _TEXT_BATCH))
        self._bulk_replace_ntriples(graph, slices)

    def bulk_replace_ntriples(self, graph_iri: URIRef, texts: Iterable[str]) -> None:
        """`bulk_replace` from N-Triples texts without blank nodes (a large source's chunks, in order), which
        Oxigraph's loader reads as they are; duplicates across texts are stored once. Not one transaction:
        each text goes into the graph and into the union view, and the last text (a source's provenance,
        with its content hash, which is read from the view) goes in only when all the others are in both, the
        view last."""
        with self._writing():
            self._bulk_replace_ntriples(ox.NamedNode(str(graph_iri)), texts)

    def _bulk_replace_ntriples(self, graph: ox.NamedNode, texts: Iterable[str]) -> None:
        self._apply(union.forget(str(graph), None))
        for store in self._stores():
            if store.contains_named_graph(graph):
                store.remove_graph(graph)
        # two loads of each text, to the graph and to the view (10% faster than one load of N-Quads text that
        # spells each statement twice), side by side: Oxigraph's loader releases the GIL, and each load keeps
        # about one core busy (1.4-1.5x on two cores)
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="filmgraph-view-load") as beside:
            previous: str | None = None
            for text in texts:
                if previous is not None:
                    self._load_text_twice(previous, graph, beside)
                previous = text
            if previous is not None:
                self._load_text_twice(previous, graph, None)

    def _load_text_twice(self, text: str, graph: ox.NamedNode, beside: ThreadPoolExecutor | None) -> None:
        """Load N-Triples `text` into `graph` and into the view of every store: side by side on `beside`'s
        thread, or (None) the graph first, then the view."""
        for store in self._stores():
            if beside is None:
                self._load_text(store, text, graph)
                self._load_text(store, text, ox.DefaultGraph())
                continue
            view = beside.submit(self._load_text, store, text, ox.DefaultGraph())
            try:
                self._load_text(store, text, graph)
            finally:
                view.result()

    def _load_text(self, store: ox.Store, text: str, graph: ox.NamedNode | ox.DefaultGraph) -> None:
        try:
            store.bulk_load(text, format=ox.RdfFormat.N_TRIPLES, to_graph=graph)
        except (SyntaxError, ValueError, OSError) as exc:
            raise StoreError(f"bulk write failed: {exc}", source=self.name) from exc

    def bulk_load_file(self, path: str | Path, format: str = "nquads", graph: URIRef | None = None) -> None:
        """Load an RDF file through Oxigraph's bulk loader (the fastest path; not one transaction).

        `format` is an `ox.RdfFormat` name (nquads, ntriples, turtle, trig, rdf_xml, jsonld) or a file
        extension. A triples file goes into `graph`, which is replaced; a quads file keeps its graphs (and
        `graph` must be None). The union view is a second copy of every triple: an N-Quads file is read
        once, each statement followed by its default-graph copy (`nquads`); other quad formats get a second,
        Python-side pass. 100k synthetic films (2.22 M quads): 19-20 s on disk against 10.7-10.9 s for
        pyoxigraph's own `bulk_load` of the file and 16-17 s for it given the copies already written in
        (bench/store_bench.py); 24.5 s with the Python pass; 1.0x before the view.
        """
        with self._writing():
            self._bulk_load_file(path, _rdf_format(format), graph)

    def _bulk_load_file(self, path: str | Path, fmt: ox.RdfFormat, graph: URIRef | None) -> None:
        target = ox.NamedNode(str(graph)) if graph is not None else None
        if target is not None and fmt.supports_datasets:
            raise StoreError(f"{fmt.name} holds its own graphs; load it without a target graph", source=str(path))
        if target is not None:
            self._apply(union.forget(str(target), None))
        for store in self._stores():
            if target is not None and store.contains_named_graph(target):
                store.remove_graph(target)
            try:
                if fmt == ox.RdfFormat.N_QUADS and _loaded_with_copies(store, path):
                    continue
                store.bulk_load(path=str(path), format=fmt, to_graph=target)
                if target is not None:
                    store.bulk_load(path=str(path), format=fmt, to_graph=ox.DefaultGraph())
                else:
                    store.bulk_extend(ox.Quad(q.subject, q.predicate, q.object, ox.DefaultGraph())
                                      for q in ox.parse(path=str(path), format=fmt))
            except (SyntaxError, ValueError) as exc:
                raise StoreError(f"cannot load {fmt.name}: {exc}", source=str(path)) from exc
            except OSError as exc:
                raise StoreError(f"bulk load failed: {exc}", source=str(path)) from exc

    def _stores(self) -> list[ox.Store]:
        """The disk store first, then the in-memory replica if there is one."""
        return [self._store, self._reader] if self.replicated else [self._store]

    @contextlib.contextmanager
    def _writing(self, *, settle: bool = True) -> Iterator[None]:
        """Move the content version on before and after a write (a read racing the write is never memoised
        under the version that follows it). In write-behind mode, other writes than a new graph's first wait
        for the queued disk transactions (`settle`), then go to the disk and the replica in turn."""
        if settle:
            self._settle()
        self._writes += 1
        try:
            yield
        finally:
            self._writes += 1

    def _update(self, update: str) -> None:
        with self._writing():
            self._apply(update)

    def _apply(self, update: str) -> None:
        try:
            self._store.update(update)
        except OSError as exc:
            raise StoreError(f"write failed, nothing was written: {exc}", source=self.name) from exc
        if self.replicated:
            try:
                self._reader.update(update)
            except (OSError, SyntaxError) as exc:  # the disk has it: read from the disk from now on
                log.warning("%s: in-memory replica dropped after a failed write: %s", self.name, exc)
                self._reader = self._store

    # write-behind --------------------------------------------------------------------------------
    @contextlib.contextmanager
    def write_behind(self, graphs: int) -> Iterator[WriteBehind | None]:
        """Write-behind mode for a batch of about `graphs` new graphs, when it pays (else None is yielded).

        Reads and writes go to an in-memory replica at once; each new graph's disk transaction is queued on a
        writer thread (`WriteBehind`), and `last_write` is its ticket: the caller reports a graph stored only
        when its ticket is done without error. Any other write waits for the queue first. The mode pays when
        copying the store into memory (about 7 us a quad) costs less than it saves (about 1.2 ms a graph):
        it is used for stores of at most `REPLICA_QUADS_PER_GRAPH` quads per graph of the batch. The mode
        ends with the block, which waits for the queue; after a failed disk write it ends at the next write.
        """
        if not self.write_behind_pays(graphs):
            yield None
            return
        self._reader = self._replica()
        self._behind = WriteBehind(self._store)
        try:
            yield self._behind
        finally:
            self._end_write_behind()

    def write_behind_pays(self, graphs: int) -> bool:
        """Would `write_behind(graphs)` take up the mode? (A writable store on disk, small enough.)"""
        if self.path is None or self.read_only or self.replicated or self._behind is not None:
            return False
        most = graphs * REPLICA_QUADS_PER_GRAPH
        return sum(1 for _ in itertools.islice(self._store.quads_for_pattern(None, None, None, None),
                                               most + 1)) <= most

    def _settle(self) -> None:
        """Wait for the queued disk transactions; after a failed one, leave write-behind mode."""
        if self._behind is None:
            return
        self._behind.drain()
        if self._behind.failure is not None:
            self._end_write_behind()

    def _end_write_behind(self) -> None:
        behind, self._behind = self._behind, None
        if behind is None:
            return
        behind.close()
        self._reader = self._store
        self._writes += 1  # reads now come from the disk

    def flush(self) -> None:
        self._settle()
        if self._flusher is not None:
            self._flusher.join()
        if self.path is not None and not self.read_only and hasattr(self, "_store"):
            self._store.flush()

    def close(self) -> None:
        if not hasattr(self, "_store"):
            return
        self._end_write_behind()
        self.flush()
        self._flusher = None  # it holds the RocksDB handle too
        del self._store
        del self._reader
        if self._lock_fd is not None:
            if not self.read_only:
                os.ftruncate(self._lock_fd, 0)  # no holder's pid left behind
            os.close(self._lock_fd)  # releases the lock
            self._lock_fd = None


def _open_lock_file(lock_path: Path, read_only: bool) -> int | None:
    """The lock file's descriptor; a read-only opener of a store without one (or on read-only media) locks nothing."""
    if not read_only:
        return os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        return os.open(lock_path, os.O_RDONLY)
    except OSError:
        return None


def _lock_holder(lock_path: Path) -> str:
    """'process <pid>' for a live writer, else the readers (they do not write their pid)."""
    try:
        pid = int(lock_path.read_text().split()[0])
        os.kill(pid, 0)
    except (OSError, IndexError, ValueError):
        return "a read-only opener"
    return f"process {pid}"


_FORMATS = {"nq": "N_QUADS", "nquads": "N_QUADS", "nt": "N_TRIPLES", "ntriples": "N_TRIPLES",
            "ttl": "TURTLE", "turtle": "TURTLE", "trig": "TRIG", "rdf": "RDF_XML", "xml": "RDF_XML",
            "rdf_xml": "RDF_XML", "jsonld": "JSON_LD", "json-ld": "JSON_LD", "json_ld": "JSON_LD", "n3": "N3"}


def _rdf_format(name: str) -> ox.RdfFormat:
    key = _FORMATS.get(name.lower().lstrip("."))
    if key is None:
        raise StoreError(f"unknown RDF format {name!r}; known: {', '.join(sorted(_FORMATS))}")
    return getattr(ox.RdfFormat, key)
