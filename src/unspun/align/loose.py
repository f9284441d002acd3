"""Loose alignment for heavily obfuscated reuse: rarity-weighted overlap, confirmed by runs.

Shuffled, machine-translated or heavily spun passages keep too few of their words for the
strict aligner, yet they still share more *rare* words with their source than independent
text on the same topic does. Here each word is weighted by its rarity among the sentences of
the two documents (a local inverse document frequency, so topic words that fill both texts
count little), and a suspect sentence counts only as part of a run: two neighbouring suspect
sentences matching neighbouring source sentences, or one long sentence matching strongly.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from unspun.align.passages import passages
from unspun.align.vectors import SentenceBag, SourceSide, kernel
from unspun.config import LooseConfig, PassageConfig
from unspun.data import Alignment, Document, Sentence, SentenceTrace, Span


def _rarity_scores(s_bags: list[SentenceBag], r_bags: list[SentenceBag] | SourceSide
                   ) -> tuple[np.ndarray, np.ndarray]:
    """Rarity-weighted containment and Dice, ``[i, j]`` for suspect i and source j."""
    k = kernel(s_bags, r_bags)
    present_b = (k.b > 0).astype(np.float32)
    df = present_b.sum(axis=0) + (k.a > 0).sum(axis=0)
    n = len(k.a) + len(k.b)  # sentences of both
    idf = np.log((n + 1) / (df + 1)).astype(np.float32)
    a = k.a * idf[None, :]
    matched = a @ present_b.T
    a_tot = a.sum(axis=1)[:, None]
    # Source words outside the suspect's vocabulary are as rare as a word can be here.
    b_tot = (k.b * idf[None, :]).sum(axis=1) + (k.b_tot - k.b.sum(axis=1)) * np.log(n + 1)
    with np.errstate(divide="ignore", invalid="ignore"):
        contain = np.where(a_tot > 0, matched / a_tot, 0.0)
        dice = np.where(a_tot + b_tot[None, :] > 0, 2 * matched / (a_tot + b_tot[None, :]), 0.0)
    return contain, dice


def loose_align(sentences: list[Sentence], s_bags: list[SentenceBag], source_id: str,
                r_sentences: Sequence[Sentence], r_bags: list[SentenceBag] | SourceSide,
                config: LooseConfig) -> list[SentenceTrace]:
    """Align suspect sentences that belong to a run of obfuscated reuse from one source.

    Args:
        sentences: The suspect's sentences, with ``s_bags`` their bags.
        source_id: The source document's id.
        r_sentences: The source's sentences, with ``r_bags`` their bags (or only the source
            half of the kernel that they make, which is all this needs of them).
        config: Thresholds for run members and for single strong sentences.

    Returns:
        One trace per suspect sentence; only run members carry an alignment.
    """
    traces = [SentenceTrace(s) for s in sentences]
    if not sentences or not r_sentences:
        return traces
    contain, dice = _rarity_scores(s_bags, r_bags)
    weight = np.array([b.total for b in s_bags])
    best = np.where(weight >= config.min_weight, contain.max(axis=1), 0.0)
    arg = contain.argmax(axis=1)
    best_dice = dice[np.arange(len(sentences)), arg]
    member = (best >= config.min_containment) & (best_dice >= config.min_dice)
    strong = ((best >= config.strong_containment) & (best_dice >= config.strong_dice)
              & (weight >= config.strong_weight))
    keep = strong.copy()
    hits = np.flatnonzero(member)
    for a, b in zip(hits, hits[1:], strict=False):
        if b - a <= config.max_gap + 1 and abs(int(arg[b]) - int(arg[a])) <= config.max_jump:
            keep[a] = keep[b] = True
    for i in np.flatnonzero(keep):
        j = int(arg[i])
        traces[i].alignment = Alignment(sentences[i].span, source_id,
                                        Span(r_sentences[j].span.start, r_sentences[j].span.end),
                                        float(best[i]), "sentence")
        traces[i].order = j
    return traces


def loose_passages(suspect_text: str, source: Document, traces: list[SentenceTrace],
                   config: PassageConfig) -> list[Alignment]:
    """The runs of :func:`loose_align`'s ``traces`` as passages (the fallback of
    ``unspun align``, and what makes a reworded pair in ``scan``): sentence edges, since few
    tokens match in order in obfuscated text; shorter than ``config.loose_min_chars`` dropped.
    """
    return passages(suspect_text, source.text, source.id, traces, config=config,
                    min_chars=config.loose_min_chars, fit=False)
