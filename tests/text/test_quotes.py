"""One quote-mark pairing for the aligner, the index, the scan and the quote check."""

from __future__ import annotations

from unspun.align.vectors import bags
from unspun.config import AlignConfig
from unspun.explain import extract_quotes
from unspun.text import split_sentences
from unspun.text.quotes import quoted_regions

# The quote opens in the second paragraph and runs on into the third, which reopens it with
# a quote mark (the news convention) and closes it.
RUN_ON = ('The minister spoke at length. "We will not stop the work on the dam this year.\n\n'
          '"We will go on until the end," Smith said on Monday.\n\nOther news followed.')


def test_a_quote_running_into_the_next_paragraph_is_quoted_for_aligner_and_quote_check() -> None:
    quotes = [q.text for q in extract_quotes(RUN_ON)]
    assert quotes == ["We will not stop the work on the dam this year.",
                      "We will go on until the end,"]
    assert [RUN_ON[a:b] for a, b in quoted_regions(RUN_ON, 0, len(RUN_ON))] == quotes
    sentences = split_sentences(RUN_ON)
    outside = [sorted(b.outside) for b in bags(RUN_ON, sentences, AlignConfig())]
    # The opening sentence of the quote is all quotation (it used to count as body text,
    # its mark unpaired within its paragraph), the attribution is not.
    assert outside[1] == []
    assert outside[2] == ["monday", "on", "said", "smith"]
    assert "minister" in outside[0] and "news" in outside[3]


def test_closed_leaves_out_a_quote_whose_mark_lies_outside_the_region() -> None:
    text = 'He said: "We will not stop the work. We will go on," he added.'
    first = split_sentences(text)[0]
    a, b = first.span.start, first.span.end
    assert [text[x:y] for x, y in quoted_regions(text, a, b)] == ["We will not stop the work."]
    assert quoted_regions(text, a, b, closed=True) == []
    assert [text[x:y] for x, y in quoted_regions(text, 0, len(text), closed=True)] == [
        "We will not stop the work. We will go on,"]


def test_a_quote_cut_short_does_not_make_the_rest_of_its_paragraph_quotation() -> None:
    # A copier cut the quote short (no closing mark, and the next paragraph neither reopens
    # nor closes it): the sentences after it are body text for the aligner.
    text = ('Smith said "we will not stop the work on the dam this year. Officials in Paris '
            'approved the budget on Monday.\n\nOther news followed.')
    sentences = split_sentences(text)
    got = bags(text, sentences, AlignConfig())
    assert got[1].outside and got[1].outside == got[1].weights
