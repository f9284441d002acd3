"""Hard negatives: new same-topic articles that reuse a reference's names and quotes, not text."""

from __future__ import annotations

from random import Random

from unspun.bench.pool import Article
from unspun.bench.rewrite import Piece

_TEMPLATES = (
    "{e1} has become the focus of attention in recent days.",
    "Observers say the situation involving {e1} is still developing.",
    "Few details were immediately available about the role of {e2}.",
    "The latest developments have prompted fresh questions about {k1} and {k2}.",
    "Questions about {k1} are expected to dominate discussions in the coming weeks.",
    "Critics and supporters of {e1} offered sharply different readings of the news.",
    "A statement from {e2} was expected later in the day.",
    "The topic of {k1} trended for hours on social media after the news broke.",
    "It remains unclear what the events will mean for {e2} in the longer term.",
    "Analysts cautioned against drawing firm conclusions about {k2} so soon.",
    "{e1} and {e2} have featured in coverage of {k1} for some time.",
    "This story will be updated as more information about {k1} becomes available.",
    "Several commentators linked the news to earlier debates over {k2}.",
    "Neither {e2} nor its critics responded to requests for further comment.",
)
_QUOTE_TEMPLATES = (
    '"{q}," {s} told reporters.',
    '{s} said in a statement: "{q}."',
    '"{q}," {s} was quoted as saying.',
    'Speaking to local media, {s} repeated the line: "{q}."',
)
_TITLES = ("{e1}: what we know so far", "Everything you need to know about {e1}",
           "{e1} in focus as {k1} questions mount", "Explained: {e1} and the {k1} debate")


def hard_negative(article: Article, rng: Random) -> tuple[str, list[Piece], list[str]]:
    """Write an independent article about the same story as ``article``.

    It names the same people and places and repeats one or two of its direct quotes word for
    word, but every sentence is new, so the gold marks every sentence ``original``.

    Args:
        article: A reference article with at least one direct quote.
        rng: The random source.

    Returns:
        ``(title, pieces, shared_quotes)``.
    """
    names = article.names or ["officials"]
    keys = sorted(article.keywords) or ["the story"]
    attributed = [q for q in article.quotes if q[1] != "a spokesperson"] or article.quotes
    quotes = rng.sample(attributed, min(len(attributed), rng.randint(1, 2)))

    def fill(template: str) -> str:
        return template.format(e1=rng.choice(names[:6]), e2=rng.choice(names),
                               k1=rng.choice(keys), k2=rng.choice(keys))

    sentences = [fill(t) for t in rng.sample(_TEMPLATES, rng.randint(5, 8))]
    for quote, speaker in quotes:
        at = rng.randint(1, len(sentences))
        sentences.insert(at, rng.choice(_QUOTE_TEMPLATES).format(q=quote, s=speaker))
    title = fill(rng.choice(_TITLES))
    pieces = [Piece(s[0].upper() + s[1:]) for s in sentences]
    return title, pieces, [q for q, _ in quotes]
