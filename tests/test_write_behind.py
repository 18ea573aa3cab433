"""Write-behind mode of the embedded store: disk transactions on a writer thread, in order, each review
reported ingested only once it is on disk; a batch lands on disk exactly as the reviews do one by one; a
failed disk write refuses that review and the ones queued after it, and the store goes back to the disk."""

from __future__ import annotations

import sys
from pathlib import Path

import pyoxigraph as ox
import pytest

from conftest import FIXED_TIME, REPO
from filmgraph.config import Settings
from filmgraph.ingest import Ingestor, IngestOutcome
from filmgraph.store import OxigraphStore, Store, open_store
from filmgraph.store.write_behind import WriteBehind

sys.path.insert(0, str(REPO / "bench"))
from review_corpus import write_corpus

QUAD = "<http://example.org/s> <http://example.org/p> \"{n}\" <http://example.org/g> .\n"


def _ingestor(store: Store, **options: bool) -> Ingestor:
    return Ingestor(store, Settings(store="memory"), clock=lambda: FIXED_TIME, **options)


def _summary(outcomes: list[IngestOutcome]) -> list[tuple[str, str, str, str, int, int, int]]:
    return [(Path(o.source).name, o.status, o.review, o.message, o.triples, o.links, o.exit_code) for o in outcomes]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    return write_corpus(tmp_path_factory.mktemp("corpus"), 60, bad=1)


@pytest.fixture(scope="module")
def one_by_one(corpus: list[Path]) -> tuple[list[IngestOutcome], set[tuple[object, ...]]]:
    ingestor = _ingestor(open_store("memory"), read_ahead=False)
    outcomes = [next(ingestor.ingest_many([path])) for path in corpus]
    return outcomes, set(ingestor.store.quads())


def test_transactions_run_in_order_and_a_failure_stops_the_rest() -> None:
    store = ox.Store()
    behind = WriteBehind(store)
    first = behind.submit(QUAD.format(n=1))
    broken = behind.submit("<http://example.org/s> this is not N-Quads .\n")
    after = behind.submit(QUAD.format(n=3))
    behind.drain()
    assert first.wait() is None and first.finished
    assert (broken.wait() or "").startswith("write failed, nothing was written")
    assert "an earlier write to the store failed" in (after.wait() or "")
    assert {q.object.value for q in store} == {"1"}  # neither the broken text nor what came after it
    behind.close()


@pytest.mark.parametrize("read_ahead", [False, True])
def test_a_batch_written_behind_lands_on_disk_as_the_reviews_do_one_by_one(
        tmp_path: Path, corpus: list[Path], one_by_one: tuple[list[IngestOutcome], set[tuple[object, ...]]],
        read_ahead: bool) -> None:
    store = open_store(str(tmp_path / "store"))
    assert isinstance(store, OxigraphStore)
    ingestor = _ingestor(store, read_ahead=read_ahead, write_behind=True)
    outcomes = []
    for outcome in ingestor.ingest_many(corpus):
        if outcome.status == "ingested":  # reported only once its transaction is on the disk itself
            assert store._store.contains_named_graph(ox.NamedNode(outcome.review))
        outcomes.append(outcome)
    alone, quads = one_by_one
    assert _summary(outcomes) == _summary(alone)  # the bad review refused alone, with its own report
    assert store._reader is store._store  # the mode ended with the batch
    store.close()
    reopened = open_store(str(tmp_path / "store"))
    assert set(reopened.quads()) == quads
    reopened.close()


def test_a_replaced_review_in_a_batch_waits_for_the_queue(tmp_path: Path, corpus: list[Path]) -> None:
    changed = tmp_path / corpus[5].name
    changed.write_text(corpus[5].read_text(encoding="utf-8") + "\nA postscript from the desk.\n", encoding="utf-8")
    inputs = [*corpus[:10], changed, *corpus[10:30]]
    store = open_store(str(tmp_path / "store"))
    behind = list(_ingestor(store, write_behind=True).ingest_many(inputs))
    single = _ingestor(open_store("memory"), read_ahead=False)
    assert _summary(behind) == _summary([next(single.ingest_many([p])) for p in inputs])
    assert "replaced" in {o.status for o in behind}
    assert set(store.quads()) == set(single.store.quads())
    store.close()


def test_a_failed_disk_write_refuses_its_reviews_and_the_store_goes_back_to_the_disk(
        tmp_path: Path, corpus: list[Path]) -> None:
    store = open_store(str(tmp_path / "store"))
    assert isinstance(store, OxigraphStore)
    ingestor = _ingestor(store, read_ahead=False, write_behind=True)
    batch = ingestor.ingest_many(corpus[:30])
    first = next(batch)
    assert first.status == "ingested" and store._behind is not None
    store._store.flush()
    store._behind._store = ox.Store.read_only(str(tmp_path / "store"))  # the disk refuses every write from now on
    rest = list(batch)
    refused = [o for o in rest if o.status == "refused" and o.exit_code == 5]
    assert refused, "the writes the disk refused are reported"
    assert refused[0].message.startswith("write failed, nothing was written")
    assert all("an earlier write to the store failed" in o.message for o in refused[1:])
    for outcome in rest:
        on_disk = store._store.contains_named_graph(ox.NamedNode(outcome.review)) if outcome.review else False
        assert on_disk == (outcome.status == "ingested"), outcome.source
    assert store._behind is None and store._reader is store._store
    store.close()
