"""Ingest throughput: the sample reviews repeated to N reviews into an embedded on-disk store.

Prints reviews per second (validation included) and the share of time spent in pySHACL.
Each copy is a distinct review file (its own review id) of the same film, as when many
publications review one film. Run: `python bench/ingest_reviews.py [--reviews 1000]`.
"""

from __future__ import annotations

import argparse
import shutil
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


def make_corpus(folder: Path, total: int) -> list[Path]:
    samples = sorted((REPO / "data" / "samples").glob("*.txt"))
    seed = REPO.parent / "shared" / "seeds" / "000_e60a94f7ba5846fc.txt"
    if seed.exists():
        samples.append(seed)
    if not samples:
        sys.exit("no sample reviews in data/samples")
    paths = []
    for i in range(total):
        source = samples[i % len(samples)]
        target = folder / f"{i:05d}-{source.stem}.txt"
        shutil.copyfile(source, target)
        paths.append(target)
    return paths


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
        for path in corpus:
            t0 = time.perf_counter()
            outcome = ingestor.ingest(path)
            per_review.append(time.perf_counter() - t0)
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
    print(f"pySHACL per review    : median {statistics.median(shacl_times) * 1000:.2f} ms")
    print(f"share of time in SHACL: {sum(shacl_times) / elapsed:.1%}")
    print(f"triples in store      : {triples}")


if __name__ == "__main__":
    main()
