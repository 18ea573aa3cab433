"""The background flush writes an on-disk store's memtables to sorted files once enough quads are in, and
never while fewer are; a store that flushed on a thread closes and reopens with every write."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Literal, URIRef

from filmgraph.store import open_store
from filmgraph.store.flusher import FLUSH_EVERY_QUADS, BackgroundFlush

SCHEMA_NAME = URIRef("https://schema.org/name")


def sorted_files(path: Path) -> set[str]:
    return {f.name for f in path.glob("*.sst")}


def write(store: ox.Store, first: int, count: int) -> str:
    text = "".join(f'<https://example.org/f{i}> <https://schema.org/name> "film {i}" .\n'
                   for i in range(first, first + count))
    store.load(text, format=ox.RdfFormat.N_TRIPLES)
    return text


@pytest.mark.parametrize(("written", "flushes"), [(99, False), (100, True), (250, True)])
def test_a_flush_starts_once_enough_quads_are_written(tmp_path: Path, written: int, flushes: bool) -> None:
    store = ox.Store(str(tmp_path))
    before = sorted_files(tmp_path)
    flusher = BackgroundFlush(store, every=100)
    write(store, 0, written)
    flusher.wrote(written)
    flusher.join()
    assert (sorted_files(tmp_path) > before) is flushes


def test_counts_add_up_over_several_writes(tmp_path: Path) -> None:
    store = ox.Store(str(tmp_path))
    before = sorted_files(tmp_path)
    flusher = BackgroundFlush(store, every=100)
    for step in range(3):
        write(store, step * 40, 40)
        flusher.wrote(40)
        flusher.join()
        assert (sorted_files(tmp_path) > before) is (step == 2)


def test_a_store_that_flushed_on_a_thread_closes_and_reopens_with_every_write(tmp_path: Path) -> None:
    path = tmp_path / "store"
    store = open_store(str(path))
    graphs = 3
    per_graph = FLUSH_EVERY_QUADS // 2  # two graphs' quads start a flush while the third is written
    for g in range(graphs):
        store.replace_graph(URIRef(f"https://example.org/review/{g}"),
                            [(URIRef(f"https://example.org/f{g}-{i}"), SCHEMA_NAME, Literal(f"film {i}"))
                             for i in range(per_graph)])
    written = set(store.quads())
    store.close()
    reopened = open_store(str(path), lock_timeout=0.5)
    assert set(reopened.quads()) == written
    assert len({q[3] for q in written}) == graphs
    reopened.close()
