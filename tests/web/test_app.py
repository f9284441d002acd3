"""The HTTP API and page: real traces against a tiny index, limits, escaping, OpenAPI."""

from __future__ import annotations

import time
from pathlib import Path
from types import ModuleType
from typing import Any

import jsonschema
import pytest
from fastapi.testclient import TestClient

from unspun.report.jsonout import load_schema
from unspun.web import jobs as webjobs
from unspun.web.app import create_app

LOCAL = "http://localhost"  # the Host allowlist serves localhost names by default

EVIL = ('Officials said the talks went well. <script>window.__pwned=1</script> '
        '<img src=x onerror="window.__pwned=1"> They met for two hours.')


@pytest.fixture
def client(tiny_index: Path) -> TestClient:
    return TestClient(create_app(index_path=tiny_index), base_url=LOCAL)


def test_trace_api_with_real_index(client: TestClient, fixtures: ModuleType) -> None:
    res = client.post("/api/trace", json={"text": fixtures.SUSPECT, "title": "Farm page"})
    assert res.status_code == 200, res.text
    data = res.json()
    jsonschema.Draft202012Validator(load_schema("trace")).validate(data)
    assert data["title"] == "Farm page"
    assert {s["id"] for s in data["sources"]} == {"reuters-1", "ap-7"}
    ops = {e["op"] for s in data["sentences"] for e in s["edits"]}
    assert "synonym" in ops
    assert data["verdict"]["label"] in ("stitched-aggregate", "spun-copy", "partial-reuse")


def test_trace_api_multipart_file_and_html_format(client: TestClient,
                                                  fixtures: ModuleType) -> None:
    res = client.post("/api/trace?format=html",
                      files={"file": ("farm.txt", fixtures.SUSPECT.encode(), "text/plain")})
    assert res.status_code == 200, res.text
    assert res.headers["content-type"].startswith("text/html")
    assert "u-k synonym" in res.text and "Content-Security-Policy" in res.headers


def test_html_upload_is_extracted(client: TestClient, fixtures: ModuleType) -> None:
    paras = "".join(f"<p>{p}</p>" for p in fixtures.SUSPECT.split("\n\n") if p.strip())
    page = f"<html><head><title>Farm</title></head><body><article>{paras}</article></body></html>"
    res = client.post("/api/trace", files={"file": ("farm.html", page.encode(), "text/html")})
    assert res.status_code == 200, res.text
    assert res.json()["sources"]


def test_clean_api(client: TestClient, fixtures: ModuleType) -> None:
    res = client.post("/api/clean", json={"text": fixtures.SUSPECT})
    assert res.status_code == 200
    data = res.json()
    jsonschema.Draft202012Validator(load_schema("clean")).validate(data)
    assert "More news" not in data["text"]


def test_stats_and_openapi(client: TestClient) -> None:
    stats = client.get("/api/index/stats")
    assert stats.status_code == 200 and stats.json()["documents"] == 2
    spec = client.get("/openapi.json").json()
    assert {"/api/trace", "/api/clean", "/api/index/stats"} <= set(spec["paths"])
    body = spec["paths"]["/api/trace"]["post"]["requestBody"]["content"]
    assert "application/json" in body and "multipart/form-data" in body
    assert client.get("/docs").status_code == 200


def test_413_on_six_megabytes(client: TestClient) -> None:
    big = b"x" * (6 * 1024 * 1024)
    res = client.post("/api/trace", content=big, headers={"content-type": "application/json"})
    assert res.status_code == 413
    assert "5 MB" in res.json()["detail"]
    page = client.post("/", content=big, headers={"content-type": "multipart/form-data; b=x",
                                                  "accept": "text/html"})
    assert page.status_code == 413 and "5 MB" in page.text


def test_413_counts_streamed_bytes_without_content_length(tiny_index: Path) -> None:
    client = TestClient(create_app(index_path=tiny_index, max_bytes=1000), base_url=LOCAL)

    def chunks() -> Any:
        for _ in range(5):
            yield b"y" * 400

    res = client.post("/api/clean", content=chunks(), headers={"content-type": "application/json"})
    assert "content-length" not in {k.lower() for k in res.request.headers}
    assert res.status_code == 413


def test_bad_inputs(client: TestClient) -> None:
    assert client.post("/api/trace", json={"text": "   "}).status_code == 400
    assert client.post("/api/trace", json=["no"]).status_code == 400
    bad = client.post("/api/trace", content=b"{not json", headers={"content-type":
                                                                    "application/json"})
    assert bad.status_code == 400
    assert client.post("/api/trace", content=b"hi", headers={"content-type":
                                                              "text/plain"}).status_code == 415
    binary = client.post("/api/trace", files={"file": ("x.txt", b"\x00\x01\x02" * 100)})
    assert binary.status_code == 400 and "x.txt" in binary.json()["detail"]


def test_no_index_gives_503() -> None:
    client = TestClient(create_app(index_path=None), base_url=LOCAL)
    res = client.post("/api/trace", json={"text": "Some text here."})
    assert res.status_code == 503 and "--index" in res.json()["detail"]
    assert client.post("/api/clean", json={"text": "Some text here."}).status_code == 200
    page = client.post("/", data={"text": "Some text here."})
    assert page.status_code == 503 and "--index" in page.text and "<form" in page.text


def test_timeout_gives_504(monkeypatch: pytest.MonkeyPatch, fixtures: ModuleType,
                           tiny_index: Path) -> None:
    def slow(doc: Any, index: Any) -> Any:
        time.sleep(1.0)
        return fixtures.make_trace()

    monkeypatch.setattr(webjobs, "_trace", slow)
    app = create_app(index_path=tiny_index, timeout=0.1)
    res = TestClient(app, base_url=LOCAL).post("/api/trace", json={"text": "Some text."})
    assert res.status_code == 504


def test_page_escapes_article_text(monkeypatch: pytest.MonkeyPatch,
                                   fixtures: ModuleType, tiny_index: Path) -> None:
    """With the tracer replaced by the fixture, the page shows a report with escaped text."""
    def fake(doc: Any, index: Any) -> Any:
        result = fixtures.make_trace()
        result.clean.doc = doc
        result.clean.title = doc.text
        return result

    monkeypatch.setattr(webjobs, "_trace", fake)
    client = TestClient(create_app(index_path=tiny_index), base_url=LOCAL)
    assert "<textarea" in client.get("/").text
    res = client.post("/", data={"text": EVIL})
    assert res.status_code == 200
    assert "<script>window" not in res.text and "<img src=x" not in res.text
    assert "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in res.text
    # the pasted text is put back in the form, escaped
    refill = res.text.split("<textarea", 1)[1].split("</textarea>", 1)[0]
    assert "Officials said the talks went well. &lt;script&gt;" in refill
    assert "Stitched Aggregate" in res.text or "stitched aggregate" in res.text
    csp = res.headers["content-security-policy"]
    assert "script-src 'nonce-" in csp and "unsafe-inline" not in csp.split("script-src")[1]
