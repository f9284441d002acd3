"""`unspun serve`: run the web UI and HTTP API on this machine."""

from __future__ import annotations

from pathlib import Path

import click

from unspun.errors import require


@click.command(name="serve")
@click.option("--index", "index_path", type=click.Path(path_type=Path), default=None,
              help="Index directory to trace against (without one, only /api/clean works).")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; keep 127.0.0.1 unless you mean to share it.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535),
              help="Port to listen on.")
@click.option("--timeout", default=60.0, show_default=True, type=click.FloatRange(min=0.1),
              help="Seconds one request may spend tracing before it gets a 504.")
@click.option("--max-mb", default=5.0, show_default=True, type=click.FloatRange(min=0.001),
              help="Largest request body in MB; bigger ones get a 413.")
def command(*, index_path: Path | None, host: str, port: int, timeout: float,
            max_mb: float) -> None:
    """Serve the web page (paste or upload an article) and the HTTP API.

    The API is described at /docs (OpenAPI). Nothing is fetched from the network.
    """
    uvicorn = require("uvicorn", "web")
    require("fastapi", "web")
    if index_path is not None:
        from unspun.index import Index

        Index.open(index_path).close()  # fail now, with one line, if the index is unusable
    else:
        click.echo("unspun: no --index given: only /api/clean will work", err=True)
    from unspun.web.app import create_app

    app = create_app(index_path=index_path, timeout=timeout,
                     max_bytes=int(max_mb * 1024 * 1024))
    click.echo(f"unspun: serving on http://{host}:{port}/ (Ctrl+C to stop)", err=True)
    uvicorn.run(app, host=host, port=port, log_level="warning")  # type: ignore[attr-defined]
