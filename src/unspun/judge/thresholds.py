"""Every threshold the judge uses, in one place (documented in docs/explain.md).

Values were tuned on the generated content-farm benchmark (``unspun bench make``, seed 0).
"""

from __future__ import annotations

#: Below this traced share an article is ``original``.
ORIGINAL_MAX_TRACED = 0.05
#: Fewer aligned sentences than this (with under ``SINGLE_SENTENCE_MAX_TRACED`` traced) is
#: ``original`` too: one shared sentence or quote is weak evidence of copying.
MIN_REUSED_SENTENCES = 2
#: ...unless that one sentence is most of a very short article.
SINGLE_SENTENCE_MAX_TRACED = 0.5
#: A source counts towards stitching when it supplies at least this share of the text.
STITCH_MIN_SHARE = 0.15
#: Smallest share of a minor source counted in the "together" rule below.
MINOR_SOURCE_SHARE = 0.05
#: Several sources that together supply this share (none dominant) make a stitched aggregate.
STITCH_TOGETHER_SHARE = 0.6
#: One source supplying this share (and the article traced this much) makes a copy.
COPY_MIN_SHARE = 0.6
#: Spin rate (synonym edits per aligned content word) from which a copy is a spun copy.
SPUN_MIN_RATE = 0.05
