"""Quote extraction: quote marks, apostrophes, multi-paragraph quotes and speakers."""

from __future__ import annotations

from random import Random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import SEED, need_shared
from unspun.data import Span
from unspun.explain import extract_quotes, speaker_key


def quotes(text: str) -> list[tuple[str, str | None]]:
    return [(q.text, q.speaker) for q in extract_quotes(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('"We will not back down," said President Donald Trump.',
         [("We will not back down,", "President Donald Trump")]),
        ("\u201cWe will not back down,\u201d Trump said.", [("We will not back down,", "Trump")]),
        ('Senator Jane Doe said: "This is wrong."', [("This is wrong.", "Senator Jane Doe")]),
        ('Putin told reporters "the talks went well" on Monday.',
         [("the talks went well", "Putin")]),
        ('"A great success", Trump wrote on Twitter.', [("A great success", "Trump")]),
        ('The plan "failed badly", according to Smith.', [("failed badly", "Smith")]),
        ("Mr Smith says \u2018it\u2019s a \u201990s problem, don\u2019t you think\u2019 and left.",
         [("it\u2019s a \u201990s problem, don\u2019t you think", "Mr Smith")]),
        ("Trump's aides don't know what the '90s were like.", []),
        ('The official said "no" to that.', [("no", None)]),
        ('Condemning it, President of Pride Association Kristine Garina said, "Hate has no '
         'place here".', [("Hate has no place here", "Kristine Garina")]),
        ('Mr Ray spoke. "Some are still in the river." He said 39 were rescued.',
         [("Some are still in the river.", None)]),
    ],
)
def test_quotes_and_speakers(text: str, expected: list[tuple[str, str | None]]) -> None:
    assert quotes(text) == expected


def test_spans_slice_the_quoted_words() -> None:
    text = 'Intro.\n\n"Say that again", he said.'
    (q,) = extract_quotes(text)
    assert q.span.of(text) == "Say that again" == q.text
    assert q.speaker_span is not None and q.speaker_span.of(text) == "he"


def test_quote_runs_across_paragraphs_and_pronoun_resolves() -> None:
    text = ('Mayor Jane Doe spoke first. "The first part goes on.\n\n'
            '"And on it goes," she added.')
    got = quotes(text)
    assert [t for t, _ in got] == ["The first part goes on.", "And on it goes,"]
    assert {s for _, s in got} == {"Mayor Jane Doe"}


def test_unterminated_quote_is_dropped() -> None:
    assert quotes('He is 6\'2" tall.\n\nNext paragraph here.') == []


def test_pronoun_resolves_to_subject_of_same_sentence() -> None:
    text = 'Antonov praised it. Later, Trump said he also said "others" might be involved.'
    assert quotes(text) == [("others", "Trump")]


def test_spans_argument_limits_search() -> None:
    text = '"one two" he said.\n\n"three four" she said.'
    got = extract_quotes(text, [Span(19, len(text))])
    assert [q.text for q in got] == ["three four"]


@pytest.mark.parametrize(("name", "key"), [
    ("President Donald Trump", "trump"), ("Trump", "trump"), ("Mr. Putin", "putin"),
    ("he", None), (None, None),
])
def test_speaker_key(name: str | None, key: str | None) -> None:
    assert speaker_key(name) == key


def test_seed_quotes() -> None:
    text = need_shared(SEED).read_text("utf-8")
    got = extract_quotes(text)
    by_start = {q.text[:20]: q.speaker for q in got}
    assert by_start["The Summit with Russ"] == "Trump"
    assert by_start["We want very much to"] == "Clinton"
    assert by_start["a key event"] == "Antonov"
    assert any(q.text.startswith("I said the word would") for q in got)


def test_lazy_speakers_are_the_speakers_of_extract_quotes() -> None:
    from unspun.explain.quotes import LazyQuotes

    text = ('"We will win," said Jane Doe. The mayor spoke later. "It is done," she said.\n'
            '"Not so fast," Smith told reporters. "We will see," he added.')
    full = extract_quotes(text)
    assert [q.speaker for q in full] == ["Jane Doe", "Jane Doe", "Smith", "Smith"]
    lazy = LazyQuotes(text)
    assert [(q.span, q.text) for q in lazy.quotes] == [(q.span, q.text) for q in full]
    assert lazy.quote(3) == full[3]  # a later quote first: the ones before are found too
    assert lazy.quote(1) == full[1]


def _plain_single_groups(text: str, lo: int, hi: int, taken: list[Span]) -> list[list[Span]]:
    """``_single_groups`` as it was: a regex search for every ' or ‘ (the reference)."""
    import re

    from unspun.explain.quotes import _MAX_SINGLE, _SINGLES, _is_single_close, _is_single_open
    from unspun.text.quotes import trim

    groups: list[list[Span]] = []
    i = lo
    while (m := re.compile("['\u2018]").search(text, i, hi)) is not None:
        i = m.start()
        if not any(s.start - 1 <= i < s.end + 1 for s in taken) and _is_single_open(text, i):
            limit = min(hi, i + _MAX_SINGLE)
            nl = text.find("\n", i, limit)
            limit = nl if nl >= 0 else limit
            for j in range(i + 1, limit):
                if text[j] in _SINGLES and _is_single_close(text, j, hi):
                    span = trim(text, i + 1, j)
                    if span and " " in span.of(text):
                        groups.append([span])
                        i = j
                    break
        i += 1
    return groups


_BEFORE = st.sampled_from(["(", "[", "{", "\u2014", "-", " ", "\n", "x", "7", ".", "\u00a0",
                           "\u2009", "\"", "\u201c", ""])
_PASSAGE = st.tuples(_BEFORE, st.sampled_from(["'", "\u2018", "\u2019"]),
                     st.sampled_from(["we go on", "a b", "don't stop", "90s", "em", "Smith", ""]),
                     st.sampled_from(["'", "\u2019", "\u2018", ""]),
                     st.sampled_from([" ", ",", ".", "x", ")", "\n", " said Smith. ", ""]))


@given(st.lists(_PASSAGE, max_size=8), st.integers(0, 6), st.integers(0, 6))
def test_single_quoted_passages_are_those_of_the_plain_search(
        parts: list[tuple[str, str, str, str, str]], cut_lo: int, cut_hi: int) -> None:
    """The marks are found by str.find, and the cheap open test runs before the look at the
    double-quoted spans: the same passages as the regex search, for any region and any
    double-quoted spans to skip."""
    from unspun.explain.quotes import _single_groups

    text = "".join("".join(p) for p in parts)
    lo, hi = min(cut_lo, len(text)), max(0, len(text) - cut_hi)
    taken = [Span(a, a + 3) for a in range(0, len(text) - 3, 11)]
    for region in ((0, len(text)), (lo, hi), (hi, lo)):
        for spans in ([], taken):
            assert _single_groups(text, *region, spans) == _plain_single_groups(text, *region, spans)


def _in_order_speakers(text: str) -> list[tuple[str | None, Span | None]]:
    """Each quote's speaker found as ``LazyQuotes`` did before: every group in text order,
    each pronoun resolved to the speakers named in the groups before it (the reference)."""
    from unspun.explain.quotes import LazyQuotes, _find_speaker, _resolve
    from unspun.text.tokens import SPEAKER_PRONOUNS

    lazy = LazyQuotes(text)
    quoted = [Span(max(0, s.start - 1), s.end + 1) for s in lazy.spans]
    named: list[tuple[int, str]] = []
    out: list[tuple[str | None, Span | None]] = []
    for group in lazy._groups:
        found = _find_speaker(text, group, 0, len(text))
        speaker, span = found if found else (None, None)
        if speaker is not None and span is not None:
            if speaker.lower() in SPEAKER_PRONOUNS:
                speaker = _resolve(text, span.start, named, quoted) or speaker
            else:
                named.append((span.start, speaker))
        out += [(speaker, span)] * len(group)
    return out


_SAYS = st.sampled_from(['"We will win," said Jane Doe. ', '"It is done," she said. ',
                         'He said: "Not so fast." ', '"We will see," he added.\n',
                         "Smith told reporters \u201cthe talks went well\u201d on Monday. ",
                         "The mayor spoke later. ", "\u2018a deal is near,\u2019 they said. ",
                         '"Quiet," Mr. Ray wrote. ', '"Enough." ', "She said the plan "])


@given(st.lists(_SAYS, max_size=9), st.randoms(use_true_random=False))
def test_speakers_asked_in_any_order_are_those_found_in_order(
        parts: list[str], rng: Random) -> None:
    """A named speaker is found alone, a pronoun with the speakers named before it: asked
    for in any order, each quote has the speaker the in-order walk gives it."""
    from unspun.explain.quotes import LazyQuotes

    text = "".join(parts)
    expected = _in_order_speakers(text)
    lazy = LazyQuotes(text)
    order = list(range(len(lazy.spans)))
    rng.shuffle(order)
    got = {n: lazy.quote(n) for n in order}
    assert [(got[n].speaker, got[n].speaker_span) for n in range(len(order))] == expected
    assert [(q.speaker, q.speaker_span) for q in extract_quotes(text)] == expected


_SINGLE_PIECES = st.sampled_from(["(", "[", "{", "\u2014", "-", " ", "  ", "\n", "x", "7", ".", ",",
                                  "!", "?", ";", ":", ")", "\u00a0", "\u2009", '"', "\u201c", "_",
                                  "'", "\u2018", "\u2019", "we go on", "a b", "don't", "90s",
                                  "\u0663" + "0s", "em", "em_", "til", "till", "n", "n_", "cause",
                                  "Smith", "\u00c9t\u00e9 x", "\u6771 \u4eac", "\u00b2", "\U0001f600"])


@given(st.lists(_SINGLE_PIECES, max_size=40).map("".join), st.data())
def test_compiled_single_passages_are_the_python_ones(text: str, data: st.DataObject) -> None:
    """``_singles`` (``_speedups.single_spans`` when built) finds the passages of
    ``_single_groups`` for any regions (reversed ones too) and double-quoted spans to skip."""
    from unspun._native import speedups
    from unspun.explain.quotes import _single_groups, _singles

    if speedups is None:
        pytest.skip("the extension is off")
    bound = st.integers(0, len(text))
    regions = data.draw(st.lists(st.tuples(bound, bound), min_size=1, max_size=3))
    taken = [Span(min(a, b), max(a, b)) for a, b in data.draw(st.lists(st.tuples(bound, bound),
                                                                        max_size=3))]
    assert _singles(text, regions, taken) == [
        g for lo, hi in regions for g in _single_groups(text, lo, hi, taken)]


def test_single_spans_arguments_are_checked() -> None:
    from unspun._native import speedups

    if speedups is None:
        pytest.skip("the extension is off")
    with pytest.raises(ValueError):
        speedups.single_spans("a 'b c' d", 0, 99, [])
    with pytest.raises(TypeError):
        speedups.single_spans("a 'b c' d", 0, 9, [(1, 2)])
    assert speedups.single_spans("a 'b c' d", 0, 9, []) == [[Span(3, 6)]]
    assert speedups.single_spans("a 'b c' d", 0, 9, [Span(3, 5)]) == []  # the mark next to it
    assert speedups.single_spans("a 'b c' d", 9, 0, []) == []
