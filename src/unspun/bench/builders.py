"""One builder per manipulation type: each turns reference articles into suspect sentences."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from random import Random
from typing import Any

from unspun.bench import manipulate as mp
from unspun.bench.hardneg import hard_negative
from unspun.bench.pool import Article, neighbours
from unspun.bench.rewrite import Piece, RelEdit, Replacement, Src, merge, rewrite, split
from unspun.bench.spin import count_content, spin_replacements

#: The verdict a good detector should give each manipulation type.
EXPECTED_VERDICT: dict[str, str] = {
    "verbatim": "syndicated-copy",
    "spun": "spun-copy",
    "spun-10": "spun-copy",
    "spun-50": "spun-copy",
    "stitched": "stitched-aggregate",
    "truncated": "syndicated-copy",
    "paraphrase": "syndicated-copy",  # light rewording keeps the text a copy; no spin
    "quote-tamper": "syndicated-copy",
    "factual": "syndicated-copy",
    "partial": "partial-reuse",
    "hard-negative": "original",
    "original": "original",
}
TYPES: tuple[str, ...] = tuple(EXPECTED_VERDICT)


@dataclass(slots=True)
class Pools:
    """The articles a builder may draw from."""

    references: list[Article]
    held_out: list[Article]
    quoted: list[Article]  # references with a speaker-attributed direct quote
    max_sentences: int = 16
    spin_rate: float = 0.3


@dataclass(slots=True)
class Built:
    """A builder's output: headline, sentences in order, and extra gold fields."""

    title: str
    pieces: list[Piece]
    sources: list[Article]
    extra: dict[str, Any] = field(default_factory=dict)


def _body(article: Article, limit: int) -> list[Src]:
    """The first ``limit`` usable sentences of an article, the way a copier takes them."""
    return article.sentences[:limit]


def _spun(src: Src, rate: float, rng: Random) -> Piece:
    return rewrite(src, spin_replacements(src.text, rate, rng))


_HEADLINES = ("BREAKING: {t}", "{t} - here's what we know", "WATCH: {t}", "{t} (UPDATED)")


def _copy(rng: Random, pools: Pools, rate: float) -> Built:
    article = rng.choice(pools.references)
    body = _body(article, pools.max_sentences)
    pieces = [_spun(s, rate, rng) if rate else rewrite(s, []) for s in body]
    title = article.doc.title or ""
    if rate:
        title = rewrite_title(title, rate, rng)
    elif rng.random() < 0.3:
        title = rng.choice(_HEADLINES).format(t=title)
    if not rate:
        return Built(title, pieces, [article])
    content = sum(count_content(s.text) for s in body)
    spun = sum(1 for p in pieces for e in p.edits if e.type == "synonym")
    extra = {"spin_rate_target": rate, "spin_rate": round(spun / content, 4) if content else 0.0}
    return Built(title, pieces, [article], extra)


def rewrite_title(title: str, rate: float, rng: Random) -> str:
    """Spin a headline (headlines carry no gold spans, so only the text changes)."""
    reps = sorted(spin_replacements(title, rate, rng), key=lambda r: r.start, reverse=True)
    for r in reps:
        title = title[: r.start] + r.new + title[r.end :]
    return title


def verbatim(rng: Random, pools: Pools) -> Built:
    return _copy(rng, pools, 0.0)


def spun_at(rate: float) -> Callable[[Random, Pools], Built]:
    """A builder for synonym spinning at a fixed rate (``None`` rate: the configured one)."""

    def build(rng: Random, pools: Pools) -> Built:
        return _copy(rng, pools, rate if rate >= 0 else pools.spin_rate)

    return build


def stitched(rng: Random, pools: Pools) -> Built:
    first = rng.choice(pools.references)
    others = neighbours(first, pools.references, 6)
    chosen = [first, *rng.sample(others, rng.randint(1, min(4, len(others))))]
    picked: list[tuple[Article, int]] = []
    for art in chosen:
        n = len(art.sentences)
        k = rng.randint(2, min(5, n))
        start = rng.randint(0, n - k)
        picked += [(art, i) for i in range(start, start + k)]
    rng.shuffle(picked)
    rate = 0.1 if rng.random() < 0.5 else 0.0
    pieces: list[Piece] = []
    last_seen: dict[str, int] = {}
    for art, i in picked:
        src = art.sentences[i]
        piece = _spun(src, rate, rng) if rate else rewrite(src, [])
        if last_seen.get(art.doc.id, -1) > i:
            span = src.sent.span
            piece.edits.append(RelEdit("reorder", 0, len(piece.text), art.doc.id,
                                       (span.start, span.end), src.text, piece.text))
        last_seen[art.doc.id] = max(i, last_seen.get(art.doc.id, -1))
        pieces.append(piece)
    return Built(first.doc.title or "", pieces, chosen, {"spin_rate_target": rate})


def truncated(rng: Random, pools: Pools) -> Built:
    article = rng.choice([a for a in pools.references if len(a.sentences) >= 6])
    body = _body(article, pools.max_sentences)
    keep = body[: max(3, round(len(body) * rng.uniform(0.4, 0.6)))]
    pieces = []
    for src in keep:
        cut = mp.drop_clause(src.text) if rng.random() < 0.4 else None
        pieces.append(rewrite(src, [cut] if cut else []))
    return Built(article.doc.title or "", pieces, [article])


def paraphrase(rng: Random, pools: Pools) -> Built:
    article = rng.choice(pools.references)
    body = _body(article, pools.max_sentences)
    pieces: list[Piece] = []
    i = 0
    merged = split_done = False
    while i < len(body):
        src = body[i]
        if not merged and i + 1 < len(body) and rng.random() < 0.15 and '"' not in src.text:
            pieces.append(merge(src, body[i + 1]))
            merged, i = True, i + 2
            continue
        halves = split(src) if not split_done and rng.random() < 0.3 else None
        if halves:
            pieces += halves
            split_done = True
        else:
            reps = mp.paraphrase(src.text, rng) if rng.random() < 0.7 else []
            pieces.append(rewrite(src, reps))
        i += 1
    return Built(article.doc.title or "", pieces, [article])


def quote_tamper(rng: Random, pools: Pools) -> Built:
    candidates = [a for a in pools.quoted
                  if any(mp.tamper_quote(s.text, Random(0)) for s in a.sentences[: pools.max_sentences])]
    article = rng.choice(candidates or pools.quoted)
    body = _body(article, pools.max_sentences)
    with_quotes = [i for i, s in enumerate(body) if mp.tamper_quote(s.text, Random(0))]
    targets = set(rng.sample(with_quotes, min(len(with_quotes), rng.randint(1, 2))))
    speakers = [sp for _, sp in article.quotes if sp != "a spokesperson" and " " in sp]
    speaker_done = False
    pieces = []
    for i, src in enumerate(body):
        reps: list[Replacement] = []
        if i in targets:
            rep = mp.tamper_quote(src.text, rng)
            reps = [rep] if rep else []
            if not speaker_done and rng.random() < 0.5:
                who = mp.change_speaker(src.text, speakers or article.names, rng)
                if who and not any(who.start < r.end and r.start < who.end for r in reps):
                    reps.append(who)
                    speaker_done = True
        pieces.append(rewrite(src, reps))
    return Built(article.doc.title or "", pieces, [article])


def factual(rng: Random, pools: Pools) -> Built:
    article = rng.choice(pools.references)
    body = _body(article, pools.max_sentences)
    targets = set(rng.sample(range(len(body)), min(len(body), rng.randint(2, 3))))
    pieces = []
    for i, src in enumerate(body):
        rep = mp.factual(src.text, rng, article.names) if i in targets else None
        pieces.append(rewrite(src, [rep] if rep else []))
    return Built(article.doc.title or "", pieces, [article])


def partial(rng: Random, pools: Pools) -> Built:
    base = rng.choice(pools.held_out)
    donor = rng.choice(pools.references)
    own = [Piece(s.text) for s in _body(base, pools.max_sentences)]
    k = rng.randint(2, min(4, len(donor.sentences)))
    start = rng.randint(0, len(donor.sentences) - k)
    copied = [rewrite(s, []) for s in donor.sentences[start : start + k]]
    at = rng.randint(1, max(1, len(own) - 1))
    return Built(base.doc.title or "", own[:at] + copied + own[at:], [donor],
                 {"own_article": base.doc.id})


def hard_neg(rng: Random, pools: Pools) -> Built:
    article = rng.choice(pools.quoted)
    title, pieces, quotes = hard_negative(article, rng)
    return Built(title, pieces, [article],
                 {"shares_quotes_with": article.doc.id, "shared_quotes": quotes})


def original(rng: Random, pools: Pools) -> Built:
    base = rng.choice(pools.held_out)
    pieces = [Piece(s.text) for s in _body(base, pools.max_sentences)]
    return Built(base.doc.title or "", pieces, [], {"own_article": base.doc.id})


BUILDERS: dict[str, Callable[[Random, Pools], Built]] = {
    "verbatim": verbatim,
    "spun": spun_at(-1.0),
    "spun-10": spun_at(0.1),
    "spun-50": spun_at(0.5),
    "stitched": stitched,
    "truncated": truncated,
    "paraphrase": paraphrase,
    "quote-tamper": quote_tamper,
    "factual": factual,
    "partial": partial,
    "hard-negative": hard_neg,
    "original": original,
}
