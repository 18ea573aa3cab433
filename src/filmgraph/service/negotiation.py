"""Content negotiation: the media type a client prefers among those the server offers (q-values respected)."""

from __future__ import annotations

from collections.abc import Sequence

#: (media type served, format key), in the server's order of preference; aliases are matched, not served.
SOLUTION_TYPES: tuple[tuple[str, str], ...] = (
    ("application/sparql-results+json", "json"),
    ("application/sparql-results+xml", "xml"),
    ("text/csv", "csv"),
    ("text/tab-separated-values", "tsv"),
)
#: What an ASK answer can be served as: the SPARQL 1.1 CSV and TSV results formats cover SELECT only.
BOOLEAN_TYPES: tuple[tuple[str, str], ...] = tuple((m, k) for m, k in SOLUTION_TYPES if k in ("json", "xml"))
GRAPH_TYPES: tuple[tuple[str, str], ...] = (
    ("text/turtle", "turtle"),
    ("application/n-triples", "nt"),
    ("application/ld+json", "jsonld"),
    ("application/rdf+xml", "rdfxml"),
)
_ALIASES: dict[str, str] = {
    "application/json": "application/sparql-results+json",
    "application/xml": "application/sparql-results+xml",
    "text/xml": "application/sparql-results+xml",
    "application/x-turtle": "text/turtle",
    "application/turtle": "text/turtle",
    "text/plain": "application/n-triples",
    "application/json+ld": "application/ld+json",
}
GRAPH_ALIASES = {"application/json": "application/ld+json", "application/xml": "application/rdf+xml",
                  "text/xml": "application/rdf+xml"}


def accept_ranges(accept: str) -> list[tuple[str, float]]:
    """The media ranges of an Accept header with their q-values (`*` read as `*/*`)."""
    ranges = []
    for part in accept.split(","):
        fields = [f.strip() for f in part.split(";")]
        media = fields[0].lower()
        if not media:
            continue
        if "/" not in media:
            media = "*/*" if media == "*" else media + "/*"
        q = 1.0
        for param in fields[1:]:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    q = max(0.0, min(1.0, float(value)))
                except ValueError:
                    q = 0.0
        ranges.append((media, q))
    return ranges


def negotiate(accept: str | None, offers: Sequence[tuple[str, str]],
              aliases: dict[str, str] | None = None) -> tuple[str, str] | None:
    """The offer the client prefers (highest q, then the server's order), or None when nothing is acceptable."""
    if not accept or not accept.strip():
        return offers[0]
    table = {**_ALIASES, **(aliases or {})}
    ranges = accept_ranges(accept)
    best: tuple[float, int, tuple[str, str]] | None = None
    for order, (media, key) in enumerate(offers):
        quality, specificity = -1.0, -1
        for rng, q in ranges:
            rng = table.get(rng, rng)
            main, _, sub = rng.partition("/")
            if rng == media:
                spec = 2
            elif sub == "*" and (main == "*" or media.startswith(main + "/")):
                spec = 0 if main == "*" else 1
            else:
                continue
            if spec > specificity:
                quality, specificity = q, spec
        if quality > 0 and (best is None or quality > best[0]):
            best = (quality, order, (media, key))
    return None if best is None else best[2]
