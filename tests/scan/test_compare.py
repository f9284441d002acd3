"""The copy rule: two whole body sentences make a copy; one sentence or shared quotes do not."""

from __future__ import annotations

from dataclasses import replace

from unspun.data import Document
from unspun.scan.compare import compare_pair
from unspun.scan.config import ScanConfig
from unspun.scan.prepare import prepare_document
from unspun.scan.records import Pair

LONG = ("The regional council, which met for more than six hours on Tuesday in the old town hall "
        "after weeks of protests by residents, farmers, shop owners and two unions, approved a "
        "plan that will close the northern bridge to heavy lorries, build a second crossing "
        "downstream within four years, and pay for both with a toll on freight that passes "
        "through the valley on its way to the port.")
OWN_A = ["Engineers had warned about cracks in the bridge supports since the spring floods.",
         "Local firms said the toll would raise their costs by a fifth at least."]
OWN_B = ["The mayor was not present at the meeting because of a trip to the capital.",
         "Opposition members called the vote rushed and promised to challenge it in court."]
SHARED = "A spokesman for the council said work on the new crossing could begin next summer."


def _pair(a: str, b: str) -> Pair | None:
    cfg = ScanConfig(furniture=False)
    pa = prepare_document(Document("a", a), 0, config=cfg)
    pb = prepare_document(Document("b", b), 1, config=cfg)
    return compare_pair(pa, pb, config=cfg)


def test_one_long_shared_sentence_is_not_a_copy() -> None:
    assert len(LONG) > 250  # the splitter cuts it into pieces
    pair = _pair(" ".join([OWN_A[0], LONG, OWN_A[1]]), " ".join([OWN_B[0], LONG, OWN_B[1]]))
    assert pair is not None and len(pair.passages) >= 2
    assert pair.body == 1 and pair.relation == "quote-sharing"


def test_two_shared_sentences_are_a_copy() -> None:
    pair = _pair(" ".join([OWN_A[0], LONG, SHARED]), " ".join([LONG, OWN_B[1], SHARED]))
    assert pair is not None and pair.relation == "copy" and pair.body == 2


def test_shared_quotes_in_sentences_of_their_own_are_quote_sharing() -> None:
    q1 = '"We will not let the valley be cut off from the rest of the country," the mayor said.'
    q2 = '"Every lorry that crosses the old bridge is a risk we can no longer take."'
    a = " ".join([OWN_A[0], f"Speaking to reporters, Ms Lind said: {q1.split(',')[0]}.\"", OWN_A[1],
                  f"She added: {q2}"])
    b = " ".join([OWN_B[0], f"In a statement she wrote: {q1.split(',')[0]}.\"", OWN_B[1],
                  f"The statement ended: {q2}"])
    pair = _pair(a, b)
    assert pair is None or pair.relation == "quote-sharing"


def test_two_sentences_on_one_phrase_of_one_sentence_count_once() -> None:
    phrase = "the treaty was signed by the prime minister of the northern republic"
    a = " ".join([OWN_A[0], f"Officials said {phrase} on Friday.", OWN_A[1],
                  f"Reports confirmed {phrase} last week."])
    b = " ".join([OWN_B[0], f"Reporters confirmed {phrase} on Friday.", OWN_B[1]])
    pair = _pair(a, b)
    assert pair is not None and len({p.b_start for p in pair.passages}) == 1
    assert len(pair.passages) == 2 and pair.body == 1 and pair.relation == "quote-sharing"


def test_two_sentences_joined_into_one_count_twice() -> None:
    first = "Divers inspected the pillars of the bridge twice after the spring floods this year"
    second = "local firms said the toll would raise their costs by a fifth at least."
    pair = _pair(" ".join([OWN_A[0], f"{first}.", second.capitalize(), OWN_A[1]]),
                 " ".join([OWN_B[0], f"{first}, and {second}", OWN_B[1]]))
    assert pair is not None and len({p.b_start for p in pair.passages}) == 1
    assert pair.body == 2 and pair.relation == "copy"


def _both_ways(a: str, b: str) -> list[Pair | None]:
    """The pair compared with ``a`` as the lower docno, then with ``b``."""
    cfg = ScanConfig(furniture=False)
    first = compare_pair(prepare_document(Document("a", a), 0, config=cfg),
                         prepare_document(Document("b", b), 1, config=cfg), config=cfg)
    second = compare_pair(prepare_document(Document("b", b), 0, config=cfg),
                          prepare_document(Document("a", a), 1, config=cfg), config=cfg)
    return [first, second]


QUOTES = ['"We have moved every family from the lower streets and opened the school as a '
          'shelter," the mayor said.',
          '"The water will keep rising until the weekend and nobody should drive near the '
          'river," she said.']


def test_the_other_pages_quote_marks_count_too() -> None:
    # The copy lost the closing marks (and the speaker) the original keeps: still two quotes.
    cut = [q.split(",\"")[0] + "." for q in QUOTES]
    a = " ".join([OWN_A[0], cut[0], OWN_A[1], cut[1]])
    b = " ".join([OWN_B[0], QUOTES[0], OWN_B[1], QUOTES[1]])
    pairs = _both_ways(a, b)
    assert pairs[0] is not None and pairs[0].quotes == 2  # aligned from the side without marks
    for pair in pairs:
        assert pair is None or (pair.relation == "quote-sharing" and pair.body == 0)


def test_a_quote_running_over_several_sentences_is_quotation() -> None:
    # The copy starts inside a three-sentence quote, so its closing mark has no opening one.
    quote = ("The bridge has carried lorries for sixty years without a single closure. "
             "Its supports were never built for loads of forty tonnes. "
             "We cannot wait for the next flood to find out what they can hold.")
    a = " ".join([OWN_A[0], quote.split(". ", 1)[1] + '"', OWN_A[1]])
    b = " ".join([OWN_B[0], f'The engineer said: "{quote}"', OWN_B[1]])
    pairs = _both_ways(a, b)
    assert pairs[0] is not None and pairs[0].quotes == 2
    for pair in pairs:
        assert pair is None or (pair.relation == "quote-sharing" and pair.body == 0)


REWORDED_A = ("Mayor Ingrid Halvorsen opened the Tromsø aquarium on Monday, which cost 41 million "
              "kroner. Greenpeace activists chained themselves to the gates of the Polaria "
              "building in protest. Halvorsen told NRK that the arctic seals would stay in Tromsø "
              f"until the lease ends in 2031. {OWN_A[0]}")
REWORDED_B = ("Tromsø has a new fish hall: Halvorsen, its first citizen, cut the ribbon; 41 million "
              "kroner was the price. Greenpeace people tied their bodies to the Polaria fence "
              "against it. On NRK she insisted arctic seals remain there till 2031, when the rent "
              f"contract is over. {OWN_B[1]}")


def test_text_only_the_loose_aligner_relates_is_reworded_never_a_copy() -> None:
    pair = _pair(REWORDED_A, REWORDED_B)
    assert pair is not None and pair.relation == "reworded" and pair.body == 0
    assert len(pair.passages) >= 2 and pair.edits == {}
    cfg = ScanConfig(furniture=False)
    off = replace(cfg, passages=replace(cfg.passages, loose_fallback=False))
    pa = prepare_document(Document("a", REWORDED_A), 0, config=off)
    pb = prepare_document(Document("b", REWORDED_B), 1, config=off)
    assert compare_pair(pa, pb, config=off) is None  # the strict aligner alone finds nothing


def test_covered_characters_are_those_of_sentences_inside_any_span() -> None:
    """``_covered`` (by bisection) counts a sentence when one span holds all of it."""
    import random

    from unspun.data import Sentence, Span
    from unspun.scan.compare import _covered

    rng = random.Random(3)
    sentences = [Sentence(i, Span(10 * i, 10 * i + rng.randint(3, 9)), f"s{i}")
                 for i in range(30)]
    for _ in range(200):
        spans = [(a, a + rng.randint(0, 60)) for a in rng.sample(range(300), rng.randint(0, 6))]
        want = sum(len(s.span) for s in sentences
                   if any(a <= s.span.start and s.span.end <= b for a, b in spans))
        assert _covered(spans, sentences) == want


def test_a_document_met_again_gives_the_same_pair() -> None:
    """Reusing a document's quotes, grams and kernel halves (``Known``) changes no pair."""
    from unspun.scan.compare import Known

    cfg = ScanConfig(furniture=False)
    a = " ".join([LONG, SHARED, *OWN_A, '"We will not pay," said a farmer.'])
    b = " ".join([LONG, SHARED, *OWN_B, '"We will not pay," said a farmer.'])
    pa = prepare_document(Document("a", a), 0, config=cfg)
    pb = prepare_document(Document("b", b), 1, config=cfg)
    ka, kb = Known.of(pa), Known.of(pb)
    first = compare_pair(pa, pb, config=cfg, a_known=ka, b_known=kb)
    again = compare_pair(pa, pb, config=cfg, a_known=ka, b_known=kb)
    assert first is not None and first == again == compare_pair(pa, pb, config=cfg)
    assert ka._quotes is not None and kb._grams is not None  # found once, kept


def test_a_standfirst_echoing_the_shared_sentence_does_not_make_a_copy() -> None:
    # A's standfirst repeats the opening words of the one sentence the two pages share; it
    # comes first, but the sentence it is part of is what counts.
    lead = ("Residents of the valley will pay a toll on every lorry that uses the old bridge "
            "from next spring, after the regional council voted for the plan by a wide margin.")
    dek = " ".join(lead.split()[:9])
    pair = _pair(f"Council backs second crossing\n\n{dek}\n\n{OWN_A[0]} {lead} {OWN_A[1]}",
                 f"{OWN_B[0]} {OWN_B[1]} {lead}")
    assert pair is not None and len(pair.passages) == 2
    assert pair.body == 1 and pair.relation == "quote-sharing"
