"""`unspun serve`: run the web UI and HTTP API on this machine."""

from __future__ import annotations

from pathlib import Path

import click
from click.core import ParameterSource

from unspun.cli.index import index_option
from unspun.errors import require


@click.command(name="serve")
@index_option
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; keep 127.0.0.1 unless you mean to share it.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535),
              help="Port to listen on.")
@click.option("--timeout", default=60.0, show_default=True, type=click.FloatRange(min=0.1),
              help="Seconds one request may spend tracing before it gets a 504.")
@click.option("--max-mb", default=5.0, show_default=True, type=click.FloatRange(min=0.001),
              help="Largest request body in MB; bigger ones get a 413.")
def command(*, index_path: Path, host: str, port: int, timeout: float,
            max_mb: float) -> None:
    """Serve the web page (paste or upload an article) and the HTTP API.

    Without an index (none at the default place), only /api/clean works.

    The API is described at /docs (OpenAPI). Nothing is fetched from the network.
    """
    uvicorn = require("uvicorn", "web")
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

    app = create_app(index_path=served, timeout=timeout,
                     max_bytes=int(max_mb * 1024 * 1024))
    click.echo(f"unspun: serving on http://{host}:{port}/ (Ctrl+C to stop)", err=True)
    uvicorn.run(app, host=host, port=port, log_level="warning")  # type: ignore[attr-defined]
