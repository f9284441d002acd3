"""Property tests: offsets always slice the original and nothing is lost without a finding."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from unspun.clean import clean
from unspun.clean.cosmetic import cosmetic_findings
from unspun.data import CleanResult, Document, Finding, Span

# Lines drawn from junk and prose, so the rules actually fire, glued with odd whitespace.
_LINES = [
    "Trump on Putin meeting - it wasn't all rosy", "More news: Ferry services cancelled",
    "Related news", "Related", "Read more", "[an error occurred while processing the directive]",
    "Advertisement", "Share this:", "© 2018 Wire", "{{ title }}", "By {{ author }}",
    "Warning: foo() failed in /var/www/a.php on line 3", "undefined", "NaN",
    "Police said the two crimes were related.",
    "The council voted on Tuesday to close the pier at the end of the summer.",
    "'I said would instead of wouldn't, ' he says.", "U.S. -Russia ties  improved .",
    "The strike closes {{ n }} schools, the union said on Monday night.",
    "Glued text.[an error occurred while processing the directive] More text.",
    "We use cookies to give you the best experience on our website.",
]
_line = st.one_of(st.sampled_from(_LINES), st.text(max_size=40))
_sep = st.sampled_from(["\n", "\n\n", "\r\n", " \n \n", "\n\t\n\n"])


@st.composite
def texts(draw: st.DrawFn) -> str:
    parts = draw(st.lists(st.tuples(_line, _sep), max_size=14))
    return "".join(a + b for a, b in parts) + draw(_line)


def _covered(result: CleanResult) -> tuple[list[bool], list[bool]]:
    text = result.doc.text
    kept = [False] * len(text)
    removed = [False] * len(text)
    for span in result.kept:
        for i in range(span.start, span.end):
            kept[i] = True
    for f in result.removed:
        for i in range(f.span.start, f.span.end):
            removed[i] = True
    return kept, removed


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts(), st.sampled_from([None, "Trump on Putin meeting - it wasn't all rosy"]))
def test_offsets_slice_and_cover(text: str, title: str | None) -> None:
    result = clean(Document(id="p", text=text, title=title))
    for f in result.findings:
        assert 0 <= f.span.start <= f.span.end <= len(text)
        assert f.span.of(text) == f.text
    spans = result.kept
    assert all(a.end <= b.start for a, b in zip(spans, spans[1:], strict=False))  # in order
    kept, removed = _covered(result)
    for i, ch in enumerate(text):
        if ch.isspace():
            continue
        assert not (kept[i] and removed[i]), f"char {i} {ch!r} both kept and removed"
        assert kept[i] or removed[i], f"char {i} {ch!r} lost without a finding"
    for span in spans:  # kept spans never start or end in whitespace
        piece = span.of(text)
        assert piece and piece == piece.strip()
    cosmetic = [f for f in result.findings if not f.removed]
    assert all(f.kind == "cosmetic" for f in cosmetic)
    assert all(any(s.start <= f.span.start and f.span.end <= s.end for s in spans)
               for f in cosmetic)


@settings(max_examples=100, deadline=None)
@given(texts())
def test_cleaning_is_deterministic(text: str) -> None:
    first = clean(Document(id="p", text=text))
    second = clean(Document(id="p", text=text))
    assert first.kept == second.kept
    assert [f.to_dict() for f in first.findings] == [f.to_dict() for f in second.findings]


_COSMETIC_BITS = st.sampled_from([" ", "  ", "   ", "\n", ",", ".", "..", "!", "?", ";", ":", "-",
                                  "a", "U.S.", '"', "\u201c", "\u201d", "'", "\u2019", "\t",
                                  "\u00a0", "word"])


def _cosmetic_reference(text: str, spans: list[Span]) -> list[Finding]:
    """``cosmetic_findings`` with every scan run on every text."""
    import bisect

    from unspun.clean.cosmetic import _DOUBLE_QUOTES, _PATTERNS, _prev_ok

    starts = [s.start for s in spans]
    want: list[Finding] = []
    for detail, pattern, need, _ in _PATTERNS:
        for m in pattern.finditer(text):
            a, b = m.span()
            i = bisect.bisect_right(starts, a) - 1
            if _prev_ok(text, a, need) and i >= 0 and spans[i].start <= a and b <= spans[i].end:
                want.append(Finding("cosmetic", Span(a, b), m.group(), removed=False,
                                    detail=detail))
    for span in spans:
        pos = span.start
        for line in span.of(text).split("\n"):
            marks = set(_DOUBLE_QUOTES.findall(line))
            if '"' in marks and len(marks) > 1:
                s = pos + len(line) - len(line.lstrip())
                want.append(Finding("cosmetic", Span(s, s + len(line.strip())), line.strip(),
                                    removed=False,
                                    detail="mixed quote styles (straight and curly)"))
            pos += len(line) + 1
    want.sort(key=lambda f: (f.span.start, f.span.end))
    return want


@given(st.lists(_COSMETIC_BITS, max_size=60).map("".join), st.data())
def test_cosmetic_findings_skip_no_text_that_has_them(text: str, data: st.DataObject) -> None:
    """The scans skipped when a text lacks what their matches need (a space then a space or
    a mark; both kinds of double quote) find the same as every scan run on every text."""
    cuts = sorted(data.draw(st.sets(st.integers(0, len(text)), max_size=6)))
    spans = [Span(a, b) for a, b in zip(cuts[::2], cuts[1::2], strict=False) if a < b]
    assert cosmetic_findings(text, spans, limit=1000) == _cosmetic_reference(text, spans)


def test_each_skipped_cosmetic_scan_still_runs_on_a_text_needing_it() -> None:
    for text in ("It ended .", "It ended , then", "It ended ;", "It ended :", "It ended !",
                 "It ended ?", "It  ended", 'He said "no", she \u201cyes\u201d',
                 'He said "no", she yes\u201d', "Fine. Fine.. Fine ..."):
        found = cosmetic_findings(text, [Span(0, len(text))])
        assert found == _cosmetic_reference(text, [Span(0, len(text))])
        assert found or text.startswith("Fine"), text
