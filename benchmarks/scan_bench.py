"""Throughput of `unspun scan` on make_synth.py corpora: wall and CPU time, articles/s, peak memory.

    .venv/bin/python benchmarks/scan_bench.py --mode planted --n 10000 [--engine local] \
        [--jobs 0] [--kernels] [--src OTHER/src --tag=-old] --out benchmarks/work/scan-planted-10k.json

``--src`` runs another source tree (a baseline worktree, to compare old and new code in one
session); ``--tag`` keeps its output directory apart.

Generates the corpus with ``../shared/tools/make_synth.py --seed 7`` (skips with a message when
../shared is absent), runs ``unspun scan`` in a fresh process and samples the memory of its
whole process tree (the main process plus its workers, or Spark's JVM and Python workers)
every 0.2 s: the sum of resident sizes (RSS, which counts a page shared by forked workers
once per process) and of proportional sizes (PSS, which counts it once). For planted corpora it also reports how many gold reuser->source pairs
the scan found. ``--kernels`` then times the candidate-pair stage on the scan's own prepared
documents with the numpy inverted index and with DuckDB (same pairs, median of three).
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SYNTH = ROOT.parent / "shared" / "tools" / "make_synth.py"
_TICKS = os.sysconf("SC_CLK_TCK")


def _tree_memory(pid: int, per: dict[int, int] | None = None,
                 cpu: dict[int, float] | None = None) -> tuple[int, int]:
    """Resident and proportional bytes (RSS, PSS) of ``pid`` and all its descendants;
    ``per`` gets each process's RSS, ``cpu`` its CPU seconds so far (user and system).

    Forked workers share the parent's pages until they write them; the sum of RSS counts every
    shared page once per process, the sum of PSS splits it among them (what the tree holds).
    """
    rss = pss = 0
    todo = [pid]
    while todo:
        p = todo.pop()
        try:
            with open(f"/proc/{p}/smaps_rollup") as fh:
                for line in fh:
                    if line.startswith("Rss:"):
                        rss += int(line.split()[1]) * 1024
                        if per is not None:
                            per[p] = int(line.split()[1]) * 1024
                    elif line.startswith("Pss:"):
                        pss += int(line.split()[1]) * 1024
            if cpu is not None:
                with open(f"/proc/{p}/stat") as fh:  # utime, stime: fields 14, 15 (ticks)
                    fields = fh.read().rsplit(")", 1)[1].split()
                cpu[p] = (int(fields[11]) + int(fields[12])) / _TICKS
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as fh:
                    todo += [int(c) for c in fh.read().split()]
        except (OSError, ValueError):
            continue
    return rss, pss


def _trace_summary(samples: list[tuple[float, dict[int, int]]],
                   cpu: dict[int, float]) -> dict[str, object]:
    """Each process of a traced run in the order it started (the scan's main process first,
    then its cleaning workers, candidate children and aligning workers): when it lived, its
    largest RSS and its CPU seconds (as last sampled, up to 0.2 s short of its end); and
    each process's RSS at the tree's peak."""
    life: dict[int, list[float]] = {}
    top: dict[int, int] = {}
    for t, per in samples:
        for p, rss in per.items():
            life.setdefault(p, [t, t])[1] = t
            top[p] = max(top.get(p, 0), rss)
    t_peak, at_peak = max(samples, key=lambda s: sum(s[1].values()), default=(0.0, {}))
    mb = 2**20
    return {"processes": [{"pid": p, "from_s": round(a, 1), "to_s": round(b, 1),
                           "max_rss_mb": round(top[p] / mb), "cpu_s": round(cpu.get(p, 0.0), 1)}
                          for p, (a, b) in life.items()],
            "peak_at_s": round(t_peak, 1),
            "peak_rss_mb_by_pid": {str(p): round(r / mb) for p, r in at_peak.items()}}


def run_scan(corpus: Path, out: Path, *, engine: str, jobs: int,
             src: Path = ROOT / "src", trace: bool = False) -> dict[str, object]:
    """Run one scan in a fresh process; its wall time, CPU time (the process and every worker
    it waited for) and peak tree RSS."""
    cmd = [sys.executable, "-m", "unspun", "scan", str(corpus), "--out", str(out),
           "--engine", engine, "--jobs", str(jobs)]
    if engine == "spark":
        cmd += ["--master", "local[2]"]
    return measure(cmd, {**os.environ, "PYTHONPATH": str(src)}, trace=trace)


def measure(cmd: list[str], env: dict[str, str], *, trace: bool = False) -> dict[str, object]:
    """Run ``cmd``; its wall time, CPU time (with every child it waited for), peak tree RSS
    and PSS, and the first line it printed (``trace``: and each process's RSS, see
    :func:`_trace_summary`)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    peak = peak_pss = 0
    samples: list[tuple[float, dict[int, int]]] = []
    cpu_by_pid: dict[int, float] = {}
    while proc.poll() is None:
        per: dict[int, int] | None = {} if trace else None
        rss, pss = _tree_memory(proc.pid, per, cpu_by_pid if trace else None)
        peak, peak_pss = max(peak, rss), max(peak_pss, pss)
        if per is not None:
            samples.append((time.perf_counter() - start, per))
        time.sleep(0.2)
    wall = time.perf_counter() - start
    stdout, stderr = proc.communicate()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode:
        raise SystemExit(f"scan failed: {stderr.decode()[-2000:]}")
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    return {"seconds": round(wall, 1), "cpu_seconds": round(cpu, 1),
            "peak_rss_mb": round(peak / 2**20), "peak_pss_mb": round(peak_pss / 2**20),
            "summary": stdout.decode().splitlines()[0],
            **({"trace": _trace_summary(samples, cpu_by_pid)} if trace else {})}


def kernels(out: Path) -> dict[str, float]:
    """Median seconds of the numpy and DuckDB candidate stages on the scan's prepared docs."""
    sys.path.insert(0, str(ROOT / "src"))
    from unspun.scan.candidates import candidate_pairs, candidate_pairs_duckdb
    from unspun.scan.config import ScanConfig

    docs = [d for p in sorted((out / "work").glob("prep-*.pkl"))
            for d in pickle.loads(p.read_bytes())]
    cfg = ScanConfig()
    times: dict[str, list[float]] = {"numpy": [], "duckdb": []}
    results = {}
    for _ in range(3):
        for name, fn in (("numpy", candidate_pairs), ("duckdb", candidate_pairs_duckdb)):
            t = time.perf_counter()
            results[name] = fn(docs, cfg)
            times[name].append(time.perf_counter() - t)
    assert results["numpy"].tolist() == results["duckdb"].tolist()
    med = {k: round(statistics.median(v), 3) for k, v in times.items()}
    return {"numpy_s": med["numpy"], "duckdb_s": med["duckdb"],
            "duckdb_over_numpy": round(med["duckdb"] / med["numpy"], 2),
            "candidates": len(results["numpy"])}


def recall(out: Path, gold_path: Path) -> dict[str, float]:
    """Share of gold reuser->source pairs among the scan's copy pairs (and among all pairs)."""
    gold = json.loads(gold_path.read_text())
    want = {tuple(sorted((r, s))) for r, srcs in gold.items() for s in srcs}
    copies, shared = set(), set()
    for line in (out / "pairs.jsonl").read_text().splitlines():
        row = json.loads(line)
        key = tuple(sorted((row["a_id"], row["b_id"])))
        shared.add(key)
        if row["relation"] == "copy":
            copies.add(key)
    return {"gold_pairs": len(want), "recall_copy": round(len(want & copies) / len(want), 4),
            "recall_any": round(len(want & shared) / len(want), 4)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mode", choices=["planted", "dense"], default="planted")
    ap.add_argument("--n", type=int, default=10000)
    ap.add_argument("--engine", choices=["local", "spark"], default="local")
    ap.add_argument("--jobs", type=int, default=0)
    ap.add_argument("--kernels", action="store_true")
    ap.add_argument("--work", type=Path, default=ROOT / "benchmarks" / "work")
    ap.add_argument("--out", type=Path, default=None)
    ap.add_argument("--src", type=Path, default=ROOT / "src",
                    help="the unspun source tree to run (e.g. a baseline worktree's src)")
    ap.add_argument("--tag", default="", help="suffix of the scan's output directory")
    ap.add_argument("--trace", action="store_true",
                    help="also report each process's RSS and CPU over the run (which stage peaks)")
    a = ap.parse_args()
    if not SYNTH.exists():
        print(f"skipped: {SYNTH} is absent (../shared is only beside the checkout in dev)")
        return
    a.work.mkdir(parents=True, exist_ok=True)
    corpus = a.work / f"synth-{a.mode}-{a.n}.jsonl"
    gold = a.work / f"synth-{a.mode}-{a.n}.gold.json"
    if not corpus.exists():
        subprocess.run([sys.executable, str(SYNTH), "--mode", a.mode, "--n", str(a.n),
                        "--seed", "7", "--out", str(corpus), "--gold", str(gold)], check=True)
    out = a.work / f"scan-{a.mode}-{a.n}-{a.engine}{a.tag}"
    subprocess.run(["rm", "-rf", str(out)], check=True)
    result: dict[str, object] = {"mode": a.mode, "n": a.n, "engine": a.engine, "jobs": a.jobs,
                                 "cpus": len(os.sched_getaffinity(0))}
    result.update(run_scan(corpus, out, engine=a.engine, jobs=a.jobs, src=a.src,
                           trace=a.trace))
    result["articles_per_s"] = round(a.n / float(str(result["seconds"])), 1)
    result["articles_per_cpu_s"] = round(a.n / float(str(result["cpu_seconds"])), 1)
    if a.mode == "planted" and gold.exists():
        result.update(recall(out, gold))
    if a.kernels and a.engine == "local":
        result["kernels"] = kernels(out)
    text = json.dumps(result, indent=2)
    print(text)
    if a.out:
        a.out.write_text(text + "\n")


if __name__ == "__main__":
    main()
