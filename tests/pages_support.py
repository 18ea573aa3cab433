"""A served store for the page tests: data/samples, the seed review when ../shared is present, and the two
reviews in tests/data/pages that make link decisions about Park Chan-wook (one spelling "Chan-wook Park" merged
on a shared film, one kept apart: no shared film).

    with pages_server(tmp_path_factory) as server:
        httpx.get(server.url + "/films/oldboy-2003", headers={"Accept": "text/html"})
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from http_server import FILMGRAPH, SAMPLES, FilmgraphServer

REPO = Path(__file__).resolve().parents[1]
PAGE_REVIEWS = REPO / "tests" / "data" / "pages"
SEED = REPO.parent / "shared" / "seeds" / "000_e60a94f7ba5846fc.txt"
BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"
_STORES: dict[str, Path] = {}


def pages_store(factory: pytest.TempPathFactory) -> Path:
    """The store, made once per test session (each server serves its own copy)."""
    if "pages" not in _STORES:
        folder = factory.mktemp("pages-store") / "store"
        inputs = [str(SAMPLES), str(PAGE_REVIEWS), *([str(SEED)] if SEED.exists() else [])]
        done = subprocess.run([FILMGRAPH, "--store", str(folder), "ingest", *inputs], capture_output=True,
                              text=True, timeout=300)
        assert done.returncode == 0, done.stdout + done.stderr
        _STORES["pages"] = folder
    return _STORES["pages"]


def pages_server(factory: pytest.TempPathFactory, *args: str) -> FilmgraphServer:
    return FilmgraphServer(factory.mktemp("pages-srv"), pages_store(factory), *args)
