"""Clusters are connected components of copy pairs; lineage finds each copy's parent."""

from __future__ import annotations

import pytest

from scan.helpers import pair
from unspun.scan.lineage import clusters, direction, lineage, may_parent


def _swaps(*offsets: int) -> list[tuple[int, int, str, str]]:
    return [(o, o, f"w{o}", f"s{o}") for o in offsets]


def test_clusters_are_connected_components_of_copy_pairs() -> None:
    pairs = [pair(0, 1), pair(1, 2), pair(5, 6), pair(3, 4)]
    pairs[3].relation = "quote-sharing"
    assert clusters(pairs) == [[0, 1, 2], [5, 6]]


def test_chain_without_dates_follows_accumulating_swaps() -> None:
    # 0 is the wire (dated); 1 spins it (3 swaps), 2 spins 1 (3 more), 3 spins 2 (3 more).
    pairs = [pair(0, 1, swaps=_swaps(1, 2, 3)), pair(0, 2, swaps=_swaps(1, 2, 3, 4, 5, 6)),
             pair(0, 3, swaps=_swaps(*range(1, 10))), pair(1, 2, swaps=_swaps(4, 5, 6)),
             pair(1, 3, swaps=_swaps(4, 5, 6, 7, 8, 9)), pair(2, 3, swaps=_swaps(7, 8, 9))]
    dates: dict[int, str | None] = {0: "2018-07-01", 1: None, 2: None, 3: None}
    links = {link.docno: link for link in lineage(0, [0, 1, 2, 3], pairs, dates)}
    assert [links[d].parent for d in range(4)] == [None, 0, 1, 2]
    assert [links[d].depth for d in range(4)] == [0, 1, 2, 3]
    assert links[3].inherited == 6  # it repeats the six swaps of its parent against the root
    assert direction(pairs[2], links, dates) == 0
    assert direction(pairs[5], links, dates) == 2


def test_siblings_attach_to_the_original_and_dates_bound_parents() -> None:
    pairs = [pair(0, 1, swaps=_swaps(1, 2)), pair(0, 2, swaps=_swaps(3, 4)),
             pair(1, 2, swaps=_swaps(1, 2, 3, 4)), pair(0, 3), pair(1, 3, swaps=_swaps(1, 2))]
    dates: dict[int, str | None] = {0: "2018-07-01", 1: "2018-07-02", 2: "2018-07-02",
                                    3: "2018-07-03"}
    links = {link.docno: link for link in lineage(0, [0, 1, 2, 3], pairs, dates)}
    assert links[1].parent == 0 and links[2].parent == 0 and links[3].parent == 0
    # Dated later than its copy, a document cannot be its parent, whatever the swaps say.
    late = {0: "2018-07-05", 1: "2018-07-01"}
    assert not may_parent(pair(0, 1), 0, 1, late)
    assert may_parent(pair(0, 1), 1, 0, late)


def test_a_stitched_page_is_not_the_parent_of_what_it_took_a_part_of() -> None:
    # 2 is stitched from 0 and 1: each covers half of it, and it covers a fifth of each.
    pairs = [pair(0, 2, share_a=0.2, share_b=0.5), pair(1, 2, share_a=0.2, share_b=0.5)]
    dates: dict[int, str | None] = {0: "2018-07-01", 1: "2018-07-02", 2: None}
    links = {link.docno: link for link in lineage(0, [0, 1, 2], pairs, dates)}
    assert links[2].parent == 0
    assert links[1].parent is None  # the second story is a root of its own
    assert direction(pairs[1], links, dates) == 1


def test_a_sibling_farm_sharing_swaps_by_chance_is_not_a_parent() -> None:
    # 0 is the wire. 1 (dated) and 2 (undated) are farms that spun it independently with the
    # same synonym table: 4 of 1's 5 swaps are 2's by chance, but 1 lacks 2's swaps 5-8 and 2
    # lacks 1's swap 20. 3 copies 2: all of 2's swaps and two of its own.
    pairs = [pair(0, 1, swaps=_swaps(1, 2, 3, 4, 20)), pair(0, 2, swaps=_swaps(*range(1, 9))),
             pair(0, 3, swaps=_swaps(*range(1, 9), 30, 31)),
             pair(1, 2, swaps=_swaps(5, 6, 7, 8, 20)),
             pair(1, 3, swaps=_swaps(5, 6, 7, 8, 20, 30, 31)), pair(2, 3, swaps=_swaps(30, 31))]
    dates: dict[int, str | None] = {0: "2018-07-01", 1: "2018-07-02", 2: None, 3: None}
    links = {link.docno: link for link in lineage(0, [0, 1, 2, 3], pairs, dates)}
    # 1 is nearer 2 than the wire is, but 2 does not repeat its swaps: the wire is 2's parent.
    assert [links[d].parent for d in range(4)] == [None, 0, 0, 2]
    assert links[3].inherited == 8


def _old_root_of(dates: dict[int, str | None]):  # type: ignore[no-untyped-def]
    """The root rule as first written: a scan over every unplaced member for each root."""

    def root_of(self, left: set[int]) -> int:  # type: ignore[no-untyped-def]
        dated = [m for m in left if dates.get(m)]
        first = min(dates[m] or "" for m in dated) if dated else None
        pool = [m for m in left if dates.get(m) == first] if dated else sorted(left)

        def spread(m: int) -> tuple[float, int]:
            total, count = self.near[m]
            return (total / count if count else 0.0, m)

        return min(pool, key=spread)

    return root_of


def test_roots_from_heaps_are_the_roots_of_the_scan(monkeypatch: pytest.MonkeyPatch) -> None:
    # Clusters where dates and shares bar many parents, so each needs many roots, some on
    # tied dates and some undated: the per-day heaps pick the root the scan over every
    # unplaced member picked, every time.
    import random

    from unspun.scan import lineage as module

    rng = random.Random(7)
    roots = 0
    for _ in range(40):
        n = rng.randint(2, 40)
        days: list[str | None] = [None, "2018-07-01", "2018-07-02", "2018-07-03"]
        dates = {m: rng.choice(days) for m in range(n)}
        pairs = [pair(a, b, swaps=_swaps(*rng.sample(range(1, 30), rng.randint(0, 6))),
                      share_a=rng.choice([0.1, 0.5, 0.9]), share_b=rng.choice([0.1, 0.5, 0.9]),
                      sentences=rng.randint(1, 12))
                 for a in range(n) for b in range(a + 1, n) if rng.random() < 0.3]
        members = sorted({x for p in pairs for x in (p.a, p.b)})
        if not members:
            continue
        new = lineage(0, members, pairs, dates)
        with monkeypatch.context() as m:
            m.setattr(module._Cluster, "root_of", _old_root_of(dates))
            old = lineage(0, members, pairs, dates)
        assert new == old
        roots += sum(link.parent is None for link in new)
    assert roots > 50  # the case the heaps are for: many roots in a cluster
