"""What the commands share: the two consoles, library errors shown as click errors, a run's settings and store."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import click
from rich.console import Console
from rich.text import Text

from ..config import Settings
from ..errors import FilmgraphError
from ..store import Store, open_store

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
def as_cli_errors() -> Iterator[None]:
    """Show a library error as one clear line and exit with the error's own code."""
    try:
        yield
    except FilmgraphError as exc:
        raise FilmgraphCliError(exc) from exc


def settings_of(ctx: click.Context) -> Settings:
    """The settings of this run (environment, then the global options)."""
    settings: Settings = ctx.obj["settings"]
    return settings


@contextmanager
def store_of(ctx: click.Context) -> Iterator[Store]:
    """The store of this run, open for the `with` block."""
    with as_cli_errors():
        settings = settings_of(ctx)
        store = open_store(settings.store, settings=settings)
    try:
        yield store
    finally:
        store.close()
