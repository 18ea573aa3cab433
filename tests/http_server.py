"""`filmgraph serve` in a subprocess for tests: a free loopback port, a store prepared from data/samples.

    with FilmgraphServer(tmp_path / "srv", prepared_store(tmp_path_factory)) as server:
        httpx.get(server.url + "/health")

The store is made once per test session with `filmgraph ingest data/samples` and copied for each server (a
serving process holds its store's lock). The server is polled on /health until it answers (with a deadline,
never a fixed sleep) and stopped with SIGTERM, then SIGKILL.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from types import TracebackType

import httpx
import pytest

from servers import free_port

REPO = Path(__file__).resolve().parents[1]
SAMPLES = REPO / "data" / "samples"
FILMGRAPH = str(Path(sys.executable).with_name("filmgraph"))
UPDATE_TOKEN = "test-token-0123456789"
_PREPARED: dict[str, Path] = {}


def prepared_store(factory: pytest.TempPathFactory) -> Path:
    """An embedded store holding data/samples, made once per session (copy it before serving)."""
    if "samples" not in _PREPARED:
        folder = factory.mktemp("http-samples") / "store"
        done = subprocess.run([FILMGRAPH, "--store", str(folder), "ingest", str(SAMPLES)], capture_output=True,
                              text=True, timeout=300)
        assert done.returncode == 0, done.stdout + done.stderr
        _PREPARED["samples"] = folder
    return _PREPARED["samples"]


class FilmgraphServer:
    """`filmgraph serve` on 127.0.0.1:<free port> over a private copy of `store`."""

    def __init__(self, directory: Path, store: Path | None, *args: str, env: dict[str, str] | None = None,
                 deadline_s: float = 90.0) -> None:
        self.directory = directory
        self.directory.mkdir(parents=True, exist_ok=True)
        self.store = self.directory / "store"
        if store is not None and not self.store.exists():
            shutil.copytree(store, self.store, ignore=shutil.ignore_patterns("LOCK"))
        self.args = args
        self.env = {**os.environ, **(env or {})}
        self.deadline_s = deadline_s
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen[bytes] | None = None
        self.log = self.directory / "server.log"

    def start(self) -> None:
        command = [FILMGRAPH, "--store", str(self.store), "serve", "--host", "127.0.0.1", "--port", str(self.port),
                   "--log-level", "warning", *self.args]
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env=self.env,
                                            start_new_session=True)
        deadline = time.monotonic() + self.deadline_s
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"filmgraph serve exited with {self.process.returncode}:\n{self.log.read_text()}")
            try:
                if httpx.get(self.url + "/health", timeout=2.0).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"filmgraph serve did not answer within {self.deadline_s} s:\n{self.log.read_text()}")

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)

    def __enter__(self) -> FilmgraphServer:
        self.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()

    def triples(self) -> int:
        return int(httpx.get(self.url + "/health", timeout=10).json()["triples"])
