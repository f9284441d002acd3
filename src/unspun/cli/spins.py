"""`unspun spins`: mine a spinner's substitution pairs from traced suspects, list them, or score a page."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import click

from unspun.cli.index import index_option
from unspun.cli.ingest import Inputs, input_options
from unspun.config import TraceConfig
from unspun.data import TraceResult
from unspun.errors import BadInput
from unspun.explain.spins import SpinDictionary, SpinReport, mine_spins, spin_score
from unspun.text.safe import json_terminal_safe, terminal_safe

SPINS_FILE = "spins.json"
_SHOW_SITES = 3


def _mine(index_dir: Path, paths: tuple[str, ...], field_map: tuple[str, ...],
          max_mb: float) -> SpinDictionary:
    """Trace every suspect under ``paths`` against the index and mine the synonym edits."""
    from unspun.index import Index
    from unspun.trace import trace_document

    inputs = Inputs(paths, field_map=field_map, max_mb=max_mb, description="tracing")

    def traced(index: Index) -> Iterator[TraceResult]:
        for doc in inputs.documents():
            try:
                yield trace_document(doc, index=index)
            except BadInput as err:  # an empty or junk-only suspect: skip it, count it
                inputs.errors.skip(err.path, err.reason)

    with Index.open(index_dir) as index:
        spins = mine_spins(traced(index), config=TraceConfig().spins)
    inputs.finish(label="suspects")
    spins.save(index_dir / SPINS_FILE)
    click.echo(f"mined {len(spins.pairs)} pairs from {spins.documents} documents into "
               f"{index_dir / SPINS_FILE}", err=True)
    return spins


def _load(index_dir: Path) -> SpinDictionary:
    return SpinDictionary.load(index_dir / SPINS_FILE)


def _listing(spins: SpinDictionary, min_count: int, as_json: bool) -> None:
    pairs = spins.ranked(min_count=min_count)
    if as_json:
        click.echo(json_terminal_safe(json.dumps({"documents": spins.documents, "pairs": [
            {"source": p.source_form or p.source, "suspect": p.suspect_form or p.suspect,
             "count": p.count, "sites": p.sites, "examples": p.examples} for p in pairs
        ]}, ensure_ascii=False, indent=1)))
        return
    if not pairs:
        click.echo(f"no pairs seen {min_count} or more times")
        return
    for p in pairs:
        sites = sorted(p.sites, key=lambda s: -p.sites[s])
        shown = ", ".join(sites[:_SHOW_SITES]) + (" …" if len(sites) > _SHOW_SITES else "")
        click.echo(terminal_safe(f"{p.count:>6}  {p.source_form or p.source} → "
                                 f"{p.suspect_form or p.suspect}  [{shown}]"))


def _show_report(where: str, report: SpinReport, as_json: bool) -> None:
    if as_json:
        click.echo(json_terminal_safe(json.dumps({"document": where, **report.to_dict()},
                                                 ensure_ascii=False)))
        return
    click.echo(terminal_safe(f"== {where}"))
    click.echo(f"spin score: {report.score:.2f} ({len(report.flags)} flags in "
               f"{report.content_words} content words)")
    for f in report.flags:
        click.echo(terminal_safe(f"  {f.kind:<14} [{f.span.start}, {f.span.end})  \"{f.text}\"  "
                                 f"{f.detail}"))


@click.command(name="spins")
@click.argument("paths", nargs=-1, metavar="[SUSPECT...]")
@index_option
@click.option("--score", "score_path", metavar="FILE",
              help="Score FILE for likely spun phrases without looking at any source.")
@click.option("--min-count", type=click.IntRange(min=1), default=2, show_default=True,
              help="Least number of sightings for a pair to be listed or used in scoring.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@input_options
def command(paths: tuple[str, ...], index_path: Path, score_path: str | None, min_count: int,
            as_json: bool, field_map: tuple[str, ...], max_mb: float) -> None:
    """Mine, list or use a spinner's dictionary.

    With SUSPECT paths: trace each suspect against the index, collect the synonym
    substitutions (source phrase → spun phrase) and save them to INDEX/spins.json (replacing
    it), then list them. Without paths: list the saved pairs with their counts and sites.
    With --score FILE: flag likely spun phrases in FILE, even with no source indexed.
    """
    root = index_path
    if score_path is not None:
        from unspun.clean import clean

        config = replace(TraceConfig().spins, min_count=min_count)
        spins = _load(root) if (root / SPINS_FILE).exists() else None
        if spins is None:
            click.echo(f"unspun: note: no {root / SPINS_FILE}; built-in signals only", err=True)
        inputs = Inputs([score_path], field_map=field_map, max_mb=max_mb, description="scoring")
        for doc in inputs.documents():
            report = spin_score(doc, spins, spans=clean(doc).kept, config=config)
            _show_report(doc.source or doc.id, report, as_json)
        inputs.finish()
        return
    spins = _mine(root, paths, field_map, max_mb) if paths else _load(root)
    _listing(spins, min_count, as_json)
