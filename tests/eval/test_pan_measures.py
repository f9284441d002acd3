"""The PAN measures on hand-built cases whose scores can be worked out on paper."""

from __future__ import annotations

import math

import pytest

from unspun.data import Span
from unspun.eval.pan_measures import (
    Annotation,
    granularity,
    plagdet,
    precision,
    recall,
    score,
)


def ann(t0: int, t1: int, s0: int, s1: int, *, susp: str = "s1", src: str = "r1") -> Annotation:
    return Annotation(susp, Span(t0, t1), src, Span(s0, s1))


CASE = ann(100, 200, 1000, 1100)


def test_perfect_detection_scores_one() -> None:
    s = score([CASE], [CASE])
    assert (s.precision, s.recall, s.granularity, s.plagdet) == (1.0, 1.0, 1.0, 1.0)
    assert s.detected_cases == 1


def test_half_coverage_on_both_sides() -> None:
    s = score([CASE], [ann(100, 150, 1000, 1050)])
    assert s.recall == pytest.approx(0.5)
    assert s.precision == pytest.approx(1.0)
    assert s.plagdet == pytest.approx(2 * 0.5 / 1.5)


def test_half_coverage_on_one_side_only() -> None:
    # The suspect side is fully covered, the source side half: (100 + 50) / 200.
    s = score([CASE], [ann(100, 200, 1000, 1050)])
    assert s.recall == pytest.approx(0.75)
    assert s.precision == pytest.approx(1.0)


def test_detection_overrunning_the_case_loses_precision() -> None:
    # 100 extra characters on each side: the detection is half right.
    s = score([CASE], [ann(50, 250, 950, 1150)])
    assert s.recall == pytest.approx(1.0)
    assert s.precision == pytest.approx(0.5)


def test_two_detections_splitting_one_case_have_granularity_two() -> None:
    dets = [ann(100, 150, 1000, 1050), ann(150, 200, 1050, 1100)]
    s = score([CASE], dets)
    assert s.recall == pytest.approx(1.0)
    assert s.precision == pytest.approx(1.0)
    assert s.granularity == pytest.approx(2.0)
    assert s.plagdet == pytest.approx(1 / math.log2(3))


def test_overlapping_detections_count_shared_characters_once() -> None:
    dets = [ann(100, 170, 1000, 1070), ann(130, 200, 1030, 1100)]
    assert recall([CASE], dets) == pytest.approx(1.0)
    assert granularity([CASE], dets) == pytest.approx(2.0)
    # Two detections that each overrun by 20 on both sides of a 60-char case.
    case = ann(120, 180, 1020, 1080)
    assert recall([case], dets) == pytest.approx(1.0)
    assert precision([case], dets) == pytest.approx((50 / 70 + 50 / 70) / 2)


def test_detection_on_the_wrong_source_side_does_not_count() -> None:
    # Right suspect span, disjoint source span: not a detection of the case at all.
    wrong_span = ann(100, 200, 5000, 5100)
    wrong_doc = ann(100, 200, 1000, 1100, src="r2")
    for det in (wrong_span, wrong_doc):
        s = score([CASE], [det])
        assert (s.recall, s.precision, s.plagdet, s.detected_cases) == (0.0, 0.0, 0.0, 0)
        assert s.granularity == 1.0


def test_corpus_is_pooled_over_documents() -> None:
    cases = [CASE, ann(0, 100, 0, 100, susp="s2"), ann(0, 100, 0, 100, susp="s3", src="r9")]
    dets = [CASE, ann(0, 50, 0, 50, susp="s2"), ann(500, 600, 500, 600, susp="s4")]
    # Recall: (1 + 0.5 + 0) / 3 cases; precision: (1 + 1 + 0) / 3 detections.
    assert recall(cases, dets) == pytest.approx(0.5)
    assert precision(cases, dets) == pytest.approx(2 / 3)
    assert granularity(cases, dets) == pytest.approx(1.0)


def test_empty_sets_follow_the_reference() -> None:
    assert recall([], []) == 1.0 and precision([], []) == 1.0
    assert recall([CASE], []) == 0.0 and precision([CASE], []) == 0.0
    assert recall([], [CASE]) == 0.0 and precision([], [CASE]) == 0.0
    assert granularity([CASE], []) == 1.0
    assert score([CASE], []).plagdet == 0.0


def test_empty_detections_are_dropped() -> None:
    s = score([CASE], [CASE, ann(150, 150, 1050, 1050)])
    assert s.detections == 1 and s.plagdet == 1.0


def test_plagdet_formula() -> None:
    assert plagdet(1.0, 1.0, 1.0) == 1.0
    assert plagdet(0.0, 0.0, 1.0) == 0.0
    assert plagdet(0.5, 1.0, 3.0) == pytest.approx((2 * 0.5 / 1.5) / 2)
