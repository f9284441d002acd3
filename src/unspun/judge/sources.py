"""Sources: each source's share of the suspect, with the carriers of one story folded together."""

from __future__ import annotations

from itertools import compress

from unspun._native import speedups
from unspun.config import JudgeConfig
from unspun.data import Document, SentenceTrace, SourceShare

#: The characters beyond ASCII whose casefold holds an ASCII character ("ß" → "ss", the
#: Kelvin sign → "k"); a test checks the list against every code point.
_TO_ASCII = frozenset("\u00df\u0130\u0149\u017f\u01f0\u1e96\u1e97\u1e98\u1e99\u1e9a\u1e9e"
                      "\u212a\ufb00\ufb01\ufb02\ufb03\ufb04\ufb05\ufb06")


def _norm(text: str) -> str:
    """The text's words joined by single spaces, casefolded: what a carrier test compares.

    Compiled when it can be (``_speedups.norm_fold``, one pass with no list of words: a
    trace normalises ~40 texts, four of them whole documents, ~0.3 ms in Python;
    tests/judge/test_sources.py compares it with :func:`_py_norm`).
    """
    if _norm_fold is not None:
        return _norm_fold(text)  # type: ignore[no-any-return]
    return _py_norm(text)


def _py_norm(text: str) -> str:
    """:func:`_norm` in Python: the fallback, and the reference of the compiled twin."""
    return " ".join(text.split()).casefold()


_norm_fold = None if speedups is None else speedups.norm_fold


def _ascii_fold(text: str) -> bytes | None:
    """The text's ASCII characters lowercased and every other character as the byte 0x80, or
    None when one of them casefolds to something holding an ASCII character.

    casefold works character by character and maps every other character beyond ASCII to
    characters beyond ASCII, so an ASCII word is in ``text.casefold()`` exactly when it is in
    these bytes: a screen of a document for a word without casefolding all of it (about ten
    times the cost, for the ~60 % of news texts with a curly quote or a dash). Compiled when
    it can be (``_speedups.ascii_fold``; tests/judge/test_sources.py compares them).
    """
    if _fold is not None:
        return _fold(text)  # type: ignore[no-any-return]
    if not _TO_ASCII.isdisjoint(text):
        return None
    return bytes(ord(c) + 32 if "A" <= c <= "Z" else ord(c) if c < "\x80" else 0x80 for c in text)


_fold = None if speedups is None else speedups.ascii_fold


def _ascii_screen(texts: list[str], word: bytes, known: bytearray | None = None) -> bytes:
    """For each text 1 when ``word`` is in its :func:`_ascii_fold` or it has none, else 0.

    A trace looks for one word of each source in every candidate (about a hundred texts a
    source, 3.5 KB each, nearly all without it): compiled, this makes no fold and screens
    16 characters at a time (``_speedups.ascii_screen``, several times faster than ``in`` on
    the folds; tests/judge/test_sources.py compares them). ``known`` (one byte a text, zeros
    at first) lets the compiled screen keep whether each text has a fold, for the next
    word looked for in the same texts.
    """
    if _screen is not None:
        return _screen(texts, word, known)  # type: ignore[no-any-return]
    return bytes(r is None or word in r for r in map(_ascii_fold, texts))


_screen = None if speedups is None else speedups.ascii_screen


class _Pieces:
    """A source's aligned text (normalised spans), with what every carrier test of it asks
    first, computed once per trace rather than once per document tested."""

    __slots__ = ("pieces", "enough", "longest", "ascii", "screen")

    def __init__(self, pieces: list[str], config: JudgeConfig) -> None:
        self.pieces = pieces
        # Long enough to say a document carries them: ``carried_min_chars`` in all, or one
        # piece of ``carried_min_words`` words.
        self.enough = (sum(len(p) for p in pieces) >= config.carried_min_chars
                       or max((len(p.split()) for p in pieces), default=0)
                       >= config.carried_min_words)
        words = [p.split(" ") for p in pieces]
        self.longest = [max(w, key=len) for w in words]
        # Each piece's longest ASCII word as bytes, for documents screened by their ASCII
        # fold (any word of a piece screens as well); None when a piece has none.
        ascii = [w if p.isascii() else [x for x in w if x.isascii()]
                 for p, w in zip(pieces, words, strict=True)]
        self.ascii = ([max(a, key=len).encode("ascii") for a in ascii]
                      if all(ascii) else None)
        # The words :meth:`_Bodies.carriers` screens every candidate for: the longest (the
        # rarest, as a rule), and a few of them, as most candidates fail the first.
        self.screen = sorted(dict.fromkeys(self.ascii or ()), key=len, reverse=True)[:3]


class _Bodies(dict[str, str]):
    """Each document's normalised text, made once per trace and only when asked for."""

    def __init__(self, docs: dict[str, Document]) -> None:
        super().__init__()
        self.docs = docs
        self.folded: dict[str, str] = {}  # screened documents' casefolded texts
        self.ascii: dict[str, bytes | None] = {}  # each screened document's _ascii_fold
        self.texts: list[str] | None = None  # the texts of carriers' ids
        self.known = bytearray()  # whether each of them has an ASCII fold (_ascii_screen)

    def __missing__(self, doc_id: str) -> str:
        body = self[doc_id] = _norm(self.docs[doc_id].text)
        return body

    def carries(self, doc_id: str, pieces: _Pieces) -> bool:
        """True when the document holds every one of ``pieces``, and they are long enough
        to say so."""
        if not pieces.enough:
            return False
        if doc_id not in self:
            # A cheap screen: a piece's longest word (it holds no space) is in the
            # normalised text only if it is in the casefolded one, since casefolding maps
            # whitespace to itself and nothing else to whitespace (a test checks every code
            # point): most documents fail here, and need no normalised text. ASCII words are
            # looked for in the document's ASCII fold, which is as good and much cheaper.
            if doc_id in self.ascii:
                raw = self.ascii[doc_id]
            else:
                raw = self.ascii[doc_id] = _ascii_fold(self.docs[doc_id].text)
            if raw is not None and pieces.ascii is not None:
                if any(word not in raw for word in pieces.ascii):
                    return False
            else:
                folded = self.folded.get(doc_id)
                if folded is None:
                    folded = self.folded[doc_id] = self.docs[doc_id].text.casefold()
                if any(word not in folded for word in pieces.longest):
                    return False
        body = self[doc_id]
        return all(p in body for p in pieces.pieces)

    def carriers(self, ids: list[str], pieces: _Pieces) -> list[str]:
        """The documents of ``ids`` that carry ``pieces`` (:meth:`carries` of each).

        A trace asks this of every candidate (about a hundred) for each source, and nearly
        all lack the source's longest words: those are screened for in all of them at once
        (:func:`_ascii_screen`, compiled), and only the few left are tested one by one.
        ``ids`` must be the same list at every call (their texts are kept).
        """
        if not pieces.enough:
            return []
        if pieces.ascii is None:
            return [d for d in ids if self.carries(d, pieces)]
        if self.texts is None:
            self.texts = [self.docs[d].text for d in ids]
            self.known = bytearray(len(ids))
        texts, known = self.texts, self.known
        for word in pieces.screen:
            if len(ids) < 3:  # as cheap one by one
                break
            flags = _ascii_screen(texts, word, known)
            ids = list(compress(ids, flags))
            texts = list(compress(texts, flags))
            known = bytearray(compress(known, flags))
        return [d for d in ids if self.carries(d, pieces)]


def source_shares(traces: list[SentenceTrace], docs: dict[str, Document],
                  config: JudgeConfig | None = None) -> list[SourceShare]:
    """Each source story's share of the suspect's kept characters, largest first.

    The same wire story carried by several sites is one source: a source whose aligned source
    text another source (or any other candidate in ``docs``) also holds in full, when that
    text is long enough (``JudgeConfig.carried_min_chars`` or ``carried_min_words``), is
    folded into the larger one and listed in its ``also_carried_by``, never counted as
    independent.

    Args:
        traces: The aligned sentences.
        docs: Every candidate document by id (sources and non-sources).
        config: The carrier thresholds (default :class:`JudgeConfig`).

    Returns:
        One share per story, largest first; ties go to the earliest date.
    """
    total = sum(len(t.sentence.span) for t in traces) or 1
    chars: dict[str, int] = {}
    count: dict[str, int] = {}
    pieces: dict[str, list[str]] = {}
    for t in traces:
        al = t.alignment
        if al is not None:
            sid = al.source_id
            chars[sid] = chars.get(sid, 0) + len(t.sentence.span)
            count[sid] = count.get(sid, 0) + 1
            pieces.setdefault(sid, []).append(_norm(al.source.of(docs[sid].text)))
    order = sorted(chars, key=lambda s: (-chars[s], docs[s].date or "", s))
    cfg = config or JudgeConfig()
    texts = {sid: _Pieces(p, cfg) for sid, p in pieces.items()}
    bodies = _Bodies(docs)
    others = [d for d in docs if d not in chars]
    owner: dict[str, str] = {}
    for sid in order:
        if sid in owner:
            continue
        owner[sid] = sid
        for other in order:
            if (other not in owner and bodies.carries(sid, texts[other])
                    and bodies.carries(other, texts[sid])):
                owner[other] = sid
    shares = []
    for sid in order:
        if owner[sid] != sid:
            continue
        group = [o for o in order if owner[o] == sid]
        carriers = [o for o in group if o != sid]
        carriers += sorted(bodies.carriers(others, texts[sid]))
        doc = docs[sid]
        shares.append(SourceShare(
            doc_id=sid, share=sum(chars[o] for o in group) / total,
            sentences=sum(count[o] for o in group), title=doc.title, url=doc.url, site=doc.site,
            date=doc.date, also_carried_by=carriers))
    return sorted(shares, key=lambda s: (-s.share, s.date or "", s.doc_id))
