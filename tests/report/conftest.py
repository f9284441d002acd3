"""Fixtures for the report tests: the hand-built content-farm TraceResult."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest

from unspun.data import TraceResult


def load_fixtures() -> ModuleType:
    """Import ``tests/report/fixtures.py`` by path, so any test folder can use it."""
    path = Path(__file__).with_name("fixtures.py")
    spec = importlib.util.spec_from_file_location("unspun_report_fixtures", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def trace_result() -> TraceResult:
    """A fresh look-alike of a spun, stitched content-farm page traced to two sources."""
    return load_fixtures().make_trace()
