"""Turn clean and trace results into plain dicts that follow the versioned JSON schemas."""

from __future__ import annotations

import json
import math
from importlib import resources
from typing import Any

from unspun.data import CleanResult, Document, Quote, SentenceTrace, Span, TraceResult
from unspun.report.view import source_info

TRACE_SCHEMA = "unspun/trace/2"
CLEAN_SCHEMA = "unspun/clean/1"


def trace_to_dict(result: TraceResult) -> dict[str, Any]:
    """Describe a trace result as a JSON-ready dict (schema ``unspun/trace/2``).

    Args:
        result: What ``trace`` learned about one suspect article.

    Returns:
        A dict of plain JSON types that validates against ``schema/trace.v2.json``.
    """
    clean = result.clean
    verdict = result.verdict
    return {
        "schema": TRACE_SCHEMA,
        "document": _document(clean.doc),
        "title": clean.title,
        "traced_share": round(result.traced_share, 4),
        "kept": [_pair(s) for s in clean.kept],
        "junk": [f.to_dict() for f in clean.findings],
        "sentences": [_sentence(t) for t in result.sentences],
        "sources": _sources(result),
        "quote_findings": [
            {
                "kind": qf.kind,
                "source_id": qf.source_id,
                "detail": qf.detail,
                "suspect": _quote(qf.suspect),
                "source": _quote(qf.source),
            }
            for qf in result.quote_findings
        ],
        "quote_sources": [
            {"source_id": q.doc_id, "share": q.share, "changes": q.changes,
             "speaker_changed": q.speaker_changed, "suspect": _quote(q.suspect),
             "source": _quote(q.source)}
            for q in result.quote_sources
        ],
        "headline": None if result.headline is None else {
            "text": result.headline.text,
            "span": None if result.headline.suspect is None else _pair(result.headline.suspect),
            "source_id": result.headline.doc_id, "source_title": result.headline.source_title,
            "score": result.headline.score, "carriers": result.headline.carriers,
        },
        "verdict": None if verdict is None else {
            "label": verdict.label,
            "confidence": round(verdict.confidence, 4),
            "provenance": verdict.provenance,
            "manipulation": list(verdict.manipulation),
            "evidence": _jsonable(verdict.evidence),
        },
        **({"run": _jsonable(result.run)} if result.run else {}),
    }


def clean_to_dict(result: CleanResult) -> dict[str, Any]:
    """Describe a clean result as a JSON-ready dict (schema ``unspun/clean/1``).

    Args:
        result: A document after cleaning.

    Returns:
        A dict of plain JSON types that validates against ``schema/clean.v1.json``.
    """
    kept_chars = sum(len(s) for s in result.kept)
    return {
        "schema": CLEAN_SCHEMA,
        "document": _document(result.doc),
        "title": result.title,
        "kept": [_pair(s) for s in result.kept],
        "text": result.text,
        "findings": [f.to_dict() for f in result.findings],
        "stats": {
            "chars": len(result.doc.text),
            "kept_chars": kept_chars,
            "removed": len(result.removed),
            "reported": len(result.findings) - len(result.removed),
        },
    }


def dumps(data: dict[str, Any], *, indent: int | None = 2) -> str:
    """Serialise a report dict as JSON text (UTF-8 characters kept, not escaped)."""
    return json.dumps(data, ensure_ascii=False, indent=indent)


def load_schema(name: str) -> dict[str, Any]:
    """Load a shipped JSON Schema by name ("trace" or "clean").

    Raises:
        ValueError: ``name`` is not a shipped schema.
    """
    if name not in ("trace", "clean"):
        raise ValueError(f"no schema named {name!r}; use 'trace' or 'clean'")
    version = {"trace": 2, "clean": 1}[name]
    path = resources.files("unspun.report").joinpath("schema", f"{name}.v{version}.json")
    return json.loads(path.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def _pair(span: Span) -> list[int]:
    """A span as ``[start, end]``."""
    return [span.start, span.end]


def _document(doc: Document) -> dict[str, Any]:
    """Document metadata without its text (the text's length is kept)."""
    return {
        "id": doc.id, "title": doc.title, "url": doc.url, "site": doc.site, "date": doc.date,
        "source": doc.source, "length": len(doc.text), "meta": _jsonable(doc.meta),
    }


def _sentence(trace: SentenceTrace) -> dict[str, Any]:
    """One suspect sentence with where it came from and what changed."""
    al = trace.alignment
    return {
        "index": trace.sentence.index,
        "span": _pair(trace.sentence.span),
        "text": trace.sentence.text,
        "source_id": None if al is None else al.source_id,
        "source_span": None if al is None else _pair(al.source),
        "score": None if al is None else round(al.score, 4),
        "kind": None if al is None else al.kind,
        "order": trace.order,
        "edits": [] if al is None else [e.to_dict() for e in al.edits],
    }


def _sources(result: TraceResult) -> list[dict[str, Any]]:
    """Each source with its share and the spans of its text the suspect reused."""
    out = []
    for share in result.sources:
        doc = result.source_docs.get(share.doc_id)
        spans = sorted({t.alignment.source for t in result.sentences
                        if t.alignment is not None and t.alignment.source_id == share.doc_id})
        info = source_info(result, share)
        out.append({
            "id": share.doc_id, "title": info.title, "url": info.url, "site": info.site,
            "date": info.date, "source": info.source,
            "share": round(share.share, 4),
            "sentences": share.sentences,
            "also_carried_by": share.also_carried_by,
            "excerpts": [
                {"span": _pair(s), "text": s.of(doc.text) if doc is not None else None}
                for s in spans
            ],
        })
    return out


def _quote(quote: Quote) -> dict[str, Any]:
    """A quote with its span and speaker."""
    return {
        "span": _pair(quote.span),
        "text": quote.text,
        "speaker": quote.speaker,
        "speaker_span": None if quote.speaker_span is None else _pair(quote.speaker_span),
    }


def _jsonable(value: Any) -> Any:
    """Coerce evidence values (tuples, sets, spans, numpy scalars) into plain JSON types."""
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, Span):
        return _pair(value)
    if isinstance(value, (list, tuple, set, frozenset)):
        items = sorted(value, key=repr) if isinstance(value, (set, frozenset)) else value
        return [_jsonable(v) for v in items]
    if isinstance(value, float):
        return round(value, 4) if math.isfinite(value) else None
    if value is None or isinstance(value, (str, int, bool)):
        return value
    if hasattr(value, "item"):  # numpy scalar
        return _jsonable(value.item())
    if hasattr(value, "to_dict"):
        return _jsonable(value.to_dict())
    return str(value)
