"""Judge: give a traced article one verdict, with its confidence and evidence."""

from __future__ import annotations

from bisect import bisect_right
from functools import lru_cache
from itertools import accumulate, chain
from typing import Any

from unspun.config import JudgeConfig, SpinConfig
from unspun.data import (
    Alignment,
    Edit,
    ManipulationLabel,
    ProvenanceLabel,
    Span,
    TraceResult,
    Verdict,
    VerdictLabel,
)
from unspun.explain.reorder import reorder_score
from unspun.text.tokens import STOPWORDS, lex, word_forms

__all__ = ["evidence", "judge"]


def _alignments(result: TraceResult) -> list[Alignment]:
    """Each distinct alignment once (merged and split sentences share one)."""
    seen: dict[tuple[int, int, str, int, int], Alignment] = {}
    for st in result.sentences:
        al = st.alignment
        if al is not None:
            seen.setdefault((al.suspect.start, al.suspect.end, al.source_id, al.source.start,
                             al.source.end), al)
    return list(seen.values())


def evidence(result: TraceResult) -> dict[str, Any]:
    """The measurable facts a verdict rests on.

    Returns:
        ``traced_share``, ``aligned_sentences``, ``sources`` ([{id, share}], largest first),
        ``spin_rate`` (synonym edits per content word of the aligned suspect spans),
        ``rewrite_rate`` (paraphrase edits per such word), ``synonym_edits``,
        ``paraphrase_edits``, ``quote_swaps`` (synonym edits inside altered quotes),
        ``altered_quotes``, ``changed_attributions``, ``changed_facts`` (factual edits),
        ``junk_removed`` and ``reorder`` (share of aligned sentences moved out of source order).
    """
    aligned = _alignments(result)
    text = result.doc.text
    content = sum(map(_content, chain.from_iterable(
        word_forms(text, al.suspect.start, al.suspect.end) for al in aligned)))
    edits = [e for al in aligned for e in al.edits]
    # A block of adjacent swaps ("most given" -> "majority of provided") counts as many swaps
    # as its shorter side has words; a name's other form ("United Kingdom" -> "Great
    # Britain", detail "expansion") is one.
    swaps = [(e, 1 if e.detail else _words_swapped(e))
             for e in edits if e.op == "synonym" and e.detail != "function-word"]
    synonyms = sum(n for _, n in swaps)
    altered = [q.suspect.span for q in result.quote_findings if q.kind == "altered-quote"]
    paraphrases = sum(1 for e in edits if e.op == "paraphrase")
    sources = sorted(result.sources, key=lambda s: -s.share)
    return {
        "traced_share": round(result.traced_share, 4),
        "aligned_sentences": sum(1 for st in result.sentences if st.alignment is not None),
        "sources": [{"id": s.doc_id, "share": round(s.share, 4)} for s in sources],
        "spin_rate": round(synonyms / content, 4) if content else 0.0,
        "rewrite_rate": round(paraphrases / content, 4) if content else 0.0,
        "synonym_edits": synonyms,
        "quote_swaps": _inside_count(swaps, altered) if altered else 0,
        "paraphrase_edits": paraphrases,
        "altered_quotes": len(altered),
        "changed_attributions": sum(
            1 for q in result.quote_findings if q.kind == "changed-attribution"
        ),
        "changed_facts": sum(1 for e in edits if e.op == "factual"),
        "junk_removed": len(result.clean.removed),
        "reorder": reorder_score(result),
        "quoted_share": round(_quoted_share(result), 4),
        "quote_sources": len({q.doc_id for q in result.quote_sources}),
        "headline_from": result.headline.doc_id if result.headline else None,
        "spin_signals": None,  # measured by judge() only when no source was found
    }


def _words_swapped(e: Edit) -> int:
    """``max(1, min(len(word_forms(e.source_text)), len(word_forms(e.suspect_text))))``,
    the suspect side read only when the source side has two words or more (most swaps are
    one word for one word)."""
    n = len(word_forms(e.source_text))
    return 1 if n <= 1 else max(1, min(n, len(word_forms(e.suspect_text))))


def _inside_count(swaps: list[tuple[Edit, int]], spans: list[Span]) -> int:
    """The swaps' counts summed over those whose suspect side lies inside one of ``spans``.

    A span holds ``[s, e)`` when it starts at or before ``s`` and ends at or after ``e``: of
    the spans starting at or before ``s`` (a bisection of the sorted starts), the one reaching
    furthest decides. The same sum as testing every span for every swap (a trace has ~60
    swaps and ~12 altered quotes; tests/judge/test_judge.py compares the two)."""
    ordered = sorted((q.start, q.end) for q in spans)
    starts = [s for s, _ in ordered]
    reach = list(accumulate((e for _, e in ordered), max))
    total = 0
    for e, n in swaps:
        i = bisect_right(starts, e.suspect.start)
        if i and reach[i - 1] >= e.suspect.end:
            total += n
    return total


@lru_cache(maxsize=200_000)
def _content(raw: str) -> bool:
    """Whether a word form is a content word: what tokenize() calls a word or abbreviation,
    outside STOPWORDS. Cached per form like :func:`lex` (forms repeat), so that a trace's
    aligned words are counted in one C-level ``map`` (no Token objects, no Python loop)."""
    lx = lex(raw)
    return lx.kind != "num" and lx.norm not in STOPWORDS


def _quoted_share(result: TraceResult) -> float:
    """Share of the suspect's kept characters in sentences not traced as body whose quote was
    found in a source."""
    starts = {q.suspect.span.start for q in result.quote_sources}
    total = sum(len(t.sentence.span) for t in result.sentences) or 1
    quoted = sum(len(t.sentence.span) for t in result.sentences if t.alignment is None
                 and any(t.sentence.span.start <= s < t.sentence.span.end for s in starts))
    return quoted / total


def _spin_signals(result: TraceResult, spins: SpinConfig) -> float:
    """Built-in spin signals (no source needed) per 100 content words of the kept text."""
    from unspun.explain.spins import spin_score

    report = spin_score(result.doc.text, spans=result.clean.kept or None, config=spins)
    return round(len(report.flags) * 100 / max(report.content_words, spins.min_content_words), 3)


def _margin(value: float, threshold: float, span: float) -> float:
    """How far ``value`` lies past ``threshold``, as a share of ``span``, clipped to [0, 1]."""
    return max(0.0, min(1.0, abs(value - threshold) / span)) if span > 0 else 1.0


def _provenance(ev: dict[str, Any], cfg: JudgeConfig) -> tuple[ProvenanceLabel, float]:
    """Where the text came from, and how far the deciding measure lies past its threshold."""
    traced = ev["traced_share"]
    shares = [s["share"] for s in ev["sources"]]
    top = shares[0] if shares else 0.0
    big = [x for x in shares if x >= cfg.stitch_min_share]
    minor = [x for x in shares if x >= cfg.minor_source_share]
    together = sum(minor) + ev["quoted_share"]
    if traced < cfg.original_max_traced and ev["headline_from"] is None:
        if ev["spin_signals"] >= cfg.unknown_min_signals:
            return "unknown", _margin(ev["spin_signals"], cfg.unknown_min_signals,
                                      cfg.unknown_min_signals)
        return "original", _margin(traced, cfg.original_max_traced, cfg.original_max_traced)
    if (ev["aligned_sentences"] < cfg.min_reused_sentences
            and traced < cfg.single_sentence_max_traced):
        return "partial-reuse", 0.0  # one shared sentence: reuse, but weak evidence
    if len(big) >= 2:
        return "stitched", _margin(big[1], cfg.stitch_min_share, cfg.stitch_min_share)
    if (len(minor) >= cfg.stitch_min_sources and together >= cfg.stitch_together_share
            and top < cfg.copy_min_share):
        return "stitched", min(
            _margin(together, cfg.stitch_together_share, 1 - cfg.stitch_together_share),
            _margin(top, cfg.copy_min_share, cfg.copy_min_share))
    if top >= cfg.copy_min_share:
        return "copy", _margin(top, cfg.copy_min_share, 1 - cfg.copy_min_share)
    return "partial-reuse", min(
        _margin(traced, cfg.original_max_traced, cfg.copy_min_share - cfg.original_max_traced),
        _margin(top, cfg.copy_min_share, cfg.copy_min_share))


def _manipulation(ev: dict[str, Any], cfg: JudgeConfig) -> list[ManipulationLabel]:
    """What was done to the text: consistent synonym swaps, altered quotes, changed facts."""
    out: list[ManipulationLabel] = []
    # Swaps found only inside altered quotes are quote tampering, not a spun page.
    if (ev["spin_rate"] >= cfg.spun_min_rate and ev["synonym_edits"] >= cfg.spun_min_edits
            and ev["synonym_edits"] > ev["quote_swaps"]):
        out.append("spun")
    if ev["altered_quotes"]:
        out.append("altered-quotes")
    if ev["changed_facts"]:
        out.append("changed-facts")
    return out


_LABELS: dict[ProvenanceLabel, VerdictLabel] = {
    "original": "original", "unknown": "original", "partial-reuse": "partial-reuse",
    "stitched": "stitched-aggregate", "copy": "syndicated-copy"}


def judge(result: TraceResult, *, config: JudgeConfig | None = None,
          spins: SpinConfig | None = None) -> Verdict:
    """Give one traced article a verdict on two axes, with a confidence and the evidence.

    **Provenance** (where the text came from), first match wins (thresholds in
    :class:`unspun.config.JudgeConfig`):

    1. traced share below ``original_max_traced`` and no headline taken → ``original``, or
       ``unknown`` when the text carries ``unknown_min_signals`` built-in spin signals per 100
       content words (no source found, but "original" would be dishonest);
    2. fewer than ``min_reused_sentences`` aligned sentences covering less than
       ``single_sentence_max_traced`` → ``partial-reuse`` with confidence 0.5;
    3. two sources each supplying ``stitch_min_share``, or ``stitch_min_sources`` sources of at
       least ``minor_source_share`` that together (with the sentences quoted from sources)
       supply ``stitch_together_share``, none reaching ``copy_min_share`` → ``stitched``;
    4. one source supplying ``copy_min_share`` → ``copy``;
    5. anything else → ``partial-reuse``.

    A quote found in a source never counts as copied body on its own: independent reports
    share quotes. **Manipulation** (what was done to it), any of: ``spun`` (synonym swaps at
    ``spun_min_rate`` of the aligned content words, at least ``spun_min_edits`` of them),
    ``altered-quotes``, ``changed-facts``.

    The older single ``label`` is the provenance, with a spun copy as ``spun-copy``.
    Confidence is 0.5 plus half the normalised distance of the deciding measure from its
    threshold, so an article right at a threshold gets 0.5.

    Args:
        result: A trace with edits and quote findings filled in.
        config: The thresholds (``TraceConfig.judge``).
        spins: How the source-free spin signals are found (``TraceConfig.spins``).

    Returns:
        The verdict.
    """
    cfg = config or JudgeConfig()
    ev = evidence(result)
    if ev["traced_share"] < cfg.original_max_traced and ev["headline_from"] is None:
        # Only a page with no source found needs the source-free spin signals (a whole-text
        # scan that would otherwise cost as much as the trace).
        ev["spin_signals"] = _spin_signals(result, spins or SpinConfig())
    provenance, margin = _provenance(ev, cfg)
    manipulation = _manipulation(ev, cfg)
    label = _LABELS[provenance]
    if provenance == "copy" and "spun" in manipulation:
        label = "spun-copy"
        margin = min(margin, _margin(ev["spin_rate"], cfg.spun_min_rate, cfg.spun_min_rate))
    return Verdict(label, round(0.5 + 0.5 * margin, 4), ev, provenance, manipulation)
