"""`unspun scan --add` against a whole scan: a day's crawl added to a stored scan.

    .venv/bin/python benchmarks/scan_add_bench.py --n 10000 --new 1000 \
        --out benchmarks/work/scan-add-10k.json

Generates the planted corpus of ``../shared/tools/make_synth.py --seed 7`` (skips with a message
when ../shared is absent) and splits it into the first ``n - new`` articles (the stored scan)
and the last ``new`` (the new crawl; planted reusers copy earlier articles, so they pair with
the stored ones). Runs, each in a fresh process: the whole scan of both parts, the scan of the
first part, then ``--add`` of the second; reports wall and CPU time, peak memory, and how many
candidate pairs each aligned, and checks that the added scan's pairs, clusters, lineage,
documents and sites equal the whole scan's.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from scan_bench import ROOT, SYNTH, measure  # noqa: E402


def run_scan(corpora: list[Path], out: Path, *extra: str) -> dict[str, object]:
    """Run one local scan in a fresh process: wall and CPU time (with its workers), peak RSS."""
    cmd = [sys.executable, "-m", "unspun", "scan", *map(str, corpora), "--out", str(out),
           *extra]
    return dict(measure(cmd, {**os.environ, "PYTHONPATH": str(ROOT / "src")}))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=10000)
    ap.add_argument("--new", type=int, default=1000)
    ap.add_argument("--jobs", type=int, default=0)
    ap.add_argument("--work", type=Path, default=ROOT / "benchmarks" / "work")
    ap.add_argument("--out", type=Path, default=None)
    a = ap.parse_args()
    if not SYNTH.exists():
        print(f"skipped: {SYNTH} is absent (../shared is only beside the checkout in dev)")
        return
    a.work.mkdir(parents=True, exist_ok=True)
    corpus = a.work / f"synth-planted-{a.n}.jsonl"
    if not corpus.exists():
        subprocess.run([sys.executable, str(SYNTH), "--mode", "planted", "--n", str(a.n),
                        "--seed", "7", "--out", str(corpus)], check=True)
    lines = corpus.read_text(encoding="utf-8").splitlines(True)
    old, new = a.work / f"add-old-{a.n}.jsonl", a.work / f"add-new-{a.n}.jsonl"
    old.write_text("".join(lines[: a.n - a.new]), encoding="utf-8")
    new.write_text("".join(lines[a.n - a.new :]), encoding="utf-8")
    whole, added = a.work / f"scan-add-whole-{a.n}", a.work / f"scan-add-inc-{a.n}"
    subprocess.run(["rm", "-rf", str(whole), str(added)], check=True)
    result: dict[str, object] = {"n": a.n, "new": a.new, "jobs": a.jobs}
    def counts(out: Path) -> dict[str, int]:
        stats = json.loads((out / "scan.json").read_text())
        keys = ("candidates", "aligned", "reused", "recleaned_changed")
        return {"aligned": stats["candidates"], **{k: stats[k] for k in keys if k in stats}}

    jobs = ("--jobs", str(a.jobs))
    runs = {"whole": run_scan([old, new], whole, *jobs)}
    runs["whole"].update(counts(whole))
    runs["stored"] = run_scan([old], added, *jobs)
    runs["stored"].update(counts(added))
    runs["add"] = run_scan([new], added, "--add", *jobs)
    runs["add"].update(counts(added))
    result.update(runs)
    result["identical"] = all(
        (whole / f"{t}.jsonl").read_bytes() == (added / f"{t}.jsonl").read_bytes()
        for t in ("pairs", "clusters", "lineage", "documents", "sites"))
    result["add_over_whole"] = {
        k: round(float(str(runs["add"][k])) / float(str(runs["whole"][k])), 3)
        for k in ("seconds", "cpu_seconds", "aligned")}
    text = json.dumps(result, indent=2)
    print(text)
    if a.out:
        a.out.write_text(text + "\n")


if __name__ == "__main__":
    main()
