"""Content-farm page junk: repeated headlines, "More news" and "Related" lines, server errors."""

from __future__ import annotations

from dataclasses import dataclass, field
from random import Random

from unspun.bench.rewrite import Junk
from unspun.data import Document

_SERVER_ERRORS = (
    "[an error occurred while processing the directive]",
    "Warning: mysql_fetch_array() expects parameter 1 to be resource, boolean given in "
    "/var/www/html/news/article.php on line 42",
    "Notice: Undefined index: related in /home/site/public_html/wp-content/themes/news/"
    "single.php on line 118",
    "{{related_posts}}",
)
_RELATED = ("Related news", "Related Posts", "Read more", "Also read")


@dataclass(slots=True)
class JunkPlan:
    """Where junk goes in one suspect: above the text, between paragraphs, below it."""

    top: list[Junk] = field(default_factory=list)
    middle: list[Junk] = field(default_factory=list)
    bottom: list[Junk] = field(default_factory=list)


def plan_junk(title: str, rng: Random, others: list[Document], *, rate: float) -> JunkPlan:
    """Draw the junk of one suspect.

    Args:
        title: The suspect's headline (repeated at the top, as the seed page does).
        rng: The random source.
        others: Reference articles that are NOT sources of this suspect: a "More news" line
            names one of them (a trap: that article must not become a source).
        rate: Probability that the suspect gets any junk at all.

    Returns:
        The junk lines by position (all empty when the suspect is left clean).
    """
    plan = JunkPlan()
    if rng.random() >= rate:
        return plan
    if rng.random() < 0.6:
        plan.top = [Junk(title, "repeated-headline") for _ in range(rng.randint(2, 3))]
    titled = [d for d in others if d.title]
    if titled and rng.random() < 0.6:
        other = rng.choice(titled)
        plan.middle.append(Junk(f"More news: {other.title}", "more-news", other.id))
    if rng.random() < 0.4:
        plan.bottom.append(Junk(rng.choice(_RELATED), "related"))
    if rng.random() < 0.4:
        plan.bottom.append(Junk(rng.choice(_SERVER_ERRORS), "server-error"))
    return plan
