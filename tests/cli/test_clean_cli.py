"""`unspun clean`: human and JSON output, corpus profiles, and directory runs with bad files."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

from ingest.builders import FIXTURES, write_jsonl, write_warc
from unspun.clean import clean
from unspun.cli import cli
from unspun.ingest import read_document
from unspun.report.jsonout import CLEAN_SCHEMA, clean_to_dict, load_schema

ARTICLE = FIXTURES / "article.html"


def test_human_summary_shows_title_and_each_removal() -> None:
    result = CliRunner().invoke(cli, ["clean", str(ARTICLE)])
    assert result.exit_code == 0, result.output
    expected = clean(read_document(ARTICLE))
    out = result.stdout
    assert out.startswith(f"== {ARTICLE}\ntitle: {expected.title}\n")
    assert expected.removed, "the 'More news:' line should be removed"
    for finding in expected.findings:
        assert f"{finding.kind}" in out and f"[{finding.span.start}, {finding.span.end})" in out
    assert "More news: Hamas accepts cease-fire" in out
    assert result.stderr == ""


def test_json_single_document_is_one_object() -> None:
    result = CliRunner().invoke(cli, ["clean", "--json", str(ARTICLE)])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    expected = clean(read_document(ARTICLE))
    assert data == clean_to_dict(expected) and data["schema"] == CLEAN_SCHEMA
    jsonschema.validate(data, load_schema("clean"))
    assert data["document"]["url"] == "https://www.dailywirefarm.example/world/trump-invites-putin"
    assert data["findings"] == [f.to_dict() for f in expected.findings]
    assert "More news:" not in data["text"] and "Dan Coats" in data["text"]
    text = read_document(ARTICLE).text
    for finding in data["findings"]:  # offsets point into the ingested text
        assert text[finding["start"]:finding["end"]] == finding["text"]


def test_json_several_documents_are_json_lines(tmp_path: Path) -> None:
    warc = write_warc(tmp_path / "crawl.warc.gz", gz=True)
    result = CliRunner().invoke(cli, ["clean", "--json", str(warc)])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["document"]["source"] for r in rows] == [f"{warc}#record=2", f"{warc}#record=3"]
    assert all(r["document"]["date"] for r in rows)


def test_stdin(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["clean", "--json", "-"],
                                input=ARTICLE.read_bytes())
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["document"]["source"] == "<stdin>"


def test_directory_run_with_good_and_bad_files(tmp_path: Path) -> None:
    root = tmp_path / "mix"
    root.mkdir()
    shutil.copy(ARTICLE, root / "a.html")
    shutil.copy(FIXTURES / "cp1252.txt", root / "b.txt")
    shutil.copy(FIXTURES / "notes.html", root / "c.html")
    (root / "d.txt").write_bytes(b"")
    (root / "e.txt").write_bytes(b"\x00\x01\x02" * 50)
    write_jsonl(root / "f.jsonl", [{"text": "Row one."}, "nope", {"text": "Row two."}])
    result = CliRunner().invoke(cli, ["clean", "--json", str(root)])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["document"]["source"] for r in rows] == [
        str(root / "a.html"), str(root / "b.txt"), f"{root / 'f.jsonl'}#line=1",
        f"{root / 'f.jsonl'}#line=3"]
    err = result.stderr.splitlines()
    assert err[0] == "4 documents, 4 skipped"
    assert err[1:] == [
        f"  skipped {root / 'c.html'}: not HTML: no tags found",
        f"  skipped {root / 'd.txt'}: empty file",
        f"  skipped {root / 'e.txt'}: binary file (contains NUL bytes), not text",
        f"  skipped {root / 'f.jsonl'}#line=2: not valid JSON (Expecting value at column 1)",
    ]


def test_corpus_profile_removes_site_boilerplate(tmp_path: Path) -> None:
    footer = "Harbour Gazette is printed by Quayside Media Group of Portmouth"
    stories = [
        "The ferry timetable changes on Monday after a review of winter demand.",
        "Fishermen landed a record catch of mackerel during the first week of May.",
        "The lighthouse museum will reopen after repairs to its spiral staircase.",
        "Council members approved new parking charges for the seafront car parks.",
        "A storm warning was issued for the coast as winds reached sixty miles an hour.",
    ]
    rows = [{"id": f"s{i}", "url": f"https://harbour.example/{i}",
             "text": f"{story}\n\nMore detail on story {i} follows here today.\n\n{footer}"}
            for i, story in enumerate(stories)]
    corpus = write_jsonl(tmp_path / "site.jsonl", rows)
    target = write_jsonl(tmp_path / "one.jsonl", rows[:1])
    plain = CliRunner().invoke(cli, ["clean", "--json", str(target)])
    assert footer in json.loads(plain.stdout)["text"]
    result = CliRunner().invoke(cli, ["clean", "--json", "--corpus", str(corpus), str(target)])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert footer not in data["text"]
    assert any(f["kind"] == "site-boilerplate" and f["text"].strip() == footer
               for f in data["findings"])
    assert result.stderr.splitlines()[0] == "corpus: 5 documents, 0 skipped"


def test_single_bad_file_exits_2(tmp_path: Path) -> None:
    path = tmp_path / "empty.html"
    path.write_bytes(b"")
    result = CliRunner().invoke(cli, ["clean", str(path)])
    assert result.exit_code == 2
    assert result.stderr == f"unspun: error: {path}: empty file\n"
    assert result.stdout == ""


def test_jsonl_with_only_bad_lines_exits_2(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "bad.jsonl", ["nope", '{"title": "x"}'])
    result = CliRunner().invoke(cli, ["clean", str(path)])
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == (
        f"unspun: error: {path}: no usable documents (first problem: {path}#line=1: "
        "not valid JSON (Expecting value at column 1))")


def test_help() -> None:
    result = CliRunner().invoke(cli, ["clean", "--help"])
    assert result.exit_code == 0
    for option in ("--json", "--corpus", "--field", "--max-mb"):
        assert option in result.stdout


def test_json_is_what_api_clean_returns() -> None:
    pytest.importorskip("fastapi")
    from fastapi.testclient import TestClient

    from unspun.web.app import create_app

    cli_data = json.loads(CliRunner().invoke(cli, ["clean", "--json", str(ARTICLE)]).stdout)
    api = TestClient(create_app(index_path=None)).post(
        "/api/clean", files={"file": ("article.html", ARTICLE.read_bytes(), "text/html")})
    assert api.status_code == 200, api.text
    api_data = api.json()
    for data in (cli_data, api_data):
        jsonschema.validate(data, load_schema("clean"))
    assert set(cli_data) == set(api_data)
    assert cli_data["findings"] == api_data["findings"] and cli_data["text"] == api_data["text"]


def test_text_prints_only_the_cleaned_article(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["clean", "--text", str(ARTICLE)])
    assert result.exit_code == 0, result.output
    assert result.stdout == clean(read_document(ARTICLE)).text + "\n"
    two = CliRunner().invoke(cli, ["clean", "--text", str(ARTICLE), str(FIXTURES / "cp1252.txt")])
    assert two.stdout.count("\f\n") == 1 and "More news:" not in two.stdout
    both = CliRunner().invoke(cli, ["clean", "--text", "--json", str(ARTICLE)])
    assert both.exit_code == 2


def test_removed_count_matches_the_lines_marked_removed(tmp_path: Path) -> None:
    page = tmp_path / "p.txt"
    page.write_text("Storm hits the coast\n\nStorm hits the coast\n\nThe storm , officials said, "
                    "closed roads across the county on Tuesday night.\n\nRelated news\n",
                    encoding="utf-8")
    out = CliRunner().invoke(cli, ["clean", str(page)]).stdout.splitlines()
    removed = [line for line in out if line.startswith("  - ")]
    flagged = [line for line in out if line.startswith("  ? ")]
    assert removed and flagged
    assert f"removed: {len(removed)} (marked -)" in out
    assert any(line.startswith(f"flagged, not removed: {len(flagged)} (marked ?: cosmetic")
               for line in out)
