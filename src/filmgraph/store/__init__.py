"""Where the graph lives: one interface (`base.Store`), backends chosen by name.

`open_store("memory")` and `open_store(path)` give an embedded Oxigraph store (in memory / on disk, see
`embedded`); `open_store("http://host/sparql")` gives a SPARQL 1.1 protocol client (see `remote`).
"""

from __future__ import annotations

from .base import Bindings, QueryOutcome, Row, SelectResult, Store, Term, Triple
from .embedded import LOCK_FILE, LOCK_WAIT_S, OxigraphStore

__all__ = ["LOCK_FILE", "Bindings", "OxigraphStore", "QueryOutcome", "Row", "SelectResult", "Store", "Term",
           "Triple", "open_store"]


def open_store(spec: str, **options: object) -> Store:
    """Open the store named by `spec`: 'memory', an http(s) SPARQL endpoint, or a directory."""
    if spec == "memory":
        return OxigraphStore(None)
    if spec.startswith(("http://", "https://")):
        from .remote import RemoteStore

        return RemoteStore(spec, **options)  # type: ignore[arg-type]
    cache = options.get("cache")
    return OxigraphStore(spec, read_only=bool(options.get("read_only", False)),
                         cache=str(cache) if cache else None,
                         lock_timeout=float(options.get("lock_timeout", LOCK_WAIT_S)))  # type: ignore[arg-type]
