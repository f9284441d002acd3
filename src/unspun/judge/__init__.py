"""Judge: give a traced article one verdict, with its confidence and evidence."""

from __future__ import annotations

from typing import Any

from unspun.data import Alignment, TraceResult, Verdict, VerdictLabel
from unspun.explain.reorder import reorder_summary
from unspun.judge.thresholds import (
    COPY_MIN_SHARE,
    MIN_REUSED_SENTENCES,
    MINOR_SOURCE_SHARE,
    ORIGINAL_MAX_TRACED,
    SINGLE_SENTENCE_MAX_TRACED,
    SPUN_MIN_RATE,
    STITCH_MIN_SHARE,
    STITCH_TOGETHER_SHARE,
)
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
        ``paraphrase_edits``,
        ``altered_quotes``, ``changed_attributions``, ``changed_facts`` (factual edits),
        ``junk_removed`` and ``reorder`` (share of aligned sentences moved out of source order).
    """
    aligned = _alignments(result)
    text = result.doc.text
    # Content words: what tokenize() calls words and abbreviations outside STOPWORDS, counted
    # from the cached per-form classification (no Token objects).
    content = 0
    for al in aligned:
        for raw in word_forms(text, al.suspect.start, al.suspect.end):
            lx = lex(raw)
            content += lx.kind != "num" and lx.norm not in STOPWORDS
    edits = [e for al in aligned for e in al.edits]
    synonyms = sum(1 for e in edits if e.op == "synonym" and e.detail != "function-word")
    paraphrases = sum(1 for e in edits if e.op == "paraphrase")
    sources = sorted(result.sources, key=lambda s: -s.share)
    return {
        "traced_share": round(result.traced_share, 4),
        "aligned_sentences": sum(1 for st in result.sentences if st.alignment is not None),
        "sources": [{"id": s.doc_id, "share": round(s.share, 4)} for s in sources],
        "spin_rate": round(synonyms / content, 4) if content else 0.0,
        "rewrite_rate": round(paraphrases / content, 4) if content else 0.0,
        "synonym_edits": synonyms,
        "paraphrase_edits": paraphrases,
        "altered_quotes": sum(1 for q in result.quote_findings if q.kind == "altered-quote"),
        "changed_attributions": sum(
            1 for q in result.quote_findings if q.kind == "changed-attribution"
        ),
        "changed_facts": sum(1 for e in edits if e.op == "factual"),
        "junk_removed": len(result.clean.removed),
        "reorder": reorder_summary(result)["score"],
    }


def _margin(value: float, threshold: float, span: float) -> float:
    """How far ``value`` lies past ``threshold``, as a share of ``span``, clipped to [0, 1]."""
    return max(0.0, min(1.0, abs(value - threshold) / span)) if span > 0 else 1.0


def judge(result: TraceResult) -> Verdict:
    """Give one traced article a verdict, with a confidence in [0, 1] and the evidence.

    Rules, first match wins (thresholds in :mod:`unspun.judge.thresholds`):

    1. traced share below ``ORIGINAL_MAX_TRACED``, or fewer than ``MIN_REUSED_SENTENCES``
       aligned sentences covering less than ``SINGLE_SENTENCE_MAX_TRACED`` → ``original``;
    2. two or more sources each supplying ``STITCH_MIN_SHARE``, or several sources of at least
       ``MINOR_SOURCE_SHARE`` together supplying ``STITCH_TOGETHER_SHARE`` with none reaching
       ``COPY_MIN_SHARE`` → ``stitched-aggregate``;
    3. one source supplying ``COPY_MIN_SHARE`` → ``spun-copy`` when the spin rate reaches
       ``SPUN_MIN_RATE``, else ``syndicated-copy`` (light rewording without synonym spin,
       such as reordered clauses or "5" for "five", stays a syndicated copy);
    4. anything else → ``partial-reuse``.

    Confidence is 0.5 plus half the normalised distance of the deciding measure from its
    threshold, so an article right at a threshold gets 0.5.

    Args:
        result: A trace with edits and quote findings filled in.

    Returns:
        The verdict.
    """
    ev = evidence(result)
    traced = ev["traced_share"]
    shares = [s["share"] for s in ev["sources"]]
    top = shares[0] if shares else 0.0
    big = [s for s in shares if s >= STITCH_MIN_SHARE]
    minor = [s for s in shares if s >= MINOR_SOURCE_SHARE]
    label: VerdictLabel
    if traced < ORIGINAL_MAX_TRACED:
        label, margin = "original", _margin(traced, ORIGINAL_MAX_TRACED, ORIGINAL_MAX_TRACED)
    elif ev["aligned_sentences"] < MIN_REUSED_SENTENCES and traced < SINGLE_SENTENCE_MAX_TRACED:
        label = "original"
        margin = _margin(traced, SINGLE_SENTENCE_MAX_TRACED, SINGLE_SENTENCE_MAX_TRACED)
    elif len(big) >= 2:
        label, margin = "stitched-aggregate", _margin(big[1], STITCH_MIN_SHARE, STITCH_MIN_SHARE)
    elif len(minor) >= 2 and sum(minor) >= STITCH_TOGETHER_SHARE and top < COPY_MIN_SHARE:
        label = "stitched-aggregate"
        margin = min(_margin(sum(minor), STITCH_TOGETHER_SHARE, 1 - STITCH_TOGETHER_SHARE),
                     _margin(top, COPY_MIN_SHARE, COPY_MIN_SHARE))
    elif top >= COPY_MIN_SHARE:
        rate = ev["spin_rate"]
        label = "spun-copy" if rate >= SPUN_MIN_RATE else "syndicated-copy"
        closeness = _margin(rate, SPUN_MIN_RATE, SPUN_MIN_RATE)
        margin = min(_margin(top, COPY_MIN_SHARE, 1 - COPY_MIN_SHARE), closeness)
    else:
        label = "partial-reuse"
        margin = min(_margin(traced, ORIGINAL_MAX_TRACED, COPY_MIN_SHARE - ORIGINAL_MAX_TRACED),
                     _margin(top, COPY_MIN_SHARE, COPY_MIN_SHARE))
    return Verdict(label, round(0.5 + 0.5 * margin, 4), ev)
