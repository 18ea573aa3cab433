"""Flushing an on-disk Oxigraph store's memtables on a thread of its own while transactions go on.

RocksDB keeps recent writes in memtables and the write-ahead log until they are flushed to sorted files;
`OxigraphStore.close` flushes what is left, or the next open replays the log (1,000 reviews: 1.6 s). Letting
the memtables grow over a whole batch made each transaction slower and the final flush long: on 1,000
review-sized transactions (140 quads each), one flush at the end took 3.0-3.4 s in all, a flush on a thread
every 50-100 transactions 1.9-2.0 s (pyoxigraph releases the interpreter lock while it flushes). On the
1,000-review bench ingest a flush every 5,000 quads gave 182-188 reviews/s, 10,000: 200-204, 20,000: 207-216,
40,000: 203-206, 80,000: 204-209 (and more memory).
"""

from __future__ import annotations

import logging
import threading

import pyoxigraph as ox

log = logging.getLogger(__name__)

__all__ = ["FLUSH_EVERY_QUADS", "BackgroundFlush"]

#: Quads written in transactions after which the memtables are flushed on a thread (about 140 reviews).
FLUSH_EVERY_QUADS = 20_000


class BackgroundFlush:
    """Counts the quads written to `store` and flushes it on a thread every `every` quads (one at a time)."""

    def __init__(self, store: ox.Store, every: int = FLUSH_EVERY_QUADS) -> None:
        self._store = store
        self._every = every
        self._unflushed = 0
        self._thread: threading.Thread | None = None

    def wrote(self, quads: int) -> None:
        """`quads` more are in the store: start a flush when enough are, unless one is running."""
        self._unflushed += quads
        if self._unflushed < self._every or (self._thread is not None and self._thread.is_alive()):
            return
        self._unflushed = 0
        self._thread = threading.Thread(target=self._flush, name="filmgraph-flush", daemon=True)
        self._thread.start()

    def _flush(self) -> None:
        try:
            self._store.flush()
        except OSError as exc:  # the flush at close reports a lasting problem; the log keeps the writes
            log.warning("background flush failed: %s", exc)

    def join(self) -> None:
        """Wait for a running flush (before the store's own flush or close)."""
        if self._thread is not None:
            self._thread.join()
            self._thread = None
