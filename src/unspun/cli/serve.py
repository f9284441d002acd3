"""`unspun serve`: run the web UI and HTTP API on this machine."""

from __future__ import annotations

from pathlib import Path

import click

from unspun.cli.ingest import finite
from unspun.errors import require


@click.command(name="serve")
@click.option("--index", "index_path", type=click.Path(path_type=Path), default=None,
              help="Index directory to trace against (without one, only /api/clean works). "
                   "Documents added while the server runs are seen without a restart.")
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
def command(*, index_path: Path | None, host: str, port: int, allow_hosts: tuple[str, ...],
            timeout: float, workers: int, read_timeout: float, max_connections: int,
            max_mb: float) -> None:
    """Serve the web page (paste or upload an article) and the HTTP API.

    The API is described at /docs (OpenAPI). Nothing is fetched from the network.
    """
    require("uvicorn", "web")
    require("fastapi", "web")
    if index_path is not None:
        from unspun.index import Index

        Index.open(index_path).close()  # fail now, with one line, if the index is unusable
    else:
        click.echo("unspun: no --index given: only /api/clean will work", err=True)
    from unspun.web.app import create_app
    from unspun.web.guard import LOCAL_HOSTS
    from unspun.web.server import run

    app = create_app(index_path=index_path, timeout=timeout,
                     max_bytes=int(max_mb * 1024 * 1024), workers=workers,
                     read_timeout=read_timeout,
                     allowed_hosts=[*LOCAL_HOSTS, host, *allow_hosts])
    click.echo(f"unspun: serving on http://{host}:{port}/ (Ctrl+C to stop)", err=True)
    run(app, host=host, port=port, read_timeout=read_timeout,
        max_connections=max_connections)
