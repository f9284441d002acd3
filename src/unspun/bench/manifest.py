"""Read a benchmark directory's manifest: which generator mode wrote it."""

from __future__ import annotations

import json
from pathlib import Path

from unspun.errors import BadInput


def bench_mode(bench_dir: Path) -> str:
    """The benchmark's mode from its ``manifest.json`` (``wire`` when none is named).

    Args:
        bench_dir: A directory written by ``unspun bench make``.

    Returns:
        ``wire``, ``farm``, or whatever mode the manifest names.

    Raises:
        BadInput: When ``manifest.json`` exists but is not a readable JSON object.
    """
    path = bench_dir / "manifest.json"
    if not path.is_file():
        return "wire"
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BadInput(str(path), f"cannot read: {exc.__class__.__name__}") from exc
    if not isinstance(manifest, dict):
        raise BadInput(str(path), "not a JSON object")
    return str(manifest.get("mode", "wire"))
