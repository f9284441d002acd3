"""Every threshold the judge uses, in one place (documented in docs/explain.md).

Tuned on the tune half of the generated benchmarks (``unspun bench make --split tune``, wire
and farm modes); the gate runs on the test half.
"""

from __future__ import annotations

#: Below this traced share, with no headline taken, an article is ``original``.
ORIGINAL_MAX_TRACED = 0.05
#: Fewer aligned sentences than this (with under ``SINGLE_SENTENCE_MAX_TRACED`` traced) is
#: partial reuse at most, with low confidence: one shared sentence is weak evidence of copying.
MIN_REUSED_SENTENCES = 2
#: ...unless that one sentence is most of a very short article.
SINGLE_SENTENCE_MAX_TRACED = 0.5
#: A source counts towards stitching when it supplies at least this share of the text.
STITCH_MIN_SHARE = 0.15
#: Smallest share of a minor source counted in the "together" rule below.
MINOR_SOURCE_SHARE = 0.03
#: Several sources that together supply this share (none dominant) make a stitched aggregate;
#: sentences quoted from a source count towards it.
STITCH_TOGETHER_SHARE = 0.5
#: ...when there are at least this many of them.
STITCH_MIN_SOURCES = 3
#: One source supplying this share (and the article traced this much) makes a copy.
COPY_MIN_SHARE = 0.6
#: Spin rate (synonym edits per aligned content word) from which a copy is spun...
SPUN_MIN_RATE = 0.01
#: ...with at least this many synonym swaps (a dozen words over a whole copy is real spin).
SPUN_MIN_EDITS = 3
#: Built-in spin signals (official long forms, broken fixed expressions) per 100 content words
#: from which a page with no source found is of unknown provenance, not original.
UNKNOWN_MIN_SIGNALS = 2
