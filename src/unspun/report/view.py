"""Cut an aligned sentence into plain and changed pieces, shared by the terminal and HTML reports."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from unspun.data import Alignment, Edit, EditOp, SentenceTrace, SourceShare, Span, TraceResult

Side = Literal["suspect", "source"]

#: What each edit label means, in the words the reports show to readers.
OP_LABELS: dict[str, str] = {
    "synonym": "synonym swap (spin)",
    "factual": "factual change",
    "insert": "inserted",
    "delete": "deleted",
    "paraphrase": "paraphrase",
    "cosmetic": "cosmetic",
}

#: Ops drawn as changes; "verbatim" edits are shown as plain text.
MARKED_OPS: frozenset[str] = frozenset(OP_LABELS)


@dataclass(frozen=True, slots=True)
class Piece:
    """A run of one side's sentence: plain text (``op`` None) or one labelled change.

    ``text`` is what this side shows ("" for the point where the other side has words) and
    ``other`` is the other side's words for the same edit; ``edit`` indexes the alignment's edits.
    """

    text: str
    op: EditOp | None = None
    other: str = ""
    edit: int | None = None


def pieces(text: str, start: int, end: int, edits: list[Edit], *, side: Side) -> list[Piece]:
    """Split ``text[start:end]`` into plain pieces and edit pieces for one side of an alignment.

    Args:
        text: The original text of this side (suspect or source document).
        start: Start of the sentence span in ``text``.
        end: End of the sentence span in ``text``.
        edits: The alignment's edits; those outside the span or overlapping an earlier one
            are ignored, "verbatim" edits are shown as plain text.
        side: Which side ``text`` is, so the right span of each edit is used.

    Returns:
        Pieces in reading order; their non-empty texts concatenate to ``text[start:end]``.
    """
    out: list[Piece] = []
    pos = start
    order = sorted(range(len(edits)), key=lambda i: _span(edits[i], side))
    for i in order:
        edit = edits[i]
        if edit.op not in MARKED_OPS:
            continue
        lo, hi = _span(edit, side)
        if lo < pos or hi > end or lo < start:
            continue
        mine = text[lo:hi]
        if mine.strip():  # keep surrounding spaces out of the highlighted piece
            lo, hi = lo + len(mine) - len(mine.lstrip()), hi - len(mine) + len(mine.rstrip())
        if lo > pos:
            out.append(Piece(text[pos:lo]))
        other = edit.source_text if side == "suspect" else edit.suspect_text
        out.append(Piece(text[lo:hi], edit.op, other.strip() or other, i))
        pos = hi
    if pos < end:
        out.append(Piece(text[pos:end]))
    return out


def _span(edit: Edit, side: Side) -> tuple[int, int]:
    """The (start, end) of an edit on one side."""
    span = edit.suspect if side == "suspect" else edit.source
    return span.start, span.end


def source_sentence(result: TraceResult, alignment: Alignment) -> str:
    """The source text an alignment points to, or "" when the source document is unknown."""
    doc = result.source_docs.get(alignment.source_id)
    return alignment.source.of(doc.text) if doc is not None else ""


@dataclass(frozen=True, slots=True)
class SourceInfo:
    """What the reports say about one source: its metadata and where its text was read from.

    ``source`` is the file it came from (``path``, ``path#line=N``, ``path#record=N``).
    """

    id: str
    title: str | None
    url: str | None
    site: str | None
    date: str | None
    source: str | None

    @property
    def name(self) -> str:
        """What to call the source: its title, else its file, else its id."""
        return self.title or self.source or self.id


def source_info(result: TraceResult, share: SourceShare) -> SourceInfo:
    """The metadata of one source, from its share or else from the source document."""
    doc = result.source_docs.get(share.doc_id)

    def pick(value: str | None, field: str) -> str | None:
        return value if value is not None else (getattr(doc, field) if doc else None)

    return SourceInfo(id=share.doc_id, title=pick(share.title, "title"),
                      url=pick(share.url, "url"), site=pick(share.site, "site"),
                      date=pick(share.date, "date"), source=doc.source if doc else None)


def short_ids(result: TraceResult) -> dict[str, str]:
    """Give each source a one-letter label (A, B, ...) in the order of ``result.sources``."""
    ids: dict[str, str] = {}
    for i, share in enumerate(result.sources):
        ids[share.doc_id] = _letter(i)
    for trace in result.sentences:
        al = trace.alignment
        if al is not None and al.source_id not in ids:
            ids[al.source_id] = _letter(len(ids))
    for share in result.sources:
        for carrier in share.also_carried_by:
            ids.setdefault(carrier, ids[share.doc_id])  # one story, one label
    extra = [q.doc_id for q in result.quote_sources]
    if result.headline is not None:
        extra.append(result.headline.doc_id)
    for doc_id in extra:
        if doc_id not in ids:
            ids[doc_id] = _letter(len(set(ids.values())))
    return ids


def sentence_quote_sources(result: TraceResult, span: Span) -> list[str]:
    """Ids of the documents a quote inside ``span`` (a suspect sentence) was quoted from."""
    out: list[str] = []
    for q in result.quote_sources:
        if span.start <= q.suspect.span.start < span.end and q.doc_id not in out:
            out.append(q.doc_id)
    return out


def quoted_from(result: TraceResult) -> list[tuple[str, list[str]]]:
    """Each traced suspect quote's text with the ids of the documents it was quoted from."""
    out: dict[int, tuple[str, list[str]]] = {}
    for q in result.quote_sources:
        entry = out.setdefault(q.suspect.span.start, (q.suspect.text, []))
        entry[1].append(q.doc_id)
    return [out[k] for k in sorted(out)]


def _letter(i: int) -> str:
    """A, B, ..., Z, then AA, AB, ..."""
    name = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        name = chr(65 + r) + name
    return name


def altered_quote_sentences(result: TraceResult) -> set[int]:
    """Indexes of suspect sentences that contain an altered quote or a changed attribution."""
    hit: set[int] = set()
    for qf in result.quote_findings:
        for trace in result.sentences:
            if trace.sentence.span.overlap(qf.suspect.span) > 0:
                hit.add(trace.sentence.index)
    return hit


def edit_counts(traces: list[SentenceTrace]) -> dict[str, int]:
    """How many edits of each marked kind the aligned sentences hold."""
    counts: dict[str, int] = {}
    for trace in traces:
        if trace.alignment is None:
            continue
        for edit in trace.alignment.edits:
            if edit.op in MARKED_OPS:
                counts[edit.op] = counts.get(edit.op, 0) + 1
    return counts


# Evidence values that are densities (per 100 content words), not shares: never percentages.
_DENSITIES = frozenset({"spin_signals"})


def format_evidence(value: object, ids: dict[str, str] | None = None, key: str = "") -> str:
    """Show one evidence value to a reader: shares as percentages, source lists compactly."""
    ids = ids or {}
    if isinstance(value, bool) or value is None:
        return "yes" if value else "no" if value is False else "—"
    if isinstance(value, float):
        if key in _DENSITIES:
            return f"{value:.3g} per 100 words"
        return f"{value:.0%}" if 0 <= value <= 1 else f"{value:.3g}"
    if isinstance(value, dict):
        if "id" in value:
            name = ids.get(str(value["id"]), str(value["id"]))
            share = value.get("share")
            return f"{name} {share:.0%}" if isinstance(share, float) else name
        return ", ".join(f"{k}: {format_evidence(v, ids, k)}" for k, v in value.items())
    if isinstance(value, (list, tuple, set, frozenset)):
        return ", ".join(format_evidence(v, ids) for v in value) or "none"
    return str(value)
