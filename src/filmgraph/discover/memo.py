"""A memo of look-ups that many related-film lookups share (a busy actor's films, a film's genres).

Entries belong to one store content version (`Store.content_version`): when the store answers with another
version (a write happened, or another store is asked), the memo starts afresh, so it never serves what the
store no longer holds. A store that cannot tell when its content changes (a remote SPARQL server that other
clients write to) has no version, and nothing is memoised for it.

The memo holds at most `capacity` units (an entry's size is what the caller says, e.g. its number of films)
and drops the least recently used entries first. Strings are interned, so a film's IRI is held once however
many entries list it.
"""

from __future__ import annotations

import sys
import threading
from collections import OrderedDict
from collections.abc import Hashable, Iterable
from typing import Any, Generic, TypeVar

from ..store import Store

V = TypeVar("V")
#: Units the memo holds by default: about 40 MB for lists of films.
CAPACITY = 2_000_000


def memoisable(store: Store) -> bool:
    """Whether the store tells when its content changes (`Store.content_version`), so its answers may be kept."""
    return getattr(store, "content_version", None) is not None


def intern_all(texts: Iterable[str]) -> tuple[str, ...]:
    """`texts` as a tuple of interned strings (one object per distinct IRI, however many lists hold it)."""
    return tuple(sys.intern(t) for t in texts)


class Memo(Generic[V]):
    """Values by key for one store content version, least recently used out first."""

    def __init__(self, capacity: int = CAPACITY) -> None:
        self.capacity = capacity
        self.size = 0
        self._version: Hashable | None = None
        self._entries: OrderedDict[Hashable, tuple[V, int]] = OrderedDict()
        self._lock = threading.Lock()  # the service answers lookups from several threads on a memory store

    def _scope(self, store: Store) -> bool:
        """Bind the memo to the store's current version; False when the store has none (memo unused)."""
        version = getattr(store, "content_version", None)
        if version is None:
            return False
        if version != self._version:
            self._entries.clear()
            self.size = 0
            self._version = version
        return True

    def get_many(self, store: Store, keys: Iterable[Hashable]) -> tuple[dict[Any, V], list[Any]]:
        """The values held for `keys`, and the keys that are not held (in the order given)."""
        found: dict[Any, V] = {}
        missing: list[Any] = []
        with self._lock:
            if not self._scope(store):
                return found, list(keys)
            entries = self._entries
            for key in keys:
                held = entries.get(key)
                if held is None:
                    missing.append(key)
                else:
                    entries.move_to_end(key)
                    found[key] = held[0]
        return found, missing

    def put(self, store: Store, key: Hashable, value: V, size: int = 1) -> None:
        """Hold `value` for `key` (nothing happens for a store without a content version)."""
        with self._lock:
            if not self._scope(store):
                return
            old = self._entries.pop(key, None)
            if old is not None:
                self.size -= old[1]
            if size > self.capacity:  # too large to hold: and no older value may stay behind
                return
            self._entries[key] = (value, size)
            self.size += size
            while self.size > self.capacity:
                _, (_, dropped) = self._entries.popitem(last=False)
                self.size -= dropped

    def __len__(self) -> int:
        return len(self._entries)
