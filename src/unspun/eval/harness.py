"""Shared evaluation machinery: results, quality floors, a worker pool, and the results table."""

from __future__ import annotations

import json
import math
import multiprocessing
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from unspun.errors import BadInput
from unspun.progress import progress

T = TypeVar("T")
R = TypeVar("R")

#: The quality floors shipped with the package (``unspun eval`` checks them by default).
FLOORS_FILE = Path(__file__).with_name("quality-floors.json")


@dataclass(slots=True)
class EvalResult:
    """Flat metrics (``"align.plagdet"``), the counts behind them, and the inputs skipped."""

    metrics: dict[str, float] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)  # "path: reason"

    def merge(self, other: EvalResult) -> EvalResult:
        """Return a new result holding both results' metrics, counts and skips."""
        return EvalResult({**self.metrics, **other.metrics}, {**self.counts, **other.counts},
                          [*self.skipped, *other.skipped])


@dataclass(frozen=True, slots=True)
class FloorCheck:
    """One metric against its quality bound: ``kind`` "min" is a floor, "max" a ceiling."""

    metric: str
    value: float | None
    bound: float | None
    kind: str = "min"

    @property
    def measured(self) -> bool:
        """True when the metric has a value (NaN counts as not measured)."""
        return self.value is not None and not math.isnan(self.value)

    @property
    def ok(self) -> bool:
        """True when there is no bound, or the metric was measured and meets the bound.

        A bounded metric that was not measured fails: a detector that stops predicting a
        family of findings must not pass the gate by making its metrics vanish.
        """
        if self.bound is None:
            return True
        if self.value is None or math.isnan(self.value):
            return False
        return self.value >= self.bound if self.kind == "min" else self.value <= self.bound


def load_floors(path: Path, section: str, detector: str) -> dict[str, Any]:
    """Read the bounds of one detector from a quality-floors file.

    The file is ``{"pan13": {"<detector>": {"metric": floor, ...}}, "bench": {...}}``. A plain
    number is a floor (the metric must be at least that); ``{"max": x}`` is a ceiling, for
    metrics where lower is better (granularity, false-positive rate).

    Args:
        path: The JSON file; a missing file means no bounds.
        section: ``"pan13"`` or ``"bench"``.
        detector: The detector name.

    Returns:
        ``{metric: bound}`` as written in the file.

    Raises:
        BadInput: When the file exists but is not valid JSON of that shape.
    """
    if not path.exists():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        bounds = data.get(section, {}).get(detector, {})
    except (json.JSONDecodeError, AttributeError) as exc:
        raise BadInput(str(path), f"not a quality-floors file: {exc}") from exc
    if not isinstance(bounds, dict):
        raise BadInput(str(path), f"{section}.{detector} is not an object")
    return bounds


def check_floors(metrics: Mapping[str, float], bounds: Mapping[str, Any], *,
                 families: tuple[str, ...] | None = None) -> list[FloorCheck]:
    """Compare every metric with its bound; bounds for unmeasured metrics are listed (and fail).

    Args:
        metrics: The measured metrics.
        bounds: ``{metric: number | {"max": number}}`` from :func:`load_floors`.
        families: Only the bounds whose names start with one of these prefixes apply (the
            parts of an evaluation that were run, e.g. ``("align.",)``); all when None.

    Returns:
        One :class:`FloorCheck` per metric or bound, metrics first in their order.
    """
    if families is not None:
        bounds = {k: v for k, v in bounds.items() if k.startswith(families)}
    names = [*metrics, *(b for b in bounds if b not in metrics)]
    out = []
    for name in names:
        bound = bounds.get(name)
        kind = "min"
        if isinstance(bound, dict):
            kind, bound = ("max", bound.get("max")) if "max" in bound else ("min", bound.get("min"))
        out.append(FloorCheck(name, metrics.get(name), None if bound is None else float(bound),
                              kind))
    return out


#: What a count printed after the table means, by name prefix.
COUNT_NOTES = {
    "pairs.absent.": "pairs of this type listed in PAN-13's pair-types file whose suspicious "
                     "or source text is missing from the corpus copy; left out of the recall",
}
NAN_NOTE = ("n/a: undefined (0/0): the category has no gold attributions, so precision, recall "
            "and F1 do not apply; its false-attribution rate is the measure (shown with --all)")


def in_summary(check: FloorCheck) -> bool:
    """Whether a metric is in the short table: it has a bound, or it is a headline figure.

    Headline figures are counts (``suspects``), two-part names (``verdict.accuracy``) and
    ``*.all`` rows; per-category breakdowns (``attribution.f1.spun``) need ``--all``.
    """
    return (check.bound is not None or check.metric.count(".") <= 1
            or check.metric.endswith(".all"))


def format_value(metric: str, value: float | None) -> str:
    """A metric for people: counts as integers, undefined values as n/a, rates to 4 places."""
    if value is None:
        return "-"
    if value != value:  # nan
        return "n/a"
    if "." not in metric and float(value).is_integer():
        return str(int(value))
    return f"{value:.2f}" if metric.startswith("seconds.") else f"{value:.4f}"


def render_table(checks: list[FloorCheck], *, title: str, full: bool = False) -> None:
    """Print the checks as a rich table (metric, value, floor, ok) on stdout.

    Args:
        checks: The metrics with their bounds.
        title: The table's title.
        full: Every metric; otherwise only those with a bound and the headline figures.
    """
    from rich.console import Console
    from rich.table import Table

    shown = checks if full else [c for c in checks if in_summary(c)]
    table = Table(title=title)
    for col in ("metric", "value", "floor", "ok"):
        table.add_column(col, justify="left" if col == "metric" else "right")
    for c in shown:
        bound = "" if c.bound is None else f"{'≤ ' if c.kind == 'max' else ''}{c.bound:.4f}"
        ok = "" if c.bound is None else ("[green]ok[/]" if c.ok else "[red]BELOW[/]")
        if c.bound is not None and not c.measured:
            ok = "[red]NOT MEASURED[/]"
        table.add_row(c.metric, format_value(c.metric, c.value), bound, ok)
    console = Console()
    console.print(table)
    if any(c.value is not None and c.value != c.value for c in shown):
        console.print(NAN_NOTE)
    if len(shown) < len(checks):
        console.print(f"{len(checks) - len(shown)} more metrics (per category): --all")


def parallel_map(
    func: Callable[[T], R],
    items: Iterable[T],
    *,
    jobs: int,
    total: int,
    description: str,
    initializer: Callable[..., None] | None = None,
    initargs: tuple[Any, ...] = (),
) -> Iterator[R]:
    """Apply ``func`` to ``items`` in order, in a pool of ``jobs`` processes (in-process if 1).

    Args:
        func: A picklable top-level function.
        items: The inputs.
        jobs: Number of worker processes.
        total: Number of inputs, for the progress bar.
        description: Progress bar label.
        initializer: Called once per worker (and once in-process when ``jobs`` is 1).
        initargs: Arguments for ``initializer``.

    Yields:
        The results in input order.
    """
    if jobs <= 1:
        if initializer is not None:
            initializer(*initargs)
        yield from progress(map(func, items), description=description, total=total)
        return
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(jobs, initializer=initializer, initargs=initargs) as pool:
        yield from progress(pool.imap(func, items, chunksize=4), description=description,
                            total=total)
