"""The service under abuse: foreign Host names, cross-origin posts, slow senders, hostile JSON."""

from __future__ import annotations

import asyncio
import json
import re
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from unspun.web.app import create_app
from unspun.web.guard import host_name
from unspun.web.limits import BodyLimit

LOCAL = "http://localhost"


@pytest.fixture
def client(tiny_index: Path) -> TestClient:
    return TestClient(create_app(index_path=tiny_index), base_url=LOCAL)


def test_host_allowlist(tiny_index: Path) -> None:
    app = create_app(index_path=tiny_index)
    for base in ("http://localhost:8000", "http://127.0.0.1", "http://[::1]:8000"):
        assert TestClient(app, base_url=base).get("/").status_code == 200, base
    evil = TestClient(app, base_url="http://rebound.example")
    res = evil.post("/api/clean", json={"text": "Some text here."})
    assert res.status_code == 400 and "--allow-host" in res.json()["detail"]
    assert evil.get("/").status_code == 400
    shared = create_app(index_path=tiny_index, allowed_hosts=["news.lan"])
    assert TestClient(shared, base_url="http://news.lan:8000").get("/").status_code == 200
    assert TestClient(shared, base_url=LOCAL).get("/").status_code == 400
    anyhost = create_app(index_path=tiny_index, allowed_hosts=["*"])
    assert TestClient(anyhost, base_url="http://x.example").get("/").status_code == 200
    assert [host_name(h) for h in ("LocalHost:80", "[::1]:1", "::1", "a.b")] == [
        "localhost", "::1", "::1", "a.b"]


def test_cross_origin_posts_are_refused(client: TestClient, fixtures: ModuleType) -> None:
    form = {"text": fixtures.SUSPECT}
    for headers in ({"sec-fetch-site": "cross-site"}, {"sec-fetch-site": "same-site"},
                    {"origin": "https://evil.example"}, {"origin": "null"},
                    {"origin": "http://localhost:9999"}):
        res = client.post("/", data=form, headers=headers)
        assert res.status_code == 403 and "cross-origin" in res.text, headers
        api = client.post("/api/trace", files={"file": ("a.txt", b"Some text.")},
                          headers=headers)
        assert api.status_code == 403, headers
    for headers in ({"sec-fetch-site": "same-origin", "origin": "null"},  # no-referrer pages
                    {"origin": "http://localhost"}, {}):
        assert client.post("/", data=form, headers=headers).status_code == 200, headers
    assert client.get("/", headers={"sec-fetch-site": "cross-site"}).status_code == 200


def test_html_report_format_has_a_nonce_csp(client: TestClient, fixtures: ModuleType) -> None:
    res = client.post("/api/trace?format=html", json={"text": fixtures.SUSPECT})
    assert res.status_code == 200
    csp = res.headers["content-security-policy"]
    nonce = re.search(r"script-src 'nonce-([^']+)'", csp)
    assert nonce is not None and "unsafe-inline" not in csp.split("script-src")[1]
    assert f'<script nonce="{nonce.group(1)}">' in res.text
    assert res.text.count("<script") == 1


def test_hostile_json_gets_400_or_a_repaired_answer(client: TestClient) -> None:
    deep = client.post("/api/clean", content=b"[" * 100_000,
                       headers={"content-type": "application/json"})
    assert deep.status_code == 400 and "nested" in deep.json()["detail"]
    lone = client.post("/api/clean", content=b'{"text": "Bad \\ud800 text. More text here."}',
                       headers={"content-type": "application/json"})
    assert lone.status_code == 200 and "\ufffd" in lone.json()["text"]
    traced = client.post("/api/trace", content=b'{"text": "\\udfff Lone. Another one."}',
                         headers={"content-type": "application/json"})
    assert traced.status_code == 200


def test_a_stalled_body_gets_408_within_the_read_timeout() -> None:
    sent: list[dict[str, Any]] = []

    async def app(scope: Any, receive: Any, send: Any) -> None:
        raise AssertionError("the app must not run")

    async def receive() -> dict[str, Any]:
        if not sent and not hasattr(receive, "once"):
            receive.once = True  # type: ignore[attr-defined]
            return {"type": "http.request", "body": b"partial", "more_body": True}
        await asyncio.sleep(60)
        raise AssertionError("unreachable")

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    limit = BodyLimit(app, max_bytes=1000, read_timeout=0.2)
    start = time.monotonic()
    asyncio.run(limit({"type": "http", "path": "/api/clean", "headers": []}, receive, send))
    assert time.monotonic() - start < 5
    assert sent[0]["status"] == 408 and (b"connection", b"close") in sent[0]["headers"]


@pytest.fixture
def live(tiny_index: Path) -> Iterator[tuple[str, int]]:
    """uvicorn with unspun's protocol (header deadline 0.5 s) on a free localhost port."""
    import uvicorn

    from unspun.web.server import header_deadline_protocol

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = int(s.getsockname()[1])
    config = uvicorn.Config(create_app(index_path=tiny_index, read_timeout=0.5),
                            host="127.0.0.1", port=port, log_level="warning",
                            http=header_deadline_protocol(0.5))
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        assert time.monotonic() < deadline and thread.is_alive(), "uvicorn did not start"
        time.sleep(0.05)
    yield "127.0.0.1", port
    server.should_exit = True
    thread.join(timeout=10)


def _closed_within(sock: socket.socket, seconds: float) -> bytes:
    """Read until the server closes the connection; fail after ``seconds``."""
    sock.settimeout(seconds)
    data = b""
    while chunk := sock.recv(4096):
        data += chunk
    return data


def test_slow_senders_are_cut_off(live: tuple[str, int]) -> None:
    """Unfinished headers and unfinished bodies both end within the limit, in parallel."""
    host, port = live
    socks = []
    for i in range(20):
        sock = socket.create_connection((host, port))
        if i % 2:
            sock.sendall(b"POST /api/clean HTTP/1.1\r\nHost: localhost\r\n")  # headers stall
        else:
            sock.sendall(b"POST /api/clean HTTP/1.1\r\nHost: localhost\r\ncontent-type: "
                         b"application/json\r\ncontent-length: 1000\r\n\r\n{\"text\": ")
        socks.append(sock)
    start = time.monotonic()
    answers = [_closed_within(s, 10) for s in socks]
    assert time.monotonic() - start < 5
    assert all(b" 408 " in a.split(b"\r\n", 1)[0] for a in answers), answers[:2]
    for sock in socks:
        sock.close()
    ok = socket.create_connection((host, port))  # the server still answers
    ok.sendall(b"GET / HTTP/1.1\r\nHost: localhost\r\nconnection: close\r\n\r\n")
    assert b" 200 " in _closed_within(ok, 10).split(b"\r\n", 1)[0]


BODIES = st.one_of(
    st.binary(max_size=300),
    st.recursive(st.none() | st.booleans() | st.floats() | st.text(max_size=40),
                 lambda x: st.lists(x, max_size=3) | st.dictionaries(
                     st.sampled_from(["text", "title", "url", "site", "date", "x"]), x,
                     max_size=4), max_leaves=10).map(
        lambda v: json.dumps(v).encode("utf-8", "surrogatepass")),
    st.integers(1, 3000).map(lambda n: b"[" * n),
)


@settings(max_examples=80, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=BODIES, path=st.sampled_from(["/api/clean", "/api/trace"]),
       kind=st.sampled_from(["application/json", "text/plain", "multipart/form-data"]))
def test_no_body_makes_a_500(client: TestClient, body: bytes, path: str, kind: str) -> None:
    res = client.post(path, content=body, headers={"content-type": kind})
    assert res.status_code in (200, 400, 413, 415, 422), (res.status_code, res.text)
    res.json()
