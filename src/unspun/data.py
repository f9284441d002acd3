"""The record types every unspun stage takes and returns; all offsets point into original texts."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

#: Why a line was removed, or what was noticed, during cleaning.
FindingKind = Literal[
    "repeated-headline",
    "link-line",  # "More news:", "Read more", "Related", "Also read", "Recommended"
    "boilerplate",  # share, subscribe, advertising, cookie lines
    "server-error",  # SSI errors, PHP warnings, unfilled template placeholders
    "duplicate-paragraph",
    "site-boilerplate",  # a line that recurs across many pages of one site (--corpus)
    "cosmetic",  # reported, never rewritten: e.g. "wouldn't, '" spacing
]

#: How one token-level change between a source sentence and a suspect sentence is labelled.
EditOp = Literal[
    "verbatim",
    "cosmetic",  # punctuation, case, quote style, spacing
    "synonym",  # a content word or phrase replaced by an equivalent (spin)
    "factual",  # a number, named entity, date or negation changed
    "insert",
    "delete",
    "paraphrase",
]

#: The verdict for one suspect article.
VerdictLabel = Literal[
    "original",
    "syndicated-copy",
    "spun-copy",
    "stitched-aggregate",
    "partial-reuse",
]
#: Where the text came from (the first axis of a verdict). ``unknown``: no source was found,
#: but the page carries strong signs of spinning, so "original" would be dishonest.
ProvenanceLabel = Literal["original", "partial-reuse", "copy", "stitched", "unknown"]
#: What was done to it (the second axis; any number of them).
ManipulationLabel = Literal["spun", "altered-quotes", "changed-facts"]


@dataclass(frozen=True, slots=True, order=True)
class Span:
    """A half-open character range ``[start, end)`` into one original text."""

    start: int
    end: int

    def __post_init__(self) -> None:
        if not 0 <= self.start <= self.end:
            raise ValueError(f"bad span [{self.start}, {self.end})")

    def __len__(self) -> int:
        return self.end - self.start

    def of(self, text: str) -> str:
        """Return the slice of ``text`` this span covers."""
        return text[self.start : self.end]

    def overlap(self, other: Span) -> int:
        """Number of characters shared with ``other``."""
        return max(0, min(self.end, other.end) - max(self.start, other.start))


@dataclass(slots=True)
class Document:
    """One article (or page) with the metadata ingest could find.

    ``source`` is where it was read from (a path, ``path#record=N`` for a WARC record,
    ``path#line=N`` for JSONL), so every result can point back to its input.
    """

    id: str
    text: str
    title: str | None = None
    url: str | None = None
    site: str | None = None
    date: str | None = None  # ISO 8601 date or datetime, as found
    source: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence of a document: its span into the original text and the text itself."""

    index: int
    span: Span
    text: str


class _SpanSlots:
    """:class:`Span`'s slots without its frozen ``__setattr__`` or checks (see :func:`span_at`)."""

    __slots__ = ("start", "end")
    start: int
    end: int


class _SentenceSlots:
    """:class:`Sentence`'s slots without its frozen ``__setattr__`` (see :func:`sentence_at`)."""

    __slots__ = ("index", "span", "text")
    index: int
    span: Span
    text: str


def span_at(start: int, end: int) -> Span:
    """``Span(start, end)``, for offsets valid by construction (``0 <= start <= end``).

    The object is made as a plain slotted twin, filled by ordinary attribute stores, then given
    the class :class:`Span` (Python allows a ``__class__`` assignment between classes with the
    same slots): a third of the checked constructor's cost, and cleaning, the splitter and the
    index make one per line or sentence. Equality, hashing and ordering are :class:`Span`'s.
    """
    span = _SpanSlots()
    span.start = start
    span.end = end
    span.__class__ = Span  # type: ignore[assignment]
    return span  # type: ignore[return-value]


def sentence_at(index: int, start: int, end: int, text: str) -> Sentence:
    """``Sentence(index, Span(start, end), text)``, for offsets valid by construction.

    Made like :func:`span_at`: 0.5 us where filling the frozen objects through their slot
    descriptors took 0.9 us and the checked constructors 1.8 us (one per sentence).
    """
    span = _SpanSlots()
    span.start = start
    span.end = end
    span.__class__ = Span  # type: ignore[assignment]
    sentence = _SentenceSlots()
    sentence.index = index
    sentence.span = span  # type: ignore[assignment]
    sentence.text = text
    sentence.__class__ = Sentence  # type: ignore[assignment]
    return sentence  # type: ignore[return-value]


@dataclass(slots=True)
class Finding:
    """One thing cleaning removed (``removed=True``) or only reported, with its reason."""

    kind: FindingKind
    span: Span
    text: str
    removed: bool = True
    detail: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "start": self.span.start,
            "end": self.span.end,
            "text": self.text,
            "removed": self.removed,
            "detail": self.detail,
        }


@dataclass(slots=True)
class CleanResult:
    """A document after cleaning: what was kept (as spans of the original) and what was not.

    ``title`` is the headline kept once (it may come from the document or from the first line).
    """

    doc: Document
    kept: list[Span]
    findings: list[Finding]
    title: str | None = None

    @property
    def removed(self) -> list[Finding]:
        return [f for f in self.findings if f.removed]

    @property
    def text(self) -> str:
        """The cleaned text: kept spans joined by blank lines (offsets do not survive this)."""
        return "\n\n".join(s.of(self.doc.text).strip() for s in self.kept if s.of(self.doc.text).strip())


@dataclass(slots=True)
class Edit:
    """One labelled change inside an aligned sentence pair; either side may be empty."""

    op: EditOp
    suspect: Span  # into the suspect's original text (empty span for a deletion)
    source: Span  # into the source's original text (empty span for an insertion)
    suspect_text: str
    source_text: str
    detail: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "op": self.op,
            "suspect": [self.suspect.start, self.suspect.end],
            "source": [self.source.start, self.source.end],
            "suspect_text": self.suspect_text,
            "source_text": self.source_text,
            "detail": self.detail,
        }


@dataclass(slots=True)
class Alignment:
    """A suspect span aligned to a source span, with a similarity score in [0, 1].

    ``kind`` is "sentence" for one-to-one, "merge" when several source sentences became one
    suspect sentence, "split" when one source sentence became several suspect sentences.
    """

    suspect: Span
    source_id: str
    source: Span
    score: float
    kind: Literal["sentence", "merge", "split", "passage"] = "sentence"
    edits: list[Edit] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "suspect": [self.suspect.start, self.suspect.end],
            "source_id": self.source_id,
            "source": [self.source.start, self.source.end],
            "score": round(self.score, 4),
            "kind": self.kind,
            "edits": [e.to_dict() for e in self.edits],
        }


@dataclass(slots=True)
class Quote:
    """A direct quotation in a text, with its speaker when one could be found."""

    span: Span  # the quoted words, without the quote marks
    text: str
    speaker: str | None = None
    speaker_span: Span | None = None


@dataclass(slots=True)
class QuoteFinding:
    """A suspect quote whose words or speaker differ from the matching source quote."""

    kind: Literal["altered-quote", "changed-attribution"]
    suspect: Quote
    source: Quote
    source_id: str
    detail: str = ""


@dataclass(slots=True)
class QuoteSource:
    """A direct quote of the suspect found in an indexed document: "quoted from".

    Quotes are what independent reports share most, so a quote source is reported apart from
    the copied body and never makes a page a copy on its own.
    """

    suspect: Quote
    source: Quote
    doc_id: str
    share: float  # share of the suspect quote's words found, in order, in the source quote
    changes: list[str] = field(default_factory=list)  # word changes, "source → suspect"
    speaker_changed: bool = False


@dataclass(slots=True)
class HeadlineMatch:
    """The suspect's headline found as the headline of an indexed document."""

    text: str  # the suspect's headline
    suspect: Span | None  # where the headline stands in the suspect's text, if it does
    doc_id: str
    source_title: str
    score: float  # share of the words the two headlines share, in order
    carriers: list[str] = field(default_factory=list)  # other documents with the same headline


@dataclass(slots=True)
class SentenceTrace:
    """One sentence of the suspect with where it came from (``alignment`` is None if original)."""

    sentence: Sentence
    alignment: Alignment | None = None
    order: int | None = None  # position of the matched source sentence, for reorder analysis


@dataclass(slots=True)
class SourceShare:
    """A source document of the suspect with the share of suspect text traced to it."""

    doc_id: str
    share: float
    sentences: int
    title: str | None = None
    url: str | None = None
    site: str | None = None
    date: str | None = None
    also_carried_by: list[str] = field(default_factory=list)  # the same story on other sites


@dataclass(slots=True)
class Verdict:
    """The judgement on one article, with its confidence and the evidence behind it."""

    label: VerdictLabel
    confidence: float
    evidence: dict[str, Any] = field(default_factory=dict)
    provenance: ProvenanceLabel = "original"
    manipulation: list[ManipulationLabel] = field(default_factory=list)


@dataclass(slots=True)
class TraceResult:
    """Everything ``trace`` learned about one suspect article."""

    clean: CleanResult
    sentences: list[SentenceTrace]
    sources: list[SourceShare]
    source_docs: dict[str, Document] = field(default_factory=dict)
    quote_findings: list[QuoteFinding] = field(default_factory=list)
    quote_sources: list[QuoteSource] = field(default_factory=list)
    headline: HeadlineMatch | None = None
    verdict: Verdict | None = None
    run: dict[str, Any] = field(default_factory=dict)  # unspun version and settings used

    @property
    def doc(self) -> Document:
        return self.clean.doc

    @property
    def traced_share(self) -> float:
        """Share of the suspect's kept characters that align to some source."""
        total = sum(len(s.sentence.span) for s in self.sentences)
        done = sum(len(s.sentence.span) for s in self.sentences if s.alignment is not None)
        return done / total if total else 0.0
