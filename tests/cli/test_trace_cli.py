"""`unspun trace`: JSON, terminal and HTML output, --against, --fail-on-reuse, and bad input."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from test_index_cli import assert_one_line_error

from align.builders import plain
from index.corpus import wikinews, write_jsonl
from test_trace import OTHER, REFERENCE, SSI_ERROR, A, B, C, lookalike
from unspun.cli import cli

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "trace"


def run(*args: str, stdin: str | None = None) -> Result:
    return CliRunner().invoke(cli, list(args), input=stdin)


@pytest.fixture(scope="module")
def setup(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("trace-cli")
    corpus = write_jsonl(root / "reference.jsonl", REFERENCE)
    index = root / "ix"
    added = run("index", "add", str(corpus), "--index", str(index))
    assert added.exit_code == 0, added.output
    suspect = root / "suspect.txt"
    suspect.write_text(lookalike().text, encoding="utf-8")
    stranger = root / "stranger.txt"
    stranger.write_text(wikinews(1, skip=120)[0].text, encoding="utf-8")
    return {"corpus": corpus, "index": index, "suspect": suspect, "stranger": stranger,
            "root": root}


def _source_ids(stdout: str) -> set[str]:
    return {s["id"] for s in json.loads(stdout)["sources"]}


def test_trace_json_against_index(setup: dict[str, Path]) -> None:
    result = run("trace", str(setup["suspect"]), "--index", str(setup["index"]), "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["schema"].startswith("unspun/trace/")
    assert _source_ids(result.stdout) == {A.id, B.id, C.id}
    assert OTHER.id not in result.stdout.split('"junk"')[0]
    text = setup["suspect"].read_text(encoding="utf-8")
    junk = {text[j["start"]:j["end"]] for j in data["junk"]}
    assert SSI_ERROR in junk and "Related news" in junk
    assert data["verdict"]["label"] == "stitched-aggregate"


def test_trace_against_other_documents(setup: dict[str, Path]) -> None:
    against = run("trace", str(setup["suspect"]), "--against", str(setup["corpus"]), "--json")
    assert against.exit_code == 0, against.output
    indexed = run("trace", str(setup["suspect"]), "--index", str(setup["index"]), "--json")
    assert _source_ids(against.stdout) == _source_ids(indexed.stdout) == {A.id, B.id, C.id}


def test_terminal_report_and_html_file(setup: dict[str, Path]) -> None:
    out = setup["root"] / "report.html"
    result = run("trace", str(setup["suspect"]), "--index", str(setup["index"]), "--html",
                 str(out))
    assert result.exit_code == 0, result.output
    assert f"HTML report: {out}" in result.stdout
    assert A.id in result.stdout or (A.title or "") in result.stdout
    html = out.read_text(encoding="utf-8")
    assert html.lstrip().lower().startswith("<!doctype html")
    words = [w for w in plain(B)[1].text.split() if w.isalpha()][:4]
    assert " ".join(words) in html  # a copied sentence is shown


def test_stdin(setup: dict[str, Path]) -> None:
    result = run("trace", "-", "--index", str(setup["index"]), "--json",
                 stdin=setup["suspect"].read_text(encoding="utf-8"))
    assert result.exit_code == 0, result.output
    assert _source_ids(result.stdout) == {A.id, B.id, C.id}


def test_fail_on_reuse(setup: dict[str, Path]) -> None:
    reused = run("trace", str(setup["suspect"]), "--index", str(setup["index"]), "--json",
                 "--fail-on-reuse")
    assert reused.exit_code == 1 and json.loads(reused.stdout)["sources"]
    clean = run("trace", str(setup["stranger"]), "--index", str(setup["index"]), "--json",
                "--fail-on-reuse")
    assert clean.exit_code == 0, clean.output
    assert json.loads(clean.stdout)["sources"] == []


def test_fixture_article_is_original(setup: dict[str, Path]) -> None:
    result = run("trace", str(FIXTURES / "original.txt"), "--index", str(setup["index"]),
                 "--json", "--fail-on-reuse")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["sources"] == [] and data["verdict"]["label"] == "original"


def test_missing_index_and_index_that_is_a_file(setup: dict[str, Path]) -> None:
    missing = setup["root"] / "no-index"
    assert_one_line_error(run("trace", str(setup["suspect"]), "--index", str(missing)),
                          str(missing), "no index here")
    assert_one_line_error(run("trace", str(setup["suspect"]), "--index",
                              str(setup["corpus"])), "no index here")


def test_unreadable_index(setup: dict[str, Path], tmp_path: Path) -> None:
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "index.json").write_text("[1, 2")
    assert_one_line_error(run("trace", str(setup["suspect"]), "--index", str(bad)),
                          "unreadable index.json")
    (bad / "index.json").write_text(json.dumps({"format": "unspun-index", "version": 999,
                                                "fingerprint": {}}))
    assert_one_line_error(run("trace", str(setup["suspect"]), "--index", str(bad)),
                          "version 999")


@pytest.mark.parametrize(("content", "reason"), [
    ("", "empty"),
    ("Related news\n\nShare this article\n\n" + SSI_ERROR + "\n", "no article text is left"),
])
def test_empty_article(setup: dict[str, Path], tmp_path: Path, content: str,
                       reason: str) -> None:
    page = tmp_path / "page.txt"
    page.write_text(content, encoding="utf-8")
    assert_one_line_error(run("trace", str(page), "--index", str(setup["index"])), reason)
    against = run("trace", str(page), "--against", str(setup["corpus"]))
    assert against.exit_code == 2 and "Traceback" not in against.output
    last = against.stderr.strip().splitlines()[-1]  # after the reference corpus's summary
    assert last.startswith(f"unspun: error: {page}: ") and reason in last


def test_unwritable_html_path(setup: dict[str, Path]) -> None:
    target = setup["root"] / "no-such-dir" / "out.html"
    assert_one_line_error(run("trace", str(setup["suspect"]), "--index", str(setup["index"]),
                              "--json", "--html", str(target)), "cannot write the report")


def test_real_process_junk_article(setup: dict[str, Path], tmp_path: Path) -> None:
    page = tmp_path / "junk.txt"
    page.write_text("Related news\n\n" + SSI_ERROR + "\n", encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "unspun", "trace", str(page), "--index",
                           str(setup["index"])], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.count("\n") == 1 and proc.stderr.startswith("unspun: error: ")
    assert str(page) in proc.stderr and "Traceback" not in proc.stderr
