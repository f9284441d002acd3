"""The PAN character-level measures (Potthast et al. 2010): precision, recall, granularity, plagdet."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from unspun.data import Span


@dataclass(frozen=True, slots=True)
class Annotation:
    """A gold plagiarism case or a detection: a suspect span reused from a source span.

    ``suspect_ref`` and ``source_ref`` name the two documents (PAN uses the file names).
    """

    suspect_ref: str
    suspect: Span
    source_ref: str
    source: Span

    def overlaps(self, other: Annotation) -> bool:
        """True when both annotations share characters on the suspect AND the source side."""
        return (
            self.suspect_ref == other.suspect_ref
            and self.source_ref == other.source_ref
            and self.suspect.overlap(other.suspect) > 0
            and self.source.overlap(other.source) > 0
        )


@dataclass(frozen=True, slots=True)
class Scores:
    """The PAN measures over one corpus, with the counts behind them."""

    precision: float
    recall: float
    granularity: float
    plagdet: float
    cases: int
    detections: int
    detected_cases: int

    def as_dict(self, prefix: str = "") -> dict[str, float]:
        """The measures as flat ``{prefix + name: value}`` metrics."""
        return {
            f"{prefix}plagdet": self.plagdet,
            f"{prefix}precision": self.precision,
            f"{prefix}recall": self.recall,
            f"{prefix}granularity": self.granularity,
        }


def _covered(target: Span, spans: Iterable[Span]) -> int:
    """Characters of ``target`` covered by the union of ``spans`` (interval merging)."""
    clipped = sorted(
        (max(s.start, target.start), min(s.end, target.end))
        for s in spans
        if s.overlap(target) > 0
    )
    total, cur_start, cur_end = 0, -1, -1
    for start, end in clipped:
        if start > cur_end:
            total += cur_end - cur_start
            cur_start, cur_end = start, end
        else:
            cur_end = max(cur_end, end)
    return total + cur_end - cur_start


def _by_suspect(annotations: Iterable[Annotation]) -> dict[str, list[Annotation]]:
    """Group annotations by suspect document."""
    index: dict[str, list[Annotation]] = defaultdict(list)
    for ann in annotations:
        index[ann.suspect_ref].append(ann)
    return index


def _hit_share(target: Annotation, others: Sequence[Annotation]) -> float:
    """Share of ``target``'s characters (both sides) covered by the ``others`` overlapping it."""
    hits = [o for o in others if target.overlaps(o)]
    size = len(target.suspect) + len(target.source)
    if not hits or size == 0:
        return 0.0
    covered = _covered(target.suspect, (h.suspect for h in hits))
    covered += _covered(target.source, (h.source for h in hits))
    return covered / size


def _macro(targets: Sequence[Annotation], others: Sequence[Annotation]) -> float:
    """Mean over ``targets`` of the share each one has in common with ``others``."""
    if not targets and not others:
        return 1.0
    if not targets or not others:
        return 0.0
    index = _by_suspect(others)
    total = sum(_hit_share(t, index.get(t.suspect_ref, ())) for t in targets)
    return total / len(targets)


def recall(cases: Sequence[Annotation], detections: Sequence[Annotation]) -> float:
    """Macro-averaged recall: the mean share of each case's characters that detections cover.

    Args:
        cases: The gold cases of the whole corpus.
        detections: The detections of the whole corpus.

    Returns:
        Recall in [0, 1]; 1 when both are empty, 0 when exactly one is empty (as PAN does).
    """
    return _macro(cases, detections)


def precision(cases: Sequence[Annotation], detections: Sequence[Annotation]) -> float:
    """Macro-averaged precision: the mean share of each detection's characters that cases cover.

    Args:
        cases: The gold cases of the whole corpus.
        detections: The detections of the whole corpus.

    Returns:
        Precision in [0, 1]; 1 when both are empty, 0 when exactly one is empty (as PAN does).
    """
    return _macro(detections, cases)


def granularity(cases: Sequence[Annotation], detections: Sequence[Annotation]) -> float:
    """Mean number of detections that overlap each detected case.

    Args:
        cases: The gold cases of the whole corpus.
        detections: The detections of the whole corpus.

    Returns:
        Granularity, at least 1; 1 when no case is detected.
    """
    index = _by_suspect(detections)
    counts = [sum(c.overlaps(d) for d in index.get(c.suspect_ref, ())) for c in cases]
    detected = [n for n in counts if n > 0]
    return sum(detected) / len(detected) if detected else 1.0


def plagdet(rec: float, prec: float, gran: float) -> float:
    """Combine recall, precision and granularity: F1 / log2(1 + granularity).

    Args:
        rec: Recall.
        prec: Precision.
        gran: Granularity (at least 1).

    Returns:
        The plagdet score; 0 when precision and recall are both 0.
    """
    if rec <= 0 and prec <= 0 or gran < 1:
        return 0.0
    return (2 * rec * prec / (rec + prec)) / math.log2(1 + gran)


def score(cases: Sequence[Annotation], detections: Sequence[Annotation]) -> Scores:
    """Compute every PAN measure for one corpus (all document pairs pooled).

    Detections with no characters on either side are dropped first: they cannot overlap
    anything and PAN's measures are undefined for them.

    Args:
        cases: The gold cases of the whole corpus.
        detections: The detections of the whole corpus.

    Returns:
        The :class:`Scores`.
    """
    dets = [d for d in detections if len(d.suspect) + len(d.source) > 0]
    rec, prec, gran = recall(cases, dets), precision(cases, dets), granularity(cases, dets)
    index = _by_suspect(dets)
    detected = sum(any(c.overlaps(d) for d in index.get(c.suspect_ref, ())) for c in cases)
    return Scores(
        precision=prec,
        recall=rec,
        granularity=gran,
        plagdet=plagdet(rec, prec, gran),
        cases=len(cases),
        detections=len(dets),
        detected_cases=detected,
    )
