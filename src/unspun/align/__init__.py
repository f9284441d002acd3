"""Align: map suspect sentences to source spans, and sentence runs to passages."""

from unspun.align.aligner import Candidate, align_sentences

__all__ = ["Candidate", "align_sentences"]
