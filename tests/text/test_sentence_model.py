"""The learnt sentence model: the hand-annotated fixture, the issue's cases, and the shipped file."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest

from unspun.text import split_sentences
from unspun.text.punkt import SentenceModel, load_model, train, train_bundled

ROOT = Path(__file__).resolve().parents[2]


def _bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("sentences_bench",
                                                  ROOT / "benchmarks" / "sentences_bench.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


BENCH = _bench()
annotated_blocks = BENCH.annotated_blocks


@pytest.mark.parametrize("gold", annotated_blocks(), ids=lambda b: b[0][:40])
def test_hand_annotated_paragraphs(gold: list[str]) -> None:
    text = " ".join(gold)
    got = split_sentences(text)
    assert [s.text for s in got] == gold
    assert all(text[s.span.start:s.span.end] == s.text for s in got)


@pytest.mark.parametrize(("text", "n"), [
    ("The U.N. General Assembly voted.", 1), ("The U.N. Security Council met.", 1),
    ("U.S. Cyber Command said so.", 1), ("He went to No. 10 Downing St. on Monday.", 1),
    ("He lives in the U.S. The rest of his family does not.", 2),
    ("He lives on Downing St. The house is old.", 2),
])
def test_issue_cases(text: str, n: int) -> None:
    assert len(split_sentences(text)) == n


def test_shipped_model_is_the_one_learnt_from_the_bundled_sample() -> None:
    assert load_model() == train_bundled()


def test_training_learns_abbreviations_and_name_words() -> None:
    texts = ["The Zq. Mulberry Commission met. Zq. Mulberry Commission staff came. "
             "It was late. Rain fell on the Commission. The vote was held in Zq. It passed. "
             "Zq. Mulberry ruled. Members said it was fine."] * 2
    model = train(texts)
    assert "zq" in model.abbreviations  # always followed by a period
    assert not model.starts_sentence("Mulberry")  # capitalised inside sentences
    assert model.starts_sentence("It") and model.starts_sentence("Members")
    assert SentenceModel.from_json(model.to_json()) == model


def test_initials_before_a_surname_that_also_opens_sentences() -> None:
    text = ("Brennan said so. Kirk agreed. Advisor John O. Brennan spoke, and governor Deval "
            "Patrick named Paul G. Kirk as a replacement. He chose Plan B. The plan failed.")
    got = [s.text for s in split_sentences(text)]
    assert "Advisor John O. Brennan spoke, and governor Deval Patrick named Paul G. Kirk as a " \
           "replacement." in got
    assert got[-2:] == ["He chose Plan B.", "The plan failed."]


def test_benchmark_scores_the_splitter_perfectly_on_the_fixture() -> None:
    assert BENCH.quality(BENCH._unspun) == {"precision": 1.0, "recall": 1.0, "f1": 1.0,
                                            "exact": 1.0}
