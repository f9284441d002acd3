"""Dates come only from the page's date metadata or a dateline; titles are never widget lines."""

from __future__ import annotations

import pytest

from unspun.clean import clean
from unspun.data import Document
from unspun.ingest.dateline import dateline_date
from unspun.ingest.text import text_document

pytest.importorskip("trafilatura")

from unspun.ingest.html import html_document  # noqa: E402

_BODY = ("<article><h1>Storm closes roads</h1><p>{lead}The storm closed roads across the "
         "county on Tuesday night, police said, and crews worked until dawn.</p><p>More rain "
         "is expected later this week, forecasters said in a statement on Wednesday.</p>"
         "</article><footer><p>(c) 2024 Farm News Ltd. All rights reserved.</p></footer>")


def _page(head: str = "", lead: str = "") -> str:
    return f"<html><head><title>Storm</title>{head}</head><body>{_BODY.format(lead=lead)}</body></html>"


def test_copyright_year_is_not_a_date() -> None:
    assert html_document(_page(), source="p.html").date is None


def test_date_metadata_and_time_element_are_used() -> None:
    meta = '<meta property="article:published_time" content="2023-05-04T10:00:00Z">'
    assert html_document(_page(head=meta), source="p.html").date == "2023-05-04"


def test_dateline_dates_html_and_text() -> None:
    lead = "WASHINGTON, July 19, 2018 (Reuters) - "
    assert html_document(_page(lead=lead), source="p.html").date == "2018-07-19"
    doc = text_document(f"Storm\n\n{lead}The storm closed roads.\n\n(c) 2024".encode(),
                        source="p.txt")
    assert doc.date == "2018-07-19"
    assert text_document(b"The storm closed roads.\n\n(c) 2024 Farm", source="q.txt").date is None


@pytest.mark.parametrize(("text", "expected"), [
    ("LONDON, 4 March 2021 - Rain fell.", "2021-03-04"),
    ("NEW YORK, Sept. 5, 2019 (AP) \u2014 Markets rose.", "2019-09-05"),
    ("July 19, 2018 \u2014 text", "2018-07-19"),
    ("MOSCOW (Reuters) - no date in this dateline", None),
    ("Copyright (c) 2024 Farm News", None),
    ("PARIS, Feb. 30, 2020 - an impossible day", None),
    ("Sources said July 19, 2018 - was the day", None),
])
def test_dateline_date(text: str, expected: str | None) -> None:
    assert dateline_date(text) == expected


def test_weather_widget_line_is_not_the_title() -> None:
    text = ("Springfield, IL 54\u00b0F Partly Cloudy 5-Day Forecast\n\nStorm closes county roads"
            "\n\nThe storm closed roads across the county on Tuesday night, police said.")
    assert clean(Document(id="w", text=text)).title == "Storm closes county roads"
    ticker = "Dow +0.42% Nasdaq -1.10%\n\nMarkets slide\n\nShares fell on Monday, traders said."
    assert clean(Document(id="t", text=ticker)).title == "Markets slide"
