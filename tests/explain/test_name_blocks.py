"""Multi-word names are labelled as one unit: an official form is spin, another name a fact."""

from __future__ import annotations

import pytest

from unspun.data import Span
from unspun.explain import edit_script


def _changes(source: str, suspect: str) -> list[tuple[str, str, str]]:
    edits = edit_script(suspect, source, Span(0, len(suspect)), Span(0, len(source)))
    return [(e.op, e.source_text, e.suspect_text) for e in edits
            if e.op not in ("verbatim", "cosmetic")]


@pytest.mark.parametrize(("old", "new", "op"), [
    ("United Kingdom", "Great Britain", "synonym"),
    ("United Nations", "UN Organization", "synonym"),
    ("United States", "Fuad Basya", "factual"),
    ("Vladimir Putin", "Dmitry Medvedev", "factual"),
])
def test_a_swapped_name_is_one_edit_with_one_label(old: str, new: str, op: str) -> None:
    template = "Officials from the {} met reporters in Geneva on Monday to discuss the plan."
    changes = _changes(template.format(old), template.format(new))
    assert changes == [(op, old, new)]
