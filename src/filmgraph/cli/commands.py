"""The `filmgraph` command: thin commands, each calling one library function."""

from __future__ import annotations

import json
import logging
import sys
from collections import Counter
from pathlib import Path

import click
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from ..config import SERVER_KINDS, SETTINGS, Settings
from ..discover.queries import load_query
from ..errors import FilmgraphError
from ..extract import explain_file
from ..ingest import FORMATS, Ingestor, IngestOutcome, expand_paths
from ..store import SelectResult
from ..store.export import FORMATS as EXPORT_FORMATS
from ..store.export import export
from .common import as_cli_errors, console, out, settings_of, store_of
from .query import register as register_query
from .serve import register as register_serve


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--store", "store", default=None, metavar="PATH|memory|URL",
              help=next(s.help for s in SETTINGS if s.name == "store") + " [env FILMGRAPH_STORE]")
@click.option("--server", "server", default=None, type=click.Choice(SERVER_KINDS), metavar="KIND",
              help="The kind of SPARQL server behind an http(s) --store: " + "|".join(SERVER_KINDS)
              + " (generic: standard SPARQL 1.1 only); asked of the server when not given [env FILMGRAPH_SERVER].")
@click.option("--base-iri", default=None, help="Namespace for minted IRIs [env FILMGRAPH_BASE_IRI].")
@click.option("-v", "--verbose", count=True, help="More log output (-vv for debug).")
@click.version_option(package_name="filmgraph")
@click.pass_context
def main(ctx: click.Context, store: str | None, server: str | None, base_iri: str | None, verbose: int) -> None:
    """filmgraph: film reviews in, a linked, validated knowledge graph out."""
    level = logging.WARNING - 10 * min(verbose, 2)
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s")
    ctx.obj = {"settings": Settings.from_env().with_(store=store, server=server, base_iri=base_iri)}


#: Inputs above which the summary is one tab-separated line an input instead of a table: laying out a table of
#: 1,000 rows took 0.7 s, a seventh of ingesting them, and such a table is read with grep anyway.
TABLE_ROWS = 200


def _report(outcomes: list[IngestOutcome], verb: str) -> None:
    columns = ("input", "status", "what", "graph", "triples", "links")
    rows = [(o.source, o.status, o.film, o.review.rsplit("/", 1)[-1], str(o.triples or ""), str(o.links or ""))
            for o in outcomes]
    if len(rows) > TABLE_ROWS:
        out.file.write("".join("\t".join(row) + "\n" for row in [columns, *rows]))
    else:
        table = Table(title=f"{verb} summary")
        for column in columns:
            table.add_column(column, overflow="fold")
        for row in rows:
            colour = {"refused": "red", "unchanged": "yellow"}.get(row[1], "green")
            table.add_row(row[0], Text(row[1], style=colour), *row[2:])
        out.print(table)
    for o in outcomes:
        if o.status == "refused":
            console.print(Text("refused ", style="bold red") + Text(o.message), highlight=False)
    counts = Counter(o.status for o in outcomes)
    out.print(", ".join(f"{n} {status}" for status, n in sorted(counts.items())))


def _write_report(path: str, outcomes: list[IngestOutcome]) -> None:
    counts = Counter(o.status for o in outcomes)
    data = {
        "counts": dict(sorted(counts.items())),
        "refused": [{"input": o.source, "reason": o.message, "exit_code": o.exit_code}
                    for o in outcomes if o.status == "refused"],
        "inputs": [{"input": o.source, "status": o.status, "graph": o.review, "triples": o.triples}
                   for o in outcomes],
    }
    Path(path).write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def _run_ingest(ctx: click.Context, paths: tuple[str, ...], dry_run: bool, fmt: str | None,
                report: str | None, ratings: bool = True) -> None:
    outcomes: list[IngestOutcome] = []
    with store_of(ctx) as store, as_cli_errors():
        ingestor = Ingestor(store, settings_of(ctx), ratings=ratings)
        inputs = expand_paths(paths)
        progress = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                            TextColumn("{task.fields[counts]}"), TimeElapsedColumn(), console=console,
                            transient=True, disable=not console.is_terminal)
        with progress:
            task = progress.add_task("validating" if dry_run else "ingesting", total=len(inputs), counts="")
            counts: Counter[str] = Counter()
            for outcome in ingestor.ingest_many(inputs, dry_run=dry_run, fmt=fmt):
                outcomes.append(outcome)
                counts[outcome.status] += 1
                progress.update(task, advance=1, counts=", ".join(f"{n} {k}" for k, n in sorted(counts.items())))
    _report(outcomes, "validate" if dry_run else "ingest")
    if report:
        _write_report(report, outcomes)
    refused = [o for o in outcomes if o.status == "refused"]
    if refused:
        ctx.exit(refused[0].exit_code or 1)


_FORMAT_OPTION = click.option("--format", "fmt", type=click.Choice(FORMATS), default=None,
                              help="Read every input as this format instead of guessing from type and content.")
_REPORT_OPTION = click.option("--report", type=click.Path(dir_okay=False, writable=True), default=None,
                              help="Write a JSON report of every input, with the reason for each refusal.")


@main.command()
@click.argument("paths", nargs=-1, required=True)
@_FORMAT_OPTION
@_REPORT_OPTION
@click.option("--ratings/--no-ratings", default=True, show_default=True,
              help="Also import a MovieLens folder's ratings.csv as rating reviews (graph source/<folder>-ratings).")
@click.pass_context
def ingest(ctx: click.Context, paths: tuple[str, ...], fmt: str | None, report: str | None, ratings: bool) -> None:
    """Ingest reviews, HTML pages and catalogues (files, folders, globs): each whole or not at all."""
    _run_ingest(ctx, paths, dry_run=False, fmt=fmt, report=report, ratings=ratings)


@main.command(name="validate")
@click.argument("paths", nargs=-1, required=True)
@_FORMAT_OPTION
@_REPORT_OPTION
@click.option("--explain", is_flag=True, help="Also print every fact read from each review, with its line and the cue "
                                              "that produced it.")
@click.pass_context
def validate_cmd(ctx: click.Context, paths: tuple[str, ...], fmt: str | None, report: str | None,
                 explain: bool) -> None:
    """Dry run: read, link and validate the inputs, and write nothing."""
    if explain:
        for path in expand_paths(paths):
            _print_evidence(path)
    _run_ingest(ctx, paths, dry_run=True, fmt=fmt, report=report)


def _print_evidence(path: Path) -> None:
    try:
        evidence = explain_file(path)
    except FilmgraphError as exc:
        console.print(f"[red]{path}: {exc}[/red]")
        return
    table = Table(title=f"{path}: what was read, where, and why")
    for column in ("line", "fact", "value", "cue"):
        table.add_column(column, overflow="fold")
    for item in evidence:
        table.add_row(str(item.line), item.field, item.value, item.cue)
    out.print(table)


def _print_rows(result: SelectResult, title: str, columns: dict[str, str], fmt: str) -> None:
    rows = [{label: _short(row.get(var)) for var, label in columns.items()} for row in result]
    if fmt == "json":
        out.print_json(data=rows)
        return
    table = Table(title=title)
    for label in columns.values():
        table.add_column(label, overflow="fold")
    for row in rows:
        table.add_row(*row.values())
    out.print(table)
    if not rows:
        out.print("none")


def _short(term: object) -> str:
    text = "" if term is None else str(term)
    return text.split("/id/", 1)[-1] if text.startswith("http") and "/id/" in text else text


@main.command()
@click.option("--decision", type=click.Choice(["all", "merged", "kept-apart"]), default="all", show_default=True)
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.pass_context
def links(ctx: click.Context, decision: str, fmt: str) -> None:
    """Report the linking decisions: spellings merged into a node, and near-misses kept apart, with evidence."""
    with store_of(ctx) as store, as_cli_errors():
        result = load_query("link-decisions").run(store)
    assert isinstance(result, SelectResult)
    if decision != "all":
        result = SelectResult(result.variables, [r for r in result if str(r.get("decision")) == decision])
    _print_rows(result, "link decisions", {"decision": "decision", "kind": "kind", "spelling": "spelling",
                                           "linkedTo": "linked to", "comparedWith": "compared with",
                                           "evidence": "evidence", "graph": "source"}, fmt)


@main.command()
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.pass_context
def conflicts(ctx: click.Context, fmt: str) -> None:
    """Films whose sources disagree (runtime, release date, director), each claim with its source."""
    with store_of(ctx) as store, as_cli_errors():
        result = load_query("source-conflicts").run(store)
    assert isinstance(result, SelectResult)
    _print_rows(result, "conflicts between sources", {"name": "film", "property": "property", "value1": "value",
                                                       "graph1": "source", "value2": "other value",
                                                       "graph2": "other source"}, fmt)


@main.command()
@click.argument("review")
@click.pass_context
def retract(ctx: click.Context, review: str) -> None:
    """Remove a review (id, IRI or file path) and every claim only it supported."""
    with store_of(ctx) as store, as_cli_errors():
        iri = Ingestor(store, settings_of(ctx)).retract(review)
    out.print(f"retracted {iri}")


@main.command()
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.pass_context
def reviews(ctx: click.Context, fmt: str) -> None:
    """List stored reviews and sources with their source, content hash and ingestion time."""
    with store_of(ctx) as store, as_cli_errors():
        listing = Ingestor(store, settings_of(ctx)).list_reviews()
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
@click.option("--format", "fmt", type=click.Choice(EXPORT_FORMATS), default="turtle", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), default=None,
              help="File to write (default: standard output).")
@click.pass_context
def export_cmd(ctx: click.Context, fmt: str, output: str | None) -> None:
    """Export the whole graph (deterministic output: same graph, same bytes)."""
    with store_of(ctx) as store, as_cli_errors():
        if output is None:
            export(store, fmt, sys.stdout.buffer, settings_of(ctx).base_iri)
            sys.stdout.flush()
        else:
            with Path(output).open("wb") as handle:
                n = export(store, fmt, handle, settings_of(ctx).base_iri)
            console.print(f"wrote {n} statements to {output}")


@main.command()
@click.pass_context
def stats(ctx: click.Context) -> None:
    """Counts of films, people, characters, series, publications, reviews and triples."""
    with store_of(ctx) as store, as_cli_errors():
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


register_query(main)
register_serve(main)
