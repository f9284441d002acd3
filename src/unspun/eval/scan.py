"""Score a scan of the syndication corpus: copy-pair P/R/F1, cluster ARI, direction, parents."""

from __future__ import annotations

import json
from math import comb
from pathlib import Path
from typing import Any

from unspun.errors import BadInput
from unspun.eval.harness import EvalResult


def adjusted_rand(labels_true: list[str], labels_pred: list[str]) -> float:
    """The adjusted Rand index of two labellings of the same items (1.0 = identical)."""
    n = len(labels_true)
    if n < 2:
        return 1.0
    cont: dict[tuple[str, str], int] = {}
    rows: dict[str, int] = {}
    cols: dict[str, int] = {}
    for t, p in zip(labels_true, labels_pred, strict=True):
        cont[(t, p)] = cont.get((t, p), 0) + 1
        rows[t] = rows.get(t, 0) + 1
        cols[p] = cols.get(p, 0) + 1
    index = sum(comb(v, 2) for v in cont.values())
    a = sum(comb(v, 2) for v in rows.values())
    b = sum(comb(v, 2) for v in cols.values())
    expected = a * b / comb(n, 2)
    top = (a + b) / 2
    return 1.0 if top == expected else (index - expected) / (top - expected)


def _read(path: Path) -> list[dict[str, Any]]:
    try:
        with path.open(encoding="utf-8") as fh:
            return [json.loads(line) for line in fh if line.strip()]
    except (OSError, ValueError) as exc:
        raise BadInput(str(path), f"cannot read the scan table ({exc})") from None


def score_scan(bench_dir: Path, scan_dir: Path) -> EvalResult:
    """Compare the tables a scan wrote in ``scan_dir`` with ``bench_dir/gold.json``.

    * pairs: predicted copy pairs against gold copy pairs (every other pair is negative);
    * ``cluster.ari``: over every document, each unclustered one in a cluster of its own;
    * ``direction.accuracy``: over found gold pairs where one page is the other's ancestor,
      the share whose predicted source is the ancestor;
    * ``parent.accuracy``: over copies with one gold parent, the share given that parent
      (``parent.chain_accuracy`` counts farm copies only).

    Raises:
        BadInput: the gold or a table is missing or unreadable.
    """
    try:
        gold = json.loads((bench_dir / "gold.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise BadInput(str(bench_dir / "gold.json"), f"cannot read gold ({exc})") from None
    docs = _read(scan_dir / "documents.jsonl")
    pairs = [r for r in _read(scan_dir / "pairs.jsonl") if r["relation"] == "copy"]
    links = {r["id"]: r for r in _read(scan_dir / "lineage.jsonl")}
    truth = {tuple(p) for p in gold["copy_pairs"]}
    found = {tuple(sorted((r["a_id"], r["b_id"]))): r for r in pairs}
    tp = len(truth & found.keys())
    precision = tp / len(found) if found else 0.0
    recall = tp / len(truth) if truth else 0.0
    f1 = 2 * precision * recall / (precision + recall) if tp else 0.0
    gold_label = {d: f"g{i}" for i, members in enumerate(gold["clusters"]) for d in members}
    ids = [d["id"] for d in docs]
    ari = adjusted_rand([gold_label.get(d, f"s{d}") for d in ids],
                        [f"p{c['cluster']}" if c["cluster"] is not None else f"s{c['id']}"
                         for c in docs])
    ancestors: dict[str, list[str]] = gold["ancestors"]
    by_docno = {d["docno"]: d["id"] for d in docs}
    directed = right = 0
    for key, row in found.items():
        a, b = key
        src = a if a in ancestors.get(b, []) else b if b in ancestors.get(a, []) else None
        if src is None or key not in truth:
            continue
        directed += 1
        right += row["source"] is not None and by_docno[row["source"]] == src
    single = {d: ps[0] for d, ps in gold["parents"].items() if len(ps) == 1}
    chain = {d for d in single if gold["roles"][d].startswith("farm")}
    ok = {d for d, p in single.items() if links.get(d, {}).get("parent_id") == p}
    metrics = {"pairs.precision": precision, "pairs.recall": recall, "pairs.f1": f1,
               "cluster.ari": ari,
               "direction.accuracy": right / directed if directed else 0.0,
               "parent.accuracy": len(ok) / len(single) if single else 0.0,
               "parent.chain_accuracy": len(ok & chain) / len(chain) if chain else 0.0}
    counts = {"documents": len(docs), "gold_pairs": len(truth), "found_pairs": len(found),
              "true_pairs": tp, "directed_pairs": directed, "copies_with_one_parent": len(single),
              "chain_copies": len(chain)}
    return EvalResult({k: round(v, 4) for k, v in metrics.items()}, counts)


def run_and_score(bench_dir: Path, scan_dir: Path | None = None) -> EvalResult:
    """Scan ``bench_dir/corpus.jsonl`` into ``bench_dir/scan`` (fresh) unless ``scan_dir`` is
    given, then score it (see :func:`score_scan`).

    Raises:
        BadInput: the corpus or gold is missing.
    """
    if scan_dir is None:
        import shutil

        from unspun.scan import ScanInputs, scan_local

        corpus = bench_dir / "corpus.jsonl"
        if not corpus.is_file():
            raise BadInput(str(corpus), "not found (make it with: unspun bench make --mode "
                           "corpus --out DIR)")
        scan_dir = bench_dir / "scan"
        shutil.rmtree(scan_dir, ignore_errors=True)
        scan_local(ScanInputs([str(corpus)], scan_dir, parquet=False, show_progress=False))
    return score_scan(bench_dir, scan_dir)
