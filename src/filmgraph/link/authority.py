"""Identifiers for known entities (Wikidata, IMDb), read from authority files.

An authority file carries identifiers only, never facts: each entry is a name key (and, for
films, a year) with the `schema:sameAs` IRIs of the thing. The resolver works without one.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, URIRef

from ..errors import InputError
from ..vocab import FG, RDF, SCHEMA

log = logging.getLogger(__name__)


@dataclass
class Authority:
    """Name key (and year) -> identifier IRIs."""

    people: dict[str, set[str]] = field(default_factory=dict)
    films: dict[tuple[str, int | None], set[str]] = field(default_factory=dict)

    @classmethod
    def empty(cls) -> Authority:
        return cls()

    @classmethod
    def load(cls, *paths: Path) -> Authority:
        authority = cls()
        for path in paths:
            graph = Graph()
            try:
                graph.parse(path, format="turtle")
            except Exception as exc:  # rdflib raises many parser exception types
                raise InputError(f"authority file is not valid Turtle: {exc}", source=str(path)) from exc
            for node in set(graph.subjects(FG.matchKey, None)):
                key = str(graph.value(node, FG.matchKey))
                ids = {str(o) for o in graph.objects(node, SCHEMA.sameAs) if isinstance(o, URIRef)}
                if (node, RDF.type, SCHEMA.Movie) in graph:
                    year_literal = graph.value(node, FG.matchYear)
                    year = int(str(year_literal)) if year_literal is not None else None
                    authority.films.setdefault((key, year), set()).update(ids)
                else:
                    authority.people.setdefault(key, set()).update(ids)
        return authority

    def person_ids(self, key: str) -> set[str]:
        return set(self.people.get(key, set()))

    def film_ids(self, key: str, year: int | None) -> set[str]:
        if year is None:
            return set()  # a title alone does not identify a film
        return set(self.films.get((key, year), set()))
