"""Properties of alignment: offsets always slice the original texts, whatever the suspect."""

from __future__ import annotations

from random import Random

from hypothesis import given, settings
from hypothesis import strategies as st

from align.builders import align, spin
from index.corpus import by_id
from unspun.align.passages import passages
from unspun.text import split_sentences

SOURCES = [by_id("wikinews-airasia"), by_id("wikinews-afghan")]
POOL = [(d, s) for d in SOURCES for s in split_sentences(d.text)]
BY_ID = {d.id: d for d in SOURCES}
NOISE = ["Related news", "Click here to subscribe!", "“Unbalanced quote", "x", "12 3 4",
         "He said \"yes\" and \"no\".", "\n\n"]


@settings(max_examples=40, deadline=None)
@given(picks=st.lists(st.integers(0, len(POOL) - 1), min_size=0, max_size=10),
       noise=st.lists(st.sampled_from(NOISE), max_size=4),
       rate=st.sampled_from([0.0, 0.2, 0.5]), seed=st.integers(0, 1000),
       sep=st.sampled_from([" ", "\n", "\n\n"]))
def test_alignment_offsets_slice_both_texts(picks: list[int], noise: list[str], rate: float,
                                            seed: int, sep: str) -> None:
    rng = Random(seed)
    parts = [spin(POOL[i][1].text, rate, rng) for i in picks] + noise
    rng.shuffle(parts)
    text = sep.join(parts)
    traces = align(text, SOURCES)
    sentences = split_sentences(text)
    assert [t.sentence for t in traces] == sentences
    for t in traces:
        al = t.alignment
        if al is None:
            continue
        assert al.suspect == t.sentence.span  # suspect spans are sentence spans
        assert al.suspect.of(text) == t.sentence.text
        src = BY_ID[al.source_id].text
        assert 0 <= al.source.start < al.source.end <= len(src)
        assert al.source.of(src).strip() == al.source.of(src)
        assert al.kind in ("sentence", "merge", "split")
        assert 0.0 < al.score <= 1.0 + 1e-6
    for doc in SOURCES:
        for p in passages(text, doc.text, doc.id, traces):
            assert 0 <= p.suspect.start < p.suspect.end <= len(text)
            assert 0 <= p.source.start < p.source.end <= len(doc.text)
            assert p.suspect.of(text)[0].isalnum() and p.source.of(doc.text)[0].isalnum()
