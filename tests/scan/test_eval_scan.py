"""The scan ruler: the adjusted Rand index, and scores of perfect and broken scans."""

from __future__ import annotations

import json
from pathlib import Path

from unspun.bench.corpus import make_corpus
from unspun.eval.scan import adjusted_rand, score_scan


def test_adjusted_rand_index() -> None:
    assert adjusted_rand(["a", "a", "b", "b"], ["x", "x", "y", "y"]) == 1.0
    assert adjusted_rand(["a", "a", "b", "b"], ["x", "y", "x", "y"]) < 0
    assert abs(adjusted_rand(["a", "a", "b", "c"], ["x", "x", "y", "y"]) - 0.5714) < 1e-4


def _fake_scan(out: Path, bench: Path, *, drop: int = 0, flip: bool = False) -> Path:
    """Tables of a scan that found exactly the gold (less ``drop`` pairs; reversed if ``flip``)."""
    gold = json.loads((bench / "gold.json").read_text())
    ids = sorted(gold["roles"])
    no = {d: i for i, d in enumerate(ids)}
    cluster = {d: c for c, m in enumerate(gold["clusters"]) for d in m}
    out.mkdir()

    def write(name: str, rows: list[dict]) -> None:
        (out / f"{name}.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))

    write("documents", [{"docno": no[d], "id": d, "cluster": cluster.get(d)} for d in ids])
    pairs = []
    for a, b in gold["copy_pairs"][drop:]:
        src = a if a in gold["ancestors"].get(b, []) else b if b in gold["ancestors"].get(a, []) \
            else None
        if flip and src is not None:
            src = b if src == a else a
        pairs.append({"a_id": a, "b_id": b, "relation": "copy",
                      "source": None if src is None else no[src]})
    write("pairs", pairs)
    write("lineage", [{"id": d, "parent_id": ps[0]} for d, ps in gold["parents"].items()])
    return out


def test_scores_of_a_perfect_and_a_broken_scan(tmp_path: Path) -> None:
    bench = tmp_path / "bench"
    make_corpus(bench, seed=1, stories=6)
    perfect = score_scan(bench, _fake_scan(tmp_path / "p", bench)).metrics
    assert perfect["pairs.f1"] == perfect["cluster.ari"] == perfect["direction.accuracy"] == 1.0
    assert perfect["parent.accuracy"] == 1.0
    broken = score_scan(bench, _fake_scan(tmp_path / "b", bench, drop=10, flip=True)).metrics
    assert broken["pairs.recall"] < 1.0 and broken["pairs.precision"] == 1.0
    assert broken["direction.accuracy"] == 0.0
