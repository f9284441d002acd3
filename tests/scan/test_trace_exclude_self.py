"""`trace --exclude-self`: an article traced against an index that contains it."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from scan.helpers import body, write_docs
from unspun.cli import cli


def test_exclude_self_finds_the_real_source(tmp_path: Path) -> None:
    original = body(3)
    copy = "Breaking news from our desk.\n\n" + original
    corpus = write_docs(tmp_path / "c.jsonl", [{"id": "orig", "text": original},
                                               {"id": "copy", "text": copy}])
    index = tmp_path / "ix"
    runner = CliRunner()
    assert runner.invoke(cli, ["index", "add", str(corpus), "--index", str(index)]).exit_code == 0
    suspect = tmp_path / "copy.txt"
    suspect.write_text(copy, encoding="utf-8")

    def sources(*extra: str) -> list[str]:
        out = runner.invoke(cli, ["trace", str(suspect), "--index", str(index), "--json", *extra])
        assert out.exit_code == 0, out.output
        return [s["id"] for s in json.loads(out.stdout)["sources"]]

    assert sources()[0] == "copy"  # without the flag the article finds itself first
    assert sources("--exclude-self") == ["orig"]
