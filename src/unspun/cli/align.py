"""`unspun align`: the passages one document reuses from another, with offsets on both sides."""

from __future__ import annotations

import json

import click

from unspun.cli.ingest import Inputs, input_options
from unspun.data import Document
from unspun.errors import BadInput
from unspun.text.safe import json_terminal_safe, terminal_safe

_SHOW = 160  # characters of each side shown per passage in the terminal


def _one(path: str, field_map: tuple[str, ...], max_mb: float) -> Document:
    docs = list(Inputs([path], field_map=field_map, max_mb=max_mb).documents())
    if len(docs) != 1:
        raise BadInput(path, f"expected one document, found {len(docs)}")
    return docs[0]


def _clip(text: str) -> str:
    text = terminal_safe(" ".join(text.split()))
    return text if len(text) <= _SHOW else text[: _SHOW - 1] + "\u2026"


@click.command(name="align")
@click.argument("suspect", metavar="SUSPECT")
@click.argument("source", metavar="SOURCE")
@click.option("--json", "as_json", is_flag=True,
              help="Print the passages as JSON (schema unspun/align/1).")
@click.option("--strict", is_flag=True,
              help="Skip the loose pass for heavily obfuscated reuse (fewer, surer passages).")
@input_options
def command(suspect: str, source: str, as_json: bool, strict: bool, field_map: tuple[str, ...],
            max_mb: float) -> None:
    """Find the passages of SUSPECT reused from SOURCE, with character offsets into both.

    This is the text-alignment step that `unspun eval pan13` measures: both documents are
    cleaned and split as `trace` does, sentences are aligned, and runs of aligned sentences
    become passages whose edges are exact to the word. Exit 1 is never used: no passages is
    an answer, not an error.
    """
    from dataclasses import replace

    from unspun.config import TraceConfig
    from unspun.trace import align_pair

    sus, src = _one(suspect, field_map, max_mb), _one(source, field_map, max_mb)
    cfg = TraceConfig()
    if strict:
        cfg = replace(cfg, passages=replace(cfg.passages, loose_fallback=False))
    found = align_pair(sus, src, config=cfg)
    if as_json:
        click.echo(json_terminal_safe(json.dumps({
            "schema": "unspun/align/1",
            "suspect": sus.source or sus.id, "source": src.source or src.id,
            "passages": [{"suspect": [a.suspect.start, a.suspect.end],
                          "source": [a.source.start, a.source.end], "score": round(a.score, 4),
                          "suspect_text": a.suspect.of(sus.text),
                          "source_text": a.source.of(src.text)} for a in found],
            "run": {"config": cfg.to_dict()},
        }, ensure_ascii=False, indent=2)))
        return
    if not found:
        click.echo("no reused passages found")
        return
    for n, a in enumerate(found, 1):
        click.echo(f"passage {n}: suspect {a.suspect.start}-{a.suspect.end}  "
                   f"source {a.source.start}-{a.source.end}  score {a.score:.2f}")
        click.echo(f"  suspect: {_clip(a.suspect.of(sus.text))}")
        click.echo(f"  source:  {_clip(a.source.of(src.text))}")
