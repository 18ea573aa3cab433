"""What happened to one input: the record both the pipeline and the ratings import fill in."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..graph.triples import Triples
from ..store.write_behind import Ticket


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
    graph: Triples | None = field(default=None, repr=False)  # a validated review's triples, kept until written
    warnings: list[str] = field(default_factory=list)
    disk_write: Ticket | None = field(default=None, repr=False)  # a queued disk transaction (write-behind)
