"""`unspun serve`: run the web UI and HTTP API on this machine."""

from __future__ import annotations

from pathlib import Path

import click
from click.core import ParameterSource

from unspun.cli.index import index_option
from unspun.cli.ingest import finite
from unspun.errors import require


@click.command(name="serve")
@index_option
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; keep 127.0.0.1 unless you mean to share it.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535),
              help="Port to listen on.")
@click.option("--allow-host", "allow_hosts", multiple=True, metavar="NAME",
              help="Also answer requests whose Host header names NAME (repeatable; '*' for "
                   "any). By default only localhost, 127.0.0.1, ::1 and --host are served, "
                   "against DNS rebinding.")
@click.option("--timeout", default=60.0, show_default=True, type=click.FloatRange(min=0.1),
              callback=finite,
              help="Seconds one request may spend tracing before it gets a 504 (its worker "
                   "is stopped).")
@click.option("--workers", default=2, show_default=True, type=click.IntRange(0, 64),
              help="Worker processes that run traces; 0 runs them in the server process, "
                   "where a timed-out trace cannot be stopped.")
@click.option("--read-timeout", default=10.0, show_default=True,
              type=click.FloatRange(min=0.1), callback=finite,
              help="Seconds a client has to send a request's headers, and again its body.")
@click.option("--max-connections", default=100, show_default=True,
              type=click.IntRange(min=1),
              help="Open connections beyond which new requests get an immediate 503.")
@click.option("--max-mb", default=5.0, show_default=True, type=click.FloatRange(min=0.001),
              callback=finite, help="Largest request body in MB; bigger ones get a 413.")
def command(*, index_path: Path, host: str, port: int, allow_hosts: tuple[str, ...],
            timeout: float, workers: int, read_timeout: float, max_connections: int,
            max_mb: float) -> None:
    """Serve the web page (paste or upload an article) and the HTTP API.

    Without an index (none at the default place), only /api/clean works.

    The API is described at /docs (OpenAPI). Nothing is fetched from the network. Documents
    added to the index while the server runs are seen without a restart.
    """
    require("uvicorn", "web")
    require("fastapi", "web")
    given = click.get_current_context().get_parameter_source("index_path")
    served: Path | None = index_path
    if given == ParameterSource.DEFAULT and not index_path.exists():
        click.echo(f"unspun: no index at {index_path} (give --index or set UNSPUN_INDEX): "
                   "only /api/clean will work", err=True)
        served = None
    else:
        from unspun.index import Index

        Index.open(index_path).close()  # fail now, with one line, if the index is unusable
    from unspun.web.app import create_app
    from unspun.web.guard import LOCAL_HOSTS
    from unspun.web.server import run

    app = create_app(index_path=served, timeout=timeout,
                     max_bytes=int(max_mb * 1024 * 1024), workers=workers,
                     read_timeout=read_timeout,
                     allowed_hosts=[*LOCAL_HOSTS, host, *allow_hosts])
    click.echo(f"unspun: serving on http://{host}:{port}/ (Ctrl+C to stop)", err=True)
    run(app, host=host, port=port, read_timeout=read_timeout,
        max_connections=max_connections)
