"""`unspun ingest` and the bad-input contract of the command line, in-process and for real."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from ingest.builders import FIXTURES, bad_inputs, write_jsonl, write_warc
from unspun.cli import cli

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def bad(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, str]]:
    return bad_inputs(tmp_path_factory.mktemp("bad-cli"))


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    return subprocess.run([sys.executable, "-m", "unspun", *args], capture_output=True,
                          text=True, timeout=60, env=env, cwd=ROOT)


def test_ingest_prints_json_lines(tmp_path: Path) -> None:
    warc = write_warc(tmp_path / "crawl.warc")
    result = CliRunner().invoke(cli, ["ingest", str(FIXTURES / "article.html"), str(warc)])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(rows) == 3
    assert list(rows[0]) == ["id", "title", "url", "site", "date", "source", "text"]
    assert rows[0]["title"] == "Trump invites Putin to Washington"
    assert [r["source"] for r in rows[1:]] == [f"{warc}#record=2", f"{warc}#record=3"]
    assert "2 documents" not in result.stdout  # the summary goes to stderr
    assert result.stderr.startswith("3 documents, 0 skipped")


def test_ingest_field_mapping(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "c.jsonl", [{"key": "k1", "body": "Body text."}])
    result = CliRunner().invoke(cli, ["ingest", "--field", "text=body", "--field", "id=key",
                                      str(path)])
    assert result.exit_code == 0, result.output
    row = json.loads(result.stdout)
    assert (row["id"], row["text"], row["source"]) == ("k1", "Body text.", f"{path}#line=1")
    assert result.stderr == ""


def test_ingest_bad_field_option() -> None:
    result = CliRunner().invoke(cli, ["ingest", "--field", "body", "x.jsonl"])
    assert result.exit_code == 2
    assert "expected KEY=NAME" in result.stderr


def test_ingest_help_lists_options() -> None:
    result = CliRunner().invoke(cli, ["ingest", "--help"])
    assert result.exit_code == 0
    for option in ("--field", "--max-mb", "stdin"):
        assert option in result.stdout


def test_ingest_stdin() -> None:
    result = CliRunner().invoke(cli, ["ingest", "-"], input="Pasted words.\n")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["source"] == "<stdin>"


def test_in_process_bad_file_is_one_line_and_exit_2(bad) -> None:
    path, reason = bad["binary"]
    result = CliRunner().invoke(cli, ["ingest", str(path)])
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [f"unspun: error: {path}: binary file "
                                          "(contains NUL bytes), not text"]
    assert reason in result.stderr


@pytest.mark.parametrize("kind", ["empty", "binary", "undecodable", "whitespace", "not-html",
                                  "no-text-html", "truncated-warc", "truncated-warc-gz",
                                  "truncated-gzip", "not-warc", "too-big", "missing",
                                  "dangling-link", "fifo"])
def test_real_process_bad_input(bad, kind: str) -> None:
    path, reason = bad[kind]
    done = _run("clean", str(path))
    assert done.returncode == 2, done.stderr
    lines = done.stderr.splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith(f"unspun: error: {path}: ")
    assert reason in lines[0]
    assert "Traceback" not in done.stderr


@pytest.mark.skipif(not hasattr(os, "geteuid"), reason="POSIX only")
def test_real_process_unreadable_file(tmp_path: Path) -> None:
    path = tmp_path / "locked.txt"
    path.write_text("Words nobody may read.\n", encoding="utf-8")
    path.chmod(0)
    prefix: list[str] = []
    if os.geteuid() == 0:  # root reads anything: drop the capabilities that let it
        setpriv = shutil.which("setpriv")
        drop = [setpriv or "setpriv", "--bounding-set=-dac_override,-dac_read_search"]
        if setpriv is None or subprocess.run([*drop, "cat", str(path)],
                                             capture_output=True).returncode == 0:
            pytest.skip("cannot drop root's file-permission override here")
        prefix = drop
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    done = subprocess.run([*prefix, sys.executable, "-m", "unspun", "clean", str(path)],
                          capture_output=True, text=True, timeout=60, env=env, cwd=ROOT)
    assert done.returncode == 2, done.stderr
    assert done.stderr.splitlines() == [f"unspun: error: {path}: permission denied"]
