"""The HTTP service: a SPARQL 1.1 Protocol endpoint and JSON lookups, as a mountable router or a finished app."""

from .app import GRAPH_TYPES, SOLUTION_TYPES, Service, ServiceError, create_app, negotiate, router

__all__ = ["GRAPH_TYPES", "SOLUTION_TYPES", "Service", "ServiceError", "create_app", "negotiate", "router"]
