"""The sentence candidate tier alone, on a scan's prepared documents: pairs it adds, CPU, memory.

    # prepare a corpus as `unspun scan` does (read and clean stages only; PAN-13: the corpus
    # `unspun eval pan13 --task pairs --via scan` writes), into W/work/prep-*.pkl
    .venv/bin/python benchmarks/sentence_tier.py prep --pan13 ../shared/data/pan13 --work W
    .venv/bin/python benchmarks/sentence_tier.py prep --corpus planted.jsonl --work W
    # candidates with and without the tier (PAN-13: listed pairs among them, per type)
    .venv/bin/python benchmarks/sentence_tier.py measure --work W [--pan13 ROOT] [--set k=v]
    # peak RSS and CPU of one part in a fresh process: "load" (the documents only), "grams"
    # (the gram and word tiers), "tier" (the sentence tier), "tier-known" (the sentence tier
    # given the gram tiers' pairs, which ``measure`` saves)
    .venv/bin/python benchmarks/sentence_tier.py cost --work W --part tier

``measure`` runs in one process; ``cost`` reports ``ru_maxrss`` of its own process, so run it
once per part and subtract ``load``.
"""

from __future__ import annotations

import argparse
import json
import pickle
import resource
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

import numpy as np  # noqa: E402

from unspun.scan.config import ScanConfig  # noqa: E402


def _config(sets: list[str], **extra: Any) -> ScanConfig:
    """ScanConfig() with ``k=v`` overrides (numbers)."""
    kw: dict[str, Any] = dict(extra)
    for s in sets:
        k, v = s.split("=", 1)
        kw[k] = float(v) if "." in v else int(v)
    return ScanConfig(**kw)


def prep(a: argparse.Namespace) -> None:
    """Read and clean a corpus as the local scan does; its prepared batches stay in W/work."""
    from unspun.scan import ScanInputs
    from unspun.scan import run as local
    from unspun.scan.checkpoint import Checkpoints

    a.work.mkdir(parents=True, exist_ok=True)
    corpus = a.corpus
    if a.pan13:
        from unspun.eval.harness import EvalResult
        from unspun.eval.pan13 import _pair_work, load_document

        work = _pair_work(a.pan13, None, EvalResult())
        names = sorted({f"susp/{s}" for _, (s, _) in work}) + \
            sorted({f"src/{r}" for _, (_, r) in work})
        corpus = a.work / "pan13.jsonl"
        with corpus.open("w", encoding="utf-8") as fh:
            for name in names:
                fh.write(json.dumps({"id": name, "text": load_document(a.pan13 / name).text})
                         + "\n")
        (a.work / "listed.json").write_text(json.dumps(
            [[t, f"susp/{s}", f"src/{r}"] for t, (s, r) in work]))
    inp = ScanInputs([str(corpus)], a.work, jobs=a.jobs, parquet=False)
    ck = Checkpoints(a.work)
    local.start_scan(inp, ck, resume=True)
    local.read_stage(inp, ck)
    n_batches: int = ck.load("read.batches")
    local._WORK.update(ck=ck, config=inp.config, profile=ck.load("profile.pkl"))
    todo = [n for n in range(n_batches) if not ck.has(f"prep-{n:05d}.pkl")]
    local._run(local._prepare_one, todo, a.jobs, "prepare", False)
    print(f"{n_batches} batches prepared in {a.work / 'work'}")


def load(work: Path) -> list[Any]:
    return [d for p in sorted((work / "work").glob("prep-*.pkl"))
            for d in pickle.loads(p.read_bytes())]


def _cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def measure(a: argparse.Namespace) -> None:
    """Candidates of the gram tiers, of the sentence tier, and listed pairs among them."""
    from unspun.scan.candidates import candidate_pairs, union_pairs
    from unspun.scan.sentence_tier import sentence_tier

    docs = load(a.work)
    n = len(docs)
    cfg = _config(a.set)
    t = _cpu()
    grams = candidate_pairs(docs, _config(a.set, min_sentences=0), n_docs=n)
    t_grams = _cpu() - t
    np.save(a.work / "grams.npy", grams)
    t = _cpu()
    tier = sentence_tier(docs, cfg, n_docs=n, known=grams)
    t_tier = _cpu() - t
    both = union_pairs([grams, tier])
    out: dict[str, Any] = {"documents": n, "config": {k: getattr(cfg, k) for k in (
        "sentence_max_df", "sentence_words", "min_sentences", "sentence_share")},
        "gram_candidates": len(grams), "tier_candidates": len(tier),
        "added": len(both) - len(grams), "gram_cpu_s": round(t_grams, 2),
        "tier_cpu_s": round(t_tier, 2)}
    listed = a.work / "listed.json"
    if listed.exists():
        ids = {d.doc.id: d.docno for d in docs}

        def codes(p: np.ndarray) -> set[int]:
            return set((p[:, 0] * n + p[:, 1]).tolist())

        g, b = codes(grams), codes(both)
        per: dict[str, list[int]] = {}
        for t_, s, r in json.loads(listed.read_text()):
            x, y = sorted((ids[s], ids[r]))
            row = per.setdefault(t_, [0, 0, 0])
            row[0] += 1
            row[1] += x * n + y in g
            row[2] += x * n + y in b
        out["listed"] = {k: {"n": v[0], "grams": v[1], "with_tier": v[2]} for k, v in per.items()}
    print(json.dumps(out, indent=1))


def cost(a: argparse.Namespace) -> None:
    """Peak RSS and CPU of one part, in this fresh process."""
    from unspun.scan.candidates import candidate_pairs
    from unspun.scan.sentence_tier import sentence_tier

    docs = load(a.work)
    t = _cpu()
    n = len(docs)
    found = 0
    if a.part == "grams":
        found = len(candidate_pairs(docs, _config(a.set, min_sentences=0), n_docs=n))
    elif a.part == "tier":
        found = len(sentence_tier(docs, _config(a.set), n_docs=n))
    elif a.part == "tier-known":  # grams.npy: the gram tiers' pairs, saved by ``measure``
        known = np.load(a.work / "grams.npy")
        t = _cpu()
        found = len(sentence_tier(docs, _config(a.set), n_docs=n, known=known))
    print(json.dumps({"part": a.part, "found": found, "cpu_s": round(_cpu() - t, 2),
                      "peak_rss_mb": round(resource.getrusage(
                          resource.RUSAGE_SELF).ru_maxrss / 1024)}))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("what", choices=["prep", "measure", "cost"])
    ap.add_argument("--work", type=Path, required=True)
    ap.add_argument("--corpus", type=Path)
    ap.add_argument("--pan13", type=Path)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--part", choices=["load", "grams", "tier", "tier-known"], default="tier")
    ap.add_argument("--set", action="append", default=[], help="a ScanConfig field, k=v")
    a = ap.parse_args()
    {"prep": prep, "measure": measure, "cost": cost}[a.what](a)


if __name__ == "__main__":
    main()
