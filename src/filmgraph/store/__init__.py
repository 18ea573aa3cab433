"""Where the graph lives: the store interface and its backends (embedded Oxigraph, remote SPARQL server)."""

from .embedded import (
    LOCK_FILE,
    Bindings,
    OxigraphStore,
    QueryOutcome,
    Row,
    SelectResult,
    Store,
    Term,
    Triple,
    open_store,
)

__all__ = ["LOCK_FILE", "Bindings", "OxigraphStore", "QueryOutcome", "Row", "SelectResult", "Store", "Term",
           "Triple", "open_store"]
