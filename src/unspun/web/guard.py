"""An ASGI middleware that refuses unknown Host names and cross-origin form posts.

A Host allowlist stops DNS rebinding (a web page whose name suddenly points at 127.0.0.1);
the origin check stops another site's page from posting forms to this service.
"""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import urlsplit

from unspun.web.limits import ASGIApp, Receive, Scope, Send, reply

#: Host names the service answers to unless told otherwise.
LOCAL_HOSTS = ("localhost", "127.0.0.1", "::1")
_SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
_SAME_SITE = {"same-origin", "none"}  # Sec-Fetch-Site values of our own page or a typed URL


def host_name(value: str) -> str:
    """The host part of a Host header (``[::1]:8000`` -> ``::1``), lower-cased."""
    value = value.strip().lower()
    if value.startswith("["):
        return value[1:].split("]", 1)[0]
    return value.rsplit(":", 1)[0] if value.count(":") == 1 else value


class RequestGuard:
    """Answer 400 to a Host header not in ``allowed_hosts`` and 403 to a cross-origin POST.

    Args:
        app: The application to protect.
        allowed_hosts: Host names accepted (ports are ignored); ``*`` accepts any.
    """

    def __init__(self, app: ASGIApp, *, allowed_hosts: Iterable[str] = LOCAL_HOSTS) -> None:
        self.app = app
        self.allowed = {host_name(h) for h in allowed_hosts}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1")
                   for k, v in scope.get("headers") or []}
        host = headers.get("host", "")
        if "*" not in self.allowed and host_name(host) not in self.allowed:
            await reply(scope, send, 400, f"Host {host!r} is not served here (start the "
                                          "server with --allow-host NAME to allow it)")
            return
        if scope.get("method", "GET") not in _SAFE_METHODS:
            problem = cross_origin(headers, host)
            if problem:
                await reply(scope, send, 403, f"cross-origin request refused ({problem})")
                return
        await self.app(scope, receive, send)


def cross_origin(headers: dict[str, str], host: str) -> str | None:
    """Why a state-changing request looks cross-origin, or None when it does not.

    Browsers send ``Sec-Fetch-Site`` and ``Origin`` with form posts; ``Sec-Fetch-Site`` decides
    when present (``Origin`` is ``null`` under some referrer policies), else ``Origin`` must
    name this server. A request with neither (curl, scripts) is not a browser being abused and
    is let through.
    """
    site = headers.get("sec-fetch-site")
    if site is not None:
        return None if site.lower() in _SAME_SITE else f"Sec-Fetch-Site: {site}"
    origin = headers.get("origin")
    if origin is None:
        return None
    if origin == "null":
        return "Origin: null"
    try:
        netloc = urlsplit(origin).netloc.lower()
    except ValueError:
        return "malformed Origin"
    return None if netloc == host.strip().lower() else f"Origin {origin} is not this server"
