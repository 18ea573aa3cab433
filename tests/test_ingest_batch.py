"""A batch of reviews (read ahead in a worker process) lands exactly as the same reviews ingested one by one:
the same graphs, the same links, and a bad review refused alone with the report it gets alone."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from conftest import FIXED_TIME, REPO
from filmgraph.config import Settings
from filmgraph.ingest import Ingestor, IngestOutcome
from filmgraph.ingest.readahead import ReadAhead
from filmgraph.store import Store, open_store

sys.path.insert(0, str(REPO / "bench"))
from review_corpus import write_corpus

pytestmark = pytest.mark.skipif(not ReadAhead.possible(), reason="reading ahead needs fork and a second core")


def _ingestor(read_ahead: bool) -> Ingestor:
    return Ingestor(open_store("memory"), Settings(store="memory"), clock=lambda: FIXED_TIME, read_ahead=read_ahead)


def _quads(store: Store) -> set[tuple[object, ...]]:
    return set(store.quads())


def _summary(outcomes: list[IngestOutcome]) -> list[tuple[str, str, str, str, int, int]]:
    return [(Path(o.source).name, o.status, o.review, o.message, o.triples, o.links) for o in outcomes]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    return write_corpus(tmp_path_factory.mktemp("corpus"), 90, bad=1)  # its bad review: a dash list, 7/5


@pytest.fixture(scope="module")
def one_by_one(corpus: list[Path]) -> tuple[list[IngestOutcome], set[tuple[object, ...]]]:
    ingestor = _ingestor(read_ahead=False)
    outcomes = [next(ingestor.ingest_many([path])) for path in corpus]
    return outcomes, _quads(ingestor.store)


def test_a_batch_read_ahead_lands_as_the_reviews_do_one_by_one(
        corpus: list[Path], one_by_one: tuple[list[IngestOutcome], set[tuple[object, ...]]]) -> None:
    ingestor = _ingestor(read_ahead=True)
    outcomes = list(ingestor.ingest_many(corpus))
    alone, quads = one_by_one
    assert _summary(outcomes) == _summary(alone)
    assert _quads(ingestor.store) == quads  # the same nodes: names shared across reviews link as they do in turn


def test_a_bad_review_in_a_batch_is_refused_alone_with_its_own_report(
        corpus: list[Path], one_by_one: tuple[list[IngestOutcome], set[tuple[object, ...]]]) -> None:
    outcomes = list(_ingestor(read_ahead=True).ingest_many(corpus))
    bad = [o for o in outcomes if o.source.endswith("-bad.txt")]
    assert len(bad) == 1 and bad[0].status == "refused" and bad[0].exit_code == 4
    alone = next(_ingestor(read_ahead=False).ingest_many([Path(bad[0].source)]))
    assert (alone.status, alone.message) == ("refused", bad[0].message)
    landed = {o.source for o in outcomes if o.status == "ingested"}
    assert landed == {o.source for o in one_by_one[0] if o.status == "ingested"}
    assert len(landed) >= len(corpus) - 3  # the rest land


def test_a_replaced_review_in_the_batch_stops_reading_ahead(tmp_path: Path, corpus: list[Path]) -> None:
    changed = tmp_path / corpus[5].name
    changed.write_text(corpus[5].read_text(encoding="utf-8").replace("★", "*"), encoding="utf-8")
    inputs = [*corpus[:10], changed, *corpus[10:40]]
    batch, single = _ingestor(read_ahead=True), _ingestor(read_ahead=False)
    outcomes = list(batch.ingest_many(inputs))
    assert _summary(outcomes) == _summary([next(single.ingest_many([p])) for p in inputs])
    assert _quads(batch.store) == _quads(single.store)


def test_reviews_passed_over_as_unchanged_do_not_stall_reading_ahead(corpus: list[Path]) -> None:
    ingestor = _ingestor(read_ahead=True)
    first = list(ingestor.ingest_many(corpus[:40]))
    again = list(ingestor.ingest_many(corpus))  # 40 unchanged, then new reviews the worker must still be sent
    assert [o.status for o in again[:40]] == [o.status if o.status == "refused" else "unchanged" for o in first]
    assert {o.status for o in again[40:]} <= {"ingested", "refused"}
