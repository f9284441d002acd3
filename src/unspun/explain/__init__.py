"""Explain: label every change between aligned sentences, check quotes, mine spinner pairs."""

from __future__ import annotations

from unspun.data import Alignment, Edit, QuoteFinding, TraceResult


def explain_alignment(suspect_text: str, source_text: str, alignment: Alignment) -> list[Edit]:
    """STUB (issue 5 replaces this): the token-level edit script of one aligned pair.

    ``alignment.suspect`` and ``alignment.source`` are spans into ``suspect_text`` and
    ``source_text``; every returned edit's spans point into those same full texts.
    """
    return []


def check_quotes(result: TraceResult) -> list[QuoteFinding]:
    """STUB (issue 5 replaces this): altered quotes and changed attributions in a trace."""
    return []
