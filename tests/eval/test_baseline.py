"""The exact-sentence baseline on tiny inline texts."""

from __future__ import annotations

from unspun.data import Document
from unspun.eval.baseline import BaselineDetector
from unspun.eval.detector import Detector, get_detector

SOURCE = (
    "The council approved the new budget on Monday evening. "
    "Officials said the vote was close and bitterly contested. "
    "Residents will see higher water bills starting next spring. "
    "The mayor did not comment."
)
SUSPECT = (
    "Breaking news from the town hall today. "
    "The council approved the new budget on Monday   evening.\n"
    "Officials said the vote was close and bitterly contested. "
    "Something else entirely happened in between these lines. "
    "RESIDENTS will see higher water bills starting next spring. "
    "The mayor did not comment."
)


def test_adjacent_sentences_merge_into_one_passage() -> None:
    src, sus = Document("src", SOURCE), Document("sus", SUSPECT)
    aligns = BaselineDetector().align_pair(sus, src)
    assert len(aligns) == 2
    first, second = aligns
    assert first.kind == "passage" and first.source_id == "src"
    assert first.suspect.of(SUSPECT).startswith("The council approved")
    assert first.suspect.of(SUSPECT).endswith("bitterly contested.")
    assert first.source.of(SOURCE) == SOURCE[: SOURCE.index(" Residents")]
    # "The mayor did not comment." is too short to count on its own.
    assert second.kind == "sentence"
    assert second.suspect.of(SUSPECT).lower() == second.source.of(SOURCE).lower()
    assert second.source.of(SOURCE).startswith("Residents will see")


def test_no_reuse_means_no_alignment() -> None:
    other = Document("o", "A completely different story about the weather this weekend in town.")
    assert BaselineDetector().align_pair(Document("s", SUSPECT), other) == []


def test_trace_attributes_sentences_and_shares() -> None:
    det = get_detector("baseline")
    assert isinstance(det, Detector)
    det.fit([Document("src", SOURCE, title="Budget"),
             Document("other", "Breaking news from the town hall today, said nobody at all.")])
    result = det.trace(Document("sus", SUSPECT))
    traced = [t for t in result.sentences if t.alignment is not None]
    assert [t.sentence.text[:12] for t in traced] == ["The council ", "Officials sa", "RESIDENTS wi"]
    assert [t.order for t in traced] == [0, 1, 2]
    assert len(result.sources) == 1 and result.sources[0].doc_id == "src"
    assert result.sources[0].title == "Budget" and result.sources[0].sentences == 3
    assert 0.5 < result.sources[0].share < 0.8
    assert result.traced_share == result.sources[0].share
    assert set(result.source_docs) == {"src"}
