"""The farm scorer on hand-made traces: perfect, today's shape, trapped, and carrier-split."""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from unspun.bench.farm import make_farm
from unspun.bench.sample import read_records
from unspun.cli import cli
from unspun.data import (
    Alignment,
    CleanResult,
    Document,
    Quote,
    QuoteFinding,
    Sentence,
    SentenceTrace,
    SourceShare,
    Span,
    TraceResult,
    Verdict,
)
from unspun.eval.bench import evaluate
from unspun.eval.farm import _ids, score_farm


@dataclass
class NewTrace(TraceResult):
    """A trace with the fields the issue-10 tracer is to add (see docs/benchmark.md)."""

    quote_sources: list[SourceShare] = field(default_factory=list)
    headline: SourceShare | None = None


@dataclass
class NewVerdict(Verdict):
    provenance: str = "original"
    manipulation: list[str] = field(default_factory=list)


def _rows(path: Path) -> list[dict[str, Any]]:
    return [row for _, row in read_records(path)]


@pytest.fixture(scope="module")
def bench(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("farmscore") / "b"
    make_farm(out, seed=5, n_suspects=27)
    return out


@pytest.fixture(scope="module")
def gold(bench: Path) -> list[dict[str, Any]]:
    return _rows(bench / "gold.jsonl")


@pytest.fixture(scope="module")
def refs(bench: Path) -> list[dict[str, Any]]:
    return _rows(bench / "reference.jsonl")


def _trace(g: dict[str, Any], text: str, *, mode: str) -> TraceResult:
    """Answer from the gold: ``perfect`` (new fields), ``today`` (body sentences only),
    ``trapped`` (also every furniture trap as a source), ``split`` (carriers listed apart)."""
    doc = Document(id=g["id"], text=text)
    traces = []
    for i, s in enumerate(g["sentences"]):
        span = Span(*s["span"])
        align = None
        if s.get("sources") and not s.get("quote"):
            src = s["sources"][0]
            align = Alignment(span, src["source_id"], Span(*src["source_span"]), 1.0)
        traces.append(SentenceTrace(Sentence(i, span, span.of(text)), align))
    body = [sg for sg in g["source_groups"] if sg["sentences"]]
    sources = [SourceShare(sg["used"], 0.5, sg["sentences"]) for sg in body]
    if mode == "trapped":
        sources += [SourceShare(j["refers_to"], 0.1, 1) for j in g["junk"] if j.get("refers_to")]
    if mode == "split":
        sources += [SourceShare(c, 0.5, 1) for sg in body for c in sg["carriers"]
                    if c != sg["used"]]
    clean = CleanResult(doc, [Span(0, len(text))], [])
    if mode != "perfect":
        return TraceResult(clean, traces, sources)
    quoted = [SourceShare(sg["used"], 0.1, 0) for sg in g["source_groups"] if sg["quotes"]]
    headline = None
    if g["headline"]:
        headline = SourceShare(g["headline"]["carriers"][-1], 0.0, 0)
    findings = []
    for q in g["quotes"]:
        if q["altered"]:
            quote = Quote(Span(*q["span"]), "")
            findings.append(QuoteFinding("altered-quote", quote, quote, q["source_id"]))
    for e in g["edits"]:
        if e.get("in_quote"):  # spun or lightly edited inside a copied sentence's quote
            quote = Quote(Span(*e["suspect"]), e["new"])
            findings.append(QuoteFinding("altered-quote", quote, quote, e["source_id"]))
    verdict = NewVerdict("original", 0.9, provenance=g["provenance"],
                         manipulation=list(g["manipulation"]))
    return NewTrace(clean, traces, sources, quote_findings=findings, verdict=verdict,
                    quote_sources=quoted, headline=headline)


def _score(bench: Path, gold: list[dict[str, Any]], refs: list[dict[str, Any]],
           mode: str) -> dict[str, float]:
    texts = {r["id"]: r["text"] for r in _rows(bench / "suspects.jsonl")}
    results = {g["id"]: _trace(g, texts[g["id"]], mode=mode) for g in gold}
    return score_farm(gold, results, references=refs)


def test_perfect_traces_score_one(bench: Path, gold: list[dict[str, Any]],
                                  refs: list[dict[str, Any]]) -> None:
    m = _score(bench, gold, refs, "perfect")
    for key in ("farm.sources.recall.all", "farm.sources.recall.quote_only",
                "farm.sources.recall.headline_only", "farm.sources.recall.sentence_only",
                "farm.headlines.recall", "farm.quotes.lifted.recall",
                "farm.quotes.altered.recall", "farm.quotes.altered.precision",
                "farm.verdict.spun.low_rate", "farm.verdict.provenance.accuracy",
                "farm.verdict.manipulation.spun.recall",
                "farm.verdict.manipulation.altered-quotes.recall"):
        assert m[key] == pytest.approx(1.0), key
    assert m["farm.false_sources.rate"] == 0.0 and m["farm.carriers.split_rate"] == 0.0
    assert m["farm.verdict.confident_original.rate"] == 0.0
    assert m["attribution.recall.all"] < 1.0  # quote sentences were left unattributed


def test_todays_shape_finds_body_sources_only_and_marks_the_rest_missing(
        bench: Path, gold: list[dict[str, Any]], refs: list[dict[str, Any]]) -> None:
    m = _score(bench, gold, refs, "today")
    assert m["farm.sources.recall.sentence_only"] == 1.0
    assert m["farm.sources.recall.quote_only"] == 0.0
    assert m["farm.sources.recall.headline_only"] == 0.0
    assert 0 < m["farm.sources.recall.all"] < 1
    assert m["farm.quotes.altered.recall"] == 0.0
    for key in ("farm.quotes.altered.precision", "farm.verdict.spun.low_rate",
                "farm.verdict.provenance.accuracy", "farm.verdict.manipulation.spun.recall"):
        assert math.isnan(m[key]), key  # not produced: present, and visibly missing


def test_furniture_traps_count_as_false_sources(bench: Path, gold: list[dict[str, Any]],
                                                refs: list[dict[str, Any]]) -> None:
    m = _score(bench, gold, refs, "trapped")
    traps = [j for g in gold for j in g["junk"] if j.get("refers_to")]
    kinds = {j["kind"] for j in traps}
    assert m["farm.false_sources.count"] > 0 and m["farm.false_sources.rate"] > 0
    assert sum(m[f"farm.false_sources.{k}"] for k in kinds) == m["farm.false_sources.count"]
    assert m["farm.sources.recall.sentence_only"] == 1.0


def test_carriers_listed_apart_are_a_split_but_still_found(
        bench: Path, gold: list[dict[str, Any]], refs: list[dict[str, Any]]) -> None:
    m = _score(bench, gold, refs, "split")
    assert m["farm.carriers.split_rate"] == 1.0
    assert m["farm.false_sources.rate"] == 0.0  # another carrier is a right answer


def test_ids_are_read_from_any_shape() -> None:
    assert _ids(None) == set()
    assert _ids("a") == {"a"}
    assert _ids(SourceShare("b", 1.0, 1)) == {"b"}
    assert _ids([{"source_id": "c", "also_carried_by": ["d"]}, "e"]) == {"c", "d", "e"}


class _GoldDetector:
    name = "gold"

    def __init__(self, gold: list[dict[str, Any]]) -> None:
        self.gold = {g["id"]: g for g in gold}

    def fit(self, references: Iterable[Document]) -> None:
        self.n = len(list(references))

    def trace(self, suspect: Document) -> TraceResult:
        return _trace(self.gold[suspect.id], suspect.text, mode="perfect")


def test_eval_bench_picks_the_farm_scorer_from_the_manifest(
        bench: Path, gold: list[dict[str, Any]]) -> None:
    m = evaluate(bench, _GoldDetector(gold))
    assert m["farm.sources.recall.all"] == 1.0 and "seconds.trace" in m
    assert not any(k.startswith("pairs.") for k in m)


def test_eval_cli_checks_the_farm_floors_not_the_wire_floors(bench: Path, tmp_path: Path) -> None:
    floors = tmp_path / "floors.json"
    floors.write_text(json.dumps({"bench": {"baseline": {"attribution.f1.verbatim": 0.99}},
                                  "farm": {"baseline": {"farm.sources.recall.all": 0.99,
                                                        "farm.verdict.spun.low_rate": 0.5}}}))
    result = CliRunner().invoke(cli, ["eval", "bench", str(bench), "--detector", "baseline",
                                      "--json", "--floors", str(floors)])
    assert result.exit_code == 1
    out = json.loads(result.output[: result.output.rindex("}") + 1])
    # the baseline gives no verdicts: that metric is NaN, and a floor on it fails
    assert out["below_floor"] == ["farm.sources.recall.all", "farm.verdict.spun.low_rate"]
    assert out["metrics"]["farm.verdict.spun.low_rate"] is None  # NaN is null in JSON
