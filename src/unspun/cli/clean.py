"""`unspun clean`: remove the junk inside articles and show each removal with its reason."""

from __future__ import annotations

import json

import click

from unspun.clean import SiteProfile, clean, learn_site_profile
from unspun.cli.ingest import Inputs, input_options
from unspun.data import CleanResult
from unspun.report.jsonout import clean_to_dict

_SHOW = 70  # characters of removed text shown per finding


def _short(text: str, limit: int = _SHOW) -> str:
    """``text`` on one line, cut to ``limit`` characters with an ellipsis."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def _summary(result: CleanResult) -> str:
    """A short human account of one cleaned document."""
    doc = result.doc
    kept = sum(len(span) for span in result.kept)
    lines = [f"== {doc.source or doc.id}",
             f"title: {result.title or '(none)'}",
             f"kept: {kept} of {len(doc.text)} characters in {len(result.kept)} spans"]
    removed = len(result.removed)
    flagged = len(result.findings) - removed
    lines.append(f"removed: {removed} (marked -)" if removed else "removed: nothing")
    if flagged:
        lines.append(f"flagged, not removed: {flagged} (marked ?: cosmetic slips such as a "
                     "space before a comma, left in the text)")
    for finding in result.findings:
        mark = "-" if finding.removed else "?"
        detail = f" ({finding.detail})" if finding.detail else ""
        lines.append(f"  {mark} {finding.kind:<20} [{finding.span.start}, {finding.span.end})"
                     f"  \"{_short(finding.text)}\"{detail}")
    return "\n".join(lines)


@click.command(name="clean")
@click.argument("paths", nargs=-1, required=True, metavar="FILE|DIR|-")
@click.option("--json", "as_json", is_flag=True,
              help="Print JSON (schema unspun/clean/1, as /api/clean): one object for a single "
                   "document, JSON Lines for several.")
@click.option("--text", "as_text", is_flag=True,
              help="Print only the cleaned article text (documents separated by a blank line "
                   "and a form feed).")
@click.option("--corpus", "corpus", type=click.Path(file_okay=True, dir_okay=True),
              help="Learn lines that recur across pages of the same site from this corpus "
                   "(directory or file) and remove them too.")
@input_options
def command(paths: tuple[str, ...], as_json: bool, as_text: bool, corpus: str | None,
            field_map: tuple[str, ...], max_mb: float) -> None:
    """Clean FILE, every document under DIR, or stdin (-): remove repeated headlines,
    "More news"/"Related" lines, share/subscribe/ad lines, server errors and (with --corpus)
    site boilerplate, and show each removal with its reason and offsets."""
    if as_json and as_text:
        raise click.UsageError("--json and --text are alternatives; give one")
    profile: SiteProfile | None = None
    if corpus is not None:
        learn = Inputs([corpus], field_map=field_map, max_mb=max_mb, description="learning",
                       corpus=True)
        profile = learn_site_profile(learn.documents())
        learn.finish(label="corpus")
    inputs = Inputs(paths, field_map=field_map, max_mb=max_mb, description="cleaning")
    pending: CleanResult | None = None
    count = 0
    for doc in inputs.documents():
        result = clean(doc, profile=profile)
        count += 1
        if not as_json:
            if count > 1:
                click.echo("\f" if as_text else "")
            click.echo(result.text if as_text else _summary(result))
            continue
        if pending is not None:  # several documents: JSON Lines
            click.echo(json.dumps(clean_to_dict(pending), ensure_ascii=False))
        pending = result
    if pending is not None:
        indent = 2 if count == 1 else None
        click.echo(json.dumps(clean_to_dict(pending), ensure_ascii=False, indent=indent))
    inputs.finish()
