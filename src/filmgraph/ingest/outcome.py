"""What happened to one input: the record both the pipeline and the ratings import fill in."""

from __future__ import annotations

from dataclasses import dataclass, field

from rdflib import Graph


@dataclass
class IngestOutcome:
    """What happened to one input."""

    source: str
    status: str  # ingested | replaced | unchanged | validated | refused
    review: str = ""
    film: str = ""
    triples: int = 0
    message: str = ""
    exit_code: int = 0
    links: int = 0
    graph: Graph | None = field(default=None, repr=False)
    warnings: list[str] = field(default_factory=list)
