"""Every command-line option is documented in the README or docs/ (as datasette's tests do)."""

from __future__ import annotations

from pathlib import Path

import click
import pytest

from unspun.cli import cli

ROOT = Path(__file__).resolve().parents[2]
DOCS = "\n".join(p.read_text(encoding="utf-8")
                 for p in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))])


def _options() -> list[tuple[str, str]]:
    out = []

    def walk(cmd: click.Command, path: str) -> None:
        if isinstance(cmd, click.Group):
            for name, sub in cmd.commands.items():
                walk(sub, f"{path} {name}".strip())
            return
        for param in cmd.params:
            if isinstance(param, click.Option):
                long = [o for o in param.opts if o.startswith("--")]
                if long and long[0] != "--help":
                    out.append((path, long[0]))
    walk(cli, "")
    return out


@pytest.mark.parametrize(("command", "option"), _options())
def test_option_is_documented(command: str, option: str) -> None:
    assert f"unspun {command.split()[0]}" in DOCS, command
    assert f"`{option}" in DOCS or f" {option} " in DOCS or f"[{option}" in DOCS, \
        f"unspun {command} {option} is not documented in README.md or docs/"
