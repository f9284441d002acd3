"""Builders for ingest test inputs made at test time: WARC, JSONL, Parquet and bad files."""

from __future__ import annotations

import gzip
import io
import json
import os
from pathlib import Path
from typing import Any

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "ingest"

PAGE_A = (FIXTURES / "article.html").read_bytes()
PAGE_B = (
    "<html><head><title>Budget vote delayed</title></head><body>"
    "<nav><a href='/'>Home</a> <a href='/news'>News</a></nav><article><h1>Budget vote delayed</h1>"
    "<p>The city council delayed its budget vote by a week after members asked for more time "
    "to study the plan\u2019s effect on bus routes and libraries.</p>"
    "<p>The mayor said the \u201cshort pause\u201d would not change the final figures, and "
    "officials expect a vote next Tuesday evening after a public hearing.</p>"
    "</article><footer>Contact us</footer></body></html>"
).encode("cp1252")
PNG = b"\x89PNG\r\n\x1a\n" + bytes(64)


def write_warc(path: Path, *, gz: bool = False) -> Path:
    """Write a WARC with a warcinfo record, 2 HTML responses and 1 PNG response."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with open(path, "wb") as handle:
        writer = WARCWriter(handle, gzip=gz)
        writer.write_record(writer.create_warcinfo_record(path.name, {"software": "tests"}))
        responses = [
            ("https://www.dailywirefarm.example/world/trump-invites-putin",
             "text/html; charset=utf-8", PAGE_A, "2018-07-21T08:00:00Z"),
            ("https://citynews.example/budget", "text/html; charset=windows-1252", PAGE_B,
             "2019-03-02T10:15:00Z"),
            ("https://citynews.example/logo.png", "image/png", PNG, "2019-03-02T10:15:01Z"),
        ]
        for url, ctype, body, when in responses:
            headers = StatusAndHeaders("200 OK", [("Content-Type", ctype)], protocol="HTTP/1.1")
            record = writer.create_warc_record(
                url, "response", payload=io.BytesIO(body), http_headers=headers,
                warc_headers_dict={"WARC-Date": when})
            writer.write_record(record)
    return path


def write_jsonl(path: Path, rows: list[Any], *, gz: bool = False) -> Path:
    """Write ``rows`` one per line (strings are written as they are, to make bad lines)."""
    lines = "".join((row if isinstance(row, str) else json.dumps(row)) + "\n" for row in rows)
    data = lines.encode("utf-8")
    path.write_bytes(gzip.compress(data) if gz else data)
    return path


def write_parquet(path: Path, rows: list[dict[str, Any]]) -> Path:
    """Write ``rows`` as a Parquet file with pyarrow."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    pq.write_table(pa.Table.from_pylist(rows), path)
    return path


def chop(source: Path, target: Path, *, keep: float = 0.7) -> Path:
    """Copy the first ``keep`` share of ``source``'s bytes to ``target`` (a truncated file)."""
    data = source.read_bytes()
    target.write_bytes(data[: int(len(data) * keep)])
    return target


def bad_inputs(folder: Path) -> dict[str, tuple[Path, str]]:
    """Make one file of every bad-input kind; map kind -> (path, words the reason must hold)."""
    folder.mkdir(parents=True, exist_ok=True)
    out: dict[str, tuple[Path, str]] = {}

    def put(kind: str, name: str, data: bytes, reason: str) -> None:
        path = folder / name
        path.write_bytes(data)
        out[kind] = (path, reason)

    put("empty", "empty.txt", b"", "empty file")
    put("binary", "binary.txt", b"GIF89a\x00\x01\x00\x00\x80\x00" * 20, "binary file")
    put("undecodable", "undecodable.txt", bytes(range(0x80, 0x100)) * 4, "undecodable")
    put("whitespace", "blank.txt", b"  \n\n\t \n", "only whitespace")
    put("not-html", "notes.html", (FIXTURES / "notes.html").read_bytes(), "not HTML")
    put("no-text-html", "scripts.html", (FIXTURES / "scripts-only.html").read_bytes(),
        "no text could be extracted")
    warc = write_warc(folder / "full.warc")
    chop(warc, folder / "truncated.warc", keep=0.8)
    warc.unlink()
    out["truncated-warc"] = (folder / "truncated.warc", "truncated WARC")
    warc_gz = write_warc(folder / "full.warc.gz", gz=True)
    chop(warc_gz, folder / "truncated.warc.gz", keep=0.8)
    warc_gz.unlink()
    out["truncated-warc-gz"] = (folder / "truncated.warc.gz", "truncated or corrupt gzip")
    rows = [{"id": f"r{i}", "text": f"Story number {i} about the harbour." * 40} for i in range(60)]
    jsonl_gz = write_jsonl(folder / "full.jsonl.gz", rows, gz=True)
    chop(jsonl_gz, folder / "truncated.jsonl.gz", keep=0.6)
    jsonl_gz.unlink()
    out["truncated-gzip"] = (folder / "truncated.jsonl.gz", "truncated or corrupt gzip")
    put("not-warc", "page.warc", b"<html><body><p>not a warc</p></body></html>",
        "not a WARC file")
    huge = folder / "huge.txt"
    with open(huge, "wb") as handle:
        handle.truncate(200 * 1024 * 1024)  # sparse: takes no real disk space
    out["too-big"] = (huge, "over the 50 MB limit")
    out["missing"] = (folder / "missing.txt", "no such file")
    dangling = folder / "dangling.txt"
    os.symlink(folder / "gone-away.txt", dangling)
    out["dangling-link"] = (dangling, "dangling symbolic link")
    fifo = folder / "pipe.txt"
    os.mkfifo(fifo)
    out["fifo"] = (fifo, "not a regular file")
    return out
