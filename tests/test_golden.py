"""Every golden case ingests to exactly its expected graph (compared by isomorphism)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.compare import isomorphic

from filmgraph.ingest import Ingestor
from golden_support import GOLDEN, ingest_case, readable_diff

CASES = sorted(p for p in GOLDEN.iterdir() if (p / "inputs.txt").exists())


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_golden_case(case: Path, ingestor: Ingestor) -> None:
    actual = ingest_case(ingestor, case)
    expected_path = case / "expected.ttl"
    if os.environ.get("FILMGRAPH_REGENERATE_GOLDEN") == "1":
        expected_path.write_text(actual.serialize(format="turtle"), encoding="utf-8")
    expected = Graph().parse(expected_path, format="turtle")
    assert isomorphic(actual, expected), f"{case.name} differs:\n{readable_diff(actual, expected)}"
