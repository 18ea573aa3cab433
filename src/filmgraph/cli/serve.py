"""The `serve` command; `register(main)` adds it to the `filmgraph` group."""

from __future__ import annotations

import click

from .common import console, settings_of


def register(main: click.Group) -> None:
    """Add `serve` to the `filmgraph` command group."""

    @main.command(name="serve")
    @click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on.")
    @click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535))
    @click.option("--store", "store", default=None, metavar="PATH|memory|URL",
                  help="The store to serve (overrides the global --store and FILMGRAPH_STORE).")
    @click.option("--allow-update", is_flag=True, default=None,
                  help="Accept SPARQL Update with 'Authorization: Bearer $FILMGRAPH_UPDATE_TOKEN' "
                       "[env FILMGRAPH_ALLOW_UPDATE].")
    @click.option("--cors-origin", "cors_origins", multiple=True, metavar="ORIGIN",
                  help="Allow browser calls from this origin (repeat; '*' for any) [env FILMGRAPH_CORS_ORIGINS].")
    @click.option("--timeout", "query_timeout_s", type=click.FloatRange(0.1, 3600), default=None,
                  help="Time limit of one query or lookup, seconds [env FILMGRAPH_QUERY_TIMEOUT, default 10].")
    @click.option("--result-limit", "query_result_limit", type=click.IntRange(1), default=None,
                  help="Most result rows a query may return [env FILMGRAPH_QUERY_RESULT_LIMIT, default 10000].")
    @click.option("--workers", "http_workers", type=click.IntRange(1, 64), default=None,
                  help="Worker processes for lookups and again for /sparql [env FILMGRAPH_HTTP_WORKERS, "
                       "default 2].")
    @click.option("--log-level", default="info", show_default=True,
                  type=click.Choice(["critical", "error", "warning", "info", "debug"]))
    @click.pass_context
    def serve_cmd(ctx: click.Context, host: str, port: int, store: str | None, allow_update: bool | None,
                  cors_origins: tuple[str, ...], query_timeout_s: float | None, query_result_limit: int | None,
                  http_workers: int | None, log_level: str) -> None:
        """Serve the store over HTTP: /sparql (SPARQL 1.1 Protocol), JSON lookups, OpenAPI at /docs."""
        import uvicorn

        from ..service import create_app

        settings = settings_of(ctx).with_(
            store=store, allow_update=allow_update, query_timeout_s=query_timeout_s,
            query_result_limit=query_result_limit, http_workers=http_workers,
            cors_origins=",".join(cors_origins) if cors_origins else None)
        if settings.allow_update and not settings.update_token:
            raise click.UsageError("--allow-update needs a token: set FILMGRAPH_UPDATE_TOKEN")
        app = create_app(settings)
        console.print(f"filmgraph serving {settings.store} on http://{host}:{port} (docs at /docs)",
                      highlight=False)
        uvicorn.run(app, host=host, port=port, log_level=log_level, access_log=log_level == "debug")
