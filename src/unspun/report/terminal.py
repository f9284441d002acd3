"""Render trace and clean results for a terminal with rich, readable at 80 columns and without colour."""

from __future__ import annotations

from collections.abc import Iterable

from rich import box
from rich.console import Console, Group
from rich.padding import Padding
from rich.panel import Panel
from rich.segment import Segment
from rich.table import Table
from rich.text import Text

from unspun.data import Alignment, CleanResult, Finding, SentenceTrace, TraceResult
from unspun.report import view
from unspun.text.safe import terminal_safe

# Style and plain-text markers for each change: (style, open, close). The markers are white
# square brackets, which articles do not use, so a literal "[White House]" in the text never
# reads as a change.
_MARKS: dict[str, tuple[str, str, str]] = {
    "synonym": ("bold black on yellow", "\u27e6", "\u27e7"),
    "factual": ("bold white on red", "\u27e6!", "!\u27e7"),
    "paraphrase": ("magenta", "\u27e6~", "~\u27e7"),
    "insert": ("bold green", "\u27e6+", "\u27e7"),
    "delete": ("red strike", "\u27e6-", "\u27e7"),
}
_LEGEND = [("synonym", "old→new", "synonym (spin)"), ("factual", "old→new", "factual change"),
           ("insert", "new", "inserted"), ("delete", "old", "deleted"),
           ("paraphrase", "old→new", "paraphrase")]


class SafeConsole(Console):
    """A rich Console that prints no control character it was not asked to style with.

    Article text can carry terminal escapes (``ESC ] 52`` writes the clipboard, ``ESC ] 0`` the
    window title, ``ESC [ 8 m`` hides text). rich keeps them in the text it prints, so every
    text segment is passed through :func:`terminal_safe` as the output is written; the styles
    and cursor controls rich adds itself travel outside the segment text and are kept.
    """

    def _render_buffer(self, buffer: Iterable[Segment]) -> str:
        return super()._render_buffer(
            Segment(terminal_safe(seg.text), seg.style, seg.control) if seg.control is None
            else seg for seg in buffer)


def render_trace(result: TraceResult, console: Console) -> None:
    """Print a trace result: verdict and evidence, sources, junk, then the article sentence by sentence.

    Changes are coloured; when the console has no colour (``NO_COLOR``, a pipe, ``no_color=True``)
    they are written with markers (``⟦old→new⟧``, ``⟦!old→new!⟧``, ``⟦+new⟧``, ``⟦-old⟧``) instead.

    Args:
        result: What ``trace`` learned about one suspect article.
        console: Where to print.
    """
    plain = _plain(console)
    ids = view.short_ids(result)
    console.print(_verdict_panel(result))
    if result.sources:
        console.print(_sources_table(result, ids))
    else:
        console.print(Text("No copied body text found.", style="bold"))
    evidence = _quotes_and_headline(result, ids)
    if evidence is not None:
        console.print(evidence)
    if result.clean.findings:
        console.print(_junk(result.clean.findings))
    quoted = view.altered_quote_sentences(result)
    console.print(Text(f"Article ({len(result.sentences)} sentences)", style="bold underline"))
    console.print(_legend(plain))
    for trace in result.sentences:
        console.print(_sentence_head(result, trace.sentence.index, ids, trace.alignment))
        console.print(Padding(_sentence_text(result, trace, plain), (0, 0, 0, 4)))
        if trace.sentence.index in quoted:
            for qf in result.quote_findings:
                if trace.sentence.span.overlap(qf.suspect.span):
                    label = qf.kind.replace("-", " ")
                    who = f" ({qf.suspect.speaker})" if qf.suspect.speaker else ""
                    note = Text(f"⚠ {label}{who}: ", style="bold magenta")
                    note.append(qf.detail or f"source said “{qf.source.text}”", style="magenta")
                    console.print(Padding(note, (0, 0, 0, 4)))


def render_clean(result: CleanResult, console: Console) -> None:
    """Print a clean result: title, what was removed and why, then the cleaned text.

    Args:
        result: A document after cleaning.
        console: Where to print.
    """
    doc = result.doc
    head = Text("Cleaned: ", style="bold")
    head.append(result.title or doc.title or doc.id)
    kept = sum(len(s) for s in result.kept)
    head.append(f"\n{doc.source or doc.id} · kept {kept} of {len(doc.text)} characters · "
                f"{len(result.removed)} removed, {len(result.findings) - len(result.removed)} "
                "reported", style="dim")
    console.print(Panel(head, box=box.ROUNDED))
    if result.findings:
        console.print(_junk(result.findings))
    else:
        console.print(Text("Nothing to remove.", style="bold"))
    console.print(Text("Text", style="bold underline"))
    console.print(Padding(Text(result.text), (0, 0, 0, 2)))


def _plain(console: Console) -> bool:
    """True when the console shows no colour, so markers must carry the meaning."""
    return bool(console.no_color) or console.color_system is None


def _verdict_panel(result: TraceResult) -> Panel:
    """The verdict, its confidence and evidence."""
    doc = result.doc
    body = Text()
    verdict = result.verdict
    if verdict is None:
        body.append("No verdict", style="bold")
    else:
        body.append(verdict.label.replace("-", " ").upper(), style="bold reverse")
        body.append(f"  confidence {verdict.confidence:.0%}")
        done = ", ".join(verdict.manipulation) or "none found"
        body.append(f"\nprovenance: {verdict.provenance} · manipulation: {done}")
    body.append(f"\n{result.clean.title or doc.title or doc.id}", style="bold")
    meta = " · ".join(x for x in (doc.site, doc.date, doc.url or doc.source) if x)
    if meta:
        body.append(f"\n{meta}", style="dim")
    body.append(f"\ntraced {result.traced_share:.0%} of the text to {len(result.sources)} "
                f"source(s)")
    counts = view.edit_counts(result.sentences)
    if counts:
        body.append(" · " + ", ".join(f"{n} {op}" for op, n in sorted(counts.items())))
    if verdict is not None and verdict.evidence:
        body.append("\nEvidence:", style="bold")
        ids = view.short_ids(result)
        for key, value in verdict.evidence.items():
            shown = view.format_evidence(value, ids, key)
            body.append(f"\n  • {key.replace('_', ' ')}: {shown}")
    return Panel(body, title="unspun trace", title_align="left", box=box.ROUNDED)


def _sources_table(result: TraceResult, ids: dict[str, str]) -> Table:
    """The sources with their shares."""
    table = Table(title="Sources", title_justify="left", box=box.SIMPLE_HEAD, expand=False,
                  title_style="bold underline")
    table.add_column("", style="bold", no_wrap=True)
    table.add_column("share", justify="right", no_wrap=True)
    table.add_column("sent.", justify="right", no_wrap=True)
    table.add_column("source", overflow="fold")
    for share in result.sources:
        info = view.source_info(result, share)
        cell = Text(info.name)
        meta = " · ".join(x for x in (info.site, info.date, info.url) if x)
        if meta:
            cell.append(f"\n{meta}", style="dim")
        shown = info.source if info.title else None  # else the file is already the name
        where = f"id {info.id} · file {shown}" if shown else f"id {info.id}"
        cell.append(f"\n{where}", style="dim")
        if share.also_carried_by:
            cell.append(f"\nalso carried by {', '.join(share.also_carried_by)}", style="dim")
        table.add_row(ids[share.doc_id], f"{share.share:.0%}", str(share.sentences), cell)
    return table


def _quotes_and_headline(result: TraceResult, ids: dict[str, str]) -> Group | None:
    """"Quoted from" and "headline from": evidence reported apart from copied body."""
    rows: list[Text] = []
    if result.headline is not None:
        h = result.headline
        line = Text("Headline from ", style="bold")
        line.append(f"{ids.get(h.doc_id, h.doc_id)} {h.doc_id}")
        line.append(f": “{_clip(h.source_title, 90)}”", style="dim")
        rows.append(line)
    for text, docs in view.quoted_from(result):
        line = Text("Quoted from ", style="bold")
        line.append(", ".join(f"{ids.get(d, d)} {d}" for d in docs))
        line.append(f": “{_clip(text, 90)}”", style="dim")
        rows.append(line)
    return Group(*rows) if rows else None


def _junk(findings: list[Finding]) -> Group:
    """The junk removed (or only reported), with reasons."""
    lines: list[Text | Padding] = [Text(f"Junk ({len(findings)})", style="bold underline")]
    for f in findings:
        line = Text("− " if f.removed else "· ", style="bold")
        line.append(f.kind, style="cyan")
        if f.detail:
            line.append(f" ({f.detail})", style="dim")
        line.append(": ")
        line.append(_clip(f.text.strip(), 160))
        lines.append(Padding(line, (0, 0, 0, 2)))
    return Group(*lines)


def _legend(plain: bool) -> Text:
    """Which marker or colour means which change."""
    legend = Text("Changes: ", style="dim")
    for op, sample, label in _LEGEND:
        legend.append_text(_mark(op, sample, plain))
        legend.append(f" {label}  ", style="dim")
    legend.append("⚠ altered quote", style="magenta")
    return legend


def _mark(op: str, shown: str, plain: bool) -> Text:
    """One change drawn with colour, or with markers when there is no colour."""
    style, left, right = _MARKS.get(op, ("", "\u27e6", "\u27e7"))
    if plain:
        return Text(f"{left}{shown}{right}")
    return Text(shown, style=style)


def _sentence_head(result: TraceResult, index: int, ids: dict[str, str],
                   al: Alignment | None) -> Text:
    """The line above a sentence: its number and its source."""
    head = Text(f"{index + 1:>3} ", style="bold")
    if al is None:
        quoted = view.sentence_quote_sources(result, result.sentences[index].sentence.span)
        if quoted:
            head.append(f"“ quoted from {', '.join(ids.get(d, d) for d in quoted)} ",
                        style="bold")
            head.append("(the quote only: not copied body)", style="dim")
        else:
            head.append("no source found (original here)", style="italic dim")
        return head
    doc = result.source_docs.get(al.source_id)
    head.append(f"← {ids.get(al.source_id, '?')} ", style="bold")
    if doc is not None and not doc.title and doc.source:  # a file: keep its name, cut the left
        name = " ".join(doc.source.split())
        head.append(name if len(name) <= 48 else "…" + name[-47:])
    else:
        head.append(_clip((doc.title if doc else None) or al.source_id, 48))
    head.append(f"  score {al.score:.2f}" + ("" if al.kind == "sentence" else f" ({al.kind})"),
                style="dim")
    return head


def _sentence_text(result: TraceResult, trace: SentenceTrace, plain: bool) -> Text:
    """The suspect sentence with its changes marked."""
    sent = trace.sentence
    al = trace.alignment
    if al is None:
        return Text(sent.text, style="italic")
    out = Text()
    text = result.doc.text
    cut = view.pieces(text, sent.span.start, sent.span.end, al.edits, side="suspect")
    for i, piece in enumerate(cut):
        if piece.op is None or piece.op == "cosmetic":
            out.append(piece.text)
        elif piece.op == "insert":
            out.append_text(_mark("insert", piece.text, plain))
        elif piece.op == "delete":  # a point in the suspect: keep one space on each side
            if out.plain and not out.plain[-1].isspace():
                out.append(" ")
            out.append_text(_mark("delete", piece.other, plain))
            following = next((p.text for p in cut[i + 1:] if p.text), "")
            if following[:1].isalnum():  # no space before a full stop or comma
                out.append(" ")
        else:
            out.append_text(_mark(piece.op, f"{piece.other}→{piece.text}", plain))
    return out


def _clip(text: str, limit: int) -> str:
    """Shorten ``text`` to ``limit`` characters with an ellipsis."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
