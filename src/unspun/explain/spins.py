"""Spinner dictionaries mined from traced corpora, and a spin score for articles with no source."""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal

from unspun.config import SpinConfig
from unspun.data import Alignment, Document, Span, TraceResult
from unspun.errors import BadInput
from unspun.explain.spinlists import COLLOCATIONS, OFFICIAL_FORMS, PROPER_COLLOCATIONS
from unspun.text.tokens import STOPWORDS, Token, tokenize

#: Version of the spins.json format written by :meth:`SpinDictionary.save`.
SPINS_FORMAT = 1
_MAX_EXAMPLES = 5

FlagKind = Literal["dictionary", "official-form", "collocation"]


def phrase_key(text: str) -> str:
    """The normalised form of a phrase: its word tokens, lowercased, joined by spaces."""
    return " ".join(t.norm for t in tokenize(text) if t.kind != "punct")


@dataclass(slots=True)
class SpinPair:
    """One substitution a spinner made: source phrase → suspect phrase, with where it was seen."""

    source: str
    suspect: str
    count: int = 0
    sites: dict[str, int] = field(default_factory=dict)
    examples: list[str] = field(default_factory=list)
    source_form: str = ""
    suspect_form: str = ""
    occurrences: int = 0  # every sighting; ``count`` is the number of pages


@dataclass(slots=True)
class SpinDictionary:
    """Substitution pairs mined from traces, plus how often each output occurs in originals."""

    pairs: dict[tuple[str, str], SpinPair] = field(default_factory=dict)
    original_counts: dict[str, int] = field(default_factory=dict)
    documents: int = 0
    _pages: dict[tuple[str, str], set[str]] = field(default_factory=dict, repr=False)

    def add(self, source: str, suspect: str, *, site: str | None, doc_id: str) -> None:
        """Count one substitution of ``source`` (surface form) by ``suspect`` in ``doc_id``."""
        key = (phrase_key(source), phrase_key(suspect))
        if not key[0] or not key[1] or key[0] == key[1]:
            return
        pair = self.pairs.get(key)
        if pair is None:
            pair = self.pairs[key] = SpinPair(*key, source_form=source, suspect_form=suspect)
        pair.occurrences += 1
        pages = self._pages.setdefault(key, set())
        if doc_id in pages:
            return  # a spinner's dictionary is measured in pages, not repetitions
        pages.add(doc_id)
        pair.count += 1
        site_key = site or "unknown"
        pair.sites[site_key] = pair.sites.get(site_key, 0) + 1
        if len(pair.examples) < _MAX_EXAMPLES:
            pair.examples.append(doc_id)

    def ranked(self, *, min_count: int = 1) -> list[SpinPair]:
        """Pairs seen at least ``min_count`` times, most frequent first."""
        keep = [p for p in self.pairs.values() if p.count >= min_count]
        return sorted(keep, key=lambda p: (-p.count, p.source, p.suspect))

    def outputs(self, *, min_count: int = 2, max_original_share: float = 0.5) -> dict[str, float]:
        """Suspect phrases a spinner produces, each with the weight its flag gets.

        A phrase qualifies when its pairs were seen ``min_count`` times in total and it makes
        up at most ``max_original_share`` of its sightings in spun copies plus originals.
        """
        totals: dict[str, int] = {}
        for pair in self.pairs.values():
            totals[pair.suspect] = totals.get(pair.suspect, 0) + pair.count
        out: dict[str, float] = {}
        for phrase, count in totals.items():
            orig = self.original_counts.get(phrase, 0)
            share = orig / (orig + count)
            if count >= min_count and share <= max_original_share:
                out[phrase] = 1.0 - share
        return out

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": SPINS_FORMAT,
            "documents": self.documents,
            "pairs": [asdict(p) for p in self.ranked()],
            "original_counts": dict(sorted(self.original_counts.items())),
        }

    def save(self, path: str | Path) -> None:
        """Write the dictionary as JSON (atomically: a temporary file, then a rename)."""
        path = Path(path)
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_text(json.dumps(self.to_dict(), ensure_ascii=False, indent=1), "utf-8")
        tmp.replace(path)

    @classmethod
    def load(cls, path: str | Path) -> SpinDictionary:
        """Read a dictionary written by :meth:`save`.

        Raises:
            BadInput: The file is missing, not JSON, or not a spins file of this format.
        """
        try:
            raw = json.loads(Path(path).read_text("utf-8"))
        except FileNotFoundError:
            raise BadInput(str(path), "no such spins file") from None
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise BadInput(str(path), f"not a spins file ({exc.__class__.__name__})") from None
        if not isinstance(raw, dict) or raw.get("format") != SPINS_FORMAT:
            raise BadInput(str(path), f"not a spins file of format {SPINS_FORMAT}")
        try:
            pairs = [SpinPair(**p) for p in raw.get("pairs", [])]
            counts = {str(k): int(v) for k, v in raw.get("original_counts", {}).items()}
        except (TypeError, ValueError, AttributeError) as exc:
            raise BadInput(str(path), f"malformed spins file ({exc})") from None
        return cls({(p.source, p.suspect): p for p in pairs}, counts, int(raw.get("documents", 0)))


def _ngrams(tokens: list[Token], n: int) -> Iterable[tuple[int, str]]:
    """(start index, key) of every run of ``n`` word tokens with no punctuation between."""
    for i in range(len(tokens) - n + 1):
        run = tokens[i : i + n]
        if all(t.kind != "punct" for t in run):
            yield i, " ".join(t.norm for t in run)


def _count_in_originals(texts: Iterable[str], phrases: set[str]) -> dict[str, int]:
    """How many of ``texts`` contain each phrase."""
    longest = max((p.count(" ") + 1 for p in phrases), default=0)
    counts: dict[str, int] = {}
    for text in texts:
        toks = tokenize(text)
        found = {key for n in range(1, longest + 1) for _, key in _ngrams(toks, n)} & phrases
        for key in found:
            counts[key] = counts.get(key, 0) + 1
    return counts


_ENTITY_RE = re.compile(r"&\s*#?\w+\s*;|&\s*(?:rsquo|lsquo|rdquo|ldquo|quot|amp|nbsp|apos)\b", re.I)


def _close_copy(al: Alignment, cfg: SpinConfig) -> bool:
    """True for an alignment close enough to its source that its swaps are a spinner's."""
    if al.score < cfg.mine_min_score or any(e.op == "paraphrase" for e in al.edits):
        return False
    # Counted on the source side: an expansion ("Russia" → "Russian Federation") is one swap.
    words = sum(len(e.source_text.split()) for e in al.edits)
    same = sum(len(e.source_text.split()) for e in al.edits if e.op in ("verbatim", "cosmetic"))
    return words > 0 and same >= cfg.mine_min_verbatim * words


def _clean_pair(source: str, suspect: str, detail: str) -> bool:
    """False for entity-encoding damage ("it’& rsquo; s") and for one name put for another."""
    if _ENTITY_RE.search(source) or _ENTITY_RE.search(suspect):
        return False
    names = source[:1].isupper() and suspect[:1].isupper()
    return not names or detail == "expansion"


def mine_spins(results: Iterable[TraceResult], *, function_words: bool = False,
               config: SpinConfig | None = None) -> SpinDictionary:
    """Collect the spinner's substitution pairs from the ``synonym`` edits of traces.

    Args:
        results: Traces whose alignments carry edits (see :func:`explain_alignment`).
        function_words: Also keep swaps of function words only ("the" → "a").
        config: Which alignments are close enough to mine (defaults when omitted).

    Returns:
        The dictionary, with ``original_counts`` taken from the traces' source documents.
    """
    cfg = config or SpinConfig()
    out = SpinDictionary()
    originals: dict[str, str] = {}
    for result in results:
        out.documents += 1
        seen: set[int] = set()
        for st in result.sentences:
            al = st.alignment
            if al is None or id(al) in seen or not _close_copy(al, cfg):
                continue
            seen.add(id(al))
            for edit in al.edits:
                if (edit.op == "synonym" and (function_words or edit.detail != "function-word")
                        and _clean_pair(edit.source_text, edit.suspect_text, edit.detail)):
                    out.add(edit.source_text, edit.suspect_text, site=result.doc.site,
                            doc_id=result.doc.id)
        for doc_id, doc in result.source_docs.items():
            originals.setdefault(doc_id, doc.text)
    phrases = {p.suspect for p in out.pairs.values()}
    out.original_counts = _count_in_originals(originals.values(), phrases)
    return out


@dataclass(slots=True)
class SpinFlag:
    """A span of an article that looks spun, and why."""

    kind: FlagKind
    span: Span
    text: str
    detail: str
    weight: float

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "start": self.span.start, "end": self.span.end,
                "text": self.text, "detail": self.detail, "weight": round(self.weight, 3)}


@dataclass(slots=True)
class SpinReport:
    """The source-free spin assessment of one article."""

    score: float
    flags: list[SpinFlag]
    content_words: int

    def to_dict(self) -> dict[str, Any]:
        return {"score": round(self.score, 4), "content_words": self.content_words,
                "flags": [f.to_dict() for f in self.flags]}


def _collocation_flags(text: str, toks: list[Token], used: set[int],
                       weight: float) -> list[SpinFlag]:
    """Fixed expressions with exactly one content word replaced by an unexpected one."""
    patterns: dict[tuple[str | None, ...], tuple[tuple[str, ...], int]] = {}
    for phrase in COLLOCATIONS:
        slots = [len(phrase) - 1] if len(phrase) == 2 else range(len(phrase))
        for p in slots:
            if phrase[p] not in STOPWORDS:
                patterns[phrase[:p] + (None,) + phrase[p + 1 :]] = (phrase, p)
    flags: list[SpinFlag] = []
    for n in sorted({len(p) for p in COLLOCATIONS}, reverse=True):
        for i, key in _ngrams(toks, n):
            words = tuple(key.split())
            if words in COLLOCATIONS or any(k in used for k in range(i, i + n)):
                continue
            for p in range(n):
                hit = patterns.get(words[:p] + (None,) + words[p + 1 :])
                if hit is None:
                    continue
                phrase, _ = hit
                word = words[p].removesuffix("'s")
                caps = [text[t.start].isupper() for t in toks[i : i + n]]
                if (word == phrase[p] or word in STOPWORDS or word in COLLOCATIONS[phrase]
                        or toks[i + p].kind != "word"
                        or caps[p] and (phrase not in PROPER_COLLOCATIONS
                                        or not all(caps[:p] + caps[p + 1 :]))):
                    continue  # a legitimate variant, or a name after the expression
                span = Span(toks[i].start, toks[i + n - 1].end)
                flags.append(SpinFlag("collocation", span, span.of(text),
                                      f"expected {' '.join(phrase)!r}", weight))
                used.update(range(i, i + n))
                break
    return flags


def spin_score(
    doc_or_text: Document | str,
    dictionary: SpinDictionary | None = None,
    *,
    spans: list[Span] | None = None,
    config: SpinConfig | None = None,
) -> SpinReport:
    """Flag likely spun phrases in an article without looking at any source.

    Three signals, longest match first and never overlapping: outputs of a mined spinner
    dictionary (``dictionary``), long official names ("Russian Federation"), and fixed
    expressions with one word swapped ("White Home"). The score is
    ``1 - exp(-weighted flags per 100 content words / config.score_scale)``.

    Args:
        doc_or_text: The article.
        dictionary: A mined spinner dictionary; built-in signals only when None.
        spans: Regions of the text to score (for example the spans cleaning kept).
        config: Flag weights, the score scale, and which dictionary outputs count
            (``min_count``, ``max_original_share``); defaults when omitted.

    Returns:
        The flags in text order and the score in [0, 1].
    """
    cfg = config or SpinConfig()
    text = doc_or_text.text if isinstance(doc_or_text, Document) else doc_or_text
    regions = spans if spans is not None else [Span(0, len(text))]
    toks = [t for r in regions for t in tokenize(text, r.start, r.end)]
    outputs = dictionary.outputs(min_count=cfg.min_count,
                                 max_original_share=cfg.max_original_share) \
        if dictionary is not None else {}
    sources: dict[str, str] = {}
    if dictionary is not None:
        for pair in dictionary.ranked():
            sources.setdefault(pair.suspect, pair.source_form or pair.source)
    longest = max([k.count(" ") + 1 for k in [*outputs, *OFFICIAL_FORMS]] or [1])
    used: set[int] = set()
    flags: list[SpinFlag] = []
    for n in range(longest, 0, -1):
        for i, key in _ngrams(toks, n):
            if any(k in used for k in range(i, i + n)):
                continue
            span = Span(toks[i].start, toks[i + n - 1].end)
            if key in outputs:
                flag = SpinFlag("dictionary", span, span.of(text), f"spun from {sources[key]!r}",
                                cfg.dictionary_weight * outputs[key])
            elif key in OFFICIAL_FORMS:
                flag = SpinFlag("official-form", span, span.of(text),
                                f"news usually writes {OFFICIAL_FORMS[key]!r}",
                                cfg.official_form_weight)
            else:
                continue
            flags.append(flag)
            used.update(range(i, i + n))
    flags += _collocation_flags(text, toks, used, cfg.collocation_weight)
    flags.sort(key=lambda f: f.span.start)
    content = sum(1 for t in toks if t.kind == "word" and t.norm not in STOPWORDS)
    density = sum(f.weight for f in flags) * 100 / max(content, cfg.min_content_words)
    return SpinReport(1.0 - math.exp(-density / cfg.score_scale), flags, content)
