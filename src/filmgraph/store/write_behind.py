"""Disk transactions applied in order on a thread of their own, while the caller goes on (`OxigraphStore`'s
write-behind mode).

Writing a review to Oxigraph on disk (RocksDB: nine index entries for each triple and its union-view copy) was a
third of the pipeline's time, and pyoxigraph releases the interpreter lock while it writes. In write-behind
mode the store reads and writes an in-memory replica at once and queues each disk transaction here; each
submit returns a `Ticket` that is done when the transaction is on disk, or failed. Transactions run one at a
time in submission order; after a failure the rest are not applied (they were linked against data the disk
does not hold) and fail too.
"""

from __future__ import annotations

import logging
import queue
import threading
from dataclasses import dataclass, field

import pyoxigraph as ox

log = logging.getLogger(__name__)

__all__ = ["Ticket", "WriteBehind"]


@dataclass
class Ticket:
    """One queued disk transaction: `wait()` until it is applied; `error` says why it was not."""

    done: threading.Event = field(default_factory=threading.Event)
    error: str | None = None

    def wait(self) -> str | None:
        """Block until the transaction has been applied or refused; its error, or None."""
        self.done.wait()
        return self.error

    @property
    def finished(self) -> bool:
        return self.done.is_set()


class WriteBehind:
    """A writer thread applying N-Quads texts to `store`, each in one transaction (`Store.load`)."""

    def __init__(self, store: ox.Store) -> None:
        self._store = store
        self._queue: queue.Queue[tuple[Ticket, str] | None] = queue.Queue()
        self.failure: str | None = None  # the first transaction's error, once one failed
        self._thread = threading.Thread(target=self._run, name="filmgraph-disk-writer", daemon=True)
        self._thread.start()

    def submit(self, nquads: str) -> Ticket:
        ticket = Ticket()
        self._queue.put((ticket, nquads))
        return ticket

    def _run(self) -> None:
        while True:
            task = self._queue.get()
            try:
                if task is None:
                    return
                ticket, nquads = task
                if self.failure is None:
                    try:
                        self._store.load(nquads, format=ox.RdfFormat.N_QUADS)
                    except Exception as exc:  # every ticket must be settled, whatever went wrong
                        self.failure = f"write failed, nothing was written: {exc}"
                        ticket.error = self.failure
                        log.error("disk write failed; later queued writes are not applied: %s", exc)
                else:
                    ticket.error = f"not written: an earlier write to the store failed ({self.failure})"
                ticket.done.set()
            finally:
                self._queue.task_done()

    def drain(self) -> None:
        """Wait until every submitted transaction has been applied or refused."""
        self._queue.join()

    def close(self) -> None:
        """Drain, then stop the thread."""
        self._queue.put(None)
        self._thread.join()
