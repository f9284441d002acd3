"""The generated benchmark: deterministic, exact gold spans, every type, honest traps."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from unspun.bench.builders import TYPES
from unspun.bench.generate import make_bench
from unspun.bench.gold import check_bench
from unspun.errors import BadInput

N = 48  # four suspects per type: quick, but every type is there


def _rows(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


@pytest.fixture(scope="module")
def bench(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("bench") / "b"
    make_bench(out, seed=3, n_suspects=N)
    return out


def test_same_seed_same_files_other_seed_other_files(bench: Path, tmp_path: Path) -> None:
    make_bench(tmp_path / "again", seed=3, n_suspects=N)
    make_bench(tmp_path / "other", seed=4, n_suspects=N)
    for name in ("reference.jsonl", "suspects.jsonl", "gold.jsonl", "manifest.json"):
        assert (bench / name).read_bytes() == (tmp_path / "again" / name).read_bytes()
    assert (bench / "gold.jsonl").read_bytes() != (tmp_path / "other" / "gold.jsonl").read_bytes()


def test_every_gold_span_slices_its_text(bench: Path) -> None:
    assert check_bench(bench) == N
    refs = {r["id"]: r["text"] for r in _rows(bench / "reference.jsonl")}
    suspects = {r["id"]: r["text"] for r in _rows(bench / "suspects.jsonl")}
    checked = 0
    for g in _rows(bench / "gold.jsonl"):
        for e in g["edits"]:
            a, b = e["suspect"]
            assert suspects[g["id"]][a:b] == e["new"]
            if e["source"]:
                a, b = e["source"]
                assert refs[e["source_id"]][a:b] == e["old"]
                checked += 1
    assert checked > 100


def test_a_broken_span_is_caught(bench: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad"
    bad.mkdir()
    for name in ("reference.jsonl", "suspects.jsonl"):
        (bad / name).write_bytes((bench / name).read_bytes())
    gold = _rows(bench / "gold.jsonl")
    first = next(g for g in gold if g["edits"] and g["edits"][-1]["source"])
    first["edits"][-1]["suspect"][0] += 1
    (bad / "gold.jsonl").write_text("".join(json.dumps(g) + "\n" for g in gold))
    with pytest.raises(BadInput, match="gold.jsonl"):
        check_bench(bad)


def test_every_type_is_present_and_balanced(bench: Path) -> None:
    manifest = json.loads((bench / "manifest.json").read_text())
    assert manifest["types"] == {t: N // len(TYPES) for t in sorted(TYPES)}
    assert manifest["seed"] == 3 and manifest["split"] == "test" and manifest["mode"] == "wire"
    assert manifest["references"] + manifest["held_out"] == manifest["split_articles"] < 212
    kinds = {e["type"] for g in _rows(bench / "gold.jsonl") for e in g["edits"]}
    assert {"synonym", "factual", "quote", "delete", "paraphrase", "junk", "reorder"} <= kinds


def test_references_exclude_held_out_originals(bench: Path) -> None:
    ref_ids = {r["id"] for r in _rows(bench / "reference.jsonl")}
    for g in _rows(bench / "gold.jsonl"):
        if g["type"] in ("original", "partial"):
            assert g["own_article"] not in ref_ids
        if g["type"] == "original":
            assert all(s["origin"] == "original" for s in g["sentences"])


def test_spun_suspects_are_spun_inside_quotes_too(bench: Path) -> None:
    gold = [g for g in _rows(bench / "gold.jsonl") if g["type"] in ("spun", "spun-50")]
    edits = [e for g in gold for e in g["edits"] if e["type"] == "synonym"]
    assert len(edits) > 50
    assert any(e["in_quote"] for e in edits)
    assert any(" " in e["new"] and " " not in e["old"] for e in edits)  # multi-word


def test_hard_negatives_share_a_quote_but_nothing_is_attributed(bench: Path) -> None:
    refs = {r["id"]: r["text"] for r in _rows(bench / "reference.jsonl")}
    suspects = {r["id"]: r["text"] for r in _rows(bench / "suspects.jsonl")}
    hard = [g for g in _rows(bench / "gold.jsonl") if g["type"] == "hard-negative"]
    assert hard
    for g in hard:
        assert g["expected_verdict"] == "original" and g["sources"] == []
        assert all(s["origin"] == "original" for s in g["sentences"])
        quotes = g["shared_quotes"]
        assert quotes and all(q in refs[g["shares_quotes_with"]] for q in quotes)
        assert all(q in suspects[g["id"]] for q in quotes)


def test_more_news_lines_name_another_reference_article(bench: Path) -> None:
    titles = {r["id"]: r["title"] for r in _rows(bench / "reference.jsonl")}
    suspects = {r["id"]: r["text"] for r in _rows(bench / "suspects.jsonl")}
    traps = 0
    for g in _rows(bench / "gold.jsonl"):
        for j in g["junk"]:
            a, b = j["span"]
            if j["kind"] == "more-news":
                traps += 1
                assert j["refers_to"] in titles and j["refers_to"] not in g["sources"]
                assert suspects[g["id"]][a:b] == f"More news: {titles[j['refers_to']]}"
            assert not any(a < s["span"][1] and s["span"][0] < b for s in g["sentences"])
    assert traps >= 5
