"""Worker processes: a timed-out trace is really stopped, and new index commits are seen."""

from __future__ import annotations

import asyncio
import os
import time
from pathlib import Path
from types import ModuleType

import pytest
from fastapi.testclient import TestClient

from unspun.data import Document
from unspun.index import Index, add_documents
from unspun.web.app import create_app
from unspun.web.jobs import Job, Upload
from unspun.web.pool import Busy, WorkerPool

LOCAL = "http://localhost"
# About 4 MB and 400,000 tags: seconds of work, under the 5 MB body limit.
BIG_PAGE = ("<html><body>" + "".join(f"<div><span>w{i}</span></div>" for i in range(130_000))
            + "</body></html>").encode()


def _one_source_index(root: Path, fixtures: ModuleType) -> Path:
    path = root / "index"
    with Index.create(path) as index:
        add_documents(index, [Document(id="ap-7", text=fixtures.SOURCE_B, title="Ivanov")])
    return path


def _source_ids(client: TestClient, text: str) -> set[str]:
    res = client.post("/api/trace", json={"text": text})
    assert res.status_code == 200, res.text
    return {s["id"] for s in res.json()["sources"]}


@pytest.mark.parametrize("workers", [0, 1])
def test_commits_made_while_serving_are_seen(tmp_path: Path, fixtures: ModuleType,
                                             workers: int) -> None:
    path = _one_source_index(tmp_path, fixtures)
    with TestClient(create_app(index_path=path, workers=workers), base_url=LOCAL) as client:
        assert _source_ids(client, fixtures.SUSPECT) == {"ap-7"}
        with Index.open(path, writable=True) as writer:
            add_documents(writer, [Document(id="reuters-1", text=fixtures.SOURCE_A,
                                            title="Smith invites Ivanov")])
        assert _source_ids(client, fixtures.SUSPECT) == {"ap-7", "reuters-1"}


def _wait_for_workers(pool: WorkerPool, n: int) -> list[int]:
    deadline = time.monotonic() + 60
    while len(pool.pids()) < n:
        assert time.monotonic() < deadline, "workers did not start"
        time.sleep(0.05)
    return pool.pids()


def test_a_timed_out_request_has_its_worker_killed(tmp_path: Path,
                                                   fixtures: ModuleType) -> None:
    path = _one_source_index(tmp_path, fixtures)
    app = create_app(index_path=path, workers=1, timeout=1.0)
    with TestClient(app, base_url=LOCAL) as client:
        [first] = _wait_for_workers(app.state.pool, 1)
        start = time.monotonic()
        res = client.post("/api/clean", files={"file": ("big.html", BIG_PAGE)})
        assert res.status_code == 504 and "1 s" in res.json()["detail"]
        assert time.monotonic() - start < 10  # 1 s, plus sending and parsing 4 MB
        time.sleep(0.2)
        with pytest.raises(ProcessLookupError):  # killed, not left running in the background
            os.kill(first, 0)
        assert app.state.pool.recycled == 1
        assert _source_ids(client, fixtures.SUSPECT) == {"ap-7"}  # a fresh worker answers
        assert app.state.pool.pids() and first not in app.state.pool.pids()


def test_too_many_waiting_requests_get_busy(fixtures: ModuleType) -> None:
    async def scenario() -> list[object]:
        pool = WorkerPool(index_path=None, size=1, max_waiting=1)
        try:
            slow = Job("clean", Upload(BIG_PAGE, "big.html"))
            quick = Job("clean", Document(id="q", text=fixtures.SUSPECT))
            pool.start()
            while pool.idle() < 1:
                await asyncio.sleep(0.05)
            return await asyncio.gather(pool.run(slow, timeout=60), pool.run(quick, timeout=60),
                                        pool.run(quick, timeout=60), return_exceptions=True)
        finally:
            pool.close()

    first, second, third = asyncio.run(scenario())
    assert isinstance(first, tuple) and first[0] == "ok"
    assert isinstance(second, tuple) and second[0] == "ok"
    assert isinstance(third, Busy)
