"""The compiled edit list (``_speedups.edit_list``) gives the edits ``_Builder._build`` gives."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from unspun import _native
from unspun.config import ExplainConfig
from unspun.data import Edit, Span
from unspun.explain import edit_script, edits
from unspun.text.tokens import tokenize

speedups = pytest.importorskip("unspun._speedups")
_set_up = pytest.mark.skipif(_native.speedups is None,
                             reason="the extension is off (UNSPUN_PURE_PYTHON)")

_PIECES = ["The", "talks", "were", "long", ",", ".", " ", "  ", "\n", "U.S.", "1,000", "don't",
           "caf\u00e9", "\u201c", "\u2019", "-", "_", "x"]
_TEXTS = st.lists(st.sampled_from(_PIECES), max_size=16).map("".join)


def _fields(edit: Edit) -> tuple[object, ...]:
    return (edit.op, edit.suspect, edit.source, edit.suspect_text, edit.source_text,
            edit.detail, type(edit), type(edit.suspect), type(edit.source))


@_set_up
@settings(max_examples=400, deadline=None)
@given(_TEXTS, _TEXTS, st.integers(0, 3), st.integers(0, 3), st.data())
def test_edit_list_is_the_python_build(a: str, b: str, pad_a: int, pad_b: int,
                                       data: st.DataObject) -> None:
    """Groups that cover the tokens in runs, empty ones (at the start, inside, at the end)
    included, over spans that start inside their texts."""
    sus_text, src_text = " " * pad_a + a, "." * pad_b + b
    sus_span, src_span = Span(pad_a, len(sus_text)), Span(pad_b, len(src_text))
    sus = tokenize(sus_text, sus_span.start, sus_span.end)
    src = tokenize(src_text, src_span.start, src_span.end)
    b_ = edits._Builder(sus_text, src_text, sus, src, sus_span, src_span, ExplainConfig())
    i = j = 0
    runs = data.draw(st.lists(st.tuples(st.integers(0, 3), st.integers(0, 3),
                                        st.sampled_from(["verbatim", "synonym", "insert"]),
                                        st.sampled_from(["", "name"])), max_size=8))
    for di, dj, op, detail in runs:
        di, dj = min(di, len(sus) - i), min(dj, len(src) - j)
        b_.groups.append((op, detail, i, i + di, j, j + dj))
        i, j = i + di, j + dj
    if i < len(sus) or j < len(src) or not b_.groups:
        b_.groups.append(("delete", "", i, len(sus), j, len(src)))
    got, want = b_.build(), b_._build()
    assert [_fields(e) for e in got] == [_fields(e) for e in want]
    assert got == want


@_set_up
def test_edit_list_is_in_use_and_checks_its_arguments() -> None:
    assert edits._edit_list is speedups.edit_list
    sus = tokenize("a b")
    with pytest.raises(IndexError):
        speedups.edit_list([("verbatim", "", 0, 3, 0, 0)], sus, sus, "a b", "a b", 0, 0)
    with pytest.raises(TypeError):
        speedups.edit_list([("verbatim", "", 0, 1)], sus, sus, "a b", "a b", 0, 0)
    with pytest.raises(TypeError):
        speedups.edit_list([("verbatim", "", 0, 1, 0, 1)], [(1, 2)], sus, "a b", "a b", 0, 0)
    with pytest.raises(ValueError):  # a token ending before it starts
        speedups.edit_list([("verbatim", "", 0, 1, 0, 1)], [("a", "word", 2, 1)], sus, "a b",
                           "a b", 0, 0)
    with pytest.raises(TypeError):
        speedups.set_edit_types(Span, int)


def test_edit_script_with_and_without_the_compiled_list(monkeypatch: pytest.MonkeyPatch) -> None:
    sus_text = "Officials said the crowd was huge on Monday, not small."
    src_text = "Officials said that the throng was large on Tuesday, small."
    whole = Span(0, len(sus_text)), Span(0, len(src_text))
    compiled = edit_script(sus_text, src_text, *whole)
    monkeypatch.setattr(edits, "_edit_list", None)
    plain = edit_script(sus_text, src_text, *whole)
    assert compiled == plain
    assert {e.op for e in plain} >= {"verbatim", "synonym", "factual"}
