"""The HTTP service: a SPARQL 1.1 Protocol endpoint and JSON lookups, as a mountable router or a finished app.

The names are loaded on first use (PEP 562), so that importing a light submodule (`service.results`, which the
CLI's `query` command uses) does not import FastAPI: that was a third of every CLI command's start-up.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .app import GRAPH_TYPES, SOLUTION_TYPES, Service, ServiceError, create_app, negotiate, router

__all__ = ["GRAPH_TYPES", "SOLUTION_TYPES", "Service", "ServiceError", "create_app", "negotiate", "router"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        return getattr(importlib.import_module(".app", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
