"""CPU time of edit labelling alone, on the aligned pairs a scan's comparison stage met.

    PYTHONPATH=src .venv/bin/python benchmarks/edit_labels.py record OUT calls.pkl --batches 28
    PYTHONPATH=src .venv/bin/python benchmarks/edit_labels.py replay calls.pkl [--dump e.txt]
    PYTHONPATH=OTHER/src .venv/bin/python benchmarks/edit_labels.py replay calls.pkl  # old code

``record`` runs :func:`unspun.scan.stages.compare_batch` over the first ``--batches`` batches
of 1,000 candidate pairs of a finished scan's work files (``OUT/work``, as
benchmarks/scan_compare.py does) and keeps every ``explain_alignment`` call: the two texts
and the two spans. ``replay`` labels them again in that order with a fresh token cache, as a
comparison worker does, and prints the CPU seconds and a hash of every edit (op, spans, texts,
detail); ``--dump`` writes the edits, one pair a line, for ``cmp`` between two trees.
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import pickle
import time
from pathlib import Path
from typing import Any

import numpy as np

from unspun.data import Span


def record(out: Path, dest: Path, batches: int) -> None:
    """Keep the explain_alignment calls of the first ``batches`` batches of ``out``'s pairs."""
    import unspun.scan.compare as compare
    from unspun.scan.config import ScanConfig
    from unspun.scan.stages import SourceCache, compare_batch

    texts: dict[str, int] = {}
    calls: list[tuple[int, int, int, int, int, int]] = []
    label = compare.explain_alignment

    def kept(a: str, b: str, al: Any, **kw: Any) -> Any:
        ia, ib = texts.setdefault(a, len(texts)), texts.setdefault(b, len(texts))
        calls.append((ia, ib, al.suspect.start, al.suspect.end, al.source.start, al.source.end))
        return label(a, b, al, **kw)

    compare.explain_alignment = kept  # type: ignore[assignment]
    work = out / "work"
    docs = [d for p in sorted(work.glob("prep-*.pkl")) for d in pickle.loads(p.read_bytes())]
    cands = np.load(work / "candidates.npy")
    config, cache = ScanConfig(), SourceCache()
    for n in range(batches):
        rows = cands[n * 1000 : (n + 1) * 1000]
        if len(rows):
            compare_batch(rows, docs, config=config, cache=cache)
    dest.write_bytes(pickle.dumps((list(texts), calls)))
    print(f"{len(calls)} calls over {len(texts)} texts -> {dest}")


def replay(src: Path, dump: Path | None) -> None:
    """Label the kept calls again: CPU seconds and a hash of the edits."""
    from unspun.explain.edits import edit_script
    from unspun.scan.compare import TokenCache
    from unspun.scan.config import ScanConfig

    texts, calls = pickle.loads(src.read_bytes())
    pairs = [(texts[ia], texts[ib], Span(a1, a2), Span(b1, b2))
             for ia, ib, a1, a2, b1, b2 in calls]
    cfg, cache = ScanConfig().explain, TokenCache()
    gc.disable()
    start = time.process_time()
    found = [edit_script(a, b, s, r, config=cfg, tokenizer=cache) for a, b, s, r in pairs]
    took = time.process_time() - start
    lines = [repr([(e.op, e.suspect, e.source, e.suspect_text, e.source_text, e.detail)
                   for e in edits]) for edits in found]
    digest = hashlib.sha256("\n".join(lines).encode()).hexdigest()[:16]
    print(f"{len(pairs)} pairs {took:.2f} CPU-s {sum(map(len, found))} edits digest {digest}")
    if dump:
        dump.write_text("\n".join(lines))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    rec = sub.add_parser("record")
    rec.add_argument("out", type=Path, help="a scan's output directory (with work/)")
    rec.add_argument("dest", type=Path)
    rec.add_argument("--batches", type=int, default=6)
    rep = sub.add_parser("replay")
    rep.add_argument("calls", type=Path)
    rep.add_argument("--dump", type=Path)
    a = ap.parse_args()
    if a.cmd == "record":
        record(a.out, a.dest, a.batches)
    else:
        replay(a.calls, a.dump)


if __name__ == "__main__":
    main()
