"""Locate the ontology and query files, whether installed from a wheel or run from a checkout."""

from __future__ import annotations

import functools
from importlib import resources
from pathlib import Path


@functools.cache
def _resource_dir(name: str) -> Path:
    packaged = Path(str(resources.files("filmgraph"))) / name
    if packaged.is_dir():
        return packaged
    checkout = Path(__file__).resolve().parents[2] / name
    if checkout.is_dir():
        return checkout
    raise FileNotFoundError(f"filmgraph resource folder {name!r} is missing from the installation")


def ontology_dir() -> Path:
    """The folder holding filmgraph.ttl and shapes.ttl."""
    return _resource_dir("ontology")


def queries_dir() -> Path:
    """The folder holding the named SPARQL queries (*.rq)."""
    return _resource_dir("queries")


def bundled_authority() -> Path | None:
    """The authority file shipped with filmgraph, if present."""
    try:
        return _resource_dir("data") / "authority.ttl"
    except FileNotFoundError:
        return None
