"""The knobs of a scan, recorded with its output so a run can be reproduced."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from unspun.config import AlignConfig, ExplainConfig, FingerprintConfig, LooseConfig, PassageConfig


@dataclass(frozen=True, slots=True)
class ScanConfig:
    """What counts as shared text, and what counts as a copy.

    Attributes:
        fingerprint: Gram sizes and sampling for finding candidate pairs.
        max_df: Grams found in more documents than this are ignored (boilerplate, stock
            phrases); a wire story carried by more sites than this is still found through
            its rarer grams.
        min_grams: Two documents become a candidate pair when they share at least this many
            distinct sampled grams (in any sentences; ``trace`` retrieves a source on
            ``RetrievalConfig.min_hits`` = 3 of its unsampled grams). Set on PAN-13's listed
            pairs (2026-12-04): 2 reaches every no-obfuscation pair, including the short
            one-sentence borrowings that the earlier rule (two sentences sharing a gram) missed,
            with fewer candidate pairs (34,207 against 40,796).
        narrow_max_df: ... but when the grams two documents share all lie in one sentence
            of either one (one common sentence: quote-sharing at most, by ``min_body``), they
            are a candidate pair only if one of those grams is held by at most this many
            documents (0: no such rule). A sentence carried by more pages is a common sentence
            (a widely quoted line, a stock phrase): listing every pair of its pages adds no
            copy and, on a corpus where every sentence recurs about 20 times, made 13 times
            the candidates (1,276,550 against 98,594 on the dense 10k corpus, 2026-12-04).
        narrow_min_grams: ... and they share at least this many grams (``min_grams``
            or fewer: no such rule). Two rewordings of one sentence (the same words in
            another order: two reports paraphrasing one statement) share a couple of short
            grams by chance, and the sentence aligner, which matches bags of words, then
            pairs them; a sentence copied in order keeps most of its grams. Set 2026-12-05
            on the planted 10k and 100k corpora against make_synth's ``--share-gold``
            (pairs of common origin), gated on PAN-13 through ``scan`` and the syndication
            bench: 3 drops 90,174 of 387,721 candidates at 100k (1,501 of 27,627 at 10k),
            of which 70,234 listed pairs sharing no text and 15,406 that aligned nothing,
            against 5,178 sibling pairs sharing one sentence; no reuser-source pair of the
            planted gold (docs/quality.md, "One-sentence pairs need three grams")...
        narrow_words: ... unless the two share at least this many distinct content words
            held by at most ``max_df`` documents: more than one sentence holds, so they
            share more than a sentence (on PAN-13, 50 listed pairs of random, translation and
            summary obfuscation share grams in one sentence only, 35 of them found; each of
            those shares at least 10 such words, while the planted corpora's chance pairs
            share a median of 4 at 10k). Set 2026-12-05 with PAN-13 in sight (in-sample).
        word_max_df: The second candidate tier, for reworded text (shuffled, translated,
            spun) that keeps few whole grams: content words held by at most this many
            documents...
        min_words: ... of which two documents share at least this many distinct ones...
        word_share: ... and at least this share of the smaller document's such words (0: no
            share asked), are a candidate pair too (``min_words`` 0: no second tier). Set on
            PAN-13's listed pairs and the planted 10k corpus (2026-12-04, in-sample): 10, 3
            and no share add 7,886 candidate pairs to the gram tier's 34,207 on PAN-13 and
            reach 594 of 625 random and 530 of 614 translation pairs (540 and 464 by grams
            alone), and add none on the planted corpus. 50, 3 and 0.1 reach 614 / 595 with
            19,588 more on PAN-13, but add 343,153 to the planted corpus's 29,025.
        sentence_max_df: The third candidate tier (``unspun.scan.sentence_tier``), for
            reworded passages whose sentences keep a few rare words each: two sentences are
            related when they share at least ``sentence_words`` distinct content words held
            by 2 to this many documents...
        sentence_words: ... (see ``sentence_max_df``), and two documents are a candidate
            pair when at least ``min_sentences`` sentences of each are related to the
            other's...
        min_sentences: ... (0: no third tier)...
        sentence_share: ... and they are at least this share of the sentences of the
            document with fewer.
        align: Thresholds of the sentence aligner. Every matching sentence is aligned (one
            is enough, quotes included) and ``min_body`` decides what is a copy, so the
            aligner's own "enough evidence" rules are relaxed here.
        loose: The loose aligner (rarity-weighted runs) that ``unspun align`` falls back on
            when the strict aligner finds nothing; the scan does the same for a candidate
            pair, and a pair only it relates is "reworded", never a copy (clusters, lineage
            and sites read copies only). Thresholds as in ``trace`` (set on PAN-13).
        passages: How the loose aligner's runs become passages, as in ``unspun align``
            (``loose_fallback`` off: no reworded pairs).
        min_body: A pair is a copy when at least this many aligned sentences rest on words
            outside quotes; fewer (one common sentence, or quotes only) is quote-sharing.
        join_overlap: Several sentences of one document aligned with one sentence of the
            other count as several only when each keeps words of it that the others do not
            (at most this share of its kept characters already kept by another: the copier
            joined them); else once (they share a phrase: "signatory to the Nuclear
            Non-Proliferation Treaty"). Set by hand (2026-12-04) from one joined pair of the
            planted synthetic corpus and the false pairs of corpus seed 11 (in-sample for both).
        quote_share: A sentence with at least this share of its characters inside quote
            marks is a quote (on either page of the match, with the closed quotes of the whole
            document: a quote may run over several sentences; since 2026-12-04)...
        frame_words: ... but it is copied body text when it has this many words outside
            its quotes...
        frame_share: ... and this share of them is in the aligned sentence too (the framing
            was copied with the quote). The three were set by hand (2026-12-03) on the
            syndication bench's seed 0, before its tune/test split: in-sample.
        furniture: Remove page furniture (captions, embedded posts, bylines, date lines).
        explain: How the edits of an aligned pair are labelled (as in ``trace``).
        batch: Documents per checkpointed batch.
    """

    fingerprint: FingerprintConfig = field(default_factory=lambda: FingerprintConfig(
        sample=3, skeleton_min=True, opening_n=0))
    max_df: int = 200
    min_grams: int = 2
    narrow_max_df: int = 10
    narrow_min_grams: int = 3
    narrow_words: int = 8
    word_max_df: int = 10
    min_words: int = 3
    word_share: float = 0.0
    sentence_max_df: int = 400
    sentence_words: int = 2
    min_sentences: int = 2
    sentence_share: float = 0.33
    align: AlignConfig = field(default_factory=lambda: AlignConfig(min_doc_sentences=1,
                                                                   quote_context=0))
    loose: LooseConfig = field(default_factory=LooseConfig)
    passages: PassageConfig = field(default_factory=PassageConfig)
    min_body: int = 2
    join_overlap: float = 0.5
    quote_share: float = 0.5
    frame_words: int = 3
    frame_share: float = 0.8
    furniture: bool = True
    explain: ExplainConfig = field(default_factory=ExplainConfig)
    batch: int = 2000

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)
