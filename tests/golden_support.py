"""Golden cases: `tests/golden/<case>/inputs.txt` lists inputs; `expected.ttl` is the graph they give.

Inputs are paths relative to the repository, or `shared:<path>` for files under ../shared/ (the case
is skipped when ../shared/ is absent). Graphs are compared by isomorphism, with a readable diff.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.compare import graph_diff, to_isomorphic

from filmgraph.ingest import Ingestor
from filmgraph.store import Store
from filmgraph.vocab import PROV, bind_prefixes

GOLDEN = Path(__file__).resolve().parent / "golden"
REPO = GOLDEN.parents[1]


def case_inputs(case: Path) -> list[Path]:
    paths = []
    for line in (case / "inputs.txt").read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("shared:"):
            path = REPO.parent / "shared" / line.removeprefix("shared:")
            if not path.exists():
                pytest.skip(f"{path} is absent (../shared/ is only beside CI and developer checkouts)")
        else:
            path = REPO / line
        paths.append(path)
    return paths


def location_free(store: Store) -> Graph:
    """The union graph, with each source IRI reduced to its file name (checkouts differ in location)."""
    graph = bind_prefixes(Graph())
    for s, p, o, _ in store.quads():
        if p == PROV.wasDerivedFrom and str(o).startswith("file://"):
            o = URIRef("urn:filmgraph-source:" + str(o).rsplit("/", 1)[-1])
        graph.add((s, p, o))
    return graph


def ingest_case(ingestor: Ingestor, case: Path) -> Graph:
    for path in case_inputs(case):
        outcome = ingestor.ingest(path)
        assert outcome.status in {"ingested", "replaced"}, f"{path}: {outcome.status} {outcome.message}"
    return location_free(ingestor.store)


def readable_diff(actual: Graph, expected: Graph) -> str:
    _, only_actual, only_expected = graph_diff(to_isomorphic(actual), to_isomorphic(expected))
    parts = []
    for title, g in (("only in actual", only_actual), ("only in expected", only_expected)):
        bind_prefixes(g)
        lines = sorted(g.serialize(format="nt").splitlines())
        parts.append(f"--- {title} ({len(lines)} triples)\n" + "\n".join(lines[:80]))
    return "\n".join(parts)
