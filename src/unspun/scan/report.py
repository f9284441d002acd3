"""The self-contained scan report: the site graph, the per-site table and a browsable cluster
list that links every pair to its side-by-side view. All article text is escaped."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from typing import Any

from unspun.scan.graph import SiteEdge
from unspun.scan.records import Pair, Prepared
from unspun.scan.stages import Results
from unspun.scan.svg import site_svg

#: Most pairs given a side-by-side view (the pairs table has them all).
MAX_VIEWS = 400
_CSS = """body{font:14px/1.45 system-ui,sans-serif;margin:2em auto;max-width:1100px;color:#222}
table{border-collapse:collapse;margin:1em 0}td,th{border-bottom:1px solid #ddd;padding:3px 8px;
text-align:left;vertical-align:top}th{background:#f4f4f4}.num{text-align:right}
.side{display:grid;grid-template-columns:1fr 1fr;gap:8px}.side div{background:#fafafa;
padding:4px 8px;border-left:3px solid #ccc}.quote{border-color:#d9a400!important}
details{margin:.4em 0}summary{cursor:pointer}.muted{color:#777}h3{margin-top:1.6em}"""


def _e(value: object) -> str:
    return escape("" if value is None else str(value))


def _doc_label(d: Prepared) -> str:
    title = d.doc.title or (d.sentences[0].text[:80] if d.sentences else d.doc.id)
    return f"{_e(d.doc.id)} <span class=muted>({_e(d.site)}, {_e(d.doc.date or 'no date')})" \
           f"</span> {_e(title)}"


def _site_table(rows: Sequence[dict[str, Any]]) -> str:
    head = ("site", "articles", "copies", "share copied", "share spun", "altered quotes",
            "originals", "top sources", "median delay (days)")
    out = ["<table><tr>" + "".join(f"<th>{h}</th>" for h in head) + "</tr>"]
    for r in rows:
        sources = ", ".join(f"{_e(s['site'])} ({s['copies']})" for s in r["top_sources"])
        out.append(
            f"<tr><td>{_e(r['site'])}</td><td class=num>{r['articles']}</td>"
            f"<td class=num>{r['copies']}</td><td class=num>{r['share_copied']:.0%}</td>"
            f"<td class=num>{r['share_spun']:.0%}</td><td class=num>{r['altered_quotes']}</td>"
            f"<td class=num>{r['originals']}</td><td>{sources}</td>"
            f"<td class=num>{_e(r['median_delay_days'])}</td></tr>")
    out.append("</table>")
    return "".join(out)


def _pair_id(p: Pair) -> str:
    return f"pair-{p.a}-{p.b}"


def _cluster_list(docs: Sequence[Prepared], res: Results, viewed: set[tuple[int, int]]) -> str:
    by_cluster: dict[int, list[Pair]] = {}
    for p in res.pairs:
        if p.relation == "copy":
            by_cluster.setdefault(res.cluster_of[p.a], []).append(p)
    out = []
    for c, members in enumerate(res.clusters):
        root = next(m for m in members if res.links[m].parent is None)
        out.append(f"<details id=cluster-{c}><summary>Cluster {c}: {len(members)} documents, "
                   f"earliest {_doc_label(docs[root])}</summary><ul>")
        for m in members:
            link = res.links[m]
            parent = "" if link.parent is None else f" \u2190 copy of {_e(docs[link.parent].doc.id)}"
            out.append(f"<li>{_doc_label(docs[m])}{parent} <span class=muted>"
                       f"{_e(link.reason)}</span></li>")
        out.append("</ul><p>Pairs: ")
        links = []
        ids = {m: _e(docs[m].doc.id) for m in members}  # each once, not once per pair
        for p in by_cluster.get(c, []):
            label = f"{ids[p.a]} \u2194 {ids[p.b]}"
            links.append(f'<a href="#{_pair_id(p)}">{label}</a>' if (p.a, p.b) in viewed
                         else label)
        out.append(", ".join(links) + "</p></details>")
    return "".join(out)


def _pair_view(docs: Sequence[Prepared], p: Pair) -> str:
    a, b = docs[p.a], docs[p.b]
    rows = []
    for x in p.passages:
        cls = " class=quote" if x.quote else ""
        rows.append(f"<div{cls}>{_e(a.doc.text[x.a_start:x.a_end])}</div>"
                    f"<div{cls}>{_e(b.doc.text[x.b_start:x.b_end])}</div>")
    subs = ", ".join(f"{_e(s[2])} / {_e(s[3])}" for s in p.substitutions[:30])
    return (f"<section id={_pair_id(p)}><h3>{_e(a.doc.id)} \u2194 {_e(b.doc.id)}</h3>"
            f"<p>{_doc_label(a)}<br>{_doc_label(b)}<br>{p.relation}; shares "
            f"{p.share_a:.0%} / {p.share_b:.0%}; {p.body} body and {p.quotes} quote matches; "
            f"{p.spin} swaps{'; ' + subs if subs else ''}; {p.altered_quotes} altered quotes</p>"
            f"<div class=side>{''.join(rows)}</div></section>")


def render_report(docs: Sequence[Prepared], res: Results, site_rows: Sequence[dict[str, Any]],
                  edges: Sequence[SiteEdge], stats: dict[str, Any]) -> str:
    """The whole report as one HTML page with no external resources.

    Args:
        docs: Every prepared document, indexed by docno.
        res: Pairs, clusters and lineage.
        site_rows: The sites table.
        edges: The site graph's edges.
        stats: Run counts shown at the top.

    Returns:
        The HTML text.
    """
    copies = [p for p in res.pairs if p.relation == "copy"]
    viewed = copies[:MAX_VIEWS]
    keys = {(p.a, p.b) for p in viewed}
    more = len(copies) - len(viewed)
    return "".join([
        "<!doctype html><html lang=en><head><meta charset=utf-8><title>unspun scan</title>",
        f"<style>{_CSS}</style></head><body><h1>unspun scan</h1>",
        f"<p>{stats['documents']} documents ({stats['skipped']} skipped), "
        f"{stats['copies']} copy pairs, {stats['quote_sharing']} quote-sharing pairs, "
        f"{stats.get('reworded', 0)} reworded pairs, {stats['clusters']} clusters.</p>",
        "<h2>Who copies whom</h2><p class=muted>An arrow runs from the site copied to the site "
        "copying; wider arrows carry more copies, dashed ones mostly spun copies; redder sites "
        "copy more of what they publish.</p>", site_svg(site_rows, edges),
        "<h2>Sites</h2>", _site_table(site_rows),
        "<h2>Clusters</h2>", _cluster_list(docs, res, keys),
        "<h2>Pairs side by side</h2>",
        f"<p class=muted>{more} more copy pairs are in pairs.jsonl.</p>" if more > 0 else "",
        "".join(_pair_view(docs, p) for p in viewed),
        "</body></html>",
    ])
