"""Shared fixtures: paths, a fresh store, a fixed clock."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from filmgraph.config import Settings
from filmgraph.store import Store, open_store

if TYPE_CHECKING:
    from filmgraph.ingest import Ingestor

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
SAMPLES = REPO / "data" / "samples"
SEED = SHARED / "seeds" / "000_e60a94f7ba5846fc.txt"
FIXED_TIME = datetime(2026, 1, 1, 12, 0, tzinfo=timezone.utc)


def shared_path(relative: str) -> Path:
    """A file under ../shared/, or skip the test when it is absent (a user's machine)."""
    path = SHARED / relative
    if not path.exists():
        pytest.skip(f"{path} is not available (../shared/ is only beside CI and developer checkouts)")
    return path


@pytest.fixture
def seed_path() -> Path:
    return shared_path("seeds/000_e60a94f7ba5846fc.txt")


@pytest.fixture
def store() -> Iterator[Store]:
    s = open_store("memory")
    yield s
    s.close()


@pytest.fixture
def ingestor(store: Store) -> Ingestor:
    from filmgraph.ingest import Ingestor

    return Ingestor(store, Settings(store="memory"), clock=lambda: FIXED_TIME)


# --- store backends (issue 4): `any_store` runs a test on every backend ----------------------------------
# memory, embedded (on disk), an Oxigraph server and Virtuoso 7 (skipped when not installed). The servers
# start once per session; each test gets them emptied.

STORE_BACKENDS = ("memory", "embedded", "oxigraph-server", "virtuoso")


@pytest.fixture(scope="session")
def oxigraph_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    from servers import OxigraphServer

    with OxigraphServer(tmp_path_factory.mktemp("oxigraph-server")) as server:
        yield server


@pytest.fixture(scope="session")
def virtuoso_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    from servers import VirtuosoServer

    with VirtuosoServer(tmp_path_factory.mktemp("virtuoso")) as server:
        yield server


def _empty_remote(store: Store) -> None:
    for graph in store.graph_names():
        store.drop_graph(graph)


@pytest.fixture(params=STORE_BACKENDS)
def any_store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    backend = request.param
    remote = backend in ("oxigraph-server", "virtuoso")
    if backend == "memory":
        s = open_store("memory")
    elif backend == "embedded":
        s = open_store(str(tmp_path / "store"))
    else:
        server = request.getfixturevalue("oxigraph_server" if backend == "oxigraph-server" else "virtuoso_server")
        s = server.store()
        _empty_remote(s)
    yield s
    if remote:
        _empty_remote(s)
    s.close()
