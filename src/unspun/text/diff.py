"""Edit scripts and matching blocks over token lists: the one sequence diff of unspun.

Every edit script (edit labels, quote checks, passage edges, headline scores) comes from
here: rapidfuzz's Indel alignment of the two token lists (a longest common subsequence, so
as many tokens as possible stay equal), computed in C, several times faster than
:class:`difflib.SequenceMatcher` on aligned sentence pairs (benchmarks/edit_scripts.py;
docs/performance.md). Its opcodes take difflib's shape: runs of equal tokens, and between
two runs one block, a ``replace`` when both sides have tokens, else an ``insert`` or a
``delete``.

Levenshtein opcodes (substitutions cost one) were tried too: they keep fewer tokens equal
where a phrase was rewritten, and the wire benchmark's factual-edit precision fell from
0.78 to 0.55; the Indel script gives the same figures as difflib (docs/performance.md).
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import NamedTuple, cast

from rapidfuzz.distance import Indel, LCSseq


class Opcode(NamedTuple):
    """``a[i1:i2]`` became ``b[j1:j2]``: ``equal``, ``replace``, ``insert`` or ``delete``."""

    tag: str
    i1: int
    i2: int
    j1: int
    j2: int


class Block(NamedTuple):
    """``a[a_start : a_start + size] == b[b_start : b_start + size]``."""

    a: int
    b: int
    size: int


def opcodes(a: Sequence[Hashable], b: Sequence[Hashable]) -> list[Opcode]:
    """The edit script turning ``a`` into ``b``, in difflib's opcode shape.

    A minimal insert/delete script (longest common subsequence) whose neighbouring steps
    are joined into one block, so a rewritten phrase is one ``replace`` (as difflib gives
    it), not deletions followed by insertions.
    """
    if a == b:  # a verbatim copy, the most common pair (list equality is cheap)
        return [Opcode("equal", 0, len(a), 0, len(b))] if len(a) else []
    out: list[Opcode] = []
    append = out.append
    pending: list[int] | None = None  # [i1, i2, j1, j2] of the block being joined
    # Whether _slide_left can change anything: it only acts on an insertion or deletion
    # right after an equal run that follows a change, or on an equal run right after one.
    slide = False
    steps = cast(list[tuple[str, int, int, int, int]], Indel.opcodes(a, b).as_list())
    for step in steps:
        if step[0] == "equal":
            if pending is not None:
                op = _block(*pending)
                if op[0] != "replace" and len(out) >= 2 and out[-1][0] == "equal" \
                        and out[-2][0] != "equal":
                    slide = True
                append(op)
                pending = None
            elif out and out[-1][0] == "equal":
                slide = True
            append(_new(Opcode, step))
        elif pending is None:
            pending = [step[1], step[2], step[3], step[4]]
        else:
            pending[1], pending[3] = step[2], step[4]
    if pending is not None:
        op = _block(*pending)
        if op[0] != "replace" and len(out) >= 2 and out[-1][0] == "equal" \
                and out[-2][0] != "equal":
            slide = True
        append(op)
    if not slide:
        return out
    return _slide_left(out, a, b)


_new = tuple.__new__  # Opcode(*step) without the named tuple's Python __new__


def _slide_left(ops: list[Opcode], a: Sequence[Hashable], b: Sequence[Hashable]) -> list[Opcode]:
    """Join an insertion or deletion to the change before it when the tokens allow.

    Minimal scripts tie: "majority of of the" → "most of the" is "majority → most", keep "of",
    delete "of", or "majority of → most", keep "of". A deletion (insertion) slides left over
    the equal run before it when that run repeats at its end, and then joins the change
    before the run: one phrase swap, as a reader sees it (and as difflib gives it here).
    """
    out: list[Opcode] = []
    for op in ops:
        if (op.tag in ("insert", "delete") and len(out) >= 2 and out[-1].tag == "equal"
                and out[-2].tag != "equal"):
            prev, eq = out[-2], out[-1]
            if op.tag == "delete":
                n = op.i2 - op.i1
                ok = a[eq.i1 + n : op.i2] == a[eq.i1 : eq.i2]
            else:
                n = op.j2 - op.j1
                ok = b[eq.j1 + n : op.j2] == b[eq.j1 : eq.j2]
            if ok:
                di, dj = (n, 0) if op.tag == "delete" else (0, n)
                out[-2] = _block(prev.i1, prev.i2 + di, prev.j1, prev.j2 + dj)
                out[-1] = Opcode("equal", eq.i1 + di, op.i2, eq.j1 + dj, op.j2)
                continue
        if op.tag == "equal" and out and out[-1].tag == "equal":  # the run after a slide
            out[-1] = Opcode("equal", out[-1].i1, op.i2, out[-1].j1, op.j2)
            continue
        out.append(op)
    return out


def _block(i1: int, i2: int, j1: int, j2: int) -> Opcode:
    tag = "replace" if i2 > i1 and j2 > j1 else "delete" if i2 > i1 else "insert"
    return _new(Opcode, (tag, i1, i2, j1, j2))


def matching_blocks(a: Sequence[Hashable], b: Sequence[Hashable]) -> list[Block]:
    """The runs of equal tokens of :func:`opcodes`, in order (no sentinel block, unlike
    difflib's ``get_matching_blocks``)."""
    return [Block(op.i1, op.j1, op.i2 - op.i1) for op in opcodes(a, b) if op.tag == "equal"]


def matched(a: Sequence[Hashable], b: Sequence[Hashable]) -> int:
    """How many tokens of ``a`` and ``b`` agree in order (the longest common subsequence)."""
    return int(LCSseq.similarity(a, b))
