"""Quote integrity: compare each suspect quote with its source quote, words and speaker."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right

from unspun._native import wordkeys
from unspun.config import ExplainConfig
from unspun.data import Alignment, Document, Quote, QuoteFinding, QuoteSource, Span, TraceResult
from unspun.explain.quotes import LazyQuotes
from unspun.text.diff import Opcode, matched, opcodes
from unspun.text.tokens import SPEAKER_PRONOUNS, TITLES, Token, tokenize
from unspun.text.tokens import words as word_norms

_BRACKETS = re.compile(r"\[[^\[\]\n]*\]|\([^()\n]*\)")


def speaker_key(speaker: str | None) -> str | None:
    """A comparable form of a speaker: the last name, lowercased ("President Donald Trump" → "trump").

    Returns None for a missing or unresolved pronoun speaker.
    """
    if not speaker:
        return None
    words = [w.strip(".,").lower() for w in speaker.split()]
    words = [w for w in words if w and w not in TITLES]
    if not words or words[-1] in SPEAKER_PRONOUNS:
        return None
    return words[-1].removesuffix("'s").removesuffix("\u2019s")


def _named(quote: Quote, text: str) -> bool:
    """True when the quote's speaker is written out, not only a resolved pronoun."""
    return quote.speaker_span is not None and quote.speaker_span.of(text).lower() not in SPEAKER_PRONOUNS


def _words(text: str, span: Span) -> list[Token]:
    """The words of ``span``, leaving out editorial insertions in brackets or parentheses.

    The text between the notes is tokenized piece by piece: a note opens and closes with a
    punctuation mark, which no other token holds, so each token lies wholly inside a note or
    wholly in one piece (the same words as tokenizing the span and dropping those that start
    in a note; tests/explain/test_quote_check.py compares them).
    """
    pieces: list[Token] = []
    at = span.start
    for m in _BRACKETS.finditer(text, span.start, span.end):
        pieces += tokenize(text, at, m.start())
        at = m.end()
    pieces += tokenize(text, at, span.end)
    return [t for t in pieces if t.kind != "punct"]


def _words_reference(text: str, span: Span) -> list[Token]:
    """:func:`_words` as the span's tokens less punctuation and those starting in a note."""
    notes = [m.span() for m in _BRACKETS.finditer(text, span.start, span.end)]
    return [t for t in tokenize(text, span.start, span.end)
            if t.kind != "punct" and not any(a <= t.start < b for a, b in notes)]


class QuoteCache:
    """What :func:`quote_sources` and :func:`check_quotes` of one trace both need, made once:
    the quotes of each text (the suspect's, and those of the documents retrieved for its
    quotes, which are often its aligned sources too), the words of each quote text, the
    word tokens of each quote span, and the word changes between two quote spans (over the
    latency queries, 57 % of the changes :func:`check_quotes` asks for were worked out by
    :func:`quote_sources` already)."""

    __slots__ = ("lazy", "norms", "tokens", "changed")

    def __init__(self) -> None:
        self.lazy: dict[tuple[str, tuple[Span, ...] | None], LazyQuotes] = {}
        self.norms: dict[str, list[str]] = {}
        self.tokens: dict[tuple[str, int, int], list[Token]] = {}
        self.changed: dict[tuple[str, int, int, str, int, int], list[str]] = {}

    def words(self, text: str, span: Span) -> list[Token]:
        """``_words(text, span)``, tokenized once per text and span (not to be changed)."""
        key = (text, span.start, span.end)
        found = self.tokens.get(key)
        if found is None:
            found = self.tokens[key] = _words(text, span)
        return found

    def changes(self, text: str, span: Span, source_text: str, source_span: Span) -> list[str]:
        """The word changes of the quote ``span`` of ``text`` to the quote ``source_span`` of
        ``source_text`` (:func:`_differences` of their words), worked out once; a new list."""
        key = (text, span.start, span.end, source_text, source_span.start, source_span.end)
        found = self.changed.get(key)
        if found is None:
            found = self.changed[key] = _differences(
                self.words(text, span), self.words(source_text, source_span), text,
                source_text)
        return list(found)

    def quotes(self, text: str, spans: list[Span] | None = None) -> LazyQuotes:
        """``LazyQuotes(text, spans)``, made once per text and spans."""
        key = (text, None if spans is None else tuple(spans))
        found = self.lazy.get(key)
        if found is None:
            found = self.lazy[key] = LazyQuotes(text, spans)
        return found


def _norms(quote_text: str, cache: dict[str, list[str]]) -> list[str]:
    """The normalised words of a quote (as :func:`_words` of its span: they depend only on
    its text), computed once per distinct text."""
    found = cache.get(quote_text)
    if found is None:
        found = cache[quote_text] = (_quote_norms(quote_text) if _quote_norms is not None
                                     else _text_norms(quote_text))
    return found


def _text_norms(quote_text: str) -> list[str]:
    """The words of a quote text, notes left out: the reference of the compiled
    ``_wordkeys.quote_norms`` (tests/explain/test_quote_check.py compares them)."""
    return (word_norms(quote_text)  # two scans for a mark: cheaper than the pattern's search
            if ("(" not in quote_text and "[" not in quote_text)
            or _BRACKETS.search(quote_text) is None
            else [t.norm for t in _words(quote_text, Span(0, len(quote_text)))])


# The compiled twins of _text_norms and _word_counts (None: the pure-Python path).
_quote_norms = None if wordkeys is None else wordkeys.quote_norms
_quote_counts = None if wordkeys is None else wordkeys.quote_counts


def _word_counts(lazy: LazyQuotes, cache: dict[str, list[str]]) -> list[int]:
    """How many words each quote of ``lazy`` holds (``len(_norms(text))``): its words are
    made only for the quotes long enough to match (a third of a trace's evidence quotes).

    Compiled when it can be (``_wordkeys.quote_counts``, which counts without making the
    words; tests/explain/test_quote_check.py compares the two); in Python the words are
    made here, and ``cache`` keeps them for the comparisons.
    """
    if _quote_counts is not None:
        return _quote_counts(lazy.text, lazy.spans)  # type: ignore[no-any-return]
    return [len(_norms(t, cache)) for t in lazy.texts]


def _whole_sentences(text: str, start: int, end: int) -> bool:
    """True when ``text[start:end]`` is one or more complete sentences (a cut, not a change)."""
    before = text[:start].rstrip(" \t\n\"'\u201c\u2018")[-1:]
    after = text[end : end + 8].lstrip(" ")
    return before in ("", ".", "!", "?", "]") and after[:1] in (".", "!", "?", "\u2026", "[")


def _best(sus_words: list[str], candidates: list[list[str]],
          min_share: float) -> tuple[float, int] | None:
    """The share and number of the source quote (of ``candidates``' words) sharing the
    largest share of the suspect quote's words, in order (the first of equals)."""
    best: tuple[float, int] | None = None
    if not sus_words:
        return None
    size = len(sus_words)
    for n, words in enumerate(candidates):
        # No more words in order than it holds: a quote too short to reach ``min_share``
        # (or the best so far) is skipped without the comparison (the same choice).
        most = len(words) / size
        if not words or most < min_share or (best is not None and most <= best[0]):
            continue
        share = matched(sus_words, words) / size
        if share >= min_share and (best is None or share > best[0]):
            best = (share, n)
    return best


def _best_counted(sus_words: list[str], texts: list[str], counts: list[int], min_share: float,
                  cache: dict[str, list[str]]) -> tuple[float, int] | None:
    """:func:`_best` over quotes given by their texts and word counts: the words of a quote
    are made (by :func:`_norms`, into ``cache``) only when its count passes the tests."""
    best: tuple[float, int] | None = None
    if not sus_words:
        return None
    size = len(sus_words)
    for n, count in enumerate(counts):
        most = count / size
        if not count or most < min_share or (best is not None and most <= best[0]):
            continue
        share = matched(sus_words, _norms(texts[n], cache)) / size
        if share >= min_share and (best is None or share > best[0]):
            best = (share, n)
    return best


def quote_sources(text: str, quotes: list[Quote], docs: list[list[Document]], *,
                  min_share: float, cache: QuoteCache | None = None) -> list[QuoteSource]:
    """Where each suspect quote was quoted from: every document that carries it.

    Each quote is compared with every direct quote of the documents retrieved for it (the
    frame around a lifted quote is often rewritten, so only the words inside the marks count).
    Word changes are listed as for altered quotes, ignoring words the suspect cut off either
    end; a different named speaker is flagged.

    Args:
        text: The suspect's text.
        quotes: The suspect's quotes to trace.
        docs: For each quote, the documents that may carry it.
        min_share: Least share of the suspect quote's words a source quote must hold in order.
        cache: Quotes and quote words shared with the trace's :func:`check_quotes`.

    Returns:
        One :class:`QuoteSource` per (quote, document) match, in suspect order.
    """
    shared = cache or QuoteCache()
    norms = shared.norms  # the words of a quote text: carriers repeat a quote
    prepared: dict[str, tuple[LazyQuotes, list[int]]] = {}
    out: list[QuoteSource] = []
    for quote, candidates in zip(quotes, docs, strict=True):
        # The words of its text are those of its span; the tokens only when it matches
        # (see QuoteCache.changes).
        sus_norms = _norms(text[quote.span.start:quote.span.end], norms)
        for doc in candidates:
            if doc.id not in prepared:
                lazy = shared.quotes(doc.text)  # speakers only of the quotes matched
                prepared[doc.id] = lazy, _word_counts(lazy, norms)
            lazy, counts = prepared[doc.id]
            found = _best_counted(sus_norms, lazy.texts, counts, min_share, norms)
            if found is None:
                continue
            share, at = found
            match = lazy.quote(at)
            changes = shared.changes(text, quote.span, doc.text, match.span)
            a, b = speaker_key(quote.speaker), speaker_key(match.speaker)
            moved = bool(a and b and a != b and (_named(quote, text) or _named(match, doc.text)))
            out.append(QuoteSource(quote, match, doc.id, round(share, 4), changes, moved))
    return out


def quote_source_findings(sources: list[QuoteSource],
                          known: list[QuoteFinding]) -> list[QuoteFinding]:
    """Altered quotes and changed speakers, judged against the closest carrier of each quote.

    A quote that one carrier prints word for word is not altered, whatever other carriers
    print. Quotes already judged through a copied sentence (``known``) are skipped.
    """
    by_quote: dict[int, list[QuoteSource]] = {}
    for qs in sources:
        by_quote.setdefault(qs.suspect.span.start, []).append(qs)
    judged = {(f.kind, f.suspect.span.start) for f in known}
    out: list[QuoteFinding] = []
    for start, group in by_quote.items():
        best = min(group, key=lambda q: (len(q.changes), -q.share, q.doc_id))
        if best.changes and ("altered-quote", start) not in judged:
            out.append(QuoteFinding("altered-quote", best.suspect, best.source, best.doc_id,
                                    "; ".join(best.changes)))
        if best.speaker_changed and ("changed-attribution", start) not in judged:
            out.append(QuoteFinding("changed-attribution", best.suspect, best.source,
                                    best.doc_id, f"{best.source.speaker} → {best.suspect.speaker}"))
    return out


def _differences(sus: list[Token], src: list[Token], sus_text: str, src_text: str) -> list[str]:
    """Word changes inside a quote, ignoring a source quote's words the suspect cut off the ends.

    The source windows that start with the suspect's first word and end with its last word
    are tried too (the one with the fewest changed words wins), so a quote cut short is not
    reported as altered. A window's count of changed words needs only the edit script of
    the norms: the changes are written out for the winner alone.
    """
    sus_norms = [t.norm for t in sus]
    src_norms = [t.norm for t in src]
    ops = _trimmed(opcodes(sus_norms, src_norms))
    cost = _cost(ops)
    if not cost or not sus:
        return _changes(ops, sus, src, sus_text, src_text)
    first, last = sus_norms[0], sus_norms[-1]
    starts = [j for j, w in enumerate(src_norms) if w == first]
    ends = [j + 1 for j, w in enumerate(src_norms) if w == last]
    best: tuple[int, int] | None = None
    for a, b in [(a, b) for a in starts for b in ends if b > a][:50]:
        # The first window of least cost wins, and the whole quote over an equal one.
        window = _cost(_trimmed(opcodes(sus_norms, src_norms[a:b])))
        if window < cost:
            cost, best = window, (a, b)
    if best is None:
        return _changes(ops, sus, src, sus_text, src_text)
    a, b = best
    return _changes(_trimmed(opcodes(sus_norms, src_norms[a:b])), sus, src[a:b], sus_text,
                    src_text)


def _trimmed(ops: list[Opcode]) -> list[Opcode]:
    """``ops`` less the insertions at either end: source words before and after the part
    the suspect quotes."""
    lo, hi = 0, len(ops)
    while lo < hi and ops[lo][0] == "insert":
        lo += 1
    while hi > lo and ops[hi - 1][0] == "insert":
        hi -= 1
    return ops[lo:hi]


def _cost(ops: list[Opcode]) -> int:
    """How many words the changes of (trimmed) ``ops`` take out and put in."""
    return sum(i2 - i1 + j2 - j1 for tag, i1, i2, j1, j2 in ops if tag != "equal")


def _changes(ops: list[Opcode], sus: list[Token], src: list[Token], sus_text: str,
             src_text: str) -> list[str]:
    """Each differing block of (trimmed) ``ops`` as "source words → suspect words"."""
    out: list[str] = []
    for tag, i1, i2, j1, j2 in ops:
        if tag == "equal":
            continue
        if i1 == i2 and _whole_sentences(src_text, src[j1].start, src[j2 - 1].end):
            continue  # a sentence left out of a quote: a cut, not a change of words
        a = sus_text[sus[i1].start : sus[i2 - 1].end] if i2 > i1 else ""
        b = src_text[src[j1].start : src[j2 - 1].end] if j2 > j1 else ""
        out.append(f"{b or '∅'} → {a or '∅'}")
    return out


def _diff(sus: list[Token], src: list[Token], sus_text: str,
          src_text: str) -> tuple[int, list[str]]:
    """Changed words and each differing block as "source words → suspect words"."""
    ops = _trimmed(opcodes([t.norm for t in sus], [t.norm for t in src]))
    return _cost(ops), _changes(ops, sus, src, sus_text, src_text)


def _quoted_changes(sus_text: str, src_text: str, al: Alignment, quoted: Span,
                    cfg: ExplainConfig,
                    cache: QuoteCache | None = None) -> tuple[Span, list[str]] | None:
    """Word changes the aligned suspect span makes to the part of a source quote (its span
    ``quoted``) the source span holds.

    This finds quotes altered in a copy that lost its quote marks (or paired them differently):
    the source says which words are quoted, the alignment which suspect words stand for them.

    ``cache`` keeps the two spans' words for the next source quote of the pair.

    Returns:
        The suspect span standing for the quoted words and the changes ("source → suspect"),
        or None when nothing quoted changed or the words hardly align.
    """
    region = Span(max(quoted.start, al.source.start), min(quoted.end, al.source.end))
    if cache is None:
        sus, src = _words(sus_text, al.suspect), _words(src_text, al.source)
    else:  # the same two spans for each source quote of a pair
        sus, src = cache.words(sus_text, al.suspect), cache.words(src_text, al.source)
    inside = [j for j, t in enumerate(src) if region.start <= t.start and t.end <= region.end]
    if not inside or not sus:
        return None
    lo, hi = inside[0], inside[-1] + 1
    ops = opcodes([t.norm for t in sus], [t.norm for t in src])
    mapped: list[int] = []
    diffs: list[str] = []
    kept = 0
    for tag, i1, i2, j1, j2 in ops:
        if tag == "equal":
            shared = range(max(j1, lo), min(j2, hi))
            kept += len(shared)
            mapped += [i1 + j - j1 for j in shared]
            continue
        if not (j1 < hi and lo < j2 if j2 > j1 else lo < j1 < hi):
            continue  # a change outside the quoted words
        if i2 - i1 > cfg.max_quote_block:
            return None  # a long run of other words: not the same passage
        if i1 == i2 and _whole_sentences(src_text, src[j1].start, src[j2 - 1].end):
            continue
        mapped += range(i1, i2)
        a = sus_text[sus[i1].start : sus[i2 - 1].end] if i2 > i1 else ""
        b = src_text[src[max(j1, lo)].start : src[min(j2, hi) - 1].end] if j2 > j1 else ""
        diffs.append(f"{b or '∅'} → {a or '∅'}")
    if not diffs or not mapped or kept < cfg.min_quote_kept * (hi - lo):
        return None
    return Span(sus[min(mapped)].start, sus[max(mapped)].end), diffs


class _SpanIndex:
    """Spans (quotes of one text) ordered by start, with the largest end so far: those
    overlapping a range are found by two bisections, not by a test of each span (a trace
    asks once per aligned sentence, of ~270 source quotes and ~390 suspect quotes)."""

    __slots__ = ("spans", "order", "starts", "ends", "in_order")

    def __init__(self, spans: list[Span]) -> None:
        self.spans = spans
        self.order = sorted(range(len(spans)), key=lambda n: spans[n].start)
        self.in_order = self.order == list(range(len(spans)))
        self.starts = [spans[n].start for n in self.order]
        self.ends: list[int] = []
        most = -1
        for n in self.order:
            most = max(most, spans[n].end)
            self.ends.append(most)

    def overlapping(self, lo: int, hi: int) -> list[int]:
        """The numbers, ascending, of the spans sharing a character with ``[lo, hi)``.

        Those before the first whose running end passes ``lo`` end by ``lo``; those from
        the first starting at ``hi`` start too late; the rest are tested one by one.
        """
        spans = self.spans
        found = [n for n in self.order[bisect_right(self.ends, lo):bisect_left(self.starts, hi)]
                 if max(spans[n].start, lo) < min(spans[n].end, hi)]
        if not self.in_order:
            found.sort()
        return found


def check_quotes(result: TraceResult, *, config: ExplainConfig | None = None,
                 cache: QuoteCache | None = None) -> list[QuoteFinding]:
    """Find altered quotes and changed speaker attributions in a trace.

    For each aligned sentence, each suspect quote overlapping the suspect span is matched to
    the source quote (overlapping the aligned source span) that shares most of its words.
    Any word change (spin included) is an ``altered-quote``; case, punctuation and quote style
    are not. A different speaker, after normalising titles, first names and resolving
    pronouns, is a ``changed-attribution`` (when at least one side names the speaker rather
    than only saying "he").

    Args:
        result: A trace whose ``source_docs`` hold the aligned sources' texts.
        config: ``min_quote_match``, ``max_quote_block`` and ``min_quote_kept`` (defaults
            when omitted).
        cache: Quotes and quote words shared with the trace's :func:`quote_sources`.

    Returns:
        Findings in suspect text order, at most one of each kind per suspect quote.
    """
    cfg = config or ExplainConfig()
    doc = result.doc
    shared = cache or QuoteCache()
    sus_quotes = shared.quotes(doc.text, result.clean.kept or None).all()
    sus_index = _SpanIndex([q.span for q in sus_quotes])
    # The quotes of each source (speakers only of those reported) and their index.
    src_cache: dict[str, tuple[LazyQuotes, _SpanIndex]] = {}
    sus_cache: dict[int, tuple[list[Token], list[str]]] = {}  # a suspect quote's words, by start
    findings: list[QuoteFinding] = []
    seen: set[tuple[str, int]] = set()
    for st in result.sentences:
        al = st.alignment
        if al is None or al.source_id not in result.source_docs:
            continue
        source: Document = result.source_docs[al.source_id]
        got = src_cache.get(al.source_id)
        if got is None:
            lazy = shared.quotes(source.text)
            got = src_cache[al.source_id] = lazy, _SpanIndex(lazy.spans)
        lazy, src_index = got
        near = src_index.overlapping(al.source.start, al.source.end)
        candidates = [_norms(lazy.texts[n], shared.norms) for n in near]
        settled: set[int] = set()  # source quotes a suspect quote was matched with
        for q in sus_index.overlapping(al.suspect.start, al.suspect.end):
            quote = sus_quotes[q]
            words = sus_cache.get(quote.span.start)
            if words is None:
                toks = shared.words(doc.text, quote.span)
                words = sus_cache[quote.span.start] = toks, [t.norm for t in toks]
            found = _best(words[1], candidates, cfg.min_quote_match)
            if found is None:
                continue
            n = near[found[1]]
            match_span = lazy.spans[n]
            diffs = shared.changes(doc.text, quote.span, source.text, match_span)
            longest = max((len(d.split(" → ")[1].split()) for d in diffs if d[-1:] != "∅"),
                          default=0)
            if longest > cfg.max_quote_block:
                continue  # a long run of other words: quote marks paired differently
            settled.add(match_span.start)
            a = speaker_key(quote.speaker)
            if not diffs and not a:
                continue  # nothing to report: the source quote's speaker is not needed
            match = lazy.quote(n)
            if diffs and ("altered-quote", quote.span.start) not in seen:
                seen.add(("altered-quote", quote.span.start))
                findings.append(QuoteFinding("altered-quote", quote, match, al.source_id,
                                             "; ".join(diffs)))
            b = speaker_key(match.speaker)
            if (a and b and a != b and (_named(quote, doc.text) or _named(match, source.text))
                    and ("changed-attribution", quote.span.start) not in seen):
                seen.add(("changed-attribution", quote.span.start))
                findings.append(QuoteFinding("changed-attribution", quote, match, al.source_id,
                                             f"{match.speaker} → {quote.speaker}"))
        for n in near:
            quoted = lazy.spans[n]
            if quoted.start in settled:
                continue
            changed = _quoted_changes(doc.text, source.text, al, quoted, cfg, shared)
            if changed is None or any(f.kind == "altered-quote" and f.suspect.span.overlap(
                    changed[0]) for f in findings):
                continue
            span, diffs = changed
            findings.append(QuoteFinding("altered-quote", Quote(span, span.of(doc.text)),
                                         lazy.quote(n), al.source_id, "; ".join(diffs)))
    findings.sort(key=lambda f: (f.suspect.span.start, f.kind))
    return findings
