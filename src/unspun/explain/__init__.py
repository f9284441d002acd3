"""Explain: label every change between aligned sentences, check quotes, mine spinner pairs."""

from __future__ import annotations

from unspun.explain.edits import edit_script, explain_alignment
from unspun.explain.quote_check import check_quotes, speaker_key
from unspun.explain.quotes import extract_quotes
from unspun.explain.reorder import kendall_tau, reorder_summary
from unspun.explain.spins import SpinDictionary, SpinReport, mine_spins, spin_score

__all__ = [
    "SpinDictionary",
    "SpinReport",
    "check_quotes",
    "edit_script",
    "explain_alignment",
    "extract_quotes",
    "kendall_tau",
    "mine_spins",
    "reorder_summary",
    "speaker_key",
    "spin_score",
]
