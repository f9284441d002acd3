"""Verdicts: each label from hand-built traces, with evidence and confidence."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from explain.builders import Pair, make_trace
from unspun.config import JudgeConfig
from unspun.data import Finding, Span, TraceResult
from unspun.judge import judge
from unspun.text import split_sentences

SPUN_MIN_RATE = JudgeConfig().spun_min_rate

A = ("Putin met Trump in Helsinki on Monday. The talks with Russia were long. "
     "Officials in the U.S. were surprised. The two leaders will meet again in the autumn.")
B = ("Markets fell sharply in Tokyo on Tuesday. Investors worried about trade. "
     "The central bank kept rates unchanged.")


def _copy(suspect: str, source: str = A, sid: str = "a") -> TraceResult:
    pairs = [Pair(s, sid, t, i) for i, (s, t) in enumerate(zip(
        _sentences(suspect), _sentences(source), strict=False))]
    return make_trace(suspect, {sid: source}, pairs)


def _sentences(text: str) -> list[str]:
    return [s.text for s in split_sentences(text)]


def test_original() -> None:
    trace = make_trace("A brand new story about gardening in spring. Tomatoes grow well.",
                       {"a": A}, [])
    verdict = judge(trace)
    assert verdict.label == "original"
    assert verdict.confidence == 1.0
    assert verdict.evidence["traced_share"] == 0.0


def test_syndicated_copy() -> None:
    verdict = judge(_copy(A))
    assert verdict.label == "syndicated-copy"
    assert verdict.evidence["spin_rate"] == 0.0
    assert verdict.evidence["sources"] == [{"id": "a", "share": 1.0}]
    assert 0.5 <= verdict.confidence <= 1.0


def test_spun_copy() -> None:
    spun = A.replace("Russia", "Russian Federation").replace("U.S.", "USA").replace(
        "talks", "negotiations")
    verdict = judge(_copy(spun))
    assert verdict.label == "spun-copy"
    assert verdict.evidence["spin_rate"] >= SPUN_MIN_RATE
    assert verdict.evidence["synonym_edits"] == 3


def test_stitched_aggregate() -> None:
    suspect = ("Putin met Trump in Helsinki on Monday. Markets fell sharply in Tokyo on Tuesday. "
               "The talks with Russia were long. Investors worried about trade.")
    pairs = [Pair("Putin met Trump in Helsinki on Monday.", "a",
                  "Putin met Trump in Helsinki on Monday.", 0),
             Pair("Markets fell sharply in Tokyo on Tuesday.", "b",
                  "Markets fell sharply in Tokyo on Tuesday.", 0),
             Pair("The talks with Russia were long.", "a", "The talks with Russia were long.", 1),
             Pair("Investors worried about trade.", "b", "Investors worried about trade.", 1)]
    verdict = judge(make_trace(suspect, {"a": A, "b": B}, pairs))
    assert verdict.label == "stitched-aggregate"
    assert {s["id"] for s in verdict.evidence["sources"]} == {"a", "b"}


def test_partial_reuse() -> None:
    suspect = ("Putin met Trump in Helsinki on Monday. Our reporter spent the week talking to "
               "farmers across the region about the harvest, the weather and their worries. "
               "Officials in the U.S. were surprised. Prices for grain rose again this summer, "
               "and many farmers now fear a poor year ahead for the whole region.")
    pairs = [Pair("Putin met Trump in Helsinki on Monday.", "a",
                  "Putin met Trump in Helsinki on Monday.", 0),
             Pair("Officials in the U.S. were surprised.", "a",
                  "Officials in the U.S. were surprised.", 2)]
    verdict = judge(make_trace(suspect, {"a": A}, pairs))
    assert verdict.label == "partial-reuse"
    assert 0.2 <= verdict.evidence["traced_share"] < 0.6


def test_evidence_counts_facts_quotes_junk_and_reorder() -> None:
    suspect = ("The two leaders will meet again in the autumn. Putin met Lavrov in Helsinki on "
               "Tuesday. The talks with Russia were long.")
    pairs = [Pair("The two leaders will meet again in the autumn.", "a",
                  "The two leaders will meet again in the autumn.", 3),
             Pair("Putin met Lavrov in Helsinki on Tuesday.", "a",
                  "Putin met Trump in Helsinki on Monday.", 0),
             Pair("The talks with Russia were long.", "a", "The talks with Russia were long.", 1)]
    trace = make_trace(suspect, {"a": A}, pairs)
    trace.clean.findings.append(Finding("link-line", Span(0, 3), "Mor"))
    ev = judge(trace).evidence
    assert ev["changed_facts"] == 2  # a name and a weekday
    assert ev["junk_removed"] == 1
    assert ev["reorder"] == pytest.approx(1 / 3, abs=1e-3)
    assert ev["altered_quotes"] == 0


def test_one_shared_sentence_is_weak_partial_reuse_never_confident_original() -> None:
    suspect = ("Putin met Trump in Helsinki on Monday. Our reporter spent the week talking to "
               "farmers across the region about the harvest, the weather and their worries.")
    pairs = [Pair("Putin met Trump in Helsinki on Monday.", "a",
                  "Putin met Trump in Helsinki on Monday.", 0)]
    verdict = judge(make_trace(suspect, {"a": A}, pairs))
    assert verdict.provenance == "partial-reuse" and verdict.label == "partial-reuse"
    assert verdict.confidence == 0.5
    assert verdict.evidence["aligned_sentences"] == 1


def test_two_axes_spun_copy_with_consistent_low_rate_swaps() -> None:
    # Seven distinct sentences, about 70 content words: three swaps are about 4 per cent.
    days = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
    long_a = " ".join(f"On {d} the {n} round of talks with Russia ran long into the night, "
                      f"officials in Helsinki and Washington said after the meeting."
                      for n, d in zip(("first", "second", "third", "fourth", "fifth", "sixth",
                                       "seventh"), days, strict=True))
    spun = long_a.replace("talks with Russia", "talks with Russian Federation", 3)
    verdict = judge(_copy(spun, long_a))
    assert verdict.provenance == "copy" and verdict.manipulation == ["spun"]
    assert verdict.label == "spun-copy"
    assert verdict.evidence["spin_rate"] < 0.05  # below the old 5 % threshold


def test_lightly_reworded_copy_is_syndicated() -> None:
    rewritten = A.replace("Putin met Trump in Helsinki on Monday.",
                          "In Helsinki on Monday, Putin met Trump.")
    verdict = judge(_copy(rewritten))
    assert verdict.evidence["paraphrase_edits"] >= 1
    assert verdict.evidence["rewrite_rate"] > 0
    assert verdict.label == "syndicated-copy"


def test_confidence_drops_near_threshold() -> None:
    far = judge(_copy(A)).confidence
    own = " Our own reporter then spent two long days in the city talking to its people."
    near = judge(_copy(A + own)).confidence  # a copy of which a little is the page's own
    assert near < far


def test_spin_rate_counts_content_words_as_tokenize_does() -> None:
    """The rate's denominator: words and abbreviations outside STOPWORDS, no numbers
    ("a.m." is the stopword "am"; "U.S." counts)."""
    from unspun.text.tokens import STOPWORDS, tokenize

    text = ("At 9 a.m. the U.S. envoy said 2,000 people were there. "
            "Russia's envoy wasn't there, officials in the U.K. said.")
    spun = text.replace("envoy said", "emissary said")
    verdict = judge(_copy(spun, text))
    content = sum(1 for t in tokenize(spun) if t.kind in ("word", "abbr")
                  and t.norm not in STOPWORDS)
    assert content == 8  # U.S., emissary, people, Russia's, emissary, wasn't, officials, U.K.
    assert verdict.evidence["spin_rate"] == round(verdict.evidence["synonym_edits"] / content, 4)
    assert verdict.evidence["synonym_edits"] == 1


def test_adjacent_swaps_in_one_block_count_each_swapped_word() -> None:
    # "most given" -> "majority of provided" is one edit block holding two swaps.
    source = "Officials said most given aid in Helsinki ended late on Monday night."
    spun = "Officials said majority of provided aid in Helsinki ended late on Monday night."
    trace = _copy(spun, source)
    blocks = [e for st in trace.sentences if st.alignment for e in st.alignment.edits
              if e.op == "synonym"]
    assert len(blocks) == 1
    assert judge(trace).evidence["synonym_edits"] == 2


QUOTED = ('The minister spoke in Helsinki on Monday. "We will build the new bridge with '
          'care," she said. "Our support for the plan is firm," she added. The council '
          'meets again in the spring to discuss the budget.')


def _judged(suspect: str, source: str = QUOTED) -> tuple[TraceResult, JudgeConfig]:
    from unspun.explain.quote_check import check_quotes

    trace = _copy(suspect, source)
    trace.quote_findings = check_quotes(trace)
    return trace, JudgeConfig(spun_min_edits=2)


def test_swaps_only_inside_altered_quotes_are_quote_tampering_not_spin() -> None:
    tampered = QUOTED.replace("build", "construct").replace("support", "backing")
    trace, cfg = _judged(tampered)
    verdict = judge(trace, config=cfg)
    assert verdict.evidence["synonym_edits"] == 2
    assert verdict.evidence["quote_swaps"] == 2
    assert verdict.evidence["spin_rate"] >= cfg.spun_min_rate
    assert "altered-quotes" in verdict.manipulation
    assert "spun" not in verdict.manipulation


def test_a_swap_outside_the_quotes_makes_the_page_spun() -> None:
    spun = QUOTED.replace("build", "construct").replace("budget", "finances")
    trace, cfg = _judged(spun)
    verdict = judge(trace, config=cfg)
    assert verdict.evidence["synonym_edits"] == 2
    assert verdict.evidence["quote_swaps"] == 1
    assert "spun" in verdict.manipulation
    assert "spun" not in judge(trace, config=JudgeConfig(spun_min_edits=3)).manipulation


_SPAN = st.tuples(st.integers(0, 40), st.integers(0, 12)).map(lambda p: Span(p[0], p[0] + p[1]))


@given(st.lists(st.tuples(_SPAN, st.integers(1, 4)), max_size=12), st.lists(_SPAN, max_size=6))
def test_swaps_inside_quotes_counted_by_bisection_as_by_testing_each(
        swaps: list[tuple[Span, int]], quotes: list[Span]) -> None:
    """``_inside_count`` sums the same counts as testing every quote span for every swap
    (nested, overlapping, equal and empty spans; swaps on either edge)."""
    from unspun.data import Edit
    from unspun.judge import _inside_count

    edits = [(Edit("synonym", s, Span(0, 0), "", ""), n) for s, n in swaps]
    want = sum(n for e, n in edits if any(
        q.start <= e.suspect.start and e.suspect.end <= q.end for q in quotes))
    assert _inside_count(edits, quotes) == want


@given(st.lists(st.sampled_from(["", "most", "the majority", "of provided", ",", "x-y", "U.S.",
                                 "3.5", "don't", " "]), min_size=2, max_size=2))
def test_words_swapped_is_the_shorter_side_at_least_one(sides: list[str]) -> None:
    from unspun.data import Edit
    from unspun.judge import _words_swapped
    from unspun.text.tokens import word_forms

    sus, src = sides
    edit = Edit("synonym", Span(0, len(sus)), Span(0, len(src)), sus, src)
    assert _words_swapped(edit) == max(1, min(len(word_forms(src)), len(word_forms(sus))))
