"""Carriers of one story (look-alike fixtures of issue 10's seed page; no real text)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from align.builders import align
from unspun.config import JudgeConfig
from unspun.data import Alignment, Document, SentenceTrace, Span
from unspun.judge.sources import source_shares
from unspun.text import split_sentences

#: One long wire sentence (19 words, 120 characters) that a local station prints word for word.
LONG = ("Last week, Stevens announced charges against 14 harbour officials accused of "
        "selling berth permits to foreign trawler firms.")
SHORT = "Officials declined to comment on the case."
WIRE = Document(id="wire", text=(
    "The port authority of Tromsø suspended its director on Monday. " + LONG + " " + SHORT
    + " A hearing is set for the end of March, the prosecutor's office said."), date="2026-03-01")
LOCAL = Document(id="local", text=(
    "Good evening, here is the news from the coast. " + LONG + " " + SHORT
    + " In sport, the local ski team won its third race of the season."), date="2026-03-02")
DOCS = {d.id: d for d in (WIRE, LOCAL)}


def _listed(traces: list[SentenceTrace], config: JudgeConfig | None = None) -> list[set[str]]:
    return [{s.doc_id, *s.also_carried_by} for s in source_shares(traces, DOCS, config)]


def test_a_carrier_of_one_long_identical_sentence_is_listed() -> None:
    traces = align(LONG, [WIRE, LOCAL])
    assert traces[0].alignment is not None
    assert _listed(traces) == [{"wire", "local"}]
    # Under 200 characters: only the sentence rule makes it a carrier.
    assert _listed(traces, JudgeConfig(carried_min_words=100)) in ([{"wire"}], [{"local"}])


def test_a_short_shared_line_makes_no_carrier() -> None:
    [sent] = split_sentences(SHORT)
    start = WIRE.text.index(SHORT)
    traces = [SentenceTrace(sent, Alignment(sent.span, "wire",
                                            Span(start, start + len(SHORT)), 1.0))]
    assert _listed(traces) == [{"wire"}]
    assert _listed(traces, JudgeConfig(carried_min_words=6)) == [{"wire", "local"}]


def test_carriers_are_found_whatever_their_case_and_spacing() -> None:
    # ASCII texts are screened by their lowercased text before they are normalised: a carrier
    # in capitals, its lines broken, is still found; a text without the sentence is not one.
    shouting = Document(id="shouting", text="NEWS.\n" + LONG.upper().replace(" ", "\n  ", 3))
    other = Document(id="other", text="In sport, the local ski team won its third race.")
    assert shouting.text.isascii() and other.text.isascii()
    docs = {**DOCS, "shouting": shouting, "other": other}
    [share] = source_shares(align(LONG, [WIRE]), docs)
    assert share.doc_id == "wire" and share.also_carried_by == ["local", "shouting"]


def test_casefolding_keeps_words_apart() -> None:
    """The carrier screen looks for a piece's longest word in the document's casefolded
    text: exact only if casefolding maps whitespace to itself and no other character to any
    whitespace (then a normalised text's words are pieces of the casefolded text)."""
    import sys

    for code in range(sys.maxunicode + 1):
        c = chr(code)
        folded = c.casefold()
        if c.isspace():
            assert folded == c
        else:
            assert not any(x.isspace() for x in folded), hex(code)


def test_carriers_in_any_script_and_case_are_screened_exactly() -> None:
    # Non-ASCII texts are screened too (casefolded): a carrier whose "ß" is "SS" and whose
    # final sigma is a capital is found; a document missing one word is not a carrier.
    wire_text = ("Die Straße nach Tromsø bleibt gesperrt, sagte der Sprecher der Hafenbehörde "
                 "am Montag, und die Fähre nach Ὀδυσσεύς fährt erst ab der nächsten Woche.")
    wire = Document(id="wire", text="Meldung. " + wire_text)
    carrier = Document(id="caps", text="EIL:\n" + wire_text.upper().replace(" ", "\n ", 2))
    missing = Document(id="missing", text=wire_text.replace("Montag", "Dienstag"))
    assert not carrier.text.isascii() and "STRASSE" in carrier.text
    docs = {"wire": wire, "caps": carrier, "missing": missing}
    [share] = source_shares(align(wire_text, [wire]), docs)
    assert share.doc_id == "wire" and share.also_carried_by == ["caps"]


def test_characters_folding_to_ascii_are_listed() -> None:
    """``_ascii_fold`` is exact only if every character beyond ASCII whose casefold holds an
    ASCII character is in ``_TO_ASCII`` (and so falls back to casefolding)."""
    import sys

    from unspun.judge.sources import _TO_ASCII

    found = {chr(c) for c in range(0x80, sys.maxunicode + 1)
             if any(x < "\x80" for x in chr(c).casefold())}
    assert found == _TO_ASCII


_FOLD_TEXT = st.lists(st.sampled_from(["Hafen", "HAFEN", "Straße", "STRASSE", "ß", "K", "\u212a",
                                       "ﬁ", "fi", " ", "\u2019", "\u201c", "é", "É", "Ὀδυσσεύς",
                                       "x", "Σ", "İ", "i", "-", "\n", "\x80", "😀"]),
                      max_size=12).map("".join)


@given(_FOLD_TEXT, st.sampled_from(["hafen", "strasse", "ss", "k", "fi", "i", "x", "hafenx",
                                    "e", "-", "ix", "fix"]))
def test_ascii_fold_finds_ascii_words_as_casefold_does(text: str, word: str) -> None:
    """The compiled fold is the Python one, and an ASCII word is in it exactly when it is
    in the casefolded text (None only for a text holding a character of ``_TO_ASCII``)."""
    from unspun.judge import sources

    raw = sources._ascii_fold(text)
    saved = sources._fold
    sources._fold = None
    try:
        assert sources._ascii_fold(text) == raw
    finally:
        sources._fold = saved
    assert (raw is None) == (not sources._TO_ASCII.isdisjoint(text))
    if raw is not None:
        assert len(raw) == len(text)
        assert (word.encode() in raw) == (word in text.casefold())


# Long texts of every string kind (Latin-1, UCS-2, UCS-4), so that the compiled screen's
# blocks of 16 characters, their tails and matches across block edges are all exercised.
_SCREEN_TEXT = st.lists(st.sampled_from(["Hafen", "HAFEN", "hafenx", "Straße", "ß", "K", "\u212a",
                                         "ﬁ", " ", "\n", "\u2019", "é", "Ὀδυσσεύς", "x", "İ",
                                         "\x00", "\x80", "\xff", "\u0100", "😀", "abcdefghij",
                                         "ABCDEFGHIJKLMNOP"]),
                        max_size=40).map("".join)


@given(st.lists(_SCREEN_TEXT, max_size=6),
       st.sampled_from([b"", b"h", b"hafen", b"hafenx", b"x", b"ss", b"k", b"fi", b"e", b"\x80",
                        b"\x00", b"\x80x", b"H", b"HAFEN", b"fenabc", b"jabcdefghijabcdefghij",
                        b"abcdefghijklmnop", b"ghijklmnop"]))
def test_ascii_screen_is_the_fold_and_in(texts: list[str], word: bytes) -> None:
    """The compiled screen gives, for each text, whether the word is in its fold (or it has
    no fold) as ``word in _ascii_fold(text)`` does, whatever the word's bytes."""
    from unspun.judge import sources

    want = bytes(r is None or word in r for r in map(sources._ascii_fold, texts))
    assert sources._ascii_screen(texts, word) == want
    # Whether each text has a fold, kept across words: the same answers, first and again.
    known = bytearray(len(texts))
    assert sources._ascii_screen(texts, b"qz", known) == bytes(
        r is None or b"qz" in r for r in map(sources._ascii_fold, texts))
    assert sources._ascii_screen(texts, word, known) == want
    assert all(k == 0 or (k == 2) == (sources._ascii_fold(t) is None)
               for k, t in zip(known, texts, strict=True))
    saved = sources._screen
    sources._screen = None
    try:
        assert sources._ascii_screen(texts, word) == want
    finally:
        sources._screen = saved


def test_carriers_screen_many_documents_as_carries_does() -> None:
    """``_Bodies.carriers`` (every candidate screened at once) lists exactly the documents
    :meth:`_Bodies.carries` accepts one by one, in any script, case or spacing, and with a
    document whose fold is None (a "ß")."""
    from unspun.judge.sources import _Bodies, _norm, _Pieces

    piece = _norm(LONG)
    texts = {"wire": WIRE.text, "caps": LONG.upper(), "broken": LONG.replace(" ", "\n ", 4),
             "curly": "\u201c" + LONG + "\u201d", "sharp": "Straße. " + LONG,
             "short": LONG[:-20], "other": SHORT * 20, "none": "", "emoji": "😀 " + LONG}
    docs = {k: Document(id=k, text=v) for k, v in texts.items()}
    ids = list(docs)
    for pieces in ([piece], [piece, _norm(SHORT)], ["straße " + piece[:40]], ["ὀδυσσεύς x"]):
        for cfg in (JudgeConfig(), JudgeConfig(carried_min_words=1)):
            want = [d for d in ids if _Bodies(docs).carries(d, _Pieces(pieces, cfg))]
            assert _Bodies(docs).carriers(ids, _Pieces(pieces, cfg)) == want
    assert _Bodies(docs).carriers(ids, _Pieces([piece], JudgeConfig())) == [
        "wire", "caps", "broken", "curly", "sharp", "emoji"]


def test_ascii_screen_refuses_a_known_list_of_another_length() -> None:
    import pytest

    from unspun.judge import sources

    if sources._screen is None:
        pytest.skip("the extension is off")
    with pytest.raises(ValueError, match="as long as texts"):
        sources._ascii_screen(["a", "b"], b"a", bytearray(1))


# Every character str.split() splits at, runs of them at either end and inside, beside
# characters whose casefold is longer or leaves the string's kind (Latin-1 "µ" folds to Greek).
_NORM_TEXT = st.lists(st.sampled_from(["Hafen", "HAFEN", "Straße", "ß", "\u212a", "ﬃ", "İ", "µ",
                                       "ΣΊΣΥΦΟΣ", "Ὀδυσσεύς", "😀", "é", "x", " ", "  ", "\t",
                                       "\n", "\r\n", "\x0b", "\x0c", "\x1c", "\x1f", "\x85",
                                       "\xa0", "\u2028", "\u3000", "\u200b", "\x00", "\x7f"]),
                      max_size=30).map("".join)


@given(_NORM_TEXT)
def test_compiled_norm_is_the_python_norm(text: str) -> None:
    """``_norm`` compiled (``_speedups.norm_fold``) gives the very str of the Python twin,
    for texts of every kind (ASCII, Latin-1, UCS-2, UCS-4) and every whitespace."""
    from unspun.judge import sources

    want = " ".join(text.split()).casefold()
    assert sources._py_norm(text) == want
    got = sources._norm(text)
    assert got == want and type(got) is str
    assert sources._norm(text.encode("ascii", "ignore").decode()) == sources._py_norm(
        text.encode("ascii", "ignore").decode())


def test_norm_of_every_code_point() -> None:
    """Each code point alone and between two words, compiled and in Python."""
    import sys

    from unspun.judge import sources

    text = "".join(f"a{chr(c)}B" for c in range(sys.maxunicode + 1))
    assert sources._norm(text) == sources._py_norm(text)
