"""Run the app under uvicorn with a time limit on receiving each request's headers."""

from __future__ import annotations

import asyncio
from typing import Any

from unspun.errors import require

_TIMEOUT_ANSWER = (b"HTTP/1.1 408 Request Timeout\r\ncontent-type: text/plain\r\n"
                   b"content-length: 29\r\nconnection: close\r\n\r\nrequest headers took too long")


def header_deadline_protocol(header_timeout: float) -> type[Any]:
    """uvicorn's h11 protocol with a deadline for the headers of every request.

    uvicorn limits how long an idle keep-alive connection stays open, but not how long a client
    may take to send its headers: a client that sends them a byte at a time holds a connection
    for ever. This protocol closes the connection (after a 408) when a request's headers are
    not complete ``header_timeout`` seconds after the connection opened or the previous
    response was sent. (The body has its own limit, in :class:`unspun.web.limits.BodyLimit`.)

    Raises:
        MissingExtra: uvicorn is not installed.
    """
    require("uvicorn", "web")
    from uvicorn.protocols.http.h11_impl import H11Protocol

    class HeaderDeadline(H11Protocol):  # type: ignore[misc]
        _timer: asyncio.TimerHandle | None = None

        def _between_requests(self) -> bool:
            return self.cycle is None or bool(self.cycle.response_complete)

        def _arm(self) -> None:
            self._disarm()
            self._timer = self.loop.call_later(header_timeout, self._expired)

        def _disarm(self) -> None:
            if self._timer is not None:
                self._timer.cancel()
                self._timer = None

        def _expired(self) -> None:
            self._timer = None
            if not self.transport.is_closing() and self._between_requests():
                self.transport.write(_TIMEOUT_ANSWER)
                self.transport.close()

        def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
            super().connection_made(transport)
            self._arm()

        def data_received(self, data: bytes) -> None:
            super().data_received(data)
            if self._timer is not None and not self._between_requests():
                self._disarm()  # a new request's headers are complete

        def on_response_complete(self) -> None:
            super().on_response_complete()
            if not self.transport.is_closing() and self._between_requests():
                self._arm()

        def connection_lost(self, exc: Exception | None) -> None:
            self._disarm()
            super().connection_lost(exc)

    return HeaderDeadline


def run(app: Any, *, host: str, port: int, read_timeout: float,
        max_connections: int) -> None:
    """Serve ``app`` on ``host:port`` until interrupted.

    Args:
        app: The ASGI app from :func:`unspun.web.app.create_app`.
        host: Address to listen on.
        port: Port to listen on.
        read_timeout: Seconds a client has to send a request's headers (and, separately, its
            body).
        max_connections: Open connections and running requests beyond which new requests get
            an immediate 503.
    """
    uvicorn: Any = require("uvicorn", "web")
    uvicorn.run(app, host=host, port=port, log_level="warning",
                http=header_deadline_protocol(read_timeout),
                limit_concurrency=max_connections, timeout_keep_alive=5)
