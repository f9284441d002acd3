"""Sources: each source's share of the suspect, with the carriers of one story folded together."""

from __future__ import annotations

from unspun.config import JudgeConfig
from unspun.data import Document, SentenceTrace, SourceShare


def _norm(text: str) -> str:
    return " ".join(text.split()).casefold()


class _Pieces:
    """A source's aligned text (normalised spans), with what every carrier test of it asks
    first, computed once per trace rather than once per document tested."""

    __slots__ = ("pieces", "enough", "longest")

    def __init__(self, pieces: list[str], config: JudgeConfig) -> None:
        self.pieces = pieces
        # Long enough to say a document carries them: ``carried_min_chars`` in all, or one
        # piece of ``carried_min_words`` words.
        self.enough = (sum(len(p) for p in pieces) >= config.carried_min_chars
                       or max((len(p.split()) for p in pieces), default=0)
                       >= config.carried_min_words)
        self.longest = [max(p.split(" "), key=len) for p in pieces]


class _Bodies(dict[str, str]):
    """Each document's normalised text, made once per trace and only when asked for."""

    def __init__(self, docs: dict[str, Document]) -> None:
        super().__init__()
        self.docs = docs
        self.folded: dict[str, str] = {}  # each screened document's casefolded text

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
            # point): most documents fail here, and need no normalised text.
            folded = self.folded.get(doc_id)
            if folded is None:
                folded = self.folded[doc_id] = self.docs[doc_id].text.casefold()
            if any(word not in folded for word in pieces.longest):
                return False
        body = self[doc_id]
        return all(p in body for p in pieces.pieces)


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
        carriers += sorted(d for d in docs if d not in chars and bodies.carries(d, texts[sid]))
        doc = docs[sid]
        shares.append(SourceShare(
            doc_id=sid, share=sum(chars[o] for o in group) / total,
            sentences=sum(count[o] for o in group), title=doc.title, url=doc.url, site=doc.site,
            date=doc.date, also_carried_by=carriers))
    return sorted(shares, key=lambda s: (-s.share, s.date or "", s.doc_id))
