"""Wall seconds of each stage of finished local scans, from their checkpoint files' times.

    python benchmarks/scan_stages.py OUT [OUT...]

No timing code runs inside the scan: the stage ends are when ``work/read.done``, the last
``prep-*.pkl``, ``candidates.npy``, the last ``pairs-*.pkl`` and ``scan.json`` were written
(``work/run.json``: the start). "candidates" also holds the main process reading the prepared
batches that were not read while cleaning; "relate+write" holds reading the pair batches.
"""

from __future__ import annotations

import sys
from pathlib import Path


def stages(out: Path) -> dict[str, float]:
    """Seconds per stage of the scan in ``out``."""
    work = out / "work"

    def at(pattern: str) -> float:
        return max(p.stat().st_mtime for p in work.glob(pattern))

    t0, read, prep = at("run.json"), at("read.done"), at("prep-*.pkl")
    cand, pairs, end = at("candidates.npy"), at("pairs-*.pkl"), (out / "scan.json").stat().st_mtime
    return {"read": read - t0, "clean": prep - read, "candidates": cand - prep,
            "align": pairs - cand, "relate+write": end - pairs, "total": end - t0}


def main() -> None:
    for arg in sys.argv[1:]:
        s = stages(Path(arg))
        print(f"{Path(arg).name:40s} " + " ".join(f"{k} {v:6.1f}" for k, v in s.items()))


if __name__ == "__main__":
    main()
