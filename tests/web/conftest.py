"""Fixtures for the web tests: the look-alike trace, a tiny real index, and test clients."""

from __future__ import annotations

import importlib.util
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

from unspun.data import Document

ROOT = Path(__file__).resolve().parents[1]


def load_fixtures() -> ModuleType:
    """Import ``tests/report/fixtures.py`` by path."""
    spec = importlib.util.spec_from_file_location(
        "unspun_report_fixtures", ROOT / "report" / "fixtures.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def fixtures() -> ModuleType:
    return load_fixtures()


@pytest.fixture
def tiny_index(tmp_path: Path, fixtures: ModuleType) -> Iterator[Path]:
    """A real index of the two look-alike sources, built in ``tmp_path``."""
    from unspun.index import Index, add_documents

    path = tmp_path / "index"
    index = Index.create(path)
    add_documents(index, [
        Document(id="reuters-1", text=fixtures.SOURCE_A, title="Smith invites Ivanov",
                 url="https://wire.example/smith-ivanov", site="wire.example",
                 date="2018-07-19"),
        Document(id="ap-7", text=fixtures.SOURCE_B, title="Ivanov praises summit",
                 url="https://press.example/ivanov", site="press.example", date="2018-07-18"),
    ])
    index.close()
    yield path
