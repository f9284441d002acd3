"""The benchmark's source recall under other trace settings (a quality trade-off check).

``unspun eval bench`` with :class:`unspun.config.TraceConfig` fields replaced, for example
fewer candidates for a faster trace::

    PYTHONPATH=src .venv/bin/python benchmarks/farm_settings.py farm-tune-0 \
        --set retrieval.max_candidates=32 --set evidence.max_docs=32

Prints the source, quote and verdict metrics as one JSON line. Use it on ``--split tune``.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
from pathlib import Path

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

_SHOWN = ("farm.sources.recall", "farm.false_sources.rate", "farm.quotes.altered",
          "farm.verdict.spun", "farm.verdict.confident")


def _replaced(settings: list[str]) -> object:
    """A TraceConfig with each ``section.field=value`` (a number) replaced."""
    from unspun.config import TraceConfig

    cfg = TraceConfig()
    for item in settings:
        path, _, value = item.partition("=")
        section, _, field = path.partition(".")
        old = getattr(cfg, section)
        number = type(getattr(old, field))(value)
        cfg = dataclasses.replace(cfg, **{section: dataclasses.replace(old, **{field: number})})
    return cfg


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("bench", type=Path, help="a directory written by unspun bench make")
    ap.add_argument("--set", action="append", default=[], metavar="SECTION.FIELD=VALUE")
    args = ap.parse_args()

    from unspun.eval.bench import evaluate
    from unspun.eval.unspun_detector import UnspunDetector

    detector = UnspunDetector(config=_replaced(args.set))  # type: ignore[arg-type]
    metrics = evaluate(args.bench, detector, progress=False)
    shown = {k: round(v, 4) for k, v in metrics.items() if k.startswith(_SHOWN)}
    print(json.dumps({"bench": str(args.bench), "set": args.set, **shown}))


if __name__ == "__main__":
    main()
