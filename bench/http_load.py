"""Load and abuse the HTTP service on loopback: requests per second and p50/p99 latency, then a runaway query.

    .venv/bin/python bench/http_load.py                          # builds the 100k-film graph (bench/synth.py)
    .venv/bin/python bench/http_load.py --store /tmp/fg-100k     # reuse a store (built there if empty)
    .venv/bin/python bench/http_load.py --films 10000 --duration 5

Starts `filmgraph serve` on 127.0.0.1 (a free port) over an embedded on-disk store, then for each concurrency
level (1, 8, 32) runs a closed loop (asyncio + httpx) against `/films/{slug}/related` that asks for each of
1,000 distinct films exactly once, a different 1,000 per level (so no film's neighbourhood is memoised before
it is asked for; the server is warmed on 50 films no level asks about), and one of a fixed duration against
`/sparql` with a typical SELECT (a film's cast with names). Finally it sends
a runaway cross-product query and prints the latency of lookups made while it runs, and how the runaway ended.
Everything stays on 127.0.0.1 and is bounded in time. Targets (issue 6): related at concurrency 8 on the
100k-film graph: p50 < 40 ms, p99 < 200 ms, >= 100 requests/s. Measured here (2 cores, client included):
204-249 requests/s, p50 31-38 ms, p99 53-67 ms over several runs; concurrency 1: 87-91 requests/s, p50
10-11 ms. The client is a few lines of asyncio (`Connection`): httpx took a fifth of the CPU.

The graph comes from bench/synth.py when it exists, else from bench/related_speed.py's generator.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import random
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

import httpx

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))
FILMGRAPH = str(Path(sys.executable).with_name("filmgraph"))
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
CAST = ("PREFIX schema: <http://schema.org/> SELECT ?actor ?name WHERE {{ <{film}> schema:actor ?actor . "
        "?actor schema:name ?name }} ORDER BY ?name")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def build_store(folder: Path, films: int) -> list[str]:
    """Fill `folder` with the synthetic graph if it is empty; the film IRIs of the graph."""

    if (BENCH / "synth.py").exists():
        import synth

        iris = list(synth.film_iris(films))
        if not (folder / "CURRENT").exists():
            started = time.perf_counter()
            with tempfile.TemporaryDirectory() as tmp:
                nq = Path(tmp) / "films.nq"
                quads = synth.write_nquads(nq, films)
                from filmgraph.store import OxigraphStore

                store = OxigraphStore(folder)  # through filmgraph, so the union view is filled too
                store.bulk_load_file(nq, "nquads")
                store.close()
            print(f"built the {films:,}-film graph ({quads:,} quads, bench/synth.py) in {folder} "
                  f"in {time.perf_counter() - started:.0f} s", flush=True)
        return iris
    from rdflib import URIRef

    from filmgraph.store import OxigraphStore
    from related_speed import synth as small_synth

    iris = [f"https://w3id.org/filmgraph/id/film/f{i}" for i in range(films)]
    if not (folder / "CURRENT").exists():
        started = time.perf_counter()
        store = OxigraphStore(folder)
        store.bulk_replace(URIRef("https://w3id.org/filmgraph/id/source/synthetic"), small_synth(films))
        store.close()
        print(f"built the {films:,}-film graph (related_speed.py) in {time.perf_counter() - started:.0f} s",
              flush=True)
    return iris


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))] if ordered else float("nan")


class Connection:
    """One keep-alive HTTP/1.1 connection, as lean as a load generator should be: on a 2-core machine the
    client shares the CPU with the server, and httpx cost ~1.4 ms of CPU a request here (a fifth of it all)."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, host: str) -> None:
        self.reader, self.writer, self.host = reader, writer, host

    @classmethod
    async def open(cls, url: str) -> Connection:
        parts = urlsplit(url)
        reader, writer = await asyncio.open_connection(parts.hostname, parts.port)
        return cls(reader, writer, parts.netloc)

    async def get(self, path: str) -> tuple[int, bytes]:
        """GET `path`: the status and the body (Content-Length or chunked)."""
        self.writer.write(f"GET {path} HTTP/1.1\r\nHost: {self.host}\r\nAccept: */*\r\n\r\n".encode())
        head = await self.reader.readuntil(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split(" ", 2)[1])
        headers = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:] if line)}
        if "content-length" in headers:
            return status, await self.reader.readexactly(int(headers["content-length"]))
        body = bytearray()
        while headers.get("transfer-encoding", "").lower() == "chunked":
            size = int((await self.reader.readuntil(b"\r\n")).split(b";")[0], 16)
            chunk = await self.reader.readexactly(size + 2)
            if size == 0:
                break
            body += chunk[:-2]
        return status, bytes(body)

    async def close(self) -> None:
        self.writer.close()
        with contextlib.suppress(OSError):
            await self.writer.wait_closed()


async def closed_loop(url: str, paths: list[str], concurrency: int, duration: float, *,
                      once: bool = False) -> dict[str, float]:
    """`concurrency` users asking for `paths` in turn until `duration` passes (or, `once`, each path was asked),
    each on its own keep-alive connection."""
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    counter = 0
    stop_at = time.perf_counter() + duration
    connections = [await Connection.open(url) for _ in range(concurrency)]

    async def user(connection: Connection) -> None:
        nonlocal counter
        while time.perf_counter() < stop_at and not (once and counter >= len(paths)):
            path = paths[counter % len(paths)]
            counter += 1
            started = time.perf_counter()
            status, _ = await connection.get(path)
            latencies.append((time.perf_counter() - started) * 1000)
            statuses[status] = statuses.get(status, 0) + 1

    began = time.perf_counter()
    try:
        await asyncio.gather(*(user(c) for c in connections))
    finally:
        elapsed = time.perf_counter() - began
        for connection in connections:
            await connection.close()
    errors = sum(n for code, n in statuses.items() if code >= 400)
    return {"requests": len(latencies), "rps": len(latencies) / elapsed, "p50": percentile(latencies, 0.5),
            "p99": percentile(latencies, 0.99), "errors": errors}


def start_server(store: Path, port: int, timeout: float, workers: int | None, log: Path) -> subprocess.Popen[bytes]:
    command = [FILMGRAPH, "--store", str(store), "serve", "--host", "127.0.0.1", "--port", str(port),
               "--timeout", str(timeout), "--log-level", "warning"]
    if workers:
        command += ["--workers", str(workers)]
    with log.open("wb") as handle:
        process = subprocess.Popen(command, stdout=handle, stderr=subprocess.STDOUT, start_new_session=True)
    deadline = time.monotonic() + 300
    url = f"http://127.0.0.1:{port}"
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"the server exited:\n{log.read_text()}")
        try:
            if httpx.get(url + "/health", timeout=120).status_code == 200:
                return process
        except httpx.HTTPError:
            time.sleep(0.2)
    process.kill()
    raise SystemExit("the server did not answer /health within 300 s")


def runaway_demo(url: str, slugs: list[str], limit: float) -> None:
    outcome: dict[str, object] = {}

    def runaway() -> None:
        started = time.perf_counter()
        response = httpx.get(url + "/sparql", params={"query": RUNAWAY}, timeout=600)
        outcome.update(status=response.status_code, body=response.text[:200], seconds=time.perf_counter() - started)

    thread = threading.Thread(target=runaway)
    began = time.perf_counter()
    thread.start()
    samples: list[tuple[float, float, int]] = []
    with httpx.Client(base_url=url, timeout=60) as client:
        i = 0
        while thread.is_alive() or time.perf_counter() - began < limit + 1:
            started = time.perf_counter()
            response = client.get(f"/films/{slugs[i % len(slugs)]}/related")
            samples.append((started - began, (time.perf_counter() - started) * 1000, response.status_code))
            i += 1
            time.sleep(0.05)
            if time.perf_counter() - began > limit + 30:
                break
    thread.join(600)
    print(f"\nrunaway cross product (time limit {limit:g} s): HTTP {outcome.get('status')} after "
          f"{outcome.get('seconds', float('nan')):.2f} s: {outcome.get('body')}")
    during = [ms for t, ms, _ in samples if t <= float(str(outcome.get("seconds", limit)))]
    print(f"lookups while it ran: {len(during)}, p50 {percentile(during, 0.5):.1f} ms, "
          f"max {max(during, default=float('nan')):.1f} ms, statuses {sorted({s for _, _, s in samples})}")
    print("  t (s)  latency (ms)")
    for t, ms, status in samples[:: max(1, len(samples) // 25)]:
        print(f"  {t:5.2f}  {ms:8.1f}  {status}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--store", default=None, help="Store directory (built there when empty).")
    parser.add_argument("--films", type=int, default=100_000, help="Size of the synthetic graph to build.")
    parser.add_argument("--duration", type=float, default=15.0,
                        help="Seconds per level for /sparql (<= 60); related asks each distinct film once (<= 120 s).")
    parser.add_argument("--levels", default="1,8,32", help="Concurrency levels (each <= 64).")
    parser.add_argument("--distinct", type=int, default=1000, help="Distinct films to ask about.")
    parser.add_argument("--timeout", type=float, default=5.0, help="The server's query time limit, seconds.")
    parser.add_argument("--workers", type=int, default=None, help="Worker processes per pool (server default 2).")
    args = parser.parse_args()
    duration = min(args.duration, 60.0)
    levels = [min(64, int(n)) for n in args.levels.split(",")]

    folder = Path(args.store) if args.store else Path(tempfile.mkdtemp(prefix="fg-http-load-")) / "store"
    folder.mkdir(parents=True, exist_ok=True)
    iris = build_store(folder, args.films)
    rng = random.Random(11)
    # each level asks about its own films: none was asked before, so no memo holds its neighbourhood
    per_level = min(args.distinct, len(iris) // (len(levels) + 1))
    drawn = rng.sample(iris, per_level * (len(levels) + 1))
    chosen, warm_films = drawn[:per_level], drawn[-per_level:][:50]
    level_films = {level: drawn[i * per_level:(i + 1) * per_level] for i, level in enumerate(levels)}
    slugs = [iri.rsplit("/", 1)[-1] for iri in chosen]
    from urllib.parse import quote

    sparql_paths = [f"/sparql?query={quote(CAST.format(film=iri))}" for iri in chosen]

    port = free_port()
    log = folder.parent / "http-load-server.log"
    started = time.perf_counter()
    server = start_server(folder, port, args.timeout, args.workers, log)
    url = f"http://127.0.0.1:{port}"
    health = httpx.get(url + "/health", timeout=120).json()
    print(f"server up in {time.perf_counter() - started:.1f} s on {url}: {health.get('triples', 0):,} triples, "
          f"time limit {health['query_timeout_s']} s, cpus {os.cpu_count()}", flush=True)
    try:
        warm = [f"/films/{iri.rsplit('/', 1)[-1]}/related" for iri in warm_films]
        asyncio.run(closed_loop(url, warm, 4, 3.0))  # warm the workers (on 50 films no level asks about)
        print(f"\n{'endpoint':<28}{'conc':>5}{'requests':>10}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'errors':>8}")
        for name in ("/films/{slug}/related", "/sparql (cast SELECT)"):
            for level in levels:
                if "related" in name:  # each of the level's films once, at most 120 s
                    paths = [f"/films/{iri.rsplit('/', 1)[-1]}/related" for iri in level_films[level]]
                    r = asyncio.run(closed_loop(url, paths, level, 120.0, once=True))
                else:
                    r = asyncio.run(closed_loop(url, sparql_paths, level, duration))
                print(f"{name:<28}{level:>5}{int(r['requests']):>10}{r['rps']:>9.1f}{r['p50']:>9.1f}"
                      f"{r['p99']:>9.1f}{int(r['errors']):>8}", flush=True)
        runaway_demo(url, slugs, args.timeout)
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
    return 0


if __name__ == "__main__":
    sys.exit(main())
