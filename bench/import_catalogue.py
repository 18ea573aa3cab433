"""Catalogue import: time and peak memory to import a catalogue into the embedded on-disk store.

Validation included. Prints the number of films, people and link decisions (merges and near-misses).
Run: `python bench/import_catalogue.py [PATH ...]` (default: the IMDb 5000 CSV under ../shared/data).
Each path is imported in turn into one fresh store, so later catalogues link to earlier ones.
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path

from filmgraph.config import Settings
from filmgraph.graph import validate
from filmgraph.ingest import Ingestor
from filmgraph.store import SelectResult, open_store

REPO = Path(__file__).resolve().parents[1]
DEFAULT = REPO.parent / "shared" / "data" / "imdb5000_movie_metadata.csv"
COUNTS = """PREFIX schema: <http://schema.org/>
PREFIX fg: <https://w3id.org/filmgraph/ontology#>
SELECT ?kind (COUNT(DISTINCT ?x) AS ?n) WHERE {
  { ?x a schema:Movie . BIND("films" AS ?kind) } UNION { ?x a schema:Person . BIND("people" AS ?kind) }
  UNION { ?x fg:decision "merged" . BIND("merges" AS ?kind) }
  UNION { ?x fg:decision "kept-apart" . BIND("near-misses kept apart" AS ?kind) }
} GROUP BY ?kind ORDER BY ?kind"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("paths", nargs="*", type=Path, default=[DEFAULT])
    args = parser.parse_args()
    missing = [p for p in args.paths if not p.exists()]
    if missing:
        sys.exit(f"missing input(s): {', '.join(map(str, missing))}")
    shacl: list[float] = []
    original = validate.check

    def timed(*a: object, **kw: object) -> None:
        start = time.perf_counter()
        try:
            original(*a, **kw)  # type: ignore[arg-type]
        finally:
            shacl.append(time.perf_counter() - start)

    validate.check = timed
    with tempfile.TemporaryDirectory() as tmp:
        store = open_store(str(Path(tmp) / "store"))
        ingestor = Ingestor(store, Settings(store=str(Path(tmp) / "store")))
        for path in args.paths:
            before = len(shacl)
            start = time.perf_counter()
            outcome = ingestor.ingest(path)
            elapsed = time.perf_counter() - start
            print(f"{path.name}: {outcome.status}, {outcome.film}, {outcome.triples} triples, "
                  f"{outcome.links} link decisions, {elapsed:.1f} s "
                  f"({sum(shacl[before:]):.1f} s in pySHACL, {outcome.triples / elapsed:,.0f} triples/s)")
        result = store.query(COUNTS)
        assert isinstance(result, SelectResult)
        for row in result:
            print(f"  {row['kind']}: {row['n']}")
        store.close()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory (RSS): {peak:.0f} MB")


if __name__ == "__main__":
    main()
