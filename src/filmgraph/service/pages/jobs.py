"""What the browser pages need beyond the JSON lookups, as jobs the service's workers run.

Each job takes the worker's backend (anything with ``get() -> Store`` and ``ref(iri, name, year)``) and returns
plain dicts and lists (they cross a process pipe). The service registers them beside its own jobs under the
names in `JOBS`. The IRIs they take come from a lookup the service already answered (a resolved film or a
minted person IRI) and are bound as terms (`NamedQuery.run`), never spliced into the text.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from rdflib import URIRef

from ...discover.queries import load_query
from ...store import SelectResult, Store

FRONT_PAGE_FILMS = 200  # the LIMIT of internal/page-films


class PageBackend(Protocol):
    """The part of the service's worker backend these jobs use."""

    def get(self) -> Store: ...

    def ref(self, iri: object, name: object, year: object = None) -> dict[str, Any]: ...


def _select(store: Store, name: str, **bindings: URIRef) -> SelectResult:
    result = load_query(name).run(store, bindings or None)
    assert isinstance(result, SelectResult)
    return result


def _text(value: object) -> str | None:
    return None if value is None else str(value)


def job_film_provenance(backend: PageBackend, film_iri: str) -> dict[str, Any]:
    """The graphs that state something about a film (with source and time) and where sources disagree."""
    store = backend.get()
    film = URIRef(film_iri)
    sources: dict[str, dict[str, Any]] = {}
    for row in _select(store, "internal/page-film-sources", film=film):
        source = sources.setdefault(str(row["graph"]), {
            "graph": str(row["graph"]), "review": "review" in row, "source": _text(row.get("source")),
            "time": _text(row.get("time")), "of_this_film": False, "reviewed": None})
        if "reviewed" in row:
            if str(row["reviewed"]) == film_iri:
                source["of_this_film"] = True
            elif source["reviewed"] is None:
                source["reviewed"] = backend.ref(row["reviewed"], row.get("reviewedName"), row.get("reviewedDate"))
    conflicts = [{"property": str(row["property"]).rsplit("/", 1)[-1],
                  "value1": str(row["value1"]), "graph1": str(row["graph1"]),
                  "value2": str(row["value2"]), "graph2": str(row["graph2"])}
                 for row in _select(store, "source-conflicts", film=film)]
    names = {str(row["value"]): str(row.get("label") or "")
             for row in _select(store, "internal/http-film", film=film)
             if str(row["kind"]) == "director"}
    for conflict in conflicts:  # a director is an IRI: show its name beside it
        for key in ("value1", "value2"):
            if conflict[key] in names:
                conflict[key + "_name"] = names[conflict[key]]
    return {"sources": list(sources.values()), "conflicts": conflicts}


def job_person_links(backend: PageBackend, person_iri: str) -> list[dict[str, Any]]:
    """The recorded linking decisions that concern one person (merged spellings, near-misses kept apart)."""
    store = backend.get()
    return [{"graph": str(row["graph"]), "decision": str(row["decision"]), "spelling": str(row["spelling"]),
             "linked_to": _text(row.get("linkedTo")), "compared_with": str(row["comparedWith"]),
             "compared_with_ref": backend.ref(row["comparedWith"], row.get("comparedName")),
             "evidence": str(row["evidence"])}
            for row in _select(store, "internal/page-person-links", person=URIRef(person_iri))]


def job_film_list(backend: PageBackend) -> list[dict[str, Any]]:
    """The first films by title, for the explorer's front page."""
    return [backend.ref(row["film"], row.get("name"), row.get("year"))
            for row in _select(backend.get(), "internal/page-films")]


JOBS: dict[str, Callable[..., Any]] = {
    "page-film-provenance": job_film_provenance,
    "page-person-links": job_person_links,
    "page-film-list": job_film_list,
}
