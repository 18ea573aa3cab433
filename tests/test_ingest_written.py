"""The ingest summary reports what was written, for every catalogue kind: the triple count is the number of quads
the stored graphs hold (KMDb, the IMDb 5000 CSV whole, and MovieLens with its ratings)."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import URIRef

from filmgraph.ingest import Ingestor
from filmgraph.store import SelectResult, Store, open_store

DATA = Path(__file__).parent / "data"
SHARED_IMDB = Path(__file__).resolve().parents[2] / "shared" / "data" / "imdb5000_movie_metadata.csv"


def stored_quads(store: Store, graph: str) -> int:
    result = store.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
    assert isinstance(result, SelectResult)
    return int(result.rows[0]["n"])


@pytest.mark.parametrize("name", ["readers/imdb5000_small.csv", "readers/kmdb_small.json"])
def test_each_catalogue_kind_reports_the_quads_it_stored(name: str) -> None:
    store = open_store("memory")
    outcome = Ingestor(store).ingest(DATA / name)
    assert outcome.status == "ingested"
    assert outcome.triples == stored_quads(store, outcome.review) > 0
    assert outcome.triples == len(store)


def test_movielens_reports_catalogue_and_ratings_as_written() -> None:
    store = open_store("memory")
    ingestor = Ingestor(store)
    outcome = ingestor.ingest(DATA / "movielens")
    assert outcome.status == "ingested"
    ratings = str(ingestor.minter("source", "movielens-ratings"))
    assert URIRef(ratings) in store.graph_names()
    assert outcome.triples == stored_quads(store, outcome.review) + stored_quads(store, ratings) == len(store)


@pytest.mark.shared
@pytest.mark.skipif(not SHARED_IMDB.exists(), reason="needs ../shared/data")
def test_the_imdb5000_csv_reports_the_quads_it_stored(tmp_path: Path) -> None:
    store = open_store(str(tmp_path / "store"))
    try:
        outcome = Ingestor(store).ingest(SHARED_IMDB)
        assert outcome.triples == stored_quads(store, outcome.review) == len(store)  # was 152,804 for 126,757
    finally:
        store.close()
