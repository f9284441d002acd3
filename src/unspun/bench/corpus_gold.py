"""Gold of the syndication corpus: copy pairs from shared sentence origins, clusters, parents."""

from __future__ import annotations

from itertools import combinations
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from unspun.bench.corpus import Page

#: Two pages are a gold copy pair when they share this many sentences of one origin.
MIN_SHARED = 2


def gold_of(pages: list[Page]) -> dict[str, Any]:
    """Copy pairs, clusters (their connected components), parents and ancestor lists.

    Returns:
        ``{"copy_pairs": [[a, b]], "clusters": [[ids]], "parents": {id: [ids]},
        "ancestors": {id: [ids]}, "roles": {id: role}}``, ids sorted.
    """
    holders: dict[str, set[str]] = {}
    for p in pages:
        for o in p.origins:
            if o is not None:
                holders.setdefault(o, set()).add(p.id)
    shared: dict[tuple[str, str], int] = {}
    for ids in holders.values():
        for a, b in combinations(sorted(ids), 2):
            shared[(a, b)] = shared.get((a, b), 0) + 1
    pairs = sorted(k for k, n in shared.items() if n >= MIN_SHARED)
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
            "clusters": sorted(sorted(g) for g in groups.values()),
            "parents": parents, "ancestors": ancestors,
            "roles": {p.id: p.role for p in pages}}
