"""A remote store is configured by what the server is, not by its URL: filmgraph's own `serve` (a read-only
`/sparql`) used as a store, the probe, and an explicit `--server`."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import SAMPLES
from filmgraph.config import Settings
from filmgraph.errors import StoreError
from filmgraph.store.remote import RemoteStore
from http_server import FILMGRAPH, FilmgraphServer, prepared_store


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FilmgraphServer]:
    with FilmgraphServer(tmp_path_factory.mktemp("served"), prepared_store(tmp_path_factory)) as running:
        yield running


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([FILMGRAPH, *args], capture_output=True, text=True, timeout=120)


def stats_rows(output: str) -> dict[str, str]:
    rows = {}
    for line in output.splitlines():
        cells = [cell.strip() for cell in line.strip("│┃ ").split("│")]
        if len(cells) == 2 and cells[1].isdigit():
            rows[cells[0]] = cells[1]
    return rows


def test_filmgraph_serve_reads_as_a_generic_store(served: FilmgraphServer) -> None:
    """Its /sparql is no Virtuoso: the same stats as the embedded store it serves, no union graph asked for."""
    with RemoteStore(served.url + "/sparql", settings=Settings()) as store:
        assert store.server == "generic" and store.union_graph is None
    remote = cli("--store", served.url + "/sparql", "stats")
    assert remote.returncode == 0, remote.stdout + remote.stderr
    served.stop()  # the embedded store is locked while it is served
    try:
        local = cli("--store", str(served.store), "stats")
    finally:
        served.start()
    assert local.returncode == 0, local.stderr
    got, expected = stats_rows(remote.stdout), stats_rows(local.stdout)
    assert int(expected["Movie"]) > 5 and int(expected["named graphs"]) > 5
    assert got == expected


def test_a_write_to_a_read_only_endpoint_is_refused_clearly(served: FilmgraphServer, tmp_path: Path) -> None:
    before = served.triples()
    review = tmp_path / "oldboy_again.txt"  # not the stored review: a new one to write
    review.write_text((SAMPLES / "oldboy_2003_glued.txt").read_text() + "\nSeen again in 2024.\n")
    done = cli("--store", served.url + "/sparql", "ingest", str(review))
    assert done.returncode == 5, done.stdout + done.stderr
    assert "read-only" in done.stdout + done.stderr and "nothing was written" in done.stdout + done.stderr
    with RemoteStore(served.url + "/sparql", settings=Settings()) as store, pytest.raises(StoreError) as caught:
        store.drop_graph(store.graph_names()[0])
    assert "read-only" in str(caught.value) and "HTTP 403" in str(caught.value)
    assert served.triples() == before


def test_an_explicit_kind_is_not_second_guessed(served: FilmgraphServer) -> None:
    """`--server virtuoso` on a server that is not: filmgraph does as told (and the server refuses the
    Virtuoso union graph), so the option is what decides, not the probe."""
    told = cli("--store", served.url + "/sparql", "--server", "virtuoso", "stats")
    assert told.returncode != 0 and "urn:filmgraph:union" in told.stdout + told.stderr
    env_told = subprocess.run([FILMGRAPH, "--store", served.url + "/sparql", "stats"], capture_output=True,
                              text=True, timeout=120, env={"FILMGRAPH_SERVER": "generic", "PATH": "/usr/bin:/bin"})
    assert env_told.returncode == 0, env_told.stderr
