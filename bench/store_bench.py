"""Store backends side by side: bulk load and the "films sharing people with film X" query, in one run.

    .venv/bin/python bench/store_bench.py                      # 10k films
    .venv/bin/python bench/store_bench.py --films 100000       # 10k, then 100k films (2.22 M quads)
    .venv/bin/python bench/store_bench.py --films 100000 --skip-rdflib   # rdflib takes minutes and GBs at 100k

The graph comes from bench/synth.py (deterministic). Each backend runs in its own subprocess, so its peak
memory (`ru_maxrss`) is its own; for the remote store the Oxigraph server's peak (VmHWM) is added. Backends:

* ``filmgraph memory``    `OxigraphStore(None)`, loaded with `bulk_load_file`
* ``filmgraph embedded``  `OxigraphStore(dir)` (the default store), `bulk_load_file`, then closed and reopened
* ``filmgraph replica``   the same directory reopened with ``cache="memory"`` (open time reported)
* ``filmgraph remote``    `RemoteStore` on a local ``oxigraph serve`` (its default graph is the union view), loaded with
  `bulk_replace` (a Graph Store PUT of each named graph, from rdflib terms)
* ``pyoxigraph memory`` / ``pyoxigraph disk``: the library alone (`Store.bulk_load`), for reference
* ``pyoxigraph disk+view``: the library alone, given the file with the union view's copies already written in
  (untimed): the loader's own cost of storing every triple twice, with none of filmgraph's
* ``rdflib``              rdflib's parser and in-memory `Dataset(default_union=True)`, the baseline, with the
  query in its own best form (`RDFLIB_FORM`, a property path)

The query is queries/bench/films-sharing-people.rq, bound with `NamedQuery.run` (the raw backends get the same
bound text). After a warm-up on 10 other films, 50 films from `synth.pick_films` are timed: median, p90, p99.
The last column times the same query with a tie-break on the film IRI (``ORDER BY DESC(?shared) ?other``),
the shape that is slow on disk (see the query file and `filmgraph.store.embedded.OxigraphStore`).
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "tests"))

BACKENDS = ("filmgraph memory", "filmgraph embedded", "filmgraph replica", "filmgraph remote",
            "pyoxigraph memory", "pyoxigraph disk", "pyoxigraph disk+view", "rdflib")
QUERY = "bench/films-sharing-people"
# rdflib's own best form of the same query: a property path. The VALUES form the Oxigraph backends use makes
# rdflib's engine join the two unbound patterns first (minutes per query at 10k films); a UNION took 3.8-4.8 s.
RDFLIB_FORM = """PREFIX schema: <http://schema.org/>
SELECT ?other (COUNT(DISTINCT ?person) AS ?shared) WHERE {
  ?film schema:director|schema:author|schema:actor ?person .
  ?other schema:director|schema:author|schema:actor ?person .
  FILTER(?other != ?film)
}
GROUP BY ?other
ORDER BY DESC(?shared)
"""
WARM_UP = 10
TIMED = 50


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q * len(ordered)) - 1)]


def summary(times: list[float]) -> dict[str, float]:
    return {"median": statistics.median(times), "p90": percentile(times, 0.9), "p99": percentile(times, 0.99)}


def time_queries(run: Callable[[str, Any], int], films: list[Any], warm: list[Any], text: str) -> dict[str, float]:
    for film in warm:
        run(text, film)
    times, rows = [], 0
    for film in films:
        started = time.perf_counter()
        rows += run(text, film)
        times.append((time.perf_counter() - started) * 1000)
    return {**summary(times), "rows": rows}


# --- one backend, in a subprocess ---------------------------------------------------------------------

def worker(backend: str, nq: Path, films: int, folder: Path) -> dict[str, Any]:
    import pyoxigraph as ox
    from rdflib import URIRef

    from filmgraph.discover.queries import load_query
    from filmgraph.store import OxigraphStore
    from filmgraph.store.sparql_text import bind
    from synth import generate, pick_films

    query = load_query(QUERY)
    tie_break = query.text.replace("ORDER BY DESC(?shared)", "ORDER BY DESC(?shared) ?other")
    assert tie_break != query.text
    chosen = pick_films(TIMED + WARM_UP, seed=11, films=films)
    timed = [URIRef(f) for f in chosen[:TIMED]]
    warm = [URIRef(f) for f in chosen[TIMED:]]
    out: dict[str, Any] = {"backend": backend, "films": films}
    server = None
    started = time.perf_counter()

    if backend.startswith("filmgraph"):
        from filmgraph.store import Store

        store: Store
        path = folder / "store"
        if backend == "filmgraph memory":
            memory = OxigraphStore(None)
            memory.bulk_load_file(nq, "nquads")
            store = memory
        elif backend in ("filmgraph embedded", "filmgraph replica"):
            disk = OxigraphStore(path)
            disk.bulk_load_file(nq, "nquads")
            disk.close()
            out["load_s"] = time.perf_counter() - started
            opened = time.perf_counter()
            store = OxigraphStore(path, cache="memory" if backend == "filmgraph replica" else None)
            out["open_s"] = time.perf_counter() - opened
        else:
            from servers import OxigraphServer

            server = OxigraphServer(folder / "server").start()
            remote = server.store(timeout=600.0)
            started = time.perf_counter()
            for graph, quads in itertools.groupby(generate(films), key=lambda q: q[3]):
                remote.bulk_replace(graph, ((s, p, o) for s, p, o, _ in quads))
            store = remote
        out.setdefault("load_s", time.perf_counter() - started)
        out["triples"] = len(store)

        def run(text: str, film: Any) -> int:
            result = query.run(store, {"film": film}) if text is query.text else store.query(text, {"film": film})
            return len(result)  # type: ignore[arg-type]

    elif backend.startswith("pyoxigraph"):
        if backend == "pyoxigraph disk+view":
            nq = with_view_copies(nq, folder / "with-view.nq")
            started = time.perf_counter()
        raw = ox.Store() if backend == "pyoxigraph memory" else ox.Store(str(folder / "raw"))
        raw.bulk_load(path=str(nq), format=ox.RdfFormat.N_QUADS)
        if backend != "pyoxigraph memory":
            raw.flush()
            del raw
            out["load_s"] = time.perf_counter() - started
            raw = ox.Store(str(folder / "raw"))
        out.setdefault("load_s", time.perf_counter() - started)
        union = backend != "pyoxigraph disk+view"  # with the view, the default graph is the union, once
        out["triples"] = len(raw)
        if not union:
            [count] = raw.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")  # type: ignore[misc]
            out["triples"] -= int(count["n"].value)  # quads in named graphs, as filmgraph's len() counts

        def run(text: str, film: Any) -> int:
            return len(list(raw.query(bind(text, {"film": film}), use_default_graph_as_union=union)))  # type: ignore[arg-type]

    else:
        from rdflib import Dataset

        dataset = Dataset(default_union=True)
        dataset.parse(str(nq), format="nquads")
        out["load_s"] = time.perf_counter() - started
        out["triples"] = len(set(dataset.triples((None, None, None))))

        def run(text: str, film: Any) -> int:
            return len(list(dataset.query(bind(text, {"film": film}))))

    out["query"] = time_queries(run, timed, warm, RDFLIB_FORM if backend == "rdflib" else query.text)
    if backend != "rdflib":
        out["tie_break"] = time_queries(run, timed, warm, tie_break)
    out["rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    if server is not None and server.process is not None:
        status = Path(f"/proc/{server.process.pid}/status").read_text()
        hwm = next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmHWM"))
        out["server_rss_mb"] = hwm / 1024
        server.stop()
    return out


def with_view_copies(nq: Path, out: Path) -> Path:
    """`nq` with each named-graph statement followed by its default-graph copy, as filmgraph's loader reads it."""
    from filmgraph.store.nquads import WithDefaultCopies

    with WithDefaultCopies(nq) as reader, out.open("wb") as sink:
        shutil.copyfileobj(reader, sink, WithDefaultCopies.CHUNK)
    return out


# --- the parent: one subprocess per backend and size, then a table --------------------------------------

def run_backend(backend: str, nq: Path, films: int, tmp: Path) -> dict[str, Any]:
    folder = Path(tempfile.mkdtemp(prefix="backend-", dir=tmp))
    try:
        proc = subprocess.run(
            [sys.executable, __file__, "--worker", backend, "--nq", str(nq), "--films", str(films),
             "--folder", str(folder)], capture_output=True, text=True, check=False)
        if proc.returncode != 0:
            return {"backend": backend, "films": films, "error": proc.stderr.strip().splitlines()[-1:]}
        return dict(json.loads(proc.stdout.strip().splitlines()[-1]))
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def table(results: list[dict[str, Any]]) -> str:
    head = (f"{'films':>7} {'backend':<19} {'load s':>7} {'triples/s':>10} {'peak MB':>8} {'open s':>7} "
            f"{'median ms':>9} {'p90':>7} {'p99':>7} {'tie-break median':>17} {'rows':>7}")
    lines = [head, "-" * len(head)]
    for r in results:
        if "error" in r:
            lines.append(f"{r['films']:>7} {r['backend']:<19} failed: {r['error']}")
            continue
        q, tb = r["query"], r.get("tie_break")
        rss = r["rss_mb"] + r.get("server_rss_mb", 0.0)
        lines.append(
            f"{r['films']:>7} {r['backend']:<19} {r['load_s']:>7.2f} {r['triples'] / r['load_s']:>10,.0f} "
            f"{rss:>8,.0f} {r.get('open_s', 0.0):>7.2f} {q['median']:>9.2f} {q['p90']:>7.2f} {q['p99']:>7.2f} "
            f"{tb['median'] if tb else float('nan'):>17.2f} {q['rows']:>7}")
    return "\n".join(lines)


def checks(results: list[dict[str, Any]]) -> list[str]:
    """The issue's targets, per size."""
    out = []
    for films in sorted({r["films"] for r in results}):
        by = {r["backend"]: r for r in results if r["films"] == films and "error" not in r}

        def ratio(a: str, b: str, what: str, by: dict[str, dict[str, Any]] = by) -> float | None:
            if a not in by or b not in by:
                return None
            x = by[a][what]["median"] if what != "load_s" else by[a]["load_s"]
            y = by[b][what]["median"] if what != "load_s" else by[b]["load_s"]
            return float(x / y)

        targets = [
            ("embedded load / pyoxigraph disk load (target <= 1.5)", ratio("filmgraph embedded", "pyoxigraph disk",
                                                                          "load_s")),
            ("  of which the loader's own cost of the view's second copy (pyoxigraph disk+view / disk)",
             ratio("pyoxigraph disk+view", "pyoxigraph disk", "load_s")),
            ("  and filmgraph's own (embedded / pyoxigraph disk+view)",
             ratio("filmgraph embedded", "pyoxigraph disk+view", "load_s")),
            ("embedded query median / filmgraph memory (target <= 1.5)", ratio("filmgraph embedded",
                                                                              "filmgraph memory", "query")),
            ("embedded query median / pyoxigraph memory (target <= 1.5)", ratio("filmgraph embedded",
                                                                               "pyoxigraph memory", "query")),
            ("remote query median / embedded (target < 3)", ratio("filmgraph remote", "filmgraph embedded", "query")),
            ("rdflib query median / pyoxigraph memory", ratio("rdflib", "pyoxigraph memory", "query")),
        ]
        out.append(f"{films:,} films:")
        rows = {r["query"]["rows"] for r in by.values()}
        if len(rows) > 1:
            out.append(f"  WARNING: the backends returned different numbers of rows: {sorted(rows)}")
        out += [f"  {label}: {value:.2f}" for label, value in targets if value is not None]
        if "filmgraph embedded" in by:
            out.append(f"  embedded query p99: {by['filmgraph embedded']['query']['p99']:.1f} ms (target < 100)")
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--films", type=int, default=10_000, help="Largest size; 10k is always run.")
    parser.add_argument("--skip-rdflib", action="store_true")
    parser.add_argument("--backends", default=",".join(BACKENDS), help="Comma-separated subset.")
    parser.add_argument("--json", help="Also write the figures to this file.")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--nq", help=argparse.SUPPRESS)
    parser.add_argument("--folder", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(worker(args.worker, Path(args.nq), args.films, Path(args.folder))))
        return 0

    from synth import write_nquads

    backends = [b.strip() for b in args.backends.split(",") if b.strip()]
    if args.skip_rdflib:
        backends = [b for b in backends if b != "rdflib"]
    unknown = set(backends) - set(BACKENDS)
    if unknown:
        parser.error(f"unknown backends {sorted(unknown)}; known: {', '.join(BACKENDS)}")
    load = os.getloadavg()
    print(f"load average at start: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} ({os.cpu_count()} CPUs)")
    results: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="fg-store-bench-") as tmp:
        for films in sorted({10_000, args.films}):
            nq = Path(tmp) / f"films-{films}.nq"
            started = time.perf_counter()
            quads = write_nquads(nq, films)
            print(f"{films:,} films: {quads:,} quads generated in {time.perf_counter() - started:.1f} s", flush=True)
            for backend in backends:
                result = run_backend(backend, nq, films, Path(tmp))
                results.append(result)
                print(table([result]).splitlines()[-1], flush=True)
            nq.unlink()
    load = os.getloadavg()
    print(f"\nload average at end: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}\n")
    print(table(results))
    print()
    print("\n".join(checks(results)))
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
