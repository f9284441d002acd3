"""Passages: join runs of aligned sentences into passages and fit their edges to the tokens."""

from __future__ import annotations

from bisect import bisect_left, bisect_right

from unspun.config import PassageConfig
from unspun.data import Alignment, SentenceTrace, Span
from unspun.text.diff import matching_blocks
from unspun.text.tokens import Token, tokenize


def _group(traces: list[SentenceTrace], cfg: PassageConfig) -> list[list[SentenceTrace]]:
    """Runs of aligned sentences that stay close together on both sides."""
    groups: list[list[SentenceTrace]] = []
    last_i = -10
    for i, t in enumerate(traces):
        al = t.alignment
        if al is None:
            continue
        if groups and i - last_i <= cfg.max_sentence_gap:
            prev = groups[-1][-1]
            assert prev.alignment is not None and prev.order is not None and t.order is not None
            step = t.order - prev.order
            if (prev.alignment.source_id == al.source_id
                    and -cfg.max_source_backtrack <= step <= cfg.max_source_jump):
                groups[-1].append(t)
                last_i = i
                continue
        groups.append([t])
        last_i = i
    return groups


def _slice(starts: list[int], span: Span) -> tuple[int, int]:
    """Token index range ``[a, b)`` of the tokens inside ``span``."""
    return bisect_left(starts, span.start), bisect_right(starts, span.end - 1)


def _fit(s_tok: list[Token], r_tok: list[Token], s: tuple[int, int], r: tuple[int, int],
         min_block: int) -> tuple[tuple[int, int], tuple[int, int]]:
    """Trim both word ranges to their matching core, then grow it while the words agree."""
    a = [t.norm for t in s_tok[s[0] : s[1]]]
    b = [t.norm for t in r_tok[r[0] : r[1]]]
    blocks = [m for m in matching_blocks(a, b) if m.size >= min_block]
    if blocks:
        first, last = blocks[0], blocks[-1]
        s = (s[0] + first.a, s[0] + last.a + last.size)
        r = (r[0] + first.b, r[0] + last.b + last.size)
    s0, s1 = s
    r0, r1 = r
    while s0 > 0 and r0 > 0 and s_tok[s0 - 1].norm == r_tok[r0 - 1].norm:
        s0 -= 1
        r0 -= 1
    while s1 < len(s_tok) and r1 < len(r_tok) and s_tok[s1].norm == r_tok[r1].norm:
        s1 += 1
        r1 += 1
    return (s0, s1), (r0, r1)


def _words(text: str) -> list[Token]:
    return [t for t in tokenize(text) if t.kind != "punct"]


def _words_in(text: str, span: Span) -> list[Token]:
    """The tokens of ``_words(text)`` that start inside ``span``, tokenising only the text
    around it: from the whitespace before ``span`` to the whitespace after it. No token holds
    whitespace, so a scan of the whole text passes through both edges and finds the same
    tokens in between."""
    lo, hi = span.start, span.end
    while lo > 0 and not text[lo - 1].isspace():
        lo -= 1
    while hi < len(text) and not text[hi].isspace():
        hi += 1
    return [t for t in tokenize(text, lo, hi)
            if t.kind != "punct" and span.start <= t.start < span.end]


def passages(suspect_text: str, source_text: str, source_id: str,
             traces: list[SentenceTrace], *, config: PassageConfig | None = None,
             min_chars: int = 0, fit: bool = True) -> list[Alignment]:
    """Join sentence alignments to one source into passages with token-exact edges.

    Args:
        suspect_text: The suspect's original text.
        source_text: The source's original text.
        source_id: The source's id; alignments to other sources are ignored.
        traces: Sentence traces from :func:`unspun.align.align_sentences`.
        config: Grouping and edge-fitting thresholds (defaults when omitted).
        min_chars: Drop passages shorter than this on the suspect side.
        fit: Trim and grow edges to matching tokens; off for obfuscated reuse, where few
            tokens match in order and the sentence edges are the better estimate.

    Returns:
        One ``passage`` alignment per run, in suspect order.
    """
    cfg = config or PassageConfig()
    mine = [t if t.alignment and t.alignment.source_id == source_id else SentenceTrace(t.sentence)
            for t in traces]
    groups = _group(mine, cfg)
    if fit and groups:  # edges may grow past the runs: every token of both texts
        s_tok, r_tok = _words(suspect_text), _words(source_text)
        s_starts = [t.start for t in s_tok]
        r_starts = [t.start for t in r_tok]
    out: list[Alignment] = []
    for group in groups:
        als = [t.alignment for t in group if t.alignment is not None]
        s_span = Span(als[0].suspect.start, als[-1].suspect.end)
        r_span = Span(min(a.source.start for a in als), max(a.source.end for a in als))
        if fit:
            s_rng, r_rng = _fit(s_tok, r_tok, _slice(s_starts, s_span), _slice(r_starts, r_span),
                                cfg.min_block)
            s_in, r_in = s_tok[s_rng[0] : s_rng[1]], r_tok[r_rng[0] : r_rng[1]]
        else:  # the sentence edges: only the tokens inside them
            s_in, r_in = _words_in(suspect_text, s_span), _words_in(source_text, r_span)
        if len(s_in) < cfg.min_tokens or len(r_in) < cfg.min_tokens:
            continue
        score = sum(a.score for a in als) / len(als)
        out.append(Alignment(Span(s_in[0].start, s_in[-1].end), source_id,
                             Span(r_in[0].start, r_in[-1].end), score, "passage"))
    return [a for a in _merge_overlaps(out) if len(a.suspect) >= min_chars]


def _merge_overlaps(als: list[Alignment]) -> list[Alignment]:
    """Fuse passages whose suspect or source sides overlap after growing."""
    out: list[Alignment] = []
    for al in sorted(als, key=lambda a: a.suspect.start):
        if out and _touch(out[-1].suspect, al.suspect) and _touch(out[-1].source, al.source):
            prev = out[-1]
            out[-1] = Alignment(
                Span(prev.suspect.start, max(prev.suspect.end, al.suspect.end)), prev.source_id,
                Span(min(prev.source.start, al.source.start), max(prev.source.end, al.source.end)),
                max(prev.score, al.score), "passage")
        else:
            out.append(al)
    return out


def _touch(a: Span, b: Span, slack: int = 2) -> bool:
    """True when two spans overlap or are separated by at most ``slack`` characters."""
    return a.start <= b.end + slack and b.start <= a.end + slack
