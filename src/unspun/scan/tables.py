"""Turn scan results into table rows, and write tables as JSON Lines and Parquet."""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from unspun.errors import BadInput
from unspun.scan.lineage import Link
from unspun.scan.records import Pair, Prepared

#: The edit labels that get a column of their own in the pairs table.
EDIT_OPS = ("verbatim", "cosmetic", "synonym", "factual", "insert", "delete", "paraphrase")
_EDIT_COLUMNS = tuple((f"edits_{op}", op) for op in EDIT_OPS)  # built once, not per row
TABLES = ("documents", "pairs", "clusters", "lineage", "sites")


def document_row(d: Prepared, cluster: int | None) -> dict[str, Any]:
    """One row of the documents table."""
    return {"docno": d.docno, "id": d.doc.id, "site": d.site, "date": d.doc.date,
            "title": d.doc.title, "url": d.doc.url, "source": d.doc.source,
            "sentences": len(d.sentences), "chars": d.chars, "cluster": cluster,
            "removed": [{"kind": k, "detail": r, "text": t} for k, r, t in d.removed]}


def pair_row(p: Pair, ids: Sequence[str], cluster: int | None,
             source: int | None) -> dict[str, Any]:
    """One row of the pairs table (``source`` is the docno the text flowed from)."""
    passages = p.passages
    row: dict[str, Any] = {
        "a": p.a, "b": p.b, "a_id": ids[p.a], "b_id": ids[p.b], "relation": p.relation,
        "cluster": cluster, "source": source, "share_a": round(p.share_a, 4),
        "share_b": round(p.share_b, 4), "body_matches": p.body, "quote_matches": p.quotes,
        "altered_quotes": p.altered_quotes,
        "passages": [[x.a_start, x.a_end, x.b_start, x.b_end] for x in passages],
        "passage_scores": [round(x.score, 4) for x in passages],
        "passage_quotes": [x.quote for x in passages],
        "substitutions": [{"a_start": a, "b_start": b, "a": wa, "b": wb}
                          for a, b, wa, wb in p.substitutions],
    }
    edits = p.edits.get
    for column, op in _EDIT_COLUMNS:
        row[column] = edits(op, 0)
    return row


def lineage_row(link: Link, ids: Sequence[str]) -> dict[str, Any]:
    """One row of the lineage table."""
    return {"docno": link.docno, "id": ids[link.docno], "cluster": link.cluster,
            "parent": link.parent, "parent_id": None if link.parent is None else ids[link.parent],
            "root": link.root, "root_id": ids[link.root], "depth": link.depth,
            "changes": link.changes, "inherited": link.inherited, "reason": link.reason}


_ENCODER = json.JSONEncoder(ensure_ascii=False)
_PROBE = {"id": "a\u00e9\n\"", "n": -3, "x": [0.1, 1e-7, float("inf"), None, True],
          "s": [{"k": "\u2014"}], "e": {}}  # checks the C encoder writes what _ENCODER writes


def _row_encoder() -> Callable[[Any], str]:
    """``_ENCODER.encode`` for rows of plain values (no cycles, nothing the encoder must be
    told how to write), made once: ``JSONEncoder.encode`` builds the C encoder again for
    every row, a fifth of the JSON time of the pairs table. The same text (``_ENCODER``'s
    separators and float and string forms). ``make_encoder`` is CPython's private C
    encoder: where it is missing, takes other arguments or writes a probe row differently,
    ``_ENCODER.encode`` is used."""
    try:
        from _json import encode_basestring, make_encoder

        def refuse(value: object) -> Any:
            raise TypeError(f"cannot write {type(value).__name__} to a table")

        once = make_encoder(None, refuse, encode_basestring, None, ": ", ", ", False, False,
                            True)

        def encode(row: Any) -> str:
            return "".join(once(row, 0))

        if encode(_PROBE) == _ENCODER.encode(_PROBE):
            return encode
    except (ImportError, TypeError, ValueError):
        pass
    return _ENCODER.encode


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    """The rows of a JSON Lines table written by :func:`write_table`."""
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def _schema(name: str) -> Any:
    """The Arrow schema of table ``name`` (documented in docs/scan.md)."""
    import pyarrow as pa

    i64, f64, s, b = pa.int64(), pa.float64(), pa.string(), pa.bool_()
    lst = pa.list_
    tables = {
        "documents": [("docno", i64), ("id", s), ("site", s), ("date", s), ("title", s),
                      ("url", s), ("source", s), ("sentences", i64), ("chars", i64),
                      ("cluster", i64), ("removed", lst(pa.struct(
                          [("kind", s), ("detail", s), ("text", s)])))],
        "pairs": [("a", i64), ("b", i64), ("a_id", s), ("b_id", s), ("relation", s),
                  ("cluster", i64), ("source", i64), ("share_a", f64), ("share_b", f64),
                  ("body_matches", i64), ("quote_matches", i64), ("altered_quotes", i64),
                  ("passages", lst(lst(i64))), ("passage_scores", lst(f64)),
                  ("passage_quotes", lst(b)), ("substitutions", lst(pa.struct(
                      [("a_start", i64), ("b_start", i64), ("a", s), ("b", s)]))),
                  *[(f"edits_{op}", i64) for op in EDIT_OPS]],
        "clusters": [("cluster", i64), ("size", i64), ("earliest", i64), ("earliest_id", s),
                     ("members", lst(i64)), ("member_ids", lst(s)), ("sites", lst(s))],
        "lineage": [("docno", i64), ("id", s), ("cluster", i64), ("parent", i64),
                    ("parent_id", s), ("root", i64), ("root_id", s), ("depth", i64),
                    ("changes", i64), ("inherited", i64), ("reason", s)],
        "sites": [("site", s), ("articles", i64), ("copies", i64), ("share_copied", f64),
                  ("spun", i64), ("share_spun", f64), ("altered_quotes", i64),
                  ("originals", i64), ("top_sources", lst(pa.struct(
                      [("site", s), ("copies", i64)]))), ("median_delay_days", f64)],
    }
    return pa.schema(tables[name])


def write_table(out: Path, name: str, rows: Sequence[dict[str, Any]], *, parquet: bool) -> None:
    """Write table ``name`` as ``name.jsonl`` (and ``name.parquet``) in ``out``, each
    atomically (a temporary file renamed into place)."""
    write_table_batches(out, name, [rows], parquet=parquet)


def write_table_batches(out: Path, name: str, batches: Iterable[Sequence[dict[str, Any]]], *,
                        parquet: bool) -> None:
    """Write table ``name`` like :func:`write_table`, from its rows a batch at a time.

    Only one batch of rows lives at once: the pairs table of planted 100k held 368,400 row
    dicts (about 3.3 KB each, 1.2 GB) at the scan's peak. Each batch goes to the JSONL file
    and into a compact Arrow batch (about 0.6 KB a row); the Arrow batches are joined into
    one table at the end, so the Parquet file is the one a single batch gives, byte for
    byte (one row group, where a row group per batch would differ).

    Raises:
        MissingExtra: ``parquet`` and pyarrow is not installed.
    """
    if parquet:
        from unspun.errors import require

        require("pyarrow", "parquet")
        import pyarrow as pa
    schema = _schema(name) if parquet else None
    arrow: list[Any] = []
    jsonl = out / f"{name}.jsonl"
    tmp = jsonl.with_suffix(".jsonl.tmp")
    try:
        with tmp.open("w", encoding="utf-8") as fh:
            encode = _row_encoder()
            for rows in batches:
                fh.writelines(f"{encode(row)}\n" for row in rows)
                if parquet:
                    arrow.append(pa.RecordBatch.from_pylist(list(rows), schema=schema))
        os.replace(tmp, jsonl)
    except OSError as exc:
        raise BadInput(str(jsonl), f"cannot write ({exc.strerror})") from None
    if parquet:
        import pyarrow.parquet as pq

        path = out / f"{name}.parquet"
        ptmp = path.with_suffix(path.suffix + ".tmp")
        table = pa.Table.from_batches(arrow, schema=schema).combine_chunks()
        del arrow
        pq.write_table(table, ptmp)
        os.replace(ptmp, path)
