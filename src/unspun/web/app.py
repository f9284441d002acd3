"""The web UI and HTTP API: paste or upload an article, see its report; a thin layer over the library."""

from __future__ import annotations

import asyncio
import importlib.util
import secrets
import threading
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fastapi import Request  # FastAPI reads route annotations at run time

from unspun import __version__
from unspun.data import Document
from unspun.errors import UnspunError, require
from unspun.index import Index
from unspun.ingest.base import human_size
from unspun.ingest.jsonload import loads
from unspun.web.guard import LOCAL_HOSTS, RequestGuard
from unspun.web.inputs import json_document, pasted_document
from unspun.web.jobs import Job, Outcome, Upload, outcome
from unspun.web.limits import BodyLimit
from unspun.web.pool import Busy, TimedOut, WorkerPool

if TYPE_CHECKING:
    from fastapi import FastAPI

DEFAULT_MAX_BYTES = 5 * 1024 * 1024
DEFAULT_TIMEOUT = 60.0
DEFAULT_READ_TIMEOUT = 10.0
_STATUS = {"bad": 400, "unavailable": 503, "error": 500}

_INPUT_DOC = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {"schema": {
                "type": "object", "required": ["text"],
                "properties": {"text": {"type": "string", "minLength": 1, "pattern": r"\S"},
                               **{k: {"type": "string"} for k in ("title", "url", "site",
                                                                  "date")}}}},
            "multipart/form-data": {"schema": {
                "type": "object",
                "properties": {"file": {"type": "string", "format": "binary"},
                               "text": {"type": "string"}, "title": {"type": "string"}}}},
        },
    }
}


def _inline(state: Any, job: Job) -> tuple[Outcome, Any]:
    """Run ``job`` in this process, one at a time over the shared index handle (``workers=0``).

    The index is opened on first use and reloaded before each job, so commits made while the
    server runs are seen.
    """
    with state.lock:
        index = None
        if job.action != "clean" and state.index_path is not None:
            try:
                if state.index is None:
                    state.index = Index.open(state.index_path)
                else:
                    state.index.reload()
            except UnspunError as exc:
                state.index = None
                return "unavailable", str(exc)
            index = state.index
        return outcome(job, index)


def create_app(*, index_path: Path | None, timeout: float = DEFAULT_TIMEOUT,
               max_bytes: int = DEFAULT_MAX_BYTES, workers: int = 0,
               read_timeout: float = DEFAULT_READ_TIMEOUT,
               allowed_hosts: Sequence[str] = LOCAL_HOSTS) -> FastAPI:
    """Build the FastAPI app: the page at ``/`` and the API under ``/api``.

    Args:
        index_path: The index directory to trace against (opened on first use); None serves
            only cleaning, and trace requests get a 503.
        timeout: Seconds one trace or clean may take before the request gets a 504.
        max_bytes: Largest request body accepted; bigger ones get a 413.
        workers: Worker processes that run the traces; a request past ``timeout`` has its
            worker killed and replaced. 0 runs them in this process, one at a time, where a
            timed-out trace answers 504 but runs on (for tests and embedding).
        read_timeout: Seconds a client has to send a request body (408 after that).
        allowed_hosts: Host header names served (``*`` for any); others get a 400.

    Returns:
        The ASGI application.

    Raises:
        MissingExtra: the ``web`` extra (fastapi, jinja2, python-multipart) is not installed.
    """
    require("fastapi", "web")
    if importlib.util.find_spec("python_multipart") is None:
        require("multipart", "web")
    from fastapi import HTTPException
    from fastapi.concurrency import run_in_threadpool
    from fastapi.exception_handlers import http_exception_handler
    from fastapi.responses import HTMLResponse, JSONResponse
    from starlette.exceptions import HTTPException as StarletteHTTPException

    pool = WorkerPool(index_path=index_path, size=workers) if workers > 0 else None

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if pool is not None:
            pool.start()
        yield
        if pool is not None:
            pool.close()

    require("fastapi_offline", "web")
    from fastapi_offline import FastAPIOffline

    # /docs and /redoc with Swagger UI and ReDoc served from the package, not from a CDN.
    app = FastAPIOffline(
        title="unspun", version=__version__, lifespan=lifespan,
        description="Find where a news article came from and what was changed. "
                    "Nothing is fetched from the network: send the article itself.")
    app.state.index_path = index_path
    app.state.index = None
    app.state.pool = pool
    app.state.lock = threading.Lock()  # one trace at a time over the shared index handle
    app.add_middleware(BodyLimit, max_bytes=max_bytes,  # type: ignore[arg-type]
                       read_timeout=read_timeout)
    app.add_middleware(RequestGuard, allowed_hosts=allowed_hosts)  # type: ignore[arg-type]

    async def execute(job: Job) -> Any:
        """Run ``job`` under the time limit; its answer, or the HTTP error it earned."""
        if pool is not None:
            try:
                kind, value = await pool.run(job, timeout=timeout)
            except Busy as exc:
                raise HTTPException(503, str(exc), headers={"Retry-After": "2"}) from None
            except TimedOut as exc:
                raise HTTPException(504, str(exc)) from None
        else:
            try:
                kind, value = await asyncio.wait_for(
                    run_in_threadpool(_inline, app.state, job), timeout)
            except TimeoutError:
                raise HTTPException(504, f"the request took longer than {timeout:g} s") from None
        if kind != "ok":
            raise HTTPException(_STATUS[kind], value)
        return value

    async def read_input(request: Request) -> Document | Upload:
        """The document a request carries: JSON, a pasted form, or an uploaded file."""
        kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
        try:
            if kind == "application/json":
                return json_document(loads(await request.body(), where="request body"))
            if kind in ("multipart/form-data", "application/x-www-form-urlencoded"):
                form = await request.form(max_part_size=max_bytes)
                upload = form.get("file")
                title = form.get("title")
                title = title if isinstance(title, str) else None
                if upload is not None and not isinstance(upload, str) and upload.filename:
                    return Upload(await upload.read(), upload.filename, title)
                text = form.get("text")
                return pasted_document(text if isinstance(text, str) else "", title=title)
        except UnspunError as exc:
            raise HTTPException(400, str(exc)) from None
        raise HTTPException(415, "send JSON {\"text\": ...} or a multipart form with 'file'")

    @app.post("/api/trace", tags=["api"], openapi_extra=_INPUT_DOC,
              summary="Trace an article: its sources, changes and verdict (schema unspun/trace/2)")
    async def api_trace(request: Request, format: str = "json") -> Any:
        source = await read_input(request)
        if format == "html":
            nonce = secrets.token_urlsafe(16)
            page = await execute(Job("trace", source, render="html", nonce=nonce))
            return HTMLResponse(page, headers=_security(nonce))
        return JSONResponse(await execute(Job("trace", source)))

    @app.post("/api/clean", tags=["api"], openapi_extra=_INPUT_DOC,
              summary="Clean an article: the junk removed, with reasons (schema unspun/clean/1)")
    async def api_clean(request: Request) -> Any:
        return JSONResponse(await execute(Job("clean", await read_input(request))))

    @app.get("/api/index/stats", tags=["api"], summary="Counts and sizes of the served index")
    async def api_stats() -> Any:
        return JSONResponse(await execute(Job("stats")))

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    async def page() -> HTMLResponse:
        return _page(max_bytes=max_bytes)

    @app.post("/", response_class=HTMLResponse, include_in_schema=False)
    async def page_post(request: Request) -> HTMLResponse:
        report = await execute(Job("trace", await read_input(request), render="fragment"))
        form = await request.form(max_part_size=max_bytes)  # cached: refill the form fields
        text, title = form.get("text"), form.get("title")
        return _page(max_bytes=max_bytes, report=report,
                     text=text if isinstance(text, str) else "",
                     title=title if isinstance(title, str) else "")

    @app.exception_handler(StarletteHTTPException)
    async def errors(request: Request, exc: StarletteHTTPException) -> Any:
        """Errors on the page come back as the page with a message; the API answers JSON."""
        if request.url.path == "/":
            return _page(max_bytes=max_bytes, error=str(exc.detail), status=exc.status_code)
        return await http_exception_handler(request, exc)

    return app


def _security(nonce: str | None) -> dict[str, str]:
    """Headers that stop a page from running anything but our own script."""
    script = f"'nonce-{nonce}'" if nonce else "'unsafe-inline'"
    return {
        "Content-Security-Policy": (
            f"default-src 'none'; style-src 'unsafe-inline'; script-src {script}; "
            "img-src data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"),
        "X-Content-Type-Options": "nosniff",
        # same-origin, not no-referrer: browsers then send our own Origin with the form post
        # (the cross-origin check needs it); other sites still get no referrer.
        "Referrer-Policy": "same-origin",
    }


def _page(*, max_bytes: int, report: str | None = None, error: str | None = None,
          status: int = 200, text: str = "", title: str = "") -> Any:
    """The paste-or-upload page, with a report or an error message under the form."""
    from fastapi.responses import HTMLResponse
    from markupsafe import Markup

    from unspun.report.html import report_css, report_js

    nonce = secrets.token_urlsafe(16)
    html = _templates().get_template("page.html.j2").render(
        css=Markup(report_css()), js=Markup(report_js()), nonce=nonce, error=error,
        report=Markup(report) if report is not None else None,
        limit=human_size(max_bytes), version=__version__, text=text, title=title,
    )
    return HTMLResponse(html, status_code=status, headers=_security(nonce))


@lru_cache(maxsize=1)
def _templates() -> Any:
    """The web page templates, with autoescaping on."""
    jinja2: Any = require("jinja2", "web")
    return jinja2.Environment(loader=jinja2.PackageLoader("unspun.web", "templates"),
                              autoescape=True, trim_blocks=True, lstrip_blocks=True)
