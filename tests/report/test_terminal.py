"""The terminal report reads well at 80 columns, with and without colour."""

from __future__ import annotations

import pytest
from rich.console import Console

from unspun.clean import clean
from unspun.data import Document, TraceResult
from unspun.report.terminal import render_clean, render_trace


def _plain(width: int = 80) -> Console:
    return Console(width=width, record=True, no_color=True, color_system=None)


def test_trace_report_without_colour_keeps_meaning(trace_result: TraceResult) -> None:
    console = _plain()
    render_trace(trace_result, console)
    out = console.export_text()
    assert "STITCHED AGGREGATE" in out and "confidence 87%" in out
    assert "Smith invites Ivanov to Washington" in out and "55%" in out
    assert "⟦Russia's→Russian Federation⟧" in out
    assert "⟦international→worldwide⟧" in out
    assert "⟦!20→40!⟧" in out
    assert "⟦+private⟧ session" in out
    assert "⟦-on⟧ Thursday" in out
    assert "⚠ altered quote (Smith)" in out
    assert "no source found" in out
    assert "server-error" in out and "More news: Storm" in out
    # article text is shown literally, never read as rich markup
    assert "<b>[bold]</b>" in out


@pytest.mark.parametrize("width", [80, 60])
def test_no_line_is_wider_than_the_console(trace_result: TraceResult, width: int) -> None:
    console = _plain(width)
    render_trace(trace_result, console)
    render_clean(trace_result.clean, console)
    lines = console.export_text().splitlines()
    assert lines and max(len(line) for line in lines) <= width


def test_colour_report_uses_colour_not_brackets(trace_result: TraceResult) -> None:
    console = Console(width=80, record=True, color_system="truecolor", force_terminal=True)
    render_trace(trace_result, console)
    styled = console.export_text(styles=True, clear=False)
    plain = console.export_text()
    assert "Russia's→Russian Federation" in plain
    assert "⟦Russia's→Russian Federation⟧" not in plain
    assert "\x1b[" in styled


def test_no_color_env_switches_to_markers(trace_result: TraceResult,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    console = Console(width=80, record=True, force_terminal=True)
    render_trace(trace_result, console)
    assert "⟦!20→40!⟧" in console.export_text()


def test_trace_without_sources_or_verdict(trace_result: TraceResult) -> None:
    trace_result.sources = []
    trace_result.verdict = None
    for t in trace_result.sentences:
        t.alignment = None
    trace_result.quote_findings = []
    console = _plain()
    render_trace(trace_result, console)
    out = console.export_text()
    assert "No verdict" in out and "No copied body text found." in out


def test_clean_report() -> None:
    doc = Document(id="d", text="Headline\n\nA real sentence stays here.\n", source="x.txt")
    console = _plain()
    render_clean(clean(doc), console)
    out = console.export_text()
    assert "A real sentence stays here." in out and "x.txt" in out


def _one_sentence(suspect: str, source: str, edits: list[tuple[str, int, int, int, int]]
                  ) -> TraceResult:
    """A trace of one suspect sentence against one source, with the given edits."""
    from unspun.data import (
        Alignment,
        CleanResult,
        Edit,
        Sentence,
        SentenceTrace,
        SourceShare,
        Span,
    )

    doc, src = Document(id="s", text=suspect), Document(id="src", text=source, title="Wire")
    made = [Edit(op, Span(a, b), Span(c, d), suspect[a:b], source[c:d])  # type: ignore[arg-type]
            for op, a, b, c, d in edits]
    al = Alignment(Span(0, len(suspect)), "src", Span(0, len(source)), 0.9, edits=made)
    trace = SentenceTrace(Sentence(0, Span(0, len(suspect)), suspect), al)
    return TraceResult(clean=CleanResult(doc, [Span(0, len(suspect))], []), sentences=[trace],
                       sources=[SourceShare("src", 1.0, 1, title="Wire")],
                       source_docs={"src": src})


def _plain_report(result: TraceResult) -> str:
    console = _plain()
    render_trace(result, console)
    return console.export_text()


def test_literal_brackets_are_not_change_markers() -> None:
    suspect = "Aides at the [White House] agreed."
    source = "Aides at the [White House] agreed today."
    end = suspect.index(".")
    out = _plain_report(_one_sentence(suspect, source, [("delete", end, end, end, end + 6)]))
    assert "Aides at the [White House] agreed ⟦-today⟧." in out  # no space before the stop
    assert "⟦White House⟧" not in out


def test_deletion_mid_sentence_keeps_one_space_each_side() -> None:
    suspect = "Police said Thursday that roads were shut."
    source = "Police said on Thursday that roads were shut."
    at = suspect.index("Thursday")
    out = _plain_report(_one_sentence(suspect, source, [("delete", at, at, at, at + 3)]))
    assert "Police said ⟦-on⟧ Thursday that" in out
