"""The JSON outputs follow their versioned schemas and keep offsets that slice the originals."""

from __future__ import annotations

import json

import jsonschema
import pytest

from unspun.clean import clean
from unspun.data import Document, TraceResult
from unspun.report.jsonout import clean_to_dict, dumps, load_schema, trace_to_dict


def _validate(data: dict, name: str) -> None:
    schema = load_schema(name)
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.Draft202012Validator(schema).validate(json.loads(dumps(data)))


def test_trace_dict_validates_and_slices_originals(trace_result: TraceResult) -> None:
    data = trace_to_dict(trace_result)
    _validate(data, "trace")
    assert data["schema"] == "unspun/trace/2"
    text = trace_result.doc.text
    for sent in data["sentences"]:
        assert text[sent["span"][0]:sent["span"][1]] == sent["text"]
        for edit in sent["edits"]:
            assert text[edit["suspect"][0]:edit["suspect"][1]] == edit["suspect_text"]
            src = trace_result.source_docs[sent["source_id"]].text
            assert src[edit["source"][0]:edit["source"][1]] == edit["source_text"]
    for junk in data["junk"]:
        assert text[junk["start"]:junk["end"]] == junk["text"]
    assert [s["id"] for s in data["sources"]] == ["reuters-1", "ap-7"]
    reuters = data["sources"][0]
    assert len(reuters["excerpts"]) == 3
    assert reuters["excerpts"][0]["text"].startswith("President Alan Smith")
    assert data["verdict"]["label"] == "stitched-aggregate"
    assert data["quote_findings"][0]["suspect"]["text"].startswith("The summit with Russian Fed")
    assert data["sentences"][-1]["source_id"] is None


def test_trace_dict_without_verdict_and_odd_evidence(trace_result: TraceResult) -> None:
    assert trace_result.verdict is not None
    trace_result.verdict.evidence = {"pairs": {("Russia", "Russian Federation")},
                                     "nan": float("nan")}
    data = trace_to_dict(trace_result)
    _validate(data, "trace")
    assert data["verdict"]["evidence"]["nan"] is None
    assert data["verdict"]["evidence"]["pairs"] == [["Russia", "Russian Federation"]]
    trace_result.verdict = None
    _validate(trace_to_dict(trace_result), "trace")


def test_schema_rejects_a_broken_report(trace_result: TraceResult) -> None:
    data = trace_to_dict(trace_result)
    data["sentences"][0]["edits"][0]["op"] = "rewritten"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft202012Validator(load_schema("trace")).validate(data)


def test_clean_dict_from_real_clean_validates() -> None:
    doc = Document(id="d1", text="Title\n\nTitle\n\nA sentence. More news: something else\n")
    data = clean_to_dict(clean(doc))
    _validate(data, "clean")
    assert data["schema"] == "unspun/clean/1"
    assert data["stats"]["chars"] == len(doc.text)
    for f in data["findings"]:
        assert doc.text[f["start"]:f["end"]] == f["text"]


def test_clean_dict_from_fixture_validates(trace_result: TraceResult) -> None:
    data = clean_to_dict(trace_result.clean)
    _validate(data, "clean")
    assert data["stats"]["removed"] == 3
    assert "More news" not in data["text"]


def test_unknown_schema_name() -> None:
    with pytest.raises(ValueError, match="no schema"):
        load_schema("scan")


def test_real_trace_against_validates() -> None:
    """A result from the real tracer (no index) validates and renders."""
    from importlib.util import module_from_spec, spec_from_file_location
    from pathlib import Path

    from unspun.trace import trace_against

    spec = spec_from_file_location("fx", Path(__file__).with_name("fixtures.py"))
    assert spec is not None and spec.loader is not None
    fx = module_from_spec(spec)
    spec.loader.exec_module(fx)
    others = [Document(id="reuters-1", text=fx.SOURCE_A), Document(id="ap-7", text=fx.SOURCE_B)]
    result = trace_against(Document(id="farm", text=fx.SUSPECT), others)
    data = trace_to_dict(result)
    _validate(data, "trace")
    assert {s["id"] for s in data["sources"]} == {"reuters-1", "ap-7"}
    assert any(e["op"] == "synonym" for s in data["sentences"] for e in s["edits"])
    text = result.doc.text
    for sent in data["sentences"]:
        assert text[sent["span"][0]:sent["span"][1]] == sent["text"]
    from rich.console import Console

    from unspun.report.html import render_html
    from unspun.report.terminal import render_trace

    console = Console(width=80, record=True, no_color=True)
    render_trace(result, console)
    lines = console.export_text().splitlines()
    assert max(len(line) for line in lines) <= 80
    assert "⟦international→worldwide⟧" in "\n".join(lines)
    assert '<mark class="u-k synonym"' in render_html(result)
