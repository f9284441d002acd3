"""The web UI and HTTP API: paste or upload an article, see its report; a thin layer over the library."""

from __future__ import annotations

import asyncio
import importlib.util
import json
import secrets
import threading
from collections.abc import Callable
from functools import lru_cache, partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from fastapi import Request  # FastAPI reads route annotations at run time

from unspun import __version__
from unspun.data import CleanResult, Document, TraceResult
from unspun.errors import UnspunError, require
from unspun.index import Index
from unspun.ingest.base import human_size
from unspun.web.inputs import json_document, pasted_document, uploaded_document
from unspun.web.limits import BodyLimit

if TYPE_CHECKING:
    from fastapi import FastAPI

T = TypeVar("T")
DEFAULT_MAX_BYTES = 5 * 1024 * 1024
DEFAULT_TIMEOUT = 60.0

_INPUT_DOC = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {"schema": {
                "type": "object", "required": ["text"],
                "properties": {k: {"type": "string"} for k in ("text", "title", "url", "site",
                                                               "date")}}},
            "multipart/form-data": {"schema": {
                "type": "object",
                "properties": {"file": {"type": "string", "format": "binary"},
                               "text": {"type": "string"}, "title": {"type": "string"}}}},
        },
    }
}


def _trace(doc: Document, index: Index) -> TraceResult:
    """Trace ``doc`` against ``index`` (the seam tests replace)."""
    from unspun.trace import trace_document

    return trace_document(doc, index=index)


def _clean(doc: Document) -> CleanResult:
    """Clean ``doc``."""
    from unspun.clean import clean

    return clean(doc)


def get_index(request: Request) -> Index:
    """The dependency that hands routes the open index (opened once, on first use).

    Raises:
        HTTPException: 503 when the server has no index or it cannot be opened.
    """
    from fastapi import HTTPException

    state = request.app.state
    with state.open_lock:
        if state.index is None:
            if state.index_path is None:
                raise HTTPException(503, "no index: start the server with 'unspun serve --index DIR'")
            try:
                state.index = Index.open(state.index_path)
            except UnspunError as exc:
                raise HTTPException(503, str(exc)) from None
        return state.index  # type: ignore[no-any-return]


def create_app(*, index_path: Path | None, timeout: float = DEFAULT_TIMEOUT,
               max_bytes: int = DEFAULT_MAX_BYTES) -> FastAPI:
    """Build the FastAPI app: the page at ``/`` and the API under ``/api``.

    Args:
        index_path: The index directory to trace against (opened on first use); None serves
            only cleaning, and trace requests get a 503.
        timeout: Seconds one trace or clean may take before the request gets a 504.
        max_bytes: Largest request body accepted; bigger ones get a 413.

    Returns:
        The ASGI application.

    Raises:
        MissingExtra: the ``web`` extra (fastapi, jinja2, python-multipart) is not installed.
    """
    require("fastapi", "web")
    if importlib.util.find_spec("python_multipart") is None:
        require("multipart", "web")
    from fastapi import Depends, HTTPException
    from fastapi.concurrency import run_in_threadpool
    from fastapi.exception_handlers import http_exception_handler
    from fastapi.responses import HTMLResponse, JSONResponse
    from starlette.exceptions import HTTPException as StarletteHTTPException

    from unspun.report.jsonout import clean_to_dict, trace_to_dict

    require("fastapi_offline", "web")
    from fastapi_offline import FastAPIOffline

    # /docs and /redoc with Swagger UI and ReDoc served from the package, not from a CDN.
    app = FastAPIOffline(
        title="unspun", version=__version__,
        description="Find where a news article came from and what was changed. "
                    "Nothing is fetched from the network: send the article itself.")
    app.state.index_path = index_path
    app.state.index = None
    app.state.lock = threading.Lock()  # one trace at a time over the shared index handle
    app.state.open_lock = threading.Lock()
    app.add_middleware(BodyLimit, max_bytes=max_bytes)  # type: ignore[arg-type]

    async def run(fn: Callable[..., T], *args: Any) -> T:
        """Run blocking work in the threadpool under the per-request time limit."""
        try:
            return await asyncio.wait_for(run_in_threadpool(fn, *args), timeout)
        except TimeoutError:
            raise HTTPException(504, f"the request took longer than {timeout:g} s") from None

    async def read_input(request: Request) -> Document:
        """The Document a request carries, as JSON, a form, or an uploaded file."""
        kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
        try:
            if kind == "application/json":
                try:
                    payload = json.loads(await request.body())
                except ValueError:
                    raise HTTPException(400, "the body is not valid JSON") from None
                return json_document(payload)
            if kind in ("multipart/form-data", "application/x-www-form-urlencoded"):
                form = await request.form(max_part_size=max_bytes)
                upload = form.get("file")
                title = form.get("title")
                title = title if isinstance(title, str) else None
                if upload is not None and not isinstance(upload, str) and upload.filename:
                    data = await upload.read()
                    return await run(partial(uploaded_document, data, filename=upload.filename,
                                             title=title))
                text = form.get("text")
                return pasted_document(text if isinstance(text, str) else "", title=title)
        except UnspunError as exc:
            raise HTTPException(400, str(exc)) from None
        raise HTTPException(415, "send JSON {\"text\": ...} or a multipart form with 'file'")

    def traced(doc: Document, index: Index) -> TraceResult:
        with app.state.lock:
            return _trace(doc, index)

    async def trace_request(request: Request, index: Index) -> TraceResult:
        doc = await read_input(request)
        try:
            return await run(traced, doc, index)
        except UnspunError as exc:
            raise HTTPException(400, str(exc)) from None

    @app.post("/api/trace", tags=["api"], openapi_extra=_INPUT_DOC,
              summary="Trace an article: its sources, changes and verdict (schema unspun/trace/2)")
    async def api_trace(request: Request, format: str = "json",
                        index: Index = Depends(get_index)) -> Any:
        result = await trace_request(request, index)
        if format == "html":
            from unspun.report.html import render_html

            return HTMLResponse(render_html(result), headers=_security(None))
        return JSONResponse(trace_to_dict(result))

    @app.post("/api/clean", tags=["api"], openapi_extra=_INPUT_DOC,
              summary="Clean an article: the junk removed, with reasons (schema unspun/clean/1)")
    async def api_clean(request: Request) -> Any:
        doc = await read_input(request)
        try:
            result = await run(_clean, doc)
        except UnspunError as exc:
            raise HTTPException(400, str(exc)) from None
        return JSONResponse(clean_to_dict(result))

    @app.get("/api/index/stats", tags=["api"], summary="Counts and sizes of the served index")
    async def api_stats(index: Index = Depends(get_index)) -> Any:
        return JSONResponse(await run(index.stats))

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    async def page() -> HTMLResponse:
        return _page(max_bytes=max_bytes)

    @app.post("/", response_class=HTMLResponse, include_in_schema=False)
    async def page_post(request: Request, index: Index = Depends(get_index)) -> HTMLResponse:
        result = await trace_request(request, index)
        form = await request.form(max_part_size=max_bytes)  # cached: refill the form fields
        text, title = form.get("text"), form.get("title")
        return _page(max_bytes=max_bytes, result=result,
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
        "Referrer-Policy": "no-referrer",
    }


def _page(*, max_bytes: int, result: TraceResult | None = None, error: str | None = None,
          status: int = 200, text: str = "", title: str = "") -> Any:
    """The paste-or-upload page, with a report or an error message under the form."""
    from fastapi.responses import HTMLResponse
    from markupsafe import Markup

    from unspun.report.html import render_fragment, report_css, report_js

    nonce = secrets.token_urlsafe(16)
    html = _templates().get_template("page.html.j2").render(
        css=Markup(report_css()), js=Markup(report_js()), nonce=nonce, error=error,
        report=Markup(render_fragment(result)) if result is not None else None,
        limit=human_size(max_bytes), version=__version__, text=text, title=title,
    )
    return HTMLResponse(html, status_code=status, headers=_security(nonce))


@lru_cache(maxsize=1)
def _templates() -> Any:
    """The web page templates, with autoescaping on."""
    jinja2: Any = require("jinja2", "web")
    return jinja2.Environment(loader=jinja2.PackageLoader("unspun.web", "templates"),
                              autoescape=True, trim_blocks=True, lstrip_blocks=True)
