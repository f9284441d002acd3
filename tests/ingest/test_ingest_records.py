"""JSONL and Parquet corpora: field mapping, line/row sources, and bad records skipped."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from ingest.builders import chop, write_jsonl, write_parquet
from unspun.errors import BadInput
from unspun.ingest import IngestErrors, JsonlFields, iter_documents

ROWS = [
    {"id": "a1", "text": "First story.", "title": "One", "url": "https://www.news.example/1",
     "date": "2020-01-02"},
    {"text": "Second story.", "site": "wire"},
    {"id": 3, "text": "Third story.", "url": "http://blog.example.org/x?y=1"},
]


@pytest.mark.parametrize("gz", [False, True])
def test_jsonl_default_fields(tmp_path: Path, gz: bool) -> None:
    path = write_jsonl(tmp_path / ("c.jsonl.gz" if gz else "c.jsonl"), ROWS, gz=gz)
    docs = list(iter_documents([path]))
    assert [d.text for d in docs] == ["First story.", "Second story.", "Third story."]
    assert docs[0].id == "a1" and docs[0].title == "One" and docs[0].date == "2020-01-02"
    assert docs[0].site == "news.example"  # from the URL, without www.
    assert docs[1].site == "wire" and len(docs[1].id) == 16  # hashed from the source
    assert docs[2].id == "3" and docs[2].site == "blog.example.org"
    assert [d.source for d in docs] == [f"{path}#line={n}" for n in (1, 2, 3)]


def test_jsonl_custom_fields(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "c.jsonl", [
        {"doc_id": "x", "body": "Body text here.", "headline": "H", "link": "https://a.example/"}])
    fields = JsonlFields(id="doc_id", text="body", title="headline", url="link")
    [doc] = iter_documents([path], fields=fields)
    assert (doc.id, doc.text, doc.title, doc.url, doc.site) == (
        "x", "Body text here.", "H", "https://a.example/", "a.example")


def test_jsonl_bad_lines_are_skipped_and_counted(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "c.jsonl", [
        ROWS[0], "{broken json", "", '["a", "list"]', {"title": "no text"},
        {"text": 42}, {"text": "   "}, ROWS[1]])
    errors = IngestErrors()
    docs = list(iter_documents([path], errors=errors))
    assert [d.text for d in docs] == ["First story.", "Second story."]
    assert errors.documents == 2
    reasons = dict(errors.skipped)
    assert set(reasons) == {f"{path}#line={n}" for n in (2, 4, 5, 6, 7)}  # line 3 is blank
    assert "not valid JSON" in reasons[f"{path}#line=2"]
    assert "not an object" in reasons[f"{path}#line=4"]
    assert "no 'text' field" in reasons[f"{path}#line=5"]
    assert "not a string" in reasons[f"{path}#line=6"]
    assert "empty" in reasons[f"{path}#line=7"]
    with pytest.raises(BadInput, match="line=2: not valid JSON"):
        list(iter_documents([path]))


def test_jsonl_over_long_line(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "c.jsonl", [{"text": "x" * 5000}, ROWS[0]])
    errors = IngestErrors()
    docs = list(iter_documents([path], errors=errors, max_bytes=1024))
    assert [d.id for d in docs] == ["a1"]
    assert errors.skipped == [(f"{path}#line=1", "line is over the 1 KB limit")]


def test_jsonl_truncated_gzip(tmp_path: Path) -> None:
    rows = [{"text": f"story {i} " * 50} for i in range(100)]
    bad = chop(write_jsonl(tmp_path / "c.jsonl.gz", rows, gz=True), tmp_path / "t.jsonl.gz")
    errors = IngestErrors()
    docs = list(iter_documents([bad], errors=errors))
    assert len(docs) < 100
    [(where, reason)] = errors.skipped
    assert where == str(bad) and reason.startswith("truncated or corrupt gzip")


def test_parquet_rows(tmp_path: Path) -> None:
    rows = [
        {"uid": "p1", "content": "Parquet story one.", "published": dt.datetime(2021, 5, 6, 7, 8),
         "url": "https://www.paper.example/p1"},
        {"uid": None, "content": None, "published": None, "url": None},
        {"uid": "p3", "content": "Parquet story three.", "published": None, "url": None},
    ]
    path = write_parquet(tmp_path / "c.parquet", rows)
    fields = JsonlFields(id="uid", text="content", date="published")
    errors = IngestErrors()
    docs = list(iter_documents([path], fields=fields, errors=errors))
    assert [d.id for d in docs] == ["p1", "p3"]
    assert docs[0].date == "2021-05-06T07:08:00"
    assert docs[0].site == "paper.example"
    assert docs[1].source == f"{path}#row=3"
    assert errors.skipped == [(f"{path}#row=2", "no 'content' field (set another with "
                                                "--field text=NAME)")]


def test_parquet_without_text_column(tmp_path: Path) -> None:
    path = write_parquet(tmp_path / "c.parquet", [{"body": "x"}])
    with pytest.raises(BadInput, match="no 'text' column \\(columns: body"):
        list(iter_documents([path]))


def test_not_parquet(tmp_path: Path) -> None:
    path = tmp_path / "c.parquet"
    path.write_bytes(b"PAR1 but not really parquet at all")
    with pytest.raises(BadInput, match="not a readable Parquet file"):
        list(iter_documents([path]))


def test_jsonl_bad_line_reason_is_whole(tmp_path: Path) -> None:
    path = tmp_path / "ctl.jsonl"
    path.write_bytes(b'{"text": "a raw\ttab"}\n{"text": "fine"}\n')
    errors = IngestErrors()
    assert [d.text for d in iter_documents([path], errors=errors)] == ["fine"]
    (where, reason), = errors.skipped
    assert where == f"{path}#line=1"
    assert reason == ("not valid JSON (Invalid control character at column 16; a tab or line "
                      "break inside a string must be written \\t or \\n)")
