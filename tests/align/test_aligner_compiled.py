"""The aligner's compiled helpers (``weigh_bound``, ``top_two``, ``doc_freq``,
``best_table`` in :mod:`unspun._speedups`) decide as their numpy twins do."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from align.test_aligner_shortcuts import _stitched
from index.corpus import wikinews
from unspun._native import speedups
from unspun.align import aligner, vectors
from unspun.align.aligner import Candidate, _Match, align_sentences
from unspun.config import AlignConfig
from unspun.text import split_sentences

pytestmark = pytest.mark.skipif(speedups is None, reason="the compiled module is not built")

_CONFIGS = [AlignConfig(), AlignConfig(min_containment=0.5, merge_reach=0.25, merge_gain=0.125),
            AlignConfig(min_dice=0.5, min_covered=0.5, min_covered_weight=2.0,
                        fragment_containment=0.5),
            AlignConfig(outside_share=0.5, min_outside_weight=2.0, merge_max_gap=3,
                        merge_min_part=0.25, quote_share=0.25, name_weight=1.0)]


def _trace_kernel(seed: int, cfg: AlignConfig
                  ) -> tuple[vectors.Kernel, list[vectors.SentenceBag], np.ndarray]:
    """A stitched suspect's kernel against its candidates as a trace builds it (entries
    kept), its bags and the candidates' first rows."""
    text, cands = _stitched(seed)
    s_bags = vectors.bags(text, split_sentences(text), cfg)
    k = vectors.documents_kernel(vectors.suspect_side(s_bags), [c.doc.text for c in cands],
                                 [c.sentences for c in cands], cfg)
    return k, s_bags, np.array([0, *np.cumsum([len(c.sentences) for c in cands])])


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 10_000), st.sampled_from(_CONFIGS))
def test_best_table_is_the_numpy_table(seed: int, cfg: AlignConfig) -> None:
    k, s_bags, starts = _trace_kernel(seed, cfg)
    sizes = np.diff(starts)
    docs = np.flatnonzero(sizes > 0)
    got = aligner._best_table(k, s_bags, docs, starts[docs], sizes[docs], cfg)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(aligner, "_best_table_c", None)
        want = aligner._best_table(k, s_bags, docs, starts[docs], sizes[docs], cfg)
    assert got == want
    assert [tuple(map(type, r)) for r in got] == [tuple(map(type, r)) for r in want]
    assert got  # the suspect is stitched from the candidates


def test_best_table_leaves_out_only_pairs_that_give_nothing() -> None:
    """Every match of the full loop comes from a row of the table (the table left out no
    pair that gives one)."""
    cfg = AlignConfig()
    for seed in range(6):
        k, s_bags, starts = _trace_kernel(seed, cfg)
        sizes = np.diff(starts)
        docs = np.flatnonzero(sizes > 0)
        table = aligner._best_table(k, s_bags, docs, starts[docs], sizes[docs], cfg)
        idf = aligner._rarity(k, starts, cfg)
        live = aligner._live(k, starts, cfg)
        _, cands = _stitched(seed)

        def pieces(d: int, j: int, cands: list[Candidate] = cands) -> list[int]:
            return aligner._pieces(cands[d], j)

        want = [aligner._best_matches(i, k, s_bags[i], starts, idf, live[i], cfg, pieces)
                for i in range(len(s_bags))]
        pairs = {(r[0], r[1]) for r in table}
        assert {(i, d) for i, w in enumerate(want) for d in w} <= pairs


@settings(max_examples=300, deadline=None)
@given(st.lists(st.integers(0, 6), min_size=0, max_size=12), st.booleans())
def test_top_two_is_the_sort_when_no_tie_decides(values: list[int], halves: bool) -> None:
    seg = np.array(values, dtype=np.float32) / (2 if halves else 7)
    got = speedups.top_two(seg)
    order = np.argsort(-seg)[:2].tolist()
    top = sorted(set(seg.tolist()), reverse=True)
    if got is None:  # fewer than two values, or a tie among the first two places
        assert (len(seg) < 2 or (seg == top[0]).sum() > 1
                or (len(top) > 1 and (seg == top[1]).sum() > 1))
    else:
        assert list(got) == order
    assert speedups.top_two(np.array([1, np.nan, 0], dtype=np.float32)) is None
    with pytest.raises(ValueError):
        speedups.top_two(np.zeros(3))  # float64


@settings(max_examples=20, deadline=None)
@given(st.integers(0, 10_000))
def test_doc_freq_counts_the_documents_of_b(seed: int) -> None:
    cfg = AlignConfig()
    k, _, starts = _trace_kernel(seed, cfg)
    assert k.entries is not None
    got = aligner._rarity(k, starts, cfg)
    k.entries = None
    want = aligner._rarity(k, starts, cfg)
    assert got.dtype == want.dtype and got.tobytes() == want.tobytes()


def _pending_matches(seed: int, cfg: AlignConfig) -> list[_Match]:
    """The matches of a trace's alignment, weights not yet asked for."""
    k, s_bags, starts = _trace_kernel(seed, cfg)
    idf = aligner._rarity(k, starts, cfg)
    _, cands = _stitched(seed)
    found = aligner._all_best_matches(k, s_bags, starts, idf, cfg,
                                      lambda d, j: aligner._pieces(cands[d], j))
    return [m for per_doc in found for m in per_doc.values()]


@settings(max_examples=15, deadline=None)
@given(st.integers(0, 10_000), st.sampled_from(_CONFIGS))
def test_weigh_bound_decides_as_the_float32_weights(seed: int, cfg: AlignConfig) -> None:
    """At thresholds far from, near and at the float32 value itself, the tests give what
    the float32 weights give; the value lies within the bound; names are counted alike."""
    matches = _pending_matches(seed, cfg)
    assert matches
    for m in matches:
        assert m.pending is not None
        exact = aligner._weigh(*m.pending)
        rare, err, plain, err_plain, names = m._bounds()
        assert abs(rare - exact[0]) <= err and abs(plain - exact[1]) <= err_plain
        assert names == exact[2] == m.names
        for t in (0.0, 1.0, 3.0, 9.0, 14.0, exact[0], exact[1],
                  float(np.nextafter(exact[0], np.inf)), float(np.nextafter(exact[1], -np.inf))):
            fresh = _Match(m.doc, m.rows, m.score, m.quote_only, pending=m.pending)
            assert fresh.rare_at_least(t) == (exact[0] >= t)
            assert fresh.plain_at_least(t) == (exact[1] >= t)


def test_weigh_bound_asks_the_float32_weights_only_near_a_threshold() -> None:
    cfg = AlignConfig()
    m = next(m for m in _pending_matches(1, cfg) if aligner._weigh(*m.pending)[0] > 1)
    assert m.pending is not None
    exact = aligner._weigh(*m.pending)
    calls: list[int] = []
    real = aligner._weigh

    def counting(*args: object) -> tuple[float, float, int]:
        calls.append(1)
        return real(*args)  # type: ignore[arg-type]

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(aligner, "_weigh", counting)
        far = _Match(m.doc, m.rows, m.score, m.quote_only, pending=m.pending)
        assert far.rare_at_least(exact[0] / 2) and not far.rare_at_least(exact[0] * 2)
        assert not calls
        near = _Match(m.doc, m.rows, m.score, m.quote_only, pending=m.pending)
        assert near.rare_at_least(exact[0])
        assert calls == [1]
        assert near.rare == exact[0]


def test_weigh_bound_checks_its_arguments() -> None:
    a = np.ones((2, 3), dtype=np.float32)
    idf = np.ones(3, dtype=np.float32)
    assert speedups.weigh_bound(a, a, idf, 1, [0, 1], 1.5)[4] == 0  # weights under 1.5
    assert speedups.weigh_bound(a * 2, a, idf, 0, [1], 1.5)[4] == 3
    assert speedups.weigh_bound(a * np.inf, a, idf, 0, [1], 1.5) is None
    for args in ((a, a, idf, 2, [0], 1.5), (a, a, idf, 0, [2], 1.5), (a, a, idf, 0, [], 1.5),
                 (a, a.astype(np.float64), idf, 0, [0], 1.5)):
        with pytest.raises(ValueError):
            speedups.weigh_bound(*args)


def test_trace_alignments_are_those_of_the_numpy_twins() -> None:
    """Candidates from one suspect's neighbours, aligned with every helper compiled and
    with none: the same alignments."""
    cfg = AlignConfig()
    docs = wikinews(12)
    split = [split_sentences(d.text) for d in docs]
    found = 0
    for n, suspect in enumerate(docs[:4]):
        def run(text: str = suspect.text, n: int = n) -> list[object]:
            cands = [Candidate(d, s, once=True) for d, s in zip(docs, split, strict=True)]
            return [(t.alignment, t.order) for t in align_sentences(text, split[n], cands, cfg)]

        got = run()
        with pytest.MonkeyPatch.context() as mp:
            for name in ("_weigh_bound_c", "_top_two_c", "_doc_freq_c", "_best_table_c"):
                mp.setattr(aligner, name, None)
            want = run()
        assert got == want
        found += sum(a is not None for a, _ in got)  # type: ignore[misc]
    assert found


@settings(max_examples=15, deadline=None)
@given(st.integers(0, 10_000), st.sampled_from([(0.25, 1.0, 1.5), (0.1, 1.0, 1.3)]))
def test_union_sums_give_numpys_union_containment(seed: int, weights: tuple[float, ...]
                                                  ) -> None:
    """With exact weights (multiples of 1/1024) and without (0.1: numpy's sums then)."""
    cfg = AlignConfig(stop_weight=weights[0], word_weight=weights[1], name_weight=weights[2])
    k, _, _ = _trace_kernel(seed, cfg)
    rng = np.random.default_rng(seed)
    for _ in range(40):
        i = int(rng.integers(len(k.a)))
        rows = sorted(rng.choice(len(k.b), size=int(rng.integers(1, 4)), replace=False).tolist())
        got = k.union_containment(i, rows)
        with pytest.MonkeyPatch.context() as mp:
            mp.setattr(vectors, "_union_sums", None)
            want = k.union_containment(i, rows)
        assert got == want
    exact = speedups.union_sums(k.a, k.b, 0, [0])
    assert (exact is None) == (weights[0] == 0.1)
    with pytest.raises(ValueError):
        speedups.union_sums(k.a, k.b, len(k.a), [0])
