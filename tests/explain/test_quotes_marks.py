"""Quote extraction on copies that damage quote marks, and speakers that must not come from quotes."""

from __future__ import annotations

from unspun.data import Span
from unspun.explain import extract_quotes


def quotes(text: str, spans: list[Span] | None = None) -> list[tuple[str, str | None]]:
    return [(q.text, q.speaker) for q in extract_quotes(text, spans)]


def test_capitalised_word_inside_a_quote_is_never_a_pronouns_speaker() -> None:
    text = ('La Russa said in a news conference that the roles were open, "They won\'t be on '
            'the battlefield. Training is one thing, participation another."\n\n'
            'He further said of the rebels, "They\'re rich in enthusiasm."')
    got = quotes(text)
    assert got[-1] == ("They're rich in enthusiasm.", "La Russa")
    assert all(s != "Training" for _, s in got)


def test_quote_continues_across_a_junk_line_cleaning_dropped() -> None:
    first = 'Smith spoke. "The first part goes on.'
    junk = "More news: Something else entirely"
    last = 'And on it goes," Smith said.'
    text = f"{first}\n\n{junk}\n\n{last}"
    kept = [Span(0, len(first)), Span(len(text) - len(last), len(text))]
    got = quotes(text, kept)
    assert [t for t, _ in got] == ["The first part goes on.", "And on it goes,"]
    assert {s for _, s in got} == {"Smith"}


def test_quote_cut_short_at_the_end_of_its_paragraph() -> None:
    text = ('La Russa believes that, stating, "I don\'t think they only have arms.\n\n'
            "He did not elaborate on the last statement.")
    assert [t for t, _ in quotes(text)] == ["I don't think they only have arms."]


def test_quote_whose_opening_mark_was_lost() -> None:
    text = ("Intro line here.\n\nAnd I will make clear that we share a vision of two states "
            'living side by side," said Mr. Bush. After Israel, he flies on.')
    assert quotes(text) == [("And I will make clear that we share a vision of two states "
                             "living side by side,", "Mr. Bush")]


def test_quote_left_open_ends_at_a_sentence_when_another_opens() -> None:
    text = ('"The judge opens up our country to terrorists. In another Tweet, he called Robart '
            'a "so-called judge" and left.')
    assert [t for t, _ in quotes(text)] == ["The judge opens up our country to terrorists.",
                                           "so-called judge"]


def test_participle_after_a_comma_is_spoken_by_the_clause_subject() -> None:
    text = ('However, La Russa believes that not all arms were taken from the Libyan Army '
            'stockpiles, stating, "Some help arrived."')
    assert quotes(text) == [("Some help arrived.", "La Russa")]


def test_inch_mark_after_a_digit_opens_nothing() -> None:
    assert quotes('The 12" pipe burst.\n\nNext paragraph here.') == []
