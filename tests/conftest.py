"""Shared fixtures: the location of ../shared and a skip for tests that need it."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import settings

# Property tests assert results, not speed: on a loaded CI machine one example can take far
# longer than hypothesis's default 200 ms deadline, which would fail a correct test.
settings.register_profile("unspun", deadline=None)
settings.load_profile("unspun")

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SEED = SHARED / "seeds" / "000_4cef146e0d325b71.txt"


def need_shared(path: Path) -> Path:
    """Return ``path`` or skip the test, with a message, when ../shared does not have it."""
    if not path.exists():
        pytest.skip(f"{path} is absent (../shared is only beside the checkout in CI and dev)")
    return path
