"""N-Quads text with the union view's copy of each statement, for one pass of Oxigraph's bulk loader.

The store's default graph holds every triple of every named graph once (see `graph.union`). A bulk load of an
N-Quads file writes both in a single pass of the loader: after each statement in a named graph comes the
same triple without its graph, which the N-Quads grammar reads as a default-graph triple (Oxigraph keeps a
set, so a triple held by two graphs is in the view once). On the 100k-film synthetic graph this takes
19-20 s, against 24.5 s for loading the file and then copying every quad through Python, 16-17 s for
Oxigraph's loader given a file with the copies already in it, and 10.7-10.9 s for the file alone
(bench/store_bench.py).

Finding where a statement's graph starts needs no full parse. Subjects, predicates, graph names and blank
node labels hold no whitespace and no quote, and only a literal object holds a quote, so for a statement
``head last .``: when ``last`` is one IRI or one blank node, it names a graph exactly when ``head`` ends with
a whole literal or holds three whitespace-separated terms. Terms written without whitespace between them
(``<o><g>``, ``"x"<g>``) and a datatype set apart from its literal (``"5"^^ <dt>``) are legal N-Quads that
this rule would misread; such a line is "not simple", and the store loads the file the slow, exact way.
"""

from __future__ import annotations

import io
from pathlib import Path


class NotSimpleNQuads(ValueError):
    """A line this reader does not split: a comment after a statement, a statement over several lines,
    terms not set apart by whitespace."""


def _literal_end(tail: bytes) -> bool:
    """True when `tail`, what follows a literal's closing quote, is a language tag or a datatype."""
    if tail.startswith(b"^^<"):
        return tail.endswith(b">") and tail.count(b"<") == 1
    return tail.startswith(b"@") and tail[1:].replace(b"-", b"").isalnum()


def default_copy(line: bytes) -> bytes | None:
    """The default-graph copy (``s p o .``) of one N-Quads line, or None when it has no graph or no statement.

    Raises `NotSimpleNQuads` for a line whose terms this split cannot tell apart for sure."""
    body = line.strip()
    if not body or body.startswith(b"#"):
        return None
    if not body.endswith(b"."):
        raise NotSimpleNQuads(f"not one statement on one line: {line[:200]!r}")
    parts = body[:-1].rsplit(None, 1)
    if len(parts) != 2:
        raise NotSimpleNQuads(f"not a statement: {line[:200]!r}")
    head, last = parts
    if b'"' in last:  # the statement ends with a literal object, unless a graph is glued to it
        if last.endswith(b'"') or _literal_end(last[last.rindex(b'"') + 1:]):
            return None
    elif ((last.startswith(b"<") and last.endswith(b">") and last.count(b"<") == 1)
          or (last.startswith(b"_:") and b"<" not in last)):  # one IRI or one blank node
        if b'"' in head:
            if head.endswith(b'"') or _literal_end(head[head.rindex(b'"') + 1:]):
                return head + b" .\n"
        else:
            terms = head.split()
            if len(terms) == head.count(b"<") + head.count(b"_:"):  # each one term
                if len(terms) == 3:
                    return head + b" .\n"
                if len(terms) == 2:
                    return None
    raise NotSimpleNQuads(f"terms not set apart by whitespace: {line[:200]!r}")


class WithDefaultCopies(io.RawIOBase):
    """An N-Quads file read with each named-graph statement followed by its default-graph copy."""

    CHUNK = 1 << 20

    def __init__(self, path: str | Path) -> None:
        super().__init__()
        self._file = open(path, "rb")  # noqa: SIM115  # closed by close()
        self._buffer = memoryview(b"")
        #: what stopped the reading, when a line was not in the simple form (the loader may wrap the error)
        self.not_simple: NotSimpleNQuads | None = None

    def readable(self) -> bool:
        return True

    def readinto(self, target: bytearray | memoryview) -> int:  # type: ignore[override]
        while not self._buffer:
            lines = self._file.readlines(self.CHUNK)
            if not lines:
                return 0
            if not lines[-1].endswith(b"\n"):
                lines[-1] += b"\n"
            out: list[bytes] = []
            append = out.append
            try:
                for line in lines:
                    append(line)
                    copy = default_copy(line)
                    if copy is not None:
                        append(copy)
            except NotSimpleNQuads as exc:
                self.not_simple = exc
                raise
            self._buffer = memoryview(b"".join(out))
        size = min(len(target), len(self._buffer))
        target[:size] = self._buffer[:size]
        self._buffer = self._buffer[size:]
        return size

    def close(self) -> None:
        self._file.close()
        super().close()


