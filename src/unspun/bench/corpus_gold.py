"""Gold of the syndication corpus: copy pairs from shared sentence origins, clusters, parents.

Shared quotes are not copying (issue 11): two pages that share only quotation, or one other
sentence, are not a copy pair, however they came to share it. A stitched page that takes from a
story only a run of quoted sentences ("This type of helicopter does not have a black box. [...]
So some elements will remain unknown," Claude Reglat also noted.) shares that story's quote, as
an independent report quoting it would; it is listed under ``quote_pairs``, not ``copy_pairs``,
and does not join the story's cluster.
"""

from __future__ import annotations

from itertools import combinations
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from unspun.bench.corpus import Page

#: Two pages are a gold copy pair when they share this many sentences of one origin that are
#: not quotation (a quote with at most its speaker).
MIN_SHARED = 2


def gold_of(pages: list[Page], quotation: set[str] | frozenset[str] = frozenset()) -> dict[str, Any]:
    """Copy pairs, clusters (their connected components), parents and ancestor lists.

    Args:
        pages: Every generated page with its sentence origins.
        quotation: The origins that are quotation (they do not make a copy pair).

    Returns:
        ``{"copy_pairs": [[a, b]], "quote_pairs": [[a, b]], "clusters": [[ids]],
        "parents": {id: [ids]}, "ancestors": {id: [ids]}, "roles": {id: role}}``, ids sorted;
        ``quote_pairs`` share ``MIN_SHARED`` or more sentences, too few of them outside quotes.
    """
    holders: dict[str, set[str]] = {}
    for p in pages:
        for o in p.origins:
            if o is not None:
                holders.setdefault(o, set()).add(p.id)
    shared: dict[tuple[str, str], int] = {}
    body: dict[tuple[str, str], int] = {}
    for o, ids in holders.items():
        for a, b in combinations(sorted(ids), 2):
            shared[(a, b)] = shared.get((a, b), 0) + 1
            body[(a, b)] = body.get((a, b), 0) + (o not in quotation)
    pairs = sorted(k for k, n in body.items() if n >= MIN_SHARED)
    quote_pairs = sorted(k for k, n in shared.items() if n >= MIN_SHARED > body[k])
    parent: dict[str, str] = {p.id: p.id for p in pages}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in pairs:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    groups: dict[str, list[str]] = {}
    for a, b in pairs:
        for x in (a, b):
            groups.setdefault(find(x), [])
    for p in pages:
        if find(p.id) in groups:
            groups[find(p.id)].append(p.id)
    parents = {p.id: sorted(p.parents) for p in pages if p.parents}
    ancestors: dict[str, list[str]] = {}
    for p in pages:
        seen: list[str] = []
        todo = list(p.parents)
        while todo:
            x = todo.pop()
            if x not in seen:
                seen.append(x)
                todo += parents.get(x, [])
        if seen:
            ancestors[p.id] = sorted(seen)
    return {"copy_pairs": [list(k) for k in pairs],
            "quote_pairs": [list(k) for k in quote_pairs],
            "clusters": sorted(sorted(g) for g in groups.values()),
            "parents": parents, "ancestors": ancestors,
            "roles": {p.id: p.role for p in pages}}
