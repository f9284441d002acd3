"""The benchmark scorer on a tiny hand-made bench, with fake detectors of known quality."""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from pathlib import Path

import pytest

from unspun.data import (
    Alignment,
    CleanResult,
    Document,
    Edit,
    Quote,
    QuoteFinding,
    Sentence,
    SentenceTrace,
    SourceShare,
    Span,
    TraceResult,
    Verdict,
)
from unspun.errors import BadInput
from unspun.eval.bench import evaluate

TINY = Path(__file__).resolve().parents[1] / "fixtures" / "bench" / "tiny"
GOLD = {g["id"]: g for g in map(json.loads, (TINY / "gold.jsonl").read_text().splitlines())}


class FakeDetector:
    """Answers from the gold: perfectly, not at all, or with the junk line attributed."""

    name = "fake"

    def __init__(self, mode: str) -> None:
        self.mode = mode
        self.fitted: list[str] = []

    def fit(self, references: Iterable[Document]) -> None:
        self.fitted = [d.id for d in references]

    def trace(self, suspect: Document) -> TraceResult:
        gold = GOLD[suspect.id]
        traces = []
        for i, s in enumerate(gold["sentences"]):
            span = Span(*s["span"])
            align = None
            if self.mode in ("perfect", "junk") and s["origin"] == "copied":
                src = s["sources"][0]
                edits = [Edit("synonym", Span(*e["suspect"]), Span(*e["source"]), e["new"],
                              e["old"]) for e in gold["edits"] if e["type"] == "synonym"
                         and span.start <= e["suspect"][0] < span.end]
                align = Alignment(span, src["source_id"], Span(*src["source_span"]), 1.0,
                                  edits=edits)
            if self.mode == "wrong-doc" and s["origin"] == "copied":
                align = Alignment(span, "r2", Span(0, 10), 1.0)
            traces.append(SentenceTrace(Sentence(i, span, span.of(suspect.text)), align))
        if self.mode == "junk":
            for j in gold["junk"]:
                span = Span(*j["span"])
                traces.append(SentenceTrace(Sentence(len(traces), span, span.of(suspect.text)),
                                            Alignment(span, j["refers_to"], Span(0, 5), 1.0)))
        ids = sorted({t.alignment.source_id for t in traces if t.alignment})
        result = TraceResult(CleanResult(suspect, [Span(0, len(suspect.text))], []), traces,
                             [SourceShare(i, 0.5, 1) for i in ids])
        if self.mode == "perfect":
            result.verdict = Verdict(gold["expected_verdict"], 1.0)
        return result


def test_perfect_detector_scores_one() -> None:
    m = evaluate(TINY, FakeDetector("perfect"))
    for key in ("attribution.f1.all", "attribution.precision.all", "attribution.recall.all",
                "attribution_span.f1.all", "attribution.f1.spun", "pairs.recall",
                "edits.synonym.precision", "edits.synonym.recall", "verdict.accuracy"):
        assert m[key] == pytest.approx(1.0), key
    assert m["hard_negative.false_attribution_rate"] == 0.0
    assert m["more_news_trap.rate"] == 0.0
    assert m["documents.false_positive_rate"] == 0.0
    assert math.isnan(m["attribution.recall.hard-negative"])  # nothing to recall there
    assert "quotes.altered.precision" not in m  # no quote findings at all: omitted


def test_empty_detector_recalls_nothing_and_omits_optional_families() -> None:
    detector = FakeDetector("empty")
    m = evaluate(TINY, detector)
    assert detector.fitted == ["r1", "r2"]
    assert m["attribution.recall.all"] == 0.0
    assert m["pairs.recall"] == 0.0
    assert math.isnan(m["attribution.precision.all"])  # no predictions: undefined, not 0
    assert not any(k.startswith(("edits.", "verdict.", "quotes.")) for k in m)


def test_wrong_source_is_a_false_positive_and_not_recalled() -> None:
    m = evaluate(TINY, FakeDetector("wrong-doc"))
    assert m["attribution.precision.all"] == 0.0
    assert m["attribution.recall.all"] == 0.0
    assert m["pairs.precision"] == 0.0 and m["pairs.fpr"] > 0


def test_attributed_junk_springs_the_more_news_trap() -> None:
    m = evaluate(TINY, FakeDetector("junk"))
    assert m["more_news_trap.rate"] == 1.0
    assert m["junk.false_attribution_rate"] == 1.0
    assert m["attribution.precision.all"] == pytest.approx(2 / 3)
    assert m["attribution.recall.all"] == 1.0


def test_quote_findings_are_scored_when_present() -> None:
    class Quoting(FakeDetector):
        def trace(self, suspect: Document) -> TraceResult:
            result = super().trace(suspect)
            if suspect.id == "s1":  # a finding where no quote was altered: a false alarm
                q = Quote(Span(0, 10), suspect.text[:10])
                result.quote_findings = [QuoteFinding("altered-quote", q, q, "r1")]
            return result

    m = evaluate(TINY, Quoting("perfect"))
    assert m["quotes.altered.precision"] == 0.0
    assert math.isnan(m["quotes.altered.recall"])  # the tiny bench alters no quote


def test_missing_bench_is_bad_input(tmp_path: Path) -> None:
    with pytest.raises(BadInput, match="reference.jsonl"):
        evaluate(tmp_path, FakeDetector("empty"))
