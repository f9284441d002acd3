"""Scan: find reuse across a whole corpus: pairs, clusters, lineage, site scores and a graph."""

from __future__ import annotations

from unspun.scan.config import ScanConfig
from unspun.scan.run import ScanInputs, ScanRun, scan_local

__all__ = ["ScanConfig", "ScanInputs", "ScanRun", "scan_local"]
