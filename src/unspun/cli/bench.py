"""`unspun bench`: generate the content-farm benchmark and check its gold."""

from __future__ import annotations

import json
from pathlib import Path

import click

from unspun.bench.split import Split


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
@click.option("--n-suspects", type=click.IntRange(min=1), default=None,
              help="Number of suspects, spread evenly over the types (default: 204 wire, "
                   "108 farm).")
@click.option("--spin-rate", type=click.FloatRange(0.0, 1.0), default=0.3, show_default=True,
              help="Share of content words the 'spun' type replaces with synonyms.")
@click.option("--mode", type=click.Choice(["wire", "farm", "corpus"]), default="wire",
              show_default=True,
              help="wire: 12 manipulation types of whole copies; farm: pages like real "
                   "content farms (mosaics, lifted quotes, headlines, carriers; see "
                   "docs/benchmark.md); corpus: the syndication corpus for `unspun scan` "
                   "(corpus.jsonl, gold.json; see docs/scan.md).")
@click.option("--split", type=click.Choice(["test", "tune", "all"]), default="test",
              show_default=True, help="Half of the articles to build from: test (gate on it), "
                                      "tune (tune thresholds on it) or all.")
@click.option("--json", "as_json", is_flag=True, help="Print the manifest as JSON.")
@click.option("--stories", type=click.IntRange(min=2), default=60, show_default=True,
              help="Wire stories in a --mode corpus corpus.")
def make(out: Path, seed: int, source: Path | None, n_suspects: int | None, spin_rate: float,
         mode: str, split: Split, as_json: bool, stories: int) -> None:
    """Build the benchmark into OUT from Wikinews articles (validated before it returns)."""
    if mode == "farm":
        from unspun.bench.farm import make_farm

        manifest = make_farm(out, seed=seed, source=source, n_suspects=n_suspects or 108,
                             split=split)
    elif mode == "corpus":
        from unspun.bench.corpus import make_corpus

        made = make_corpus(out, seed=seed, stories=stories)
        roles = ", ".join(f"{k} {v}" for k, v in made["roles"].items())
        click.echo(json.dumps(made, indent=2) if as_json else
                   f"wrote {out}: {made['documents']} documents ({roles}), "
                   f"{made['copy_pairs']} gold copy pairs, {made['clusters']} clusters")
        return
    else:
        from unspun.bench.generate import make_bench

        manifest = make_bench(out, seed=seed, source=source, n_suspects=n_suspects or 204,
                              spin_rate=spin_rate, split=split)
    if as_json:
        click.echo(json.dumps(manifest, indent=2))
        return
    if mode == "farm":
        kinds = ", ".join(f"{k} {v}" for k, v in manifest["source_kinds"].items())
        click.echo(f"wrote {out}: farm mode, split {split}, {manifest['references']} references "
                   f"({manifest['stories']} stories), {manifest['suspects']} pages, sources: "
                   f"{kinds}, {manifest['quotes']} lifted quotes")
        return
    types = ", ".join(f"{k} {v}" for k, v in manifest["types"].items())
    click.echo(f"wrote {out}: {manifest['references']} references, "
               f"{manifest['suspects']} suspects ({types}), {manifest['sentences']} gold "
               f"sentences, {manifest['junk_lines']} junk lines, {manifest['edits']} edits")


@command.command(name="check")
@click.argument("bench_dir", type=click.Path(file_okay=False, path_type=Path))
def check(bench_dir: Path) -> None:
    """Check that every gold span of BENCH_DIR slices its texts exactly."""
    from unspun.bench.farm_check import check_farm
    from unspun.bench.gold import check_bench
    from unspun.bench.manifest import bench_mode

    n = check_farm(bench_dir) if bench_mode(bench_dir) == "farm" else check_bench(bench_dir)
    click.echo(f"{bench_dir}: {n} suspects, every gold span checks out")
