"""`unspun eval`: measure a detector on PAN-13 or the content-farm benchmark against floors."""

from __future__ import annotations

import json
import os
from pathlib import Path

import click

from unspun.errors import BadInput
from unspun.eval.detector import DETECTORS
from unspun.eval.harness import (
    COUNT_NOTES,
    FLOORS_FILE,
    EvalResult,
    check_floors,
    load_floors,
    render_table,
)

_DETECTOR = click.option("--detector", type=click.Choice(DETECTORS), default="unspun",
                         show_default=True, help="Which detector to measure.")
_JSON = click.option("--json", "as_json", is_flag=True,
                     help="Print the results as JSON (every metric; undefined ones as null).")
_ALL = click.option("--all", "full", is_flag=True,
                    help="Show every metric, per category too (default: those with a floor "
                         "and the headline figures).")
_FLOORS = click.option("--floors", "floors_path", type=click.Path(path_type=Path),
                       default=FLOORS_FILE, show_default="the floors shipped with unspun",
                       help="Quality floors file; a missing file means no floors.")


@click.group(name="eval")
def command() -> None:
    """Measure a detector; exit 1 when a metric falls below its quality floor."""


def _finish(result: EvalResult, *, section: str, detector: str, floors_path: Path,
            as_json: bool, enforce: bool, full: bool = False,
            families: tuple[str, ...] | None = None) -> None:
    """Print the result, then exit 1 if an enforced floor is not met or was not measured."""
    bounds = load_floors(floors_path, section, detector) if enforce else {}
    checks = check_floors(result.metrics, bounds, families=families)
    failed = [c.metric for c in checks if not c.ok]
    if as_json:
        metrics = {k: (None if v != v else v) for k, v in result.metrics.items()}  # nan: null
        click.echo(json.dumps({
            "detector": detector, "metrics": metrics, "counts": result.counts,
            "skipped": result.skipped, "floors_checked": enforce, "below_floor": failed,
        }, indent=2))
    else:
        render_table(checks, title=f"{section} · {detector}", full=full)
        for name, value in result.counts.items():
            note = next((n for prefix, n in COUNT_NOTES.items() if name.startswith(prefix)), "")
            click.echo(f"{name}: {value}" + (f"  ({note})" if note else ""))
        for reason in result.skipped:
            click.echo(f"skipped: {reason}", err=True)
        if not enforce:
            click.echo("floors not checked (partial run)", err=True)
    missing = [c.metric for c in checks if not c.ok and not c.measured]
    below = [m for m in failed if m not in missing]
    if below:
        click.echo(f"unspun: below quality floor: {', '.join(below)}", err=True)
    if missing:
        click.echo(f"unspun: floored but not measured: {', '.join(missing)}", err=True)
    if failed:
        raise SystemExit(1)


@command.command(name="pan13")
@click.argument("directory", required=False, type=click.Path(path_type=Path))
@_DETECTOR
@click.option("--task", type=click.Choice(["align", "pairs", "all"]), default="all",
              show_default=True, help="Text alignment (plagdet), document pairs, or both.")
@click.option("--limit", type=click.IntRange(min=1), default=None,
              help="Only the first N gold pairs / N pairs per type (floors are not checked).")
@click.option("--jobs", type=click.IntRange(min=1), default=2, show_default=True,
              help="Worker processes.")
@_JSON
@_ALL
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Write the alignment detections as PAN XML into this directory (with "
                   "--via scan: the scan's outputs).")
@click.option("--via", type=click.Choice(["trace", "scan"]), default="trace", show_default=True,
              help="Document pairs: align each pair as trace does, or scan every suspect and "
                   "source as one corpus (`unspun scan`; with --task pairs).")
@_FLOORS
def pan13(directory: Path | None, *, detector: str, task: str, limit: int | None, jobs: int,
          as_json: bool, full: bool, out: Path | None, via: str, floors_path: Path) -> None:
    """Evaluate on PAN-13 (DIRECTORY defaults to $UNSPUN_PAN13 or ../shared/data/pan13)."""
    from unspun.eval import pan13 as pan

    if directory is None:
        directory = Path(os.environ.get("UNSPUN_PAN13", "../shared/data/pan13"))
    pan.check_dir(directory)
    result = EvalResult()
    if via == "scan":
        if task != "pairs" or detector != "unspun":
            raise click.UsageError("--via scan measures the document pairs of unspun scan "
                                   "(--task pairs, --detector unspun)")
        result = pan.evaluate_pairs_via_scan(directory, limit=limit, jobs=jobs, out=out)
        _finish(result, section="pan13", detector="scan", floors_path=floors_path,
                as_json=as_json, enforce=limit is None, families=("pairs.",), full=full)
        return
    if task in ("align", "all"):
        result = result.merge(pan.evaluate_alignment(directory, detector=detector, limit=limit,
                                                     jobs=jobs, out=out))
    if task in ("pairs", "all"):
        result = result.merge(pan.evaluate_pairs(directory, detector=detector, limit=limit,
                                                 jobs=jobs))
    families = {"align": ("align.",), "pairs": ("pairs.",), "all": None}[task]
    _finish(result, section="pan13", detector=detector, floors_path=floors_path,
            as_json=as_json, enforce=limit is None, families=families, full=full)


@command.command(name="bench")
@click.argument("directory", type=click.Path(path_type=Path))
@_DETECTOR
@_JSON
@_ALL
@_FLOORS
def bench(directory: Path, *, detector: str, as_json: bool, full: bool,
          floors_path: Path) -> None:
    """Evaluate on the content-farm benchmark in DIRECTORY."""
    from unspun.eval.detector import get_detector

    if not directory.is_dir():
        raise BadInput(str(directory), "benchmark directory not found")
    try:
        from unspun.eval.bench import evaluate  # type: ignore[attr-defined,unused-ignore]
    except ImportError as exc:
        raise BadInput(str(directory), f"benchmark evaluation is not available ({exc})") from exc
    from unspun.bench.manifest import bench_mode

    section = "bench" if bench_mode(directory) == "wire" else bench_mode(directory)
    metrics = evaluate(directory, get_detector(detector))
    _finish(EvalResult(metrics=dict(metrics)), section=section, detector=detector,
            floors_path=floors_path, as_json=as_json, enforce=True, full=full)


@command.command(name="scan")
@click.argument("directory", type=click.Path(path_type=Path))
@click.option("--scan-dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Score this finished scan instead of scanning DIRECTORY/corpus.jsonl into "
                   "DIRECTORY/scan.")
@_JSON
@_ALL
@_FLOORS
def scan(directory: Path, *, scan_dir: Path | None, as_json: bool, full: bool,
         floors_path: Path) -> None:
    """Evaluate `unspun scan` on a syndication corpus made by `bench make --mode corpus`."""
    from unspun.eval.scan import run_and_score

    result = run_and_score(directory, scan_dir)
    _finish(result, section="scan", detector="unspun", floors_path=floors_path,
            as_json=as_json, enforce=True, full=full)
