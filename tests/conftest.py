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
