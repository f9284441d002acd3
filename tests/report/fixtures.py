"""A hand-built TraceResult that looks like a spun, stitched content-farm page with two sources."""

from __future__ import annotations

from unspun.data import (
    Alignment,
    CleanResult,
    Document,
    Edit,
    EditOp,
    Finding,
    FindingKind,
    Quote,
    QuoteFinding,
    Sentence,
    SentenceTrace,
    SourceShare,
    Span,
    TraceResult,
    Verdict,
)

HEADLINE = "Smith on Ivanov talks - it was not all friendly"

# The suspect: headline three times, sentences from two sources (spun), junk lines, one original.
SUSPECT = f"""{HEADLINE}

{HEADLINE}

President Alan Smith has invited Russian Federation leader Boris Ivanov to Washington this \
autumn, the White House said on Thursday.

Director of National Intelligence Carol Dunn said Thursday she had yet to be briefed on the \
private session.

"The summit with Russian Federation was a great success," Smith wrote on Twitter. The \
Russian leader praised Smith's mediation efforts but slammed his decision to leave the \
worldwide accord.

More news: Storm closes highways across the north <b>[bold]</b>

Officials said 40 people attended the closed-door meeting.

This closing paragraph is the farm's own filler & nobody else wrote it.

[an error occurred while processing this directive]
"""

SOURCE_A = """President Alan Smith has invited Russia's leader Boris Ivanov to Washington this \
autumn, the White House said on Thursday. Director of National Intelligence Carol Dunn said \
on Thursday she had yet to be briefed on the session. Officials said 20 people attended the \
meeting."""

SOURCE_B = """"The summit with Russia was a great success," Smith wrote on Twitter. The Russian \
leader praised Smith's mediation efforts but slammed his decision to leave the international \
accord."""

# (suspect sentence, source id, source sentence, edits as (op, suspect words, source words))
_PLAN: list[tuple[str, str, str, list[tuple[EditOp, str, str]]]] = [
    (
        "President Alan Smith has invited Russian Federation leader Boris Ivanov to Washington "
        "this autumn, the White House said on Thursday.",
        "reuters-1",
        "President Alan Smith has invited Russia's leader Boris Ivanov to Washington this autumn, "
        "the White House said on Thursday.",
        [("synonym", "Russian Federation", "Russia's")],
    ),
    (
        "Director of National Intelligence Carol Dunn said Thursday she had yet to be briefed on "
        "the private session.",
        "reuters-1",
        "Director of National Intelligence Carol Dunn said on Thursday she had yet to be briefed "
        "on the session.",
        [("delete", "", "on "), ("insert", "private ", "")],
    ),
    (
        '"The summit with Russian Federation was a great success," Smith wrote on Twitter.',
        "ap-7",
        '"The summit with Russia was a great success," Smith wrote on Twitter.',
        [("synonym", "Russian Federation", "Russia")],
    ),
    (
        "The Russian leader praised Smith's mediation efforts but slammed his decision to leave "
        "the worldwide accord.",
        "ap-7",
        "The Russian leader praised Smith's mediation efforts but slammed his decision to leave "
        "the international accord.",
        [("synonym", "worldwide", "international")],
    ),
    (
        "Officials said 40 people attended the closed-door meeting.",
        "reuters-1",
        "Officials said 20 people attended the meeting.",
        [("factual", "40", "20"), ("insert", "closed-door ", "")],
    ),
]

_JUNK: list[tuple[FindingKind, str, str]] = [
    ("repeated-headline", HEADLINE, "headline repeated 2 times"),
    ("link-line", "More news: Storm closes highways across the north <b>[bold]</b>",
     "starts with 'More news:'"),
    ("server-error", "[an error occurred while processing this directive]", "SSI error"),
]


def _span_in(text: str, part: str, *, start: int = 0) -> Span:
    """Find ``part`` in ``text`` from ``start``; an empty part becomes an empty span there."""
    if not part:
        return Span(start, start)
    at = text.index(part, start)
    return Span(at, at + len(part))


def _edits(sus: Span, src: Span, plan: list[tuple[EditOp, str, str]], source: str) -> list[Edit]:
    """Place each planned edit inside its sentence pair."""
    out = []
    for op, s_words, o_words in plan:
        s_span = _span_in(SUSPECT, s_words, start=sus.start)
        o_span = _span_in(source, o_words, start=src.start)
        if op == "insert":  # the point in the source where the words were inserted
            at = _span_in(source, SUSPECT[s_span.end : s_span.end + 7], start=src.start).start
            o_span = Span(at, at)
        if op == "delete":  # "said on Thursday" became "said Thursday"
            o_span = _span_in(source, "on ", start=_span_in(source, "said ", start=src.start).end)
            at = _span_in(SUSPECT, "Thursday", start=sus.start).start
            s_span = Span(at, at)
        detail = {"synonym": "spin", "factual": "number changed"}.get(op, "")
        out.append(Edit(op, s_span, o_span, s_span.of(SUSPECT), o_span.of(source), detail))
    return out


def make_trace() -> TraceResult:
    """Build the look-alike TraceResult used by the report, terminal, HTML and web tests."""
    doc = Document(id="farm-001", text=SUSPECT, title=HEADLINE, url="http://farm.example/p/1",
                   site="farm.example", date="2018-07-20", source="tests/farm.html")
    sources = {
        "reuters-1": Document(id="reuters-1", text=SOURCE_A, title="Smith invites Ivanov to "
                              "Washington", url="https://wire.example/smith-ivanov",
                              site="wire.example", date="2018-07-19"),
        "ap-7": Document(id="ap-7", text=SOURCE_B, title="Ivanov praises summit",
                         url="https://press.example/ivanov", site="press.example",
                         date="2018-07-18"),
    }
    findings = []
    pos = 0
    for kind, text, detail in _JUNK:
        span = _span_in(SUSPECT, text, start=pos)
        if kind == "repeated-headline":  # the first copy is kept as the title
            span = _span_in(SUSPECT, text, start=span.end)
        findings.append(Finding(kind, span, text, detail=detail))
        pos = span.end
    traces: list[SentenceTrace] = []
    for i, (s_text, sid, o_text, plan) in enumerate(_PLAN):
        sus = _span_in(SUSPECT, s_text)
        src_text = sources[sid].text
        src = _span_in(src_text, o_text)
        score = 1.0 - 0.06 * len(plan)
        al = Alignment(sus, sid, src, score, edits=_edits(sus, src, plan, src_text))
        traces.append(SentenceTrace(Sentence(i, sus, s_text), al, order=i))
    own = "This closing paragraph is the farm's own filler & nobody else wrote it."
    traces.append(SentenceTrace(Sentence(len(traces), _span_in(SUSPECT, own), own)))
    kept = [t.sentence.span for t in traces]
    clean = CleanResult(doc=doc, kept=kept, findings=findings, title=HEADLINE)
    sus_q = _span_in(SUSPECT, "The summit with Russian Federation was a great success,")
    src_q = _span_in(SOURCE_B, "The summit with Russia was a great success,")
    qf = QuoteFinding(
        "altered-quote",
        Quote(sus_q, sus_q.of(SUSPECT), speaker="Smith"),
        Quote(src_q, src_q.of(SOURCE_B), speaker="Smith"),
        "ap-7",
        "quoted words changed: Russia → Russian Federation",
    )
    shares = [
        SourceShare("reuters-1", 0.55, 3, title=sources["reuters-1"].title,
                    url=sources["reuters-1"].url, site="wire.example", date="2018-07-19"),
        SourceShare("ap-7", 0.33, 2, title=sources["ap-7"].title, url=sources["ap-7"].url,
                    site="press.example", date="2018-07-18"),
    ]
    verdict = Verdict("stitched-aggregate", 0.87, {
        "traced_share": 0.88, "sources": 2, "spin_rate": 0.04, "altered_quotes": 1,
        "junk_removed": 3, "reason": "two sources, sentences spun, junk wrapped",
    })
    return TraceResult(clean=clean, sentences=traces, sources=shares, source_docs=sources,
                       quote_findings=[qf], verdict=verdict)
