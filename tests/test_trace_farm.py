"""Trace a farm page built the way real ones are (look-alike fixture, no real text).

The page takes its headline (with a full stop, three times) from one story, one lifted and
spun quote from a radio interview, one long sentence from a storm report, and two sentences
of a wire story that two sites carry.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from unspun.data import Document, TraceResult
from unspun.index import Index, add_documents
from unspun.trace import trace_against, trace_document

FIXTURES = Path(__file__).parent / "fixtures" / "farm"


def _sources() -> list[Document]:
    rows = [json.loads(line) for line in (FIXTURES / "sources.jsonl").read_text().splitlines()]
    return [Document(id=r["id"], text=r["text"], title=r["title"], site=r["site"],
                     date=r["date"]) for r in rows]


def _page() -> Document:
    return Document(id="farm", text=(FIXTURES / "farm-page.txt").read_text(), source="farm.txt")


@pytest.fixture(scope="module")
def traced(tmp_path_factory: pytest.TempPathFactory) -> TraceResult:
    path = tmp_path_factory.mktemp("farm") / "ix"
    with Index.create(path) as ix:
        add_documents(ix, _sources())
        return trace_document(_page(), index=ix)


def test_wire_carriers_are_one_source(traced: TraceResult) -> None:
    wire = [s for s in traced.sources if s.doc_id.startswith("wire-harbour")]
    assert len(wire) == 1, "two carriers of one story must not count as two sources"
    other = {"wire-harbour~alpha", "wire-harbour~bravo"} - {wire[0].doc_id}
    assert wire[0].also_carried_by == sorted(other)
    assert wire[0].sentences == 2


def test_one_long_borrowed_sentence_names_its_source(traced: TraceResult) -> None:
    assert "storm-report" in {s.doc_id for s in traced.sources}


def test_lifted_quote_is_quoted_from_not_copied_and_its_spin_is_flagged(
        traced: TraceResult) -> None:
    quoted = {q.doc_id for q in traced.quote_sources}
    # Both documents that print the line carry it; neither is a copied-body source for it.
    assert {"minister-interview", "other-radio"} <= quoted
    assert not {"minister-interview", "other-radio"} & {s.doc_id for s in traced.sources}
    [altered] = [f for f in traced.quote_findings if f.kind == "altered-quote"]
    assert "Russia" in altered.detail and "Russian Federation" in altered.detail


def test_headline_with_a_full_stop_is_traced_to_its_story(traced: TraceResult) -> None:
    assert traced.headline is not None
    assert traced.headline.doc_id == "festival-news"
    assert traced.headline.suspect is not None
    assert traced.headline.suspect.of(traced.doc.text).startswith("Kestrelmouth fishing")
    body = " ".join(t.sentence.text for t in traced.sentences)
    assert "festival" not in body  # the headline is not traced as body text


def test_more_news_line_is_junk_not_a_source(traced: TraceResult) -> None:
    assert "other-radio" not in {s.doc_id for s in traced.sources}
    assert any(f.kind == "link-line" for f in traced.clean.removed)


def test_two_axis_verdict(traced: TraceResult) -> None:
    v = traced.verdict
    assert v is not None
    assert v.provenance == "stitched"
    assert "altered-quotes" in v.manipulation
    assert v.evidence["quote_sources"] >= 2 and v.evidence["headline_from"] == "festival-news"


def test_trace_against_finds_the_same_evidence() -> None:
    direct = trace_against(_page(), _sources())
    assert direct.headline is not None and direct.headline.doc_id == "festival-news"
    assert {q.doc_id for q in direct.quote_sources} >= {"minister-interview", "other-radio"}


def test_a_shared_quote_alone_does_not_make_a_copy(tmp_path: Path) -> None:
    report = next(d for d in _sources() if d.id == "other-radio")
    page = Document(id="indep", text=(
        "Cabinet under pressure\n\nThe cabinet met late on Saturday as pressure grew over the "
        "handling of the Norrland dispute, officials in the capital said.\n\n\"Russia and "
        "Norrland will not decide our trade policy for us, whatever they threaten,\" the "
        "minister had said a day earlier.\n\nNo decision was announced after the meeting."))
    result = trace_against(page, [report])
    assert result.sources == []
    assert [q.doc_id for q in result.quote_sources] == ["other-radio"]
    assert result.verdict is not None and result.verdict.provenance == "original"


def test_reports_show_quotes_headline_carriers_and_both_axes(traced: TraceResult) -> None:
    import io

    import jsonschema
    from rich.console import Console

    from unspun.report.html import render_html
    from unspun.report.jsonout import load_schema, trace_to_dict
    from unspun.report.terminal import render_trace

    data = trace_to_dict(traced)
    jsonschema.validate(data, load_schema("trace"))
    assert data["schema"] == "unspun/trace/2"
    assert data["headline"]["source_id"] == "festival-news"
    assert {q["source_id"] for q in data["quote_sources"]} >= {"minister-interview"}
    assert data["verdict"]["provenance"] == "stitched"
    wire = next(s for s in data["sources"] if s["id"].startswith("wire-harbour"))
    assert len(wire["also_carried_by"]) == 1
    out = io.StringIO()
    render_trace(traced, Console(file=out, width=100, no_color=True))
    text = out.getvalue()
    assert "Headline from" in text and "Quoted from" in text and "also carried by" in text
    assert "provenance: stitched" in text
    page = render_html(traced)
    assert "Quoted from" in page and "also carried by" in page and "provenance" in page


def test_a_page_with_a_borrowed_headline_borrows_one_more_sentence() -> None:
    # The page's only body borrowing is one short sentence; its headline is another story's,
    # so it is a page that borrows, and the sentence names its source.
    story = Document(id="storm", title="Storm closes the northern ferry routes", text=(
        "Storm closes the northern ferry routes\n\nHigh winds closed four ferry routes on "
        "Monday. Harbour officials said crossings would resume once gusts dropped below gale "
        "force."))
    crash = Document(id="crane", title="Crane collapses at the city port", text=(
        "Crane collapses at the city port\n\nA crane collapsed at the container terminal on "
        "Sunday. The accident, which occurred yesterday afternoon, was caused by strong winds "
        "and heavy rain. Nobody was hurt."))
    body = ("The city museum opened its new wing to visitors this weekend. The accident, which "
            "occurred yesterday afternoon. Curators expect record attendance over the summer.")
    page = Document(id="page", title=story.title, text=f"{story.title}\n\n{body}")
    traced = trace_against(page, [story, crash])
    assert traced.headline is not None and traced.headline.doc_id == "storm"
    assert [s.doc_id for s in traced.sources] == ["crane"]
    # With another headline, nothing says the page borrows: the sentence alone is no source.
    own = Document(id="page", title="Museum opens new wing",
                   text=f"Museum opens new wing\n\n{body}")
    assert trace_against(own, [story, crash]).sources == []


def test_an_issue_of_a_series_does_not_borrow_from_an_earlier_issue() -> None:
    # Its title and opening formula are the earlier issue's with another date: a series, not
    # a borrowing, so there is no headline source and the formula names no source.
    def issue(day: int, news: str) -> Document:
        title = f"Wikinews Shorts: April {day}, 2007"
        return Document(id=f"shorts-{day}", title=title, text=(
            f"{title}\n\nA compilation of brief news reports for Sunday, April {day}, 2007.\n\n"
            f"{news}"))

    earlier = issue(15, "The ferry operator cancelled all sailings to the northern islands "
                        "after a storm. Harbour officials expect crossings to resume on Tuesday.")
    page = issue(22, "The city museum opened its new wing to visitors this weekend. Curators "
                     "expect record attendance over the summer.")
    traced = trace_against(page, [earlier])
    assert traced.headline is None
    assert traced.sources == []
