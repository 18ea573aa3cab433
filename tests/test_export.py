"""Exports are deterministic and faithful: same graph, same bytes; every format parses back."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from rdflib import Dataset, Graph
from rdflib.compare import isomorphic

from conftest import FIXED_TIME, SAMPLES
from filmgraph.config import Settings
from filmgraph.ingest import Ingestor
from filmgraph.store import open_store
from filmgraph.store.export import FORMATS, export, merged_graph


def _store_with(paths: list[Path]) -> Ingestor:
    ingestor = Ingestor(open_store("memory"), Settings(store="memory"), clock=lambda: FIXED_TIME)
    for path in paths:
        assert ingestor.ingest(path).status == "ingested"
    return ingestor


def _inputs(seed_path: Path) -> list[Path]:
    return [seed_path, *sorted(SAMPLES.glob("*.txt"))[:3]]


@pytest.mark.parametrize("fmt", FORMATS)
def test_export_is_byte_identical_across_runs(fmt: str, seed_path: Path) -> None:
    first, second = io.BytesIO(), io.BytesIO()
    export(_store_with(_inputs(seed_path)).store, fmt, first)
    export(_store_with(_inputs(seed_path)).store, fmt, second)
    assert first.getvalue() == second.getvalue()
    assert len(first.getvalue()) > 1000


@pytest.mark.parametrize("fmt", ["turtle", "nt", "jsonld"])
def test_triple_exports_parse_back_to_the_same_graph(fmt: str, seed_path: Path) -> None:
    ingestor = _store_with(_inputs(seed_path))
    buffer = io.BytesIO()
    export(ingestor.store, fmt, buffer)
    parsed = Graph().parse(data=buffer.getvalue(), format={"turtle": "turtle", "nt": "nt", "jsonld": "json-ld"}[fmt])
    assert isomorphic(parsed, merged_graph(ingestor.store))


@pytest.mark.parametrize("fmt", ["nquads", "trig"])
def test_quad_exports_keep_each_review_in_its_named_graph(fmt: str, seed_path: Path) -> None:
    ingestor = _store_with(_inputs(seed_path))
    buffer = io.BytesIO()
    export(ingestor.store, fmt, buffer)
    dataset = Dataset()
    dataset.parse(data=buffer.getvalue(), format=fmt)
    names = {str(g.identifier) for g in dataset.graphs() if len(g)}
    assert {str(g) for g in ingestor.store.graph_names()} <= names


def test_turtle_uses_the_http_schema_prefix(seed_path: Path) -> None:
    buffer = io.BytesIO()
    export(_store_with([seed_path]).store, "turtle", buffer)
    text = buffer.getvalue().decode()
    assert "@prefix schema: <http://schema.org/> ." in text
    assert "https://schema.org/" not in text


def test_jsonld_has_a_context(seed_path: Path) -> None:
    buffer = io.BytesIO()
    export(_store_with([seed_path]).store, "jsonld", buffer)
    data = json.loads(buffer.getvalue())
    assert data["@context"]["schema"] == "http://schema.org/"
