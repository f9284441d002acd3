"""The tune/test split: fixed by article id, disjoint halves, recorded in every manifest."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from unspun.bench.farm import make_farm
from unspun.bench.generate import make_bench
from unspun.bench.sample import load_wikinews, read_records
from unspun.bench.split import canonical_ids, ids_hash, select, split_of
from unspun.data import Document


def _rows(path: Path) -> list[dict[str, Any]]:
    return [row for _, row in read_records(path)]


def test_halves_are_disjoint_cover_the_sample_and_are_balanced() -> None:
    docs = load_wikinews()
    tune, test = {d.id for d in select(docs, "tune")}, {d.id for d in select(docs, "test")}
    assert not tune & test
    canon = canonical_ids(docs)
    assert tune | test == set(canon.values())  # one article per story, every story once
    assert {d.id for d in select(docs, "all")} == {d.id for d in docs}
    assert 0.4 < len(tune) / len(docs) < 0.6
    assert all(split_of(i) == "tune" for i in tune)


def test_an_unknown_split_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown split"):
        select(load_wikinews(), "train")  # type: ignore[arg-type]


def test_ids_hash_ignores_order_and_sees_membership() -> None:
    assert ids_hash(["a", "b"]) == ids_hash(["b", "a"]) != ids_hash(["a", "c"])


def _articles(bench: Path) -> set[str]:
    """Every Wikinews article a benchmark uses: references (by story) and own articles."""
    used = {r.get("carries") or r["id"] for r in _rows(bench / "reference.jsonl")}
    return used | {g["own_article"] for g in _rows(bench / "gold.jsonl") if "own_article" in g}


@pytest.mark.parametrize("make", [
    lambda out, split: make_bench(out, seed=1, n_suspects=24, split=split),
    lambda out, split: make_farm(out, seed=1, n_suspects=18, split=split),
], ids=["wire", "farm"])
def test_tune_and_test_benchmarks_share_no_article(tmp_path: Path, make: Any) -> None:
    manifests = {}
    for split in ("tune", "test"):
        manifests[split] = make(tmp_path / split, split)
        assert manifests[split]["split"] == split
    tune, test = _articles(tmp_path / "tune"), _articles(tmp_path / "test")
    assert tune and test and not tune & test
    assert all(split_of(a) == "tune" for a in tune) and all(split_of(a) == "test" for a in test)
    docs = load_wikinews()
    for split in ("tune", "test"):
        expected = ids_hash([d.id for d in select(docs, split)])  # type: ignore[arg-type]
        assert manifests[split]["split_ids_hash"] == expected


def test_a_story_held_twice_in_the_sample_lands_in_one_half_once() -> None:
    docs = load_wikinews()
    canon = canonical_ids(docs)
    duplicated = {c for i, c in canon.items() if i != c}
    assert duplicated, "the bundled sample holds a few stories twice"
    halves = select(docs, "tune") + select(docs, "test")
    assert len({canon[d.id] for d in halves}) == len(halves) == len(set(canon.values()))
    again = canonical_ids(halves)
    assert all(again[d.id] == d.id for d in halves)  # no near-duplicates left, across halves


def test_near_duplicates_are_grouped_by_shared_five_grams() -> None:
    base = "the quick brown fox jumps over the lazy dog while the cat sleeps in the sun " * 3
    docs = [Document("b", base), Document("a", base + " and then it rained"),
            Document("c", "a completely different text about elections and ballots counted")]
    assert canonical_ids(docs) == {"a": "a", "b": "a", "c": "c"}
