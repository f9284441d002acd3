"""The optional compiled kernels of the build path (``unspun._speedups``, built by setup.py).

Each kernel has a pure-Python twin that gives the same output (tests compare them); the twin
runs when the extension is missing (no C compiler at install time) or when the environment
variable ``UNSPUN_PURE_PYTHON`` is set (to compare or debug the two paths).
"""

from __future__ import annotations

import os
from types import ModuleType

speedups: ModuleType | None = None
if not os.environ.get("UNSPUN_PURE_PYTHON"):
    try:
        from unspun import _speedups as speedups
    except ImportError:  # pragma: no cover - depends on the install
        speedups = None
