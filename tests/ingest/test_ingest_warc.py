"""WARC files: one Document per HTML response, with URL, date and a source that points back."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ingest.builders import chop, write_warc
from unspun.errors import BadInput
from unspun.ingest import IngestErrors, iter_documents


@pytest.mark.parametrize("gz", [False, True])
def test_two_html_responses_and_a_png_give_two_documents(tmp_path: Path, gz: bool) -> None:
    path = write_warc(tmp_path / ("crawl.warc.gz" if gz else "crawl.warc"), gz=gz)
    docs = list(iter_documents([path]))
    assert len(docs) == 2
    first, second = docs
    assert first.url == "https://www.dailywirefarm.example/world/trump-invites-putin"
    assert first.date == "2018-07-20"  # the page's own date wins
    assert first.meta["warc_date"] == "2018-07-21T08:00:00Z"
    assert second.url == "https://citynews.example/budget"
    assert second.date == "2019-03-02T10:15:00Z"  # no date in the page: WARC-Date
    assert second.site == "citynews.example"
    # records count from 1 in file order: warcinfo, response, response, png
    assert first.source == f"{path}#record=2" and second.source == f"{path}#record=3"
    assert first.id != second.id and "-" in first.id  # the WARC-Record-ID uuid


def test_charset_from_http_header(tmp_path: Path) -> None:
    path = write_warc(tmp_path / "crawl.warc")
    budget = list(iter_documents([path]))[1]
    assert budget.meta["encoding"] == "cp1252"
    assert "plan\u2019s effect" in budget.text and "\u201cshort pause\u201d" in budget.text
    assert "Contact us" not in budget.text


@pytest.mark.parametrize("gz", [False, True])
def test_truncated_warc(tmp_path: Path, gz: bool) -> None:
    name = "crawl.warc.gz" if gz else "crawl.warc"
    bad = chop(write_warc(tmp_path / name, gz=gz), tmp_path / f"cut-{name}", keep=0.85)
    with pytest.raises(BadInput, match="truncated") as info:
        list(iter_documents([bad]))
    assert info.value.path == str(bad)
    errors = IngestErrors()
    list(iter_documents([bad], errors=errors))
    assert [where for where, _ in errors.skipped] == [str(bad)]


def test_not_a_warc(tmp_path: Path) -> None:
    path = tmp_path / "fake.warc"
    path.write_text("hello, I am not a web archive\n", encoding="utf-8")
    with pytest.raises(BadInput, match="not a WARC file"):
        list(iter_documents([path]))


def test_oversized_record_is_skipped_not_read(tmp_path: Path) -> None:
    path = write_warc(tmp_path / "crawl.warc")
    errors = IngestErrors()
    docs = list(iter_documents([path], errors=errors, max_bytes=1536))
    assert [d.url for d in docs] == ["https://citynews.example/budget"]
    [(where, reason)] = errors.skipped
    assert where == f"{path}#record=2"
    assert re.fullmatch(r"record is 1\.9 KB, over the 1\.5 KB limit", reason)


def _chunked(data: bytes, size: int = 700, *, final: bytes = b"0\r\n\r\n") -> bytes:
    chunks = [data[i:i + size] for i in range(0, len(data), size)]
    return b"".join(b"%x\r\n%s\r\n" % (len(c), c) for c in chunks) + final


def _warc_of(path: Path, bodies: list[tuple[list[tuple[str, str]], bytes]]) -> Path:
    """A WARC (written by warcio) of HTML responses with the given extra headers and raw bodies."""
    import io

    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with open(path, "wb") as handle:
        writer = WARCWriter(handle, gzip=False)
        for n, (extra, body) in enumerate(bodies):
            headers = StatusAndHeaders(
                "200 OK", [("Content-Type", "text/html; charset=utf-8"), *extra],
                protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(
                f"https://farm.example/{n}", "response", payload=io.BytesIO(body),
                http_headers=headers, warc_headers_dict={"WARC-Date": "2020-01-01T00:00:00Z"}))
    return path


def test_chunked_and_content_encoded_responses(tmp_path: Path) -> None:
    import gzip
    import zlib

    from ingest.builders import PAGE_A

    raw_deflate = zlib.compressobj(wbits=-15)
    deflated = raw_deflate.compress(PAGE_A) + raw_deflate.flush()
    path = _warc_of(tmp_path / "enc.warc", [
        ([("Transfer-Encoding", "chunked")], _chunked(PAGE_A)),
        ([("Transfer-Encoding", "chunked"), ("Content-Encoding", "gzip")],
         _chunked(gzip.compress(PAGE_A))),
        ([("Content-Encoding", "deflate")], zlib.compress(PAGE_A)),
        ([("Content-Encoding", "deflate")], deflated),
        ([("Transfer-Encoding", "chunked")], _chunked(PAGE_A, final=b"0")),
        ([("Content-Encoding", "br")], b"\x0b\x02\x80hello"),
    ])
    errors = IngestErrors()
    docs = list(iter_documents([path], errors=errors))
    assert len(docs) == 5
    assert len({d.text for d in docs}) == 1 and "Dan Coats" in docs[0].text
    assert errors.skipped == [(f"{path}#record=6", "unsupported Content-Encoding: br")]


@pytest.mark.parametrize(("body", "joined"), [
    (b"5\r\nhello\r\n0", b"hello"),  # no CRLF after the last-chunk 0
    (b"5\r\nhello\r\n0\r\n\r\n", b"hello"),
    (b"5;name=x\r\nhello\r\n6\r\n world\r\n0\r\n\r\n", b"hello world"),
    (b"5\nhello\n0\n\n", b"hello"),  # bare newlines
    (b"a\r\nhello", b"hello"),  # cut inside a chunk: keep what arrived
    (b"<html>not chunked</html>", b"<html>not chunked</html>"),
])
def test_dechunk(body: bytes, joined: bytes) -> None:
    from unspun.ingest.warc import _dechunk

    assert _dechunk(body) == joined
