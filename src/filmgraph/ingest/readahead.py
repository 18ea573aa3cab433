"""Reading reviews ahead in a worker process while the pipeline links, validates and writes earlier ones.

Reading a review page is pure work on its text, but for one question: does the store already hold a person of
this name (`Resolver.known_person`, which decides a few `Actor (Character)` orders)? The worker answers it from
`KnownPeople`: the person keys the store held when the run began plus those the run has written since (each
task carries the keys written after the previous one). The pipeline takes a read only when every answer the
worker gave is still the answer now, so a review read ahead gives the very record an in-process read would;
otherwise, and whenever the worker could not read a file (the pipeline then reads it itself and reports what
is wrong in its own words), the review is read in process.

The model of the store's persons holds while the run only adds review graphs: a replaced graph or a catalogue
makes it stale (`forget`), and the remaining reviews are read in process.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path

from rdflib import URIRef
from rdflib.term import Node

from ..extract import read_review_file
from ..extract.html import read_html, read_jsonld
from ..link.naming import match_key
from ..link.spellings import find_spellings
from ..models import ReviewRecord
from ..vocab import FG, RDF, SCHEMA

log = logging.getLogger(__name__)

__all__ = ["DEPTH", "MIN_REVIEWS", "KnownPeople", "Read", "ReadAhead", "person_keys", "read_review_input"]

#: Reviews read ahead of the one being linked and written.
DEPTH = 4
#: Fewest review inputs worth a worker process (forking and the store's person keys cost a few ms).
MIN_REVIEWS = 24
#: Every SHARE-th review is left to the pipeline to read in process: with the disk written behind on a thread,
#: the worker's core carries the worker and that thread, and the pipeline's core has time to spare.
SHARE = 4

_TYPE, _PERSON, _MATCH_KEY = str(RDF.type), str(SCHEMA.Person), str(FG.matchKey)


@dataclass
class Read:
    """One review as its reader gave it: the record, the spellings of its names, and the known-person answers."""

    record: ReviewRecord
    spellings: dict[str, set[str]]
    asked: dict[str, bool] = field(default_factory=dict)


def read_review_input(path: Path, fmt: str, is_known_person: Callable[[str], bool]) -> Read:
    """Read one review input (text, HTML page or JSON-LD) the way the pipeline reads it."""
    spellings: dict[str, set[str]] = {}
    if fmt == "html":
        record = read_html(path, str(path), is_known_person=is_known_person)
    elif fmt == "jsonld":
        record = read_jsonld(path)
    else:
        record, text = read_review_file(path, is_known_person=is_known_person)
        names = [c.character or "" for c in record.film.cast] + [c.actor for c in record.film.cast]
        spellings = find_spellings(text, [n for n in names if n])
    return Read(record, spellings)


class KnownPeople:
    """`known_person` from a set of person keys, recording each answer it gives."""

    def __init__(self, keys: set[str]) -> None:
        self.keys = keys
        self.asked: dict[str, bool] = {}

    def __call__(self, name: str) -> bool:
        key = match_key(name)
        if not key:
            return False
        answer = self.asked[key] = key in self.keys
        return answer


def person_keys(triples: Iterable[tuple[Node, Node, Node]]) -> set[str]:
    """The match keys of the persons a graph describes (what `known_person` finds once it is stored)."""
    # terms compared as plain strings (rdflib's `==` runs in Python: 155k comparisons for 1,000 reviews)
    triples = list(triples)
    persons = {s for s, p, o in triples if _is(p, _TYPE) and _is(o, _PERSON)}
    return {str(o) for s, p, o in triples if _is(p, _MATCH_KEY) and s in persons}


def _is(term: Node, iri: str) -> bool:
    return isinstance(term, URIRef) and str.__eq__(term, iri)


def _work(conn: Connection, parent_end: Connection, keys: set[str]) -> None:
    """The worker: read each (index, path, format, new keys) it is sent; answer (index, Read or None).

    It closes its copy of the pipe's other end first, so that when the pipeline's process ends (even killed)
    the worker sees the end of its input and exits, releasing what it inherited (the store's lock file).
    """
    parent_end.close()
    while True:
        try:
            task = conn.recv()
        except EOFError:
            break
        if task is None:
            break
        index, path, fmt, learned = task
        keys |= learned
        known = KnownPeople(keys)
        try:
            read: Read | None = read_review_input(path, fmt, known)
            assert read is not None
            read.asked = known.asked
        except Exception:  # the pipeline reads it again and reports the problem itself
            read = None
        try:
            conn.send((index, read))
        except OSError:  # the pipeline has gone
            break
    conn.close()


class ReadAhead:
    """A worker process reading `inputs` (path, format) in order, `DEPTH` ahead of `take`."""

    def __init__(self, inputs: Sequence[tuple[Path, str]], keys: set[str], *, share: int | None = None) -> None:
        self.inputs = list(inputs)
        self.share = share  # every share-th input is left to the pipeline (None: the worker reads them all)
        self.keys = set(keys)
        self.stale = False
        self._learned: set[str] = set()
        self._sent = 0
        self._received: dict[int, Read | None] = {}
        self._next = 0  # the first input not yet taken or passed over
        self.used = self.unused = self.left = 0
        context = multiprocessing.get_context("fork")
        self._conn, child = context.Pipe()
        self._process = context.Process(target=_work, args=(child, self._conn, self.keys), daemon=True)
        self._process.start()
        child.close()
        self._fill()

    @classmethod
    def possible(cls) -> bool:
        """A second core, and a way to fork the worker (it inherits the loaded readers)."""
        return (os.cpu_count() or 1) > 1 and "fork" in multiprocessing.get_all_start_methods()

    def _left_to_pipeline(self, index: int) -> bool:
        return self.share is not None and index % self.share == self.share - 1

    def _fill(self) -> None:
        while self._sent < len(self.inputs) and self._sent < self._next + DEPTH:
            if not self._left_to_pipeline(self._sent):
                path, fmt = self.inputs[self._sent]
                self._conn.send((self._sent, path, fmt, self._learned))
                self._learned = set()
            self._sent += 1

    def learn(self, keys: set[str]) -> None:
        """Person keys the pipeline has just written."""
        new = keys - self.keys
        self.keys |= new
        self._learned |= new

    def forget(self) -> None:
        """The store changed in a way the person keys do not follow: read in process from now on."""
        self.stale = True

    def take(self, path: Path) -> Read | None:
        """The worker's read of `path`, when it is what reading it now would give; else None."""
        if self.stale:
            return None
        index = next((i for i in range(self._next, len(self.inputs)) if self.inputs[i][0] == path), None)
        if index is None:
            return None
        self._next = index + 1
        self._fill()  # inputs passed over (unchanged, refused before reading) leave `index` perhaps unsent
        if self._left_to_pipeline(index):
            self.left += 1
            return None
        while index not in self._received:
            got, read = self._conn.recv()
            self._received[got] = read
        read = self._received.pop(index)
        for passed in [i for i in self._received if i < index]:
            del self._received[passed]
        if read is None or any((key in self.keys) != answer for key, answer in read.asked.items()):
            self.unused += 1
            return None
        self.used += 1
        return read

    def close(self) -> None:
        log.debug("read ahead: %d reviews used, %d read again in process, %d left to the pipeline", self.used,
                  self.unused, self.left)
        with contextlib.suppress(OSError):
            self._conn.send(None)
        self._process.join(timeout=5)
        if self._process.is_alive():
            self._process.kill()
            self._process.join()
        self._conn.close()
