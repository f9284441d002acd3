"""Stage checkpoints of a scan: batch files written atomically, and the run's identity."""

from __future__ import annotations

import json
import os
import pickle
from pathlib import Path
from typing import Any

import numpy as np

from unspun.errors import BadInput

#: Version of the checkpoint layout; a resumed run must match it. 2: candidates by shared
#: grams (``ScanConfig.min_grams``), and the pair batch size in the identity (a run resumed
#: with another batch size would read its pair batches over other candidate ranges). 3: the
#: quote test reads both pages' quote marks over whole documents (stored pairs of format 2
#: were judged by the other rule, so neither ``--resume`` nor ``--add`` reuses them). 4: a
#: second candidate tier by rare content words, and "reworded" pairs from the loose aligner.
#: 5: a pair sharing grams in one sentence of either document needs a rare one
#: (``ScanConfig.narrow_max_df``). 6: ... and three shared grams
#: (``ScanConfig.narrow_min_grams``).
CHECKPOINT_FORMAT = 6


class Checkpoints:
    """The ``work/`` directory of a scan's output directory.

    Every file is written to a temporary name and renamed, so a killed run leaves either a
    whole batch or none; ``--resume`` then redoes only the missing batches.
    """

    def __init__(self, out: Path, part: str | None = None) -> None:
        self.out = out
        self.dir = out / "work" if part is None else out / "work" / part
        self.what = "scan" if part is None else "--add"

    def start(self, identity: dict[str, Any], *, resume: bool) -> None:
        """Create the work directory, or check that a resumed run is the same run.

        Raises:
            BadInput: the directory holds another run, or a run and ``resume`` is False.
        """
        run = self.dir / "run.json"
        ident = {"format": CHECKPOINT_FORMAT, **identity}
        if run.exists():
            if not resume:
                hint = "--resume to continue it" if self.what == "--add" else \
                    "--resume to continue it, --add to add documents to it"
                raise BadInput(str(self.out), f"holds an earlier {self.what}; pass {hint}, "
                               "or choose another --out")
            if read_json(run) != json.loads(json.dumps(ident)):
                raise BadInput(str(self.out), f"holds a {self.what} of other inputs or "
                               "settings; cannot resume it")
            return
        try:
            self.dir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise BadInput(str(self.out), f"cannot create ({exc.strerror})") from None
        self._atomic(run, json.dumps(ident, indent=1).encode())

    def state(self) -> dict[str, Any] | None:
        """The manifest of the finished scan in this directory (None before one finished)."""
        return read_json(self.out / "work" / "state.json")

    def save_state(self, state: dict[str, Any]) -> None:
        """Record a finished scan (or ``--add``) in one atomic write: the files that hold its
        documents and pairs, relative to ``work/``."""
        self._atomic(self.out / "work" / "state.json", json.dumps(state, indent=1).encode())

    def _atomic(self, path: Path, data: bytes) -> None:
        tmp = path.with_name(path.name + ".tmp")
        try:
            tmp.write_bytes(data)
            os.replace(tmp, path)
        except OSError as exc:
            raise BadInput(str(path), f"cannot write ({exc.strerror})") from None

    def path(self, name: str) -> Path:
        return self.dir / name

    def has(self, name: str) -> bool:
        return (self.dir / name).exists()

    def save(self, name: str, value: object) -> None:
        """Pickle ``value`` to ``name`` atomically."""
        self._atomic(self.dir / name, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))

    def load(self, name: str) -> Any:
        """Unpickle checkpoint ``name`` (written by this scan's own run)."""
        with (self.dir / name).open("rb") as fh:
            return pickle.load(fh)  # noqa: S301 - our own checkpoint files

    def save_array(self, name: str, value: np.ndarray) -> None:
        """Write ``value`` as ``name`` (a ``.npy`` file) atomically."""
        tmp = self.dir / f"tmp-{name}"
        np.save(tmp, value)
        os.replace(tmp, self.dir / name)

    def load_array(self, name: str) -> np.ndarray:
        return np.load(self.dir / name)

    def mark(self, name: str) -> None:
        """Record that stage ``name`` finished."""
        self._atomic(self.dir / f"{name}.done", b"")

    def done(self, name: str) -> bool:
        return self.has(f"{name}.done")


def read_json(path: Path) -> Any:
    """The JSON value in ``path``, or None when it is missing or unreadable."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
