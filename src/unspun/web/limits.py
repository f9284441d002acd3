"""An ASGI middleware that refuses request bodies over a size limit with a clear 413."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, MutableMapping
from html import escape
from typing import Any

from unspun.ingest.base import human_size

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


class BodyLimit:
    """Refuse bodies over ``max_bytes``: by their Content-Length, and by counting streamed bytes.

    The body is read (up to the limit) before the app runs, then replayed to it, so a chunked
    upload without Content-Length is refused as soon as it passes the limit.
    """

    def __init__(self, app: ASGIApp, *, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        length = dict(scope.get("headers") or []).get(b"content-length")
        if length is not None:
            try:
                declared = int(length)
            except ValueError:
                await _reply(scope, send, 400, "bad Content-Length header")
                return
            if declared > self.max_bytes:
                await self._too_large(scope, send)
                return
        chunks: list[bytes] = []
        total = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            body = message.get("body", b"")
            total += len(body)
            if total > self.max_bytes:
                await self._too_large(scope, send)
                return
            chunks.append(body)
            if not message.get("more_body", False):
                break
        whole = b"".join(chunks)
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": whole, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)

    async def _too_large(self, scope: Scope, send: Send) -> None:
        """Send the 413 answer."""
        await _reply(scope, send, 413, f"request body is larger than the "
                                       f"{human_size(self.max_bytes)} limit")


def wants_html(scope: Scope) -> bool:
    """True for the browser pages (not ``/api/...``) when the client accepts HTML."""
    accept = dict(scope.get("headers") or []).get(b"accept", b"").decode("latin-1")
    return not str(scope.get("path", "")).startswith("/api") and "text/html" in accept


async def _reply(scope: Scope, send: Send, status: int, message: str) -> None:
    """Answer with ``message`` as JSON (``{"detail": ...}``) or as a small HTML page."""
    if wants_html(scope):
        body = (f"<!DOCTYPE html><meta charset='utf-8'><title>{status}</title>"
                f"<h1>{status}</h1><p>{escape(message)}</p><p><a href='/'>Back</a></p>").encode()
        kind = b"text/html; charset=utf-8"
    else:
        body = json.dumps({"detail": message}).encode()
        kind = b"application/json"
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", kind), (b"content-length", str(len(body)).encode()),
                            (b"connection", b"close")]})
    await send({"type": "http.response.body", "body": body})
