"""Sentence rewriting with exact bookkeeping: replacements become text plus offset-true edits."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from unspun.data import Document, Sentence

#: Every edit type the generator records in the gold.
EditType = str  # synonym factual quote insert delete paraphrase junk reorder merge split

_QUOTE_RE = re.compile(r'"[^"\n]*"')


@dataclass(frozen=True, slots=True)
class Src:
    """A source sentence: the reference document it comes from and its sentence."""

    doc: Document
    sent: Sentence

    @property
    def text(self) -> str:
        return self.sent.text


@dataclass(frozen=True, slots=True)
class Replacement:
    """Replace ``[start, end)`` of a source sentence (relative offsets) with ``new``."""

    start: int
    end: int
    new: str
    type: EditType
    detail: str = ""


@dataclass(slots=True)
class RelEdit:
    """An edit inside a :class:`Piece`: suspect offsets relative to the piece, source absolute."""

    type: EditType
    start: int
    end: int
    source_id: str | None
    source: tuple[int, int] | None
    old: str
    new: str
    detail: str = ""
    in_quote: bool = False


@dataclass(slots=True)
class Piece:
    """One suspect sentence in the making; no ``sources`` means an original sentence."""

    text: str
    sources: list[tuple[str, int, int]] = field(default_factory=list)
    edits: list[RelEdit] = field(default_factory=list)


@dataclass(slots=True)
class Junk:
    """One junk line (its own paragraph); ``refers_to`` names the article a link line cites."""

    text: str
    kind: str  # repeated-headline, more-news, related, server-error
    refers_to: str | None = None


def quote_regions(text: str) -> list[tuple[int, int]]:
    """The ``"..."`` regions of a text (the marks included)."""
    return [(m.start(), m.end()) for m in _QUOTE_RE.finditer(text)]


def in_quote(regions: list[tuple[int, int]], start: int, end: int) -> bool:
    """True when ``[start, end)`` lies inside one quote region (strictly inside the marks)."""
    return any(s < start and end < e for s, e in regions) or any(
        s < start < e for s, e in regions if start == end
    )


def overlaps(reps: list[Replacement], start: int, end: int) -> bool:
    """True when ``[start, end)`` touches a replacement already chosen."""
    return any(start < r.end and r.start < end or start == r.start for r in reps)


def rewrite(src: Src, reps: list[Replacement]) -> Piece:
    """Apply non-overlapping replacements to a source sentence.

    Args:
        src: The source sentence.
        reps: Replacements in relative offsets; they must not overlap.

    Returns:
        The piece, whose edits slice both the piece text and the source document exactly.
    """
    base = src.sent.span.start
    regions = quote_regions(src.doc.text)
    out: list[str] = []
    edits: list[RelEdit] = []
    pos = 0
    length = 0
    for rep in sorted(reps, key=lambda r: (r.start, r.end)):
        if rep.start < pos:
            raise ValueError("overlapping replacements")
        chunk = src.text[pos : rep.start]
        out.append(chunk)
        length += len(chunk)
        out.append(rep.new)
        s0, s1 = base + rep.start, base + rep.end
        edits.append(RelEdit(rep.type, length, length + len(rep.new), src.doc.id, (s0, s1),
                             src.text[rep.start : rep.end], rep.new, rep.detail,
                             in_quote(regions, s0, s1)))
        length += len(rep.new)
        pos = rep.end
    out.append(src.text[pos:])
    return Piece("".join(out), [(src.doc.id, base, src.sent.span.end)], edits)


def whole(src: Src, new: str, type_: EditType, detail: str = "") -> Piece:
    """A piece that rewrites the whole sentence (one edit spanning both sides)."""
    return rewrite(src, [Replacement(0, len(src.text), new, type_, detail)])


_LOWER_OK = frozenset({"The", "He", "She", "It", "They", "This", "These", "A", "An", "In", "On"})
_SPLIT_RE = re.compile(r"(?:, and |, but |; )(?=[a-zA-Z])")


def merge(a: Src, b: Src) -> Piece:
    """Join two consecutive source sentences into one suspect sentence with ``, and``."""
    second = b.text
    if second.split(" ", 1)[0] in _LOWER_OK:
        second = second[0].lower() + second[1:]
    text = f"{a.text.rstrip('.!?')}, and {second}"
    span = (a.sent.span.start, b.sent.span.end)
    edit = RelEdit("merge", 0, len(text), a.doc.id, span, a.doc.text[span[0] : span[1]], text)
    sources = [(a.doc.id, a.sent.span.start, a.sent.span.end),
               (b.doc.id, b.sent.span.start, b.sent.span.end)]
    return Piece(text, sources, [edit])


def split(src: Src) -> tuple[Piece, Piece] | None:
    """Split a sentence at a middle ", and" / ", but" / ";" into two sentences, if it has one."""
    text = src.text
    cuts = [m for m in _SPLIT_RE.finditer(text) if 30 <= m.start() <= len(text) - 30]
    if not cuts or '"' in text:
        return None
    cut = cuts[len(cuts) // 2]
    left_src, right_src = text[: cut.start()], text[cut.end() :]
    left = left_src + "."
    right = right_src[0].upper() + right_src[1:]
    base = src.sent.span.start
    doc = src.doc.id
    e_left = RelEdit("split", 0, len(left), doc, (base, base + cut.start()), left_src, left)
    e_right = RelEdit("split", 0, len(right), doc, (base + cut.end(), src.sent.span.end),
                      right_src, right)
    return (Piece(left, [(doc, base, base + cut.start())], [e_left]),
            Piece(right, [(doc, base + cut.end(), src.sent.span.end)], [e_right]))
