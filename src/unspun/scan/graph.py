"""The who-copies-whom site graph: edges from source site to copying site, GEXF and GraphML."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from unspun.errors import require
from unspun.scan.records import Prepared
from unspun.scan.stages import Results


@dataclass(slots=True)
class SiteEdge:
    """Copies ``target`` took from ``source`` (site names), and how many were spun."""

    source: str
    target: str
    copies: int
    spun: int

    @property
    def share_spun(self) -> float:
        return self.spun / self.copies if self.copies else 0.0


def site_edges(docs: Sequence[Prepared], results: Results) -> list[SiteEdge]:
    """One edge per (parent site, copy site), from each copy's lineage parent, largest first."""
    edges: dict[tuple[str, str], SiteEdge] = {}
    for docno, link in results.links.items():
        if link.parent is None:
            continue
        key = (docs[link.parent].site, docs[docno].site)
        edge = edges.setdefault(key, SiteEdge(key[0], key[1], 0, 0))
        edge.copies += 1
        edge.spun += results.parent_pairs[docno].spin > 0
    return sorted(edges.values(), key=lambda e: (-e.copies, e.source, e.target))


def write_graph(out: Path, site_rows: list[dict[str, object]], edges: list[SiteEdge]) -> None:
    """Write ``graph.gexf`` and ``graph.graphml`` (needs the ``graph`` extra: networkx).

    Raises:
        MissingExtra: networkx is not installed.
    """
    require("networkx", "graph")
    import networkx as nx

    g = nx.DiGraph()
    for row in site_rows:
        g.add_node(str(row["site"]), label=str(row["site"]), articles=int(str(row["articles"])),
                   share_copied=float(str(row["share_copied"])),
                   share_spun=float(str(row["share_spun"])))
    for e in edges:
        g.add_edge(e.source, e.target, weight=e.copies, copies=e.copies, spun=e.spun,
                   share_spun=round(e.share_spun, 4))
    for name, writer in (("graph.gexf", nx.write_gexf), ("graph.graphml", nx.write_graphml)):
        tmp = out / f"{name}.tmp"
        writer(g, tmp)
        tmp.replace(out / name)
