"""The ingest summary reports what was written: a catalogue's triples, counted once however many of its
validation chunks state them (a person in several chunks, a namesake's type)."""

from __future__ import annotations

from pathlib import Path

from conftest import FIXED_TIME, shared_path
from filmgraph.config import Settings
from filmgraph.ingest import Ingestor
from filmgraph.store import open_store


def test_a_catalogue_reports_the_triples_its_graph_holds(tmp_path: Path) -> None:
    csv = shared_path("data/imdb5000_movie_metadata.csv")
    lines = csv.read_text(encoding="utf-8").splitlines(keepends=True)
    head = tmp_path / "imdb5000_movie_metadata.csv"
    head.write_text("".join(lines[:601]), encoding="utf-8")  # 600 films: three validation chunks
    store = open_store("memory")
    ingestor = Ingestor(store, Settings(store="memory"), clock=lambda: FIXED_TIME)
    dry = ingestor.ingest(head, dry_run=True)
    outcome = ingestor.ingest(head)
    assert outcome.status == "ingested"
    stored = sum(1 for *_, graph in store.quads() if str(graph) == outcome.review)
    assert outcome.triples == stored == dry.triples
    store.close()
