"""SIGKILL during a batch ingest into the embedded store: every review is wholly present or wholly absent, the
store opens, and a re-run completes the batch to exactly what a clean run writes.

The batch is 30 copies of the data/samples reviews under distinct names (so each film is restated by
several review graphs, as when many publications review one film); tests/crash_worker.py ingests them in a
subprocess with a fixed clock. Kill points are seeded: after a random number of stored reviews, plus a random
delay of up to 30 ms (so some kills land inside a write), or while the store is being opened. Besides each
review graph, the union view (the default graph that queries read) must equal the union of the named graphs.
"""

from __future__ import annotations

import contextlib
import os
import random
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.compare import graph_diff, isomorphic, to_isomorphic

from filmgraph.store import OxigraphStore, SelectResult

HERE = Path(__file__).resolve().parent
WORKER = HERE / "crash_worker.py"
SAMPLES = HERE.parent / "data" / "samples"
REVIEWS = 30
BATCHES = 7
KILLS_PER_BATCH = 3  # 21 kills in all


def make_corpus(folder: Path, count: int = REVIEWS) -> list[Path]:
    """`count` review files: copies of the samples, in turn, each under its own name."""
    samples = sorted(SAMPLES.glob("*.txt"))
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(count):
        source = samples[i % len(samples)]
        path = folder / f"{i:02d}-{source.stem}.txt"
        shutil.copyfile(source, path)
        paths.append(path)
    return paths


def start_worker(store: Path, corpus: Path, *extra: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, str(WORKER), str(store), str(corpus), *extra],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=HERE.parent,
    )


def run_worker(store: Path, corpus: Path) -> list[str]:
    """Run a batch to the end; the status of each review."""
    worker = start_worker(store, corpus)
    out, err = worker.communicate(timeout=300)
    assert worker.returncode == 0, err
    return [line.split()[2] for line in out.splitlines() if line.startswith("done ")]


def graphs_of(path: Path) -> dict[URIRef, Graph]:
    """Each named graph of an embedded store (which must open); checks that the view is their union."""
    store = OxigraphStore(path)
    try:
        graphs: dict[URIRef, Graph] = {}
        for s, p, o, g in store.quads():
            graphs.setdefault(g, Graph()).add((s, p, o))
        view = store.query("SELECT ?s ?p ?o WHERE { ?s ?p ?o }")
        assert isinstance(view, SelectResult)
        seen = {(row["s"], row["p"], row["o"]) for row in view}
    finally:
        store.close()
    union = {triple for graph in graphs.values() for triple in graph}
    assert seen == union, f"the union view is stale: {len(seen - union)} extra, {len(union - seen)} missing triples"
    return graphs


def diff(got: Graph, want: Graph) -> str:
    _, only_got, only_want = graph_diff(to_isomorphic(got), to_isomorphic(want))
    return (f"only in the crashed store:\n{only_got.serialize(format='nt')}\n"
            f"only in the clean run:\n{only_want.serialize(format='nt')}")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("crash") / "reviews"
    make_corpus(folder)
    return folder


@pytest.fixture(scope="module")
def clean(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[URIRef, Graph]:
    store = tmp_path_factory.mktemp("clean") / "store"
    statuses = run_worker(store, corpus)
    assert statuses == ["ingested"] * REVIEWS
    graphs = graphs_of(store)
    assert len(graphs) == REVIEWS
    return graphs


def check_whole_or_absent(store: Path, clean: dict[URIRef, Graph], where: str) -> int:
    """Every stored review graph is the clean run's graph; returns how many are stored."""
    graphs = graphs_of(store)
    assert set(graphs) <= set(clean), f"{where}: unexpected graphs {set(graphs) - set(clean)}"
    for name, graph in graphs.items():
        assert isomorphic(graph, clean[name]), f"{where}: review graph {name} is partial or differs\n" + diff(
            graph, clean[name])
    return len(graphs)


def kill_at_random_point(store: Path, corpus: Path, rng: random.Random) -> int:
    """Start a batch and SIGKILL it at a seeded random point; how many reviews it had reported stored."""
    worker = start_worker(store, corpus)
    assert worker.stdout is not None
    stored = 0
    if rng.random() < 0.15:  # while starting or opening the store
        with contextlib.suppress(subprocess.TimeoutExpired):
            worker.wait(timeout=rng.uniform(0.0, 0.8))
    else:
        target = rng.randrange(1, 12)
        for line in worker.stdout:
            if line.startswith("done ") and line.split()[2] in ("ingested", "replaced"):
                stored += 1
                if stored >= target:
                    break
            if line.startswith("finished"):
                break
        with contextlib.suppress(subprocess.TimeoutExpired):
            worker.wait(timeout=rng.uniform(0.0, 0.03))
    if worker.poll() is None:
        os.kill(worker.pid, signal.SIGKILL)
    worker.communicate()
    return stored


@pytest.mark.parametrize("batch", range(BATCHES))
def test_sigkill_during_batch_leaves_whole_reviews_and_rerun_completes(
    batch: int, corpus: Path, clean: dict[URIRef, Graph], tmp_path: Path,
) -> None:
    rng = random.Random(4000 + batch)
    store = tmp_path / "store"
    present = 0
    for kill in range(KILLS_PER_BATCH):
        reported = kill_at_random_point(store, corpus, rng)
        now = check_whole_or_absent(store, clean, f"batch {batch}, after kill {kill + 1}")
        assert now >= present, "a review stored before the kill was lost"
        assert now >= present + reported, "a review reported stored was lost"
        present = now
    statuses = run_worker(store, corpus)  # the re-run
    assert statuses.count("unchanged") == present, "the re-run redid reviews that were already whole"
    assert statuses.count("ingested") == REVIEWS - present
    final = graphs_of(store)
    assert set(final) == set(clean)
    for name, graph in final.items():
        assert isomorphic(graph, clean[name]), f"review graph {name} after the re-run\n" + diff(graph, clean[name])
