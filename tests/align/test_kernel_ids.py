"""A source half with word ids (kept by a corpus scan) gives the kernel the dict path gives."""

from __future__ import annotations

from dataclasses import fields

import numpy as np

from unspun.align.vectors import bags, document_source_side, kernel, suspect_side, with_ids
from unspun.config import AlignConfig
from unspun.data import Sentence, Span

SUSPECT = ("The council approved the bridge plan on Tuesday. "
           "Engineers said repairs would take \"at least two weeks\". A toll will pay for it.")
SOURCE = ("Repairs will take at least two weeks, engineers said. The regional council approved "
          "the plan for a second bridge on Tuesday. Zebra crossings were not discussed.")


def _sentences(text: str) -> list[Sentence]:
    out, start = [], 0
    for i, part in enumerate(text.split(". ")):
        end = start + len(part) + (1 if start + len(part) < len(text) else 0)
        out.append(Sentence(i, Span(start, end), text[start:end]))
        start = end + 1
    return out


def test_ids_give_the_same_kernel() -> None:
    cfg = AlignConfig()
    side = suspect_side(bags(SUSPECT, _sentences(SUSPECT), cfg))
    plain = kernel(side, document_source_side(SOURCE, _sentences(SOURCE), cfg))
    source = with_ids(document_source_side(SOURCE, _sentences(SOURCE), cfg))
    assert source.ids is not None and len(source.ids) == len(source.keys)
    # Words first met after the suspect's columns were placed ("zebra") still find none.
    by_ids = kernel(side, source)
    for f in fields(plain):
        assert np.array_equal(getattr(plain, f.name), getattr(by_ids, f.name)), f.name
    assert plain.contain.max() > 0.5  # the two texts share sentences
    newer = with_ids(document_source_side("Unheard quokkas wander.", _sentences(
        "Unheard quokkas wander."), cfg))
    assert not kernel(side, newer).contain.any()


def test_a_suspect_without_words_matches_nothing() -> None:
    cfg = AlignConfig()
    source = with_ids(document_source_side(SOURCE, _sentences(SOURCE), cfg))
    empty = kernel(suspect_side([]), source)
    assert empty.contain.shape == (0, len(source.totals))
    assert not empty.b.any()
