"""Clusters (connected components of copy pairs) and lineage: each copy's most likely parent.

Within a cluster the earliest dated member is the root. Copies attach one at a time, nearest
first (Prim's algorithm). A copy of a copy repeats its parent's swaps against the root (within
the text it took) and adds its own; a sibling farm that spun the same text independently with
the same synonym table shares many swaps by chance but lacks more of its own. So a parent
whose swaps the copy repeats (at most ``MISSING_SWAPS`` of them missing; the root always
qualifies) comes before any other, and a qualifying copy that repeats none (a verbatim carrier,
which adds nothing to the root) comes after them. Within a tier the nearest parent wins: the
fewest synonym swaps and factual changes per aligned sentence between it and the copy (so a
chain attaches in order, each copy before its own copies); then the one whose swaps the copy
repeats most, then the one covering more of the copy, then the earliest. A parent is never
dated after its copy, and a page that holds only a small part of another (a stitched page) is
not its parent.
"""

from __future__ import annotations

import heapq
from collections.abc import Sequence
from dataclasses import dataclass

from unspun.scan.records import Pair

#: A parent must explain this share of its copy, or at least ``PARENT_RATIO`` of the share
#: of the parent the copy explains.
PARENT_SHARE = 0.6
PARENT_RATIO = 0.8


@dataclass(slots=True)
class Link:
    """A document's place in its cluster's lineage."""

    docno: int
    cluster: int
    parent: int | None
    root: int
    depth: int  # copies between the root and this document
    changes: int  # swaps and factual changes from the parent
    inherited: int  # the parent's swaps (against the root) this copy repeats
    reason: str


def clusters(pairs: Sequence[Pair]) -> list[list[int]]:
    """Connected components of the copy pairs, each sorted, ordered by their first docno."""
    parent: dict[int, int] = {}

    def find(x: int) -> int:
        root = x
        while parent.setdefault(root, root) != root:
            root = parent[root]
        while parent[x] != root:
            parent[x], x = root, parent[x]
        return root

    for p in pairs:
        if p.relation == "copy":
            ra, rb = find(p.a), find(p.b)
            if ra != rb:
                parent[max(ra, rb)] = min(ra, rb)
    groups: dict[int, list[int]] = {}
    for x in parent:
        groups.setdefault(find(x), []).append(x)
    return sorted((sorted(g) for g in groups.values()), key=lambda g: g[0])


#: Change rates (per aligned sentence) closer than this count as equal, so that between two
#: equally near parents the one whose swaps the copy repeats most, then the one covering more
#: of the copy, then the earlier, wins.
RATE_STEP = 0.2


def _changes(p: Pair) -> int:
    return p.spin + p.edits.get("factual", 0)


def _rate(p: Pair) -> int:
    """Changes per aligned sentence, in steps of :data:`RATE_STEP`."""
    return round(_changes(p) / max(1, len(p.passages)) / RATE_STEP)


def _share(p: Pair, doc: int) -> float:
    return p.share_a if doc == p.a else p.share_b


def may_parent(p: Pair, parent: int, child: int, dates: dict[int, str | None]) -> bool:
    """Whether ``parent`` may be the parent of ``child`` through pair ``p``."""
    dp, dc = dates.get(parent), dates.get(child)
    if dp and dc and dp > dc:
        return False
    share_c, share_p = _share(p, child), _share(p, parent)
    return share_c >= PARENT_SHARE or share_c >= PARENT_RATIO * share_p


def _spans(p: Pair, frm: int) -> list[tuple[int, int]]:
    """The aligned spans of ``frm`` in a pair, sorted."""
    return sorted((q.a_start, q.a_end) if frm == p.a else (q.b_start, q.b_end)
                  for q in p.passages)


def _within(at: int, spans: list[tuple[int, int]]) -> bool:
    return any(s <= at < e for s, e in spans)


def _subs(p: Pair, frm: int) -> set[tuple[int, str]]:
    """The swaps of a pair as (offset in ``frm``, the other document's words)."""
    if frm == p.a:
        return {(s[0], s[3]) for s in p.substitutions}
    return {(s[1], s[2]) for s in p.substitutions}


#: A copy repeats its parent's swaps (against the root, inside the text it took); at most this
#: share may be missing. Set 2026-12-04 on corpus seeds 0-4 (0.1-0.35 tried; 0.15 the best
#: farm-chain parent accuracy there): a sibling farm spinning the same text with the same
#: synonym table shares many swaps by chance, but lacks more than this share.
MISSING_SWAPS = 0.15


class _Cluster:
    """The copy pairs of one cluster, looked up by document."""

    def __init__(self, members: list[int], pairs: Sequence[Pair],
                 dates: dict[int, str | None]) -> None:
        self.members = members
        self.edges: dict[int, dict[int, Pair]] = {m: {} for m in members}
        for p in pairs:
            if p.relation == "copy" and p.a in self.edges:
                self.edges[p.a][p.b] = p
                self.edges[p.b][p.a] = p
        # Each member's changes against the members not yet placed, summed and counted, kept
        # up to date as members are placed (:meth:`place`): :meth:`root_of` asked for them
        # over every edge of every unplaced member each time, most of ``relate``'s time on a
        # corpus with large clusters (planted 10k: 2.4 of its 3.5 CPU-s).
        self.near: dict[int, list[int]] = {
            m: [sum(_changes(p) for p in edges.values()), len(edges)]
            for m, edges in self.edges.items()}
        # Candidate roots by date, earliest first (the undated last), each a heap of
        # ``(spread, docno)`` kept up to date lazily (:meth:`root_of` pushes the new spread
        # of each member :meth:`place` changed, and drops entries no longer current): the
        # scan over every unplaced member for each root it picked was quadratic in a
        # cluster's size (planted 100k: 8,047 roots, most of ``relate``'s time).
        by_date: dict[str | None, list[tuple[float, int]]] = {}
        for m in members:
            by_date.setdefault(dates.get(m) or None, []).append((self.spread(m), m))
        dated = sorted(d for d in by_date if d is not None)
        self.days: list[str | None] = [*dated, None] if None in by_date else [*dated]
        self.heaps = [by_date[d] for d in self.days]
        for heap in self.heaps:
            heapq.heapify(heap)
        self.heap_of = {m: i for i, heap in enumerate(self.heaps) for _, m in heap}
        self.first = 0  # the earliest day that may have unplaced members
        self.moved: set[int] = set()  # members whose spread changed since the last root

    def spread(self, m: int) -> float:
        """``m``'s mean changes against the unplaced members it has pairs with (0 when none)."""
        total, count = self.near[m]
        return total / count if count else 0.0

    def pair(self, x: int, y: int) -> Pair | None:
        return self.edges[x].get(y)

    def inherits(self, ref: int | None, parent: int, child: int) -> tuple[bool, int]:
        """Whether ``child`` repeats ``parent``'s swaps against ``ref`` (an ancestor of
        ``parent``) and adds its own, and how many it repeats.

        Only the parent's swaps inside the text of ``ref`` the child took count; one where the
        child swapped the same words again (to other words) is neither repeated nor missing.
        ``ref`` None: ``parent`` is its tree's root, which always fits, with none.
        """
        if ref is None:
            return True, 0
        to_child, to_parent = self.pair(ref, child), self.pair(ref, parent)
        if to_child is None or to_parent is None:
            return False, 0
        mine = dict(_subs(to_child, ref))
        spans = _spans(to_child, ref)
        theirs = {at: w for at, w in _subs(to_parent, ref) if _within(at, spans)}
        shared = sum(mine.get(at) == w for at, w in theirs.items())
        missing = sum(at not in mine for at in theirs)
        fits = missing <= MISSING_SWAPS * len(theirs) and len(theirs) < len(mine)
        return fits, shared

    def place(self, x: int, left: set[int]) -> None:
        """Take ``x`` out of ``left``, and its changes out of its unplaced neighbours' sums."""
        left.discard(x)
        for o, p in self.edges[x].items():
            if o in left:
                near = self.near[o]
                near[0] -= _changes(p)
                near[1] -= 1
                self.moved.add(o)

    def root_of(self, left: set[int]) -> int:
        """The earliest dated of ``left``; among equals, the one with the fewest changes
        (on average against the others of ``left``, which must be the members not yet
        placed); with none dated, the one with the fewest changes of all ``left``."""
        heaps, heap_of = self.heaps, self.heap_of
        for m in self.moved & left:
            heapq.heappush(heaps[heap_of[m]], (self.spread(m), m))
        self.moved.clear()
        while True:
            heap = heaps[self.first]
            while heap:
                spread, m = heap[0]
                if m in left and spread == self.spread(m):
                    return m
                heapq.heappop(heap)  # placed, or an older spread of ``m``
            self.first += 1


def lineage(cluster_id: int, members: list[int], pairs: Sequence[Pair],
            dates: dict[int, str | None]) -> list[Link]:
    """The lineage of one cluster.

    Args:
        cluster_id: The cluster's number.
        members: Its documents.
        pairs: Pairs (copy pairs of other clusters are ignored).
        dates: Each document's date (``YYYY-MM-DD`` or longer ISO form), None if unknown.

    Returns:
        One link per member, in the order they were attached (roots first in each tree).
    """
    c = _Cluster(members, pairs, dates)
    left = set(members)
    out: list[Link] = []
    placed: dict[int, Link] = {}
    heap: list[tuple[int, int, int, int, float, str, int, int]] = []
    root = -1

    def push(parent: int) -> None:
        up = placed[parent]
        for child, p in c.edges[parent].items():
            if child in left and may_parent(p, parent, child, dates):
                ref = None if parent == up.root else up.root
                fits, inherited = c.inherits(ref, parent, child)
                bare = fits and ref is not None and not inherited
                heapq.heappush(heap, (0 if fits else 1, 1 if bare else 0, _rate(p), -inherited,
                                      -round(_share(p, child), 4), dates.get(parent) or "~",
                                      parent, child))

    while left:
        if not heap:
            root = c.root_of(left)
            why = "earliest date in its cluster" if not out else \
                "earliest of the rest: no earlier member can be its parent"
            if not dates.get(root):
                why += " (no date: fewest changes against the others)"
            link = Link(root, cluster_id, None, root, 0, 0, 0, why)
            c.place(root, left)
            out.append(link)
            placed[root] = link
            push(root)
            continue
        _, _, _, neg_inherited, neg_share, _, parent, child = heapq.heappop(heap)
        if child not in left:
            continue
        up = placed[parent]
        changes = _changes(c.edges[parent][child])
        inherited = -neg_inherited
        why = (f"closest earlier copy: {changes} changes, covers {-neg_share:.0%} of it"
               + (f"; repeats {inherited} of its parent's swaps" if inherited else ""))
        link = Link(child, cluster_id, parent, up.root, up.depth + 1, changes, inherited, why)
        c.place(child, left)
        out.append(link)
        placed[child] = link
        push(child)
    return out


def ancestry(links: dict[int, Link]) -> dict[int, tuple[int, int]]:
    """Entry and exit times of a walk over the lineage forest: ``u`` is an ancestor of ``v``
    exactly when ``u``'s interval holds ``v``'s (a constant-time test, however deep)."""
    children: dict[int, list[int]] = {}
    for link in links.values():
        if link.parent is not None:
            children.setdefault(link.parent, []).append(link.docno)
    times: dict[int, tuple[int, int]] = {}
    clock = 0
    for root in sorted(d for d, link in links.items() if link.parent is None):
        stack: list[tuple[int, bool]] = [(root, False)]
        entered: dict[int, int] = {}
        while stack:
            node, done = stack.pop()
            if done:
                times[node] = (entered[node], clock)
                clock += 1
                continue
            entered[node] = clock
            clock += 1
            stack.append((node, True))
            stack.extend((c, False) for c in sorted(children.get(node, []), reverse=True))
    return times


def direction(p: Pair, links: dict[int, Link], dates: dict[int, str | None],
              times: dict[int, tuple[int, int]] | None = None) -> int | None:
    """The docno a copy pair's text flowed from, or None when it cannot be told.

    An ancestor in the lineage comes first; else the earlier date; else the only side that may
    be the other's parent; else the side nearer its root. ``times`` is :func:`ancestry` of
    ``links`` (computed when omitted).
    """
    times = ancestry(links) if times is None else times
    ta, tb = times.get(p.a), times.get(p.b)
    if ta and tb:
        if ta[0] < tb[0] and tb[1] < ta[1]:
            return p.a
        if tb[0] < ta[0] and ta[1] < tb[1]:
            return p.b
    da, db = dates.get(p.a), dates.get(p.b)
    if da and db and da != db:
        return p.a if da < db else p.b
    fwd, back = may_parent(p, p.a, p.b, dates), may_parent(p, p.b, p.a, dates)
    if fwd != back:
        return p.a if fwd else p.b
    la, lb = links.get(p.a), links.get(p.b)
    if la and lb and la.depth != lb.depth:
        return p.a if la.depth < lb.depth else p.b
    return None
