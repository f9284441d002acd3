"""Plot the measured cost curve of the index (10k .. 2M articles) and project it to 10M and 100M.

Input: one JSON object per index size, ``{"articles": N, "measures": {name: value}}``, in a
JSON list (assembled from ``index_build.py``, ``trace_latency.py`` and ``index_incremental.py``
results; see docs/performance.md; other keys of an object, such as ``"code"``, are notes
the script ignores). Each measure is projected by a power law through its two
largest sizes (``value = a * N**b``, ``b`` at least 0), which is how a cost that is linear in
the index (build time, disk) or flat (trace RSS with a bounded mapping budget) extrapolates. Writes a small
SVG (no plotting library needed) and prints the projections as JSON.

    .venv/bin/python benchmarks/cost_curve.py --data docs/img/cost-curve.json \\
        --svg docs/img/cost-curve.svg
"""

from __future__ import annotations

import argparse
import json
import math
from pathlib import Path
from typing import Any

PANELS = [  # (title, [(measure, label)])
    ("Build (CPU seconds)", [("build_cpu_s", "build incl. merges")]),
    ("Disk (MB)", [("postings_mb", "postings"), ("disk_mb", "whole index")]),
    ("Peak RSS (MB)", [("build_rss_mb", "build + final merge"),
                             ("trace_rss_mb", "tracer")]),
    ("Trace CPU (ms)", [("trace_cpu_p50_ms", "p50"), ("trace_cpu_p99_ms", "p99"),
                              ("retrieval_cpu_p50_ms", "retrieval p50")]),
]
TARGETS = (10_000_000, 100_000_000)
_COLOURS = ("#1f77b4", "#d62728", "#2ca02c")


def project(points: list[tuple[int, float]], n: int) -> float | None:
    """``a * n**b`` through the two largest measured sizes, ``b >= 0`` (None with fewer than
    two): a measure that fell from the second size to the largest (the 100k trace ran on ten
    unmerged segments, the 1M one on one) is projected flat."""
    pts = sorted(p for p in points if p[1] > 0)
    if len(pts) < 2:
        return None
    (n1, v1), (n2, v2) = pts[-2:]
    b = max(0.0, math.log(v2 / v1) / math.log(n2 / n1))  # no cost is projected to shrink
    return v2 * (n / n2) ** b


def _svg(data: list[dict[str, Any]]) -> str:
    w, h, pad = 330, 230, 48
    xs = [d["articles"] for d in data] + list(TARGETS)
    x_lo, x_hi = math.log10(min(xs)), math.log10(max(xs))
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{2 * w}" height="{2 * h}" '
           'font-family="sans-serif" font-size="10">',
           '<rect width="100%" height="100%" fill="white"/>']
    for i, (title, series) in enumerate(PANELS):
        ox, oy = (i % 2) * w, (i // 2) * h
        values = [v for name, _ in series for d in data
                  if (v := d["measures"].get(name)) is not None and v > 0]
        proj = [p for name, _ in series for n in TARGETS
                if (p := project([(d["articles"], d["measures"][name]) for d in data
                                  if d["measures"].get(name)], n))]
        y_lo = math.floor(math.log10(min(values + proj)))
        y_hi = math.ceil(math.log10(max(values + proj)))
        y_hi += y_hi == y_lo

        def px(n: float, ox: int = ox) -> float:
            return ox + pad + (math.log10(n) - x_lo) / (x_hi - x_lo) * (w - pad - 24)

        def py(v: float, oy: int = oy, y_lo: int = y_lo, y_hi: int = y_hi) -> float:
            return oy + h - 30 - (math.log10(v) - y_lo) / (y_hi - y_lo) * (h - 58)

        out.append(f'<text x="{ox + w / 2}" y="{oy + 14}" text-anchor="middle" '
                   f'font-weight="bold">{title}</text>')
        out.append(f'<rect x="{ox + pad}" y="{oy + 28}" width="{w - pad - 24}" '
                   f'height="{h - 58}" fill="none" stroke="#999"/>')
        for e in range(y_lo, y_hi + 1):
            out.append(f'<text x="{ox + pad - 4}" y="{py(10 ** e) + 3:.1f}" '
                       f'text-anchor="end">1e{e}</text>')
        for n in sorted(set(xs)):
            label = f"{n // 1_000_000}M" if n >= 1_000_000 else f"{n // 1000}k"
            out.append(f'<text x="{px(n):.1f}" y="{oy + h - 16}" text-anchor="middle">'
                       f'{label}</text>')
        for k, (name, label) in enumerate(series):
            colour = _COLOURS[k]
            pts = [(d["articles"], d["measures"][name]) for d in data
                   if d["measures"].get(name)]
            if not pts:
                continue
            line = " ".join(f"{px(n):.1f},{py(v):.1f}" for n, v in pts)
            out.append(f'<polyline points="{line}" fill="none" stroke="{colour}" '
                       'stroke-width="1.5"/>')
            for n, v in pts:
                out.append(f'<circle cx="{px(n):.1f}" cy="{py(v):.1f}" r="2.5" '
                           f'fill="{colour}"/>')
            far = [(n, p) for n in TARGETS if (p := project(pts, n))]
            if far:
                dashed = " ".join(f"{px(n):.1f},{py(v):.1f}" for n, v in [pts[-1], *far])
                out.append(f'<polyline points="{dashed}" fill="none" stroke="{colour}" '
                           'stroke-dasharray="4,3"/>')
            out.append(f'<text x="{ox + pad + 6}" y="{oy + 40 + 12 * k}" fill="{colour}">'
                       f'{label}</text>')
    out.append(f'<text x="{w}" y="{2 * h - 3}" text-anchor="middle" fill="#555">articles '
               'in the index (log); solid: measured, dashed: projected</text>')
    out.append("</svg>")
    return "\n".join(out)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, required=True)
    ap.add_argument("--svg", type=Path, required=True)
    args = ap.parse_args()
    data = sorted(json.loads(args.data.read_text()), key=lambda d: d["articles"])
    args.svg.write_text(_svg(data) + "\n")
    names = sorted({k for d in data for k in d["measures"]})
    projections = {n: {name: (round(p, 1) if (p := project(
        [(d["articles"], d["measures"][name]) for d in data if d["measures"].get(name)], n))
        is not None else None) for name in names} for n in TARGETS}
    print(json.dumps(projections, indent=2))


if __name__ == "__main__":
    main()
