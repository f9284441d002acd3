"""Cutting sentences into plain and changed pieces keeps every character in order."""

from __future__ import annotations

from unspun.data import Edit, Span, TraceResult
from unspun.report.view import format_evidence, pieces, short_ids


def test_pieces_concatenate_to_both_sides(trace_result: TraceResult) -> None:
    for trace in trace_result.sentences:
        al = trace.alignment
        if al is None:
            continue
        sus = trace_result.doc.text
        src = trace_result.source_docs[al.source_id].text
        got = pieces(sus, al.suspect.start, al.suspect.end, al.edits, side="suspect")
        assert "".join(p.text for p in got) == al.suspect.of(sus)
        got = pieces(src, al.source.start, al.source.end, al.edits, side="source")
        assert "".join(p.text for p in got) == al.source.of(src)


def test_overlapping_and_outside_edits_are_skipped() -> None:
    text = "one two three four"
    edits = [Edit("synonym", Span(4, 13), Span(0, 0), "two three", "x"),
             Edit("factual", Span(8, 13), Span(0, 0), "three", "y"),
             Edit("synonym", Span(14, 30), Span(0, 0), "four..", "z"),
             Edit("verbatim", Span(0, 3), Span(0, 3), "one", "one")]
    got = pieces(text, 0, len(text), edits, side="suspect")
    assert "".join(p.text for p in got) == text
    assert [p.op for p in got if p.op] == ["synonym"]


def test_short_ids(trace_result: TraceResult) -> None:
    assert short_ids(trace_result) == {"reuters-1": "A", "ap-7": "B"}


def test_evidence_densities_are_not_shown_as_shares() -> None:
    assert format_evidence(0.42, key="coverage") == "42%"
    assert format_evidence(0.42, key="spin_signals") == "0.42 per 100 words"
    assert format_evidence({"spin_signals": 2.5, "coverage": 1.0}) == (
        "spin_signals: 2.5 per 100 words, coverage: 100%")
