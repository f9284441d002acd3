"""Spinner dictionaries mined from traces, and the source-free spin score."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import SEED, need_shared
from explain.builders import Pair, make_trace
from unspun.data import TraceResult
from unspun.errors import BadInput
from unspun.explain import SpinDictionary, mine_spins, spin_score

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "explain"

SOURCE_A = ("Putin met Trump in Helsinki. The talks with Russia were long. "
            "Officials in the U.S. were surprised. The U.S. and Russia will meet again.")
SOURCE_B = ("Russia denied meddling. The U.S. election was on Tuesday. "
            "The international accord was signed by Russia.")


def _traces() -> list[TraceResult]:
    one = make_trace(
        "The talks with Russian Federation were long. Officials in the USA were surprised.",
        {"a": SOURCE_A},
        [Pair("The talks with Russian Federation were long.", "a",
              "The talks with Russia were long."),
         Pair("Officials in the USA were surprised.", "a",
              "Officials in the U.S. were surprised.")],
        site="farm-one.example", doc_id="one")
    two = make_trace(
        "Russian Federation denied meddling. The USA election was on Tuesday. "
        "The worldwide accord was signed by Russian Federation.",
        {"b": SOURCE_B},
        [Pair("Russian Federation denied meddling.", "b", "Russia denied meddling."),
         Pair("The USA election was on Tuesday.", "b", "The U.S. election was on Tuesday."),
         Pair("The worldwide accord was signed by Russian Federation.", "b",
              "The international accord was signed by Russia.")],
        site="farm-two.example", doc_id="two")
    return [one, two]


def test_mine_spins_counts_pairs_sites_and_examples() -> None:
    spins = mine_spins(_traces())
    pair = spins.pairs[("russia", "russian federation")]
    assert pair.count == 2 and pair.occurrences == 3  # pages, not repetitions
    assert pair.sites == {"farm-one.example": 1, "farm-two.example": 1}
    assert pair.examples == ["one", "two"]
    assert spins.pairs[("us", "usa")].count == 2
    assert spins.pairs[("international", "worldwide")].count == 1
    assert spins.original_counts.get("russian federation", 0) == 0
    assert spins.documents == 2


def test_mining_skips_loose_alignments_entity_damage_and_name_swaps() -> None:
    from unspun.explain.spins import _clean_pair

    loose = make_trace(
        "According to Sarah the plan failed badly in the end.", {"c": SOURCE_A},
        [Pair("According to Sarah the plan failed badly in the end.", "c",
              "Officials in the U.S. were surprised.")], doc_id="loose")
    spins = mine_spins([loose])
    assert not spins.pairs, "a loose, paraphrased alignment must not feed the dictionary"
    assert not _clean_pair("it's", "it\u2019& rsquo; s", "")
    assert not _clean_pair("Harry", "Reid", "")
    assert _clean_pair("Russia", "Russian Federation", "expansion")
    assert _clean_pair("international", "worldwide", "")


def test_save_and_load_round_trip(tmp_path: Path) -> None:
    spins = mine_spins(_traces())
    path = tmp_path / "spins.json"
    spins.save(path)
    again = SpinDictionary.load(path)
    assert again.pairs == spins.pairs
    assert again.outputs() == spins.outputs()


@pytest.mark.parametrize("content", ["", "{", '{"format": 99}', '{"format": 1, "pairs": [1]}'])
def test_load_rejects_bad_files(tmp_path: Path, content: str) -> None:
    path = tmp_path / "spins.json"
    path.write_text(content)
    with pytest.raises(BadInput):
        SpinDictionary.load(path)


def test_outputs_respect_min_count_and_originals() -> None:
    spins = mine_spins(_traces())
    assert set(spins.outputs(min_count=2)) == {"russian federation", "usa"}
    assert "worldwide" in spins.outputs(min_count=1)
    spins.original_counts["usa"] = 10  # common in originals: not a spinner's tell
    assert "usa" not in spins.outputs(min_count=2)


def _flagged(text: str, spins: SpinDictionary | None) -> set[str]:
    return {f.text for f in spin_score(text, spins).flags}


def test_seed_page_flags_spun_names() -> None:
    text = need_shared(SEED).read_text("utf-8")
    spins = mine_spins(_traces())
    report = spin_score(text, spins)
    flagged = _flagged(text, spins)
    assert {"Russian Federation", "USA"} <= flagged
    assert "Russia" not in flagged and "United States" not in flagged
    assert report.score > 0.3


def test_lookalike_fixture_flags_spins_and_collocation() -> None:
    text = (FIXTURES / "lookalike.txt").read_text("utf-8")
    spins = mine_spins(_traces())
    report = spin_score(text, spins)
    kinds = {(f.kind, f.text) for f in report.flags}
    assert ("dictionary", "Russian Federation") in kinds
    assert ("dictionary", "USA") in kinds
    assert ("collocation", "prime priest") in kinds
    assert ("collocation", "White House") not in kinds
    assert all(f.span.of(text) == f.text for f in report.flags)


def test_built_in_signals_without_dictionary() -> None:
    report = spin_score("Talks with the Russian Federation ended at the White Home today.")
    assert [(f.kind, f.text) for f in report.flags] == [
        ("official-form", "Russian Federation"), ("collocation", "White Home")]


def test_clean_prose_scores_low() -> None:
    text = ("Russia and the United States held talks at the White House on Monday. The prime "
            "minister told reporters at a press conference that for the first time in years "
            "both sides spoke about human rights and climate change.")
    report = spin_score(text, mine_spins(_traces()))
    assert report.flags == []
    assert report.score == 0.0
