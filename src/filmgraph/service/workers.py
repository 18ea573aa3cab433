"""Where the service's jobs run, and how they are cut off: worker processes or threads, and `Service`.

Time and size limits (the design)
---------------------------------
pyoxigraph cannot interrupt a running query, and it releases the GIL while it evaluates. So the service
never runs store work on the event loop, and it can always abandon or kill what runs too long:

* **Embedded on-disk store** (the default): two pools of worker processes (``http_workers`` each, default
  2): one for JSON lookups and one for ``/sparql``, so a runaway SPARQL query can never take the lookups'
  workers. Each worker opens the store with ``pyoxigraph.Store.read_only`` and answers jobs over a pipe; the
  event loop waits on the pipe (``loop.add_reader``), so waiting costs no thread. A job that passes the time
  limit (``query_timeout_s``, default 10 s) has its worker killed (SIGKILL) and replaced in the background;
  the client gets 503 ``{"error": ..., "limit": seconds}``. A request that cannot get a worker within the time
  limit (all busy) gets 503 too, so nobody waits longer than the limit for a worker. Workers also do the
  result serialization, so the event loop only relays bytes and lookups use both cores.
  The server process holds the store's RocksDB ``LOCK`` (an fcntl lock, as RocksDB takes it) for its whole
  life: read-only openers must not share the files with a writer, so a concurrent ``filmgraph ingest`` is
  refused ("store is locked") instead of corrupting what readers see. Updates (``allow_update``) drain both
  pools, have the workers close their stores, run in one worker that opens the store read-write (and is
  killed at the time limit: an Oxigraph update is one transaction, so a killed one writes nothing), then the
  workers reopen and the store generation moves on.
* **Memory store** (and a remote SPARQL store): one shared store and two thread pools. A query past the limit
  is abandoned: the client gets the same 503 at once, the thread finishes on its own and keeps its slot until
  then, so at most ``http_workers`` runaway queries burn CPU and further ones wait (at most the limit) for a
  slot. Updates on a remote store are refused: send them to that store.

Results are read lazily and the worker stops at ``query_result_limit`` + 1 rows (or triples): more gives 413
``{"error": ..., "limit": n}``; nothing unbounded is built in memory.

Measured on this 2-core machine (bench/http_load.py, 100k-film graph on disk, 1,000 distinct films a
level): ``/films/{slug}/related`` at concurrency 8 answers 204-249 requests/s, p50 31-38 ms, p99 53-67 ms;
``/sparql`` (a cast SELECT) about 2,600 requests/s. A spawned worker starts in about a second, a pipe round
trip costs well under a millisecond. Workers freeze what they loaded at start out of the garbage
collector's sight (`gc.freeze`), and uvicorn runs on uvloop and httptools.

ETag: a hash of the store's file listing (names, sizes, modification times) when the service starts, a
counter bumped by every update through the service, and the request's path and query string. While the
service holds the store's lock nothing else can change it, so the tag is exact and costs nothing per request.
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import gc
import hashlib
import logging
import multiprocessing
import os
import secrets
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from fastapi import Request

from ..config import Settings
from ..errors import FilmgraphError
from ..store import OxigraphStore
from .jobs import Backend, ServiceError, SparqlJob, backend_kind, execute

log = logging.getLogger(__name__)


def _worker_main(conn: Connection, spec: str, settings: Settings) -> None:
    """A worker process: open the store read-only, then answer jobs until the pipe closes."""
    try:
        backend = Backend(spec, settings, read_only=True)
    except Exception as exc:
        conn.send(("error", (503, f"cannot open the store: {exc}", {})))
        return
    gc.freeze()  # what the worker has loaded so far lives as long as it does: full collections skip it
    conn.send(("ok", "ready"))
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError, KeyboardInterrupt):
            return
        if message is None:
            return
        op, args = message
        try:
            conn.send(execute(backend, op, args))
        except (BrokenPipeError, OSError):
            return


class Busy(ServiceError):
    def __init__(self, message: str, limit: float) -> None:
        super().__init__(503, message, limit=limit)


def _timeout_error(what: str, limit: float) -> ServiceError:
    return ServiceError(503, f"the {what} ran longer than the time limit of {limit:g} s and was stopped; "
                             "narrow it (fewer joins, a LIMIT) and retry", limit=limit)


def _unpack(reply: tuple[str, Any]) -> Any:
    status, value = reply
    if status == "ok":
        return value
    code, message, extra = value
    raise ServiceError(code, message, **extra)


@dataclass(eq=False)
class _Worker:
    process: multiprocessing.process.BaseProcess
    conn: Connection
    started: float


class ProcessExecutor:
    """A pool of worker processes over a read-only on-disk store; a job past its limit kills its worker."""

    def __init__(self, name: str, size: int, spec: str, settings: Settings) -> None:
        self.name, self.size, self.spec, self.settings = name, max(1, size), spec, settings
        self._ctx = multiprocessing.get_context("spawn")
        self._idle: asyncio.Queue[_Worker] = asyncio.Queue()
        self._workers: set[_Worker] = set()
        self._tasks: set[asyncio.Task[Any]] = set()
        self.killed = 0
        self._closing = False

    async def start(self) -> None:
        await asyncio.gather(*(self._spawn() for _ in range(self.size)))

    async def _spawn(self, attempts: int = 3) -> None:
        for attempt in range(attempts):
            parent, child = self._ctx.Pipe()
            process = self._ctx.Process(target=_worker_main, args=(child, self.spec, self.settings), daemon=True,
                                        name=f"filmgraph-{self.name}")
            process.start()
            child.close()
            worker = _Worker(process, parent, time.monotonic())
            try:
                _unpack(await self._receive(parent, 120.0))
            except (ServiceError, asyncio.TimeoutError, EOFError, OSError) as exc:
                log.error("%s worker could not start (attempt %d): %s", self.name, attempt + 1, exc)
                self._stop(worker)
                if attempt + 1 == attempts:
                    raise
                await asyncio.sleep(1.0)
                continue
            if self._closing:
                self._stop(worker)
                return
            self._workers.add(worker)
            self._idle.put_nowait(worker)
            return

    @staticmethod
    async def _receive(conn: Connection, timeout: float) -> Any:
        loop = asyncio.get_running_loop()
        future: asyncio.Future[Any] = loop.create_future()
        fd = conn.fileno()

        def readable() -> None:
            loop.remove_reader(fd)
            if future.done():
                return
            try:
                # the reply has begun to arrive; read all of it (uvloop leaves the pipe non-blocking, and a
                # large reply would then stop at EAGAIN half-read)
                os.set_blocking(fd, True)
                future.set_result(conn.recv())
            except BaseException as exc:  # EOF: the worker died
                future.set_exception(exc)

        loop.add_reader(fd, readable)
        try:
            return await asyncio.wait_for(future, timeout)
        finally:
            loop.remove_reader(fd)

    def _stop(self, worker: _Worker) -> None:
        self._workers.discard(worker)
        with contextlib.suppress(Exception):
            worker.process.kill()
        with contextlib.suppress(Exception):
            worker.conn.close()
        self._background(asyncio.to_thread(worker.process.join, 10))

    def _background(self, coro: Any) -> None:
        task = asyncio.ensure_future(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        task.add_done_callback(lambda t: t.cancelled() or t.exception())

    def _replace(self, worker: _Worker) -> None:
        self._stop(worker)
        self.killed += 1
        if not self._closing:
            self._background(self._spawn())

    async def acquire(self, timeout: float) -> _Worker:
        try:
            return await asyncio.wait_for(self._idle.get(), timeout)
        except asyncio.TimeoutError:
            raise Busy(f"all {self.size} {self.name} workers stayed busy for the time limit of {timeout:g} s "
                       "(other long requests are running); try again", timeout) from None

    def release(self, worker: _Worker) -> None:
        if worker in self._workers:
            self._idle.put_nowait(worker)

    async def call(self, worker: _Worker, op: str, args: tuple[Any, ...], timeout: float, what: str) -> Any:
        """Run a job on an acquired worker; past `timeout` the worker is killed and replaced."""
        try:
            worker.conn.send((op, args))
            reply = await self._receive(worker.conn, timeout)
        except asyncio.TimeoutError:
            log.warning("%s worker killed: %s ran past %g s", self.name, what, timeout)
            self._replace(worker)
            raise _timeout_error(what, timeout) from None
        except (EOFError, OSError) as exc:
            self._replace(worker)
            raise ServiceError(503, f"the {self.name} worker stopped unexpectedly ({exc}); try again") from exc
        return _unpack(reply)

    async def run(self, op: str, args: tuple[Any, ...], timeout: float, what: str = "request") -> Any:
        worker = await self.acquire(timeout)

        async def job() -> Any:
            try:
                return await self.call(worker, op, args, timeout, what)
            finally:
                self.release(worker)  # a killed worker is no longer in the pool: not released

        task = asyncio.ensure_future(job())
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        task.add_done_callback(lambda t: t.cancelled() or t.exception())
        return await asyncio.shield(task)  # a client that goes away does not strand the worker

    async def acquire_all(self, timeout: float) -> list[_Worker]:
        got: list[_Worker] = []
        try:
            while len(got) < self.size:
                got.append(await self.acquire(timeout))
        except ServiceError:
            for worker in got:
                self.release(worker)
            raise
        return got

    def stats(self) -> dict[str, int]:
        return {"workers": len(self._workers), "idle": self._idle.qsize(), "killed": self.killed}

    async def close(self) -> None:
        self._closing = True
        for worker in list(self._workers):
            with contextlib.suppress(Exception):
                worker.conn.send(None)
            self._stop(worker)
        for task in list(self._tasks):
            task.cancel()


class ThreadExecutor:
    """Threads over one shared store (memory, remote): a job past its limit is abandoned, not killed."""

    def __init__(self, name: str, size: int, backend: Backend) -> None:
        self.name, self.size, self.backend = name, max(1, size), backend
        self._pool = ThreadPoolExecutor(max_workers=self.size, thread_name_prefix=f"filmgraph-{name}")
        self._slots = asyncio.Semaphore(self.size)
        self.abandoned = 0

    async def start(self) -> None:
        return None

    async def run(self, op: str, args: tuple[Any, ...], timeout: float, what: str = "request") -> Any:
        try:
            await asyncio.wait_for(self._slots.acquire(), timeout)
        except asyncio.TimeoutError:
            raise Busy(f"all {self.size} {self.name} threads stayed busy for the time limit of {timeout:g} s "
                       "(runaway queries still running); try again", timeout) from None
        loop = asyncio.get_running_loop()
        future = loop.run_in_executor(self._pool, execute, self.backend, op, args)
        future.add_done_callback(lambda _: self._slots.release())  # the slot is held until the thread is done
        try:
            reply = await asyncio.wait_for(asyncio.shield(future), timeout)
        except asyncio.TimeoutError:
            self.abandoned += 1
            raise _timeout_error(what, timeout) from None
        return _unpack(reply)

    def stats(self) -> dict[str, int]:
        return {"workers": self.size, "abandoned": self.abandoned}

    async def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)


Executor = ProcessExecutor | ThreadExecutor


def _fingerprint(spec: str) -> str:
    path = Path(spec)
    entries = []
    if path.is_dir():
        for entry in sorted(os.scandir(path), key=lambda e: e.name):
            if entry.is_file() and entry.name != "LOCK" and not entry.name.startswith("LOG"):
                info = entry.stat()
                entries.append(f"{entry.name}:{info.st_size}:{info.st_mtime_ns}")
    return hashlib.sha256("\n".join(entries).encode()).hexdigest()


class Service:
    """The store behind the routes: executors, the store lock, the generation that makes ETags."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.kind = backend_kind(settings.store)
        self.lookups: Executor | None = None
        self.sparql: Executor | None = None
        self._lock_fd: int | None = None
        self._start_lock = asyncio.Lock()
        self._write_lock = asyncio.Lock()
        self._base_tag = secrets.token_hex(8)
        self.generation = 0
        self.started = False

    # -- life -------------------------------------------------------------------------------------------
    async def ensure_started(self) -> None:
        if self.started:
            return
        async with self._start_lock:
            if not self.started:
                await self.start()

    async def start(self) -> None:
        size = max(1, int(self.settings.http_workers))
        if self.kind == "disk":
            path = Path(self.settings.store)
            if not (path / "CURRENT").exists():  # a new store: create it so read-only workers can open it
                OxigraphStore(path).close()
            self._take_lock()
            self._base_tag = _fingerprint(self.settings.store)[:16]
            self.lookups = ProcessExecutor("lookup", size, self.settings.store, self.settings)
            self.sparql = ProcessExecutor("sparql", size, self.settings.store, self.settings)
            await asyncio.gather(self.lookups.start(), self.sparql.start())
        else:
            backend = await asyncio.to_thread(Backend, self.settings.store, self.settings, read_only=False)
            self.lookups = ThreadExecutor("lookup", size, backend)
            self.sparql = ThreadExecutor("sparql", size, backend)
        self.started = True
        log.info("filmgraph service started on %s (%s store)", self.settings.store, self.kind)

    async def close(self) -> None:
        for executor in (self.lookups, self.sparql):
            if executor is not None:
                await executor.close()
        self._release_lock()
        self.started = False

    def _take_lock(self) -> None:
        path = Path(self.settings.store) / "LOCK"
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            os.close(fd)
            from ..errors import StoreLocked

            raise StoreLocked("store is locked by another filmgraph process; stop it before serving",
                              source=self.settings.store) from exc
        self._lock_fd = fd

    def _release_lock(self) -> None:
        if self._lock_fd is not None:
            with contextlib.suppress(OSError):
                fcntl.lockf(self._lock_fd, fcntl.LOCK_UN)
            os.close(self._lock_fd)
            self._lock_fd = None

    # -- state ------------------------------------------------------------------------------------------
    @property
    def tag(self) -> str:
        return f"{self._base_tag}.{self.generation}"

    def etag(self, request: Request) -> str:
        digest = hashlib.sha256(f"{self.tag} {request.url.path}?{request.url.query}".encode()).hexdigest()[:20]
        return f'W/"{digest}"'

    @property
    def timeout(self) -> float:
        return float(self.settings.query_timeout_s)

    async def lookup(self, op: str, *args: Any) -> Any:
        await self.ensure_started()
        assert self.lookups is not None
        return await self.lookups.run(op, args, self.timeout, what="lookup")

    async def query(self, job: SparqlJob) -> tuple[str, bytes]:
        await self.ensure_started()
        assert self.sparql is not None
        result: tuple[str, bytes] = await self.sparql.run("sparql", (job,), self.timeout, what="query")
        return result

    async def update(self, text: str) -> None:
        await self.ensure_started()
        async with self._write_lock:
            if isinstance(self.lookups, ProcessExecutor) and isinstance(self.sparql, ProcessExecutor):
                await self._update_on_disk(self.lookups, self.sparql, text)
            else:
                assert self.sparql is not None
                await self.sparql.run("update", (text,), self.timeout, what="update")
            self.generation += 1

    async def _update_on_disk(self, lookups: ProcessExecutor, sparql: ProcessExecutor, text: str) -> None:
        wait = self.timeout + 30.0  # running jobs end within the limit; replacements take seconds to start
        held = [(lookups, w) for w in await lookups.acquire_all(wait)]
        try:
            held += [(sparql, w) for w in await sparql.acquire_all(wait)]
            for pool, worker in held:
                await pool.call(worker, "close", (), 30.0, "close")
            self._release_lock()
            try:
                pool, worker = held[-1]
                await pool.call(worker, "update", (text,), self.timeout, "update")
            finally:
                try:
                    self._take_lock()
                except FilmgraphError:
                    log.warning("could not retake the store lock after an update")
                for pool, worker in held:
                    with contextlib.suppress(ServiceError):
                        await pool.call(worker, "open", (), 30.0, "reopen")
        finally:
            for pool, worker in held:
                pool.release(worker)

    async def health(self) -> dict[str, Any]:
        try:
            info = await self.lookup("health")
        except ServiceError as exc:
            return {"status": "unavailable", "error": exc.message}
        return {"status": "ok", **info}
