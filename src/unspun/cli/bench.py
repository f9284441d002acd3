"""`unspun bench`: generate the content-farm benchmark and check its gold."""

from __future__ import annotations

import json
from pathlib import Path

import click


@click.group(name="bench")
def command() -> None:
    """Generate and check the content-farm benchmark built from Wikinews articles."""


@command.command(name="make")
@click.option("--out", "out", type=click.Path(file_okay=False, path_type=Path), required=True,
              help="Directory to write reference.jsonl, suspects.jsonl, gold.jsonl, manifest.json.")
@click.option("--seed", type=int, default=0, show_default=True,
              help="Random seed; the same seed always gives the same files.")
@click.option("--source", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Wikinews-format JSONL to build from (default: the bundled 212 articles).")
@click.option("--n-suspects", type=click.IntRange(min=1), default=204, show_default=True,
              help="Number of suspects, spread evenly over the 12 manipulation types.")
@click.option("--spin-rate", type=click.FloatRange(0.0, 1.0), default=0.3, show_default=True,
              help="Share of content words the 'spun' type replaces with synonyms.")
@click.option("--json", "as_json", is_flag=True, help="Print the manifest as JSON.")
@click.option("--mode", type=click.Choice(["suspects", "corpus"]), default="suspects",
              show_default=True, help="suspects: the content-farm benchmark; corpus: the "
              "syndication corpus for `unspun scan` (corpus.jsonl, gold.json).")
@click.option("--stories", type=click.IntRange(min=2), default=60, show_default=True,
              help="Wire stories in a --mode corpus corpus.")
def make(out: Path, seed: int, source: Path | None, n_suspects: int, spin_rate: float,
         as_json: bool, mode: str, stories: int) -> None:
    """Build the benchmark into OUT from Wikinews articles (validated before it returns)."""
    from unspun.bench.generate import make_bench

    if mode == "corpus":
        from unspun.bench.corpus import make_corpus

        made = make_corpus(out, seed=seed, stories=stories)
        click.echo(json.dumps(made, indent=2) if as_json else
                   f"wrote {out}: {made['documents']} documents ({', '.join(f'{k} {v}' for k, v in made['roles'].items())}), "
                   f"{made['copy_pairs']} gold copy pairs, {made['clusters']} clusters")
        return

    manifest = make_bench(out, seed=seed, source=source, n_suspects=n_suspects,
                          spin_rate=spin_rate)
    if as_json:
        click.echo(json.dumps(manifest, indent=2))
        return
    types = ", ".join(f"{k} {v}" for k, v in manifest["types"].items())
    click.echo(f"wrote {out}: {manifest['references']} references, "
               f"{manifest['suspects']} suspects ({types}), {manifest['sentences']} gold "
               f"sentences, {manifest['junk_lines']} junk lines, {manifest['edits']} edits")


@command.command(name="check")
@click.argument("bench_dir", type=click.Path(file_okay=False, path_type=Path))
def check(bench_dir: Path) -> None:
    """Check that every gold span of BENCH_DIR slices its texts exactly."""
    from unspun.bench.gold import check_bench

    n = check_bench(bench_dir)
    click.echo(f"{bench_dir}: {n} suspects, every gold span checks out")
