"""Direct quotes for the farm mode: find liftable quotes, synthesise one, lift one into a new frame."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from random import Random
from typing import Any

from unspun.bench.pool import Article, speaker_of
from unspun.bench.rewrite import Piece, RelEdit, Src, quote_regions
from unspun.bench.spin import candidates
from unspun.bench.spin_table import SPIN_TABLE

MIN_QUOTE_WORDS = 6
_NOT_SPEAKERS = frozenset("Monday Tuesday Wednesday Thursday Friday Saturday Sunday January "
                          "February March April May June July August September October "
                          "November December On In At The".split())
_FAKE_SPEAKERS = ("Daniel Okafor", "Helen Marsh", "Ravi Chandran", "Sofia Lindqvist")
_OPEN = ("We have said it before and we will say it again:", "Let me be very clear about this:",
         "I want to be honest with people:", "Nobody should be surprised,", "After everything that "
         "has happened,", "As far as we are concerned,", "Frankly,", "Today of all days,")
_BODY = ("the questions about {a} will not go away", "we owe everyone answers on {a}",
         "{a} has to come before politics", "people were warned about {a} for years",
         "the situation around {a} is more serious than it looks",
         "we are not going to walk away from {a}", "the facts on {a} speak for themselves",
         "no one in this building takes {a} lightly")
_TAIL = ("and the same goes for {b}", "whatever anyone says about {b}",
         "even if {b} makes it harder", "and {b} is part of that too", "starting with {b}",
         "long before anyone talked about {b}")
#: Frames a farm writes around a lifted quote: (name, template); {q} the quote, {s} speaker.
FRAMES = (
    ("trailing-stated", '"{q}", {s} stated.'),
    ("leading-colon", '{s} stated: "{q}."'),
    ("quoted-as-saying", '"{q}", {s} was quoted as saying.'),
    ("added-that", 'Speaking to reporters, {s} added that "{q}".'),
    ("mentioned", '"{q}", {s} mentioned.'),
)


@dataclass(frozen=True, slots=True)
class Lift:
    """A liftable direct quote: its source sentence, the words' offsets in it, the speaker."""

    src: Src
    start: int  # relative to the sentence, quote marks and closing punctuation excluded
    end: int
    speaker: str

    @property
    def quote(self) -> str:
        return self.src.text[self.start : self.end]


def lifts(article: Article) -> list[Lift]:
    """Every direct quote of at least six words with a named speaker, in article order."""
    out: list[Lift] = []
    for src in article.sentences:
        speaker = speaker_of(src.text)
        if not speaker or speaker.split()[0] in _NOT_SPEAKERS:
            continue
        for a, b in quote_regions(src.text):
            start, end = a + 1, b - 1
            while end > start and src.text[end - 1] in ",.!?; ":
                end -= 1
            if len(src.text[start:end].split()) >= MIN_QUOTE_WORDS:
                out.append(Lift(src, start, end, speaker))
    return out


def person_names(article: Article) -> list[str]:
    """Two-word names whose surname also stands alone in the article (a person's name,
    unlike "Gaza Strip" or "North American")."""
    out = []
    for name in article.names:
        parts = name.split()
        if len(parts) != 2 or parts[0] in _NOT_SPEAKERS:
            continue
        if re.search(rf"(?<!{re.escape(parts[0])} )\b{re.escape(parts[1])}\b", article.doc.text):
            out.append(name)
    return out


def synthetic_quote(article: Article, rng: Random) -> str:
    """A plausible quoted sentence for an article that has none (the farm mode inserts it
    into the reference story, and records that it did)."""
    keys = sorted(article.keywords) or ["the plan"]
    names = person_names(article)
    speaker = rng.choice(names[:6]) if names else rng.choice(_FAKE_SPEAKERS)
    a, b = rng.sample(keys, 2) if len(keys) > 1 else (keys[0], "the rest")
    words = " ".join((rng.choice(_OPEN), rng.choice(_BODY).format(a=a),
                      rng.choice(_TAIL).format(b=b)))
    return f'"{words}," {speaker} said.'


def _cased(original: str, new: str) -> str:
    return new[0].upper() + new[1:] if original[:1].isupper() and new[:1].islower() else new


@dataclass(slots=True)
class Lifted:
    """A lifted quote as a suspect sentence, with its gold (offsets relative to the piece)."""

    piece: Piece
    gold: dict[str, Any] = field(default_factory=dict)


def lift_piece(lift: Lift, rng: Random, *, alter: bool) -> Lifted:
    """Write a lifted quote into a new frame, spinning a word inside the marks when asked.

    Args:
        lift: The quote.
        rng: The random source.
        alter: Swap one word through the spinner dictionary (and sometimes trim the tail).

    Returns:
        The piece (sourced to the quote's words) and its gold: ``span`` (relative), source
        span, speaker, frame, ``altered`` and ``changes``.
    """
    q = lift.quote
    changes: list[tuple[str, int, int, str]] = []  # kind, start, end in q, new
    if alter:
        cands = candidates(q)
        if cands:
            s, e, key = rng.choice(cands)
            changes.append(("spun-word", s, e, _cased(q[s:e], rng.choice(SPIN_TABLE[key]))))
        cut = q.rfind(", ")
        if (rng.random() < 0.25 or not cands) and cut > 0 and len(q[:cut].split()) >= \
                MIN_QUOTE_WORDS and not any(e > cut for _, _, e, _ in changes):
            changes.append(("trimmed", cut, len(q), ""))
    name, frame = rng.choice(FRAMES)
    pre, post = frame.split("{q}")
    pre, post = pre.format(s=lift.speaker), post.format(s=lift.speaker)
    base = lift.src.sent.span.start + lift.start
    doc = lift.src.doc.id
    parts, edits, pos = [pre], [], 0
    length = len(pre)
    for kind, s, e, new in sorted(changes, key=lambda c: c[1]):
        parts.append(q[pos:s])
        length += s - pos
        edits.append(RelEdit("quote" if kind == "spun-word" else "delete", length,
                             length + len(new), doc, (base + s, base + e), q[s:e], new,
                             f"altered-quote: {kind}", True))
        parts.append(new)
        length += len(new)
        pos = e
    parts.append(q[pos:])
    length += len(q) - pos
    text = "".join(parts) + post
    piece = Piece(text[0].upper() + text[1:], [(doc, base, base + len(q))], edits)
    gold = {"rel": [len(pre), length], "source_id": doc, "source_span": [base, base + len(q)],
            "speaker": lift.speaker, "frame": name, "altered": bool(changes),
            "changes": [{"kind": k, "old": q[s:e], "new": n} for k, s, e, n in changes]}
    return Lifted(piece, gold)
