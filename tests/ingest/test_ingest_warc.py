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
