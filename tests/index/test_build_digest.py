"""The index a build writes is the same as the one the reference build code wrote.

``build_digest.json`` was computed by an earlier commit's code (named in it); speed-ups of
cleaning, splitting, fingerprinting, committing or merging must not change a byte.
"""

from __future__ import annotations

import json
from pathlib import Path

from index.build_digest import STORED, build_digest


def test_build_stores_the_same_index_as_the_reference_code(tmp_path: Path) -> None:
    stored = json.loads(STORED.read_text())
    stored.pop("computed_by")
    assert build_digest(tmp_path / "ix") == stored
