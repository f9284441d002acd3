"""Loopback load and abuse test of `unspun serve`: mixed valid/invalid requests, then slowloris.

Starts ``unspun serve`` on 127.0.0.1 (a free port) over a small index built from the bundled
Wikinews sample, sends ``--requests`` requests from ``--concurrency`` threads (a fixed,
seeded mix of valid traces, cleans, uploads, page posts and invalid or hostile requests),
samples the resident memory of the server and its workers, then opens ``--slow`` connections
that never finish their body and times how long the server keeps them. Only 127.0.0.1 is
ever contacted. Prints one JSON summary::

    .venv/bin/python benchmarks/load.py --requests 2000 --concurrency 8 \\
        --out benchmarks/work/load.json
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from unspun.bench.sample import load_wikinews

HOST = "127.0.0.1"
BIG_PAGE = ("<html><body>" + "".join(f"<div><span>w{i}</span></div>" for i in range(130_000))
            + "</body></html>").encode()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def _rss_mb(pid: int) -> float:
    """Resident memory of ``pid`` and all its descendants, in MB."""
    total, todo = 0.0, [pid]
    while todo:
        p = todo.pop()
        try:
            with open(f"/proc/{p}/statm") as f:
                total += int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as f:
                    todo += [int(c) for c in f.read().split()]
        except (OSError, ValueError):
            continue
    return total


def _multipart(fields: dict[str, tuple[str | None, bytes]]) -> tuple[bytes, str]:
    boundary = "unspunloadboundary"
    parts = []
    for name, (filename, data) in fields.items():
        disp = f'form-data; name="{name}"' + (f'; filename="{filename}"' if filename else "")
        parts.append(f"--{boundary}\r\nContent-Disposition: {disp}\r\n\r\n".encode() + data
                     + b"\r\n")
    return b"".join(parts) + f"--{boundary}--\r\n".encode(), \
        f"multipart/form-data; boundary={boundary}"


def _requests(n: int, seed: int) -> list[tuple[str, str, str, bytes, dict[str, str]]]:
    """``n`` requests (kind, method, path, body, headers), a fixed mix seeded by ``seed``."""
    rng = random.Random(seed)
    docs = load_wikinews()[:120]

    def suspect() -> str:
        words = rng.choice(docs).text.split(" ")
        for _ in range(rng.randint(0, 15)):
            words[rng.randrange(len(words))] = rng.choice(["great", "huge", "said", "stated"])
        return " ".join(words[: rng.randint(40, 400)])

    json_h = {"content-type": "application/json"}
    kinds = {
        "trace": 30, "clean": 8, "upload": 5, "page": 5, "stats": 4, "get-page": 4,
        "trace-html": 4, "bad-json": 5, "deep-json": 5, "surrogate": 5, "wrong-type": 4,
        "empty-text": 4, "oversize": 2, "bad-host": 5, "cross-origin": 5, "not-found": 2,
        "heavy": 1,
    }
    names = list(kinds)
    out = []
    for _ in range(n):
        kind = rng.choices(names, weights=[kinds[k] for k in names])[0]
        headers = dict(json_h)
        method, path, body = "POST", "/api/trace", b""
        if kind in ("trace", "trace-html"):
            body = json.dumps({"text": suspect(), "title": "Load test"}).encode()
            path = "/api/trace" + ("?format=html" if kind == "trace-html" else "")
        elif kind == "clean":
            path, body = "/api/clean", json.dumps({"text": suspect()}).encode()
        elif kind in ("upload", "page", "heavy"):
            page = (BIG_PAGE if kind == "heavy" else
                    f"<html><head><title>T</title></head><body><p>{suspect()}</p></body>"
                    f"</html>".encode())
            fields = ({"text": (None, suspect().encode()), "title": (None, b"Form")}
                      if kind == "page" else {"file": ("page.html", page)})
            body, headers["content-type"] = _multipart(fields)
            path = "/" if kind == "page" else ("/api/clean" if kind == "heavy" else "/api/trace")
            if kind == "page":
                headers.update({"origin": "http://127.0.0.1", "sec-fetch-site": "same-origin"})
        elif kind in ("stats", "get-page", "not-found"):
            method = "GET"
            path = {"stats": "/api/index/stats", "get-page": "/", "not-found": "/nope"}[kind]
        elif kind == "bad-json":
            body = b'{"text": "unterminated'
        elif kind == "deep-json":
            body = b"[" * rng.choice([200, 5000, 100_000])
        elif kind == "surrogate":
            body = (b'{"text": "Lone \\ud800 surrogate. ' + json.dumps(suspect())[1:-1].encode()
                    + b'"}')
        elif kind == "wrong-type":
            headers["content-type"] = "text/plain"
            body = suspect().encode()
        elif kind == "empty-text":
            body = b'{"text": "   "}'
        elif kind == "oversize":  # declared 6 MB; only the start is sent (see _oversize)
            body = b'{"text": "' + b"a" * 65536
        elif kind == "bad-host":
            headers["host"] = "rebound.example"
            body = json.dumps({"text": suspect()}).encode()
        elif kind == "cross-origin":
            path = "/"
            headers.update({"sec-fetch-site": "cross-site", "origin": "https://evil.example"})
            body, headers["content-type"] = _multipart({"text": (None, suspect().encode())})
        out.append((kind, method, path, body, headers))
    return out


def _client(port: int, jobs: list[Any], results: list[Any], lock: threading.Lock) -> None:
    """One keep-alive connection working through the shared job list."""
    conn = http.client.HTTPConnection(HOST, port, timeout=120)
    while True:
        with lock:
            if not jobs:
                break
            kind, method, path, body, headers = jobs.pop()
        headers = {"host": f"{HOST}:{port}", **headers}
        start = time.perf_counter()
        if kind == "oversize":
            results.append((kind, _oversize(port, body), time.perf_counter() - start))
            continue
        try:
            conn.request(method, path, body=body or None, headers=headers)
            res = conn.getresponse()
            res.read()
            status: int | str = res.status
            if res.getheader("connection", "").lower() == "close":
                conn.close()
        except (OSError, http.client.HTTPException) as exc:
            status = f"error:{type(exc).__name__}"
            conn.close()
            conn = http.client.HTTPConnection(HOST, port, timeout=120)
        results.append((kind, status, time.perf_counter() - start))
    conn.close()


def _oversize(port: int, start: bytes) -> int | str:
    """A request that declares a 6 MB body, sends its first 64 KB, and reads the answer (the
    server answers 413 from the header alone and closes; sending all of it would only meet a
    reset)."""
    try:
        with socket.create_connection((HOST, port), timeout=30) as s:
            s.sendall(f"POST /api/trace HTTP/1.1\r\nHost: {HOST}\r\ncontent-type: "
                      f"application/json\r\ncontent-length: {6 * 1024 * 1024}\r\n\r\n"
                      .encode() + start)
            return int(s.recv(4096).split(b" ", 2)[1])
    except (OSError, ValueError, IndexError) as exc:
        return f"error:{type(exc).__name__}"


def _percentiles(values: list[float]) -> dict[str, float]:
    if not values:
        return {}
    values = sorted(values)

    def at(q: float) -> float:
        return round(values[min(len(values) - 1, int(q * len(values)))] * 1000, 1)

    return {"p50_ms": at(0.50), "p95_ms": at(0.95), "p99_ms": at(0.99), "max_ms": at(1.0)}


def _slowloris(port: int, n: int) -> dict[str, Any]:
    """Open ``n`` connections that send headers and half a body, then never finish."""
    socks = []
    for _ in range(n):
        s = socket.create_connection((HOST, port))
        s.sendall(f"POST /api/clean HTTP/1.1\r\nHost: {HOST}\r\ncontent-type: application/json"
                  f"\r\ncontent-length: 1000\r\n\r\n{{\"text\": \"slow".encode())
        s.setblocking(False)
        socks.append(s)
    start = time.monotonic()
    closed: dict[int, float] = {}
    answers: Counter[str] = Counter()
    probe_status: list[int | str] = []
    probe_thread = threading.Thread(target=_probe, args=(port, probe_status))
    probe_thread.start()
    while len(closed) < n and time.monotonic() - start < 60:
        for i, s in enumerate(socks):
            if i in closed:
                continue
            try:
                data = s.recv(4096)
            except BlockingIOError:
                continue
            except OSError:
                data = b""
            if data:
                answers[data.split(b"\r\n", 1)[0].decode("latin-1")] += 1
            # an answer is followed by the close; treat either as the end
            closed[i] = time.monotonic() - start
        time.sleep(0.05)
    probe_thread.join()
    for s in socks:
        s.close()
    times = sorted(closed.values())
    return {"connections": n, "closed": len(closed), "answers": dict(answers),
            "closed_after_s": {"median": round(times[len(times) // 2], 2) if times else None,
                               "max": round(times[-1], 2) if times else None},
            "valid_requests_meanwhile": dict(Counter(map(str, probe_status)))}


def _probe(port: int, out: list[int | str]) -> None:
    """Valid small requests while the slow connections are held."""
    for _ in range(20):
        conn = http.client.HTTPConnection(HOST, port, timeout=30)
        try:
            conn.request("POST", "/api/clean", body=json.dumps({"text": "A short text. Two."}),
                         headers={"content-type": "application/json", "host": HOST})
            out.append(conn.getresponse().status)
        except (OSError, http.client.HTTPException) as exc:
            out.append(f"error:{type(exc).__name__}")
        finally:
            conn.close()
        time.sleep(0.25)


@contextmanager
def serving(work: Path, *, docs: int, timeout: float,
            workers: int) -> Iterator[tuple[int, int]]:
    """``unspun serve`` on a free 127.0.0.1 port over ``docs`` Wikinews articles; yields
    (port, server pid) once it answers, and stops it afterwards."""
    from unspun.index import Index, add_documents

    index_path = work / "index"
    with Index.create(index_path) as index:
        add_documents(index, load_wikinews()[:docs])
    port = _free_port()
    with open(work / "serve.log", "w") as log:
        server = subprocess.Popen(
            [sys.executable, "-m", "unspun", "serve", "--index", str(index_path), "--port",
             str(port), "--timeout", str(timeout), "--workers", str(workers)],
            stdout=log, stderr=subprocess.STDOUT)
        try:
            _wait_ready(port)
            yield port, server.pid
        finally:
            server.terminate()
            server.wait(timeout=30)


def _wait_ready(port: int) -> None:
    deadline = time.monotonic() + 120
    while True:
        try:
            conn = http.client.HTTPConnection(HOST, port, timeout=5)
            conn.request("GET", "/api/index/stats", headers={"host": HOST})
            if conn.getresponse().status == 200:
                return
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise SystemExit("the server did not start")
        time.sleep(0.2)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--docs", type=int, default=400, help="articles in the index")
    parser.add_argument("--timeout", type=float, default=10.0, help="serve --timeout")
    parser.add_argument("--workers", type=int, default=2, help="serve --workers")
    parser.add_argument("--slow", type=int, default=300, help="slowloris connections")
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="unspun-load-") as tmp:
        with serving(Path(tmp), docs=args.docs, timeout=args.timeout,
                     workers=args.workers) as (port, pid):
            summary = _run(args, port, pid)
        log = (Path(tmp) / "serve.log").read_text()
        summary["server_log_tracebacks"] = log.count("Traceback")
        summary["server_log_tail"] = log[-2000:]
    emit(summary, args.out)


def emit(summary: dict[str, Any], out: Path | None) -> None:
    """Print ``summary`` as JSON and also write it to ``out`` (shared by the reliability
    benchmarks)."""
    text = json.dumps(summary, indent=2)
    print(text)
    if out:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text + "\n", encoding="utf-8")


def _run(args: argparse.Namespace, port: int, pid: int) -> dict[str, Any]:
    jobs = _requests(args.requests, args.seed)
    jobs.reverse()
    results: list[Any] = []
    lock = threading.Lock()
    rss: list[tuple[float, float]] = [(0.0, _rss_mb(pid))]
    threads = [threading.Thread(target=_client, args=(port, jobs, results, lock))
               for _ in range(args.concurrency)]
    start = time.monotonic()
    for t in threads:
        t.start()
    while any(t.is_alive() for t in threads):
        time.sleep(0.5)
        rss.append((time.monotonic() - start, _rss_mb(pid)))
    for t in threads:
        t.join()
    elapsed = time.monotonic() - start
    statuses = Counter(str(s) for _, s, _ in results)
    by_kind: dict[str, Counter[str]] = {}
    for kind, status, _ in results:
        by_kind.setdefault(kind, Counter())[str(status)] += 1
    bad_5xx = sum(n for s, n in statuses.items() if s.startswith("5") and s not in ("503", "504"))
    tenth = max(1, len(rss) // 10)
    return {
        "requests": len(results), "concurrency": args.concurrency, "seconds": round(elapsed, 1),
        "statuses": dict(statuses), "unexpected_5xx": bad_5xx,
        "client_errors": sum(n for s, n in statuses.items() if s.startswith("error")),
        "by_kind": {k: dict(v) for k, v in sorted(by_kind.items())},
        "latency_all": _percentiles([t for _, _, t in results]),
        "latency_valid_trace_200": _percentiles(
            [t for k, s, t in results if k == "trace" and s == 200]),
        "rss_mb": {"before": round(rss[0][1]), "max": round(max(r for _, r in rss)),
                   "first_tenth_median": round(sorted(r for _, r in rss[:tenth])[tenth // 2]),
                   "last_tenth_median": round(sorted(r for _, r in rss[-tenth:])[tenth // 2]),
                   "after": round(_rss_mb(pid))},
        "slowloris": _slowloris(port, args.slow) if args.slow else None,
        "rss_mb_after_slowloris": round(_rss_mb(pid)),
    }


if __name__ == "__main__":
    main()
