"""Farm-mode reference corpus: page furniture, synthetic and widely quoted lines, wire carriers."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from random import Random

from unspun.bench.farm_quotes import Lift, lifts, person_names, synthetic_quote
from unspun.bench.pool import Article, digest, neighbours
from unspun.data import Document

#: Sites that carry the same wire story (any of them is a correct source).
CARRIERS = ("japantoday.example", "themoscowtimes.example", "uk.news.yahoo.example",
            "smh.example", "euronews.example", "itv.example")
BYLINES = ("By Anna Keller", "By Staff Reporter", "By Reuters Staff", "By Tom Hargreaves",
           "By Associated Press", "By Maria Lopez, Political Correspondent")
_CAPTIONS = ("{n}.", "File photo: {n}.", "{n} speaks to reporters.", "{n}, pictured in {y}.")
_POSTS = ("Great day for {k}. Thank you to everyone who came out! — {n} (@{h}) {d}",
          "Important talks today on {k}. More to come. — {n} (@{h}) {d}",
          "We will not give up on {k}. Never! — {n} (@{h}) {d}")


@dataclass(slots=True)
class RefDoc:
    """One indexed reference document: a carrier of a story, with its furniture lines."""

    article: Article
    group: str  # the story (Wikinews article id) it carries
    body: list[tuple[int, int, int]]  # (story offset, document offset, length) per paragraph
    furniture: list[tuple[str, str]]  # (kind, line)

    @property
    def doc(self) -> Document:
        return self.article.doc

    def to_story(self, at: int) -> int:
        """Map an offset of this document's body to the story's offset."""
        for story, own, n in self.body:
            if own <= at <= own + n:
                return story + at - own
        raise ValueError(f"{self.doc.id}: offset {at} is not in the story body")

    def from_story(self, at: int) -> int:
        """Map a story offset to this document's offset."""
        for story, own, n in self.body:
            if story <= at <= story + n:
                return own + at - story
        raise ValueError(f"{self.doc.id}: story offset {at} is not in the body")


@dataclass(slots=True)
class Corpus:
    """The farm reference corpus and the material for suspects that are not indexed."""

    refs: list[RefDoc]
    groups: dict[str, list[RefDoc]]
    held_out: list[Article]
    widely_quoted: dict[str, list[str]] = field(default_factory=dict)  # quote -> doc ids
    synthetic: dict[str, str] = field(default_factory=dict)  # group -> synthesised sentence

    def carriers(self, ref: RefDoc, start: int, end: int) -> list[tuple[str, int, int]]:
        """The same span in every carrier of ``ref``'s story: ``(doc id, start, end)``."""
        a, b = ref.to_story(start), ref.to_story(end)
        return [(c.doc.id, c.from_story(a), c.from_story(b)) for c in self.groups[ref.group]]

    def by_id(self) -> dict[str, RefDoc]:
        return {r.doc.id: r for r in self.refs}


def _dateline(day: str | None) -> str:
    """A date line such as "July 21, 2017" (the format pages print under a headline)."""
    try:
        d = date.fromisoformat(day or "")
    except ValueError:
        d = date(2018, 7, 19)
    return f"{d.strftime('%B')} {d.day}, {d.year}"


def furniture(article: Article, rng: Random, day: str | None,
              shared: frozenset[str] = frozenset()) -> list[tuple[str, str]]:
    """Draw the page furniture of one document: byline, date line, caption, social post.

    Captions and posts name a person of the article, preferably one that other stories name
    too (``shared``), so that a caption can look like evidence for another story's sentence.
    """
    people = person_names(article)
    names = [n for n in people if n in shared] or people or ["A spokesperson"]
    name = rng.choice(names[:8])
    keys = sorted(article.keywords) or ["the plan"]
    out = [("byline", rng.choice(BYLINES)), ("dateline", _dateline(day))]
    if rng.random() < 0.8:
        year = (day or "2018")[:4]
        out.append(("caption", rng.choice(_CAPTIONS).format(n=name, y=year)))
    if rng.random() < 0.4:
        handle = re.sub(r"\W", "", name)
        out.append(("social-post", rng.choice(_POSTS).format(k=rng.choice(keys), n=name,
                                                              h=handle, d=_dateline(day))))
    return out


def _compose(paras: list[str], furn: list[tuple[str, str]]) -> tuple[str, list[tuple[int, int, int]]]:
    """Lay out story paragraphs with furniture lines: byline and date line on top, the rest
    after the first paragraph. Returns the text and the body map."""
    top = [line for kind, line in furn if kind in ("byline", "dateline")]
    mid = [line for kind, line in furn if kind not in ("byline", "dateline")]
    parts: list[str] = []
    body: list[tuple[int, int, int]] = []
    pos = story = 0
    blocks: list[tuple[str, bool]] = [(t, False) for t in top]
    for i, p in enumerate(paras):
        blocks.append((p, True))
        if i == min(1, len(paras) - 1):
            blocks += [(t, False) for t in mid]
    for n, (text, is_body) in enumerate(blocks):
        if n:
            parts.append("\n\n")
            pos += 2
        if is_body:
            body.append((story, pos, len(text)))
            story += len(text) + 2
        parts.append(text)
        pos += len(text)
    return "".join(parts), body


def _story_paragraphs(doc: Document) -> list[str]:
    """The article's paragraphs without its leading Wikinews date line."""
    paras = [p for p in doc.text.split("\n\n") if p.strip()]
    if paras and re.fullmatch(r"\w+day, \w+ \d{1,2}, \d{4}", paras[0].strip()):
        paras = paras[1:]
    return paras


def build_corpus(docs: list[Document], rng: Random, *, holdout: float = 0.15,
                 carried: float = 0.3, planted: float = 0.1) -> Corpus:
    """Turn Wikinews articles into a farm reference corpus.

    Every indexed document gets furniture (byline, date line, mostly a photo caption,
    sometimes an embedded social post). A story without a usable direct quote gets one
    synthesised quoted sentence (recorded in ``Corpus.synthetic``). A share of quotes is
    planted into one or two same-topic stories ("widely quoted" lines). A share of stories is
    carried by 2-3 sites: near-identical copies with their own id, url, date and furniture.

    Args:
        docs: The articles of one split.
        rng: The generator's random source.
        holdout: Share of articles never indexed (material for originals).
        carried: Share of stories carried by several sites.
        planted: Share of stories whose quote is repeated by other stories.

    Returns:
        The corpus.
    """
    pool = [digest(d) for d in docs]
    pool = [a for a in pool if len(a.sentences) >= 6]
    rng.shuffle(pool)
    cut = max(2, round(len(pool) * holdout))
    held, stories = pool[:cut], sorted(pool[cut:], key=lambda a: a.doc.id)
    paras = {a.doc.id: _story_paragraphs(a.doc) for a in stories}
    synthetic: dict[str, str] = {}
    for a in stories:
        if not lifts(a):
            line = synthetic_quote(a, rng)
            synthetic[a.doc.id] = line
            paras[a.doc.id].insert(min(2, len(paras[a.doc.id])), line)
    widely: dict[str, list[str]] = {}
    quoted = [a for a in stories if a.doc.id not in synthetic]
    for a in rng.sample(quoted, round(len(quoted) * planted)):
        lift: Lift = rng.choice(lifts(a))
        line = f'{lift.speaker} said: "{lift.quote}."'
        hosts = [n for n in neighbours(a, stories, 4) if n.doc.id not in widely.get(lift.quote, [])]
        targets = [a.doc.id] + [h.doc.id for h in rng.sample(hosts, min(len(hosts), rng.randint(1, 2)))]
        for t in targets[1:]:
            paras[t].append(line)
        widely[lift.quote] = targets
    refs: list[RefDoc] = []
    groups: dict[str, list[RefDoc]] = {}
    seen: dict[str, int] = {}
    for a in pool:
        for name in set(person_names(a)):
            seen[name] = seen.get(name, 0) + 1
    shared = frozenset(n for n, k in seen.items() if k > 1)
    for a in stories:
        sites = [None] if rng.random() >= carried else rng.sample(CARRIERS, rng.randint(2, 3))
        for site in sites:
            ref = _carrier(a, paras[a.doc.id], site, rng, shared)
            refs.append(ref)
            groups.setdefault(a.doc.id, []).append(ref)
    return Corpus(refs, groups, held, {q: ids for q, ids in widely.items()}, synthetic)


def _carrier(story: Article, paras: list[str], site: str | None, rng: Random,
             shared: frozenset[str]) -> RefDoc:
    """One indexed copy of a story: the Wikinews page itself, or a carrier site's copy."""
    base = story.doc
    day = base.date
    if site is not None and day and re.fullmatch(r"\d{4}-\d{2}-\d{2}", day):
        day = (date.fromisoformat(day) + timedelta(days=rng.randint(0, 2))).isoformat()
    furn = furniture(story, rng, day, shared)
    text, body = _compose(paras, furn)
    if site is None:
        doc = replace(base, text=text)
    else:
        slug = re.sub(r"[^a-z0-9]+", "-", (base.title or "story").lower()).strip("-")[:60]
        doc = replace(base, id=f"{base.id}~{site.split('.')[0]}", text=text, site=site, date=day,
                      url=f"https://{site}/news/{slug}", meta={**base.meta, "carries": base.id})
    article = digest(doc)
    inside = [s for s in article.sentences
              if any(own <= s.sent.span.start and s.sent.span.end <= own + n for _, own, n in body)]
    return RefDoc(replace(article, sentences=inside), base.id, body, furn)
