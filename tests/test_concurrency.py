"""Two processes on one embedded store, and readers during an ingest.

The behaviour made explicit (see `filmgraph.store.embedded.OxigraphStore`): opening a store directory takes
``<dir>/filmgraph.lock`` (flock; exclusive to write, shared to read only). A second opener waits a short
while (`LOCK_WAIT_S`), so two ingests serialize when the first finishes in time; otherwise it gets
`StoreLocked` naming the store (CLI exit code 5) and touches nothing. `filmgraph stats` and `export` open the
store like any command, so while another process ingests they wait the same short while and then stop with
the same error: they never read a store another process is writing (RocksDB says a read-only open beside a
writer is undefined behaviour). Within one process, readers and the writer share one store object, and
each review is one transaction: a reader sees a review's graph whole or not at all.
"""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import URIRef

from filmgraph.config import Settings
from filmgraph.errors import StoreLocked
from filmgraph.ingest import Ingestor
from filmgraph.store import LOCK_FILE, OxigraphStore, SelectResult
from test_crash_safety import REVIEWS, graphs_of, make_corpus, run_worker, start_worker

HERE = Path(__file__).resolve().parent
COUNTS = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("concurrency") / "reviews"
    make_corpus(folder)
    return folder


@pytest.fixture(scope="module")
def clean_counts(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[URIRef, int]:
    store = tmp_path_factory.mktemp("clean") / "store"
    run_worker(store, corpus)
    return {name: len(graph) for name, graph in graphs_of(store).items()}


def wait_for_line(worker: subprocess.Popen[str], prefix: str) -> None:
    assert worker.stdout is not None
    for line in worker.stdout:
        if line.startswith(prefix):
            return
    raise AssertionError(f"the worker ended before printing {prefix!r}: {worker.communicate()}")


def test_two_ingests_serialize(corpus: Path, clean_counts: dict[URIRef, int], tmp_path: Path) -> None:
    store = tmp_path / "store"
    first = start_worker(store, corpus, "--lock-timeout", "120")
    second = start_worker(store, corpus, "--lock-timeout", "120")
    outputs = [first.communicate(timeout=300), second.communicate(timeout=300)]
    assert first.returncode == 0 and second.returncode == 0, outputs
    statuses = sorted(tuple(sorted({line.split()[2] for line in out.splitlines() if line.startswith("done ")}))
                      for out, _ in outputs)
    # one did the whole batch, the other found every review already stored: nothing was done twice or half
    assert statuses == [("ingested",), ("unchanged",)]
    assert {name: len(graph) for name, graph in graphs_of(store).items()} == clean_counts


def test_second_ingest_gets_store_locked(corpus: Path, tmp_path: Path) -> None:
    store = tmp_path / "store"
    holder = start_worker(store, corpus, "--hold-open", "300")
    try:
        wait_for_line(holder, "open")
        second = start_worker(store, corpus, "--lock-timeout", "0.2")
        out, err = second.communicate(timeout=120)
        assert second.returncode == 5
        assert "done" not in out
        assert str(store) in err and "locked" in err and f"process {holder.pid}" in err

        with pytest.raises(StoreLocked) as caught:
            OxigraphStore(store, read_only=True, lock_timeout=0.1)
        assert str(store) in str(caught.value)
    finally:
        holder.kill()
        holder.communicate()
    reopened = OxigraphStore(store, lock_timeout=0.1)  # the kernel released the dead holder's lock
    reopened.close()


def test_cli_exits_5_naming_the_store_while_another_process_ingests(corpus: Path, tmp_path: Path) -> None:
    store = tmp_path / "store"
    holder = start_worker(store, corpus, "--hold-open", "300")
    try:
        wait_for_line(holder, "open")
        for command in (["ingest", str(corpus)], ["stats"]):
            cli = subprocess.run([sys.executable, "-m", "filmgraph.cli", "--store", str(store), *command],
                                 capture_output=True, text=True, timeout=120)
            assert cli.returncode == 5, (command, cli.stdout, cli.stderr)
            message = " ".join(cli.stderr.split())
            assert "locked" in message and str(store) in message, message
    finally:
        holder.kill()
        holder.communicate()


def test_a_process_holding_only_rocksdb_lock_also_gives_store_locked(tmp_path: Path) -> None:
    """Something that opens the directory without filmgraph's lock file (another Oxigraph)."""
    store = tmp_path / "store"
    ox.Store(str(store)).flush()
    other = subprocess.Popen(
        [sys.executable, "-c", "import sys, pyoxigraph; s = pyoxigraph.Store(sys.argv[1]); print('open', flush=True); "
         "sys.stdin.read()", str(store)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        wait_for_line(other, "open")
        with pytest.raises(StoreLocked, match="RocksDB"):
            OxigraphStore(store, lock_timeout=0.1)
    finally:
        other.communicate("")
    assert (store / LOCK_FILE).exists()
    OxigraphStore(store, lock_timeout=0.1).close()


def test_reader_thread_sees_each_review_whole_or_absent(corpus: Path, clean_counts: dict[URIRef, int],
                                                         tmp_path: Path) -> None:
    store = OxigraphStore(tmp_path / "store")
    ingestor = Ingestor(store, Settings(store=str(tmp_path / "store")))
    done = threading.Event()
    seen: list[dict[URIRef, int]] = []
    problems: list[str] = []

    def read() -> None:
        while not done.is_set():
            result = store.query(COUNTS)  # one query sees one committed state
            assert isinstance(result, SelectResult)
            counts = {URIRef(row["g"]): int(row["n"]) for row in result}
            for name, n in counts.items():
                if n != clean_counts.get(name):
                    problems.append(f"{name}: {n} triples, a whole review has {clean_counts.get(name)}")
            seen.append(counts)

    reader = threading.Thread(target=read)
    reader.start()
    try:
        outcomes = list(ingestor.ingest_many([corpus]))
    finally:
        done.set()
        reader.join()
        store.close()
    assert [o.status for o in outcomes] == ["ingested"] * REVIEWS
    assert not problems, problems[:5]
    assert seen, "the reader ran"
