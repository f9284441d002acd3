"""Score traces on the farm-mode benchmark: sources of every kind, altered quotes, spin, traps."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from unspun.data import TraceResult
from unspun.eval.bench import _altered_quotes, _ratio, _span, _touch, score

#: Source kinds with their own recall (``farm.sources.recall.<kind>``), besides ``all``.
KINDS = ("sentence_only", "sentences", "quote_only", "headline_only", "mixed")
#: Manipulation labels of the gold, each with its verdict recall.
MANIPULATIONS = ("spun", "altered-quotes", "changed-facts")
#: Base-benchmark metrics that keep their meaning on farm pages.
_KEPT = ("attribution.", "attribution_span.", "junk.false_attribution_rate",
         "edits.synonym.", "edits.factual.", "hard_negative.false_attribution_rate",
         "original.false_attribution_rate", "partial.false_attribution_rate")
#: The older single verdict label each provenance corresponds to.
_PROVENANCE = {"original": "original", "syndicated-copy": "copy", "spun-copy": "copy",
               "stitched-aggregate": "stitched", "partial-reuse": "partial-reuse"}


def _ids(items: Any) -> set[str]:
    """Document ids from a TraceResult field of unknown shape: None, a string, an object
    with ``doc_id`` or ``source_id`` (plus ``also_carried_by`` or ``carriers``), a dict, or a
    list of them."""
    if items is None:
        return set()
    if isinstance(items, str):
        return {items}
    if isinstance(items, Mapping) or not isinstance(items, Iterable):
        items = [items]
    out: set[str] = set()
    for item in items:
        if isinstance(item, str):
            out.add(item)
            continue
        get = item.get if isinstance(item, Mapping) else lambda k, o=item: getattr(o, k, None)
        for key in ("doc_id", "source_id"):
            value = get(key)
            if isinstance(value, str):
                out.add(value)
        for key in ("also_carried_by", "carriers"):
            more = get(key)
            if isinstance(more, list | tuple):
                out |= {a for a in more if isinstance(a, str)}
    return out


@dataclass(slots=True)
class Reported:
    """What one trace reports, by evidence: copied body, quoted from, headline."""

    body: set[str]
    body_entries: list[str]  # result.sources ids in order (a carrier listed twice shows here)
    quotes: set[str]
    headline: set[str]

    @property
    def any(self) -> set[str]:
        return self.body | self.quotes | self.headline


def reported(result: TraceResult) -> Reported:
    """Read the fields the farm scorer uses (see docs/benchmark.md, "Farm mode")."""
    entries = [s.doc_id for s in result.sources]
    body = _ids(result.sources) | {t.alignment.source_id for t in result.sentences
                                   if t.alignment is not None}
    quotes = _ids(getattr(result, "quote_sources", None)) | {
        f.source_id for f in result.quote_findings}
    return Reported(body, entries, quotes, _ids(getattr(result, "headline", None)))


@dataclass(slots=True)
class _Tally:
    recall: dict[str, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0]))
    false: list[int] = field(default_factory=lambda: [0, 0])  # false, all reported body groups
    traps: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    carriers: list[int] = field(default_factory=lambda: [0, 0])  # split, found carried groups
    headlines: list[int] = field(default_factory=lambda: [0, 0])
    lifted: list[int] = field(default_factory=lambda: [0, 0])
    spun: list[int] = field(default_factory=lambda: [0, 0])
    provenance: list[int] = field(default_factory=lambda: [0, 0])
    confident_original: list[int] = field(default_factory=lambda: [0, 0])
    manipulation: dict[str, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0]))


def _verdict(result: TraceResult) -> tuple[str | None, set[str], float]:
    """(provenance, manipulation labels, confidence) from the verdict, new axes first."""
    v = result.verdict
    if v is None:
        return None, set(), 0.0
    prov = getattr(v, "provenance", None)
    manip = getattr(v, "manipulation", None)
    labels = {str(m) for m in manip} if isinstance(manip, list | tuple | set) else set()
    if v.label == "spun-copy":
        labels.add("spun")
    return (prov if isinstance(prov, str) else _PROVENANCE.get(v.label)), labels, v.confidence


def _trap_kind(g: dict[str, Any], result: TraceResult, grp: str,
               group_of: Mapping[str, str]) -> str:
    """Why a story was falsely reported: the furniture line or shared quote its evidence
    lies on, else the trap that names it, else ``other``."""
    spans = [t.sentence.span for t in result.sentences
             if t.alignment is not None and group_of.get(t.alignment.source_id,
                                                         t.alignment.source_id) == grp]
    for j in g["junk"]:
        if any(_touch(s, _span(j["span"])) for s in spans):
            return str(j["kind"])
    text_quotes = g.get("shared_quotes", [])
    if text_quotes and any(group_of.get(i, i) == grp for i in g.get("shares_quote_with", [])):
        return "shared-quote"
    for j in g["junk"]:
        if j.get("refers_to") and group_of.get(j["refers_to"], j["refers_to"]) == grp:
            return str(j["kind"])
    return "other"


def _score_one(g: dict[str, Any], result: TraceResult, group_of: Mapping[str, str],
               tally: _Tally) -> None:
    rep = reported(result)
    found_groups = {group_of.get(i, i) for i in rep.any}
    gold_groups = {sg["group"] for sg in g["source_groups"]}
    for sg in g["source_groups"]:
        hit = sg["group"] in found_groups
        for key in ("all", sg["kind"]):
            tally.recall[key][0] += 1
            tally.recall[key][1] += hit
        listed = [i for i in rep.body_entries if group_of.get(i, i) == sg["group"]]
        if len(sg["carriers"]) > 1 and listed:
            tally.carriers[0] += 1
            tally.carriers[1] += len(set(listed)) > 1
    for grp in {group_of.get(i, i) for i in rep.body}:
        tally.false[1] += 1
        if grp not in gold_groups:
            tally.false[0] += 1
            tally.traps[_trap_kind(g, result, grp, group_of)] += 1
    if g["headline"] is not None:
        tally.headlines[0] += 1
        tally.headlines[1] += bool(set(g["headline"]["carriers"]) & rep.headline)
    for q in g["quotes"]:
        tally.lifted[0] += 1
        tally.lifted[1] += any(c["source_id"] in rep.quotes for c in q["carriers"])
    prov, manip, confidence = _verdict(result)
    if result.verdict is None:
        return
    if g["type"] == "spun-copy":
        tally.spun[0] += 1
        tally.spun[1] += "spun" in manip
    tally.provenance[0] += 1
    tally.provenance[1] += prov == g["provenance"]
    for label in g["manipulation"]:
        tally.manipulation[label][0] += 1
        tally.manipulation[label][1] += label in manip
    if g["source_groups"]:
        tally.confident_original[0] += 1
        tally.confident_original[1] += prov == "original" and confidence >= 0.8


def _quotes(gold: list[dict[str, Any]], results: Mapping[str, TraceResult]) -> dict[str, float]:
    """Altered-quote recall and precision from ``quote_findings`` (precision NaN if none)."""
    n_pred = ok_pred = n_gold = ok_gold = 0
    for g in gold:
        units = _altered_quotes(g)
        result = results.get(g["id"])
        found = [[f.suspect.span] + ([f.suspect.speaker_span] if f.suspect.speaker_span else [])
                 for f in (result.quote_findings if result else [])]
        n_pred += len(found)
        ok_pred += sum(any(_touch(p, q) for p in spans for u in units for q in u)
                       for spans in found)
        n_gold += len(units)
        ok_gold += sum(any(_touch(p, q) for spans in found for p in spans for q in u)
                       for u in units)
    return {"farm.quotes.altered.recall": _ratio(ok_gold, n_gold),
            "farm.quotes.altered.precision": _ratio(ok_pred, n_pred)}


def score_farm(gold: list[dict[str, Any]], results: Mapping[str, TraceResult], *,
               references: list[dict[str, Any]] | None = None) -> dict[str, float]:
    """Score traces against farm-mode gold (pure: no detector, no files).

    Args:
        gold: Farm gold records, one per suspect.
        results: Trace results by suspect id (a missing id counts as an empty trace).
        references: Reference rows (``id`` and ``carries``), to fold carriers into stories.

    Returns:
        Metric name to value. Every ``farm.*`` name is always present; NaN marks a value the
        detector's output could not produce (e.g. quote precision without quote findings,
        verdict metrics without verdicts). See docs/benchmark.md.
    """
    group_of = {r["id"]: str(r.get("carries") or r["id"]) for r in references or []}
    tally = _Tally()
    empty = _empty_result()
    for g in gold:
        _score_one(g, results.get(g["id"], empty), group_of, tally)
    out: dict[str, float] = {"suspects": float(len(gold))}
    for key in ("all", *KINDS):
        n, hit = tally.recall.get(key, [0, 0])
        out[f"farm.sources.recall.{key}"] = _ratio(hit, n)
        out[f"farm.sources.count.{key}"] = float(n)
    out["farm.headlines.recall"] = _ratio(tally.headlines[1], tally.headlines[0])
    out["farm.quotes.lifted.recall"] = _ratio(tally.lifted[1], tally.lifted[0])
    out.update(_quotes(gold, results))
    out["farm.verdict.spun.low_rate"] = _ratio(tally.spun[1], tally.spun[0])
    out["farm.verdict.provenance.accuracy"] = _ratio(tally.provenance[1], tally.provenance[0])
    for label in MANIPULATIONS:
        n, hit = tally.manipulation.get(label, [0, 0])
        out[f"farm.verdict.manipulation.{label}.recall"] = _ratio(hit, n)
    out["farm.verdict.confident_original.rate"] = _ratio(tally.confident_original[1],
                                                         tally.confident_original[0])
    out["farm.false_sources.rate"] = _ratio(tally.false[0], tally.false[1])
    out["farm.false_sources.count"] = float(tally.false[0])
    for kind in ("caption", "dateline", "byline", "social-post", "headline", "more-news",
                 "related", "server-error", "shared-quote", "other"):
        out[f"farm.false_sources.{kind}"] = float(tally.traps.get(kind, 0))
    out["farm.carriers.split_rate"] = _ratio(tally.carriers[1], tally.carriers[0])
    base = score(gold, dict(results), n_references=len(references or []))
    out.update({k: v for k, v in base.items() if k.startswith(_KEPT)})
    return out


def _empty_result() -> TraceResult:
    from unspun.data import CleanResult, Document

    doc = Document(id="", text="")
    return TraceResult(clean=CleanResult(doc=doc, kept=[], findings=[]), sentences=[], sources=[])

