"""Page-furniture rules: each kind is found, real sentences are kept, and clean() uses them."""

from __future__ import annotations

import pytest

from unspun.clean import CleanConfig, clean
from unspun.clean.furniture import furniture_line
from unspun.config import TraceConfig
from unspun.data import Document


@pytest.mark.parametrize(("line", "detail"), [
    ("Friday, July 21, 2017", "date line"),
    ("Posted on July 16, 2018 at 10:32 am", "date line"),
    ("Updated 2018-07-16 14:05", "date line"),
    ("Image 3 of 12", "gallery counter"),
    ("Photo 2/8: Crowds outside the stadium", "gallery counter"),
    ("\u2014 Donald J. Trump (@realDonaldTrump) July 16, 2018", "embedded post"),
    ("A post shared by Kim K (@kimkardashian) on Jul 16, 2018 at 10:11am PDT", "embedded post"),
    ("Great day for the park. Thank you all! \u2014 Park Trust (@ParkTrust) June 1, 2018",
     "embedded post"),
    ("Supporters gather in Washington on July 5, 2018. (AP Photo/Jose Luis Magana)", "caption"),
    ("Photo: Reuters", "caption"),
    ("The two leaders met in Helsinki. (Getty Images/Anna Schmidt)", "caption"),
    ("By John Smith and Jane Doe, Reuters", "byline"),
    ("Reporting by John Smith; Editing by Bill Trott", "byline"),
    ("Trending Now", "teaser"),
    ("Click here to see more photos", "teaser"),
])
def test_furniture_lines(line: str, detail: str) -> None:
    assert furniture_line(line) == detail


@pytest.mark.parametrize("line", [
    "The president said on July 16, 2018 that he would go to Helsinki.",
    "By the end of the year, prices had risen by a third.",
    "Image processing software found the error in 3 of 12 cases, the report said.",
    "He posted a photo of the meeting on his account, which drew thousands of replies.",
    "Most read newspapers in the country carried the story on their front pages.",
    "The mayor - who tweets as @CityMayor - said on June 1, 2018 that the park would open.",
])
def test_real_sentences_are_not_furniture(line: str) -> None:
    assert furniture_line(line) is None


TWEET_PAGE = """Leaders meet in Helsinki

The two presidents met for two hours in the Finnish capital on Monday, officials said.

I had a great meeting with Putin. Many positive things will come of it! pic.twitter.com/abc123
\u2014 Donald J. Trump (@realDonaldTrump) July 16, 2018

Image 1 of 2
Protesters gathered near the palace before the meeting began. (AP Photo/Jane Doe)

Critics at home said the summit gave much and won little for the United States."""


def test_clean_removes_embedded_posts_and_galleries_where_text_is_evidence() -> None:
    doc = Document("t", TWEET_PAGE)
    kept = clean(doc, config=CleanConfig(furniture=True)).text
    assert "great meeting" not in kept and "realDonaldTrump" not in kept
    assert "Image 1 of 2" not in kept and "Protesters gathered" not in kept
    assert "two presidents met" in kept and "Critics at home" in kept
    removed = clean(doc, config=CleanConfig(furniture=True)).removed
    assert {f.detail for f in removed} >= {"embedded post", "gallery counter"}
    assert all(f.detail for f in removed)
    assert "great meeting" in clean(doc).text  # off for `unspun clean`: the page as read
    assert TraceConfig().clean.furniture  # on for index, trace, align and scan


@pytest.mark.parametrize(("line", "detail"), [
    # Each rule's word limit still applies when the rule's pattern matches: one word under
    # the limit matches, the same line with words added does not.
    ("Smoke rises over the harbour after the blast on Monday, witnesses said. (AP Photo/Jo Lee)",
     "caption"),
    ("Smoke rises over the harbour after the blast on Monday as crews from three towns fought "
     "the fire through the night and residents of the old quarter watched from the hill above "
     "the port, where the ferry company keeps its offices, witnesses said. (AP Photo/Jo Lee)",
     None),
    ("Thank you all for coming out today! pic.twitter.com/abc123", "embedded post"),
    ("Thank you all for coming out today to the park, to the river, to the square and to every "
     "street of this town that we love so much, you make it what it is! pic.twitter.com/abc123",
     None),
    ("Photo 2/8: Crowds outside the stadium", "gallery counter"),
    ("Photo 2/8: " + "crowds gather " * 13, None),
])
def test_word_limits_apply_to_matching_lines(line: str, detail: str | None) -> None:
    assert furniture_line(line) == detail
