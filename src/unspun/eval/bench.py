"""Score a detector on the generated content-farm benchmark (``unspun bench make``)."""

from __future__ import annotations

import math
import time
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from unspun.bench.manifest import bench_mode
from unspun.bench.sample import read_records
from unspun.data import Document, Span, TraceResult
from unspun.errors import BadInput
from unspun.progress import progress as progress_bar

if TYPE_CHECKING:
    from unspun.eval.detector import Detector

NAN = float("nan")
BENCH_FILES = ("reference.jsonl", "suspects.jsonl", "gold.jsonl")


def _read_jsonl(path: Path) -> list[dict[str, Any]]:
    """Read one JSONL file of the benchmark, failing with the file and line."""
    if not path.is_file():
        raise BadInput(str(path), "missing (not a benchmark made by 'unspun bench make'?)")
    rows: list[dict[str, Any]] = []
    for where, row in read_records(path):
        if not isinstance(row.get("id"), str):
            raise BadInput(where, "not a JSON object with a string 'id'")
        rows.append(row)
    return rows


def _to_doc(row: dict[str, Any], where: str) -> Document:
    """A benchmark JSON row as a :class:`Document`."""
    if not isinstance(row.get("text"), str):
        raise BadInput(where, "record has no string 'text'")
    return Document(id=row["id"], text=row["text"], title=row.get("title"), url=row.get("url"),
                    site=row.get("site"), date=row.get("date"), source=where)


def load_bench(bench_dir: Path) -> tuple[list[Document], list[Document], list[dict[str, Any]]]:
    """Read a benchmark directory.

    Args:
        bench_dir: A directory written by ``unspun bench make``.

    Returns:
        ``(references, suspects, gold)``; gold records are in suspect order.

    Raises:
        BadInput: When a file is missing or malformed, or gold and suspects disagree.
    """
    refs_rows, sus_rows, gold = (_read_jsonl(bench_dir / f) for f in BENCH_FILES)
    refs = [_to_doc(r, f"{bench_dir / 'reference.jsonl'}#line={i}") for i, r in
            enumerate(refs_rows, 1)]
    suspects = [_to_doc(r, f"{bench_dir / 'suspects.jsonl'}#line={i}") for i, r in
                enumerate(sus_rows, 1)]
    if [s.id for s in suspects] != [g["id"] for g in gold]:
        raise BadInput(str(bench_dir / "gold.jsonl"), "ids do not match suspects.jsonl")
    return refs, suspects, gold


def evaluate(bench_dir: Path, detector: Detector, *,
             progress: bool | None = None) -> dict[str, float]:
    """Fit ``detector`` on the references, trace every suspect, and score the traces.

    Args:
        bench_dir: A directory written by ``unspun bench make``.
        detector: Any object with ``fit(references)`` and ``trace(suspect)``.
        progress: Show a progress bar while tracing; None shows it when stderr is a terminal.

    Returns:
        Metric name to value; see ``docs/benchmark.md`` for every name. Values that cannot be
        computed are NaN (per-type precision/recall without predictions or gold) or omitted
        (edit, quote and verdict families when the detector reports none of them at all).

    Raises:
        BadInput: When the benchmark directory is missing or malformed.
    """
    refs, suspects, gold = load_bench(bench_dir)
    t0 = time.perf_counter()
    detector.fit(refs)
    t1 = time.perf_counter()
    results = {s.id: detector.trace(s)
               for s in progress_bar(suspects, description="tracing", total=len(suspects),
                                     enabled=progress)}
    t2 = time.perf_counter()
    if bench_mode(bench_dir) == "farm":
        from unspun.eval.farm import score_farm

        metrics = score_farm(gold, results,
                             references=_read_jsonl(bench_dir / "reference.jsonl"))
    else:
        metrics = score(gold, results, n_references=len(refs))
    metrics.update({"seconds.fit": t1 - t0, "seconds.trace": t2 - t1})
    return metrics


@dataclass(slots=True)
class _Counts:
    """Running totals for one precision/recall family."""

    pred: int = 0
    pred_ok: int = 0
    gold: int = 0
    gold_ok: int = 0

    def add(self, other: _Counts) -> None:
        self.pred += other.pred
        self.pred_ok += other.pred_ok
        self.gold += other.gold
        self.gold_ok += other.gold_ok


@dataclass(slots=True)
class _Tally:
    """Everything the scorer accumulates over the suspects."""

    doc: dict[str, _Counts] = field(default_factory=lambda: defaultdict(_Counts))
    span: dict[str, _Counts] = field(default_factory=lambda: defaultdict(_Counts))
    false_attr: dict[str, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0]))
    trap: list[int] = field(default_factory=lambda: [0, 0])
    junk: list[int] = field(default_factory=lambda: [0, 0])
    pairs: list[int] = field(default_factory=lambda: [0, 0, 0])  # gold, predicted, both
    negatives_flagged: list[int] = field(default_factory=lambda: [0, 0])


def _matches(pred: Span, gold: Span) -> bool:
    """A predicted sentence matches a gold one when it covers half of it (or half of itself)."""
    shared = pred.overlap(gold)
    return shared > 0 and (shared >= 0.5 * len(gold) or shared >= 0.5 * len(pred))


def _span(pair: Iterable[int]) -> Span:
    a, b = pair
    return Span(a, b)


def _source_ok(pred: Span, golds: list[Span]) -> bool:
    """The predicted source span overlaps a gold source span by half the shorter one."""
    return any(pred.overlap(g) >= 0.5 * max(1, min(len(pred), len(g))) for g in golds)


def _score_suspect(gold: dict[str, Any], result: TraceResult, tally: _Tally) -> None:
    """Add one suspect's attribution, junk and pair counts to the tally."""
    kind = gold["type"]
    sents: list[tuple[Span, dict[str, list[Span]]]] = [
        (_span(s["span"]), defaultdict(list)) for s in gold["sentences"]]
    for (_, srcs), s in zip(sents, gold["sentences"], strict=True):
        for src in s.get("sources", []):
            srcs[src["source_id"]].append(_span(src["source_span"]))
    preds = [(t.sentence.span, t.alignment) for t in result.sentences if t.alignment is not None]
    doc, span = _Counts(), _Counts()
    gold_hit_doc = [False] * len(sents)
    gold_hit_span = [False] * len(sents)
    gold_attributed = [False] * len(sents)
    for pspan, align in preds:
        assert align is not None
        doc.pred += 1
        span.pred += 1
        ok_doc = ok_span = False
        for i, (gspan, srcs) in enumerate(sents):
            if not _matches(pspan, gspan):
                continue
            gold_attributed[i] = True
            if align.source_id in srcs:
                ok_doc = gold_hit_doc[i] = True
                if _source_ok(align.source, srcs[align.source_id]):
                    ok_span = gold_hit_span[i] = True
        doc.pred_ok += ok_doc
        span.pred_ok += ok_span
    copied = [i for i, (_, srcs) in enumerate(sents) if srcs]
    doc.gold, span.gold = len(copied), len(copied)
    doc.gold_ok = sum(gold_hit_doc[i] for i in copied)
    span.gold_ok = sum(gold_hit_span[i] for i in copied)
    for key in (kind, "all"):
        tally.doc[key].add(doc)
        tally.span[key].add(span)
    for i, (_, srcs) in enumerate(sents):
        if not srcs:
            tally.false_attr[kind][0] += 1
            tally.false_attr[kind][1] += gold_attributed[i]
    predicted_ids = {a.source_id for _, a in preds if a is not None}
    found = predicted_ids | {s.doc_id for s in result.sources}
    for junk in gold["junk"]:
        jspan = _span(junk["span"])
        tally.junk[0] += 1
        tally.junk[1] += any(_matches(p, jspan) for p, _ in preds)
        if junk.get("refers_to"):
            tally.trap[0] += 1
            tally.trap[1] += junk["refers_to"] in found
    gold_ids = set(gold["sources"])
    tally.pairs[0] += len(gold_ids)
    tally.pairs[1] += len(predicted_ids)
    tally.pairs[2] += len(gold_ids & predicted_ids)
    if gold["expected_verdict"] == "original":
        tally.negatives_flagged[0] += 1
        tally.negatives_flagged[1] += bool(predicted_ids)


def _ratio(num: float, den: float) -> float:
    return num / den if den else NAN


def _prf(counts: _Counts) -> tuple[float, float, float]:
    """Precision, recall and F1 (NaN where undefined)."""
    p, r = _ratio(counts.pred_ok, counts.pred), _ratio(counts.gold_ok, counts.gold)
    if math.isnan(p) or math.isnan(r):
        return p, r, NAN
    return p, r, (2 * p * r / (p + r)) if p + r else 0.0


def score(gold: list[dict[str, Any]], results: dict[str, TraceResult], *,
          n_references: int) -> dict[str, float]:
    """Score traces against the gold (pure: no detector, no files).

    Args:
        gold: Gold records, one per suspect.
        results: Trace results by suspect id (a missing id counts as an empty trace).
        n_references: Size of the reference corpus (for the document-pair FPR).

    Returns:
        Metric name to value, as :func:`evaluate` documents.
    """
    tally = _Tally()
    for g in gold:
        result = results.get(g["id"])
        if result is not None:
            _score_suspect(g, result, tally)
        else:
            _score_suspect(g, _empty(g["id"]), tally)
    out: dict[str, float] = {"suspects": float(len(gold)), "references": float(n_references)}
    for family, table in (("attribution", tally.doc), ("attribution_span", tally.span)):
        for kind in sorted(table, key=lambda k: (k != "all", k)):
            p, r, f = _prf(table[kind])
            out[f"{family}.precision.{kind}"] = p
            out[f"{family}.recall.{kind}"] = r
            out[f"{family}.f1.{kind}"] = f
    for kind, (n, bad) in sorted(tally.false_attr.items()):
        out[f"{kind.replace('-', '_')}.false_attribution_rate"] = _ratio(bad, n)
    out["more_news_trap.rate"] = _ratio(tally.trap[1], tally.trap[0])
    out["junk.false_attribution_rate"] = _ratio(tally.junk[1], tally.junk[0])
    n_gold, n_pred, both = tally.pairs
    out["pairs.recall"] = _ratio(both, n_gold)
    out["pairs.precision"] = _ratio(both, n_pred)
    out["pairs.fpr"] = _ratio(n_pred - both, len(gold) * n_references - n_gold)
    out["documents.false_positive_rate"] = _ratio(tally.negatives_flagged[1],
                                                  tally.negatives_flagged[0])
    out.update(score_edits_quotes_verdicts(gold, results))
    return out


def _empty(doc_id: str) -> TraceResult:
    """An empty trace (for a suspect the detector skipped)."""
    from unspun.data import CleanResult

    doc = Document(id=doc_id, text="")
    return TraceResult(clean=CleanResult(doc=doc, kept=[], findings=[]), sentences=[], sources=[])


def _touch(a: Span, b: Span) -> bool:
    """Spans share a character (an empty span counts as the character on either side)."""
    a0, a1 = (a.start - 1, a.end + 1) if not len(a) else (a.start, a.end)
    b0, b1 = (b.start - 1, b.end + 1) if not len(b) else (b.start, b.end)
    return a0 < b1 and b0 < a1


def _score_edits(gold: list[dict[str, Any]], results: dict[str, TraceResult],
                 out: dict[str, float]) -> None:
    """Edit-label precision/recall for synonym and factual edits (omitted if none predicted)."""
    predicted: dict[str, list[tuple[str, Span]]] = defaultdict(list)
    for sid, result in results.items():
        for t in result.sentences:
            if t.alignment is not None:
                predicted[sid] += [(e.op, e.suspect) for e in t.alignment.edits]
    if not any(predicted.values()):
        return
    for op in ("synonym", "factual"):
        n_pred = ok_pred = n_gold = ok_gold = 0
        for g in gold:
            golds = [_span(e["suspect"]) for e in g["edits"] if e["type"] == op]
            preds = [s for o, s in predicted.get(g["id"], []) if o == op]
            n_pred += len(preds)
            ok_pred += sum(any(_touch(p, q) for q in golds) for p in preds)
            n_gold += len(golds)
            ok_gold += sum(any(_touch(p, q) for p in preds) for q in golds)
        out[f"edits.{op}.precision"] = _ratio(ok_pred, n_pred)
        out[f"edits.{op}.recall"] = _ratio(ok_gold, n_gold)


def _altered_quotes(g: dict[str, Any]) -> list[list[Span]]:
    """Gold altered quotes: per suspect sentence, the spans of its in-quote or speaker edits."""
    units: dict[int, list[Span]] = defaultdict(list)
    for e in g["edits"]:
        if e.get("in_quote") or e["type"] == "quote":
            at = _span(e["suspect"])
            idx = next((i for i, s in enumerate(g["sentences"]) if _touch(at, _span(s["span"]))),
                       -1)
            units[idx].append(at)
    return list(units.values())


def _score_quotes(gold: list[dict[str, Any]], results: dict[str, TraceResult],
                  out: dict[str, float]) -> None:
    """Altered-quote precision/recall from quote findings (omitted if there are none)."""
    if not any(r.quote_findings for r in results.values()):
        return
    n_pred = ok_pred = n_gold = ok_gold = 0
    for g in gold:
        units = _altered_quotes(g)
        # a factual name swap that lands on a quote's speaker is a changed attribution too
        names = [_span(e["suspect"]) for e in g["edits"]
                 if e["type"] == "factual" and e.get("detail") == "name"]
        result = results.get(g["id"])
        found = []
        renamed = 0
        for f in result.quote_findings if result else []:
            found.append([f.suspect.span] + ([f.suspect.speaker_span]
                                             if f.suspect.speaker_span else []))
            speaker = f.suspect.speaker_span
            renamed += (f.kind == "changed-attribution" and speaker is not None
                        and any(_touch(speaker, q) for q in names)
                        and not any(_touch(p, q) for p in found[-1] for u in units for q in u))
        n_pred += len(found)
        ok_pred += renamed + sum(any(_touch(p, q) for p in spans for u in units for q in u)
                                 for spans in found)
        n_gold += len(units)
        ok_gold += sum(any(_touch(p, q) for spans in found for p in spans for q in u)
                       for u in units)
    out["quotes.altered.precision"] = _ratio(ok_pred, n_pred)
    out["quotes.altered.recall"] = _ratio(ok_gold, n_gold)


def _score_verdicts(gold: list[dict[str, Any]], results: dict[str, TraceResult],
                    out: dict[str, float]) -> None:
    """Verdict accuracy overall and per type, over suspects that got a verdict."""
    per: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for g in gold:
        result = results.get(g["id"])
        if result is None or result.verdict is None:
            continue
        right = result.verdict.label == g["expected_verdict"]
        for key in ("all", g["type"]):
            per[key][0] += 1
            per[key][1] += right
    if not per:
        return
    out["verdict.accuracy"] = _ratio(per["all"][1], per["all"][0])
    for kind, (n, ok) in sorted(per.items()):
        if kind != "all":
            out[f"verdict.accuracy.{kind}"] = _ratio(ok, n)


def score_edits_quotes_verdicts(gold: list[dict[str, Any]], results: dict[str, TraceResult]
                                ) -> dict[str, float]:
    """The optional metric families: edit labels, altered quotes and verdicts.

    Args:
        gold: Gold records.
        results: Trace results by suspect id.

    Returns:
        Only the families the detector produced predictions for.
    """
    out: dict[str, float] = {}
    _score_edits(gold, results, out)
    _score_quotes(gold, results, out)
    _score_verdicts(gold, results, out)
    return out
