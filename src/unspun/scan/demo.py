"""The demo's scan: a small bundled syndication corpus, scanned into a site-graph report.

The corpus (``resources/demo/scan_corpus.jsonl.gz``, 68 pages) was made once with
``unspun bench make --mode corpus --stories 6 --seed 0`` from the bundled Wikinews sample
(CC BY 2.5, modified); it is bundled so the demo never runs the benchmark generator.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from unspun.scan.run import ScanInputs, ScanRun, scan_local

DEMO_CORPUS = "scan_corpus.jsonl.gz"


def run_demo_scan(out: Path) -> ScanRun:
    """Copy the bundled corpus to ``out/scan_corpus.jsonl.gz`` and scan it into ``out/scan``.

    A second run reuses both (the scan is resumed, so nothing is redone).
    """
    corpus = out / DEMO_CORPUS
    if not corpus.exists():
        out.mkdir(parents=True, exist_ok=True)
        corpus.write_bytes(resources.files("unspun.resources.demo").joinpath(DEMO_CORPUS)
                           .read_bytes())
    return scan_local(ScanInputs([str(corpus)], out / "scan", parquet=False,
                                 show_progress=False), resume=True)
