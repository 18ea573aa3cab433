"""What resolving one review asks the store: its look-ups go together, and asking ahead changes no answer."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from pathlib import Path

import pytest
from rdflib import Literal
from rdflib.term import Node

from conftest import SAMPLES
from filmgraph.discover.queries import row_reader
from filmgraph.ingest import Ingestor
from filmgraph.ingest import pipeline as pipeline_module
from filmgraph.link import resolve as resolve_module
from filmgraph.link.resolve import ReadRows
from filmgraph.store import Row, Store, Triple
from filmgraph.vocab import FG, RDF, SCHEMA

FIRST, SECOND = SAMPLES / "oldboy_2003_glued.txt", SAMPLES / "ballerina_2025_played_by.txt"


def prepared(ingestor: Ingestor, path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[set[Triple], Counter[str]]:
    """The triples `prepare` builds for `path`, and how often it ran each named query."""
    asked: Counter[str] = Counter()

    def recording_reader(store: Store) -> ReadRows:
        read = row_reader(store)

        def counted(name: str, bindings: Mapping[str, Node | Sequence[Node]]) -> list[Row]:
            asked[name] += 1
            return read(name, dict(bindings))

        return counted

    with monkeypatch.context() as patch:
        patch.setattr(pipeline_module, "row_reader", recording_reader)
        outcome = ingestor.prepare(path)
    assert outcome.graph is not None
    return set(outcome.graph), asked


def test_a_new_films_characters_are_asked_with_the_reviews_other_lookups(
        ingestor: Ingestor, monkeypatch: pytest.MonkeyPatch) -> None:
    ingestor.ingest(FIRST)
    triples, asked = prepared(ingestor, SECOND, monkeypatch)
    assert any("/character/" in str(s) for s, _, _ in triples)
    assert asked["internal/existing-nodes"] == 1

    with monkeypatch.context() as patch:  # without asking ahead: a second look-up, the same triples
        patch.setattr(resolve_module, "_characters_of_new_films", lambda films, minter: set())
        unbatched, asked_alone = prepared(ingestor, SECOND, monkeypatch)
    assert asked_alone["internal/existing-nodes"] == 2
    assert unbatched == triples


def test_a_stored_films_review_gets_the_same_triples_asked_ahead_or_not(
        ingestor: Ingestor, monkeypatch: pytest.MonkeyPatch) -> None:
    """The film and its characters are stored: the IRIs asked ahead are taken, and linking still finds them."""
    ingestor.ingest(SECOND)
    store_triples, _ = prepared(ingestor, SECOND, monkeypatch)
    with monkeypatch.context() as patch:
        patch.setattr(resolve_module, "_characters_of_new_films", lambda films, minter: set())
        alone, _ = prepared(ingestor, SECOND, monkeypatch)
    assert store_triples == alone


def test_key_lookups_return_the_linked_kinds_and_leave_characters_out(ingestor: Ingestor) -> None:
    """`entities-by-key` answers persons, series and organisations; a character's key finds no character row."""
    ingestor.ingest(SECOND)
    quads = list(ingestor.store.quads())
    keys = {s: str(o) for s, p, o, _g in quads if p == FG.matchKey}
    types = {(s, o) for s, p, o, _g in quads if p == RDF.type and s in keys}
    character_keys = {keys[s] for s, t in types if t == FG.Character}
    person_keys = {keys[s] for s, t in types if t == SCHEMA.Person}
    assert character_keys and person_keys

    rows = row_reader(ingestor.store)("internal/entities-by-key",
                                      {"key": [Literal(k) for k in sorted(character_keys | person_keys)]})
    assert FG.Character not in {row["type"] for row in rows}
    assert {str(row["key"]) for row in rows if row["type"] == SCHEMA.Person} == person_keys
