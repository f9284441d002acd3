"""`unspun serve` checks its index before starting and hands uvicorn the app."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import uvicorn
from click.testing import CliRunner

from unspun.cli import cli


def test_serve_refuses_a_missing_index(tmp_path: Path) -> None:
    res = CliRunner().invoke(cli, ["serve", "--index", str(tmp_path / "nope")])
    assert res.exit_code == 2
    assert "unspun: error:" in res.output and "nope" in res.output
    assert "Traceback" not in res.output


def test_serve_runs_uvicorn(tiny_index: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    seen: dict[str, Any] = {}

    def fake_run(app: Any, **kw: Any) -> None:
        seen.update(kw, app=app)

    monkeypatch.setattr(uvicorn, "run", fake_run)
    res = CliRunner().invoke(cli, ["serve", "--index", str(tiny_index), "--port", "8123",
                                   "--max-mb", "1", "--timeout", "5"])
    assert res.exit_code == 0, res.output
    assert seen["host"] == "127.0.0.1" and seen["port"] == 8123
    assert seen["app"].state.index_path == tiny_index


def test_serve_help_names_every_option() -> None:
    out = CliRunner().invoke(cli, ["serve", "--help"]).output
    for opt in ("--index", "--host", "--port", "--timeout", "--max-mb"):
        assert opt in out


def test_serve_reads_unspun_index_and_defaults_to_clean_only(
        tiny_index: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    seen: dict[str, Any] = {}
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: seen.update(app=app))
    res = CliRunner(env={"UNSPUN_INDEX": str(tiny_index)}).invoke(cli, ["serve"])
    assert res.exit_code == 0, res.output
    assert seen["app"].state.index_path == tiny_index
    monkeypatch.chdir(tmp_path)  # no ./unspun-index here
    res = CliRunner(env={"UNSPUN_INDEX": None}).invoke(cli, ["serve"])
    assert res.exit_code == 0, res.output
    assert seen["app"].state.index_path is None
    assert "no index at unspun-index" in res.stderr and "only /api/clean" in res.stderr
