"""Align every suspect sentence to a source sentence (or several), in any order, from any source."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import accumulate
from typing import cast

import numpy as np

from unspun._native import speedups
from unspun.align import vectors
from unspun.align.template import date_only_difference
from unspun.align.vectors import (
    Kernel,
    SentenceBag,
    SourceSide,
    SuspectSide,
    bags,
    document_source_side,
    documents_kernel,
    join_sources,
    kernel,
    source_side,
    suspect_side,
)
from unspun.config import AlignConfig
from unspun.data import Alignment, Document, Sentence, SentenceTrace, Span

_SENTENCE_ENDS = frozenset(".!?…")
# (getattr: an extension built before segment_tops was added leaves it to numpy)
_segment_tops_c = None if speedups is None else getattr(speedups, "segment_tops", None)
_weigh_bound_c = None if speedups is None else getattr(speedups, "weigh_bound", None)
_top_two_c = None if speedups is None else getattr(speedups, "top_two", None)
_doc_freq_c = None if speedups is None else getattr(speedups, "doc_freq", None)
_best_table_c = None if speedups is None else getattr(speedups, "best_table", None)
#: More than the float32 rounding of a containment (its sums of a few hundred weights are off
#: by well under 1e-4, and exact with the default weights): a bound drawn from kernel values
#: is loosened by it.
_MARGIN = 1e-4


@dataclass(slots=True)
class Candidate:
    """A possible source: the document, its sentences, and their bags (built on demand).

    As a source it needs only its half of the kernel (:meth:`get_source_side`, a third of the
    bags' memory), so a corpus scan keeps that for many documents and the bags for none.
    ``once``: it is a source for one suspect only (a trace's candidate from the index), so
    :func:`align_sentences` builds its entries straight into the kernel and keeps no half.
    """

    doc: Document
    sentences: Sequence[Sentence]
    bags: list[SentenceBag] | None = None
    side: SuspectSide | None = None
    src_side: SourceSide | None = None
    once: bool = False

    def get_bags(self, config: AlignConfig) -> list[SentenceBag]:
        """The sentences' bags, built with ``config``'s word weights on first use."""
        if self.bags is None:
            self.bags = bags(self.doc.text, self.sentences, config)
        return self.bags

    def get_side(self, config: AlignConfig) -> SuspectSide:
        """The document as the suspect half of a kernel (built on demand, then kept)."""
        if self.side is None:
            self.side = suspect_side(self.get_bags(config))
        return self.side

    def get_source_side(self, config: AlignConfig) -> SourceSide:
        """The document as the source half of a kernel (built on demand, then kept; the bags
        it is built from are kept only if they were already)."""
        if self.src_side is None:
            self.src_side = (source_side(self.bags) if self.bags is not None
                             else document_source_side(self.doc.text, self.sentences, config))
        return self.src_side


@dataclass(slots=True, eq=False)
class _Match:
    doc: int  # candidate index
    rows: list[int]  # source sentence indexes (two or more for a merge)
    score: float
    quote_only: bool
    covered: bool = False  # found as a whole source sentence inside the suspect one
    joined: bool = False  # two rows that are pieces of one long source sentence, not a merge
    fragment: bool = False  # a short part of a much longer source sentence (Dice under min_dice)
    # What :func:`_weigh` needs, until the first of ``rare``, ``rare_plain`` or ``names`` is
    # asked for: many never are (a quote match, a near-exact long sentence), and weighing
    # was about a seventh of a corpus scan's aligning.
    pending: tuple[int, Kernel, list[int], np.ndarray, AlignConfig] | None = None
    weighed: tuple[float, float, int] = (0.0, 0.0, 0)  # rare, rare_plain, names
    # While pending: rare, its error bound, rare_plain, its bound, names (see
    # :meth:`_bounds`); None until asked for, () when there is none.
    bounds: tuple[float, float, float, float, int] | tuple[()] | None = None

    def _weights(self) -> tuple[float, float, int]:
        if self.pending is not None:
            self.weighed = _weigh(*self.pending)
            self.pending = None
        return self.weighed

    def _bounds(self) -> tuple[float, float, float, float, int] | tuple[()]:
        """The weights of :func:`_weigh` summed in double by the compiled ``weigh_bound``,
        each with a bound on how far :func:`_weigh`'s float32 dot product can be from it: a
        test against a threshold outside that distance has the answer :func:`_weigh`'s value
        would give, without its dozen numpy calls (most tests are far from their threshold).
        () without the compiled module, or for a weight that is not finite."""
        if self.bounds is None:
            got = None
            if _weigh_bound_c is not None and self.pending is not None:
                i, k, rows, idf, cfg = self.pending
                got = _weigh_bound_c(k.a_out, k.b, idf, i, rows, cfg.name_weight)
            self.bounds = () if got is None else got
        return self.bounds

    def _at_least(self, which: int, threshold: float) -> bool:
        if self.pending is not None:
            bounds = self._bounds()
            if bounds:
                value, err = bounds[2 * which], bounds[2 * which + 1]
                if value - err >= threshold:
                    return True
                if value + err < threshold:
                    return False
        return self._weights()[which] >= threshold  # near the threshold: the float32 value

    def rare_at_least(self, threshold: float) -> bool:
        """``self.rare >= threshold``, mostly without computing ``rare`` (see :meth:`_bounds`)."""
        return self._at_least(0, threshold)

    def plain_at_least(self, threshold: float) -> bool:
        """``self.rare_plain >= threshold``, likewise."""
        return self._at_least(1, threshold)

    @property
    def rare(self) -> float:
        """The rarity-weighted weight of the matched words (see :func:`_rarity`)."""
        return self._weights()[0]

    @property
    def rare_plain(self) -> float:
        """... of those that are not names or numbers."""
        return self._weights()[1]

    @property
    def names(self) -> int:
        """Matched names and numbers outside quotes."""
        if self.pending is not None:
            bounds = self._bounds()
            if bounds:  # a count of float32 tests, the same in both
                return bounds[4]
        return self._weights()[2]

    def _key(self) -> tuple[object, ...]:
        return (self.doc, self.rows, self.score, self.quote_only, self.covered, self.joined,
                self.fragment, self._weights())

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Match) and self._key() == other._key()

    @property
    def merge(self) -> bool:
        """Two source sentences fused into one suspect sentence."""
        return len(self.rows) > 1 and not self.joined


def align_sentences(text: str, sentences: list[Sentence], candidates: list[Candidate],
                    config: AlignConfig, *,
                    suspect_bags: list[SentenceBag] | None = None,
                    suspect_side: SuspectSide | None = None,
                    borrows: bool = False) -> list[SentenceTrace]:
    """Find, for each suspect sentence, the source sentence it was copied from, if any.

    The procedure is order-free, so reordering and stitching from several sources cost
    nothing: every suspect sentence is compared with every sentence of every candidate.

    1. Score all pairs by weighted containment and Dice (see :mod:`unspun.align.vectors`).
    2. Where no single source sentence explains a suspect sentence but two adjacent ones do,
       record a merge.
    3. Accept a candidate as a source only when it explains several suspect sentences, or one
       long sentence almost exactly; sentences that share only quoted words need the same
       source to explain their neighbours too.
    4. Give each sentence its best accepted source; consecutive suspect sentences taken from
       one source sentence are marked as a split.

    Args:
        text: The suspect's original text.
        sentences: The suspect's sentences (after cleaning).
        candidates: Possible sources.
        config: Thresholds.
        suspect_bags: The suspect sentences' bags, when the caller already has them (a
            corpus scan aligns one document with many others).
        suspect_side: The kernel's suspect half of those bags, likewise.
        borrows: The page is known to borrow from some source on other evidence (its
            headline is another document's), so one sentence may name a source as on a page
            where a source was accepted (see :func:`_accept`).

    Returns:
        One :class:`SentenceTrace` per suspect sentence, in order.
    """
    traces = [SentenceTrace(s) for s in sentences]
    if not sentences or not candidates:
        return traces
    if not any(c.sentences for c in candidates):
        return traces
    s_bags = suspect_bags if suspect_bags is not None else bags(text, sentences, config)
    if all(c.once and c.src_side is None and c.bags is None for c in candidates):
        side = suspect_side if suspect_side is not None else vectors.suspect_side(s_bags)
        k = documents_kernel(side, [c.doc.text for c in candidates],
                             [c.sentences for c in candidates], config)
    else:
        k = kernel(suspect_side if suspect_side is not None else s_bags,
                   join_sources([c.get_source_side(config) for c in candidates]))
    starts = np.array(list(accumulate((len(c.sentences) for c in candidates), initial=0)))
    idf = _rarity(k, starts, config)

    def pieces(d: int, j: int) -> list[int]:
        return _pieces(candidates[d], j)

    if len(candidates) > 1:
        matches = _all_best_matches(k, s_bags, starts, idf, config, pieces)
    else:
        live = _live(k, starts, config)
        # A sentence no candidate can match at all (most of them, in a corpus scan) has none.
        any_live = cast(list[bool], live.any(axis=1).tolist())
        matches = [_best_matches(i, k, s_bags[i], starts, idf, live[i], config, pieces)
                   if any_live[i] else {} for i in range(len(sentences))]
    def template(i: int, d: int, rows: list[int]) -> bool:
        return len(rows) == 1 and date_only_difference(sentences[i].text,
                                                       candidates[d].sentences[rows[0]].text)

    accepted = _accept(matches, s_bags, config,
                       lambda d, j: _short_line(candidates[d], j, config.extra_line_words),
                       borrows=borrows, template=template)
    for i, per_doc in enumerate(matches):
        best = _choose(per_doc, accepted, config)
        if best is None:
            continue
        cand = candidates[best.doc]
        rows = sorted(best.rows)
        src_span = Span(cand.sentences[rows[0]].span.start, cand.sentences[rows[-1]].span.end)
        traces[i].alignment = Alignment(sentences[i].span, cand.doc.id, src_span,
                                        float(best.score),
                                        "merge" if best.merge else "sentence")
        traces[i].order = rows[0]
    _mark_splits(traces)
    return traces


def _rarity(k: Kernel, starts: np.ndarray, cfg: AlignConfig) -> np.ndarray:
    """Each suspect word's weight times its rarity among the candidate documents.

    A word found in few candidates (a name, a number, an unusual verb) says more about where a
    sentence came from than one that every same-topic candidate has. The rarity is
    ``log(1 + N / df)`` with ``N`` at least ``cfg.rarity_docs``, so that a handful of
    candidates does not make every word look rare.
    """
    n = max(len(starts) - 1, cfg.rarity_docs)
    if len(starts) == 2:  # one candidate: every word's df is at most 1, so one rarity
        return np.full(k.b.shape[1], np.log1p(n / 1), dtype=np.float32)
    if k.entries is not None and _doc_freq_c is not None:
        # b's values that are not 0 are its entries': counted from them, not from all of b
        df = np.frombuffer(_doc_freq_c(*k.entries, starts, k.b.shape[1]), dtype=np.int64)
        return np.log1p(n / np.maximum(df, 1)).astype(np.float32)
    present = k.b > 0
    docs = np.zeros((len(starts) - 1, present.shape[1]), dtype=bool)
    for d in range(len(starts) - 1):
        lo, hi = int(starts[d]), int(starts[d + 1])
        if hi > lo:
            docs[d] = present[lo:hi].any(axis=0)
    df = docs.sum(axis=0)
    return np.log1p(n / np.maximum(df, 1)).astype(np.float32)


def _live(k: Kernel, starts: np.ndarray, cfg: AlignConfig) -> np.ndarray:
    """``live[i, d]``: whether candidate d can match suspect sentence i at all.

    A candidate whose best containment is below both ``min_containment`` and the merge
    reach, and none of whose sentences is covered, gives :func:`_best_matches` nothing; with
    64 candidates most are such for most sentences, so they are ruled out here at once.
    """
    n = len(starts) - 1
    reach = min(cfg.min_containment, cfg.min_containment - cfg.merge_reach)
    if n == 1 and starts[1] > 0 and k.contain.shape[0]:  # one candidate (a corpus scan's pair)
        cov = k.covered * (k.b_tot >= cfg.min_covered_weight)
        return ((k.contain.max(axis=1) >= reach) | (cov.max(axis=1) >= cfg.min_covered))[:, None]
    live = np.zeros((k.contain.shape[0], n), dtype=bool)
    sizes = np.diff(starts)
    docs = np.flatnonzero(sizes > 0)
    if not len(docs) or not k.contain.shape[0]:
        return live
    at = starts[docs]
    cov = k.covered * (k.b_tot >= cfg.min_covered_weight)
    live[:, docs] = ((np.maximum.reduceat(k.contain, at, axis=1) >= reach)
                     | (np.maximum.reduceat(cov, at, axis=1) >= cfg.min_covered))
    return live


def _pieces(cand: Candidate, row: int) -> list[int]:
    """The rows next to ``row`` that are pieces of the same long sentence, cut at
    ``sentence_max_chars`` (split at one space or line break, with no sentence end between)."""
    sents, text = cand.sentences, cand.doc.text
    n = len(sents)
    out = []
    for a, b in ((row - 1, row), (row, row + 1)):
        if a < 0 or b >= n:
            continue
        end = sents[a].span.end
        if (sents[b].span.start == end + 1 and text[end].isspace()
                and sents[a].text.rstrip("\"'”’)]")[-1:] not in _SENTENCE_ENDS):
            out.append(a if b == row else b)
    return out


def _best_matches(i: int, k: Kernel, bag: SentenceBag, starts: np.ndarray, idf: np.ndarray,
                  live: np.ndarray, cfg: AlignConfig,
                  pieces: Callable[[int, int], list[int]] | None = None) -> dict[int, _Match]:
    """The best passing source sentence (or adjacent pair) of each live candidate (see
    :func:`_live`) for sentence i.

    ``pieces(d, j)`` gives the rows of candidate d that are pieces of the same long sentence
    as row j (see :func:`_pieces`): the best row is joined with one when together they explain
    ``merge_gain`` more of sentence i, and the two count as one sentence, not as a merge.
    """
    out: dict[int, _Match] = {}
    if bag.total < cfg.min_weight:
        return out
    quote_dominated = bag.outside_total < max(cfg.min_weight, cfg.quote_share * bag.total)
    has_quote = bag.outside_total < bag.total
    contain, dice, c_out = k.contain[i], k.dice[i], k.contain_out[i]
    for d in live.nonzero()[0].tolist():
        lo, hi = int(starts[d]), int(starts[d + 1])
        seg = contain[lo:hi]
        j = int(seg.argmax())
        best = float(seg[j])
        # A neighbour that explains under merge_gain of sentence i alone cannot add that much
        # to row j (the margin covers float32 rounding): the pieces need not be looked for.
        if (pieces is not None and best >= cfg.min_containment - cfg.merge_reach
                and ((j > 0 and float(seg[j - 1]) + _MARGIN >= cfg.merge_gain)
                     or (j + 1 < hi - lo and float(seg[j + 1]) + _MARGIN >= cfg.merge_gain))):
            joined = _join(i, k, lo, j, best, pieces(d, j), quote_dominated, d, cfg)
            if joined is not None:
                joined.pending = (i, k, [lo + r for r in joined.rows], idf, cfg)
                out[d] = joined
                continue
        ok = best >= cfg.min_containment and dice[lo + j] >= cfg.min_dice
        fragment = (not ok and best >= cfg.fragment_containment
                    and bag.words >= cfg.extra_min_words)
        ok = ok or fragment
        if not ok and best >= cfg.min_containment - cfg.merge_reach:
            merged = _merge(i, k, seg, lo, best, quote_dominated, d, cfg)
            if merged is not None:
                merged.pending = (i, k, [lo + r for r in merged.rows], idf, cfg)
                out[d] = merged
                continue
        covered = False
        if not ok:
            # A whole source sentence inside a longer suspect sentence is reuse too.
            cov = k.covered[i, lo:hi] * (k.b_tot[lo:hi] >= cfg.min_covered_weight)
            jc = int(cov.argmax())
            if cov[jc] >= cfg.min_covered:
                j, best, ok, covered = jc, float(cov[jc]), True, True
        if ok:
            # Weak evidence too when the words outside the quotes do not match this candidate.
            weak = (quote_dominated or c_out[lo + j] < cfg.min_containment * cfg.outside_share
                    or (has_quote and c_out[lo + j] * bag.outside_total < cfg.min_outside_weight))
            out[d] = _Match(d, [j], best, weak, covered=covered,
                            fragment=fragment and not covered, pending=(i, k, [lo + j], idf, cfg))
    return out


def _segment_tops(x: np.ndarray, at: np.ndarray, sizes: np.ndarray
                  ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For each row of ``x`` (float32, no NaN) and each of its segments (starting at ``at``,
    ``sizes`` long, none empty, together the whole row): the largest value, the column of its
    first occurrence (what ``argmax`` of the segment gives) and the largest value of the
    segment's other columns (-1.0 for a segment of one column)."""
    if _segment_tops_c is not None:  # the same, in one pass instead of some ten array ones
        shape = (x.shape[0], len(at))
        top, second = np.empty(shape, dtype=np.float32), np.empty(shape, dtype=np.float32)
        first = np.empty(shape, dtype=np.int64)
        _segment_tops_c(np.ascontiguousarray(x, dtype=np.float32),
                        np.ascontiguousarray(at, dtype=np.int64), top, first, second)
        return top, first, second
    top = np.maximum.reduceat(x, at, axis=1)
    cols = np.arange(x.shape[1])
    first = np.minimum.reduceat(np.where(x == np.repeat(top, sizes, axis=1), cols, x.shape[1]),
                                at, axis=1)
    masked = x.copy()
    masked[np.arange(x.shape[0])[:, None], first] = -1.0
    return top, first, np.maximum.reduceat(masked, at, axis=1)


def _all_best_matches(k: Kernel, s_bags: list[SentenceBag], starts: np.ndarray,
                      idf: np.ndarray, cfg: AlignConfig,
                      pieces: Callable[[int, int], list[int]]) -> list[dict[int, _Match]]:
    """:func:`_best_matches` of every suspect sentence over many candidates (a trace's 64),
    with each candidate's best row, its covered row, their neighbours and the tests on them
    found for all pairs at once by array operations instead of one pair at a time.

    Every test is the one :func:`_best_matches` makes, on the same float32 values with the
    same rounding (a float32 value tested against a Python float is tested in float32, as
    numpy does; a value converted to a Python float is tested in double). A merge is looked
    for only where the second best row could add ``merge_gain`` and reach
    ``min_containment`` (a union explains at most what its two rows explain apart; the
    margin covers float32 rounding): most candidates of a trace are out of reach.
    """
    n = len(s_bags)
    out: list[dict[int, _Match]] = [{} for _ in s_bags]
    sizes = np.diff(starts)
    docs = np.flatnonzero(sizes > 0)
    if not len(docs) or not n:
        return out
    table = _best_table(k, s_bags, docs, starts[docs], sizes[docs], cfg)
    contain = k.contain
    bag = s_bags[0]
    quote_dominated = has_quote = False
    last = -1
    for (i, d, lo_d, j, top, join, merge, dice_fine, weak1, thin1, covers, j_cov, top_cov,
         weak2, thin2) in table:
        if i != last:
            last, bag = i, s_bags[i]
            quote_dominated = bag.outside_total < max(cfg.min_weight,
                                                      cfg.quote_share * bag.total)
            has_quote = bag.outside_total < bag.total
        if bag.total < cfg.min_weight:
            continue
        if join:
            joined = _join(i, k, lo_d, j, top, pieces(d, j), quote_dominated, d, cfg)
            if joined is not None:
                joined.pending = (i, k, [lo_d + r for r in joined.rows], idf, cfg)
                out[i][d] = joined
                continue
        ok = top >= cfg.min_containment and dice_fine
        fragment = (not ok and top >= cfg.fragment_containment
                    and bag.words >= cfg.extra_min_words)
        ok = ok or fragment
        if not ok and merge and top >= cfg.min_containment - cfg.merge_reach:
            merged = _merge(i, k, contain[i, lo_d:lo_d + int(sizes[d])], lo_d, top,
                            quote_dominated, d, cfg)
            if merged is not None:
                merged.pending = (i, k, [lo_d + r for r in merged.rows], idf, cfg)
                out[i][d] = merged
                continue
        covered = False
        if not ok and covers:
            j, top, ok, covered, weak1, thin1 = j_cov, top_cov, True, True, weak2, thin2
        if ok:
            weak = quote_dominated or weak1 or (has_quote and thin1)
            out[i][d] = _Match(d, [j], top, weak, covered=covered,
                               fragment=fragment and not covered,
                               pending=(i, k, [lo_d + j], idf, cfg))
    return out


_Row = tuple[int, int, int, int, float, bool, bool, bool, bool, bool, bool, int, float, bool,
             bool]


def _best_table(k: Kernel, s_bags: list[SentenceBag], docs: np.ndarray, at: np.ndarray,
                widths: np.ndarray, cfg: AlignConfig) -> list[_Row]:
    """The live (sentence, candidate) pairs of :func:`_all_best_matches`, sentence first,
    each with its tests: ``(i, d, lo, j, top, join, merge, dice_ok, weak, thin, covers,
    j_cov, top_cov, weak_cov, thin_cov)``. ``docs``: the candidates with sentences, ``at``
    their first columns, ``widths`` their sentence counts. The compiled ``best_table`` makes
    it in one pass over the kernel instead of some fifty array operations.

    Left out, as the loop would pass them by: the pairs of a sentence under ``min_weight``,
    and those with nothing to try (no piece to join, not a match, a fragment, a merge or a
    covered row): two in three of a trace's live pairs."""
    n = len(s_bags)
    totals32 = np.array([b.outside_total for b in s_bags], dtype=np.float32)
    skip = bytes(b.total < cfg.min_weight for b in s_bags)
    out_cut = cfg.min_containment * cfg.outside_share
    reach = min(cfg.min_containment, cfg.min_containment - cfg.merge_reach)
    if _best_table_c is not None:
        return cast(list[_Row], _best_table_c(
            k.contain, k.dice, k.contain_out, k.covered, k.b_tot, docs.astype(np.int64),
            at.astype(np.int64), totals32, skip,
            (reach, cfg.min_covered_weight, cfg.min_covered,
             cfg.min_containment - cfg.merge_reach, cfg.merge_gain, cfg.min_containment,
             cfg.min_dice, out_cut, cfg.min_outside_weight, _MARGIN,
             cfg.fragment_containment)))
    contain = k.contain
    best, jg, second32 = _segment_tops(contain, at, widths)
    cov_all = k.covered * (k.b_tot >= cfg.min_covered_weight)
    cov_best, jc, _ = _segment_tops(cov_all, at, widths)
    live = (best >= reach) | (cov_best >= cfg.min_covered)  # as _live
    rows = np.arange(n)[:, None]
    lo = at[None, :]
    hi = lo + widths[None, :]
    m = contain.shape[1]
    left = np.where(jg > lo, contain[rows, np.maximum(jg - 1, 0)], -np.inf).astype(np.float64)
    right = np.where(jg + 1 < hi, contain[rows, np.minimum(jg + 1, m - 1)],
                     -np.inf).astype(np.float64)
    second = second32.astype(np.float64)
    best64 = best.astype(np.float64)
    may_join = ((best64 >= cfg.min_containment - cfg.merge_reach)
                & ((left + _MARGIN >= cfg.merge_gain) | (right + _MARGIN >= cfg.merge_gain)))
    may_merge = ((second + _MARGIN >= cfg.merge_gain)
                 & (best64 + second + _MARGIN >= cfg.min_containment))
    dice_ok = k.dice[rows, jg] >= cfg.min_dice
    totals32 = totals32[:, None]

    def weak_at(j: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        c_out = k.contain_out[rows, j]
        return c_out < out_cut, c_out * totals32 < cfg.min_outside_weight

    weak_j, thin_j = weak_at(jg)
    weak_c, thin_c = weak_at(jc)
    cov_ok = cov_best >= cfg.min_covered
    tries = (may_join | ((best64 >= cfg.min_containment) & dice_ok)
             | (best64 >= cfg.fragment_containment)
             | (may_merge & (best64 >= cfg.min_containment - cfg.merge_reach)) | cov_ok)
    heavy = np.frombuffer(skip, dtype=np.uint8)[:, None] == 0
    pairs = np.argwhere(live & tries & heavy)
    if not len(pairs):
        return []
    pi, pd = pairs[:, 0], pairs[:, 1]
    return list(zip(pi.tolist(), docs[pd].tolist(), at[pd].tolist(), (jg - lo)[pi, pd].tolist(),
                best64[pi, pd].tolist(), may_join[pi, pd].tolist(),
                may_merge[pi, pd].tolist(), dice_ok[pi, pd].tolist(), weak_j[pi, pd].tolist(),
                thin_j[pi, pd].tolist(), cov_ok[pi, pd].tolist(), (jc - lo)[pi, pd].tolist(),
                cov_best[pi, pd].astype(np.float64).tolist(), weak_c[pi, pd].tolist(),
                thin_c[pi, pd].tolist(), strict=True))


def _weigh(i: int, k: Kernel, rows: list[int], idf: np.ndarray,
           cfg: AlignConfig) -> tuple[float, float, int]:
    """The rarity-weighted weight of the words sentence i shares with ``rows``, of those that
    are not names, and the number of names among them."""
    # One row (the common case) is its own maximum: the copy is not needed.
    b = k.b[rows[0]] if len(rows) == 1 else k.b[rows].max(axis=0)
    shared = k.a_out[i] * (b > 0)  # quoted words are shared by every report
    # a name on either side ("National ..." opening a sentence is a name in the source)
    is_name = (shared >= cfg.name_weight) | ((shared > 0) & (b >= cfg.name_weight))
    rare = float(shared @ idf)
    return rare, rare - float(shared[is_name] @ idf[is_name]), int(np.count_nonzero(is_name))


def _join(i: int, k: Kernel, lo: int, j: int, best: float, others: list[int],
          quote_only: bool, d: int, cfg: AlignConfig) -> _Match | None:
    """Row j joined with the piece of its sentence in ``others`` that adds most, when the two
    match sentence i as one sentence would (``min_containment``, ``min_dice``), explain
    ``merge_gain`` more of it than row j alone and fit its length better (Dice): a suspect
    sentence as short as one piece keeps that piece."""
    found: _Match | None = None
    for other in others:
        union = k.union_containment(i, [lo + j, lo + other])
        if union < cfg.min_containment or union - best < cfg.merge_gain:
            continue
        dice = k.union_dice(i, [lo + j, lo + other])
        if (dice >= cfg.min_dice and dice > k.dice[i, lo + j]
                and (found is None or union > found.score)):
            found = _Match(d, sorted((j, other)), union, quote_only, joined=True)
    return found


def _merge(i: int, k: Kernel, seg: np.ndarray, lo: int, best: float, quote_only: bool,
           d: int, cfg: AlignConfig) -> _Match | None:
    """A merge when two nearby source sentences explain sentence i much better than one:
    adjacent, or up to ``merge_max_gap`` rows apart when the second explains at least
    ``merge_min_part`` of it alone (a rewrite fusing two sentences of one paragraph)."""
    # (ties decide the sort's order: then the sort itself)
    top = _top_two_c(seg) if _top_two_c is not None else None
    order = top if top is not None else np.argsort(-seg)[:2]
    if len(order) < 2:
        return None
    gap = abs(int(order[0]) - int(order[1]))
    if gap == 1 or (gap <= cfg.merge_max_gap and seg[order[1]] >= cfg.merge_min_part):
        rows = [int(order[0]), int(order[1])]
        union = k.union_containment(i, [lo + r for r in rows])
        if union >= cfg.min_containment and union - best >= cfg.merge_gain:
            return _Match(d, rows, union, quote_only)
    return None


def _short_line(cand: Candidate, row: int, min_words: int) -> bool:
    """Whether source sentence ``row`` is a line of its own shorter than ``min_words`` words:
    the shape of page furniture (a photo caption, a byline, a date line), not of body text."""
    text, span = cand.doc.text, cand.sentences[row].span
    before = text.rfind("\n", 0, span.start) + 1
    after = text.find("\n", span.end)
    return (not text[before:span.start].strip()
            and not text[span.end:after if after >= 0 else len(text)].strip()
            and len(cand.sentences[row].text.split()) < min_words)


def _accept(matches: list[dict[int, _Match]], s_bags: list[SentenceBag],
            cfg: AlignConfig,
            short_line: Callable[[int, int], bool] | None = None, *,
            borrows: bool = False,
            template: Callable[[int, int, list[int]], bool] | None = None) -> dict[int, int]:
    """Candidates with enough independent evidence, mapped to their support counts.

    ``short_line(d, row)`` says whether row ``row`` of candidate ``d`` is a short line of its
    own (see :func:`_short_line`); such a line never names an extra source. ``borrows``: the
    page borrows on evidence outside its body (its headline), as when a source is accepted.
    ``template(i, d, rows)`` says whether sentence i differs from those rows of candidate d
    only in a date (a series' formula, see :mod:`unspun.align.template`); such a match is
    no evidence at all: it neither supports nor names a source.
    """
    support: dict[int, int] = {}
    strong: set[int] = set()
    extra: set[int] = set()  # named by one sentence, on a page that borrows elsewhere
    # The template check (the costliest) comes last: only for a match that counts.
    for i, per_doc in enumerate(matches):
        words = s_bags[i].words
        for d, m in per_doc.items():
            if m.quote_only:
                continue
            if m.merge:  # a merge never supports a source, but a near-exact one names it
                if (m.score >= cfg.strong_score and words >= cfg.strong_single_words
                        and not (template is not None and template(i, d, m.rows))):
                    strong.add(d)
                continue
            # A source sentence found whole inside a longer suspect one (which a caption or a
            # byline can be) and a clause of a much longer source sentence support nothing
            # and never name a source alone; either may name one more.
            part = m.covered or m.fragment
            supports = m.score >= cfg.support_score and not m.fragment
            names = not part and (
                (m.score >= cfg.strong_score and words >= cfg.strong_single_words)
                or (m.rare_at_least(cfg.strong_rare_weight) and words >= cfg.strong_min_words
                    and (m.names >= cfg.strong_names or words >= cfg.strong_rare_words)
                    and (m.score >= cfg.support_score
                         or m.plain_at_least(cfg.strong_plain_weight))))
            more = (not names and _extra(m, words, cfg)
                    and not (short_line and short_line(d, m.rows[0])))
            if not (supports or names or more) or (template is not None
                                                    and template(i, d, m.rows)):
                continue
            if supports:
                support[d] = support.get(d, 0) + 1
            if names:
                strong.add(d)
            elif more:
                extra.add(d)
    accepted = {d: support.get(d, 0) for d in support.keys() | strong
                if support.get(d, 0) >= cfg.min_doc_sentences or d in strong}
    if accepted or borrows:  # on a page that borrows elsewhere, not on a page of its own
        accepted.update((d, support.get(d, 0)) for d in extra - accepted.keys())
    return accepted


def _extra(m: _Match, words: int, cfg: AlignConfig) -> bool:
    """One sentence with rare words that are not only names: enough for one more source.

    It names a source only on a page where another source was accepted on stronger evidence:
    one formula shared by two independent reports ("The first half ended 1-1 on the
    scoreboard.") is no borrowing, one more sentence on a page stitched from many stories is.
    A sentence under ``extra_short_words`` words matched loosely (under ``extra_short_score``,
    a clause or a rewrite) needs ``extra_short_rare_weight``: "Their study was published
    Wednesday in Nature." shares a formula with "The study was published in journal Nature
    Climate Change yesterday.", not a borrowing.
    """
    return (words >= cfg.extra_min_words and m.rare_at_least(cfg.extra_rare_weight)
            and m.plain_at_least(cfg.extra_plain_weight)
            and (words >= cfg.extra_short_words or m.score >= cfg.extra_short_score
                 or m.rare_at_least(cfg.extra_short_rare_weight)))


def _choose(per_doc: dict[int, _Match], accepted: dict[int, int],
            cfg: AlignConfig) -> _Match | None:
    """The best match among accepted candidates; more support breaks near-ties.

    The source was accepted on other sentences, so a weak merge with it is as likely a
    same-topic sentence as a borrowing: below ``support_score`` a merge must share plain words
    (not names) weighing ``strong_plain_weight``, unless it is mostly quotation (which
    ``quote_context`` governs).
    """
    best: _Match | None = None
    best_key = -1.0
    for d, m in per_doc.items():
        n = accepted.get(d)
        if n is None or (m.quote_only and n < cfg.quote_context):
            continue
        if (m.merge and m.score < cfg.support_score and not m.quote_only
                and not m.plain_at_least(cfg.strong_plain_weight)):
            continue
        key = m.score + cfg.support_tiebreak * math.log1p(n)
        if key > best_key:
            best, best_key = m, key
    return best


def _mark_splits(traces: list[SentenceTrace]) -> None:
    """Consecutive suspect sentences aligned to one source sentence came from a split."""
    for prev, cur in zip(traces, traces[1:], strict=False):
        a, b = prev.alignment, cur.alignment
        if a and b and a.source_id == b.source_id and a.source == b.source and a.kind != "merge":
            a.kind = b.kind = "split"
