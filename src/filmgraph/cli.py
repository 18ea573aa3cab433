"""The `filmgraph` command: thin commands, each calling one library function."""

from __future__ import annotations

import logging
import sys
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click
from rich.console import Console
from rich.table import Table
from rich.text import Text

from .config import SETTINGS, Settings
from .errors import FilmgraphError
from .export import FORMATS, export
from .ingest import Ingestor, IngestOutcome
from .queries import load_query
from .store import SelectResult, Store, open_store

console = Console(stderr=True)
out = Console()


class FilmgraphCliError(click.ClickException):
    """A library error shown as one clear line, with the error's own exit code."""

    def __init__(self, error: FilmgraphError) -> None:
        super().__init__(error.message)
        self.error = error
        setattr(self, "exit_code", error.exit_code)  # noqa: B010 - click reads it per instance

    def show(self, file: object = None) -> None:
        console.print(Text("error: ", style="bold red") + Text(self.format_message()), highlight=False)
        report = getattr(self.error, "report", "")
        if report:
            console.print(report, highlight=False, markup=False)


@contextmanager
def _errors() -> Iterator[None]:
    try:
        yield
    except FilmgraphError as exc:
        raise FilmgraphCliError(exc) from exc


def _settings(ctx: click.Context) -> Settings:
    settings: Settings = ctx.obj["settings"]
    return settings


@contextmanager
def _store(ctx: click.Context) -> Iterator[Store]:
    with _errors():
        store = open_store(_settings(ctx).store)
    try:
        yield store
    finally:
        store.close()


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--store", "store", default=None, metavar="PATH|memory|URL",
              help=next(s.help for s in SETTINGS if s.name == "store") + " [env FILMGRAPH_STORE]")
@click.option("--base-iri", default=None, help="Namespace for minted IRIs [env FILMGRAPH_BASE_IRI].")
@click.option("-v", "--verbose", count=True, help="More log output (-vv for debug).")
@click.version_option(package_name="filmgraph")
@click.pass_context
def main(ctx: click.Context, store: str | None, base_iri: str | None, verbose: int) -> None:
    """filmgraph: film reviews in, a linked, validated knowledge graph out."""
    level = logging.WARNING - 10 * min(verbose, 2)
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s")
    ctx.obj = {"settings": Settings.from_env().with_(store=store, base_iri=base_iri)}


def _report(outcomes: list[IngestOutcome], verb: str) -> None:
    table = Table(title=f"{verb} summary")
    for column in ("input", "status", "film", "review", "triples"):
        table.add_column(column)
    for o in outcomes:
        colour = {"refused": "red", "unchanged": "yellow"}.get(o.status, "green")
        table.add_row(o.source, f"[{colour}]{o.status}[/]", o.film, o.review.rsplit("/", 1)[-1],
                      str(o.triples or ""))
    out.print(table)
    for o in outcomes:
        if o.status == "refused":
            console.print(Text("refused ", style="bold red") + Text(o.message), highlight=False)
    counts = Counter(o.status for o in outcomes)
    out.print(", ".join(f"{n} {status}" for status, n in sorted(counts.items())))


def _run_ingest(ctx: click.Context, paths: tuple[str, ...], dry_run: bool) -> None:
    with _store(ctx) as store, _errors():
        ingestor = Ingestor(store, _settings(ctx))
        outcomes = list(ingestor.ingest_many(paths, dry_run=dry_run))
    _report(outcomes, "validate" if dry_run else "ingest")
    refused = [o for o in outcomes if o.status == "refused"]
    if refused:
        ctx.exit(refused[0].exit_code or 1)


@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.pass_context
def ingest(ctx: click.Context, paths: tuple[str, ...]) -> None:
    """Ingest review files or folders: each is validated, then stored whole or not at all."""
    _run_ingest(ctx, paths, dry_run=False)


@main.command(name="validate")
@click.argument("paths", nargs=-1, required=True)
@click.pass_context
def validate_cmd(ctx: click.Context, paths: tuple[str, ...]) -> None:
    """Dry run: read, link and validate the inputs, and write nothing."""
    _run_ingest(ctx, paths, dry_run=True)


@main.command()
@click.argument("review")
@click.pass_context
def retract(ctx: click.Context, review: str) -> None:
    """Remove a review (id, IRI or file path) and every claim only it supported."""
    with _store(ctx) as store, _errors():
        iri = Ingestor(store, _settings(ctx)).retract(review)
    out.print(f"retracted {iri}")


@main.command()
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.pass_context
def reviews(ctx: click.Context, fmt: str) -> None:
    """List stored reviews and sources with their source, content hash and ingestion time."""
    with _store(ctx) as store, _errors():
        listing = Ingestor(store, _settings(ctx)).list_reviews()
    if fmt == "json":
        out.print_json(data=listing)
        return
    table = Table(title="stored reviews")
    for column in ("review", "film", "source", "sha256", "ingested"):
        table.add_column(column, overflow="fold")
    for entry in listing:
        table.add_row(entry["graph"].rsplit("/", 1)[-1], entry.get("filmName", ""), entry.get("source", ""),
                      entry.get("hash", "")[:12], entry.get("time", ""))
    out.print(table)


@main.command(name="export")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="turtle", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), default=None,
              help="File to write (default: standard output).")
@click.pass_context
def export_cmd(ctx: click.Context, fmt: str, output: str | None) -> None:
    """Export the whole graph (deterministic output: same graph, same bytes)."""
    with _store(ctx) as store, _errors():
        if output is None:
            export(store, fmt, sys.stdout.buffer, _settings(ctx).base_iri)
            sys.stdout.flush()
        else:
            with Path(output).open("wb") as handle:
                n = export(store, fmt, handle, _settings(ctx).base_iri)
            console.print(f"wrote {n} statements to {output}")


@main.command()
@click.pass_context
def stats(ctx: click.Context) -> None:
    """Counts of films, people, characters, series, publications, reviews and triples."""
    with _store(ctx) as store, _errors():
        result = load_query("stats").run(store)
        assert isinstance(result, SelectResult)
        table = Table(title=f"filmgraph store {store.name}")
        table.add_column("kind")
        table.add_column("count", justify="right")
        for row in result:
            table.add_row(str(row["type"]).rsplit("/", 1)[-1].rsplit("#", 1)[-1], str(row["count"]))
        table.add_row("named graphs", str(len(store.graph_names())))
        table.add_row("triples (all graphs)", str(len(store)))
        out.print(table)


from .cli_query import register; register(main)  # noqa: E402, E702, I001
from .cli_serve import register as register_serve; register_serve(main)  # noqa: E402, E702, I001

if __name__ == "__main__":  # pragma: no cover
    main()
