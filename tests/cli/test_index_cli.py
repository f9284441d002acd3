"""`unspun index add/stats/rm/compact`, and one-line errors for bad index directories."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from index.corpus import wikinews, write_jsonl
from unspun.cli import cli


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args))


def assert_one_line_error(result: Result, *needles: str) -> None:
    assert result.exit_code == 2, (result.output, result.exception)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("unspun: error: "), result.stderr
    for needle in needles:
        assert needle in lines[0]
    assert "Traceback" not in result.output


@pytest.fixture()
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    docs = wikinews(6)
    write_jsonl(folder / "a.jsonl", docs[:4])
    write_jsonl(folder / "b.jsonl", docs[4:])
    return folder


def test_add_stats_rm_compact(tmp_path: Path, corpus: Path) -> None:
    ix = str(tmp_path / "ix")
    added = run("index", "add", str(corpus), "--index", ix, "--batch-size", "2", "--json")
    assert added.exit_code == 0, added.output
    counts = json.loads(added.stdout.splitlines()[-1])
    assert counts == {"read": 6, "added": 6, "duplicate_id": 0, "duplicate_content": 0,
                      "empty": 0, "skipped_inputs": 0, "batches": 3, "documents": 6,
                      "duplicates": []}
    again = run("index", "add", str(corpus / "a.jsonl"), "--index", ix)
    assert again.exit_code == 0
    assert "read 4 documents: added 0" in again.stdout
    assert "skipped 4 duplicate ids" in again.stdout

    stats = run("index", "stats", "--index", ix, "--json")
    assert stats.exit_code == 0
    info = json.loads(stats.stdout)
    assert info["documents"] == 6 and info["segments"] == 3 and info["postings"] > 0
    assert info["path"] == ix and info["fingerprint"]["word_n"] == 4

    human = run("index", "stats", "--index", ix)
    assert "documents: 6" in human.stdout

    doc_id = wikinews(1)[0].id
    removed = run("index", "rm", doc_id, "missing-id", "--index", ix)
    assert removed.exit_code == 0
    assert removed.stdout.strip() == "removed 1 documents"
    assert "not found: missing-id" in removed.stderr
    info = json.loads(run("index", "stats", "--index", ix, "--json").stdout)
    assert info["documents"] == 5 and info["removed_pending_compaction"] == 1

    compacted = run("index", "compact", "--index", ix)
    assert compacted.exit_code == 0 and compacted.stdout.strip() == "segments: 3 -> 1"
    info = json.loads(run("index", "stats", "--index", ix, "--json").stdout)
    assert info["segments"] == 1 and info["removed_pending_compaction"] == 0


def test_index_path_from_environment(tmp_path: Path, corpus: Path) -> None:
    ix = tmp_path / "env-ix"
    result = CliRunner(env={"UNSPUN_INDEX": str(ix)}).invoke(
        cli, ["index", "add", str(corpus / "b.jsonl")])
    assert result.exit_code == 0 and (ix / "index.json").exists()


def test_missing_index_dir(tmp_path: Path) -> None:
    missing = tmp_path / "nope"
    assert_one_line_error(run("index", "stats", "--index", str(missing)), str(missing),
                          "no index here")
    assert_one_line_error(run("index", "rm", "x", "--index", str(missing)), "no index here")
    assert not missing.exists()  # reading never creates an index


def test_index_option_pointing_to_a_file(tmp_path: Path, corpus: Path) -> None:
    afile = tmp_path / "file.txt"
    afile.write_text("hello")
    assert_one_line_error(run("index", "stats", "--index", str(afile)), "no index here")
    assert_one_line_error(run("index", "add", str(corpus), "--index", str(afile)),
                          "exists and is not a directory")


@pytest.mark.parametrize(("damage", "needle"), [
    ("json", "unreadable index.json"),
    ("version", "version 999 is not supported"),
    ("sqlite", "docs.sqlite: is 4200 bytes"),
])
def test_damaged_index(tmp_path: Path, corpus: Path, damage: str, needle: str) -> None:
    ix = tmp_path / "ix"
    assert run("index", "add", str(corpus / "b.jsonl"), "--index", str(ix)).exit_code == 0
    if damage == "json":
        (ix / "index.json").write_text("{garbage")
    elif damage == "version":
        meta = json.loads((ix / "index.json").read_text())
        (ix / "index.json").write_text(json.dumps({**meta, "version": 999}))
    else:
        (ix / "docs.sqlite").write_bytes(b"not a database" * 300)
    assert_one_line_error(run("index", "stats", "--index", str(ix)), str(ix), needle)
    assert_one_line_error(run("index", "add", str(corpus), "--index", str(ix)), needle)


def test_a_format_4_index_is_refused_in_one_line_naming_its_format(tmp_path: Path,
                                                                   corpus: Path) -> None:
    """Format 4 stored 8-byte postings this unspun no longer reads: every command that opens
    the index says so in one line, with the advice to rebuild (exit 2, no traceback)."""
    from unspun.index.records import read_meta, write_meta
    ix = tmp_path / "ix"
    assert run("index", "add", str(corpus / "b.jsonl"), "--index", str(ix)).exit_code == 0
    write_meta(ix, {**read_meta(ix), "version": 4})  # as unspun before format 5 wrote it
    for args in (["index", "stats"], ["index", "add", str(corpus)], ["index", "check"]):
        result = run(*args, "--index", str(ix))
        assert_one_line_error(result, "index format 4", "rebuild")
    proc = subprocess.run([sys.executable, "-m", "unspun", "index", "stats", "--index", str(ix)],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2 and len(proc.stderr.strip().splitlines()) == 1
    assert "index format 4" in proc.stderr and "Traceback" not in proc.stderr


def test_real_process_bad_index_is_one_line(tmp_path: Path) -> None:
    proc = subprocess.run([sys.executable, "-m", "unspun", "index", "stats", "--index",
                           str(tmp_path / "nope")], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2
    assert proc.stderr.strip() == (f"unspun: error: {tmp_path / 'nope'}: no index here "
                                   "(create one with 'unspun index add')")
    assert proc.stdout == ""


def test_every_option_and_knob_is_documented() -> None:
    import dataclasses

    import click

    from unspun.cli import index as index_cli
    from unspun.cli import trace as trace_cli
    from unspun.config import AlignConfig, FingerprintConfig, RetrievalConfig

    docs = Path(__file__).resolve().parents[2] / "docs"
    text = "".join((docs / name).read_text() for name in ("index.md", "trace.md", "ingest.md"))
    commands: list[click.Command] = [trace_cli.command,
                                     *index_cli.command.commands.values()]  # type: ignore[attr-defined]
    for cmd in commands:
        for param in cmd.params:
            for opt in getattr(param, "opts", []):
                if opt.startswith("--"):
                    assert opt in text, f"{cmd.name} {opt} is not documented"
    for cls in (AlignConfig, FingerprintConfig, RetrievalConfig):
        for f in dataclasses.fields(cls):
            assert f"`{f.name}`" in text, f"{cls.__name__}.{f.name} is not documented"


@pytest.mark.parametrize("args", [["trace"], ["index", "add"], ["index", "stats"],
                                  ["index", "rm"], ["index", "compact"], ["spins"], ["serve"]])
def test_every_index_option_is_the_same(args: list[str]) -> None:
    out = " ".join(CliRunner().invoke(cli, [*args, "--help"], terminal_width=200).output.split())
    assert "--index DIR The index directory. [env var: UNSPUN_INDEX; default: " \
           "unspun-index]" in out


def test_spins_reads_unspun_index(tmp_path: Path) -> None:
    from unspun.explain.spins import SpinDictionary

    (tmp_path / "ix").mkdir()
    SpinDictionary().save(tmp_path / "ix" / "spins.json")
    res = CliRunner(env={"UNSPUN_INDEX": str(tmp_path / "ix")}).invoke(cli, ["spins", "--json"])
    assert res.exit_code == 0, res.output
    missing = CliRunner(env={"UNSPUN_INDEX": str(tmp_path / "nope")}).invoke(cli, ["spins"])
    assert missing.exit_code == 2 and str(tmp_path / "nope") in missing.stderr


@pytest.mark.parametrize(("kind", "reason"), [
    ("missing", "no such file"), ("empty", "empty file"), ("binary", "binary file"),
    ("big", "over the 1 MB limit")])
def test_add_with_nothing_usable_exits_2_and_creates_nothing(tmp_path: Path, kind: str,
                                                              reason: str) -> None:
    path = tmp_path / f"{kind}.txt"
    if kind == "empty":
        path.write_bytes(b"")
    elif kind == "binary":
        path.write_bytes(b"\x00\x01binary" * 10)
    elif kind == "big":
        path.write_text("word " * 300_000, encoding="utf-8")
    ix = tmp_path / "ix"
    result = run("index", "add", str(path), "--index", str(ix), "--max-mb", "1")
    assert_one_line_error(result, str(path), reason)
    assert not ix.exists()


def test_add_folder_with_only_bad_files_exits_2(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_bytes(b"")
    (tmp_path / "in" / "b.txt").write_bytes(b"\x00")
    result = run("index", "add", str(tmp_path / "in"), "--index", str(tmp_path / "ix"))
    assert result.exit_code == 2 and not (tmp_path / "ix").exists()
    assert result.stderr.splitlines()[-1] == (
        f"unspun: error: {tmp_path / 'in'}: no usable documents (2 inputs skipped)")
    empty = tmp_path / "nothing"
    empty.mkdir()
    assert_one_line_error(run("index", "add", str(empty), "--index", str(tmp_path / "ix")),
                          "no documents found")


def test_add_counts_agree_and_duplicates_are_listed(tmp_path: Path, corpus: Path) -> None:
    ix = str(tmp_path / "ix")
    assert run("index", "add", str(corpus / "a.jsonl"), "--index", ix).exit_code == 0
    (corpus / "bad.txt").write_bytes(b"")
    again = run("index", "add", str(corpus), "--index", ix, "--json")
    counts = json.loads(again.stdout)
    ids = [d.id for d in wikinews(4)]
    assert counts["duplicates"] == ids and counts["skipped_inputs"] == 1
    assert counts["read"] == 6 == counts["added"] + counts["duplicate_id"] + counts[
        "duplicate_content"] + counts["empty"]
    assert again.stderr.splitlines()[0] == "index add: 6 documents, 1 skipped"
    human = run("index", "add", str(corpus), "--index", ix)
    assert human.stdout.splitlines()[0].startswith("read 6 documents: added 0 ")
    assert "1 inputs not read (listed on stderr)" in human.stdout
    assert [line.split()[-1] for line in human.stdout.splitlines()[1:]] == [
        d.id for d in wikinews(6)]
