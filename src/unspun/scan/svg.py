"""Draw the site graph as an inline SVG picture: sites on a circle, arrows from source to copier."""

from __future__ import annotations

import math
from collections.abc import Sequence
from html import escape

from unspun.scan.graph import SiteEdge

#: Most sites drawn; the rest are left out of the picture (they stay in the tables).
MAX_SITES = 40
_WIDTH, _HEIGHT = 900, 640  # room for labels left and right of the circle


def _colour(share: float) -> str:
    """Green for sites that copy little, red for sites that copy everything."""
    share = min(1.0, max(0.0, share))
    return f"hsl({int(120 * (1 - share))}, 60%, 45%)"


def _radius(row: dict[str, object]) -> float:
    """A node's radius: its area grows with the site's articles, up to a cap."""
    return min(5 + 3 * math.sqrt(int(str(row.get("articles", 1)))), 22.0)


def site_svg(site_rows: Sequence[dict[str, object]], edges: Sequence[SiteEdge]) -> str:
    """The site graph as an ``<svg>`` element (sites with most edges first, at most 40).

    Node area grows with the site's articles and its colour with its share copied; an arrow
    runs from the site copied to the site copying, as wide as the number of copies and dashed
    when most of them were spun.
    """
    degree: dict[str, int] = {}
    for e in edges:
        degree[e.source] = degree.get(e.source, 0) + e.copies
        degree[e.target] = degree.get(e.target, 0) + e.copies
    rows = {str(r["site"]): r for r in site_rows}
    sites = sorted(degree, key=lambda s: (-degree[s], s))[:MAX_SITES]
    if not sites:
        return ('<svg xmlns="http://www.w3.org/2000/svg" width="320" height="40" role="img">'
                '<text x="10" y="25">No copying between sites was found.</text></svg>')
    centre, middle, radius = _WIDTH / 2, _HEIGHT / 2, _HEIGHT / 2 - 50
    pos = {}
    for i, s in enumerate(sites):
        angle = 2 * math.pi * i / len(sites) - math.pi / 2
        pos[s] = (centre + radius * math.cos(angle), middle + radius * math.sin(angle))
    most = max(e.copies for e in edges)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {_WIDTH} {_HEIGHT}" '
             f'width="{_WIDTH}" height="{_HEIGHT}" role="img" aria-label="site graph">',
             '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="9" '
             'markerHeight="9" markerUnits="userSpaceOnUse" orient="auto-start-reverse">'
             '<path d="M0,0L10,5L0,10z" fill="#555"/></marker></defs>']
    for e in edges:
        if e.source not in pos or e.target not in pos or e.source == e.target:
            continue
        (x1, y1), (x2, y2) = pos[e.source], pos[e.target]
        dx, dy = x2 - x1, y2 - y1
        length = math.hypot(dx, dy) or 1.0
        gap = _radius(rows.get(e.target, {})) + 3  # the arrow ends at the node's rim
        x2, y2 = x2 - dx / length * gap, y2 - dy / length * gap
        width = 1 + 5 * e.copies / most
        dash = ' stroke-dasharray="6 3"' if e.share_spun > 0.5 else ""
        parts.append(f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" '
                     f'stroke="#555" stroke-opacity="0.6" stroke-width="{width:.1f}"{dash} '
                     f'marker-end="url(#arrow)"><title>{escape(e.source)} \u2192 '
                     f'{escape(e.target)}: {e.copies} copies, {e.spun} spun</title></line>')
    for s in sites:
        x, y = pos[s]
        row = rows.get(s, {})
        articles = int(str(row.get("articles", 1)))
        share = float(str(row.get("share_copied", 0.0)))
        r = _radius(row)
        anchor = "start" if x >= centre else "end"
        tx = x + (r + 4 if x >= centre else -r - 4)
        parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}" '
                     f'fill="{_colour(share)}"><title>{escape(s)}: {articles} articles, '
                     f'{share:.0%} copied</title></circle>'
                     f'<text x="{tx:.1f}" y="{y + 4:.1f}" font-size="11" '
                     f'text-anchor="{anchor}">{escape(s)}</text>')
    parts.append("</svg>")
    return "".join(parts)
