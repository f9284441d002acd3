"""Edit scripts over token lists (rapidfuzz) in difflib's opcode shape."""

from __future__ import annotations

from difflib import SequenceMatcher
from random import Random

from unspun.text.diff import Opcode, matched, matching_blocks, opcodes


def _ops(a: str, b: str) -> list[tuple[str, str, str]]:
    x, y = a.split(), b.split()
    return [(op.tag, " ".join(x[op.i1 : op.i2]), " ".join(y[op.j1 : op.j2]))
            for op in opcodes(x, y)]


def test_a_swapped_word_is_one_replace_between_equal_runs() -> None:
    assert _ops("the talks were long", "the talks were lengthy") == [
        ("equal", "the talks were", "the talks were"), ("replace", "long", "lengthy")]


def test_a_rewritten_phrase_is_one_block_not_deletions_then_insertions() -> None:
    assert _ops("he said on Monday that", "he stated that") == [
        ("equal", "he", "he"), ("replace", "said on Monday", "stated"), ("equal", "that", "that")]


def test_insert_and_delete() -> None:
    assert _ops("a b c", "a x b c") == [("equal", "a", "a"), ("insert", "", "x"),
                                         ("equal", "b c", "b c")]
    assert _ops("a x b c", "a b c") == [("equal", "a", "a"), ("delete", "x", ""),
                                         ("equal", "b c", "b c")]
    assert _ops("", "a b") == [("insert", "", "a b")]
    assert _ops("a b", "a b") == [("equal", "a b", "a b")]


def test_a_repeated_word_joins_the_swap_before_it() -> None:
    """Two minimal scripts tie; the one a reader sees is "majority of" → "most"."""
    assert _ops("the majority of of the islands", "the most of the islands") == [
        ("equal", "the", "the"), ("replace", "majority of", "most"),
        ("equal", "of the islands", "of the islands")]
    assert _ops("the most of the islands", "the majority of of the islands") == [
        ("equal", "the", "the"), ("replace", "most", "majority of"),
        ("equal", "of the islands", "of the islands")]


def test_scripts_cover_both_sides_and_keep_as_many_tokens_as_difflib_or_more() -> None:
    rng = Random(3)
    vocab = "a b c d e the of".split()
    for _ in range(300):
        x = [rng.choice(vocab) for _ in range(rng.randint(0, 12))]
        y = [rng.choice(vocab) for _ in range(rng.randint(0, 12))]
        ops = opcodes(x, y)
        assert ops == [Opcode(*o) for o in ops]
        assert [o.i1 for o in ops[1:]] == [o.i2 for o in ops[:-1]]
        assert [o.j1 for o in ops[1:]] == [o.j2 for o in ops[:-1]]
        assert (ops[0].i1, ops[0].j1) == (0, 0) if ops else x == y == []
        assert (ops[-1].i2, ops[-1].j2) == (len(x), len(y)) if ops else True
        for o in ops:
            if o.tag == "equal":
                assert x[o.i1 : o.i2] == y[o.j1 : o.j2]
        pairs = list(zip(ops, ops[1:], strict=False))
        assert all(a.tag != "equal" or b.tag != "equal" for a, b in pairs)  # runs are joined
        assert all(a.tag == "equal" or b.tag == "equal" for a, b in pairs)  # so are blocks
        kept = sum(o.i2 - o.i1 for o in ops if o.tag == "equal")
        difflib_kept = sum(m.size for m in SequenceMatcher(None, x, y,
                                                           autojunk=False).get_matching_blocks())
        assert kept == matched(x, y) >= difflib_kept
        assert sum(m.size for m in matching_blocks(x, y)) == kept


def _joined_then_slid(a: list[str], b: list[str]) -> tuple[list[Opcode], list[Opcode]]:
    """opcodes as first written: the Indel steps joined, then always given to _slide_left
    (the joined script and the slid one)."""
    from rapidfuzz.distance import Indel

    from unspun.text.diff import _block, _slide_left

    if a == b:
        same = [Opcode("equal", 0, len(a), 0, len(b))] if a else []
        return same, same
    out: list[Opcode] = []
    pending: list[int] | None = None
    for tag, i1, i2, j1, j2 in Indel.opcodes(a, b).as_list():
        if tag == "equal":
            if pending is not None:
                out.append(_block(*pending))
                pending = None
            out.append(Opcode("equal", i1, i2, j1, j2))
        elif pending is None:
            pending = [i1, i2, j1, j2]
        else:
            pending[1], pending[3] = i2, j2
    if pending is not None:
        out.append(_block(*pending))
    return out, out if len(out) < 3 else _slide_left(out, a, b)


def test_opcodes_leave_out_the_slide_only_when_it_changes_nothing() -> None:
    """opcodes calls _slide_left only when an insertion or deletion follows an equal run
    after a change: the scripts are those of always calling it (slides met included)."""
    rng = Random(11)
    vocab = "a b c of of the".split()
    slid = 0
    for _ in range(3000):
        x = [rng.choice(vocab) for _ in range(rng.randint(0, 14))]
        y = [rng.choice(vocab) for _ in range(rng.randint(0, 14))]
        joined, want = _joined_then_slid(x, y)
        got = opcodes(x, y)
        assert got == want
        assert all(type(o) is Opcode for o in got)
        slid += joined != want
    assert slid > 50  # the random scripts meet slides that change the script
