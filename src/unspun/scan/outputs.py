"""Write every output of a scan: the tables, the site graph and the HTML report."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from unspun.scan.graph import site_edges, write_graph
from unspun.scan.records import Prepared
from unspun.scan.report import render_report
from unspun.scan.sites import site_rows
from unspun.scan.stages import Results
from unspun.scan.tables import (
    document_row,
    lineage_row,
    pair_row,
    write_table,
    write_table_batches,
)

#: Rows of the pairs and documents tables built at a time (see :func:`write_table_batches`).
ROWS = 10_000


def _has(module: str) -> bool:
    import importlib.util

    return importlib.util.find_spec(module) is not None


def write_outputs(out: Path, docs: Sequence[Prepared], res: Results, stats: dict[str, Any], *,
                  parquet: bool) -> list[str]:
    """Write the tables (JSONL, and Parquet when asked and pyarrow is installed), the graph
    (when networkx is installed), ``report.html`` and ``scan.json``.

    Returns:
        Notes about outputs left out for a missing extra.
    """
    notes = []
    if parquet and not _has("pyarrow"):
        parquet = False
        notes.append("Parquet tables skipped: pip install 'unspun[parquet]'")
    ids = [d.doc.id for d in docs]
    sites = site_rows(docs, res.links, res.parent_pairs)
    tables = {
        "clusters": [{"cluster": c, "size": len(m), "earliest": _root(res, m),
                      "earliest_id": ids[_root(res, m)], "members": m,
                      "member_ids": [ids[x] for x in m],
                      "sites": sorted({docs[x].site for x in m})}
                     for c, m in enumerate(res.clusters)],
        "lineage": [lineage_row(res.links[m], ids) for members in res.clusters for m in members],
        "sites": sites,
    }
    for name, rows in tables.items():
        write_table(out, name, rows, parquet=parquet)
    del tables
    write_table_batches(out, "documents", (
        [document_row(d, res.cluster_of.get(d.docno)) for d in docs[i : i + ROWS]]
        for i in range(0, len(docs), ROWS)), parquet=parquet)
    write_table_batches(out, "pairs", (
        [pair_row(p, ids, res.cluster_of.get(p.a), res.sources.get((p.a, p.b)))
         for p in res.pairs[i : i + ROWS]]
        for i in range(0, len(res.pairs), ROWS)), parquet=parquet)
    edges = site_edges(docs, res)
    if _has("networkx"):
        write_graph(out, sites, edges)
    else:
        notes.append("graph.gexf/graph.graphml skipped: pip install 'unspun[graph]'")
    (out / "report.html").write_text(render_report(docs, res, sites, edges, stats),
                                     encoding="utf-8")
    (out / "scan.json").write_text(json.dumps({**stats, "notes": notes}, indent=2),
                                   encoding="utf-8")
    return notes


def _root(res: Results, members: list[int]) -> int:
    return next(m for m in members if res.links[m].parent is None)
