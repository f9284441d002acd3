"""The syndication corpus's gold: shared quotes are not copying (issue 11)."""

from __future__ import annotations

from unspun.bench.corpus import Page, _quotation
from unspun.bench.corpus_gold import gold_of

STORY = [["The council met on Tuesday.", "It approved the plan after six hours."],
         ['"This type of helicopter does not have a black box.',
          "So the flight was not recorded.",
          'So some elements will remain unknown," Morin said.'],
         ['Khan criticised Zardari for "[going] on this lavish tour.', 'He said "No."']]


def test_quotation_is_a_sentence_with_nothing_but_a_quote_and_its_speaker() -> None:
    # A quote over three sentences is quotation in each; words of the writer's own are not.
    assert _quotation(STORY) == [False, False, True, True, True, False, True]


def _page(pid: str, role: str, origins: list[int], parents: list[str]) -> Page:
    return Page(pid, "x.example", None, "t", [], [f"s:{i}" for i in origins], role, "s", parents)


def test_a_page_sharing_only_quotation_is_no_copy_pair() -> None:
    quoted = {f"s:{i}" for i, q in enumerate(_quotation(STORY)) if q}
    pages = [_page("w", "wire", list(range(7)), []),
             _page("c", "carrier", list(range(7)), ["w"]),
             _page("q", "stitched", [2, 3, 4], ["w"]),  # the quoted paragraph only
             _page("m", "stitched", [4, 5], ["w"])]  # a quote and one sentence of its own
    gold = gold_of(pages, quoted)
    assert gold["copy_pairs"] == [["c", "w"]]
    assert gold["quote_pairs"] == [["c", "m"], ["c", "q"], ["m", "w"], ["q", "w"]]
    assert gold["clusters"] == [["c", "w"]]
    # Without the quotation flags every page that shares two sentences is a copy.
    assert len(gold_of(pages)["copy_pairs"]) == 5
