"""Judge: give a traced article one verdict, with its confidence and evidence."""

from __future__ import annotations

from unspun.data import TraceResult, Verdict


def judge(result: TraceResult) -> Verdict:
    """STUB (issue 5 replaces this): a verdict from the traced share alone."""
    share = result.traced_share
    return Verdict("original" if share < 0.2 else "partial-reuse", 0.5, {"traced_share": share})
