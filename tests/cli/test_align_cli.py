"""`unspun align`: the passage step that eval pan13 measures, from the command line."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from unspun.cli import cli

COPIED = ("The committee met on Tuesday to discuss the new budget for the harbour, which had "
          "been delayed twice. Members agreed that the repairs to the north pier could not wait "
          "another winter, and asked the council for an answer by March.")


def _files(tmp_path: Path) -> tuple[Path, Path]:
    suspect = tmp_path / "suspect.txt"
    source = tmp_path / "source.txt"
    suspect.write_text("An opening line written only here.\n\n" + COPIED
                       + "\n\nA closing line about \x1b]0;title\x07 something else.\n")
    source.write_text("Harbour news.\n\n" + COPIED + " Other business followed.\n")
    return suspect, source


def test_json_passages_slice_both_files(tmp_path: Path) -> None:
    suspect, source = _files(tmp_path)
    result = CliRunner().invoke(cli, ["align", str(suspect), str(source), "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["schema"] == "unspun/align/1"
    [p] = report["passages"]
    s_text, r_text = suspect.read_text(), source.read_text()
    assert s_text[slice(*p["suspect"])] == p["suspect_text"]
    assert r_text[slice(*p["source"])] == p["source_text"]
    assert p["suspect_text"].startswith("The committee") and "north pier" in p["source_text"]
    assert report["run"]["config"]["sentence_max_chars"] > 0


def test_terminal_output_and_no_passages(tmp_path: Path) -> None:
    suspect, source = _files(tmp_path)
    result = CliRunner().invoke(cli, ["align", str(suspect), str(source)])
    assert result.exit_code == 0 and "passage 1: suspect" in result.stdout
    other = tmp_path / "other.txt"
    other.write_text("A wholly different text about gardening and tomato plants in summer.\n")
    result = CliRunner().invoke(cli, ["align", str(other), str(source), "--strict"])
    assert result.exit_code == 0 and "no reused passages found" in result.stdout


def test_missing_file_is_one_line_error(tmp_path: Path) -> None:
    _, source = _files(tmp_path)
    result = CliRunner().invoke(cli, ["align", str(tmp_path / "nope.txt"), str(source)])
    assert result.exit_code == 2 and "nope.txt" in result.stderr
    assert result.stderr.strip().count("\n") == 0
