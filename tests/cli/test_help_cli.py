"""`unspun --help` and every group's help list each command without cutting its description."""

from __future__ import annotations

import re
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from unspun.cli import SHORT_HELP, cli

README = Path(__file__).resolve().parents[2] / "README.md"


def _groups() -> list[list[str]]:
    return [[]] + [[name] for name, cmd in cli.commands.items() if isinstance(cmd, click.Group)]


@pytest.mark.parametrize("path", _groups())
def test_help_lists_every_command_uncut(path: list[str]) -> None:
    out = CliRunner().invoke(cli, [*path, "--help"], terminal_width=80).output
    listed = " ".join(out.split("Commands:")[1].split())
    assert "..." not in listed.replace("PATH...", "") and "…" not in listed
    group = cli
    for name in path:
        group = group.commands[name]  # type: ignore[attr-defined]
    for name, cmd in group.commands.items():  # type: ignore[attr-defined]
        assert f"{name} {cmd.short_help}" in listed


def test_every_command_has_a_short_help_that_fits() -> None:
    assert set(SHORT_HELP) == set(cli.commands)
    assert all(len(text) <= 68 for text in SHORT_HELP.values())


def test_readme_names_every_command() -> None:
    text = README.read_text(encoding="utf-8")
    for name in cli.commands:
        assert re.search(rf"\bunspun {name}\b", text), name
