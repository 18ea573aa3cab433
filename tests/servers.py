"""Real SPARQL servers for tests: Oxigraph server (from the `oxigraph` PyPI package) and Virtuoso 7.

Both listen on 127.0.0.1 on free ports with their data in a private directory, are polled until they
answer (with a deadline, never a fixed sleep), and are stopped with SIGTERM, then SIGKILL.

    with OxigraphServer(tmp_path / "ox") as server:
        store = RemoteStore(server.query_url)

Oxigraph runs with its own default graph, where filmgraph keeps the union view of the named graphs.

Virtuoso (``apt-get install virtuoso-opensource``; tests skip when ``virtuoso-t`` is not installed) runs as
``virtuoso-t +foreground +configfile <private ini>``: a copy of the Debian ini with the database files moved
to the private directory and both ports (SQL ``[Parameters] ServerPort`` and ``[HTTPServer] ServerPort``)
bound to free loopback ports. Its anonymous ``/sparql`` endpoint may read but not update (the ``SPARQL`` user
lacks the ``SPARQL_UPDATE`` role: HTTP 500 "SR186: No permission"). Rather than granting that role through
``isql``, the tests use the authenticated endpoints ``/sparql-auth`` and ``/sparql-graph-crud-auth`` with the
default administrator ``dba``/``dba`` (HTTP digest auth, which `RemoteStore` negotiates on its own).
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from types import TracebackType
from typing import Any

import httpx
import pytest

from filmgraph.config import Settings
from filmgraph.store.remote import RemoteStore

VIRTUOSO_INI = Path("/etc/virtuoso-opensource-7/virtuoso.ini")
VIRTUOSO_USER = ("dba", "dba")


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nobody listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def oxigraph_executable() -> str:
    """`oxigraph` next to the running Python (the venv's), else on PATH; skip when absent."""
    beside = Path(sys.executable).with_name("oxigraph")
    if beside.exists():
        return str(beside)
    found = shutil.which("oxigraph")
    if found is None:
        pytest.skip("the oxigraph server is not installed (pip install oxigraph)")
    return found


def virtuoso_executable() -> str:
    """`virtuoso-t`, or skip the test when Virtuoso is not installed."""
    found = shutil.which("virtuoso-t")
    if found is None or not VIRTUOSO_INI.exists():
        pytest.skip("Virtuoso is not installed (apt-get install virtuoso-opensource; CI runs .ci/install-virtuoso)")
    return found


class ServerProcess:
    """A server process that can be started, stopped and killed, and restarted on the same data."""

    ready_path = "/"
    ready_deadline_s = 120.0
    auth: tuple[str, str] | None = None

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.directory.mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.log_path = self.directory / "server.log"
        self.process: subprocess.Popen[bytes] | None = None

    def argv(self) -> list[str]:
        raise NotImplementedError

    @property
    def query_url(self) -> str:
        raise NotImplementedError

    def start(self) -> ServerProcess:
        if self.process is not None and self.process.poll() is None:
            return self
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(
                self.argv(), cwd=self.directory, stdout=log, stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL, start_new_session=True,
            )
        self._wait_ready()
        return self

    def _wait_ready(self) -> None:
        assert self.process is not None
        deadline = time.monotonic() + self.ready_deadline_s
        url = self.base_url + self.ready_path
        while True:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.argv()[0]} exited with {self.process.returncode}:\n{self.log_tail()}")
            try:
                if httpx.get(url, timeout=5.0).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                self.kill()
                raise RuntimeError(f"{url} did not answer within {self.ready_deadline_s:.0f} s:\n{self.log_tail()}")
            time.sleep(0.1)

    def log_tail(self, lines: int = 20) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    def stop(self, grace_s: float = 60.0) -> None:
        """SIGTERM, then SIGKILL when it does not exit within `grace_s`."""
        process, self.process = self.process, None
        if process is None or process.poll() is not None:
            return
        process.terminate()
        try:
            process.wait(timeout=grace_s)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()

    def kill(self) -> None:
        """SIGKILL at once, as a crash would."""
        process, self.process = self.process, None
        if process is not None and process.poll() is None:
            os.kill(process.pid, signal.SIGKILL)
            process.wait()

    def store(self, **options: Any) -> RemoteStore:
        """A `RemoteStore` on this server (no back-off delays unless asked)."""
        options.setdefault("backoff", 0.0)
        options.setdefault("auth", self.auth)
        return RemoteStore(self.query_url, settings=Settings(), **options)

    def __enter__(self) -> ServerProcess:
        return self.start()

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.stop()


class OxigraphServer(ServerProcess):
    """`oxigraph serve --location DIR --bind 127.0.0.1:PORT`."""

    ready_path = "/query?query=ASK%7B%7D"

    def argv(self) -> list[str]:
        return [
            oxigraph_executable(), "serve", "--location", str(self.directory / "data"),
            "--bind", f"127.0.0.1:{self.port}",
        ]

    @property
    def query_url(self) -> str:
        return f"{self.base_url}/query"


class VirtuosoServer(ServerProcess):
    """`virtuoso-t +foreground +configfile DIR/virtuoso.ini` on two free loopback ports."""

    ready_path = "/sparql?query=ASK%7B%7D"
    auth = VIRTUOSO_USER

    def __init__(self, directory: Path) -> None:
        self.executable = virtuoso_executable()
        super().__init__(directory)
        self.sql_port = free_port()
        self.ini_path = self.directory / "virtuoso.ini"
        self.ini_path.write_text(self._private_ini(VIRTUOSO_INI.read_text()))

    def _private_ini(self, text: str) -> str:
        db = self.directory / "db"
        db.mkdir(exist_ok=True)
        overrides: dict[str, dict[str, object]] = {
            "database": {
                "databasefile": db / "virtuoso.db", "errorlogfile": db / "virtuoso.log",
                "lockfile": db / "virtuoso.lck", "transactionfile": db / "virtuoso.trx",
                "xa_persistent_file": db / "virtuoso.pxa",
            },
            "tempdatabase": {"databasefile": db / "virtuoso-temp.db", "transactionfile": db / "virtuoso-temp.trx"},
            "parameters": {"serverport": f"127.0.0.1:{self.sql_port}"},
            "httpserver": {"serverport": f"127.0.0.1:{self.port}"},
        }
        section = ""
        out = []
        for line in text.splitlines():
            header = re.match(r"\s*\[([^\]]+)\]", line)
            if header:
                section = header.group(1).strip().lower()
            setting = re.match(r"\s*([A-Za-z_]+)\s*=", line)
            if setting and setting.group(1).lower() in overrides.get(section, {}):
                line = f"{setting.group(1)} = {overrides[section][setting.group(1).lower()]}"
            out.append(line)
        return "\n".join(out) + "\n"

    def argv(self) -> list[str]:
        return [self.executable, "+foreground", "+configfile", str(self.ini_path)]

    @property
    def query_url(self) -> str:
        """The authenticated endpoint: queries and updates (digest auth as dba)."""
        return f"{self.base_url}/sparql-auth"
