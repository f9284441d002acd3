"""The demo's scan: a small generated syndication corpus, scanned into a site-graph report."""

from __future__ import annotations

from pathlib import Path

from unspun.scan.run import ScanInputs, ScanRun, scan_local

#: Wire stories in the demo's corpus (about 70 pages; a few seconds).
DEMO_STORIES = 8


def run_demo_scan(out: Path) -> ScanRun:
    """Generate a syndication corpus under ``out/scan-corpus`` and scan it into ``out/scan``.

    A second run reuses both (the scan is resumed, so nothing is redone).
    """
    from unspun.bench.corpus import make_corpus

    corpus = out / "scan-corpus" / "corpus.jsonl"
    if not corpus.exists():
        make_corpus(corpus.parent, seed=0, stories=DEMO_STORIES)
    return scan_local(ScanInputs([str(corpus)], out / "scan", parquet=False,
                                 show_progress=False), resume=True)
