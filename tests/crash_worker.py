"""Ingest a folder of reviews into an embedded store, printing progress; the crash and concurrency tests run
it as a subprocess and kill it with SIGKILL at random points.

    python tests/crash_worker.py STORE FOLDER [--hold-open SECONDS]

Prints ``open`` once the store is open, ``done <file> <status>`` after each review is stored (flushed at once,
so the parent can count), and ``finished`` at the end. The clock is fixed, so two runs over the same files
write identical graphs. ``--hold-open`` keeps the store open that long after the batch (a slow writer).
Exits 5 with the error on standard error when the store is locked, as the CLI does.
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

from filmgraph.config import Settings
from filmgraph.errors import FilmgraphError
from filmgraph.ingest import Ingestor
from filmgraph.store import OxigraphStore

FIXED_TIME = datetime(2026, 1, 1, 12, 0, tzinfo=timezone.utc)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("store")
    parser.add_argument("folder")
    parser.add_argument("--hold-open", type=float, default=0.0)
    parser.add_argument("--lock-timeout", type=float, default=5.0)
    args = parser.parse_args()
    try:
        store = OxigraphStore(args.store, lock_timeout=args.lock_timeout)
    except FilmgraphError as exc:
        print(exc, file=sys.stderr, flush=True)
        return exc.exit_code
    print("open", flush=True)
    ingestor = Ingestor(store, Settings(store=args.store), clock=lambda: FIXED_TIME)
    for outcome in ingestor.ingest_many([Path(args.folder)]):
        print("done", Path(outcome.source).name, outcome.status, flush=True)
    if args.hold_open:
        time.sleep(args.hold_open)
    store.close()
    print("finished", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
