"""Hostile records: lone surrogates are repaired, deep nesting refused, good neighbours kept."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from unspun.errors import BadInput
from unspun.ingest import IngestErrors, iter_documents
from unspun.ingest.jsonload import MAX_DEPTH, loads, nesting_depth

GOOD = '{"id": "g%d", "text": "Good story number %d."}'


def _write(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_lone_surrogates_are_replaced_recorded_and_writable(tmp_path: Path) -> None:
    path = _write(tmp_path / "c.jsonl", [
        GOOD % (1, 1), '{"id": "s\\ud800", "text": "Bad \\udfff text.", "title": "t\\ud83d"}',
        GOOD % (2, 2)])
    errors = IngestErrors()
    docs = list(iter_documents([path], errors=errors))
    assert [d.id for d in docs] == ["g1", "s\ufffd", "g2"]
    assert docs[1].text == "Bad \ufffd text." and docs[1].title == "t\ufffd"
    assert "3 unencodable" in docs[1].meta["repaired"]
    assert errors.repaired == [(f"{path}#line=2", docs[1].meta["repaired"])]
    assert not errors.skipped and errors.documents == 3
    for doc in docs:
        json.dumps(doc.text, ensure_ascii=False).encode("utf-8")


def test_deep_nesting_is_one_reason_and_neighbours_stay(tmp_path: Path) -> None:
    path = _write(tmp_path / "c.jsonl", [
        GOOD % (1, 1), "[" * 100_000, '{"text": "x", "extra": ' + "[" * 5000 + "]" * 5000 + "}",
        GOOD % (2, 2)])
    errors = IngestErrors()
    docs = list(iter_documents([path], errors=errors))
    assert [d.id for d in docs] == ["g1", "g2"]
    assert [where for where, _ in errors.skipped] == [f"{path}#line=2", f"{path}#line=3"]
    assert all(f"more than {MAX_DEPTH} levels" in reason for _, reason in errors.skipped)
    with pytest.raises(BadInput, match="line=2: JSON nested more than"):
        list(iter_documents([path]))


def test_nesting_bound_ignores_brackets_inside_strings() -> None:
    text = json.dumps({"text": "[" * 500 + "{" * 500, "n": [[[1]]]}).encode()
    assert nesting_depth(text) == 4
    assert loads(text, where="x")["n"] == [[[1]]]
    with pytest.raises(BadInput, match="x: not UTF-8"):
        loads(b'{"text": "\xff"}', where="x")


@st.composite
def nested(draw: st.DrawFn) -> tuple[bytes, int]:
    depth = draw(st.integers(0, 2 * MAX_DEPTH))
    opens = draw(st.lists(st.sampled_from("[{"), min_size=depth, max_size=depth))
    filler = draw(st.text(alphabet='ab"\\[]{}', max_size=6))
    body = json.dumps(filler)
    for ch in reversed(opens):
        body = f"[{body}]" if ch == "[" else f'{{"k": {body}}}'
    return body.encode(), depth


@settings(deadline=None)
@given(nested())
def test_nesting_depth_matches_the_structure(case: tuple[bytes, int]) -> None:
    data, depth = case
    assert nesting_depth(data, stop_at=10_000) == depth
    if depth <= MAX_DEPTH:
        assert loads(data, where="x") == json.loads(data)
    else:
        with pytest.raises(BadInput, match="nested more than"):
            loads(data, where="x")


LINES = st.one_of(
    st.builds(lambda t: json.dumps({"text": t}), st.text(min_size=1)),
    st.builds(json.dumps, st.recursive(st.none() | st.text() | st.integers(),
                                       lambda x: st.lists(x) | st.dictionaries(st.text(), x))),
    st.text(max_size=40).map(lambda t: t.replace("\n", " ")),
    st.integers(1, 300).map(lambda n: "[" * n + "]" * n),
)


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(LINES, max_size=8))
def test_any_jsonl_file_keeps_every_good_line(tmp_path: Path, lines: list[str]) -> None:
    """Whatever the lines, a lenient run never raises, and every good line comes through."""
    path = tmp_path / "fuzz.jsonl"
    body = [f"{line}\n{GOOD % (i, i)}" for i, line in enumerate(lines)]
    path.write_bytes("\n".join(body).encode("utf-8", "surrogatepass") + b"\n")
    errors = IngestErrors()
    docs = list(iter_documents([path], errors=errors))
    ids = [d.id for d in docs]
    assert [i for i in ids if i.startswith("g")][-len(lines):] == [f"g{i}" for i in
                                                                   range(len(lines))] or not lines
    for doc in docs:
        doc.text.encode("utf-8")
        (doc.title or "").encode("utf-8")
