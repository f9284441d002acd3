"""Page furniture for the syndication corpus: bylines, date lines, galleries, embedded posts,
teasers and each site's recurring footer, drawn from shared pools so unrelated pages share them."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from random import Random

_NAMES = ("Maria Lopez", "James Carter", "Anna Schmidt", "David Okafor", "Lena Novak",
          "Tom Becker", "Sara Haddad", "Kenji Mori", "Paul Dubois", "Ruth Adler")
_AGENCIES = ("AP Photo", "Reuters", "AFP", "Getty Images")
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_TEASERS = ("Trending Now", "Most Read", "Recommended for you", "You may also like",
            "Click here to see more photos", "Don't miss")


def long_date(day: date) -> str:
    """``Monday, July 16, 2018``."""
    return f"{_WEEKDAYS[day.weekday()]}, {_MONTHS[day.month - 1]} {day.day}, {day.year}"


@dataclass(slots=True)
class FurniturePools:
    """Captions and embedded posts shared by pages of different stories (the false-pair trap)."""

    captions: list[str]
    posts: list[list[str]]


def make_pools(sentences: list[str], rng: Random, *, base: date) -> FurniturePools:
    """Captions and tweet embeds built from sentences no article of the corpus uses."""
    captions, posts = [], []
    for i, s in enumerate(sentences):
        if i % 2 == 0:
            who = rng.choice(_NAMES)
            captions.append(f"{s} ({rng.choice(_AGENCIES)}/{who})")
        else:
            handle = re.sub(r"\W", "", rng.choice(_NAMES).split()[1]).lower() + str(i)
            name = rng.choice(_NAMES)
            day = base + timedelta(days=rng.randint(0, 60))
            body = f"{s} pic.twitter.com/{handle[:4]}{i:04d}x"
            closer = f"\u2014 {name} (@{handle}) {_MONTHS[day.month - 1]} {day.day}, {day.year}"
            posts.append([body, closer])
    return FurniturePools(captions, posts)


def site_footer(site: str) -> list[str]:
    """Two lines every page of ``site`` ends with (learnt as site boilerplate)."""
    name = site.split(".")[0].replace("-", " ").title()
    return [f"Copyright 2018 {name} Media Group, all rights reserved worldwide",
            f"Follow {name} on social media for the latest updates from our newsroom"]


def dress(paragraphs: list[str], *, site: str, day: date | None, rng: Random,
          pools: FurniturePools, furniture: bool = True) -> str:
    """A page: byline, date line, the paragraphs with a gallery or an embedded post between
    them, a teaser, and the site's footer. Only the paragraphs are article text."""
    top: list[str] = []
    paras = list(paragraphs)
    if furniture:
        if rng.random() < 0.7:
            top.append(f"By {rng.choice(_NAMES)}")
        if day is not None and rng.random() < 0.8:
            top.append(long_date(day))
        at = rng.randint(1, max(1, len(paras) - 1))
        if rng.random() < 0.5:
            n = rng.randint(2, 4)
            picks = rng.sample(pools.captions, n)
            gallery = [line for k, c in enumerate(picks, 1) for line in (f"Image {k} of {n}", c)]
            paras.insert(at, "\n".join(gallery))
        if rng.random() < 0.5:
            paras.insert(at, "\n".join(rng.choice(pools.posts)))
        if rng.random() < 0.4:
            paras.append(rng.choice(_TEASERS))
    return "\n\n".join([*top, *paras, "\n".join(site_footer(site))])
