"""Sentence alignment: reordering, stitching, truncation, merges, splits, paraphrase and spin."""

from __future__ import annotations

from random import Random

import pytest

from align.builders import align, paraphrase, plain, spin
from index.corpus import by_id
from unspun.align import Candidate, align_sentences
from unspun.config import AlignConfig
from unspun.data import Document, SentenceTrace
from unspun.text import split_sentences

A, B, C = "wikinews-afghan", "wikinews-airasia", "wikinews-ahmadinejad"


@pytest.fixture(scope="module")
def docs() -> dict[str, Document]:
    return {i: by_id(i) for i in (A, B, C)}


def _sources(traces: list[SentenceTrace]) -> list[str | None]:
    return [t.alignment.source_id if t.alignment else None for t in traces]


def _check_spans(text: str, traces: list[SentenceTrace], docs: dict[str, Document]) -> None:
    for t in traces:
        al = t.alignment
        if al is not None:
            assert al.suspect == t.sentence.span
            assert al.suspect.of(text) == t.sentence.text
            assert al.source.of(docs[al.source_id].text)


def test_reordered_sentences_all_align_to_their_source(docs: dict[str, Document]) -> None:
    sents = plain(docs[A])[:7]
    shuffled = sents[:]
    Random(3).shuffle(shuffled)
    assert shuffled != sents
    text = " ".join(s.text for s in shuffled)
    traces = align(text, [docs[A], docs[B]])
    assert len(traces) == len(shuffled)
    for t, src in zip(traces, shuffled, strict=True):
        assert t.alignment is not None and t.alignment.source_id == A
        assert t.alignment.source == src.span  # the very sentence it came from
        assert t.order is not None and t.alignment.kind == "sentence"
        assert t.alignment.score == pytest.approx(1.0)
    _check_spans(text, traces, docs)


def test_stitched_from_three_sources(docs: dict[str, Document]) -> None:
    parts = [(A, s) for s in plain(docs[A])[:3]] + [(C, s) for s in plain(docs[C])[:3]] + \
            [(B, s) for s in plain(docs[B])[:3]]
    Random(5).shuffle(parts)
    text = "\n\n".join(s.text for _, s in parts)
    traces = align(text, [docs[A], docs[B], docs[C]])
    assert _sources(traces) == [doc_id for doc_id, _ in parts]
    for t, (_, s) in zip(traces, parts, strict=True):
        assert t.alignment is not None and t.alignment.source == s.span
    _check_spans(text, traces, docs)


def test_truncated_sentences_align(docs: dict[str, Document]) -> None:
    sents = plain(docs[A])[:5]
    halves = [" ".join(s.text.split()[: len(s.text.split()) // 2 + 1]).rstrip(",;") + "."
              for s in sents]
    text = " ".join(halves)
    traces = align(text, [docs[A], docs[B]])
    assert _sources(traces) == [A] * len(sents)
    for t, s in zip(traces, sents, strict=True):
        assert t.alignment is not None and t.alignment.source == s.span
    _check_spans(text, traces, docs)


COUNCIL = (
    "The regional council approved a new budget for public schools on Monday evening. "
    "Teachers had campaigned for months for smaller classes and better laboratory equipment. "
    "Construction crews will repair the flooded library before the winter holidays begin. "
    "Parents gathered outside the town hall carrying banners and homemade signs. "
    "The mayor promised another vote on bus routes in the spring."
)


def test_two_source_sentences_joined_are_a_merge() -> None:
    source = Document(id="council", text=COUNCIL)
    s = [t.alignment for t in align(COUNCIL, [source])]
    merged = (
        "The regional council approved a new budget for public schools on Monday evening. "
        "Teachers had campaigned for months for smaller classes and better laboratory equipment. "
        "Construction crews will repair the flooded library before the winter holidays begin, "
        "and parents gathered outside the town hall carrying banners and homemade signs."
    )
    traces = align(merged, [source])
    last = traces[-1].alignment
    assert last is not None and last.kind == "merge", last
    assert s[2] is not None and s[3] is not None
    assert (last.source.start, last.source.end) == (s[2].source.start, s[3].source.end)
    assert [t.alignment.kind for t in traces[:2]] == ["sentence", "sentence"]  # type: ignore
    _check_spans(merged, traces, {"council": source})


def test_one_source_sentence_cut_in_two_is_a_split(docs: dict[str, Document]) -> None:
    sents = plain(docs[A], min_words=20)
    target = sents[1]
    words = target.text.rstrip(".").split()
    k = len(words) // 2
    halves = [" ".join(words[:k]) + ".", words[k].capitalize() + " " + " ".join(words[k + 1:]) + "."]
    text = " ".join([sents[0].text, *halves, sents[2].text])
    traces = align(text, [docs[A]])
    kinds = [t.alignment.kind if t.alignment else None for t in traces]
    assert kinds == ["sentence", "split", "split", "sentence"]
    assert traces[1].alignment.source == traces[2].alignment.source == target.span  # type: ignore
    _check_spans(text, traces, docs)


def test_light_paraphrase_aligns(docs: dict[str, Document]) -> None:
    sents = plain(docs[A])[:6]
    text = " ".join(paraphrase(s.text) for s in sents)
    traces = align(text, [docs[A], docs[B]])
    assert _sources(traces) == [A] * len(sents)
    for t, s in zip(traces, sents, strict=True):
        assert t.alignment is not None and t.alignment.source == s.span
        assert t.alignment.score < 1.0
    _check_spans(text, traces, docs)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_thirty_percent_spin_aligns(docs: dict[str, Document], seed: int) -> None:
    sents = plain(docs[B])[:8]
    spun = [spin(s.text, 0.3, Random(seed)) for s in sents]
    assert sum(a != b.text for a, b in zip(spun, sents, strict=True)) >= 7
    text = " ".join(spun)
    traces = align(text, [docs[A], docs[B], docs[C]])
    assert _sources(traces) == [B] * len(sents)
    for t, s in zip(traces, sents, strict=True):
        assert t.alignment is not None and t.alignment.source == s.span
    _check_spans(text, traces, docs)


SOURCE_REPORT = (
    "President Donald Trump met Russian President Vladimir Putin in Helsinki on Monday for "
    "their first formal summit. The two leaders spoke privately for more than two hours, with "
    "only their interpreters present. Afterwards Trump told reporters: \"It wasn't always "
    "conciliatory in that meeting, but we got a lot done.\" Putin said the talks had been "
    "frank and useful, and that relations between Moscow and Washington could now improve."
)
OTHER_REPORT = (
    "Critics in Washington condemned Donald Trump on Tuesday for siding with Vladimir Putin "
    "over his own intelligence agencies. Senators from both parties demanded a briefing on the "
    "Helsinki summit by the end of the week. Trump insisted, \"It wasn't always conciliatory "
    "in that meeting, but we got a lot done.\" Analysts in Moscow expect Putin to use the "
    "summit to press for an end to sanctions on Russian banks and energy firms."
)


def test_same_names_and_a_shared_quote_are_not_a_copy() -> None:
    source = Document(id="wire", text=SOURCE_REPORT)
    traces = align(OTHER_REPORT, [source])
    assert len(traces) == 4
    assert _sources(traces) == [None] * 4
    # The same report, copied, does align: the negative is not just a blind aligner.
    assert _sources(align(SOURCE_REPORT, [source])) == ["wire"] * 4


def test_no_candidates_or_no_sentences() -> None:
    assert _sources(align("One sentence about nothing in particular here.", [])) == [None]
    assert align("", [Document(id="x", text=SOURCE_REPORT)]) == []


# One-sentence borrowings (issue 10): the source story, a page that borrows one of its
# sentences lightly spun, and a same-topic report that shares only a long name.
STORY = (
    "The archaeologists fear they may have to postpone work for security reasons over the "
    "summer months. Excavations at the site began in 2004 under a permit from the ministry. "
    "Jeffrey Richards, president of the National Air Traffic Controllers Association, told "
    "reporters that the tower had been understaffed for weeks."
)
OTHER_STORIES = [
    Document(id=f"other-{i}", text=text) for i, text in enumerate([
        "The council approved the budget on Monday. Members debated the plan for hours.",
        "Rain is expected across the region this weekend. Farmers welcomed the forecast.",
        "The club signed a new striker from Brazil. Fans gathered outside the stadium.",
    ])
]


def test_one_long_spun_sentence_without_names_names_its_source() -> None:
    # No names, 16 words, three words swapped: containment about 0.7, below support_score.
    page = ("The archaeologists dread they may have to postpone labor for protection reasons "
            "over the summer months.")
    traces = align(page, [Document(id="story", text=STORY), *OTHER_STORIES])
    assert _sources(traces) == ["story"]
    strict = AlignConfig(strong_rare_words=100)  # names still required: not enough alone
    assert _sources(align(page, [Document(id="story", text=STORY), *OTHER_STORIES],
                          strict)) == [None]


def test_a_shared_long_name_alone_does_not_name_a_source() -> None:
    page = ("National Air Traffic Controllers Association has become the focus of attention "
            "in recent days.")
    traces = align(page, [Document(id="story", text=STORY), *OTHER_STORIES])
    assert _sources(traces) == [None]



COURT_STORY = (
    "Police arrested the driver on Friday after a long chase through the city centre. "
    "Bennett has since been released on bail. The hearing was attended by Mohamed Nasheed, "
    "the president of the Maldives."
)


BORROWED = ("The archaeologists fear they may have to postpone work for security reasons over "
            "the summer months.")  # a long sentence copied whole: a source on its own


def test_a_short_sentence_copied_whole_names_its_source_on_a_stitched_page() -> None:
    short = "Bennett has since been released on bail."  # 7 words, one name
    sources = [Document(id="court", text=COURT_STORY), Document(id="story", text=STORY),
               *OTHER_STORIES]
    assert _sources(align(f"{BORROWED} {short}", sources)) == ["story", "court"]
    strict = AlignConfig(extra_min_words=8)
    assert _sources(align(f"{BORROWED} {short}", sources, strict)) == ["story", None]
    # Alone on a page that borrows nothing else, a short shared sentence may be a formula
    # two reports share ("The first half ended 1-1 on the scoreboard."): no source.
    assert _sources(align(short, sources)) == [None]


def test_a_short_name_phrase_copied_whole_names_no_source() -> None:
    short = "Mohamed Nasheed, the president of the Maldives."  # little but names
    sources = [Document(id="court", text=COURT_STORY), Document(id="story", text=STORY),
               *OTHER_STORIES]
    assert _sources(align(f"{BORROWED} {short}", sources)) == ["story", None]


# A rewrite fusing two sentences of one paragraph that are not adjacent (issue 10's seed page:
# "X called the summit "a key event" and said that A and B should continue to be in contact").
ENVOY = (
    "Norway's ambassador Erik Larsen says the fishing ministers of both countries should keep "
    "meeting in person after their talks in Bergen this week. "
    "Officials from both countries spent the morning inspecting the new harbour cranes. "
    "He described Tuesday's talks in Bergen as a \"turning point\" for the long dispute over "
    "cod quotas, the state news agency reported."
)
FUSED = ("Larsen called the talks a \"turning point\" for cod quotas and said the ministers "
         "should keep meeting in person.")


def test_two_sentences_one_apart_fused_are_a_merge_that_names_the_source() -> None:
    source = Document(id="envoy", text=ENVOY)
    rows = [s.span for s in split_sentences(ENVOY)]
    [trace] = align(FUSED, [source, *OTHER_STORIES])
    al = trace.alignment
    assert al is not None and al.source_id == "envoy" and al.kind == "merge", al
    assert (al.source.start, al.source.end) == (rows[0].start, rows[2].end)
    assert al.score >= AlignConfig().strong_score  # alone, neither sentence reaches a match
    assert _sources(align(FUSED, [source, *OTHER_STORIES], AlignConfig(merge_max_gap=1))) == [None]


# A source accepted on two copied sentences, and a sentence of the page that shares only names
# and words every same-topic report has with two of its other sentences (issue 10's seed page:
# "'I said the word would instead of wouldn't,' he says regarding Russian interference ..."
# merged with "... his latest about-face involving Russian interference ...").
COUNCIL_STORY = (
    "The city council of Bergen voted on Tuesday to expand the fishing harbour by 2028. "
    "The mayor's comments on Wednesday come on the heels of his latest reversal over the "
    "harbour expansion plans. "
    "Local fishermen had opposed the project for years, fearing higher fees at the quay. "
    "Construction of the new breakwater is expected to cost about 40 million crowns."
)
COUNCIL_COPIED = (
    "The city council of Bergen voted on Tuesday to expand the fishing harbour by 2028. "
    "Local fishermen had opposed the project for years, fearing higher fees at the quay. "
)
SAME_TOPIC = [
    Document(id=f"same-{town}", text=f"The mayor of {town} says the harbour expansion plans "
             f"were discussed with fishermen in {town} on Wednesday.")
    for town in ("Oslo", "Tromso", "Stavanger", "Alesund", "Bodo", "Molde", "Narvik",
                 "Harstad", "Kristiansund", "Haugesund", "Arendal", "Larvik")
]


def test_a_weak_merge_of_common_words_with_an_accepted_source_is_not_taken() -> None:
    sources = [Document(id="council", text=COUNCIL_STORY), *SAME_TOPIC]
    page = COUNCIL_COPIED + ("'I said cheaper instead of dearer, ' the mayor says regarding the "
                             "Bergen harbour expansion plans in 2028.")
    assert _sources(align(page, sources)) == ["council", "council", None]
    # The merge is there, between min_containment and support_score: with a lower
    # support_score it would be taken.
    last = align(page, sources, AlignConfig(support_score=0.6))[-1].alignment
    assert last is not None and last.kind == "merge"
    assert AlignConfig().min_containment <= last.score < AlignConfig().support_score
    # A merge as weak that shares plain words no other report has ("voted", "Tuesday") is kept.
    page = COUNCIL_COPIED + ("'I said cheaper instead of dearer, ' the mayor says regarding the "
                             "harbour expansion plans voted in Bergen on Tuesday.")
    last = align(page, sources)[-1].alignment
    assert last is not None and last.kind == "merge" and last.score < AlignConfig().support_score


# One more source on a page that borrows elsewhere (issue 10, farm one-sentence borrowings):
# a clause cut from a long source sentence, and a caption line that must stay furniture.
PROTEST_STORY = (
    "Despite having achieved one of their aims, protesters intend to stay in the square until "
    "the remaining demands of the movement, including the release of detained students and "
    "early elections, are met by the council.\n\n"
    "Erik Larsen speaks to reporters in Bergen.\n\n"
    "Police estimated the crowd at several thousand on Saturday evening."
)


def _stitched(extra: str) -> tuple[str, list[Document]]:
    sources = [Document(id="protest", text=PROTEST_STORY), Document(id="story", text=STORY),
               *OTHER_STORIES]
    return f"{BORROWED}\n\n{extra}", sources


def test_a_clause_cut_from_a_long_sentence_names_its_source_on_a_stitched_page() -> None:
    page, sources = _stitched("Despite having achieved one of their aims.")
    assert _sources(align(page, sources)) == ["story", "protest"]
    # The clause is a seventh of the source sentence: Dice is under min_dice, so it matches
    # only through fragment_containment.
    assert _sources(align(page, sources, AlignConfig(fragment_containment=1.01))) == [
        "story", None]
    # On a page of its own, one shared clause is no borrowing.
    assert _sources(align("Despite having achieved one of their aims.", sources)) == [None]


def test_a_short_line_of_its_own_in_the_source_never_names_it() -> None:
    # A caption in the source, copied whole: it has rare plain words, but a short line of
    # its own is furniture, not body text.
    page, sources = _stitched("Erik Larsen speaks to reporters in Bergen.")
    assert _sources(align(page, sources)) == ["story", None]
    assert _sources(align(page, sources, AlignConfig(extra_line_words=0))) == [
        "story", "protest"]


LONG = ("The regional council approved the new harbour plan on Tuesday after a debate that "
        "lasted most of the night, with fishermen, shipping firms and residents of the old "
        "town all asking for changes to the quay, the breakwater and the roads that lead to "
        "the ferry terminal, which the mayor promised to consider before the final vote.")


def test_pieces_of_one_long_source_sentence_are_joined_as_one_sentence() -> None:
    source = Document(id="council", text=f"{LONG} Work is due to start in the spring.")
    rows = split_sentences(source.text, max_chars=250)
    assert len(rows) == 3  # the long sentence is cut in two
    cand = Candidate(source, rows)
    page = LONG.replace("approved", "backed").replace("debate", "discussion")
    [trace] = align_sentences(page, split_sentences(page), [cand], AlignConfig())
    al = trace.alignment
    assert al is not None and al.kind == "sentence"
    assert al.score >= AlignConfig().strong_score  # each piece alone explains about half
    assert (al.source.start, al.source.end) == (rows[0].span.start, rows[1].span.end)


# False sources of the farm benchmark (issue 10): a short sentence that shares a formula with
# a longer one, and a series' formula that differs from an earlier issue's only in its date.
CLIMATE_STORY = (
    "Sea ice in the Arctic is thinning faster than models had predicted, researchers said. "
    "The study was published in journal Nature Climate Change yesterday. "
    "Its authors compared satellite records from four decades."
)
SHORTS_ISSUE = (
    "A compilation of brief news reports for Sunday, April 15, 2007. "
    "The ferry operator cancelled all sailings to the northern islands after a storm."
)


def test_a_short_loose_match_on_a_stitched_page_names_no_source() -> None:
    sources = [Document(id="climate", text=CLIMATE_STORY), Document(id="story", text=STORY),
               *OTHER_STORIES]
    page = f"{BORROWED} Their study was published Wednesday in Nature."
    assert _sources(align(page, sources)) == ["story", None]
    # Only the short-sentence condition keeps it out: 7 words at about 0.7.
    loose = AlignConfig(extra_short_words=0)
    assert _sources(align(page, sources, loose)) == ["story", "climate"]
    # Copied whole, the same short sentence is one more sentence as before.
    page = f"{BORROWED} The study was published in journal Nature Climate Change yesterday."
    assert _sources(align(page, sources)) == ["story", "climate"]


def test_a_series_formula_with_another_date_is_no_borrowing() -> None:
    sources = [Document(id="shorts-15", text=SHORTS_ISSUE), Document(id="story", text=STORY),
               *OTHER_STORIES]
    page = f"{BORROWED} A compilation of brief news reports for Sunday, April 22, 2007."
    assert _sources(align(page, sources)) == ["story", None]
    # The same formula with the same date is a copy of that issue's sentence.
    page = f"{BORROWED} A compilation of brief news reports for Sunday, April 15, 2007."
    assert _sources(align(page, sources)) == ["story", "shorts-15"]
