"""`unspun spins`: listing a saved dictionary and scoring a page (mining is tested with trace)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from explain.test_spins import FIXTURES, _traces
from unspun.cli import cli
from unspun.explain import mine_spins


@pytest.fixture()
def index_dir(tmp_path: Path) -> Path:
    mine_spins(_traces()).save(tmp_path / "spins.json")
    return tmp_path


def test_lists_pairs_with_counts_and_sites(index_dir: Path) -> None:
    out = CliRunner().invoke(cli, ["spins", "--index", str(index_dir)])
    assert out.exit_code == 0, out.output
    lines = out.output.splitlines()
    assert lines[0].split() [:4] == ["2", "Russia", "→", "Russian"]  # pages
    assert "farm-two.example" in lines[0]
    assert any("U.S. → USA" in line for line in lines)
    assert not any("worldwide" in line for line in lines)  # seen once, below --min-count 2


def test_lists_json_with_min_count(index_dir: Path) -> None:
    out = CliRunner().invoke(cli, ["spins", "--index", str(index_dir), "--json",
                                   "--min-count", "1"])
    assert out.exit_code == 0, out.output
    data = json.loads(out.output)
    pairs = {(p["source"], p["suspect"]): p for p in data["pairs"]}
    assert pairs[("international", "worldwide")]["count"] == 1
    assert pairs[("Russia", "Russian Federation")]["sites"] == {
        "farm-one.example": 1, "farm-two.example": 1}


def test_score_reports_flags(index_dir: Path) -> None:
    page = FIXTURES / "lookalike.txt"
    out = CliRunner().invoke(cli, ["spins", "--index", str(index_dir), "--score", str(page),
                                   "--json"])
    assert out.exit_code == 0, out.output
    report = json.loads(out.output)
    texts = {f["text"] for f in report["flags"]}
    assert {"Russian Federation", "USA"} <= texts
    assert 0 < report["score"] <= 1
    human = CliRunner().invoke(cli, ["spins", "--index", str(index_dir), "--score", str(page)])
    assert "spin score:" in human.output and "Russian Federation" in human.output


def test_missing_or_bad_spins_file_is_one_line_error(tmp_path: Path) -> None:
    out = CliRunner().invoke(cli, ["spins", "--index", str(tmp_path)])
    assert out.exit_code == 2
    assert out.output.strip() == f"unspun: error: {tmp_path / 'spins.json'}: no such spins file"
    (tmp_path / "spins.json").write_text("not json")
    out = CliRunner().invoke(cli, ["spins", "--index", str(tmp_path)])
    assert out.exit_code == 2 and "not a spins file" in out.output
    assert "Traceback" not in out.output


def test_score_without_dictionary_uses_built_in_signals(tmp_path: Path) -> None:
    page = tmp_path / "page.txt"
    page.write_text("Talks with the Russian Federation ended at the White Home today.\n")
    out = CliRunner().invoke(cli, ["spins", "--index", str(tmp_path), "--score", str(page),
                                   "--json"])
    assert out.exit_code == 0, out.output
    report = json.loads(out.output.splitlines()[-1])
    assert [f["text"] for f in report["flags"]] == ["Russian Federation", "White Home"]


def test_mines_from_traced_suspects(tmp_path: Path) -> None:
    from unspun.data import Document
    from unspun.index import Index, add_documents

    src = ("Putin met Trump in Helsinki on Monday for their first summit. The talks with Russia "
           "were long and difficult, officials said. Officials in the U.S. were surprised by the "
           "outcome of the meeting. The U.S. and Russia will meet again later this year, the "
           "White House said.")
    with Index.create(tmp_path / "idx") as index:
        add_documents(index, [Document("wire-1", src, site="wire.example")])
    suspect = tmp_path / "suspect.txt"
    suspect.write_text(src.replace("Russia", "Russian Federation").replace("U.S.", "USA"))
    out = CliRunner().invoke(cli, ["spins", "--index", str(tmp_path / "idx"), str(suspect)])
    assert out.exit_code == 0, out.output
    # One page, even with each swap twice, is one sighting: below the default --min-count 2.
    assert "no pairs seen 2 or more times" in out.output
    other = tmp_path / "other.txt"
    other.write_text(src.replace("Russia", "Russian Federation").replace("U.S.", "USA")
                     .replace("Monday", "Monday morning"))
    out = CliRunner().invoke(cli, ["spins", "--index", str(tmp_path / "idx"), str(suspect),
                                   str(other)])
    assert "Russia → Russian Federation" in out.output and "U.S. → USA" in out.output
    assert (tmp_path / "idx" / "spins.json").exists()


def test_mining_skips_a_junk_only_suspect_and_goes_on(tmp_path: Path) -> None:
    from unspun.data import Document
    from unspun.index import Index, add_documents

    src = ("Putin met Trump in Helsinki on Monday for their first summit. The talks with Russia "
           "were long and difficult, officials said. Officials in the U.S. were surprised by the "
           "outcome of the meeting.")
    with Index.create(tmp_path / "idx") as index:
        add_documents(index, [Document("wire-1", src, site="wire.example")])
    suspects = tmp_path / "suspects"
    suspects.mkdir()
    (suspects / "a-junk.txt").write_text(
        "Related news\n\n[an error occurred while processing the directive]\n")
    (suspects / "b-spun.txt").write_text(src.replace("Russia", "Russian Federation"))
    out = CliRunner().invoke(cli, ["spins", "--index", str(tmp_path / "idx"), "--min-count", "1",
                                   str(suspects)])
    assert out.exit_code == 0, out.output
    assert "1 skipped" in out.output and "a-junk.txt" in out.output
    assert "Russia → Russian Federation" in out.output
