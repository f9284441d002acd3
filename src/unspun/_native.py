"""The optional compiled kernels (``unspun._speedups`` of the build path and ``unspun._wordkeys``
of sentence bags, built by setup.py).

Each kernel has a pure-Python twin that gives the same output (tests compare them); the twin
runs when the extension is missing (no C compiler at install time) or when the environment
variable ``UNSPUN_PURE_PYTHON`` is set (to compare or debug the two paths).
"""

from __future__ import annotations

import os
from types import ModuleType

speedups: ModuleType | None = None
wordkeys: ModuleType | None = None
if not os.environ.get("UNSPUN_PURE_PYTHON"):
    try:
        from unspun import _speedups as speedups
    except ImportError:  # pragma: no cover - depends on the install
        speedups = None
    try:
        from unspun import _wordkeys as wordkeys
    except ImportError:  # pragma: no cover - depends on the install
        wordkeys = None
