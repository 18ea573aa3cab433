"""The memo of shared look-ups: bounded, least recently used out first, and never stale across writes."""

from __future__ import annotations

import threading
from collections.abc import Hashable

from hypothesis import given
from hypothesis import strategies as st
from rdflib import Literal, URIRef

from filmgraph.discover.memo import Memo
from filmgraph.discover.related import Suggestion, find_related
from filmgraph.store import OxigraphStore, Store, open_store
from graph_fixture import ID, load_fixture


class Versioned:
    """A stand-in for a store: only its content version matters to the memo."""

    def __init__(self, version: Hashable | None) -> None:
        self.content_version = version


def test_lru_capacity_and_sizes() -> None:
    store = Versioned(1)
    memo: Memo[str] = Memo(capacity=10)
    memo.put(store, "a", "A", 4)  # type: ignore[arg-type]
    memo.put(store, "b", "B", 4)  # type: ignore[arg-type]
    assert memo.get_many(store, ["a"])[0] == {"a": "A"}  # type: ignore[arg-type]
    memo.put(store, "c", "C", 4)  # type: ignore[arg-type]  # over 10: b, the least recently used, goes
    found, missing = memo.get_many(store, ["a", "b", "c"])  # type: ignore[arg-type]
    assert found == {"a": "A", "c": "C"} and missing == ["b"]
    assert memo.size == 8
    memo.put(store, "huge", "H", 11)  # type: ignore[arg-type]  # larger than the memo: not held
    assert memo.get_many(store, ["huge"])[1] == ["huge"]  # type: ignore[arg-type]


def test_a_new_version_empties_it_and_no_version_disables_it() -> None:
    memo: Memo[int] = Memo()
    memo.put(Versioned(1), "k", 1)  # type: ignore[arg-type]
    assert memo.get_many(Versioned(1), ["k"])[0] == {"k": 1}  # type: ignore[arg-type]
    assert memo.get_many(Versioned(2), ["k"]) == ({}, ["k"])  # type: ignore[arg-type]
    memo.put(Versioned(None), "k", 5)  # type: ignore[arg-type]
    assert memo.get_many(Versioned(None), ["k"]) == ({}, ["k"])  # type: ignore[arg-type]


@given(st.lists(st.tuples(st.integers(0, 20), st.integers(1, 5)), max_size=60), st.integers(1, 30))
def test_never_over_capacity_and_always_the_latest_value(puts: list[tuple[int, int]], capacity: int) -> None:
    store = Versioned("v")
    memo: Memo[int] = Memo(capacity)
    latest: dict[int, int] = {}
    for step, (key, size) in enumerate(puts):
        memo.put(store, key, step, size)  # type: ignore[arg-type]
        latest[key] = step
        assert memo.size <= capacity
    found, _ = memo.get_many(store, list(latest))  # type: ignore[arg-type]
    assert all(found[key] == latest[key] for key in found)


def test_every_write_moves_the_embedded_store_version() -> None:
    store = OxigraphStore()
    first = store.content_version
    store.replace_graph(URIRef(f"{ID}source/x"), [(URIRef(f"{ID}film/x"), URIRef("http://schema.org/name"),
                                                    Literal("X"))])
    second = store.content_version
    store.drop_graph(URIRef(f"{ID}source/x"))
    assert len({first, second, store.content_version}) == 3
    assert OxigraphStore().content_version != store.content_version  # another store, another version


def _director(store: Store, film: str, person: str, graph: str) -> None:
    store.replace_graph(URIRef(f"{ID}source/{graph}"), [
        (URIRef(f"{ID}film/{film}"), URIRef("http://schema.org/director"), URIRef(f"{ID}person/{person}"))])


def test_related_films_see_writes_made_after_a_lookup() -> None:
    store = load_fixture(open_store("memory"))
    handmaiden = URIRef(f"{ID}film/the-handmaiden-2016")
    kill_boksoon = URIRef(f"{ID}film/kill-boksoon-2023")

    def directed_by_park(related: list[Suggestion]) -> bool:
        return any(r.kind == "director" and "Park Chan-wook" in r.text
                   for s in related if s.film == kill_boksoon for r in s.reasons)

    before = find_related(store, handmaiden, 10)
    assert not directed_by_park(before.suggestions)
    _director(store, "kill-boksoon-2023", "park-chan-wook", "late-credit")  # a new credit, after the lookup
    assert directed_by_park(find_related(store, handmaiden, 10).suggestions)
    store.drop_graph(URIRef(f"{ID}source/late-credit"))
    assert find_related(store, handmaiden, 10).as_dict() == before.as_dict()


def test_the_audience_signal_follows_the_store() -> None:
    author = URIRef("http://schema.org/author")
    store = load_fixture(open_store("memory"), keep=lambda t: t[1] != author)
    handmaiden = URIRef(f"{ID}film/the-handmaiden-2016")

    def co_liked() -> bool:
        return any(r.kind == "co-liked" for s in find_related(store, handmaiden, 10).suggestions for r in s.reasons)

    assert not co_liked()  # no reviewer's ratings: no "liked by the same reviewers"
    authors = [t for t in load_fixture(open_store("memory")).quads() if t[1] == author]
    store.replace_graph(URIRef(f"{ID}source/authors"), [(s, p, o) for s, p, o, _ in authors])
    assert co_liked()


def test_threads_share_it_safely() -> None:
    store = Versioned(1)
    memo: Memo[int] = Memo(capacity=50)
    failures: list[BaseException] = []

    def work(offset: int) -> None:
        try:
            for i in range(2000):
                key = (offset + i) % 120
                memo.put(store, key, key, 1 + key % 3)  # type: ignore[arg-type]
                found, _ = memo.get_many(store, [key, (key + 7) % 120])  # type: ignore[arg-type]
                assert all(value == k for k, value in found.items())
        except BaseException as exc:  # a thread's failure must fail the test
            failures.append(exc)

    threads = [threading.Thread(target=work, args=(n * 13,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not failures
    assert memo.size <= 50
    assert memo.size == sum(1 + key % 3 for key in memo.get_many(store, range(120))[0])  # type: ignore[arg-type]
