"""Farm-mode page builders: mosaics, low-rate spin copies, carrier copies, partials, negatives."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from random import Random
from typing import Any

from unspun.bench import manipulate as mp
from unspun.bench.farm_edit import consistent_table, light_edits, spin_with, word_count
from unspun.bench.farm_quotes import Lift, Lifted, lift_piece, lifts, person_names
from unspun.bench.farm_refs import Corpus, RefDoc
from unspun.bench.hardneg import hard_negative
from unspun.bench.pool import Article, neighbours
from unspun.bench.rewrite import Piece, Replacement, Src, overlaps, rewrite

Item = Piece | Lifted
_FILLER = (
    "Climb-downs and clarifications are rare, and this one came only after days of pressure.",
    "The story has been shared thousands of times on social media since it first appeared.",
    "It is not the first time the issue has drawn this much attention.",
    "Readers have been asking what the latest developments mean for them.",
    "More details are expected to emerge over the coming days.",
)


@dataclass(slots=True)
class Contribution:
    """What one source story gave a page (counted over all its carriers)."""

    used: str  # the carrier the page copied from
    sentences: int = 0
    quotes: int = 0
    headline: bool = False

    @property
    def kind(self) -> str:
        """``sentence_only``, ``sentences``, ``quote_only``, ``headline_only`` or ``mixed``."""
        parts = (self.sentences > 0) + (self.quotes > 0) + self.headline
        if parts > 1:
            return "mixed"
        if self.headline:
            return "headline_only"
        if self.quotes:
            return "quote_only"
        return "sentence_only" if self.sentences == 1 else "sentences"


@dataclass(slots=True)
class FarmPage:
    """A farm page before layout: headline, body items, what each source gave, gold labels."""

    type: str
    provenance: str  # original, partial-reuse, copy, stitched
    title: str
    items: list[Item]
    contributions: dict[str, Contribution] = field(default_factory=dict)  # by story
    headline_from: str | None = None  # carrier id whose title is the headline
    repeats: int = 1
    manipulation: set[str] = field(default_factory=set)
    extra: dict[str, Any] = field(default_factory=dict)


def _stories(corpus: Corpus) -> list[Article]:
    return [refs[0].article for refs in corpus.groups.values()]


def _group(story: Article) -> str:
    """The story id an indexed article carries (its own id for the Wikinews page)."""
    return str(story.doc.meta.get("carries", story.doc.id))


def _carrier(corpus: Corpus, story: Article, rng: Random) -> RefDoc:
    return rng.choice(corpus.groups[_group(story)])


def _long(article: Article) -> list[Src]:
    """Long, distinctive sentences (12+ words) without a quote, the kind pages borrow."""
    return [s for s in article.sentences if len(s.text.split()) >= 12 and '"' not in s.text]


def _headline(page: FarmPage, ref: RefDoc, rng: Random) -> None:
    """Reuse ``ref``'s headline: sometimes with a full stop, sometimes repeated three times."""
    title = ref.doc.title or ""
    page.title = title + ("." if rng.random() < 0.3 and not title.endswith(".") else "")
    page.headline_from = ref.doc.id
    page.repeats = rng.choice((1, 1, 3))


def _spin_pieces(page: FarmPage, srcs: list[tuple[int, Src, list[Replacement]]],
                 rate: float, rng: Random) -> None:
    """Rewrite the borrowed sentences with light edits plus consistent spin at ``rate``."""
    table = consistent_table([s.text for _, s, _ in srcs], rate, rng) if rate else {}
    swaps: dict[tuple[str, str], int] = {}
    for at, src, reps in srcs:
        spun = spin_with(src.text, table, reps)
        piece = rewrite(src, [*reps, *spun])
        page.items[at] = piece
        for e in piece.edits:
            if e.type == "synonym":
                swaps[(e.old, e.new)] = swaps.get((e.old, e.new), 0) + 1
                page.manipulation.add("spun")
                if e.in_quote:
                    page.manipulation.add("altered-quotes")
    if rate:
        n = sum(swaps.values())
        words = word_count([s.text for _, s, _ in srcs])
        page.extra["spin"] = {
            "target": round(rate, 4), "swaps": n, "words": words,
            "rate": round(n / words, 4) if words else 0.0,
            "pairs": [{"old": o, "new": w, "count": c} for (o, w), c in sorted(swaps.items())]}


def _change_a_fact(page: FarmPage, pending: list[tuple[int, Src, list[Replacement]]],
                   rng: Random) -> None:
    """Change a number, a date word or a negation in one borrowed sentence."""
    at = rng.randrange(len(pending))
    i, src, reps = pending[at]
    rep = mp.factual(src.text, rng, [])
    if rep is not None and not overlaps(reps, rep.start, max(rep.end, rep.start + 1)):
        pending[at] = (i, src, [*reps, rep])
        page.manipulation.add("changed-facts")


def mosaic(rng: Random, corpus: Corpus) -> FarmPage:
    """6-15 stories, 1-2 lightly edited sentences, a lifted quote or the headline each."""
    stories = _stories(corpus)
    anchor = rng.choice(stories)
    n = rng.randint(6, min(15, len(stories)))
    near = neighbours(anchor, stories, max(n * 2, 20))
    chosen = [anchor, *rng.sample(near, n - 1)]
    widely = set(corpus.widely_quoted)
    page = FarmPage("mosaic", "stitched", "", [])
    pending: list[tuple[int, Src, list[Replacement]]] = []
    headline_story = rng.choice(chosen) if rng.random() < 0.95 else None
    for story in chosen:
        ref = _carrier(corpus, story, rng)
        contrib = page.contributions[_group(story)] = Contribution(ref.doc.id)
        if story is headline_story:
            _headline(page, ref, rng)
            contrib.headline = True
            if rng.random() < 0.8:
                continue  # a headline-only source
        every = lifts(ref.article)
        quotes = [q for q in every if q.quote not in widely]
        role = rng.choices(("sentence", "sentences", "quote"), (0.45, 0.25, 0.3))[0]
        longs = _long(ref.article)
        if (role == "quote" and quotes) or (not longs and every):
            lift: Lift = rng.choice(quotes or every)
            page.items.append(lift_piece(lift, rng, alter=rng.random() < 0.7))
            contrib.quotes += 1
            continue
        longs = longs or ref.article.sentences
        k = 1 if role != "sentences" or len(longs) < 2 else 2
        for src in rng.sample(longs, k):
            names = person_names(ref.article)
            pending.append((len(page.items), src, light_edits(src, rng, names)))
            page.items.append(Piece(""))
            contrib.sentences += 1
    if pending and rng.random() < 0.25:
        _change_a_fact(page, pending, rng)
    _spin_pieces(page, pending, rng.uniform(0.06, 0.18) if rng.random() < 0.8 else 0.0, rng)
    page.items += [Piece(t) for t in rng.sample(_FILLER, rng.randint(0, 2))]
    rng.shuffle(page.items)
    if headline_story is None:
        page.title = f"{(anchor.doc.title or 'News')}: what we know"
    if any(isinstance(i, Lifted) and i.gold["altered"] for i in page.items):
        page.manipulation.add("altered-quotes")
    return page


def _whole(rng: Random, corpus: Corpus, story: Article, kind: str, rate: float) -> FarmPage:
    ref = _carrier(corpus, story, rng)
    body = ref.article.sentences[: rng.randint(8, 16)]
    page = FarmPage(kind, "copy", "", [Piece("") for _ in body])
    page.contributions[_group(story)] = Contribution(ref.doc.id, sentences=len(body),
                                                    headline=True)
    _headline(page, ref, rng)
    _spin_pieces(page, [(i, s, []) for i, s in enumerate(body)], rate, rng)
    return page


def spun_copy(rng: Random, corpus: Corpus) -> FarmPage:
    """A whole story with 1-5% of its words swapped, each dictionary key the same way."""
    stories = _stories(corpus)
    for _ in range(20):
        page = _whole(rng, corpus, rng.choice(stories), "spun-copy", rng.uniform(0.01, 0.05))
        if page.extra["spin"]["rate"] >= 0.01:
            return page
    return page


def carrier_copy(rng: Random, corpus: Corpus) -> FarmPage:
    """A verbatim copy of a story that several sites carry (any carrier is a right answer)."""
    multi = [refs[0].article for refs in corpus.groups.values() if len(refs) > 1]
    return _whole(rng, corpus, rng.choice(multi or _stories(corpus)), "carrier-copy", 0.0)


def partial(rng: Random, corpus: Corpus) -> FarmPage:
    """An article of its own (never indexed) with one or two single borrowed sentences."""
    base = rng.choice(corpus.held_out)
    page = FarmPage("partial", "partial-reuse", base.doc.title or "",
                    [Piece(s.text) for s in base.sentences[:12]], extra={"own_article": base.doc.id})
    pending: list[tuple[int, Src, list[Replacement]]] = []
    for story in rng.sample(_stories(corpus), rng.randint(1, 2)):
        ref = _carrier(corpus, story, rng)
        longs = _long(ref.article) or ref.article.sentences
        src = rng.choice(longs)
        at = rng.randint(1, len(page.items) - 1)
        page.items.insert(at, Piece(""))
        pending = [(i + (i >= at), s, r) for i, s, r in pending]
        pending.append((at, src, light_edits(src, rng, person_names(ref.article))))
        page.contributions[_group(story)] = Contribution(ref.doc.id, sentences=1)
    _spin_pieces(page, pending, 0.0, rng)
    if rng.random() < 0.5:  # someone else's headline on the page
        story = rng.choice([a for a in _stories(corpus) if _group(a) not in page.contributions])
        ref = _carrier(corpus, story, rng)
        _headline(page, ref, rng)
        page.contributions[_group(story)] = Contribution(ref.doc.id, headline=True)
    return page


def hard_neg(rng: Random, corpus: Corpus) -> FarmPage:
    """A new same-topic article that shares only a widely quoted line with the references."""
    if corpus.widely_quoted:
        quote, ids = rng.choice(sorted(corpus.widely_quoted.items()))
        story = corpus.groups[ids[0]][0].article
        lift = next(q for q in lifts(story) if q.quote == quote)
    else:
        story = rng.choice([a for a in _stories(corpus) if lifts(a)])
        lift, ids = rng.choice(lifts(story)), [_group(story)]
    title, pieces, shared = hard_negative(replace(story, quotes=[(lift.quote, lift.speaker)]),
                                          rng)
    carriers = sorted(r.doc.id for g in ids for r in corpus.groups[g])
    return FarmPage("hard-negative", "original", title, list(pieces),
                    extra={"shares_quote_with": carriers, "shared_quotes": shared})


def original(rng: Random, corpus: Corpus) -> FarmPage:
    """An article of its own (never indexed), with page furniture only."""
    base = rng.choice(corpus.held_out)
    return FarmPage("original", "original", base.doc.title or "",
                    [Piece(s.text) for s in base.sentences[:14]], extra={"own_article": base.doc.id})


BUILDERS: dict[str, Callable[[Random, Corpus], FarmPage]] = {
    "mosaic": mosaic, "spun-copy": spun_copy, "carrier-copy": carrier_copy,
    "partial": partial, "hard-negative": hard_neg, "original": original,
}
#: The plan's cycle: mosaics are the main pattern, so they come three times.
PLAN = ("mosaic", "spun-copy", "mosaic", "hard-negative", "mosaic", "carrier-copy", "partial",
        "spun-copy", "original")
