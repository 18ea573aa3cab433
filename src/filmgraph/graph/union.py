"""The union view: the store's default graph holds every triple of every named graph, once.

Each review or catalogue keeps its own named graph (provenance: who said what); queries read the default
graph, where a triple that several sources state appears once. Reading the named graphs through a
"union default graph" instead would repeat such a triple once per graph, and joins over triples that many
reviews restate (a film's name, type and director) would multiply: with 20 reviews of one film, a
three-pattern join returned 8,000 rows for one answer. (Oxigraph's union default graph repeats a shared
triple up to pyoxigraph 0.5.13, the newest release: oxigraph/oxigraph#1919, fixed on its main branch; a
test in tests/test_store_backends.py says when a release no longer does.)

The copy has a price at bulk load: Oxigraph's loader alone, given the view's copies, takes 1.5-1.6x the
time of the file without them (100k synthetic films, bench/store_bench.py, "pyoxigraph disk+view").

These SPARQL Update texts keep the view exact. Replacing a graph removes from the view the triples that
only that graph stated, swaps the graph, and copies its new triples into the view, in one request (one
transaction on Oxigraph; one request on a remote server). `union` names where the view lives: None for
the real default graph (Oxigraph, Fuseki), or a named graph for servers whose default graph is already a
union of everything (Virtuoso).
"""

from __future__ import annotations


def _in_view(union: str | None, pattern: str) -> str:
    return f"GRAPH {union} {{ {pattern} }}" if union else pattern


def _others(graph: str, union: str | None) -> str:
    excluded = f"?other != {graph}" + (f" && ?other != {union}" if union else "")
    return f"FILTER NOT EXISTS {{ GRAPH ?other {{ ?s ?p ?o }} FILTER({excluded}) }}"


def forget(graph: str, union: str | None) -> str:
    """Remove from the view the triples that only `graph` states (run before `graph` changes)."""
    return (f"DELETE {{ {_in_view(union, '?s ?p ?o')} }} "
            f"WHERE {{ GRAPH {graph} {{ ?s ?p ?o }} {_others(graph, union)} }}")


def copy_in(graph: str, union: str | None) -> str:
    """Copy the triples of `graph` into the view (it keeps each triple once)."""
    return f"INSERT {{ {_in_view(union, '?s ?p ?o')} }} WHERE {{ GRAPH {graph} {{ ?s ?p ?o }} }}"


def replace(graph: str, insert_graph: str, union: str | None) -> str:
    """One update: forget the old graph, drop it, insert its new content (`insert_graph`), copy it in."""
    steps = [forget(graph, union), f"DROP SILENT GRAPH {graph}"]
    if insert_graph:
        steps += [insert_graph, copy_in(graph, union)]
    return " ;\n".join(steps)


def drop(graph: str, union: str | None) -> str:
    """One update: forget the graph's own triples, then drop it."""
    return f"{forget(graph, union)} ;\nDROP SILENT GRAPH {graph}"


def rebuild(union: str | None) -> str:
    """Rebuild the whole view from the named graphs (repairs a view an interrupted bulk write left stale)."""
    clear = f"DROP SILENT GRAPH {union}" if union else "DROP SILENT DEFAULT"
    inner = "GRAPH ?g { ?s ?p ?o }" + (f" FILTER(?g != {union})" if union else "")
    return f"{clear} ;\nINSERT {{ {_in_view(union, '?s ?p ?o')} }} WHERE {{ {inner} }}"
