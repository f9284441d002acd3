"""`unspun trace`: --against with several paths, batches of articles, --jsonl, and source files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from index.corpus import write_jsonl
from test_trace import REFERENCE, SSI_ERROR, A, B, C, lookalike
from unspun.cli import cli
from unspun.cli.trace import spread_against


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args))


@pytest.fixture(scope="module")
def setup(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("trace-batch")
    folder = root / "originals"
    folder.mkdir()
    for doc in REFERENCE:  # a folder of plain text files, headline first: no url or site
        (folder / f"{doc.id}.txt").write_text(f"{doc.title}\n\n{doc.text}", encoding="utf-8")
    index = root / "ix"
    assert run("index", "add", str(folder), "--index", str(index)).exit_code == 0
    suspects = root / "suspects"
    suspects.mkdir()
    (suspects / "farm.txt").write_text(lookalike().text, encoding="utf-8")
    (suspects / "copy.txt").write_text(B.text, encoding="utf-8")
    (suspects / "empty.txt").write_text("\n\n", encoding="utf-8")
    (suspects / "junk.txt").write_text(f"Related news\n\n{SSI_ERROR}\n", encoding="utf-8")
    return {"root": root, "folder": folder, "index": index, "suspects": suspects}


def test_spread_against_takes_every_path_up_to_the_next_option() -> None:
    assert spread_against(["s.txt", "--against", "a", "b", "--json", "x"]) == [
        "s.txt", "--against", "a", "--against", "b", "--json", "x"]
    assert spread_against(["--against=a", "b", "-", "--against", "c"]) == [
        "--against=a", "--against", "b", "-", "--against", "c"]


def test_against_several_files_as_in_the_readme(setup: dict[str, Path]) -> None:
    folder = setup["folder"]
    files = [str(folder / f"{d.id}.txt") for d in (A, B, C)]
    result = run("trace", str(setup["suspects"] / "farm.txt"), "--against", *files, "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert {s["source"] for s in data["sources"]} == set(files)


def test_sources_show_their_file_in_every_report(setup: dict[str, Path]) -> None:
    suspect = setup["suspects"] / "copy.txt"
    expected = str(setup["folder"] / f"{B.id}.txt")
    as_json = run("trace", str(suspect), "--index", str(setup["index"]), "--json")
    (source,) = json.loads(as_json.stdout)["sources"]
    assert source["source"] == expected and source["title"]  # the first line, from the folder
    html = setup["root"] / "r.html"
    terminal = CliRunner(env={"COLUMNS": "400"}).invoke(
        cli, ["trace", str(suspect), "--index", str(setup["index"]), "--html", str(html)])
    assert f"id {source['id']} · file {expected}" in terminal.stdout
    assert f"file <code>{expected}</code>" in html.read_text(encoding="utf-8")


def test_jsonl_record_sources_name_the_line(setup: dict[str, Path], tmp_path: Path) -> None:
    corpus = write_jsonl(tmp_path / "ref.jsonl", [A, B, C])
    result = run("trace", str(setup["suspects"] / "copy.txt"), "--against", str(corpus),
                 "--json")
    (source,) = json.loads(result.stdout)["sources"]
    assert source["source"] == f"{corpus}#line=2"


def test_batch_directory_streams_jsonl_and_lists_skipped(setup: dict[str, Path]) -> None:
    suspects = setup["suspects"]
    result = run("trace", str(suspects), "--index", str(setup["index"]), "--jsonl")
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["document"]["source"] for r in rows] == [
        str(suspects / "copy.txt"), str(suspects / "farm.txt")]
    assert [r["verdict"]["label"] for r in rows] == ["syndicated-copy", "stitched-aggregate"]
    assert result.stderr.splitlines() == [
        "traced: 2 documents, 2 skipped",
        f"  skipped {suspects / 'empty.txt'}: no text: the file holds only whitespace",
        f"  skipped {suspects / 'junk.txt'}: no article text is left after cleaning"]


def test_batch_of_files_and_jsonl_in_one_run(setup: dict[str, Path], tmp_path: Path) -> None:
    rows = write_jsonl(tmp_path / "more.jsonl", [A, C])
    farm = setup["suspects"] / "farm.txt"
    result = run("trace", str(farm), str(rows), "--index", str(setup["index"]), "--json",
                 "--fail-on-reuse")
    assert result.exit_code == 1  # every article reuses an indexed one
    sources = [json.loads(line)["document"]["source"] for line in result.stdout.splitlines()]
    assert sources == [str(farm), f"{rows}#line=1", f"{rows}#line=2"]
    terminal = run("trace", str(farm), str(rows), "--index", str(setup["index"]))
    assert terminal.stdout.count("== ") == 3 and f"== {rows}#line=2" in terminal.stdout


def test_batch_with_nothing_traceable_exits_2(setup: dict[str, Path]) -> None:
    suspects = setup["suspects"]
    result = run("trace", str(suspects / "empty.txt"), str(suspects / "junk.txt"),
                 "--index", str(setup["index"]))
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == (
        f"unspun: error: {suspects / 'empty.txt'}, {suspects / 'junk.txt'}: no article could "
        "be traced (2 skipped)")


def test_html_needs_one_article(setup: dict[str, Path]) -> None:
    result = run("trace", str(setup["suspects"]), "--index", str(setup["index"]), "--html",
                 str(setup["root"] / "x.html"))
    assert result.exit_code == 2 and "--html writes the report of one article" in result.output


def test_untitled_sources_are_named_by_their_file(setup: dict[str, Path]) -> None:
    folder = setup["folder"]
    html = setup["root"] / "untitled.html"
    files = [str(folder / f"{d.id}.txt") for d in (A, B, C)]
    result = CliRunner(env={"COLUMNS": "400"}).invoke(
        cli, ["trace", str(setup["suspects"] / "farm.txt"), "--against", *files,
              "--html", str(html)])
    assert result.exit_code == 0, result.output
    heads = [line for line in result.stdout.splitlines() if " ← " in line]
    assert heads and all(any(Path(f).name in line for f in files) for line in heads)
    page = html.read_text(encoding="utf-8")
    assert all(f in page for f in files)


def test_batch_against_cleans_each_source_once(setup: dict[str, Path],
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    import unspun.trace as tracing
    calls: list[str] = []
    real = tracing._candidate
    monkeypatch.setattr(tracing, "_candidate",
                        lambda doc, cfg: calls.append(doc.id) or real(doc, cfg))
    folder = setup["folder"]
    files = [str(folder / f"{d.id}.txt") for d in (A, B, C)]
    suspects = setup["suspects"]
    result = run("trace", str(suspects / "farm.txt"), str(suspects / "copy.txt"),
                 "--against", *files, "--jsonl")
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(rows) == 2 and all(row["sources"] for row in rows)
    assert len(calls) == 3  # three sources, two suspects: cleaned once each
