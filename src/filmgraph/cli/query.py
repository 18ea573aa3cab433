"""The `query` and `related` commands; `register(main)` adds them to the `filmgraph` group."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click
from rdflib import Graph
from rich.table import Table

from ..discover.lookup import ParamValue, query_bindings, resolve_film
from ..discover.queries import NamedQuery, load_query, parse_query_file
from ..errors import NotFound, QueryError
from ..service.results import serialize_boolean, serialize_rows
from ..store import QueryOutcome, SelectResult
from ..vocab import bind_prefixes
from .common import FilmgraphCliError, as_cli_errors, console, out, settings_of, store_of

if TYPE_CHECKING:
    from ..discover.related import Related


def pick_query(name_or_file: str) -> NamedQuery:
    """A shipped named query, or an ad-hoc `.rq` file."""
    path = Path(name_or_file)
    if path.suffix == ".rq" and path.is_file():
        return parse_query_file(path)
    if path.suffix == ".rq" and (path.parent != Path(".") or path.is_absolute()):
        raise NotFound(f"no query file {name_or_file!r}")
    return load_query(name_or_file[:-3] if name_or_file.endswith(".rq") else name_or_file)


def parse_params(pairs: tuple[str, ...]) -> dict[str, ParamValue]:
    """`key=value` options; a key given twice binds several values."""
    params: dict[str, ParamValue] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise QueryError(f"--param {pair!r}: expected key=value")
        key = key.strip()
        if key in params:
            previous = params[key]
            params[key] = [*previous, value] if isinstance(previous, list) else [previous, value]  # type: ignore[list-item]
        else:
            params[key] = value
    return params


def render(outcome: QueryOutcome, fmt: str) -> str:
    """A query result as text: SPARQL 1.1 `json` (indented for reading) or `csv` results, written by
    pyoxigraph's serialisers; a graph as Turtle or JSON-LD; a boolean as `true`/`false` (or its SPARQL JSON)."""
    if isinstance(outcome, bool):
        if fmt == "json":
            return json.dumps(json.loads(serialize_boolean(outcome, "json")))
        return "true" if outcome else "false"
    if isinstance(outcome, Graph):
        graph = bind_prefixes(outcome)
        return graph.serialize(format="json-ld" if fmt == "json" else "turtle")
    if fmt in ("json", "csv"):
        rows = ([row.get(v) for v in outcome.variables] for row in outcome.rows)
        body = serialize_rows(outcome.variables, rows, fmt).decode()
        return json.dumps(json.loads(body), ensure_ascii=False, indent=2) if fmt == "json" else body
    return ""


def _table(outcome: SelectResult, title: str) -> Table:
    table = Table(title=title)
    for var in outcome.variables:
        table.add_column(var, overflow="fold")
    for row in outcome.rows:
        table.add_row(*[str(row[v]) if v in row else "" for v in outcome.variables])
    return table


def _related_table(result: Related) -> Table:
    year = f" ({result.year})" if result.year else ""
    table = Table(title=f"films related to {result.name}{year}")
    for column in ("#", "film", "year", "score", "why"):
        table.add_column(column, overflow="fold")
    for i, s in enumerate(result.suggestions, 1):
        name = f"{s.name} [namesake]" if s.namesake else s.name
        table.add_row(str(i), name, str(s.year or ""), f"{s.score:.2f}", "; ".join(r.text for r in s.reasons))
    return table


def register(main: click.Group) -> None:
    """Add `query` and `related` to the `filmgraph` command group."""

    @main.command(name="query")
    @click.argument("name_or_file")
    @click.option("--param", "-p", "params", multiple=True, metavar="KEY=VALUE",
                  help="Bind a parameter (repeat for more; a key given twice binds several values). "
                       "http(s):// values are IRIs, integers xsd:integer, a documented title/key its match key.")
    @click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table",
                  show_default=True)
    @click.pass_context
    def query_cmd(ctx: click.Context, name_or_file: str, params: tuple[str, ...], fmt: str) -> None:
        """Run a named query from queries/ (e.g. film-cast) or an ad-hoc .rq file, with bound parameters."""
        with as_cli_errors():
            query = pick_query(name_or_file)
            bindings = query_bindings(query, parse_params(params))
        with store_of(ctx) as store, as_cli_errors():
            outcome = query.run(store, bindings)
        if fmt == "table" and isinstance(outcome, SelectResult):
            out.print(_table(outcome, query.answers or query.name))
            out.print(f"{len(outcome)} row(s)", highlight=False)
            return
        text = render(outcome, "turtle" if fmt == "table" else fmt)
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
        sys.stdout.flush()

    @main.command(name="related")
    @click.argument("film")
    @click.option("--top", default=10, show_default=True, type=click.IntRange(1, 1000),
                  help="How many suggestions.")
    @click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
    @click.option("--exclude-seen", is_flag=True,
                  help="Leave out films that any stored review rates (films already seen by reviewers we hold).")
    @click.option("--min-year", type=int, default=None, help="Only films from this year on.")
    @click.option("--language", default=None, help="Only films in this language (BCP 47, e.g. ko).")
    @click.option("--genre", default=None, help="Only films of this genre (e.g. Thriller).")
    @click.pass_context
    def related_cmd(ctx: click.Context, film: str, top: int, fmt: str, exclude_seen: bool,
                    min_year: int | None, language: str | None, genre: str | None) -> None:
        """Films related to FILM (an IRI, a slug, or a title), each with the reasons it is related."""
        from ..discover.related import find_related  # networkx: imported by the command that uses it

        try:
            with store_of(ctx) as store, as_cli_errors():
                iri = resolve_film(store, film, settings_of(ctx).base_iri)
                result = find_related(store, iri, top, min_year=min_year, language=language, genre=genre,
                                      exclude_seen=exclude_seen)
        except FilmgraphCliError as exc:
            candidates = getattr(exc.error, "candidates", None)
            if candidates:
                if fmt == "json":
                    sys.stdout.write(json.dumps({"error": exc.error.message, "candidates": candidates},
                                                ensure_ascii=False, indent=2) + "\n")
                else:
                    for c in candidates:
                        console.print(f"  {c['name']} ({c['year'] or '?'})  {c['slug']}  <{c['film']}>",
                                      highlight=False, markup=False)
            raise
        if fmt == "json":
            sys.stdout.write(json.dumps(result.as_dict(), ensure_ascii=False, indent=2) + "\n")
            return
        out.print(_related_table(result))
        for n in result.namesakes:
            out.print(f"namesake: {n.name} ({n.year or '?'}) <{n.film}> — same title, different film",
                      highlight=False, markup=False)
