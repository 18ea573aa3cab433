"""Ingest throughput, in process: N reviews of varied layouts (bench/review_corpus.py, the samples among them)
into an embedded on-disk store, one `Ingestor.ingest` each.

Prints reviews per second (validation included) and the share of time spent in SHACL validation; a handy
harness for a profiler (`python -m cProfile bench/ingest_reviews.py`). `bench/speed.py` measures the same
through one `filmgraph ingest` command. Run: `python bench/ingest_reviews.py [--reviews 1000]`.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

from filmgraph.config import Settings
from filmgraph.graph import validate
from filmgraph.ingest import Ingestor
from filmgraph.store import open_store

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))

from review_corpus import write_corpus  # noqa: E402


def make_corpus(folder: Path, total: int) -> list[Path]:
    return write_corpus(folder, total, bad=1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--reviews", type=int, default=1000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "corpus"
        folder.mkdir()
        corpus = make_corpus(folder, args.reviews)
        store = open_store(str(Path(tmp) / "store"))
        ingestor = Ingestor(store, Settings(store=str(Path(tmp) / "store")))
        shacl_times: list[float] = []
        original_check = validate.check

        def timed_check(*a: object, **kw: object) -> None:
            start = time.perf_counter()
            try:
                original_check(*a, **kw)  # type: ignore[arg-type]
            finally:
                shacl_times.append(time.perf_counter() - start)

        validate.check = timed_check
        per_review: list[float] = []
        start = time.perf_counter()
        refused = 0
        per_review_start = start
        for outcome in ingestor.ingest_many(corpus):  # a refused input is reported, as `filmgraph ingest` does
            now = time.perf_counter()
            per_review.append(now - per_review_start)
            per_review_start = now
            refused += outcome.status == "refused"
        elapsed = time.perf_counter() - start
        validate.check = original_check
        triples = len(store)
        store.close()
    print(f"reviews ingested      : {len(corpus)} ({refused} refused) into an embedded on-disk store")
    print(f"total time            : {elapsed:.2f} s")
    print(f"throughput            : {len(corpus) / elapsed:.1f} reviews/s (validation included)")
    print(f"per review            : median {statistics.median(per_review) * 1000:.1f} ms, "
          f"p99 {sorted(per_review)[int(len(per_review) * 0.99) - 1] * 1000:.1f} ms")
    print(f"SHACL per review      : median {statistics.median(shacl_times) * 1000:.2f} ms")
    print(f"share of time in SHACL: {sum(shacl_times) / elapsed:.1%}")
    print(f"triples in store      : {triples}")


if __name__ == "__main__":
    main()
