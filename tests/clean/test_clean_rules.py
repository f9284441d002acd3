"""Each line rule on its own: lines it must catch and look-alike lines it must leave alone."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from unspun.clean.core import clean
from unspun.clean.lines import OTHER_SPACES, looks_like_sentence, normalize_line, split_lines
from unspun.clean.rules import (
    _HINTS,
    _INLINE_BYTES,
    _LINE_ERROR_BYTES,
    _STRONG_BYTES,
    EVERY_CUE,
    Cues,
    boilerplate_line,
    inline_errors,
    link_line,
    server_error_line,
)
from unspun.data import Document

LINK_LINES = [
    "More news: Hamas accepts cease-fire after massive Israeli onslaught on militant positions",
    "Related news", "Related", "RELATED ARTICLES", "Related: Second break-in on Harbour Street",
    "Read more", "READ MORE: Mayor defends parking charges", "» Read more", "[Read more]",
    "Also read: Bus fares to rise in January", "See also", "You may also like",
    "You might be interested in", "Recommended for you", "Trending now", "Most popular",
    "Most Read", "Don't miss", "Next article", "Continue reading…", "WATCH: The moment the roof fell",
    "More from Northern Courier",
]


@pytest.mark.parametrize("line", LINK_LINES)
def test_link_lines(line: str) -> None:
    assert link_line(line) is not None


NOT_LINK_LINES = [
    "Police said the two crimes were related.",
    "Related to the investigation, officers seized three cars and a quantity of jewellery.",
    "More than 200 people attended the meeting.",
    "Recommended daily cycling distances were raised last year.",
    "Read more widely and you will see the same pattern, he said.",
    "Trending topics on Twitter included the summit.",
    "https://example.com/news/2018/07/some-story",  # a bare URL may be a credit: kept
    # a cue followed by a full sentence is not a link line
    "Related: Police said on Monday that the two men had been released without charge.",
    # a short reported sentence after a media cue is article text (issue 12)
    "Watch: officials say the dam may fail.",
    "Video: the footage was shot on Tuesday, police said.",
]


@pytest.mark.parametrize("line", NOT_LINK_LINES)
def test_not_link_lines(line: str) -> None:
    assert link_line(line) is None


BOILERPLATE = [
    "Advertisement", "ADVERTISEMENT", "Story continues below advertisement", "Sponsored content",
    "Share this:", "Tweet", "Share on Facebook", "Facebook Twitter WhatsApp Email", "Print",
    "Click here to subscribe", "Follow us on Twitter", "Like us on Facebook", "Subscribe",
    "Sign up for our daily newsletter", "Enter your email address", "12 Comments",
    "Leave a comment", "(Photo: Maria Lindqvist/Northern Press)", "Image copyright Getty Images",
    "Credit: AP Photo/Jon Example", "© 2018 Some Media Group", "Copyright 2021 Northern Courier",
    "Privacy Policy", "Accept all cookies", "Loading...",
    "(adsbygoogle = window.adsbygoogle || []).push({});",
    # strong patterns catch these even though they read like sentences
    "We use cookies to ensure that we give you the best experience on our website.",
    "Get the best local stories delivered straight to your inbox every morning.",
    "Copyright 2018 The Wire. All rights reserved. This material may not be published, "
    "broadcast, rewritten or redistributed.",
]


@pytest.mark.parametrize("line", BOILERPLATE)
def test_boilerplate_lines(line: str) -> None:
    assert boilerplate_line(line) is not None


NOT_BOILERPLATE = [
    "The company spent more than 40 million euros on advertisement campaigns last year.",
    "Regulators said websites must ask visitors before storing tracking cookies on devices.",
    "Ramanathan said she would use the money to subscribe the shop to a flour cooperative.",
    "The photograph, taken in 1962, shows the original harbour wall.",
    "Subscribers to the service complained about the price rise on Monday.",
    "Engineers expected to restore supplies by Sunday evening. Follow updates on our live page.",
    "Share prices fell sharply in early trading on Tuesday, dealers said.",
]


@pytest.mark.parametrize("line", NOT_BOILERPLATE)
def test_not_boilerplate(line: str) -> None:
    assert boilerplate_line(line) is None


SERVER_ERRORS = [
    "[an error occurred while processing the directive]",
    "Warning: mysql_connect(): Access denied for user 'u'@'localhost' in /var/www/db.php on line 12",
    "Notice: Undefined index: author in /home/site/public_html/article.php on line 88",
    "<b>Fatal error</b>: Call to undefined function foo() in <b>/srv/x.php</b> on line <b>3</b>",
    "PHP Deprecated: Function ereg() is deprecated in /var/www/lib.php on line 4",
    "Error establishing a database connection", "404 Not Found", "Error 404", "Error 503",
    "500 Internal Server Error", "undefined", "NaN", "null", "[object Object]",
    "Error: Embedded content could not be loaded.",
    "Error: could not connect to the database.",
]


@pytest.mark.parametrize("line", SERVER_ERRORS)
def test_server_error_lines(line: str) -> None:
    assert server_error_line(line) is not None or inline_errors(line)


NOT_SERVER_ERRORS = [
    "Warning: the video below contains scenes some viewers may find distressing.",
    "The error rate in the survey fell to 4 percent, officials said.",
    "Error margins were wider than usual, the pollster said on line three of its note.",
    "He paid $5 million for the house, up from $3.2 million in 2015.",
    "The page [[Moscow]] is a wiki link, not a placeholder.",
    "Nothing was null and void, the judge said.",
    "Error 404 pages rose by a fifth last year, the web survey said.",
    # a short reported sentence is not an error message (issue 12)
    "Error: the count was wrong, officials said.",
    "Error: the tally was off by 300 votes, according to the board.",
]


@pytest.mark.parametrize("line", NOT_SERVER_ERRORS)
def test_not_server_errors(line: str) -> None:
    assert server_error_line(line) is None
    assert not inline_errors(line)


@pytest.mark.parametrize("text,found", [
    ("By {{ author_name }}", "{{ author_name }}"), ("Published %%PUBLISH_DATE%%", "%%PUBLISH_DATE%%"),
    ("{% include 'x.html' %}", "{% include 'x.html' %}"), ("[[related_links]]", "[[related_links]]"),
    ("about ${school_count} exams", "${school_count}"), ("Hello $first_name,", "$first_name"),
    ("Text__TITLE__", "__TITLE__"),
])
def test_inline_placeholders(text: str, found: str) -> None:
    hits = inline_errors(text)
    assert [text[s:e] for s, e, _ in hits] == [found]


def test_split_lines_offsets_and_paragraphs() -> None:
    text = "  A title \r\n\nfirst line\n  second line  \n\n\n third\n"
    lines = split_lines(text)
    assert [ln.text for ln in lines] == ["A title", "first line", "second line", "third"]
    assert [ln.para for ln in lines] == [0, 1, 1, 2]
    assert all(text[ln.start:ln.end] == ln.text for ln in lines)


def test_normalize_and_sentence() -> None:
    assert normalize_line("  Trump’s   SUMMIT ") == "trump's summit"
    assert looks_like_sentence("Police said on Monday that the two men were released.")
    assert not looks_like_sentence("Police said the two crimes were related.")  # 7 words
    assert not looks_like_sentence("More news: Hamas accepts cease-fire after massive onslaught")
    assert not looks_like_sentence("Trump On Putin Meeting Was Not All Rosy Says Aide Today.")


def test_split_lines_folds_whitespace() -> None:
    lines = split_lines("One\u00a0two  three\tfour\nplain line here\n\u201cQuoted\u201d  Line")
    assert [ln.folded for ln in lines] == ["One two three four", "plain line here",
                                           "\u201cQuoted\u201d Line"]
    assert [ln.norm for ln in lines] == [normalize_line(ln.text) for ln in lines]


def test_other_spaces_are_every_whitespace_but_space_and_line_break() -> None:
    assert set(OTHER_SPACES) == {c for c in map(chr, range(0x110000))
                                 if c.isspace() and c not in " \n"}


_SPACES = st.sampled_from([" ", "  ", "\n", "\n\n", " \n ", *OTHER_SPACES])


@given(st.lists(st.one_of(st.text(st.characters(blacklist_categories=("Cs",)), max_size=8),
                          _SPACES), max_size=30))
def test_split_lines_folds_every_line_like_str_split(pieces: list[str]) -> None:
    """Whether or not the text holds whitespace other than spaces and line breaks (which
    lets split_lines skip folding lines), each line's folded form is its words joined."""
    text = "".join(pieces)
    lines = split_lines(text)
    assert [ln.folded for ln in lines] == [" ".join(ln.text.split()) for ln in lines]
    assert [ln.text for ln in lines] == [r.strip() for r in text.split("\n") if r.strip()]


_RULE_LINES = [*LINK_LINES, *NOT_LINK_LINES, *BOILERPLATE, *NOT_BOILERPLATE, *SERVER_ERRORS,
               *NOT_SERVER_ERRORS]


@pytest.mark.parametrize("line", _RULE_LINES)
def test_document_cues_never_change_a_verdict(line: str) -> None:
    """Rules tried only when their cues occur in the document (and cue words looked for in the
    casefolded line) give the same answer as every rule on the raw line."""
    (ln,) = split_lines(line)
    cues = Cues.of("plain words\n" + ln.norm)
    assert server_error_line(line, ln.norm, cues) == server_error_line(line)
    assert inline_errors(line, ln.norm, cues) == inline_errors(line)
    assert boilerplate_line(line, low=ln.norm, cues=cues) == boilerplate_line(line)
    assert link_line(line, low=ln.norm) == link_line(line)


def test_cues_skip_rules_a_document_cannot_match() -> None:
    cues = Cues.of(normalize_line("Police said on Monday that two men were released."))
    assert not cues.strong and not cues.inline
    assert len(cues.server) < len(EVERY_CUE.server)
    # One cookie notice anywhere in a page brings its rule back for every line.
    page = "Police said on Monday that two men were released.\n\nWe use cookies on this site."
    doc = Document(id="p", text=page)
    assert [f.kind for f in clean(doc).findings if f.removed] == ["boilerplate"]


def test_short_reported_sentences_survive_clean() -> None:
    text = ("Dam under strain\n\nError: the count was wrong, officials said.\n\n"
            "Watch: officials say the dam may fail.\n\nWATCH: Dam may fail, officials say\n\n"
            "Error: could not connect to the database.")
    result = clean(Document(id="d", text=text))
    assert "Error: the count was wrong, officials said." in result.text
    assert "Watch: officials say the dam may fail." in result.text
    assert {f.text for f in result.removed} == {"WATCH: Dam may fail, officials say",
                                                "Error: could not connect to the database."}


def test_cues_are_found_in_pages_beyond_latin1() -> None:
    """Cue words are looked up in the page's UTF-8 bytes: emoji and CJK text around them (which
    widen a Python string to 2 or 4 bytes per character) change nothing."""
    for extra in ("", "\u00e9t\u00e9", "\u6771\u4eac", "\U0001f600"):
        cues = Cues.of(normalize_line(f"{extra} we use cookies on this site {extra}"))
        assert [detail for detail, _, _ in cues.strong] == ["cookie notice"]
        assert not Cues.of(normalize_line(f"{extra} police said {extra}")).strong


_CUE_WORDS = sorted({h for group in (*_LINE_ERROR_BYTES, *_STRONG_BYTES, _INLINE_BYTES)
                     for h in group})


@given(st.lists(st.sampled_from([*_CUE_WORDS, b"x", b" ", b"tack", b"rror", b"[", b"_",
                                 "\u00e9".encode()]), max_size=12).map(b"".join))
def test_cue_words_found_in_one_pass_are_those_present(data: bytes) -> None:
    """The windowed look-up of cue words finds exactly the words a search for each finds,
    wherever they lie (at either end, overlapping, cut off)."""
    for text in (data, data[1:], data[:-1]):
        assert _HINTS.present(text) == {w for w in _CUE_WORDS if w in text}
