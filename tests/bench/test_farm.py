"""The farm-mode benchmark: deterministic, exact gold, and every pattern of the real pages."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from unspun.bench.farm import make_farm
from unspun.bench.farm_check import check_farm
from unspun.bench.sample import read_records
from unspun.cli import cli
from unspun.errors import BadInput

N = 45  # five rounds of the plan: every page type at least five times


def _rows(path: Path) -> list[dict[str, Any]]:
    return [row for _, row in read_records(path)]


@pytest.fixture(scope="module")
def bench(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("farm") / "b"
    make_farm(out, seed=2, n_suspects=N)
    return out


@pytest.fixture(scope="module")
def gold(bench: Path) -> list[dict[str, Any]]:
    return _rows(bench / "gold.jsonl")


@pytest.fixture(scope="module")
def refs(bench: Path) -> dict[str, dict[str, Any]]:
    return {r["id"]: r for r in _rows(bench / "reference.jsonl")}


@pytest.fixture(scope="module")
def texts(bench: Path) -> dict[str, str]:
    return {r["id"]: r["text"] for r in _rows(bench / "suspects.jsonl")}


def test_same_seed_same_files_other_seed_other_files(bench: Path, tmp_path: Path) -> None:
    make_farm(tmp_path / "again", seed=2, n_suspects=N)
    make_farm(tmp_path / "other", seed=3, n_suspects=N)
    for name in ("reference.jsonl", "suspects.jsonl", "gold.jsonl", "manifest.json"):
        assert (bench / name).read_bytes() == (tmp_path / "again" / name).read_bytes()
    assert (bench / "gold.jsonl").read_bytes() != (tmp_path / "other" / "gold.jsonl").read_bytes()


def test_every_gold_span_slices_its_text(bench: Path, gold: list[dict[str, Any]],
                                         refs: dict[str, dict[str, Any]],
                                         texts: dict[str, str]) -> None:
    assert check_farm(bench) == N
    for g in gold:
        text = texts[g["id"]]
        for q in g["quotes"]:
            words = text[q["span"][0] : q["span"][1]]
            for c in q["carriers"]:
                source = refs[c["source_id"]]["text"][c["source_span"][0] : c["source_span"][1]]
                assert (words == source) != q["altered"]
        for s in g["sentences"]:
            assert text[s["span"][0] : s["span"][1]].strip()


def test_a_gold_span_that_does_not_fit_is_caught(bench: Path, tmp_path: Path,
                                                 gold: list[dict[str, Any]]) -> None:
    bad = tmp_path / "bad"
    bad.mkdir()
    for name in ("reference.jsonl", "suspects.jsonl", "manifest.json"):
        (bad / name).write_bytes((bench / name).read_bytes())
    broken = json.loads(json.dumps(gold))
    first = next(g for g in broken if g["quotes"])
    first["quotes"][0]["span"][0] += 2
    (bad / "gold.jsonl").write_text("".join(json.dumps(g) + "\n" for g in broken))
    with pytest.raises(BadInput, match="gold.jsonl#line="):
        check_farm(bad)


def test_mosaics_take_one_or_two_sentences_from_6_to_15_stories(gold: list[dict[str, Any]],
                                                                 texts: dict[str, str]) -> None:
    mosaics = [g for g in gold if g["type"] == "mosaic"]
    assert mosaics
    details = set()
    for g in mosaics:
        assert 6 <= len(g["source_groups"]) <= 15 and g["provenance"] == "stitched"
        assert all(sg["sentences"] <= 2 for sg in g["source_groups"])
        details |= {e["detail"].split(":")[0] for e in g["edits"]}
    assert {"bracketed-name", "clause-dropped", "expanded"} <= details
    assert any("changed-facts" in g["manipulation"] for g in mosaics)
    assert all(("changed-facts" in g["manipulation"]) == any(e["type"] == "factual"
                                                             for e in g["edits"]) for g in gold)
    kinds = {sg["kind"] for g in mosaics for sg in g["source_groups"]}
    assert {"sentence_only", "quote_only", "headline_only"} <= kinds
    # the borrowed sentences are not in their source order
    assert any([s["sources"][0]["source_span"] for s in g["sentences"] if s.get("sources")]
               != sorted(s["sources"][0]["source_span"] for s in g["sentences"]
                         if s.get("sources")) for g in mosaics)


def test_lifted_quotes_are_spun_inside_the_marks_with_a_new_frame(
        gold: list[dict[str, Any]], refs: dict[str, dict[str, Any]], texts: dict[str, str]) -> None:
    quotes = [(g, q) for g in gold for q in g["quotes"]]
    altered = [(g, q) for g, q in quotes if q["altered"]]
    assert altered and len(altered) < len(quotes)  # some lifted quotes are left intact
    for g, q in quotes:
        text = texts[g["id"]]
        words = text[q["span"][0] : q["span"][1]]
        assert len(words.split()) >= 6 and text[q["span"][0] - 1] == '"'
        assert text[q["span"][1] : q["span"][1] + 2] in ('",', '".', '" ', '."')
    spun = [c for _, q in altered for c in q["changes"] if c["kind"] == "spun-word"]
    assert spun and all(c["old"] != c["new"] for c in spun)
    frames = {q["frame"] for _, q in quotes}
    assert len(frames) >= 3
    stated = [q for _, q in quotes if q["frame"] == "trailing-stated"]
    assert all(f'", {q["speaker"]} stated.' in texts[g["id"]] for g, q in quotes
               if q in stated)


def test_headlines_are_reused_with_full_stops_and_repeats(gold: list[dict[str, Any]],
                                                          refs: dict[str, dict[str, Any]],
                                                          texts: dict[str, str]) -> None:
    reused = [g for g in gold if g["headline"]]
    assert any(g["headline"]["full_stop"] for g in reused)
    assert any(g["headline"]["repeats"] == 3 for g in reused)
    for g in reused:
        h = g["headline"]
        assert h["text"].rstrip(".") == refs[h["source_id"]]["title"].rstrip(".")
        assert len(g["headline_spans"]) == h["repeats"]
        assert texts[g["id"]].startswith(h["text"])


def test_low_rate_spin_copies_swap_1_to_5_percent_consistently(
        gold: list[dict[str, Any]]) -> None:
    spun = [g for g in gold if g["type"] == "spun-copy"]
    assert spun
    for g in spun:
        assert 0.01 <= g["spin"]["rate"] <= 0.05 and "spun" in g["manipulation"]
        table: dict[str, set[str]] = {}
        for p in g["spin"]["pairs"]:
            table.setdefault(p["old"].lower(), set()).add(p["new"].lower())
        assert all(len(v) == 1 for v in table.values()), "one key, one replacement"
        synonyms = [e for e in g["edits"] if e["type"] == "synonym"]
        assert len(synonyms) == g["spin"]["swaps"] == sum(p["count"] for p in g["spin"]["pairs"])


def test_carried_stories_have_2_or_3_carriers_and_any_is_a_source(
        gold: list[dict[str, Any]], refs: dict[str, dict[str, Any]]) -> None:
    groups: dict[str, list[str]] = {}
    for r in refs.values():
        groups.setdefault(r["carries"], []).append(r["id"])
    carried = {k: v for k, v in groups.items() if len(v) > 1}
    assert carried and all(2 <= len(v) <= 3 for v in carried.values())
    for ids in carried.values():
        sites = {refs[i]["site"] for i in ids}
        assert len(sites) == len(ids)
        texts = [refs[i]["text"] for i in ids]
        assert len(set(texts)) == len(ids)  # the furniture differs
    copies = [g for g in gold if g["type"] == "carrier-copy"]
    assert copies and all(len(g["source_groups"][0]["carriers"]) > 1 for g in copies)
    for g in copies:
        for s in g["sentences"]:
            assert {x["source_id"] for x in s["sources"]} == set(g["source_groups"][0]["carriers"])


def test_furniture_and_traps_in_sources_and_suspects(gold: list[dict[str, Any]],
                                                     refs: dict[str, dict[str, Any]]) -> None:
    ref_kinds = {f["kind"] for r in refs.values() for f in r["furniture"]}
    assert {"byline", "dateline", "caption", "social-post"} <= ref_kinds
    sus_kinds = {j["kind"] for g in gold for j in g["junk"]}
    assert {"headline", "byline", "dateline", "caption", "social-post", "more-news"} <= sus_kinds
    for g in gold:
        sources = {c for sg in g["source_groups"] for c in sg["carriers"]}
        for j in g["junk"]:
            assert j.get("refers_to") not in sources  # a trap never names a true source


def test_hard_negatives_share_only_a_widely_quoted_line(gold: list[dict[str, Any]],
                                                        refs: dict[str, dict[str, Any]],
                                                        texts: dict[str, str]) -> None:
    negatives = [g for g in gold if g["type"] == "hard-negative"]
    assert negatives
    for g in negatives:
        assert not g["source_groups"] and g["provenance"] == "original"
        quote = g["shared_quotes"][0]
        assert quote in texts[g["id"]]
        assert all(quote in refs[i]["text"] for i in g["shares_quote_with"])
        assert all(s["origin"] == "original" for s in g["sentences"])
    assert any(len({refs[i]["carries"] for i in g["shares_quote_with"]}) > 1 for g in negatives)


def test_synthetic_quotes_are_recorded_in_the_reference(refs: dict[str, dict[str, Any]]) -> None:
    synthetic = [r for r in refs.values() if "synthetic_quote" in r]
    assert synthetic
    for r in synthetic:
        assert r["synthetic_quote"] in r["text"]
        assert re.match(r'"[^"]{30,}," [A-Z]\S* \S+ said\.$', r["synthetic_quote"])


def test_cli_makes_and_checks_a_farm_bench(tmp_path: Path) -> None:
    runner = CliRunner()
    out = tmp_path / "f"
    made = runner.invoke(cli, ["bench", "make", "--mode", "farm", "--split", "tune", "--out",
                                str(out), "--n-suspects", "9", "--json"])
    assert made.exit_code == 0, made.output
    manifest = json.loads(made.output)
    assert manifest["mode"] == "farm" and manifest["split"] == "tune"
    checked = runner.invoke(cli, ["bench", "check", str(out)])
    assert checked.exit_code == 0 and "9 suspects" in checked.output


def test_the_same_files_in_another_process(tmp_path: Path) -> None:
    """No set or hash order leaks into the files (PYTHONHASHSEED differs per process)."""
    make_farm(tmp_path / "here", seed=4, n_suspects=9)
    env = {**os.environ, "PYTHONHASHSEED": "123"}
    subprocess.run([sys.executable, "-m", "unspun", "bench", "make", "--mode", "farm",
                    "--seed", "4", "--n-suspects", "9", "--out", str(tmp_path / "there")],
                   check=True, env=env, capture_output=True)
    for name in ("reference.jsonl", "suspects.jsonl", "gold.jsonl"):
        assert (tmp_path / "here" / name).read_bytes() == (tmp_path / "there" / name).read_bytes()


def test_too_few_articles_is_one_line_error(tmp_path: Path) -> None:
    source = tmp_path / "few.jsonl"
    source.write_text("".join(json.dumps({"id": f"a{i}", "title": "T", "text": "One. Two."}) + "\n"
                              for i in range(4)))
    result = CliRunner().invoke(cli, ["bench", "make", "--mode", "farm", "--split", "all",
                                      "--source", str(source), "--out", str(tmp_path / "o")])
    assert result.exit_code == 2
    assert "few.jsonl" in result.output and "needs 20 stories" in result.output
