"""Named SPARQL queries: `.rq` files with a header naming their parameters, run with bound values."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from ..errors import NotFound, QueryError
from ..resources import queries_dir
from ..store import Bindings, QueryOutcome, Row, SelectResult, Store

_HEADER = re.compile(r"^#\s*(name|answers|param|returns):\s*(.*)$")


@dataclass(frozen=True)
class NamedQuery:
    """A query read from a `.rq` file, with the documentation of its header."""

    name: str
    text: str
    path: Path
    answers: str = ""
    params: dict[str, str] = field(default_factory=dict)

    def run(self, store: Store, bindings: Bindings | None = None) -> QueryOutcome:
        self._check(bindings)
        return store.query(self.text, bindings)

    def strings(self, store: Store, bindings: Bindings | None = None) -> list[dict[str, str]]:
        """Run a SELECT and return its rows as plain strings (`Store.select_strings`)."""
        self._check(bindings)
        return store.select_strings(self.text, bindings)

    def _check(self, bindings: Bindings | None) -> None:
        unknown = set(bindings or {}) - set(self.params)
        if unknown:
            raise QueryError(f"query {self.name!r} has no parameter(s) {sorted(unknown)}; "
                             f"it takes {sorted(self.params) or 'none'}")


def parse_query_file(path: Path) -> NamedQuery:
    """Read one `.rq` file and its header comments."""
    text = path.read_text(encoding="utf-8")
    answers, params = "", {}
    name = path.stem
    for line in text.splitlines():
        match = _HEADER.match(line.strip())
        if not match:
            continue
        key, value = match.groups()
        if key == "name":
            name = value.strip()
        elif key == "answers":
            answers = value.strip()
        elif key == "param":
            pname, _, doc = value.partition(" - ")
            params[pname.strip()] = doc.strip()
    return NamedQuery(name=name, text=text, path=path, answers=answers, params=params)


@cache
def _catalogue(folder: str) -> dict[str, NamedQuery]:
    queries: dict[str, NamedQuery] = {}
    for path in sorted(Path(folder).rglob("*.rq")):
        rel = path.relative_to(folder).with_suffix("").as_posix()
        queries[rel] = parse_query_file(path)
    return queries


def named_queries(include_internal: bool = False) -> dict[str, NamedQuery]:
    """Every query shipped in `queries/`, by name (`internal/...` ones only on request)."""
    queries = _catalogue(str(queries_dir()))
    return {k: v for k, v in queries.items() if include_internal or not k.startswith("internal/")}


def load_query(name: str) -> NamedQuery:
    """A shipped query by name (e.g. `film-cast` or `internal/film-candidates`)."""
    queries = _catalogue(str(queries_dir()))
    if name not in queries:
        public = sorted(k for k in queries if not k.startswith("internal/"))
        raise NotFound(f"no named query {name!r}; known queries: {', '.join(public) or 'none'}")
    return queries[name]


def row_reader(store: Store) -> Callable[[str, Bindings], list[Row]]:
    """Runs shipped SELECT queries by name on `store` and gives their rows (how `link.resolve` reads the store)."""
    def read(name: str, bindings: Bindings) -> list[Row]:
        result = load_query(name).run(store, bindings)
        assert isinstance(result, SelectResult)
        return result.rows

    return read
